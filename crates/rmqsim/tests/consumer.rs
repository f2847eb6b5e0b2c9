//! Push-consumer rules (design/rocketmq-reference.md §5, §6): rebalance and
//! its triggers, tag filtering, broadcasting, where a new group starts, the
//! commit point, duplicates after a crash, and the retry topic / DLQ path,
//! including the C++ client's whole-batch failure. Latency is fixed at 1 ms
//! wherever times are asserted exactly.

mod common;

use common::*;
use std::collections::BTreeSet;

/// The queues a consumer holds for a topic at time `t` (its last `rebalance` at or before `t`).
fn assignment(r: &Run, consumer: &str, topic: &str, t: u64) -> Vec<String> {
    r.with("rebalance", "consumer", consumer)
        .into_iter()
        .rfind(|x| x.str("topic") == Some(topic) && x.t <= t)
        .map(|x| list(x, "queues").iter().map(|q| q.to_string()).collect())
        .unwrap_or_default()
}

/// The set of messages delivered to a consumer (or group, with `key` = "group").
fn delivered_msgs(r: &Run, key: &str, who: &str) -> Vec<u64> {
    nums(&r.with("delivered", key, who), "msg")
}

fn tq(ids: &[u32]) -> Vec<String> {
    ids.iter().map(|i| format!("broker-a:TopicTest:{i}")).collect()
}

// ------------------------------------------------------------------ rebalance

#[test]
fn preset_rebalance_join_leave_allocates_4_queues_averagely() {
    let r = run_preset("rebalance-join-leave");
    // §5.4 AllocateMessageQueueAveragely, client ids sorted as strings (c1 < c2 < c3):
    // 1 consumer: all; 2 consumers: 2/2; 3 consumers: 2/1/1.
    assert_eq!(assignment(&r, "c1", "TopicTest", 19_000), tq(&[0, 1, 2, 3]));
    assert_eq!(assignment(&r, "c1", "TopicTest", 39_000), tq(&[0, 1]));
    assert_eq!(assignment(&r, "c2", "TopicTest", 39_000), tq(&[2, 3]));
    assert_eq!(assignment(&r, "c1", "TopicTest", 69_000), tq(&[0, 1]), "{}", r.dump(&["rebalance"]));
    assert_eq!(assignment(&r, "c2", "TopicTest", 69_000), tq(&[2]));
    assert_eq!(assignment(&r, "c3", "TopicTest", 69_000), tq(&[3]));
    // c2 shuts down at 70 s: 2/2 between c1 and c3; c3 is killed at 90 s: c1 takes all.
    assert_eq!(assignment(&r, "c1", "TopicTest", 89_000), tq(&[0, 1]));
    assert_eq!(assignment(&r, "c3", "TopicTest", 89_000), tq(&[2, 3]));
    assert_eq!(assignment(&r, "c1", "TopicTest", 120_000), tq(&[0, 1, 2, 3]));
    // At-least-once: every one of the 200 messages is delivered.
    let got: BTreeSet<u64> = delivered_msgs(&r, "group", "g1").into_iter().collect();
    assert_eq!(got, (1..=200).collect::<BTreeSet<u64>>());
}

const JOIN_LEAVE: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "60s", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
  "consumers": [
    { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] },
    { "id": "c2", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "autostart": false }
  ],
  "actions": [ { "at": "25s", "do": "start", "node": "c2" }, { "at": "45s", "do": "$LEAVE", "node": "c2" } ]
}"#;

#[test]
fn join_and_leave_rebalance_at_once_through_notify_consumer_ids_changed() {
    for client in FLAVORS {
        for leave in ["shutdown", "kill"] {
            let r = run(&for_client(JOIN_LEAVE, client).replace("$LEAVE", leave));
            let c1: Vec<_> = r
                .with("rebalance", "consumer", "c1")
                .into_iter()
                .filter(|x| x.str("topic") == Some("TopicTest"))
                .collect();
            let c2: Vec<_> = r
                .with("rebalance", "consumer", "c2")
                .into_iter()
                .filter(|x| x.str("topic") == Some("TopicTest"))
                .collect();
            // c2: route at 25 002, heartbeat and consumer-id query reach the broker at 25 003,
            // its answer arrives at 25 004. The broker tells c1 at 25 004 (§5.4 NOTIFY_CONSUMER_IDS_CHANGED);
            // c1 asks for the ids at once and rebalances at 25 006, long before its periodic
            // rebalance (10 s python-cpp, 20 s java4). c2 leaves at 45 s: the broker learns at
            // 45 001 (unregister or closed connection) and c1 rebalances at 45 004.
            assert_eq!(
                times(&c2),
                vec![25_004],
                "{client} {leave}:\n{}",
                r.dump(&["rebalance", "consumer_registered", "consumer_unregistered"])
            );
            assert_eq!(list(c2[0], "queues"), tq(&[2, 3]));
            assert_eq!(
                times(&c1),
                vec![4, 25_006, 45_004],
                "{client} {leave}:\n{}",
                r.dump(&["rebalance", "rebalance_triggered", "consumer_unregistered"])
            );
            assert_eq!(list(c1[0], "queues"), tq(&[0, 1, 2, 3]));
            assert_eq!(list(c1[1], "queues"), tq(&[0, 1]));
            assert_eq!(list(c1[2], "queues"), tq(&[0, 1, 2, 3]));
        }
    }
}

