//! The immutable [`Frame`] every component draws, and the pure helpers that
//! build and read it: the bounded record log, the timeline marks, the virtual
//! clock's text, the logarithmic speed scale and packet interpolation.
//!
//! Nothing here touches the browser or the wall clock, so all of it is tested
//! natively. The driver (`driver.rs`) builds one `Frame` per animation frame
//! from the session (`session.rs`) and publishes it as a new `Rc`.

use crate::order::SortedMap;
use std::rc::Rc;

use rmqsim::snapshot::{FlightSnap, Snapshot};
use rmqsim::Record;

/// How many trace records a frame carries; older ones are summarised as
/// counts per event kind.
pub const RECORD_WINDOW: usize = 5000;

/// How many packets that started and arrived within one frame are drawn.
pub const MAX_GHOSTS: usize = 160;

/// While playing, the cluster's details (node cards, views, the feed) are
/// refreshed at most this often in wall milliseconds; packets move every
/// frame. Ten refreshes a second is faster than anyone reads a counter, and
/// keeps a frame's work small when thousands of events run per frame.
pub const DETAIL_MS: f64 = 100.0;

/// Everything the screen shows at one instant. Immutable: the driver
/// publishes a new one (a new `Rc`) whenever anything changes.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Increases with every published frame; two frames are equal when their
    /// `seq` is (comparing snapshots field by field every frame would cost
    /// more than drawing them).
    pub seq: u64,
    /// The loaded preset's name (empty before one is loaded).
    pub scenario: Rc<str>,
    /// The preset's one-line summary (English, from the engine).
    pub summary: Rc<str>,
    /// The loaded scenario itself (shared; a new `Rc` only when another
    /// scenario is loaded), for the code panel.
    pub definition: Option<Rc<rmqsim::Scenario>>,
    /// The scenario's seed, shown so a run can be reproduced.
    pub seed: u64,
    /// Virtual time in milliseconds (the engine's clock).
    pub now: u64,
    /// Virtual time with the fraction the animation has reached between two
    /// milliseconds; packets are interpolated at this time.
    pub now_f: f64,
    /// Where the run ends (the scenario's `until`).
    pub until: u64,
    /// Engine events processed so far.
    pub events: u64,
    /// Whether the run has reached its end (until, budget or idle).
    pub ended: bool,
    /// Playback speed: virtual seconds per wall second.
    pub speed: f64,
    /// Whether the clock is running.
    pub playing: bool,
    /// Whether playback hurries through stretches where nothing is on the wire.
    pub skip_idle: bool,
    /// A seek or search in progress (shows a progress bar and a Stop button).
    pub task: Option<TaskProgress>,
    /// The cluster at `now`.
    pub snapshot: Rc<Snapshot>,
    /// The newest trace records, oldest first (at most [`RECORD_WINDOW`]).
    pub records: Rc<Vec<Record>>,
    /// The sequence number (0-based, since t = 0) of `records[0]`.
    pub first_record: u64,
    /// Records older than the window, counted per event kind.
    pub older: Rc<SortedMap<&'static str, u64>>,
    /// Marks on the timeline scrubber.
    pub marks: Rc<Timeline>,
    /// The furthest virtual time this run has been computed to (after a seek
    /// back, the future up to here is known and replays identically).
    pub furthest: u64,
    /// Packets on the wire now: fresh every frame, while `snapshot` (and the
    /// records) may be up to [`DETAIL_MS`] old during fast play.
    pub flights: Rc<Vec<FlightSnap>>,
    /// Packets that left and arrived within the last frame, drawn once.
    pub ghosts: Rc<Vec<FlightSnap>>,
    /// Why each node that is down went down (its last fault's kind).
    pub down: Rc<SortedMap<String, &'static str>>,
    /// Interventions applied so far, and how many recorded ones lie ahead
    /// (they replay unless the learner intervenes first).
    pub interventions_applied: usize,
    pub interventions_ahead: usize,
    /// An intervention the engine refused, with its reason.
    pub notice: Option<Rc<Notice>>,
    /// The simulation could not advance as fast as asked in the last frame.
    pub behind: bool,
    /// The run's fingerprint now: the hash of every trace record so far
    /// (`crate::session`), shown with the virtual time.
    pub fingerprint: u64,
    /// "Replay and verify identical": in progress, or its verdict.
    pub verify: Option<Rc<crate::session::VerifyOutcome>>,
    /// The code lab's record of the run (programs, console, line marks),
    /// while the run is a lab run.
    pub lab: Option<Rc<serde_json::Value>>,
}

