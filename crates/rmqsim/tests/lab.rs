//! The code lab's engine support: program-driven clients raise asks that a
//! learner's program answers (live, one at a time, or all up front through the
//! scenario's `answers`), clients that know only some NameServers (or none),
//! and program sends to topics nobody declared.

mod common;

use common::*;
use rmqsim::lab::{Answer, Ask, AskKind};
use rmqsim::scenario::action_from_value;
use rmqsim::{Scenario, Sim, TraceMode};

/// One broker, two NameServers, a program producer and a program consumer.
const BASE: &str = r#"{
  "name": "lab", "seed": 11, "client": "$CLIENT", "until": "2m",
  "cluster": { "nameservers": 2, "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "pg", "program": "producer.py" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ],
                   "program": "consumer.py", "behavior": { "consume_time": "0ms" } } ],
  "actions": [ { "at": "3s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest",
                 "count": 4, "interval": "100ms", "keys": "k" } ]
}"#;

/// The learner's listener, as a function of what it is shown: fails some first deliveries.
fn listener(a: &Ask) -> char {
    assert_eq!(a.kind, AskKind::Consume);
    match (a.msg.sim_msg % 3, a.msg.reconsume_times) {
        (0, 0) => 'L',
        (1, 0) => 'T',
        _ => 'S',
    }
}

/// Runs step by step, answering every ask as soon as it appears; returns (hash, answers given).
fn run_live(sc: Scenario) -> (String, String, u64) {
    let mut sim = Sim::new(sc, TraceMode::Hash).expect("builds");
    let mut letters = String::new();
    loop {
        let more = sim.step();
        for a in sim.take_asks() {
            assert_eq!(a.index as usize, letters.len(), "asks come in index order");
            assert_eq!((a.client.as_str(), a.program.as_str()), ("c1", "consumer.py"));
            let c = listener(&a);
            sim.push_answer(c).expect("a valid letter");
            letters.push(c);
        }
        if !more {
            break;
        }
    }
    assert_eq!(sim.missing_answers(), 0);
    assert_eq!(sim.answers_used() as usize, letters.len());
    (sim.finish().hash, letters, sim.now())
}

#[test]
fn live_answers_and_answers_up_front_give_the_same_trace() {
    for client in FLAVORS {
        let sc = scenario(&for_client(BASE, client));
        let (live, letters, _) = run_live(sc.clone());
        assert!(letters.contains('L') && letters.contains('T') && letters.len() > 4, "{client}: {letters}");
        let mut replay = sc.clone();
        replay.answers = letters.clone();
        let mut sim = Sim::new(replay, TraceMode::Hash).unwrap();
        let out = sim.run();
        assert_eq!(out.hash, live, "{client}: the replay with answers {letters} differs from the live run");
        assert_eq!((sim.missing_answers(), sim.answers_used()), (0, letters.len() as u64));
        // Without answers the run differs (everything succeeds by default) and every ask is missing.
        let mut sim = Sim::new(sc, TraceMode::Hash).unwrap();
        let out = sim.run();
        assert_ne!(out.hash, live, "{client}");
        assert_eq!(sim.answers_used(), 0);
        assert_eq!(sim.missing_answers(), sim.take_asks().len() as u64);
    }
}

#[test]
fn asks_show_the_received_message() {
    let sc = scenario(&for_client(BASE, "python-cpp"));
    let mut sim = Sim::new(sc, TraceMode::Keep).unwrap();
    sim.run_until(10_000, u64::MAX);
    let asks = sim.take_asks();
    assert_eq!(asks.len(), 4, "{asks:?}");
    let recs = sim.drain_records();
    for a in &asks {
        let d = recs
            .iter()
            .find(|r| r.event == "delivered" && r.u("msg") == Some(a.msg.sim_msg))
            .expect("delivered record");
        assert_eq!(a.t, d.t);
        assert_eq!(Some(a.msg.id.as_str()), d.str("msg_id"));
        assert_eq!(Some(a.msg.queue_offset), d.u("queue_offset"));
        assert_eq!((a.msg.topic.as_str(), a.msg.sub.as_str(), a.msg.keys.as_str()), ("TopicTest", "TopicTest", "k"));
        assert_eq!(a.msg.body, "测试用内容");
        assert!(a.msg.properties.iter().any(|(k, v)| k == "UNIQ_KEY" && *v == a.msg.id));
        assert!(a.msg.born_timestamp >= 3000 && a.msg.store_timestamp >= a.msg.born_timestamp);
    }
    let json = serde_json::to_string(&asks[0]).unwrap();
    assert!(json.contains("\"kind\":\"Consume\"") && json.contains("\"sim_msg\""), "{json}");
}

