//! Where each node of the cluster view goes, and the paths of the links
//! between nodes that talk: NameServers on top, brokers stacked in the
//! middle, producers on the left, consumers on the right.
//!
//! Pure geometry in CSS pixels of the view's actual size (so labels keep
//! their size at any window size); when the cluster needs more height than
//! the view has, the layout reports the height it needs and the SVG scales
//! it down to fit. Packets travel along the same polylines as the links.
//!
//! A view narrower than [`NARROW`] (a phone held upright) gets a stacked
//! picture instead, at full size rather than scaled down: NameServers on
//! top, the brokers under them, then producers (left half) and consumers
//! (right half) side by side; the links run through narrow gutters.

use rmqsim::snapshot::{BrokerSnap, NodeDetail, NodeSnap, TopicSnap};

use crate::view_model::is_system_topic;

/// A point in the view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pt {
    pub x: f64,
    pub y: f64,
}

/// A rectangle in the view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    pub fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
    pub fn center(&self) -> Pt {
        Pt { x: self.cx(), y: self.cy() }
    }
    fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }
}

/// One node's card.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeBox {
    pub name: String,
    pub kind: &'static str,
    /// Index of the node in `snapshot.nodes`.
    pub index: usize,
    pub rect: Rect,
}

/// A link between two nodes that talk, as a polyline from `a` to `b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub a: String,
    pub b: String,
    pub points: Vec<Pt>,
    /// A link to a NameServer (registration and routes) rather than data.
    pub registry: bool,
}

/// The whole picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    /// At least the view's height; more when the cluster needs it.
    pub height: f64,
    /// The height the picture needs (the cards, and at least the 240 px the
    /// wide picture is drawn in): a narrow screen sizes the view to it.
    pub needed: f64,
    pub nodes: Vec<NodeBox>,
    pub links: Vec<Link>,
}

/// Size of a NameServer card.
pub const NS_W: f64 = 210.0;
pub const NS_H: f64 = 50.0;
/// Height of a producer or consumer card.
pub const CLIENT_H: f64 = 60.0;
/// Height of a broker card's header (name, role, flush, address).
pub const BROKER_HEAD: f64 = 60.0;
/// Height of one topic row in a broker card.
pub const TOPIC_ROW: f64 = 22.0;
const MARGIN: f64 = 14.0;
const GAP: f64 = 12.0;

/// The topics a broker card shows: user topics always, special ones
/// (retry, dead-letter, schedule) only when they hold messages.
pub fn visible_topics(broker: &BrokerSnap) -> Vec<&TopicSnap> {
    broker
        .topics
        .iter()
        .filter(|t| !is_system_topic(&t.name) || t.queues.iter().any(|q| q.max_offset > 0))
        .filter(|t| t.name != "TBW102")
        .collect()
}

/// Whether a broker card shows a row for delayed messages waiting in
/// SCHEDULE_TOPIC_XXXX (one cell per delay level that holds any).
pub fn shows_delay_row(broker: &BrokerSnap) -> bool {
    broker.delay_levels.iter().any(|level| !level.waiting.is_empty())
        && !broker.topics.iter().any(|t| t.name == "SCHEDULE_TOPIC_XXXX" && t.queues.iter().any(|q| q.max_offset > 0))
}

/// A broker card's height.
pub fn broker_height(broker: &BrokerSnap) -> f64 {
    let rows = (visible_topics(broker).len() + usize::from(shows_delay_row(broker))).max(1) as f64;
    BROKER_HEAD + rows * TOPIC_ROW + 8.0
}

/// The narrowest wide picture: a 224 px broker between two 150 px client
/// columns with their 14 px margins, a few pixels apart.
const WIDE_MIN: f64 = 560.0;

/// Views narrower than this get the stacked picture from [`layout`] (a
/// phone's page sizes the view to the picture). A view of fixed height, such
/// as the embedded player's, uses [`wide`], the wide picture scaled down,
/// which fits a short box better.
pub const NARROW: f64 = 480.0;
/// The narrowest stacked picture (narrower views scale it down).
const NARROWEST: f64 = 300.0;
/// The gutters beside the stacked brokers, where registry and data links run.
const GUTTER: f64 = 22.0;

