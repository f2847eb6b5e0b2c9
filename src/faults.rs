//! The fault palette's vocabulary: which interventions a node offers (by its
//! kind and state), which of them need a parameter, and how each becomes an
//! engine [`Action`]. Also the send form, which mirrors the Python client's
//! API (`Message(topic)`, `set_tags`, `set_keys`, `set_delay_time_level`,
//! `send_sync`). Pure, so the menus' logic is tested natively.

use std::collections::BTreeMap;

use rmqsim::scenario::{Action, Dur, SendAction, SendMode, TxnState};
use rmqsim::snapshot::{NodeDetail, NodeSnap};

/// One intervention the learner can apply to a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// The process dies (any node).
    Kill,
    /// The machine loses power (a broker also loses unflushed data).
    PowerOff,
    /// Killed if up, then started again.
    Restart,
    /// A client shuts down cleanly.
    Shutdown,
    /// A stopped client starts.
    Start,
    /// Cut the network between this node and another one (picked next).
    Partition,
    /// Repair every partition touching this node.
    Heal,
    /// Every commit-log flush takes this long (broker).
    SlowDisk,
    /// The slave takes this long to confirm a write (broker with a slave).
    SlowSlave,
    /// The broker's slave disconnects.
    SlaveDown,
    /// The broker's slave reconnects.
    SlaveUp,
    /// One-way latency of every link of this node.
    Latency,
    /// Packet loss on every link of this node.
    Loss,
    /// Open the send form for this producer.
    Send,
    /// Pick another node, then act on the link between the two.
    Link,
    /// Cut only the packets going from this node to the other one.
    PartitionOneway,
    /// Park every packet on the link until it is released.
    Hold,
    /// Deliver the packets parked on the link, in order.
    Release,
}

/// What the link menu needs to know about a link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkFacts {
    /// Some direction of the link is cut.
    pub cut: bool,
    /// Packets on the link are held.
    pub held: bool,
}

impl LinkFacts {
    /// The facts of the link a↔b in a snapshot.
    pub fn of(a: &str, b: &str, snapshot: &rmqsim::snapshot::Snapshot) -> LinkFacts {
        LinkFacts {
            cut: snapshot.partitions.iter().any(|(x, y)| (x == a && y == b) || (x == b && y == a)),
            held: snapshot.links.iter().any(|l| l.held && l.joins(a, b)),
        }
    }
}

/// What a fault needs from the learner before it can be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// Nothing: apply at once.
    None,
    /// A duration in milliseconds (with a default).
    Millis(u64),
    /// A latency range in milliseconds.
    LatencyRange(u64, u64),
    /// A loss percentage.
    Percent(u32),
    /// A second node (partition).
    PickNode,
    /// The send form.
    SendForm,
}

/// The parameters a fault was given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    pub millis: Option<u64>,
    pub range: Option<(u64, u64)>,
    pub percent: Option<f64>,
    pub other: Option<String>,
    pub oneway: bool,
}

/// What the palette needs to know about a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeFacts {
    pub kind: &'static str,
    pub alive: bool,
    /// For brokers with a slave: whether it is up.
    pub slave: Option<bool>,
    /// Whether a partition touches the node.
    pub partitioned: bool,
}

impl NodeFacts {
    /// The facts of a node in a snapshot.
    pub fn of(node: &NodeSnap, partitions: &[(String, String)]) -> NodeFacts {
        let slave = match &node.detail {
            NodeDetail::Broker(b) => b.slave,
            _ => None,
        };
        let partitioned = partitions.iter().any(|(a, b)| *a == node.name || *b == node.name);
        NodeFacts { kind: node.kind, alive: node.alive, slave, partitioned }
    }
}

