//! The narration check under each step: the step's claims (and its
//! question's right answer), evaluated with [`verify::evaluate`] against the
//! trace the simulator is showing, so the learner sees that what the
//! narration says is what happened in the run on screen, and the end-to-end
//! walk can assert it at every step from the page alone.
//!
//! Pure (`check`) plus a small component ([`StepCheckLine`]). The frame keeps
//! the newest [`RECORD_WINDOW`] records; a native test below makes sure every
//! step's trace up to its pause point fits in that window, so the check always
//! sees the whole run.

use std::rc::Rc;

use rmqsim::Record;
use yew::prelude::*;

use super::chapters::step;
use super::model::Claim;
use super::ui_text::format_time;
use super::verify::evaluate;
use crate::i18n::tools::{tf, tt, ToolKey};
use crate::i18n::use_lang;
use crate::views::common::Same;

#[cfg(doc)]
use crate::view_model::RECORD_WINDOW;

/// What the check says about the run on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepCheck {
    /// The step's question is unanswered: the outcome is held back.
    Waiting,
    /// The clock is not at the step's pause point.
    Elsewhere { pause_ms: u64 },
    /// Every claim holds at the pause point.
    Holds { claims: usize, at_ms: u64 },
    /// Some claims fail (the learner changed the run); the first failure's detail.
    Differs { holding: usize, claims: usize, first_failure: String },
}

/// The claims a step's narration makes, with its question's right answer.
pub fn claims_of(index: usize) -> Vec<&'static Claim> {
    let Some(s) = step(index) else { return Vec::new() };
    let mut claims: Vec<&'static Claim> = s.claims.iter().collect();
    if let Some(q) = &s.predict {
        claims.push(&q.choices[q.answer].claim);
    }
    claims
}

/// Checks step `index` against the run on screen: `records` are the frame's
/// records, `first_record` the sequence number of `records[0]` (0 when the
/// frame holds the whole trace), `now` the clock. `None` when the frame does
/// not hold the whole trace (then nothing can be said) or there is no step.
pub fn check(index: usize, holding: bool, now: u64, records: &[Record], first_record: u64) -> Option<StepCheck> {
    let s = step(index)?;
    if holding {
        return Some(StepCheck::Waiting);
    }
    if now != s.pause_ms {
        return Some(StepCheck::Elsewhere { pause_ms: s.pause_ms });
    }
    if first_record != 0 {
        return None;
    }
    let claims = claims_of(index);
    let results: Vec<Result<(), String>> = claims.iter().map(|c| evaluate(c, records)).collect();
    let holding = results.iter().filter(|r| r.is_ok()).count();
    Some(match results.into_iter().find_map(Result::err) {
        None => StepCheck::Holds { claims: claims.len(), at_ms: now },
        Some(first_failure) => StepCheck::Differs { holding, claims: claims.len(), first_failure },
    })
}

/// What [`StepCheckLine`] needs.
#[derive(Properties, PartialEq)]
pub struct StepCheckProps {
    pub step: usize,
    /// Whether the step's question holds the run back.
    pub holding: bool,
    pub now: u64,
    pub records: Rc<Vec<Record>>,
    pub first_record: u64,
}

/// One line under the narration: "✓ all N outcomes hold at t" (or why not).
/// Exposed as a status with `data-check` (`holds`, `differs`, `elsewhere`)
/// so tests can read it; nothing while the step's question holds the run
/// (the hold note says so).
#[function_component]
pub fn StepCheckLine(props: &StepCheckProps) -> Html {
    let i18n = use_lang();
    let verdict = use_memo(
        (props.step, props.holding, props.now, Same(props.records.clone()), props.first_record),
        |(step, holding, now, records, first)| check(*step, *holding, *now, &records.0, *first),
    );
    let Some(verdict) = (*verdict).clone() else { return Html::default() };
    let lang = i18n.lang;
    let (kind, text, title) = match verdict {
        // The hold note above already says the run waits for the answer.
        StepCheck::Waiting => return Html::default(),
        StepCheck::Elsewhere { pause_ms } => {
            ("elsewhere", tf(lang, ToolKey::CheckElsewhere, &[&format_time(pause_ms)]), None)
        }
        StepCheck::Holds { claims, at_ms } => {
            ("holds", tf(lang, ToolKey::CheckHolds, &[&claims.to_string(), &format_time(at_ms)]), None)
        }
        StepCheck::Differs { holding, claims, first_failure } => (
            "differs",
            tf(lang, ToolKey::CheckDiffers, &[&holding.to_string(), &claims.to_string()]),
            Some(first_failure),
        ),
    };
    html! {
        <p class={classes!("tut-check", format!("is-{kind}"))} role="status" aria-label={tt(lang, ToolKey::CheckLabel)}
            data-check={kind} {title}>
            { text }
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tutorial::chapters::STEPS;
    use crate::tutorial::verify::run_step;
    use crate::view_model::RECORD_WINDOW;

    /// The frame's window holds every step's whole trace at its pause point,
    /// and the check agrees with the verifier there.
    #[test]
    fn every_step_is_checked_on_its_whole_trace() {
        for (i, s) in STEPS.iter().enumerate() {
            let records = run_step(s).unwrap();
            assert!(records.len() <= RECORD_WINDOW, "{}: {} records exceed the window", s.id, records.len());
            assert_eq!(
                check(i, false, s.pause_ms, &records, 0),
                Some(StepCheck::Holds { claims: claims_of(i).len(), at_ms: s.pause_ms }),
                "{}",
                s.id
            );
        }
    }

    #[test]
    fn the_check_waits_for_answers_and_the_pause_point() {
        let s = &STEPS[1];
        assert!(s.predict.is_some());
        assert_eq!(check(1, true, 0, &[], 0), Some(StepCheck::Waiting));
        assert_eq!(check(1, false, 7, &[], 0), Some(StepCheck::Elsewhere { pause_ms: s.pause_ms }));
        assert_eq!(check(1, false, s.pause_ms, &[], 3), None, "a partial window says nothing");
        match check(1, false, s.pause_ms, &[], 0) {
            Some(StepCheck::Differs { holding, claims, first_failure }) => {
                assert!(holding < claims);
                assert!(first_failure.contains("broker_registered"), "{first_failure}");
            }
            other => panic!("an empty trace cannot satisfy the step: {other:?}"),
        }
        assert_eq!(check(usize::MAX, false, 0, &[], 0), None);
    }
}