#[test]
fn later_answers_follow_the_retry_schedule() {
    let sc = scenario(
        &for_client(BASE, "python-cpp")
            .replace("\"count\": 4", "\"count\": 1")
            .replace("\"until\": \"2m\"", "\"until\": \"3m\""),
    );
    let mut sc = sc;
    sc.answers = "LLS".into();
    let mut sim = Sim::new(sc, TraceMode::Keep).unwrap();
    sim.check_invariants(true);
    sim.run();
    let recs = sim.core.trace.records().to_vec();
    let delivered: Vec<_> = recs.iter().filter(|r| r.event == "delivered").collect();
    assert_eq!(delivered.len(), 3, "{}", lines(delivered.iter().copied()));
    assert_eq!(nums(&delivered, "reconsume_times"), vec![0, 1, 2]);
    let t0 = delivered[0].t;
    let (d2, d3) = (delivered[1].t - t0, delivered[2].t - t0);
    assert!((10_000..10_500).contains(&d2), "delivery 2 at +{d2} ms, expected +10 s");
    assert!((40_000..40_500).contains(&d3), "delivery 3 at +{d3} ms, expected +40 s");
    let consumed: Vec<_> = recs.iter().filter(|r| r.event == "consumed").collect();
    assert_eq!(strs(&consumed, "result"), vec!["RECONSUME_LATER", "RECONSUME_LATER", "CONSUME_SUCCESS"]);
    assert_eq!(consumed[0].str("why"), Some("consumer.py's listener returned RECONSUME_LATER"));
    assert_eq!(consumed[2].str("why"), Some("consumer.py's listener returned CONSUME_SUCCESS"));
    assert_eq!((sim.answers_used(), sim.missing_answers()), (3, 0));
}

#[test]
fn a_raised_exception_counts_as_reconsume_later() {
    let mut sc = scenario(&for_client(BASE, "python-cpp").replace("\"count\": 4", "\"count\": 1"));
    sc.answers = "TS".into();
    let run = run_scenario(sc);
    let consumed = run.all("consumed");
    assert_eq!(strs(&consumed, "result"), vec!["throw", "CONSUME_SUCCESS"]);
    assert_eq!(
        consumed[0].str("why"),
        Some("consumer.py's listener raised an exception, which counts as RECONSUME_LATER")
    );
}

#[test]
fn an_orderly_python_program_that_fails_retries_the_same_queue_after_1s() {
    let mut sc = scenario(
        &for_client(BASE, "python-cpp")
            .replace("\"count\": 4", "\"count\": 1")
            .replace("\"program\": \"consumer.py\"", "\"program\": \"consumer.py\", \"listener\": \"ORDERLY\""),
    );
    sc.answers = "LS".into();
    let run = run_scenario(sc);
    let delivered = run.all("delivered");
    assert_eq!(delivered.len(), 2, "{}", run.dump(&["delivered", "consumed", "queue_suspended"]));
    assert_eq!(delivered[1].t - delivered[0].t, 1000);
    assert!(run.all("retry_scheduled").is_empty());
}

/// A transaction program producer and a plain consumer of the topic.
const TXN: &str = r#"{
  "name": "lab-txn", "seed": 3, "client": "$CLIENT", "until": "3m",
  "cluster": { "nameservers": 1, "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 1 } ],
  "producers": [ { "id": "p1", "group": "pg", "program": "producer.py" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ] } ],
  "actions": [ { "at": "2s", "do": "send", "producer": "p1", "mode": "transaction", "topic": "TopicTest" } ],
  "answers": "$ANSWERS"
}"#;

