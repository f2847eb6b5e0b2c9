//! Broker rules (design/rocketmq-reference.md §2.6, §3, §4): the SendStatus a
//! broker answers (FLUSH_DISK_TIMEOUT, FLUSH_SLAVE_TIMEOUT,
//! SLAVE_NOT_AVAILABLE) and how each client flavor reacts to it, the store's
//! own size check, and delay levels through SCHEDULE_TOPIC_XXXX.
//! Latency is fixed at 1 ms wherever times are asserted exactly.

mod common;

use common::*;

/// broker-a is special (see `$A`), broker-b is a plain ASYNC_MASTER; TopicTest has 2 queues on each.
const STATUS: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "30s", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a", $A }, { "name": "broker-b" } ], "broker_conf": "$CONF" },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "actions": [ $FAULT, { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" } ]
}"#;

fn status_run(client: &str, a: &str, conf: &str, fault: &str) -> Run {
    run(&STATUS.replace("$CLIENT", client).replace("$A", a).replace("$CONF", conf).replace("$FAULT", fault))
}

const SLOW_DISK: (&str, &str, &str) = (
    r#""flush": "SYNC_FLUSH""#,
    "syncFlushTimeout=1000",
    r#"{ "at": "4s", "do": "slow_disk", "node": "broker-a", "delay": "2s" }"#,
);
const SLOW_SLAVE: (&str, &str, &str) = (
    r#""role": "SYNC_MASTER", "slave": true"#,
    "slaveTimeout=1000",
    r#"{ "at": "4s", "do": "slow_slave", "node": "broker-a", "delay": "1500ms" }"#,
);
const SLAVE_DOWN: (&str, &str, &str) =
    (r#""role": "SYNC_MASTER", "slave": true"#, "", r#"{ "at": "4s", "do": "slave_down", "node": "broker-a" }"#);

/// java4 returns a non-OK status as is (§2.2 step 4); the message is stored once.
fn assert_java4_returns(r: &Run, status: &str, at: u64) {
    let result = r.one_for_msg("send_result", 1);
    assert_eq!(
        (result.t, result.str("status"), result.str("queue")),
        (at, Some(status), Some("broker-a:TopicTest:0")),
        "{}",
        r.story(1)
    );
    assert_eq!(result.u("queue_offset"), Some(0));
    assert_eq!(r.for_msg("send_attempt", 1).len(), 1);
    assert_eq!(strs(&r.for_msg("stored", 1), "queue"), vec!["broker-a:TopicTest:0"]);
}

/// python-cpp retries every non-OK status on the other broker (§2.3, §11.1): a duplicate is stored.
fn assert_python_cpp_duplicates(r: &Run, non_ok_reply_at: u64) {
    let attempts = r.for_msg("send_attempt", 1);
    assert_eq!(times(&attempts), vec![5002, non_ok_reply_at], "{}", r.story(1));
    assert_eq!(strs(&attempts, "queue"), vec!["broker-a:TopicTest:0", "broker-b:TopicTest:0"]);
    // C++ makes a new msgId per attempt, so the duplicate carries a different msg id.
    assert_ne!(attempts[0].str("msg_id"), attempts[1].str("msg_id"));
    let result = r.one_for_msg("send_result", 1);
    assert_eq!(
        (result.t, result.str("status"), result.str("queue")),
        (non_ok_reply_at + 2, Some("SEND_OK"), Some("broker-b:TopicTest:0"))
    );
    assert_eq!(result.u("attempts"), Some(2));
    assert_eq!(strs(&r.for_msg("stored", 1), "queue"), vec!["broker-a:TopicTest:0", "broker-b:TopicTest:0"]);
}

#[test]
fn sync_flush_with_a_slow_disk_answers_flush_disk_timeout() {
    let (a, conf, fault) = SLOW_DISK;
    // Stored at 5003; the flush needs 2 s but syncFlushTimeout is 1 s: FLUSH_DISK_TIMEOUT at 6003.
    assert_java4_returns(&status_run("java4", a, conf, fault), "FLUSH_DISK_TIMEOUT", 6004);
    assert_python_cpp_duplicates(&status_run("python-cpp", a, conf, fault), 6004);
}

#[test]
fn sync_master_with_a_slow_slave_answers_flush_slave_timeout() {
    let (a, conf, fault) = SLOW_SLAVE;
    // The slave needs 1.5 s, slaveTimeout is 1 s: FLUSH_SLAVE_TIMEOUT at 6003.
    assert_java4_returns(&status_run("java4", a, conf, fault), "FLUSH_SLAVE_TIMEOUT", 6004);
    assert_python_cpp_duplicates(&status_run("python-cpp", a, conf, fault), 6004);
}

#[test]
fn sync_master_with_its_slave_down_answers_slave_not_available_at_once() {
    let (a, conf, fault) = SLAVE_DOWN;
    // §3.3: "If the slave is not OK, reply SLAVE_NOT_AVAILABLE at once".
    assert_java4_returns(&status_run("java4", a, conf, fault), "SLAVE_NOT_AVAILABLE", 5004);
    assert_python_cpp_duplicates(&status_run("python-cpp", a, conf, fault), 5004);
}

#[test]
fn replication_status_wins_when_flush_and_replication_both_fail() {
    // §2.6: SYNC_FLUSH timing out and SYNC_MASTER without its slave: SLAVE_NOT_AVAILABLE.
    let r = status_run(
        "java4",
        r#""role": "SYNC_MASTER", "flush": "SYNC_FLUSH", "slave": true"#,
        "syncFlushTimeout=1000",
        r#"{ "at": "4s", "do": "slow_disk", "node": "broker-a", "delay": "2s" },
           { "at": "4s", "do": "slave_down", "node": "broker-a" }"#,
    );
    assert_java4_returns(&r, "SLAVE_NOT_AVAILABLE", 6004);
}

#[test]
fn default_sync_flush_timeout_is_longer_than_the_client_timeout_so_the_client_times_out() {
    // §2.6 timing consequence: syncFlushTimeout 5 s > 3 s, so the client sees a timeout.
    let fault = r#"{ "at": "4s", "do": "slow_disk", "node": "broker-a", "delay": "6s" }"#;
    let r = status_run("java4", r#""flush": "SYNC_FLUSH""#, "", fault);
    let failed = r.one_for_msg("send_failed", 1);
    assert_eq!(failed.t, 8000, "{}", r.story(1));
    assert!(failed.str("reason").unwrap_or("").contains("sendDefaultImpl call timeout"), "{}", failed.json());
    assert!(r.all("send_result").is_empty());
    // ... although the message IS stored on broker-a.
    assert_eq!(strs(&r.for_msg("stored", 1), "queue"), vec!["broker-a:TopicTest:0"]);

    let r = status_run("python-cpp", r#""flush": "SYNC_FLUSH""#, "", fault);
    assert_eq!(times(&r.for_msg("send_attempt", 1)), vec![5002, 8002], "{}", r.story(1));
    assert_eq!(r.one_for_msg("send_result", 1).str("queue"), Some("broker-b:TopicTest:0"));
    assert_eq!(r.for_msg("stored", 1).len(), 2, "a duplicate:\n{}", r.story(1));
}

#[test]
fn preset_send_status_slave_not_available() {
    // java4 (the preset's client): [a:0, a:1, b:0, b:1]; broker-a is a SYNC_MASTER whose slave is down.
    let r = run_preset("send-status-slave-not-available");
    let results = r.all("send_result");
    assert_eq!(strs(&results, "status"), vec!["SLAVE_NOT_AVAILABLE", "SLAVE_NOT_AVAILABLE", "SEND_OK", "SEND_OK"]);
    assert_eq!(
        strs(&results, "queue"),
        vec!["broker-a:TopicTest:0", "broker-a:TopicTest:1", "broker-b:TopicTest:0", "broker-b:TopicTest:1"]
    );
    for msg in 1..=4 {
        assert_eq!(r.for_msg("stored", msg).len(), 1, "msg {msg}:\n{}", r.story(msg));
    }

    // python-cpp: each SLAVE_NOT_AVAILABLE is retried on broker-b and stored twice; the caller
    // only ever sees SEND_OK. Counter: msg 1 a:0 → b:0 (counter 3), msg 2 b:1, msg 3 a:0 → b:0, msg 4 b:1.
    let r = run_preset_as("send-status-slave-not-available", "python-cpp");
    let results = r.all("send_result");
    assert_eq!(strs(&results, "status"), vec!["SEND_OK"; 4], "{}", r.dump(&["send_result"]));
    assert_eq!(
        strs(&results, "queue"),
        vec!["broker-b:TopicTest:0", "broker-b:TopicTest:1", "broker-b:TopicTest:0", "broker-b:TopicTest:1"]
    );
    let stored: Vec<usize> = (1..=4).map(|m| r.for_msg("stored", m).len()).collect();
    assert_eq!(stored, vec![2, 1, 2, 1], "{}", r.dump(&["stored"]));
    // The duplicates are real messages: the consumer of the preset receives them all.
    let delivered = r.all("delivered");
    assert_eq!(delivered.len(), 6, "{}", r.dump(&["delivered"]));
    // The two copies of message 1 carry different msg ids (a new UNIQ_KEY per attempt).
    let copies = r.for_msg("delivered", 1);
    assert_eq!(copies.len(), 2);
    assert_ne!(copies[0].str("msg_id"), copies[1].str("msg_id"), "{}", r.story(1));
}

#[test]
fn preset_send_status_flush_disk_timeout() {
    let r = run_preset("send-status-flush-disk-timeout");
    let results = r.all("send_result");
    assert_eq!(
        strs(&results, "status"),
        vec!["FLUSH_DISK_TIMEOUT", "FLUSH_DISK_TIMEOUT", "SEND_OK", "SEND_OK"],
        "{}",
        r.dump(&["send_result"])
    );
    assert_eq!(r.all("stored").len(), 4);

    let r = run_preset_as("send-status-flush-disk-timeout", "python-cpp");
    assert_eq!(strs(&r.all("send_result"), "status"), vec!["SEND_OK"; 4], "{}", r.dump(&["send_result"]));
    let stored: Vec<usize> = (1..=4).map(|m| r.for_msg("stored", m).len()).collect();
    assert_eq!(stored, vec![2, 1, 2, 1], "{}", r.dump(&["stored"]));
}

#[test]
fn preset_send_status_flush_slave_timeout() {
    let r = run_preset("send-status-flush-slave-timeout");
    let results = r.all("send_result");
    assert_eq!(
        strs(&results, "status"),
        vec!["FLUSH_SLAVE_TIMEOUT", "FLUSH_SLAVE_TIMEOUT", "SEND_OK", "SEND_OK"],
        "{}",
        r.dump(&["send_result"])
    );
    assert_eq!(r.all("stored").len(), 4);

    let r = run_preset_as("send-status-flush-slave-timeout", "python-cpp");
    assert_eq!(strs(&r.all("send_result"), "status"), vec!["SEND_OK"; 4], "{}", r.dump(&["send_result"]));
    let stored: Vec<usize> = (1..=4).map(|m| r.for_msg("stored", m).len()).collect();
    assert_eq!(stored, vec![2, 1, 2, 1], "{}", r.dump(&["stored"]));
}

/// One broker with a 4-queue topic.
const ONE_BROKER: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "$UNTIL", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
  "producers": [ { "id": "p1", "group": "test", "max_message_size": 4194304 } ],
  "actions": [ $ACTIONS ]
}"#;

fn one_broker(client: &str, until: &str, actions: &str) -> Run {
    run(&ONE_BROKER.replace("$CLIENT", client).replace("$UNTIL", until).replace("$ACTIONS", actions))
}

#[test]
fn the_store_rejects_a_message_over_4_mib_with_message_illegal() {
    // The body passes the client check (≤ 4 MiB) but the encoded message (header, topic,
    // properties) is larger than the broker's maxMessageSize: MESSAGE_ILLEGAL (13), §2.1 / §3.3.
    let send =
        r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "body_size": 4194304 }"#;
    // Java does not retry MESSAGE_ILLEGAL (not in retryResponseCodes, §2.2 step 4).
    let r = one_broker("java4", "10s", send);
    assert_eq!(nums(&r.for_msg("send_attempt", 1), "attempt"), vec![1], "{}", r.story(1));
    let failed = r.one_for_msg("send_failed", 1);
    assert_eq!(failed.t, 1004);
    assert!(failed.str("reason").unwrap_or("").contains("MESSAGE_ILLEGAL"), "{}", failed.json());
    assert!(r.all("stored").is_empty());
    // C++ retries any broker error; with one broker attempts 2 and 4 are skipped (§2.3).
    let r = one_broker("python-cpp", "10s", send);
    assert_eq!(nums(&r.for_msg("send_attempt", 1), "attempt"), vec![1, 3, 5], "{}", r.story(1));
    assert!(r.one_for_msg("send_failed", 1).str("reason").unwrap_or("").contains("No route info of this topic"));
    assert!(r.all("stored").is_empty());
}

// ------------------------------------------------------------------ delay levels

#[test]
fn preset_delay_tutorial_level_2_is_5s_and_send_result_offset_is_the_schedule_offset() {
    let r = run_preset("delay-tutorial");
    let results = r.all("send_result");
    // §2.6: the client's queue is reported, but queue_offset is the offset in SCHEDULE_TOPIC_XXXX queue 1.
    assert_eq!(
        strs(&results, "queue"),
        vec![
            "broker-a:TopicTest:0",
            "broker-a:TopicTest:1",
            "broker-a:TopicTest:2",
            "broker-a:TopicTest:3",
            "broker-a:TopicTest:0"
        ]
    );
    assert_eq!(nums(&results, "queue_offset"), vec![0, 1, 2, 3, 4], "{}", r.dump(&["send_result"]));
    for msg in 1..=5 {
        let stored = r.for_msg("stored", msg);
        assert_eq!(stored.len(), 2, "parked, then delivered:\n{}", r.story(msg));
        assert_eq!(stored[0].str("queue"), Some("broker-a:SCHEDULE_TOPIC_XXXX:1"), "level 2 → queue level-1");
        assert_eq!(stored[0].u("queue_offset"), Some(msg - 1));
        let scheduled = r.one_for_msg("delay_scheduled", msg);
        assert_eq!(scheduled.u("level"), Some(2));
        let due = scheduled.u("due").expect("due");
        assert_eq!(due, stored[0].t + 5000, "level 2 = 5 s:\n{}", r.story(msg));
        // §4 delivery: 4.9.3+ re-checks every 100 ms, so it lands in [due, due + 100 ms).
        assert!((due..due + 100).contains(&stored[1].t), "msg {msg}:\n{}", r.story(msg));
        let real = results[msg as usize - 1].str("queue").expect("queue");
        assert_eq!(stored[1].str("queue"), Some(real), "back into the queue the producer chose (REAL_QID)");
        let delivered = r.one_for_msg("delivered", msg);
        assert!(delivered.t >= due, "{}", r.story(msg));
        assert_eq!(delivered.str("topic"), Some("TopicTest"));
    }
    // The real queue offsets: TopicTest:0 got messages 1 and 5.
    assert_eq!(r.for_msg("stored", 5)[1].u("queue_offset"), Some(1));
}

const DELAYED: &str = r#"{
  "seed": 1, "until": "$UNTIL", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "actions": [ { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "delay_level": $LEVEL } ]
}"#;

