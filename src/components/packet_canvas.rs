//! Dense traffic on a canvas, painted without Yew.
//!
//! Above [`DENSE_PACKETS`] packets on the wire the cluster view draws them
//! as dots on a `<canvas class="packet-canvas">` over its SVG. A
//! [`PacketCanvas`] is the handle both sides share: the cluster view hands
//! it the scene (its layout, the stage's size, the selected message) each
//! time it renders and paints the frame it rendered; between detail
//! refreshes the driver paints each animation frame's packets straight
//! onto the canvas through [`PacketCanvas::paint_motion`], so the SVG and
//! the rest of the page are not touched (no Yew diff, no style, layout or
//! SVG paint) while packets move. Clicks near a dot find its message in the
//! dots painted last.

use crate::order::SortedMap;
use std::cell::RefCell;
use std::rc::Rc;

use rmqsim::snapshot::FlightSnap;
use wasm_bindgen::JsCast;
use yew::NodeRef;

use crate::cluster_layout::{point_along, Layout, Pt};
use crate::view_model::{flight_progress, packet_family};

/// Above this many packets on the wire (and ghosts), each is drawn as a
/// bare dot on the canvas (no tooltip, hit area or `#msg` label, which
/// would overlap into a smear anyway); below, as SVG elements with all of
/// those.
pub const DENSE_PACKETS: usize = 60;

/// A click within this distance (drawing pixels) of a dot opens its message.
const HIT_RADIUS: f64 = 8.0;

/// One packet painted on the canvas (drawing coordinates).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    /// Index into [`FAMILIES`].
    family: usize,
    pub msg: Option<u64>,
    pub ghost: bool,
    selected: bool,
}

/// The packet families and their fill colours (the same as the CSS
/// variables of the SVG packets: `--role-*`, `--topic-retry`,
/// `--topic-dlq`). "failed" dots are hollow: white inside a red ring.
const FAMILIES: [(&str, &str); 6] = [
    ("nameserver", "#6a4fb6"),
    ("producer", "#2d6cd2"),
    ("consumer", "#2f8443"),
    ("retry", "#d0661c"),
    ("failed", "#c2362b"),
    ("", "#0d7a72"),
];
const FAILED: usize = 4;

fn family_index(family: &str) -> usize {
    FAMILIES.iter().position(|(name, _)| *name == family).unwrap_or(FAMILIES.len() - 1)
}

/// What the painter takes from the cluster view's last render.
struct Scene {
    layout: Rc<Layout>,
    /// Node name → index into `kinds` and the path cache.
    index: SortedMap<String, usize>,
    kinds: Vec<&'static str>,
    /// Paths between nodes, computed on first use (`from * n + to`).
    paths: RefCell<Vec<Option<Option<Rc<[Pt]>>>>>,
    selected_msg: Option<u64>,
    /// The stage's size in CSS pixels, and the drawing's size.
    stage: (f64, f64),
    view: (f64, f64),
    /// The view drew the packets of its last render on the canvas (it
    /// draws them as SVG when there are few).
    dense: bool,
}

impl Scene {
    fn path(&self, from: &str, to: &str) -> Option<Rc<[Pt]>> {
        let (Some(&a), Some(&b)) = (self.index.get(from), self.index.get(to)) else {
            return self.layout.path(from, to).map(Rc::from);
        };
        let n = self.kinds.len();
        let mut paths = self.paths.borrow_mut();
        paths[a * n + b].get_or_insert_with(|| self.layout.path(from, to).map(Rc::from)).clone()
    }

    fn kind(&self, name: &str) -> &'static str {
        self.index.get(name).map_or("", |&i| self.kinds[i])
    }
}

#[derive(Default)]
struct State {
    canvas: NodeRef,
    scene: Option<Scene>,
    /// The dots painted last (for clicks).
    dots: Vec<Dot>,
    pixels: Pixels,
}

/// The shared handle on the packet canvas (clones share it; equal when
/// they are the same canvas).
#[derive(Clone, Default)]
pub struct PacketCanvas(Rc<RefCell<State>>);