impl Fault {
    /// The interventions a node offers, in menu order.
    pub fn for_node(facts: &NodeFacts) -> Vec<Fault> {
        let mut out = Vec::new();
        let client = matches!(facts.kind, "producer" | "consumer");
        if facts.kind == "producer" && facts.alive {
            out.push(Fault::Send);
        }
        if facts.alive {
            if client {
                out.push(Fault::Shutdown);
            }
            out.push(Fault::Kill);
            if facts.kind == "broker" {
                out.push(Fault::PowerOff);
            }
            out.push(Fault::Restart);
        } else if client {
            out.push(Fault::Start);
        } else {
            out.push(Fault::Restart);
        }
        out.push(Fault::Partition);
        out.push(Fault::Link);
        if facts.partitioned {
            out.push(Fault::Heal);
        }
        if facts.kind == "broker" {
            out.push(Fault::SlowDisk);
            if let Some(up) = facts.slave {
                out.push(Fault::SlowSlave);
                out.push(if up { Fault::SlaveDown } else { Fault::SlaveUp });
            }
        }
        out.push(Fault::Latency);
        out.push(Fault::Loss);
        out
    }

    /// The interventions on the link between two nodes, in menu order.
    pub fn for_link(facts: LinkFacts) -> Vec<Fault> {
        let mut out = vec![Fault::Partition, Fault::PartitionOneway];
        if facts.cut {
            out.push(Fault::Heal);
        }
        out.extend([Fault::Latency, Fault::Loss, if facts.held { Fault::Release } else { Fault::Hold }]);
        out
    }

    /// Whether the fault, applied to a link (both nodes known), still needs
    /// a number first.
    pub fn link_needs_form(self) -> bool {
        matches!(self, Fault::Latency | Fault::Loss)
    }

    /// What the fault needs before it is applied.
    pub fn param(self) -> ParamKind {
        match self {
            Fault::Link => ParamKind::PickNode,
            Fault::SlowDisk => ParamKind::Millis(2_000),
            Fault::SlowSlave => ParamKind::Millis(6_000),
            Fault::Latency => ParamKind::LatencyRange(200, 400),
            Fault::Loss => ParamKind::Percent(30),
            Fault::Partition => ParamKind::PickNode,
            Fault::Send => ParamKind::SendForm,
            _ => ParamKind::None,
        }
    }

    /// Whether the fault takes a node down or harms it (drawn in red in menus).
    pub fn destructive(self) -> bool {
        matches!(
            self,
            Fault::Kill
                | Fault::PowerOff
                | Fault::Shutdown
                | Fault::Partition
                | Fault::PartitionOneway
                | Fault::SlaveDown
        )
    }

    /// The engine action applying this fault to `node` (or, with
    /// `params.other`, to the link between `node` and that node); `None`
    /// when a needed parameter is missing (the form is not filled in).
    pub fn action(self, node: &str, params: &Params) -> Option<Action> {
        let at = Dur(0);
        let node_s = node.to_string();
        Some(match self {
            Fault::Kill => Action::Kill { at, node: node_s },
            Fault::PowerOff => Action::PowerOff { at, node: node_s },
            Fault::Restart => Action::Restart { at, node: node_s },
            Fault::Shutdown => Action::Shutdown { at, node: node_s },
            Fault::Start => Action::Start { at, node: node_s },
            Fault::Partition => Action::Partition { at, a: node_s, b: params.other.clone()?, oneway: params.oneway },
            Fault::PartitionOneway => Action::Partition { at, a: node_s, b: params.other.clone()?, oneway: true },
            Fault::Heal => Action::Heal { at, a: Some(node_s), b: params.other.clone() },
            Fault::Hold => Action::Hold { at, a: node_s, b: params.other.clone()? },
            Fault::Release => Action::Release { at, a: node_s, b: params.other.clone()? },
            Fault::SlowDisk => Action::SlowDisk { at, node: node_s, delay: Dur(params.millis?) },
            Fault::SlowSlave => Action::SlowSlave { at, node: node_s, delay: Dur(params.millis?) },
            Fault::SlaveDown => Action::SlaveDown { at, node: node_s },
            Fault::SlaveUp => Action::SlaveUp { at, node: node_s },
            Fault::Latency => {
                let (lo, hi) = params.range?;
                let latency = [Dur(lo.min(hi)), Dur(lo.max(hi))];
                Action::SetLatency { at, a: Some(node_s), b: params.other.clone(), latency }
            }
            Fault::Loss => {
                let loss = (params.percent? / 100.0).clamp(0.0, 1.0);
                Action::SetLoss { at, a: Some(node_s), b: params.other.clone(), loss }
            }
            Fault::Send | Fault::Link => return None,
        })
    }
}

