//! The strings of sharing: the run's fingerprint and its verification, the
//! share link, export and import, and the embeddable player. Same rules as
//! [`super::Key`]: a typed key, one exhaustive `match` per language, so a
//! missing translation is a compile error. Templates have numbered holes
//! (`{0}`, `{1}`) filled by [`sf`]. Detail messages from the engine's
//! decoder (which field, which byte) are shown as they come, in English.

use super::Lang;
use rmqsim::share::ShareErrorKind;

macro_rules! share_keys {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// The name of one sharing string; [`ts`] and [`sf`] turn it into text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ShareKey {
            $($(#[$doc])* $name,)*
        }

        impl ShareKey {
            /// Every key, so tests can check that each table is complete.
            pub const ALL: &'static [ShareKey] = &[$(ShareKey::$name,)*];
        }
    };
}

share_keys! {
    /// Accessible name of the fingerprint and sharing strip.
    BarLabel,
    /// The fingerprint chip: `{0}` short hex, `{1}` virtual time.
    FingerprintChip,
    /// The fingerprint chip's tooltip: `{0}` full hex, `{1}` records, `{2}` events.
    FingerprintHint,
    /// Button: replay from scratch and compare.
    Verify,
    /// Verification running: `{0}` events done, `{1}` of how many.
    Verifying,
    /// Verdict: identical; `{0}` fingerprint, `{1}` virtual time, `{2}` records.
    Identical,
    /// Verdict: a record differs; `{0}` its number (1-based).
    Differs,
    /// Verdict: differs within a block whose original is no longer kept; `{0}` first record number.
    DiffersApprox,
    /// The replay's record: `{0}` JSON line.
    ReplayLine,
    /// The original's record: `{0}` JSON line.
    OriginalLine,
    /// A side has no record there.
    NoRecord,
    /// Button: open the share panel.
    Share,
    /// Heading and accessible name of the share panel.
    SharePanel,
    /// Label of the link field.
    LinkLabel,
    /// What opening the link does: `{0}` virtual time, `{1}` interventions.
    LinkHint,
    /// Button: copy the link.
    CopyLink,
    /// Copying worked.
    Copied,
    /// Copying failed.
    CopyFailed,
    /// Button: download the scenario alone.
    ExportScenario,
    /// Button: download the whole session.
    ExportSession,
    /// Label of the file input.
    Import,
    /// Under the import button: what is accepted.
    ImportHint,
    /// The file is over the limit: `{0}` file name, `{1}` size in bytes.
    ImportTooLarge,
    /// The file could not be read: `{0}` file name.
    ImportUnreadable,
    /// Headline of a refused import: `{0}` file name, `{1}` what is wrong.
    ImportRefused,
    /// An import worked: `{0}` file name, `{1}` interventions.
    Imported,
    /// Said after every refusal: nothing changed.
    Untouched,
    /// Button after an import: bring back the run that was replaced.
    UndoImport,
    /// The import was undone: `{0}` the run brought back.
    ImportUndone,
    /// Headline of a share link that could not be opened: `{0}` what is wrong.
    LinkRefused,
    /// A link was opened: `{0}` scenario name, `{1}` virtual time.
    LinkOpened,
    /// The replayed fingerprint equals the sharer's: `{0}` fingerprint.
    LinkMatches,
    /// It does not: `{0}` replayed, `{1}` the sharer's.
    LinkMismatch,
    /// Button: dismiss a message.
    Dismiss,
    /// The embedded player's accessible name.
    EmbedLabel,
    /// Link from the embedded player to the full simulator.
    OpenInSimulator,
    /// `?embed=NAME` names no preset: `{0}` the name, `{1}` what is shown instead.
    EmbedUnknown,
    /// Error kind: too large.
    KindTooLarge,
    /// Error kind: not base64.
    KindNotBase64,
    /// Error kind: cut off.
    KindTruncated,
    /// Error kind: not text.
    KindNotText,
    /// Error kind: not JSON.
    KindNotJson,
    /// Error kind: neither a session nor a scenario.
    KindFormat,
    /// Error kind: unsupported version.
    KindVersion,
    /// Error kind: invalid scenario.
    KindScenario,
    /// Error kind: invalid intervention.
    KindIntervention,
    /// Error kind: too many interventions.
    KindTooMany,
    /// Error kind: invalid position or fingerprint.
    KindPosition,
    /// Error kind: a code lab run that does not match its code or results.
    KindLab,
}

