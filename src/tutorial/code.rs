//! The code panel's source: the rocketmq-client-python 2.x program (and the
//! equivalent Java 4.x program) a learner would write for a scenario.
//!
//! Each generated line carries the trace events it "executes" ([`Hook`]):
//! `send_attempt` / `send_result` belong to the send line, `delivered` to the
//! callback's first line, `consumed:RECONSUME_LATER` to the line that returns
//! it, and so on, so the UI can highlight the running line for the newest
//! record. For the tutorial's own presets (`tutorial-basic`, `delay-tutorial`)
//! the Python comes out as the tutorial wrote it. Where the Python client
//! cannot do what the scenario does (async sends, a retry limit, …) the file
//! carries a note saying so.

use std::collections::BTreeMap;

use rmqsim::scenario::{
    Action, Allocation, ConsumeFromWhere, ConsumeResult, ConsumerSpec, ListenerKind, MessageModel, ProducerSpec,
    SendAction, SendMode, TxnState,
};
use rmqsim::{Flavor, Record, Scenario};

use crate::i18n::Lang;

/// The NameServer address the tutorial's code uses.
pub const NAME_SERVER_ADDRESS: &str = "192.168.2.57:9876";

/// Which language a listing is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeLang {
    /// rocketmq-client-python 2.x (the tutorial's client).
    Python,
    /// The Java client of RocketMQ 4.x.
    Java,
}

impl CodeLang {
    pub const ALL: [CodeLang; 2] = [CodeLang::Python, CodeLang::Java];

    pub fn label(self) -> &'static str {
        match self {
            CodeLang::Python => "Python",
            CodeLang::Java => "Java",
        }
    }
}

/// Which side of the conversation a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Producer,
    Consumer,
}

/// A trace event a line executes; `detail` narrows it (the listener's result,
/// a transaction state), `None` takes any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hook {
    pub event: &'static str,
    pub detail: Option<&'static str>,
}

const fn h(event: &'static str) -> Hook {
    Hook { event, detail: None }
}

const fn hd(event: &'static str, detail: &'static str) -> Hook {
    Hook { event, detail: Some(detail) }
}

/// One line of code and the events it executes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLine {
    pub text: String,
    pub hooks: Vec<Hook>,
}

/// A remark shown above a listing, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub zh: String,
    pub en: String,
}

impl Note {
    fn new(zh: impl Into<String>, en: impl Into<String>) -> Note {
        Note { zh: zh.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// One generated source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeFile {
    pub lang: CodeLang,
    pub role: Role,
    /// `producer.py`, `Consumer.java`, …
    pub name: String,
    /// The scenario nodes (producer or consumer ids) that run this code.
    pub nodes: Vec<String>,
    pub lines: Vec<CodeLine>,
    pub notes: Vec<Note>,
}

impl CodeFile {
    /// The whole file as text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(&line.text);
            out.push('\n');
        }
        out
    }

    /// Whether `node` runs this file.
    pub fn runs_on(&self, node: &str) -> bool {
        self.nodes.iter().any(|n| n == node)
    }

    /// The line (0-based) that executes `event` with `detail`: a line naming
    /// exactly this detail wins over a line that takes any detail.
    pub fn line_for(&self, event: &str, detail: Option<&str>) -> Option<usize> {
        let exact = detail.and_then(|d| {
            self.lines.iter().position(|l| l.hooks.iter().any(|k| k.event == event && k.detail == Some(d)))
        });
        exact.or_else(|| self.lines.iter().position(|l| l.hooks.iter().any(|k| k.event == event && k.detail.is_none())))
    }

    /// [`CodeFile::line_for`] from an event key such as `consumed` or
    /// `consumed:RECONSUME_LATER` (see [`event_key`]).
    pub fn line_for_key(&self, key: &str) -> Option<usize> {
        match key.split_once(':') {
            Some((event, detail)) => self.line_for(event, Some(detail)),
            None => self.line_for(key, None),
        }
    }
}

/// The key the code panel highlights by: the event kind, plus `:detail` for
/// events whose line depends on a value (`consumed:RECONSUME_LATER`,
/// `txn_check:COMMIT_MESSAGE`).
pub fn event_key(rec: &Record) -> String {
    let detail = match rec.event {
        "consumed" => rec.str("result"),
        "txn_local" | "txn_check" | "txn_end" => rec.str("state"),
        _ => None,
    };
    match detail {
        Some(d) => format!("{}:{d}", rec.event),
        None => rec.event.to_string(),
    }
}

/// The client node a record is about (producer, consumer or route client), if any.
pub fn event_node(rec: &Record) -> Option<&str> {
    rec.str("producer").or_else(|| rec.str("consumer")).or_else(|| rec.str("client"))
}

/// The file and line a record executes: the file run by the record's node
/// that has a line for it.
pub fn locate(files: &[CodeFile], rec: &Record) -> Option<(usize, usize)> {
    let key = event_key(rec);
    let node = event_node(rec);
    files.iter().enumerate().find_map(|(i, f)| {
        if node.is_some_and(|n| !f.runs_on(n)) {
            return None;
        }
        f.line_for_key(&key).map(|line| (i, line))
    })
}

/// What the scenario's listeners return, for the code panel's switch:
/// `CONSUME_SUCCESS` when every consumer's listener succeeds, else `RECONSUME_LATER`.
pub fn listener_result(sc: &Scenario) -> Option<&'static str> {
    if sc.consumers.is_empty() {
        return None;
    }
    let all_ok = sc.consumers.iter().all(|c| c.behavior.result.is_success() && c.behavior.fail_times == 0);
    Some(if all_ok { "CONSUME_SUCCESS" } else { "RECONSUME_LATER" })
}

/// The scenario with every consumer's listener returning `result`
/// (`CONSUME_SUCCESS` or `RECONSUME_LATER`); a Java orderly listener fails with
/// SUSPEND_CURRENT_QUEUE_A_MOMENT instead, as Java spells it.
pub fn with_listener_result(sc: &Scenario, result: &str) -> Scenario {
    let mut out = sc.clone();
    for c in &mut out.consumers {
        c.behavior.fail_times = 0;
        c.behavior.fail_keys = None;
        c.behavior.fail_with = None;
        c.behavior.result = match result {
            "RECONSUME_LATER" if c.listener == ListenerKind::Orderly && sc.client == Flavor::Java4 => {
                ConsumeResult::SuspendCurrentQueueAMoment
            }
            "RECONSUME_LATER" => ConsumeResult::ReconsumeLater,
            _ => ConsumeResult::ConsumeSuccess,
        };
    }
    out
}

/// Every file of the scenario in `lang`: producers first, then consumers.
/// Comments and printed text follow `ui`; identifiers do not.
pub fn generate(sc: &Scenario, lang: CodeLang, ui: Lang) -> Vec<CodeFile> {
    let mut files = Vec::new();
    let producers: Vec<&ProducerSpec> = sc.producers.iter().filter(|p| !sends_of(sc, &p.id).is_empty()).collect();
    for p in &producers {
        let plan = ProducerPlan::new(sc, p, producers.len() > 1);
        files.push(match lang {
            CodeLang::Python => python_producer(sc, &plan, ui),
            CodeLang::Java => java_producer(sc, &plan, ui),
        });
    }
    let groups = consumer_programs(sc);
    let many = groups.len() > 1;
    for ids in groups {
        let spec = sc.consumers.iter().find(|c| c.id == ids[0]).expect("consumer");
        let name_hint = if many { Some(ids[0].as_str()) } else { None };
        files.push(match lang {
            CodeLang::Python => python_consumer(sc, spec, &ids, name_hint, ui),
            CodeLang::Java => java_consumer(sc, spec, &ids, name_hint, ui),
        });
    }
    for f in &mut files {
        add_flavor_note(sc, f);
    }
    files
}

// ----------------------------------------------------------------- helpers

fn sends_of<'a>(sc: &'a Scenario, producer: &str) -> Vec<&'a SendAction> {
    let mut v: Vec<&SendAction> = sc
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Send(s) if s.producer == producer => Some(s),
            _ => None,
        })
        .collect();
    crate::order::sort_by_key(&mut v, |s| s.at.0);
    v
}

/// Consumers that run the same program, grouped (each group is one file).
fn consumer_programs(sc: &Scenario) -> Vec<Vec<String>> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for c in &sc.consumers {
        let mut key = c.clone();
        key.id = String::new();
        key.autostart = true;
        let key = serde_json::to_string(&key).unwrap_or_default();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, ids)) => ids.push(c.id.clone()),
            None => groups.push((key, vec![c.id.clone()])),
        }
    }
    groups.into_iter().map(|(_, ids)| ids).collect()
}

fn tr<'a>(ui: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match ui {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A Python string literal (double quotes, like the tutorial).
fn py_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Java string literal.
fn java_str(s: &str) -> String {
    py_str(s)
}

/// Seconds for `time.sleep` / milliseconds for `Thread.sleep`.
fn py_seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{}", ms / 1000)
    } else {
        let s = format!("{:.3}", ms as f64 / 1000.0);
        s.trim_end_matches('0').to_string()
    }
}

