//! The keyboard shortcut sheet ("?"): every key the simulator listens to.

use yew::prelude::*;

use crate::components::fault_palette::use_focus_first;
use crate::i18n::{use_lang, SimKey};

/// Where the sheet's close button goes.
#[derive(Properties, PartialEq)]
pub struct ShortcutSheetProps {
    pub on_close: Callback<()>,
}

/// The shortcut sheet, as a dialog.
#[function_component]
pub fn ShortcutSheet(props: &ShortcutSheetProps) -> Html {
    let i18n = use_lang();
    let sheet = use_node_ref();
    use_focus_first(&sheet, "button");
    let rows = [
        (vec!["Space"], SimKey::ShortcutPlay),
        (vec!["→"], SimKey::ShortcutStep),
        (vec!["Shift", "→"], SimKey::ShortcutNext),
        (vec!["←"], SimKey::ShortcutBack),
        (vec!["Shift", "F10"], SimKey::ShortcutMenu),
        (vec!["?"], SimKey::ShortcutHelp),
        (vec!["Esc"], SimKey::ShortcutEscape),
    ];
    let items = rows.into_iter().map(|(keys, what)| {
        let keys = keys.into_iter().map(|k| html! { <kbd>{ k }</kbd> });
        html! {
            <tr>
                <td class="keys">{ for keys }</td>
                <td>{ i18n.s(what) }</td>
            </tr>
        }
    });
    html! {
        <div class="popup-backdrop is-modal" onclick={props.on_close.reform(|_: MouseEvent| ())}>
            <div class="shortcut-sheet popup is-placed is-centered" role="dialog" aria-labelledby="shortcut-title" ref={sheet}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <div class="sheet-head">
                    <h2 id="shortcut-title" class="popup-title">{ i18n.s(SimKey::KeyboardShortcuts) }</h2>
                    <button type="button" class="icon-button" aria-label={i18n.s(SimKey::Close)} onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "×" }</button>
                </div>
                <table class="shortcut-table"><tbody>{ for items }</tbody></table>
            </div>
        </div>
    }
}
