//! The four kinds of node, as state machines the kernel drives.
//!
//! Each node reacts to packets, timers and closed connections through the
//! [`Core`](crate::sim::Core) it is handed; it never reaches another node
//! directly. `crash` forgets what lived only in memory; `shutdown` is the
//! clean stop (unregister, persist) before the kernel takes the node down.

pub mod broker;
pub mod consumer;
pub mod name_server;
pub mod producer;

use crate::names::NodeId;
use crate::protocol::Packet;
use crate::sim::{Core, Timer};

/// The NameServers a client knows: all of them unless its spec names some (validated names).
pub fn known_nameservers(cx: &Core, names: &Option<Vec<String>>) -> Vec<NodeId> {
    match names {
        None => cx.nameservers.clone(),
        Some(list) => list
            .iter()
            .filter_map(|n| n.strip_prefix("namesrv-")?.parse::<usize>().ok())
            .filter_map(|i| cx.nameservers.get(i).copied())
            .collect(),
    }
}

/// A node of any kind.
pub enum Node {
    NameServer(name_server::NameServer),
    Broker(Box<broker::Broker>),
    Producer(Box<producer::Producer>),
    Consumer(Box<consumer::Consumer>),
}

impl Node {
    pub fn autostart(&self) -> bool {
        match self {
            Node::NameServer(_) | Node::Broker(_) => true,
            Node::Producer(p) => p.autostart(),
            Node::Consumer(c) => c.autostart(),
        }
    }

    pub fn start(&mut self, cx: &mut Core, me: NodeId) {
        match self {
            Node::NameServer(n) => n.start(cx, me),
            Node::Broker(b) => b.start(cx, me),
            Node::Producer(p) => p.start(cx, me),
            Node::Consumer(c) => c.start(cx, me),
        }
    }

    pub fn on_packet(&mut self, cx: &mut Core, me: NodeId, from: NodeId, pkt: Packet) {
        match self {
            Node::NameServer(n) => n.on_packet(cx, me, from, pkt),
            Node::Broker(b) => b.on_packet(cx, me, from, pkt),
            Node::Producer(p) => p.on_packet(cx, me, from, pkt),
            Node::Consumer(c) => c.on_packet(cx, me, from, pkt),
        }
    }

    pub fn on_timer(&mut self, cx: &mut Core, me: NodeId, timer: Timer) {
        match self {
            Node::NameServer(n) => n.on_timer(cx, me, timer),
            Node::Broker(b) => b.on_timer(cx, me, timer),
            Node::Producer(p) => p.on_timer(cx, me, timer),
            Node::Consumer(c) => c.on_timer(cx, me, timer),
        }
    }

    pub fn on_channel_closed(&mut self, cx: &mut Core, me: NodeId, peer: NodeId) {
        match self {
            Node::NameServer(n) => n.on_channel_closed(cx, me, peer),
            Node::Broker(b) => b.on_channel_closed(cx, me, peer),
            Node::Producer(p) => p.on_channel_closed(cx, me, peer),
            Node::Consumer(c) => c.on_channel_closed(cx, me, peer),
        }
    }

    pub fn crash(&mut self, cx: &mut Core, me: NodeId, power_loss: bool) {
        match self {
            Node::NameServer(n) => n.crash(),
            Node::Broker(b) => b.crash(cx, me, power_loss),
            Node::Producer(p) => p.crash(cx, me),
            Node::Consumer(c) => c.crash(cx, me),
        }
    }

    pub fn shutdown(&mut self, cx: &mut Core, me: NodeId) {
        match self {
            Node::NameServer(n) => n.crash(),
            Node::Broker(b) => b.shutdown(cx, me),
            Node::Producer(p) => p.shutdown(cx, me),
            Node::Consumer(c) => c.shutdown(cx, me),
        }
    }
}
