//! The 中文 / English switch. Each option is labelled in its own language, so
//! a reader who cannot read the current one still finds theirs.

use yew::prelude::*;

use crate::i18n::{use_lang, Key, Lang};

/// A two-button toggle; the pressed button is the language in force.
#[function_component]
pub fn LangSwitch() -> Html {
    let i18n = use_lang();
    let options = Lang::ALL.into_iter().map(|lang| {
        let pressed = lang == i18n.lang;
        let set_lang = i18n.set_lang.clone();
        let onclick = Callback::from(move |_: MouseEvent| set_lang.emit(lang));
        html! {
            <button
                type="button"
                class={classes!("lang-option", pressed.then_some("is-active"))}
                lang={lang.tag()}
                aria-pressed={if pressed { "true" } else { "false" }}
                {onclick}
            >
                { lang.endonym() }
            </button>
        }
    });
    html! {
        <div class="lang-switch" role="group" aria-label={i18n.t(Key::LanguageSwitchLabel)}>
            { for options }
        </div>
    }
}
