//! The playground's cluster builder, as data: a draft of the cluster the
//! learner is composing (brokers with role, flush mode and slave; topics with
//! their queue count and brokers; producers; consumers with subscriptions,
//! model, listener kind and what the listener returns; the client flavor),
//! the problems that make it impossible, each tied to the field it concerns,
//! and the [`Scenario`] it becomes.
//!
//! Text fields stay text while the learner types (a number field holding
//! "abc" is a problem to show next to it, not a value to drop), and every
//! refusal names its field, so the dialog can put the reason beside the
//! input. The engine's own validation runs last, on the built scenario, so
//! nothing the builder lets through can be refused later without a message.
//! Pure, so it is tested natively.

use crate::order::SortedMap;

use rmqsim::scenario::{
    BrokerSpec, ConsumeResult, ConsumerSpec, Dur, Flavor, ListenerKind, MessageModel, ProducerSpec, Scenario,
    Subscription, TopicSpec, MAX_BROKERS, MAX_CLIENTS, MAX_NAMESERVERS, MAX_QUEUES,
};

/// The longest run the builder accepts, in seconds (one day of virtual time).
pub const MAX_UNTIL_S: u64 = 86_400;
/// The longest name of a node, topic or group.
pub const MAX_NAME: usize = 64;
/// The most failures a listener can be told to return before succeeding.
pub const MAX_FAIL_TIMES: u64 = 1_000_000;

/// A broker's replication role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    AsyncMaster,
    SyncMaster,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::AsyncMaster, Role::SyncMaster];

    pub fn name(self) -> &'static str {
        match self {
            Role::AsyncMaster => "ASYNC_MASTER",
            Role::SyncMaster => "SYNC_MASTER",
        }
    }

    fn parse(text: Option<&str>) -> Role {
        match text {
            Some("SYNC_MASTER") => Role::SyncMaster,
            _ => Role::AsyncMaster,
        }
    }
}

/// A broker's commit-log flush mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flush {
    Async,
    Sync,
}

impl Flush {
    pub const ALL: [Flush; 2] = [Flush::Async, Flush::Sync];

    pub fn name(self) -> &'static str {
        match self {
            Flush::Async => "ASYNC_FLUSH",
            Flush::Sync => "SYNC_FLUSH",
        }
    }

    fn parse(text: Option<&str>) -> Flush {
        match text {
            Some("SYNC_FLUSH") => Flush::Sync,
            _ => Flush::Async,
        }
    }
}

/// One broker of the draft.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokerDraft {
    pub name: String,
    pub role: Role,
    pub flush: Flush,
    pub slave: bool,
    /// The broker's own broker.conf lines, carried over unchanged.
    pub conf: Option<String>,
}

/// One topic of the draft.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicDraft {
    pub name: String,
    /// Write (and read) queues on each of its brokers, as typed.
    pub queues: String,
    /// The brokers hosting it, in cluster order.
    pub brokers: Vec<String>,
    /// Permission bits, carried over.
    pub perm: u32,
}

/// One producer of the draft.
#[derive(Clone, Debug)]
pub struct ProducerDraft {
    pub id: String,
    pub group: String,
    /// Settings the builder does not edit (timeouts, retry times…), kept.
    pub rest: ProducerSpec,
}

/// One subscription of a consumer.
#[derive(Clone, Debug, PartialEq)]
pub struct SubDraft {
    /// The topic, or empty when none is chosen.
    pub topic: String,
    pub expression: String,
}

/// One consumer of the draft.
#[derive(Clone, Debug)]
pub struct ConsumerDraft {
    pub id: String,
    pub group: String,
    pub subscriptions: Vec<SubDraft>,
    pub model: MessageModel,
    pub listener: ListenerKind,
    pub result: ConsumeResult,
    /// Failures before success, as typed.
    pub fail_times: String,
    /// Settings the builder does not edit (threads, allocation…), kept.
    pub rest: ConsumerSpec,
}

/// The whole draft.
#[derive(Clone, Debug)]
pub struct Draft {
    pub name: String,
    pub seed: String,
    pub client: Flavor,
    /// Run length in seconds, as typed.
    pub until_s: String,
    pub nameservers: String,
    pub brokers: Vec<BrokerDraft>,
    pub topics: Vec<TopicDraft>,
    pub producers: Vec<ProducerDraft>,
    pub consumers: Vec<ConsumerDraft>,
    /// Keep the base scenario's timed actions (sends, faults).
    pub keep_actions: bool,
    /// The scenario the draft started from (network, broker.conf, actions).
    pub base: Scenario,
}

