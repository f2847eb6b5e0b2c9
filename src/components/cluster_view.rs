//! The centre of the screen, where the cluster will be drawn: NameServers,
//! brokers with their queue lanes, producers and consumers. It is the page's
//! `main` landmark; until a scenario runs it explains what will appear.

use yew::prelude::*;

use crate::components::Legend;
use crate::i18n::{use_lang, Key};

/// The id the skip link jumps to.
pub const CLUSTER_ID: &str = "cluster";

/// The cluster view.
#[function_component]
pub fn ClusterView() -> Html {
    let i18n = use_lang();
    html! {
        <main id={CLUSTER_ID} class="cluster" tabindex="-1" aria-label={i18n.t(Key::ClusterRegionLabel)}>
            <div class="cluster-empty">
                <svg class="cluster-empty-art" viewBox="0 0 120 72" aria-hidden="true" focusable="false">
                    <rect class="art-nameserver" x="44" y="4" width="32" height="12" rx="3" />
                    <rect class="art-broker" x="36" y="30" width="48" height="22" rx="4" />
                    <rect class="art-lane" x="42" y="35" width="36" height="3" rx="1.5" />
                    <rect class="art-lane" x="42" y="40" width="36" height="3" rx="1.5" />
                    <rect class="art-lane" x="42" y="45" width="36" height="3" rx="1.5" />
                    <circle class="art-producer" cx="12" cy="41" r="7" />
                    <circle class="art-consumer" cx="108" cy="41" r="7" />
                    <path class="art-link" d="M19 41 H36 M84 41 H101 M60 16 V30" />
                </svg>
                <h2 class="cluster-empty-title">{ i18n.t(Key::ClusterEmptyTitle) }</h2>
                <p class="cluster-empty-body">{ i18n.t(Key::ClusterEmptyBody) }</p>
            </div>
            <Legend />
        </main>
    }
}
