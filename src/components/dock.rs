//! The dock under the cluster view: a tab strip of views of the running
//! cluster. The event feed is the first tab; the queue lanes, delay levels,
//! retry flow and guarantee checkers are mounted here as further tabs by
//! `app.rs` (each is a [`DockTab`] with its own id, label and content).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::{use_lang, SimKey};

/// One tab of the dock.
#[derive(Clone, PartialEq)]
pub struct DockTab {
    /// Stable id (also the `UiState::tab` value).
    pub id: AttrValue,
    /// The tab's label, in the current language.
    pub label: AttrValue,
    /// A count shown beside the label (e.g. failed checks), if any.
    pub badge: Option<AttrValue>,
    /// What the count means, for screen readers ("3 warnings").
    pub badge_label: Option<AttrValue>,
    /// What the tab shows.
    pub content: Html,
}

/// The dock's tabs and the active one.
#[derive(Properties, PartialEq)]
pub struct DockProps {
    pub tabs: Vec<DockTab>,
    pub active: AttrValue,
    pub on_select: Callback<String>,
}

/// The tabbed dock.
#[function_component]
pub fn Dock(props: &DockProps) -> Html {
    let i18n = use_lang();
    let active = props.tabs.iter().find(|t| t.id == props.active).or(props.tabs.first());
    let active_id = active.map(|t| t.id.clone()).unwrap_or_default();
    let tabs = props.tabs.iter().map(|tab| {
        let selected = tab.id == active_id;
        let cb = props.on_select.clone();
        let id = tab.id.to_string();
        let onclick = Callback::from(move |_: MouseEvent| cb.emit(id.clone()));
        html! {
            <button
                type="button"
                role="tab"
                id={format!("tab-{}", tab.id)}
                class={classes!("dock-tab", selected.then_some("is-active"))}
                aria-selected={if selected { "true" } else { "false" }}
                aria-controls={format!("panel-{}", tab.id)}
                tabindex={if selected { "0" } else { "-1" }}
                {onclick}
            >
                { tab.label.clone() }
                if let Some(badge) = &tab.badge {
                    <span class="tab-badge" aria-hidden={tab.badge_label.is_some().then_some("true")}>{ badge.clone() }</span>
                    if let Some(label) = &tab.badge_label {
                        <span class="visually-hidden">{ format!(" ({label})") }</span>
                    }
                }
            </button>
        }
    });
    let onkeydown = {
        let (cb, ids, current) = (
            props.on_select.clone(),
            props.tabs.iter().map(|t| t.id.to_string()).collect::<Vec<_>>(),
            active_id.to_string(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let Some(i) = ids.iter().position(|id| *id == current) else { return };
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % ids.len(),
                "ArrowLeft" => (i + ids.len() - 1) % ids.len(),
                "Home" => 0,
                "End" => ids.len() - 1,
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            cb.emit(ids[next].clone());
            // Focus follows the selection (every tab is always in the page).
            let tab = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{}", ids[next])))
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(tab) = tab {
                let _ = tab.focus();
            }
        })
    };
    html! {
        <section class="dock" aria-label={i18n.s(SimKey::DockLabel)}>
            <div class="dock-tabs" role="tablist" aria-label={i18n.s(SimKey::DockLabel)} {onkeydown}>{ for tabs }</div>
            if let Some(tab) = active {
                <div class="dock-panel" role="tabpanel" id={format!("panel-{}", tab.id)} aria-labelledby={format!("tab-{}", tab.id)}>
                    { tab.content.clone() }
                </div>
            }
        </section>
    }
}