/// The text of `key` in `lang`.
pub fn ts(lang: Lang, key: ShareKey) -> &'static str {
    match lang {
        Lang::Zh => zh(key),
        Lang::En => en(key),
    }
}

/// The template `key` in `lang` with its holes filled.
pub fn sf(lang: Lang, key: ShareKey, args: &[&str]) -> String {
    super::views::fill(ts(lang, key), args)
}

/// The words for a decoding error's kind.
pub fn kind_text(lang: Lang, kind: ShareErrorKind) -> &'static str {
    ts(
        lang,
        match kind {
            ShareErrorKind::TooLarge => ShareKey::KindTooLarge,
            ShareErrorKind::NotBase64 => ShareKey::KindNotBase64,
            ShareErrorKind::Truncated => ShareKey::KindTruncated,
            ShareErrorKind::NotText => ShareKey::KindNotText,
            ShareErrorKind::NotJson => ShareKey::KindNotJson,
            ShareErrorKind::Format => ShareKey::KindFormat,
            ShareErrorKind::Version => ShareKey::KindVersion,
            ShareErrorKind::Scenario => ShareKey::KindScenario,
            ShareErrorKind::Intervention => ShareKey::KindIntervention,
            ShareErrorKind::TooMany => ShareKey::KindTooMany,
            ShareErrorKind::Position => ShareKey::KindPosition,
            ShareErrorKind::Lab => ShareKey::KindLab,
        },
    )
}

fn zh(key: ShareKey) -> &'static str {
    use ShareKey::*;
    match key {
        BarLabel => "运行指纹与分享",
        FingerprintChip => "指纹 {0} · {1}",
        FingerprintHint => {
            "到此为止全部跟踪记录的哈希 {0}（{1} 条记录，{2} 个事件）：相同的场景、种子和干预总是得到相同的指纹"
        }
        Verify => "重放并验证一致",
        Verifying => "正在独立重放… {0} / {1} 个事件",
        Identical => "一致：独立重放在 {1} 得到相同的指纹 {0}（{2} 条记录）",
        Differs => "不一致：第 {0} 条记录不同",
        DiffersApprox => "不一致：从第 {0} 条记录起的一段中有差异（原始记录已不在保留窗口内）",
        ReplayLine => "重放：{0}",
        OriginalLine => "原始：{0}",
        NoRecord => "（没有记录）",
        Share => "分享",
        SharePanel => "分享与保存",
        LinkLabel => "分享链接",
        LinkHint => "打开此链接会加载这个场景和你的 {1} 次干预，并重放到 {0}",
        CopyLink => "复制链接",
        Copied => "链接已复制到剪贴板",
        CopyFailed => "无法访问剪贴板：请选中上面的链接手动复制",
        ExportScenario => "导出场景（JSON）",
        ExportSession => "导出会话（JSON）",
        Import => "导入场景或会话…",
        ImportHint => "接受场景 JSON 或导出的会话文件，最大 1 MB",
        ImportTooLarge => "{0} 有 {1} 字节：超过 1 MB 的文件不会被读取",
        ImportUnreadable => "无法读取 {0}",
        ImportRefused => "无法导入 {0}：{1}",
        Imported => "已导入 {0}（{1} 次干预）",
        Untouched => "当前会话保持不变。",
        UndoImport => "撤销导入",
        ImportUndone => "已撤销导入，恢复了 {0}",
        LinkRefused => "无法打开这个分享链接：{0}",
        LinkOpened => "已打开分享的会话 {0}，重放到 {1}",
        LinkMatches => "指纹与分享者的一致（{0}）",
        LinkMismatch => "重放得到的指纹 {0} 与分享者的 {1} 不同",
        Dismiss => "关闭",
        EmbedLabel => "嵌入式 RocketMQ 模拟器（只读）",
        OpenInSimulator => "在模拟器中打开",
        EmbedUnknown => "没有名为“{0}”的内置场景，改为显示 {1}",
        KindTooLarge => "太大",
        KindNotBase64 => "不是分享链接",
        KindTruncated => "链接被截断",
        KindNotText => "不是文本",
        KindNotJson => "不是 JSON",
        KindFormat => "既不是会话也不是场景",
        KindLab => "代码实验室的运行与它的代码或记录的结果不符",
        KindVersion => "不支持的版本",
        KindScenario => "场景无效",
        KindIntervention => "干预无效",
        KindTooMany => "干预太多",
        KindPosition => "位置或指纹无效",
    }
}

