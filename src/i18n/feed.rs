//! One plain-language line per trace record, in Chinese or English, for the
//! event feed. The engine's own `why` is shown beside it (in Chinese through
//! [`super::why`]); this line says *what* happened, built from the record's fields. Unknown
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

/// The line of each plain event: (event, Chinese, English, fields), where
/// `{0}`, `{1}`… stand for the fields' text. One table and [`super::fill`]
/// instead of two `format!`s per event (wasm size).
const LINES: &[(&str, &str, &str, &[&str])] = &[
    ("broker_registered", "{0} 向 {1} 注册", "{0} registers with {1}", &["broker", "nameserver"]),
    ("broker_expired", "{0} 移除了 {1}", "{0} drops {1}", &["nameserver", "broker"]),
    (
        "send_attempt",
        "{0} 发送消息 #{1} 到 {2}（第 {3} 次，{4}）",
        "{0} sends msg #{1} to {2} (attempt {3}, {4})",
        &["producer", "msg", "queue", "attempt", "mode"],
    ),
    (
        "send_result",
        "{0}：消息 #{1} {2}，{3} 位点 {4}",
        "{0}: msg #{1} {2} at {3} offset {4}",
        &["producer", "msg", "status", "queue", "queue_offset"],
    ),
    (
        "send_error",
        "{0}：消息 #{1} 第 {2} 次发送出错：{3}",
        "{0}: msg #{1} attempt {2} failed: {3}",
        &["producer", "msg", "attempt", "reason"],
    ),
    ("send_failed", "{0}：消息 #{1} 发送失败", "{0}: sending msg #{1} failed", &["producer", "msg"]),
    ("send_rejected", "{0} 拒绝了消息 #{1}（code {2}）", "{0} rejects msg #{1} (code {2})", &["broker", "msg", "code"]),
    ("send_skipped", "{0} 未运行，跳过发送", "{0} is not running: send skipped", &["producer"]),
    (
        "callback_lost",
        "{0}：消息 #{1} 的回调永远不会执行",
        "{0}: the callback of msg #{1} will never run",
        &["producer", "msg"],
    ),
    (
        "stored",
        "{0} 存储消息 #{1} 到 {2} 位点 {3}",
        "{0} stores msg #{1} in {2} at offset {3}",
        &["broker", "msg", "queue", "queue_offset"],
    ),
    ("store_status", "{0}：消息 #{1} 存储状态 {2}", "{0}: msg #{1} stored with {2}", &["broker", "msg", "status"]),
    (
        "delay_scheduled",
        "消息 #{0} 进入 SCHEDULE_TOPIC_XXXX，级别 {1}",
        "msg #{0} waits in SCHEDULE_TOPIC_XXXX, level {1}",
        &["msg", "level"],
    ),
    ("topic_created", "{0} 创建 Topic {1}", "{0} creates topic {1}", &["broker", "topic"]),
    ("data_lost", "{0} 丢失了 {1} 条未刷盘的消息", "{0} loses {1} unflushed message(s)", &["broker", "messages"]),
    ("rebalance_triggered", "{0} 开始重平衡", "{0} starts a rebalance", &["consumer"]),
    ("consumer_registered", "{0} 加入消费组 {1}", "{0} joins group {1}", &["client_id", "group"]),
    ("consumer_unregistered", "{0} 离开消费组 {1}", "{0} leaves group {1}", &["client_id", "group"]),
    ("consume_from", "{0} 从位点 {1} 开始消费 {2}", "{0} starts {2} at offset {1}", &["consumer", "offset", "queue"]),
    ("queue_locked", "{0} 锁定 {1}", "{0} locks {1}", &["consumer", "queue"]),
    ("queue_suspended", "{0} 暂停 {1} {2} 毫秒", "{0} suspends {1} for {2} ms", &["consumer", "queue", "wait_ms"]),
    (
        "delivered",
        "{0} 收到消息 #{1}（{2} 位点 {3}）",
        "{0} receives msg #{1} ({2} offset {3})",
        &["consumer", "msg", "queue", "queue_offset"],
    ),
    ("consumed", "{0}：消息 #{1} → {2}", "{0}: msg #{1} → {2}", &["consumer", "msg", "result"]),
    ("consume_dropped", "{0} 丢弃消息 #{1}", "{0} drops msg #{1}", &["consumer", "msg"]),
    ("local_retry", "{0} 在本地重试消息 #{1}", "{0} retries msg #{1} locally", &["consumer", "msg"]),
    ("offset_moved", "{0} 把 {1} 的位点移到 {2}", "{0} moves {1} to offset {2}", &["consumer", "queue", "offset"]),
    (
        "retry_scheduled",
        "消息 #{0} 将第 {1} 次重试（延时级别 {2}）",
        "msg #{0} will be retried (#{1}, delay level {2})",
        &["msg", "reconsume_times", "delay_level"],
    ),
    ("dead_lettered", "消息 #{0} 进入 %DLQ%{1}", "msg #{0} goes to %DLQ%{1}", &["msg", "group"]),
    ("txn_local", "{0}：事务消息 #{1} {2}", "{0}: transaction msg #{1} {2}", &["producer", "msg", "state"]),
    ("txn_check", "{0}：事务消息 #{1} {2}", "{0}: transaction msg #{1} {2}", &["producer", "msg", "state"]),
    ("txn_end", "{0}：事务消息 #{1} {2}", "{0}: transaction msg #{1} {2}", &["producer", "msg", "state"]),
    (
        "txn_check_unanswered",
        "{0}：事务消息 #{1} 的回查没有回应",
        "{0}: the check of transaction msg #{1} went unanswered",
        &["broker", "msg"],
    ),
    ("txn_discarded", "{0} 丢弃事务消息 #{1}", "{0} discards transaction msg #{1}", &["broker", "msg"]),
    ("route_failed", "{0} 查询 {1} 的路由失败", "{0}: the route lookup for {1} failed", &["client", "topic"]),
    (
        "pull_refused",
        "{0} 拉取 {1} 被拒绝（{2}）",
        "{0}: the pull of {1} is refused ({2})",
        &["consumer", "queue", "code"],
    ),
    (
        "subscription_changed",
        "{0}：消费组 {1} 对 {2} 的订阅变为 \"{3}\"",
        "{0}: group {1} now subscribes to {2} with \"{3}\"",
        &["broker", "group", "topic", "expression"],
    ),
    (
        "schedule_discarded",
        "{0} 丢弃到期的延时消息 #{1}：它的真实 Topic 是事务半消息 Topic",
        "{0} discards due delayed msg #{1}: its real topic is the transaction half topic",
        &["broker", "msg"],
    ),
];

