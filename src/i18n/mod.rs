//! Every string the UI shows goes through this module, so the simulator can be
//! read in Chinese (the seed tutorial's language) or English and switched live.
//!
//! A string is named by a [`Key`]; each language's table is an exhaustive
//! `match` over the keys, so adding a key without translating it is a compile
//! error rather than a blank label. [`Lang::detect`] picks the starting
//! language from a remembered choice or the browser's language, and is pure so
//! it is tested natively.

pub mod builder;
mod en;
pub mod feed;
pub mod presets;
pub mod reliability;
pub mod share;
pub mod sim;
pub mod tools;
pub mod views;
pub mod why;
mod zh;

pub use sim::{fill, st, SimKey};

use yew::prelude::*;

/// A language the UI can be shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Simplified Chinese, the tutorial's language and the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order the language switch shows them.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The BCP 47 tag written to `<html lang>` (screen readers and fonts use it).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The short code remembered in `localStorage`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language's own name for itself, shown on the switch in every language.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Zh => "中文",
            Lang::En => "English",
        }
    }

    /// Parses a remembered code (`"zh"` / `"en"`); anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code.trim())
    }

    /// Maps a browser language tag (`navigator.language`, `<html lang>`) to a
    /// language we have: `zh`, `zh-CN`, `zh-Hant-TW` are Chinese, `en-*` is
    /// English, anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language to start in: the learner's remembered choice wins, then
    /// the browser's language; a browser in a language we lack gets English,
    /// and no information at all gets Chinese.
    pub fn detect(remembered: Option<&str>, browser_tag: Option<&str>) -> Lang {
        if let Some(lang) = remembered.and_then(Lang::from_code) {
            return lang;
        }
        match browser_tag {
            Some(tag) => Lang::from_tag(tag).unwrap_or(Lang::En),
            None => Lang::default(),
        }
    }
}

macro_rules! keys {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// The name of one UI string; [`t`] turns it into text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Key {
            $($(#[$doc])* $name,)*
        }

        impl Key {
            /// Every key, so tests can check that each table is complete.
            pub const ALL: &'static [Key] = &[$(Key::$name,)*];
        }
    };
}

keys! {
    /// The product's name, in the header.
    AppTitle,
    /// One line under the name saying what the product is.
    AppTagline,
    /// The always-visible label that nothing shown is real.
    SimulatedBadge,
    /// The badge's longer explanation (tooltip and accessible description).
    SimulatedBadgeHint,
    /// Accessible name of the language switch group.
    LanguageSwitchLabel,
    /// Link that lets keyboard users skip the header.
    SkipToCluster,
    /// Accessible name of the left column.
    GuidePanelLabel,
    /// Heading of the narration section.
    NarrationHeading,
    /// Narration's empty state.
    NarrationEmpty,
    /// Heading of the code section.
    CodeHeading,
    /// Code panel's empty state.
    CodeEmpty,
    /// Accessible name of the main region where the cluster is drawn.
    ClusterRegionLabel,
    /// Title of the cluster view's empty state.
    ClusterEmptyTitle,
    /// Body of the cluster view's empty state.
    ClusterEmptyBody,
    /// Heading of the colour key.
    LegendHeading,
    /// Colour key: NameServer.
    LegendNameServer,
    /// Colour key: broker.
    LegendBroker,
    /// Colour key: producer.
    LegendProducer,
    /// Colour key: consumer.
    LegendConsumer,
    /// Colour key: delayed messages (SCHEDULE_TOPIC_XXXX).
    LegendDelay,
    /// Colour key: retries (%RETRY%).
    LegendRetry,
    /// Colour key: dead letters (%DLQ%).
    LegendDeadLetter,
    /// Accessible name of the bottom bar.
    TimeControlsLabel,
    /// Label of the virtual clock.
    VirtualClockLabel,
    /// The virtual clock before any scenario runs.
    VirtualClockIdle,
    /// Time controls' empty state.
    TimeControlsEmpty,
    /// Title of the panel shown when the app panics.
    PanicTitle,
    /// What happened, in plain words.
    PanicWhat,
    /// Heading above the panic message.
    PanicDetailsHeading,
    /// Heading of the reporting instructions.
    PanicReportHeading,
    /// How to report the panic.
    PanicReportBody,
    /// The button that reloads the page.
    PanicReload,
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    match lang {
        Lang::Zh => zh::text(key),
        Lang::En => en::text(key),
    }
}

/// The language in force, shared with every component through a Yew context.
#[derive(Clone, Debug, PartialEq)]
pub struct LangContext {
    /// The language the UI is shown in.
    pub lang: Lang,
    /// Switches the language (and remembers the choice).
    pub set_lang: Callback<Lang>,
}

impl LangContext {
    /// The text of `key` in the current language.
    pub fn t(&self, key: Key) -> &'static str {
        t(self.lang, key)
    }

    /// The text of a simulator string in the current language.
    pub fn s(&self, key: SimKey) -> &'static str {
        st(self.lang, key)
    }

    /// A simulator string with its `{0}`, `{1}` … filled in.
    pub fn f(&self, key: SimKey, args: &[&str]) -> String {
        fill(st(self.lang, key), args)
    }
}

impl Default for LangContext {
    fn default() -> Self {
        LangContext { lang: Lang::default(), set_lang: Callback::noop() }
    }
}

/// The current [`LangContext`]; a component mounted without a provider
/// (as in some tests) gets the default language and a switch that does nothing.
#[hook]
pub fn use_lang() -> LangContext {
    use_context::<LangContext>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_every_language() {
        for lang in Lang::ALL {
            for &key in Key::ALL {
                let text = t(lang, key);
                assert!(!text.is_empty(), "{key:?} is empty in {lang:?}");
                assert_eq!(text, text.trim(), "{key:?} has stray spaces in {lang:?}");
            }
        }
    }

    #[test]
    fn chinese_table_is_chinese_and_english_table_is_ascii_prose() {
        let has_cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for &key in Key::ALL {
            assert!(has_cjk(t(Lang::Zh, key)), "{key:?} is untranslated in Chinese");
            assert!(!has_cjk(t(Lang::En, key)), "{key:?} has Chinese in English");
        }
    }

    #[test]
    fn remembered_choice_wins_over_browser() {
        assert_eq!(Lang::detect(Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::detect(Some("zh"), Some("en-US")), Lang::Zh);
    }

    #[test]
    fn browser_language_decides_when_nothing_is_remembered() {
        assert_eq!(Lang::detect(None, Some("zh-CN")), Lang::Zh);
        assert_eq!(Lang::detect(None, Some("zh-Hant-TW")), Lang::Zh);
        assert_eq!(Lang::detect(None, Some("ZH_cn")), Lang::Zh);
        assert_eq!(Lang::detect(None, Some("en-GB")), Lang::En);
        assert_eq!(Lang::detect(Some("klingon"), Some("en")), Lang::En);
    }

    #[test]
    fn unknown_browser_language_gets_english_and_nothing_gets_chinese() {
        assert_eq!(Lang::detect(None, Some("de-DE")), Lang::En);
        assert_eq!(Lang::detect(None, Some("")), Lang::En);
        assert_eq!(Lang::detect(None, None), Lang::Zh);
    }

    #[test]
    fn codes_and_tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }
}
