//! Session files and share links: one run as a versioned document.
//!
//! A run is `(scenario, seed, interventions)` (ARCHITECTURE.md); this module
//! writes it down so it can be saved, shared and replayed elsewhere:
//!
//! ```json
//! { "format": "rmqsim-session", "version": 1,
//!   "scenario": { …the scenario, with its seed and client… },
//!   "interventions": [ { "events": 412, "t": 2000, "action": { "do": "kill", "at": "2s", "node": "broker-a" } } ],
//!   "position": { "t": 5000, "events": 930 },
//!   "fingerprint": "1f0c9e55a3b2d417" }
//! ```
//!
//! `interventions` are the learner's actions, each with the number of engine
//! events processed and the virtual time when it was applied; `position`
//! (optional) is where the sharer was, `fingerprint` (optional) the trace
//! hash there. A share token is the compact JSON in URL-safe base64 without
//! padding (no compression: the documents are small and a compressor would
//! cost the web bundle more than it saves); the app's link is `…/#s=TOKEN`.
//!
//! Decoding never trusts its input: over [`MAX_DOC_BYTES`] is refused before
//! anything is parsed, more than [`MAX_INTERVENTIONS`] before anything is
//! built, and every error names the problem (not base64 and where, truncated,
//! not JSON at which byte, wrong format or version, the scenario's own field,
//! an intervention out of order or at an impossible time). A bare scenario
//! JSON is accepted too, as a session without interventions.
//!
//! [`replay`] runs a document natively exactly as the browser's session
//! replays it, so the fingerprint computed here equals the one on screen.

use crate::scenario::{Action, Dur, Scenario, ScenarioError};
use crate::sim::{Sim, DEFAULT_MAX_EVENTS};
use crate::trace::{Trace, TraceMode};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// The document's `format`.
pub const FORMAT: &str = "rmqsim-session";
/// The document version this code writes and reads.
pub const VERSION: u64 = 1;
/// The largest document (JSON bytes) accepted, checked before parsing.
pub const MAX_DOC_BYTES: usize = 1024 * 1024;
/// The longest token accepted: [`MAX_DOC_BYTES`] in base64.
pub const MAX_TOKEN_CHARS: usize = MAX_DOC_BYTES.div_ceil(3) * 4;
/// The most interventions a document may carry.
pub const MAX_INTERVENTIONS: usize = 10_000;

/// One learner action and the exact point of the run where it was applied.
#[derive(Clone, Debug)]
pub struct Intervention {
    /// Engine events processed before it was applied.
    pub events: u64,
    /// Virtual time (ms) when it was applied; the action's `at` equals it.
    pub t: u64,
    pub action: Action,
}

/// A point of a run: virtual time and engine events processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    pub t: u64,
    pub events: u64,
}

/// A whole session: what [`encode`](SessionDoc::encode) writes and [`decode`] reads.
#[derive(Clone, Debug)]
pub struct SessionDoc {
    pub scenario: Scenario,
    pub interventions: Vec<Intervention>,
    /// Where the sharer was (the receiver replays to here).
    pub position: Option<Position>,
    /// The trace hash at `position`, as 16 hex digits.
    pub fingerprint: Option<String>,
    /// A code lab run: the programs, their console and line marks
    /// (`labdoc::LabRecord` as JSON, checked by `labdoc::check_value`).
    pub lab: Option<Value>,
}

/// What kind of problem a document has (the UI words its headline by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareErrorKind {
    /// Larger than the limit (refused before parsing).
    TooLarge,
    /// A character that is not URL-safe base64.
    NotBase64,
    /// Cut off: the base64 or the JSON ends early.
    Truncated,
    /// The decoded bytes are not UTF-8 text.
    NotText,
    /// Not JSON (syntax error).
    NotJson,
    /// JSON, but not a session or a scenario (wrong or missing `format`, unknown field).
    Format,
    /// A `version` this code does not read.
    Version,
    /// The scenario is invalid (the field is named).
    Scenario,
    /// An intervention is invalid, out of order or at an impossible point.
    Intervention,
    /// More interventions than [`MAX_INTERVENTIONS`].
    TooMany,
    /// The position or fingerprint is invalid.
    Position,
    /// A code lab run whose code or recorded results do not match it.
    Lab,
}

/// A decoding error: which part, what kind, and what is wrong (one line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareError {
    pub kind: ShareErrorKind,
    /// Where in the document (`scenario.cluster.brokers[0].name`, `interventions[2].t`), or empty.
    pub field: String,
    pub message: String,
}

