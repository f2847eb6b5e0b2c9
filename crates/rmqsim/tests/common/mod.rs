//! Shared helpers for the engine's integration tests: build a scenario from a
//! JSON literal (optionally for a given client flavor), run it to the end with
//! the trace kept, and query the trace records by event and field.
//!
//! Every test states its expected values by hand from
//! design/rocketmq-reference.md; these helpers only run and search, so a
//! failure message always carries the trace lines that matter.
#![allow(dead_code)]

use rmqsim::scenario::Flavor;
use rmqsim::{Record, RunOutcome, Scenario, Sim, TraceMode};

/// The two client flavors whose rules differ.
pub const FLAVORS: [&str; 2] = ["python-cpp", "java4"];

/// Parses a scenario, panicking with the error (field and message) if it is rejected.
pub fn scenario(json: &str) -> Scenario {
    Scenario::from_json(json).unwrap_or_else(|e| panic!("scenario rejected: field `{}`: {}", e.field, e.message))
}

/// Replaces every `$CLIENT` in a JSON template with the flavor name.
pub fn for_client(template: &str, client: &str) -> String {
    template.replace("$CLIENT", client)
}

/// The result of one run: every trace record (the closing `end` line included) and the outcome.
pub struct Run {
    pub records: Vec<Record>,
    pub outcome: RunOutcome,
}

/// Runs a validated scenario to its end with the trace kept and the engine's invariants checked.
pub fn run_scenario(sc: Scenario) -> Run {
    let mut sim = Sim::new(sc, TraceMode::Keep).expect("a validated scenario builds");
    sim.check_invariants(true);
    let outcome = sim.run();
    let records = sim.core.trace.records().to_vec();
    Run { records, outcome }
}

/// Parses and runs a JSON scenario.
pub fn run(json: &str) -> Run {
    run_scenario(scenario(json))
}

/// Parses and runs a JSON template for one client flavor (`$CLIENT` is replaced).
pub fn run_as(template: &str, client: &str) -> Run {
    run(&for_client(template, client))
}

/// A built-in preset's scenario.
pub fn preset(name: &str) -> Scenario {
    let p = rmqsim::presets::find(name).unwrap_or_else(|| panic!("no preset named {name}"));
    p.scenario().unwrap_or_else(|e| panic!("preset {name} rejected: {e}"))
}

/// Runs a built-in preset as it is.
pub fn run_preset(name: &str) -> Run {
    run_scenario(preset(name))
}

/// Runs a built-in preset with another client flavor (re-validated through JSON).
pub fn run_preset_as(name: &str, client: &str) -> Run {
    let mut sc = preset(name);
    sc.client = match client {
        "python-cpp" => Flavor::PythonCpp,
        "java4" => Flavor::Java4,
        other => panic!("unknown flavor {other}"),
    };
    run(&sc.to_json_pretty())
}

impl Run {
    /// Every record of one event kind, in trace order.
    pub fn all(&self, event: &str) -> Vec<&Record> {
        self.records.iter().filter(|r| r.event == event).collect()
    }

    /// Records of one event kind whose string field `key` equals `value`.
    pub fn with(&self, event: &str, key: &str, value: &str) -> Vec<&Record> {
        self.records.iter().filter(|r| r.event == event && r.str(key) == Some(value)).collect()
    }

    /// Records of one event kind about the simulator's message `msg`.
    pub fn for_msg(&self, event: &str, msg: u64) -> Vec<&Record> {
        self.records.iter().filter(|r| r.event == event && r.u("msg") == Some(msg)).collect()
    }

    /// The one record of a kind about `msg`; panics (with the trace of that message) if not exactly one.
    pub fn one_for_msg(&self, event: &str, msg: u64) -> &Record {
        let found = self.for_msg(event, msg);
        assert_eq!(found.len(), 1, "expected exactly one `{event}` for msg {msg}:\n{}", self.story(msg));
        found[0]
    }

    /// Every record mentioning `msg`, as JSON lines (for failure messages).
    pub fn story(&self, msg: u64) -> String {
        lines(self.records.iter().filter(|r| r.u("msg") == Some(msg)))
    }

    /// Every record of the given kinds, as JSON lines (for failure messages).
    pub fn dump(&self, events: &[&str]) -> String {
        lines(self.records.iter().filter(|r| events.contains(&r.event)))
    }

    /// The closing `end` record.
    pub fn end(&self) -> &Record {
        let last = self.records.last().expect("a trace has an end line");
        assert_eq!(last.event, "end", "the last record is the end line");
        last
    }
}

/// Records as JSON lines.
pub fn lines<'a>(records: impl IntoIterator<Item = &'a Record>) -> String {
    records.into_iter().map(Record::json).collect::<Vec<_>>().join("\n")
}

/// The times of some records.
pub fn times(records: &[&Record]) -> Vec<u64> {
    records.iter().map(|r| r.t).collect()
}

/// A string field of some records (`""` where it is missing).
pub fn strs<'a>(records: &[&'a Record], key: &str) -> Vec<&'a str> {
    records.iter().map(|r| r.str(key).unwrap_or("")).collect()
}

/// A number field of some records (`u64::MAX` where it is missing).
pub fn nums(records: &[&Record], key: &str) -> Vec<u64> {
    records.iter().map(|r| r.u(key).unwrap_or(u64::MAX)).collect()
}

/// A string-list field (e.g. `write_queues`) of one record.
pub fn list<'a>(rec: &'a Record, key: &str) -> Vec<&'a str> {
    match rec.get(key) {
        Some(rmqsim::Val::List(items)) => items.iter().map(|s| &**s).collect(),
        other => panic!("field `{key}` is not a list: {other:?} in {}", rec.json()),
    }
}

/// A scratch scenario file for one case, removed when dropped.
pub struct TempFile(pub std::path::PathBuf);

impl TempFile {
    /// `scope` keeps files of different test binaries apart.
    pub fn new(scope: &str, tag: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("rmqsim-{scope}-{}-{tag}.json", std::process::id()));
        std::fs::write(&path, text).expect("write a temp file");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