// ------------------------------------------------------------------ filtering and models

#[test]
fn preset_tag_filtering_delivers_only_matching_tags() {
    let r = run_preset("tag-filtering");
    // Messages 1-3 carry TagA, 4-6 TagB, 7-9 TagC (§5.3).
    let mut ac = delivered_msgs(&r, "group", "only-a-c");
    ac.sort();
    assert_eq!(ac, vec![1, 2, 3, 7, 8, 9], "{}", r.dump(&["delivered"]));
    let mut all = delivered_msgs(&r, "group", "everything");
    all.sort();
    assert_eq!(all, (1..=9).collect::<Vec<u64>>());
}

#[test]
fn a_tag_hash_collision_passes_the_broker_but_the_client_filter_drops_it() {
    // "Aa" and "BB" share String.hashCode 2112: the broker's tagsCode filter lets "BB"
    // through, the client's exact tag check drops it, and the offset still advances (§5.3).
    assert_eq!(rmqsim::hashing::java_string_hash("Aa"), rmqsim::hashing::java_string_hash("BB"));
    let r = run(r#"{
      "seed": 1, "until": "12s", "network": { "latency": ["1ms", "1ms"] },
      "cluster": { "brokers": [ { "name": "broker-a" } ] },
      "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
      "producers": [ { "id": "p1", "group": "test" } ],
      "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest", "expression": "Aa" } ] } ],
      "actions": [
        { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 2, "tags": "BB" },
        { "at": "2s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "tags": "Aa" }
      ]
    }"#);
    assert_eq!(delivered_msgs(&r, "consumer", "c1"), vec![3], "{}", r.dump(&["delivered"]));
    let committed: Vec<_> = r
        .with("offset_committed", "consumer", "c1")
        .into_iter()
        .filter(|x| x.str("queue") == Some("broker-a:TopicTest:0"))
        .collect();
    assert_eq!(committed.last().and_then(|x| x.u("offset")), Some(3), "{}", r.dump(&["offset_committed"]));
}

#[test]
fn preset_broadcasting_every_consumer_gets_every_message_and_failures_are_dropped() {
    for client in FLAVORS {
        let r = run_preset_as("broadcasting", client);
        for c in ["c1", "c2", "c3"] {
            // §5.2 BROADCASTING: every consumer takes all queues and sees every message once.
            assert_eq!(assignment(&r, c, "TopicTest", 20_000), tq(&[0, 1]), "{client} {c}");
            let mut got = delivered_msgs(&r, "consumer", c);
            got.sort();
            assert_eq!(got, vec![1, 2, 3, 4], "{client} {c}:\n{}", r.dump(&["delivered"]));
        }
        // c3 fails every message: dropped, never retried, no retry topic involved.
        let dropped = r.with("consume_dropped", "consumer", "c3");
        assert_eq!(dropped.len(), 4, "{client}:\n{}", r.dump(&["consume_dropped", "consumed"]));
        assert!(r.all("retry_scheduled").is_empty(), "{client}");
        assert!(r.all("dead_lettered").is_empty(), "{client}");
        assert!(r.all("stored").iter().all(|s| !s.str("queue").unwrap_or("").contains("%RETRY%")), "{client}");
        assert!(r.all("topic_created").is_empty(), "{client}: no %RETRY%bc:\n{}", r.dump(&["topic_created"]));
    }
}