/// The action that repairs every partition.
pub fn heal_all() -> Action {
    Action::Heal { at: Dur(0), a: None, b: None }
}

/// A partition between two nodes, drawn once however many directions it blocks.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cut {
    pub a: String,
    pub b: String,
    /// Only packets from `a` to `b` are dropped.
    pub oneway: bool,
}

/// The snapshot's blocked directions, merged into cuts.
pub fn cuts(partitions: &[(String, String)]) -> Vec<Cut> {
    let mut seen: crate::order::SortedMap<(String, String), bool> = crate::order::SortedMap::new();
    for (a, b) in partitions {
        let back = partitions.iter().any(|(x, y)| x == b && y == a);
        if back {
            let key = if a <= b { (a.clone(), b.clone()) } else { (b.clone(), a.clone()) };
            seen.insert(key, false);
        } else {
            seen.insert((a.clone(), b.clone()), true);
        }
    }
    seen.into_iter().map(|((a, b), oneway)| Cut { a, b, oneway }).collect()
}

/// The send modes the form offers (every mode of the Python client).
pub const SEND_MODES: [SendMode; 5] =
    [SendMode::Sync, SendMode::Async, SendMode::Oneway, SendMode::Orderly, SendMode::Transaction];

/// What a transaction's local execution returns, as the form offers it.
pub const LOCAL_RESULTS: [TxnState; 3] = [TxnState::Commit, TxnState::Rollback, TxnState::Unknown];

/// The send form's fields, as the learner typed them.
#[derive(Clone, Debug, PartialEq)]
pub struct SendForm {
    pub producer: String,
    pub topic: String,
    pub mode: SendMode,
    pub count: u64,
    pub interval_ms: u64,
    pub tags: String,
    pub keys: String,
    pub delay_level: i64,
    /// The message body (user text: always rendered as text).
    pub body: String,
    /// User properties, `key=value` pairs separated by `;` or new lines.
    pub properties: String,
    /// The sharding key of an orderly send.
    pub sharding_key: String,
    /// What the local transaction returns (transactional sends).
    pub local_result: TxnState,
}

impl Default for SendForm {
    fn default() -> Self {
        SendForm {
            producer: String::new(),
            topic: String::new(),
            mode: SendMode::Sync,
            count: 1,
            interval_ms: 0,
            tags: String::new(),
            keys: String::new(),
            delay_level: 0,
            body: "测试用内容".to_string(),
            properties: String::new(),
            sharding_key: String::new(),
            local_result: TxnState::Commit,
        }
    }
}

impl SendForm {
    /// The properties typed, as pairs (blank entries skipped; an entry
    /// without `=` becomes a key with an empty value).
    pub fn property_pairs(&self) -> BTreeMap<String, String> {
        // Inserted one by one (a later key wins, as with `collect`): `collect`
        // would add a sort and a bulk build of this map type to the wasm.
        let mut pairs = BTreeMap::new();
        for p in self.properties.split([';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = match p.split_once('=') {
                Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
                None => (p.to_string(), String::new()),
            };
            pairs.insert(k, v);
        }
        pairs
    }

    /// The engine action (validated by the engine when applied).
    pub fn to_action(&self) -> Action {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Action::Send(SendAction {
            at: Dur(0),
            producer: self.producer.clone(),
            mode: self.mode,
            topic: self.topic.trim().to_string(),
            count: self.count,
            interval: Dur(self.interval_ms),
            tags: text(&self.tags),
            keys: text(&self.keys),
            properties: self.property_pairs(),
            body: self.body.clone(),
            body_size: None,
            delay_level: self.delay_level,
            sharding_key: (self.mode == SendMode::Orderly).then(|| self.sharding_key.trim().to_string()),
            auto_create_topic: false,
            local_result: (self.mode == SendMode::Transaction).then_some(self.local_result),
            check_results: Vec::new(),
        })
    }

