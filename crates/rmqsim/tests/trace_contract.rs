//! The trace contract of design/scenario-and-trace.md as the runner shows it:
//! the headless runner prints exactly the library's trace, the `end` line
//! closes it with the hash and the count of the lines before it, and keeping
//! records in memory does not change the hash.

mod common;

use common::*;
use rmqsim::{Sim, TraceMode};
use std::process::Command;

#[test]
fn the_runner_prints_the_library_trace_line_for_line() {
    for name in ["tutorial-basic", "delay-tutorial", "oneway-loss"] {
        let lib = run_preset(name);
        let out =
            Command::new(env!("CARGO_BIN_EXE_rmqsim")).args(["run", "--preset", name]).output().expect("run rmqsim");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).expect("utf-8 trace");
        let printed: Vec<&str> = stdout.lines().collect();
        let expected: Vec<String> = lib.records.iter().map(rmqsim::Record::json).collect();
        assert_eq!(printed, expected, "{name}: the runner's trace is the library's trace");
    }
}

#[test]
fn the_end_line_carries_the_hash_and_the_line_count() {
    for p in rmqsim::presets::all().iter().take(5) {
        let r = run_preset(p.name);
        let end = r.end();
        assert_eq!(end.str("hash"), Some(r.outcome.hash.as_str()), "{}", p.name);
        assert_eq!(end.u("events"), Some(r.records.len() as u64 - 1), "{}: lines before the end line", p.name);
        assert_eq!(end.u("events"), Some(r.outcome.trace_lines));
        assert_eq!(end.t, r.outcome.end_ms);
        assert_eq!(end.str("reason"), Some(r.outcome.reason.name()));
        assert!(
            r.records[..r.records.len() - 1].windows(2).all(|w| w[0].t <= w[1].t),
            "{}: virtual-time order",
            p.name
        );
    }
}

#[test]
fn keeping_records_does_not_change_the_hash() {
    let sc = preset("tutorial-basic");
    let mut kept = Sim::new(sc.clone(), TraceMode::Keep).expect("builds");
    let mut hashed = Sim::new(sc, TraceMode::Hash).expect("builds");
    assert_eq!(kept.run().hash, hashed.run().hash);
}

#[test]
fn every_line_is_valid_json_with_t_and_event() {
    let r = run_preset("tutorial-basic");
    for rec in &r.records {
        let v: serde_json::Value = serde_json::from_str(&rec.json()).unwrap_or_else(|e| panic!("{e}: {}", rec.json()));
        assert_eq!(v["t"].as_u64(), Some(rec.t));
        assert_eq!(v["event"].as_str(), Some(rec.event));
    }
}