#[test]
fn a_new_group_on_a_young_topic_consumes_from_offset_0() {
    for client in FLAVORS {
        let r = run_as(
            r#"{
          "seed": 1, "client": "$CLIENT", "until": "10s", "network": { "latency": ["1ms", "1ms"] },
          "cluster": { "brokers": [ { "name": "broker-a" } ] },
          "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
          "producers": [ { "id": "p1", "group": "test" } ],
          "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "autostart": false } ],
          "actions": [
            { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 3 },
            { "at": "5s", "do": "start", "node": "c1" }
          ]
        }"#,
            client,
        );
        // §5.5 broker quirk: no stored offset, minOffset 0 and message 0 in memory → offset 0,
        // even with CONSUME_FROM_LAST_OFFSET: the messages sent before the group existed arrive.
        let from: Vec<_> = r.with("consume_from", "queue", "broker-a:TopicTest:0");
        assert_eq!(nums(&from, "offset"), vec![0], "{client}:\n{}", r.dump(&["consume_from"]));
        assert_eq!(delivered_msgs(&r, "consumer", "c1"), vec![1, 2, 3], "{client}");
        assert_eq!(nums(&r.all("delivered"), "queue_offset"), vec![0, 1, 2]);
    }
}

// ------------------------------------------------------------------ offsets

#[test]
fn the_commit_offset_is_the_smallest_offset_still_in_flight() {
    // One queue, one consume thread, 5 messages stored at ~1 s, each takes `consume_time`.
    // python-cpp persists first at 5 s: messages 0-2 are done, 3 is being consumed, 4 waits → 3.
    // java4 persists first at 10 s; with 3 s per message, 0-1 are done and 2 is in flight → 2.
    for (client, consume, first_persist, in_flight) in [("python-cpp", "1s", 5000, 3), ("java4", "3s", 10_000, 2)] {
        let r = run(&for_client(
            r#"{
          "seed": 1, "client": "$CLIENT", "until": "30s", "network": { "latency": ["1ms", "1ms"] },
          "cluster": { "brokers": [ { "name": "broker-a" } ] },
          "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
          "producers": [ { "id": "p1", "group": "test" } ],
          "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ],
                           "consume_threads": 1, "behavior": { "consume_time": "$CONSUME" } } ],
          "actions": [ { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 5 } ]
        }"#,
            client,
        )
        .replace("$CONSUME", consume));
        let committed: Vec<_> = r
            .with("offset_committed", "consumer", "c1")
            .into_iter()
            .filter(|x| x.str("queue") == Some("broker-a:TopicTest:0"))
            .collect();
        let first = committed
            .iter()
            .find(|x| x.t == first_persist)
            .unwrap_or_else(|| panic!("{client}: no commit at {first_persist}:\n{}", lines(committed.iter().copied())));
        assert_eq!(first.u("offset"), Some(in_flight), "{client}: §5.5 ProcessQueue.removeMessage");
        // Once everything is consumed the commit point is maxOffsetPulled + 1.
        assert_eq!(committed.last().and_then(|x| x.u("offset")), Some(5), "{client}");
    }
}

#[test]
fn preset_duplicates_after_crash_the_next_owner_resumes_from_the_last_committed_offset() {
    let r = run_preset("duplicates-after-crash");
    let c1_commits: Vec<_> = r
        .with("offset_committed", "consumer", "c1")
        .into_iter()
        .filter(|x| x.str("queue") == Some("broker-a:TopicTest:0") && x.t < 7000)
        .collect();
    let last_commit = c1_commits.last().and_then(|x| x.u("offset")).expect("c1 committed before it died");
    // §5.5 at-least-once: the new owner starts from the offset the broker has.
    let from: Vec<_> = r
        .with("consume_from", "consumer", "c2")
        .into_iter()
        .filter(|x| x.str("queue") == Some("broker-a:TopicTest:0"))
        .collect();
    assert_eq!(nums(&from, "offset"), vec![last_commit], "{}", r.dump(&["consume_from", "offset_committed"]));
    let c1: BTreeSet<u64> = r
        .with("delivered", "consumer", "c1")
        .iter()
        .filter(|x| x.u("queue_offset").unwrap_or(0) >= last_commit)
        .map(|x| x.u("msg").unwrap_or(0))
        .collect();
    let c2: BTreeSet<u64> = delivered_msgs(&r, "consumer", "c2").into_iter().collect();
    let both: BTreeSet<u64> = c1.intersection(&c2).copied().collect();
    assert!(!both.is_empty(), "some message is delivered to two consumers");
    assert_eq!(both, c1, "everything c1 got after its last commit is delivered again");
    // And nothing is lost.
    let all: BTreeSet<u64> = delivered_msgs(&r, "group", "g1").into_iter().collect();
    assert_eq!(all, (1..=20).collect::<BTreeSet<u64>>());
}