    /// The same send written with rocketmq-client-python, as in the tutorial.
    pub fn python(&self) -> Vec<String> {
        let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'").replace('\n', "\\n"));
        let mut lines = vec![format!("msg = Message({})", quote(self.topic.trim()))];
        if !self.keys.trim().is_empty() {
            lines.push(format!("msg.set_keys({})", quote(self.keys.trim())));
        }
        if !self.tags.trim().is_empty() {
            lines.push(format!("msg.set_tags({})", quote(self.tags.trim())));
        }
        for (k, v) in self.property_pairs() {
            lines.push(format!("msg.set_property({}, {})", quote(&k), quote(&v)));
        }
        if self.delay_level > 0 {
            lines.push(format!("msg.set_delay_time_level({})", self.delay_level));
        }
        lines.push(format!("msg.set_body({})", quote(&self.body)));
        let call = match self.mode {
            SendMode::Async => "producer.send_async(msg, on_success, on_exception)".to_string(),
            SendMode::Oneway => "producer.send_oneway(msg)".to_string(),
            SendMode::Orderly => {
                format!("ret = producer.send_orderly_with_sharding_key(msg, {})", quote(self.sharding_key.trim()))
            }
            SendMode::Transaction => "ret = producer.send_message_in_transaction(msg, local_execute, None)".to_string(),
            SendMode::Sync => "ret = producer.send_sync(msg)".to_string(),
        };
        if self.mode == SendMode::Transaction {
            let status = match self.local_result {
                TxnState::Commit => "COMMIT",
                TxnState::Rollback => "ROLLBACK",
                TxnState::Unknown => "UNKNOWN",
            };
            lines.insert(0, "def local_execute(msg, user_args):".to_string());
            lines.insert(1, format!("    return TransactionStatus.{status}"));
            lines.insert(2, String::new());
        }
        if self.count > 1 {
            lines.push(format!("for i in range({}):", self.count));
            lines.push(format!("    {call}"));
            if self.interval_ms > 0 {
                lines.push(format!("    time.sleep({})", self.interval_ms as f64 / 1000.0));
            }
        } else {
            lines.push(call);
        }
        lines
    }
}