impl PartialEq for Frame {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}

impl Frame {
    /// The frame shown before any scenario is loaded.
    pub fn empty() -> Frame {
        Frame {
            seq: 0,
            scenario: Rc::from(""),
            summary: Rc::from(""),
            definition: None,
            seed: 0,
            now: 0,
            now_f: 0.0,
            until: 0,
            events: 0,
            ended: false,
            speed: 1.0,
            playing: false,
            skip_idle: true,
            task: None,
            snapshot: Rc::new(empty_snapshot()),
            records: Rc::new(Vec::new()),
            first_record: 0,
            older: Rc::new(SortedMap::new()),
            marks: Rc::new(Timeline::new(1)),
            furthest: 0,
            flights: Rc::new(Vec::new()),
            ghosts: Rc::new(Vec::new()),
            down: Rc::new(SortedMap::new()),
            interventions_applied: 0,
            interventions_ahead: 0,
            notice: None,
            behind: false,
            fingerprint: 0,
            verify: None,
            lab: None,
        }
    }

    /// Whether a scenario is loaded.
    pub fn loaded(&self) -> bool {
        !self.scenario.is_empty()
    }

    /// How many records the run has produced in all.
    pub fn total_records(&self) -> u64 {
        self.first_record + self.records.len() as u64
    }
}

/// A snapshot with no nodes.
pub fn empty_snapshot() -> Snapshot {
    Snapshot::default()
}

/// What a long-running task has done so far.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskProgress {
    pub kind: TaskKind,
    /// Virtual time the task started from.
    pub from: u64,
    /// Virtual time it aims for (for a search: the end of the run).
    pub target: u64,
    /// Virtual time reached.
    pub reached: u64,
}

impl TaskProgress {
    /// Done fraction in 0..=1.
    pub fn fraction(&self) -> f64 {
        if self.target <= self.from {
            return 1.0;
        }
        ((self.reached.saturating_sub(self.from)) as f64 / (self.target - self.from) as f64).clamp(0.0, 1.0)
    }
}

/// The kinds of long-running task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    /// Seeking forward, or replaying from t = 0 after seeking backwards.
    Seek,
    /// Looking for the next trace record ("next event").
    NextEvent,
}

/// An intervention the engine refused (its `ScenarioError`, as text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Distinguishes notices, so the UI can tell a new one from one dismissed.
    pub id: u64,
    /// The field the engine named.
    pub field: String,
    /// What was wrong (English, from the engine).
    pub message: String,
}

// ---------------------------------------------------------------------------
// Record log

/// The newest trace records (at most `cap`), plus counts of older ones per
/// event kind. Overflow rule: the oldest records leave the window first.
#[derive(Clone, Debug)]
pub struct RecordLog {
    cap: usize,
    window: Vec<Record>,
    first: u64,
    older: SortedMap<&'static str, u64>,
    published: Option<Rc<Vec<Record>>>,
    published_older: Option<Rc<SortedMap<&'static str, u64>>>,
}

impl RecordLog {
    pub fn new(cap: usize) -> RecordLog {
        RecordLog {
            cap: cap.max(1),
            window: Vec::new(),
            first: 0,
            older: SortedMap::new(),
            published: None,
            published_older: None,
        }
    }

    /// Appends records in trace order.
    pub fn extend(&mut self, records: Vec<Record>) {
        if records.is_empty() {
            return;
        }
        self.window.extend(records);
        self.published = None;
        if self.window.len() > self.cap {
            let excess = self.window.len() - self.cap;
            for rec in self.window.drain(..excess) {
                *self.older.or_default(rec.event) += 1;
            }
            self.first += excess as u64;
            self.published_older = None;
        }
    }

    /// The window as a shared vector (rebuilt only after a change).
    pub fn shared(&mut self) -> Rc<Vec<Record>> {
        self.published.get_or_insert_with(|| Rc::new(self.window.clone())).clone()
    }