/// Lays out `nodes` in a view of `width` × `height` pixels: stacked under
/// [`NARROW`], else [`wide`].
pub fn layout(nodes: &[NodeSnap], width: f64, height: f64) -> Layout {
    if width < NARROW {
        return stacked(nodes, width.max(NARROWEST), height);
    }
    wide(nodes, width, height)
}

/// The wide picture (NameServers on top, brokers in the middle, producers
/// left, consumers right) in a view of `width` × `height` pixels; it needs
/// [`WIDE_MIN`] across, so a narrower view shows it scaled down rather than
/// with overlapping cards.
pub fn wide(nodes: &[NodeSnap], width: f64, height: f64) -> Layout {
    let width = width.max(WIDE_MIN);
    let height = height.max(240.0);
    let client_w = (width * 0.2).clamp(150.0, 200.0);
    let gutter = (width * 0.07).clamp(40.0, 110.0);
    let broker_w = (width - 2.0 * (client_w + MARGIN + gutter)).clamp(224.0, 340.0);
    let broker_x = (width - broker_w) / 2.0;

    let of_kind = |kind: &'static str| nodes.iter().enumerate().filter(move |(_, n)| n.kind == kind);

    let mut boxes = Vec::new();
    // NameServers: one row, centred on top.
    let ns: Vec<_> = of_kind("nameserver").collect();
    let ns_w = NS_W.min((width - 2.0 * MARGIN) / ns.len().max(1) as f64 - GAP);
    let row_w = ns.len() as f64 * (ns_w + GAP) - GAP;
    for (i, (index, node)) in ns.iter().enumerate() {
        let x = (width - row_w) / 2.0 + i as f64 * (ns_w + GAP);
        boxes.push(node_box(node, *index, Rect { x, y: MARGIN, w: ns_w, h: NS_H }));
    }
    // Brokers: a column in the middle.
    let top = MARGIN + NS_H + 28.0;
    let mut y = top;
    for (index, node) in of_kind("broker") {
        let h = match &node.detail {
            NodeDetail::Broker(b) => broker_height(b),
            _ => BROKER_HEAD + TOPIC_ROW,
        };
        boxes.push(node_box(node, index, Rect { x: broker_x, y, w: broker_w, h }));
        y += h + GAP;
    }
    let brokers_bottom = (y - GAP).max(top + CLIENT_H);
    let middle = (top + brokers_bottom) / 2.0;
    // Clients: columns on each side, centred on the brokers.
    for (kind, x) in [("producer", MARGIN), ("consumer", width - MARGIN - client_w)] {
        let column: Vec<_> = of_kind(kind).collect();
        let total = column.len() as f64 * (CLIENT_H + GAP) - GAP;
        let mut cy = (middle - total / 2.0).max(top - 8.0);
        for (index, node) in column {
            boxes.push(node_box(node, index, Rect { x, y: cy, w: client_w, h: CLIENT_H }));
            cy += CLIENT_H + GAP;
        }
    }
    let needed = boxes.iter().map(|b| b.rect.bottom()).fold(0.0, f64::max) + MARGIN;
    // Centre the picture in a tall view (a little above the middle reads best).
    let dy = ((height - needed) * 0.42).max(0.0);
    for b in &mut boxes {
        b.rect.y += dy;
    }
    let links = links(&boxes);
    Layout { width, height: height.max(needed), needed: needed.max(240.0), nodes: boxes, links }
}