/// Which field a problem concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Name,
    Seed,
    Until,
    Nameservers,
    /// The broker list as a whole.
    Brokers,
    BrokerName(usize),
    /// The slave checkbox (and role) of a broker.
    BrokerSlave(usize),
    TopicName(usize),
    TopicQueues(usize),
    TopicBrokers(usize),
    ProducerId(usize),
    ProducerGroup(usize),
    ConsumerId(usize),
    ConsumerGroup(usize),
    /// A consumer's subscription list (none at all).
    ConsumerSubs(usize),
    /// Subscription `1` of consumer `0`.
    SubTopic(usize, usize),
    SubExpression(usize, usize),
    ConsumerResult(usize),
    ConsumerFailTimes(usize),
    /// The clients as a whole (too many).
    Clients,
    /// The engine refused the built scenario (the message names the field).
    Engine,
}

/// Why a field is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Nothing typed.
    Empty,
    /// Longer than [`MAX_NAME`].
    TooLong,
    /// Characters RocketMQ does not allow in names (letters, digits, `-`, `_`).
    BadChars,
    /// Another node already has this name.
    DuplicateNode(String),
    /// Another topic already has this name.
    DuplicateTopic,
    /// A topic name RocketMQ reserves (system topics, `%RETRY%`, `%DLQ%`).
    ReservedTopic,
    /// Not a whole number.
    NotNumber,
    /// A number outside `lo..=hi`.
    OutOfRange(u64, u64),
    /// No brokers in the cluster.
    NoBrokers,
    /// Too many brokers.
    TooManyBrokers,
    /// A topic with zero queues.
    ZeroQueues,
    /// A topic on no broker.
    NoTopicBrokers,
    /// A consumer with no subscription.
    NoSubscription,
    /// A subscription with no topic chosen.
    NoTopic,
    /// The topic is subscribed twice by the same consumer.
    DuplicateSubscription,
    /// Consumers of one group subscribe differently (RocketMQ requires the same).
    GroupMismatch(String),
    /// The listener result does not exist for this listener kind.
    ResultNotForListener,
    /// Too many producers and consumers.
    TooManyClients,
    /// The engine's message.
    Engine(String),
}

/// One refusal, beside its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub reason: Reason,
}

fn problem(field: Field, reason: Reason) -> Problem {
    Problem { field, reason }
}

/// The listener results offered for a listener kind (a concurrent listener
/// cannot suspend its queue; an orderly one cannot ask for a later retry in
/// the Java client).
pub fn results_for(listener: ListenerKind, client: Flavor) -> Vec<ConsumeResult> {
    match (listener, client) {
        (ListenerKind::Concurrently, _) => {
            vec![ConsumeResult::ConsumeSuccess, ConsumeResult::ReconsumeLater, ConsumeResult::Throw]
        }
        (ListenerKind::Orderly, Flavor::Java4) => {
            vec![ConsumeResult::ConsumeSuccess, ConsumeResult::SuspendCurrentQueueAMoment, ConsumeResult::Throw]
        }
        (ListenerKind::Orderly, Flavor::PythonCpp) => vec![
            ConsumeResult::ConsumeSuccess,
            ConsumeResult::ReconsumeLater,
            ConsumeResult::SuspendCurrentQueueAMoment,
            ConsumeResult::Throw,
        ],
    }
}

