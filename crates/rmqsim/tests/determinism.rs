//! One seed reproduces a run: every preset's trace hash matches the golden
//! file (`tests/golden/preset-hashes.txt`, shared with the wasm32 suite), the
//! same seed twice gives the same trace line for line, another seed gives
//! another run, and the reported hash covers every trace line.
//!
//! Regenerate the golden file after an intended behaviour change:
//! `UPDATE_GOLDEN=1 cargo test -p rmqsim --test determinism`.

use rmqsim::hashing::Fnv64;
use rmqsim::{Sim, TraceMode};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/preset-hashes.txt");

#[test]
fn preset_hashes_match_the_golden_file() {
    let hashes = rmqsim::golden::preset_hashes();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(GOLDEN, rmqsim::golden::format_golden(&hashes)).expect("write the golden file");
        return;
    }
    let golden = std::fs::read_to_string(GOLDEN).expect("read the golden file");
    if let Err(diff) = rmqsim::golden::compare(&hashes, &golden) {
        panic!("preset hashes changed:\n{diff}\nIf the change in behaviour is intended, run UPDATE_GOLDEN=1 cargo test -p rmqsim --test determinism");
    }
}

fn trace_lines(p: &rmqsim::presets::Preset, seed: Option<u64>) -> Vec<String> {
    let mut sc = p.scenario().expect("valid preset");
    if let Some(s) = seed {
        sc.seed = s;
    }
    let mut sim = Sim::new(sc, TraceMode::Keep).expect("builds");
    sim.run();
    sim.core.trace.records().iter().map(rmqsim::Record::json).collect()
}

#[test]
fn same_seed_twice_gives_the_same_trace() {
    for p in rmqsim::presets::all() {
        let a = trace_lines(p, None);
        let b = trace_lines(p, None);
        assert!(a == b, "{} is not deterministic: traces differ", p.name);
    }
}

#[test]
fn another_seed_changes_the_run() {
    let p = rmqsim::presets::find("tutorial-basic").expect("preset");
    let sc = p.scenario().expect("valid preset");
    let a = trace_lines(p, Some(sc.seed));
    let b = trace_lines(p, Some(sc.seed + 1));
    assert_ne!(a, b, "the seed must matter (latency draws, client ids)");
}

#[test]
fn hash_covers_every_line() {
    let p = rmqsim::presets::find("tutorial-basic").expect("preset");
    let mut sim = Sim::new(p.scenario().expect("valid preset"), TraceMode::Keep).expect("builds");
    let outcome = sim.run();
    let records = sim.core.trace.records();
    let (end, lines) = records.split_last().expect("an end line");
    let mut hasher = Fnv64::default();
    for r in lines {
        hasher.write(r.json().as_bytes());
        hasher.write(b"\n");
    }
    assert_eq!(hasher.hex(), outcome.hash);
    assert_eq!(end.str("hash"), Some(outcome.hash.as_str()));
}
