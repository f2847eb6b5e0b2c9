//! The scenario picker: a button naming the loaded preset that opens the
//! list of built-in scenarios, each with its one-line summary (the engine's
//! English text). Picking one loads it paused at t = 0.

use rmqsim::presets;
use yew::prelude::*;

use crate::components::fault_palette::use_focus_first;
use crate::i18n::{use_lang, SimKey};

/// The picker's state and where a choice goes.
#[derive(Properties, PartialEq)]
pub struct ScenarioPickerProps {
    /// The loaded preset's name.
    pub current: AttrValue,
    pub open: bool,
    pub on_toggle: Callback<()>,
    pub on_pick: Callback<String>,
}

/// The scenario button and its list.
#[function_component]
pub fn ScenarioPicker(props: &ScenarioPickerProps) -> Html {
    let i18n = use_lang();
    let list = use_node_ref();
    let label = format!("{}: {}", i18n.s(SimKey::Scenario), props.current);
    html! {
        <div class="scenario-picker">
            <button
                type="button"
                class="scenario-button"
                aria-haspopup="true"
                aria-expanded={if props.open { "true" } else { "false" }}
                aria-controls="scenario-list"
                aria-label={label}
                onclick={props.on_toggle.reform(|_: MouseEvent| ())}
            >
                <span class="scenario-kicker">{ i18n.s(SimKey::Scenario) }</span>
                // A space between the words (flex drops it), as the name has one.
                { " " }
                <span class="scenario-name">{ props.current.clone() }</span>
                <svg class="chevron" viewBox="0 0 12 12" aria-hidden="true" focusable="false"><path d="M2.5 4.5 L6 8 L9.5 4.5" /></svg>
            </button>
            if props.open {
                <div class="picker-backdrop" aria-hidden="true" onclick={props.on_toggle.reform(|_: MouseEvent| ())}></div>
                <ScenarioList current={props.current.clone()} on_pick={props.on_pick.clone()} list={list} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ScenarioListProps {
    current: AttrValue,
    on_pick: Callback<String>,
    list: NodeRef,
}

#[function_component]
fn ScenarioList(props: &ScenarioListProps) -> Html {
    let i18n = use_lang();
    use_focus_first(&props.list, "[aria-current=true], button");
    let items = presets::all().iter().map(|preset| {
        let current = preset.name == props.current.as_str();
        let cb = props.on_pick.clone();
        let name = preset.name.to_string();
        let onclick = Callback::from(move |_: MouseEvent| cb.emit(name.clone()));
        html! {
            <li>
                <button
                    type="button"
                    class={classes!("scenario-option", current.then_some("is-current"))}
                    aria-current={current.then_some("true")}
                    {onclick}
                >
                    <span class="option-name">{ preset.name }</span>
                    <span class="option-summary">{ crate::i18n::presets::summary(i18n.lang, preset.summary) }</span>
                </button>
            </li>
        }
    });
    html! {
        <div id="scenario-list" class="scenario-list popup is-placed" ref={props.list.clone()}>
            <p class="popup-title">{ i18n.s(SimKey::BuiltInScenarios) }</p>
            <ul aria-label={i18n.s(SimKey::BuiltInScenarios)}>{ for items }</ul>
        </div>
    }
}