fn run_txn(client: &str, answers: &str) -> (Run, u64, u64) {
    let sc = scenario(&for_client(TXN, client).replace("$ANSWERS", answers));
    let mut sim = Sim::new(sc, TraceMode::Keep).unwrap();
    sim.check_invariants(true);
    let outcome = sim.run();
    let (used, missing) = (sim.answers_used(), sim.missing_answers());
    (Run { records: sim.core.trace.records().to_vec(), outcome }, used, missing)
}

#[test]
fn unknow_then_a_commit_from_the_checker_delivers_the_message() {
    for client in FLAVORS {
        let (run, used, missing) = run_txn(client, "UC");
        let local = run.all("txn_local");
        assert_eq!(strs(&local, "state"), vec!["UNKNOW"], "{client}");
        assert!(local[0].str("why").unwrap().starts_with("producer.py's local_execute returned UNKNOW"));
        let checks = run.all("txn_check");
        assert!(!checks.is_empty(), "{client}: {}", run.dump(&["txn_local", "txn_check", "txn_end"]));
        assert_eq!(checks[0].str("state"), Some("COMMIT_MESSAGE"));
        assert!(checks[0].str("why").unwrap().contains("producer.py's checker_callback returned COMMIT_MESSAGE"));
        assert_eq!(checks.len(), 1, "{client}: one check answers it");
        assert_eq!(run.all("delivered").len(), 1, "{client}: the consumer gets the committed message");
        assert_eq!((used, missing), (2, 0), "{client}");
    }
}

#[test]
fn rollback_answers_never_deliver() {
    for (answers, asks) in [("R", 1), ("UR", 2)] {
        let (run, used, missing) = run_txn("python-cpp", answers);
        assert!(run.all("delivered").is_empty(), "{answers}");
        let end = run.all("txn_end");
        assert!(
            end.iter().any(|r| r.str("state") == Some("ROLLBACK_MESSAGE")),
            "{answers}: {}",
            run.dump(&["txn_end"])
        );
        assert_eq!((used, missing), (asks, 0), "{answers}");
    }
}

#[test]
fn missing_or_wrong_kind_answers_are_counted_and_take_the_default() {
    // No answers at all: every consume succeeds by default.
    let sc = scenario(&for_client(BASE, "python-cpp"));
    let mut sim = Sim::new(sc, TraceMode::Keep).unwrap();
    sim.run();
    let recs = sim.core.trace.records().to_vec();
    let consumed: Vec<_> = recs.iter().filter(|r| r.event == "consumed").collect();
    assert_eq!(consumed.len(), 4);
    assert!(consumed.iter().all(|r| r.str("result") == Some("CONSUME_SUCCESS")));
    assert!(consumed[0].str("why").unwrap().starts_with("no answer from consumer.py for ask #0"));
    assert_eq!((sim.answers_used(), sim.missing_answers()), (0, 4));
    // A transaction letter for a consume counts as missing.
    let mut sc = scenario(&for_client(BASE, "python-cpp").replace("\"count\": 4", "\"count\": 1"));
    sc.answers = "C".into();
    let mut sim = Sim::new(sc, TraceMode::Hash).unwrap();
    sim.run();
    assert_eq!((sim.answers_used(), sim.missing_answers()), (0, 1));
    // A consume letter for local_execute counts as missing: UNKNOW; then the checker gets nothing either.
    let (run, used, missing) = run_txn("python-cpp", "S");
    assert_eq!(strs(&run.all("txn_local"), "state"), vec!["UNKNOW"]);
    assert_eq!(used, 0);
    assert!(missing >= 2, "local_execute and at least one check: {missing}");
    assert!(run.all("delivered").is_empty());
}