/// The delay of a level in the tutorial's notation (`5秒`, `2分钟`).
fn level_delay(level: i64, ui: Lang) -> String {
    const SECS: [u64; 18] = [1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200];
    let i = (level.clamp(1, 18) - 1) as usize;
    let s = SECS[i];
    match ui {
        Lang::Zh if s >= 3600 => format!("{}小时", s / 3600),
        Lang::Zh if s >= 60 => format!("{}分钟", s / 60),
        Lang::Zh => format!("{s}秒"),
        Lang::En if s >= 3600 => format!("{} h", s / 3600),
        Lang::En if s >= 60 => format!("{} min", s / 60),
        Lang::En => format!("{s} s"),
    }
}

struct Lines(Vec<CodeLine>);

impl Lines {
    fn new() -> Lines {
        Lines(Vec::new())
    }
    fn add(&mut self, text: impl Into<String>, hooks: &[Hook]) {
        self.0.push(CodeLine { text: text.into(), hooks: hooks.to_vec() });
    }
    fn line(&mut self, text: impl Into<String>) {
        self.add(text, &[]);
    }
    fn blank(&mut self) {
        self.add("", &[]);
    }
}

const SEND_HOOKS: &[Hook] =
    &[h("send_attempt"), h("send_result"), h("send_error"), h("send_failed"), h("send_skipped")];
const ASYNC_SEND_HOOKS: &[Hook] = &[h("send_attempt"), h("send_error"), h("send_skipped")];
const START_HOOKS: &[Hook] = &[h("route_updated"), h("rebalance"), h("consume_from"), h("queue_locked")];
const SUCCESS_HOOKS: &[Hook] = &[hd("consumed", "CONSUME_SUCCESS")];
const FAIL_HOOKS: &[Hook] = &[
    hd("consumed", "RECONSUME_LATER"),
    hd("consumed", "SUSPEND_CURRENT_QUEUE_A_MOMENT"),
    hd("consumed", "throw"),
    h("retry_scheduled"),
    h("dead_lettered"),
    h("consume_dropped"),
    h("queue_suspended"),
    h("local_retry"),
];

fn txn_detail(state: TxnState) -> &'static str {
    state.name()
}

fn py_txn(state: TxnState) -> &'static str {
    match state {
        TxnState::Commit => "TransactionStatus.COMMIT",
        TxnState::Rollback => "TransactionStatus.ROLLBACK",
        TxnState::Unknown => "TransactionStatus.UNKNOWN",
    }
}

fn java_txn(state: TxnState) -> &'static str {
    match state {
        TxnState::Commit => "LocalTransactionState.COMMIT_MESSAGE",
        TxnState::Rollback => "LocalTransactionState.ROLLBACK_MESSAGE",
        TxnState::Unknown => "LocalTransactionState.UNKNOW",
    }
}

fn add_flavor_note(sc: &Scenario, f: &mut CodeFile) {
    match (f.lang, sc.client) {
        (CodeLang::Java, Flavor::PythonCpp) => f.notes.push(Note::new(
            "这次运行按 rocketmq-client-python（C++ 客户端）的规则；Java 客户端在重试次数、超时预算等方面不同，用顶部的客户端切换对比。",
            "This run follows rocketmq-client-python (the C++ client); the Java client differs in retries, the timeout budget and more: compare with the client switch.",
        )),
        (CodeLang::Python, Flavor::Java4) => f.notes.push(Note::new(
            "这次运行按 Java 客户端的规则；同样的 Python 代码在 C++ 客户端下行为不同。",
            "This run follows the Java client's rules; the same Python code behaves differently under the C++ client.",
        )),
        _ => {}
    }
}

// ----------------------------------------------------------------- producer plan

/// A message field that is the same for every send of a producer, or varies.
#[derive(Clone, Debug, PartialEq)]
enum Field<T> {
    Fixed(T),
    Varies,
}

impl<T: Clone + PartialEq> Field<T> {
    fn of(values: impl Iterator<Item = T>) -> Field<T> {
        let all: Vec<T> = values.collect();
        match all.first() {
            Some(first) if all.iter().all(|v| v == first) => Field::Fixed(first.clone()),
            _ => Field::Varies,
        }
    }
    fn varies(&self) -> bool {
        matches!(self, Field::Varies)
    }
}

/// What the producer program needs: the group, the modes, and which message
/// fields are constant (inlined, as in the tutorial) or vary per send call.
struct ProducerPlan<'a> {
    spec: &'a ProducerSpec,
    sends: Vec<&'a SendAction>,
    /// One send action: the tutorial's shape (`send_message_sync(count)` owns the producer).
    single: bool,
    file: String,
    modes: Vec<SendMode>,
    topic: Field<String>,
    tags: Field<Option<String>>,
    keys: Field<Option<String>>,
    properties: Field<BTreeMap<String, String>>,
    body: Field<String>,
    delay: Field<i64>,
    sharding: Field<Option<String>>,
    interval: Field<u64>,
    local: Field<Option<TxnState>>,
    checks: Vec<TxnState>,
    shutdown_at: Option<u64>,
}

impl<'a> ProducerPlan<'a> {
    fn new(sc: &'a Scenario, spec: &'a ProducerSpec, several: bool) -> ProducerPlan<'a> {
        let sends = sends_of(sc, &spec.id);
        let mut modes: Vec<SendMode> = Vec::new();
        for s in &sends {
            if !modes.contains(&s.mode) {
                modes.push(s.mode);
            }
        }
        let checks = sends
            .iter()
            .find(|s| !s.check_results.is_empty())
            .map(|s| s.check_results.clone())
            .unwrap_or_else(|| spec.check_results.clone());
        let shutdown_at = sc.actions.iter().find_map(|a| match a {
            Action::Shutdown { at, node } if *node == spec.id => Some(at.0),
            _ => None,
        });
        ProducerPlan {
            spec,
            single: sends.len() == 1,
            file: if several {
                format!("producer_{}", spec.id.replace(['-', '.'], "_"))
            } else {
                "producer".to_string()
            },
            modes,
            topic: Field::of(sends.iter().map(|s| s.topic.clone())),
            tags: Field::of(sends.iter().map(|s| s.tags.clone())),
            keys: Field::of(sends.iter().map(|s| s.keys.clone())),
            properties: Field::of(sends.iter().map(|s| s.properties.clone())),
            body: Field::of(sends.iter().map(|s| s.body.clone())),
            delay: Field::of(sends.iter().map(|s| s.delay_level)),
            sharding: Field::of(sends.iter().map(|s| s.sharding_key.clone())),
            interval: Field::of(sends.iter().map(|s| s.interval.0)),
            local: Field::of(sends.iter().map(|s| s.local_result)),
            checks,
            shutdown_at,
            sends,
        }
    }

    fn has(&self, mode: SendMode) -> bool {
        self.modes.contains(&mode)
    }

    fn any_interval(&self) -> bool {
        self.sends.iter().any(|s| s.interval.0 > 0)
    }

    /// The `create_message` parameters that vary, in a fixed order.
    fn message_params(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.topic.varies() {
            v.push("topic");
        }
        if self.keys.varies() {
            v.push("keys");
        }
        if self.tags.varies() {
            v.push("tags");
        }
        if self.delay.varies() {
            v.push("delay_level");
        }
        if self.properties.varies() {
            v.push("properties");
        }
        if self.body.varies() {
            v.push("body");
        }
        v
    }

    /// The send helper's extra parameters that vary.
    fn send_params(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.sharding.varies() {
            v.push("sharding_key");
        }
        if self.interval.varies() {
            v.push("interval");
        }
        v
    }

    fn fixed_interval(&self) -> u64 {
        match &self.interval {
            Field::Fixed(ms) => *ms,
            Field::Varies => 0,
        }
    }
}

/// A Python argument for one send action's value of `param`.
fn py_arg(s: &SendAction, param: &str) -> String {
    match param {
        "topic" => py_str(&s.topic),
        "keys" => s.keys.as_deref().map(py_str).unwrap_or_else(|| "None".into()),
        "tags" => s.tags.as_deref().map(py_str).unwrap_or_else(|| "None".into()),
        "delay_level" => s.delay_level.to_string(),
        "properties" => {
            let items: Vec<String> =
                s.properties.iter().map(|(k, v)| format!("{}: {}", py_str(k), py_str(v))).collect();
            format!("{{{}}}", items.join(", "))
        }
        "body" => py_str(&s.body),
        "sharding_key" => s.sharding_key.as_deref().map(py_str).unwrap_or_else(|| "None".into()),
        "interval" => py_seconds(s.interval.0),
        _ => String::new(),
    }
}

/// A Java argument for one send action's value of `param`.
fn java_arg(s: &SendAction, param: &str) -> String {
    match param {
        "topic" => java_str(&s.topic),
        "keys" => s.keys.as_deref().map(java_str).unwrap_or_else(|| "null".into()),
        "tags" => s.tags.as_deref().map(java_str).unwrap_or_else(|| "null".into()),
        "delay_level" => s.delay_level.to_string(),
        "properties" => {
            let items: Vec<String> =
                s.properties.iter().map(|(k, v)| format!("{}, {}", java_str(k), java_str(v))).collect();
            format!("Map.of({})", items.join(", "))
        }
        "body" => java_str(&s.body),
        "sharding_key" => s.sharding_key.as_deref().map(java_str).unwrap_or_else(|| "null".into()),
        "interval" => s.interval.0.to_string(),
        _ => String::new(),
    }
}

