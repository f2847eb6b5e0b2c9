//! The coordinator, natively, with scripted stand-ins for the Python
//! programs: each one answers the coordinator's responses exactly as the
//! tutorial's programs do under the real runtime (the browser tests run
//! the real ones). A recorded run must replay, without the programs, to
//! the same fingerprint.

use std::collections::VecDeque;

use rmqsim::labdoc::LabProgram;
use rmqsim::share::{self, ReplayTo};
use rmqsim::trace::Trace;
use serde_json::{json, Value};

use crate::model;
use crate::sched::{End, Exit, KnownClient, Run, Tick};

/// A scripted program: a queue of steps, and what it saw.
#[derive(Clone)]
struct Fake {
    steps: VecDeque<Step>,
    /// What a consume callback returns (S, L or T).
    listener: char,
    /// What transaction callbacks return, in order (the last repeats).
    txn: Vec<char>,
    results: Vec<Value>,
    callbacks: Vec<Value>,
    /// Virtual time of each callback, and of each send's result.
    cb_times: Vec<u64>,
    result_times: Vec<u64>,
}

#[derive(Clone)]
enum Step {
    Req(Value),
    /// Repeat this sleep forever (`while True: time.sleep(3600)`).
    SleepForever(u64),
    Exit,
}

impl Fake {
    fn new(steps: Vec<Step>, listener: char) -> Fake {
        Fake {
            steps: steps.into(),
            listener,
            txn: vec!['C'],
            results: Vec::new(),
            callbacks: Vec::new(),
            cb_times: Vec::new(),
            result_times: Vec::new(),
        }
    }

    /// The next thing the program does after `response` (None at start).
    fn next(&mut self, response: Option<&Value>) -> Result<String, Exit> {
        if let Some(r) = response {
            let now = r["now_ms"].as_u64().unwrap_or(0);
            if let Some(cb) = r.get("callback") {
                self.cb_times.push(now);
                self.callbacks.push(cb.clone());
                let letter = if cb["kind"] == "consume" {
                    self.listener
                } else {
                    let n = self.callbacks.iter().filter(|c| c["kind"] != "consume").count();
                    self.txn[(n - 1).min(self.txn.len() - 1)]
                };
                return Ok(json!({"op": "callback_done", "line": 9, "result": letter.to_string()}).to_string());
            }
            if r.get("result").is_some() || r.get("error").is_some() {
                self.result_times.push(now);
                self.results.push(r.clone());
            }
        }
        match self.steps.front().cloned() {
            None | Some(Step::Exit) => Err(Exit::Ok),
            Some(Step::SleepForever(ms)) => Ok(json!({"op": "sleep", "line": 21, "ms": ms}).to_string()),
            Some(Step::Req(v)) => {
                self.steps.pop_front();
                Ok(v.to_string())
            }
        }
    }
}

fn start_producer(group: &str) -> Step {
    Step::Req(json!({"op": "start", "line": 21, "handle": 0, "client": {"type": "producer", "group": group,
        "namesrv": "192.168.2.57:9876", "subscriptions": []}}))
}

fn start_consumer(group: &str) -> Step {
    Step::Req(json!({"op": "start", "line": 18, "handle": 0, "client": {"type": "push_consumer", "group": group,
        "namesrv": "192.168.2.57:9876", "subscriptions": [{"topic": "TopicTest", "expression": "*"}]}}))
}

fn send(line: u32, delay_level: i64) -> Step {
    Step::Req(json!({"op": "send", "line": line, "handle": 0, "mode": "sync", "msg": {"topic": "TopicTest",
        "tags": "xbl", "keys": "xin", "body": "测试用内容", "properties": [["name", "micro services"]], "delay_level": delay_level}}))
}

fn sleep(ms: u64) -> Step {
    Step::Req(json!({"op": "sleep", "line": 12, "ms": ms}))
}

fn shutdown() -> Step {
    Step::Req(json!({"op": "shutdown", "line": 29, "handle": 0}))
}

/// producer.py: start, five sync sends, shutdown.
fn producer_py(delay_level: i64) -> Fake {
    let mut steps = vec![start_producer("test")];
    steps.extend((0..5).map(|_| send(25, delay_level)));
    steps.push(shutdown());
    steps.push(Step::Exit);
    Fake::new(steps, 'S')
}