/// The stacked picture for a narrow view: NameServers, brokers, then the
/// clients in two half-width columns (producers left, consumers right).
fn stacked(nodes: &[NodeSnap], width: f64, height: f64) -> Layout {
    let of_kind = |kind: &'static str| nodes.iter().enumerate().filter(move |(_, n)| n.kind == kind);
    let mut boxes = Vec::new();
    let ns: Vec<_> = of_kind("nameserver").collect();
    let ns_w = NS_W.min((width - 2.0 * MARGIN) / ns.len().max(1) as f64 - GAP);
    let row_w = ns.len() as f64 * (ns_w + GAP) - GAP;
    for (i, (index, node)) in ns.iter().enumerate() {
        let x = (width - row_w) / 2.0 + i as f64 * (ns_w + GAP);
        boxes.push(node_box(node, *index, Rect { x, y: MARGIN, w: ns_w, h: NS_H }));
    }
    let broker_x = MARGIN + GUTTER;
    let broker_w = width - 2.0 * broker_x;
    let mut y = MARGIN + NS_H + 28.0;
    for (index, node) in of_kind("broker") {
        let h = match &node.detail {
            NodeDetail::Broker(b) => broker_height(b),
            _ => BROKER_HEAD + TOPIC_ROW,
        };
        boxes.push(node_box(node, index, Rect { x: broker_x, y, w: broker_w, h }));
        y += h + GAP;
    }
    let clients_top = y - GAP + 28.0;
    let client_w = (width - 2.0 * MARGIN - GAP) / 2.0;
    for (kind, x) in [("producer", MARGIN), ("consumer", width - MARGIN - client_w)] {
        let mut cy = clients_top;
        for (index, node) in of_kind(kind) {
            boxes.push(node_box(node, index, Rect { x, y: cy, w: client_w, h: CLIENT_H }));
            cy += CLIENT_H + GAP;
        }
    }
    let needed = boxes.iter().map(|b| b.rect.bottom()).fold(0.0, f64::max) + MARGIN;
    let links = stacked_links(&boxes, width);
    Layout { width, height: height.max(needed), needed, nodes: boxes, links }
}

/// The links of the stacked picture: NameServer to broker as in the wide
/// picture; a client's registry link along the outer edge up to the
/// NameServer's side; a client's data link up its gutter into the broker's
/// side (producers on the left, consumers on the right).
fn stacked_links(boxes: &[NodeBox], width: f64) -> Vec<Link> {
    let of = |kind: &'static str| boxes.iter().filter(move |b| b.kind == kind);
    let mut out = Vec::new();
    let edge = MARGIN / 2.0;
    let brokers: Vec<&NodeBox> = of("broker").collect();
    for (k, ns) in of("nameserver").enumerate() {
        for (i, b) in brokers.iter().enumerate() {
            let r = b.rect;
            let points = if i == 0 {
                let x = ns.rect.cx().clamp(r.x + 24.0, r.right() - 24.0);
                vec![Pt { x: ns.rect.cx(), y: ns.rect.bottom() }, Pt { x, y: r.y }]
            } else {
                // Down the gutter on the brokers' right, a lane per broker and NameServer.
                let lane = ns.rect.bottom() + 9.0 + 4.0 * k as f64;
                let gx = r.right() + (4.0 + 3.0 * ((i - 1) + k) as f64).min(GUTTER / 2.0);
                let entry = r.y + 16.0;
                vec![
                    Pt { x: ns.rect.cx(), y: ns.rect.bottom() },
                    Pt { x: ns.rect.cx(), y: lane },
                    Pt { x: gx, y: lane },
                    Pt { x: gx, y: entry },
                    Pt { x: r.right(), y: entry },
                ]
            };
            out.push(Link { a: ns.name.clone(), b: b.name.clone(), points, registry: true });
        }
        for p in of("producer") {
            let points = vec![
                Pt { x: p.rect.x, y: p.rect.cy() },
                Pt { x: edge, y: p.rect.cy() },
                Pt { x: edge, y: ns.rect.cy() },
                Pt { x: ns.rect.x, y: ns.rect.cy() },
            ];
            out.push(Link { a: p.name.clone(), b: ns.name.clone(), points, registry: true });
        }
        for c in of("consumer") {
            let points = vec![
                Pt { x: c.rect.right(), y: c.rect.cy() },
                Pt { x: width - edge, y: c.rect.cy() },
                Pt { x: width - edge, y: ns.rect.cy() },
                Pt { x: ns.rect.right(), y: ns.rect.cy() },
            ];
            out.push(Link { a: c.name.clone(), b: ns.name.clone(), points, registry: true });
        }
    }
    for b in of("broker") {
        let (left, right) = (MARGIN + GUTTER / 2.0, width - MARGIN - 4.0);
        for p in of("producer") {
            let points =
                vec![Pt { x: left, y: p.rect.y }, Pt { x: left, y: b.rect.cy() }, Pt { x: b.rect.x, y: b.rect.cy() }];
            out.push(Link { a: p.name.clone(), b: b.name.clone(), points, registry: false });
        }
        for c in of("consumer") {
            let y = b.rect.y + b.rect.h * 0.62;
            let points = vec![Pt { x: right, y: c.rect.y }, Pt { x: right, y }, Pt { x: b.rect.right(), y }];
            out.push(Link { a: c.name.clone(), b: b.name.clone(), points, registry: false });
        }
    }
    out
}

