//! Preset fingerprints: the trace hash of every preset, natively and in wasm.
//!
//! `tests/golden/preset-hashes.txt` holds one `name hash` line per preset.
//! The native test suite and the browser (wasm32) suite both recompute the
//! hashes and compare them with that file, which proves the engine gives the
//! same run in both worlds. Regenerate it with
//! `UPDATE_GOLDEN=1 cargo test -p rmqsim --test determinism` after an
//! intended behaviour change.

use crate::presets;
use crate::sim::Sim;
use crate::trace::TraceMode;

/// Runs every preset and returns `(name, hash)` pairs in preset order.
pub fn preset_hashes() -> Vec<(&'static str, String)> {
    presets::all()
        .iter()
        .map(|p| {
            let sc = p.scenario().unwrap_or_else(|e| panic!("preset {} is invalid: {e}", p.name));
            let mut sim = Sim::new(sc, TraceMode::Hash).expect("valid preset");
            (p.name, sim.run().hash)
        })
        .collect()
}

/// Parses the golden file's `name hash` lines.
pub fn parse_golden(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' ').map(|(a, b)| (a.to_string(), b.trim().to_string())))
        .collect()
}

/// Writes hashes in the golden file's format.
pub fn format_golden(hashes: &[(&str, String)]) -> String {
    let mut out = String::from("# Trace hash of every preset (native and wasm32 must agree).\n# Regenerate: UPDATE_GOLDEN=1 cargo test -p rmqsim --test determinism\n");
    for (name, hash) in hashes {
        out.push_str(&format!("{name} {hash}\n"));
    }
    out
}

/// Compares computed hashes with the golden file; returns a readable diff on mismatch.
pub fn compare(hashes: &[(&str, String)], golden: &str) -> Result<(), String> {
    let want = parse_golden(golden);
    let mut problems = Vec::new();
    for (name, hash) in hashes {
        match want.iter().find(|(n, _)| n == name) {
            Some((_, h)) if h == hash => {}
            Some((_, h)) => problems.push(format!("{name}: computed {hash}, golden {h}")),
            None => problems.push(format!("{name}: missing from the golden file")),
        }
    }
    for (n, _) in &want {
        if !hashes.iter().any(|(name, _)| name == n) {
            problems.push(format!("{n}: in the golden file but not a preset"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