fn en(key: ShareKey) -> &'static str {
    use ShareKey::*;
    match key {
        BarLabel => "Run fingerprint and sharing",
        FingerprintChip => "Fingerprint {0} · {1}",
        FingerprintHint => "Hash {0} of every trace record so far ({1} records, {2} events): the same scenario, seed and interventions always give the same fingerprint",
        Verify => "Replay and verify identical",
        Verifying => "Replaying independently… {0} of {1} events",
        Identical => "Identical: an independent replay reached the same fingerprint {0} at {1} ({2} records)",
        Differs => "Differs: record #{0} is not the same",
        DiffersApprox => "Differs: somewhere in the records from #{0} (the original records are no longer kept)",
        ReplayLine => "replay: {0}",
        OriginalLine => "original: {0}",
        NoRecord => "(no record)",
        Share => "Share",
        SharePanel => "Share and save",
        LinkLabel => "Share link",
        LinkHint => "Opening this link loads this scenario with your {1} intervention(s) and replays it to {0}",
        CopyLink => "Copy link",
        Copied => "Link copied to the clipboard",
        CopyFailed => "The clipboard is not available: select the link above and copy it by hand",
        ExportScenario => "Export scenario (JSON)",
        ExportSession => "Export session (JSON)",
        Import => "Import a scenario or session…",
        ImportHint => "A scenario JSON or an exported session file, at most 1 MB",
        ImportTooLarge => "{0} is {1} bytes: files over 1 MB are not read",
        ImportUnreadable => "Could not read {0}",
        ImportRefused => "Could not import {0}: {1}",
        Imported => "Imported {0} ({1} intervention(s))",
        Untouched => "The current session is unchanged.",
        UndoImport => "Undo import",
        ImportUndone => "Import undone: {0} is back",
        LinkRefused => "This share link could not be opened: {0}",
        LinkOpened => "Opened the shared session {0}, replayed to {1}",
        LinkMatches => "The fingerprint matches the sharer's ({0})",
        LinkMismatch => "The replayed fingerprint {0} differs from the sharer's {1}",
        Dismiss => "Dismiss",
        EmbedLabel => "Embedded RocketMQ simulator (read-only)",
        OpenInSimulator => "Open in the simulator",
        EmbedUnknown => "No built-in scenario is called \"{0}\"; showing {1} instead",
        KindTooLarge => "too large",
        KindNotBase64 => "not a share link",
        KindTruncated => "the link is cut off",
        KindNotText => "not text",
        KindNotJson => "not JSON",
        KindFormat => "neither a session nor a scenario",
        KindLab => "a code lab run that does not match its code or recorded results",
        KindVersion => "unsupported version",
        KindScenario => "invalid scenario",
        KindIntervention => "invalid intervention",
        KindTooMany => "too many interventions",
        KindPosition => "invalid position or fingerprint",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holes(text: &str) -> Vec<usize> {
        (0..10).filter(|i| text.contains(&format!("{{{i}}}"))).collect()
    }

    #[test]
    fn every_key_has_text_in_both_languages_with_the_same_holes() {
        let has_cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for &key in ShareKey::ALL {
            for lang in Lang::ALL {
                let text = ts(lang, key);
                assert!(!text.is_empty(), "{key:?} is empty in {lang:?}");
                assert_eq!(text, text.trim(), "{key:?} has stray spaces in {lang:?}");
            }
            assert_eq!(holes(ts(Lang::Zh, key)), holes(ts(Lang::En, key)), "{key:?}");
            assert!(has_cjk(ts(Lang::Zh, key)), "{key:?} is untranslated in Chinese");
            assert!(!has_cjk(ts(Lang::En, key)), "{key:?} has Chinese in English");
        }
    }

    #[test]
    fn templates_fill() {
        assert_eq!(
            sf(Lang::En, ShareKey::FingerprintChip, &["1f0c9e55", "12.345 s"]),
            "Fingerprint 1f0c9e55 · 12.345 s"
        );
        assert_eq!(kind_text(Lang::En, ShareErrorKind::Truncated), "the link is cut off");
    }
}
