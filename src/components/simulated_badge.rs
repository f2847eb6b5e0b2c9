//! The always-visible label saying that nothing on the page is a real cluster.
//! Dashboards that mixed demo data with real data confused their users; this
//! badge is never hidden.

use yew::prelude::*;

use crate::i18n::{use_lang, Key};

/// The "模拟 / Simulated" badge.
#[function_component]
pub fn SimulatedBadge() -> Html {
    let i18n = use_lang();
    let hint = i18n.t(Key::SimulatedBadgeHint);
    html! {
        <p class="sim-badge" title={hint}>
            <span class="sim-badge-dot" aria-hidden="true"></span>
            <span class="sim-badge-text">{ i18n.t(Key::SimulatedBadge) }</span>
            <span class="visually-hidden">{ hint }</span>
        </p>
    }
}