fn delayed(level: i64, until: &str) -> Run {
    run(&DELAYED.replace("$UNTIL", until).replace("$LEVEL", &level.to_string()))
}

#[test]
fn delayed_delivery_lands_on_the_next_100ms_scheduler_tick() {
    // Stored at 1003 (route 1002, 1 ms to the broker). The level timers run from broker
    // start + 1 s every 100 ms, so a message due at 1003 + delay is moved at the next tick.
    for (level, delay_ms) in [(1, 1000), (2, 5000), (3, 10_000), (5, 60_000)] {
        let r = delayed(level, "70s");
        let stored = r.for_msg("stored", 1);
        assert_eq!(times(&stored), vec![1003, 1003 + delay_ms + 97], "level {level}:\n{}", r.story(1));
        assert_eq!(stored[0].str("queue"), Some(&*format!("broker-a:SCHEDULE_TOPIC_XXXX:{}", level - 1)));
        assert_eq!(stored[1].str("queue"), Some("broker-a:TopicTest:0"));
        assert_eq!(r.one_for_msg("delay_scheduled", 1).u("due"), Some(1003 + delay_ms));
    }
}

#[test]
fn a_delay_level_above_18_is_clamped_to_18() {
    let r = delayed(25, "7205s");
    let scheduled = r.one_for_msg("delay_scheduled", 1);
    // §4 on put: levels above maxDelayLevel (18) are clamped: 2 h in queue 17.
    assert_eq!(scheduled.u("level"), Some(18), "{}", r.story(1));
    assert_eq!(scheduled.u("due"), Some(1003 + 7_200_000));
    let stored = r.for_msg("stored", 1);
    assert_eq!(strs(&stored, "queue"), vec!["broker-a:SCHEDULE_TOPIC_XXXX:17", "broker-a:TopicTest:0"]);
    assert_eq!(stored[1].t, 7_201_100);
}

