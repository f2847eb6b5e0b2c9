//! The bottom bar: play/pause, step one event, jump to the next event, the
//! virtual clock, the timeline scrubber (marks for sends, failures, retries,
//! dead letters, rebalances and faults; drag or click to seek, backwards
//! included) and the logarithmic speed slider. During a long seek it shows
//! progress and a Stop button.
//!
//! Every control is a real button or slider with an accessible name in the
//! current language; the keyboard shortcuts are announced through
//! `aria-keyshortcuts`.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::driver::Command;
use crate::i18n::{use_lang, Key, SimKey};
use crate::view_model::{
    format_clock, format_speed, group_thousands, speed_at, speed_index, Frame, MarkKind, TaskKind, SPEEDS,
};

/// What the time bar shows and where its commands go.
#[derive(Properties, PartialEq)]
pub struct TimeBarProps {
    pub frame: Rc<Frame>,
    pub on_command: Callback<Command>,
    /// The clock readout, shared with the driver, which updates its text in
    /// the animation frames it paints without a render.
    #[prop_or_default]
    pub clock: NodeRef,
}

/// The time-control bar.
#[function_component]
pub fn TimeBar(props: &TimeBarProps) -> Html {
    let i18n = use_lang();
    let frame = &props.frame;
    let send = |command: Command| {
        let cb = props.on_command.clone();
        Callback::from(move |_: MouseEvent| cb.emit(command.clone()))
    };
    let busy = frame.task.is_some();
    let (play_key, play_icon) = if frame.playing { (SimKey::Pause, "pause") } else { (SimKey::Play, "play") };
    let disabled = !frame.loaded();

    let status = status_line(frame, &i18n);
    let clock_text = format_clock(frame.now);
    {
        // Whatever the driver wrote in between, a render shows the frame's time.
        let (clock, text) = (props.clock.clone(), clock_text.clone());
        use_effect(move || crate::driver::set_clock_text(&clock, &text));
    }
    html! {
        <section class="time-bar sim-time-bar" aria-label={i18n.t(Key::TimeControlsLabel)}>
            <div class="transport">
                <button
                    type="button"
                    class={classes!("tb-button", "tb-play", frame.playing.then_some("is-playing"))}
                    aria-label={i18n.s(play_key)}
                    title={format!("{} (Space)", i18n.s(play_key))}
                    aria-keyshortcuts="Space"
                    {disabled}
                    onclick={send(Command::TogglePlay)}
                >
                    { transport_icon(play_icon) }
                </button>
                <button
                    type="button"
                    class="tb-button"
                    aria-label={i18n.s(SimKey::Step)}
                    title={format!("{} (→)", i18n.s(SimKey::Step))}
                    aria-keyshortcuts="ArrowRight"
                    disabled={disabled || frame.ended}
                    onclick={send(Command::Step)}
                >
                    { transport_icon("step") }
                </button>
                <button
                    type="button"
                    class="tb-button"
                    aria-label={i18n.s(SimKey::NextEvent)}
                    title={format!("{} (Shift+→)", i18n.s(SimKey::NextEvent))}
                    aria-keyshortcuts="Shift+ArrowRight"
                    disabled={disabled || frame.ended}
                    onclick={send(Command::NextEvent)}
                >
                    { transport_icon("next") }
                </button>
            </div>
            <div class="clock sim-clock">
                <span class="clock-label">{ i18n.t(Key::VirtualClockLabel) }</span>
                <output class="clock-value sim-clock-value" aria-label={i18n.t(Key::VirtualClockLabel)} ref={props.clock.clone()}>
                    { clock_text }
                </output>
            </div>
            <div class="scrub-area">
                <Scrubber frame={frame.clone()} on_command={props.on_command.clone()} />
                <div class="scrub-status">
                    if busy {
                        <button type="button" class="tb-stop" onclick={send(Command::Stop)}>{ i18n.s(SimKey::Stop) }</button>
                    }
                    <span class={classes!("scrub-status-text", frame.behind.then_some("is-warning"))} role="status">{ status }</span>
                    <span class="scrub-events">{ i18n.f(SimKey::EventsCount, &[&group_thousands(frame.events)]) }</span>
                </div>
            </div>
            <SpeedControl speed={frame.speed} skip_idle={frame.skip_idle} on_command={props.on_command.clone()} />
        </section>
    }
}

