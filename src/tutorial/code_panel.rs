//! The code panel: the scenario's client code in Python (the tutorial's
//! rocketmq-client-python) or Java, one tab per language and one per file,
//! with line numbers and the line the newest trace event "executes"
//! highlighted. A switch flips the listener's return value between
//! CONSUME_SUCCESS and RECONSUME_LATER; the panel only reports the wish
//! through `on_listener_result`, the lead re-runs the scenario.

use std::rc::Rc;

use rmqsim::Scenario;
use yew::prelude::*;

use super::code::{generate, listener_result, CodeFile, CodeLang, Role};
use super::ui_text::{
    CODE_LABEL, CONSUMER, FILE_TABS, LANGUAGE_TABS, LISTENER_SWITCH, NO_CODE, PRODUCER, RUNNING_LINE,
};
use crate::i18n::{use_lang, Lang};

/// A scenario shared with the panel; two handles are equal when they point
/// at the same scenario (so re-renders with the same `Rc` skip regeneration).
#[derive(Clone, Debug)]
pub struct SharedScenario(pub Rc<Scenario>);

impl PartialEq for SharedScenario {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl From<Scenario> for SharedScenario {
    fn from(sc: Scenario) -> Self {
        SharedScenario(Rc::new(sc))
    }
}

/// What [`CodePanel`] shows.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct CodePanelProps {
    /// The scenario whose code is shown.
    pub scenario: SharedScenario,
    /// The newest trace event as an event key (`send_attempt`,
    /// `consumed:RECONSUME_LATER`, see [`super::code::event_key`]); its line is highlighted.
    #[prop_or_default]
    pub current_event: Option<String>,
    /// The node the newest event is about (picks the file until a file tab is chosen).
    #[prop_or_default]
    pub current_node: Option<String>,
    /// Asked to re-run with the listener returning this (`CONSUME_SUCCESS` / `RECONSUME_LATER`).
    #[prop_or_default]
    pub on_listener_result: Callback<String>,
    /// The language of comments and labels; `None` follows the app's language context.
    #[prop_or_default]
    pub lang: Option<Lang>,
}

/// Which file to show: the one picked, else the one the current event runs in, else the first.
fn shown_file(files: &[CodeFile], picked: Option<usize>, event: Option<&str>, node: Option<&str>) -> usize {
    if let Some(i) = picked.filter(|i| *i < files.len()) {
        return i;
    }
    let by_node = node.and_then(|n| files.iter().position(|f| f.runs_on(n)));
    let by_event = event.and_then(|e| files.iter().position(|f| f.line_for_key(e).is_some()));
    by_node.or(by_event).unwrap_or(0)
}

