//! A read-only picture of the cluster for the UI: nodes, queues, offsets,
//! waiting delayed messages, packets on the wire.
//!
//! The UI never reaches into node internals; it asks for a [`Snapshot`] and
//! draws that. Everything here is plain data (serde-serializable) so it can
//! also cross the JS boundary or be written to a file.

use crate::names::SCHEDULE_TOPIC;
use crate::nodes::Node;
use crate::protocol::PERM_WRITE;
use crate::sim::Sim;
use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Snapshot {
    pub t: u64,
    pub events: u64,
    pub client: &'static str,
    pub nodes: Vec<NodeSnap>,
    pub flights: Vec<FlightSnap>,
    pub partitions: Vec<(String, String)>,
    /// Links whose latency, loss or hold differs from the network's defaults.
    pub links: Vec<LinkSnap>,
    /// Every armed timer: (node, what it is for, when it fires).
    pub timers: Vec<TimerSnap>,
    /// Invariant checks the engine has run (0 when checking is off); a violation panics.
    pub invariant_checks: u64,
}

/// One link with settings of its own (or of one of its nodes).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkSnap {
    pub a: String,
    pub b: String,
    /// One-way latency range in ms, when it differs from the network's default.
    pub latency: Option<(u64, u64)>,
    /// Probability that a packet is lost, when it differs from the network's default.
    pub loss: Option<f64>,
    /// Packets are parked until the link is released.
    pub held: bool,
    /// Packets parked on the link right now (both directions).
    pub held_packets: usize,
}