#[test]
fn push_answer_refuses_other_letters_and_letters_round_trip() {
    let mut sim = Sim::new(scenario(&for_client(BASE, "java4")), TraceMode::Hash).unwrap();
    let e = sim.push_answer('X').unwrap_err();
    assert_eq!(e.field, "answers");
    for c in "SLTCRU".chars() {
        assert_eq!(Answer::from_letter(c).map(Answer::letter), Some(c));
        sim.push_answer(c).unwrap();
    }
    assert_eq!(Answer::from_letter('s'), None);
}

const PLAIN: &str = r#"{
  "name": "lab-ns", "seed": 5, "client": "$CLIENT", "until": "1m",
  "cluster": { "nameservers": 2, "brokers": [ { "name": "broker-a" } ] },
  "topics": [ { "name": "TopicTest", "write_queues": 2 } ],
  "producers": [ { "id": "p1", "group": "pg", "nameservers": $NS } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ], "nameservers": $NS } ],
  "actions": [ { "at": "3s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 2 } ]
}"#;

#[test]
fn no_known_nameserver_fails_the_send_with_no_route_info() {
    let run = run_as(&PLAIN.replace("$NS", "[]"), "python-cpp");
    let failed = run.all("send_failed");
    assert_eq!(failed.len(), 2, "{}", run.dump(&["send_failed", "route_failed", "send_attempt"]));
    for f in &failed {
        assert!(f.str("reason").unwrap().starts_with("No route info of this topic: TopicTest"), "{}", f.json());
        assert!(f.t >= 3000 && f.t <= 3001);
    }
    assert!(run.all("send_attempt").is_empty());
    assert!(run.with("rebalance", "consumer", "c1").is_empty(), "the consumer never gets a route");
    assert!(run.with("route_updated", "client", "c1").is_empty());
}

#[test]
fn a_subset_of_nameservers_is_enough_and_is_the_only_one_asked() {
    for client in FLAVORS {
        let text = for_client(&PLAIN.replace("$NS", "[\"namesrv-1\"]"), client)
            .replace("\"actions\": [", "\"actions\": [ { \"at\": \"1s\", \"do\": \"kill\", \"node\": \"namesrv-0\" },");
        let run = run(&text);
        assert_eq!(strs(&run.all("send_result"), "status"), vec!["SEND_OK", "SEND_OK"], "{client}");
        assert_eq!(run.all("delivered").len(), 2, "{client}");
        assert!(run.all("route_failed").is_empty(), "{client}");
    }
    // The clients ask only namesrv-1: killing it leaves them without routes.
    let text = PLAIN
        .replace("$NS", "[\"namesrv-1\"]")
        .replace("\"actions\": [", "\"actions\": [ { \"at\": \"0ms\", \"do\": \"kill\", \"node\": \"namesrv-1\" },");
    let run = run_as(&text, "python-cpp");
    assert!(run.all("send_result").is_empty());
    assert_eq!(run.all("send_failed").len(), 2);
}

/// No sends in the scenario: the app sends through `apply_now`.
const OPEN: &str = r#"{
  "name": "lab-open", "seed": 9, "client": "python-cpp", "until": "2m",
  "cluster": { "nameservers": 1, "brokers": [ { "name": "broker-a" } ], "broker_conf": "$CONF" },
  "producers": [ { "id": "p1", "group": "pg", "program": "producer.py" } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "NewTopic" } ],
                   "program": "consumer.py", "consume_from_where": "CONSUME_FROM_FIRST_OFFSET" } ]
}"#;

fn send_new_topic(conf: &str) -> (Run, Sim) {
    let sc = scenario(&OPEN.replace("$CONF", conf));
    let mut sim = Sim::new(sc, TraceMode::Keep).unwrap();
    sim.run_until(5000, u64::MAX);
    let action = action_from_value(serde_json::json!({
        "at": 5000, "do": "send", "producer": "p1", "mode": "sync", "topic": "NewTopic",
        "count": 1, "auto_create_topic": true, "body": "hello"
    }))
    .unwrap();
    sim.apply_now(action).expect("a program may send to an undeclared topic");
    let outcome = sim.run();
    (Run { records: sim.core.trace.records().to_vec(), outcome }, sim)
}

