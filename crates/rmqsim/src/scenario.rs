//! The scenario format (design/scenario-and-trace.md): parsing, defaults and validation.
//!
//! A scenario fully describes one run: the cluster, the clients and the timed
//! actions. Parsing rejects unknown fields; validation rejects impossible or
//! absurd values once, up front, with an error naming the field, so the
//! engine itself never meets bad configuration.

use crate::conf::{BrokerConf, BrokerRole, FlushMode};
use crate::time::{format_ms, parse_duration, MAX_DURATION_MS};
use crate::vecmap::{SortedMap, SortedSet};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// Hard limits on what a scenario may ask for.
pub const MAX_BROKERS: usize = 64;
pub const MAX_QUEUES: u32 = 1024;
pub const MAX_MESSAGES: u64 = 10_000_000;
pub const MAX_NAMESERVERS: u32 = 16;
pub const MAX_CLIENTS: usize = 256;
pub const MAX_ACTIONS: usize = 100_000;
pub const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// A scenario error: which field, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub field: String,
    pub message: String,
}

impl ScenarioError {
    /// An error about `field`; control characters are escaped so the message stays one line.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError { field: one_line(&field.into()), message: one_line(&message.into()) }
    }
}

fn one_line(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars().flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] }).collect()
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() || self.field == "." {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for ScenarioError {}

/// A duration in a scenario: `"250ms"`, `"3s"`, `"2m"`, `"1h"` or an integer of milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dur(pub u64);

impl Serialize for Dur {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_ms(self.0))
    }
}

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Dur, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Dur;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as \"250ms\", \"3s\", \"2m\", \"1h\" or a number of milliseconds")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dur, E> {
                if v > MAX_DURATION_MS {
                    return Err(E::custom(format!("{v} ms is longer than the 30-day limit")));
                }
                Ok(Dur(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dur, E> {
                if v < 0 {
                    return Err(E::custom(format!("{v} is negative; a duration must be 0 or more")));
                }
                self.visit_u64(v as u64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dur, E> {
                Err(E::custom(format!("{v} is not a whole number of milliseconds (write \"1.5s\" for fractions)")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Dur, E> {
                parse_duration(v).map(Dur).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Which client's rules the producers and consumers follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flavor {
    /// rocketmq-client-python 2.x over the C++ client (the tutorial's client).
    #[default]
    #[serde(rename = "python-cpp")]
    PythonCpp,
    /// The Java client of RocketMQ 4.9.
    #[serde(rename = "java4")]
    Java4,
}

/// The numbers in which the two clients differ (design/rocketmq-reference.md §2–§7, §11).
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    pub send_timeout_ms: u64,
    pub sync_attempts: u32,
    /// Java: the timeout is a budget across all attempts; C++: each attempt gets its own.
    pub timeout_is_total_budget: bool,
    /// C++ retries FLUSH_DISK_TIMEOUT / FLUSH_SLAVE_TIMEOUT / SLAVE_NOT_AVAILABLE.
    pub retry_on_non_ok: bool,
    pub async_retries: u32,
    pub max_message_size: u64,
    pub route_poll_first_ms: u64,
    pub heartbeat_first_ms: u64,
    pub rebalance_period_ms: u64,
    pub persist_offset_first_ms: u64,
    pub consume_threads: u32,
    /// C++ hands a whole pull result to one consume request.
    pub whole_pull_batch: bool,
    pub pull_flow_control_delay_ms: u64,
    pub local_retry_after_failed_send_back_ms: u64,
    pub orderly_send_attempts: u32,
    /// C++ makes a new msgId (UNIQ_KEY) for every send attempt.
    pub new_msg_id_per_attempt: bool,
    pub send_back_timeout_ms: u64,
}

impl Flavor {
    pub fn name(self) -> &'static str {
        match self {
            Flavor::PythonCpp => "python-cpp",
            Flavor::Java4 => "java4",
        }
    }

    pub fn rules(self) -> Rules {
        match self {
            Flavor::PythonCpp => Rules {
                send_timeout_ms: 3000,
                sync_attempts: 5,
                timeout_is_total_budget: false,
                retry_on_non_ok: true,
                async_retries: 0,
                max_message_size: 128 * 1024,
                route_poll_first_ms: 3000,
                heartbeat_first_ms: 10,
                rebalance_period_ms: 10_000,
                persist_offset_first_ms: 5000,
                consume_threads: 4,
                whole_pull_batch: true,
                pull_flow_control_delay_ms: 3000,
                local_retry_after_failed_send_back_ms: 1000,
                orderly_send_attempts: 4,
                new_msg_id_per_attempt: true,
                send_back_timeout_ms: 3000,
            },
            Flavor::Java4 => Rules {
                send_timeout_ms: 3000,
                sync_attempts: 3,
                timeout_is_total_budget: true,
                retry_on_non_ok: false,
                async_retries: 2,
                max_message_size: 4 * 1024 * 1024,
                route_poll_first_ms: 10,
                heartbeat_first_ms: 1000,
                rebalance_period_ms: 20_000,
                persist_offset_first_ms: 10_000,
                consume_threads: 20,
                whole_pull_batch: false,
                pull_flow_control_delay_ms: 50,
                local_retry_after_failed_send_back_ms: 5000,
                orderly_send_attempts: 1,
                new_msg_id_per_attempt: false,
                send_back_timeout_ms: 5000,
            },
        }
    }
}

fn default_seed() -> u64 {
    1
}
fn default_until() -> Dur {
    Dur(60_000)
}
fn default_one() -> u32 {
    1
}
fn default_true() -> bool {
    true
}
fn default_count() -> u64 {
    1
}
fn default_star() -> String {
    "*".to_string()
}
fn default_latency() -> [Dur; 2] {
    [Dur(1), Dur(3)]
}
fn default_consume_time() -> Dur {
    Dur(1)
}
fn default_body() -> String {
    "测试用内容".to_string()
}

/// A whole scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default)]
    pub client: Flavor,
    #[serde(default = "default_until")]
    pub until: Dur,
    /// Event budget: the run stops after this many events even before `until`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_events: Option<u64>,
    #[serde(default)]
    pub network: NetworkSpec,
    pub cluster: ClusterSpec,
    #[serde(default)]
    pub topics: Vec<TopicSpec>,
    #[serde(default)]
    pub producers: Vec<ProducerSpec>,
    #[serde(default)]
    pub consumers: Vec<ConsumerSpec>,
    #[serde(default, deserialize_with = "deserialize_actions")]
    pub actions: Vec<Action>,
    /// Answers of program-driven clients' asks, one letter each, in global ask order
    /// (`S`, `L`, `T` for a listener; `C`, `R`, `U` for a transaction); see [`crate::lab`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub answers: String,
}

/// Marks the start and end of a precise field path inside an error message.
const PATH_MARK: char = '\u{1}';

/// Deserializes the action list so that an error names the action's field
/// (`actions[2].interval`), which serde's internally tagged enums cannot do.
fn deserialize_actions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Action>, D::Error> {
    let values = Vec::<serde_json::Value>::deserialize(d)?;
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.into_iter().enumerate() {
        match action_from_value(v.clone()) {
            Ok(a) => out.push(a),
            Err(e) => {
                let field = culprit(&v).map(|k| format!("[{i}].{k}")).unwrap_or_else(|| format!("[{i}]"));
                return Err(de::Error::custom(format!("{PATH_MARK}{field}{PATH_MARK}{e}")));
            }
        }
    }
    Ok(out)
}

/// The field whose removal makes an invalid action parse (or merely miss that field).
fn culprit(v: &serde_json::Value) -> Option<String> {
    let obj = v.as_object()?;
    for k in obj.keys().filter(|k| k.as_str() != "do") {
        let mut rest = obj.clone();
        rest.remove(k);
        match action_from_value(serde_json::Value::Object(rest)) {
            Ok(_) => return Some(k.clone()),
            Err(e) if e.to_string().contains(&format!("missing field `{k}`")) => return Some(k.clone()),
            Err(_) => {}
        }
    }
    None
}

/// The action names, in declaration order.
const ACTION_NAMES: &[&str] = &[
    "send",
    "kill",
    "power_off",
    "restart",
    "partition",
    "heal",
    "set_latency",
    "set_loss",
    "hold",
    "release",
    "slow_disk",
    "slow_slave",
    "slave_down",
    "slave_up",
    "shutdown",
    "start",
];

// The fields of the actions, one struct per shape: same field lists, so the
// same messages as serde's internally tagged enum, at a fraction of the code.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AtNode {
    at: Dur,
    node: String,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AtNodeDelay {
    at: Dur,
    node: String,
    delay: Dur,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AtAB {
    at: Dur,
    a: String,
    b: String,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartitionFields {
    at: Dur,
    a: String,
    b: String,
    #[serde(default)]
    oneway: bool,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HealFields {
    at: Dur,
    #[serde(default)]
    a: Option<String>,
    #[serde(default)]
    b: Option<String>,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LatencyFields {
    at: Dur,
    #[serde(default)]
    a: Option<String>,
    #[serde(default)]
    b: Option<String>,
    latency: [Dur; 2],
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LossFields {
    at: Dur,
    #[serde(default)]
    a: Option<String>,
    #[serde(default)]
    b: Option<String>,
    loss: f64,
}

fn unexpected(v: &serde_json::Value) -> de::Unexpected<'_> {
    use serde_json::Value;
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => de::Unexpected::Unsigned(u),
            (_, Some(i)) => de::Unexpected::Signed(i),
            _ => de::Unexpected::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

/// Reads one action (`{"do": "kill", ...}`) with serde's messages for an
/// internally tagged enum with `deny_unknown_fields`.
pub fn action_from_value(v: serde_json::Value) -> Result<Action, serde_json::Error> {
    use de::Error as _;
    use serde_json::{from_value, Error, Value};
    let Value::Object(mut m) = v else {
        return Err(Error::invalid_type(unexpected(&v), &"internally tagged enum Action"));
    };
    let tag = match m.remove("do") {
        Some(Value::String(s)) => match ACTION_NAMES.iter().position(|n| *n == s) {
            Some(i) => i,
            None => return Err(Error::unknown_variant(&s, ACTION_NAMES)),
        },
        Some(other) => return Err(Error::invalid_type(unexpected(&other), &"variant identifier")),
        None => return Err(Error::missing_field("do")),
    };
    let rest = Value::Object(m);
    let node = |rest: Value| from_value::<AtNode>(rest).map(|f| (f.at, f.node));
    let pair = |rest: Value| from_value::<AtAB>(rest).map(|f| (f.at, f.a, f.b));
    let slow = |rest: Value| from_value::<AtNodeDelay>(rest).map(|f| (f.at, f.node, f.delay));
    Ok(match tag {
        0 => Action::Send(from_value(rest)?),
        4 => {
            let f: PartitionFields = from_value(rest)?;
            Action::Partition { at: f.at, a: f.a, b: f.b, oneway: f.oneway }
        }
        5 => {
            let f: HealFields = from_value(rest)?;
            Action::Heal { at: f.at, a: f.a, b: f.b }
        }
        6 => {
            let f: LatencyFields = from_value(rest)?;
            Action::SetLatency { at: f.at, a: f.a, b: f.b, latency: f.latency }
        }
        7 => {
            let f: LossFields = from_value(rest)?;
            Action::SetLoss { at: f.at, a: f.a, b: f.b, loss: f.loss }
        }
        8 | 9 => {
            let (at, a, b) = pair(rest)?;
            if tag == 8 {
                Action::Hold { at, a, b }
            } else {
                Action::Release { at, a, b }
            }
        }
        10 | 11 => {
            let (at, node, delay) = slow(rest)?;
            if tag == 10 {
                Action::SlowDisk { at, node, delay }
            } else {
                Action::SlowSlave { at, node, delay }
            }
        }
        _ => {
            let (at, node) = node(rest)?;
            match tag {
                1 => Action::Kill { at, node },
                2 => Action::PowerOff { at, node },
                3 => Action::Restart { at, node },
                12 => Action::SlaveDown { at, node },
                13 => Action::SlaveUp { at, node },
                14 => Action::Shutdown { at, node },
                _ => Action::Start { at, node },
            }
        }
    })
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkSpec {
    /// One-way latency range of every link, `[min, max]`.
    #[serde(default = "default_latency")]
    pub latency: [Dur; 2],
    /// Probability (0..=1) that a packet is lost.
    #[serde(default)]
    pub loss: f64,
}

impl Default for NetworkSpec {
    fn default() -> Self {
        NetworkSpec { latency: default_latency(), loss: 0.0 }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterSpec {
    #[serde(default = "default_one")]
    pub nameservers: u32,
    pub brokers: Vec<BrokerSpec>,
    /// broker.conf text applied to every broker.
    #[serde(default)]
    pub broker_conf: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokerSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flush: Option<String>,
    /// Whether the broker has a slave replicating it.
    #[serde(default)]
    pub slave: bool,
    /// broker.conf text for this broker only, applied after `cluster.broker_conf`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conf: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    pub name: String,
    /// Brokers hosting the topic (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brokers: Option<Vec<String>>,
    #[serde(default = "default_four")]
    pub write_queues: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_queues: Option<u32>,
    /// Permission bits: 6 = read+write, 4 = read only, 2 = write only.
    #[serde(default = "default_perm")]
    pub perm: u32,
}

fn default_four() -> u32 {
    4
}
fn default_perm() -> u32 {
    6
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProducerSpec {
    pub id: String,
    pub group: String,
    /// Start at t = 0 (otherwise a `start` action starts it).
    #[serde(default = "default_true")]
    pub autostart: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_timeout: Option<Dur>,
    /// Java's retryTimesWhenSendFailed / the C++ retry times (total attempts for C++).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_times: Option<u32>,
    /// Java's retryAnotherBrokerWhenNotStoreOK.
    #[serde(default)]
    pub retry_another_broker_when_not_store_ok: bool,
    /// Java's sendLatencyFaultEnable (java4 only).
    #[serde(default)]
    pub send_latency_fault_enable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_message_size: Option<u64>,
    /// Answers of the transaction checker, in order; the last one repeats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_results: Vec<TxnState>,
    /// The learner's program that drives this producer (its transaction callbacks become asks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// The NameServers this client knows (None = all; empty = an address where none listens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nameservers: Option<Vec<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TxnState {
    #[serde(rename = "COMMIT_MESSAGE", alias = "COMMIT")]
    Commit,
    #[serde(rename = "ROLLBACK_MESSAGE", alias = "ROLLBACK")]
    Rollback,
    #[serde(rename = "UNKNOW", alias = "UNKNOWN")]
    Unknown,
}

impl TxnState {
    pub fn name(self) -> &'static str {
        match self {
            TxnState::Commit => "COMMIT_MESSAGE",
            TxnState::Rollback => "ROLLBACK_MESSAGE",
            TxnState::Unknown => "UNKNOW",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageModel {
    #[default]
    #[serde(rename = "CLUSTERING")]
    Clustering,
    #[serde(rename = "BROADCASTING")]
    Broadcasting,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListenerKind {
    #[default]
    #[serde(rename = "CONCURRENTLY")]
    Concurrently,
    #[serde(rename = "ORDERLY")]
    Orderly,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsumeResult {
    #[default]
    #[serde(rename = "CONSUME_SUCCESS")]
    ConsumeSuccess,
    #[serde(rename = "RECONSUME_LATER")]
    ReconsumeLater,
    #[serde(rename = "SUSPEND_CURRENT_QUEUE_A_MOMENT")]
    SuspendCurrentQueueAMoment,
    #[serde(rename = "throw")]
    Throw,
}

impl ConsumeResult {
    pub fn name(self) -> &'static str {
        match self {
            ConsumeResult::ConsumeSuccess => "CONSUME_SUCCESS",
            ConsumeResult::ReconsumeLater => "RECONSUME_LATER",
            ConsumeResult::SuspendCurrentQueueAMoment => "SUSPEND_CURRENT_QUEUE_A_MOMENT",
            ConsumeResult::Throw => "throw",
        }
    }

    pub fn is_success(self) -> bool {
        self == ConsumeResult::ConsumeSuccess
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Allocation {
    #[default]
    #[serde(rename = "AVG")]
    Averagely,
    #[serde(rename = "AVG_BY_CIRCLE")]
    AveragelyByCircle,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsumeFromWhere {
    #[default]
    #[serde(rename = "CONSUME_FROM_LAST_OFFSET")]
    LastOffset,
    #[serde(rename = "CONSUME_FROM_FIRST_OFFSET")]
    FirstOffset,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    pub topic: String,
    #[serde(default = "default_star")]
    pub expression: String,
}

/// What the consumer's listener does with each message.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Behavior {
    #[serde(default)]
    pub result: ConsumeResult,
    /// Fail the first N deliveries of each message, then return `result`.
    #[serde(default)]
    pub fail_times: u32,
    /// How a failure shows: RECONSUME_LATER (default), SUSPEND_CURRENT_QUEUE_A_MOMENT or throw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_with: Option<ConsumeResult>,
    /// Only messages whose keys equal this fail (a poison message); others succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_keys: Option<String>,
    #[serde(default = "default_consume_time")]
    pub consume_time: Dur,
}

impl Default for Behavior {
    fn default() -> Self {
        Behavior {
            result: ConsumeResult::ConsumeSuccess,
            fail_times: 0,
            fail_with: None,
            fail_keys: None,
            consume_time: default_consume_time(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumerSpec {
    pub id: String,
    pub group: String,
    pub subscribe: Vec<Subscription>,
    #[serde(default)]
    pub model: MessageModel,
    #[serde(default)]
    pub listener: ListenerKind,
    #[serde(default)]
    pub behavior: Behavior,
    #[serde(default = "default_true")]
    pub autostart: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consume_threads: Option<u32>,
    #[serde(default)]
    pub allocate: Allocation,
    #[serde(default)]
    pub consume_from_where: ConsumeFromWhere,
    /// Java's maxReconsumeTimes (-1 = 16); python-cpp is fixed at 16.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_reconsume_times: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_batch_size: Option<u32>,
    /// The learner's program that drives this consumer (its listener calls become asks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// The NameServers this client knows (None = all; empty = an address where none listens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nameservers: Option<Vec<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SendMode {
    Sync,
    Async,
    Oneway,
    Orderly,
    Transaction,
}

impl SendMode {
    pub fn name(self) -> &'static str {
        match self {
            SendMode::Sync => "sync",
            SendMode::Async => "async",
            SendMode::Oneway => "oneway",
            SendMode::Orderly => "orderly",
            SendMode::Transaction => "transaction",
        }
    }
}

/// A timed action: a send, or a fault or repair. Read by [`action_from_value`]
/// (the derived internally tagged `Deserialize` was 78 KB of wasm).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Action {
    Send(SendAction),
    Kill {
        at: Dur,
        node: String,
    },
    /// The machine loses power: like `kill`, and a broker also loses unflushed commit-log data.
    PowerOff {
        at: Dur,
        node: String,
    },
    Restart {
        at: Dur,
        node: String,
    },
    Partition {
        at: Dur,
        a: String,
        b: String,
        #[serde(default)]
        oneway: bool,
    },
    Heal {
        at: Dur,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        a: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        b: Option<String>,
    },
    SetLatency {
        at: Dur,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        a: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        b: Option<String>,
        latency: [Dur; 2],
    },
    SetLoss {
        at: Dur,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        a: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        b: Option<String>,
        loss: f64,
    },
    Hold {
        at: Dur,
        a: String,
        b: String,
    },
    Release {
        at: Dur,
        a: String,
        b: String,
    },
    SlowDisk {
        at: Dur,
        node: String,
        delay: Dur,
    },
    /// The broker's slave takes this long to confirm each write (SYNC_MASTER waits for it).
    SlowSlave {
        at: Dur,
        node: String,
        delay: Dur,
    },
    SlaveDown {
        at: Dur,
        node: String,
    },
    SlaveUp {
        at: Dur,
        node: String,
    },
    Shutdown {
        at: Dur,
        node: String,
    },
    Start {
        at: Dur,
        node: String,
    },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendAction {
    pub at: Dur,
    pub producer: String,
    pub mode: SendMode,
    pub topic: String,
    #[serde(default = "default_count")]
    pub count: u64,
    #[serde(default)]
    pub interval: Dur,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
    #[serde(default = "default_body")]
    pub body: String,
    /// Pretend the body is this many bytes (to show size limits without a huge file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_size: Option<u64>,
    #[serde(default)]
    pub delay_level: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharding_key: Option<String>,
    /// Let the topic be created through TBW102 (it need not be declared in `topics`).
    #[serde(default)]
    pub auto_create_topic: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_result: Option<TxnState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_results: Vec<TxnState>,
}

impl Action {
    pub fn at(&self) -> u64 {
        match self {
            Action::Send(s) => s.at.0,
            Action::Kill { at, .. }
            | Action::PowerOff { at, .. }
            | Action::Restart { at, .. }
            | Action::Partition { at, .. }
            | Action::Heal { at, .. }
            | Action::SetLatency { at, .. }
            | Action::SetLoss { at, .. }
            | Action::Hold { at, .. }
            | Action::Release { at, .. }
            | Action::SlowDisk { at, .. }
            | Action::SlowSlave { at, .. }
            | Action::SlaveDown { at, .. }
            | Action::SlaveUp { at, .. }
            | Action::Shutdown { at, .. }
            | Action::Start { at, .. } => at.0,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Action::Send(_) => "send",
            Action::Kill { .. } => "kill",
            Action::PowerOff { .. } => "power_off",
            Action::Restart { .. } => "restart",
            Action::Partition { .. } => "partition",
            Action::Heal { .. } => "heal",
            Action::SetLatency { .. } => "set_latency",
            Action::SetLoss { .. } => "set_loss",
            Action::Hold { .. } => "hold",
            Action::Release { .. } => "release",
            Action::SlowDisk { .. } => "slow_disk",
            Action::SlowSlave { .. } => "slow_slave",
            Action::SlaveDown { .. } => "slave_down",
            Action::SlaveUp { .. } => "slave_up",
            Action::Shutdown { .. } => "shutdown",
            Action::Start { .. } => "start",
        }
    }
}

/// Compact JSON (as `serde_json::to_string` writes it) laid out exactly as
/// `serde_json::to_string_pretty` would: every type is serialized through the
/// one compact serializer, so the wasm holds one copy of each `Serialize` impl.
pub fn pretty_json(compact: &str) -> String {
    fn newline(out: &mut String, depth: usize) {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
    let mut out = String::with_capacity(compact.len() * 2);
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                match chars.next_if(|n| matches!(n, '}' | ']')) {
                    Some(close) => out.push(close),
                    None => {
                        depth += 1;
                        newline(&mut out, depth);
                    }
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

/// What kind of node a name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    NameServer,
    Broker,
    Producer,
    Consumer,
}

impl Scenario {
    /// Parses and validates JSON text.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let sc: Scenario = serde_json::from_str(text).map_err(|inner| {
            let mut msg = inner.to_string();
            let mut path = json_path_at(text, inner.line(), inner.column(), msg.starts_with("missing field"));
            if matches!(inner.classify(), serde_json::error::Category::Syntax | serde_json::error::Category::Eof) {
                msg = format!("invalid JSON: {msg}");
            }
            // `deserialize_actions` marks the failing action's own path. serde_json
            // places that error at the end of the document (it had read the whole
            // list), so the path is the action list's, then the action's.
            if let Some((before, rest)) = msg.split_once(PATH_MARK) {
                if let Some((inner_path, inner_msg)) = rest.split_once(PATH_MARK) {
                    path = format!("actions{inner_path}");
                    msg = format!("{before}{inner_msg}");
                }
            }
            ScenarioError::new(path, clean_serde_message(&msg))
        })?;
        sc.validate()?;
        Ok(sc)
    }

    pub fn to_json_pretty(&self) -> String {
        pretty_json(&serde_json::to_string(self).unwrap_or_default())
    }

    /// The node names in engine order: nameservers, brokers, producers, consumers.
    pub fn node_names(&self) -> Vec<(String, NodeKind)> {
        let mut out = Vec::new();
        for i in 0..self.cluster.nameservers {
            out.push((format!("namesrv-{i}"), NodeKind::NameServer));
        }
        for b in &self.cluster.brokers {
            out.push((b.name.clone(), NodeKind::Broker));
        }
        for p in &self.producers {
            out.push((p.id.clone(), NodeKind::Producer));
        }
        for c in &self.consumers {
            out.push((c.id.clone(), NodeKind::Consumer));
        }
        out
    }

    /// The effective broker.conf of broker `i` (shared text, then the broker's own, then role/flush).
    pub fn broker_conf(&self, i: usize) -> Result<BrokerConf, ScenarioError> {
        let b = &self.cluster.brokers[i];
        let mut conf = BrokerConf::default();
        conf.apply(&self.cluster.broker_conf).map_err(|e| ScenarioError::new("cluster.broker_conf", e.to_string()))?;
        if let Some(own) = &b.conf {
            conf.apply(own).map_err(|e| ScenarioError::new(format!("cluster.brokers[{i}].conf"), e.to_string()))?;
        }
        if let Some(role) = &b.role {
            conf.broker_role = BrokerRole::parse(role).ok_or_else(|| {
                ScenarioError::new(
                    format!("cluster.brokers[{i}].role"),
                    format!("\"{role}\" is not ASYNC_MASTER, SYNC_MASTER or SLAVE"),
                )
            })?;
        }
        if let Some(flush) = &b.flush {
            conf.flush_disk_type = FlushMode::parse(flush).ok_or_else(|| {
                ScenarioError::new(
                    format!("cluster.brokers[{i}].flush"),
                    format!("\"{flush}\" is not ASYNC_FLUSH or SYNC_FLUSH"),
                )
            })?;
        }
        if let Some(name) = &conf.broker_name {
            if name != &b.name {
                return Err(ScenarioError::new(
                    format!("cluster.brokers[{i}]"),
                    format!("broker.conf says brokerName={name} but the broker is named \"{}\"", b.name),
                ));
            }
        }
        if conf.broker_ip1.is_empty() {
            conf.broker_ip1 = format!("192.168.2.{}", 57 + i);
        }
        Ok(conf)
    }

    fn validate(&self) -> Result<(), ScenarioError> {
        if self.until.0 == 0 {
            return Err(ScenarioError::new("until", "must be longer than 0 ms"));
        }
        if let Some(0) = self.max_events {
            return Err(ScenarioError::new("max_events", "must be at least 1"));
        }
        self.validate_network()?;
        self.validate_cluster()?;
        let names = self.validate_names()?;
        self.validate_topics()?;
        self.validate_clients()?;
        crate::lab::check_answers("answers", &self.answers)?;
        self.validate_actions(&names)
    }

    /// Checks a client's `program` and `nameservers` (`f` makes the field path).
    fn validate_lab(
        &self,
        f: &dyn Fn(&str) -> String,
        program: &Option<String>,
        ns: &Option<Vec<String>>,
    ) -> Result<(), ScenarioError> {
        if let Some(p) = program {
            if p.is_empty() || p.len() > 256 || p.chars().any(char::is_control) {
                return Err(ScenarioError::new(f("program"), "a file name of 1..=256 printable characters"));
            }
        }
        for (j, n) in ns.iter().flatten().enumerate() {
            let known = n
                .strip_prefix("namesrv-")
                .and_then(|i| i.parse::<u32>().ok())
                .is_some_and(|i| i < self.cluster.nameservers && *n == format!("namesrv-{i}"));
            if !known {
                return Err(ScenarioError::new(
                    format!("{}[{j}]", f("nameservers")),
                    format!("\"{n}\" is not a NameServer (namesrv-0..namesrv-{})", self.cluster.nameservers - 1),
                ));
            }
        }
        Ok(())
    }

    /// Whether producer `name` is driven by a program.
    fn program_producer(&self, name: &str) -> bool {
        self.producers.iter().any(|p| p.id == name && p.program.is_some())
    }

    fn validate_network(&self) -> Result<(), ScenarioError> {
        check_latency("network.latency", self.network.latency)?;
        check_loss("network.loss", self.network.loss)
    }

    fn validate_cluster(&self) -> Result<(), ScenarioError> {
        let c = &self.cluster;
        if c.nameservers == 0 || c.nameservers > MAX_NAMESERVERS {
            return Err(ScenarioError::new(
                "cluster.nameservers",
                format!("{} is outside 1..={MAX_NAMESERVERS}", c.nameservers),
            ));
        }
        if c.brokers.is_empty() {
            return Err(ScenarioError::new("cluster.brokers", "needs at least one broker"));
        }
        if c.brokers.len() > MAX_BROKERS {
            return Err(ScenarioError::new(
                "cluster.brokers",
                format!("{} brokers given; at most {MAX_BROKERS} are allowed", c.brokers.len()),
            ));
        }
        for (i, b) in c.brokers.iter().enumerate() {
            check_name(&format!("cluster.brokers[{i}].name"), &b.name)?;
            let conf = self.broker_conf(i)?;
            if conf.broker_role == BrokerRole::Slave {
                return Err(ScenarioError::new(
                    format!("cluster.brokers[{i}].role"),
                    "SLAVE is not a broker of its own here: give the master \"slave\": true",
                ));
            }
            if conf.broker_role == BrokerRole::SyncMaster && !b.slave {
                // Allowed: a SYNC_MASTER without a slave answers SLAVE_NOT_AVAILABLE, a lesson in itself.
            }
        }
        Ok(())
    }

    fn validate_names(&self) -> Result<SortedMap<String, NodeKind>, ScenarioError> {
        let mut names = SortedMap::new();
        for (name, kind) in self.node_names() {
            if names.insert(name.clone(), kind).is_some() {
                return Err(ScenarioError::new(
                    "",
                    format!("the name \"{name}\" is used by two nodes; names must be unique"),
                ));
            }
        }
        if self.producers.len() + self.consumers.len() > MAX_CLIENTS {
            return Err(ScenarioError::new("", format!("more than {MAX_CLIENTS} producers and consumers")));
        }
        Ok(names)
    }

    fn validate_topics(&self) -> Result<(), ScenarioError> {
        let brokers: SortedSet<&str> = self.cluster.brokers.iter().map(|b| b.name.as_str()).collect();
        let mut seen = SortedSet::new();
        for (i, t) in self.topics.iter().enumerate() {
            let f = |k: &str| format!("topics[{i}].{k}");
            check_topic_name(&f("name"), &t.name)?;
            if !seen.insert(t.name.as_str()) {
                return Err(ScenarioError::new(f("name"), format!("topic \"{}\" is declared twice", t.name)));
            }
            if let Some(list) = &t.brokers {
                if list.is_empty() {
                    return Err(ScenarioError::new(f("brokers"), "needs at least one broker"));
                }
                for b in list {
                    if !brokers.contains(b.as_str()) {
                        return Err(ScenarioError::new(f("brokers"), format!("unknown broker \"{b}\"")));
                    }
                }
            }
            check_queues(&f("write_queues"), t.write_queues)?;
            if let Some(r) = t.read_queues {
                check_queues(&f("read_queues"), r)?;
            }
            if t.perm == 0 || t.perm > 7 || t.perm & 1 == 1 {
                return Err(ScenarioError::new(
                    f("perm"),
                    format!("{} is not 2 (write), 4 (read) or 6 (read+write)", t.perm),
                ));
            }
        }
        Ok(())
    }

    fn topic_known(&self, name: &str) -> bool {
        self.topics.iter().any(|t| t.name == name)
            || self.actions.iter().any(|a| matches!(a, Action::Send(s) if s.auto_create_topic && s.topic == name))
    }

    fn validate_clients(&self) -> Result<(), ScenarioError> {
        for (i, p) in self.producers.iter().enumerate() {
            let f = |k: &str| format!("producers[{i}].{k}");
            check_name(&f("id"), &p.id)?;
            check_name(&f("group"), &p.group)?;
            if let Some(t) = p.send_timeout {
                if t.0 == 0 || t.0 > 600_000 {
                    return Err(ScenarioError::new(f("send_timeout"), "must be between 1 ms and 10 m"));
                }
            }
            if let Some(r) = p.retry_times {
                if r > 15 {
                    return Err(ScenarioError::new(f("retry_times"), format!("{r} is more than 15")));
                }
                if self.client == Flavor::PythonCpp && r == 0 {
                    return Err(ScenarioError::new(f("retry_times"), "the C++ client counts attempts: 1..=15"));
                }
            }
            if p.send_latency_fault_enable && self.client != Flavor::Java4 {
                return Err(ScenarioError::new(
                    f("send_latency_fault_enable"),
                    "only the java4 client has latency fault tolerance",
                ));
            }
            if let Some(m) = p.max_message_size {
                if m == 0 || m > MAX_BODY_BYTES {
                    return Err(ScenarioError::new(
                        f("max_message_size"),
                        format!("{m} is outside 1..={MAX_BODY_BYTES}"),
                    ));
                }
            }
            self.validate_lab(&f, &p.program, &p.nameservers)?;
        }
        for (i, c) in self.consumers.iter().enumerate() {
            self.validate_consumer(i, c)?;
        }
        Ok(())
    }

    fn validate_consumer(&self, i: usize, c: &ConsumerSpec) -> Result<(), ScenarioError> {
        let f = |k: &str| format!("consumers[{i}].{k}");
        check_name(&f("id"), &c.id)?;
        check_name(&f("group"), &c.group)?;
        self.validate_lab(&f, &c.program, &c.nameservers)?;
        if c.subscribe.is_empty() {
            return Err(ScenarioError::new(f("subscribe"), "a consumer needs at least one subscription"));
        }
        for (j, s) in c.subscribe.iter().enumerate() {
            // A program may subscribe to a topic its own sends create later.
            if c.program.is_some() {
                check_topic_name(&format!("consumers[{i}].subscribe[{j}].topic"), &s.topic)?;
            }
            if c.program.is_none() && !self.topic_known(&s.topic) {
                return Err(ScenarioError::new(
                    format!("consumers[{i}].subscribe[{j}].topic"),
                    format!("unknown topic \"{}\" (declare it in topics)", s.topic),
                ));
            }
            if s.expression.len() > 1024 {
                return Err(ScenarioError::new(
                    format!("consumers[{i}].subscribe[{j}].expression"),
                    "longer than 1024 characters",
                ));
            }
        }
        if c.consume_threads == Some(0) || c.consume_threads.is_some_and(|n| n > 1000) {
            return Err(ScenarioError::new(f("consume_threads"), "must be 1..=1000"));
        }
        if c.pull_batch_size == Some(0) || c.pull_batch_size.is_some_and(|n| n > 1024) {
            return Err(ScenarioError::new(f("pull_batch_size"), "must be 1..=1024"));
        }
        if let Some(m) = c.max_reconsume_times {
            if self.client == Flavor::PythonCpp {
                return Err(ScenarioError::new(
                    f("max_reconsume_times"),
                    "the Python client cannot change maxReconsumeTimes (fixed at 16); use client java4",
                ));
            }
            if !(-1..=10_000).contains(&m) {
                return Err(ScenarioError::new(f("max_reconsume_times"), format!("{m} is outside -1..=10000")));
            }
        }
        if c.allocate == Allocation::AveragelyByCircle && self.client != Flavor::Java4 {
            return Err(ScenarioError::new(f("allocate"), "AVG_BY_CIRCLE is a Java client strategy; use client java4"));
        }
        let b = &c.behavior;
        if b.consume_time.0 > 3_600_000 {
            return Err(ScenarioError::new(f("behavior.consume_time"), "longer than 1 h"));
        }
        let orderly = c.listener == ListenerKind::Orderly;
        for (field, r) in [("behavior.result", Some(b.result)), ("behavior.fail_with", b.fail_with)] {
            match r {
                Some(ConsumeResult::SuspendCurrentQueueAMoment) if !orderly => {
                    return Err(ScenarioError::new(
                        f(field),
                        "SUSPEND_CURRENT_QUEUE_A_MOMENT is for ORDERLY listeners",
                    ));
                }
                Some(ConsumeResult::ReconsumeLater) if orderly && self.client == Flavor::Java4 => {
                    return Err(ScenarioError::new(
                        f(field),
                        "a Java orderly listener returns SUSPEND_CURRENT_QUEUE_A_MOMENT, not RECONSUME_LATER",
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn validate_actions(&self, names: &SortedMap<String, NodeKind>) -> Result<(), ScenarioError> {
        if self.actions.len() > MAX_ACTIONS {
            return Err(ScenarioError::new("actions", format!("more than {MAX_ACTIONS} actions")));
        }
        let mut total: u64 = 0;
        for (i, a) in self.actions.iter().enumerate() {
            let f = |k: &str| format!("actions[{i}].{k}");
            let node = |k: &str, n: &str, kinds: &[NodeKind]| -> Result<(), ScenarioError> {
                match names.get(n) {
                    None => Err(ScenarioError::new(f(k), format!("unknown node \"{n}\""))),
                    Some(kind) if !kinds.contains(kind) => Err(ScenarioError::new(
                        f(k),
                        format!("\"{n}\" is a {kind:?}; {} needs a {}", a.kind(), kinds_text(kinds)),
                    )),
                    Some(_) => Ok(()),
                }
            };
            const ANY: &[NodeKind] = &[NodeKind::NameServer, NodeKind::Broker, NodeKind::Producer, NodeKind::Consumer];
            const SERVERS: &[NodeKind] = &[NodeKind::NameServer, NodeKind::Broker];
            const BROKER: &[NodeKind] = &[NodeKind::Broker];
            const CLIENTS: &[NodeKind] = &[NodeKind::Producer, NodeKind::Consumer];
            match a {
                Action::Send(s) => {
                    total = total.saturating_add(s.count);
                    self.validate_send(i, s, names)?;
                }
                Action::Kill { node: n, .. } | Action::PowerOff { node: n, .. } | Action::Restart { node: n, .. } => {
                    node("node", n, ANY)?
                }
                Action::Partition { a: x, b: y, .. }
                | Action::Hold { a: x, b: y, .. }
                | Action::Release { a: x, b: y, .. } => {
                    node("a", x, ANY)?;
                    node("b", y, ANY)?;
                    if x == y {
                        return Err(ScenarioError::new(f("b"), "a node cannot be cut off from itself"));
                    }
                }
                Action::Heal { a: x, b: y, .. } => {
                    if let Some(x) = x {
                        node("a", x, ANY)?;
                    }
                    if let Some(y) = y {
                        node("b", y, ANY)?;
                    }
                }
                Action::SetLatency { a: x, b: y, latency, .. } => {
                    for (k, n) in [("a", x), ("b", y)] {
                        if let Some(n) = n {
                            node(k, n, ANY)?;
                        }
                    }
                    check_latency(&f("latency"), *latency)?;
                }
                Action::SetLoss { a: x, b: y, loss, .. } => {
                    for (k, n) in [("a", x), ("b", y)] {
                        if let Some(n) = n {
                            node(k, n, ANY)?;
                        }
                    }
                    check_loss(&f("loss"), *loss)?;
                }
                Action::SlowDisk { node: n, .. }
                | Action::SlowSlave { node: n, .. }
                | Action::SlaveDown { node: n, .. }
                | Action::SlaveUp { node: n, .. } => node("node", n, BROKER)?,
                Action::Shutdown { node: n, .. } => {
                    node("node", n, &[NodeKind::Producer, NodeKind::Consumer, NodeKind::Broker])?
                }
                Action::Start { node: n, .. } => node("node", n, CLIENTS)?,
            }
            let _ = SERVERS;
        }
        if total > MAX_MESSAGES {
            return Err(ScenarioError::new(
                "actions",
                format!("{total} messages in all; at most {MAX_MESSAGES} are allowed"),
            ));
        }
        Ok(())
    }

    fn validate_send(
        &self,
        i: usize,
        s: &SendAction,
        names: &SortedMap<String, NodeKind>,
    ) -> Result<(), ScenarioError> {
        let f = |k: &str| format!("actions[{i}].{k}");
        match names.get(&s.producer) {
            Some(NodeKind::Producer) => {}
            Some(k) => {
                return Err(ScenarioError::new(f("producer"), format!("\"{}\" is a {k:?}, not a producer", s.producer)))
            }
            None => return Err(ScenarioError::new(f("producer"), format!("unknown producer \"{}\"", s.producer))),
        }
        check_topic_name(&f("topic"), &s.topic)?;
        if !self.topic_known(&s.topic) {
            return Err(ScenarioError::new(
                f("topic"),
                format!("unknown topic \"{}\" (declare it in topics, or set \"auto_create_topic\": true to create it through TBW102)", s.topic),
            ));
        }
        if s.count == 0 {
            return Err(ScenarioError::new(f("count"), "must be at least 1"));
        }
        if s.count > MAX_MESSAGES {
            return Err(ScenarioError::new(f("count"), format!("{} is more than {MAX_MESSAGES}", s.count)));
        }
        if s.delay_level < 0 {
            return Err(ScenarioError::new(
                f("delay_level"),
                format!("{} is below 0 (0 = no delay, 1..=18 = a level)", s.delay_level),
            ));
        }
        if s.delay_level > 1000 {
            return Err(ScenarioError::new(
                f("delay_level"),
                format!(
                    "{} is absurd (levels above the maximum are clamped, but it must be at most 1000)",
                    s.delay_level
                ),
            ));
        }
        if s.body.len() > 1024 * 1024 {
            return Err(ScenarioError::new(f("body"), "longer than 1 MiB; use body_size to simulate a large body"));
        }
        if s.body_size.is_some_and(|n| n > MAX_BODY_BYTES) {
            return Err(ScenarioError::new(f("body_size"), format!("more than {MAX_BODY_BYTES} bytes")));
        }
        if s.properties.len() > 64 {
            return Err(ScenarioError::new(f("properties"), "more than 64 properties"));
        }
        match s.mode {
            SendMode::Orderly if s.sharding_key.as_deref().is_none_or(str::is_empty) => {
                return Err(ScenarioError::new(
                    f("sharding_key"),
                    "an orderly send needs a sharding_key (the Python API's send_orderly_with_sharding_key)",
                ));
            }
            SendMode::Transaction if s.local_result.is_none() && !self.program_producer(&s.producer) => {
                return Err(ScenarioError::new(
                    f("local_result"),
                    "a transaction send needs local_result: COMMIT_MESSAGE, ROLLBACK_MESSAGE or UNKNOW",
                ));
            }
            _ => {}
        }
        Ok(())
    }
}

fn kinds_text(kinds: &[NodeKind]) -> String {
    kinds.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(" or ")
}

fn check_latency(field: &str, l: [Dur; 2]) -> Result<(), ScenarioError> {
    if l[0] > l[1] {
        return Err(ScenarioError::new(field, format!("min {} is above max {}", format_ms(l[0].0), format_ms(l[1].0))));
    }
    if l[1].0 > 60_000 {
        return Err(ScenarioError::new(field, "latency above 60 s"));
    }
    Ok(())
}

fn check_loss(field: &str, loss: f64) -> Result<(), ScenarioError> {
    if !(0.0..=1.0).contains(&loss) || loss.is_nan() {
        return Err(ScenarioError::new(field, format!("{loss} is not a probability between 0 and 1")));
    }
    Ok(())
}

fn check_queues(field: &str, n: u32) -> Result<(), ScenarioError> {
    if n == 0 {
        return Err(ScenarioError::new(field, "must be at least 1"));
    }
    if n > MAX_QUEUES {
        return Err(ScenarioError::new(field, format!("{n} is more than {MAX_QUEUES} queues")));
    }
    Ok(())
}

fn check_name(field: &str, name: &str) -> Result<(), ScenarioError> {
    if name.is_empty() {
        return Err(ScenarioError::new(field, "is empty"));
    }
    if name.len() > 64 {
        return Err(ScenarioError::new(field, "is longer than 64 characters"));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.%|".contains(c)) {
        return Err(ScenarioError::new(field, format!("\"{name}\" may only use letters, digits and - _ . % |")));
    }
    Ok(())
}

fn check_topic_name(field: &str, name: &str) -> Result<(), ScenarioError> {
    if name.is_empty() {
        return Err(ScenarioError::new(field, "topic name is empty"));
    }
    if name.len() > 127 {
        return Err(ScenarioError::new(field, "topic name is longer than 127 characters"));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_%|".contains(c)) {
        return Err(ScenarioError::new(
            field,
            format!("\"{name}\" may only use letters, digits, '-', '_', '%' and '|'"),
        ));
    }
    if name == crate::names::TBW102 {
        return Err(ScenarioError::new(field, "TBW102 is the broker's auto-create template, not a topic to use"));
    }
    Ok(())
}

/// The path (`cluster.brokers[0].colour`) of the value being read at serde_json's
/// error position (`line`, `column`, as serde_json counts them), found by walking the
/// text up to there. Walking the text after a failed parse, rather than tracking the
/// path during every parse, keeps one copy of the deserialisation code in the wasm.
/// `whole_object`: the error is about the object around the position (a missing field,
/// reported at its closing brace), not about its last key.
fn json_path_at(text: &str, line: usize, column: usize, whole_object: bool) -> String {
    enum Frame {
        Object { key: Option<String>, in_value: bool },
        Array { index: usize },
    }
    let line_start =
        if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    let end = (line_start + column).min(text.len());
    let bytes = &text.as_bytes()[..end];
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => stack.push(Frame::Object { key: None, in_value: false }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, in_value }) => {
                    *key = None;
                    *in_value = false;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object { key, in_value: false }) = stack.last_mut() {
                    let raw = String::from_utf8_lossy(&bytes[start..i.min(bytes.len())]);
                    *key = Some(serde_json::from_str(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_string()));
                }
            }
            _ => {}
        }
        i += 1;
    }
    if whole_object {
        if let Some(Frame::Object { key, .. }) = stack.last_mut() {
            *key = None;
        }
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None, .. } => break,
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

fn clean_serde_message(msg: &str) -> String {
    // serde_json appends " at line L column C"; keep it, it helps find the spot.
    msg.replace("unknown variant", "unknown value").replace("`", "\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str = r#"{"cluster":{"brokers":[{"name":"broker-a"}]}}"#;

    #[test]
    fn minimal_scenario_uses_defaults() {
        let s = Scenario::from_json(MIN).unwrap();
        assert_eq!(s.client, Flavor::PythonCpp);
        assert_eq!(s.until, Dur(60_000));
        assert_eq!(s.network.latency, [Dur(1), Dur(3)]);
    }

    #[test]
    fn pretty_json_lays_out_like_serde_json() {
        for p in crate::presets::all() {
            let sc = p.scenario().unwrap();
            assert_eq!(sc.to_json_pretty(), serde_json::to_string_pretty(&sc).unwrap(), "{}", p.name);
        }
        for t in [r#"{"a":[],"b":{},"c":[{"x":"a\"b\\","y":[1,2.5,{}]}],"d":"}{][,:"}"#, "[]", "{}", "1", r#""x""#] {
            let v: serde_json::Value = serde_json::from_str(t).unwrap();
            assert_eq!(pretty_json(&v.to_string()), serde_json::to_string_pretty(&v).unwrap(), "{t}");
        }
    }

    #[test]
    fn errors_name_the_field() {
        let e = Scenario::from_json(r#"{"cluster":{"brokers":[{"name":"a","colour":1}]}}"#).unwrap_err();
        assert_eq!(e.field, "cluster.brokers[0].colour");
        assert!(e.message.contains("colour"), "{e}");
        let e = Scenario::from_json(r#"{"until":"5x","cluster":{"brokers":[{"name":"a"}]}}"#).unwrap_err();
        assert_eq!(e.field, "until");
        let e = Scenario::from_json("{not json").unwrap_err();
        assert!(!e.message.is_empty());
    }

    #[test]
    fn the_path_is_found_from_serde_jsons_position() {
        // Over lines, past escaped quotes and multibyte text, into arrays.
        let text =
            "{\n  \"cluster\": {\"brokers\": [{\"name\": \"a\\\"\u{4e00}\"},\n {\"name\": \"b\", \"queues\": \"x\"}]}}";
        let e = Scenario::from_json(text).unwrap_err();
        assert_eq!(e.field, "cluster.brokers[1].queues", "{e}");
        // A missing field names the object, not the key read last.
        let e = Scenario::from_json(r#"{"cluster":{"brokers":[{"name":"a"}]},"producers":[{"id":"p"}]}"#).unwrap_err();
        assert_eq!(e.field, "producers[0]", "{e}");
        assert!(e.message.contains("missing field"), "{e}");
        // Keys are read as JSON strings.
        assert_eq!(json_path_at(r#"{"a\u0062": [1, {"c": 2"#, 1, 22, false), "ab[1].c");
        assert_eq!(json_path_at("", 0, 0, false), "");
    }
}
