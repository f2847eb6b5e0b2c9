//! The guarantee that the narration never lies: every step's claims (and the
//! right answer of its predict question) are checked against the trace the
//! real engine produces at the step's pause point.
//!
//! [`evaluate`] is pure (records in, verdict out), so the UI can also use it,
//! for example to confirm a prediction live. [`run_step`] builds the step's
//! scenario and runs `rmqsim::Sim` to the pause point. The native tests at the
//! bottom run every step of the curriculum.

use rmqsim::{Record, Sim, TraceMode, Val};

use super::model::{Claim, Cmp, Match, Step};

/// Events processed at most while running one step (far above any step's need).
pub const STEP_EVENT_BUDGET: u64 = 5_000_000;

/// Runs the step's scenario to its pause point and returns the trace records.
pub fn run_step(step: &Step) -> Result<Vec<Record>, String> {
    let scenario = step.scenario.build().map_err(|e| format!("step {}: scenario: {e}", step.id))?;
    let mut sim = Sim::new(scenario, TraceMode::Keep).map_err(|e| format!("step {}: {e}", step.id))?;
    sim.run_until(step.pause_ms, STEP_EVENT_BUDGET);
    if sim.now() < step.pause_ms {
        return Err(format!(
            "step {}: the run stopped at {} ms, before the pause at {} ms",
            step.id,
            sim.now(),
            step.pause_ms
        ));
    }
    Ok(sim.core.trace.records().to_vec())
}

/// Whether one filter value matches one field value (see [`Match`]).
fn value_matches(v: &Val, want: &str) -> bool {
    match v {
        Val::U(x) => want.parse::<u64>().is_ok_and(|w| w == *x),
        Val::I(x) => want.parse::<i64>().is_ok_and(|w| w == *x),
        Val::B(x) => want == if *x { "true" } else { "false" },
        Val::Null => want == "null",
        Val::S(s) => str_matches(s, want),
        Val::List(items) => match want.strip_prefix('#') {
            Some(n) => n.parse::<usize>().is_ok_and(|n| n == items.len()),
            None => items.iter().any(|i| &**i == want),
        },
    }
}

fn str_matches(s: &str, want: &str) -> bool {
    if let Some(part) = want.strip_prefix('~') {
        s.contains(part)
    } else if let Some(prefix) = want.strip_suffix('*') {
        s.starts_with(prefix)
    } else {
        s == want
    }
}

/// Whether a record belongs to the set `m` describes.
pub fn matches(m: &Match, r: &Record) -> bool {
    r.event == m.event
        && r.t >= m.from_ms
        && r.t <= m.to_ms
        && m.filter.iter().all(|(k, want)| r.get(k).is_some_and(|v| value_matches(v, want)))
}

/// The records `m` describes, in trace order.
pub fn select<'a>(records: &'a [Record], m: &'a Match) -> impl Iterator<Item = &'a Record> + 'a {
    records.iter().filter(move |r| matches(m, r))
}

fn describe(m: &Match) -> String {
    let mut s = m.event.to_string();
    if !m.filter.is_empty() {
        let parts: Vec<String> = m.filter.iter().map(|(k, v)| format!("{k}={v}")).collect();
        s.push_str(&format!("[{}]", parts.join(", ")));
    }
    if m.from_ms > 0 || m.to_ms < u64::MAX {
        s.push_str(&format!(" in {}..={} ms", m.from_ms, m.to_ms));
    }
    s
}