    /// The counts of records that left the window.
    pub fn shared_older(&mut self) -> Rc<SortedMap<&'static str, u64>> {
        self.published_older.get_or_insert_with(|| Rc::new(self.older.clone())).clone()
    }

    /// The sequence number of the window's first record.
    pub fn first(&self) -> u64 {
        self.first
    }

    /// All records produced, in and out of the window.
    pub fn total(&self) -> u64 {
        self.first + self.window.len() as u64
    }

    /// The records in the window.
    pub fn window(&self) -> &[Record] {
        &self.window
    }
}

// ---------------------------------------------------------------------------
// Timeline marks

/// What a mark on the timeline stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    /// A message's first send attempt.
    Send,
    /// A rebalance (a consumer's queues changed).
    Rebalance,
    /// A retry scheduled after a failed consumption.
    Retry,
    /// A send attempt or a whole send failed.
    Failure,
    /// A message entered the dead-letter queue.
    DeadLetter,
    /// A fault or repair was applied.
    Fault,
}

impl MarkKind {
    /// Every kind, in drawing order (later ones are drawn on top).
    pub const ALL: [MarkKind; 6] = [
        MarkKind::Send,
        MarkKind::Rebalance,
        MarkKind::Retry,
        MarkKind::Failure,
        MarkKind::DeadLetter,
        MarkKind::Fault,
    ];

    /// The mark a record leaves, if any.
    pub fn of(record: &Record) -> Option<MarkKind> {
        match record.event {
            "send_attempt" if record.u("attempt") == Some(1) => Some(MarkKind::Send),
            "send_failed" | "send_error" => Some(MarkKind::Failure),
            "retry_scheduled" => Some(MarkKind::Retry),
            "dead_lettered" => Some(MarkKind::DeadLetter),
            "rebalance" => Some(MarkKind::Rebalance),
            "fault" => Some(MarkKind::Fault),
            _ => None,
        }
    }

    /// The CSS class suffix of its colour.
    pub fn class(self) -> &'static str {
        match self {
            MarkKind::Send => "send",
            MarkKind::Rebalance => "rebalance",
            MarkKind::Retry => "retry",
            MarkKind::Failure => "failure",
            MarkKind::DeadLetter => "dlq",
            MarkKind::Fault => "fault",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Number of bins the run's time span is cut into for marks.
pub const TIMELINE_BINS: usize = 400;

/// Timeline marks binned over `[0, until]`: a bin holds a kind or not.
/// Adding the same record twice changes nothing, so a replay after a seek
/// back can feed every record again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    until: u64,
    bins: Vec<[bool; 6]>,
}

impl Timeline {
    pub fn new(until: u64) -> Timeline {
        Timeline { until: until.max(1), bins: vec![[false; 6]; TIMELINE_BINS] }
    }

    /// The bin holding time `t`.
    pub fn bin_of(&self, t: u64) -> usize {
        let bin = (u128::from(t) * TIMELINE_BINS as u128 / u128::from(self.until)) as usize;
        bin.min(TIMELINE_BINS - 1)
    }

    /// The time at which bin `i` starts.
    pub fn bin_start(&self, i: usize) -> u64 {
        (u128::from(self.until) * i as u128 / TIMELINE_BINS as u128) as u64
    }

    /// Notes the marks of `records`. Returns whether anything new was added.
    pub fn add(&mut self, records: &[Record]) -> bool {
        let mut changed = false;
        for rec in records {
            if let Some(kind) = MarkKind::of(rec) {
                let bin = self.bin_of(rec.t);
                let slot = &mut self.bins[bin][kind.index()];
                changed |= !*slot;
                *slot = true;
            }
        }
        changed
    }

    /// Forgets marks in bins that start after `t` (the future changed).
    pub fn forget_after(&mut self, t: u64) {
        let from = self.bin_of(t) + 1;
        for bin in self.bins.iter_mut().skip(from) {
            *bin = [false; 6];
        }
    }

    /// The marks as (fraction of the run, kind), in drawing order.
    pub fn marks(&self) -> Vec<(f64, MarkKind)> {
        let mut out = Vec::new();
        for kind in MarkKind::ALL {
            for (i, bin) in self.bins.iter().enumerate() {
                if bin[kind.index()] {
                    out.push(((i as f64 + 0.5) / TIMELINE_BINS as f64, kind));
                }
            }
        }
        out
    }