// ------------------------------------------------------------------ retry and DLQ

const FAILING: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "$UNTIL", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "behavior": $BEHAVIOR } ],
  "actions": [ { "at": "25s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "keys": "k" } ]
}"#;

fn failing(client: &str, until: &str, behavior: &str) -> Run {
    run(&FAILING.replace("$CLIENT", client).replace("$UNTIL", until).replace("$BEHAVIOR", behavior))
}

/// The delay of level `l` in ms (the default messageDelayLevel, §4).
fn level_ms(l: u64) -> u64 {
    const S: [u64; 18] = [1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200];
    S[l as usize - 1] * 1000
}

#[test]
fn reconsume_later_sends_the_message_back_with_delay_level_3_plus_reconsume_times() {
    for client in FLAVORS {
        let r = failing(client, "2m", r#"{ "result": "CONSUME_SUCCESS", "fail_times": 2 }"#);
        let delivered = r.for_msg("delivered", 1);
        let consumed = r.for_msg("consumed", 1);
        assert_eq!(nums(&delivered, "reconsume_times"), vec![0, 1, 2], "{client}:\n{}", r.story(1));
        assert_eq!(strs(&consumed, "result"), vec!["RECONSUME_LATER", "RECONSUME_LATER", "CONSUME_SUCCESS"]);
        // The listener sees the original topic every time (§6.2 resetRetryTopic).
        assert_eq!(strs(&delivered, "topic"), vec!["TopicTest"; 3]);
        assert_eq!(strs(&delivered, "queue")[1..], ["broker-a:%RETRY%g1:0", "broker-a:%RETRY%g1:0"]);
        // Same msg id (UNIQ_KEY) on every redelivery.
        assert!(strs(&delivered, "msg_id").windows(2).all(|w| w[0] == w[1]));
        let retries = r.for_msg("retry_scheduled", 1);
        // §6.2: delayLevel 0 from the client → 3 + msg.reconsumeTimes: 10 s, then 30 s.
        assert_eq!(nums(&retries, "delay_level"), vec![3, 4], "{client}");
        assert_eq!(nums(&retries, "reconsume_times"), vec![1, 2], "the copy carries reconsumeTimes + 1");
        for k in 0..2 {
            // The send-back reaches the broker 1 ms after the listener returns.
            assert_eq!(retries[k].t, consumed[k].t + 1, "{client}:\n{}", r.story(1));
            let due = retries[k].t + level_ms(3 + k as u64);
            // §4: moved back at the next 100 ms tick, then pulled (1 ms).
            assert!((due..due + 100 + 1).contains(&delivered[k + 1].t), "{client} retry {k}:\n{}", r.story(1));
        }
        assert!(r.all("dead_lettered").is_empty());
    }
}

#[test]
fn sixteen_retries_then_the_dlq_at_first_delivery_plus_17140s() {
    let r = failing("python-cpp", "5h", r#"{ "result": "RECONSUME_LATER" }"#);
    assert_retry_schedule_to_dlq(&r, 1, 2);
}

#[test]
fn preset_retry_to_dlq() {
    let r = run_preset("retry-to-dlq");
    assert_retry_schedule_to_dlq(&r, 1, 6);
}

/// §6.2's table: 17 deliveries (reconsumeTimes 0..=16) at levels 3..=18, then %DLQ%g1.
/// `slack` covers network latency around each step (send-back plus pull).
fn assert_retry_schedule_to_dlq(r: &Run, msg: u64, slack: u64) {
    let delivered = r.for_msg("delivered", msg);
    let consumed = r.for_msg("consumed", msg);
    let retries = r.for_msg("retry_scheduled", msg);
    assert_eq!(nums(&delivered, "reconsume_times"), (0..=16).collect::<Vec<u64>>(), "{}", r.story(msg));
    assert_eq!(consumed.len(), 17);
    assert_eq!(nums(&retries, "delay_level"), (3..=18).collect::<Vec<u64>>());
    for k in 0..16 {
        let delay = level_ms(3 + k as u64);
        let earliest = consumed[k].t + delay;
        // Each step: [due, due + 100 ms) plus latency.
        assert!(
            (earliest..earliest + 100 + slack).contains(&delivered[k + 1].t),
            "delivery {} expected {delay} ms after failure {k} at {}:\n{}",
            k + 2,
            consumed[k].t,
            r.story(msg)
        );
    }
    let dead = r.one_for_msg("dead_lettered", msg);
    assert_eq!(dead.str("group"), Some("g1"));
    assert!((consumed[16].t..=consumed[16].t + slack).contains(&dead.t), "{}", r.story(msg));
    // Overall: 17 140 s (4 h 45 m 40 s) after the first delivery, plus at most ~100 ms per step.
    let total = dead.t - delivered[0].t;
    assert!((17_140_000..17_140_000 + 17 * (100 + slack)).contains(&total), "DLQ after {total} ms:\n{}", r.story(msg));
    let stored = r.for_msg("stored", msg);
    assert_eq!(stored.last().and_then(|s| s.str("queue")), Some("broker-a:%DLQ%g1:0"), "{}", r.story(msg));
    assert!(r.for_msg("delivered", msg).iter().all(|d| d.t < dead.t), "never delivered after the DLQ");
}

/// One queue; five messages are stored before the consumer starts, the third one is "poison".
const BATCH: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "40s", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "autostart": false,
                   "behavior": { "fail_keys": "poison", "fail_times": 1 } } ],
  "actions": [
    { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 2, "keys": "ok" },
    { "at": "2s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 1, "keys": "poison" },
    { "at": "3s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 2, "keys": "ok" },
    { "at": "5s", "do": "start", "node": "c1" }
  ]
}"#;

#[test]
fn python_cpp_batch_failure_sends_back_the_whole_pulled_batch() {
    let r = run_as(BATCH, "python-cpp");
    let first: Vec<_> = r.all("delivered").into_iter().filter(|d| d.u("reconsume_times") == Some(0)).collect();
    // §6.4: one pull of 5 messages is one consume request; the callback runs on 1, 2, 3 and
    // stops at the failing 3rd; 4 and 5 are never handed to it in this round.
    assert_eq!(nums(&first, "msg"), vec![1, 2, 3], "{}", r.dump(&["delivered", "consumed"]));
    // The whole request is RECONSUME_LATER: all 5 go back and return with reconsume_times 1.
    let mut sent_back = nums(&r.all("retry_scheduled"), "msg");
    sent_back.sort();
    assert_eq!(sent_back, vec![1, 2, 3, 4, 5], "{}", r.dump(&["retry_scheduled"]));
    let mut again =
        nums(&r.all("delivered").into_iter().filter(|d| d.u("reconsume_times") == Some(1)).collect::<Vec<_>>(), "msg");
    again.sort();
    assert_eq!(again, vec![1, 2, 3, 4, 5]);
    // Messages 1 and 2 succeeded and are delivered again: duplicates.
    for msg in [1, 2] {
        assert_eq!(
            strs(&r.for_msg("consumed", msg), "result"),
            vec!["CONSUME_SUCCESS", "CONSUME_SUCCESS"],
            "{}",
            r.story(msg)
        );
    }
}

#[test]
fn java4_retries_only_the_failing_message() {
    let r = run_as(BATCH, "java4");
    // consumeMessageBatchMaxSize = 1: each message is its own request (§6.4).
    assert_eq!(nums(&r.all("retry_scheduled"), "msg"), vec![3], "{}", r.dump(&["retry_scheduled", "consumed"]));
    for msg in [1, 2, 4, 5] {
        assert_eq!(r.for_msg("delivered", msg).len(), 1, "{}", r.story(msg));
    }
    assert_eq!(nums(&r.for_msg("delivered", 3), "reconsume_times"), vec![0, 1]);
}

/// The message is delivered at 25 004 and fails at 27 004 (2 s consume); from 26 s on,
/// nothing c1 sends reaches broker-a, so the send-back times out.
const SEND_BACK_BLOCKED: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "60s", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ],
                   "behavior": { "fail_times": 1, "consume_time": "2s" } } ],
  "actions": [
    { "at": "25s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" },
    { "at": "26s", "do": "partition", "a": "c1", "b": "broker-a", "oneway": true }
  ]
}"#;