/// What a record says happened, in `lang`.
pub fn summary(lang: Lang, rec: &Record) -> String {
    let f = |key: &str| field(rec, key);
    let (zh, en, args) = match rec.event {
        "route_updated" => {
            let n = list_len(rec, "write_queues").max(list_len(rec, "read_queues"));
            (
                "{0} 的 {1} 路由更新（{2} 个队列）",
                "{0} gets a new route for {1} ({2} queues)",
                vec![f("client"), f("topic"), n.to_string()],
            )
        }
        "rebalance" => (
            "{0} 现在负责 {1} 的 {2} 个队列",
            "{0} now owns {2} queue(s) of {1}",
            vec![f("consumer"), f("topic"), list_len(rec, "queues").to_string()],
        ),
        "offset_committed" => {
            let who = rec.str("consumer").or(rec.str("broker")).unwrap_or("?");
            (
                "{0} 提交 {1} 的消费位点 {2}",
                "{0} commits offset {2} for {1}",
                vec![who.to_string(), f("queue"), f("offset")],
            )
        }
        "subscriptions_differ" => {
            let exprs = match rec.get("expressions") {
                Some(Val::List(items)) if !items.is_empty() => {
                    items.iter().map(|e| format!("\"{e}\"")).collect::<Vec<_>>().join(", ")
                }
                _ => "?".to_string(),
            };
            (
                "{0}：消费组 {1} 对 {2} 的订阅关系不一致：{3}",
                "{0}: members of group {1} subscribe to {2} differently: {3}",
                vec![f("broker"), f("group"), f("topic"), exprs],
            )
        }
        "fault" => return fault_summary(lang, rec),
        event => match LINES.iter().find(|line| line.0 == event) {
            Some(&(_, zh, en, keys)) => (zh, en, keys.iter().map(|k| f(k)).collect()),
            None => return event.replace('_', " "),
        },
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    super::fill(if lang == Lang::Zh { zh } else { en }, &args)
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
    fn route_subscription_and_schedule_events_read_as_sentences() {
        let route = Record::new(5, "route_failed").f("client", "p1").f("topic", "T0").f("reason", "x");
        assert_eq!(summary(Lang::En, &route), "p1: the route lookup for T0 failed");
        assert_eq!(summary(Lang::Zh, &route), "p1 查询 T0 的路由失败");
        let refused =
            Record::new(5, "pull_refused").f("consumer", "c1").f("queue", "a:T:0").f("code", "SUBSCRIPTION_NOT_EXIST");
        assert_eq!(summary(Lang::En, &refused), "c1: the pull of a:T:0 is refused (SUBSCRIPTION_NOT_EXIST)");
        assert_eq!(summary(Lang::Zh, &refused), "c1 拉取 a:T:0 被拒绝（SUBSCRIPTION_NOT_EXIST）");
        let changed = Record::new(5, "subscription_changed")
            .f("broker", "broker-a")
            .f("group", "g1")
            .f("topic", "T")
            .f("expression", "TagA")
            .f("client_id", "1.2.3.4@5");
        assert_eq!(summary(Lang::En, &changed), "broker-a: group g1 now subscribes to T with \"TagA\"");
        assert_eq!(summary(Lang::Zh, &changed), "broker-a：消费组 g1 对 T 的订阅变为 \"TagA\"");
        let exprs: Vec<std::rc::Rc<str>> = vec!["*".into(), "TagA".into()];
        let differ = Record::new(5, "subscriptions_differ")
            .f("broker", "broker-a")
            .f("group", "g1")
            .f("topic", "T")
            .f("expressions", exprs);
        assert_eq!(
            summary(Lang::En, &differ),
            "broker-a: members of group g1 subscribe to T differently: \"*\", \"TagA\""
        );
        assert_eq!(summary(Lang::Zh, &differ), "broker-a：消费组 g1 对 T 的订阅关系不一致：\"*\", \"TagA\"");
        let discarded = Record::new(5, "schedule_discarded").f("broker", "broker-a").f("msg", 3u64);
        assert_eq!(
            summary(Lang::En, &discarded),
            "broker-a discards due delayed msg #3: its real topic is the transaction half topic"
        );
        assert_eq!(summary(Lang::Zh, &discarded), "broker-a 丢弃到期的延时消息 #3：它的真实 Topic 是事务半消息 Topic");
    }

    #[test]
    fn unknown_events_fall_back_to_their_name() {
        assert_eq!(summary(Lang::En, &Record::new(1, "brand_new_thing")), "brand new thing");
    }
}