    /// Whether bin `i` holds `kind`.
    pub fn has(&self, i: usize, kind: MarkKind) -> bool {
        self.bins.get(i).is_some_and(|bin| bin[kind.index()])
    }
}

// ---------------------------------------------------------------------------
// Clock and speed

/// The virtual clock as text: `"12.345 s"` under a minute, `"3m 05.120s"`
/// under an hour, `"1h 02m 03.400s"` above.
pub fn format_clock(ms: u64) -> String {
    let millis = ms % 1000;
    let secs = ms / 1000;
    if secs < 60 {
        return format!("{secs}.{millis:03} s");
    }
    let (mins, s) = (secs / 60, secs % 60);
    if mins < 60 {
        return format!("{mins}m {s:02}.{millis:03}s");
    }
    let (hours, m) = (mins / 60, mins % 60);
    format!("{hours}h {m:02}m {s:02}.{millis:03}s")
}

/// A short time for feed lines and marks: `"12.345s"`, `"3:05.120"`,
/// `"1:02:03.400"`.
pub fn format_time_short(ms: u64) -> String {
    let millis = ms % 1000;
    let secs = ms / 1000;
    if secs < 60 {
        return format!("{secs}.{millis:03}s");
    }
    let (mins, s) = (secs / 60, secs % 60);
    if mins < 60 {
        return format!("{mins}:{s:02}.{millis:03}");
    }
    format!("{}:{:02}:{s:02}.{millis:03}", mins / 60, mins % 60)
}

/// A duration for labels: `"250 ms"`, `"5 s"`, `"1.5 s"`, `"2 min"`, `"2 h"`.
pub fn format_duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        if ms.is_multiple_of(1000) {
            format!("{} s", ms / 1000)
        } else {
            format!("{:.1} s", ms as f64 / 1000.0)
        }
    } else if ms < 3_600_000 {
        if ms.is_multiple_of(60_000) {
            format!("{} min", ms / 60_000)
        } else {
            format!("{:.1} min", ms as f64 / 60_000.0)
        }
    } else if ms.is_multiple_of(3_600_000) {
        format!("{} h", ms / 3_600_000)
    } else {
        format!("{:.1} h", ms as f64 / 3_600_000.0)
    }
}

/// The speeds the slider stops at: 1-2-5 steps from 0.01× to 10,000× real
/// time, evenly spaced on a logarithmic scale.
pub const SPEEDS: [f64; 19] = [
    0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0,
    10000.0,
];

/// The slider stop nearest to `speed` (compared on the log scale).
pub fn speed_index(speed: f64) -> usize {
    let target = speed.max(1e-9).log10();
    let mut best = 0;
    for (i, s) in SPEEDS.iter().enumerate() {
        if (s.log10() - target).abs() < (SPEEDS[best].log10() - target).abs() {
            best = i;
        }
    }
    best
}

/// The speed at slider stop `index` (clamped to the scale).
pub fn speed_at(index: usize) -> f64 {
    SPEEDS[index.min(SPEEDS.len() - 1)]
}

/// A speed as text: `"0.01×"`, `"1×"`, `"10,000×"`.
pub fn format_speed(speed: f64) -> String {
    if speed < 1.0 {
        let text = format!("{speed:.2}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        return format!("{text}×");
    }
    let whole = speed.round() as u64;
    format!("{}×", group_thousands(whole))
}

/// `12345` as `"12,345"`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------
// Packets

/// How far along its link a packet is at virtual time `now` (0 = just sent,
/// 1 = arriving).
pub fn flight_progress(flight: &FlightSnap, now: f64) -> f64 {
    let span = flight.arrive.saturating_sub(flight.sent) as f64;
    if span <= 0.0 {
        return 1.0;
    }
    ((now - flight.sent as f64) / span).clamp(0.0, 1.0)
}

/// The colour family of a packet kind, named after the role that owns that
/// conversation (CSS class suffix).
pub fn packet_family(kind: &str, from_kind: &str) -> &'static str {
    match kind {
        "register" | "route_query" | "route_reply" => "nameserver",
        "unregister" if from_kind == "broker" => "nameserver",
        "send" | "send_reply" | "end_transaction" | "check_transaction" => "producer",
        "send_back" | "send_back_reply" => "retry",
        "failed" => "failed",
        "pull" | "pull_reply" | "consumer_ids_query" | "consumer_ids" | "notify_ids_changed" | "offset_query"
        | "offset_reply" | "offset_update" | "lock" | "lock_reply" | "unlock" => "consumer",
        _ => match from_kind {
            "producer" => "producer",
            "consumer" => "consumer",
            "nameserver" => "nameserver",
            _ => "broker",
        },
    }
}