impl ShareError {
    fn new(kind: ShareErrorKind, field: impl Into<String>, message: impl Into<String>) -> ShareError {
        let one = |s: String| s.replace(['\n', '\r'], " ");
        ShareError { kind, field: one(field.into()), message: one(message.into()) }
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for ShareError {}

#[derive(Serialize)]
struct WireIntervention<'a> {
    events: u64,
    t: u64,
    action: &'a Action,
}

#[derive(Serialize)]
struct Wire<'a> {
    format: &'static str,
    version: u64,
    scenario: &'a Scenario,
    interventions: Vec<WireIntervention<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<Position>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lab: Option<&'a Value>,
}

impl SessionDoc {
    /// A session of `scenario` with no interventions.
    pub fn new(scenario: Scenario) -> SessionDoc {
        SessionDoc { scenario, interventions: Vec::new(), position: None, fingerprint: None, lab: None }
    }

    fn wire(&self) -> Wire<'_> {
        Wire {
            format: FORMAT,
            version: VERSION,
            scenario: &self.scenario,
            interventions: self
                .interventions
                .iter()
                .map(|iv| WireIntervention { events: iv.events, t: iv.t, action: &iv.action })
                .collect(),
            position: self.position,
            fingerprint: self.fingerprint.as_deref(),
            lab: self.lab.as_ref(),
        }
    }

    /// The document as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.wire()).unwrap_or_default()
    }

    /// The document as indented JSON (the exported file).
    pub fn to_json_pretty(&self) -> String {
        crate::scenario::pretty_json(&self.to_json())
    }

    /// The share token: the compact JSON in URL-safe base64 without padding.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.to_json())
    }
}

/// `scenario` as compact JSON, exactly as `serde_json::to_string` writes it.
/// The app serializes scenarios and actions through this and [`action_json`]
/// rather than its own `serde_json::to_string`, so the wasm holds one copy of
/// their serializers instead of one per crate.
pub fn scenario_json(scenario: &Scenario) -> serde_json::Result<String> {
    serde_json::to_string(scenario)
}

/// `action` as compact JSON (see [`scenario_json`]).
pub fn action_json(action: &Action) -> serde_json::Result<String> {
    serde_json::to_string(action)
}

/// Accepts `=` padding or none when decoding.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The token in `text`: a bare token, `s=TOKEN`, `#s=TOKEN` or a whole link
/// ending in `#s=TOKEN` (or `?s=`/`&s=`), with surrounding spaces ignored.
pub fn token_from_link(text: &str) -> &str {
    let text = text.trim();
    for mark in ["#s=", "?s=", "&s="] {
        if let Some(at) = text.rfind(mark) {
            let rest = &text[at + mark.len()..];
            return rest.split(['&', '#']).next().unwrap_or(rest);
        }
    }
    text.strip_prefix("s=").unwrap_or(text)
}

/// Decodes a share token (or a link holding one, see [`token_from_link`]).
pub fn decode(link: &str) -> Result<SessionDoc, ShareError> {
    let token = token_from_link(link);
    if token.len() > MAX_TOKEN_CHARS {
        return Err(ShareError::new(
            ShareErrorKind::TooLarge,
            "",
            format!(
                "the link holds {} characters; at most {MAX_TOKEN_CHARS} (a 1 MB session) are accepted",
                token.len()
            ),
        ));
    }
    if token.is_empty() {
        return Err(ShareError::new(ShareErrorKind::Truncated, "", "the link holds no session (nothing after s=)"));
    }
    let unpadded = token.trim_end_matches('=');
    if let Some((at, c)) = unpadded.char_indices().find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(ShareError::new(
            ShareErrorKind::NotBase64,
            "",
            format!("not a share link: character {} ({c:?}) is not URL-safe base64", at + 1),
        ));
    }
    if unpadded.len() % 4 == 1 {
        return Err(ShareError::new(
            ShareErrorKind::Truncated,
            "",
            format!("{} characters cannot be whole base64: the token ends early", unpadded.len()),
        ));
    }
    let bytes = LENIENT.decode(unpadded).map_err(|e| {
        ShareError::new(ShareErrorKind::Truncated, "", format!("the base64 is damaged or ends early ({e})"))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        ShareError::new(
            ShareErrorKind::NotText,
            "",
            format!("the link decodes to bytes that are not UTF-8 text (at byte {})", e.utf8_error().valid_up_to()),
        )
    })?;
    from_json(&text)
}