/// Checks one claim against a trace; `Err` says what was found instead.
pub fn evaluate(claim: &Claim, records: &[Record]) -> Result<(), String> {
    match claim {
        Claim::Count { m, cmp, n } => {
            let found = select(records, m).count() as u64;
            let ok = match cmp {
                Cmp::Eq => found == *n,
                Cmp::AtLeast => found >= *n,
                Cmp::AtMost => found <= *n,
            };
            if ok {
                Ok(())
            } else {
                Err(format!("expected {cmp:?} {n} of {}, found {found}", describe(m)))
            }
        }
        Claim::Before { first, then } => {
            let a = records.iter().position(|r| matches(first, r));
            let b = records.iter().position(|r| matches(then, r));
            match (a, b) {
                (Some(a), Some(b)) if a < b => Ok(()),
                (Some(a), Some(b)) => Err(format!(
                    "{} (t={}) comes after {} (t={})",
                    describe(first),
                    records[a].t,
                    describe(then),
                    records[b].t
                )),
                (None, _) => Err(format!("no {}", describe(first))),
                (_, None) => Err(format!("no {}", describe(then))),
            }
        }
        Claim::Gap { from, from_nth, to, to_nth, min_ms, max_ms } => {
            let a = select(records, from).nth(*from_nth).map(|r| r.t);
            let b = select(records, to).nth(*to_nth).map(|r| r.t);
            match (a, b) {
                (Some(a), Some(b)) if b >= a && (b - a) >= *min_ms && (b - a) <= *max_ms => Ok(()),
                (Some(a), Some(b)) => Err(format!(
                    "{} #{from_nth} at {a} ms and {} #{to_nth} at {b} ms are {} ms apart, not {min_ms}..={max_ms}",
                    describe(from),
                    describe(to),
                    b as i128 - a as i128
                )),
                (None, _) => Err(format!("no {} #{from_nth}", describe(from))),
                (_, None) => Err(format!("no {} #{to_nth}", describe(to))),
            }
        }
        Claim::Ascending { m, field } => {
            let values: Vec<u64> = select(records, m).filter_map(|r| r.u(field)).collect();
            if values.len() < 2 {
                return Err(format!("fewer than two {} with a numeric {field}", describe(m)));
            }
            match values.windows(2).position(|w| w[1] < w[0]) {
                None => Ok(()),
                Some(i) => Err(format!("{field} goes down from {} to {} in {}", values[i], values[i + 1], describe(m))),
            }
        }
        Claim::Latest { m, key_field, list, expect } => {
            for (key, n) in expect.iter() {
                let latest = select(records, m).filter(|r| r.str(key_field) == Some(key)).last();
                let len = match latest.and_then(|r| r.get(list)) {
                    Some(Val::List(items)) => items.len() as u64,
                    Some(_) => return Err(format!("{list} of {} for {key} is not a list", describe(m))),
                    None => return Err(format!("no {} for {key_field}={key}", describe(m))),
                };
                if len != *n {
                    return Err(format!("the newest {} for {key} has {len} {list}, not {n}", describe(m)));
                }
            }
            Ok(())
        }
        Claim::ConfRejected { conf, needle } => {
            let json = serde_json::json!({
                "cluster": { "brokers": [ { "name": "broker-a" } ], "broker_conf": conf }
            });
            match rmqsim::Scenario::from_json(&json.to_string()) {
                Ok(_) => Err(format!("broker.conf {conf:?} was accepted")),
                Err(e) if e.to_string().contains(needle) => Ok(()),
                Err(e) => {
                    Err(format!("broker.conf {conf:?} was refused, but the error does not mention {needle:?}: {e}"))
                }
            }
        }
        Claim::All(claims) => {
            for (i, c) in claims.iter().enumerate() {
                evaluate(c, records).map_err(|e| format!("part {i}: {e}"))?;
            }
            Ok(())
        }
        Claim::Not(inner) => match evaluate(inner, records) {
            Ok(()) => Err(format!("expected this not to hold, but it does: {inner:?}")),
            Err(_) => Ok(()),
        },
    }
}

/// One problem found while verifying a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub step: &'static str,
    /// `claim 2`, `predict choice 1`, …
    pub what: String,
    pub detail: String,
}

/// Checks a step against records already produced at its pause point: every
/// claim holds; the right predict choice's claim holds and every other
/// choice's claim does not.
pub fn check_step_records(step: &Step, records: &[Record]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut finding = |what: String, detail: String| out.push(Finding { step: step.id, what, detail });
    for (i, claim) in step.claims.iter().enumerate() {
        if let Err(e) = evaluate(claim, records) {
            finding(format!("claim {i}"), e);
        }
    }
    if let Some(predict) = &step.predict {
        for (i, choice) in predict.choices.iter().enumerate() {
            let verdict = evaluate(&choice.claim, records);
            match (i == predict.answer, verdict) {
                (true, Err(e)) => finding(format!("predict choice {i} (the right answer)"), e),
                (false, Ok(())) => finding(
                    format!("predict choice {i} (a wrong answer)"),
                    "its claim holds too, so the question has more than one right answer".to_string(),
                ),
                _ => {}
            }
        }
    }
    out
}

