//! The built-in scenarios' one-line summaries in Chinese.
//!
//! The engine's preset list (`rmqsim::presets`) describes each scenario in
//! English; the app shows it in the learner's language. A summary without a
//! translation (a new preset, or an imported scenario's own text) is shown
//! as it is.

use super::Lang;

/// (preset name, Chinese summary).
const SUMMARIES: &[(&str, &str)] = &[
    ("tutorial-basic", "教程里的 producer.py（send_sync 发送 5 条，keys xin，tags xbl）和它的 PushConsumer"),
    ("sync-retry-killed-broker", "broker-a 宕机；同步发送在 broker-b 上重试，直到路由里去掉 broker-a"),
    ("async-callbacks-lost", "异步发送后在回复到达前调用 shutdown()：回调永远不会执行"),
    ("oneway-loss", "发往已宕机 Broker 的单向消息悄无声息地消失，没有任何错误"),
    (
        "send-status-flush-disk-timeout",
        "SYNC_FLUSH 遇上慢磁盘：FLUSH_DISK_TIMEOUT（java4 把它返回给调用方；python-cpp 重试并产生重复消息）",
    ),
    ("send-status-flush-slave-timeout", "SYNC_MASTER 的从节点确认太慢：FLUSH_SLAVE_TIMEOUT"),
    ("send-status-slave-not-available", "SYNC_MASTER 的从节点停机：立即返回 SLAVE_NOT_AVAILABLE"),
    ("rebalance-join-leave", "消费者加入、离开消费组；4 个队列按平均分配重新分配（2/1/1）"),
    ("tag-filtering", "带 Tag 表达式的订阅：\"TagA || TagC\" 只看到这两种 Tag"),
    ("broadcasting", "广播模式：每个消费者都收到每条消息；失败的消息被丢弃，不重试"),
    ("duplicates-after-crash", "慢消费者在汇报位点之前宕机；接手的消费者把同样的消息再消费一遍"),
    ("delay-tutorial", "教程里的延时示例：set_delay_time_level(2) = 5 s，共 5 条消息"),
    ("retry-to-dlq", "总是返回 RECONSUME_LATER 的监听器：重试 16 次（10 s … 2 h），然后进入 %DLQ%组名"),
    ("orderly-by-key", "send_orderly_with_sharding_key：同一订单的消息进同一个队列，并按顺序消费"),
    ("orderly-poison", "顺序队列被一条总是失败的消息堵住，其他队列照常流动（python-cpp 永远不把它放进死信队列）"),
    ("transaction-commit", "事务消息：半消息，本地事务 COMMIT_MESSAGE，然后对消费者可见"),
    ("transaction-rollback", "本地事务失败的事务消息：ROLLBACK_MESSAGE，消费者永远看不到它"),
    ("transaction-unknown-then-check", "本地事务返回 UNKNOW；Broker 每 60 s 回查一次；回查先答 UNKNOW，后答 COMMIT"),
    ("transaction-check-max", "一直 UNKNOW 的事务：回查 15 次后被丢到 TRANS_CHECK_MAX_TIME_TOPIC"),
    ("delay-all-levels", "18 个延时级别各发一条消息（1s … 2h），每条在其级别到期时投递"),
    (
        "order-broken-by-send-retry",
        "按键顺序发送；这个键所在的 Broker 宕机，Python 客户端的重试把键换到另一个 Broker：顺序被打破",
    ),
];

/// A scenario's summary in `lang`: the Chinese of a built-in scenario's
/// English summary, otherwise `text` itself.
pub fn summary(lang: Lang, text: &str) -> String {
    if lang == Lang::Zh {
        let zh = rmqsim::presets::all()
            .iter()
            .find(|p| p.summary == text)
            .and_then(|p| SUMMARIES.iter().find(|(name, _)| *name == p.name))
            .map(|(_, zh)| *zh);
        if let Some(zh) = zh {
            return zh.to_string();
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::{summary, SUMMARIES};
    use crate::i18n::Lang;

    #[test]
    fn every_preset_has_a_chinese_summary() {
        for p in rmqsim::presets::all() {
            assert!(SUMMARIES.iter().any(|(name, _)| *name == p.name), "preset {} has no Chinese summary", p.name);
            assert_ne!(summary(Lang::Zh, p.summary), p.summary, "{}", p.name);
            assert_eq!(summary(Lang::En, p.summary), p.summary);
        }
        for (name, _) in SUMMARIES {
            assert!(rmqsim::presets::find(name).is_some(), "{name} is not a preset");
        }
    }

    #[test]
    fn other_text_is_shown_as_it_is() {
        assert_eq!(summary(Lang::Zh, "my own scenario"), "my own scenario");
    }
}
