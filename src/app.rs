//! The app shell: the screen's grid (header; narration and code on the left;
//! the cluster in the centre; time controls at the bottom) and the language
//! state every component reads through [`LangContext`].

use yew::prelude::*;

use crate::components::{ClusterView, DebugPanic, GuidePanel, Header, TimeBar, CLUSTER_ID};
use crate::debug::DebugFlags;
use crate::i18n::{Key, Lang, LangContext};
use crate::prefs;

/// What the shell is started with.
#[derive(Clone, Debug, Default, PartialEq, Properties)]
pub struct AppProps {
    /// Debug switches from the page address.
    #[prop_or_default]
    pub debug: DebugFlags,
}

/// The whole app.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let lang = use_state(prefs::initial_lang);
    use_effect_with(*lang, |lang| prefs::apply_document_lang(*lang));

    let set_lang = {
        let lang = lang.clone();
        Callback::from(move |next: Lang| {
            prefs::remember_lang(next);
            lang.set(next);
        })
    };
    let context = LangContext { lang: *lang, set_lang };
    let skip_label = context.t(Key::SkipToCluster);

    html! {
        <ContextProvider<LangContext> {context}>
            <div class="shell">
                <a class="skip-link" href={format!("#{CLUSTER_ID}")}>{ skip_label }</a>
                <Header />
                <GuidePanel />
                <ClusterView />
                <TimeBar />
                if props.debug.panic {
                    <DebugPanic />
                }
            </div>
        </ContextProvider<LangContext>>
    }
}