/// The tutorial's consumer: start, then sleep an hour at a time forever.
fn consumer_py(listener: char) -> Fake {
    Fake::new(vec![start_consumer("python_consumer"), Step::SleepForever(3_600_000)], listener)
}

fn programs(n: usize) -> Vec<LabProgram> {
    // Forty lines, so the scripted line numbers exist.
    (0..n).map(|i| LabProgram { name: format!("p{i}.py"), code: format!("# program {i}\n").repeat(40) }).collect()
}

/// Runs fakes to the end, restarting when clients are learned, as the host does.
fn run(fakes: &[Fake], horizon: u64) -> (Run, Vec<Fake>) {
    let base = model::default_cluster();
    let progs = programs(fakes.len());
    let mut known: Vec<KnownClient> = Vec::new();
    for _restart in 0..10 {
        let mut live: Vec<Fake> = fakes.to_vec();
        let mut run = Run::new(&base, &progs, &known, horizon, false).expect("run");
        for (p, f) in live.iter_mut().enumerate() {
            match f.next(None) {
                Ok(req) => run.request(p, &req),
                Err(exit) => run.exited(p, exit),
            }
        }
        loop {
            match run.advance(1_000_000) {
                Tick::Respond(p, text) => {
                    let v: Value = serde_json::from_str(&text).expect("json");
                    match live[p].next(Some(&v)) {
                        Ok(req) => run.request(p, &req),
                        Err(exit) => run.exited(p, exit),
                    }
                }
                Tick::Busy => {}
                Tick::Wait => panic!("a scripted program never keeps the coordinator waiting"),
                Tick::Restart(k) => {
                    known = k;
                    break;
                }
                Tick::Done => return (run, live),
            }
        }
    }
    panic!("too many restarts");
}

#[test]
fn the_tutorials_producer_gets_the_presets_queues_and_offsets() {
    let (run, fakes) = run(&[producer_py(0), consumer_py('S')], 60_000);
    assert_eq!(run.end(), Some(&End::Horizon));
    let results = &fakes[0].results;
    assert_eq!(results.len(), 5, "five send_sync results: {results:?}");
    let offsets: Vec<u64> =
        results.iter().map(|r| r["result"]["offset"].as_u64().unwrap_or_else(|| panic!("{r}"))).collect();
    assert_eq!(offsets, [0, 0, 0, 0, 1], "tutorial-basic: queues 0,1,2,3,0");
    for r in results {
        assert_eq!(r["result"]["status"], "SEND_OK");
        assert_eq!(r["result"]["msg_id"].as_str().map(str::len), Some(32));
    }
    assert_eq!(fakes[1].callbacks.len(), 5, "the consumer receives all five");
    for cb in &fakes[1].callbacks {
        assert_eq!(cb["msg"]["topic"], "TopicTest");
        assert_eq!(cb["msg"]["body"], "测试用内容");
        assert_eq!(cb["msg"]["keys"], "xin");
    }
    let doc = run.document();
    assert_eq!(doc.scenario.answers, "SSSSS");
    share::check_lab(&doc).expect("the recorded run replays to its fingerprint");
    // The document, as text, reads back and replays the same.
    let back = share::from_json(&doc.to_json()).expect("reads back");
    share::check_lab(&back).expect("replays after a round trip");
}

#[test]
fn the_same_programs_give_the_same_fingerprint() {
    let a = run(&[producer_py(0), consumer_py('S')], 60_000).0.document();
    let b = run(&[producer_py(0), consumer_py('S')], 60_000).0.document();
    assert_eq!(a.lab.as_ref().unwrap()["fingerprint"], b.lab.as_ref().unwrap()["fingerprint"]);
    assert_eq!(a.to_json(), b.to_json());
}