impl PartialEq for PacketCanvas {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for PacketCanvas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PacketCanvas")
    }
}

impl PacketCanvas {
    /// The element the cluster view mounts its canvas on.
    pub fn node_ref(&self) -> NodeRef {
        self.0.borrow().canvas.clone()
    }

    /// The cluster view rendered: this is what the canvas now lies over.
    pub fn set_scene(
        &self,
        layout: Rc<Layout>,
        kinds: impl Iterator<Item = (String, &'static str)>,
        selected_msg: Option<u64>,
        stage: (f64, f64),
        dense: bool,
    ) {
        let mut state = self.0.borrow_mut();
        let same_layout = state.scene.as_ref().is_some_and(|s| s.layout == layout);
        let mut scene = match state.scene.take() {
            Some(mut s) if same_layout => {
                s.layout = layout;
                s
            }
            _ => {
                let (names, kinds): (Vec<String>, Vec<&'static str>) = kinds.unzip();
                let n = names.len();
                Scene {
                    view: (layout.width, layout.height),
                    layout,
                    index: names.into_iter().enumerate().map(|(i, name)| (name, i)).collect(),
                    kinds,
                    paths: RefCell::new(vec![None; n * n]),
                    selected_msg,
                    stage,
                    dense,
                }
            }
        };
        scene.selected_msg = selected_msg;
        scene.stage = stage;
        scene.dense = dense;
        state.scene = Some(scene);
    }

    /// Paints the packets of a frame the cluster view rendered (clears the
    /// canvas when it drew them as SVG).
    pub fn paint(&self, flights: &[FlightSnap], ghosts: &[FlightSnap], now: f64) {
        let mut state = self.0.borrow_mut();
        let state = &mut *state;
        let Some(scene) = state.scene.as_ref() else { return };
        state.dots.clear();
        if scene.dense {
            place(scene, flights, ghosts, now, &mut state.dots);
        }
        paint_dots(&state.canvas, &mut state.pixels, &state.dots, scene.stage, scene.view);
    }

    /// Paints an animation frame's packets when the canvas is showing them
    /// and there are still more than [`DENSE_PACKETS`]; returns whether it
    /// did (if not, the cluster view has to render the frame).
    pub fn paint_motion(&self, flights: &[FlightSnap], ghosts: &[FlightSnap], now: f64) -> bool {
        let ready = self.0.borrow().scene.as_ref().is_some_and(|s| s.dense);
        if !ready || flights.len() + ghosts.len() <= DENSE_PACKETS || self.node_ref().get().is_none() {
            return false;
        }
        self.paint(flights, ghosts, now);
        true
    }

    /// The message of the dot nearest to a point of the drawing, if one is
    /// close enough.
    pub fn hit(&self, x: f64, y: f64) -> Option<u64> {
        let state = self.0.borrow();
        state
            .dots
            .iter()
            .filter_map(|d| d.msg.map(|m| (m, (d.x - x).powi(2) + (d.y - y).powi(2))))
            .filter(|(_, d2)| *d2 <= HIT_RADIUS * HIT_RADIUS)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(m, _)| m)
    }

    /// Whether the cluster view's last render left the packets to the canvas.
    pub fn is_dense(&self) -> bool {
        self.0.borrow().scene.as_ref().is_some_and(|s| s.dense)
    }

    /// How many dots are painted now.
    pub fn painted(&self) -> usize {
        self.0.borrow().dots.len()
    }

    /// The stage and drawing sizes of the last scene.
    pub fn fit(&self) -> Option<((f64, f64), (f64, f64))> {
        self.0.borrow().scene.as_ref().map(|s| (s.stage, s.view))
    }
}

/// Every packet (and ghost) placed along its link (packets between nodes
/// the picture does not link are left out).
fn place(scene: &Scene, flights: &[FlightSnap], ghosts: &[FlightSnap], now: f64, dots: &mut Vec<Dot>) {
    let live = flights.iter().map(|f| (f, flight_progress(f, now), false));
    let ghosts = ghosts.iter().map(|f| (f, 0.5, true));
    dots.extend(live.chain(ghosts).filter_map(|(flight, progress, ghost)| {
        let points = scene.path(&flight.from, &flight.to)?;
        let family = family_index(packet_family(flight.kind, scene.kind(&flight.from)));
        let at = point_along(&points, progress, 3.5);
        Some(Dot {
            x: at.x,
            y: at.y,
            family,
            msg: flight.msg,
            ghost,
            selected: flight.msg.is_some() && flight.msg == scene.selected_msg,
        })
    }));
}

/// How the SVG's `xMidYMin meet` maps the drawing into the stage: the
/// scale, and the left offset.
pub fn view_fit((w, h): (f64, f64), (vw, vh): (f64, f64)) -> (f64, f64) {
    let scale = (w / vw.max(1.0)).min(h / vh.max(1.0)).max(0.01);
    (scale, ((w - vw * scale) / 2.0).max(0.0))
}

/// A dot's radius in drawing pixels (packets carrying a message are bigger).
fn radius(msg: bool) -> f64 {
    if msg {
        4.0
    } else {
        3.0
    }
}

/// A dot's pixels (RGBA, not premultiplied), painted once by the canvas
/// itself: the family's fill (white for failed packets) inside a 1.2 px
/// outline (white, or the family's colour for failed packets).
struct Sprite {
    side: usize,
    /// From the dot's centre to the sprite's corner, in device pixels.
    half: i64,
    rgba: Vec<u8>,
}

/// The sprites at one scale (device pixels per drawing pixel), indexed
/// `family * 2 + msg`.
struct Sprites {
    scale: f64,
    sprites: Vec<Sprite>,
}

fn context_2d(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
}

fn sprite(family: usize, msg: bool, scale: f64) -> Option<Sprite> {
    let document = web_sys::window()?.document()?;
    let canvas = document.create_element("canvas").ok()?.dyn_into::<web_sys::HtmlCanvasElement>().ok()?;
    let r = radius(msg);
    let half = ((r + 1.0) * scale).ceil() + 1.0;
    let side = (2.0 * half) as u32;
    canvas.set_width(side);
    canvas.set_height(side);
    let ctx = context_2d(&canvas)?;
    let _ = ctx.set_transform(scale, 0.0, 0.0, scale, half, half);
    ctx.set_line_width(1.2);
    ctx.begin_path();
    let _ = ctx.arc(0.0, 0.0, r, 0.0, std::f64::consts::TAU);
    let colour = FAMILIES[family].1;
    let (fill, stroke) = if family == FAILED { ("#ffffff", colour) } else { (colour, "#ffffff") };
    ctx.set_fill_style_str(fill);
    ctx.fill();
    ctx.set_stroke_style_str(stroke);
    ctx.stroke();
    let rgba = ctx.get_image_data(0.0, 0.0, f64::from(side), f64::from(side)).ok()?.data().0;
    Some(Sprite { side: side as usize, half: half as i64, rgba })
}

fn sprites_for(scale: f64) -> Option<Sprites> {
    let sprites = (0..FAMILIES.len())
        .flat_map(|family| [sprite(family, false, scale), sprite(family, true, scale)])
        .collect::<Option<Vec<_>>>()?;
    Some(Sprites { scale, sprites })
}

/// The canvas's pixels, composed in wasm and handed over in one
/// `putImageData`: a software rasteriser (Chromium without a GPU, as in CI)
/// spends several times longer drawing thousands of arcs or images.
#[derive(Default)]
struct Pixels {
    width: usize,
    height: usize,
    rgba: Vec<u8>,
    sprites: Option<Sprites>,
}

impl Pixels {
    fn clear(&mut self, width: usize, height: usize) {
        self.width = width;
        self.height = height;
        self.rgba.clear();
        self.rgba.resize(width * height * 4, 0);
    }

