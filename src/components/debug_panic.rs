//! A component that panics when rendered, mounted only for `?debug=panic`.
//! It exists so the error panel is exercised by a real panic inside a Yew
//! render, the way a bug would hit it, in the same build learners get.

use yew::prelude::*;

/// The message the deliberate panic carries; tests look for it on the panel.
pub const DEBUG_PANIC_MESSAGE: &str = "deliberate panic requested with ?debug=panic";

/// Panics on render.
#[function_component]
pub fn DebugPanic() -> Html {
    panic!("{DEBUG_PANIC_MESSAGE}");
}