fn java_param(param: &str) -> &'static str {
    match param {
        "topic" => "String topic",
        "keys" => "String keys",
        "tags" => "String tags",
        "delay_level" => "int delayLevel",
        "properties" => "Map<String, String> properties",
        "body" => "String body",
        "sharding_key" => "String shardingKey",
        "interval" => "long intervalMillis",
        _ => "",
    }
}

fn java_name(param: &str) -> &'static str {
    match param {
        "topic" => "topic",
        "keys" => "keys",
        "tags" => "tags",
        "delay_level" => "delayLevel",
        "properties" => "properties",
        "body" => "body",
        "sharding_key" => "shardingKey",
        "interval" => "intervalMillis",
        _ => "",
    }
}

fn mode_fn(mode: SendMode) -> &'static str {
    match mode {
        SendMode::Sync => "sync",
        SendMode::Async => "async",
        SendMode::Oneway => "oneway",
        SendMode::Orderly => "orderly",
        SendMode::Transaction => "transaction",
    }
}

fn producer_notes(sc: &Scenario, plan: &ProducerPlan, lang: CodeLang) -> Vec<Note> {
    let mut notes = Vec::new();
    if lang == CodeLang::Python && plan.has(SendMode::Async) {
        notes.push(Note::new(
            "rocketmq-client-python 2.x 没有 send_async（2019 年 11 月移除，“can not support async send anymore”）。下面被注释的那行是 1.x 的写法；模拟按 C++ 客户端的异步规则运行：只尝试 1 次，不重试。Java 的写法见 Java 页签。",
            "rocketmq-client-python 2.x has no send_async (removed in November 2019: \"can not support async send anymore\"). The commented-out line below is the 1.x call; the simulation follows the C++ client's async rules: one attempt, no retry. See the Java tab for the Java version.",
        ));
    }
    if lang == CodeLang::Python && plan.has(SendMode::Orderly) {
        notes.push(Note::new(
            "send_orderly_with_sharding_key 用 std::hash(分片键) % 队列数 选队列；失败时最多再重试 3 次，而且会换到别的 Broker。",
            "send_orderly_with_sharding_key picks queue std::hash(key) % queue count; on failure it retries up to 3 more times, on another broker.",
        ));
    }
    if lang == CodeLang::Java && plan.has(SendMode::Orderly) {
        notes.push(Note::new(
            "SelectMessageQueueByHash 用 String.hashCode()，与 Python 的 std::hash 不同，同一个键可能进不同的队列；选择器发送只尝试 1 次。",
            "SelectMessageQueueByHash uses String.hashCode(), unlike Python's std::hash, so a key may map to another queue; a selector send makes a single attempt.",
        ));
    }
    if lang == CodeLang::Python && plan.spec.retry_times.is_some() {
        notes.push(Note::new(
            "Python 客户端没有设置重试次数的方法（C++ 默认 5 次尝试）；模拟里的 retry_times 只能在 C++ 层设置。",
            "The Python client has no setter for the retry count (C++ makes 5 attempts); the scenario's retry_times exists only at the C++ level.",
        ));
    }
    if lang == CodeLang::Python && plan.spec.send_latency_fault_enable {
        notes.push(Note::new(
            "延迟故障规避（sendLatencyFaultEnable）只有 Java 客户端有。",
            "Latency fault tolerance (sendLatencyFaultEnable) exists only in the Java client.",
        ));
    }
    if plan.shutdown_at.is_some() && plan.has(SendMode::Async) {
        notes.push(Note::new(
            format!(
                "这个场景在 {} ms 调用 shutdown()：此时还没返回的回调永远不会执行。",
                plan.shutdown_at.unwrap_or(0)
            ),
            format!(
                "This scenario calls shutdown() at {} ms: callbacks still pending then never run.",
                plan.shutdown_at.unwrap_or(0)
            ),
        ));
    }
    let _ = sc;
    notes
}

// ----------------------------------------------------------------- Python producer

fn python_producer(sc: &Scenario, plan: &ProducerPlan, ui: Lang) -> CodeFile {
    let mut l = Lines::new();
    let txn = plan.has(SendMode::Transaction);
    l.line(format!("# {}.py", plan.file));
    if txn {
        l.line("from rocketmq.client import TransactionMQProducer, Message, TransactionStatus");
    } else {
        l.line("from rocketmq.client import Producer, Message");
    }
    if plan.any_interval() {
        l.line("import time");
    }
    l.blank();
    if let Field::Fixed(topic) = &plan.topic {
        l.line(format!("topic = {}", py_str(topic)));
        l.blank();
    }
    l.blank();
    py_create_message(&mut l, plan, ui);
    if txn {
        py_transaction_callbacks(&mut l, plan, ui);
    }
    if plan.has(SendMode::Async) {
        py_async_callbacks(&mut l, ui);
    }
    if plan.single {
        py_single_send(&mut l, plan, ui);
    } else {
        py_multi_send(&mut l, plan, ui);
    }
    CodeFile {
        lang: CodeLang::Python,
        role: Role::Producer,
        name: format!("{}.py", plan.file),
        nodes: vec![plan.spec.id.clone()],
        lines: l.0,
        notes: producer_notes(sc, plan, CodeLang::Python),
    }
}

fn py_create_message(l: &mut Lines, plan: &ProducerPlan, ui: Lang) {
    let params = plan.message_params();
    l.line(format!("def create_message({}):", params.join(", ")));
    l.line("    msg = Message(topic)");
    match &plan.keys {
        Field::Fixed(Some(k)) => l.line(format!("    msg.set_keys({})", py_str(k))),
        Field::Fixed(None) => {}
        Field::Varies => {
            l.line("    if keys:");
            l.line("        msg.set_keys(keys)");
        }
    }
    match &plan.tags {
        Field::Fixed(Some(t)) => l.line(format!("    msg.set_tags({})", py_str(t))),
        Field::Fixed(None) => {}
        Field::Varies => {
            l.line("    if tags:");
            l.line("        msg.set_tags(tags)");
        }
    }
    let delay_comment = tr(
        ui,
        "  # 设置时间的级别 1s5s10s30s1m2m3m4m5m6m7m8m9m10m20m30m1h2h",
        "  # delay levels 1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h",
    );
    match &plan.delay {
        Field::Fixed(0) => {}
        Field::Fixed(level) => {
            l.blank();
            let after = match ui {
                Lang::Zh => format!(" 延时{}", level_delay(*level, ui)),
                Lang::En => format!(": level {level} = {}", level_delay(*level, ui)),
            };
            l.line(format!("    msg.set_delay_time_level({level}){delay_comment}{after}"));
            l.blank();
        }
        Field::Varies => {
            l.line("    if delay_level:");
            l.line(format!("        msg.set_delay_time_level(delay_level){delay_comment}"));
        }
    }
    let header_comment = tr(ui, "  # 类似http中的header", "  # like an HTTP header");
    match &plan.properties {
        Field::Fixed(props) => {
            for (i, (k, v)) in props.iter().enumerate() {
                let comment = if i == 0 { header_comment } else { "" };
                l.line(format!("    msg.set_property({}, {}){comment}", py_str(k), py_str(v)));
            }
        }
        Field::Varies => {
            l.line("    for key, value in properties.items():");
            l.line(format!("        msg.set_property(key, value){header_comment}"));
        }
    }
    let body_comment = tr(ui, "  # 发送的消息内容", "  # the message content");
    match &plan.body {
        Field::Fixed(body) => l.line(format!("    msg.set_body({}){body_comment}", py_str(body))),
        Field::Varies => l.line(format!("    msg.set_body(body){body_comment}")),
    }
    l.line("    return msg");
    l.blank();
    l.blank();
}

fn py_transaction_callbacks(l: &mut Lines, plan: &ProducerPlan, ui: Lang) {
    let checks = if plan.checks.is_empty() { vec![TxnState::Unknown] } else { plan.checks.clone() };
    if checks.len() > 1 {
        l.line("checks = 0");
        l.blank();
        l.blank();
    }
    l.line("def check_callback(msg):");
    if checks.len() > 1 {
        l.line("    global checks");
        l.line("    checks += 1");
    }
    l.add(
        format!("    print(f\"{}{{msg.id}}\")", tr(ui, "Broker 回查事务：", "the broker checks transaction ")),
        &[h("txn_check")],
    );
    for (i, state) in checks.iter().enumerate() {
        let hook = [hd("txn_check", txn_detail(*state))];
        if i + 1 < checks.len() {
            l.line(format!("    if checks == {}:", i + 1));
            l.add(format!("        return {}", py_txn(*state)), &hook);
        } else {
            l.add(format!("    return {}", py_txn(*state)), &hook);
        }
    }
    l.blank();
    l.blank();
    l.line("def local_execute(msg, user_args):");
    l.line(tr(
        ui,
        "    # 在这里执行本地事务（例如写订单表）",
        "    # run the local transaction here (write the order row, say)",
    ));
    let local = match &plan.local {
        Field::Fixed(Some(s)) => *s,
        _ => plan.sends.iter().find_map(|s| s.local_result).unwrap_or(TxnState::Unknown),
    };
    l.add(format!("    return {}", py_txn(local)), &[h("txn_local"), h("txn_end")]);
    l.blank();
    l.blank();
}