/// The byte offset of serde_json's 1-based line and column in `text`.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Reads a session document or a bare scenario from JSON text.
pub fn from_json(text: &str) -> Result<SessionDoc, ShareError> {
    if text.len() > MAX_DOC_BYTES {
        return Err(ShareError::new(
            ShareErrorKind::TooLarge,
            "",
            format!("{} bytes is larger than the 1 MB limit ({MAX_DOC_BYTES} bytes)", text.len()),
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let at = byte_offset(text, e.line(), e.column());
        if e.classify() == serde_json::error::Category::Eof {
            ShareError::new(ShareErrorKind::Truncated, "", format!("the JSON ends early, at byte {at}"))
        } else {
            let what = e.to_string();
            let what = what.split(" at line ").next().unwrap_or(&what).to_string();
            ShareError::new(
                ShareErrorKind::NotJson,
                "",
                format!("not JSON at byte {at} (line {}, column {}): {what}", e.line(), e.column()),
            )
        }
    })?;
    let Value::Object(obj) = value else {
        return Err(ShareError::new(
            ShareErrorKind::Format,
            "",
            format!("expected a JSON object (a session or a scenario), found {}", kind_of(&value)),
        ));
    };
    if !obj.contains_key("format") {
        if obj.contains_key("interventions") || obj.contains_key("scenario") {
            return Err(ShareError::new(
                ShareErrorKind::Format,
                "format",
                format!("missing; a session says \"format\": \"{FORMAT}\""),
            ));
        }
        // A bare scenario: its own errors name its fields.
        let scenario = Scenario::from_json(text).map_err(scenario_error(""))?;
        return Ok(SessionDoc::new(scenario));
    }
    session_from_object(obj)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn scenario_error(prefix: &'static str) -> impl Fn(ScenarioError) -> ShareError {
    move |e| {
        let field = match (prefix, e.field.as_str()) {
            (p, "" | ".") => p.trim_end_matches('.').to_string(),
            (p, f) => format!("{p}{f}"),
        };
        ShareError::new(ShareErrorKind::Scenario, field, e.message)
    }
}

fn err(kind: ShareErrorKind, field: impl Into<String>, message: impl Into<String>) -> ShareError {
    ShareError::new(kind, field, message)
}

const FIELDS: &[&str] = &["format", "version", "scenario", "interventions", "position", "fingerprint", "lab"];

fn session_from_object(mut obj: Map<String, Value>) -> Result<SessionDoc, ShareError> {
    if let Some(key) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(err(
            ShareErrorKind::Format,
            key.clone(),
            format!(
                "unknown field; a session has {}",
                FIELDS.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    match obj.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => {
            return Err(err(ShareErrorKind::Format, "format", format!("{other} is not \"{FORMAT}\"")));
        }
        // Only called when "format" is present.
        None => {}
    }
    match obj.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => {}
        Some(Value::Number(n)) => {
            return Err(err(
                ShareErrorKind::Version,
                "version",
                format!("version {n} is not one this simulator reads (it reads version {VERSION})"),
            ));
        }
        Some(other) => {
            return Err(err(
                ShareErrorKind::Version,
                "version",
                format!("{other} is not a version number ({VERSION})"),
            ));
        }
        None => return Err(err(ShareErrorKind::Version, "version", format!("missing; expected {VERSION}"))),
    }
    let Some(scenario_value) = obj.remove("scenario") else {
        return Err(err(ShareErrorKind::Scenario, "scenario", "missing; a session carries its scenario"));
    };
    if !scenario_value.is_object() {
        return Err(err(
            ShareErrorKind::Scenario,
            "scenario",
            format!("expected an object, found {}", kind_of(&scenario_value)),
        ));
    }
    // Count before building anything.
    let raw = match obj.remove("interventions") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(err(
                ShareErrorKind::Intervention,
                "interventions",
                format!("expected a list, found {}", kind_of(&other)),
            ));
        }
    };
    if raw.len() > MAX_INTERVENTIONS {
        return Err(err(
            ShareErrorKind::TooMany,
            "interventions",
            format!("{} interventions; at most {MAX_INTERVENTIONS} are accepted", raw.len()),
        ));
    }
    let scenario = Scenario::from_json(&scenario_value.to_string()).map_err(scenario_error("scenario."))?;
    let max_events = scenario.max_events.unwrap_or(DEFAULT_MAX_EVENTS);
    let until = scenario.until.0;
    let mut points = Vec::with_capacity(raw.len());
    let mut actions = Vec::with_capacity(raw.len());
    let (mut last_events, mut last_t) = (0u64, 0u64);
    for (i, item) in raw.into_iter().enumerate() {
        let f = |k: &str| format!("interventions[{i}].{k}");
        let Value::Object(mut item) = item else {
            return Err(err(
                ShareErrorKind::Intervention,
                format!("interventions[{i}]"),
                format!("expected an object with \"events\", \"t\" and \"action\", found {}", kind_of(&item)),
            ));
        };
        if let Some(key) = item.keys().find(|k| !["events", "t", "action"].contains(&k.as_str())) {
            return Err(err(
                ShareErrorKind::Intervention,
                f(key),
                "unknown field; expected \"events\", \"t\" or \"action\"",
            ));
        }
        let events = whole(&item, "events").map_err(|m| err(ShareErrorKind::Intervention, f("events"), m))?;
        let t = whole(&item, "t").map_err(|m| err(ShareErrorKind::Intervention, f("t"), m))?;
        if events > max_events {
            return Err(err(
                ShareErrorKind::Intervention,
                f("events"),
                format!("{events} is past the run's event budget ({max_events})"),
            ));
        }
        if t > until {
            return Err(err(
                ShareErrorKind::Intervention,
                f("t"),
                format!("{t} ms is after the run ends (until = {until} ms)"),
            ));
        }
        if events < last_events {
            return Err(err(
                ShareErrorKind::Intervention,
                f("events"),
                format!("{events} comes before the previous intervention's {last_events}: interventions must be in the order they were applied"),
            ));
        }
        if t < last_t {
            return Err(err(
                ShareErrorKind::Intervention,
                f("t"),
                format!("{t} ms comes before the previous intervention's {last_t} ms: interventions must be in the order they were applied"),
            ));
        }
        (last_events, last_t) = (events, t);
        let mut action = match item.remove("action") {
            Some(Value::Object(a)) => a,
            Some(other) => {
                return Err(err(
                    ShareErrorKind::Intervention,
                    f("action"),
                    format!("expected an action object, found {}", kind_of(&other)),
                ));
            }
            None => return Err(err(ShareErrorKind::Intervention, f("action"), "missing")),
        };
        // An intervention happens when it was applied.
        action.insert("at".into(), Value::from(t));
        actions.push(Value::Object(action));
        points.push((events, t));
    }
    let actions = check_actions(&scenario, actions)?;
    let interventions =
        points.into_iter().zip(actions).map(|((events, t), action)| Intervention { events, t, action }).collect();
    let position = match obj.remove("position") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => {
            if let Some(key) = p.keys().find(|k| !["t", "events"].contains(&k.as_str())) {
                return Err(err(
                    ShareErrorKind::Position,
                    format!("position.{key}"),
                    "unknown field; expected \"t\" or \"events\"",
                ));
            }
            let t = whole(&p, "t").map_err(|m| err(ShareErrorKind::Position, "position.t", m))?;
            let events = whole(&p, "events").map_err(|m| err(ShareErrorKind::Position, "position.events", m))?;
            if t > until {
                return Err(err(
                    ShareErrorKind::Position,
                    "position.t",
                    format!("{t} ms is after the run ends (until = {until} ms)"),
                ));
            }
            if events > max_events {
                return Err(err(
                    ShareErrorKind::Position,
                    "position.events",
                    format!("{events} is past the run's event budget ({max_events})"),
                ));
            }
            Some(Position { t, events })
        }
        Some(other) => {
            return Err(err(
                ShareErrorKind::Position,
                "position",
                format!("expected an object, found {}", kind_of(&other)),
            ));
        }
    };
    let fingerprint = match obj.remove("fingerprint") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Some(s.to_ascii_lowercase())
        }
        Some(other) => {
            return Err(err(ShareErrorKind::Position, "fingerprint", format!("{other} is not 16 hex digits")));
        }
    };
    let lab = match obj.remove("lab") {
        None | Some(Value::Null) => None,
        Some(v) => {
            crate::labdoc::check_value(&v).map_err(|(field, message)| err(ShareErrorKind::Lab, field, message))?;
            Some(v)
        }
    };
    Ok(SessionDoc { scenario, interventions, position, fingerprint, lab })
}

