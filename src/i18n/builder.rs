//! The cluster builder's strings (the playground dialog that composes a
//! cluster), kept apart from the other tables. Each key carries its Chinese
//! and English text side by side, so a key cannot exist in one language
//! only; `{0}`, `{1}` … are filled by [`super::fill`]. RocketMQ vocabulary
//! (ASYNC_MASTER, SYNC_FLUSH, CONSUME_SUCCESS, CLUSTERING…) stays as is.

use super::Lang;
use crate::builder::Reason;

macro_rules! builder_keys {
    ($($(#[$doc:meta])* $name:ident => ($zh:expr, $en:expr),)*) => {
        /// The name of one cluster-builder string; [`bt`] turns it into text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum BuildKey {
            $($(#[$doc])* $name,)*
        }

        impl BuildKey {
            /// Every key, so tests can check both tables.
            pub const ALL: &'static [BuildKey] = &[$(BuildKey::$name,)*];
        }

        /// The text of `key` in `lang`.
        pub fn bt(lang: Lang, key: BuildKey) -> &'static str {
            match (lang, key) {
                $((Lang::Zh, BuildKey::$name) => $zh, (Lang::En, BuildKey::$name) => $en,)*
            }
        }
    };
}

builder_keys! {
    /// Button opening the builder.
    Open => ("搭建集群…", "Build a cluster…"),
    /// Hint under the button in the playground column.
    OpenHint => ("改动 Broker、Topic、队列数、生产者与消费者，然后运行。", "Change brokers, topics, queue counts, producers and consumers, then run."),
    /// Dialog title.
    Title => ("搭建集群", "Build a cluster"),
    /// Intro line: `{0}` = scenario it starts from.
    StartsFrom => ("从当前场景 {0} 开始修改。", "Starting from the running scenario {0}."),
    /// Button: start from a minimal cluster.
    StartSmall => ("从最小集群开始", "Start from a minimal cluster"),
    /// Button: back to the running scenario.
    StartCurrent => ("恢复为当前场景", "Reset to the running scenario"),
    /// Section headings.
    General => ("总体", "General"),
    Brokers => ("Broker", "Brokers"),
    Topics => ("Topic", "Topics"),
    Producers => ("生产者", "Producers"),
    Consumers => ("消费者", "Consumers"),
    /// Field labels.
    ScenarioName => ("场景名", "Scenario name"),
    Seed => ("随机种子", "Seed"),
    Client => ("客户端规则", "Client rules"),
    ClientPython => ("python-cpp（教程的 Python 客户端，C++ 规则）", "python-cpp (the tutorial's Python client, C++ rules)"),
    ClientJava => ("java4（Java 客户端 4.9）", "java4 (Java client 4.9)"),
    Until => ("运行时长（秒）", "Run length (seconds)"),
    Nameservers => ("NameServer 数量", "NameServers"),
    BrokerName => ("名称", "Name"),
    Role => ("角色 brokerRole", "Role (brokerRole)"),
    Flush => ("刷盘 flushDiskType", "Flush (flushDiskType)"),
    Slave => ("带 Slave", "With a slave"),
    TopicName => ("Topic 名", "Topic name"),
    Queues => ("每个 Broker 的队列数", "Queues per broker"),
    OnBrokers => ("所在 Broker", "On brokers"),
    ClientId => ("ID", "ID"),
    Group => ("组 group", "Group"),
    Subscriptions => ("订阅", "Subscriptions"),
    SubTopic => ("订阅的 Topic", "Subscribed topic"),
    NoTopicOption => ("— 未选择 —", "— none —"),
    Expression => ("Tag 表达式", "Tag expression"),
    Model => ("消费模式", "Message model"),
    Listener => ("监听器", "Listener"),
    Result => ("监听器返回", "Listener returns"),
    FailTimes => ("先失败几次", "Fail first N times"),
    KeepActions => ("保留场景中的定时操作（{0} 个）", "Keep the scenario's timed actions ({0})"),
    /// Warning: `{0}` actions name removed nodes or topics.
    OrphanActions => ("其中 {0} 个操作涉及已删除的节点或 Topic，保留会被拒绝。", "{0} of them name a removed node or topic and would be refused."),
    /// Buttons.
    AddBroker => ("添加 Broker", "Add broker"),
    AddTopic => ("添加 Topic", "Add topic"),
    AddProducer => ("添加生产者", "Add producer"),
    AddConsumer => ("添加消费者", "Add consumer"),
    AddSubscription => ("添加订阅", "Add subscription"),
    /// Accessible name of a remove button: `{0}` = what.
    Remove => ("删除 {0}", "Remove {0}"),
    /// Accessible name of a subscription's remove button: `{0}` = consumer, `{1}` = index.
    RemoveSubscription => ("删除 {0} 的第 {1} 个订阅", "Remove subscription {1} of {0}"),
    Cancel => ("取消", "Cancel"),
    Build => ("搭建并运行", "Build and run"),
    /// Summary when problems remain: `{0}` = count.
    ProblemsLeft => ("还有 {0} 处需要修改，修改后才能运行。", "{0} problem(s) to fix before this can run."),
    /// Summary when the draft is runnable: `{0}` brokers, `{1}` queues, `{2}` producers, `{3}` consumers.
    Ready => ("可以运行：{0} 个 Broker，共 {1} 个写队列，{2} 个生产者，{3} 个消费者。", "Ready: {0} broker(s), {1} write queue(s) in all, {2} producer(s), {3} consumer(s)."),
    /// Reasons.
    ReasonEmpty => ("不能为空。", "Cannot be empty."),
    ReasonTooLong => ("太长了。", "Too long."),
    ReasonBadChars => ("只能使用字母、数字、- 和 _（RocketMQ 的命名规则）。", "Use letters, digits, - and _ only (RocketMQ's naming rule)."),
    /// `{0}` = kind of the node already named so.
    ReasonDuplicateNode => ("这个名字已被一个 {0} 使用；节点名必须唯一。", "A {0} already has this name; node names must be unique."),
    ReasonDuplicateTopic => ("已有同名 Topic。", "Another topic has this name."),
    ReasonReservedTopic => ("这是 RocketMQ 的系统 Topic，不能自己创建。", "This is a RocketMQ system topic; it cannot be created by hand."),
    ReasonNotNumber => ("请输入整数。", "Enter a whole number."),
    /// `{0}`..`{1}` range.
    ReasonOutOfRange => ("必须在 {0} 到 {1} 之间。", "Must be between {0} and {1}."),
    ReasonNoBrokers => ("集群至少需要一个 Broker。", "The cluster needs at least one broker."),
    ReasonTooManyBrokers => ("Broker 太多了（最多 64 个）。", "Too many brokers (at most 64)."),
    ReasonZeroQueues => ("队列数不能为 0：没有队列，消息无处可写。", "Zero queues: with no queue a message has nowhere to go."),
    ReasonNoTopicBrokers => ("至少选择一个 Broker 来存放这个 Topic。", "Pick at least one broker to host this topic."),
    ReasonNoSubscription => ("消费者必须至少订阅一个 Topic，否则什么也收不到。", "A consumer needs at least one subscription, or it receives nothing."),
    ReasonNoTopic => ("请选择一个 Topic。", "Choose a topic."),
    ReasonDuplicateSubscription => ("同一个 Topic 订阅了两次。", "This topic is subscribed twice."),
    /// `{0}` = the consumer whose subscriptions differ.
    ReasonGroupMismatch => ("同组消费者的订阅必须一致（与 {0} 不同）；否则重平衡会出错。", "Consumers of one group must subscribe alike (this differs from {0}); otherwise rebalancing goes wrong."),
    ReasonResultNotForListener => ("这种监听器不能返回该结果。", "This listener kind cannot return that result."),
    ReasonTooManyClients => ("生产者和消费者太多了（最多 256 个）。", "Too many producers and consumers (at most 256)."),
    /// `{0}` = the engine's message (English, names the field).
    ReasonEngine => ("模拟器拒绝了这个场景：{0}", "The simulator refused this scenario: {0}"),
}

/// The reason `reason` in `lang`, with its values filled in.
pub fn reason_text(lang: Lang, reason: &Reason) -> String {
    let key = |k| bt(lang, k);
    match reason {
        Reason::Empty => key(BuildKey::ReasonEmpty).to_string(),
        Reason::TooLong => key(BuildKey::ReasonTooLong).to_string(),
        Reason::BadChars => key(BuildKey::ReasonBadChars).to_string(),
        Reason::DuplicateNode(kind) => {
            let kind = match (lang, kind.as_str()) {
                (Lang::Zh, "producer") => "生产者",
                (Lang::Zh, "consumer") => "消费者",
                (Lang::Zh, "broker") => "Broker",
                (_, other) => other,
            };
            super::fill(key(BuildKey::ReasonDuplicateNode), &[kind])
        }
        Reason::DuplicateTopic => key(BuildKey::ReasonDuplicateTopic).to_string(),
        Reason::ReservedTopic => key(BuildKey::ReasonReservedTopic).to_string(),
        Reason::NotNumber => key(BuildKey::ReasonNotNumber).to_string(),
        Reason::OutOfRange(lo, hi) => super::fill(key(BuildKey::ReasonOutOfRange), &[&lo.to_string(), &hi.to_string()]),
        Reason::NoBrokers => key(BuildKey::ReasonNoBrokers).to_string(),
        Reason::TooManyBrokers => key(BuildKey::ReasonTooManyBrokers).to_string(),
        Reason::ZeroQueues => key(BuildKey::ReasonZeroQueues).to_string(),
        Reason::NoTopicBrokers => key(BuildKey::ReasonNoTopicBrokers).to_string(),
        Reason::NoSubscription => key(BuildKey::ReasonNoSubscription).to_string(),
        Reason::NoTopic => key(BuildKey::ReasonNoTopic).to_string(),
        Reason::DuplicateSubscription => key(BuildKey::ReasonDuplicateSubscription).to_string(),
        Reason::GroupMismatch(other) => super::fill(key(BuildKey::ReasonGroupMismatch), &[other]),
        Reason::ResultNotForListener => key(BuildKey::ReasonResultNotForListener).to_string(),
        Reason::TooManyClients => key(BuildKey::ReasonTooManyClients).to_string(),
        Reason::Engine(message) => super::fill(key(BuildKey::ReasonEngine), &[message]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_both_languages() {
        for key in BuildKey::ALL {
            for lang in [Lang::Zh, Lang::En] {
                assert!(!bt(lang, *key).trim().is_empty(), "{key:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn reasons_fill_their_values() {
        let text = reason_text(Lang::En, &Reason::OutOfRange(1, 1024));
        assert_eq!(text, "Must be between 1 and 1024.");
        let text = reason_text(Lang::Zh, &Reason::DuplicateNode("producer".into()));
        assert!(text.contains("生产者"), "{text}");
    }
}
