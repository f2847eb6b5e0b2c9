//! Entry point of the web app built by trunk: it only starts the library,
//! so everything testable lives in `lib.rs` and its modules.

fn main() {
    rocketmq_sim::start();
}