/// A whole number field of `obj`.
fn whole(obj: &Map<String, Value>, key: &str) -> Result<u64, String> {
    match obj.get(key) {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| format!("{n} is not a whole number of 0 or more")),
        Some(other) => Err(format!("expected a whole number, found {}", kind_of(other))),
        None => Err("missing".into()),
    }
}

/// Parses and validates the interventions' actions against the scenario
/// (nodes exist and have the right kind, sends are well formed), all at once.
fn check_actions(scenario: &Scenario, actions: Vec<Value>) -> Result<Vec<Action>, ShareError> {
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    let mut probe = scenario.clone();
    probe.actions = Vec::new();
    // Through text, like every other serialization (one Serialize copy in the wasm).
    let mut value: Value = serde_json::to_string(&probe)
        .and_then(|text| serde_json::from_str(&text))
        .map_err(|e| ShareError::new(ShareErrorKind::Scenario, "scenario", e.to_string()))?;
    if let Value::Object(obj) = &mut value {
        obj.insert("actions".into(), Value::Array(actions));
    }
    let checked = Scenario::from_json(&value.to_string()).map_err(|e| {
        let field = match e.field.strip_prefix("actions[") {
            Some(rest) => match rest.split_once(']') {
                Some((i, tail)) => format!("interventions[{i}].action{tail}"),
                None => "interventions".to_string(),
            },
            None if e.field.is_empty() || e.field == "." => "interventions".to_string(),
            None => e.field.clone(),
        };
        ShareError::new(ShareErrorKind::Intervention, field, e.message)
    })?;
    Ok(checked.actions)
}