fn py_async_callbacks(l: &mut Lines, ui: Lang) {
    l.line("def on_success(ret):");
    l.add(
        format!(
            "    print(f\"{}{{ret.status}}, {}{{ret.msg_id}}\")",
            tr(ui, "发送状态：", "send status: "),
            tr(ui, "消息id：", "msg id: ")
        ),
        &[h("send_result")],
    );
    l.blank();
    l.blank();
    l.line("def on_exception(e):");
    l.add(format!("    print(f\"{}{{e}}\")", tr(ui, "发送失败：", "send failed: ")), &[h("send_failed")]);
    l.blank();
    l.blank();
}

/// The send statement(s) inside the loop, for one mode.
fn py_send_stmt(l: &mut Lines, mode: SendMode, sharding: &str, indent: &str, ui: Lang) {
    let print_result = |l: &mut Lines| {
        l.line(format!(
            "{indent}print(f\"{}{{ret.status}}, {}{{ret.msg_id}}\")",
            tr(ui, "发送状态：", "send status: "),
            tr(ui, "消息id：", "msg id: ")
        ))
    };
    match mode {
        SendMode::Sync => {
            l.add(format!("{indent}ret = producer.send_sync(msg)"), SEND_HOOKS);
            print_result(l);
        }
        SendMode::Oneway => {
            l.add(
                format!(
                    "{indent}producer.send_oneway(msg){}",
                    tr(ui, "  # 不等结果，也不重试", "  # no result, no retry")
                ),
                SEND_HOOKS,
            );
        }
        SendMode::Orderly => {
            l.add(format!("{indent}ret = producer.send_orderly_with_sharding_key(msg, {sharding})"), SEND_HOOKS);
            print_result(l);
        }
        SendMode::Transaction => {
            l.add(format!("{indent}ret = producer.send_message_in_transaction(msg, local_execute, None)"), SEND_HOOKS);
            print_result(l);
        }
        SendMode::Async => {
            l.line(format!(
                "{indent}{}",
                tr(ui, "# 2.x 没有 send_async，下面是 1.x 的写法：", "# 2.x has no send_async; this is the 1.x call:")
            ));
            l.add(format!("{indent}# producer.send_async(msg, on_success, on_exception)"), ASYNC_SEND_HOOKS);
        }
    }
}

fn py_single_send(l: &mut Lines, plan: &ProducerPlan, ui: Lang) {
    let s = plan.sends[0];
    let mode = s.mode;
    let (fn_name, doc_zh, doc_en) = match mode {
        SendMode::Sync => ("send_message_sync", "同步方式发送消息", "Send messages synchronously"),
        SendMode::Async => ("send_message_async", "异步方式发送消息", "Send messages asynchronously"),
        SendMode::Oneway => ("send_message_oneway", "单向方式发送消息", "Send messages oneway"),
        SendMode::Orderly => ("send_message_orderly", "按分片键顺序发送消息", "Send ordered messages by sharding key"),
        SendMode::Transaction => ("send_message_in_transaction", "发送事务消息", "Send transactional messages"),
    };
    l.line(format!("def {fn_name}(count):"));
    l.line(format!("    \"\"\"{}\"\"\"", tr(ui, doc_zh, doc_en)));
    py_new_producer(l, plan, "    ");
    l.line(format!("    producer.set_name_server_address({})", py_str(NAME_SERVER_ADDRESS)));
    l.blank();
    l.line(tr(ui, "    # 首先启动producer", "    # start the producer first"));
    l.add("    producer.start()", &[h("route_updated")]);
    l.line("    for n in range(count):");
    l.line("        msg = create_message()");
    let sharding = s.sharding_key.as_deref().map(py_str).unwrap_or_else(|| "None".into());
    py_send_stmt(l, mode, &sharding, "        ", ui);
    if s.interval.0 > 0 {
        l.line(format!("        time.sleep({})", py_seconds(s.interval.0)));
    }
    l.line(format!("    print({})", py_str(tr(ui, "消息发送完成", "all messages sent"))));
    l.add("    producer.shutdown()", &[h("callback_lost")]);
    l.blank();
    l.blank();
    l.line("if __name__ == '__main__':");
    let what = match mode {
        SendMode::Sync if s.delay_level > 0 => tr(ui, "发送延时消息", "send delayed messages"),
        SendMode::Sync => tr(ui, "发送普通消息", "send normal messages"),
        SendMode::Async => tr(ui, "异步发送", "send asynchronously"),
        SendMode::Oneway => tr(ui, "单向发送", "send oneway"),
        SendMode::Orderly => tr(ui, "发送顺序消息", "send ordered messages"),
        SendMode::Transaction => tr(ui, "发送事务消息", "send transactional messages"),
    };
    l.line(format!("    {fn_name}({})  # {what}", s.count));
}

fn py_new_producer(l: &mut Lines, plan: &ProducerPlan, indent: &str) {
    let group = py_str(&plan.spec.group);
    let timeout = plan.spec.send_timeout.map(|t| format!(", timeout={}", t.0)).unwrap_or_default();
    if plan.has(SendMode::Transaction) {
        l.line(format!("{indent}producer = TransactionMQProducer({group}, check_callback{timeout})"));
    } else {
        l.line(format!("{indent}producer = Producer({group}{timeout})"));
    }
}

fn py_multi_send(l: &mut Lines, plan: &ProducerPlan, ui: Lang) {
    let msg_params = plan.message_params();
    let send_params = plan.send_params();
    for &mode in &plan.modes {
        let fn_name = if plan.modes.len() == 1 {
            "send_messages".to_string()
        } else {
            format!("send_messages_{}", mode_fn(mode))
        };
        let mut params = vec!["producer", "count"];
        params.extend(msg_params.iter().copied());
        params.extend(send_params.iter().copied());
        l.line(format!("def {fn_name}({}):", params.join(", ")));
        l.line("    for n in range(count):");
        l.line(format!("        msg = create_message({})", msg_params.join(", ")));
        let sharding = match &plan.sharding {
            Field::Fixed(k) => k.as_deref().map(py_str).unwrap_or_else(|| "None".into()),
            Field::Varies => "sharding_key".into(),
        };
        py_send_stmt(l, mode, &sharding, "        ", ui);
        if plan.interval.varies() {
            l.line("        time.sleep(interval)");
        } else if plan.fixed_interval() > 0 {
            l.line(format!("        time.sleep({})", py_seconds(plan.fixed_interval())));
        }
        l.blank();
        l.blank();
    }
    l.line("if __name__ == '__main__':");
    py_new_producer(l, plan, "    ");
    l.line(format!("    producer.set_name_server_address({})", py_str(NAME_SERVER_ADDRESS)));
    l.add("    producer.start()", &[h("route_updated")]);
    for s in &plan.sends {
        let fn_name = if plan.modes.len() == 1 {
            "send_messages".to_string()
        } else {
            format!("send_messages_{}", mode_fn(s.mode))
        };
        let mut args = vec!["producer".to_string(), s.count.to_string()];
        args.extend(msg_params.iter().map(|p| py_arg(s, p)));
        args.extend(send_params.iter().map(|p| py_arg(s, p)));
        l.line(format!("    {fn_name}({})", args.join(", ")));
    }
    l.add("    producer.shutdown()", &[h("callback_lost")]);
}

// ----------------------------------------------------------------- Python consumer

fn consumer_notes(spec: &ConsumerSpec, lang: CodeLang, sc: &Scenario) -> Vec<Note> {
    let mut notes = Vec::new();
    if lang == CodeLang::Python {
        if spec.max_reconsume_times.is_some() {
            notes.push(Note::new(
                "Python 客户端不能修改 maxReconsumeTimes（固定 16）；这是 Java 客户端的设置。",
                "The Python client cannot change maxReconsumeTimes (fixed at 16); this is a Java client setting.",
            ));
        }
        if spec.allocate == Allocation::AveragelyByCircle {
            notes.push(Note::new(
                "AllocateMessageQueueAveragelyByCircle 只有 Java 客户端有。",
                "AllocateMessageQueueAveragelyByCircle exists only in the Java client.",
            ));
        }
        if spec.consume_from_where == ConsumeFromWhere::FirstOffset {
            notes.push(Note::new(
                "Python 客户端不能设置 consumeFromWhere（固定 CONSUME_FROM_LAST_OFFSET）。",
                "The Python client cannot set consumeFromWhere (it is always CONSUME_FROM_LAST_OFFSET).",
            ));
        }
        if spec.listener == ListenerKind::Orderly && sc.client == Flavor::PythonCpp {
            notes.push(Note::new(
                "顺序消费失败时，Python（C++）客户端只会 1 秒后（16 次之后每 5 秒）重试同一条消息，永远不会送进死信队列。",
                "When an orderly callback fails, the Python (C++) client retries the same message after 1 s (every 5 s after 16 failures) and never sends it to the dead-letter queue.",
            ));
        }
    }
    if spec.model == MessageModel::Broadcasting {
        notes.push(Note::new(
            "广播模式下消费失败不会重试：消息只是被丢弃。",
            "In broadcasting mode a failed message is not retried: it is dropped.",
        ));
    }
    notes
}

