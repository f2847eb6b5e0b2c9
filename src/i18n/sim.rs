//! The simulator's strings (cluster view, time controls, fault palette,
//! event feed, inspector), kept apart from the shell's [`super::Key`] so the
//! two grow independently. Each key carries its Chinese and English text side
//! by side, so a key cannot exist in one language only. Strings with `{0}`,
//! `{1}` … take arguments through [`fill`].

use super::Lang;

macro_rules! sim_keys {
    ($($(#[$doc:meta])* $name:ident => ($zh:expr, $en:expr),)*) => {
        /// The name of one simulator string; [`st`] turns it into text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum SimKey {
            $($(#[$doc])* $name,)*
        }

        impl SimKey {
            /// Every key, so tests can check both tables.
            pub const ALL: &'static [SimKey] = &[$(SimKey::$name,)*];
        }

        /// The text of `key` in `lang`.
        pub fn st(lang: Lang, key: SimKey) -> &'static str {
            match (lang, key) {
                $((Lang::Zh, SimKey::$name) => $zh, (Lang::En, SimKey::$name) => $en,)*
            }
        }
    };
}

sim_keys! {
    // ----- Scenario picker and toolbar
    /// Accessible name of the scenario picker button (followed by the name).
    Scenario => ("场景", "Scenario"),
    /// Heading of the list of presets.
    BuiltInScenarios => ("内置场景", "Built-in scenarios"),
    /// Seed label.
    Seed => ("种子", "seed"),
    /// Client flavor label.
    ClientFlavor => ("客户端规则", "client rules"),
    /// Accessible name of the cluster toolbar.
    ClusterToolbar => ("集群操作", "Cluster actions"),
    /// Toolbar: heal all partitions.
    HealAll => ("修复全部分区", "Heal all partitions"),
    /// Toolbar: open the send form.
    SendMessages => ("发送消息…", "Send messages…"),
    /// Toolbar: open the shortcut sheet.
    KeyboardShortcuts => ("键盘快捷键", "Keyboard shortcuts"),
    /// Key to the queue cells in broker cards.
    CellsHint => ("格子 = 各队列的最大位点，绿条 = 已消费", "cells = max offset of each queue, green bar = consumed"),
    /// Hint shown in the toolbar about right-clicking nodes (and the touch and keyboard ways).
    FaultHint => (
        "右键点击节点（触屏上轻点；键盘：Tab 选中后按 Shift+F10）可注入故障",
        "Right-click a node (tap it on a touch screen, or Tab to it and press Shift+F10) to inject a fault"
    ),

    // ----- Time bar
    /// Play button.
    Play => ("播放", "Play"),
    /// Pause button.
    Pause => ("暂停", "Pause"),
    /// Step button.
    Step => ("单步（一个事件）", "Step one event"),
    /// Next-event button.
    NextEvent => ("跳到下一个事件", "Next event"),
    /// Speed slider.
    Speed => ("速度", "Speed"),
    /// Speed slider value text: {0} is e.g. "100×".
    SpeedValue => ("{0} 实时速度", "{0} real time"),
    /// The skip-idle switch.
    SkipIdle => ("跳过空闲时间", "Skip idle time"),
    /// What the skip-idle switch does.
    SkipIdleHint => (
        "线路上没有报文时快进到下一个事件",
        "While no packet is on the wire, hurry on to the next event"
    ),
    /// The scrubber.
    Timeline => ("时间线", "Timeline"),
    /// Scrubber value text: {0} now, {1} end.
    TimelineValue => ("{0}，共 {1}", "{0} of {1}"),
    /// Stop a seek or search.
    Stop => ("停止", "Stop"),
    /// Seeking progress: {0} target.
    SeekingTo => ("正在计算到 {0}…", "Computing up to {0}…"),
    /// Searching for the next event.
    Searching => ("正在寻找下一个事件…", "Looking for the next event…"),
    /// The run reached its end.
    RunEnded => ("运行结束", "End of run"),
    /// Too slow for the chosen speed.
    Behind => ("模拟跟不上所选速度", "The simulation cannot keep up with this speed"),
    /// Events processed: {0}.
    EventsCount => ("{0} 个事件", "{0} events"),
    /// Recorded interventions ahead: {0}.
    InterventionsAhead => (
        "之后还有 {0} 个已记录的干预会重放；现在干预将丢弃它们",
        "{0} recorded intervention(s) ahead will replay; intervening now discards them"
    ),
    /// Mark legend: sends.
    MarkSend => ("发送", "sends"),
    /// Mark legend: failures.
    MarkFailure => ("失败", "failures"),
    /// Mark legend: retries.
    MarkRetry => ("重试", "retries"),
    /// Mark legend: dead letters.
    MarkDeadLetter => ("死信", "dead letters"),
    /// Mark legend: rebalances.
    MarkRebalance => ("重平衡", "rebalances"),
    /// Mark legend: faults.
    MarkFault => ("故障", "faults"),
    /// Label of the marks legend.
    MarksLegend => ("时间线标记", "Timeline marks"),

    // ----- Cluster view
    /// Kind names.
    KindNameServer => ("NameServer", "NameServer"),
    KindBroker => ("Broker", "Broker"),
    KindProducer => ("生产者", "Producer"),
    KindConsumer => ("消费者", "Consumer"),
    /// Node state: up.
    Up => ("运行中", "up"),
    /// The down badge.
    Down => ("宕机", "down"),
    /// Why down: the process was killed.
    DownKilled => ("进程被杀", "killed"),
    /// Why down: power off.
    DownPowerOff => ("断电", "power off"),
    /// Why down: clean shutdown.
    DownShutdown => ("已关闭", "shut down"),
    /// Broker's slave state.
    SlaveUp => ("从节点在线", "slave up"),
    SlaveDown => ("从节点离线", "slave down"),
    /// NameServer card: {0} brokers registered.
    BrokersRegistered => ("已注册 {0} 个 Broker", "{0} broker(s) registered"),
    /// Producer card stats: {0} ok, {1} failed.
    ProducerStats => ("成功 {0} · 失败 {1}", "ok {0} · failed {1}"),
    /// Consumer card stats: {0} queues, {1} consumed.
    ConsumerStats => ("{0} 个队列 · 已消费 {1}", "{0} queue(s) · consumed {1}"),
    /// Broker card: no topics.
    NoTopics => ("还没有 Topic", "no topics yet"),
    /// A partition label.
    Partitioned => ("网络分区", "partitioned"),
    /// A one-way partition label.
    OnewayPartition => ("单向分区", "one-way cut"),
    /// Accessible label of a node: {0} name, {1} kind, {2} state.
    NodeLabel => ("{0}，{1}，{2}", "{0}, {1}, {2}"),
    /// Accessible label of a packet: {0} kind, {1} from, {2} to.
    PacketLabel => ("{0} 包：{1} → {2}", "{0} packet: {1} → {2}"),
    /// Accessible label of a packet carrying a message: {0} msg id.
    PacketMsgLabel => ("消息 #{0}", "message #{0}"),
    /// Picking the second node of a partition: {0} first node.
    PickPartner => ("点击要与 {0} 断开网络的节点", "Click the node to cut off from {0}"),
    /// One-way checkbox.
    Oneway => ("仅单向（{0} → 对方）", "One way only ({0} → other)"),
    /// Cancel.
    Cancel => ("取消", "Cancel"),
    /// A refused intervention: {0} field, {1} message.
    Refused => ("模拟器拒绝了此操作：{0}：{1}", "The simulator refused this: {0}: {1}"),
    /// Dismiss a notice.
    Dismiss => ("关闭", "Dismiss"),
    /// Packets legend: failed.
    PacketFailed => ("失败的请求", "failed request"),
    /// Accessible name of the cluster drawing.
    ClusterDrawing => ("集群图", "Cluster diagram"),
    /// Loading.
    Loading => ("正在加载场景…", "Loading the scenario…"),

    // ----- Context menu and faults
    /// Accessible name of a node's menu: {0} node.
    MenuFor => ("{0} 的操作", "Actions for {0}"),
    FaultKill => ("杀死进程", "Kill"),
    FaultPowerOff => ("断电", "Power off"),
    FaultRestart => ("重启", "Restart"),
    FaultShutdown => ("正常关闭", "Shut down"),
    FaultStart => ("启动", "Start"),
    FaultPartition => ("网络分区…", "Partition from…"),
    FaultHeal => ("修复此节点的分区", "Heal its partitions"),
    FaultSlowDisk => ("磁盘变慢…", "Slow disk…"),
    FaultSlowSlave => ("从节点变慢…", "Slow slave…"),
    FaultSlaveDown => ("从节点下线", "Slave down"),
    FaultSlaveUp => ("从节点上线", "Slave up"),
    FaultLatency => ("设置延迟…", "Set latency…"),
    FaultLoss => ("设置丢包…", "Set packet loss…"),
    FaultSend => ("发送消息…", "Send messages…"),
    /// Param form: flush delay.
    FlushDelay => ("每次刷盘耗时（毫秒）", "Each flush takes (ms)"),
    /// Param form: slave confirm delay.
    SlaveDelay => ("从节点确认耗时（毫秒）", "Slave confirms after (ms)"),
    /// Param form: latency.
    LatencyMin => ("最小单程延迟（毫秒）", "Min one-way latency (ms)"),
    LatencyMax => ("最大单程延迟（毫秒）", "Max one-way latency (ms)"),
    /// Param form: loss.
    LossPercent => ("丢包率（%）", "Packets lost (%)"),
    /// Apply button.
    Apply => ("应用", "Apply"),
    /// Form error: not a number.
    NotANumber => ("请输入 0 或更大的整数", "Enter a whole number, 0 or more"),
    /// Form error: not a percentage.
    NotAPercent => ("请输入 0 到 100 之间的数", "Enter a number from 0 to 100"),
    /// Param form title: {0} fault, {1} node.
    ParamTitle => ("{1}：{0}", "{0}: {1}"),

    // ----- Send form
    /// Send form title.
    SendTitle => ("发送消息", "Send messages"),
    SendProducer => ("生产者", "Producer"),
    SendTopic => ("Topic", "Topic"),
    SendMode => ("发送方式", "Mode"),
    SendModeSync => ("同步 send_sync", "sync (send_sync)"),
    SendModeAsync => ("异步 send_async", "async (send_async)"),
    SendModeOneway => ("单向 send_oneway", "oneway (send_oneway)"),
    SendCount => ("条数", "Count"),
    SendInterval => ("间隔（毫秒）", "Interval (ms)"),
    SendTags => ("标签 Tags（set_tags）", "Tags (set_tags)"),
    SendKeys => ("索引键 Keys（set_keys）", "Keys (set_keys)"),
    SendDelay => ("延时级别", "Delay level"),
    SendDelayNone => ("0 = 不延时；set_delay_time_level(n)", "0 = no delay; set_delay_time_level(n)"),
    SendSubmit => ("发送", "Send"),
    SendPython => ("对应的 Python 代码", "The same in Python"),
    SendNoProducer => ("这个场景没有生产者", "This scenario has no producer"),

    // ----- Dock, feed and inspector
    /// Accessible name of the dock under the cluster.
    DockLabel => ("视图", "Views"),
    /// The events tab.
    TabEvents => ("事件", "Events"),
    /// Feed filters.
    FilterNode => ("按节点筛选", "Filter by node"),
    FilterKind => ("按类别筛选", "Filter by kind"),
    AllNodes => ("全部节点", "All nodes"),
    AllKinds => ("全部类别", "All kinds"),
    CatSend => ("发送", "Sending"),
    CatStore => ("存储", "Storage"),
    CatConsume => ("消费", "Consuming"),
    CatRetry => ("重试与死信", "Retry & DLQ"),
    CatRebalance => ("重平衡与组", "Rebalance & groups"),
    CatRegistry => ("注册与路由", "Registration & routes"),
    CatFault => ("故障", "Faults"),
    CatTransaction => ("事务", "Transactions"),
    /// Expand or collapse a feed line's why.
    ShowWhy => ("展开原因", "Show the whole why"),
    /// The "why" label.
    Why => ("原因", "why"),
    /// Feed count: {0} shown, {1} total.
    FeedCount => ("显示最新 {0} 条，共 {1} 条", "newest {0} of {1}"),
    /// Feed empty.
    FeedEmpty => (
        "还没有事件。按 ▶ 播放，或用“跳到下一个事件”。",
        "No events yet. Press ▶ Play, or use Next event."
    ),
    /// Feed empty under a filter.
    FeedFilteredEmpty => ("没有符合筛选条件的事件。", "No events match the filters."),
    /// Older records summarised: {0} count.
    FeedOlder => ("更早的 {0} 条记录只保留了计数：", "{0} older records are kept as counts only:"),
    /// Link to a message: {0} id.
    MsgLink => ("消息 #{0}", "msg #{0}"),
    /// Accessible name of the feed list.
    FeedLabel => ("事件流（最新在前）", "Event feed, newest first"),
    /// Inspector.
    Inspector => ("检查器", "Inspector"),
    InspectorEmpty => ("点击集群中的节点，查看它的实时状态。", "Click a node in the cluster to see its live state."),
    Close => ("关闭", "Close"),
    Status => ("状态", "Status"),
    Address => ("地址", "Address"),
    Role => ("角色", "Role"),
    Flush => ("刷盘方式", "Flush"),
    Slave => ("从节点", "Slave"),
    NoSlave => ("无", "none"),
    CommitLog => ("CommitLog", "Commit log"),
    CommitLogValue => ("写到 {0} 字节 · 已刷盘 {1} 字节", "end {0} B · flushed {1} B"),
    Stored => ("已存储消息", "Messages stored"),
    Topics => ("Topic 与队列", "Topics and queues"),
    ColTopic => ("Topic", "Topic"),
    ColQueue => ("队列", "Queue"),
    ColMin => ("最小位点", "Min"),
    ColMax => ("最大位点", "Max"),
    ColConsumerOffsets => ("消费位点", "Consumer offsets"),
    ColConsumerOffsetsHint => ("消费组 = 位点（堆积条数）", "group = offset (lag)"),
    Groups => ("消费组", "Consumer groups"),
    DelayWaiting => ("延时消息等待中", "Delayed messages waiting"),
    DelayLevelValue => ("级别 {0}（{1}）：{2} 条", "level {0} ({1}): {2}"),
    Group => ("组", "Group"),
    ClientId => ("客户端 ID", "Client ID"),
    Model => ("消费模式", "Model"),
    Listener => ("监听器", "Listener"),
    SendStats => ("发送", "Sends"),
    SendStatsValue => ("尝试 {0} · 成功 {1} · 失败 {2}", "attempts {0} · ok {1} · failed {2}"),
    ConsumeStats => ("消费", "Consumption"),
    ConsumeStatsValue => ("投递 {0} · 成功 {1} · 失败 {2}", "delivered {0} · succeeded {1} · failed {2}"),
    Routes => ("路由（发送队列列表）", "Routes (publish list)"),
    NoRoutes => ("还没有路由：生产者会在第一次发送时向 NameServer 查询", "No route yet: the producer asks a NameServer at its first send"),
    OwnedQueues => ("分配到的队列", "Owned queues"),
    NoQueues => ("没有分配到队列", "No queues assigned"),
    ColNext => ("下次拉取", "Next pull"),
    ColCommit => ("提交位点", "Commit"),
    ColInFlight => ("处理中", "In flight"),
    ColLocked => ("已锁定", "Locked"),
    Yes => ("是", "yes"),
    No => ("否", "no"),
    RegisteredBrokers => ("已注册的 Broker", "Registered brokers"),
    NoBrokers => ("没有 Broker 注册", "No broker registered"),
    Interventions => ("干预", "Interventions"),
    PartitionWith => ("与此节点断网", "Cut the network to"),
    /// The button that applies a partition from the inspector.
    PartitionApply => ("断网", "Partition"),
    Message => ("消息 #{0}", "Message #{0}"),
    MessageRecords => ("涉及这条消息的记录", "Records about this message"),
    MessageNoRecords => ("最近的记录里没有这条消息。", "No recent record mentions this message."),

    // ----- Analysis views in the dock, and the passport panel
    /// The queue lanes tab.
    TabQueues => ("队列", "Queues"),
    /// The delay levels tab.
    TabDelay => ("延时级别", "Delay levels"),
    /// The retry flow tab.
    TabRetry => ("重试与死信", "Retry & DLQ"),
    /// The guarantee checkers tab.
    TabCheckers => ("保证检查", "Checkers"),
    /// Accessible text of the checkers tab's badge: {0} warnings.
    WarningsBadge => ("{0} 个警告", "{0} warnings"),
    /// Accessible name of the passport side panel: {0} message id.
    PassportPanel => ("消息 #{0} 的护照", "Passport of message #{0}"),

    // ----- Tutorial and playground
    /// Accessible name of the mode switch.
    ModeSwitch => ("模式", "Mode"),
    /// The tutorial mode.
    ModeTutorial => ("教程", "Tutorial"),
    /// The playground mode.
    ModePlayground => ("自由模式", "Playground"),
    /// What the tutorial mode is, on its switch's tooltip.
    ModeTutorialHint => ("按章节一步一步学，每一步都跑真实的模拟", "Learn chapter by chapter; every step runs the real simulation"),
    /// What the playground mode is, on its switch's tooltip.
    ModePlaygroundHint => ("任选场景，自由播放、单步、注入故障", "Any scenario, free to play, step and inject faults"),
    /// The challenges mode.
    ModeChallenges => ("挑战", "Challenges"),
    /// What the challenges mode is, on its switch's tooltip.
    ModeChallengesHint => ("给你一个目标，用模拟器的工具去实现，由引擎检查结果", "A goal to reach with the simulator's tools, checked by the engine"),
    /// The code lab's switch label.
    ModeLab => ("代码实验室", "Code lab"),
    /// What the code lab is, on its switch's tooltip.
    ModeLabHint => ("写真的 rocketmq-client-python 代码，在模拟集群上运行", "Write real rocketmq-client-python code and run it against the simulated cluster"),

    /// The way into the code lab from the tutorial and the playground.
    LabOpenIn => ("在代码实验室里运行这段代码", "Run this code in the code lab"),
    /// While the code lab's own module loads.
    LabModuleLoading => ("正在打开代码实验室…", "Opening the code lab…"),
    /// The code lab's module could not load; `{0}` why.
    LabModuleFailed => ("代码实验室无法打开：{0}", "The code lab could not open: {0}"),
    /// Shown while a question holds the run.
    PredictHold => (
        "模拟停在这一步的开头，等你作答；选好答案后它会运行到暂停点。",
        "The run waits at the start of this step; choose an answer and it runs to the pause point."
    ),
    /// Runs to the pause point without answering.
    SkipToOutcome => ("不答了，直接看结果", "Skip to the outcome"),
    /// Replays the step from its beginning to its pause point.
    ReplayStep => ("重放这一步", "Replay this step"),
    /// Tooltip of the replay button: {0} from, {1} to.
    ReplayStepHint => ("从 {0} 播放到 {1}", "Plays from {0} to {1}"),
    /// The run was moved away from the step's pause point.
    BackToPause => ("回到暂停点", "Back to the pause point"),
    /// Heading of the left column in the playground.
    PlaygroundHeading => ("自由模式", "Playground"),
    /// What the playground is for.
    PlaygroundIntro => (
        "用上方的“场景”按钮任选一个内置场景：播放、单步、拖动时间线，右键节点（触屏上轻点）注入故障。下面是这个场景的客户端代码。",
        "Pick any built-in scenario with the Scenario button above: play, step, scrub the timeline, right-click a node (tap it on a touch screen) to inject a fault. Below is the scenario's client code."
    ),
    /// Returns to the tutorial: {0} the step's title.
    BackToTutorial => ("回到教程：{0}", "Back to the tutorial: {0}"),
    /// The code panel before a scenario is loaded.
    CodeWaiting => ("场景加载后，这里显示它的客户端代码。", "The scenario's client code appears here once it loads."),
    /// Heading above the code panel.
    CodeHeading => ("客户端代码", "Client code"),
    /// The listener's return value was switched: {0} the value.
    ListenerSwitched => ("监听器现在返回 {0}：重新运行到同一时刻", "The listener now returns {0}: re-run to the same moment"),

    // ----- Shortcut sheet
    ShortcutPlay => ("播放 / 暂停", "Play / pause"),
    ShortcutStep => ("单步：处理一个事件", "Step: process one event"),
    ShortcutNext => ("跳到下一个事件（跳过空闲时间）", "Next event (skips idle time)"),
    ShortcutBack => ("后退 1 秒（确定性重放）", "Back 1 s (deterministic replay)"),
    ShortcutHelp => ("显示这张快捷键表", "Show these shortcuts"),
    ShortcutEscape => ("关闭菜单、取消分区选择", "Close menus, cancel picking"),
    ShortcutMenu => ("在聚焦的节点上打开故障菜单", "Open the fault menu of the focused node"),

    // ----- Links between two nodes
    /// Node menu: act on the link to another node (picked next).
    FaultLink => ("链路设置…（延迟、丢包、暂扣）", "Link to… (latency, loss, hold)"),
    /// Link menu: cut one direction only.
    FaultPartitionOneway => ("单向断开（{0} → {1}）", "Cut one way ({0} → {1})"),
    /// Link menu: cut both directions.
    FaultPartitionLink => ("断开网络（双向）", "Partition (both ways)"),
    /// Link menu: repair this link.
    FaultHealLink => ("恢复这条链路", "Heal this link"),
    /// Link menu: park packets.
    FaultHold => ("暂扣数据包（直到放行）", "Hold packets (until released)"),
    /// Link menu: deliver parked packets.
    FaultRelease => ("放行暂扣的数据包", "Release held packets"),
    /// Link menu title and accessible name: `{0}` ↔ `{1}`.
    LinkMenuFor => ("链路 {0} ↔ {1}", "Link {0} ↔ {1}"),
    /// Accessible name of a link in the drawing: `{0}`, `{1}` nodes, `{2}` state.
    LinkButton => ("链路 {0} ↔ {1}{2}", "Link {0} ↔ {1}{2}"),
    /// Picking banner for a link.
    PickLinkPartner => ("点击另一个节点，设置它与 {0} 之间的链路", "Click the other node of the link from {0}"),
    /// Link badge: latency range `{0}`–`{1}` ms.
    LinkLatency => ("延迟 {0}–{1} ms", "{0}–{1} ms latency"),
    /// Link badge: loss percentage.
    LinkLoss => ("丢包 {0}%", "{0}% loss"),
    /// Link badge: held, `{0}` packets waiting.
    LinkHeld => ("暂扣 {0} 个包", "holding {0} packets"),

    // ----- Send form: every mode and message type
    SendModeOrderly => ("顺序 send_orderly_with_sharding_key", "orderly (send_orderly_with_sharding_key)"),
    SendModeTransaction => ("事务 send_message_in_transaction", "transaction (send_message_in_transaction)"),
    /// Field: message body.
    SendBody => ("消息体 set_body", "Body (set_body)"),
    /// Field: user properties.
    SendProperties => ("属性 set_property", "Properties (set_property)"),
    /// Hint under the properties field.
    SendPropertiesHint => ("key=value，多个用 ; 分隔", "key=value, separate several with ;"),
    /// Field: sharding key of an orderly send.
    SendShardingKey => ("分片键 sharding_key", "Sharding key"),
    /// Hint under the sharding key.
    SendShardingHint => ("同一分片键的消息进入同一个队列", "Messages with one key go to one queue"),
    /// Field: local transaction result.
    SendLocalResult => ("本地事务返回", "Local transaction returns"),

    // ----- Announcements (the polite live region, components/announcer.rs)
    /// The tutorial moved to a step: `{0}` its number, `{1}` how many, `{2}` its title.
    AnnounceStep => ("第 {0} 步，共 {1} 步：{2}", "Step {0} of {1}: {2}"),
    /// The run reached its end at virtual time `{0}`.
    AnnounceEnded => ("运行结束，虚拟时间 {0}。", "The run ended at {0} of virtual time."),
    /// The guarantee checkers find `{0}` problems.
    AnnounceCheckers => ("保证检查失败：发现 {0} 个问题，见“保证检查”视图。", "A guarantee check failed: {0} problem(s), see the Checkers view."),
    /// The step's run differs from its narration: `{0}` of `{1}` claims hold.
    AnnounceStepDiffers => ("讲解核对失败：只有 {0}/{1} 项成立。", "A narration check failed: only {0} of {1} hold."),
}

/// `{0}`, `{1}` … filled in (shared with the code lab's wasm; see [`rmqsim::text`]).
pub use rmqsim::text::fill;

#[cfg(test)]
mod tests {
    use super::*;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Keys whose Chinese text is the same as the English on purpose
    /// (RocketMQ's own nouns, which Chinese documentation keeps in English).
    const SAME_IN_BOTH: [SimKey; 7] = [
        SimKey::ParamTitle,
        SimKey::KindNameServer,
        SimKey::KindBroker,
        SimKey::SendTopic,
        SimKey::ColTopic,
        SimKey::CommitLog,
        SimKey::NodeLabel,
    ];

    #[test]
    fn every_key_has_text_in_both_languages() {
        for &key in SimKey::ALL {
            for lang in Lang::ALL {
                let text = st(lang, key);
                assert!(!text.is_empty(), "{key:?} is empty in {lang:?}");
                assert_eq!(text, text.trim(), "{key:?} has stray spaces in {lang:?}");
            }
            assert!(!has_cjk(st(Lang::En, key)), "{key:?} has Chinese in English");
            if !SAME_IN_BOTH.contains(&key) {
                assert!(has_cjk(st(Lang::Zh, key)), "{key:?} is untranslated in Chinese");
            }
        }
    }

    #[test]
    fn placeholders_match_between_languages() {
        for &key in SimKey::ALL {
            for i in 0..4 {
                let slot = format!("{{{i}}}");
                assert_eq!(
                    st(Lang::Zh, key).contains(&slot),
                    st(Lang::En, key).contains(&slot),
                    "{key:?} uses {slot} in one language only"
                );
            }
        }
    }

    #[test]
    fn fill_replaces_numbered_slots() {
        assert_eq!(fill("{0} of {1}", &["1 s", "20 s"]), "1 s of 20 s");
        assert_eq!(fill("{1}：{0}", &["a", "b"]), "b：a");
        assert_eq!(fill("no slots", &["x"]), "no slots");
    }
}