/// Runs the step and checks it (see [`check_step_records`]).
pub fn check_step(step: &Step) -> Vec<Finding> {
    match run_step(step) {
        Ok(records) => check_step_records(step, &records),
        Err(e) => vec![Finding { step: step.id, what: "run".to_string(), detail: e }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tutorial::chapters::{step, step_index, STEPS};
    use crate::tutorial::model::{at_least, before, count, gap, none, Match};

    /// Claims the engine does not bear out, kept visible rather than bent:
    /// (step id, what failed, why it is believed to be an engine bug).
    /// The test below fails if one of these starts passing, so the list stays true.
    const KNOWN_ENGINE_ISSUES: &[(&str, &str, &str)] = &[];

    fn rec(t: u64, event: &'static str) -> Record {
        Record::new(t, event)
    }

    #[test]
    fn filters_match_numbers_strings_prefixes_substrings_and_lists() {
        let r = rec(10, "send_result")
            .f("msg", 5u64)
            .f("queue", "broker-a:TopicTest:0")
            .f("why", "sharding key \"order-1\": std::hash")
            .f("first", true)
            .f("queues", vec![std::rc::Rc::from("a"), std::rc::Rc::from("b")]);
        let m = |filter: &'static [(&'static str, &'static str)]| Match::ev("send_result").with(filter);
        assert!(matches(&m(&[("msg", "5")]), &r));
        assert!(!matches(&m(&[("msg", "6")]), &r));
        assert!(matches(&m(&[("queue", "broker-a:*")]), &r));
        assert!(!matches(&m(&[("queue", "broker-b:*")]), &r));
        assert!(matches(&m(&[("why", "~\"order-1\"")]), &r));
        assert!(matches(&m(&[("first", "true")]), &r));
        assert!(matches(&m(&[("queues", "#2")]), &r));
        assert!(matches(&m(&[("queues", "b")]), &r));
        assert!(!matches(&m(&[("missing", "x")]), &r));
        assert!(!matches(&Match::ev("send_result").between(11, 20), &r));
        assert!(!matches(&Match::ev("stored"), &r));
    }

    #[test]
    fn claims_evaluate_as_documented() {
        let recs = vec![
            rec(1, "send_attempt").f("msg", 1u64),
            rec(5, "send_result").f("msg", 1u64),
            rec(9, "delivered").f("msg", 1u64).f("queue_offset", 0u64),
            rec(12, "delivered").f("msg", 2u64).f("queue_offset", 1u64),
        ];
        assert!(evaluate(&count(Match::ev("delivered"), 2), &recs).is_ok());
        assert!(evaluate(&count(Match::ev("delivered"), 3), &recs).is_err());
        assert!(evaluate(&at_least(Match::ev("delivered"), 1), &recs).is_ok());
        assert!(evaluate(&none(Match::ev("stored")), &recs).is_ok());
        assert!(evaluate(&before(Match::ev("send_result"), Match::ev("delivered")), &recs).is_ok());
        assert!(evaluate(&before(Match::ev("delivered"), Match::ev("send_result")), &recs).is_err());
        assert!(evaluate(&gap(Match::ev("send_attempt"), 0, Match::ev("delivered"), 1, 11, 11), &recs).is_ok());
        assert!(evaluate(&gap(Match::ev("send_attempt"), 0, Match::ev("delivered"), 1, 0, 10), &recs).is_err());
        assert!(evaluate(&Claim::Ascending { m: Match::ev("delivered"), field: "queue_offset" }, &recs).is_ok());
        const NO_DELIVERY: Claim = none(Match::ev("delivered"));
        const BOTH: &[Claim] = &[none(Match::ev("stored")), none(Match::ev("delivered"))];
        assert!(evaluate(&Claim::Not(&NO_DELIVERY), &recs).is_ok());
        assert!(evaluate(&Claim::All(BOTH), &recs).is_err());
        let conf = Claim::ConfRejected { conf: "brokerIP=1.2.3.4", needle: "did you mean brokerIP1?" };
        assert!(evaluate(&conf, &recs).is_ok());
        let ok_conf = Claim::ConfRejected { conf: "brokerIP1=1.2.3.4", needle: "x" };
        assert!(evaluate(&ok_conf, &recs).is_err());
    }

    /// The guarantee: every step's narration and predict answer hold in the engine's trace.
    #[test]
    fn every_step_says_only_what_the_engine_shows() {
        let mut unexpected = Vec::new();
        let mut known_seen = Vec::new();
        for s in STEPS {
            for f in check_step(s) {
                match KNOWN_ENGINE_ISSUES.iter().find(|(id, what, _)| *id == f.step && *what == f.what) {
                    Some(k) => known_seen.push(k.0),
                    None => unexpected.push(format!("{} / {}: {}", f.step, f.what, f.detail)),
                }
            }
        }
        assert!(unexpected.is_empty(), "narration not borne out by the engine:\n{}", unexpected.join("\n"));
        for (id, what, why) in KNOWN_ENGINE_ISSUES {
            assert!(
                known_seen.contains(id),
                "{id} / {what} now passes ({why}): the engine was fixed, remove it from KNOWN_ENGINE_ISSUES"
            );
        }
    }

    #[test]
    fn the_five_attempts_step_finds_five_attempts_for_its_message() {
        let s = step(step_index("sync-five-attempts").unwrap()).unwrap();
        let recs = run_step(s).unwrap();
        let attempts: Vec<u64> = recs
            .iter()
            .filter(|r| r.event == "send_attempt" && r.u("msg") == Some(1))
            .filter_map(|r| r.u("attempt"))
            .collect();
        assert_eq!(attempts, vec![1, 2, 3, 4, 5]);
        let times: Vec<u64> = recs.iter().filter(|r| r.event == "send_attempt").map(|r| r.t).collect();
        assert!(times.windows(2).all(|w| w[1] - w[0] == 3_000), "each attempt gets its own 3 s: {times:?}");
    }

    #[test]
    fn retry_k_uses_delay_level_three_plus_k_minus_one() {
        // Computed from the reference (§6.2), checked against the engine's trace.
        const LEVEL_SECS: [u64; 18] =
            [1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200];
        let s = step(step_index("retry-dlq").unwrap()).unwrap();
        let recs = run_step(s).unwrap();
        let retries: Vec<(u64, u64)> = recs
            .iter()
            .filter(|r| r.event == "retry_scheduled")
            .map(|r| (r.u("reconsume_times").unwrap(), r.u("delay_level").unwrap()))
            .collect();
        assert_eq!(retries.len(), 16);
        for (k, (times, level)) in retries.iter().enumerate() {
            let k = k as u64 + 1;
            assert_eq!(*times, k, "retry #{k} carries reconsume_times {k}");
            assert_eq!(*level, 3 + k - 1, "retry #{k} uses level 3+{k}-1");
        }
        let consumed: Vec<u64> = recs.iter().filter(|r| r.event == "consumed").map(|r| r.t).collect();
        let delivered: Vec<u64> = recs.iter().filter(|r| r.event == "delivered").map(|r| r.t).collect();
        for k in 1..=16usize {
            let wait = delivered[k] - consumed[k - 1];
            let want = LEVEL_SECS[(3 + k - 1) - 1] * 1000;
            assert!(
                (want..=want + 200).contains(&wait),
                "after failure {k}: waited {wait} ms, level {} is {want} ms",
                3 + k - 1
            );
        }
    }

    #[test]
    fn the_sharding_key_queue_is_std_hash_mod_queues() {
        for (key, queue) in [("order-1", 1u64), ("order-2", 0), ("order-3", 0)] {
            assert_eq!(rmqsim::hashing::std_hash(key) % 4, queue, "{key}");
        }
    }

    #[test]
    fn a_wrong_claim_is_reported() {
        let mut s = *step(step_index("sync-five").unwrap()).unwrap();
        const WRONG: &[Claim] = &[count(Match::ev("send_result"), 6)];
        s.claims = WRONG;
        let findings = check_step(&s);
        assert_eq!(findings.len(), 1);
        assert!(findings[0].detail.contains("found 5"), "{:?}", findings[0]);
    }
}
