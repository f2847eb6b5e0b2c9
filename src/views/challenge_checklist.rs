//! A challenge's live checklist: each named check of the challenge, judged by
//! the engine over the trace so far, turns green when the run meets it and
//! says, when it does not, which event broke it (a button that opens that
//! message's passport). Checks are judged from the records only (never from
//! anything the learner typed), as `rmqsim challenge check` judges them.

use std::rc::Rc;

use rmqsim::challenge::{Challenge, Outcome};
use rmqsim::Record;
use yew::prelude::*;

use crate::i18n::views::{tf, tv, ViewKey};
use crate::i18n::{use_lang, Lang};

use super::common::Same;
use super::format;

/// What the checklist shows.
#[derive(Clone, Properties)]
pub struct ChecklistProps {
    pub challenge: Rc<Challenge>,
    /// The trace so far, in time order.
    pub records: Rc<Vec<Record>>,
    /// Asks to open a message's passport.
    #[prop_or_default]
    pub on_select_msg: Callback<u64>,
}

impl PartialEq for ChecklistProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.challenge, &other.challenge)
            && Rc::ptr_eq(&self.records, &other.records)
            && self.records.len() == other.records.len()
            && self.on_select_msg == other.on_select_msg
    }
}

/// Judges every check of `challenge` over `records`.
pub fn judge(challenge: &Challenge, records: &[Record]) -> Vec<Outcome> {
    challenge.checks.iter().map(|c| c.evaluate(records)).collect()
}

/// The checklist, re-judged whenever the trace grows.
#[function_component]
pub fn ChallengeChecklist(props: &ChecklistProps) -> Html {
    let lang = use_lang().lang;
    let outcomes =
        use_memo((Same(props.challenge.clone()), Same(props.records.clone()), props.records.len()), |(c, r, _)| {
            judge(&c.0, &r.0)
        });
    let met = outcomes.iter().filter(|o| o.pass).count();
    let items = props.challenge.checks.iter().zip(outcomes.iter()).map(|(check, out)| {
        let label = match lang {
            Lang::Zh => check.label.zh.as_str(),
            Lang::En => check.label.en.as_str(),
        };
        let state = if out.pass { tv(lang, ViewKey::ChallengePassed) } else { tv(lang, ViewKey::ChallengeNotYet) };
        let broken = (!out.pass).then(|| out.record.and_then(|i| props.records.get(i).map(|r| (i, r)))).flatten();
        let breaker = broken.map(|(i, r)| {
            let text = tf(lang, ViewKey::ChallengeBrokenBy, &[&i.to_string(), r.event, &format::instant(r.t)]);
            match out.msg {
                Some(m) => {
                    let on_select = props.on_select_msg.clone();
                    html! { <button type="button" class="ch-breaker" onclick={move |_| on_select.emit(m)}>{ text }</button> }
                }
                None => html! { <span class="ch-breaker">{ text }</span> },
            }
        });
        html! {
            <li class={classes!("ch-check", if out.pass { "is-met" } else { "is-unmet" })} data-check={check.id.clone()}
                aria-label={format!("{label}: {state}")}>
                <span class="ch-mark" aria-hidden="true">{ if out.pass { "✓" } else { "○" } }</span>
                <span class="ch-label">{ label }</span>
                <span class="ch-state">{ state }</span>
                if lang == Lang::En {
                    <span class="ch-detail muted">{ out.detail.clone() }</span>
                }
                { for breaker }
            </li>
        }
    });
    let total = props.challenge.checks.len();
    html! {
        <section class="ch-checklist" aria-label={tv(lang, ViewKey::ChallengeChecklist)}>
            <h3 class="ch-title">{ tv(lang, ViewKey::ChallengeChecklist) }</h3>
            <p class="ch-progress" role="status">{ tf(lang, ViewKey::ChallengeProgress, &[&met.to_string(), &total.to_string()]) }</p>
            <ul class="ch-list">{ for items }</ul>
            if props.challenge.luck {
                <p class="ch-luck muted">{ tv(lang, ViewKey::ChallengeLuckNote) }</p>
            }
        </section>
    }
}
