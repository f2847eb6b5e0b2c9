//! The English table, for readers outside the tutorial's Chinese audience.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::AppTitle => "RocketMQ Simulator",
        Key::AppTagline => "A deterministic RocketMQ cluster, running in virtual time",
        Key::SimulatedBadge => "Simulated",
        Key::SimulatedBadgeHint => {
            "Everything on this page is simulated in your browser; \
             no real RocketMQ cluster is contacted."
        }
        Key::LanguageSwitchLabel => "Interface language",
        Key::SkipToCluster => "Skip to the cluster view",
        Key::GuidePanelLabel => "Narration and code",
        Key::NarrationHeading => "Narration",
        Key::NarrationEmpty => {
            "When a scenario runs, this column explains each step as it happens \
             and asks you to predict what comes next."
        }
        Key::CodeHeading => "Code",
        Key::CodeEmpty => {
            "When a scenario runs, its client code (Python and Java) appears here \
             with the running line highlighted."
        }
        Key::ClusterRegionLabel => "Cluster view",
        Key::ClusterEmptyTitle => "No scenario is running",
        Key::ClusterEmptyBody => {
            "The cluster appears here when a scenario runs: NameServers on top, \
             brokers and their queues in the middle, producers on the left, \
             consumers on the right, and messages moving along the links."
        }
        Key::LegendHeading => "Colour key",
        Key::LegendNameServer => "NameServer",
        Key::LegendBroker => "Broker",
        Key::LegendProducer => "Producer",
        Key::LegendConsumer => "Consumer",
        Key::LegendDelay => "Delayed",
        Key::LegendRetry => "Retry",
        Key::LegendDeadLetter => "Dead letter",
        Key::TimeControlsLabel => "Time controls",
        Key::VirtualClockLabel => "Virtual time",
        Key::VirtualClockIdle => "not started",
        Key::TimeControlsEmpty => {
            "Play, pause, step, jump to the next event and change speed here \
             when a scenario runs."
        }
        Key::PanicTitle => "The simulator stopped on an internal error",
        Key::PanicWhat => {
            "A bug in the simulator (a Rust panic) stopped the page. \
             Everything you saw was simulated; nothing was sent anywhere."
        }
        Key::PanicDetailsHeading => "Error message",
        Key::PanicReportHeading => "How to report it",
        Key::PanicReportBody => {
            "Open an issue in the project's issue tracker with the error message above, \
             the page address, and what you did just before."
        }
        Key::PanicReload => "Reload",
    }
}