impl Draft {
    /// The draft of an existing scenario (the one running), to change it.
    pub fn from_scenario(scenario: &Scenario) -> Draft {
        let brokers: Vec<String> = scenario.cluster.brokers.iter().map(|b| b.name.clone()).collect();
        Draft {
            name: scenario.name.clone(),
            seed: scenario.seed.to_string(),
            client: scenario.client,
            until_s: (scenario.until.0.div_ceil(1000)).to_string(),
            nameservers: scenario.cluster.nameservers.to_string(),
            brokers: scenario
                .cluster
                .brokers
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    // The effective role and flush mode (broker.conf may set them).
                    let conf = scenario.broker_conf(i).ok();
                    let role = conf.as_ref().map(|c| c.broker_role.name());
                    let flush = conf.as_ref().map(|c| c.flush_disk_type.name());
                    BrokerDraft {
                        name: b.name.clone(),
                        role: Role::parse(b.role.as_deref().or(role)),
                        flush: Flush::parse(b.flush.as_deref().or(flush)),
                        slave: b.slave,
                        conf: b.conf.clone(),
                    }
                })
                .collect(),
            topics: scenario
                .topics
                .iter()
                .map(|t| TopicDraft {
                    name: t.name.clone(),
                    queues: t.write_queues.to_string(),
                    brokers: t.brokers.clone().unwrap_or_else(|| brokers.clone()),
                    perm: t.perm,
                })
                .collect(),
            producers: scenario
                .producers
                .iter()
                .map(|p| ProducerDraft { id: p.id.clone(), group: p.group.clone(), rest: p.clone() })
                .collect(),
            consumers: scenario
                .consumers
                .iter()
                .map(|c| ConsumerDraft {
                    id: c.id.clone(),
                    group: c.group.clone(),
                    subscriptions: c
                        .subscribe
                        .iter()
                        .map(|s| SubDraft { topic: s.topic.clone(), expression: s.expression.clone() })
                        .collect(),
                    model: c.model,
                    listener: c.listener,
                    result: c.behavior.result,
                    fail_times: c.behavior.fail_times.to_string(),
                    rest: c.clone(),
                })
                .collect(),
            keep_actions: true,
            base: scenario.clone(),
        }
    }

    /// A small cluster to start from: one NameServer, one broker, one topic
    /// with four queues, one producer and one consumer subscribed to it.
    pub fn starter(client: Flavor) -> Draft {
        let json = r#"{
            "name": "my-cluster", "seed": 1, "until": "2m",
            "cluster": { "nameservers": 1, "brokers": [ { "name": "broker-a" } ] },
            "topics": [ { "name": "TopicTest", "write_queues": 4 } ],
            "producers": [ { "id": "p1", "group": "ProducerGroup" } ],
            "consumers": [ { "id": "c1", "group": "ConsumerGroup", "subscribe": [ { "topic": "TopicTest" } ] } ]
        }"#;
        // A fixed, valid document: parsing cannot fail.
        let mut scenario = Scenario::from_json(json).expect("the starter cluster is a valid scenario");
        scenario.client = client;
        Draft::from_scenario(&scenario)
    }

    /// The name a new broker gets (`broker-a`, `broker-b`, …, skipping names in use).
    pub fn next_broker_name(&self) -> String {
        let taken = self.node_names();
        (0..)
            .map(|i: u32| {
                let letter = char::from(b'a' + (i % 26) as u8);
                if i < 26 {
                    format!("broker-{letter}")
                } else {
                    format!("broker-{letter}{}", i / 26)
                }
            })
            .find(|n| !taken.contains_key(n.as_str()))
            .unwrap_or_default()
    }

    /// A fresh client id with `prefix` (`p3`, `c2`…).
    pub fn next_client_id(&self, prefix: &str) -> String {
        let taken = self.node_names();
        (1..).map(|i: u32| format!("{prefix}{i}")).find(|n| !taken.contains_key(n.as_str())).unwrap_or_default()
    }

    /// A fresh topic name.
    pub fn next_topic_name(&self) -> String {
        let taken = |n: &str| self.topics.iter().any(|t| t.name == n);
        if !taken("TopicTest") {
            return "TopicTest".to_string();
        }
        (2..).map(|i: u32| format!("Topic{i}")).find(|n| !taken(n)).unwrap_or_default()
    }

    pub fn add_broker(&mut self) {
        let name = self.next_broker_name();
        for topic in &mut self.topics {
            // A topic on every broker stays on every broker.
            if self.brokers.iter().all(|b| topic.brokers.contains(&b.name)) {
                topic.brokers.push(name.clone());
            }
        }
        self.brokers.push(BrokerDraft { name, role: Role::AsyncMaster, flush: Flush::Async, slave: false, conf: None });
    }

    pub fn remove_broker(&mut self, i: usize) {
        if i < self.brokers.len() {
            let gone = self.brokers.remove(i).name;
            for topic in &mut self.topics {
                topic.brokers.retain(|b| *b != gone);
            }
        }
    }

    /// Renames broker `i`, following the name in the topics that list it.
    pub fn rename_broker(&mut self, i: usize, name: String) {
        let Some(broker) = self.brokers.get_mut(i) else { return };
        let old = std::mem::replace(&mut broker.name, name.clone());
        for topic in &mut self.topics {
            for b in topic.brokers.iter_mut().filter(|b| **b == old) {
                b.clone_from(&name);
            }
        }
    }

    pub fn add_topic(&mut self) {
        let name = self.next_topic_name();
        let brokers = self.brokers.iter().map(|b| b.name.clone()).collect();
        self.topics.push(TopicDraft { name, queues: "4".to_string(), brokers, perm: 6 });
    }

    /// Renames topic `i`, following the name in the subscriptions to it.
    pub fn rename_topic(&mut self, i: usize, name: String) {
        let Some(topic) = self.topics.get_mut(i) else { return };
        let old = std::mem::replace(&mut topic.name, name.clone());
        for c in &mut self.consumers {
            for s in c.subscriptions.iter_mut().filter(|s| s.topic == old) {
                s.topic.clone_from(&name);
            }
        }
    }

    /// Hosts topic `i` on `broker` or not.
    pub fn toggle_topic_broker(&mut self, i: usize, broker: &str, on: bool) {
        let order: Vec<String> = self.brokers.iter().map(|b| b.name.clone()).collect();
        let Some(topic) = self.topics.get_mut(i) else { return };
        topic.brokers.retain(|b| b != broker);
        if on {
            topic.brokers.push(broker.to_string());
        }
        crate::order::sort_by_key(&mut topic.brokers, |b| order.iter().position(|o| o == b).unwrap_or(usize::MAX));
    }

    pub fn add_producer(&mut self) {
        let id = self.next_client_id("p");
        let rest = ProducerSpec {
            id: id.clone(),
            group: "ProducerGroup".to_string(),
            autostart: true,
            send_timeout: None,
            retry_times: None,
            retry_another_broker_when_not_store_ok: false,
            send_latency_fault_enable: false,
            max_message_size: None,
            check_results: Vec::new(),
            program: None,
            nameservers: None,
        };
        self.producers.push(ProducerDraft { id, group: rest.group.clone(), rest });
    }

    pub fn add_consumer(&mut self) {
        let id = self.next_client_id("c");
        let topic = self.topics.first().map(|t| t.name.clone()).unwrap_or_default();
        let group = self.consumers.last().map_or_else(|| "ConsumerGroup".to_string(), |c| c.group.clone());
        let same_group = self.consumers.iter().find(|c| c.group == group);
        let subscriptions = same_group
            .map(|c| c.subscriptions.clone())
            .unwrap_or_else(|| vec![SubDraft { topic, expression: "*".to_string() }]);
        let (model, listener, result) = same_group
            .map_or((MessageModel::Clustering, ListenerKind::Concurrently, ConsumeResult::ConsumeSuccess), |c| {
                (c.model, c.listener, c.result)
            });
        let rest = ConsumerSpec {
            id: id.clone(),
            group: group.clone(),
            subscribe: Vec::new(),
            model,
            listener,
            behavior: Default::default(),
            autostart: true,
            consume_threads: None,
            allocate: Default::default(),
            consume_from_where: Default::default(),
            max_reconsume_times: None,
            pull_batch_size: None,
            program: None,
            nameservers: None,
        };
        self.consumers.push(ConsumerDraft {
            id,
            group,
            subscriptions,
            model,
            listener,
            result,
            fail_times: "0".to_string(),
            rest,
        });
    }

    /// Changes consumer `i`'s listener kind, resetting a result the new kind
    /// does not have.
    pub fn set_listener(&mut self, i: usize, listener: ListenerKind) {
        let client = self.client;
        let Some(c) = self.consumers.get_mut(i) else { return };
        c.listener = listener;
        if !results_for(listener, client).contains(&c.result) {
            c.result = ConsumeResult::ConsumeSuccess;
        }
    }

    /// Changes the client flavor, resetting listener results it does not offer.
    pub fn set_client(&mut self, client: Flavor) {
        self.client = client;
        for c in &mut self.consumers {
            if !results_for(c.listener, client).contains(&c.result) {
                c.result = ConsumeResult::ConsumeSuccess;
            }
        }
    }

    /// Every node name with the field that declares it (nameservers are
    /// `namesrv-0`, `namesrv-1`…).
    fn node_names(&self) -> SortedMap<&str, Field> {
        let mut names = SortedMap::new();
        for (i, b) in self.brokers.iter().enumerate() {
            names.or_insert_with(b.name.as_str(), || Field::BrokerName(i));
        }
        for (i, p) in self.producers.iter().enumerate() {
            names.or_insert_with(p.id.as_str(), || Field::ProducerId(i));
        }
        for (i, c) in self.consumers.iter().enumerate() {
            names.or_insert_with(c.id.as_str(), || Field::ConsumerId(i));
        }
        names
    }

    /// Everything that makes the draft impossible, in field order.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.name.chars().count() > MAX_NAME {
            out.push(problem(Field::Name, Reason::TooLong));
        }
        number(&mut out, Field::Seed, &self.seed, 0, u64::MAX);
        number(&mut out, Field::Until, &self.until_s, 1, MAX_UNTIL_S);
        number(&mut out, Field::Nameservers, &self.nameservers, 1, u64::from(MAX_NAMESERVERS));
        self.broker_problems(&mut out);
        self.topic_problems(&mut out);
        self.client_problems(&mut out);
        crate::order::sort_by_key(&mut out, |p| p.field);
        out
    }

    fn broker_problems(&self, out: &mut Vec<Problem>) {
        if self.brokers.is_empty() {
            out.push(problem(Field::Brokers, Reason::NoBrokers));
        } else if self.brokers.len() > MAX_BROKERS {
            out.push(problem(Field::Brokers, Reason::TooManyBrokers));
        }
        // NameServers are named by the engine; a broker called "namesrv-0" would clash.
        let mut names: SortedMap<String, String> = SortedMap::new();
        for i in 0..self.nameservers.trim().parse::<u32>().unwrap_or(0).min(MAX_NAMESERVERS) {
            names.insert(format!("namesrv-{i}"), "NameServer".to_string());
        }
        let mut check_node = |out: &mut Vec<Problem>, field: Field, name: &str, kind: &str| {
            if let Some(reason) = name_reason(name) {
                out.push(problem(field, reason));
            } else if let Some(other) = names.get(name) {
                out.push(problem(field, Reason::DuplicateNode(other.clone())));
            } else {
                names.insert(name.to_string(), kind.to_string());
            }
        };
        for (i, b) in self.brokers.iter().enumerate() {
            check_node(out, Field::BrokerName(i), &b.name, "broker");
        }
        for (i, p) in self.producers.iter().enumerate() {
            check_node(out, Field::ProducerId(i), &p.id, "producer");
        }
        for (i, c) in self.consumers.iter().enumerate() {
            check_node(out, Field::ConsumerId(i), &c.id, "consumer");
        }
    }

    fn topic_problems(&self, out: &mut Vec<Problem>) {
        for (i, t) in self.topics.iter().enumerate() {
            if let Some(reason) = name_reason(&t.name) {
                out.push(problem(Field::TopicName(i), reason));
            } else if is_reserved_topic(&t.name) {
                out.push(problem(Field::TopicName(i), Reason::ReservedTopic));
            } else if self.topics[..i].iter().any(|o| o.name == t.name) {
                out.push(problem(Field::TopicName(i), Reason::DuplicateTopic));
            }
            match t.queues.trim().parse::<u64>() {
                Ok(0) => out.push(problem(Field::TopicQueues(i), Reason::ZeroQueues)),
                _ => number(out, Field::TopicQueues(i), &t.queues, 1, u64::from(MAX_QUEUES)),
            }
            if t.brokers.is_empty() {
                out.push(problem(Field::TopicBrokers(i), Reason::NoTopicBrokers));
            }
        }
    }

    fn client_problems(&self, out: &mut Vec<Problem>) {
        if self.producers.len() + self.consumers.len() > MAX_CLIENTS {
            out.push(problem(Field::Clients, Reason::TooManyClients));
        }
        for (i, p) in self.producers.iter().enumerate() {
            if let Some(reason) = name_reason(&p.group) {
                out.push(problem(Field::ProducerGroup(i), reason));
            }
        }
        let mut group_subs: SortedMap<&str, (usize, Vec<(&str, &str)>)> = SortedMap::new();
        for (i, c) in self.consumers.iter().enumerate() {
            if let Some(reason) = name_reason(&c.group) {
                out.push(problem(Field::ConsumerGroup(i), reason));
            }
            if c.subscriptions.is_empty() {
                out.push(problem(Field::ConsumerSubs(i), Reason::NoSubscription));
            }
            for (j, s) in c.subscriptions.iter().enumerate() {
                if s.topic.is_empty() {
                    out.push(problem(Field::SubTopic(i, j), Reason::NoTopic));
                } else if c.subscriptions[..j].iter().any(|o| o.topic == s.topic) {
                    out.push(problem(Field::SubTopic(i, j), Reason::DuplicateSubscription));
                }
                if s.expression.trim().is_empty() {
                    out.push(problem(Field::SubExpression(i, j), Reason::Empty));
                } else if s.expression.len() > 1024 {
                    out.push(problem(Field::SubExpression(i, j), Reason::TooLong));
                }
            }
            if !results_for(c.listener, self.client).contains(&c.result) {
                out.push(problem(Field::ConsumerResult(i), Reason::ResultNotForListener));
            }
            number(out, Field::ConsumerFailTimes(i), &c.fail_times, 0, MAX_FAIL_TIMES);
            let mut subs: Vec<(&str, &str)> =
                c.subscriptions.iter().map(|s| (s.topic.as_str(), s.expression.trim())).collect();
            crate::order::sort(&mut subs);
            match group_subs.get(c.group.as_str()) {
                Some((first, theirs)) if *theirs != subs => {
                    let other = self.consumers[*first].id.clone();
                    out.push(problem(Field::ConsumerSubs(i), Reason::GroupMismatch(other)));
                }
                Some(_) => {}
                None => {
                    group_subs.insert(c.group.as_str(), (i, subs));
                }
            }
        }
    }

    /// The scenario the draft describes, or every problem (the engine's
    /// refusal included) if it cannot run.
    pub fn build(&self) -> Result<Scenario, Vec<Problem>> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut s = self.base.clone();
        s.name = if self.name.trim().is_empty() { "playground".to_string() } else { self.name.trim().to_string() };
        s.seed = self.seed.trim().parse().unwrap_or(1);
        s.client = self.client;
        s.until = Dur(self.until_s.trim().parse::<u64>().unwrap_or(120) * 1000);
        s.cluster.nameservers = self.nameservers.trim().parse().unwrap_or(1);
        s.cluster.brokers = self
            .brokers
            .iter()
            .map(|b| BrokerSpec {
                name: b.name.clone(),
                role: Some(b.role.name().to_string()),
                flush: Some(b.flush.name().to_string()),
                slave: b.slave,
                conf: b.conf.clone(),
            })
            .collect();
        let all: Vec<String> = self.brokers.iter().map(|b| b.name.clone()).collect();
        s.topics = self
            .topics
            .iter()
            .map(|t| TopicSpec {
                name: t.name.clone(),
                brokers: (t.brokers != all).then(|| t.brokers.clone()),
                write_queues: t.queues.trim().parse().unwrap_or(4),
                read_queues: None,
                perm: t.perm,
            })
            .collect();
        s.producers = self
            .producers
            .iter()
            .map(|p| ProducerSpec { id: p.id.clone(), group: p.group.clone(), ..p.rest.clone() })
            .collect();
        s.consumers = self
            .consumers
            .iter()
            .map(|c| {
                let mut spec = c.rest.clone();
                spec.id.clone_from(&c.id);
                spec.group.clone_from(&c.group);
                spec.subscribe = c
                    .subscriptions
                    .iter()
                    .map(|sub| Subscription { topic: sub.topic.clone(), expression: sub.expression.trim().to_string() })
                    .collect();
                spec.model = c.model;
                spec.listener = c.listener;
                spec.behavior.result = c.result;
                spec.behavior.fail_times = c.fail_times.trim().parse().unwrap_or(0);
                if spec.behavior.fail_with.is_some_and(|f| !results_for(c.listener, self.client).contains(&f)) {
                    spec.behavior.fail_with = None;
                }
                spec
            })
            .collect();
        if !self.keep_actions {
            s.actions.clear();
        }
        // The engine's own checks (e.g. an action naming a removed node).
        Scenario::from_json(&s.to_json_pretty())
            .map_err(|e| vec![problem(Field::Engine, Reason::Engine(e.to_string()))])
    }

    /// Timed actions of the base scenario that name a node or topic the
    /// draft no longer has (they would be refused if kept).
    pub fn orphan_actions(&self) -> usize {
        let names = self.node_names();
        let topics: Vec<&str> = self.topics.iter().map(|t| t.name.as_str()).collect();
        let ns = self.nameservers.trim().parse::<u32>().unwrap_or(0);
        let known = |n: &str| names.contains_key(n) || (0..ns).any(|i| n == format!("namesrv-{i}"));
        self.base
            .actions
            .iter()
            .filter(|a| {
                // Through text: the one serializer every type goes through (smaller wasm).
                let value: serde_json::Value =
                    rmqsim::share::action_json(a).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
                let node_gone = ["node", "producer", "consumer", "a", "b"]
                    .iter()
                    .filter_map(|k| value.get(*k).and_then(|v| v.as_str()))
                    .any(|n| !known(n));
                let topic_gone = value.get("topic").and_then(|v| v.as_str()).is_some_and(|t| !topics.contains(&t));
                node_gone || topic_gone
            })
            .count()
    }
}