/// Python | Java code for the scenario, the running line highlighted.
#[function_component]
pub fn CodePanel(props: &CodePanelProps) -> Html {
    let ctx = use_lang();
    let lang = props.lang.unwrap_or(ctx.lang);
    let code_lang = use_state(|| CodeLang::Python);
    let picked = use_state(|| None::<usize>);
    let files = use_memo((props.scenario.clone(), *code_lang, lang), |(sc, code_lang, lang)| {
        generate(&sc.0, *code_lang, *lang)
    });

    let lang_tabs = CodeLang::ALL.into_iter().map(|cl| {
        let selected = cl == *code_lang;
        let code_lang = code_lang.clone();
        let picked = picked.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            code_lang.set(cl);
            picked.set(None);
        });
        html! {
            <button
                type="button"
                role="tab"
                class={classes!("tut-tab", selected.then_some("is-active"))}
                aria-selected={if selected { "true" } else { "false" }}
                data-lang={cl.label()}
                {onclick}
            >
                { cl.label() }
            </button>
        }
    });

    let event = props.current_event.as_deref();
    let node = props.current_node.as_deref();
    let shown = shown_file(&files, *picked, event, node);
    let file_tabs = files.iter().enumerate().map(|(i, f)| {
        let selected = i == shown;
        let picked = picked.clone();
        let onclick = Callback::from(move |_: MouseEvent| picked.set(Some(i)));
        let role = match f.role {
            Role::Producer => PRODUCER.get(lang),
            Role::Consumer => CONSUMER.get(lang),
        };
        let active = event.is_some_and(|e| f.line_for_key(e).is_some()) && node.is_none_or(|n| f.runs_on(n));
        html! {
            <button
                type="button"
                role="tab"
                class={classes!("tut-file-tab", selected.then_some("is-active"), active.then_some("is-live"))}
                aria-selected={if selected { "true" } else { "false" }}
                title={f.nodes.join(", ")}
                {onclick}
            >
                <span class="tut-file-role">{ role }</span>
                <span class="tut-file-name">{ f.name.clone() }</span>
            </button>
        }
    });

    let body = match files.get(shown) {
        None => html! { <p class="tut-no-code">{ NO_CODE.get(lang) }</p> },
        Some(file) => {
            let running = event.filter(|_| node.is_none_or(|n| file.runs_on(n))).and_then(|e| file.line_for_key(e));
            let notes = file.notes.iter().map(|n| html! { <li class="tut-note">{ n.get(lang).to_string() }</li> });
            let lines = file.lines.iter().enumerate().map(|(i, line)| {
                let is_running = running == Some(i);
                html! {
                    <li
                        class={classes!("tut-line", is_running.then_some("is-running"))}
                        data-line={(i + 1).to_string()}
                        aria-current={if is_running { Some("true") } else { None }}
                    >
                        <span class="tut-ln" aria-hidden="true">{ i + 1 }</span>
                        <span class="tut-src">{ line.text.clone() }</span>
                        if is_running {
                            <span class="visually-hidden">{ format!(" ({})", RUNNING_LINE.get(lang)) }</span>
                        }
                    </li>
                }
            });
            html! {
                <>
                    if !file.notes.is_empty() {
                        <ul class="tut-notes">{ for notes }</ul>
                    }
                    <div class="tut-listing" role="tabpanel" tabindex="0" aria-label={file.name.clone()} data-file={file.name.clone()}>
                        <ol class="tut-lines">{ for lines }</ol>
                    </div>
                </>
            }
        }
    };

    let switch = listener_result(&props.scenario.0).map(|current| {
        let options = ["CONSUME_SUCCESS", "RECONSUME_LATER"].into_iter().map(|value| {
            let pressed = value == current;
            let emit = props.on_listener_result.clone();
            let onclick = Callback::from(move |_: MouseEvent| emit.emit(value.to_string()));
            html! {
                <button
                    type="button"
                    class={classes!("tut-result", pressed.then_some("is-active"))}
                    aria-pressed={if pressed { "true" } else { "false" }}
                    data-result={value}
                    {onclick}
                >
                    { value }
                </button>
            }
        });
        html! {
            <div class="tut-listener" role="group" aria-label={LISTENER_SWITCH.get(lang)}>
                <span class="tut-listener-label">{ LISTENER_SWITCH.get(lang) }</span>
                { for options }
            </div>
        }
    });

    html! {
        <section class="tut-code" aria-label={CODE_LABEL.get(lang)}>
            <div class="tut-tabs" role="tablist" aria-label={LANGUAGE_TABS.get(lang)}>{ for lang_tabs }</div>
            <div class="tut-file-tabs" role="tablist" aria-label={FILE_TABS.get(lang)}>{ for file_tabs }</div>
            { body }
            { for switch }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_file_follows_the_pick_then_the_node_then_the_event() {
        let sc = rmqsim::presets::find("tutorial-basic").unwrap().scenario().unwrap();
        let files = generate(&sc, CodeLang::Python, Lang::Zh);
        assert_eq!(files.len(), 2);
        assert_eq!(shown_file(&files, None, None, None), 0);
        assert_eq!(shown_file(&files, None, Some("delivered"), None), 1);
        assert_eq!(shown_file(&files, None, Some("route_updated"), Some("python_consumer")), 1);
        assert_eq!(shown_file(&files, Some(0), Some("delivered"), None), 0);
        assert_eq!(shown_file(&files, Some(9), None, None), 0);
    }
}
