//! How a tutorial step drives the simulator: which run it needs, where that
//! run starts and where it pauses, and what a predict-then-observe question
//! holds back. Pure, so the rules are tested natively; `app.rs` turns them
//! into driver commands.
//!
//! **Steps and runs.** A step runs its scenario (`step.scenario`, built with
//! [`ScenarioRef::build`]) from t = 0 and pauses at `pause_ms`, where the
//! narrated outcome is on screen. Showing a step is always *load, then seek*:
//! the driver replays deterministically, so going Back to a step rebuilds
//! exactly the state it showed before. When the step shown before runs the
//! same scenario (the same [`ScenarioRef`], no listener switch, no
//! intervention by the learner), the load is skipped and the driver only
//! seeks, forwards from where it is or backwards by replaying from t = 0;
//! either way the state at the target time is the same.
//!
//! **Where a step begins** ([`start_ms`]): at the previous step's pause point
//! when the two steps share their scenario and the previous one pauses
//! earlier (the narration continues the same run), otherwise at t = 0.
//!
//! **The predict rule** ([`target_ms`]): a step with an unanswered question
//! holds its run where the step begins ([`hold_ms`] = [`start_ms`]), so
//! what the question asks about has not happened yet (a native test checks
//! this against the engine for every question: at the hold point the right
//! answer's claim is not yet true, or the records it is about still lie
//! ahead; by the pause point it is true). Choosing an answer seeks on to
//! `pause_ms` and the explanation is revealed; a step already answered (from
//! saved progress) goes straight to `pause_ms`. The learner may still play
//! or scrub freely while the question waits.

use super::chapters::{step, STEPS};
use super::model::ScenarioRef;

#[cfg(doc)]
use super::model::Step;

/// The virtual time a step begins at: the previous step's pause point when
/// both run the same scenario and the previous one pauses earlier, else 0.
pub fn start_ms(index: usize) -> u64 {
    let Some(current) = step(index) else { return 0 };
    let previous = index.checked_sub(1).and_then(step);
    match previous {
        Some(prev) if prev.scenario == current.scenario && prev.pause_ms < current.pause_ms => prev.pause_ms,
        _ => 0,
    }
}

/// Where a step with a question waits for the answer (see the module doc).
pub fn hold_ms(index: usize) -> u64 {
    start_ms(index)
}

/// Whether the step asks a predict-then-observe question.
pub fn has_question(index: usize) -> bool {
    step(index).is_some_and(|s| s.predict.is_some())
}

/// The virtual time to show for a step: its pause point, or, while its
/// question is unanswered, the hold point.
pub fn target_ms(index: usize, answered: bool) -> u64 {
    let Some(s) = step(index) else { return 0 };
    if s.predict.is_some() && !answered {
        hold_ms(index)
    } else {
        s.pause_ms
    }
}

/// The scenario a step runs.
pub fn scenario_of(index: usize) -> Option<ScenarioRef> {
    step(index).map(|s| s.scenario)
}

/// A speed (virtual ms per wall ms) that replays `span_ms` of virtual time
/// in about `wall_ms` of wall time, within the driver's range; idle
/// stretches are skipped on top of that, so replays are often shorter.
pub fn replay_speed(span_ms: u64, wall_ms: u64) -> f64 {
    (span_ms as f64 / wall_ms.max(1) as f64).clamp(0.02, 20_000.0)
}

