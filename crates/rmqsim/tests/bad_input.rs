//! Bad scenarios are rejected once, up front (design/scenario-and-trace.md,
//! "Headless runner"): `Scenario::from_json` returns an error whose field and
//! message name the problem, and the `rmqsim` binary exits with status 2,
//! exactly one line on stderr and nothing on stdout (never a partial trace).

mod common;

use common::TempFile;
use rmqsim::Scenario;
use std::process::Command;

/// A valid scenario with one broker, one topic, one producer; `$X` marks where a case edits it.
const BASE: &str = r#"{
  "until": "$UNTIL",
  "cluster": { "brokers": [ $BROKERS ] },
  "topics": [ { "name": "TopicTest", "write_queues": $QUEUES } ],
  "producers": [ { "id": "p1", "group": "test" } ],
  "actions": [ $ACTIONS ]
}"#;

fn base(until: &str, brokers: &str, queues: &str, actions: &str) -> String {
    BASE.replace("$UNTIL", until).replace("$BROKERS", brokers).replace("$QUEUES", queues).replace("$ACTIONS", actions)
}

fn with_actions(actions: &str) -> String {
    base("10s", r#"{ "name": "broker-a" }"#, "4", actions)
}

fn send(extra: &str) -> String {
    with_actions(&format!(
        r#"{{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest"{extra} }}"#
    ))
}

/// One bad scenario: its text, the field the error must name, and words its message must contain.
/// A field of `"?"` means serde knows no path (text that is not a JSON object); only the
/// message is checked then.
struct Case {
    name: &'static str,
    json: String,
    field: &'static str,
    words: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let brokers_65: Vec<String> = (0..65).map(|i| format!(r#"{{ "name": "broker-{i}" }}"#)).collect();
    vec![
        // serde names the path it was parsing when the text ended.
        Case {
            name: "truncated JSON",
            json: "{ \"until\": \"10s\", \"cluster\": ".into(),
            field: "cluster",
            words: &["EOF", "line 1 column 29"],
        },
        Case { name: "not JSON at all", json: "{not json".into(), field: "", words: &["invalid JSON", "line 1 column 2"] },
        Case {
            name: "unknown field in a broker",
            json: base("10s", r#"{ "name": "broker-a", "colour": "red" }"#, "4", ""),
            field: "cluster.brokers[0].colour",
            words: &["unknown field", "colour"],
        },
        Case {
            name: "unknown top-level field",
            json: with_actions("").replacen('{', r#"{ "colour": 1,"#, 1),
            field: "colour",
            words: &["unknown field", "colour"],
        },
        Case {
            name: "unknown node in an action",
            json: with_actions(r#"{ "at": "2s", "do": "kill", "node": "broker-z" }"#),
            field: "actions[0].node",
            words: &["unknown node", "broker-z"],
        },
        Case {
            name: "unknown topic in a send",
            json: with_actions(
                r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "NoSuchTopic" }"#,
            ),
            field: "actions[0].topic",
            words: &["unknown topic", "NoSuchTopic"],
        },
        Case {
            name: "unknown topic in a subscription",
            json: with_actions("").replacen(
                r#""actions""#,
                r#""consumers": [ { "id": "c1", "group": "g1", "subscribe": [ { "topic": "Nope" } ] } ], "actions""#,
                1,
            ),
            field: "consumers[0].subscribe[0].topic",
            words: &["unknown topic", "Nope"],
        },
        Case {
            name: "duration without a unit",
            json: base("5", r#"{ "name": "broker-a" }"#, "4", ""),
            field: "until",
            words: &["\"5\"", "unit"],
        },
        Case {
            name: "maxReconsumeTimes with the Python client",
            json: with_actions("").replacen(
                r#""actions""#,
                r#""consumers": [ { "id": "c1", "group": "g1", "max_reconsume_times": 3, "subscribe": [ { "topic": "TopicTest" } ] } ], "actions""#,
                1,
            ),
            field: "consumers[0].max_reconsume_times",
            words: &["16"],
        },
        Case { name: "zero count", json: send(r#", "count": 0"#), field: "actions[0].count", words: &["at least 1"] },
        Case {
            name: "negative delay_level",
            json: send(r#", "delay_level": -1"#),
            field: "actions[0].delay_level",
            words: &["-1"],
        },
        Case {
            name: "65 brokers",
            json: base("10s", &brokers_65.join(","), "4", ""),
            field: "cluster.brokers",
            words: &["65", "64"],
        },
        Case {
            name: "1025 queues",
            json: base("10s", r#"{ "name": "broker-a" }"#, "1025", ""),
            field: "topics[0].write_queues",
            words: &["1025", "1024"],
        },
        Case {
            name: "10 000 001 messages in one send",
            json: send(r#", "count": 10000001"#),
            field: "actions[0].count",
            words: &["10000001", "10000000"],
        },
        Case {
            name: "10 000 001 messages over two sends",
            json: with_actions(
                r#"{ "at": "1s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 5000000 },
                   { "at": "2s", "do": "send", "producer": "p1", "mode": "sync", "topic": "TopicTest", "count": 5000001 }"#,
            ),
            field: "actions",
            words: &["10000001", "10000000"],
        },
    ]
}

#[test]
fn a_parse_error_inside_an_action_names_the_field() {
    // The contract: one clear message naming the field and what was expected. A send has two
    // durations (`at`, `interval`), so `actions[0]` alone does not say which one is wrong.
    for (json, field) in [
        (with_actions(r#"{ "at": "5", "do": "kill", "node": "broker-a" }"#), "actions[0].at"),
        (send(r#", "interval": "5""#), "actions[0].interval"),
        (send(r#", "count": "many""#), "actions[0].count"),
    ] {
        let err = Scenario::from_json(&json).expect_err("rejected");
        assert_eq!(err.field, field, "{err:?}");
    }
}

#[test]
fn a_duration_without_a_unit_in_an_action_is_rejected() {
    // What does hold today: the action is rejected and the message says what was expected.
    let err =
        Scenario::from_json(&with_actions(r#"{ "at": "5", "do": "kill", "node": "broker-a" }"#)).expect_err("rejected");
    assert!(err.field.starts_with("actions[0]"), "{err:?}");
    assert!(err.message.contains("\"5\" has no unit"), "{err:?}");
}

#[test]
fn the_base_scenario_is_valid() {
    Scenario::from_json(&with_actions("")).expect("the template itself is valid");
    Scenario::from_json(&send(r#", "count": 10000000"#)).expect("exactly the limit is allowed");
}

#[test]
fn from_json_names_the_field_and_the_problem() {
    for case in cases() {
        let err = match Scenario::from_json(&case.json) {
            Ok(_) => panic!("{}: accepted", case.name),
            Err(e) => e,
        };
        if case.field != "?" {
            assert_eq!(err.field, case.field, "{}: {err:?}", case.name);
        }
        for w in case.words {
            assert!(err.message.contains(w), "{}: message {:?} should mention {w:?}", case.name, err.message);
        }
        assert!(!err.message.contains('\n'), "{}: one line: {:?}", case.name, err.message);
    }
}

fn rmqsim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rmqsim")).args(args).output().expect("run the rmqsim binary")
}

fn assert_rejected(what: &str, out: &std::process::Output, field: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{what}: stderr {stderr:?}");
    assert!(out.stdout.is_empty(), "{what}: stdout must be empty, got {:?}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(stderr.lines().count(), 1, "{what}: exactly one line on stderr, got {stderr:?}");
    assert!(stderr.ends_with('\n'), "{what}: {stderr:?}");
    assert!(stderr.contains(field), "{what}: stderr {stderr:?} should name {field:?}");
}

#[test]
fn the_binary_exits_2_with_one_line_on_stderr_and_nothing_on_stdout() {
    for (i, case) in cases().iter().enumerate() {
        let file = TempFile::new("bad-input", &i.to_string(), &case.json);
        let out = rmqsim(&["run", file.0.to_str().expect("utf-8 temp path")]);
        assert_rejected(case.name, &out, case.field);
        for w in case.words {
            assert!(String::from_utf8_lossy(&out.stderr).contains(w), "{}: stderr should mention {w:?}", case.name);
        }
    }
}

#[test]
fn the_binary_rejects_an_unreadable_file_and_bad_options_the_same_way() {
    let missing = std::env::temp_dir().join(format!("rmqsim-bad-input-{}-missing.json", std::process::id()));
    let missing = missing.to_str().expect("utf-8 temp path");
    assert_rejected("missing file", &rmqsim(&["run", missing]), missing);
    assert_rejected("unknown preset", &rmqsim(&["run", "--preset", "no-such-preset"]), "no-such-preset");
    assert_rejected("seed not a number", &rmqsim(&["run", "--preset", "tutorial-basic", "--seed", "-3"]), "--seed");
    assert_rejected("until without a unit", &rmqsim(&["run", "--preset", "tutorial-basic", "--until", "5"]), "--until");
}

#[test]
fn the_binary_runs_a_valid_file_with_status_0() {
    let file = TempFile::new("bad-input", "valid", &send(""));
    let out = rmqsim(&["run", file.0.to_str().expect("utf-8 temp path")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().last().unwrap_or("").contains(r#""event":"end""#), "{stdout}");
}
