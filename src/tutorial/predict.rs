//! The predict-then-observe question of a step: its choices as radio
//! buttons; choosing one reveals whether it was right and why, and reports
//! the answer through `on_answer` (for progress). Steps without a question
//! render nothing.

use yew::prelude::*;

use super::chapters::step;
use super::ui_text::{PREDICT_HEADING, RIGHT, THE_ANSWER_IS, TRY_AGAIN, WRONG};
use crate::i18n::{use_lang, Lang};

/// One answer the learner gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PredictAnswer {
    /// The step the question belongs to.
    pub step: usize,
    /// The choice picked.
    pub choice: usize,
    /// Whether it was the right one.
    pub correct: bool,
}

/// What [`Predict`] shows.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct PredictProps {
    /// Index of the current step.
    pub step: usize,
    /// An answer given earlier (from saved progress), shown already revealed.
    #[prop_or_default]
    pub answered: Option<usize>,
    /// Told about each answer.
    #[prop_or_default]
    pub on_answer: Callback<PredictAnswer>,
    /// The language; `None` follows the app's language context.
    #[prop_or_default]
    pub lang: Option<Lang>,
}

/// The step's question, or nothing.
#[function_component]
pub fn Predict(props: &PredictProps) -> Html {
    let ctx = use_lang();
    let lang = props.lang.unwrap_or(ctx.lang);
    // (step, choice) picked here; a pick for another step does not count.
    let local = use_state(|| None::<(usize, Option<usize>)>);
    let Some(question) = step(props.step).and_then(|s| s.predict) else {
        return Html::default();
    };
    let picked = match *local {
        Some((s, choice)) if s == props.step => choice,
        _ => props.answered,
    };
    let revealed = picked.is_some();
    let name = format!("tut-predict-{}", props.step);
    let heading_id = format!("tut-predict-heading-{}", props.step);

    let choices = question.choices.iter().enumerate().map(|(i, c)| {
        let local = local.clone();
        let on_answer = props.on_answer.clone();
        let step_index = props.step;
        let correct = i == question.answer;
        let onchange = Callback::from(move |_: Event| {
            local.set(Some((step_index, Some(i))));
            on_answer.emit(PredictAnswer { step: step_index, choice: i, correct });
        });
        let state = match picked {
            Some(_) if correct => Some("is-right"),
            Some(p) if p == i => Some("is-wrong"),
            _ => None,
        };
        html! {
            <li>
                <label class={classes!("tut-choice", state, (picked == Some(i)).then_some("is-picked"))}>
                    <input type="radio" name={name.clone()} value={i.to_string()} checked={picked == Some(i)} {onchange} />
                    <span class="tut-choice-text">{ c.text.get(lang) }</span>
                </label>
            </li>
        }
    });

    let reveal = picked.map(|p| {
        let right = p == question.answer;
        let verdict = if right {
            RIGHT.get(lang).to_string()
        } else {
            // Chinese runs sentences together; English puts a space between them.
            let gap = if lang == Lang::Zh { "" } else { " " };
            format!(
                "{}{gap}{}{}",
                WRONG.get(lang),
                THE_ANSWER_IS.get(lang),
                question.choices[question.answer].text.get(lang)
            )
        };
        let local = local.clone();
        let step_index = props.step;
        let again = Callback::from(move |_: MouseEvent| local.set(Some((step_index, None))));
        html! {
            <div class={classes!("tut-reveal", if right { "is-right" } else { "is-wrong" })} role="status">
                <p class="tut-verdict">{ verdict }</p>
                <p class="tut-explanation">{ question.explanation.get(lang) }</p>
                <button type="button" class="tut-again" onclick={again}>{ TRY_AGAIN.get(lang) }</button>
            </div>
        }
    });

    html! {
        <section class="tut-predict" aria-labelledby={heading_id.clone()}>
            <h3 id={heading_id} class="tut-predict-heading">{ PREDICT_HEADING.get(lang) }</h3>
            <fieldset class="tut-choices" disabled={revealed}>
                <legend class="tut-question">{ question.question.get(lang) }</legend>
                <ol class="tut-choice-list">{ for choices }</ol>
            </fieldset>
            { for reveal }
        </section>
    }
}