/// Parses a whole number typed into a form; `None` for anything else.
pub fn parse_u64(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

/// Parses a percentage in 0..=100 typed into a form.
pub fn parse_percent(text: &str) -> Option<f64> {
    let value: f64 = text.trim().trim_end_matches('%').trim().parse().ok()?;
    (0.0..=100.0).contains(&value).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: &'static str, alive: bool) -> NodeFacts {
        NodeFacts { kind, alive, slave: None, partitioned: false }
    }

    #[test]
    fn brokers_offer_process_disk_and_network_faults() {
        let live = Fault::for_node(&facts("broker", true));
        assert_eq!(&live[..3], &[Fault::Kill, Fault::PowerOff, Fault::Restart]);
        assert!(live.contains(&Fault::SlowDisk));
        assert!(!live.contains(&Fault::SlowSlave), "no slave, no slave faults");
        let with_slave = Fault::for_node(&NodeFacts { slave: Some(true), ..facts("broker", true) });
        assert!(with_slave.contains(&Fault::SlaveDown) && !with_slave.contains(&Fault::SlaveUp));
        let slave_down = Fault::for_node(&NodeFacts { slave: Some(false), ..facts("broker", true) });
        assert!(slave_down.contains(&Fault::SlaveUp));
        let dead = Fault::for_node(&facts("broker", false));
        assert_eq!(dead[0], Fault::Restart);
        assert!(!dead.contains(&Fault::Kill));
    }

    #[test]
    fn clients_shut_down_start_and_send() {
        let producer = Fault::for_node(&facts("producer", true));
        assert_eq!(&producer[..3], &[Fault::Send, Fault::Shutdown, Fault::Kill]);
        let stopped = Fault::for_node(&facts("consumer", false));
        assert_eq!(stopped[0], Fault::Start);
        assert!(!stopped.contains(&Fault::Send));
        let partitioned = Fault::for_node(&NodeFacts { partitioned: true, ..facts("nameserver", true) });
        assert!(partitioned.contains(&Fault::Heal));
    }

    #[test]
    fn links_offer_cuts_latency_loss_and_hold() {
        assert_eq!(
            Fault::for_link(LinkFacts::default()),
            vec![Fault::Partition, Fault::PartitionOneway, Fault::Latency, Fault::Loss, Fault::Hold]
        );
        let cut_and_held = Fault::for_link(LinkFacts { cut: true, held: true });
        assert!(cut_and_held.contains(&Fault::Heal) && cut_and_held.contains(&Fault::Release));
        assert!(!cut_and_held.contains(&Fault::Hold));
        assert!(Fault::for_node(&facts("broker", true)).contains(&Fault::Link));
        assert_eq!(Fault::Link.param(), ParamKind::PickNode);

        let link = Params { other: Some("namesrv-0".into()), ..Params::default() };
        let kinds: Vec<&str> = [Fault::PartitionOneway, Fault::Hold, Fault::Release, Fault::Heal]
            .iter()
            .filter_map(|f| f.action("broker-a", &link))
            .map(|a| a.kind())
            .collect();
        assert_eq!(kinds, vec!["partition", "hold", "release", "heal"]);
        assert!(matches!(
            Fault::PartitionOneway.action("broker-a", &link),
            Some(Action::Partition { oneway: true, ref b, .. }) if b == "namesrv-0"
        ));
        let latency = Params { range: Some((300, 100)), ..link.clone() };
        assert!(matches!(
            Fault::Latency.action("broker-a", &latency),
            Some(Action::SetLatency { b: Some(ref b), latency: [Dur(100), Dur(300)], .. }) if b == "namesrv-0"
        ));
        let loss = Params { percent: Some(25.0), ..link };
        assert!(matches!(
            Fault::Loss.action("broker-a", &loss),
            Some(Action::SetLoss { b: Some(_), loss, .. }) if (loss - 0.25).abs() < 1e-9
        ));
        assert_eq!(Fault::Hold.action("broker-a", &Params::default()).map(|a| a.kind()), None);
    }

    #[test]
    fn faults_become_engine_actions() {
        let none = Params::default();
        assert!(matches!(Fault::Kill.action("broker-a", &none), Some(Action::Kill { node, .. }) if node == "broker-a"));
        assert_eq!(Fault::Partition.action("a", &none).map(|a| a.kind()), None, "needs the other node");
        let other = Params { other: Some("b".into()), oneway: true, ..Params::default() };
        assert!(matches!(
            Fault::Partition.action("a", &other),
            Some(Action::Partition { a, b, oneway: true, .. }) if a == "a" && b == "b"
        ));
        let range = Params { range: Some((400, 200)), ..Params::default() };
        assert!(matches!(
            Fault::Latency.action("a", &range),
            Some(Action::SetLatency { latency: [Dur(200), Dur(400)], .. })
        ));
        let percent = Params { percent: Some(30.0), ..Params::default() };
        assert!(
            matches!(Fault::Loss.action("a", &percent), Some(Action::SetLoss { loss, .. }) if (loss - 0.3).abs() < 1e-9)
        );
        let millis = Params { millis: Some(2_000), ..Params::default() };
        assert!(matches!(Fault::SlowDisk.action("a", &millis), Some(Action::SlowDisk { delay: Dur(2_000), .. })));
        assert_eq!(Fault::Send.action("p", &millis).map(|a| a.kind()), None);
        assert_eq!(Fault::Kill.param(), ParamKind::None);
        assert!(Fault::Kill.destructive() && !Fault::Restart.destructive());
    }

    #[test]
    fn partitions_merge_into_cuts() {
        let p = |a: &str, b: &str| (a.to_string(), b.to_string());
        let cuts = cuts(&[p("b", "a"), p("a", "b"), p("c", "d")]);
        assert_eq!(
            cuts,
            vec![
                Cut { a: "a".into(), b: "b".into(), oneway: false },
                Cut { a: "c".into(), b: "d".into(), oneway: true },
            ]
        );
    }

    #[test]
    fn send_form_mirrors_the_python_api() {
        let form = SendForm {
            producer: "p1".into(),
            topic: "TopicTest".into(),
            count: 5,
            tags: "xbl".into(),
            keys: "xin".into(),
            delay_level: 2,
            ..SendForm::default()
        };
        let python = form.python();
        assert_eq!(python[0], "msg = Message('TopicTest')");
        assert!(python.contains(&"msg.set_keys('xin')".to_string()));
        assert!(python.contains(&"msg.set_tags('xbl')".to_string()));
        assert!(python.contains(&"msg.set_delay_time_level(2)".to_string()));
        assert_eq!(python.last().map(String::as_str), Some("    ret = producer.send_sync(msg)"));
        let Action::Send(send) = form.to_action() else { panic!("a send") };
        assert_eq!((send.count, send.delay_level), (5, 2));
        assert_eq!(send.tags.as_deref(), Some("xbl"));
        let oneway = SendForm { mode: SendMode::Oneway, tags: " ".into(), ..form };
        let Action::Send(send) = oneway.to_action() else { panic!("a send") };
        assert_eq!(send.tags, None, "blank tags are no tags");
        assert!(oneway.python().iter().any(|l| l.contains("send_oneway")));
    }

    #[test]
    fn the_form_sends_every_mode_with_body_and_properties() {
        let base = SendForm {
            producer: "p1".into(),
            topic: "TopicTest".into(),
            body: "it's <b>".into(),
            properties: "name=micro services; k2 = v2\n\n".into(),
            ..SendForm::default()
        };
        let Action::Send(send) = base.to_action() else { panic!("a send") };
        assert_eq!(send.body, "it's <b>");
        assert_eq!(send.properties.get("name").map(String::as_str), Some("micro services"));
        assert_eq!(send.properties.get("k2").map(String::as_str), Some("v2"));
        assert_eq!((send.sharding_key, send.local_result), (None, None), "only for their modes");
        let python = base.python();
        assert!(python.contains(&"msg.set_property('name', 'micro services')".to_string()), "{python:?}");
        assert!(python.contains(&"msg.set_body('it\\'s <b>')".to_string()), "{python:?}");

        let orderly = SendForm { mode: SendMode::Orderly, sharding_key: " order-7 ".into(), ..base.clone() };
        let Action::Send(send) = orderly.to_action() else { panic!("a send") };
        assert_eq!(send.sharding_key.as_deref(), Some("order-7"));
        assert!(orderly
            .python()
            .contains(&"ret = producer.send_orderly_with_sharding_key(msg, 'order-7')".to_string()));

        let txn = SendForm { mode: SendMode::Transaction, local_result: TxnState::Unknown, ..base };
        let Action::Send(send) = txn.to_action() else { panic!("a send") };
        assert_eq!(send.local_result, Some(TxnState::Unknown));
        let python = txn.python();
        assert_eq!(python[1], "    return TransactionStatus.UNKNOWN");
        assert!(python.last().is_some_and(|l| l.contains("send_message_in_transaction")));
    }

    #[test]
    fn form_numbers_are_parsed_leniently_and_safely() {
        assert_eq!(parse_u64(" 42 "), Some(42));
        assert_eq!(parse_u64("-1"), None);
        assert_eq!(parse_u64("lots"), None);
        assert_eq!(parse_percent("30%"), Some(30.0));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("NaN"), None);
    }
}
