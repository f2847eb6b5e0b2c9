//! Input fuzzing: mutated scenario JSON and broker.conf text must never panic.
//!
//! Inputs are derived from the presets by random byte and token mutations
//! (seeded, so every run is reproducible). Each input goes through
//! `Scenario::from_json`; an accepted one is also built and run for a bounded
//! number of events, so odd-but-valid values are exercised too. A panic is a
//! bug; a rejection must carry a one-line message.
//!
//! [`run_share`] does the same for share links and session files
//! (`crate::share`): session documents of the presets with interventions are
//! mutated as JSON (then encoded) or as tokens (characters flipped, dropped,
//! cut); whatever decodes is replayed for a bounded number of events.

use crate::conf::BrokerConf;
use crate::presets;
use crate::rng::{Rng, Stream};
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::trace::TraceMode;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What a fuzzing run saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FuzzReport {
    pub inputs: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub conf_lines: u64,
    /// (input number, panic message) of every input that panicked.
    pub panics: Vec<(u64, String)>,
    /// Rejections whose message was empty or spanned several lines.
    pub bad_messages: Vec<(u64, String)>,
}

const TOKENS: &[&str] = &[
    "-1",
    "0",
    "18446744073709551615",
    "1e308",
    "null",
    "true",
    "\"\"",
    "\"0ms\"",
    "\"30d\"",
    "\"31d\"",
    "[]",
    "{}",
    "\"broker-a\"",
    "\"%RETRY%g\"",
    "1024",
    "1025",
    "10000001",
    "\"ORDERLY\"",
    "\"SUSPEND_CURRENT_QUEUE_A_MOMENT\"",
    "\"transaction\"",
    "\"orderly\"",
    "\"\\u0000\"",
    "\"测试\"",
    "65",
    "0.5",
    "-0.0",
    "\"1m30s\"",
    "\"5x\"",
];

/// A mutated version of `base`.
fn mutate(r: &mut Rng, base: &str) -> String {
    let mut bytes: Vec<u8> = base.as_bytes().to_vec();
    for _ in 0..r.range(1, 4) {
        if bytes.is_empty() {
            break;
        }
        let at = r.range(0, bytes.len() as u64 - 1) as usize;
        match r.range(0, 5) {
            0 => bytes[at] = r.next_u32() as u8,
            1 => {
                bytes.remove(at);
            }
            2 => bytes.truncate(at),
            3 => {
                // Replace the value after a colon with a hostile token.
                if let Some(colon) = bytes[at..].iter().position(|b| *b == b':').map(|p| p + at + 1) {
                    let end = bytes[colon..]
                        .iter()
                        .position(|b| *b == b',' || *b == b'}')
                        .map(|p| p + colon)
                        .unwrap_or(bytes.len());
                    let tok = TOKENS[r.range(0, TOKENS.len() as u64 - 1) as usize].as_bytes();
                    bytes.splice(colon..end, tok.iter().copied());
                }
            }
            4 => {
                let tok = TOKENS[r.range(0, TOKENS.len() as u64 - 1) as usize].as_bytes();
                bytes.splice(at..at, tok.iter().copied());
            }
            _ => {
                let dup: Vec<u8> = bytes[at..bytes.len().min(at + 40)].to_vec();
                bytes.splice(at..at, dup);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn conf_line(r: &mut Rng) -> String {
    let key = crate::conf::KNOWN_KEYS[r.range(0, crate::conf::KNOWN_KEYS.len() as u64 - 1) as usize];
    let value = TOKENS[r.range(0, TOKENS.len() as u64 - 1) as usize].trim_matches('"');
    match r.range(0, 3) {
        0 => format!("{key}={value}"),
        1 => format!("{key} = {value}\n# comment\n{}", "x".repeat(r.range(0, 3) as usize)),
        2 => format!("{}={value}", &key[..key.len() / 2]),
        _ => format!("messageDelayLevel={} {}", value, value),
    }
}

/// Runs `count` fuzz inputs from `seed`.
pub fn run(seed: u64, count: u64) -> FuzzReport {
    let mut r = Rng::new(seed, Stream::Swarm);
    let bases: Vec<&str> = presets::all().iter().map(|p| p.json).collect();
    let mut report = FuzzReport::default();
    for n in 0..count {
        let base = bases[r.range(0, bases.len() as u64 - 1) as usize];
        let input = mutate(&mut r, base);
        let line = conf_line(&mut r);
        report.inputs += 1;
        report.conf_lines += 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut conf = BrokerConf::default();
            let conf_msg = conf.apply(&line).err().map(|e| e.to_string());
            let parsed = Scenario::from_json(&input);
            let accepted = match &parsed {
                Ok(sc) => {
                    let mut sim = Sim::new(sc.clone(), TraceMode::Off).expect("validated scenario builds");
                    sim.set_max_events(2_000);
                    sim.run();
                    true
                }
                Err(_) => false,
            };
            (accepted, parsed.err().map(|e| e.to_string()), conf_msg)
        }));
        match outcome {
            Ok((accepted, err, conf_err)) => {
                if accepted {
                    report.accepted += 1;
                } else {
                    report.rejected += 1;
                }
                for msg in [err, conf_err].into_iter().flatten() {
                    if msg.trim().is_empty() || msg.contains('\n') {
                        report.bad_messages.push((n, msg));
                    }
                }
            }
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                report.panics.push((n, msg));
            }
        }
    }
    report
}

