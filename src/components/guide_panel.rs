//! The left column: the chapter's narration above, the client code below.
//! Until scenarios exist both say what will appear here.

use yew::prelude::*;

use crate::i18n::{use_lang, Key};

/// Narration and code for the current step.
#[function_component]
pub fn GuidePanel() -> Html {
    let i18n = use_lang();
    html! {
        <aside class="guide" aria-label={i18n.t(Key::GuidePanelLabel)}>
            <section class="panel narration" aria-labelledby="narration-heading">
                <h2 id="narration-heading" class="panel-heading">{ i18n.t(Key::NarrationHeading) }</h2>
                <p class="empty-note">{ i18n.t(Key::NarrationEmpty) }</p>
            </section>
            <section class="panel code" aria-labelledby="code-heading">
                <h2 id="code-heading" class="panel-heading">{ i18n.t(Key::CodeHeading) }</h2>
                <p class="empty-note">{ i18n.t(Key::CodeEmpty) }</p>
            </section>
        </aside>
    }
}
