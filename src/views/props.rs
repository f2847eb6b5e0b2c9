//! The props every analysis view takes, and the small controls they share
//! (message and node buttons, status chips). Props compare the snapshot and
//! the trace by identity: the driver publishes a new `Rc` when either changes,
//! and comparing a long trace field by field on each render would cost more
//! than the view itself.

use std::rc::Rc;

use rmqsim::snapshot::Snapshot;
use rmqsim::Record;
use yew::prelude::*;

use crate::i18n::views::{tf, tv, ViewKey};
use crate::i18n::Lang;

use super::checkers_model::Status;

/// What every analysis view is given.
#[derive(Clone, Debug, Properties)]
pub struct ViewProps {
    /// The cluster now.
    pub snapshot: Rc<Snapshot>,
    /// The trace so far, in time order.
    pub records: Rc<Vec<Record>>,
    /// Virtual time, ms.
    pub now: u64,
    /// The message whose passport is open, if any.
    #[prop_or_default]
    pub selected_msg: Option<u64>,
    /// Asks to open a message's passport.
    #[prop_or_default]
    pub on_select_msg: Callback<u64>,
    /// Asks to select a node (broker, producer, consumer) by name.
    #[prop_or_default]
    pub on_select_node: Callback<String>,
}

impl PartialEq for ViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.snapshot, &other.snapshot)
            && Rc::ptr_eq(&self.records, &other.records)
            && self.records.len() == other.records.len()
            && self.now == other.now
            && self.selected_msg == other.selected_msg
            && self.on_select_msg == other.on_select_msg
            && self.on_select_node == other.on_select_node
    }
}

/// A button that opens a message's passport; `content` is what it shows and
/// `label` its accessible name, which always says which message it is.
pub fn msg_button(msg: u64, props: &ViewProps, class: Classes, content: Html, label: String) -> Html {
    let selected = props.selected_msg == Some(msg);
    let on_select = props.on_select_msg.clone();
    let onclick = Callback::from(move |_: MouseEvent| on_select.emit(msg));
    html! {
        <button
            type="button"
            class={classes!("msg-button", class, selected.then_some("is-selected"))}
            aria-label={label.clone()}
            title={label}
            aria-pressed={if selected { "true" } else { "false" }}
            data-msg={msg.to_string()}
            {onclick}
        >
            { content }
        </button>
    }
}

/// A message button showing `#msg`.
pub fn msg_tag(lang: Lang, msg: u64, props: &ViewProps) -> Html {
    let label = tf(lang, ViewKey::MsgButton, &[&msg.to_string()]);
    msg_button(msg, props, classes!("msg-tag"), html! { { format!("#{msg}") } }, label)
}

/// A button that selects a node; shows its name, and says so to screen readers.
pub fn node_button(lang: Lang, name: &str, props: &ViewProps, class: &'static str) -> Html {
    let on_select = props.on_select_node.clone();
    let node = name.to_string();
    let onclick = Callback::from(move |_: MouseEvent| on_select.emit(node.clone()));
    html! {
        <button
            type="button"
            class={classes!("node-button", class)}
            aria-label={tf(lang, ViewKey::NodeButton, &[name])}
            {onclick}
        >
            { name }
        </button>
    }
}

/// A checker's verdict: a glyph and a word, never colour alone.
pub fn status_chip(lang: Lang, status: Status) -> Html {
    let (class, glyph, key) = match status {
        Status::Ok => ("status-ok", "✓", ViewKey::StatusOk),
        Status::Warning => ("status-warning", "!", ViewKey::StatusWarning),
    };
    html! {
        <span class={classes!("status-chip", class)}>
            <span class="status-glyph" aria-hidden="true">{ glyph }</span>
            { tv(lang, key) }
        </span>
    }
}

/// A view's frame: a labelled region with a title, an optional summary and
/// a body that scrolls inside the panel.
pub fn view_frame(class: &'static str, title: &str, summary: Option<String>, body: Html) -> Html {
    html! {
        <section class={classes!("view", class)} aria-label={title.to_string()}>
            <header class="view-head">
                <h2 class="view-title">{ title }</h2>
                if let Some(summary) = summary {
                    <p class="view-summary">{ summary }</p>
                }
            </header>
            // Focusable, so a view taller than the dock scrolls from the keyboard too.
            <div class="view-body" tabindex="0">{ body }</div>
        </section>
    }
}

/// The "nothing here yet" note every view shows, saying what to do next.
pub fn empty_state(text: &str) -> Html {
    html! { <p class="view-empty">{ text }</p> }
}