fn status_line(frame: &Frame, i18n: &crate::i18n::LangContext) -> String {
    if let Some(task) = frame.task {
        return match task.kind {
            TaskKind::Seek => {
                format!("{} {:.0}%", i18n.f(SimKey::SeekingTo, &[&format_clock(task.target)]), task.fraction() * 100.0)
            }
            TaskKind::NextEvent => i18n.s(SimKey::Searching).to_string(),
        };
    }
    if frame.behind {
        return i18n.s(SimKey::Behind).to_string();
    }
    if frame.ended {
        return i18n.s(SimKey::RunEnded).to_string();
    }
    if frame.interventions_ahead > 0 {
        return i18n.f(SimKey::InterventionsAhead, &[&frame.interventions_ahead.to_string()]);
    }
    String::new()
}

fn transport_icon(kind: &str) -> Html {
    let d = match kind {
        "pause" => "M7 5 H10 V19 H7 Z M14 5 H17 V19 H14 Z",
        "step" => "M6 5 L15 12 L6 19 Z M16 5 H19 V19 H16 Z",
        "next" => "M4 5 L11 12 L4 19 Z M12 5 L19 12 L12 19 Z M19 5 H21 V19 H19 Z",
        _ => "M7 4.5 L19 12 L7 19.5 Z",
    };
    html! {
        <svg class="tb-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d={d} /></svg>
    }
}

#[derive(Properties, PartialEq)]
struct ScrubberProps {
    frame: Rc<Frame>,
    on_command: Callback<Command>,
}

/// The timeline: marks over `[0, until]`, the explored part, and a native
/// range input on top (keyboard and screen readers for free); pointers
/// (mouse, pen, finger) are followed by the timeline itself.
#[function_component]
fn Scrubber(props: &ScrubberProps) -> Html {
    let i18n = use_lang();
    let frame = &props.frame;
    let preview = use_state(|| None::<u64>);
    let until = frame.until.max(1);
    let shown = preview.unwrap_or(frame.now);
    let frac = |t: u64| (t as f64 / until as f64).clamp(0.0, 1.0) * 1000.0;

    let marks = frame.marks.marks().into_iter().map(|(x, kind)| {
        let (y1, y2) = mark_extent(kind);
        html! { <line class={format!("mark mark-{}", kind.class())} x1={format!("{:.1}", x * 1000.0)} x2={format!("{:.1}", x * 1000.0)} y1={y1} y2={y2} /> }
    });
    let target = frame.task.filter(|t| t.kind == TaskKind::Seek).map(|t| frac(t.target));
    let step = (until / 1000).max(1);

    // Scrubbing is continuous: every movement of the thumb seeks (a seek
    // replaces the one still running, so a fast drag only pays for where it
    // stops), and the label follows the thumb at once.
    let oninput = {
        let preview = preview.clone();
        let cb = props.on_command.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let t = input.value().parse().ok();
                preview.set(t);
                if let Some(t) = t {
                    cb.emit(Command::Seek(t));
                }
            }
        })
    };
    let onchange = {
        let preview = preview.clone();
        let cb = props.on_command.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(t) = input.value().parse::<u64>() {
                    cb.emit(Command::Seek(t));
                }
            }
            preview.set(None);
        })
    };
    // Pointer input (mouse, pen and finger alike) is handled here rather
    // than by the range input, which keeps the keyboard and screen readers:
    // pressing on the timeline seeks there, dragging keeps seeking (the
    // pointer is captured, and `touch-action: none` keeps a finger's drag
    // from scrolling the page), releasing ends the preview.
    // (Yew delegates events, so `current_target` is not the timeline: it is
    // found through its own reference.)
    let input = use_node_ref();
    let track = use_node_ref();
    let dragging = use_mut_ref(|| false);
    let seek_at = {
        let (preview, cb, input, loaded) = (preview.clone(), props.on_command.clone(), input.clone(), frame.loaded());
        let track = track.clone();
        move |e: &PointerEvent| -> bool {
            let Some(element) = track.cast::<web_sys::Element>() else {
                return false;
            };
            if !loaded {
                return false;
            }
            let rect = element.get_bounding_client_rect();
            let x = ((f64::from(e.client_x()) - rect.left()) / rect.width().max(1.0)).clamp(0.0, 1.0);
            let t = ((x * until as f64 / step as f64).round() as u64 * step).min(until);
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.set_value(&t.to_string());
            }
            preview.set(Some(t));
            cb.emit(Command::Seek(t));
            true
        }
    };
    let onpointerdown = {
        let (seek_at, dragging, input, track) = (seek_at.clone(), dragging.clone(), input.clone(), track.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 || !seek_at(&e) {
                return;
            }
            e.prevent_default();
            if let Some(element) = track.cast::<web_sys::Element>() {
                let _ = element.set_pointer_capture(e.pointer_id());
            }
            if let Some(input) = input.cast::<web_sys::HtmlElement>() {
                let _ = input.focus();
            }
            *dragging.borrow_mut() = true;
        })
    };
    let onpointermove = {
        let (seek_at, dragging) = (seek_at.clone(), dragging.clone());
        Callback::from(move |e: PointerEvent| {
            if *dragging.borrow() {
                seek_at(&e);
            }
        })
    };
    let end_drag = {
        let (dragging, preview) = (dragging.clone(), preview.clone());
        Callback::from(move |_: PointerEvent| {
            if std::mem::take(&mut *dragging.borrow_mut()) {
                preview.set(None);
            }
        })
    };
    let value_text = i18n.f(SimKey::TimelineValue, &[&format_clock(shown), &format_clock(frame.until)]);
    html! {
        <div class="scrubber" ref={track} {onpointerdown} {onpointermove} onpointerup={end_drag.clone()} onpointercancel={end_drag}>
            <svg class="scrub-track" viewBox="0 0 1000 28" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect class="scrub-rail" x="0" y="17" width="1000" height="6" rx="3" />
                <rect class="scrub-known" x="0" y="17" width={format!("{:.1}", frac(frame.furthest))} height="6" rx="3" />
                <rect class="scrub-done" x="0" y="17" width={format!("{:.1}", frac(shown))} height="6" rx="3" />
                { for marks }
                if let Some(x) = target {
                    <line class="scrub-target" x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1="0" y2="28" />
                }
            </svg>
            <input
                ref={input}
                type="range"
                class="scrub-input"
                min="0"
                max={until.to_string()}
                step={step.to_string()}
                value={shown.to_string()}
                aria-label={i18n.s(SimKey::Timeline)}
                aria-valuetext={value_text.clone()}
                title={value_text}
                disabled={!frame.loaded()}
                {oninput}
                {onchange}
            />
        </div>
    }
}