#[test]
fn delayed_messages_arrive_five_seconds_after_their_send() {
    let (run, fakes) = run(&[producer_py(2), consumer_py('S')], 60_000);
    let doc = run.document();
    share::check_lab(&doc).expect("replays");
    let sent = &fakes[0].result_times;
    let got = &fakes[1].cb_times;
    assert_eq!((sent.len(), got.len()), (5, 5));
    for (s, g) in sent.iter().zip(got) {
        // Level 2 is 5 s; the schedule is checked every 100 ms (4.9.3+).
        let wait = g - s;
        assert!((4_900..=5_200).contains(&wait), "sent at {s} ms, consumed at {g} ms: {sent:?} {got:?}");
    }
    let replayed = share::replay(&doc, ReplayTo::End).unwrap();
    assert!(replayed.records > 0);
}

#[test]
fn reconsume_later_brings_retries_at_ten_and_forty_seconds() {
    let (run, fakes) = run(&[producer_py(0), consumer_py('L')], 60_000);
    let doc = run.document();
    share::check_lab(&doc).expect("replays");
    assert!(doc.scenario.answers.chars().all(|c| c == 'L'));
    let (_, mut sim) = share::replay_with_trace(&doc, ReplayTo::End, Trace::new(rmqsim::TraceMode::Keep)).unwrap();
    let records = sim.drain_records();
    // Every message (the C++ client sends a failed batch back whole) is
    // scheduled again at level 3 (10 s), then level 4 (30 s).
    for msg in 1..=5u64 {
        let retries: Vec<(u64, u64, u64)> = records
            .iter()
            .filter(|r| r.event == "retry_scheduled" && r.u("msg") == Some(msg))
            .map(|r| (r.u("reconsume_times").unwrap(), r.u("delay_level").unwrap(), r.u("due").unwrap() - r.t))
            .collect();
        assert_eq!(&retries[..2], &[(1, 3, 10_000), (2, 4, 30_000)], "msg {msg}: {retries:?}");
    }
    // The callback sees the first message again 10 s and then 40 s later.
    let first: Vec<u64> = fakes[1]
        .callbacks
        .iter()
        .zip(&fakes[1].cb_times)
        .filter(|(c, _)| c["msg"]["id"] == fakes[1].callbacks[0]["msg"]["id"])
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(first.len(), 3, "{first:?}");
    assert!((10_000..10_300).contains(&(first[1] - first[0])), "{first:?}");
    assert!((40_000..40_400).contains(&(first[2] - first[0])), "{first:?}");
}

