//! Transaction messages (design/rocketmq-reference.md §8, §2.6, §4): the half
//! message in `RMQ_SYS_TRANS_HALF_TOPIC` queue 0, the local transaction, the
//! oneway END_TRANSACTION, commit and rollback with their op record in
//! `RMQ_SYS_TRANS_OP_HALF_TOPIC`, the broker's check-back ticks (every
//! `transactionCheckInterval` from broker start, only for messages older than
//! `transactionTimeOut`, at most `transactionCheckMax` times, then
//! `TRANS_CHECK_MAX_TIME_TOPIC`), checks nobody can answer, and the Java
//! client clearing the delay level. Latency is fixed at 1 ms, so a request
//! and its reply take 2 ms and every time below is exact.

mod common;

use common::*;

const HALF: &str = "broker-a:RMQ_SYS_TRANS_HALF_TOPIC:0";
const OP: &str = "broker-a:RMQ_SYS_TRANS_OP_HALF_TOPIC:0";
const CHECK_MAX: &str = "broker-a:TRANS_CHECK_MAX_TIME_TOPIC:0";

/// One broker (`$CONF` is its broker.conf), topic OrderPaid with `$QUEUES` queues, producer p1
/// of group txn-group (`$PRODUCER` adds fields), consumer c1 of group g1.
const TXN: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "$UNTIL", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ], "broker_conf": "$CONF" },
  "topics": [ { "name": "OrderPaid", "write_queues": $QUEUES } ],
  "producers": [ { "id": "p1", "group": "txn-group"$PRODUCER } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "OrderPaid" } ] } ],
  "actions": [ $ACTIONS ]
}"#;

/// A scenario built from [`TXN`].
struct Txn<'a> {
    client: &'a str,
    until: &'a str,
    conf: &'a str,
    queues: u32,
    producer: &'a str,
    actions: &'a str,
}

impl<'a> Txn<'a> {
    fn new(client: &'a str, until: &'a str, actions: &'a str) -> Txn<'a> {
        Txn { client, until, conf: "", queues: 2, producer: "", actions }
    }

    fn json(&self) -> String {
        TXN.replace("$CLIENT", self.client)
            .replace("$UNTIL", self.until)
            .replace("$CONF", self.conf)
            .replace("$QUEUES", &self.queues.to_string())
            .replace("$PRODUCER", self.producer)
            .replace("$ACTIONS", self.actions)
    }

    fn run(&self) -> Run {
        run(&self.json())
    }
}

/// A transactional send of one message at `at` whose local transaction answers `local`.
fn txn_send(at: &str, local: &str, extra: &str) -> String {
    format!(
        r#"{{ "at": "{at}", "do": "send", "producer": "p1", "mode": "transaction", "topic": "OrderPaid", "local_result": "{local}"{extra} }}"#
    )
}

/// A plain send at 1 s (message 1): afterwards p1 knows broker-a, so its next periodic heartbeat
/// (30 010 ms python-cpp, 31 000 ms java4, §1.4) registers it as a producer of txn-group; until
/// then the broker has no channel to send a check to.
const WARM_UP: &str = r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "OrderPaid" }"#;

/// Where and when a message was stored, as `(t, queue)` pairs.
fn stores(r: &Run, msg: u64) -> Vec<(u64, String)> {
    r.for_msg("stored", msg).iter().map(|s| (s.t, s.str("queue").unwrap_or("").to_string())).collect()
}

fn at(t: u64, queue: &str) -> (u64, String) {
    (t, queue.to_string())
}

/// The broker's check ticks: every `interval` ms from broker start (t = 0).
fn ticks(interval: u64, first: u64, n: u64) -> Vec<u64> {
    (0..n).map(|k| (first + k) * interval).collect()
}

// ------------------------------------------------------------------ commit and rollback

