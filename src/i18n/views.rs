//! The analysis views' strings (queues, delay levels, retry flow, passport,
//! checkers), kept apart from the shell's table so the views can grow without
//! touching it. Same rules as [`super::Key`]: a typed key, one exhaustive
//! `match` per language, so a missing translation is a compile error.
//!
//! Strings that carry values are templates with numbered holes (`{0}`, `{1}`)
//! filled by [`tf`]; each language may order the holes as its grammar wants.
//! Trace vocabulary (event and field names such as `queue_offset`, topic
//! names, RocketMQ constants) is shown as is, in both languages.

use super::Lang;

macro_rules! view_keys {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// The name of one analysis-view string; [`tv`] and [`tf`] turn it into text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ViewKey {
            $($(#[$doc])* $name,)*
        }

        impl ViewKey {
            /// Every key, so tests can check that each table is complete.
            pub const ALL: &'static [ViewKey] = &[$(ViewKey::$name,)*];
        }
    };
}

view_keys! {
    /// Accessible name of a message button: `{0}` = msg.
    MsgButton,
    /// Accessible name of a node button: `{0}` = node name.
    NodeButton,
    /// A node that is not running.
    NodeDown,
    /// "N more" under a capped list.
    MoreItems,
    /// Joins two parts of a description: `{0}` then `{1}`.
    LabelJoin,

    /// Queue view: title.
    QueuesTitle,
    /// Queue view: nothing to show.
    QueuesEmpty,
    /// Queue view: summary line, `{0}` brokers, `{1}` queues.
    QueuesSummary,
    /// Tag on a %RETRY% topic.
    KindRetry,
    /// Tag on a %DLQ% topic.
    KindDeadLetter,
    /// Tag on a topic without write permission.
    TopicReadOnly,
    /// A lane's accessible name: `{0}` queue id, `{1}` topic, `{2}` broker.
    LaneLabel,
    /// A lane's offsets: `{0}` min, `{1}` max.
    LaneRange,
    /// Folded older cells: `{0}` count.
    LaneOlder,
    /// A lane with no messages.
    LaneEmpty,
    /// Cell accessible name: `{0}` msg, `{1}` offset.
    CellLabel,
    /// Cell addition: `{0}` tags.
    CellTags,
    /// Cell addition: `{0}` reconsume times.
    CellReconsumed,
    /// Cell addition: every group moved past it.
    CellConsumed,
    /// A group's consume offset: `{0}` group, `{1}` offset, `{2}` lag.
    GroupOffset,
    /// A client-side consume offset: `{0}` consumer, `{1}` offset, `{2}` lag.
    ClientOffset,
    /// Label before the owners of a queue.
    OwnedBy,
    /// A queue no consumer holds.
    NoOwner,
    /// Orderly lock: `{0}` consumer.
    LockedBy,
    /// Rebalance list: heading.
    RebalanceTitle,
    /// Rebalance list: nothing yet.
    RebalanceEmpty,
    /// Rebalance list: `{0}` in all, `{1}` shown.
    RebalanceCount,
    /// A rebalance that left the consumer no queue.
    RebalanceNoQueues,

    /// Delay view: title.
    DelayTitle,
    /// Delay view: no broker.
    DelayEmpty,
    /// Delay view: nothing waiting, what to do.
    DelayIdle,
    /// Delay view: `{0}` waiting in all.
    DelaySummary,
    /// A level tile's accessible name: `{0}` level, `{1}` delay, `{2}` waiting.
    LevelLabel,
    /// A level's short name: `{0}` level.
    LevelShort,
    /// A chip's accessible name: `{0}` msg, `{1}` remaining, `{2}` due time.
    ChipLabel,
    /// A chip that is a consumer retry (visible tag).
    ChipRetry,
    /// Countdown reached zero.
    ChipDue,
    /// Hops heading.
    HopsTitle,
    /// No hop yet.
    HopsEmpty,
    /// One hop: `{0}` level, `{1}` topic, `{2}` queue id, `{3}` time, `{4}` lateness.
    HopText,

    /// Retry flow: title.
    RetryTitle,
    /// Retry flow: no group.
    RetryEmpty,
    /// A group heading: `{0}` group.
    GroupHeading,
    /// Pipeline: accessible name.
    PipelineLabel,
    /// Stage: deliveries.
    StageDelivered,
    /// Stage sub-line: `{0}` distinct messages.
    StageMessages,
    /// Stage: failures.
    StageFailed,
    /// Stage sub-line: `{0}` successes.
    StageSucceeded,
    /// Stage: sent back to %RETRY%.
    StageSentBack,
    /// Stage: waiting in a level now.
    StageWaiting,
    /// Stage: redelivered through %RETRY%.
    StageRedelivered,
    /// Stage: dead-lettered.
    StageDeadLettered,
    /// Orderly side path: `{0}` suspensions.
    NoteSuspended,
    /// Local re-consume side path: `{0}` times.
    NoteLocalRetry,
    /// Broadcasting side path: `{0}` dropped.
    NoteDropped,
    /// No failing message in this group.
    NoFailures,
    /// Table column: message.
    ColMsg,
    /// Table column: reconsume count.
    ColReconsume,
    /// Table column: retry levels and delays.
    ColLevels,
    /// Table column: state.
    ColState,
    /// State: waiting, `{0}` remaining, `{1}` due time.
    StateWaiting,
    /// State: handed to the listener.
    StateInFlight,
    /// State: failing and retried in place.
    StateFailing,
    /// State: succeeded.
    StateSucceeded,
    /// State: in the DLQ.
    StateDeadLettered,
    /// State: dropped (broadcasting).
    StateDropped,

    /// Passport: title.
    PassportTitle,
    /// Passport: nothing selected.
    PassportEmpty,
    /// Passport: the message has no events, `{0}` msg.
    PassportUnknown,
    /// Passport heading: `{0}` msg.
    PassportHeading,
    /// Summary: topic.
    SumTopic,
    /// Summary: tags.
    SumTags,
    SumKeys,
    /// Summary: producer.
    SumProducer,
    /// Summary: send mode.
    SumMode,
    /// Summary: RocketMQ msgId.
    SumMsgId,
    /// Summary: send attempts.
    SumAttempts,
    /// Summary: deliveries.
    SumDeliveries,
    /// Summary: groups that consumed it.
    SumConsumedBy,
    /// Summary: value not known.
    SumNone,
    /// Fate: consumed.
    FateConsumed,
    /// Fate: in the DLQ, `{0}` group.
    FateDeadLettered,
    /// Fate: lost.
    FateLost,
    /// Fate: the send failed.
    FateSendFailed,
    /// Fate: still on its way.
    FatePending,
    /// Fate: delayed, `{0}` due time.
    FateDelayed,
    /// Accessible name of the step list.
    StepsLabel,
    /// Label before the engine's reason.
    WhyLabel,
    /// Event: send_attempt.
    EvSendAttempt,
    /// Event: send_result.
    EvSendResult,
    /// Event: send_error.
    EvSendError,
    /// Event: send_failed.
    EvSendFailed,
    /// Event: send_rejected.
    EvSendRejected,
    /// Event: store_status.
    EvStoreStatus,
    /// Event: stored.
    EvStored,
    /// Event: delay_scheduled.
    EvDelayScheduled,
    /// Event: delivered.
    EvDelivered,
    /// Event: consumed.
    EvConsumed,
    /// Event: retry_scheduled.
    EvRetryScheduled,
    /// Event: dead_lettered.
    EvDeadLettered,
    /// Event: callback_lost.
    EvCallbackLost,
    /// Event: data_lost.
    EvDataLost,
    /// Event: local_retry.
    EvLocalRetry,
    /// Event: consume_dropped.
    EvConsumeDropped,
    /// Event: txn_local / txn_check / txn_end.
    EvTransaction,
    /// Event: schedule_discarded.
    EvScheduleDiscarded,
    /// Any other event.
    EvOther,

    /// Checkers: title.
    CheckersTitle,
    /// Checkers: no events yet.
    CheckersEmpty,
    /// Status chip: fine.
    StatusOk,
    /// Status chip: something found.
    StatusWarning,
    /// Checker: per-queue order.
    CheckOrder,
    /// What the order checker checks.
    CheckOrderHelp,
    /// Checker: duplicates.
    CheckDuplicates,
    /// What the duplicate checker checks.
    CheckDuplicatesHelp,
    /// Checker: lost messages.
    CheckLost,
    /// What the loss checker checks.
    CheckLostHelp,
    /// Checker: stuck queues.
    CheckStuck,
    /// What the stuck checker checks.
    CheckStuckHelp,
    /// Checker: members of a group subscribing differently.
    CheckSubscriptions,
    /// What the subscription checker checks.
    CheckSubscriptionsHelp,
    /// Nothing found.
    NoFindings,
    /// Order finding: `{0}` group, `{1}` queue, `{2}` offset, `{3}` earlier higher offset, `{4}` time.
    FindOrder,
    /// Duplicate finding: `{0}` reader, `{1}` deliveries, `{2}` duplicates, `{3}` time.
    FindDuplicate,
    /// Duplicate finding: label before the consumers.
    FindConsumers,
    /// Lost finding, power loss: `{0}` broker, `{1}` time.
    FindLostCrash,
    /// Lost finding, never stored: `{0}` mode, `{1}` time.
    FindLostNever,
    /// Lost finding, discarded by the schedule service: `{0}` broker, `{1}` time.
    FindLostDiscarded,
    /// Stuck finding: `{0}` queue, `{1}` offset, `{2}` failures, `{3}` since.
    FindStuck,
    /// Stuck finding: `{0}` waiting behind.
    FindWaiting,
    /// Stuck finding: still blocking.
    StuckStill,
    /// Stuck finding: no longer blocking.
    StuckResolved,
    /// Subscription finding: `{0}` group, `{1}` topic, `{2}` expressions, `{3}` since.
    FindMixedSubscription,
    /// Subscription finding: label before the brokers that reported it.
    FindReportedBy,
    /// Challenges: the column's title.
    ChallengesTitle,
    /// Challenges: what they are.
    ChallengesIntro,
    /// Challenges: `{0}` solved of `{1}`.
    ChallengesSolved,
    /// Challenges: the import button.
    ChallengeImport,
    /// Challenges: `{0}` what is wrong with a file or link.
    ChallengeImportError,
    /// Challenge: back to the list.
    ChallengeBack,
    /// Challenge: solved without hints.
    ChallengeSolvedBadge,
    /// Challenge: solved with hints.
    ChallengeSolvedWithHintsBadge,
    /// Challenge: before the allowed tools.
    ChallengeTools,
    /// Tool: the send form.
    ToolSendForm,
    /// Tool: the fault palette.
    ToolFaultPalette,
    /// Tool: the cluster builder.
    ToolClusterBuilder,
    /// Tool: the code lab.
    ToolCodeLab,
    /// Challenge: reload the starting scenario.
    ChallengeRestart,
    /// Challenge: judge the learner's run.
    ChallengeSubmit,
    /// Challenge: solved.
    ChallengeSolved,
    /// Challenge: solved, `{0}` hidden runs.
    ChallengeSolvedHidden,
    /// Challenge: `{0}` failed check ids.
    ChallengeFailedChecks,
    /// Challenge: `{0}` hidden runs that failed.
    ChallengeFailedHidden,
    /// Challenge: `{0}` why the run does not fit.
    ChallengeUnfit,
    /// Challenge: the live window note.
    ChallengeWindowNote,
    /// Challenge: the help section.
    ChallengeHelpTitle,
    /// Challenge: `{0}` hint number.
    ChallengeHintN,
    /// Challenge: `{0}` hints left.
    ChallengeShowHint,
    /// Challenge: reveal the solution.
    ChallengeShowSolution,
    /// Challenge: confirm the reveal.
    ChallengeConfirmSolution,
    /// Challenge: confirm.
    ChallengeConfirmYes,
    /// Challenge: cancel.
    ChallengeConfirmNo,
    /// Challenge: the solution's heading.
    ChallengeSolutionTitle,
    /// Challenge: share.
    ChallengeShareLink,
    /// Challenge: copied.
    ChallengeLinkCopied,
    /// Challenge: open the cluster builder.
    ChallengeBuild,
    /// Challenge: a tool this challenge does not allow (button tooltip).
    ChallengeToolNotAllowed,
    /// Challenge checklist: title.
    ChallengeChecklist,
    /// Challenge checklist: a check the run satisfies.
    ChallengePassed,
    /// Challenge checklist: a check the run does not satisfy (yet).
    ChallengeNotYet,
    /// Challenge checklist: `{0}` record index, `{1}` event kind, `{2}` time: the record that broke the check.
    ChallengeBrokenBy,
    /// Challenge checklist: the hidden-seed re-runs, said before they happen.
    ChallengeLuckNote,
    /// Challenge checklist: `{0}` passed checks, `{1}` all checks.
    ChallengeProgress,
}