/// How many steps the curriculum has (for clamping restored progress).
pub fn clamp_index(index: usize) -> usize {
    index.min(STEPS.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tutorial::chapters::step_index;
    use crate::tutorial::model::{Claim, Match};
    use crate::tutorial::verify::{evaluate, matches, STEP_EVENT_BUDGET};
    use rmqsim::{Sim, TraceMode};

    fn idx(id: &str) -> usize {
        step_index(id).unwrap()
    }

    #[test]
    fn a_step_begins_where_the_previous_one_paused_on_the_same_run() {
        assert_eq!(start_ms(0), 0, "the first step starts the run");
        // The three concept steps share tutorial-basic at 1.03 s: not earlier, so each starts at 0.
        let topic = idx("concepts-topic-queues");
        assert_eq!(STEPS[topic - 1].pause_ms, STEPS[topic].pause_ms);
        assert_eq!(start_ms(topic), 0);
        // The retry chapter is one run of retry-to-dlq, step after step.
        let third = idx("retry-third");
        assert_eq!(start_ms(third), STEPS[third - 1].pause_ms);
        assert!(start_ms(third) < STEPS[third].pause_ms);
        assert_eq!(start_ms(STEPS.len() + 5), 0);
    }

    #[test]
    fn a_question_holds_the_run_until_it_is_answered() {
        let third = idx("retry-third");
        assert_eq!(target_ms(third, false), hold_ms(third));
        assert_eq!(target_ms(third, true), STEPS[third].pause_ms);
        let plain = idx("setup-register");
        assert!(!has_question(plain));
        assert_eq!(target_ms(plain, false), STEPS[plain].pause_ms, "no question, nothing held back");
    }

    /// The record sets a claim looks at.
    fn matches_of(claim: &Claim, out: &mut Vec<Match>) {
        match claim {
            Claim::Count { m, .. } | Claim::Ascending { m, .. } | Claim::Latest { m, .. } => out.push(*m),
            Claim::Before { first, then } => out.extend([*first, *then]),
            Claim::Gap { from, to, .. } => out.extend([*from, *to]),
            Claim::ConfRejected { .. } => {}
            Claim::All(claims) => claims.iter().for_each(|c| matches_of(c, out)),
            Claim::Not(c) => matches_of(c, out),
        }
    }

    /// The rule's promise, checked with the engine: at the hold point the
    /// answer is not yet on screen: either the right answer's claim is not
    /// yet true, or what the question is about (a record some choice looks
    /// at) still lies ahead. By the pause point the right claim holds.
    #[test]
    fn no_question_gives_its_answer_away_before_it_is_answered() {
        let mut checked = 0;
        for (i, s) in STEPS.iter().enumerate() {
            let Some(q) = &s.predict else { continue };
            let hold = hold_ms(i);
            assert!(hold < s.pause_ms, "{}: holds at {hold}, not before its pause {}", s.id, s.pause_ms);
            let mut sim = Sim::new(s.scenario.build().unwrap(), TraceMode::Keep).unwrap();
            sim.run_until(hold, STEP_EVENT_BUDGET);
            let held = sim.core.trace.records().len();
            let right = &q.choices[q.answer].claim;
            let decided = evaluate(right, sim.core.trace.records()).is_ok();
            sim.run_until(s.pause_ms, STEP_EVENT_BUDGET);
            let records = sim.core.trace.records();
            assert!(evaluate(right, records).is_ok(), "{}: the answer shows by the pause", s.id);
            let mut looked_at = Vec::new();
            q.choices.iter().for_each(|c| matches_of(&c.claim, &mut looked_at));
            let ahead = records[held..].iter().any(|r| looked_at.iter().any(|m| matches(m, r)));
            assert!(
                hold == 0 || !decided || ahead,
                "{}: at the hold point {hold} ms the answer is already decided and nothing it is about lies ahead",
                s.id
            );
            checked += 1;
        }
        assert!(checked >= 5, "every question was checked ({checked})");
    }

    #[test]
    fn replays_take_a_few_seconds_within_the_speed_range() {
        assert_eq!(replay_speed(50, 5_000), 0.02, "tiny spans play at the slowest speed");
        assert!((replay_speed(105_400, 5_000) - 21.08).abs() < 1e-9);
        assert_eq!(replay_speed(u64::MAX, 5_000), 20_000.0);
        assert_eq!(clamp_index(usize::MAX), STEPS.len() - 1);
    }
}