#[test]
fn commit_half_message_is_invisible_until_end_transaction_then_stored_in_the_real_topic() {
    for client in FLAVORS {
        let r = Txn::new(client, "3m", &txn_send("4s", "COMMIT_MESSAGE", "")).run();
        // The first send looks the route up (4000 → 4002), the attempt at 4002 stores the half
        // message at 4003 in RMQ_SYS_TRANS_HALF_TOPIC queue 0 (§8), the reply is back at 4004,
        // the local transaction runs at once, END_TRANSACTION (oneway) reaches the broker at
        // 4005, which writes the real message and the op record.
        assert_eq!(
            stores(&r, 1),
            vec![at(4003, HALF), at(4005, "broker-a:OrderPaid:0"), at(4005, OP)],
            "{client}:\n{}",
            r.story(1)
        );
        let result = r.one_for_msg("send_result", 1);
        assert_eq!((result.t, result.str("status")), (4004, Some("SEND_OK")), "{client}");
        // SendResult names the queue the client chose; its offset is the half queue's (§2.6).
        assert_eq!(result.str("queue"), Some("broker-a:OrderPaid:0"));
        assert_eq!(result.u("queue_offset"), Some(0));

        let local = r.one_for_msg("txn_local", 1);
        assert_eq!((local.t, local.str("state"), local.str("producer")), (4004, Some("COMMIT_MESSAGE"), Some("p1")));
        let end = r.one_for_msg("txn_end", 1);
        assert_eq!((end.t, end.str("state"), end.str("group")), (4005, Some("COMMIT_MESSAGE"), Some("txn-group")));

        // Consumers never see the half topic; the real message arrives after the commit.
        let delivered = r.one_for_msg("delivered", 1);
        assert_eq!((delivered.t, delivered.str("queue")), (4006, Some("broker-a:OrderPaid:0")), "{client}");
        assert_eq!(delivered.u("queue_offset"), Some(0));
        assert!(r.all("delivered").iter().all(|d| !d.str("queue").unwrap_or("").contains("RMQ_SYS")));

        // The op record (tag "d", body = the half offset) resolves it: no check at the 60 s ticks.
        let op = r.for_msg("stored", 1).into_iter().find(|s| s.str("queue") == Some(OP)).expect("op record");
        assert!(op.str("why").unwrap_or("").contains("half offset 0"), "{}", op.json());
        assert!(r.all("txn_check").is_empty(), "{client}:\n{}", r.dump(&["txn_check"]));
        assert!(r.all("txn_check_unanswered").is_empty() && r.all("txn_discarded").is_empty());
    }
}

#[test]
fn rollback_writes_only_the_op_record_and_the_message_is_never_delivered() {
    for client in FLAVORS {
        let r = Txn::new(client, "3m", &txn_send("4s", "ROLLBACK_MESSAGE", "")).run();
        // §8 ROLLBACK: the op message only, in RMQ_SYS_TRANS_OP_HALF_TOPIC; never the real topic.
        assert_eq!(stores(&r, 1), vec![at(4003, HALF), at(4005, OP)], "{client}:\n{}", r.story(1));
        assert_eq!(r.one_for_msg("txn_local", 1).str("state"), Some("ROLLBACK_MESSAGE"));
        let end = r.one_for_msg("txn_end", 1);
        assert_eq!((end.t, end.str("state")), (4005, Some("ROLLBACK_MESSAGE")));
        assert!(r.for_msg("delivered", 1).is_empty(), "{client}:\n{}", r.story(1));
        // Resolved: the check service skips it at 60 s and 120 s.
        assert!(r.all("txn_check").is_empty(), "{client}");
        assert!(r.all("txn_discarded").is_empty());
    }
}

