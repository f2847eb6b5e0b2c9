//! Number formatting shared by the analysis views: virtual instants, countdowns
//! and delay-level lengths. Units are the ones RocketMQ itself writes
//! (`messageDelayLevel = 1s 5s … 2h`), so they read the same in both languages.

/// A delay written the way `messageDelayLevel` writes it: `1s`, `30s`, `1m`,
/// `2h`; a length that is not a whole unit falls back to [`countdown`].
pub fn level_delay(ms: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")];
    for (unit, suffix) in UNITS {
        if ms >= unit && ms.is_multiple_of(unit) {
            return format!("{}{suffix}", ms / unit);
        }
    }
    countdown(ms)
}

/// A remaining time, as precise as it is useful: `93ms`, `4.9s`, `42s`,
/// `1m 05s`, `1h 59m`.
pub fn countdown(ms: u64) -> String {
    match ms {
        0..=999 => format!("{ms}ms"),
        1_000..=9_999 => format!("{}.{}s", ms / 1_000, ms % 1_000 / 100),
        10_000..=59_999 => format!("{}s", ms / 1_000),
        60_000..=3_599_999 => format!("{}m {:02}s", ms / 60_000, ms % 60_000 / 1_000),
        _ => format!("{}h {:02}m", ms / 3_600_000, ms % 3_600_000 / 60_000),
    }
}

/// A virtual instant to the millisecond: `1.006s`, `1m 40.200s`, `4h 45m 46.605s`.
pub fn instant(ms: u64) -> String {
    let (h, m, s, milli) = (ms / 3_600_000, ms % 3_600_000 / 60_000, ms % 60_000 / 1_000, ms % 1_000);
    match (h, m) {
        (0, 0) => format!("{s}.{milli:03}s"),
        (0, _) => format!("{m}m {s:02}.{milli:03}s"),
        _ => format!("{h}h {m:02}m {s:02}.{milli:03}s"),
    }
}

/// A virtual instant to a tenth of a second, for lists: `7.1s`, `1m 40.2s`, `4h 45m 46s`.
pub fn instant_short(ms: u64) -> String {
    let (h, m, s, tenth) = (ms / 3_600_000, ms % 3_600_000 / 60_000, ms % 60_000 / 1_000, ms % 1_000 / 100);
    match (h, m) {
        (0, 0) => format!("{s}.{tenth}s"),
        (0, _) => format!("{m}m {s:02}.{tenth}s"),
        _ => format!("{h}h {m:02}m {s:02}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_delays_read_like_broker_conf() {
        let levels = [1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 1_200_000, 3_600_000, 7_200_000];
        let text: Vec<String> = levels.iter().map(|&ms| level_delay(ms)).collect();
        assert_eq!(text, ["1s", "5s", "10s", "30s", "1m", "2m", "20m", "1h", "2h"]);
        assert_eq!(level_delay(1_500), "1.5s");
    }

    #[test]
    fn countdowns_keep_the_useful_precision() {
        assert_eq!(countdown(0), "0ms");
        assert_eq!(countdown(93), "93ms");
        assert_eq!(countdown(4_930), "4.9s");
        assert_eq!(countdown(42_000), "42s");
        assert_eq!(countdown(65_000), "1m 05s");
        assert_eq!(countdown(7_140_000), "1h 59m");
    }

    #[test]
    fn instants_show_milliseconds() {
        assert_eq!(instant(1_006), "1.006s");
        assert_eq!(instant(100_200), "1m 40.200s");
        assert_eq!(instant(17_146_605), "4h 45m 46.605s");
        assert_eq!(instant_short(7_100), "7.1s");
        assert_eq!(instant_short(100_250), "1m 40.2s");
        assert_eq!(instant_short(17_146_605), "4h 45m 46s");
    }
}