// ---------------------------------------------------------------------------
// Records

/// The node a record is mainly about (for the feed's node column and filter).
pub fn record_node(record: &Record) -> Option<&str> {
    const FIELDS: [&str; 7] = ["node", "producer", "consumer", "client", "broker", "nameserver", "a"];
    FIELDS.iter().find_map(|field| record.str(field))
}

/// Whether a record concerns `node` in any of its node fields.
pub fn record_mentions(record: &Record, node: &str) -> bool {
    const FIELDS: [&str; 8] = ["node", "producer", "consumer", "client", "broker", "nameserver", "a", "b"];
    FIELDS.iter().any(|field| record.str(field) == Some(node))
}

/// Topics a learner does not need to see unless they hold messages.
pub fn is_system_topic(topic: &str) -> bool {
    topic.starts_with('%')
        || topic == "SCHEDULE_TOPIC_XXXX"
        || topic == "TBW102"
        || topic.starts_with("RMQ_SYS_")
        || topic == "SELF_TEST_TOPIC"
        || topic == "BenchmarkTest"
        || topic == "OFFSET_MOVED_EVENT"
        || topic.starts_with("rmq_sys_")
}

/// The colour family of a topic (CSS class suffix).
pub fn topic_family(topic: &str) -> &'static str {
    if topic.starts_with("%RETRY%") {
        "retry"
    } else if topic.starts_with("%DLQ%") {
        "dlq"
    } else if topic == "SCHEDULE_TOPIC_XXXX" {
        "delay"
    } else if is_system_topic(topic) {
        "system"
    } else {
        "user"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(t: u64, event: &'static str) -> Record {
        Record::new(t, event).f("why", "because")
    }

    #[test]
    fn clock_text_grows_units_with_time() {
        assert_eq!(format_clock(0), "0.000 s");
        assert_eq!(format_clock(12_345), "12.345 s");
        assert_eq!(format_clock(185_120), "3m 05.120s");
        assert_eq!(format_clock(3_723_400), "1h 02m 03.400s");
        assert_eq!(format_time_short(3_723_400), "1:02:03.400");
        assert_eq!(format_time_short(1_004), "1.004s");
    }

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(format_duration(250), "250 ms");
        assert_eq!(format_duration(5_000), "5 s");
        assert_eq!(format_duration(1_500), "1.5 s");
        assert_eq!(format_duration(120_000), "2 min");
        assert_eq!(format_duration(7_200_000), "2 h");
    }

    #[test]
    fn speed_scale_is_logarithmic_from_a_hundredth_to_ten_thousand() {
        assert_eq!(SPEEDS[0], 0.01);
        assert_eq!(SPEEDS[SPEEDS.len() - 1], 10_000.0);
        for pair in SPEEDS.windows(2) {
            let ratio = pair[1] / pair[0];
            assert!((2.0..=2.5).contains(&ratio), "{pair:?}");
        }
        for (i, s) in SPEEDS.iter().enumerate() {
            assert_eq!(speed_index(*s), i);
            assert_eq!(speed_at(i), *s);
        }
        assert_eq!(speed_index(0.9), speed_index(1.0));
        assert_eq!(speed_index(1e9), SPEEDS.len() - 1);
        assert_eq!(speed_index(0.0), 0);
        assert_eq!(speed_at(99), 10_000.0);
    }

    #[test]
    fn speeds_read_naturally() {
        assert_eq!(format_speed(0.01), "0.01×");
        assert_eq!(format_speed(0.5), "0.5×");
        assert_eq!(format_speed(1.0), "1×");
        assert_eq!(format_speed(10_000.0), "10,000×");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(12), "12");
    }

    #[test]
    fn record_log_keeps_the_newest_and_counts_the_rest() {
        let mut log = RecordLog::new(3);
        log.extend(vec![rec(1, "stored"), rec(2, "stored"), rec(3, "delivered")]);
        let first = log.shared();
        assert_eq!(first.len(), 3);
        assert!(Rc::ptr_eq(&first, &log.shared()), "no change, same Rc");
        log.extend(vec![rec(4, "consumed"), rec(5, "fault")]);
        let window = log.shared();
        assert!(!Rc::ptr_eq(&first, &window), "a change publishes a new Rc");
        assert_eq!(window.iter().map(|r| r.t).collect::<Vec<_>>(), vec![3, 4, 5]);
        assert_eq!(log.first(), 2);
        assert_eq!(log.total(), 5);
        assert_eq!(log.shared_older().get("stored"), Some(&2));
        log.extend(Vec::new());
        assert!(Rc::ptr_eq(&window, &log.shared()));
    }

    #[test]
    fn timeline_marks_are_binned_idempotent_and_forgettable() {
        let mut line = Timeline::new(40_000);
        let records = vec![
            Record::new(1_000, "send_attempt").f("attempt", 1u64),
            Record::new(1_001, "send_attempt").f("attempt", 2u64),
            rec(10_000, "send_error"),
            rec(20_000, "fault"),
            rec(30_000, "dead_lettered"),
            rec(30_000, "stored"),
        ];
        assert!(line.add(&records));
        assert!(!line.add(&records), "the same records again add nothing");
        let marks = line.marks();
        assert_eq!(marks.len(), 4, "{marks:?}");
        assert!(line.has(line.bin_of(1_000), MarkKind::Send));
        assert!(line.has(line.bin_of(10_000), MarkKind::Failure));
        line.forget_after(15_000);
        assert!(line.has(line.bin_of(10_000), MarkKind::Failure));
        assert!(!line.has(line.bin_of(20_000), MarkKind::Fault));
        assert!(!line.has(line.bin_of(30_000), MarkKind::DeadLetter));
        assert_eq!(line.bin_of(40_000), TIMELINE_BINS - 1);
        assert_eq!(line.bin_of(u64::MAX), TIMELINE_BINS - 1);
        assert_eq!(line.bin_start(0), 0);
    }

    #[test]
    fn packets_interpolate_between_sent_and_arrive() {
        let flight =
            FlightSnap { from: "p".into(), to: "b".into(), kind: "send", sent: 100, arrive: 110, msg: Some(1) };
        assert_eq!(flight_progress(&flight, 90.0), 0.0);
        assert_eq!(flight_progress(&flight, 105.0), 0.5);
        assert_eq!(flight_progress(&flight, 200.0), 1.0);
        let instant = FlightSnap { arrive: 100, ..flight };
        assert_eq!(flight_progress(&instant, 100.0), 1.0);
    }

    #[test]
    fn packet_colours_follow_the_conversation() {
        assert_eq!(packet_family("register", "broker"), "nameserver");
        assert_eq!(packet_family("send", "producer"), "producer");
        assert_eq!(packet_family("pull_reply", "broker"), "consumer");
        assert_eq!(packet_family("send_back", "consumer"), "retry");
        assert_eq!(packet_family("failed", "broker"), "failed");
        assert_eq!(packet_family("heartbeat", "producer"), "producer");
        assert_eq!(packet_family("heartbeat", "consumer"), "consumer");
    }

    #[test]
    fn records_name_their_node() {
        let r = Record::new(1, "send_attempt").f("producer", "p1").f("queue", "broker-a:T:0");
        assert_eq!(record_node(&r), Some("p1"));
        let fault = Record::new(1, "fault").f("kind", "partition").f("a", "p1").f("b", "broker-a");
        assert_eq!(record_node(&fault), Some("p1"));
        assert!(record_mentions(&fault, "broker-a"));
        assert!(!record_mentions(&fault, "c1"));
    }

    #[test]
    fn topics_are_sorted_into_families() {
        assert_eq!(topic_family("TopicTest"), "user");
        assert_eq!(topic_family("%RETRY%g1"), "retry");
        assert_eq!(topic_family("%DLQ%g1"), "dlq");
        assert_eq!(topic_family("SCHEDULE_TOPIC_XXXX"), "delay");
        assert_eq!(topic_family("TBW102"), "system");
        assert!(!is_system_topic("OrderTopic"));
    }

    #[test]
    fn frames_compare_by_sequence_only() {
        let a = Frame::empty();
        let mut b = Frame::empty();
        b.now = 5;
        assert_eq!(a, b);
        b.seq = 1;
        assert_ne!(a, b);
        assert!(!a.loaded());
        assert_eq!(a.total_records(), 0);
    }
}