/// How far [`replay`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayTo {
    /// The document's `position` (the end of the run if it has none).
    Position,
    /// This point.
    At(Position),
    /// The end of the run.
    End,
}

/// Where a replay stopped and the trace's fingerprint there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replayed {
    pub t: u64,
    pub events: u64,
    /// Trace records produced.
    pub records: u64,
    /// The trace hash (16 hex digits), as the browser's fingerprint shows it.
    pub fingerprint: String,
    /// Interventions applied.
    pub applied: usize,
}

/// Replays `doc` natively (trace hashed, not kept) and returns its
/// fingerprint; same result as the browser's session at the same point.
pub fn replay(doc: &SessionDoc, to: ReplayTo) -> Result<Replayed, ScenarioError> {
    replay_with_trace(doc, to, Trace::new(TraceMode::Hash)).map(|(r, _)| r)
}

/// [`replay`] with a trace of the caller's (e.g. streaming JSON lines);
/// returns the engine too, so the caller can close the trace.
pub fn replay_with_trace(doc: &SessionDoc, to: ReplayTo, trace: Trace) -> Result<(Replayed, Sim), ScenarioError> {
    let mut sim = Sim::with_trace(doc.scenario.clone(), trace)?;
    let end = Position { t: u64::MAX, events: u64::MAX };
    let target = match to {
        ReplayTo::Position => doc.position.unwrap_or(end),
        ReplayTo::At(p) => p,
        ReplayTo::End => end,
    };
    let mut applied = 0;
    // The same loop as the app's `Session::advance_to` with an event cap:
    // re-apply the next intervention when the run reaches its event count
    // (moving the clock to its time first), otherwise take one event.
    loop {
        if let Some(iv) = doc.interventions.get(applied).filter(|iv| iv.events == sim.events() && iv.t <= target.t) {
            if sim.now() < iv.t {
                sim.run_until(iv.t, 1);
            }
            applied += 1;
            // Validated against this scenario when the document was read.
            let _ = sim.apply_now(iv.action.clone());
            continue;
        }
        if sim.events() >= target.events || sim.ended().is_some() {
            break;
        }
        let before = sim.events();
        sim.run_until(target.t, 1);
        if sim.events() == before {
            break;
        }
    }
    if target.t != u64::MAX && sim.now() < target.t && sim.next_event_time().is_none_or(|n| n > target.t) {
        // The sharer's clock stood at target.t with nothing left before it.
        sim.run_until(target.t, 1);
    }
    let replayed = Replayed {
        t: sim.now(),
        events: sim.events(),
        records: sim.core.trace.lines(),
        fingerprint: sim.core.trace.hash_hex(),
        applied,
    };
    Ok((replayed, sim))
}

