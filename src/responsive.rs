//! Which layout the screen gets. Most of it is CSS (`static/layout.css`:
//! one column that scrolls, with the time bar held at the bottom, up to
//! [`NARROW_QUERY`]'s width); this is the part markup needs: on a narrow
//! screen the code panel and the step's tools (chapter 1's broker.conf
//! editor, the A/B link) sit behind disclosures instead of making one long
//! page under the lesson.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The media query of the one-column layout (phones upright and on their
/// side, small tablets upright). Keep in step with `static/layout.css`.
pub const NARROW_QUERY: &str = "(max-width: 900px)";

/// Whether the screen currently matches [`NARROW_QUERY`]; re-renders when
/// that changes (a phone turned, a window resized across it).
#[hook]
pub fn use_narrow() -> bool {
    let list = use_memo((), |_| web_sys::window().and_then(|w| w.match_media(NARROW_QUERY).ok().flatten()));
    let narrow = use_state(|| list.as_ref().as_ref().is_some_and(|l| l.matches()));
    {
        let narrow = narrow.clone();
        use_effect_with(list, move |list| {
            let listener = list.as_ref().as_ref().map(|l| {
                let target = l.clone();
                let on_change = Closure::<dyn FnMut()>::new(move || narrow.set(target.matches()));
                let _ = l.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
                (l.clone(), on_change)
            });
            move || {
                if let Some((l, on_change)) = listener {
                    let _ = l.remove_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
                }
            }
        });
    }
    *narrow
}

/// `content` as is on a wide screen; on a narrow one, closed behind a
/// disclosure whose summary is `summary`.
pub fn disclose(narrow: bool, class: &'static str, summary: String, content: Html) -> Html {
    if narrow {
        html! {
            <details class={classes!("narrow-more", class)}>
                <summary class="narrow-more-summary">{ summary }</summary>
                { content }
            </details>
        }
    } else {
        content
    }
}
