//! `rmqsim`: a deterministic RocketMQ cluster in virtual time.
//!
//! The engine is sans-IO and clock-free: NameServers, brokers, producers and
//! push consumers are state machines driven by one event queue ordered by
//! `(virtual time, sequence)`. The same scenario and seed always produce the
//! same trace, natively and in WebAssembly. The web UI and the headless runner
//! (`src/bin/rmqsim.rs`) are thin shells around [`Sim`].

pub mod bench;
pub mod challenge;
pub mod conf;
pub mod deadlines;
pub mod fuzz;
pub mod golden;
pub mod hashing;
pub mod lab;
pub mod labdoc;
pub mod ledger;
pub mod liveness;
pub mod names;
pub mod net;
pub mod nodes;
pub mod order;
pub mod presets;
pub mod protocol;
pub mod rng;
pub mod scenario;
pub mod share;
pub mod sim;
pub mod snapshot;
pub mod swarm;
pub mod text;
pub mod time;
pub mod trace;
pub mod vecmap;
pub mod wheel;

pub use lab::{Answer, Ask, AskKind, AskedMsg};
pub use scenario::{Flavor, Scenario, ScenarioError};
pub use sim::{EndReason, RunOutcome, Sim};
pub use time::Millis;
pub use trace::{Record, TraceMode, Val};