#[test]
fn two_producers_interleave_by_virtual_time() {
    let producer = |group: &str| {
        let mut steps = vec![start_producer(group)];
        for _ in 0..5 {
            steps.push(send(5, 0));
            steps.push(sleep(1_000));
        }
        steps.push(Step::Exit);
        Fake::new(steps, 'S')
    };
    let (run, _) = run(&[producer("a"), producer("b")], 10_000);
    let doc = run.document();
    let senders: Vec<(u64, String)> = doc
        .interventions
        .iter()
        .filter_map(|iv| match &iv.action {
            rmqsim::scenario::Action::Send(s) => Some((iv.t / 1000, s.producer.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(senders.len(), 10);
    // Each second both send once (whichever's sleep ends first goes first);
    // at t = 0 both start at once and program order decides.
    assert_eq!((senders[0].1.as_str(), senders[1].1.as_str()), ("a", "b"), "{senders:?}");
    for (second, pair) in senders.chunks(2).enumerate() {
        assert!(pair.iter().all(|s| s.0 == second as u64), "second {second}: {senders:?}");
        assert_ne!(pair[0].1, pair[1].1, "second {second}: {senders:?}");
    }
    share::check_lab(&doc).expect("replays");
}

#[test]
fn a_wrong_namesrv_address_fails_the_send_with_no_route() {
    let mut producer = producer_py(0);
    producer.steps[0] = Step::Req(json!({"op": "start", "line": 21, "handle": 0, "client": {"type": "producer",
        "group": "test", "namesrv": "127.0.0.1:9876", "subscriptions": []}}));
    let (run, fakes) = run(&[producer], 30_000);
    let first = &fakes[0].results[0];
    assert_eq!(first["error"]["type"], "ProducerSendSyncFailed", "{first}");
    assert!(first["error"]["message"].as_str().unwrap().contains("No route info of this topic"), "{first}");
    assert!(run.record().console.iter().any(|c| c.text.contains("127.0.0.1:9876")), "the lab names the wrong address");
}

#[test]
fn a_syntax_error_ends_the_run_before_it_starts() {
    let base = model::default_cluster();
    let mut run = Run::new(&base, &programs(2), &[], 60_000, false).unwrap();
    run.exited(1, Exit::Syntax { message: "SyntaxError: invalid syntax".into(), line: 3, col: 7 });
    assert_eq!(run.advance(1000), Tick::Done);
    assert!(matches!(run.end(), Some(End::Syntax { program: 1, line: 3, col: 7, .. })));
}

#[test]
fn a_failed_program_keeps_the_run_so_far_and_its_traceback() {
    let mut producer = producer_py(0);
    producer.steps.truncate(3); // start and two sends, then it raises
    let (run, _) = {
        let base = model::default_cluster();
        let progs = programs(1);
        let mut known = Vec::new();
        loop {
            let mut f = producer.clone();
            let mut run = Run::new(&base, &progs, &known, 20_000, true).unwrap();
            run.request(0, &f.next(None).unwrap());
            let mut restart = None;
            loop {
                match run.advance(1_000_000) {
                    Tick::Respond(p, text) => {
                        let v: Value = serde_json::from_str(&text).unwrap();
                        match f.next(Some(&v)) {
                            Ok(req) => run.request(p, &req),
                            Err(_) => {
                                run.output(0, false, "before the crash");
                                run.exited(
                                    0,
                                    Exit::Failed {
                                        message: "ZeroDivisionError".into(),
                                        traceback: "Traceback (most recent call last):\n  File \"p0.py\", line 7\nZeroDivisionError: divide by zero".into(),
                                        hint: None,
                                    },
                                )
                            }
                        }
                    }
                    Tick::Restart(k) => {
                        restart = Some(k);
                        break;
                    }
                    Tick::Done => break,
                    _ => {}
                }
            }
            match restart {
                Some(k) => known = k,
                None => break (run, f),
            }
        }
    };
    let rec = run.record();
    assert!(rec.console.iter().any(|c| c.text == "before the crash"));
    assert!(rec.console.iter().any(|c| c.err && c.text.contains("line 7")));
    let doc = run.document();
    let sends = doc.interventions.iter().filter(|iv| matches!(iv.action, rmqsim::scenario::Action::Send(_))).count();
    assert_eq!(sends, 2, "the two sends before the crash are kept");
    share::check_lab(&doc).expect("replays");
}

#[test]
fn a_transaction_left_unknown_is_committed_by_the_checker_and_consumed() {
    let mut producer = Fake::new(
        vec![
            Step::Req(json!({"op": "start", "line": 17, "handle": 0, "client": {"type": "transaction_producer",
                "group": "txn_group", "namesrv": "192.168.2.57:9876", "subscriptions": []}})),
            Step::Req(
                json!({"op": "send", "line": 22, "handle": 0, "mode": "transaction", "msg": {"topic": "TopicTest",
                "keys": "order-1", "body": "pay order 1", "properties": [], "delay_level": 0}}),
            ),
            Step::SleepForever(3_600_000),
        ],
        'S',
    );
    // local_execute answers UNKNOWN; the broker's check-back then hears COMMIT.
    producer.txn = vec!['U', 'C'];
    let (run, fakes) = run(&[producer, consumer_py('S')], 120_000);
    let doc = run.document();
    share::check_lab(&doc).expect("replays");
    let kinds: Vec<&str> = fakes[0].callbacks.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds[..2], ["local_execute", "check"], "{kinds:?}");
    let result = &fakes[0].results[0];
    assert_eq!(result["result"]["status"], "SEND_OK", "{result}");
    assert!(
        fakes[0].result_times[0] < fakes[0].cb_times[1],
        "send_message_in_transaction returns before the check-back"
    );
    assert_eq!(fakes[1].callbacks.len(), 1, "the committed message is consumed once");
    assert_eq!(fakes[1].callbacks[0]["msg"]["body"], "pay order 1");
    assert!(doc.scenario.answers.starts_with("UC"), "{}", doc.scenario.answers);
}