fn node_box(node: &NodeSnap, index: usize, rect: Rect) -> NodeBox {
    NodeBox { name: node.name.clone(), kind: node.kind, index, rect }
}

/// The links between nodes that talk to each other.
fn links(boxes: &[NodeBox]) -> Vec<Link> {
    let of = |kind: &'static str| boxes.iter().filter(move |b| b.kind == kind);
    let mut out = Vec::new();
    let brokers: Vec<&NodeBox> = of("broker").collect();
    for (k, ns) in of("nameserver").enumerate() {
        for (i, b) in brokers.iter().enumerate() {
            let r = b.rect;
            let points = if i == 0 {
                let x = ns.rect.cx().clamp(r.x + 24.0, r.right() - 24.0);
                vec![Pt { x: ns.rect.cx(), y: ns.rect.bottom() }, Pt { x, y: r.y }]
            } else {
                // Around the brokers above, through the gutter on their right.
                let lane = ns.rect.bottom() + 9.0 + 5.0 * k as f64;
                let gx = r.right() + 24.0 + 9.0 * (i - 1) as f64 + 4.0 * k as f64;
                let entry = r.y + 16.0;
                vec![
                    Pt { x: ns.rect.cx(), y: ns.rect.bottom() },
                    Pt { x: ns.rect.cx(), y: lane },
                    Pt { x: gx, y: lane },
                    Pt { x: gx, y: entry },
                    Pt { x: r.right(), y: entry },
                ]
            };
            out.push(Link { a: ns.name.clone(), b: b.name.clone(), points, registry: true });
        }
        for p in of("producer") {
            let points = vec![Pt { x: p.rect.cx(), y: p.rect.y }, Pt { x: ns.rect.x, y: ns.rect.cy() }];
            out.push(Link { a: p.name.clone(), b: ns.name.clone(), points, registry: true });
        }
        for c in of("consumer") {
            let points = vec![Pt { x: c.rect.cx(), y: c.rect.y }, Pt { x: ns.rect.right(), y: ns.rect.cy() }];
            out.push(Link { a: c.name.clone(), b: ns.name.clone(), points, registry: true });
        }
    }
    for b in &brokers {
        for p in of("producer") {
            let points = vec![Pt { x: p.rect.right(), y: p.rect.cy() }, Pt { x: b.rect.x, y: b.rect.cy() }];
            out.push(Link { a: p.name.clone(), b: b.name.clone(), points, registry: false });
        }
        for c in of("consumer") {
            let y = b.rect.y + b.rect.h * 0.62;
            let points = vec![Pt { x: c.rect.x, y: c.rect.cy() }, Pt { x: b.rect.right(), y }];
            out.push(Link { a: c.name.clone(), b: b.name.clone(), points, registry: false });
        }
    }
    out
}

impl Layout {
    /// The card of `name`.
    pub fn node(&self, name: &str) -> Option<&NodeBox> {
        self.nodes.iter().find(|b| b.name == name)
    }

    /// The path from `from` to `to`: the link's polyline (reversed if the
    /// link is drawn the other way), or a straight line between the cards.
    pub fn path(&self, from: &str, to: &str) -> Option<Vec<Pt>> {
        if let Some(link) = self.links.iter().find(|l| l.a == from && l.b == to) {
            return Some(link.points.clone());
        }
        if let Some(link) = self.links.iter().find(|l| l.a == to && l.b == from) {
            return Some(link.points.iter().rev().copied().collect());
        }
        let (a, b) = (self.node(from)?, self.node(to)?);
        Some(vec![a.rect.center(), b.rect.center()])
    }

    /// Whether any two cards overlap (they never should).
    pub fn has_overlaps(&self) -> bool {
        self.nodes.iter().enumerate().any(|(i, a)| self.nodes[i + 1..].iter().any(|b| a.rect.overlaps(&b.rect)))
    }
}