#[test]
fn send_result_queue_offset_is_the_half_queue_offset_not_the_real_one() {
    for client in FLAVORS {
        // Three plain messages fill OrderPaid:0 offsets 0-2 first; then two transactions.
        let actions = format!(
            r#"{{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "OrderPaid", "count": 3 }},
               {}, {}"#,
            txn_send("4s", "COMMIT_MESSAGE", ""),
            txn_send("5s", "COMMIT_MESSAGE", "")
        );
        let r = Txn { queues: 1, ..Txn::new(client, "10s", &actions) }.run();
        for (msg, half_offset, real_offset) in [(4, 0, 3), (5, 1, 4)] {
            let result = r.one_for_msg("send_result", msg);
            // §2.6: for a transaction half message, queueOffset is the offset in
            // RMQ_SYS_TRANS_HALF_TOPIC queue 0, while the queue is the one the client chose.
            assert_eq!(result.u("queue_offset"), Some(half_offset), "{client}:\n{}", r.story(msg));
            assert_eq!(result.str("queue"), Some("broker-a:OrderPaid:0"));
            let stored = r.for_msg("stored", msg);
            assert_eq!(strs(&stored, "queue")[..2], [HALF, "broker-a:OrderPaid:0"]);
            assert_eq!(nums(&stored, "queue_offset")[..2], [half_offset, real_offset], "{client}:\n{}", r.story(msg));
            // offsetMsgId points at the half message's CommitLog offset (the copy the reply was about).
            let half_log = stored[0].u("commitlog_offset").expect("commitlog_offset");
            let id = result.str("offset_msg_id").unwrap_or("");
            assert!(id.ends_with(&format!("{half_log:016X}")), "{client}: {id} vs {half_log}");
            assert_eq!(r.one_for_msg("delivered", msg).u("queue_offset"), Some(real_offset));
        }
    }
}

// ------------------------------------------------------------------ check-back