#[test]
fn a_program_sends_to_an_undeclared_topic_and_its_consumer_picks_it_up() {
    let (run, sim) = send_new_topic("");
    assert_eq!(strs(&run.all("send_result"), "status"), vec!["SEND_OK"], "{}", run.dump(&["send_failed"]));
    let delivered = run.all("delivered");
    assert_eq!(delivered.len(), 1, "the consumer finds the new topic at a route poll");
    assert_eq!(delivered[0].str("topic"), Some("NewTopic"));
    assert_eq!(sim.missing_answers(), 1, "nobody answered the consume ask");
}

#[test]
fn without_auto_create_the_send_fails_with_no_route_info() {
    let (run, _) = send_new_topic("autoCreateTopicEnable=false");
    let failed = run.all("send_failed");
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].str("reason").unwrap().starts_with("No route info of this topic: NewTopic"),
        "{}",
        failed[0].json()
    );
    assert!(run.all("delivered").is_empty());
}

#[test]
fn a_plain_consumer_still_needs_a_declared_topic() {
    let text = OPEN.replace("$CONF", "").replace("\"program\": \"consumer.py\", ", "");
    let e = Scenario::from_json(&text).unwrap_err();
    assert_eq!(e.field, "consumers[0].subscribe[0].topic");
}

#[test]
fn the_new_fields_round_trip_and_are_validated() {
    let text = for_client(BASE, "java4")
        .replace("\"program\": \"producer.py\"", "\"program\": \"producer.py\", \"nameservers\": [\"namesrv-1\"]")
        .replace("\"program\": \"consumer.py\"", "\"program\": \"consumer.py\", \"nameservers\": []")
        .replace("\"until\": \"2m\"", "\"until\": \"2m\", \"answers\": \"SSLTCRU\"");
    let sc = scenario(&text);
    assert_eq!(sc.answers, "SSLTCRU");
    assert_eq!(sc.producers[0].nameservers.as_deref(), Some(&["namesrv-1".to_string()][..]));
    assert_eq!(sc.consumers[0].nameservers.as_deref(), Some(&[][..]));
    let json = serde_json::to_string(&sc).unwrap();
    let again = Scenario::from_json(&json).unwrap();
    assert_eq!(serde_json::to_string(&again).unwrap(), json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["answers"], "SSLTCRU");
    assert_eq!(v["consumers"][0]["program"], "consumer.py");
    assert_eq!(v["producers"][0]["nameservers"][0], "namesrv-1");
    // Plain scenarios keep writing exactly what they did.
    for p in rmqsim::presets::all() {
        let plain = serde_json::to_string(&p.scenario().unwrap()).unwrap();
        assert!(
            !plain.contains("\"answers\"") && !plain.contains("\"program\"") && !plain.contains("\"nameservers\":[")
        );
    }

    let bad = text.replace("SSLTCRU", "SSLXC");
    let e = Scenario::from_json(&bad).unwrap_err();
    assert_eq!(e.field, "answers");
    assert!(e.message.contains("'X'") && e.message.contains("position 3"), "{}", e.message);
    let bad = text.replace("[\"namesrv-1\"]", "[\"namesrv-2\"]");
    let e = Scenario::from_json(&bad).unwrap_err();
    assert_eq!(e.field, "producers[0].nameservers[0]");
    assert!(e.message.contains("namesrv-2"), "{}", e.message);
    let bad = text.replace("\"nameservers\": []", "\"nameservers\": [\"broker-a\"]");
    assert_eq!(Scenario::from_json(&bad).unwrap_err().field, "consumers[0].nameservers[0]");
    let bad = text.replace("\"program\": \"consumer.py\"", "\"program\": \"\"");
    assert_eq!(Scenario::from_json(&bad).unwrap_err().field, "consumers[0].program");
}

#[test]
fn a_plain_transaction_producer_still_needs_local_result() {
    let text = for_client(TXN, "python-cpp").replace("$ANSWERS", "").replace(", \"program\": \"producer.py\"", "");
    let e = Scenario::from_json(&text).unwrap_err();
    assert_eq!(e.field, "actions[0].local_result");
}