#[test]
fn python_cpp_reconsumes_locally_1s_after_a_failed_send_back() {
    let r = run_as(SEND_BACK_BLOCKED, "python-cpp");
    let delivered = r.for_msg("delivered", 1);
    // §6.2: the C++ send-back times out after 3000 ms (30 004); then reconsumeTimes + 1 and a
    // local re-consume after 1000 ms, from the original queue.
    assert_eq!(times(&delivered), vec![25_004, 31_004], "{}", r.story(1));
    assert_eq!(nums(&delivered, "reconsume_times"), vec![0, 1]);
    assert_eq!(strs(&delivered, "queue"), vec!["broker-a:TopicTest:0"; 2]);
    assert!(r.for_msg("retry_scheduled", 1).is_empty());
}

#[test]
fn java4_tries_its_internal_producer_then_reconsumes_locally_5s_later() {
    let r = run_as(SEND_BACK_BLOCKED, "java4");
    let delivered = r.for_msg("delivered", 1);
    // §6.2 Java: the send-back times out after 5000 ms (32 004); the internal producer then
    // sends the copy to %RETRY%g1 (delay level 3), which is cut off too and uses up its
    // 3000 ms budget (35 004); only then is the message re-consumed locally, 5000 ms later.
    assert_eq!(times(&delivered), vec![25_004, 40_004], "{}", r.story(1));
    assert_eq!(nums(&delivered, "reconsume_times"), vec![0, 1]);
}

