//! The colour key. Colours carry meaning in this UI (each RocketMQ role and
//! each special topic has one); the key states it once, in the cluster view.

use yew::prelude::*;

use crate::i18n::{use_lang, Key};

/// The roles and special topics, each with the CSS class of its colour.
const ENTRIES: [(&str, Key); 7] = [
    ("swatch-nameserver", Key::LegendNameServer),
    ("swatch-broker", Key::LegendBroker),
    ("swatch-producer", Key::LegendProducer),
    ("swatch-consumer", Key::LegendConsumer),
    ("swatch-delay", Key::LegendDelay),
    ("swatch-retry", Key::LegendRetry),
    ("swatch-dlq", Key::LegendDeadLetter),
];

/// The colour key, as a list of swatches.
#[function_component]
pub fn Legend() -> Html {
    let i18n = use_lang();
    let items = ENTRIES.iter().map(|(class, key)| {
        html! {
            <li class="legend-item">
                <span class={classes!("swatch", *class)} aria-hidden="true"></span>
                { i18n.t(*key) }
            </li>
        }
    });
    html! {
        <section class="legend" aria-labelledby="legend-heading">
            <h2 id="legend-heading" class="legend-heading">{ i18n.t(Key::LegendHeading) }</h2>
            <ul class="legend-list">{ for items }</ul>
        </section>
    }
}
