//! NameServer rules (design/rocketmq-reference.md §1): when brokers register,
//! when a dead or unreachable broker is dropped, and the extra registration a
//! topic creation triggers. Latency is fixed at 1 ms so every time is exact.

mod common;

use common::*;

/// Two NameServers, two brokers and no clients: only periodic registrations happen.
const TWO_BROKERS: &str = r#"{
  "seed": 1, "until": "$UNTIL", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "nameservers": 2, "brokers": [ { "name": "broker-a" }, { "name": "broker-b" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "actions": [ $ACTIONS ]
}"#;

fn two_brokers(until: &str, actions: &str) -> Run {
    run(&TWO_BROKERS.replace("$UNTIL", until).replace("$ACTIONS", actions))
}

fn registrations(r: &Run, broker: &str, ns: &str) -> Vec<u64> {
    let recs: Vec<_> =
        r.with("broker_registered", "broker", broker).into_iter().filter(|x| x.str("nameserver") == Some(ns)).collect();
    times(&recs)
}

#[test]
fn brokers_register_at_start_at_10s_then_every_30s_with_every_nameserver() {
    let r = two_brokers("101s", "");
    // §1.1: registerBrokerAll at start, then at 10 s, then every 30 s (+1 ms latency).
    let expected = vec![1, 10_001, 40_001, 70_001, 100_001];
    for broker in ["broker-a", "broker-b"] {
        for ns in ["namesrv-0", "namesrv-1"] {
            assert_eq!(registrations(&r, broker, ns), expected, "{broker} → {ns}:\n{}", r.dump(&["broker_registered"]));
        }
    }
    let first: Vec<_> =
        r.all("broker_registered").into_iter().filter(|x| x.get("first") == Some(&rmqsim::Val::B(true))).collect();
    assert_eq!(times(&first), vec![1, 1, 1, 1], "only the start registration is a first one");
    assert!(r.all("broker_expired").is_empty(), "{}", r.dump(&["broker_expired"]));
}

#[test]
fn killed_broker_is_removed_at_once_when_its_connection_closes() {
    let r = two_brokers("200s", r#"{ "at": "20s", "do": "kill", "node": "broker-b" }"#);
    let expired = r.all("broker_expired");
    // §1.3 "Immediate removal": the TCP connection closes, onChannelDestroy runs straight away.
    assert_eq!(times(&expired), vec![20_001, 20_001], "{}", r.dump(&["broker_expired", "fault"]));
    assert_eq!(strs(&expired, "broker"), vec!["broker-b", "broker-b"]);
    let mut ns = strs(&expired, "nameserver");
    ns.sort();
    assert_eq!(ns, vec!["namesrv-0", "namesrv-1"]);
    for e in &expired {
        assert!(e.str("reason").unwrap_or("").contains("connection closed"), "{}", e.json());
    }
    // broker-b registers no more; broker-a is never dropped.
    assert_eq!(registrations(&r, "broker-b", "namesrv-0"), vec![1, 10_001]);
    assert_eq!(
        registrations(&r, "broker-a", "namesrv-0"),
        vec![1, 10_001, 40_001, 70_001, 100_001, 130_001, 160_001, 190_001]
    );
}

#[test]
fn cleanly_stopped_broker_unregisters_at_once() {
    let r = two_brokers("60s", r#"{ "at": "20s", "do": "shutdown", "node": "broker-b" }"#);
    let expired = r.with("broker_expired", "nameserver", "namesrv-0");
    // §1.3: BrokerController.shutdown sends UNREGISTER_BROKER; one removal per NameServer.
    assert_eq!(times(&expired), vec![20_001], "{}", r.dump(&["broker_expired", "fault"]));
    assert_eq!(expired[0].str("broker"), Some("broker-b"));
}

#[test]
fn partitioned_broker_expires_120s_after_its_last_registration() {
    // Registrations reach namesrv-0 at 1 ms and 10 001 ms; from 15 s on they are cut off.
    let r = two_brokers("200s", r#"{ "at": "15s", "do": "partition", "a": "broker-a", "b": "namesrv-0" }"#);
    let expired = r.all("broker_expired");
    // §1.3 / §1.5: dropped at lastRegistration + 120 s = 130 001 ms, not rounded up to the 10 s scan.
    assert_eq!(times(&expired), vec![130_001], "{}", r.dump(&["broker_expired", "fault"]));
    assert_eq!(expired[0].str("broker"), Some("broker-a"));
    assert_eq!(expired[0].str("nameserver"), Some("namesrv-0"));
    // The other NameServer still hears from broker-a every 30 s.
    assert_eq!(
        registrations(&r, "broker-a", "namesrv-1"),
        vec![1, 10_001, 40_001, 70_001, 100_001, 130_001, 160_001, 190_001]
    );
    assert_eq!(registrations(&r, "broker-a", "namesrv-0"), vec![1, 10_001]);
}

#[test]
fn one_way_partition_from_the_broker_also_expires_it() {
    let r =
        two_brokers("200s", r#"{ "at": "15s", "do": "partition", "a": "broker-a", "b": "namesrv-0", "oneway": true }"#);
    let expired = r.all("broker_expired");
    assert_eq!(times(&expired), vec![130_001], "{}", r.dump(&["broker_expired", "fault"]));
}

#[test]
fn partition_healed_within_120s_does_not_expire_the_broker() {
    let r = two_brokers(
        "300s",
        r#"{ "at": "15s", "do": "partition", "a": "broker-a", "b": "namesrv-0" },
           { "at": "100s", "do": "heal", "a": "broker-a", "b": "namesrv-0" }"#,
    );
    // The 100 s registration arrives at 100 001 ms, within 120 s of the one at 10 001 ms.
    assert!(r.all("broker_expired").is_empty(), "{}", r.dump(&["broker_expired", "fault"]));
    assert_eq!(
        registrations(&r, "broker-a", "namesrv-0"),
        vec![1, 10_001, 100_001, 130_001, 160_001, 190_001, 220_001, 250_001, 280_001]
    );
}

/// A producer sending to a topic no broker has yet, so it is created through TBW102.
const AUTO_CREATE: &str = r#"{
  "seed": 1, "client": "$CLIENT", "until": "40s", "network": { "latency": ["1ms", "1ms"] },
  "cluster": { "brokers": [ { "name": "broker-a" }, { "name": "broker-b" } ] },
  "producers": [ { "id": "p1", "group": "test" } ],
  "actions": [
    { "at": "5s", "do": "send", "producer": "p1", "mode": "sync", "topic": "NewTopic", "auto_create_topic": true }
  ]
}"#;

#[test]
fn topic_creation_registers_with_the_nameserver_at_once() {
    for client in FLAVORS {
        let r = run_as(AUTO_CREATE, client);
        // Route of NewTopic: none (5002), then TBW102's (5004); the send reaches broker-a at 5005.
        let created = r.all("topic_created");
        assert_eq!(
            times(&created),
            vec![5005],
            "{client}:\n{}",
            r.dump(&["topic_created", "route_updated", "send_attempt"])
        );
        assert_eq!(created[0].str("broker"), Some("broker-a"));
        assert_eq!(created[0].str("topic"), Some("NewTopic"));
        // §2.8: min(client defaultTopicQueueNums 4, TBW102 writeQueueNums 8) = 4 queues.
        assert_eq!(created[0].u("queues"), Some(4));
        // §1.1: createTopicInSendMessageMethod calls registerBrokerAll at once.
        let regs = registrations(&r, "broker-a", "namesrv-0");
        assert_eq!(regs, vec![1, 5006, 10_001], "{client}:\n{}", r.dump(&["broker_registered"]));
        assert_eq!(registrations(&r, "broker-b", "namesrv-0"), vec![1, 10_001]);
    }
}

#[test]
fn auto_created_route_borrows_tbw102_then_shrinks_to_the_brokers_that_got_messages() {
    // §2.8: the client uses TBW102's route with min(4, readQueueNums) queues per broker;
    // after the next route poll only broker-a (which received the message) has the topic.
    for (client, poll) in [("python-cpp", 33_000), ("java4", 30_010)] {
        let r = run_as(AUTO_CREATE, client);
        let routes = r.with("route_updated", "client", "p1");
        assert_eq!(times(&routes), vec![5004, poll + 2], "{client}:\n{}", r.dump(&["route_updated"]));
        let q = |b: &str| (0..4).map(|i| format!("{b}:NewTopic:{i}")).collect::<Vec<_>>();
        let both: Vec<String> = q("broker-a").into_iter().chain(q("broker-b")).collect();
        assert_eq!(list(routes[0], "write_queues"), both);
        assert_eq!(list(routes[1], "write_queues"), q("broker-a"));
        let result = r.one_for_msg("send_result", 1);
        assert_eq!(result.str("queue"), Some("broker-a:NewTopic:0"));
        assert_eq!(result.str("status"), Some("SEND_OK"));
    }
}

#[test]
fn a_consumer_group_creating_its_retry_topic_triggers_a_registration() {
    let r = run(r#"{
      "seed": 1, "until": "20s", "network": { "latency": ["1ms", "1ms"] },
      "cluster": { "brokers": [ { "name": "broker-a" } ] },
      "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
      "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] } ]
    }"#);
    // The consumer's route arrives at 2 ms; its heartbeat reaches the broker at 3 ms and
    // creates %RETRY%g1 (§6.2), which registers at once (§1.1): 4 ms at the NameServer.
    let created = r.with("topic_created", "topic", "%RETRY%g1");
    assert_eq!(times(&created), vec![3], "{}", r.dump(&["topic_created", "broker_registered"]));
    assert_eq!(registrations(&r, "broker-a", "namesrv-0"), vec![1, 4, 10_001]);
}