/// The Python condition under which this consumer's listener fails a delivery,
/// and whether keyed messages return `result` after the failures.
fn py_fail_condition(spec: &ConsumerSpec) -> Option<String> {
    let b = &spec.behavior;
    let keyed = b.fail_keys.as_deref().map(|k| format!("msg.keys == {}", py_bytes(k)));
    match (b.fail_times, keyed) {
        (0, _) => None,
        (n, Some(k)) => Some(format!("{k} and msg.reconsume_times < {n}")),
        (n, None) => Some(format!("msg.reconsume_times < {n}")),
    }
}

fn py_bytes(s: &str) -> String {
    if s.is_ascii() {
        format!("b{}", py_str(s))
    } else {
        format!("{}.encode(\"utf-8\")", py_str(s))
    }
}

fn py_status(r: ConsumeResult) -> &'static str {
    match r {
        ConsumeResult::ConsumeSuccess => "ConsumeStatus.CONSUME_SUCCESS",
        _ => "ConsumeStatus.RECONSUME_LATER",
    }
}

/// The hooks of a line returning `r`.
fn result_hooks(r: ConsumeResult) -> &'static [Hook] {
    match r {
        ConsumeResult::ConsumeSuccess => SUCCESS_HOOKS,
        _ => FAIL_HOOKS,
    }
}

fn py_return(l: &mut Lines, r: ConsumeResult, indent: &str, ui: Lang) {
    if r == ConsumeResult::Throw {
        l.add(
            format!(
                "{indent}raise Exception({}){}",
                py_str(tr(ui, "处理失败", "processing failed")),
                tr(ui, "  # 抛异常等同 RECONSUME_LATER", "  # raising counts as RECONSUME_LATER")
            ),
            FAIL_HOOKS,
        );
    } else {
        l.add(format!("{indent}return {}", py_status(r)), result_hooks(r));
    }
}

fn uses_name_property(sc: &Scenario) -> bool {
    sc.actions.iter().any(|a| matches!(a, Action::Send(s) if s.properties.contains_key("name")))
}

fn python_consumer(sc: &Scenario, spec: &ConsumerSpec, ids: &[String], name_hint: Option<&str>, ui: Lang) -> CodeFile {
    let mut l = Lines::new();
    let b = &spec.behavior;
    let broadcasting = spec.model == MessageModel::Broadcasting;
    if broadcasting {
        l.line("from rocketmq.client import PushConsumer, ConsumeStatus, MessageModel");
    } else {
        l.line("from rocketmq.client import PushConsumer, ConsumeStatus");
    }
    l.line("import time");
    l.blank();
    let single_topic = spec.subscribe.len() == 1;
    if single_topic {
        l.line(format!("topic = {}", py_str(&spec.subscribe[0].topic)));
        l.blank();
    }
    l.blank();
    l.line("def callback(msg):");
    let print = if uses_name_property(sc) {
        "    print(msg.id, msg.body.decode(\"utf-8\"), msg.get_property(\"name\"))"
    } else {
        "    print(msg.id, msg.body.decode(\"utf-8\"))"
    };
    l.add(print, &[h("delivered")]);
    if b.consume_time.0 > 1 {
        l.line(format!(
            "    time.sleep({}){}",
            py_seconds(b.consume_time.0),
            tr(ui, "  # 模拟耗时的业务处理", "  # slow business logic")
        ));
    }
    let fail = b.fail_with.unwrap_or(ConsumeResult::ReconsumeLater);
    if let Some(cond) = py_fail_condition(spec) {
        l.line(format!("    if {cond}:"));
        py_return(&mut l, fail, "        ", ui);
    }
    match (&b.fail_keys, b.result.is_success()) {
        (Some(k), false) => {
            l.line(format!("    if msg.keys == {}:", py_bytes(k)));
            py_return(&mut l, b.result, "        ", ui);
            py_return(&mut l, ConsumeResult::ConsumeSuccess, "    ", ui);
        }
        _ => py_return(&mut l, b.result, "    ", ui),
    }
    l.blank();
    l.blank();
    l.line("def start_consume_message():");
    l.line(format!("    \"\"\"{}\"\"\"", tr(ui, "消费信息", "Consume messages")));
    let mut args = vec![py_str(&spec.group)];
    if spec.listener == ListenerKind::Orderly {
        args.push("orderly=True".into());
    }
    if broadcasting {
        args.push("message_model=MessageModel.BROADCASTING".into());
    }
    l.line(format!("    consumer = PushConsumer({})", args.join(", ")));
    l.line(format!("    consumer.set_name_server_address({})", py_str(NAME_SERVER_ADDRESS)));
    if let Some(n) = spec.consume_threads {
        l.line(format!("    consumer.set_thread_count({n})"));
    }
    for s in &spec.subscribe {
        let topic = if single_topic { "topic".to_string() } else { py_str(&s.topic) };
        let expr = if s.expression == "*" { String::new() } else { format!(", {}", py_str(&s.expression)) };
        l.line(format!("    consumer.subscribe({topic}, callback{expr})"));
    }
    l.line(format!("    print({})", py_str(tr(ui, "开始消费消息", "consuming messages"))));
    l.add("    consumer.start()", START_HOOKS);
    l.blank();
    l.line("    while True:");
    l.line("        time.sleep(3600)");
    l.blank();
    l.blank();
    l.line("if __name__ == '__main__':");
    l.line("    start_consume_message()");
    CodeFile {
        lang: CodeLang::Python,
        role: Role::Consumer,
        name: match name_hint {
            Some(id) => format!("consumer_{}.py", id.replace(['-', '.'], "_")),
            None => "consumer.py".to_string(),
        },
        nodes: ids.to_vec(),
        lines: l.0,
        notes: consumer_notes(spec, CodeLang::Python, sc),
    }
}

// ----------------------------------------------------------------- Java producer

