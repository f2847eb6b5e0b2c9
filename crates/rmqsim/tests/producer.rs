//! Producer rules (design/rocketmq-reference.md §1.4, §2, §7, §11): the
//! publish list and its round robin, route polling, the sync retry rules of
//! each client flavor, async, oneway, message validation and orderly sends.
//! Latency is fixed at 1 ms, so a request and its reply take 2 ms.

mod common;

use common::*;

/// Two brokers declared out of name order, a topic with 2 queues on each.
const TWO_BROKERS: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "$UNTIL", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-b" }, { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "actions": [ $ACTIONS ]
}"#;

fn two_brokers(client: &str, until: &str, actions: &str) -> Run {
    run(&TWO_BROKERS.replace("$CLIENT", client).replace("$UNTIL", until).replace("$ACTIONS", actions))
}

/// One broker, a topic with 4 queues.
const ONE_BROKER: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "$UNTIL", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "actions": [ $ACTIONS ]
}"#;

fn one_broker(client: &str, until: &str, actions: &str) -> Run {
    run(&ONE_BROKER.replace("$CLIENT", client).replace("$UNTIL", until).replace("$ACTIONS", actions))
}

fn qs(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| format!("broker-{n}")).collect()
}

const AB: [&str; 4] = ["a:TopicTest:0", "a:TopicTest:1", "b:TopicTest:0", "b:TopicTest:1"];

// ------------------------------------------------------------------ routing

#[test]
fn publish_list_is_sorted_by_broker_name_and_round_robin_starts_at_index_0() {
    for client in FLAVORS {
        let r = two_brokers(
            client,
            "10s",
            r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 5 }"#,
        );
        let routes = r.with("route_updated", "client", "p1");
        assert_eq!(times(&routes), vec![1002], "{client}");
        // §1.2 producer view: queueDatas sorted by brokerName, queues 0..writeQueueNums-1.
        assert_eq!(list(routes[0], "write_queues"), qs(&AB), "{client}");
        // §2.4: C++ counter starts at 0; Java's seed is fixed so the first pick is index 0.
        let attempts = r.all("send_attempt");
        assert_eq!(
            strs(&attempts, "queue"),
            qs(&["a:TopicTest:0", "a:TopicTest:1", "b:TopicTest:0", "b:TopicTest:1", "a:TopicTest:0"]),
            "{client}"
        );
        let results = r.all("send_result");
        assert_eq!(strs(&results, "status"), vec!["SEND_OK"; 5]);
        assert_eq!(strs(&results, "queue"), strs(&attempts, "queue"));
        // Queue offsets count per queue from 0.
        assert_eq!(nums(&results, "queue_offset"), vec![0, 0, 0, 0, 1]);
    }
}

#[test]
fn publish_list_has_write_queues_only_and_consumers_see_read_queues() {
    let r = run(r#"{
      "seed": 1, "until": "10s", "network": { "latency": ["1ms", "1ms"] },
      "cluster": { "brokers": [ { "name": "broker-a" } ] },
      "topics": [ { "name": "TopicTest", "write_queues": 2, "read_queues": 4 } ],
      "producers": [ { "id": "p1", "group": "test" } ],
      "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] } ],
      "actions": [ { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 3 } ]
    }"#);
    let p = r.with("route_updated", "client", "p1");
    assert_eq!(list(p[0], "write_queues"), vec!["broker-a:TopicTest:0", "broker-a:TopicTest:1"]);
    let c: Vec<_> =
        r.with("route_updated", "client", "c1").into_iter().filter(|x| x.str("topic") == Some("TopicTest")).collect();
    assert_eq!(list(c[0], "read_queues"), (0..4).map(|i| format!("broker-a:TopicTest:{i}")).collect::<Vec<_>>());
    let attempts = r.all("send_attempt");
    assert_eq!(strs(&attempts, "queue"), vec!["broker-a:TopicTest:0", "broker-a:TopicTest:1", "broker-a:TopicTest:0"]);
}

