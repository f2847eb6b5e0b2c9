//! The strip above the cluster drawing: the scenario picker with the run's
//! seed and client rules, a hint about the fault menu, and the toolbar's
//! interventions (heal every partition, send messages) plus the shortcut
//! sheet's button.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::ScenarioPicker;
use crate::i18n::tools::{tt, ToolKey};
use crate::i18n::{use_lang, SimKey};
use crate::view_model::Frame;

/// What the toolbar shows and where its buttons go.
#[derive(Properties, PartialEq)]
pub struct ClusterToolbarProps {
    pub frame: Rc<Frame>,
    pub scenarios_open: bool,
    pub on_toggle_scenarios: Callback<()>,
    pub on_pick: Callback<String>,
    pub on_heal_all: Callback<()>,
    pub on_send: Callback<()>,
    /// Whether sending is allowed (a challenge may not allow the send form).
    #[prop_or(true)]
    pub can_send: bool,
    pub on_shortcuts: Callback<()>,
    /// Open the A/B comparison.
    #[prop_or_default]
    pub on_compare: Option<Callback<()>>,
}

/// The cluster toolbar.
#[function_component]
pub fn ClusterToolbar(props: &ClusterToolbarProps) -> Html {
    let i18n = use_lang();
    let frame = &props.frame;
    let has_cuts = !frame.snapshot.partitions.is_empty();
    let has_producers = frame.snapshot.nodes.iter().any(|n| n.kind == "producer");
    let summary = crate::i18n::presets::summary(i18n.lang, &frame.summary);
    html! {
        <div class="cluster-toolbar" role="toolbar" aria-label={i18n.s(SimKey::ClusterToolbar)}>
            <ScenarioPicker
                current={AttrValue::from(frame.scenario.to_string())}
                open={props.scenarios_open}
                on_toggle={props.on_toggle_scenarios.clone()}
                on_pick={props.on_pick.clone()}
            />
            <p class="run-facts">
                <span class="run-summary" title={summary.clone()}>{ summary }</span>
                <span class="run-chip" title={format!("{} {} · {} {}", i18n.s(SimKey::Seed), frame.seed, i18n.s(SimKey::ClientFlavor), frame.snapshot.client)}>{ format!("{} {} · {}", i18n.s(SimKey::Seed), frame.seed, frame.snapshot.client) }</span>
            </p>
            <div class="toolbar-actions">
                <button type="button" class="button button-small" disabled={!has_cuts} onclick={props.on_heal_all.reform(|_: MouseEvent| ())}>
                    { i18n.s(SimKey::HealAll) }
                </button>
                <button type="button" class="button button-small button-primary" disabled={!has_producers || !props.can_send}
                    title={(!props.can_send).then(|| crate::i18n::views::tv(i18n.lang, crate::i18n::views::ViewKey::ChallengeToolNotAllowed))}
                    onclick={props.on_send.reform(|_: MouseEvent| ())}>
                    { i18n.s(SimKey::SendMessages) }
                </button>
                if let Some(on_compare) = &props.on_compare {
                    <button type="button" class="button button-small toolbar-compare" title={tt(i18n.lang, ToolKey::CompareButtonTitle)}
                        aria-label={tt(i18n.lang, ToolKey::CompareButton)} disabled={frame.definition.is_none()}
                        onclick={on_compare.reform(|_: MouseEvent| ())}>
                        <svg class="compare-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                            <rect x="1.5" y="2.5" width="5.5" height="11" rx="1" />
                            <rect x="9" y="2.5" width="5.5" height="11" rx="1" />
                        </svg>
                        <span class="toolbar-compare-label">{ tt(i18n.lang, ToolKey::CompareButton) }</span>
                    </button>
                }
                <button type="button" class="icon-button" aria-label={i18n.s(SimKey::KeyboardShortcuts)} title={format!("{} (?)", i18n.s(SimKey::KeyboardShortcuts))}
                    aria-keyshortcuts="?" onclick={props.on_shortcuts.reform(|_: MouseEvent| ())}>{ "?" }</button>
            </div>
        </div>
    }
}
