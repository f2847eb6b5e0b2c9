//! The strings of the tutorial's tools: the live broker.conf editor, the
//! narration check under each step, and the A/B comparison dialog. Same rules
//! as [`super::Key`]: a typed key and one exhaustive `match` per language, so
//! a missing translation is a compile error. Templates carry numbered holes
//! (`{0}`, `{1}`) filled by [`tf`]. RocketMQ's vocabulary (broker.conf keys,
//! SEND_OK, python-cpp, …) reads the same in both languages.

use super::{fill, Lang};

macro_rules! tool_keys {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// The name of one tool string; [`tt`] and [`tf`] turn it into text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ToolKey {
            $($(#[$doc])* $name,)*
        }

        impl ToolKey {
            /// Every key, so tests can check that each table is complete.
            pub const ALL: &'static [ToolKey] = &[$(ToolKey::$name,)*];
        }
    };
}

tool_keys! {
    /// broker.conf editor: heading.
    ConfHeading,
    /// broker.conf editor: what editing does.
    ConfIntro,
    /// broker.conf editor: the text area's accessible name.
    ConfLabel,
    /// broker.conf editor: the text is valid and running.
    ConfApplied,
    /// broker.conf editor: refused; `{0}` line, `{1}` key.
    ConfRefusedAt,
    /// broker.conf editor: refused (no key, e.g. a line without `=`); `{0}` line.
    ConfRefusedLine,
    /// broker.conf editor: the file parses but the scenario refuses it; `{0}` field.
    ConfScenarioRefused,
    /// broker.conf editor: what a refusal leaves alone.
    ConfUntouched,
    /// broker.conf editor: heading of the parsed settings; `{0}` broker.
    ConfParsed,
    /// broker.conf editor: restore the step's file.
    ConfRestore,
    /// broker.conf editor: the list of keys the parser knows.
    ConfKnownKeys,
    /// broker.conf editor: the address a broker announces: `{0}`.
    ConfAnnounces,

    /// Narration check: accessible name of the line.
    CheckLabel,
    /// Narration check: every claim holds; `{0}` count, `{1}` time.
    CheckHolds,
    /// Narration check: some fail; `{0}` holding, `{1}` total.
    CheckDiffers,
    /// Narration check: the clock is elsewhere; `{0}` the pause time.
    CheckElsewhere,

    /// Compare: the toolbar button.
    CompareButton,
    /// Compare: the toolbar button's tooltip.
    CompareButtonTitle,
    /// Compare: the link from a tutorial step; `{0}` the setting, `{1}` A's value, `{2}` B's value.
    CompareFromStep,
    /// Compare: the dialog's title.
    CompareTitle,
    /// Compare: the dialog's introduction.
    CompareIntro,
    /// Compare: the base-scenario picker's label.
    CompareBase,
    /// Compare: the running scenario as a base; `{0}` its name.
    CompareRunning,
    /// Compare: the setting picker's label.
    CompareSetting,
    /// Compare: B's value picker's label.
    CompareValue,
    /// Knob: the client flavor.
    KnobFlavor,
    /// Knob: the listener of every consumer.
    KnobListener,
    /// Knob: the delay level of send action `{0}` (1-based).
    KnobDelay,
    /// Knob: the role of broker `{0}`.
    KnobRole,
    /// Compare: column heading; `{0}` A or B, `{1}` the setting's value.
    CompareColumn,
    /// Compare: the scenario and seed line; `{0}` name, `{1}` seed.
    CompareSameRun,
    /// Compare: interventions are left out.
    CompareNoInterventions,
    /// Compare: B cannot run; `{0}` field, `{1}` message.
    CompareRefused,
    /// Compare: the outcomes table's accessible name.
    OutcomesLabel,
    /// Row: what is compared.
    RowWhat,
    /// Row: sends (ok / all).
    RowSends,
    /// Sends cell: `{0}` SEND_OK count, `{1}` sends.
    SendsCell,
    /// Row: one message's send; `{0}` msg.
    RowMsg,
    /// A message's send: `{0}` status, `{1}` attempts, `{2}` time.
    MsgCell,
    /// Row: deliveries.
    RowDeliveries,
    /// Deliveries cell: `{0}` count, `{1}` first time, `{2}` last time.
    DeliveriesCell,
    /// Row: consumed successfully.
    RowConsumed,
    /// Row: retries scheduled.
    RowRetries,
    /// Row: dead-lettered.
    RowDlq,
    /// Row: where the run ended.
    RowEnd,
    /// End cell: `{0}` time, `{1}` reason, `{2}` events.
    EndCell,
    /// Row: the trace hash.
    RowHash,
    /// Nothing (an empty cell).
    Nothing,
    /// Compare: heading of the divergence panel.
    DivergenceTitle,
    /// No divergence: `{0}` records.
    DivergenceNone,
    /// Divergence: `{0}` identical records, `{1}` record number, `{2}` time.
    DivergenceAt,
    /// Divergence: one side has no record here; `{0}` the side that ended, `{1}` records left on the other.
    DivergenceEnded,
    /// Divergence: what a side logged; `{0}` side, `{1}` summary.
    DivergenceSide,
    /// Divergence: the side's reason; `{0}` the engine's `why`.
    DivergenceWhy,
    /// Divergence: heading of the field list.
    DivergenceFields,
    /// Divergence: the explanation; `{0}` the setting, `{1}` A's value, `{2}` B's value.
    DivergenceExplain,
    /// Hashes equal.
    HashesSame,
    /// Hashes differ.
    HashesDiffer,
    /// Compare: examples heading.
    CompareExamples,
    /// Example: clients.
    ExampleFlavor,
    /// Example: listeners.
    ExampleListener,
    /// Example: delay level.
    ExampleDelay,
    /// Example: broker role.
    ExampleRole,
    /// Compare: the run stopped at the event budget; `{0}` side.
    CompareBudget,
    /// A delay level as a value: `{0}` the level.
    LevelValue,
    /// Delay level 0: no delay.
    LevelNone,
}