impl LinkSnap {
    /// Whether this is the link between `a` and `b` (either way round).
    pub fn joins(&self, a: &str, b: &str) -> bool {
        (self.a == a && self.b == b) || (self.a == b && self.b == a)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimerSnap {
    pub node: String,
    pub kind: &'static str,
    pub at: u64,
}

/// A send still waiting for its reply.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InFlightSend {
    pub msg: u64,
    pub mode: &'static str,
    pub attempt: u32,
    /// The queue the current attempt went to, or None while the route is being fetched.
    pub queue: Option<String>,
    pub since: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeSnap {
    pub name: String,
    pub kind: &'static str,
    pub alive: bool,
    pub detail: NodeDetail,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum NodeDetail {
    NameServer { brokers: Vec<String> },
    Broker(BrokerSnap),
    Producer(ProducerSnap),
    Consumer(ConsumerSnap),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BrokerSnap {
    pub addr: String,
    pub role: &'static str,
    pub flush: &'static str,
    pub slave: Option<bool>,
    pub commitlog_end: u64,
    pub flushed: u64,
    pub messages_stored: u64,
    pub topics: Vec<TopicSnap>,
    pub delay_levels: Vec<DelayLevelSnap>,
    pub groups: Vec<GroupSnap>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopicSnap {
    pub name: String,
    pub read_queues: u32,
    pub write_queues: u32,
    pub perm: u32,
    pub writeable: bool,
    pub queues: Vec<QueueSnap>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueSnap {
    pub queue_id: u32,
    pub min_offset: u64,
    pub max_offset: u64,
    /// (group, broker-side consume offset, lag)
    pub consumer_offsets: Vec<(String, u64, u64)>,
    /// The newest messages (up to 64): (queue offset, msg, tags, reconsume times).
    pub recent: Vec<MsgCell>,
    pub locked_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MsgCell {
    pub offset: u64,
    pub msg: u64,
    pub tags: Option<String>,
    pub reconsume_times: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DelayLevelSnap {
    pub level: u32,
    pub delay_ms: u64,
    /// Waiting messages: (msg, due time ms).
    pub waiting: Vec<(u64, u64)>,
    pub delivered_offset: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupSnap {
    pub group: String,
    pub members: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProducerSnap {
    pub group: String,
    pub routes: Vec<(String, Vec<String>)>,
    pub attempts: u64,
    pub ok: u64,
    pub failed: u64,
    pub in_flight: Vec<InFlightSend>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsumerSnap {
    pub group: String,
    pub client_id: String,
    pub model: &'static str,
    pub listener: &'static str,
    pub queues: Vec<OwnedQueueSnap>,
    pub delivered: u64,
    pub succeeded: u64,
    pub failed: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OwnedQueueSnap {
    pub queue: String,
    pub next_offset: Option<u64>,
    pub in_flight: u64,
    pub commit_offset: Option<u64>,
    pub locked: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlightSnap {
    pub from: String,
    pub to: String,
    pub kind: &'static str,
    pub sent: u64,
    pub arrive: u64,
    pub msg: Option<u64>,
}

const RECENT_CELLS: u64 = 64;

impl Sim {
    /// The whole cluster as plain data.
    /// The packets on the wire (what [`Snapshot::flights`] holds), alone:
    /// cheap enough to take every animation frame.
    pub fn flight_snaps(&self) -> Vec<FlightSnap> {
        let core = &self.core;
        core.flights
            .values()
            .map(|f| FlightSnap {
                from: core.name(f.from).to_string(),
                to: core.name(f.to).to_string(),
                kind: f.kind,
                sent: f.sent,
                arrive: f.arrive,
                msg: f.msg.map(|m| m.0),
            })
            .collect()
    }

    pub fn snapshot(&self) -> Snapshot {
        let core = &self.core;
        let nodes = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let m = &core.meta[i];
                let (kind, detail) = match n {
                    Node::NameServer(ns) => (
                        "nameserver",
                        NodeDetail::NameServer { brokers: ns.brokers.keys().map(|k| k.to_string()).collect() },
                    ),
                    Node::Broker(b) => ("broker", NodeDetail::Broker(self.broker_snap(b))),
                    Node::Producer(p) => ("producer", NodeDetail::Producer(self.producer_snap(p))),
                    Node::Consumer(c) => ("consumer", NodeDetail::Consumer(self.consumer_snap(c))),
                };
                NodeSnap { name: m.name.to_string(), kind, alive: m.alive, detail }
            })
            .collect();
        let flights = self.flight_snaps();
        let partitions =
            core.net.partitions().iter().map(|(a, b)| (core.name(*a).to_string(), core.name(*b).to_string())).collect();
        let timers = core
            .armed_timers()
            .into_iter()
            .map(|(node, timer, at)| TimerSnap { node: core.name(node).to_string(), kind: timer.name(), at })
            .collect();
        let links = core
            .net
            .unusual_links()
            .into_iter()
            .map(|(a, b)| LinkSnap {
                a: core.name(a).to_string(),
                b: core.name(b).to_string(),
                latency: Some(core.net.latency(a, b)).filter(|l| *l != core.net.default_latency()),
                loss: Some(core.net.loss_ppm(a, b))
                    .filter(|l| *l != core.net.default_loss_ppm())
                    .map(|ppm| f64::from(ppm) / 1_000_000.0),
                held: core.net.is_held(a, b),
                held_packets: core.held_between(a, b),
            })
            .collect();
        Snapshot {
            t: core.now,
            events: self.events(),
            client: core.flavor.name(),
            nodes,
            flights,
            partitions,
            links,
            timers,
            invariant_checks: core.checks,
        }
    }

    fn broker_snap(&self, b: &crate::nodes::broker::Broker) -> BrokerSnap {
        let topics_tbl = &self.core.topics;
        let mut topics = Vec::new();
        for tc in b.topics.values() {
            let name = topics_tbl.name(tc.topic).to_string();
            let nq = tc.read_queues.max(tc.write_queues);
            let queues = (0..nq)
                .map(|q| {
                    let cq = b.cqs.get(&(tc.topic, q));
                    let (min, max) = cq.map(|c| (c.min_offset(), c.max_offset())).unwrap_or((0, 0));
                    let consumer_offsets = b
                        .offsets
                        .iter()
                        .filter(|(k, _)| k.1 == tc.topic && k.2 == q)
                        .map(|(k, o)| (k.0.to_string(), *o, max.saturating_sub(*o)))
                        .collect();
                    let recent = cq
                        .map(|c| {
                            (max.saturating_sub(RECENT_CELLS).max(min)..max)
                                .filter_map(|off| {
                                    let e = c.get(off)?;
                                    let m = b.log.get(e.log_index)?;
                                    Some(MsgCell {
                                        offset: off,
                                        msg: m.content.sim.0,
                                        tags: m.content.tags.as_deref().map(str::to_string),
                                        reconsume_times: m.reconsume_times,
                                    })
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let locked_by =
                        b.locks.iter().find(|(k, _)| k.1 == tc.topic && k.2 == q).map(|(_, (cid, _))| cid.to_string());
                    QueueSnap { queue_id: q, min_offset: min, max_offset: max, consumer_offsets, recent, locked_by }
                })
                .collect();
            topics.push(TopicSnap {
                name,
                read_queues: tc.read_queues,
                write_queues: tc.write_queues,
                perm: tc.perm,
                writeable: tc.perm & PERM_WRITE != 0,
                queues,
            });
        }
        let sched = topics_tbl.find(SCHEDULE_TOPIC);
        let delay_levels = b
            .conf
            .message_delay_level
            .iter()
            .enumerate()
            .map(|(i, delay)| {
                let level = i as u32 + 1;
                let cq = sched.and_then(|t| b.cqs.get(&(t, i as u32)));
                let done = b.delay_offsets.get(i).copied().unwrap_or(0);
                let waiting = cq
                    .map(|c| {
                        (done.max(c.min_offset())..c.max_offset())
                            .take(256)
                            .filter_map(|off| {
                                let e = c.get(off)?;
                                let m = b.log.get(e.log_index)?;
                                Some((m.content.sim.0, e.tags_code as u64))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                DelayLevelSnap { level, delay_ms: *delay, waiting, delivered_offset: done }
            })
            .collect();
        let groups = b
            .groups
            .iter()
            .map(|(g, m)| GroupSnap { group: g.to_string(), members: m.keys().map(|k| k.to_string()).collect() })
            .collect();
        BrokerSnap {
            addr: b.addr.to_string(),
            role: b.role().name(),
            flush: b.conf.flush_disk_type.name(),
            slave: b.has_slave.then_some(b.slave_up),
            commitlog_end: b.log.end_offset,
            flushed: b.log.flushed_offset,
            messages_stored: b.stats.stored,
            topics,
            delay_levels,
            groups,
        }
    }

    fn producer_snap(&self, p: &crate::nodes::producer::Producer) -> ProducerSnap {
        let routes = p
            .routes
            .iter()
            .map(|(t, info)| {
                let name = self.core.topics.name(*t).to_string();
                let qs = info.queues.iter().map(|q| format!("{}:{}:{}", q.broker, name, q.queue_id)).collect();
                (name, qs)
            })
            .collect();
        let in_flight = p
            .in_flight()
            .into_iter()
            .map(|(msg, mode, attempt, queue, since)| InFlightSend {
                msg,
                mode,
                attempt,
                queue: queue.map(|(b, t, q)| format!("{b}:{}:{q}", self.core.topics.name(t))),
                since,
            })
            .collect();
        ProducerSnap {
            group: p.group.to_string(),
            routes,
            attempts: p.stats.attempts,
            ok: p.stats.ok,
            failed: p.stats.failed,
            in_flight,
        }
    }

    fn consumer_snap(&self, c: &crate::nodes::consumer::Consumer) -> ConsumerSnap {
        let queues = c
            .pqs
            .iter()
            .filter(|p| !p.dropped)
            .map(|p| OwnedQueueSnap {
                queue: p.label(&self.core.topics),
                next_offset: p.next_offset,
                in_flight: p.msgs.len() as u64,
                commit_offset: p.commit_offset(),
                locked: p.locked,
            })
            .collect();
        let spec = self.scenario().consumers.iter().find(|s| s.id == *c.id);
        ConsumerSnap {
            group: c.group.to_string(),
            client_id: c.client_id.to_string(),
            model: match spec.map(|s| s.model) {
                Some(crate::scenario::MessageModel::Broadcasting) => "BROADCASTING",
                _ => "CLUSTERING",
            },
            listener: match spec.map(|s| s.listener) {
                Some(crate::scenario::ListenerKind::Orderly) => "ORDERLY",
                _ => "CONCURRENTLY",
            },
            queues,
            delivered: c.stats.delivered,
            succeeded: c.stats.succeeded,
            failed: c.stats.failed,
        }
    }
}
