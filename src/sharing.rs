//! Sharing a run: the page address that carries one, what the app does with
//! it, and the browser calls behind the share panel (clipboard, file
//! download, file import).
//!
//! **Addresses.** A share link is `…/#s=TOKEN`, where TOKEN is the session
//! document (`rmqsim::share`) in URL-safe base64: the fragment never leaves
//! the browser, so a session is not sent to any server and its length is not
//! limited by one. `?embed=PRESET` opens the read-only player on a preset;
//! `?embed#s=TOKEN` opens it on a shared session. Parsing is pure and tested
//! natively; the browser parts are thin wrappers over web-sys.

use std::rc::Rc;

use rmqsim::share::{self, SessionDoc, ShareError};

use crate::driver::SessionLoad;

/// The most bytes an imported file may have; larger files are refused from
/// `File.size`, before their text is read.
pub const MAX_IMPORT_BYTES: f64 = share::MAX_DOC_BYTES as f64;

/// What the page address asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkRequest {
    /// The share token after `#s=` (possibly damaged: decoding tells).
    pub token: Option<String>,
    /// `?embed` (empty) or `?embed=PRESET`: the read-only player.
    pub embed: Option<String>,
}

impl LinkRequest {
    /// Reads `location.search` and `location.hash`.
    pub fn from_location(search: &str, hash: &str) -> LinkRequest {
        let mut request = LinkRequest::default();
        for pair in search.trim_start_matches('?').split('&') {
            if pair == "embed" {
                request.embed = Some(String::new());
            } else if let Some(name) = pair.strip_prefix("embed=") {
                request.embed = Some(decode_component(name));
            }
        }
        let hash = hash.trim_start_matches('#');
        for pair in hash.split('&') {
            if let Some(token) = pair.strip_prefix("s=") {
                request.token = Some(token.to_string());
            }
        }
        request
    }
}

/// Undoes `%XX` escapes (preset names are plain, but a pasted link may be escaped).
fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The share link for `doc`, on the page at `base` (origin and path, no query or fragment).
pub fn share_url(base: &str, doc: &SessionDoc) -> String {
    format!("{base}#s={}", doc.encode())
}

/// The full simulator's address for `doc` (the embedded player's "open in simulator").
pub fn simulator_url(base: &str, doc: &SessionDoc) -> String {
    format!("{base}?mode=playground#s={}", doc.encode())
}

/// What a loaded document is called on screen: the preset it names (with
/// its summary) or the scenario's own name.
pub fn session_load(doc: SessionDoc) -> SessionLoad {
    let name = if doc.scenario.name.is_empty() { "shared".to_string() } else { doc.scenario.name.clone() };
    let summary = rmqsim::presets::find(&name)
        .map(|p| p.summary.to_string())
        .or_else(|| doc.scenario.description.clone())
        .unwrap_or_default();
    SessionLoad { name, summary, doc }
}

/// A file name for a download: the scenario's name made safe, and a suffix.
pub fn file_name(name: &str, suffix: &str) -> String {
    let safe: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    let safe = safe.trim_matches('-');
    format!("{}.{suffix}.json", if safe.is_empty() { "rmqsim" } else { safe })
}

/// Reads an imported file's text: a session or a bare scenario. A code lab
/// run must also replay to its recorded results (see [`share::check_lab`]).
pub fn read_import(text: &str) -> Result<SessionDoc, ShareError> {
    let doc = share::from_json(text)?;
    share::check_lab(&doc)?;
    Ok(doc)
}

/// Decodes a share link's token, checking a code lab run as [`read_import`] does.
pub fn read_token(token: &str) -> Result<SessionDoc, ShareError> {
    let doc = share::decode(token)?;
    share::check_lab(&doc)?;
    Ok(doc)
}

/// The run an import replaced, kept so the import can be undone.
#[derive(Clone, Debug)]
pub struct PreviousRun(pub Rc<SessionDoc>);

