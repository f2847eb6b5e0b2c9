//! Bad message-type inputs (delay levels, `messageDelayLevel`, orderly and
//! transactional sends, orderly listener results) are rejected up front
//! (design/scenario-and-trace.md, "Headless runner"): `Scenario::from_json`
//! names the field and what was expected, and the `rmqsim` binary exits with
//! status 2, one line on stderr and nothing on stdout.

mod common;

use common::TempFile;
use rmqsim::Scenario;
use std::process::Command;

/// A valid scenario; `$X` marks where a case edits it.
const BASE: &str = r#"{
  "client": "$CLIENT", "until": "10s",
  "cluster": { "brokers": [ { "name": "broker-a"$BROKER } ]$CLUSTER },
  "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
  "producers": [ { "id": "p1", "group": "test"$PRODUCER } ],
  "consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "TopicTest" } ]$CONSUMER } ],
  "actions": [ { "at": "1s", "do": "send", "producer": "p1", "topic": "TopicTest"$SEND } ]
}"#;

#[derive(Default)]
struct Edit {
    client: &'static str,
    broker: &'static str,
    cluster: &'static str,
    producer: &'static str,
    consumer: &'static str,
    send: &'static str,
}

impl Edit {
    fn json(&self) -> String {
        BASE.replace("$CLIENT", if self.client.is_empty() { "python-cpp" } else { self.client })
            .replace("$BROKER", self.broker)
            .replace("$CLUSTER", self.cluster)
            .replace("$PRODUCER", self.producer)
            .replace("$CONSUMER", self.consumer)
            .replace("$SEND", if self.send.is_empty() { r#", "mode": "sync""# } else { self.send })
    }
}

/// One bad scenario: its text, the field the error must name, words its message must contain.
struct Case {
    name: &'static str,
    json: String,
    field: &'static str,
    words: &'static [&'static str],
}

fn case(name: &'static str, edit: Edit, field: &'static str, words: &'static [&'static str]) -> Case {
    Case { name, json: edit.json(), field, words }
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "delay_level -1",
            Edit { send: r#", "mode": "sync", "delay_level": -1"#, ..Edit::default() },
            "actions[0].delay_level",
            &["-1", "below 0"],
        ),
        case(
            "absurd delay_level",
            Edit { send: r#", "mode": "sync", "delay_level": 1001"#, ..Edit::default() },
            "actions[0].delay_level",
            &["1001"],
        ),
        case(
            "fractional delay_level",
            Edit { send: r#", "mode": "sync", "delay_level": 1.5"#, ..Edit::default() },
            "actions[0].delay_level",
            &["1.5"],
        ),
        case(
            "malformed messageDelayLevel in cluster.broker_conf",
            Edit { cluster: r#", "broker_conf": "messageDelayLevel=1s 5x""#, ..Edit::default() },
            "cluster.broker_conf",
            &["line 1", "messageDelayLevel", "\"5x\"", "unit"],
        ),
        case(
            "malformed messageDelayLevel in a broker's own conf, on line 2",
            Edit { broker: r#", "conf": "brokerIP1=10.0.0.1\nmessageDelayLevel=1s 5x""#, ..Edit::default() },
            "cluster.brokers[0].conf",
            &["line 2", "messageDelayLevel", "\"5x\""],
        ),
        case(
            "a zero delay level",
            Edit { cluster: r#", "broker_conf": "messageDelayLevel=1s 0s""#, ..Edit::default() },
            "cluster.broker_conf",
            &["messageDelayLevel", "\"0s\"", "zero"],
        ),
        case(
            "an empty messageDelayLevel",
            Edit { cluster: r#", "broker_conf": "messageDelayLevel=""#, ..Edit::default() },
            "cluster.broker_conf",
            &["messageDelayLevel", "no levels"],
        ),
        case(
            "orderly send without sharding_key",
            Edit { send: r#", "mode": "orderly""#, ..Edit::default() },
            "actions[0].sharding_key",
            &["orderly", "sharding_key"],
        ),
        case(
            "orderly send with an empty sharding_key",
            Edit { send: r#", "mode": "orderly", "sharding_key": """#, ..Edit::default() },
            "actions[0].sharding_key",
            &["sharding_key"],
        ),
        case(
            "transaction send without local_result",
            Edit { send: r#", "mode": "transaction""#, ..Edit::default() },
            "actions[0].local_result",
            &["local_result", "COMMIT_MESSAGE", "ROLLBACK_MESSAGE", "UNKNOW"],
        ),
        case(
            "transaction send with an unknown local_result",
            Edit { send: r#", "mode": "transaction", "local_result": "MAYBE""#, ..Edit::default() },
            "actions[0].local_result",
            &["\"MAYBE\"", "COMMIT_MESSAGE"],
        ),
        case(
            "unknown value in a send's check_results",
            Edit {
                send: r#", "mode": "transaction", "local_result": "UNKNOW", "check_results": ["MAYBE"]"#,
                ..Edit::default()
            },
            "actions[0].check_results",
            &["\"MAYBE\""],
        ),
        case(
            "unknown value in a producer's check_results",
            Edit { producer: r#", "check_results": ["UNKNOW", "MAYBE"]"#, ..Edit::default() },
            "producers[0].check_results[1]",
            &["\"MAYBE\""],
        ),
        case(
            "unknown send mode",
            Edit { send: r#", "mode": "sideways""#, ..Edit::default() },
            "actions[0].mode",
            &["\"sideways\"", "orderly", "transaction"],
        ),
        case(
            "SUSPEND_CURRENT_QUEUE_A_MOMENT from a concurrent listener",
            Edit { consumer: r#", "behavior": { "result": "SUSPEND_CURRENT_QUEUE_A_MOMENT" }"#, ..Edit::default() },
            "consumers[0].behavior.result",
            &["SUSPEND_CURRENT_QUEUE_A_MOMENT", "ORDERLY"],
        ),
        case(
            "RECONSUME_LATER from a Java orderly listener",
            Edit {
                client: "java4",
                consumer: r#", "listener": "ORDERLY", "behavior": { "fail_times": 1, "fail_with": "RECONSUME_LATER" }"#,
                ..Edit::default()
            },
            "consumers[0].behavior.fail_with",
            &["SUSPEND_CURRENT_QUEUE_A_MOMENT"],
        ),
    ]
}

#[test]
fn the_base_scenarios_are_valid() {
    Scenario::from_json(&Edit::default().json()).expect("the template itself is valid");
    for send in [
        r#", "mode": "sync", "delay_level": 1000"#,
        r#", "mode": "orderly", "sharding_key": "order-1""#,
        r#", "mode": "transaction", "local_result": "UNKNOW", "check_results": ["UNKNOW", "COMMIT_MESSAGE"]"#,
    ] {
        Scenario::from_json(&Edit { send, ..Edit::default() }.json()).unwrap_or_else(|e| panic!("{send}: {e}"));
    }
    let conf = Edit { cluster: r#", "broker_conf": "messageDelayLevel=1s 2s 3s""#, ..Edit::default() };
    Scenario::from_json(&conf.json()).expect("an edited level table is fine");
    let java = Edit {
        client: "java4",
        consumer: r#", "listener": "ORDERLY", "behavior": { "fail_times": 1, "fail_with": "SUSPEND_CURRENT_QUEUE_A_MOMENT" }"#,
        ..Edit::default()
    };
    Scenario::from_json(&java.json()).expect("Java orderly listeners suspend");
}

#[test]
fn from_json_names_the_field_and_the_problem() {
    for case in cases() {
        let err = match Scenario::from_json(&case.json) {
            Ok(_) => panic!("{}: accepted", case.name),
            Err(e) => e,
        };
        assert_eq!(err.field, case.field, "{}: {err:?}", case.name);
        for w in case.words {
            assert!(err.message.contains(w), "{}: message {:?} should mention {w:?}", case.name, err.message);
        }
        assert!(!err.message.contains('\n'), "{}: one line: {:?}", case.name, err.message);
    }
}

#[test]
fn the_binary_exits_2_with_one_line_on_stderr_and_nothing_on_stdout() {
    for (i, case) in cases().iter().enumerate() {
        let file = TempFile::new("bad-input-types", &i.to_string(), &case.json);
        let out = Command::new(env!("CARGO_BIN_EXE_rmqsim"))
            .args(["run", file.0.to_str().expect("utf-8 temp path")])
            .output()
            .expect("run the rmqsim binary");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: stderr {stderr:?}", case.name);
        assert!(out.stdout.is_empty(), "{}: stdout {:?}", case.name, String::from_utf8_lossy(&out.stdout));
        assert_eq!(stderr.lines().count(), 1, "{}: exactly one line, got {stderr:?}", case.name);
        assert!(stderr.ends_with('\n'), "{}: {stderr:?}", case.name);
        assert!(stderr.contains(case.field), "{}: {stderr:?} should name {}", case.name, case.field);
        for w in case.words {
            assert!(stderr.contains(w), "{}: stderr {stderr:?} should mention {w:?}", case.name);
        }
    }
}