    /// Composes `sprite` over the pixels with its corner at (x, y), its
    /// opacity scaled by `alpha` (0..=256).
    fn stamp(&mut self, sprite: &Sprite, x: i64, y: i64, alpha: u32) {
        let (w, h) = (self.width as i64, self.height as i64);
        let side = sprite.side as i64;
        let (x0, x1) = (x.max(0), (x + side).min(w));
        let (y0, y1) = (y.max(0), (y + side).min(h));
        if x0 >= x1 {
            return;
        }
        let n = (x1 - x0) as usize * 4;
        for py in y0..y1 {
            let from = ((py - y) * side + (x0 - x)) as usize * 4;
            let to = (py * w + x0) as usize * 4;
            let (Some(src), Some(dst)) = (sprite.rgba.get(from..from + n), self.rgba.get_mut(to..to + n)) else {
                continue;
            };
            for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(4)) {
                let sa = u32::from(s[3]) * alpha / 256;
                if sa == 0 {
                    continue;
                }
                let da = u32::from(d[3]);
                if sa == 255 || da == 0 {
                    d[..3].copy_from_slice(&s[..3]);
                    d[3] = sa as u8;
                    continue;
                }
                // Source over destination, not premultiplied (×255).
                let keep = da * (255 - sa);
                let out = sa * 255 + keep;
                for c in 0..3 {
                    d[c] = ((u32::from(s[c]) * sa * 255 + u32::from(d[c]) * keep) / out) as u8;
                }
                d[3] = (out / 255) as u8;
            }
        }
    }
}