impl PartialEq for PreviousRun {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A message about sharing shown above the cluster (kept as data, so it
/// follows a language switch).
#[derive(Clone, Debug, PartialEq)]
pub enum ShareNote {
    /// The page's share link could not be opened; the normal app loaded.
    LinkRefused(ShareError),
    /// A share link was opened: its name, and the sharer's position and
    /// fingerprint to compare with once the replay gets there.
    LinkOpened { name: String, expected: Option<(share::Position, String)> },
    /// An imported file was over the limit (name, bytes); it was not read.
    ImportTooLarge(String, f64),
    /// An imported file could not be read (name).
    ImportUnreadable(String),
    /// An imported file is not a valid scenario or session (name, why).
    ImportRefused(String, ShareError),
    /// A file was imported (name, interventions, the run it replaced).
    Imported(String, usize, Option<PreviousRun>),
    /// An import was undone (the name of the run brought back).
    ImportUndone(String),
    /// `?embed=NAME` names no preset (name).
    EmbedUnknown(String),
    /// The clipboard took the link, or refused.
    Copied(bool),
}

impl ShareNote {
    /// Whether it reports a problem (shown as an alert).
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            ShareNote::LinkRefused(_)
                | ShareNote::ImportTooLarge(..)
                | ShareNote::ImportUnreadable(_)
                | ShareNote::ImportRefused(..)
                | ShareNote::EmbedUnknown(_)
                | ShareNote::Copied(false)
        )
    }
}

/// The page's address without query or fragment.
pub fn page_base() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// What the page address asks for, read from the browser.
pub fn current_request() -> LinkRequest {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return LinkRequest::default() };
    LinkRequest::from_location(&location.search().unwrap_or_default(), &location.hash().unwrap_or_default())
}

/// Writes `text` to the clipboard; `done` hears whether it worked.
pub fn copy_to_clipboard(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(window) = web_sys::window() else { return done(false) };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// Offers `text` as a file download named `name` (a Blob and an object URL).
pub fn download(name: &str, text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return false };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return false };
    let Some(anchor) = document.create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.set_class_name("visually-hidden");
    if let Some(body) = document.body() {
        let _ = body.append_child(&anchor);
        anchor.click();
        let _ = body.remove_child(&anchor);
    }
    // The download has started from the URL; it can go once this task ends.
    let revoke = url.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = web_sys::Url::revoke_object_url(&revoke);
    });
    true
}

/// How reading an imported file ended.
pub enum ImportRead {
    /// Over [`MAX_IMPORT_BYTES`]: refused before reading (name, size).
    TooLarge(String, f64),
    /// The browser could not read it (name).
    Unreadable(String),
    /// Its text (name, text).
    Text(String, String),
}

/// Reads `file` unless it is over the limit; `done` hears the outcome.
pub fn read_file(file: web_sys::File, done: impl FnOnce(ImportRead) + 'static) {
    let (name, size) = (file.name(), file.size());
    if size > MAX_IMPORT_BYTES {
        return done(ImportRead::TooLarge(name, size));
    }
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await.ok().and_then(|v| v.as_string()) {
            Some(text) => done(ImportRead::Text(name, text)),
            None => done(ImportRead::Unreadable(name)),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmqsim::presets;

    #[test]
    fn the_address_says_what_to_open() {
        assert_eq!(LinkRequest::from_location("", ""), LinkRequest::default());
        let r = LinkRequest::from_location("?mode=playground", "#s=abc");
        assert_eq!(r.token.as_deref(), Some("abc"));
        assert_eq!(r.embed, None);
        let r = LinkRequest::from_location("?embed=retry-to-dlq", "");
        assert_eq!((r.token, r.embed.as_deref()), (None, Some("retry-to-dlq")));
        let r = LinkRequest::from_location("?embed", "#s=xyz");
        assert_eq!((r.token.as_deref(), r.embed.as_deref()), (Some("xyz"), Some("")));
        assert_eq!(LinkRequest::from_location("?embed=a%2Db", "").embed.as_deref(), Some("a-b"));
        assert_eq!(LinkRequest::from_location("?embedded=1", "#x").embed, None);
    }

    #[test]
    fn a_link_round_trips_through_the_address() {
        let doc = SessionDoc::new(presets::find("tutorial-basic").unwrap().scenario().unwrap());
        let url = share_url("http://127.0.0.1:8080/", &doc);
        let (_, hash) = url.split_once('#').unwrap();
        let token = LinkRequest::from_location("", &format!("#{hash}")).token.unwrap();
        assert_eq!(share::decode(&token).unwrap().to_json(), doc.to_json());
        assert!(simulator_url("http://h/", &doc).starts_with("http://h/?mode=playground#s="));
    }

    #[test]
    fn loads_are_named_after_the_preset() {
        let doc = SessionDoc::new(presets::find("retry-to-dlq").unwrap().scenario().unwrap());
        let load = session_load(doc);
        assert_eq!(load.name, "retry-to-dlq");
        assert!(!load.summary.is_empty());
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("retry-to-dlq", "session"), "retry-to-dlq.session.json");
        assert_eq!(file_name("a/b c", "scenario"), "a-b-c.scenario.json");
        assert_eq!(file_name("", "scenario"), "rmqsim.scenario.json");
    }
}