/// The text of `key` in `lang`.
pub fn tt(lang: Lang, key: ToolKey) -> &'static str {
    match lang {
        Lang::Zh => zh(key),
        Lang::En => en(key),
    }
}

/// The text of `key` in `lang` with its holes filled.
pub fn tf(lang: Lang, key: ToolKey, args: &[&str]) -> String {
    fill(tt(lang, key), args)
}

fn zh(key: ToolKey) -> &'static str {
    use ToolKey::*;
    match key {
        ConfHeading => "broker.conf（边写边解析）",
        ConfIntro => "改一改这份配置：每次改成有效的配置，集群就按它重建，并回到这一步的时刻。写错的配置不会被采用。",
        ConfLabel => "broker.conf 的内容",
        ConfApplied => "配置有效，已应用到运行中的集群。",
        ConfRefusedAt => "第 {0} 行的 {1} 被拒绝：",
        ConfRefusedLine => "第 {0} 行被拒绝：",
        ConfScenarioRefused => "配置能解析，但场景不接受它（{0}）：",
        ConfUntouched => "运行中的集群保持不变。",
        ConfParsed => "解析结果：{0} 的有效配置",
        ConfRestore => "恢复这一步的配置",
        ConfKnownKeys => "模拟器认识的键",
        ConfAnnounces => "向 NameServer 公布的地址：{0}",

        CheckLabel => "讲解核对",
        CheckHolds => "✓ 讲解描述的 {0} 项结果，在 {1} 时都与模拟器显示的这次运行一致。",
        CheckDiffers => "✗ 只有 {0}/{1} 项成立：这次运行与讲解不同（改过配置、监听器或做过操作？）。",
        CheckElsewhere => "讲解描述的是 {0} 时的状态；时钟现在不在那里。",

        CompareButton => "对比",
        CompareButtonTitle => "A/B 对比：同一场景、同一种子，只改一个设置",
        CompareFromStep => "并排对比{0}：{1} 与 {2}",
        CompareTitle => "A/B 对比",
        CompareIntro => "同一个场景、同一个种子跑两次，只改一个设置。两次运行在后台用同一个引擎算完；下面对齐列出结果，并标出两份轨迹第一次出现不同的记录。",
        CompareBase => "场景",
        CompareRunning => "正在运行的场景（{0}）",
        CompareSetting => "要改的设置",
        CompareValue => "B 的取值",
        KnobFlavor => "客户端",
        KnobListener => "监听器（所有消费者）",
        KnobDelay => "第 {0} 个发送动作的延时级别",
        KnobRole => "{0} 的角色",
        CompareColumn => "{0}：{1}",
        CompareSameRun => "场景 {0} · 种子 {1}",
        CompareNoInterventions => "只比较场景本身，不包括你在模拟器里手动做的操作。",
        CompareRefused => "B 无法运行：{0}：{1}",
        OutcomesLabel => "两次运行的关键结果",
        RowWhat => "结果",
        RowSends => "发送（SEND_OK / 全部）",
        SendsCell => "{0} / {1}",
        RowMsg => "消息 #{0}",
        MsgCell => "{0} · {1} 次尝试 · {2}",
        RowDeliveries => "投递给监听器",
        DeliveriesCell => "{0} 次（{1} 到 {2}）",
        RowConsumed => "消费成功",
        RowRetries => "安排重试",
        RowDlq => "进入死信队列",
        RowEnd => "运行结束",
        EndCell => "{0} · {1} · {2} 个事件",
        RowHash => "轨迹哈希",
        Nothing => "—",
        DivergenceTitle => "第一处分歧",
        DivergenceNone => "两份轨迹完全相同（{0} 条记录）：这个设置在这个场景里没有改变任何事。",
        DivergenceAt => "前 {0} 条记录完全相同；第 {1} 条（{2}）开始不同。",
        DivergenceEnded => "{0} 的轨迹在这里结束，另一边还有 {1} 条记录。",
        DivergenceSide => "{0} 记下：{1}",
        DivergenceWhy => "原因：{0}",
        DivergenceFields => "不同的字段",
        DivergenceExplain => "两次运行只差一个设置（{0}：A 为 {1}，B 为 {2}），所以在这之前的一切都相同；这里是这个设置第一次改变了引擎的决定。",
        HashesSame => "哈希相同",
        HashesDiffer => "哈希不同",
        CompareExamples => "例子",
        ExampleFlavor => "python-cpp 与 java4：5 次尝试还是 3 次",
        ExampleListener => "并发与顺序监听器：毒消息",
        ExampleDelay => "延时级别 2 与 3",
        ExampleRole => "SYNC_MASTER 与 ASYNC_MASTER（Slave 掉线）",
        CompareBudget => "{0} 在事件预算处停止，结果不完整。",
        LevelValue => "延时级别 {0}",
        LevelNone => "0（不延时）",
    }
}