/// Whether `name` is refused as a name, and why.
fn name_reason(name: &str) -> Option<Reason> {
    if name.trim().is_empty() {
        Some(Reason::Empty)
    } else if name.chars().count() > MAX_NAME {
        Some(Reason::TooLong)
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Some(Reason::BadChars)
    } else {
        None
    }
}

/// RocketMQ's system topics and the per-group topics it creates itself.
fn is_reserved_topic(name: &str) -> bool {
    use rmqsim::names::{CHECK_MAX_TOPIC, HALF_TOPIC, OP_HALF_TOPIC, SCHEDULE_TOPIC, TBW102};
    [SCHEDULE_TOPIC, TBW102, HALF_TOPIC, OP_HALF_TOPIC, CHECK_MAX_TOPIC].contains(&name)
        || name.starts_with("%RETRY%")
        || name.starts_with("%DLQ%")
}

/// Checks that `text` is a whole number in `lo..=hi`.
fn number(out: &mut Vec<Problem>, field: Field, text: &str, lo: u64, hi: u64) {
    match text.trim().parse::<u64>() {
        _ if text.trim().is_empty() => out.push(problem(field, Reason::Empty)),
        Ok(n) if n < lo || n > hi => out.push(problem(field, Reason::OutOfRange(lo, hi))),
        Ok(_) => {}
        Err(_) => out.push(problem(field, Reason::NotNumber)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preset(name: &str) -> Scenario {
        Scenario::from_json(rmqsim::presets::find(name).expect("preset").json).expect("valid preset")
    }

    fn reasons(draft: &Draft) -> Vec<(Field, Reason)> {
        draft.problems().into_iter().map(|p| (p.field, p.reason)).collect()
    }

    #[test]
    fn a_preset_round_trips_unchanged() {
        for p in rmqsim::presets::all() {
            let scenario = preset(p.name);
            let draft = Draft::from_scenario(&scenario);
            assert_eq!(draft.problems(), vec![], "{}", p.name);
            let built = draft.build().unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
            assert_eq!(built.cluster.brokers.len(), scenario.cluster.brokers.len());
            assert_eq!(built.actions.len(), scenario.actions.len());
            assert_eq!(built.consumers.len(), scenario.consumers.len());
            let run = |s: Scenario| rmqsim::Sim::new(s, rmqsim::TraceMode::Hash).expect("runs").run().hash;
            assert_eq!(run(built), run(scenario), "{}: the rebuilt scenario runs identically", p.name);
        }
    }

    #[test]
    fn the_starter_cluster_builds_and_runs() {
        let draft = Draft::starter(Flavor::Java4);
        let scenario = draft.build().expect("starter builds");
        assert_eq!(scenario.client, Flavor::Java4);
        assert_eq!(scenario.topics[0].write_queues, 4);
        assert_eq!(scenario.consumers[0].subscribe[0].topic, "TopicTest");
    }

    #[test]
    fn zero_queues_are_refused_beside_the_field() {
        let mut draft = Draft::starter(Flavor::PythonCpp);
        draft.topics[0].queues = "0".into();
        assert_eq!(reasons(&draft), vec![(Field::TopicQueues(0), Reason::ZeroQueues)]);
        draft.topics[0].queues = "four".into();
        assert_eq!(reasons(&draft), vec![(Field::TopicQueues(0), Reason::NotNumber)]);
        draft.topics[0].queues = "5000".into();
        assert_eq!(reasons(&draft), vec![(Field::TopicQueues(0), Reason::OutOfRange(1, 1024))]);
        assert!(draft.build().is_err());
    }

    #[test]
    fn a_consumer_without_a_subscription_is_refused() {
        let mut draft = Draft::starter(Flavor::PythonCpp);
        draft.consumers[0].subscriptions.clear();
        assert_eq!(reasons(&draft), vec![(Field::ConsumerSubs(0), Reason::NoSubscription)]);
        draft.consumers[0].subscriptions.push(SubDraft { topic: String::new(), expression: "*".into() });
        assert_eq!(reasons(&draft), vec![(Field::SubTopic(0, 0), Reason::NoTopic)]);
    }

    #[test]
    fn duplicate_names_are_refused_on_the_second_use() {
        let mut draft = Draft::starter(Flavor::PythonCpp);
        draft.add_producer();
        draft.producers[1].id = "broker-a".into();
        assert_eq!(reasons(&draft), vec![(Field::ProducerId(1), Reason::DuplicateNode("broker".into()))]);
        draft.producers[1].id = "namesrv-0".into();
        assert_eq!(reasons(&draft), vec![(Field::ProducerId(1), Reason::DuplicateNode("NameServer".into()))]);
        draft.producers[1].id = "p2".into();
        draft.add_topic();
        draft.topics[1].name = "TopicTest".into();
        assert_eq!(reasons(&draft), vec![(Field::TopicName(1), Reason::DuplicateTopic)]);
        draft.topics[1].name = "%DLQ%ConsumerGroup".into();
        assert_eq!(reasons(&draft), vec![(Field::TopicName(1), Reason::BadChars)]);
        draft.topics[1].name = "SCHEDULE_TOPIC_XXXX".into();
        assert_eq!(reasons(&draft), vec![(Field::TopicName(1), Reason::ReservedTopic)]);
    }

    #[test]
    fn absurd_numbers_and_empty_names_are_refused() {
        let mut draft = Draft::starter(Flavor::PythonCpp);
        draft.until_s = "999999999".into();
        draft.nameservers = "0".into();
        draft.seed = "-1".into();
        draft.brokers[0].name = " ".into();
        draft.consumers[0].fail_times = "1e9".into();
        let fields: Vec<Field> = draft.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![Field::Seed, Field::Until, Field::Nameservers, Field::BrokerName(0), Field::ConsumerFailTimes(0)]
        );
    }

    #[test]
    fn renaming_a_broker_or_topic_follows_into_references() {
        let mut draft = Draft::starter(Flavor::PythonCpp);
        draft.add_broker();
        assert_eq!(draft.brokers[1].name, "broker-b");
        assert_eq!(draft.topics[0].brokers, vec!["broker-a", "broker-b"]);
        draft.rename_broker(1, "east".into());
        assert_eq!(draft.topics[0].brokers, vec!["broker-a", "east"]);
        draft.rename_topic(0, "Orders".into());
        assert_eq!(draft.consumers[0].subscriptions[0].topic, "Orders");
        draft.toggle_topic_broker(0, "broker-a", false);
        draft.toggle_topic_broker(0, "broker-a", true);
        assert_eq!(draft.topics[0].brokers, vec!["broker-a", "east"]);
        draft.remove_broker(0);
        assert_eq!(draft.topics[0].brokers, vec!["east"]);
        let scenario = draft.build().expect("builds");
        assert_eq!(scenario.topics[0].brokers, None, "a topic on every broker names none");
    }

    #[test]
    fn a_topic_on_no_broker_and_no_brokers_at_all_are_refused() {
        let mut draft = Draft::starter(Flavor::PythonCpp);
        draft.toggle_topic_broker(0, "broker-a", false);
        assert_eq!(reasons(&draft), vec![(Field::TopicBrokers(0), Reason::NoTopicBrokers)]);
        draft.remove_broker(0);
        assert_eq!(
            reasons(&draft),
            vec![(Field::Brokers, Reason::NoBrokers), (Field::TopicBrokers(0), Reason::NoTopicBrokers)]
        );
    }

    #[test]
    fn listener_results_follow_the_listener_and_the_flavor() {
        let mut draft = Draft::starter(Flavor::Java4);
        draft.set_listener(0, ListenerKind::Orderly);
        draft.consumers[0].result = ConsumeResult::ReconsumeLater;
        assert_eq!(reasons(&draft), vec![(Field::ConsumerResult(0), Reason::ResultNotForListener)]);
        draft.set_client(Flavor::PythonCpp);
        assert_eq!(draft.consumers[0].result, ConsumeResult::ReconsumeLater, "python-cpp orderly may return it");
        assert_eq!(reasons(&draft), vec![]);
        draft.set_client(Flavor::Java4);
        assert_eq!(draft.consumers[0].result, ConsumeResult::ConsumeSuccess);
        draft.consumers[0].result = ConsumeResult::SuspendCurrentQueueAMoment;
        draft.set_listener(0, ListenerKind::Concurrently);
        assert_eq!(draft.consumers[0].result, ConsumeResult::ConsumeSuccess);
    }

    #[test]
    fn consumers_of_one_group_must_subscribe_alike() {
        let mut draft = Draft::starter(Flavor::PythonCpp);
        draft.add_consumer();
        assert_eq!(draft.consumers[1].group, "ConsumerGroup");
        assert_eq!(reasons(&draft), vec![]);
        draft.consumers[1].subscriptions[0].expression = "TagA".into();
        assert_eq!(reasons(&draft), vec![(Field::ConsumerSubs(1), Reason::GroupMismatch("c1".into()))]);
    }

    #[test]
    fn actions_naming_a_removed_node_are_counted_and_refused_by_the_engine_if_kept() {
        let mut draft = Draft::from_scenario(&preset("sync-retry-killed-broker"));
        let brokers = draft.brokers.len();
        assert!(brokers >= 2);
        draft.remove_broker(0);
        assert!(draft.orphan_actions() >= 1);
        match draft.build() {
            Err(problems) => assert!(matches!(&problems[0].reason, Reason::Engine(m) if m.contains("unknown"))),
            Ok(_) => panic!("an action naming a removed broker must be refused"),
        }
        draft.keep_actions = false;
        assert!(draft.build().is_ok());
    }
}
