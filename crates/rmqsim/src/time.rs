//! Virtual time: integer milliseconds, and the duration syntax scenarios use.
//!
//! Virtual time never comes from a clock; it only advances when the event
//! queue pops the next event. Durations in scenarios are strings with a unit
//! (`"250ms"`, `"3s"`, `"2m"`, `"1h"`, `"1d"`) or integers in milliseconds.

use std::fmt;

/// A point in virtual time or a span of it, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(pub u64);

impl Millis {
    pub const ZERO: Millis = Millis(0);

    pub fn ms(self) -> u64 {
        self.0
    }

    pub fn plus(self, d: u64) -> Millis {
        Millis(self.0.saturating_add(d))
    }

    pub fn since(self, earlier: Millis) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_ms(self.0))
    }
}

/// The largest duration a scenario may name: 30 days.
pub const MAX_DURATION_MS: u64 = 30 * 24 * 3_600_000;

/// Parses `"250ms"`, `"3s"`, `"2m"`, `"1h"`, `"1d"`, `"1.5s"` and compounds such as
/// `"1m30s"` or `"2h1m"` (what [`format_ms`] writes) into milliseconds.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty duration (expected e.g. \"3s\")".into());
    }
    let mut rest = t;
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let split = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("\"{t}\" has no unit (expected ms, s, m, h or d, e.g. \"3s\")"))?;
        let (num, after) = rest.split_at(split);
        let unit_len = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        total = total
            .checked_add(parse_part(t, num, unit)?)
            .ok_or_else(|| format!("\"{t}\" is longer than the 30-day limit"))?;
        rest = next;
    }
    if total > MAX_DURATION_MS {
        return Err(format!("\"{t}\" is longer than the 30-day limit"));
    }
    Ok(total)
}

fn parse_part(t: &str, num: &str, unit: &str) -> Result<u64, String> {
    let factor: u64 = match unit {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(format!("\"{t}\" has an unknown unit \"{unit}\" (expected ms, s, m, h or d)")),
    };
    if num.is_empty() {
        return Err(format!("\"{t}\" has no number before its unit"));
    }
    let value = if let Some((whole, frac)) = num.split_once('.') {
        let w: u64 = whole.parse().map_err(|_| format!("\"{t}\" is not a number with a unit"))?;
        if frac.is_empty() || frac.len() > 3 || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("\"{t}\" is not a number with a unit"));
        }
        let f: u64 = frac.parse().unwrap_or(0) * 10u64.pow(3 - frac.len() as u32);
        w.checked_mul(factor).and_then(|v| v.checked_add(f * factor / 1000))
    } else {
        num.parse::<u64>().ok().and_then(|n| n.checked_mul(factor))
    };
    value.filter(|v| *v <= MAX_DURATION_MS).ok_or_else(|| format!("\"{t}\" is longer than the 30-day limit"))
}

/// Formats milliseconds the way RocketMQ writes delay levels: `5s`, `2m`, `1h`,
/// or a compound like `1m30s`, or `250ms`.
pub fn format_ms(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    if !ms.is_multiple_of(1000) {
        if ms < 1000 {
            return format!("{ms}ms");
        }
        return format!("{}.{:03}s", ms / 1000, ms % 1000);
    }
    let mut s = ms / 1000;
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if s >= size {
            out.push_str(&format!("{}{unit}", s / size));
            s %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(parse_duration("250ms"), Ok(250));
        assert_eq!(parse_duration("3s"), Ok(3000));
        assert_eq!(parse_duration("2m"), Ok(120_000));
        assert_eq!(parse_duration("1h"), Ok(3_600_000));
        assert_eq!(parse_duration("1.5s"), Ok(1500));
        assert!(parse_duration("3").is_err());
        assert!(parse_duration("3x").is_err());
        assert!(parse_duration("ms").is_err());
        assert!(parse_duration("999d").is_err());
        assert_eq!(parse_duration("1m30s"), Ok(90_000));
        assert_eq!(parse_duration("2h1m"), Ok(7_260_000));
        assert!(parse_duration("").is_err());
        for ms in [1, 250, 5000, 90_000, 7_260_000, 6100] {
            assert_eq!(parse_duration(&format_ms(ms)), Ok(ms), "round trip of {ms}");
        }
    }

    #[test]
    fn formats_like_delay_levels() {
        assert_eq!(format_ms(5000), "5s");
        assert_eq!(format_ms(120_000), "2m");
        assert_eq!(format_ms(7_200_000), "2h");
        assert_eq!(format_ms(90_000), "1m30s");
        assert_eq!(format_ms(250), "250ms");
        assert_eq!(format_ms(6100), "6.100s");
    }
}