#[test]
fn rebalance_runs_every_10s_in_python_cpp_and_every_20s_in_java4() {
    // The group's retry topic appears in the NameServer once the first heartbeat created it;
    // the consumer learns its route at its first poll (3 s / 10 ms) and only the periodic
    // rebalance assigns it (§5.4, §11.6): at 10 s for C++, 20 s for Java (+2 ms for the ids).
    for (client, at) in [("python-cpp", 10_002), ("java4", 20_002)] {
        let r = run_as(
            r#"{
          "seed": 1, "client": "$CLIENT", "until": "30s", "network": { "latency": ["1ms", "1ms"] },
          "cluster": { "brokers": [ { "name": "broker-a" } ] },
          "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
          "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] } ]
        }"#,
            client,
        );
        let retry = r.with("rebalance", "topic", "%RETRY%g1");
        assert_eq!(times(&retry), vec![at], "{client}:\n{}", r.dump(&["rebalance", "route_updated"]));
        assert_eq!(list(retry[0], "queues"), vec!["broker-a:%RETRY%g1:0"]);
    }
}

const SMALL: &str = r#"{
  "seed": 1, "until": "$UNTIL", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": $W, "read_queues": $R } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "consumers": [ $CONSUMERS ],
  "actions": [ $ACTIONS ]
}"#;

fn small(until: &str, w: u32, r: u32, consumers: &str, actions: &str) -> Run {
    run(&SMALL
        .replace("$UNTIL", until)
        .replace("$W", &w.to_string())
        .replace("$R", &r.to_string())
        .replace("$CONSUMERS", consumers)
        .replace("$ACTIONS", actions))
}

#[test]
fn a_message_without_tags_does_not_match_a_tag_list() {
    let r = small(
        "10s",
        1,
        1,
        r#"{ "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest", "expression": "TagA" } ] },
           { "id": "c2", "group": "g2", "subscribe": [ { "topic": "TopicTest", "expression": "" } ] }"#,
        r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" },
           { "at": "2s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "tags": "TagA" }"#,
    );
    // §5.3: tagsCode 0 matches no tag; an empty expression means every message.
    assert_eq!(delivered_msgs(&r, "consumer", "c1"), vec![2], "{}", r.dump(&["delivered"]));
    assert_eq!(delivered_msgs(&r, "consumer", "c2"), vec![1, 2]);
}

#[test]
fn messages_in_queues_at_or_above_read_queue_nums_are_never_consumed() {
    let r = small(
        "20s",
        4,
        2,
        r#"{ "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] }"#,
        r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 4 }"#,
    );
    // §1.2: write 4 > read 2: the producer fills queues 0..3, consumers read queues 0..1 only.
    assert_eq!(strs(&r.all("send_result"), "queue"), tq(&[0, 1, 2, 3]));
    assert_eq!(assignment(&r, "c1", "TopicTest", 20_000), tq(&[0, 1]));
    assert_eq!(delivered_msgs(&r, "consumer", "c1"), vec![1, 2], "{}", r.dump(&["delivered"]));
}

#[test]
fn a_held_pull_is_answered_the_moment_a_message_arrives() {
    // §5.1: the broker holds the pull (up to 15 s) and wakes it when a message is stored.
    let r = small(
        "20s",
        1,
        1,
        r#"{ "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] }"#,
        r#"{ "at": "7s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" }"#,
    );
    let stored = r.one_for_msg("stored", 1);
    assert_eq!(stored.t, 7003);
    assert_eq!(r.one_for_msg("delivered", 1).t, 7004, "{}", r.story(1));
}