const READ_ONLY_TOPIC: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "20s", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 2, "perm": 4 } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "actions": [ { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" } ]
}"#;

#[test]
fn a_read_only_topic_gives_producers_an_empty_publish_list() {
    for client in FLAVORS {
        let r = run_as(READ_ONLY_TOPIC, client);
        // §1.2: only writeable QueueData (perm & WRITE) contribute queues.
        let routes = r.with("route_updated", "client", "p1");
        assert_eq!(times(&routes), vec![1002], "{client}");
        assert!(list(routes[0], "write_queues").is_empty(), "{client}: {}", routes[0].json());
        assert!(r.all("send_attempt").is_empty(), "{client}:\n{}", r.story(1));
        assert!(r.all("stored").is_empty(), "{client}");
    }
}

#[test]
fn a_send_to_a_topic_without_writeable_queues_fails_with_no_route_info() {
    for client in FLAVORS {
        let r = run_as(READ_ONLY_TOPIC, client);
        // §2.2 (Java: topicPublishInfo.ok() is false → MQClientException "No route info of this
        // topic") and §2.3 (C++: every selection is invalid, so every attempt is skipped and the
        // loop ends with "No route info of this topic"): nothing is sent, the send fails at once.
        assert!(r.all("send_attempt").is_empty(), "{client}:\n{}", r.story(1));
        let failed = r.one_for_msg("send_failed", 1);
        assert!(
            failed.str("reason").unwrap_or("").contains("No route info of this topic: TopicTest"),
            "{client}: {}",
            failed.json()
        );
        assert_eq!(failed.t, 1002, "{client}: fails when the route arrives");
    }
}

#[test]
fn route_poll_first_at_3s_for_python_cpp_and_10ms_for_java4_then_every_30s() {
    // The first send (t = 0) fetches the route (2 ms). broker-b dies at 5 ms and the
    // NameServer drops it at 6 ms; it comes back at 20 s. Only polls pick these up.
    let actions = r#"
      { "at": "0ms", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" },
      { "at": "5ms", "do": "kill", "node": "broker-b" },
      { "at": "20s", "do": "restart", "node": "broker-b" }"#;
    // §1.4: C++ route timer first after 3 s, Java after 10 ms; then every 30 s.
    for (client, expected) in [("python-cpp", vec![2, 3002, 33_002]), ("java4", vec![2, 12, 30_012])] {
        let r = two_brokers(client, "40s", actions);
        let routes = r.with("route_updated", "client", "p1");
        assert_eq!(
            times(&routes),
            expected,
            "{client}:\n{}",
            r.dump(&["route_updated", "broker_expired", "broker_registered"])
        );
        assert_eq!(list(routes[0], "write_queues"), qs(&AB));
        assert_eq!(list(routes[1], "write_queues"), qs(&AB[..2]));
        assert_eq!(list(routes[2], "write_queues"), qs(&AB));
    }
}

#[test]
fn a_rebuilt_route_restarts_the_round_robin_at_index_0() {
    // Messages 1-3 take a:0, a:1, b:0 (counter 3). broker-b dies; after the next poll the
    // list is [a:0, a:1] and message 4 goes to a:0, not to counter 3 % 2 = a:1.
    let actions = r#"
      { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 3 },
      { "at": "2s", "do": "kill", "node": "broker-b" },
      { "at": "35s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" }"#;
    for client in FLAVORS {
        let r = two_brokers(client, "40s", actions);
        let attempts = r.all("send_attempt");
        assert_eq!(
            strs(&attempts, "queue"),
            qs(&["a:TopicTest:0", "a:TopicTest:1", "b:TopicTest:0", "a:TopicTest:0"]),
            "{client}:\n{}",
            r.dump(&["route_updated", "send_attempt"])
        );
    }
}

// ------------------------------------------------------------------ sync send

/// Both brokers silently drop what p1 sends them (one-way partitions); the route still lists them.
const BLACKHOLE_BOTH: &str = r#"
  { "at": "1s", "do": "partition", "a": "p1", "b": "broker-a", "oneway": true },
  { "at": "1s", "do": "partition", "a": "p1", "b": "broker-b", "oneway": true },
  { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" }"#;

#[test]
fn python_cpp_sync_makes_5_attempts_of_3000ms_each_and_skips_the_last_broker() {
    let r = two_brokers("python-cpp", "60s", BLACKHOLE_BOTH);
    let attempts = r.for_msg("send_attempt", 1);
    // §2.3: 5 attempts, each with its own 3000 ms wait; the route arrives at 5002.
    assert_eq!(times(&attempts), vec![5002, 8002, 11_002, 14_002, 17_002], "{}", r.story(1));
    assert_eq!(nums(&attempts, "attempt"), vec![1, 2, 3, 4, 5]);
    // §2.4: a retry scans on from the failed queue to the first queue on another broker.
    assert_eq!(
        strs(&attempts, "queue"),
        qs(&["a:TopicTest:0", "b:TopicTest:0", "a:TopicTest:0", "b:TopicTest:0", "a:TopicTest:0"])
    );
    // §2.3: every attempt gets a fresh msgId (UNIQ_KEY).
    let mut ids = strs(&attempts, "msg_id");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "{}", r.story(1));
    let errors = r.for_msg("send_error", 1);
    assert_eq!(times(&errors), vec![8002, 11_002, 14_002, 17_002, 20_002]);
    // §2.3: released C++ versions always report "No route info of this topic".
    let failed = r.one_for_msg("send_failed", 1);
    assert_eq!(failed.t, 20_002);
    assert!(failed.str("reason").unwrap_or("").contains("No route info of this topic: TopicTest"), "{}", failed.json());
    assert!(r.for_msg("send_result", 1).is_empty());
}

#[test]
fn java4_sync_timeout_uses_the_whole_3000ms_budget_so_there_is_no_retry() {
    for actions in [
        BLACKHOLE_BOTH,
        // Even with a healthy broker-b, the first timeout leaves no budget.
        r#"{ "at": "1s", "do": "partition", "a": "p1", "b": "broker-a", "oneway": true },
           { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" }"#,
    ] {
        let r = two_brokers("java4", "60s", actions);
        let attempts = r.for_msg("send_attempt", 1);
        assert_eq!(times(&attempts), vec![5002], "{}", r.story(1));
        assert_eq!(strs(&attempts, "queue"), vec!["broker-a:TopicTest:0"]);
        // §2.2 step 3/5: the budget started at 5000 (route lookup included): 2998 ms remain
        // for attempt 1, which times out at 8000 with elapsed = 3000 ≥ timeout.
        let failed = r.one_for_msg("send_failed", 1);
        assert_eq!(failed.t, 8000, "{}", r.story(1));
        assert!(failed.str("reason").unwrap_or("").contains("sendDefaultImpl call timeout"), "{}", failed.json());
        assert!(r.all("stored").is_empty());
    }
}

#[test]
fn python_cpp_retries_a_timeout_on_the_other_broker() {
    let r = two_brokers(
        "python-cpp",
        "60s",
        r#"{ "at": "1s", "do": "partition", "a": "p1", "b": "broker-a", "oneway": true },
           { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" }"#,
    );
    let attempts = r.for_msg("send_attempt", 1);
    assert_eq!(times(&attempts), vec![5002, 8002], "{}", r.story(1));
    assert_eq!(strs(&attempts, "queue"), qs(&["a:TopicTest:0", "b:TopicTest:0"]));
    let result = r.one_for_msg("send_result", 1);
    assert_eq!(
        (result.t, result.str("status"), result.str("queue")),
        (8004, Some("SEND_OK"), Some("broker-b:TopicTest:0"))
    );
}

/// broker-a dies at 2 s; message 1 (1 s) reached it, message 2 (2.5 s) still has it in its route.
const KILL_A_THEN_SEND: &str = r#"
  { "at": "1s", "do": "send", "producer": "p1", "mode": "$MODE", "topic": "TopicTest" },
  { "at": "2s", "do": "kill", "node": "broker-a" },
  { "at": "2500ms", "do": "send", "producer": "p1", "mode": "$MODE", "topic": "TopicTest" }"#;

#[test]
fn connection_refused_is_retried_on_the_other_broker() {
    for client in FLAVORS {
        let r = two_brokers(client, "10s", &KILL_A_THEN_SEND.replace("$MODE", "sync"));
        let attempts = r.for_msg("send_attempt", 2);
        // The refusal comes back after one round trip (2502); the retry avoids broker-a.
        assert_eq!(times(&attempts), vec![2500, 2502], "{client}:\n{}", r.story(2));
        assert_eq!(strs(&attempts, "queue"), qs(&["a:TopicTest:1", "b:TopicTest:0"]), "{client}");
        let err = r.one_for_msg("send_error", 2);
        assert!(err.str("reason").unwrap_or("").contains("refused"), "{}", err.json());
        let result = r.one_for_msg("send_result", 2);
        assert_eq!(
            (result.t, result.str("status"), result.str("queue")),
            (2504, Some("SEND_OK"), Some("broker-b:TopicTest:0")),
            "{client}"
        );
        // §2.3 / §2.6: C++ makes a new msgId (UNIQ_KEY) per attempt; Java keeps the one it set.
        let ids = strs(&attempts, "msg_id");
        assert_eq!(ids[0] == ids[1], client == "java4", "{client}: {ids:?}");
        assert_eq!(result.str("msg_id"), Some(ids[1]));
    }
}

#[test]
fn single_broker_down_python_cpp_really_attempts_1_3_and_5() {
    let r = one_broker("python-cpp", "10s", &KILL_A_THEN_SEND.replace("$MODE", "sync"));
    let attempts = r.for_msg("send_attempt", 2);
    // §2.3: attempts 2 and 4 find no queue on another broker; they are skipped but counted.
    assert_eq!(nums(&attempts, "attempt"), vec![1, 3, 5], "{}", r.story(2));
    assert_eq!(times(&attempts), vec![2500, 2502, 2504]);
    assert!(strs(&attempts, "queue").iter().all(|q| q.starts_with("broker-a:TopicTest:")));
    assert_eq!(attempts[0].str("queue"), Some("broker-a:TopicTest:1"));
    let failed = r.one_for_msg("send_failed", 2);
    assert_eq!(failed.t, 2506);
    assert!(failed.str("reason").unwrap_or("").contains("No route info of this topic: TopicTest"), "{}", failed.json());
}

#[test]
fn single_broker_down_java4_makes_3_attempts_then_send_n_times_still_failed() {
    let r = one_broker("java4", "10s", &KILL_A_THEN_SEND.replace("$MODE", "sync"));
    let attempts = r.for_msg("send_attempt", 2);
    // §2.4 Java: no queue on another broker, so it falls back to a plain selection.
    assert_eq!(nums(&attempts, "attempt"), vec![1, 2, 3], "{}", r.story(2));
    assert_eq!(times(&attempts), vec![2500, 2502, 2504]);
    assert_eq!(strs(&attempts, "queue"), vec!["broker-a:TopicTest:1", "broker-a:TopicTest:2", "broker-a:TopicTest:3"]);
    let failed = r.one_for_msg("send_failed", 2);
    assert_eq!(failed.t, 2506);
    // §2.2 step 6: MQClientException("Send [n] times, still failed…").
    assert!(failed.str("reason").unwrap_or("").contains("Send [3] times, still failed"), "{}", failed.json());
}

// ------------------------------------------------------------------ async

#[test]
fn async_to_a_dead_broker_python_cpp_does_not_retry_java4_retries_elsewhere() {
    // python-cpp: §2.3 m_retryTimes4Async = 1 means one attempt; on_exception is called.
    let r = two_brokers("python-cpp", "10s", &KILL_A_THEN_SEND.replace("$MODE", "async"));
    let attempts = r.for_msg("send_attempt", 2);
    assert_eq!(strs(&attempts, "queue"), vec!["broker-a:TopicTest:1"], "{}", r.story(2));
    let failed = r.one_for_msg("send_failed", 2);
    assert_eq!(failed.t, 2502);
    assert!(r.for_msg("send_result", 2).is_empty());
    assert!(r.for_msg("stored", 2).is_empty());

    // java4: §2.2 step 7: a connect failure is retried (at most 2 times) on a broker chosen
    // with selectOneMessageQueue(lastBroker), re-sending the same request (same queueId).
    let r = two_brokers("java4", "10s", &KILL_A_THEN_SEND.replace("$MODE", "async"));
    let attempts = r.for_msg("send_attempt", 2);
    assert_eq!(times(&attempts), vec![2500, 2502], "{}", r.story(2));
    let result = r.one_for_msg("send_result", 2);
    assert_eq!((result.t, result.str("status")), (2504, Some("SEND_OK")));
    assert!(result.str("queue").unwrap_or("").starts_with("broker-b:"), "{}", result.json());
    assert!(r.for_msg("send_failed", 2).is_empty());
}

#[test]
fn java4_async_retry_resends_the_same_queue_id_to_the_other_broker() {
    let r = two_brokers("java4", "10s", &KILL_A_THEN_SEND.replace("$MODE", "async"));
    let attempts = r.for_msg("send_attempt", 2);
    // §2.2 step 7: "It re-sends the same request, including the same queueId header, to that broker".
    assert_eq!(strs(&attempts, "queue"), qs(&["a:TopicTest:1", "b:TopicTest:1"]), "{}", r.story(2));
    assert_eq!(r.one_for_msg("send_result", 2).str("queue"), Some("broker-b:TopicTest:1"));
}

#[test]
fn async_timeout_fails_once_for_both_flavors() {
    // java4's retry after a full timeout has no budget left ("call timeout"); python-cpp never retries.
    for (client, fail_at) in [("python-cpp", 8002), ("java4", 8000)] {
        let r = two_brokers(
            client,
            "20s",
            r#"{ "at": "1s", "do": "partition", "a": "p1", "b": "broker-a", "oneway": true },
               { "at": "5s", "do": "send", "producer": "p1", "mode": "async", "topic": "TopicTest" }"#,
        );
        assert_eq!(r.for_msg("send_attempt", 1).len(), 1, "{client}:\n{}", r.story(1));
        assert_eq!(r.one_for_msg("send_failed", 1).t, fail_at, "{client}:\n{}", r.story(1));
        assert!(r.all("send_result").is_empty());
    }
}

#[test]
fn async_callbacks_are_lost_when_the_producer_shuts_down_first() {
    let r = run_preset("async-callbacks-lost");
    let lost = r.all("callback_lost");
    let results = r.all("send_result");
    // Ten async sends at 4.00–4.09 s; shutdown() at 4.13 s while replies (20–40 ms each way) are pending.
    assert!(!lost.is_empty(), "{}", r.dump(&["callback_lost", "send_result", "fault"]));
    assert!(lost.iter().all(|x| x.t == 4130), "{}", lines(lost.iter().copied()));
    assert!(results.iter().all(|x| x.t < 4130), "no callback runs after shutdown:\n{}", lines(results.iter().copied()));
    assert!(r.all("send_failed").is_empty());
    // Each of the 10 messages ends exactly one way.
    for msg in 1..=10 {
        let outcomes = r.for_msg("callback_lost", msg).len() + r.for_msg("send_result", msg).len();
        assert_eq!(outcomes, 1, "msg {msg}:\n{}", r.story(msg));
    }
    assert_eq!(lost.len() + results.len(), 10);
}

// ------------------------------------------------------------------ oneway

#[test]
fn oneway_never_reports_a_result_and_messages_to_a_killed_broker_vanish() {
    for client in FLAVORS {
        let r = run_preset_as("oneway-loss", client);
        // §2.2 step 8 / §2.3: one attempt, no response, no retry, errors silently lost.
        assert!(r.all("send_result").is_empty(), "{client}");
        assert!(r.all("send_failed").is_empty(), "{client}");
        assert!(r.all("send_error").is_empty(), "{client}");
        for msg in 1..=12 {
            let attempts = r.for_msg("send_attempt", msg);
            assert_eq!(attempts.len(), 1, "{client} msg {msg}:\n{}", r.story(msg));
            let queue = attempts[0].str("queue").unwrap_or("");
            let stored = r.for_msg("stored", msg);
            // broker-a dies at 5 s; the route keeps it until the next poll (33 s / 30.01 s).
            let lost = msg > 4 && queue.starts_with("broker-a:");
            assert_eq!(stored.len(), usize::from(!lost), "{client} msg {msg} to {queue}:\n{}", r.story(msg));
        }
        // Messages 5-12 go round robin over [a:0, a:1, b:0, b:1]: half of them are lost.
        let lost = (5..=12).filter(|m| r.for_msg("stored", *m).is_empty()).count();
        assert_eq!(lost, 4, "{client}");
    }
}

// ------------------------------------------------------------------ validation

#[test]
fn an_empty_body_is_rejected_before_sending() {
    for client in FLAVORS {
        let r = one_broker(
            client,
            "5s",
            r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "body": "" }"#,
        );
        // §2.2 step 1 / §2.3 Validators: the body must not be empty.
        let failed = r.one_for_msg("send_failed", 1);
        assert!(failed.str("reason").unwrap_or("").contains("empty"), "{client}: {}", failed.json());
        assert!(r.all("send_attempt").is_empty(), "{client}");
        assert!(r.all("stored").is_empty(), "{client}");
    }
}

#[test]
fn python_cpp_rejects_a_200000_byte_body_and_java4_accepts_it() {
    let send =
        r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "body_size": 200000 }"#;
    // §2.1: C++ maxMessageSize = 128 KiB (131 072 bytes).
    let r = one_broker("python-cpp", "5s", send);
    let failed = r.one_for_msg("send_failed", 1);
    assert!(failed.str("reason").unwrap_or("").contains("131072"), "{}", failed.json());
    assert!(r.all("send_attempt").is_empty());
    // Java maxMessageSize = 4 MiB.
    let r = one_broker("java4", "5s", send);
    assert_eq!(r.one_for_msg("send_result", 1).str("status"), Some("SEND_OK"), "{}", r.story(1));
    assert_eq!(r.for_msg("stored", 1).len(), 1);
}

#[test]
fn java4_rejects_a_body_over_4_mib() {
    let r = one_broker(
        "java4",
        "5s",
        r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "body_size": 4194305 }"#,
    );
    assert!(r.one_for_msg("send_failed", 1).str("reason").unwrap_or("").contains("4194304"), "{}", r.story(1));
    assert!(r.all("send_attempt").is_empty());
}

// ------------------------------------------------------------------ orderly

const ORDERLY_KEYS: &str = r#"
  { "at": "1s", "do": "send", "producer": "p1", "mode": "orderly", "topic": "TopicTest", "count": 2, "sharding_key": "order-1" },
  { "at": "2s", "do": "send", "producer": "p1", "mode": "orderly", "topic": "TopicTest", "count": 2, "sharding_key": "order-2" },
  { "at": "3s", "do": "send", "producer": "p1", "mode": "orderly", "topic": "TopicTest", "count": 2, "sharding_key": "order-3" }"#;

#[test]
fn python_cpp_orderly_queue_is_std_hash_of_the_key_mod_n() {
    // libstdc++ std::hash (§7), worked out independently of the engine:
    //   "order-1" → 1888478096483860501 % 4 = 1
    //   "order-2" → 6735953993718684008 % 4 = 0
    //   "order-3" → 1398292338148979556 % 4 = 0
    assert_eq!(rmqsim::hashing::std_hash("order-3"), 1_398_292_338_148_979_556);
    let r = one_broker("python-cpp", "10s", ORDERLY_KEYS);
    let attempts = r.all("send_attempt");
    let expected: Vec<String> = [1, 1, 0, 0, 0, 0].iter().map(|q| format!("broker-a:TopicTest:{q}")).collect();
    assert_eq!(strs(&attempts, "queue"), expected, "{}", r.dump(&["send_attempt"]));
    assert_eq!(strs(&r.all("send_result"), "status"), vec!["SEND_OK"; 6]);
}

#[test]
fn java4_orderly_queue_is_abs_of_hash_code_mod_n() {
    // SelectMessageQueueByHash (§7): abs(String.hashCode % n), Java's % keeping the sign:
    //   "order-1".hashCode() = -1207111310 → % 4 = -2 → 2
    //   "order-2".hashCode() = -1207111309 → % 4 = -1 → 1
    //   "order-3".hashCode() = -1207111308 → % 4 =  0 → 0
    assert_eq!(rmqsim::hashing::java_string_hash("order-1"), -1_207_111_310);
    let r = one_broker("java4", "10s", ORDERLY_KEYS);
    let attempts = r.all("send_attempt");
    let expected: Vec<String> = [2, 2, 1, 1, 0, 0].iter().map(|q| format!("broker-a:TopicTest:{q}")).collect();
    assert_eq!(strs(&attempts, "queue"), expected, "{}", r.dump(&["send_attempt"]));
}

#[test]
fn orderly_send_to_a_dead_broker_python_cpp_retries_on_another_broker_java4_does_not() {
    // [a:0, a:1, b:0, b:1]; "order-1" → std::hash % 4 = 1 (a:1); hashCode → 2 (b:0).
    // broker-a dies at 2 s, before the route poll drops it.
    let actions = r#"
      { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" },
      { "at": "2s", "do": "kill", "node": "broker-a" },
      { "at": "2500ms", "do": "send", "producer": "p1", "mode": "orderly", "topic": "TopicTest", "sharding_key": "order-1" }"#;
    let r = two_brokers("python-cpp", "10s", actions);
    // §2.3 ordered sends: attempts 2..4 move to another broker, breaking per-key order.
    let attempts = r.for_msg("send_attempt", 2);
    assert_eq!(strs(&attempts, "queue"), qs(&["a:TopicTest:1", "b:TopicTest:0"]), "{}", r.story(2));
    assert_eq!(r.one_for_msg("send_result", 2).str("queue"), Some("broker-b:TopicTest:0"));

    // Java: a selector send makes exactly one attempt (§2.2 step 9). Make its key land on broker-a:
    // "order-2".hashCode() % 4 → 1 (a:1).
    let r = two_brokers("java4", "10s", &actions.replace("order-1", "order-2"));
    let attempts = r.for_msg("send_attempt", 2);
    assert_eq!(strs(&attempts, "queue"), qs(&["a:TopicTest:1"]), "{}", r.story(2));
    assert_eq!(r.one_for_msg("send_failed", 2).t, 2502);
}

#[test]
fn python_cpp_orderly_send_with_its_single_broker_down_tries_the_key_queue_twice() {
    // §2.3: attempt 2 finds no other broker (skipped), attempt 3 goes back to the key's
    // queue, attempt 4 is skipped again: 2 real attempts, both to the key's queue.
    let actions = r#"
      { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" },
      { "at": "2s", "do": "kill", "node": "broker-a" },
      { "at": "2500ms", "do": "send", "producer": "p1", "mode": "orderly", "topic": "TopicTest", "sharding_key": "order-1" }"#;
    let r = one_broker("python-cpp", "10s", actions);
    let attempts = r.for_msg("send_attempt", 2);
    assert_eq!(nums(&attempts, "attempt"), vec![1, 3], "{}", r.story(2));
    assert_eq!(strs(&attempts, "queue"), vec!["broker-a:TopicTest:1", "broker-a:TopicTest:1"]);
    assert_eq!(r.one_for_msg("send_failed", 2).t, 2504);
}

#[test]
fn without_auto_create_a_new_topic_has_no_route_and_the_send_fails() {
    for client in FLAVORS {
        let r = run_as(
            r#"{
          "seed": 1, "client": "$CLIENT", "until": "10s", "network": { "latency": ["1ms", "1ms"] },
          "cluster": { "brokers": [ { "name": "broker-a" } ], "broker_conf": "autoCreateTopicEnable=false" },
          "producers": [ { "id": "p1", "group": "test" } ],
          "actions": [ { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "NewTopic", "auto_create_topic": true } ]
        }"#,
            client,
        );
        // §2.8: without autoCreateTopicEnable the broker has no TBW102, so neither the topic
        // nor the template has a route: "No route info of this topic", nothing is sent.
        let failed = r.one_for_msg("send_failed", 1);
        assert!(
            failed.str("reason").unwrap_or("").contains("No route info of this topic: NewTopic"),
            "{client}: {}",
            failed.json()
        );
        assert!(r.all("send_attempt").is_empty(), "{client}:\n{}", r.story(1));
        assert!(r.all("topic_created").is_empty());
    }
}

#[test]
fn preset_sync_retry_killed_broker_every_send_succeeds_and_the_route_drops_the_dead_broker() {
    for (client, poll) in [("python-cpp", 33_000), ("java4", 30_010)] {
        let r = run_preset_as("sync-retry-killed-broker", client);
        // 40 sync sends, one a second from 5 s; broker-a dies at 10 s. Sends that pick broker-a
        // are refused and retried on broker-b (§2.2, §2.3), until the next route poll drops
        // broker-a (§1.5: the NameServer dropped it at once; producers follow within 30 s).
        let results = r.all("send_result");
        assert_eq!(results.len(), 40, "{client}");
        assert!(results.iter().all(|x| x.str("status") == Some("SEND_OK")), "{client}");
        assert!(r.all("send_failed").is_empty(), "{client}");
        let drop = r
            .with("route_updated", "client", "p1")
            .into_iter()
            .find(|x| x.t > 10_000)
            .unwrap_or_else(|| panic!("{client}: no route update after the kill:\n{}", r.dump(&["route_updated"])));
        assert!((poll..poll + 10).contains(&drop.t), "{client}: {}", drop.json());
        assert_eq!(list(drop, "write_queues"), vec!["broker-b:TopicTest:0", "broker-b:TopicTest:1"]);
        let late_to_a = r
            .all("send_attempt")
            .into_iter()
            .filter(|x| x.t > drop.t && x.str("queue").unwrap_or("").starts_with("broker-a"))
            .count();
        assert_eq!(late_to_a, 0, "{client}");
        let refused = r.all("send_error");
        assert!(!refused.is_empty(), "{client}: some sends picked the dead broker before the poll");
        assert!(refused.iter().all(|e| e.t > 10_000 && e.t < drop.t), "{client}:\n{}", lines(refused.iter().copied()));
    }
}

#[test]
fn an_unchanged_route_keeps_the_round_robin_counter() {
    // §1.4: a new TopicPublishInfo (counter 0) is made only when the route changed; the polls
    // at 3 s / 10 ms and 30 s find the same route, so message 4 continues at counter 3 (b:1).
    let actions = r#"
      { "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 3 },
      { "at": "35s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest" }"#;
    for client in FLAVORS {
        let r = two_brokers(client, "40s", actions);
        assert_eq!(times(&r.with("route_updated", "client", "p1")), vec![1002], "{client}");
        let attempts = r.all("send_attempt");
        assert_eq!(
            strs(&attempts, "queue"),
            qs(&["a:TopicTest:0", "a:TopicTest:1", "b:TopicTest:0", "b:TopicTest:1"]),
            "{client}"
        );
    }
}