/// The text of `key` in `lang`, holes unfilled.
pub fn tv(lang: Lang, key: ViewKey) -> &'static str {
    match lang {
        Lang::Zh => zh(key),
        Lang::En => en(key),
    }
}

/// The text of `key` in `lang` with `{0}`, `{1}`… replaced by `args`.
pub fn tf(lang: Lang, key: ViewKey, args: &[&str]) -> String {
    fill(tv(lang, key), args)
}

pub use super::fill;

fn zh(key: ViewKey) -> &'static str {
    use ViewKey::*;
    match key {
        MsgButton => "查看消息 {0} 的护照",
        NodeButton => "选中节点 {0}",
        NodeDown => "已停止",
        MoreItems => "还有 {0} 项",
        LabelJoin => "{0}，{1}",

        QueuesTitle => "队列",
        QueuesEmpty => "还没有队列。运行一个场景后，每个 Broker 上各个 Topic 的队列会在这里排成泳道：消息按偏移排列，并标出每个消费组的消费位点。",
        QueuesSummary => "{0} 个 Broker · {1} 个队列",
        KindRetry => "重试",
        KindDeadLetter => "死信",
        TopicReadOnly => "只读",
        LaneLabel => "{2} 上 {1} 的队列 {0}",
        LaneRange => "最小 {0} · 最大 {1}",
        LaneOlder => "…更早 {0} 条",
        LaneEmpty => "空",
        CellLabel => "消息 {0}，偏移 {1}",
        CellTags => "标签 {0}",
        CellReconsumed => "已重试 {0} 次",
        CellConsumed => "已消费",
        GroupOffset => "{0} 位点 {1} · 堆积 {2}",
        ClientOffset => "{0}（客户端）位点 {1} · 堆积 {2}",
        OwnedBy => "持有者",
        NoOwner => "无消费者持有",
        LockedBy => "已被 {0} 锁定",
        RebalanceTitle => "重平衡历史",
        RebalanceEmpty => "还没有重平衡。消费者加入或离开消费组时，这里会列出每个消费者分到的队列和原因。",
        RebalanceCount => "共 {0} 次，显示最近 {1} 次",
        RebalanceNoQueues => "（没有分到队列）",

        DelayTitle => "延时级别（SCHEDULE_TOPIC_XXXX）",
        DelayEmpty => "还没有 Broker。运行一个场景后，这里显示每个 Broker 的 18 个延时级别队列。",
        DelayIdle => "现在没有等待中的消息。用延时级别发送消息，或让监听器返回 RECONSUME_LATER，消息就会在这里倒计时。",
        DelaySummary => "{0} 条等待中",
        LevelLabel => "级别 {0}，延时 {1}，{2} 条等待",
        LevelShort => "级别 {0}",
        ChipLabel => "消息 {0}，{1} 后到期（{2}）",
        ChipRetry => "重试",
        ChipDue => "到期",
        HopsTitle => "到期后投递回原 Topic",
        HopsEmpty => "还没有消息到期。",
        HopText => "级别 {0} → {1} 队列 {2}，时间 {3}，晚了 {4}",

        RetryTitle => "重试与死信",
        RetryEmpty => "还没有消费组。运行带消费者的场景；监听器返回 RECONSUME_LATER 时，消息会经 %RETRY% 和延时级别重新投递，最后进入 %DLQ%。",
        GroupHeading => "消费组 {0}",
        PipelineLabel => "消费组 {0} 的重试流程",
        StageDelivered => "投递",
        StageMessages => "{0} 条消息",
        StageFailed => "失败",
        StageSucceeded => "{0} 次成功",
        StageSentBack => "送回重试",
        StageWaiting => "延时等待中",
        StageRedelivered => "重新投递",
        StageDeadLettered => "进入死信",
        NoteSuspended => "顺序消费：队列挂起 {0} 次，消息在原队列重试，不经过 %RETRY%。",
        NoteLocalRetry => "送回 Broker 失败：客户端在本地重新消费 {0} 次。",
        NoteDropped => "广播模式：{0} 次失败被直接丢弃，不会重试。",
        NoFailures => "这个消费组还没有失败的消息。",
        ColMsg => "消息",
        ColReconsume => "重试次数",
        ColLevels => "每次重试的级别与延时",
        ColState => "状态",
        StateWaiting => "{0} 后到期（{1}）",
        StateInFlight => "监听器处理中",
        StateFailing => "在原队列重试",
        StateSucceeded => "已成功",
        StateDeadLettered => "已进入死信队列",
        StateDropped => "已丢弃",

        PassportTitle => "消息护照",
        PassportEmpty => "点击任意消息查看它的护照：每次发送尝试、存储位置、投递、重试和最终结局，以及每一步的原因。",
        PassportUnknown => "消息 {0} 还没有任何事件。",
        PassportHeading => "消息 {0}",
        SumTopic => "Topic",
        SumTags => "标签",
        SumKeys => "消息键(Keys)",
        SumProducer => "生产者",
        SumMode => "发送方式",
        SumMsgId => "消息 ID",
        SumAttempts => "发送尝试",
        SumDeliveries => "投递次数",
        SumConsumedBy => "已被消费组消费",
        SumNone => "无",
        FateConsumed => "已消费",
        FateDeadLettered => "在死信队列 %DLQ%{0}",
        FateLost => "已丢失",
        FateSendFailed => "发送失败",
        FatePending => "进行中",
        FateDelayed => "延时中，{0} 到期",
        StepsLabel => "消息经历的每一步",
        WhyLabel => "原因",
        EvSendAttempt => "发送尝试",
        EvSendResult => "发送结果",
        EvSendError => "发送出错",
        EvSendFailed => "发送失败",
        EvSendRejected => "Broker 拒收",
        EvStoreStatus => "存储状态",
        EvStored => "写入 Broker",
        EvDelayScheduled => "进入延时级别",
        EvDelivered => "投递给监听器",
        EvConsumed => "监听器返回",
        EvRetryScheduled => "安排重试",
        EvDeadLettered => "进入死信队列",
        EvCallbackLost => "回调丢失",
        EvDataLost => "掉电丢失数据",
        EvLocalRetry => "本地重新消费",
        EvConsumeDropped => "失败后被丢弃",
        EvTransaction => "事务步骤",
        EvScheduleDiscarded => "延时到期后被丢弃",
        EvOther => "事件",

        CheckersTitle => "保证检查器",
        CheckersEmpty => "还没有事件。运行一个场景，五个检查器会实时检查队列内顺序、重复消费、消息丢失、被卡住的队列和订阅关系不一致。",
        StatusOk => "正常",
        StatusWarning => "警告",
        CheckOrder => "队列内顺序",
        CheckOrderHelp => "同一消费组从同一队列收到的偏移不应倒退（重平衡或重启之后重新开始的除外）。",
        CheckDuplicates => "重复消费",
        CheckDuplicatesHelp => "至少一次语义：同一消息再次投递给同一消费组（两次重试次数都为 0，或成功消费之后又被投递）。",
        CheckLost => "丢失的消息",
        CheckLostHelp => "已发送却从未被存储并保留，而且没人收到错误：例如单向发送到已停止的 Broker，掉电时未刷盘的数据，或延时到期后被 Broker 丢弃的事务消息。",
        CheckStuck => "被卡住的队列",
        CheckStuckHelp => "顺序队列被一条反复失败的消息（毒消息）挡住，后面的消息只能等待。",
        CheckSubscriptions => "订阅关系不一致",
        ChallengesTitle => "挑战",
        ChallengesIntro => "每个挑战给你一个目标：在运行中的集群里用模拟器的工具去实现它。结果由引擎根据运行轨迹检查，而不是看你写了什么。",
        ChallengesSolved => "已完成 {0} / {1}",
        ChallengeImport => "导入挑战文件…",
        ChallengeImportError => "没有打开：{0}。屏幕上的内容没有改变。",
        ChallengeBack => "← 全部挑战",
        ChallengeSolvedBadge => "已完成",
        ChallengeSolvedWithHintsBadge => "已完成（用了提示）",
        ChallengeTools => "可以使用的工具：",
        ToolSendForm => "发送表单",
        ToolFaultPalette => "故障面板",
        ToolClusterBuilder => "集群编辑器",
        ToolCodeLab => "代码实验室",
        ChallengeRestart => "重新载入起始集群",
        ChallengeSubmit => "检查我的运行",
        ChallengeSolved => "完成了！引擎确认你的运行达成了目标。",
        ChallengeSolvedHidden => "完成了！你的操作在另外 {0} 个随机种子下也都达成了目标。",
        ChallengeFailedChecks => "还没有完成：检查项 {0} 没有满足。",
        ChallengeFailedHidden => "在隐藏的第 {0} 次重跑中没有通过：这次可能只是运气好。",
        ChallengeUnfit => "这次运行不能作为答案：{0}",
        ChallengeWindowNote => "运行很长：清单只看最近 5000 个事件；提交时会从头完整检查。",
        ChallengeHelpTitle => "帮助",
        ChallengeHintN => "提示 {0}：",
        ChallengeShowHint => "看一个提示（还有 {0} 个）",
        ChallengeShowSolution => "看参考答案",
        ChallengeConfirmSolution => "确定要看参考答案吗？自己想出来会学得更牢。",
        ChallengeConfirmYes => "给我看",
        ChallengeConfirmNo => "再想想",
        ChallengeSolutionTitle => "参考答案（集群修改和操作）",
        ChallengeShareLink => "复制这个挑战的链接",
        ChallengeLinkCopied => "链接已复制。",
        ChallengeBuild => "打开集群编辑器…",
        ChallengeToolNotAllowed => "这个挑战不允许使用这个工具",
        ChallengeChecklist => "检查清单",
        ChallengePassed => "已满足",
        ChallengeNotYet => "未满足",
        ChallengeBrokenBy => "被第 {0} 个事件（{1}，{2}）打破",
        ChallengeLuckNote => "提交时，你的操作会在另外 3 个你看不到的随机种子下再跑一遍；全部通过才算完成，靠运气过不了关。",
        ChallengeProgress => "{0} / {1} 项已满足",
        CheckSubscriptionsHelp => "同一消费组的所有成员必须以相同的 Tag 表达式订阅相同的 Topic。不一致时，Java 客户端的 Broker 只按其中一个成员的订阅过滤整个消费组的拉取，其他成员的消息会丢失。",
        NoFindings => "没有发现问题。",
        FindOrder => "{0} 在 {1}：{4} 收到偏移 {2}，但之前已收到偏移 {3}",
        FindDuplicate => "{0}：投递 {1} 次（重复 {2} 次），{3} 再次投递",
        FindConsumers => "消费者：",
        FindLostCrash => "{0} 掉电，唯一的存储副本被抹掉（{1}）",
        FindLostNever => "以 {0} 方式发送于 {1}，从未被任何 Broker 存储",
        FindLostDiscarded => "保留了延时级别的事务消息：延时到期时 {0} 发现它的真实 Topic 是半消息 Topic，把它丢弃了（{1}）",
        FindStuck => "{0} 被偏移 {1} 的消息挡住：自 {3} 起失败 {2} 次",
        FindWaiting => "后面有 {0} 条在等待：",
        StuckStill => "仍被卡住",
        StuckResolved => "已解除",
        FindMixedSubscription => "消费组 {0} 的成员对 {1} 的订阅不同：{2}（自 {3} 起）",
        FindReportedBy => "报告者：",
    }
}

