//! A code lab run recorded in the browser (real MicroPython running the
//! tutorial's producer.py and its consumer, the listener edited to return
//! RECONSUME_LATER; captured from the app's share link into
//! `fixtures/lab-tutorial-reconsume.json`) replays natively, without
//! Python, to the fingerprint the browser recorded, with the outcomes the
//! tutorial teaches. Tampered copies are refused, naming what does not match.

use rmqsim::share::{self, ReplayTo, ShareErrorKind};
use rmqsim::trace::{Trace, TraceMode};

const FIXTURE: &str = include_str!("fixtures/lab-tutorial-reconsume.json");

#[test]
fn a_browser_recorded_lab_run_replays_to_its_fingerprint() {
    let doc = share::from_json(FIXTURE).expect("the recorded document reads");
    let lab = doc.lab.as_ref().expect("a lab run");
    assert_eq!(lab["programs"][0]["name"], "producer.py");
    share::check_lab(&doc).expect("replays to the recorded fingerprint with exactly the recorded answers");

    let end =
        rmqsim::share::Position { t: lab["end_t"].as_u64().unwrap(), events: lab["end_events"].as_u64().unwrap() };
    let (replayed, mut sim) = share::replay_with_trace(&doc, ReplayTo::At(end), Trace::new(TraceMode::Keep)).unwrap();
    assert_eq!(replayed.fingerprint, lab["fingerprint"].as_str().unwrap());
    let records = sim.drain_records();
    // producer.py: five SEND_OK on the queues and offsets of tutorial-basic.
    let sent: Vec<(String, u64)> = records
        .iter()
        .filter(|r| r.event == "send_result")
        .map(|r| (r.str("queue").unwrap().to_string(), r.u("queue_offset").unwrap()))
        .collect();
    let want: Vec<(String, u64)> =
        [(0, 0), (1, 0), (2, 0), (3, 0), (0, 1)].iter().map(|(q, o)| (format!("broker-a:TopicTest:{q}"), *o)).collect();
    assert_eq!(sent, want);
    // The listener's RECONSUME_LATER: every message back through level 3 (10 s).
    let first_retries: Vec<u64> = records
        .iter()
        .filter(|r| r.event == "retry_scheduled" && r.u("reconsume_times") == Some(1))
        .map(|r| r.u("due").unwrap() - r.t)
        .collect();
    assert_eq!(first_retries, [10_000; 5]);
}

#[test]
fn a_tampered_lab_run_is_refused() {
    // One recorded answer changed: the replay no longer reaches the fingerprint.
    let mut doc = share::from_json(FIXTURE).unwrap();
    doc.scenario.answers = doc.scenario.answers.replacen('L', "S", 1);
    let err = share::check_lab(&doc).unwrap_err();
    assert_eq!(err.kind, ShareErrorKind::Lab);
    assert_eq!(err.field, "lab.fingerprint", "{err}");

    // One answer dropped: the replay asks for one more than the document carries.
    let mut doc = share::from_json(FIXTURE).unwrap();
    doc.scenario.answers.pop();
    let err = share::check_lab(&doc).unwrap_err();
    assert_eq!(err.field, "scenario.answers", "{err}");

    // The code edited after the run: refused when read.
    let edited = FIXTURE.replacen("ConsumeStatus.RECONSUME_LATER", "ConsumeStatus.CONSUME_SUCCESS", 1);
    assert_ne!(edited, FIXTURE);
    let err = share::from_json(&edited).unwrap_err();
    assert_eq!((err.kind, err.field.as_str()), (ShareErrorKind::Lab, "lab.code_hash"), "{err}");
}
