//! The trace: the run's story as structured records and JSON Lines.
//!
//! Every record has a virtual time `t`, an `event` kind from the public
//! contract (design/scenario-and-trace.md) and a `why` in plain words taken
//! from the engine's own decision. Records are hashed as their JSON lines in
//! order, so the fingerprint of a run is the same wherever it runs.

use crate::hashing::Fnv64;
use std::fmt::Write as _;
use std::rc::Rc;

/// One field value.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    U(u64),
    I(i64),
    S(Rc<str>),
    B(bool),
    List(Vec<Rc<str>>),
    Null,
}

impl Val {
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Val::U(v) => Some(*v),
            Val::I(v) if *v >= 0 => Some(*v as u64),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::S(s) => Some(s),
            _ => None,
        }
    }
}

impl From<u64> for Val {
    fn from(v: u64) -> Val {
        Val::U(v)
    }
}
impl From<u32> for Val {
    fn from(v: u32) -> Val {
        Val::U(v as u64)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I(v)
    }
}
impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I(v as i64)
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::B(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::S(Rc::from(v))
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::S(Rc::from(v))
    }
}
impl From<&Rc<str>> for Val {
    fn from(v: &Rc<str>) -> Val {
        Val::S(v.clone())
    }
}
impl From<Rc<str>> for Val {
    fn from(v: Rc<str>) -> Val {
        Val::S(v)
    }
}
impl From<Vec<Rc<str>>> for Val {
    fn from(v: Vec<Rc<str>>) -> Val {
        Val::List(v)
    }
}
impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map(Into::into).unwrap_or(Val::Null)
    }
}

/// One trace event.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub t: u64,
    pub event: &'static str,
    pub fields: Vec<(&'static str, Val)>,
}

impl Record {
    pub fn new(t: u64, event: &'static str) -> Record {
        Record { t, event, fields: Vec::with_capacity(8) }
    }

    /// Adds a field (builder style).
    pub fn f(mut self, key: &'static str, v: impl Into<Val>) -> Record {
        self.fields.push((key, v.into()));
        self
    }

    pub fn get(&self, key: &str) -> Option<&Val> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Val::as_str)
    }

    pub fn u(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(Val::as_u64)
    }

    /// The record as one JSON object, `t` and `event` first, then fields in insertion order.
    pub fn json(&self) -> String {
        let mut out = String::with_capacity(160);
        let _ = write!(out, "{{\"t\":{},\"event\":\"{}\"", self.t, self.event);
        for (k, v) in &self.fields {
            let _ = write!(out, ",\"{k}\":");
            write_val(&mut out, v);
        }
        out.push('}');
        out
    }
}

fn write_val(out: &mut String, v: &Val) {
    match v {
        Val::U(x) => {
            let _ = write!(out, "{x}");
        }
        Val::I(x) => {
            let _ = write!(out, "{x}");
        }
        Val::B(x) => {
            let _ = write!(out, "{x}");
        }
        Val::Null => out.push_str("null"),
        Val::S(s) => write_json_str(out, s),
        Val::List(items) => {
            out.push('[');
            for (i, s) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_str(out, s);
            }
            out.push(']');
        }
    }
}

fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// What the trace keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceMode {
    /// Nothing is built or hashed (benchmarks).
    Off,
    /// Lines are hashed (and passed to the sink, if any) but not kept.
    Hash,
    /// Records are kept in memory as well as hashed (the UI, tests).
    Keep,
}

/// Receives each JSON line as it is produced (the runner streams to stdout).
pub type LineSink = Box<dyn FnMut(&str)>;

/// The trace of one run.
pub struct Trace {
    mode: TraceMode,
    records: Vec<Record>,
    sink: Option<LineSink>,
    hasher: Fnv64,
    lines: u64,
}

impl Trace {
    pub fn new(mode: TraceMode) -> Trace {
        Trace { mode, records: Vec::new(), sink: None, hasher: Fnv64::default(), lines: 0 }
    }

    pub fn with_sink(mut self, sink: LineSink) -> Trace {
        self.sink = Some(sink);
        self
    }

    /// Whether records are being built at all; callers skip building them when not.
    #[inline]
    pub fn on(&self) -> bool {
        self.mode != TraceMode::Off
    }

    pub fn mode(&self) -> TraceMode {
        self.mode
    }

    pub fn push(&mut self, rec: Record) {
        if self.mode == TraceMode::Off {
            return;
        }
        let line = rec.json();
        self.hasher.write(line.as_bytes());
        self.hasher.write(b"\n");
        self.lines += 1;
        if let Some(sink) = self.sink.as_mut() {
            sink(&line);
        }
        if self.mode == TraceMode::Keep {
            self.records.push(rec);
        }
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Takes the kept records out (the UI drains them each frame).
    pub fn drain(&mut self) -> Vec<Record> {
        std::mem::take(&mut self.records)
    }

    pub fn lines(&self) -> u64 {
        self.lines
    }

    pub fn hash_hex(&self) -> String {
        self.hasher.hex()
    }

    /// Writes the closing `end` line (not part of the hash it reports).
    pub fn finish(&mut self, t: u64, reason: &str) -> Record {
        let rec = Record::new(t, "end").f("reason", reason).f("events", self.lines).f("hash", self.hash_hex());
        if self.mode != TraceMode::Off {
            let line = rec.json();
            if let Some(sink) = self.sink.as_mut() {
                sink(&line);
            }
            if self.mode == TraceMode::Keep {
                self.records.push(rec.clone());
            }
        }
        rec
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_are_ordered_and_escaped() {
        let r = Record::new(5, "stored").f("broker", "a").f("n", 3u64).f("why", "say \"hi\"\n");
        assert_eq!(r.json(), r#"{"t":5,"event":"stored","broker":"a","n":3,"why":"say \"hi\"\n"}"#);
        let parsed: serde_json::Value = serde_json::from_str(&r.json()).unwrap();
        assert_eq!(parsed["why"], "say \"hi\"\n");
    }
}