#[test]
fn unknown_is_checked_at_each_60s_tick_and_committed_on_the_checkers_answer() {
    for client in FLAVORS {
        let send = txn_send("4s", "UNKNOW", r#", "check_results": ["UNKNOW", "UNKNOW", "COMMIT_MESSAGE"]"#);
        let r = Txn::new(client, "5m", &send).run();
        // UNKNOW: the broker keeps the half message (§8, "UNKNOW: nothing happens").
        let ends = r.for_msg("txn_end", 1);
        assert_eq!(strs(&ends, "state"), vec!["UNKNOW", "UNKNOW", "UNKNOW", "COMMIT_MESSAGE"], "{client}");
        // The check service wakes every 60 s from broker start. At each tick it re-appends a copy
        // to the end of the half queue and asks the group (reaches p1 1 ms later); the answer
        // (oneway END_TRANSACTION) is at the broker 1 ms after that.
        let checks = r.for_msg("txn_check", 1);
        assert_eq!(times(&checks), vec![60_001, 120_001, 180_001], "{client}:\n{}", r.story(1));
        assert_eq!(nums(&checks, "check"), vec![1, 2, 3]);
        // check_results are answered in order.
        assert_eq!(strs(&checks, "state"), vec!["UNKNOW", "UNKNOW", "COMMIT_MESSAGE"]);
        assert_eq!(times(&ends), vec![4005, 60_002, 120_002, 180_002]);
        assert!(ends[1..].iter().all(|e| e.str("why").unwrap_or("").contains("checker")), "{}", lines(ends));
        let stored = r.for_msg("stored", 1);
        assert_eq!(
            stores(&r, 1),
            vec![
                at(4003, HALF),
                at(60_000, HALF),
                at(120_000, HALF),
                at(180_000, HALF),
                at(180_002, "broker-a:OrderPaid:0"),
                at(180_002, OP)
            ],
            "{client}:\n{}",
            r.story(1)
        );
        assert_eq!(nums(&stored, "queue_offset")[..4], [0, 1, 2, 3], "each check appends a copy");
        // Committed on the third answer: delivered then, and never checked again.
        assert_eq!(times(&r.for_msg("delivered", 1)), vec![180_003], "{client}");
    }
}

#[test]
fn the_checker_repeats_its_last_answer() {
    for client in FLAVORS {
        let send = txn_send("4s", "UNKNOW", r#", "check_results": ["UNKNOW", "ROLLBACK_MESSAGE"]"#);
        let r = Txn::new(client, "6m", &send).run();
        let checks = r.for_msg("txn_check", 1);
        // Answered at the second tick (ROLLBACK_MESSAGE); the op record ends the checks.
        assert_eq!(strs(&checks, "state"), vec!["UNKNOW", "ROLLBACK_MESSAGE"], "{client}:\n{}", r.story(1));
        assert!(r.for_msg("delivered", 1).is_empty());

        // With producer-level answers ["UNKNOW"] every check gets UNKNOW.
        let r = Txn {
            producer: r#", "check_results": ["UNKNOW"]"#,
            ..Txn::new(client, "330s", &txn_send("4s", "UNKNOW", ""))
        }
        .run();
        let checks = r.for_msg("txn_check", 1);
        assert_eq!(strs(&checks, "state"), vec!["UNKNOW"; 5], "{client}:\n{}", r.story(1));
        assert_eq!(times(&checks), ticks(60_000, 1, 5).iter().map(|t| t + 1).collect::<Vec<_>>());
    }
}

#[test]
fn preset_transaction_unknown_then_check_commits_at_the_second_tick() {
    let r = run_preset("transaction-unknown-then-check");
    // Default latency (1-3 ms): the copies are appended exactly at the ticks, the rest follows within ms.
    let half: Vec<u64> =
        r.for_msg("stored", 1).iter().filter(|s| s.str("queue") == Some(HALF)).map(|s| s.t).skip(1).collect();
    assert_eq!(half, vec![60_000, 120_000], "{}", r.story(1));
    let checks = r.for_msg("txn_check", 1);
    assert_eq!(strs(&checks, "state"), vec!["UNKNOW", "COMMIT_MESSAGE"], "{}", r.story(1));
    assert!(checks.iter().zip([60_000, 120_000]).all(|(c, tick)| (tick + 1..=tick + 3).contains(&c.t)));
    let delivered = r.one_for_msg("delivered", 1);
    assert!((120_002..120_020).contains(&delivered.t), "{}", r.story(1));
    assert_eq!(delivered.str("queue"), r.one_for_msg("send_result", 1).str("queue"), "the real queue (REAL_QID)");
}

#[test]
fn a_half_message_younger_than_transaction_timeout_waits_for_the_next_tick() {
    for client in FLAVORS {
        // §8 "Too young": at the 60 s tick, message 2 (born 53 s) is 7 s old and is checked;
        // message 3 (born 55 s) is 5 s old, under transactionTimeOut = 6 s: the scan stops there.
        // (Message 1 is the warm-up that makes p1 a known producer of the group by then.)
        let actions = format!("{WARM_UP}, {}, {}", txn_send("53s", "UNKNOW", ""), txn_send("55s", "UNKNOW", ""));
        let r = Txn { producer: r#", "check_results": ["COMMIT_MESSAGE"]"#, ..Txn::new(client, "3m", &actions) }.run();
        assert_eq!(times(&r.for_msg("txn_check", 2)), vec![60_001], "{client}:\n{}", r.story(2));
        assert_eq!(times(&r.for_msg("txn_check", 3)), vec![120_001], "{client}:\n{}", r.story(3));
        assert_eq!(times(&r.for_msg("delivered", 2)), vec![60_003]);
        assert_eq!(times(&r.for_msg("delivered", 3)), vec![120_003]);
    }
}

#[test]
fn fifteen_checks_then_discarded_at_the_16th_tick() {
    for client in FLAVORS {
        let r = Txn {
            queues: 1,
            producer: r#", "check_results": ["UNKNOW"]"#,
            ..Txn::new(client, "20m", &txn_send("4s", "UNKNOW", ""))
        }
        .run();
        // §8: TRANSACTION_CHECK_TIMES is 1 after the first check ... 15 after the 15th; the tick
        // that finds it at 15 (= transactionCheckMax) discards it. Send at 4 s: checks at 60 s,
        // 120 s, ..., 900 s (answered 1 ms later), discard at 960 s.
        let checks = r.for_msg("txn_check", 1);
        let expected: Vec<u64> = ticks(60_000, 1, 15).iter().map(|t| t + 1).collect();
        assert_eq!(times(&checks), expected, "{client}:\n{}", r.story(1));
        assert_eq!(nums(&checks, "check"), (1..=15).collect::<Vec<u64>>());
        assert!(strs(&checks, "state").iter().all(|s| *s == "UNKNOW"));
        let half: Vec<_> = r.for_msg("stored", 1).into_iter().filter(|s| s.str("queue") == Some(HALF)).collect();
        assert_eq!(times(&half)[1..], ticks(60_000, 1, 15)[..], "one copy per check");
        assert_eq!(nums(&half, "queue_offset"), (0..=15).collect::<Vec<u64>>());

        let discarded = r.one_for_msg("txn_discarded", 1);
        assert_eq!((discarded.t, discarded.u("checks")), (960_000, Some(15)), "{client}:\n{}", r.story(1));
        let last = r.for_msg("stored", 1).last().map(|s| (s.t, s.str("queue").unwrap_or("").to_string()));
        assert_eq!(last, Some(at(960_000, CHECK_MAX)), "{client}");
        // Never delivered, never checked again (ticks at 1020 s ... 1200 s find nothing).
        assert!(r.for_msg("delivered", 1).is_empty());
        assert!(r.records.iter().filter(|x| x.u("msg") == Some(1)).all(|x| x.t <= 960_000), "{}", r.story(1));
    }
}

#[test]
fn preset_transaction_check_max_is_checked_15_times_then_discarded() {
    let r = run_preset("transaction-check-max");
    let checks = r.for_msg("txn_check", 1);
    assert_eq!(checks.len(), 15, "{}", r.story(1));
    for (c, tick) in checks.iter().zip(ticks(60_000, 1, 15)) {
        assert!((tick + 1..=tick + 3).contains(&c.t), "check at {} for tick {tick}", c.t);
    }
    assert_eq!(r.one_for_msg("txn_discarded", 1).t, 960_000);
    assert_eq!(r.for_msg("stored", 1).last().and_then(|s| s.str("queue")), Some(CHECK_MAX));
}

#[test]
fn broker_conf_sets_check_interval_timeout_and_max() {
    for client in FLAVORS {
        let conf = r"transactionCheckInterval=10000\ntransactionTimeOut=3000\ntransactionCheckMax=3";
        let r = Txn {
            conf,
            producer: r#", "check_results": ["UNKNOW"]"#,
            ..Txn::new(client, "100s", &format!("{WARM_UP}, {}", txn_send("38s", "UNKNOW", "")))
        }
        .run();
        // Ticks every 10 s from broker start; at 40 s the message (born 38 s) is 2 s old < 3 s:
        // not yet. Checks at 50, 60, 70 s; the 80 s tick finds 3 checks = transactionCheckMax.
        let checks = r.for_msg("txn_check", 2);
        assert_eq!(times(&checks), vec![50_001, 60_001, 70_001], "{client}:\n{}", r.story(2));
        let discarded = r.one_for_msg("txn_discarded", 2);
        assert_eq!((discarded.t, discarded.u("checks")), (80_000, Some(3)), "{client}:\n{}", r.story(2));
        let why = r.for_msg("txn_end", 2)[0].str("why").unwrap_or("").to_string();
        assert!(why.contains("every 10s") && why.contains("3s old") && why.contains("3 times"), "{why}");
    }
}

// ------------------------------------------------------------------ who answers

#[test]
fn a_killed_producer_leaves_the_checks_unanswered_and_they_still_count() {
    for client in FLAVORS {
        // p1 is a known producer of txn-group (warm-up send at 1 s, heartbeat before 32 s).
        let send = txn_send("32s", "UNKNOW", "");
        let conf = r"transactionCheckMax=2";
        // Control: alive, p1 answers each check (UNKNOW by default).
        let alive = Txn { conf, ..Txn::new(client, "4m", &format!("{WARM_UP}, {send}")) }.run();
        assert_eq!(times(&alive.for_msg("txn_check", 2)), vec![60_001, 120_001], "{client}:\n{}", alive.story(2));
        // Killed at 33 s: its connection closes and the broker drops the channel, so each tick
        // appends a copy (the count still goes up) and nobody is asked; then the discard.
        let actions = format!(r#"{WARM_UP}, {send}, {{ "at": "33s", "do": "kill", "node": "p1" }}"#);
        let r = Txn { conf, ..Txn::new(client, "4m", &actions) }.run();
        let unanswered = r.for_msg("txn_check_unanswered", 2);
        assert_eq!(times(&unanswered), vec![60_000, 120_000], "{client}:\n{}", r.story(2));
        assert!(r.for_msg("txn_check", 2).is_empty());
        assert_eq!(r.one_for_msg("txn_discarded", 2).t, 180_000, "{client}:\n{}", r.story(2));
        assert!(r.for_msg("delivered", 2).is_empty());
    }
}

#[test]
fn any_producer_of_the_group_can_answer_the_check() {
    for client in FLAVORS {
        // p1 sends (UNKNOW) and dies at 5 s; p2 of the same group starts at 10 s and sends a plain
        // message at 11 s, so its 30 s heartbeat registers it with broker-a. §8: the check goes to
        // a channel of PGROUP, so p2's checker answers and the message is committed.
        let actions = format!(
            r#"{}, {{ "at": "5s", "do": "kill", "node": "p1" }}, {{ "at": "10s", "do": "start", "node": "p2" }},
               {{ "at": "11s", "do": "send", "producer": "p2", "mode": "sync", "topic": "OrderPaid" }}"#,
            txn_send("4s", "UNKNOW", "")
        );
        let json = Txn::new(client, "2m", &actions).json().replace(
            r#"{ "id": "p1", "group": "txn-group" }"#,
            r#"{ "id": "p1", "group": "txn-group" },
               { "id": "p2", "group": "txn-group", "autostart": false, "check_results": ["COMMIT_MESSAGE"] }"#,
        );
        let r = run(&json);
        let check = r.one_for_msg("txn_check", 1);
        assert_eq!((check.t, check.str("producer"), check.str("state")), (60_001, Some("p2"), Some("COMMIT_MESSAGE")));
        assert_eq!(r.for_msg("txn_end", 1).last().and_then(|e| e.str("producer")), Some("p2"));
        assert_eq!(times(&r.for_msg("delivered", 1)), vec![60_003], "{client}:\n{}", r.story(1));
    }
}

// ------------------------------------------------------------------ delay level

#[test]
fn java4_clears_the_delay_level_of_a_transactional_message() {
    // §4 "Transactions": DefaultMQProducerImpl.sendMessageInTransaction clears the delay level,
    // so the half message is not parked in SCHEDULE_TOPIC_XXXX and the commit is visible at once.
    let r = Txn::new("java4", "30s", &txn_send("5s", "COMMIT_MESSAGE", r#", "delay_level": 3"#)).run();
    assert!(r.for_msg("delay_scheduled", 1).is_empty(), "{}", r.story(1));
    assert_eq!(stores(&r, 1), vec![at(5003, HALF), at(5005, "broker-a:OrderPaid:0"), at(5005, OP)], "{}", r.story(1));
    assert_eq!(times(&r.for_msg("delivered", 1)), vec![5006], "not 10 s later");
}