/// Checks a code lab session against its record, without Python: the
/// replay to the recorded end must use exactly the recorded callback
/// results (none missing, none left over) and reach the recorded
/// fingerprint. A document without a lab part passes.
pub fn check_lab(doc: &SessionDoc) -> Result<(), ShareError> {
    let Some(lab) = &doc.lab else { return Ok(()) };
    let lab = crate::labdoc::check_value(lab).map_err(|(field, message)| err(ShareErrorKind::Lab, field, message))?;
    let to = ReplayTo::At(Position { t: lab.end_t, events: lab.end_events });
    let (replayed, sim) =
        replay_with_trace(doc, to, Trace::new(TraceMode::Hash)).map_err(scenario_error("scenario."))?;
    let carried = doc.scenario.answers.chars().count() as u64;
    let asked = sim.answers_used() + sim.missing_answers();
    if sim.missing_answers() > 0 || asked != carried {
        return Err(err(
            ShareErrorKind::Lab,
            "scenario.answers",
            format!("the recorded results do not match the run: the replay asks for {asked} callback results, the document carries {carried}"),
        ));
    }
    if replayed.fingerprint != lab.fingerprint {
        return Err(err(
            ShareErrorKind::Lab,
            "lab.fingerprint",
            format!(
                "the recorded results do not match the run: the replay ends with fingerprint {}, the recording with {}",
                replayed.fingerprint, lab.fingerprint
            ),
        ));
    }
    Ok(())
}