fn en(key: ToolKey) -> &'static str {
    use ToolKey::*;
    match key {
        ConfHeading => "broker.conf (parsed as you type)",
        ConfIntro => "Edit this file: whenever it is valid, the cluster is rebuilt with it and returns to this step's moment. A file with a mistake is not applied.",
        ConfLabel => "broker.conf text",
        ConfApplied => "Valid: applied to the running cluster.",
        ConfRefusedAt => "Line {0}, {1}, refused:",
        ConfRefusedLine => "Line {0} refused:",
        ConfScenarioRefused => "The file parses, but the scenario refuses it ({0}):",
        ConfUntouched => "The running cluster is unchanged.",
        ConfParsed => "Parsed: {0}'s effective settings",
        ConfRestore => "Restore this step's file",
        ConfKnownKeys => "Keys the simulator understands",
        ConfAnnounces => "Address announced to the NameServer: {0}",

        CheckLabel => "Narration check",
        CheckHolds => "✓ All {0} outcomes the narration describes hold at {1} in the run the simulator shows.",
        CheckDiffers => "✗ Only {0} of {1} hold: this run differs from the narration (a changed file, listener or intervention?).",
        CheckElsewhere => "The narration describes the moment {0}; the clock is elsewhere now.",

        CompareButton => "Compare",
        CompareButtonTitle => "A/B comparison: the same scenario and seed with one setting changed",
        CompareFromStep => "Compare side by side: {0}, {1} vs {2}",
        CompareTitle => "A/B comparison",
        CompareIntro => "The same scenario and seed, run twice with one setting changed. Both runs are computed in the background by the same engine; their outcomes are lined up below and the first trace record where they part is marked.",
        CompareBase => "Scenario",
        CompareRunning => "The running scenario ({0})",
        CompareSetting => "Setting to change",
        CompareValue => "B's value",
        KnobFlavor => "Client flavor",
        KnobListener => "Listener (every consumer)",
        KnobDelay => "Delay level of send action {0}",
        KnobRole => "Role of {0}",
        CompareColumn => "{0}: {1}",
        CompareSameRun => "Scenario {0} · seed {1}",
        CompareNoInterventions => "Only the scenario itself is compared, not the interventions you made in the simulator.",
        CompareRefused => "B cannot run: {0}: {1}",
        OutcomesLabel => "Key outcomes of both runs",
        RowWhat => "Outcome",
        RowSends => "Sends (SEND_OK / all)",
        SendsCell => "{0} / {1}",
        RowMsg => "Message #{0}",
        MsgCell => "{0} · {1} attempt(s) · {2}",
        RowDeliveries => "Deliveries to a listener",
        DeliveriesCell => "{0} ({1} to {2})",
        RowConsumed => "Consumed successfully",
        RowRetries => "Retries scheduled",
        RowDlq => "Dead-lettered",
        RowEnd => "Run ended",
        EndCell => "{0} · {1} · {2} events",
        RowHash => "Trace hash",
        Nothing => "—",
        DivergenceTitle => "First divergence",
        DivergenceNone => "The two traces are identical ({0} records): in this scenario the setting changes nothing.",
        DivergenceAt => "The first {0} records are identical; record {1} (at {2}) differs.",
        DivergenceEnded => "{0}'s trace ends here; the other has {1} more records.",
        DivergenceSide => "{0} logs: {1}",
        DivergenceWhy => "Why: {0}",
        DivergenceFields => "Fields that differ",
        DivergenceExplain => "The runs differ in one setting only ({0}: A is {1}, B is {2}), so everything before this is the same; here that setting first changed a decision of the engine.",
        HashesSame => "same hash",
        HashesDiffer => "hashes differ",
        CompareExamples => "Examples",
        ExampleFlavor => "python-cpp vs java4: 5 attempts or 3",
        ExampleListener => "Concurrent vs orderly listener: a poison message",
        ExampleDelay => "Delay level 2 vs 3",
        ExampleRole => "SYNC_MASTER vs ASYNC_MASTER (slave down)",
        CompareBudget => "{0} stopped at the event budget; its outcome is incomplete.",
        LevelValue => "delay level {0}",
        LevelNone => "0 (no delay)",
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
        // Pure templates and RocketMQ's own vocabulary read the same in both.
        let same = [ToolKey::CompareColumn, ToolKey::SendsCell, ToolKey::Nothing, ToolKey::ExampleRole];
        for &key in ToolKey::ALL {
            for lang in Lang::ALL {
                let text = tt(lang, key);
                assert!(!text.is_empty() && text == text.trim(), "{key:?} in {lang:?}");
            }
            assert_eq!(holes(tt(Lang::Zh, key)), holes(tt(Lang::En, key)), "{key:?}");
            assert!(!has_cjk(tt(Lang::En, key)), "{key:?} has Chinese in English");
            if !same.contains(&key) {
                assert!(has_cjk(tt(Lang::Zh, key)), "{key:?} is untranslated in Chinese");
            }
        }
    }
}