fn java_producer(sc: &Scenario, plan: &ProducerPlan, ui: Lang) -> CodeFile {
    let mut l = Lines::new();
    let txn = plan.has(SendMode::Transaction);
    let class = if plan.file == "producer" {
        "Producer".to_string()
    } else {
        format!("Producer{}", plan.spec.id.split(['-', '_', '.']).map(capitalize).collect::<String>())
    };
    l.line("import java.nio.charset.StandardCharsets;");
    if plan.properties.varies() {
        l.line("import java.util.Map;");
    }
    if txn && plan.checks.len() > 1 {
        l.line("import java.util.concurrent.atomic.AtomicInteger;");
    }
    if txn {
        l.line("import org.apache.rocketmq.client.producer.LocalTransactionState;");
        l.line("import org.apache.rocketmq.client.producer.TransactionListener;");
        l.line("import org.apache.rocketmq.client.producer.TransactionMQProducer;");
    } else {
        l.line("import org.apache.rocketmq.client.producer.DefaultMQProducer;");
    }
    if plan.has(SendMode::Async) {
        l.line("import org.apache.rocketmq.client.producer.SendCallback;");
    }
    l.line("import org.apache.rocketmq.client.producer.SendResult;");
    if plan.has(SendMode::Orderly) {
        l.line("import org.apache.rocketmq.client.producer.selector.SelectMessageQueueByHash;");
    }
    l.line("import org.apache.rocketmq.common.message.Message;");
    if txn {
        l.line("import org.apache.rocketmq.common.message.MessageExt;");
    }
    l.blank();
    l.line(format!("public class {class} {{"));
    let producer_type = if txn { "TransactionMQProducer" } else { "DefaultMQProducer" };
    if plan.single {
        l.line("    public static void main(String[] args) throws Exception {");
        java_new_producer(&mut l, plan, producer_type, ui);
        let s = plan.sends[0];
        l.line(format!("        for (int i = 0; i < {}; i++) {{", s.count));
        java_message(&mut l, plan, Some(s), "            ");
        let sharding = s.sharding_key.as_deref().map(java_str).unwrap_or_else(|| "null".into());
        java_send_stmt(&mut l, s.mode, &sharding, "            ", ui);
        if s.interval.0 > 0 {
            l.line(format!("            Thread.sleep({});", s.interval.0));
        }
        l.line("        }");
        java_shutdown(&mut l, plan, ui);
        l.line("    }");
    } else {
        let msg_params = plan.message_params();
        let send_params = plan.send_params();
        for &mode in &plan.modes {
            let fn_name = if plan.modes.len() == 1 {
                "sendMessages".to_string()
            } else {
                format!("send{}", capitalize(mode_fn(mode)))
            };
            let mut params = vec![format!("{producer_type} producer"), "int count".to_string()];
            params.extend(msg_params.iter().map(|p| java_param(p).to_string()));
            params.extend(send_params.iter().map(|p| java_param(p).to_string()));
            l.line(format!("    static void {fn_name}({}) throws Exception {{", params.join(", ")));
            l.line("        for (int i = 0; i < count; i++) {");
            java_message(&mut l, plan, None, "            ");
            let sharding = match &plan.sharding {
                Field::Fixed(k) => k.as_deref().map(java_str).unwrap_or_else(|| "null".into()),
                Field::Varies => "shardingKey".into(),
            };
            java_send_stmt(&mut l, mode, &sharding, "            ", ui);
            if plan.interval.varies() {
                l.line("            Thread.sleep(intervalMillis);");
            } else if plan.fixed_interval() > 0 {
                l.line(format!("            Thread.sleep({});", plan.fixed_interval()));
            }
            l.line("        }");
            l.line("    }");
            l.blank();
        }
        l.line("    public static void main(String[] args) throws Exception {");
        java_new_producer(&mut l, plan, producer_type, ui);
        for s in &plan.sends {
            let fn_name = if plan.modes.len() == 1 {
                "sendMessages".to_string()
            } else {
                format!("send{}", capitalize(mode_fn(s.mode)))
            };
            let mut args = vec!["producer".to_string(), s.count.to_string()];
            args.extend(msg_params.iter().map(|p| java_arg(s, p)));
            args.extend(send_params.iter().map(|p| java_arg(s, p)));
            l.line(format!("        {fn_name}({});", args.join(", ")));
        }
        java_shutdown(&mut l, plan, ui);
        l.line("    }");
    }
    l.line("}");
    CodeFile {
        lang: CodeLang::Java,
        role: Role::Producer,
        name: format!("{class}.java"),
        nodes: vec![plan.spec.id.clone()],
        lines: l.0,
        notes: producer_notes(sc, plan, CodeLang::Java),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn java_new_producer(l: &mut Lines, plan: &ProducerPlan, producer_type: &str, ui: Lang) {
    l.line(format!("        {producer_type} producer = new {producer_type}({});", java_str(&plan.spec.group)));
    l.line(format!("        producer.setNamesrvAddr({});", java_str(NAME_SERVER_ADDRESS)));
    if let Some(t) = plan.spec.send_timeout {
        l.line(format!("        producer.setSendMsgTimeout({});", t.0));
    }
    if let Some(r) = plan.spec.retry_times {
        l.line(format!("        producer.setRetryTimesWhenSendFailed({r});"));
    }
    if plan.spec.retry_another_broker_when_not_store_ok {
        l.line("        producer.setRetryAnotherBrokerWhenNotStoreOK(true);");
    }
    if plan.spec.send_latency_fault_enable {
        l.line("        producer.setSendLatencyFaultEnable(true);");
    }
    if plan.has(SendMode::Transaction) {
        java_transaction_listener(l, plan, ui);
    }
    l.add("        producer.start();", &[h("route_updated")]);
}

fn java_transaction_listener(l: &mut Lines, plan: &ProducerPlan, ui: Lang) {
    let checks = if plan.checks.is_empty() { vec![TxnState::Unknown] } else { plan.checks.clone() };
    if checks.len() > 1 {
        l.line("        AtomicInteger checks = new AtomicInteger();");
    }
    l.line("        producer.setTransactionListener(new TransactionListener() {");
    l.line("            @Override");
    l.line("            public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {");
    l.line(tr(
        ui,
        "                // 在这里执行本地事务（例如写订单表）",
        "                // run the local transaction here (write the order row, say)",
    ));
    let local = match &plan.local {
        Field::Fixed(Some(s)) => *s,
        _ => plan.sends.iter().find_map(|s| s.local_result).unwrap_or(TxnState::Unknown),
    };
    l.add(format!("                return {};", java_txn(local)), &[h("txn_local"), h("txn_end")]);
    l.line("            }");
    l.blank();
    l.line("            @Override");
    l.line("            public LocalTransactionState checkLocalTransaction(MessageExt msg) {");
    if checks.len() > 1 {
        l.add("                int n = checks.incrementAndGet();", &[h("txn_check")]);
    }
    for (i, state) in checks.iter().enumerate() {
        let hook = [hd("txn_check", txn_detail(*state))];
        if i + 1 < checks.len() {
            l.line(format!("                if (n == {}) {{", i + 1));
            l.add(format!("                    return {};", java_txn(*state)), &hook);
            l.line("                }");
        } else {
            let mut hooks = hook.to_vec();
            if checks.len() == 1 {
                hooks.push(h("txn_check"));
            }
            l.add(format!("                return {};", java_txn(*state)), &hooks);
        }
    }
    l.line("            }");
    l.line("        });");
}

/// The message construction lines; `fixed` is the single send (values inlined)
/// or `None` inside the helper, where varying fields are parameters.
fn java_message(l: &mut Lines, plan: &ProducerPlan, fixed: Option<&SendAction>, indent: &str) {
    let value = |field_varies: bool, param: &str, lit: String| {
        if field_varies && fixed.is_none() {
            java_name(param).to_string()
        } else {
            lit
        }
    };
    let first = fixed.unwrap_or(plan.sends[0]);
    let topic = value(plan.topic.varies(), "topic", java_str(&first.topic));
    let body = value(plan.body.varies(), "body", java_str(&first.body));
    l.line(format!("{indent}Message msg = new Message({topic}, {body}.getBytes(StandardCharsets.UTF_8));"));
    let optional = |l: &mut Lines, varies: bool, param: &str, current: &Option<String>, setter: &str| {
        if varies && fixed.is_none() {
            l.line(format!("{indent}if ({} != null) {{", java_name(param)));
            l.line(format!("{indent}    msg.{setter}({});", java_name(param)));
            l.line(format!("{indent}}}"));
        } else if let Some(v) = current {
            l.line(format!("{indent}msg.{setter}({});", java_str(v)));
        }
    };
    optional(l, plan.keys.varies(), "keys", &first.keys, "setKeys");
    optional(l, plan.tags.varies(), "tags", &first.tags, "setTags");
    if plan.properties.varies() && fixed.is_none() {
        l.line(format!("{indent}properties.forEach(msg::putUserProperty);"));
    } else {
        for (k, v) in &first.properties {
            l.line(format!("{indent}msg.putUserProperty({}, {});", java_str(k), java_str(v)));
        }
    }
    if plan.delay.varies() && fixed.is_none() {
        l.line(format!("{indent}if (delayLevel > 0) {{"));
        l.line(format!("{indent}    msg.setDelayTimeLevel(delayLevel);"));
        l.line(format!("{indent}}}"));
    } else if first.delay_level > 0 {
        l.line(format!("{indent}msg.setDelayTimeLevel({});", first.delay_level));
    }
}

fn java_send_stmt(l: &mut Lines, mode: SendMode, sharding: &str, indent: &str, ui: Lang) {
    let print = format!("{indent}System.out.printf(\"%s %s%n\", result.getSendStatus(), result.getMsgId());");
    match mode {
        SendMode::Sync => {
            l.add(format!("{indent}SendResult result = producer.send(msg);"), SEND_HOOKS);
            l.line(print);
        }
        SendMode::Oneway => {
            l.add(
                format!(
                    "{indent}producer.sendOneway(msg);{}",
                    tr(ui, "  // 不等结果，也不重试", "  // no result, no retry")
                ),
                SEND_HOOKS,
            );
        }
        SendMode::Orderly => {
            l.add(
                format!("{indent}SendResult result = producer.send(msg, new SelectMessageQueueByHash(), {sharding});"),
                SEND_HOOKS,
            );
            l.line(print);
        }
        SendMode::Transaction => {
            l.add(format!("{indent}SendResult result = producer.sendMessageInTransaction(msg, null);"), SEND_HOOKS);
            l.line(print);
        }
        SendMode::Async => {
            l.add(format!("{indent}producer.send(msg, new SendCallback() {{"), ASYNC_SEND_HOOKS);
            l.line(format!("{indent}    @Override"));
            l.line(format!("{indent}    public void onSuccess(SendResult result) {{"));
            l.add(
                format!("{indent}        System.out.printf(\"%s %s%n\", result.getSendStatus(), result.getMsgId());"),
                &[h("send_result")],
            );
            l.line(format!("{indent}    }}"));
            l.blank();
            l.line(format!("{indent}    @Override"));
            l.line(format!("{indent}    public void onException(Throwable e) {{"));
            l.add(format!("{indent}        e.printStackTrace();"), &[h("send_failed")]);
            l.line(format!("{indent}    }}"));
            l.line(format!("{indent}}});"));
        }
    }
}

fn java_shutdown(l: &mut Lines, plan: &ProducerPlan, ui: Lang) {
    if plan.has(SendMode::Async) {
        l.line(tr(
            ui,
            "        // 教程的提醒：等所有回调返回后再 shutdown，否则回调不会执行",
            "        // the tutorial's warning: wait for every callback before shutdown, or they never run",
        ));
    }
    l.add("        producer.shutdown();", &[h("callback_lost")]);
}

// ----------------------------------------------------------------- Java consumer

fn java_status(r: ConsumeResult, orderly: bool) -> &'static str {
    match (r, orderly) {
        (ConsumeResult::ConsumeSuccess, false) => "ConsumeConcurrentlyStatus.CONSUME_SUCCESS",
        (_, false) => "ConsumeConcurrentlyStatus.RECONSUME_LATER",
        (ConsumeResult::ConsumeSuccess, true) => "ConsumeOrderlyStatus.SUCCESS",
        (_, true) => "ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT",
    }
}

fn java_return(l: &mut Lines, r: ConsumeResult, orderly: bool, indent: &str, ui: Lang) {
    if r == ConsumeResult::Throw {
        l.add(
            format!(
                "{indent}throw new RuntimeException({});{}",
                java_str(tr(ui, "处理失败", "processing failed")),
                tr(ui, "  // 抛异常等同 RECONSUME_LATER", "  // throwing counts as RECONSUME_LATER")
            ),
            FAIL_HOOKS,
        );
    } else {
        l.add(format!("{indent}return {};", java_status(r, orderly)), result_hooks(r));
    }
}

fn java_consumer(sc: &Scenario, spec: &ConsumerSpec, ids: &[String], name_hint: Option<&str>, ui: Lang) -> CodeFile {
    let mut l = Lines::new();
    let orderly = spec.listener == ListenerKind::Orderly;
    let b = &spec.behavior;
    let class = match name_hint {
        Some(id) => format!("Consumer{}", id.split(['-', '_', '.']).map(capitalize).collect::<String>()),
        None => "Consumer".to_string(),
    };
    l.line("import java.nio.charset.StandardCharsets;");
    l.line("import java.util.List;");
    l.line("import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;");
    if orderly {
        l.line("import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyContext;");
        l.line("import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;");
        l.line("import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;");
    } else {
        l.line("import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;");
        l.line("import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;");
        l.line("import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;");
    }
    if spec.allocate == Allocation::AveragelyByCircle {
        l.line("import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragelyByCircle;");
    }
    if spec.consume_from_where == ConsumeFromWhere::FirstOffset {
        l.line("import org.apache.rocketmq.common.consumer.ConsumeFromWhere;");
    }
    l.line("import org.apache.rocketmq.common.message.MessageExt;");
    if spec.model == MessageModel::Broadcasting {
        l.line("import org.apache.rocketmq.common.protocol.heartbeat.MessageModel;");
    }
    l.blank();
    l.line(format!("public class {class} {{"));
    l.line("    public static void main(String[] args) throws Exception {");
    l.line(format!("        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer({});", java_str(&spec.group)));
    l.line(format!("        consumer.setNamesrvAddr({});", java_str(NAME_SERVER_ADDRESS)));
    if spec.model == MessageModel::Broadcasting {
        l.line("        consumer.setMessageModel(MessageModel.BROADCASTING);");
    }
    if let Some(n) = spec.consume_threads {
        l.line(format!("        consumer.setConsumeThreadMin({n});"));
        l.line(format!("        consumer.setConsumeThreadMax({n});"));
    }
    if let Some(m) = spec.max_reconsume_times {
        l.line(format!("        consumer.setMaxReconsumeTimes({m});"));
    }
    if spec.allocate == Allocation::AveragelyByCircle {
        l.line("        consumer.setAllocateMessageQueueStrategy(new AllocateMessageQueueAveragelyByCircle());");
    }
    if spec.consume_from_where == ConsumeFromWhere::FirstOffset {
        l.line("        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);");
    }
    for s in &spec.subscribe {
        l.line(format!("        consumer.subscribe({}, {});", java_str(&s.topic), java_str(&s.expression)));
    }
    let (listener, status, context) = if orderly {
        ("MessageListenerOrderly", "ConsumeOrderlyStatus", "ConsumeOrderlyContext")
    } else {
        ("MessageListenerConcurrently", "ConsumeConcurrentlyStatus", "ConsumeConcurrentlyContext")
    };
    l.line(format!("        consumer.registerMessageListener(new {listener}() {{"));
    l.line("            @Override");
    l.line(format!("            public {status} consumeMessage(List<MessageExt> msgs, {context} context) {{"));
    l.line("                for (MessageExt msg : msgs) {");
    let print = if uses_name_property(sc) {
        "                    System.out.printf(\"%s %s %s%n\", msg.getMsgId(), new String(msg.getBody(), StandardCharsets.UTF_8), msg.getUserProperty(\"name\"));"
    } else {
        "                    System.out.printf(\"%s %s%n\", msg.getMsgId(), new String(msg.getBody(), StandardCharsets.UTF_8));"
    };
    l.add(print, &[h("delivered")]);
    if b.consume_time.0 > 1 {
        l.line(format!(
            "                    sleep({});{}",
            b.consume_time.0,
            tr(ui, "  // 模拟耗时的业务处理", "  // slow business logic")
        ));
    }
    let fail = b.fail_with.unwrap_or(ConsumeResult::ReconsumeLater);
    if b.fail_times > 0 {
        let cond = match &b.fail_keys {
            Some(k) => format!("{}.equals(msg.getKeys()) && msg.getReconsumeTimes() < {}", java_str(k), b.fail_times),
            None => format!("msg.getReconsumeTimes() < {}", b.fail_times),
        };
        l.line(format!("                    if ({cond}) {{"));
        java_return(&mut l, fail, orderly, "                        ", ui);
        l.line("                    }");
    }
    let keyed_result = b.fail_keys.is_some() && !b.result.is_success();
    if keyed_result {
        l.line(format!(
            "                    if ({}.equals(msg.getKeys())) {{",
            java_str(b.fail_keys.as_deref().unwrap_or_default())
        ));
        java_return(&mut l, b.result, orderly, "                        ", ui);
        l.line("                    }");
    }
    l.line("                }");
    let last = if keyed_result { ConsumeResult::ConsumeSuccess } else { b.result };
    java_return(&mut l, last, orderly, "                ", ui);
    l.line("            }");
    l.line("        });");
    l.add("        consumer.start();", START_HOOKS);
    l.line("        System.out.printf(\"Consumer started.%n\");");
    l.line("    }");
    if b.consume_time.0 > 1 {
        l.blank();
        l.line("    static void sleep(long millis) {");
        l.line("        try {");
        l.line("            Thread.sleep(millis);");
        l.line("        } catch (InterruptedException e) {");
        l.line("            Thread.currentThread().interrupt();");
        l.line("        }");
        l.line("    }");
    }
    l.line("}");
    CodeFile {
        lang: CodeLang::Java,
        role: Role::Consumer,
        name: format!("{class}.java"),
        nodes: ids.to_vec(),
        lines: l.0,
        notes: consumer_notes(spec, CodeLang::Java, sc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmqsim::{Sim, TraceMode};

    fn preset(name: &str) -> Scenario {
        rmqsim::presets::find(name).unwrap().scenario().unwrap()
    }

    fn file<'a>(files: &'a [CodeFile], name: &str) -> &'a CodeFile {
        files
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", files.iter().map(|f| &f.name).collect::<Vec<_>>()))
    }

    /// The tutorial's producer.py, byte for byte (seed tutorial, 普通消息发送).
    const TUTORIAL_PRODUCER: &str = include_str!("../../tests/lab/fixtures/producer.py");

    /// The tutorial's consumer (消费者), byte for byte.
    const TUTORIAL_CONSUMER: &str = include_str!("../../tests/lab/fixtures/consumer.py");

    /// The tutorial's delay example (延迟消息), as printed there.
    const TUTORIAL_DELAY: &str = include_str!("../../tests/lab/fixtures/delay.py");

    #[test]
    fn tutorial_producer_comes_out_verbatim() {
        let files = generate(&preset("tutorial-basic"), CodeLang::Python, Lang::Zh);
        assert_eq!(file(&files, "producer.py").text(), TUTORIAL_PRODUCER);
    }

    #[test]
    fn tutorial_consumer_comes_out_verbatim() {
        let files = generate(&preset("tutorial-basic"), CodeLang::Python, Lang::Zh);
        assert_eq!(file(&files, "consumer.py").text(), TUTORIAL_CONSUMER);
    }

    #[test]
    fn tutorial_delay_example_comes_out_nearly_verbatim() {
        // Differences allowed: the file-name comment on top, PEP 8's two blank
        // lines before `if __name__`, and the last comment, which the tutorial
        // copied from producer.py ("send normal messages") and we correct.
        let files = generate(&preset("delay-tutorial"), CodeLang::Python, Lang::Zh);
        let ours = file(&files, "producer.py").text();
        let norm = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with("# producer.py"))
                .map(|l| l.replace("# 发送延时消息", "# 发送普通消息"))
                .collect()
        };
        assert_eq!(norm(&ours), norm(TUTORIAL_DELAY));
        assert!(ours.contains("    send_message_sync(5)  # 发送延时消息\n"));
    }

    #[test]
    fn english_comments_keep_the_code() {
        let files = generate(&preset("tutorial-basic"), CodeLang::Python, Lang::En);
        let text = file(&files, "producer.py").text();
        assert!(text.contains("    ret = producer.send_sync(msg)\n"));
        assert!(text.contains("# like an HTTP header"));
        assert!(!text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) && !"测试用内容".contains(c)));
    }

    #[test]
    fn hooks_point_at_the_send_callback_and_return_lines() {
        let files = generate(&preset("tutorial-basic"), CodeLang::Python, Lang::Zh);
        let producer = file(&files, "producer.py");
        let send = producer.line_for_key("send_attempt").unwrap();
        assert_eq!(producer.lines[send].text, "        ret = producer.send_sync(msg)");
        assert_eq!(producer.line_for_key("send_result"), Some(send));
        let consumer = file(&files, "consumer.py");
        let delivered = consumer.line_for_key("delivered").unwrap();
        assert!(consumer.lines[delivered].text.trim_start().starts_with("print(msg.id"));
        assert_eq!(consumer.lines[delivered - 1].text, "def callback(msg):");
        let consumed = consumer.line_for_key("consumed:CONSUME_SUCCESS").unwrap();
        assert_eq!(consumer.lines[consumed].text, "    return ConsumeStatus.CONSUME_SUCCESS");
    }

    #[test]
    fn every_record_of_the_tutorial_run_that_has_a_line_finds_it() {
        let sc = preset("tutorial-basic");
        let files = generate(&sc, CodeLang::Python, Lang::Zh);
        let mut sim = Sim::new(sc, TraceMode::Keep).unwrap();
        sim.run_until(2_000, 1_000_000);
        let recs = sim.core.trace.records();
        for rec in recs.iter().filter(|r| matches!(r.event, "send_attempt" | "send_result" | "delivered" | "consumed"))
        {
            let (f, line) = locate(&files, rec).unwrap_or_else(|| panic!("no line for {}", rec.json()));
            let expected = if rec.event.starts_with("send") { "producer.py" } else { "consumer.py" };
            assert_eq!(files[f].name, expected);
            assert!(!files[f].lines[line].text.trim().is_empty());
        }
    }

    #[test]
    fn listener_switch_changes_the_return_line() {
        let sc = with_listener_result(&preset("tutorial-basic"), "RECONSUME_LATER");
        assert_eq!(listener_result(&sc), Some("RECONSUME_LATER"));
        let files = generate(&sc, CodeLang::Python, Lang::Zh);
        let consumer = file(&files, "consumer.py");
        let i = consumer.line_for_key("consumed:RECONSUME_LATER").unwrap();
        assert_eq!(consumer.lines[i].text, "    return ConsumeStatus.RECONSUME_LATER");
        assert_eq!(consumer.line_for_key("retry_scheduled"), Some(i));
        let java = generate(&sc, CodeLang::Java, Lang::Zh);
        assert!(file(&java, "Consumer.java").text().contains("return ConsumeConcurrentlyStatus.RECONSUME_LATER;"));
        assert_eq!(listener_result(&preset("tutorial-basic")), Some("CONSUME_SUCCESS"));
    }

    #[test]
    fn java_tutorial_producer_uses_the_4x_api() {
        let files = generate(&preset("delay-tutorial"), CodeLang::Java, Lang::En);
        let text = file(&files, "Producer.java").text();
        for needle in [
            "DefaultMQProducer producer = new DefaultMQProducer(\"test\");",
            "producer.setNamesrvAddr(\"192.168.2.57:9876\");",
            "msg.setKeys(\"xin\");",
            "msg.setTags(\"xbl\");",
            "msg.putUserProperty(\"name\", \"micro services\");",
            "msg.setDelayTimeLevel(2);",
            "SendResult result = producer.send(msg);",
        ] {
            assert!(text.contains(needle), "missing {needle} in\n{text}");
        }
        let consumer = file(&files, "Consumer.java").text();
        assert!(consumer.contains("new MessageListenerConcurrently()"));
        assert!(consumer.contains("return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;"));
    }

    #[test]
    fn async_notes_python_has_no_send_async() {
        let sc = preset("async-callbacks-lost");
        let py = generate(&sc, CodeLang::Python, Lang::En);
        let producer = file(&py, "producer.py");
        assert!(producer.notes.iter().any(|n| n.en.contains("no send_async")));
        assert!(producer.notes.iter().any(|n| n.zh.contains("没有 send_async")));
        assert!(
            !producer.text().lines().any(|l| l.trim_start().starts_with("producer.send_async")),
            "the call is commented out"
        );
        let lost = producer.line_for_key("callback_lost").unwrap();
        assert_eq!(producer.lines[lost].text.trim(), "producer.shutdown()");
        let java = generate(&sc, CodeLang::Java, Lang::En);
        let text = file(&java, "Producer.java").text();
        assert!(text.contains("new SendCallback()") && text.contains("public void onException(Throwable e)"));
        let jp = file(&java, "Producer.java");
        assert!(jp.lines[jp.line_for_key("send_result").unwrap()].text.contains("System.out.printf"));
    }

    #[test]
    fn orderly_transaction_oneway_and_broadcasting_use_their_apis() {
        let text = |name: &str, lang: CodeLang| -> String {
            generate(&preset(name), lang, Lang::En).iter().map(|f| f.text()).collect::<Vec<_>>().join("\n")
        };
        let orderly = text("orderly-by-key", CodeLang::Python);
        assert!(orderly.contains("producer.send_orderly_with_sharding_key(msg, sharding_key)"));
        assert!(orderly.contains("send_messages(producer, 3, \"order-1\")"));
        assert!(orderly.contains("PushConsumer(\"g1\", orderly=True)"));
        assert!(text("orderly-by-key", CodeLang::Java).contains("new MessageListenerOrderly()"));
        let txn = text("transaction-unknown-then-check", CodeLang::Python);
        assert!(txn.contains("TransactionMQProducer(\"txn-group\", check_callback)"));
        assert!(txn.contains("producer.send_message_in_transaction(msg, local_execute, None)"));
        assert!(txn.contains("return TransactionStatus.UNKNOWN") && txn.contains("return TransactionStatus.COMMIT"));
        let jtxn = text("transaction-unknown-then-check", CodeLang::Java);
        assert!(jtxn.contains("producer.sendMessageInTransaction(msg, null)"));
        assert!(jtxn.contains("checkLocalTransaction(MessageExt msg)"));
        let oneway = text("oneway-loss", CodeLang::Python);
        assert!(oneway.contains("producer.send_oneway(msg)"));
        assert!(text("oneway-loss", CodeLang::Java).contains("producer.sendOneway(msg);"));
        let bc = text("broadcasting", CodeLang::Python);
        assert!(bc.contains("message_model=MessageModel.BROADCASTING"));
        assert!(bc.contains("return ConsumeStatus.RECONSUME_LATER"));
        assert!(text("broadcasting", CodeLang::Java).contains("consumer.setMessageModel(MessageModel.BROADCASTING);"));
        let tags = text("tag-filtering", CodeLang::Python);
        assert!(tags.contains("consumer.subscribe(topic, callback, \"TagA || TagC\")"));
        let poison = text("orderly-poison", CodeLang::Python);
        assert!(poison.contains("if msg.keys == b\"poison\" and msg.reconsume_times < 1000:"));
    }

    #[test]
    fn transaction_checker_lines_follow_the_answer() {
        let files = generate(&preset("transaction-unknown-then-check"), CodeLang::Python, Lang::Zh);
        let p = file(&files, "producer.py");
        let unknown = p.line_for_key("txn_check:UNKNOW").unwrap();
        let commit = p.line_for_key("txn_check:COMMIT_MESSAGE").unwrap();
        assert!(p.lines[unknown].text.contains("UNKNOWN") && p.lines[commit].text.contains("COMMIT"));
        assert!(p.lines[p.line_for_key("txn_local:UNKNOW").unwrap()].text.contains("return TransactionStatus.UNKNOWN"));
    }

    #[test]
    fn every_preset_generates_both_languages_with_send_lines() {
        for p in rmqsim::presets::all() {
            let sc = p.scenario().unwrap();
            for lang in CodeLang::ALL {
                for ui in Lang::ALL {
                    let files = generate(&sc, lang, ui);
                    assert!(!files.is_empty(), "{}: no files", p.name);
                    for f in files.iter().filter(|f| f.role == Role::Producer) {
                        assert!(f.line_for_key("send_attempt").is_some(), "{} {}: no send line", p.name, f.name);
                    }
                    for f in files.iter().filter(|f| f.role == Role::Consumer) {
                        assert!(f.line_for_key("delivered").is_some(), "{} {}: no callback", p.name, f.name);
                    }
                }
            }
        }
    }

    #[test]
    fn event_keys_carry_the_detail_that_picks_a_line() {
        let r = Record::new(5, "consumed").f("consumer", "c1").f("result", "RECONSUME_LATER");
        assert_eq!(event_key(&r), "consumed:RECONSUME_LATER");
        assert_eq!(event_node(&r), Some("c1"));
        assert_eq!(event_key(&Record::new(1, "send_attempt")), "send_attempt");
    }
}