/// Paints `dots` on the canvas (or clears it): ghosts faded and under the
/// live packets, failed ones hollow, the selected message ringed on top.
/// Says on the canvas how many packets it holds (`data-packets`).
fn paint_dots(canvas: &NodeRef, pixels: &mut Pixels, dots: &[Dot], stage: (f64, f64), view: (f64, f64)) {
    let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() else { return };
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    let (w, h) = ((stage.0 * ratio).round() as u32, (stage.1 * ratio).round() as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let count = dots.len().to_string();
    if canvas.get_attribute("data-packets").as_deref() != Some(count.as_str()) {
        let _ = canvas.set_attribute("data-packets", &count);
    }
    let Some(ctx) = context_2d(&canvas) else { return };
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    if dots.is_empty() || w == 0 || h == 0 {
        ctx.clear_rect(0.0, 0.0, f64::from(w), f64::from(h));
        return;
    }
    let (scale, x0) = view_fit(stage, view);
    let k = scale * ratio;
    if pixels.sprites.as_ref().is_none_or(|s| (s.scale - k).abs() > 1e-9) {
        pixels.sprites = sprites_for(k);
    }
    let Some(sprites) = pixels.sprites.take() else { return };
    pixels.clear(w as usize, h as usize);
    for ghost in [true, false] {
        let alpha = if ghost { 115 } else { 256 };
        for d in dots.iter().filter(|d| d.ghost == ghost) {
            let sprite = &sprites.sprites[d.family * 2 + usize::from(d.msg.is_some())];
            let (x, y) = ((x0 * ratio + d.x * k).round() as i64, (d.y * k).round() as i64);
            pixels.stamp(sprite, x - sprite.half, y - sprite.half, alpha);
        }
    }
    pixels.sprites = Some(sprites);
    let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&pixels.rgba), w, h);
    if let Ok(image) = image {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
    if dots.iter().any(|d| d.selected) {
        let _ = ctx.set_transform(k, 0.0, 0.0, k, x0 * ratio, 0.0);
        ctx.begin_path();
        for d in dots.iter().filter(|d| d.selected) {
            ctx.move_to(d.x + 6.5, d.y);
            let _ = ctx.arc(d.x, d.y, 6.5, 0.0, std::f64::consts::TAU);
        }
        ctx.set_stroke_style_str("#17202b");
        ctx.set_line_width(2.0);
        ctx.stroke();
    }
}