#[test]
fn a_silent_consumer_is_expired_120s_after_its_last_heartbeat() {
    // c2's heartbeats reach the broker at 3 ms, 11 ms, 30 011 ms; from 45 s it is cut off.
    // §5.4: expired when lastHeartbeat + 120 s < now, scanned every 10 s (from 10 s):
    // 30 011 + 120 000 = 150 011 → the scan at 160 000. c1's own periodic rebalance (every
    // 10 s from its start) asks for the ids at 160 000 too; the broker, which has just
    // dropped c2, answers at 160 002 and c1 takes every queue.
    let r = small(
        "200s",
        4,
        4,
        r#"{ "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] },
           { "id": "c2", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] }"#,
        r#"{ "at": "45s", "do": "partition", "a": "c2", "b": "broker-a" }"#,
    );
    let gone = r.all("consumer_unregistered");
    assert_eq!(times(&gone), vec![160_000], "{}", r.dump(&["consumer_unregistered", "consumer_registered"]));
    assert_eq!(assignment(&r, "c1", "TopicTest", 159_999), tq(&[0, 1]));
    let last = r
        .with("rebalance", "consumer", "c1")
        .into_iter()
        .rfind(|x| x.str("topic") == Some("TopicTest"))
        .expect("c1 rebalanced");
    assert_eq!((last.t, list(last, "queues")), (160_002, tq(&[0, 1, 2, 3]).iter().map(String::as_str).collect()));
}

// ------------------------------------------------------------------ orderly consumers

/// The queue each message was stored in first (the queue its producer chose).
fn stored_queue(r: &Run, msg: u64) -> String {
    r.for_msg("stored", msg).first().and_then(|s| s.str("queue")).unwrap_or("").to_string()
}

#[test]
fn preset_orderly_by_key_keeps_each_keys_messages_in_one_queue_in_order() {
    let r = run_preset("orderly-by-key");
    // python-cpp over 4 queues: "order-1" → 1, "order-2" → 0, "order-3" → 0 (see tests/producer.rs).
    let msgs: Vec<u64> = nums(&r.all("send_result"), "msg");
    assert_eq!(msgs.len(), 9);
    let on = |q: u32| msgs.iter().filter(|m| stored_queue(&r, **m) == format!("broker-a:OrderTopic:{q}")).count();
    assert_eq!((on(0), on(1), on(2), on(3)), (6, 3, 0, 0), "{}", r.dump(&["send_result"]));
    for q in [0, 1] {
        let queue = format!("broker-a:OrderTopic:{q}");
        let delivered = r.with("delivered", "queue", &queue);
        // §7 orderly: one message at a time per queue, in queue order, each once.
        assert_eq!(
            nums(&delivered, "queue_offset"),
            (0..delivered.len() as u64).collect::<Vec<u64>>(),
            "{}",
            lines(delivered.iter().copied())
        );
        let consumed_at: Vec<u64> =
            delivered.iter().map(|d| r.one_for_msg("consumed", d.u("msg").unwrap_or(0)).t).collect();
        assert!(
            delivered.iter().skip(1).zip(&consumed_at).all(|(next, done)| next.t >= *done),
            "the next starts after the previous one finished"
        );
    }
}

#[test]
fn python_cpp_orderly_retries_a_failing_message_in_place_and_never_dead_letters_it() {
    let r = run_preset("orderly-poison");
    let poison = r.for_msg("delivered", 1);
    // §7 C++ orderly: put back and retried after 1000 ms while reconsumeTimes ≤ 15 (the first
    // 16 failures), then every 5000 ms; each try takes 1 ms of consume time.
    let gaps: Vec<u64> = poison.windows(2).map(|w| w[1].t - w[0].t).collect();
    assert!(gaps.len() >= 20, "{}", r.story(1));
    assert_eq!(gaps[..16], [1001; 16], "{}", r.story(1));
    assert!(gaps[16..].iter().all(|g| *g == 5001), "{gaps:?}");
    assert_eq!(nums(&poison, "reconsume_times"), (0..poison.len() as u64).collect::<Vec<u64>>());
    assert!(poison.iter().all(|d| d.str("queue") == Some("broker-a:OrderTopic:1")));
    assert!(r.all("retry_scheduled").is_empty() && r.all("dead_lettered").is_empty());
    // "order-1" (std::hash % 2 = 1) queues behind the poison and waits; "order-2" (→ 0) flows.
    for msg in 2..=11 {
        let q = stored_queue(&r, msg);
        let delivered = r.for_msg("delivered", msg).len();
        match q.as_str() {
            "broker-a:OrderTopic:1" => assert_eq!(delivered, 0, "msg {msg} is blocked:\n{}", r.story(msg)),
            "broker-a:OrderTopic:0" => assert_eq!(delivered, 1, "msg {msg} flows:\n{}", r.story(msg)),
            other => panic!("msg {msg} in {other}"),
        }
    }
    assert_eq!((2..=11).filter(|m| stored_queue(&r, *m).ends_with(":1")).count(), 5);
}