#[test]
fn delay_level_0_is_stored_at_once() {
    let r = delayed(0, "10s");
    assert!(r.for_msg("delay_scheduled", 1).is_empty(), "{}", r.story(1));
    let stored = r.for_msg("stored", 1);
    assert_eq!(times(&stored), vec![1003]);
    assert_eq!(strs(&stored, "queue"), vec!["broker-a:TopicTest:0"]);
    assert_eq!(r.one_for_msg("send_result", 1).u("queue_offset"), Some(0));
}

#[test]
fn delay_offsets_persist_every_10s_so_a_crash_redelivers_what_moved_since() {
    // Level 1 (1 s): parked at 1003, moved to TopicTest at the 2100 tick. delayOffset.json is
    // written every 10 s (first at 10 s), so a restart at 5 s forgets the move and the
    // restarted scheduler (first run 1 s after start) moves the message again (§4, §11.5).
    let json = DELAYED
        .replace("$UNTIL", "30s")
        .replace("$LEVEL", "1")
        .replace(r#"{ "at": "1s","#, r#"{ "at": "$RESTART", "do": "restart", "node": "broker-a" }, { "at": "1s","#);
    let r = run(&json.replace("$RESTART", "5s"));
    let stored = r.for_msg("stored", 1);
    assert_eq!(times(&stored), vec![1003, 2100, 6000], "{}", r.story(1));
    assert_eq!(
        strs(&stored, "queue"),
        vec!["broker-a:SCHEDULE_TOPIC_XXXX:0", "broker-a:TopicTest:0", "broker-a:TopicTest:0"]
    );
    assert_eq!(nums(&stored, "queue_offset"), vec![0, 0, 1], "a duplicate in the real queue");
    // After the 10 s persist the move is remembered: no duplicate.
    let r = run(&json.replace("$RESTART", "12s"));
    assert_eq!(times(&r.for_msg("stored", 1)), vec![1003, 2100], "{}", r.story(1));
}

#[test]
fn java4_with_retry_another_broker_when_not_store_ok_retries_and_returns_the_last_result() {
    // §2.2 step 4: with the flag, a non-OK status is retried on another broker.
    let (a, conf, fault) = SLAVE_DOWN;
    let json = STATUS.replace("$CLIENT", "java4").replace("$A", a).replace("$CONF", conf).replace("$FAULT", fault);
    let flagged =
        json.replace(r#""group": "test" }"#, r#""group": "test", "retry_another_broker_when_not_store_ok": true }"#);
    let r = run(&flagged);
    assert_eq!(
        strs(&r.for_msg("send_attempt", 1), "queue"),
        vec!["broker-a:TopicTest:0", "broker-b:TopicTest:0"],
        "{}",
        r.story(1)
    );
    assert_eq!(r.one_for_msg("send_result", 1).str("status"), Some("SEND_OK"));
    assert_eq!(r.for_msg("stored", 1).len(), 2, "the first copy stays: a duplicate");

    // Both brokers SYNC_MASTER without their slave: every attempt is non-OK, and the last
    // result is returned (not an exception).
    let both = flagged
        .replace(r#"{ "name": "broker-b" }"#, r#"{ "name": "broker-b", "role": "SYNC_MASTER", "slave": true }"#)
        .replace(fault, r#"{ "at": "4s", "do": "slave_down", "node": "broker-a" }, { "at": "4s", "do": "slave_down", "node": "broker-b" }"#);
    let r = run(&both);
    let attempts = r.for_msg("send_attempt", 1);
    // Java's selectOneMessageQueue(lastBroker): a:0, then b:0 (skipping a:1), then a:0 (skipping b:1).
    assert_eq!(
        strs(&attempts, "queue"),
        vec!["broker-a:TopicTest:0", "broker-b:TopicTest:0", "broker-a:TopicTest:0"],
        "{}",
        r.story(1)
    );
    let result = r.one_for_msg("send_result", 1);
    assert_eq!(
        (result.str("status"), result.str("queue")),
        (Some("SLAVE_NOT_AVAILABLE"), Some("broker-a:TopicTest:0"))
    );
    assert_eq!(r.for_msg("stored", 1).len(), 3);
    assert!(r.all("send_failed").is_empty());
}

#[test]
fn offset_msg_id_is_store_host_port_and_commit_log_offset() {
    let r = run_preset("tutorial-basic");
    // §2.6: offsetMsgId = store host IPv4 (4 bytes) + port (4) + CommitLog offset (8), in hex;
    // the tutorial's broker is brokerIP1=192.168.2.57, listenPort 10911.
    for result in r.all("send_result") {
        let msg = result.u("msg").expect("msg");
        let stored = r.one_for_msg("stored", msg);
        let expected = format!("C0A80239{:08X}{:016X}", 10911, stored.u("commitlog_offset").expect("offset"));
        assert_eq!(result.str("offset_msg_id"), Some(expected.as_str()), "{}", r.story(msg));
        // msgId (UNIQ_KEY): 16 bytes as 32 upper-case hex characters.
        let id = result.str("msg_id").expect("msg_id");
        assert!(id.len() == 32 && id.chars().all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)), "{id}");
    }
}

#[test]
fn flush_and_replication_are_awaited_together() {
    // §2.6 CommitLog.handleDiskFlushAndHA submits the flush request and the replica request
    // together and combines them: with both too slow (flush 2 s > 1 s, slave 1.5 s > 1 s) the
    // answer comes when both have timed out, at 5003 + 1000, and the replica status wins.
    let r = status_run(
        "java4",
        r#""role": "SYNC_MASTER", "flush": "SYNC_FLUSH", "slave": true"#,
        "syncFlushTimeout=1000\\nslaveTimeout=1000",
        r#"{ "at": "4s", "do": "slow_disk", "node": "broker-a", "delay": "2s" },
           { "at": "4s", "do": "slow_slave", "node": "broker-a", "delay": "1500ms" }"#,
    );
    assert_java4_returns(&r, "FLUSH_SLAVE_TIMEOUT", 6004);
}
