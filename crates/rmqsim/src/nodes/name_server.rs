//! The NameServer: brokers register here; clients ask it for topic routes.
//!
//! Registrations arrive at broker start, again at 10 s, then every 30 s, and
//! whenever a topic is created. A broker is dropped when its connection closes
//! (at once), when the channel idles for 120 s, or by the scan every 10 s
//! (first after 5 s) that expires entries older than 120 s.

use crate::names::{NodeId, TopicId};
use crate::protocol::{BrokerData, Packet, QueueData, Registration, TopicRoute, PERM_WRITE};
use crate::sim::{Core, Timer};
use crate::trace::Record;
use crate::vecmap::SortedMap;
use std::rc::Rc;

pub const BROKER_EXPIRE_MS: u64 = 120_000;
pub const SCAN_FIRST_MS: u64 = 5_000;
pub const SCAN_PERIOD_MS: u64 = 10_000;

/// A registered broker (one brokerName, its master).
#[derive(Clone, Debug)]
pub struct BrokerEntry {
    pub node: NodeId,
    pub last_update: u64,
    pub registration: Rc<Registration>,
}

/// NameServer state (all of it is in memory; a restart starts empty).
#[derive(Default)]
pub struct NameServer {
    pub brokers: SortedMap<Rc<str>, BrokerEntry>,
}

impl NameServer {
    pub fn new() -> NameServer {
        NameServer::default()
    }

    pub fn start(&mut self, cx: &mut Core, me: NodeId) {
        self.brokers.clear();
        cx.timer(me, SCAN_FIRST_MS, Timer::ScanBrokers);
    }

    pub fn crash(&mut self) {
        self.brokers.clear();
    }

    pub fn on_packet(&mut self, cx: &mut Core, me: NodeId, from: NodeId, pkt: Packet) {
        match pkt {
            Packet::RegisterBroker(reg) => self.register(cx, me, from, reg),
            Packet::UnregisterBroker { broker_name } => {
                self.remove(cx, me, &broker_name, "unregistered: the broker shut down cleanly");
            }
            Packet::GetRoute { req, topic } => {
                let route = self.route(topic).map(Rc::new);
                cx.send(me, from, Packet::RouteReply { req, topic, route });
            }
            _ => {}
        }
    }

    fn register(&mut self, cx: &mut Core, me: NodeId, from: NodeId, reg: Rc<Registration>) {
        let name = reg.broker_name.clone();
        let first = !self.brokers.contains_key(&name);
        let entry = BrokerEntry { node: from, last_update: cx.now, registration: reg.clone() };
        self.brokers.insert(name.clone(), entry);
        cx.timer(me, BROKER_EXPIRE_MS, Timer::BrokerIdle(from));
        if cx.tracing() {
            let why = if first {
                format!(
                    "{} registers at {} with {} topics (brokerId 0 = master)",
                    name,
                    reg.broker_addr,
                    reg.topics.len()
                )
            } else {
                match reg.reason {
                    "topic created" => format!("{} registers again at once because a topic was created (dataVersion {})", name, reg.data_version),
                    _ => format!("{} renews its registration ({}; every 30 s after the one at 10 s); it expires 120 s after the last one", name, reg.reason),
                }
            };
            let rec = Record::new(cx.now, "broker_registered")
                .f("broker", &name)
                .f("nameserver", cx.name(me))
                .f("addr", &reg.broker_addr)
                .f("first", first)
                .f("why", why);
            cx.emit(rec);
        }
    }

    fn remove(&mut self, cx: &mut Core, me: NodeId, name: &str, reason: &str) {
        if let Some(e) = self.brokers.remove(name) {
            if cx.tracing() {
                let why = format!("{name} is removed with its queue data: {reason}; clients stop using it at their next route poll (≤ 30 s)");
                let rec = Record::new(cx.now, "broker_expired")
                    .f("broker", &e.registration.broker_name)
                    .f("nameserver", cx.name(me))
                    .f("reason", reason)
                    .f("why", why);
                cx.emit(rec);
            }
        }
    }

    pub fn on_timer(&mut self, cx: &mut Core, me: NodeId, timer: Timer) {
        match timer {
            Timer::ScanBrokers => {
                let expired: Vec<Rc<str>> = self
                    .brokers
                    .iter()
                    .filter(|(_, e)| e.last_update + BROKER_EXPIRE_MS < cx.now)
                    .map(|(n, _)| n.clone())
                    .collect();
                for n in expired {
                    self.remove(cx, me, &n, "not active for 120 s (scanNotActiveBroker)");
                }
                cx.timer(me, SCAN_PERIOD_MS, Timer::ScanBrokers);
            }
            Timer::BrokerIdle(node) => {
                let idle: Vec<Rc<str>> = self
                    .brokers
                    .iter()
                    .filter(|(_, e)| e.node == node && e.last_update + BROKER_EXPIRE_MS <= cx.now)
                    .map(|(n, _)| n.clone())
                    .collect();
                for n in idle {
                    self.remove(cx, me, &n, "channel idle for 120 s (no registration arrived)");
                }
            }
            _ => {}
        }
    }

    pub fn on_channel_closed(&mut self, cx: &mut Core, me: NodeId, peer: NodeId) {
        let gone: Vec<Rc<str>> = self.brokers.iter().filter(|(_, e)| e.node == peer).map(|(n, _)| n.clone()).collect();
        for n in gone {
            self.remove(cx, me, &n, "connection closed (the broker's process died)");
        }
    }

    /// The route of `topic`: queue data sorted by broker name, or None (TOPIC_NOT_EXIST).
    pub fn route(&self, topic: TopicId) -> Option<TopicRoute> {
        let mut queue_datas = Vec::new();
        let mut broker_datas = Vec::new();
        for (name, e) in self.brokers.iter() {
            if let Some(tc) = e.registration.topics.iter().find(|t| t.topic == topic) {
                queue_datas.push(QueueData {
                    broker_name: name.clone(),
                    read_queues: tc.read_queues,
                    write_queues: tc.write_queues,
                    perm: tc.perm,
                });
                broker_datas.push(BrokerData {
                    broker_name: name.clone(),
                    master: Some(e.node),
                    master_addr: Some(e.registration.broker_addr.clone()),
                });
            }
        }
        if queue_datas.is_empty() {
            return None;
        }
        Some(TopicRoute { queue_datas, broker_datas })
    }

    /// Whether a broker's queues are writeable in a route (for the UI).
    pub fn writeable(q: &QueueData) -> bool {
        q.perm & PERM_WRITE != 0
    }
}