/// Sets an action's `at` (interventions happen at the time they were applied).
pub fn set_at(action: &mut Action, t: u64) {
    let at = Dur(t);
    match action {
        Action::Send(send) => send.at = at,
        Action::Kill { at: a, .. }
        | Action::PowerOff { at: a, .. }
        | Action::Restart { at: a, .. }
        | Action::Partition { at: a, .. }
        | Action::Heal { at: a, .. }
        | Action::SetLatency { at: a, .. }
        | Action::SetLoss { at: a, .. }
        | Action::Hold { at: a, .. }
        | Action::Release { at: a, .. }
        | Action::SlowDisk { at: a, .. }
        | Action::SlowSlave { at: a, .. }
        | Action::SlaveDown { at: a, .. }
        | Action::SlaveUp { at: a, .. }
        | Action::Shutdown { at: a, .. }
        | Action::Start { at: a, .. } => *a = at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn preset(name: &str) -> Scenario {
        presets::find(name).expect("preset").scenario().expect("valid")
    }

    fn kill(node: &str, t: u64) -> Action {
        Action::Kill { at: Dur(t), node: node.into() }
    }

    fn doc_with_kill() -> SessionDoc {
        let mut doc = SessionDoc::new(preset("tutorial-basic"));
        // Find the event count at 2 s by running there.
        let p = replay(&doc, ReplayTo::At(Position { t: 2_000, events: u64::MAX })).expect("runs");
        doc.interventions.push(Intervention { events: p.events, t: 2_000, action: kill("broker-a", 2_000) });
        doc.position = Some(Position { t: 5_000, events: u64::MAX });
        let at = replay(&doc, ReplayTo::Position).expect("runs");
        doc.position = Some(Position { t: at.t, events: at.events });
        doc.fingerprint = Some(at.fingerprint);
        doc
    }

    fn decode_err(token: &str) -> ShareError {
        decode(token).expect_err("refused")
    }

    fn json_err(text: &str) -> ShareError {
        from_json(text).expect_err("refused")
    }

    fn with(doc: &SessionDoc, edit: impl FnOnce(&mut Value)) -> String {
        let mut v: Value = serde_json::from_str(&doc.to_json()).unwrap();
        edit(&mut v);
        v.to_string()
    }

    #[test]
    fn round_trip_keeps_everything() {
        let doc = doc_with_kill();
        let token = doc.encode();
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "URL-safe: {token}");
        let back = decode(&token).expect("decodes");
        assert_eq!(back.to_json(), doc.to_json());
        assert_eq!(back.position, doc.position);
        assert_eq!(back.interventions.len(), 1);
        assert_eq!(back.interventions[0].action.at(), 2_000);
        // Links and padded tokens work too.
        assert_eq!(decode(&format!("http://127.0.0.1:8080/?embed#s={token}")).unwrap().to_json(), doc.to_json());
        let pretty = from_json(&doc.to_json_pretty()).expect("pretty JSON reads");
        assert_eq!(pretty.to_json(), doc.to_json());
        assert!(doc.to_json().starts_with(r#"{"format":"rmqsim-session","version":1,"scenario":{"#));
    }

    #[test]
    fn every_preset_round_trips_and_replays_to_the_same_fingerprint() {
        for p in presets::all() {
            let doc = SessionDoc::new(p.scenario().unwrap());
            let back = decode(&doc.encode()).unwrap_or_else(|e| panic!("{}: {e}", p.name));
            let a = replay(&doc, ReplayTo::At(Position { t: 30_000, events: 5_000 })).unwrap();
            let b = replay(&back, ReplayTo::At(Position { t: 30_000, events: 5_000 })).unwrap();
            assert_eq!(a, b, "{}", p.name);
        }
    }

    #[test]
    fn replay_to_the_end_matches_a_plain_run_without_interventions() {
        let sc = preset("tutorial-basic");
        let mut sim = Sim::new(sc.clone(), TraceMode::Hash).unwrap();
        let outcome = sim.run();
        let r = replay(&SessionDoc::new(sc), ReplayTo::End).unwrap();
        assert_eq!(r.fingerprint, outcome.hash);
        assert_eq!(r.events, outcome.events);
    }

    #[test]
    fn the_kill_changes_the_fingerprint_and_replays_identically() {
        let doc = doc_with_kill();
        let plain = replay(&SessionDoc::new(doc.scenario.clone()), ReplayTo::At(doc.position.unwrap())).unwrap();
        let a = replay(&doc, ReplayTo::Position).unwrap();
        assert_eq!(a.applied, 1);
        assert_ne!(a.fingerprint, plain.fingerprint);
        assert_eq!(Some(&a.fingerprint), doc.fingerprint.as_ref());
        assert_eq!(a.t, 5_000);
    }

    #[test]
    fn a_bare_scenario_is_a_session_without_interventions() {
        let doc = from_json(presets::find("tutorial-basic").unwrap().json).expect("a scenario reads");
        assert!(doc.interventions.is_empty());
        assert_eq!(doc.position, None);
        let err = json_err(r#"{"cluster":{"brokers":[{"name":"a","colour":1}]}}"#);
        assert_eq!(err.kind, ShareErrorKind::Scenario);
        assert!(err.field.contains("brokers[0].colour"), "{err}");
    }

    #[test]
    fn not_base64_names_the_character() {
        let err = decode_err("abc$def");
        assert_eq!(err.kind, ShareErrorKind::NotBase64);
        assert!(err.message.contains("character 4"), "{err}");
        assert!(err.message.contains("'$'"), "{err}");
    }

    #[test]
    fn truncated_links_say_so() {
        let token = doc_with_kill().encode();
        // Cut at every length class: either the base64 or the JSON is short.
        for cut in [token.len() - 1, token.len() - 2, token.len() - 3, token.len() / 2, 5] {
            let err = decode_err(&token[..cut]);
            assert!(matches!(err.kind, ShareErrorKind::Truncated | ShareErrorKind::NotText), "cut at {cut}: {err:?}");
            assert!(!err.message.is_empty() && !err.message.contains('\n'));
        }
        assert_eq!(decode_err("").kind, ShareErrorKind::Truncated);
        assert_eq!(decode_err("http://x/#s=").kind, ShareErrorKind::Truncated);
        let err = decode_err(&URL_SAFE_NO_PAD.encode(r#"{"format":"rmqsim-session","ver"#));
        assert_eq!(err.kind, ShareErrorKind::Truncated);
        assert!(err.message.contains("byte"), "{err}");
    }

    #[test]
    fn not_json_names_the_byte() {
        let err = decode_err(&URL_SAFE_NO_PAD.encode("{\"format\": x}"));
        assert_eq!(err.kind, ShareErrorKind::NotJson);
        assert!(err.message.starts_with("not JSON at byte 11 (line 1, column 12)"), "{err}");
        let err = json_err("{\n  \"a\": 1,\n  oops\n}");
        assert!(err.message.starts_with("not JSON at byte 14 (line 3, column 3)"), "{err}");
        assert_eq!(decode_err(&URL_SAFE_NO_PAD.encode([0xff, 0xfe, 0x00])).kind, ShareErrorKind::NotText);
    }

    #[test]
    fn wrong_format_or_version_is_named() {
        let doc = doc_with_kill();
        let err = json_err(&with(&doc, |v| v["format"] = "something-else".into()));
        assert_eq!((err.kind, err.field.as_str()), (ShareErrorKind::Format, "format"));
        let err = json_err(&with(&doc, |v| v["version"] = 2.into()));
        assert_eq!((err.kind, err.field.as_str()), (ShareErrorKind::Version, "version"));
        assert!(err.message.contains("version 2"), "{err}");
        let err = json_err(&with(&doc, |v| v["extra"] = 1.into()));
        assert_eq!((err.kind, err.field.as_str()), (ShareErrorKind::Format, "extra"));
        let err = json_err(r#"{"scenario":{},"interventions":[]}"#);
        assert_eq!((err.kind, err.field.as_str()), (ShareErrorKind::Format, "format"));
        assert_eq!(json_err("[1,2]").kind, ShareErrorKind::Format);
    }

    #[test]
    fn the_scenario_error_names_its_field() {
        let doc = doc_with_kill();
        let err = json_err(&with(&doc, |v| v["scenario"]["cluster"]["nameservers"] = 99.into()));
        assert_eq!((err.kind, err.field.as_str()), (ShareErrorKind::Scenario, "scenario.cluster.nameservers"));
        let err = json_err(&with(&doc, |v| v["scenario"]["until"] = "-1s".into()));
        assert_eq!(err.field, "scenario.until", "{err}");
    }

    #[test]
    fn interventions_out_of_order_or_at_impossible_times_are_refused() {
        let doc = doc_with_kill();
        let two = |v: &mut Value| {
            let first = v["interventions"][0].clone();
            v["interventions"].as_array_mut().unwrap().push(first);
        };
        let err = json_err(&with(&doc, |v| {
            two(v);
            v["interventions"][1]["events"] = 1.into();
        }));
        assert_eq!((err.kind, err.field.as_str()), (ShareErrorKind::Intervention, "interventions[1].events"));
        assert!(err.message.contains("order"), "{err}");
        let err = json_err(&with(&doc, |v| {
            two(v);
            v["interventions"][1]["t"] = 10.into();
        }));
        assert_eq!(err.field, "interventions[1].t");
        let err = json_err(&with(&doc, |v| v["interventions"][0]["t"] = 999_999_999_999u64.into()));
        assert_eq!(err.field, "interventions[0].t");
        assert!(err.message.contains("after the run ends"), "{err}");
        let err = json_err(&with(&doc, |v| v["interventions"][0]["events"] = (-1).into()));
        assert_eq!(err.field, "interventions[0].events");
        let err = json_err(&with(&doc, |v| v["interventions"][0]["events"] = u64::MAX.into()));
        assert!(err.message.contains("event budget"), "{err}");
        let err = json_err(&with(&doc, |v| v["interventions"][0]["action"]["node"] = "nobody".into()));
        assert_eq!((err.kind, err.field.as_str()), (ShareErrorKind::Intervention, "interventions[0].action.node"));
        assert!(err.message.contains("unknown node"), "{err}");
        let err = json_err(&with(&doc, |v| v["interventions"][0]["action"]["do"] = "explode".into()));
        assert!(err.field.starts_with("interventions[0].action"), "{err}");
        let err = json_err(&with(&doc, |v| v["position"]["t"] = u64::MAX.into()));
        assert_eq!((err.kind, err.field.as_str()), (ShareErrorKind::Position, "position.t"));
        let err = json_err(&with(&doc, |v| v["fingerprint"] = "xyz".into()));
        assert_eq!(err.field, "fingerprint");
    }

    #[test]
    fn size_and_count_limits_come_first() {
        let big = format!("{{\"format\":\"{}\"}}", " ".repeat(MAX_DOC_BYTES));
        assert_eq!(json_err(&big).kind, ShareErrorKind::TooLarge);
        assert_eq!(decode_err(&"A".repeat(MAX_TOKEN_CHARS + 4)).kind, ShareErrorKind::TooLarge);
        let doc = doc_with_kill();
        let many = with(&doc, |v| {
            let one = v["interventions"][0].clone();
            v["interventions"] = Value::Array(vec![one; MAX_INTERVENTIONS + 1]);
        });
        assert!(many.len() < MAX_DOC_BYTES);
        let err = json_err(&many);
        assert_eq!(err.kind, ShareErrorKind::TooMany, "{err}");
        // The limit itself is fine.
        let ok = with(&doc, |v| {
            let one = v["interventions"][0].clone();
            v["interventions"] = Value::Array(vec![one; MAX_INTERVENTIONS]);
            v["position"] = Value::Null;
            v["fingerprint"] = Value::Null;
        });
        assert_eq!(from_json(&ok).expect("10,000 interventions are accepted").interventions.len(), MAX_INTERVENTIONS);
    }

    #[test]
    fn links_are_found_in_urls() {
        assert_eq!(token_from_link("  http://h/?embed#s=abc  "), "abc");
        assert_eq!(token_from_link("http://h/?s=abc&x=1"), "abc");
        assert_eq!(token_from_link("s=abc"), "abc");
        assert_eq!(token_from_link("abc"), "abc");
    }
}
