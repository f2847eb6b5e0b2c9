//! The top bar: the product's name, the Tutorial / Playground / Challenges / Code lab switch, the
//! "simulated" badge and the language switch.

use yew::prelude::*;

use crate::components::{LangSwitch, SimulatedBadge};
use crate::i18n::{use_lang, Key, SimKey};
use crate::state::Mode;

/// What the header shows and where the mode switch goes.
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The mode in force.
    #[prop_or_default]
    pub mode: Mode,
    /// Asked to switch mode.
    #[prop_or_default]
    pub on_mode: Callback<Mode>,
}

/// The page header.
#[function_component]
pub fn Header(props: &HeaderProps) -> Html {
    let i18n = use_lang();
    let modes = [
        (Mode::Tutorial, SimKey::ModeTutorial, SimKey::ModeTutorialHint),
        (Mode::Playground, SimKey::ModePlayground, SimKey::ModePlaygroundHint),
        (Mode::Challenges, SimKey::ModeChallenges, SimKey::ModeChallengesHint),
        (Mode::Lab, SimKey::ModeLab, SimKey::ModeLabHint),
    ];
    let options = modes.into_iter().map(|(mode, label, hint)| {
        let pressed = mode == props.mode;
        let on_mode = props.on_mode.clone();
        html! {
            <button
                type="button"
                class={classes!("mode-option", pressed.then_some("is-active"))}
                aria-pressed={if pressed { "true" } else { "false" }}
                title={i18n.s(hint)}
                data-mode={match mode { Mode::Tutorial => "tutorial", Mode::Playground => "playground", Mode::Challenges => "challenges", Mode::Lab => "lab" }}
                onclick={Callback::from(move |_: MouseEvent| on_mode.emit(mode))}
            >
                { i18n.s(label) }
            </button>
        }
    });
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
            <div class="mode-switch" role="group" aria-label={i18n.s(SimKey::ModeSwitch)}>
                { for options }
            </div>
            <div class="header-tools">
                <SimulatedBadge />
                <LangSwitch />
            </div>
        </header>
    }
}