/// The point a fraction `t` (0..=1) of the way along a polyline, shifted
/// `offset` pixels to the left of the direction of travel (so requests and
/// replies on one link use two lanes).
pub fn point_along(points: &[Pt], t: f64, offset: f64) -> Pt {
    let Some(first) = points.first() else { return Pt { x: 0.0, y: 0.0 } };
    let lengths: Vec<f64> = points.windows(2).map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y)).collect();
    let total: f64 = lengths.iter().sum();
    if total <= 0.0 {
        return *first;
    }
    let mut left = t.clamp(0.0, 1.0) * total;
    for (i, len) in lengths.iter().enumerate() {
        if left <= *len || i == lengths.len() - 1 {
            let (a, b) = (points[i], points[i + 1]);
            let f = if *len > 0.0 { (left / len).min(1.0) } else { 0.0 };
            let (dx, dy) = if *len > 0.0 { ((b.x - a.x) / len, (b.y - a.y) / len) } else { (0.0, 0.0) };
            return Pt { x: a.x + (b.x - a.x) * f + dy * offset, y: a.y + (b.y - a.y) * f - dx * offset };
        }
        left -= len;
    }
    *first
}

/// The midpoint of a polyline (for labels on links).
pub fn midpoint(points: &[Pt]) -> Pt {
    point_along(points, 0.5, 0.0)
}

