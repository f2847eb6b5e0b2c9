//! One plain-language line per trace record, in Chinese or English, for the
//! event feed. The engine's own `why` (English) is shown beside it as-is;
//! this line says *what* happened, built from the record's fields. Unknown
//! event kinds fall back to their name, so a new engine event never breaks
//! the feed.

use rmqsim::{Record, Val};

use super::Lang;

/// A field as text ("?" when missing).
fn field(rec: &Record, key: &str) -> String {
    match rec.get(key) {
        Some(Val::S(s)) => s.to_string(),
        Some(Val::U(n)) => n.to_string(),
        Some(Val::I(n)) => n.to_string(),
        Some(Val::B(b)) => b.to_string(),
        Some(Val::List(items)) => items.len().to_string(),
        Some(Val::Null) | None => "?".to_string(),
    }
}

/// The length of a list field (0 when missing).
fn list_len(rec: &Record, key: &str) -> usize {
    match rec.get(key) {
        Some(Val::List(items)) => items.len(),
        _ => 0,
    }
}

/// A fault kind's name.
pub fn fault_name(lang: Lang, kind: &str) -> String {
    let (zh, en) = match kind {
        "kill" => ("进程被杀", "killed"),
        "power_off" => ("断电", "powered off"),
        "restart" => ("重启", "restarted"),
        "shutdown" => ("正常关闭", "shut down"),
        "start" => ("启动", "started"),
        "partition" => ("网络分区", "partitioned"),
        "heal" => ("分区修复", "partitions healed"),
        "set_latency" => ("延迟改变", "latency changed"),
        "set_loss" => ("丢包率改变", "packet loss changed"),
        "hold" => ("报文被扣留", "packets held"),
        "release" => ("报文放行", "packets released"),
        "slow_disk" => ("磁盘变慢", "disk slowed"),
        "slow_slave" => ("从节点变慢", "slave slowed"),
        "slave_down" => ("从节点下线", "slave down"),
        "slave_up" => ("从节点上线", "slave up"),
        other => return other.to_string(),
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// What a record says happened, in `lang`.
pub fn summary(lang: Lang, rec: &Record) -> String {
    let f = |key: &str| field(rec, key);
    let zh = lang == Lang::Zh;
    let pick = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
    match rec.event {
        "broker_registered" => pick(
            format!("{} 向 {} 注册", f("broker"), f("nameserver")),
            format!("{} registers with {}", f("broker"), f("nameserver")),
        ),
        "broker_expired" => pick(
            format!("{} 移除了 {}", f("nameserver"), f("broker")),
            format!("{} drops {}", f("nameserver"), f("broker")),
        ),
        "route_updated" => {
            let n = list_len(rec, "write_queues").max(list_len(rec, "read_queues"));
            pick(
                format!("{} 的 {} 路由更新（{} 个队列）", f("client"), f("topic"), n),
                format!("{} gets a new route for {} ({} queues)", f("client"), f("topic"), n),
            )
        }
        "send_attempt" => pick(
            format!(
                "{} 发送消息 #{} 到 {}（第 {} 次，{}）",
                f("producer"),
                f("msg"),
                f("queue"),
                f("attempt"),
                f("mode")
            ),
            format!(
                "{} sends msg #{} to {} (attempt {}, {})",
                f("producer"),
                f("msg"),
                f("queue"),
                f("attempt"),
                f("mode")
            ),
        ),
        "send_result" => pick(
            format!("{}：消息 #{} {}，{} 位点 {}", f("producer"), f("msg"), f("status"), f("queue"), f("queue_offset")),
            format!(
                "{}: msg #{} {} at {} offset {}",
                f("producer"),
                f("msg"),
                f("status"),
                f("queue"),
                f("queue_offset")
            ),
        ),
        "send_error" => pick(
            format!("{}：消息 #{} 第 {} 次发送出错：{}", f("producer"), f("msg"), f("attempt"), f("reason")),
            format!("{}: msg #{} attempt {} failed: {}", f("producer"), f("msg"), f("attempt"), f("reason")),
        ),
        "send_failed" => pick(
            format!("{}：消息 #{} 发送失败", f("producer"), f("msg")),
            format!("{}: sending msg #{} failed", f("producer"), f("msg")),
        ),
        "send_rejected" => pick(
            format!("{} 拒绝了消息 #{}（code {}）", f("broker"), f("msg"), f("code")),
            format!("{} rejects msg #{} (code {})", f("broker"), f("msg"), f("code")),
        ),
        "send_skipped" => pick(
            format!("{} 未运行，跳过发送", f("producer")),
            format!("{} is not running: send skipped", f("producer")),
        ),
        "callback_lost" => pick(
            format!("{}：消息 #{} 的回调永远不会执行", f("producer"), f("msg")),
            format!("{}: the callback of msg #{} will never run", f("producer"), f("msg")),
        ),
        "stored" => pick(
            format!("{} 存储消息 #{} 到 {} 位点 {}", f("broker"), f("msg"), f("queue"), f("queue_offset")),
            format!("{} stores msg #{} in {} at offset {}", f("broker"), f("msg"), f("queue"), f("queue_offset")),
        ),
        "store_status" => pick(
            format!("{}：消息 #{} 存储状态 {}", f("broker"), f("msg"), f("status")),
            format!("{}: msg #{} stored with {}", f("broker"), f("msg"), f("status")),
        ),
        "delay_scheduled" => pick(
            format!("消息 #{} 进入 SCHEDULE_TOPIC_XXXX，级别 {}", f("msg"), f("level")),
            format!("msg #{} waits in SCHEDULE_TOPIC_XXXX, level {}", f("msg"), f("level")),
        ),
        "topic_created" => pick(
            format!("{} 创建 Topic {}", f("broker"), f("topic")),
            format!("{} creates topic {}", f("broker"), f("topic")),
        ),
        "data_lost" => pick(
            format!("{} 丢失了 {} 条未刷盘的消息", f("broker"), f("messages")),
            format!("{} loses {} unflushed message(s)", f("broker"), f("messages")),
        ),
        "rebalance" => pick(
            format!("{} 现在负责 {} 的 {} 个队列", f("consumer"), f("topic"), list_len(rec, "queues")),
            format!("{} now owns {} queue(s) of {}", f("consumer"), list_len(rec, "queues"), f("topic")),
        ),
        "rebalance_triggered" => {
            pick(format!("{} 开始重平衡", f("consumer")), format!("{} starts a rebalance", f("consumer")))
        }
        "consumer_registered" => pick(
            format!("{} 加入消费组 {}", f("client_id"), f("group")),
            format!("{} joins group {}", f("client_id"), f("group")),
        ),
        "consumer_unregistered" => pick(
            format!("{} 离开消费组 {}", f("client_id"), f("group")),
            format!("{} leaves group {}", f("client_id"), f("group")),
        ),
        "consume_from" => pick(
            format!("{} 从位点 {} 开始消费 {}", f("consumer"), f("offset"), f("queue")),
            format!("{} starts {} at offset {}", f("consumer"), f("queue"), f("offset")),
        ),
        "queue_locked" => {
            pick(format!("{} 锁定 {}", f("consumer"), f("queue")), format!("{} locks {}", f("consumer"), f("queue")))
        }
        "queue_suspended" => pick(
            format!("{} 暂停 {} {} 毫秒", f("consumer"), f("queue"), f("wait_ms")),
            format!("{} suspends {} for {} ms", f("consumer"), f("queue"), f("wait_ms")),
        ),
        "delivered" => pick(
            format!("{} 收到消息 #{}（{} 位点 {}）", f("consumer"), f("msg"), f("queue"), f("queue_offset")),
            format!("{} receives msg #{} ({} offset {})", f("consumer"), f("msg"), f("queue"), f("queue_offset")),
        ),
        "consumed" => pick(
            format!("{}：消息 #{} → {}", f("consumer"), f("msg"), f("result")),
            format!("{}: msg #{} → {}", f("consumer"), f("msg"), f("result")),
        ),
        "consume_dropped" => pick(
            format!("{} 丢弃消息 #{}", f("consumer"), f("msg")),
            format!("{} drops msg #{}", f("consumer"), f("msg")),
        ),
        "local_retry" => pick(
            format!("{} 在本地重试消息 #{}", f("consumer"), f("msg")),
            format!("{} retries msg #{} locally", f("consumer"), f("msg")),
        ),
        "offset_moved" => pick(
            format!("{} 把 {} 的位点移到 {}", f("consumer"), f("queue"), f("offset")),
            format!("{} moves {} to offset {}", f("consumer"), f("queue"), f("offset")),
        ),
        "offset_committed" => {
            let who = rec.str("consumer").or(rec.str("broker")).unwrap_or("?");
            pick(
                format!("{} 提交 {} 的消费位点 {}", who, f("queue"), f("offset")),
                format!("{} commits offset {} for {}", who, f("offset"), f("queue")),
            )
        }
        "retry_scheduled" => pick(
            format!("消息 #{} 将第 {} 次重试（延时级别 {}）", f("msg"), f("reconsume_times"), f("delay_level")),
            format!("msg #{} will be retried (#{}, delay level {})", f("msg"), f("reconsume_times"), f("delay_level")),
        ),
        "dead_lettered" => pick(
            format!("消息 #{} 进入 %DLQ%{}", f("msg"), f("group")),
            format!("msg #{} goes to %DLQ%{}", f("msg"), f("group")),
        ),
        "txn_local" | "txn_check" | "txn_end" => pick(
            format!("{}：事务消息 #{} {}", f("producer"), f("msg"), f("state")),
            format!("{}: transaction msg #{} {}", f("producer"), f("msg"), f("state")),
        ),
        "txn_check_unanswered" => pick(
            format!("{}：事务消息 #{} 的回查没有回应", f("broker"), f("msg")),
            format!("{}: the check of transaction msg #{} went unanswered", f("broker"), f("msg")),
        ),
        "txn_discarded" => pick(
            format!("{} 丢弃事务消息 #{}", f("broker"), f("msg")),
            format!("{} discards transaction msg #{}", f("broker"), f("msg")),
        ),
        "fault" => fault_summary(lang, rec),
        other => other.replace('_', " "),
    }
}

fn fault_summary(lang: Lang, rec: &Record) -> String {
    let kind = rec.str("kind").unwrap_or("?");
    let name = fault_name(lang, kind);
    match (kind, rec.str("node")) {
        ("partition", _) => {
            let (a, b) = (field(rec, "a"), field(rec, "b"));
            let oneway = matches!(rec.get("oneway"), Some(Val::B(true)));
            match (lang, oneway) {
                (Lang::Zh, true) => format!("网络分区：{a} → {b} 单向不通"),
                (Lang::Zh, false) => format!("网络分区：{a} ⇎ {b}"),
                (Lang::En, true) => format!("partition: {a} → {b} cut one way"),
                (Lang::En, false) => format!("partition: {a} ⇎ {b}"),
            }
        }
        (_, Some(node)) => match lang {
            Lang::Zh => format!("故障：{node} {name}"),
            Lang::En => format!("fault: {node} {name}"),
        },
        (_, None) => match lang {
            Lang::Zh => format!("故障：{name}"),
            Lang::En => format!("fault: {name}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmqsim::presets;

    #[test]
    fn every_record_of_every_preset_reads_as_a_sentence() {
        for preset in presets::all() {
            let scenario = preset.scenario().expect("valid");
            let mut sim = rmqsim::Sim::new(scenario, rmqsim::TraceMode::Keep).expect("builds");
            sim.run_until(20_000, 50_000);
            for rec in sim.drain_records() {
                for lang in Lang::ALL {
                    let text = summary(lang, &rec);
                    assert!(!text.is_empty());
                    assert!(!text.contains('?'), "{} lacks a field in {lang:?}: {}", rec.json(), text);
                }
            }
        }
    }

    #[test]
    fn faults_name_their_node_in_both_languages() {
        let kill = Record::new(10, "fault").f("kind", "kill").f("node", "broker-a");
        assert_eq!(summary(Lang::En, &kill), "fault: broker-a killed");
        assert_eq!(summary(Lang::Zh, &kill), "故障：broker-a 进程被杀");
        let cut = Record::new(10, "fault").f("kind", "partition").f("a", "p1").f("b", "broker-a").f("oneway", true);
        assert_eq!(summary(Lang::En, &cut), "partition: p1 → broker-a cut one way");
        let heal = Record::new(10, "fault").f("kind", "heal");
        assert_eq!(summary(Lang::En, &heal), "fault: partitions healed");
    }

    #[test]
    fn unknown_events_fall_back_to_their_name() {
        assert_eq!(summary(Lang::En, &Record::new(1, "brand_new_thing")), "brand new thing");
    }
}