#[test]
fn java4_orderly_suspends_the_queue_for_1s_per_failure() {
    let r = run_preset_as("orderly-poison", "java4");
    let poison = r.for_msg("delivered", 1);
    // §7 Java: SUSPEND_CURRENT_QUEUE_A_MOMENT → retry the same queue after 1000 ms;
    // maxReconsumeTimes -1 means no limit, so it never leaves the queue.
    let gaps: Vec<u64> = poison.windows(2).map(|w| w[1].t - w[0].t).collect();
    assert!(gaps.len() >= 40, "{}", r.story(1));
    assert!(gaps.iter().all(|g| *g == 1001), "{gaps:?}");
    assert!(strs(&r.for_msg("consumed", 1), "result").iter().all(|s| *s == "SUSPEND_CURRENT_QUEUE_A_MOMENT"));
    assert!(r.all("retry_scheduled").is_empty() && r.all("dead_lettered").is_empty());
}

#[test]
fn java4_allocate_by_circle_deals_queues_round_robin() {
    let r = run(r#"{
      "seed": 1, "client": "java4", "until": "30s", "network": { "latency": ["1ms", "1ms"] },
      "cluster": { "brokers": [ { "name": "broker-a" } ] },
      "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
      "consumers": [
        { "id": "c1", "group": "g1", "allocate": "AVG_BY_CIRCLE", "subscribe": [ { "topic": "TopicTest" } ] },
        { "id": "c2", "group": "g1", "allocate": "AVG_BY_CIRCLE", "subscribe": [ { "topic": "TopicTest" } ] },
        { "id": "c3", "group": "g1", "allocate": "AVG_BY_CIRCLE", "subscribe": [ { "topic": "TopicTest" } ] }
      ]
    }"#);
    // §5.4 AllocateMessageQueueAveragelyByCircle: consumer i gets every queue j ≥ i with j % 3 = i.
    assert_eq!(assignment(&r, "c1", "TopicTest", 30_000), tq(&[0, 3]), "{}", r.dump(&["rebalance"]));
    assert_eq!(assignment(&r, "c2", "TopicTest", 30_000), tq(&[1]));
    assert_eq!(assignment(&r, "c3", "TopicTest", 30_000), tq(&[2]));
}

#[test]
fn java4_max_reconsume_times_sends_to_the_dlq_sooner() {
    // The default (-1 → 16) is covered above; here the consumer sets maxReconsumeTimes = 2.
    let r = run(&FAILING.replace("$CLIENT", "java4").replace("$UNTIL", "2m").replace(
        r#""behavior": $BEHAVIOR"#,
        r#""max_reconsume_times": 2, "behavior": { "result": "RECONSUME_LATER" }"#,
    ));
    // §6.2: reconsumeTimes ≥ max → %DLQ%g1: deliveries with 0, 1, 2, then the DLQ.
    assert_eq!(nums(&r.for_msg("delivered", 1), "reconsume_times"), vec![0, 1, 2], "{}", r.story(1));
    assert_eq!(nums(&r.for_msg("retry_scheduled", 1), "delay_level"), vec![3, 4]);
    let dead = r.one_for_msg("dead_lettered", 1);
    assert_eq!(dead.t, r.for_msg("consumed", 1)[2].t + 1);
}

#[test]
fn a_listener_that_throws_counts_as_reconsume_later() {
    for client in FLAVORS {
        let r = failing(client, "2m", r#"{ "result": "CONSUME_SUCCESS", "fail_times": 1, "fail_with": "throw" }"#);
        // §6.1: an exception is RECONSUME_LATER in both clients.
        assert_eq!(
            strs(&r.for_msg("consumed", 1), "result"),
            vec!["throw", "CONSUME_SUCCESS"],
            "{client}:\n{}",
            r.story(1)
        );
        assert_eq!(nums(&r.for_msg("retry_scheduled", 1), "delay_level"), vec![3], "{client}");
        assert_eq!(nums(&r.for_msg("delivered", 1), "reconsume_times"), vec![0, 1]);
    }
}