fn en(key: ViewKey) -> &'static str {
    use ViewKey::*;
    match key {
        MsgButton => "Open the passport of message {0}",
        NodeButton => "Select node {0}",
        NodeDown => "down",
        MoreItems => "{0} more",
        LabelJoin => "{0}, {1}",

        QueuesTitle => "Queues",
        QueuesEmpty => "No queues yet. Run a scenario and each broker's topic queues appear here as lanes: messages at their offsets, with every consumer group's consume offset marked.",
        QueuesSummary => "{0} broker(s) · {1} queue(s)",
        KindRetry => "retry",
        KindDeadLetter => "dead letter",
        TopicReadOnly => "read-only",
        LaneLabel => "Queue {0} of {1} on {2}",
        LaneRange => "min {0} · max {1}",
        LaneOlder => "…{0} older",
        LaneEmpty => "empty",
        CellLabel => "Message {0} at offset {1}",
        CellTags => "tags {0}",
        CellReconsumed => "reconsumed {0} times",
        CellConsumed => "consumed",
        GroupOffset => "{0} at {1} · lag {2}",
        ClientOffset => "{0} (client) at {1} · lag {2}",
        OwnedBy => "Owned by",
        NoOwner => "no consumer holds it",
        LockedBy => "locked by {0}",
        RebalanceTitle => "Rebalance history",
        RebalanceEmpty => "No rebalance yet. When consumers join or leave a group, each consumer's new queues and the reason are listed here.",
        RebalanceCount => "{0} in all; the latest {1} shown",
        RebalanceNoQueues => "(no queues)",

        DelayTitle => "Delay levels (SCHEDULE_TOPIC_XXXX)",
        DelayEmpty => "No brokers yet. Run a scenario and each broker's 18 delay-level queues appear here.",
        DelayIdle => "Nothing is waiting now. Send with a delay level, or have a listener return RECONSUME_LATER, and messages count down here.",
        DelaySummary => "{0} waiting",
        LevelLabel => "Level {0}, delay {1}, {2} waiting",
        LevelShort => "Level {0}",
        ChipLabel => "Message {0}, due in {1} (at {2})",
        ChipRetry => "retry",
        ChipDue => "due",
        HopsTitle => "Back to the real topic when due",
        HopsEmpty => "No message has come due yet.",
        HopText => "level {0} → {1} queue {2} at {3}, {4} late",

        RetryTitle => "Retry and dead letters",
        RetryEmpty => "No consumer group yet. Run a scenario with consumers; when a listener returns RECONSUME_LATER, the message comes back through %RETRY% and a delay level, and finally lands in %DLQ%.",
        GroupHeading => "Group {0}",
        PipelineLabel => "Retry path of group {0}",
        StageDelivered => "Delivered",
        StageMessages => "{0} message(s)",
        StageFailed => "Failed",
        StageSucceeded => "{0} succeeded",
        StageSentBack => "Sent back",
        StageWaiting => "In a delay level",
        StageRedelivered => "Redelivered",
        StageDeadLettered => "Dead-lettered",
        NoteSuspended => "Orderly: the queue was suspended {0} times and the message retried in place, never through %RETRY%.",
        NoteLocalRetry => "The send-back to the broker failed: the client re-consumed locally {0} times.",
        NoteDropped => "Broadcasting: {0} failures were dropped, never retried.",
        NoFailures => "No message of this group has failed yet.",
        ColMsg => "Message",
        ColReconsume => "Reconsumes",
        ColLevels => "Level and delay of each retry",
        ColState => "State",
        StateWaiting => "due in {0} (at {1})",
        StateInFlight => "in the listener",
        StateFailing => "retrying in place",
        StateSucceeded => "succeeded",
        StateDeadLettered => "in the dead-letter queue",
        StateDropped => "dropped",

        PassportTitle => "Message passport",
        PassportEmpty => "Click any message to see its passport: every send attempt, where it was stored, each delivery and retry, and how it ended, each with the reason.",
        PassportUnknown => "Message {0} has no events yet.",
        PassportHeading => "Message {0}",
        SumTopic => "Topic",
        SumTags => "Tags",
        SumKeys => "Keys",
        SumProducer => "Producer",
        SumMode => "Send mode",
        SumMsgId => "msgId",
        SumAttempts => "Send attempts",
        SumDeliveries => "Deliveries",
        SumConsumedBy => "Consumed by",
        SumNone => "none",
        FateConsumed => "Consumed",
        FateDeadLettered => "In %DLQ%{0}",
        FateLost => "Lost",
        FateSendFailed => "Send failed",
        FatePending => "Pending",
        FateDelayed => "Delayed, due at {0}",
        StepsLabel => "Every step of the message's life",
        WhyLabel => "Why",
        EvSendAttempt => "Send attempt",
        EvSendResult => "Send result",
        EvSendError => "Send error",
        EvSendFailed => "Send failed",
        EvSendRejected => "Rejected by the broker",
        EvStoreStatus => "Store status",
        EvStored => "Stored on a broker",
        EvDelayScheduled => "Parked in a delay level",
        EvDelivered => "Delivered to a listener",
        EvConsumed => "Listener returned",
        EvRetryScheduled => "Retry scheduled",
        EvDeadLettered => "Dead-lettered",
        EvCallbackLost => "Callback lost",
        EvDataLost => "Lost in a power cut",
        EvLocalRetry => "Re-consumed locally",
        EvConsumeDropped => "Dropped after failing",
        EvTransaction => "Transaction step",
        EvScheduleDiscarded => "Discarded when its delay ended",
        EvOther => "Event",

        CheckersTitle => "Guarantee checkers",
        CheckersEmpty => "No events yet. Run a scenario and five checkers watch per-queue order, duplicates, lost messages, stuck queues and differing subscriptions as it runs.",
        StatusOk => "OK",
        StatusWarning => "Warning",
        CheckOrder => "Per-queue order",
        CheckOrderHelp => "A group's deliveries from one queue never go back in offset, except when a rebalance or restart starts it afresh.",
        CheckDuplicates => "Duplicates",
        CheckDuplicatesHelp => "At-least-once: the same message delivered to a group again (reconsume count 0 twice, or again after it was consumed).",
        CheckLost => "Lost messages",
        CheckLostHelp => "Sent, never stored and kept, and nobody got an error: oneway to a dead broker, unflushed data lost in a power cut, or a delayed transactional message the broker discards.",
        CheckStuck => "Stuck queues",
        CheckStuckHelp => "An orderly queue blocked by a message that keeps failing (a poison message); the messages behind it wait.",
        CheckSubscriptions => "Differing subscriptions",
        ChallengesTitle => "Challenges",
        ChallengesIntro => "Each challenge sets a goal: reach it in a running cluster with the simulator's tools. The engine checks the run's trace, not what you typed.",
        ChallengesSolved => "{0} of {1} solved",
        ChallengeImport => "Import a challenge file…",
        ChallengeImportError => "Not opened: {0}. Nothing on screen changed.",
        ChallengeBack => "← All challenges",
        ChallengeSolvedBadge => "Solved",
        ChallengeSolvedWithHintsBadge => "Solved (with hints)",
        ChallengeTools => "Tools you may use:",
        ToolSendForm => "the send form",
        ToolFaultPalette => "the fault palette",
        ToolClusterBuilder => "the cluster builder",
        ToolCodeLab => "the code lab",
        ChallengeRestart => "Load the starting cluster again",
        ChallengeSubmit => "Check my run",
        ChallengeSolved => "Solved! The engine confirms your run reaches the goal.",
        ChallengeSolvedHidden => "Solved! Your interventions reach the goal under {0} more seeds as well.",
        ChallengeFailedChecks => "Not yet: the checks {0} are not met.",
        ChallengeFailedHidden => "It failed hidden run(s) {0}: this time may have been luck.",
        ChallengeUnfit => "This run cannot be judged: {0}",
        ChallengeWindowNote => "A long run: the checklist sees the newest 5,000 events; submitting checks the whole run.",
        ChallengeHelpTitle => "Help",
        ChallengeHintN => "Hint {0}:",
        ChallengeShowHint => "Show a hint ({0} left)",
        ChallengeShowSolution => "Show the reference solution",
        ChallengeConfirmSolution => "Show the reference solution? Working it out yourself teaches more.",
        ChallengeConfirmYes => "Show it",
        ChallengeConfirmNo => "Not yet",
        ChallengeSolutionTitle => "Reference solution (cluster edits and interventions)",
        ChallengeShareLink => "Copy a link to this challenge",
        ChallengeLinkCopied => "Link copied.",
        ChallengeBuild => "Open the cluster builder…",
        ChallengeToolNotAllowed => "This challenge does not allow this tool",
        ChallengeChecklist => "Checklist",
        ChallengePassed => "Met",
        ChallengeNotYet => "Not met",
        ChallengeBrokenBy => "Broken by event #{0} ({1} at {2})",
        ChallengeLuckNote => "When you submit, your interventions run again under 3 seeds you never see; all of them must pass, so luck cannot.",
        ChallengeProgress => "{0} of {1} met",
        CheckSubscriptionsHelp => "All members of a consumer group must subscribe to the same topics with the same tag expression. When they differ, a Java group's broker filters every member's pulls with one member's subscription, and the others lose messages.",
        NoFindings => "Nothing found.",
        FindOrder => "{0} on {1}: offset {2} at {4}, after offset {3} had been delivered",
        FindDuplicate => "{0}: delivered {1}× ({2} duplicate), again at {3}",
        FindConsumers => "consumers:",
        FindLostCrash => "its only stored copy was wiped by {0}'s power loss ({1})",
        FindLostNever => "sent {0} at {1}, never stored by any broker",
        FindLostDiscarded => "a transactional message that kept its delay level: when it was due, {0} found its real topic to be the half topic and discarded it ({1})",
        FindStuck => "{0} blocked by the message at offset {1}: {2} failures since {3}",
        FindWaiting => "{0} waiting behind it:",
        StuckStill => "still stuck",
        StuckResolved => "resolved",
        FindMixedSubscription => "members of group {0} subscribe to {1} differently: {2} (since {3})",
        FindReportedBy => "reported by:",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holes(text: &str) -> Vec<usize> {
        let mut found: Vec<usize> = (0..10).filter(|i| text.contains(&format!("{{{i}}}"))).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_key_has_text_in_every_language() {
        for lang in Lang::ALL {
            for &key in ViewKey::ALL {
                let text = tv(lang, key);
                assert!(!text.is_empty(), "{key:?} is empty in {lang:?}");
                assert_eq!(text, text.trim(), "{key:?} has stray spaces in {lang:?}");
            }
        }
    }

    #[test]
    fn both_languages_have_the_same_holes() {
        for &key in ViewKey::ALL {
            assert_eq!(holes(tv(Lang::Zh, key)), holes(tv(Lang::En, key)), "{key:?}");
        }
    }

    #[test]
    fn chinese_is_chinese_and_english_has_none() {
        let has_cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        // RocketMQ's own nouns read the same in Chinese docs.
        let same_in_both = [ViewKey::SumTopic, ViewKey::LabelJoin];
        for &key in ViewKey::ALL {
            assert!(!has_cjk(tv(Lang::En, key)), "{key:?} has Chinese in English");
            if !same_in_both.contains(&key) {
                assert!(has_cjk(tv(Lang::Zh, key)), "{key:?} is untranslated in Chinese");
            }
        }
    }

    #[test]
    fn templates_fill_in_any_order() {
        assert_eq!(fill("{1} then {0}", &["a", "b"]), "b then a");
        assert_eq!(fill("{0}{0}", &["x"]), "xx");
        assert_eq!(fill("no {holes} {9} here {", &["a"]), "no {holes} {9} here {");
        assert_eq!(
            tf(Lang::En, ViewKey::HopText, &["2", "TopicTest", "1", "7.1s", "93ms"]),
            "level 2 → TopicTest queue 1 at 7.1s, 93ms late"
        );
    }
}
