//! The last good state: what the panic panel needs to say how to reproduce a
//! crash and to bring the learner back to where they were.
//!
//! The driver calls [`remember`] with every frame it publishes. That keeps a
//! one-line repro (scenario, seed, client, virtual time, interventions) in
//! memory for the panic hook, and at most once a second writes the run as a
//! session document (`rmqsim::share`) to `sessionStorage`. After a panic the
//! panel's "Return to the last good state" button opens
//! `?mode=playground&restore=last`; on that address the playground loads the
//! saved session exactly as a share link does: each intervention at its
//! event count and time, replayed to the saved position, paused. Nothing here reads the engine's clock;
//! only the save interval uses the page's clock, which the driver passes in.

use std::cell::{Cell, RefCell};

use rmqsim::share::{self, Position, SessionDoc};
use rmqsim::Scenario;

use crate::driver::SessionLoad;
use crate::session::Session;

/// `sessionStorage` key of the saved session document.
pub const STORAGE_KEY: &str = "rocketmq-sim.last-good";
/// `sessionStorage` key of the saved scenario's display name and summary (JSON).
pub const META_KEY: &str = "rocketmq-sim.last-good.meta";
/// The query parameter that asks the playground to restore the saved state.
pub const RESTORE_QUERY: &str = "restore=last";
/// Wall milliseconds between two saves.
pub const SAVE_EVERY_MS: f64 = 1000.0;

/// The one-line description of a run that reproduces it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Repro {
    pub name: String,
    pub seed: u64,
    pub client: String,
    /// Virtual time (ms).
    pub t: u64,
    pub interventions: usize,
}

impl Repro {
    /// `scenario NAME · seed S · client C · t = 12.345 s · N intervention(s)`.
    pub fn line(&self) -> String {
        format!(
            "scenario {} · seed {} · client {} · t = {}.{:03} s · {} intervention(s)",
            self.name,
            self.seed,
            self.client,
            self.t / 1000,
            self.t % 1000,
            self.interventions
        )
    }

    fn of(name: &str, scenario: &Scenario, t: u64, interventions: usize) -> Repro {
        Repro {
            name: name.to_string(),
            seed: scenario.seed,
            client: scenario.client.name().to_string(),
            t,
            interventions,
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Repro>> = const { RefCell::new(None) };
    static LAST_SAVE: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    static LAST_SAVED: RefCell<Option<Repro>> = const { RefCell::new(None) };
    static PANICKED: Cell<bool> = const { Cell::new(false) };
}

/// The session document of a run at its current point.
pub fn document(session: &Session) -> SessionDoc {
    let mut doc = SessionDoc::new(session.scenario().clone());
    doc.interventions = session
        .interventions()
        .iter()
        .take(session.applied())
        .map(|iv| share::Intervention { events: iv.events, t: iv.t, action: iv.action.clone() })
        .collect();
    doc.position = Some(Position { t: session.now(), events: session.events() });
    doc
}

/// Notes the run the driver just published (called once per frame). Saves it
/// to `sessionStorage` when a second has passed, or when the run or its
/// interventions changed. Does nothing once the page has panicked.
pub fn remember(name: &str, summary: &str, session: &Session, wall_ms: f64) {
    if PANICKED.with(Cell::get) {
        return;
    }
    let repro = Repro::of(name, session.scenario(), session.now(), session.applied());
    let changed = LAST_SAVED.with(|last| {
        last.try_borrow().map_or(true, |last| {
            last.as_ref()
                .is_none_or(|l| l.name != repro.name || l.seed != repro.seed || l.interventions != repro.interventions)
        })
    });
    let due = wall_ms - LAST_SAVE.with(Cell::get) >= SAVE_EVERY_MS;
    if changed || due {
        save(name, summary, &document(session));
        LAST_SAVE.with(|c| c.set(wall_ms));
        LAST_SAVED.with(|last| {
            if let Ok(mut last) = last.try_borrow_mut() {
                *last = Some(repro.clone());
            }
        });
    }
    CURRENT.with(|current| {
        if let Ok(mut current) = current.try_borrow_mut() {
            *current = Some(repro);
        }
    });
}

/// Called by the panic hook: later frames must not overwrite the last good state.
pub fn mark_panicked() {
    PANICKED.with(|p| p.set(true));
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn save(name: &str, summary: &str, doc: &SessionDoc) {
    let Some(storage) = session_storage() else { return };
    let meta = serde_json::json!({ "name": name, "summary": summary }).to_string();
    let _ = storage.set_item(STORAGE_KEY, &doc.to_json());
    let _ = storage.set_item(META_KEY, &meta);
}

/// The saved document and its display name and summary, if any.
fn saved() -> Option<(SessionDoc, String, String)> {
    let storage = session_storage()?;
    let text = storage.get_item(STORAGE_KEY).ok()??;
    let doc = share::from_json(&text).ok()?;
    let meta: serde_json::Value =
        storage.get_item(META_KEY).ok()?.and_then(|m| serde_json::from_str(&m).ok()).unwrap_or_default();
    let name = meta["name"].as_str().map_or_else(|| doc.scenario.name.clone(), str::to_string);
    let summary = meta["summary"].as_str().unwrap_or_default().to_string();
    Some((doc, name, summary))
}

/// The repro line for the panic panel: the run on screen, else the last saved one.
pub fn repro_line() -> Option<String> {
    let current = CURRENT.with(|c| c.try_borrow().ok().and_then(|c| c.clone()));
    if let Some(r) = current {
        return Some(r.line());
    }
    let (doc, name, _) = saved()?;
    let p = doc.position.map_or(0, |p| p.t);
    Some(Repro::of(&name, &doc.scenario, p, doc.interventions.len()).line())
}

/// The share token of the last saved state (the session document in URL-safe base64).
pub fn saved_token() -> Option<String> {
    saved().map(|(doc, _, _)| doc.encode())
}

/// Whether a last good state is saved in this tab.
pub fn has_saved() -> bool {
    session_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).is_some()
}

/// The address that restores the last good state.
pub fn restore_href() -> String {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_else(|| "/".into());
    format!("{path}?mode=playground&{RESTORE_QUERY}")
}

/// Whether a query string asks for the restore.
pub fn restore_requested(query: &str) -> bool {
    query.trim_start_matches('?').split('&').any(|pair| pair == RESTORE_QUERY)
}

/// On `?restore=last`, the saved state to load: the scenario with its
/// interventions at their exact points (event count and time) and the
/// position to replay to, so the run comes back exactly as it was.
pub fn take_restore() -> Option<SessionLoad> {
    let query = web_sys::window()?.location().search().ok()?;
    if !restore_requested(&query) {
        return None;
    }
    let (doc, name, summary) = saved()?;
    Some(SessionLoad { name, summary, doc })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repro_line_names_everything_needed() {
        let r = Repro { name: "tutorial-basic".into(), seed: 42, client: "java4".into(), t: 12_345, interventions: 2 };
        assert_eq!(r.line(), "scenario tutorial-basic · seed 42 · client java4 · t = 12.345 s · 2 intervention(s)");
    }

    #[test]
    fn only_the_exact_parameter_restores() {
        assert!(restore_requested("?mode=playground&restore=last"));
        assert!(!restore_requested("?restore=lastish"));
        assert!(!restore_requested(""));
    }
}
