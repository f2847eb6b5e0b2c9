//! The narration for the current step: chapter menu, step title and text in
//! the current language, where the step pauses, and Back / Next with
//! "step n of m". It owns no state: the step index comes in as a prop and
//! every move goes out through `on_step`, so the lead can tie it to the driver
//! (and Back always works).

use yew::prelude::*;

use super::chapters::{first_step_of, position_in_chapter, step_count, CHAPTERS, STEPS};
use super::ui_text::{self, BACK, CHAPTER_MENU, NARRATION_LABEL, NEXT, PAUSE_AT};
use crate::i18n::{use_lang, Lang};

/// What [`Narration`] shows.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct NarrationProps {
    /// Index of the current step in the curriculum (clamped to the last step).
    pub step: usize,
    /// Asked to move to another step (Back, Next, or a chapter from the menu).
    pub on_step: Callback<usize>,
    /// The language; `None` follows the app's language context.
    #[prop_or_default]
    pub lang: Option<Lang>,
    /// Shown between the text and Back / Next (the app puts the step's
    /// question and its run controls here).
    #[prop_or_default]
    pub children: Html,
}

/// The current step's narration with its navigation.
#[function_component]
pub fn Narration(props: &NarrationProps) -> Html {
    let ctx = use_lang();
    let lang = props.lang.unwrap_or(ctx.lang);
    let total = step_count();
    let index = props.step.min(total.saturating_sub(1));
    let step = &STEPS[index];
    let chapter = &CHAPTERS[step.chapter];
    let (chapter_no, step_no) = position_in_chapter(index).map(|(c, s)| (c + 1, s)).unwrap_or((1, 1));

    let go = |target: usize| {
        let on_step = props.on_step.clone();
        Callback::from(move |_: MouseEvent| on_step.emit(target))
    };
    let back = go(index.saturating_sub(1));
    let next = go((index + 1).min(total - 1));

    let menu = CHAPTERS.iter().enumerate().map(|(i, c)| {
        let first = first_step_of(i).unwrap_or(0);
        let current = i == step.chapter;
        let on_step = props.on_step.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            // The menu closes once a chapter is chosen.
            let menu = e.target_dyn_into::<web_sys::Element>().and_then(|el| el.closest("details").ok().flatten());
            if let Some(menu) = menu {
                let _ = menu.remove_attribute("open");
            }
            on_step.emit(first)
        });
        html! {
            <li>
                <button
                    type="button"
                    class={classes!("tut-chapter-item", current.then_some("is-current"))}
                    aria-current={if current { Some("step") } else { None }}
                    data-chapter={c.id}
                    {onclick}
                >
                    { format!("{}. {}", i + 1, c.title.get(lang)) }
                </button>
            </li>
        }
    });

    let paragraphs = step.narration.get(lang).split("\n\n").map(|p| {
        let p = p.split('\n').map(str::trim).collect::<Vec<_>>().join(" ");
        html! { <p class="tut-para">{ p }</p> }
    });

    html! {
        <section class="tut-narration" aria-label={NARRATION_LABEL.get(lang)} data-step={step.id}>
            <details class="tut-chapter-menu">
                <summary>
                    <span class="tut-menu-label">{ CHAPTER_MENU.get(lang) }</span>
                    { format!(" {chapter_no}. {}", chapter.title.get(lang)) }
                </summary>
                <ol class="tut-chapter-list">{ for menu }</ol>
            </details>
            <h2 class="tut-step-title">{ format!("{chapter_no}.{step_no} {}", step.title.get(lang)) }</h2>
            <div class="tut-text">{ for paragraphs }</div>
            <p class="tut-pause">
                { format!("{}: {}", PAUSE_AT.get(lang), ui_text::format_time(step.pause_ms)) }
            </p>
            { props.children.clone() }
            <div class="tut-nav">
                <button type="button" class="tut-back" disabled={index == 0} onclick={back}>
                    { BACK.get(lang) }
                </button>
                // Announced with its title by the app's live region (components/announcer.rs).
                <span class="tut-counter">{ ui_text::step_of(lang, index + 1, total) }</span>
                <button type="button" class="tut-next" disabled={index + 1 >= total} onclick={next}>
                    { NEXT.get(lang) }
                </button>
            </div>
        </section>
    }
}
