//! The bottom bar, home of the time controls (play/pause, step, next event,
//! speed, scrubber) and the virtual clock. Until a scenario runs it shows the
//! clock as not started and says what the controls will do.

use yew::prelude::*;

use crate::i18n::{use_lang, Key};

/// The time-control bar.
#[function_component]
pub fn TimeBar() -> Html {
    let i18n = use_lang();
    html! {
        <section class="time-bar" aria-label={i18n.t(Key::TimeControlsLabel)}>
            <div class="clock">
                <span class="clock-label">{ i18n.t(Key::VirtualClockLabel) }</span>
                <span class="clock-value">{ i18n.t(Key::VirtualClockIdle) }</span>
            </div>
            <p class="empty-note time-bar-note">{ i18n.t(Key::TimeControlsEmpty) }</p>
        </section>
    }
}
