//! Strings of the reliability features: the panic panel's repro line and its
//! way back to the last good state, and the engine's invariant count on the
//! Checkers tab. Same rules as [`super::Key`]: one exhaustive `match` per
//! language, so a missing translation is a compile error.

use super::Lang;

/// The name of one reliability string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RKey {
    /// Panic panel: heading over the repro line.
    ReproHeading,
    /// Panic panel: no run was loaded yet.
    ReproNone,
    /// Panic panel: label of the share token.
    ReproToken,
    /// Panic panel: the button that restores the last good state.
    RestoreButton,
    /// Checkers tab: the engine's invariant checks, `{0}` = how many.
    InvariantsLine,
    /// Checkers tab: what the invariant line means.
    InvariantsHelp,
}

impl RKey {
    /// Every key, so tests can check that each table is complete.
    pub const ALL: [RKey; 6] = [
        RKey::ReproHeading,
        RKey::ReproNone,
        RKey::ReproToken,
        RKey::RestoreButton,
        RKey::InvariantsLine,
        RKey::InvariantsHelp,
    ];
}

/// The text of `key` in `lang`.
pub fn rt(lang: Lang, key: RKey) -> &'static str {
    match lang {
        Lang::Zh => zh(key),
        Lang::En => en(key),
    }
}

/// `key`'s template with `{0}` filled.
pub fn rf(lang: Lang, key: RKey, arg: &str) -> String {
    rt(lang, key).replace("{0}", arg)
}

fn en(key: RKey) -> &'static str {
    match key {
        RKey::ReproHeading => "To reproduce it",
        RKey::ReproNone => "No run was loaded yet.",
        RKey::ReproToken => "Share token of the last good state (a session document, rmqsim::share):",
        RKey::RestoreButton => "Return to the last good state",
        RKey::InvariantsLine => "Engine invariants: {0} checks, 0 violations",
        RKey::InvariantsHelp => "The engine checks its guarantees after every event (durability, delay, order, offsets, DLQ count, causality, counters balance); a violation would stop the page with an error panel.",
    }
}

fn zh(key: RKey) -> &'static str {
    match key {
        RKey::ReproHeading => "如何复现",
        RKey::ReproNone => "尚未加载任何运行。",
        RKey::ReproToken => "上一个正常状态的分享令牌（会话文档，rmqsim::share）：",
        RKey::RestoreButton => "回到上一个正常状态",
        RKey::InvariantsLine => "引擎不变量：已检查 {0} 次，0 次违反",
        RKey::InvariantsHelp => "引擎在每个事件后检查它的保证（持久性、延时、顺序、位点、死信次数、因果、计数平衡）；一旦违反，页面会停下并显示错误面板。",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_is_translated_and_templates_keep_their_hole() {
        for key in RKey::ALL {
            for lang in Lang::ALL {
                assert!(!rt(lang, key).is_empty(), "{key:?} in {lang:?}");
            }
        }
        for lang in Lang::ALL {
            assert!(rt(lang, RKey::InvariantsLine).contains("{0}"));
        }
    }
}
