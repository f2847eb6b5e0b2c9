//! The app's sorts and sorted maps come from the engine (`rmqsim::order`,
//! `rmqsim::vecmap`), so the wasm holds one copy of each: a standard-library
//! sort or `BTreeMap` is a separate ~3–8 KB copy per element type. The views
//! and the builder sort lists of at most a few thousand items.

pub use rmqsim::order::{sort, sort_by, sort_by_key};
pub use rmqsim::vecmap::{SortedMap, SortedSet};
