//! Debug switches read from the page address (`?debug=panic`), so tests and
//! developers can reach states a learner never should, in the real build.
//!
//! Parsing is pure so it is tested natively; `lib.rs` hands it
//! `location.search`.

/// What `?debug=` asked for. Unknown words are ignored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DebugFlags {
    /// Render a component that panics, to show (and test) the error panel.
    pub panic: bool,
    /// In the playground, load the frame benchmark's cluster (about 1,100
    /// messages in flight) and play it at 1,000× (`scripts/bench-browser.mjs`).
    pub flights: bool,
}

impl DebugFlags {
    /// Reads the flags from a query string such as `?seed=3&debug=panic`;
    /// `debug` may repeat or hold several words separated by commas.
    pub fn from_query(query: &str) -> DebugFlags {
        let mut flags = DebugFlags::default();
        let pairs = query.trim_start_matches('?').split('&');
        let values = pairs.filter_map(|pair| pair.strip_prefix("debug="));
        for word in values.flat_map(|value| value.split(',')) {
            match word {
                "panic" => flags.panic = true,
                "flights" => flags.flights = true,
                _ => {}
            }
        }
        flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_query_means_no_flags() {
        assert_eq!(DebugFlags::from_query(""), DebugFlags::default());
        assert_eq!(DebugFlags::from_query("?"), DebugFlags::default());
    }

    #[test]
    fn debug_panic_is_found_among_other_parameters() {
        assert!(DebugFlags::from_query("?debug=panic").panic);
        assert!(DebugFlags::from_query("?seed=7&debug=trace,panic").panic);
        assert!(DebugFlags::from_query("debug=x&debug=panic").panic);
    }

    #[test]
    fn lookalikes_do_not_panic() {
        assert!(!DebugFlags::from_query("?debug=panicky").panic);
        assert!(!DebugFlags::from_query("?nodebug=panic").panic);
        assert!(!DebugFlags::from_query("?debug=").panic);
    }

    #[test]
    fn debug_flights_is_its_own_word() {
        assert!(DebugFlags::from_query("?mode=playground&debug=flights").flights);
        assert!(!DebugFlags::from_query("?debug=flights").panic);
        assert!(!DebugFlags::from_query("?debug=panic").flights);
    }
}