/// A polyline as an SVG path `d` attribute.
pub fn path_d(points: &[Pt]) -> String {
    let mut d = String::with_capacity(points.len() * 16);
    for (i, p) in points.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&format!("{:.1} {:.1}", p.x, p.y));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmqsim::presets;

    fn snapshot(name: &str) -> rmqsim::snapshot::Snapshot {
        let scenario = presets::find(name).expect("preset").scenario().expect("valid");
        rmqsim::Sim::new(scenario, rmqsim::TraceMode::Off).expect("builds").snapshot()
    }

    #[test]
    fn every_preset_lays_out_without_overlaps_at_1280x720_and_larger() {
        for preset in presets::all() {
            let snap = snapshot(preset.name);
            for (w, h) in [(620.0, 300.0), (980.0, 380.0), (1600.0, 900.0)] {
                let layout = layout(&snap.nodes, w, h);
                assert_eq!(layout.nodes.len(), snap.nodes.len(), "{}", preset.name);
                assert!(!layout.has_overlaps(), "{} overlaps at {w}x{h}: {:?}", preset.name, layout.nodes);
                for node in &layout.nodes {
                    assert!(node.rect.x >= 0.0 && node.rect.right() <= w, "{} {} fits across", preset.name, node.name);
                    assert!(node.rect.bottom() <= layout.height, "{} fits down", node.name);
                }
            }
        }
    }

    #[test]
    fn roles_sit_where_the_sketch_puts_them() {
        let snap = snapshot("sync-retry-killed-broker");
        let layout = layout(&snap.nodes, 1000.0, 400.0);
        let ns = layout.node("namesrv-0").expect("ns").rect;
        let a = layout.node("broker-a").expect("broker-a").rect;
        let b = layout.node("broker-b").expect("broker-b").rect;
        let p = layout.node("p1").expect("p1").rect;
        let c = layout.node("c1").expect("c1").rect;
        assert!(ns.bottom() < a.y, "NameServer above the brokers");
        assert!(a.bottom() <= b.y, "brokers stacked");
        assert!(p.right() < a.x && c.x > a.right(), "producer left, consumer right");
    }

    #[test]
    fn links_join_the_nodes_that_talk() {
        let snap = snapshot("tutorial-basic");
        let layout = layout(&snap.nodes, 1000.0, 400.0);
        let pairs: Vec<(&str, &str)> = layout.links.iter().map(|l| (l.a.as_str(), l.b.as_str())).collect();
        assert!(pairs.contains(&("namesrv-0", "broker-a")));
        assert!(pairs.contains(&("producer", "broker-a")));
        assert!(pairs.contains(&("python_consumer", "broker-a")));
        assert!(pairs.contains(&("producer", "namesrv-0")));
        let there = layout.path("producer", "broker-a").expect("path");
        let back = layout.path("broker-a", "producer").expect("path");
        assert_eq!(there.first(), back.last());
        assert!(layout.path("producer", "python_consumer").is_some(), "fallback straight line");
        assert!(layout.path("producer", "nobody").is_none());
    }

    #[test]
    fn points_move_along_polylines_and_lanes_sit_beside_them() {
        let line = [Pt { x: 0.0, y: 0.0 }, Pt { x: 10.0, y: 0.0 }, Pt { x: 10.0, y: 10.0 }];
        assert_eq!(point_along(&line, 0.0, 0.0), Pt { x: 0.0, y: 0.0 });
        assert_eq!(point_along(&line, 0.25, 0.0), Pt { x: 5.0, y: 0.0 });
        assert_eq!(point_along(&line, 0.75, 0.0), Pt { x: 10.0, y: 5.0 });
        assert_eq!(point_along(&line, 1.0, 0.0), Pt { x: 10.0, y: 10.0 });
        assert_eq!(point_along(&line, 0.25, 2.0), Pt { x: 5.0, y: -2.0 }, "left of travel");
        assert_eq!(point_along(&[], 0.5, 0.0), Pt { x: 0.0, y: 0.0 });
        assert_eq!(midpoint(&line), Pt { x: 10.0, y: 0.0 });
        assert_eq!(path_d(&line[..2]), "M0.0 0.0 L10.0 0.0");
    }

    #[test]
    fn narrow_views_stack_the_picture_at_full_size() {
        for preset in presets::all() {
            let snap = snapshot(preset.name);
            for (w, h) in [(360.0, 300.0), (390.0, 500.0), (470.0, 240.0)] {
                let layout = layout(&snap.nodes, w, h);
                assert_eq!(layout.width, w, "{}: drawn at the view's width, not scaled", preset.name);
                assert_eq!(layout.nodes.len(), snap.nodes.len(), "{}", preset.name);
                assert!(!layout.has_overlaps(), "{} overlaps at {w}x{h}: {:?}", preset.name, layout.nodes);
                for node in &layout.nodes {
                    assert!(node.rect.x >= 0.0 && node.rect.right() <= w, "{} {} fits across", preset.name, node.name);
                    assert!(node.rect.bottom() <= layout.height, "{} fits down", node.name);
                }
                for link in &layout.links {
                    assert!(
                        link.points.iter().all(|p| p.x >= 0.0 && p.x <= w),
                        "{} link {}-{} fits",
                        preset.name,
                        link.a,
                        link.b
                    );
                }
            }
        }
        let snap = snapshot("sync-retry-killed-broker");
        let short = wide(&snap.nodes, 390.0, 150.0);
        assert_eq!(short.width, WIDE_MIN, "the wide picture, for a short box, is scaled down");
        assert!(!short.has_overlaps(), "{:?}", short.nodes);
        let small = snapshot("tutorial-basic");
        for h in [100.0, 234.0, 600.0] {
            let sized = layout(&small.nodes, 390.0, h);
            let again = layout(&small.nodes, 390.0, sized.needed);
            assert_eq!(
                (again.width, again.needed),
                (sized.width, sized.needed),
                "a view sized to the picture keeps it"
            );
            assert_eq!(sized.width, 390.0, "stacked whatever the starting height");
        }
        let layout = layout(&snap.nodes, 390.0, 300.0);
        let ns = layout.node("namesrv-0").expect("ns").rect;
        let a = layout.node("broker-a").expect("broker-a").rect;
        let b = layout.node("broker-b").expect("broker-b").rect;
        let p = layout.node("p1").expect("p1").rect;
        let c = layout.node("c1").expect("c1").rect;
        assert!(ns.bottom() < a.y && a.bottom() <= b.y, "NameServer, then the brokers");
        assert!(b.bottom() < p.y && b.bottom() < c.y, "clients under the brokers");
        assert!(p.right() < c.x, "producers left, consumers right");
        assert!(p.w >= 150.0, "client cards keep the width their text needs");
        let pairs: Vec<(&str, &str)> = layout.links.iter().map(|l| (l.a.as_str(), l.b.as_str())).collect();
        for pair in [
            ("namesrv-0", "broker-a"),
            ("namesrv-0", "broker-b"),
            ("p1", "broker-b"),
            ("c1", "broker-a"),
            ("p1", "namesrv-0"),
        ] {
            assert!(pairs.contains(&pair), "{pair:?}");
        }
    }

    #[test]
    fn tall_clusters_report_the_height_they_need() {
        let snap = snapshot("sync-retry-killed-broker");
        let layout = layout(&snap.nodes, 700.0, 240.0);
        assert!(layout.height > 240.0);
    }
}
