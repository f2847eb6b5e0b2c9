//! The Chinese table: the tutorial's language, so the default. RocketMQ's own
//! nouns (NameServer, Broker, Topic) stay in English, as Chinese docs write them.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::AppTitle => "RocketMQ 模拟器",
        Key::AppTagline => "在虚拟时间里运行的确定性 RocketMQ 集群",
        Key::SimulatedBadge => "模拟",
        Key::SimulatedBadgeHint => "本页显示的一切都在浏览器中模拟运行,不会连接任何真实的 RocketMQ 集群。",
        Key::LanguageSwitchLabel => "界面语言",
        Key::SkipToCluster => "跳到集群视图",
        Key::GuidePanelLabel => "讲解与代码",
        Key::NarrationHeading => "讲解",
        Key::NarrationEmpty => "场景运行时,这里逐步讲解正在发生的事,并在关键处请你先预测结果。",
        Key::CodeHeading => "代码",
        Key::CodeEmpty => "场景运行时,这里显示对应的客户端代码(Python 与 Java),并高亮正在执行的行。",
        Key::ClusterRegionLabel => "集群视图",
        Key::ClusterEmptyTitle => "还没有运行的场景",
        Key::ClusterEmptyBody => {
            "场景运行时,集群显示在这里:上方是 NameServer,中间是 Broker 及其队列,\
             左侧是生产者,右侧是消费者,消息沿着连线移动。"
        }
        Key::LegendHeading => "颜色含义",
        Key::LegendNameServer => "NameServer(路由)",
        Key::LegendBroker => "Broker(存储)",
        Key::LegendProducer => "生产者",
        Key::LegendConsumer => "消费者",
        Key::LegendDelay => "延时消息",
        Key::LegendRetry => "重试",
        Key::LegendDeadLetter => "死信",
        Key::TimeControlsLabel => "时间控制",
        Key::VirtualClockLabel => "虚拟时间",
        Key::VirtualClockIdle => "未开始",
        Key::TimeControlsEmpty => "场景运行时,可在这里播放、暂停、单步执行、跳到下一个事件和调整速度。",
        Key::PanicTitle => "模拟器因内部错误停止了",
        Key::PanicWhat => {
            "模拟器的代码出现了错误(Rust panic),页面无法继续运行。\
             你看到的一切都是模拟的,没有向任何地方发送数据。"
        }
        Key::PanicDetailsHeading => "错误信息",
        Key::PanicReportHeading => "如何报告",
        Key::PanicReportBody => {
            "请在项目的问题跟踪中新建一个 issue,附上上面的错误信息、\
             页面地址以及出错前你做了什么。"
        }
        Key::PanicReload => "重新加载",
    }
}
