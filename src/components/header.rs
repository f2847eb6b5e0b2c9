//! The top bar: the product's name, the "simulated" badge and the language
//! switch. Later issues add the chapter menu, client flavor and share link.

use yew::prelude::*;

use crate::components::{LangSwitch, SimulatedBadge};
use crate::i18n::{use_lang, Key};

/// The page header.
#[function_component]
pub fn Header() -> Html {
    let i18n = use_lang();
    html! {
        <header class="app-header">
            <div class="brand">
                <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                    <rect class="brand-mark-bg" x="1" y="1" width="30" height="30" rx="8" />
                    <rect class="brand-mark-lane" x="8" y="9" width="16" height="3" rx="1.5" />
                    <rect class="brand-mark-lane" x="8" y="14.5" width="11" height="3" rx="1.5" />
                    <rect class="brand-mark-lane" x="8" y="20" width="14" height="3" rx="1.5" />
                </svg>
                <div class="brand-text">
                    <h1 class="brand-title">{ i18n.t(Key::AppTitle) }</h1>
                    <p class="brand-tagline">{ i18n.t(Key::AppTagline) }</p>
                </div>
            </div>
            <div class="header-tools">
                <SimulatedBadge />
                <LangSwitch />
            </div>
        </header>
    }
}