/// A session document of `preset` with a kill, a restart and a send as interventions.
fn share_base(preset: &presets::Preset) -> Option<String> {
    use crate::scenario::{Action, Dur};
    use crate::share::{Intervention, Position, SessionDoc};
    let scenario = preset.scenario().ok()?;
    let broker = scenario.cluster.brokers.first()?.name.clone();
    let mut doc = SessionDoc::new(scenario);
    doc.interventions.push(Intervention {
        events: 10,
        t: 1_000,
        action: Action::Kill { at: Dur(1_000), node: broker.clone() },
    });
    doc.interventions.push(Intervention {
        events: 40,
        t: 3_000,
        action: Action::Restart { at: Dur(3_000), node: broker },
    });
    doc.position = Some(Position { t: 5_000, events: 400 });
    doc.fingerprint = Some("0123456789abcdef".into());
    Some(doc.to_json())
}

/// A token with a few characters flipped, dropped, inserted or cut off.
fn mutate_token(r: &mut Rng, token: &str) -> String {
    const CHARS: &[u8] = b"AZaz09-_=+/$%# \n\x00";
    let mut bytes: Vec<u8> = token.as_bytes().to_vec();
    for _ in 0..r.range(1, 3) {
        if bytes.is_empty() {
            break;
        }
        let at = r.range(0, bytes.len() as u64 - 1) as usize;
        let c = CHARS[r.range(0, CHARS.len() as u64 - 1) as usize];
        match r.range(0, 3) {
            0 => bytes[at] = c,
            1 => {
                bytes.remove(at);
            }
            2 => bytes.truncate(at),
            _ => bytes.insert(at, c),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The base document with its interventions moved to random (often odd,
/// sometimes out-of-order) event counts and times: well-formed JSON that
/// exercises the ordering checks and replays at unusual points.
fn reschedule(r: &mut Rng, base: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(base) else { return base.to_string() };
    if let Some(list) = v.get_mut("interventions").and_then(|l| l.as_array_mut()) {
        let (mut events, mut t) = (0u64, 0u64);
        for iv in list.iter_mut() {
            if r.range(0, 9) == 0 {
                (events, t) = (r.range(0, 3_000), r.range(0, 60_000));
            } else {
                events += r.range(0, 800);
                t += r.range(0, 20_000);
            }
            iv["events"] = events.into();
            iv["t"] = t.into();
        }
    }
    if r.range(0, 1) == 0 {
        v["position"] = serde_json::json!({ "t": r.range(0, 120_000), "events": r.range(0, 3_000) });
    }
    v.to_string()
}

/// Runs `count` share-link inputs from `seed`: mutated session JSON (encoded
/// as a token) and mutated tokens, through `share::decode`; accepted ones are
/// replayed for at most 2,000 events.
pub fn run_share(seed: u64, count: u64) -> FuzzReport {
    use crate::share::{self, Position, ReplayTo};
    use base64::Engine as _;
    let mut r = Rng::new(seed, Stream::Swarm);
    let bases: Vec<String> = presets::all().iter().filter_map(share_base).collect();
    let tokens: Vec<String> =
        bases.iter().map(|b| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)).collect();
    let mut report = FuzzReport::default();
    for n in 0..count {
        let i = r.range(0, bases.len() as u64 - 1) as usize;
        let input = match r.range(0, 4) {
            0 | 1 => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mutate(&mut r, &bases[i])),
            2 => mutate_token(&mut r, &tokens[i]),
            3 => format!("http://127.0.0.1/?embed#s={}", mutate_token(&mut r, &tokens[i])),
            _ => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(reschedule(&mut r, &bases[i])),
        };
        report.inputs += 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| match share::decode(&input) {
            Ok(doc) => {
                let to = ReplayTo::At(Position { t: u64::MAX, events: 2_000 });
                share::replay(&doc, to).expect("a decoded session builds");
                (true, None)
            }
            Err(e) => (false, Some(e.to_string())),
        }));
        match outcome {
            Ok((accepted, err)) => {
                if accepted {
                    report.accepted += 1;
                } else {
                    report.rejected += 1;
                }
                if let Some(msg) = err.filter(|m| m.trim().is_empty() || m.contains('\n')) {
                    report.bad_messages.push((n, msg));
                }
            }
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                report.panics.push((n, msg));
            }
        }
    }
    report
}

#[cfg(test)]
mod share_tests {
    #[test]
    fn every_share_base_decodes() {
        for p in super::presets::all() {
            let base = super::share_base(p).expect("a base");
            if let Err(e) = crate::share::from_json(&base) {
                panic!("{}: {e}", p.name);
            }
        }
    }
}