/// How tall a mark of each kind is drawn (rarer, graver kinds stand taller).
fn mark_extent(kind: MarkKind) -> (&'static str, &'static str) {
    match kind {
        MarkKind::Send => ("9", "15"),
        MarkKind::Rebalance | MarkKind::Retry => ("6", "15"),
        MarkKind::Failure | MarkKind::DeadLetter => ("3", "15"),
        MarkKind::Fault => ("0", "15"),
    }
}

#[derive(Properties, PartialEq)]
struct SpeedProps {
    speed: f64,
    skip_idle: bool,
    on_command: Callback<Command>,
}

/// The speed slider: 1-2-5 stops from 0.01× to 10,000× real time.
#[function_component]
fn SpeedControl(props: &SpeedProps) -> Html {
    let i18n = use_lang();
    let index = speed_index(props.speed);
    let oninput = {
        let cb = props.on_command.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(i) = input.value().parse::<usize>() {
                    cb.emit(Command::SetSpeed(speed_at(i)));
                }
            }
        })
    };
    let text = format_speed(props.speed);
    let on_skip = {
        let cb = props.on_command.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                cb.emit(Command::SetSkipIdle(input.checked()));
            }
        })
    };
    html! {
        <div class="speed">
            <label class="speed-label" for="speed-slider">{ i18n.s(SimKey::Speed) }</label>
            <input
                id="speed-slider"
                type="range"
                class="speed-input"
                min="0"
                max={(SPEEDS.len() - 1).to_string()}
                step="1"
                value={index.to_string()}
                aria-valuetext={i18n.f(SimKey::SpeedValue, &[&text])}
                {oninput}
            />
            <output class="speed-value" for="speed-slider">{ text }</output>
            <label class="skip-idle" title={i18n.s(SimKey::SkipIdleHint)}>
                <input type="checkbox" checked={props.skip_idle} onchange={on_skip} />
                { i18n.s(SimKey::SkipIdle) }
            </label>
        </div>
    }
}
