//! The outbox relay against a real Kafka-protocol broker (tansu, started by scripts/test):
//! events arrive decoded, keyed by aggregate, with their id in a header.

use std::time::{Duration, Instant};

use gpubroker::proto::v1 as pb;
use prost::Message as _;
use rdkafka::{
    ClientConfig, Message, Offset, TopicPartitionList,
    consumer::{Consumer, StreamConsumer},
    message::Headers,
};

use crate::helpers::{TestApp, fresh_postgres_database, random_suffix, spawn_with, test_settings};
use crate::subscriptions::{activate, create_trial};

fn brokers() -> String {
    std::env::var("TEST_KAFKA_BROKERS").unwrap_or_else(|_| "127.0.0.1:9092".to_owned())
}

/// A server publishing to topics of its own (a fresh prefix per test).
async fn kafka_app() -> (TestApp, String) {
    let prefix = format!("t{}.", random_suffix());
    let mut settings = test_settings(Some(fresh_postgres_database().await));
    settings.events.kafka_brokers = Some(brokers());
    settings.events.topic_prefix = prefix.clone();
    (spawn_with(settings).await, prefix)
}

/// Every message on `topic` until `count` arrived (or the deadline passes).
async fn consume(topic: &str, count: usize) -> Vec<(String, String, pb::DomainEvent)> {
    consume_from(&brokers(), topic, count).await
}

async fn consume_from(
    brokers: &str,
    topic: &str,
    count: usize,
) -> Vec<(String, String, pb::DomainEvent)> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", format!("test-{}", random_suffix()))
        .set("enable.auto.commit", "false")
        .create()
        .expect("consumer");
    let mut partitions = TopicPartitionList::new();
    partitions
        .add_partition_offset(topic, 0, Offset::Beginning)
        .unwrap();
    consumer.assign(&partitions).expect("assign");
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while seen.len() < count && Instant::now() < deadline {
        let Ok(Ok(message)) = tokio::time::timeout(Duration::from_secs(1), consumer.recv()).await
        else {
            continue;
        };
        let key = String::from_utf8(message.key().unwrap_or_default().to_vec()).unwrap();
        let event_id = message
            .headers()
            .and_then(|h| h.iter().find(|h| h.key == "event_id"))
            .and_then(|h| h.value)
            .map(|v| String::from_utf8(v.to_vec()).unwrap())
            .unwrap_or_default();
        let event = pb::DomainEvent::decode(message.payload().unwrap_or_default()).unwrap();
        seen.push((key, event_id, event));
    }
    seen
}

#[tokio::test]
async fn committed_events_reach_kafka_decoded_keyed_and_marked_published() {
    let (app, prefix) = kafka_app().await;
    let relay = app.relay.clone().expect("Kafka is configured");
    let created = create_trial(&app, "events@example.ec").await;
    activate(&app, &app.activation_token(&created).await).await;
    let subscription_id = created["subscription_id"].as_str().unwrap().to_owned();

    // A budget event too (an admin raises the limit).
    let admin = app.admin_token(gpubroker::domain::role::Role::Admin).await;
    let raised = app
        .post_with(
            "/api/v2/admin/budget",
            &serde_json::json!({"subscription_id": subscription_id, "limit_tokens": 5000, "reason": "upgrade"}),
            Some(&admin),
        )
        .await;
    assert_eq!(raised.status(), 200);

    let report = relay.relay_once().await.unwrap();
    assert_eq!(report.failed, 0);
    assert!(report.published >= 4, "{report:?}");
    assert_eq!(
        relay.relay_once().await.unwrap().published,
        0,
        "each row once"
    );

    let events = consume(&format!("{prefix}subscriptions"), 2).await;
    assert_eq!(events.len(), 2, "created, then activated");
    for (key, event_id, event) in &events {
        assert_eq!(key, &subscription_id);
        let meta = event.metadata.as_ref().unwrap();
        assert_eq!(&meta.event_id, event_id, "the header names the event");
        assert_eq!(meta.aggregate_id, subscription_id);
    }
    assert!(matches!(
        events[0].2.event,
        Some(pb::domain_event::Event::SubscriptionCreated(_))
    ));
    assert!(matches!(
        events[1].2.event,
        Some(pb::domain_event::Event::SubscriptionStatusChanged(_))
    ));
    let pods = consume(&format!("{prefix}pods"), 1).await;
    assert!(matches!(
        pods[0].2.event,
        Some(pb::domain_event::Event::PodStatusChanged(_))
    ));
    let budgets = consume(&format!("{prefix}budgets"), 1).await;
    assert_eq!(budgets[0].0, subscription_id);
    assert!(matches!(
        &budgets[0].2.event,
        Some(pb::domain_event::Event::BudgetLimitChanged(change)) if change.limit_tokens == 5000
    ));
    let unpublished = gpubroker::persistence::outbox::list(&app.db, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.published_at.is_none())
        .count();
    assert_eq!(unpublished, 0);
    // Operators follow a topic with the CLI: one decoded JSON line per event.
    let tail = tokio::process::Command::new(env!("CARGO_BIN_EXE_gpubroker"))
        .args([
            "events",
            "tail",
            "--from-beginning",
            "--max",
            "2",
            "--topic",
        ])
        .arg(format!("{prefix}subscriptions"))
        .args(["--brokers", &brokers()])
        .env("GPUBROKER__LOG__FILTER", "warn")
        .output();
    let tail = tokio::time::timeout(Duration::from_secs(60), tail)
        .await
        .expect("events tail printed two events")
        .unwrap();
    assert!(tail.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(tail.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["key"], subscription_id.as_str());
    assert_eq!(lines[0]["event_type"], "gpubroker.v1.SubscriptionCreated");
    assert!(lines[0]["event"].to_string().contains(&subscription_id));
    // Past their retention, published rows are pruned; unpublished ones never are.
    let pruned = gpubroker::persistence::outbox::prune(
        &app.db,
        chrono::Utc::now() + chrono::Duration::seconds(1),
    )
    .await
    .unwrap();
    assert!(pruned >= 3);
    assert!(
        gpubroker::persistence::outbox::list(&app.db, 100)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_thousand_events_over_fifty_aggregates_keep_their_order_with_two_relays() {
    use gpubroker::persistence::outbox::{NewOutboxEvent, append};
    use gpubroker::services::relay::{EventRelay, RelaySettings};
    let (app, prefix) = kafka_app().await;
    // 20 events per aggregate, interleaved the way concurrent writers would leave them.
    for n in 0..20 {
        for aggregate in 0..50 {
            let event = pb::DomainEvent {
                metadata: Some(pb::EventMetadata {
                    event_id: format!("evt-{aggregate}-{n}"),
                    aggregate_id: format!("agg-{aggregate}"),
                    ..Default::default()
                }),
                event: None,
            };
            append(
                &app.db,
                NewOutboxEvent {
                    event_id: format!("evt-{aggregate}-{n}-{}", random_suffix()),
                    aggregate_type: "budget",
                    aggregate_id: format!("agg-{aggregate}"),
                    event_type: "gpubroker.v1.UsageRecorded".into(),
                    schema_version: 1,
                    payload: event.encode_to_vec(),
                    created_at: chrono::Utc::now(),
                },
            )
            .await
            .unwrap();
        }
    }
    let relay = |batch| {
        EventRelay::new(
            app.db.clone(),
            std::sync::Arc::new(gpubroker::services::clock::SystemClock),
            RelaySettings {
                brokers: brokers(),
                topic_prefix: prefix.clone(),
                batch,
                delivery_timeout: Duration::from_secs(10),
                retention: chrono::Duration::days(7),
            },
        )
        .unwrap()
    };
    // Two relays with small, different batches race over the same rows.
    let db = app.db.clone();
    let drain = |relay: EventRelay| {
        let db = db.clone();
        async move {
            let mut published = 0;
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                let report = relay.relay_once().await.unwrap();
                published += report.published;
                let left = gpubroker::persistence::outbox::list(&db, 2_000)
                    .await
                    .unwrap()
                    .iter()
                    .filter(|r| r.published_at.is_none())
                    .count();
                if left == 0 {
                    break;
                }
            }
            published
        }
    };
    let (a, b) = tokio::join!(drain(relay(37)), drain(relay(53)));
    assert_eq!(
        a + b,
        1_000,
        "every event published exactly once ({a} + {b})"
    );
    assert!(
        a > 0 && b > 0,
        "both relays did some of the work ({a} + {b})"
    );
    let events = consume(&format!("{prefix}budgets"), 1_000).await;
    assert_eq!(events.len(), 1_000);
    let mut next = std::collections::HashMap::new();
    for (key, _, event) in events {
        let id = event.metadata.unwrap().event_id;
        let n: usize = id.rsplit('-').next().unwrap().parse().unwrap();
        let expected = next.entry(key.clone()).or_insert(0);
        assert_eq!(n, *expected, "{key}: event {n} arrived out of order");
        *expected += 1;
    }
    assert_eq!(next.len(), 50);
}

/// A private broker the test can stop and start again.
struct Broker {
    port: u16,
    child: Option<std::process::Child>,
}

impl Broker {
    fn start(port: u16) -> Self {
        let tansu = std::env::var("TANSU_BIN").unwrap_or_else(|_| "tansu".to_owned());
        let url = format!("tcp://127.0.0.1:{port}");
        let child = std::process::Command::new(tansu)
            .args([
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
            ])
            .args(["--storage-engine", "memory://tansu/"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("tansu runs (scripts/test installs it; TANSU_BIN names it)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tansu did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self {
            port,
            child: Some(child),
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.stop();
    }
}

#[tokio::test]
async fn events_wait_in_the_outbox_while_the_broker_is_down_and_all_arrive_after() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut broker = Broker::start(port);
    let prefix = format!("r{}.", random_suffix());
    let mut settings = test_settings(Some(fresh_postgres_database().await));
    settings.events.kafka_brokers = Some(format!("127.0.0.1:{}", broker.port));
    settings.events.topic_prefix = prefix.clone();
    settings.events.delivery_timeout_ms = 2_000;
    let app = spawn_with(settings).await;
    let relay = app.relay.clone().unwrap();
    create_trial(&app, "before@example.ec").await;
    assert_eq!(relay.relay_once().await.unwrap().published, 1);

    broker.stop();
    for i in 0..3 {
        create_trial(&app, &format!("during-{i}@example.ec")).await;
    }
    let down = relay.relay_once().await.unwrap();
    assert_eq!((down.published, down.failed), (0, 3), "{down:?}");
    let waiting = gpubroker::persistence::outbox::list(&app.db, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.published_at.is_none())
        .count();
    assert_eq!(
        waiting, 3,
        "nothing is marked sent without an acknowledgement"
    );
    let ready: serde_json::Value = app.get_with("/readyz", None).await.json().await.unwrap();
    assert_eq!(
        ready["status"], "ready",
        "Kafka down does not make the service unready"
    );
    assert_eq!(ready["checks"]["events"], "degraded");

    // The broker comes back (empty: in-memory storage); the relay resumes.
    let _broker = Broker::start(port);
    relay.ensure_topics().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut published = 0;
    while published < 3 {
        assert!(Instant::now() < deadline, "the relay never resumed");
        // Failures until the new producer reaches the broker; then the waiting rows go.
        published += relay.relay_once().await.map_or(0, |r| r.published);
    }
    let ready: serde_json::Value = app.get_with("/readyz", None).await.json().await.unwrap();
    assert_eq!(ready["checks"]["events"], "ok");
    let arrived = consume_from(
        &format!("127.0.0.1:{port}"),
        &format!("{prefix}subscriptions"),
        3,
    )
    .await;
    assert_eq!(arrived.len(), 3, "every waiting event arrived");
}

/// An event the broker can never take (over the producer's 1 MB limit) is set aside on its first
/// failure: it is not retried, the relay stays healthy, the next event of its aggregate goes out,
/// and an operator can requeue it.
#[tokio::test]
async fn an_event_the_broker_can_never_take_is_dead_lettered_and_blocks_nothing() {
    use gpubroker::persistence::outbox::{self, NewOutboxEvent};
    let (app, prefix) = kafka_app().await;
    let relay = app.relay.clone().expect("Kafka is configured");
    let aggregate = format!("sub_{}", random_suffix());
    let event = |n: u8, payload: Vec<u8>| NewOutboxEvent {
        event_id: format!("evt_{aggregate}_{n}"),
        aggregate_type: "subscription",
        aggregate_id: aggregate.clone(),
        event_type: "gpubroker.v1.DomainEvent".into(),
        schema_version: 1,
        payload,
        created_at: chrono::Utc::now(),
    };
    outbox::append(&app.db, event(1, vec![0; 2 * 1024 * 1024]))
        .await
        .unwrap();
    outbox::append(
        &app.db,
        event(2, pb::DomainEvent::default().encode_to_vec()),
    )
    .await
    .unwrap();

    let first = relay.relay_once().await.unwrap();
    assert_eq!((first.dead_lettered, first.failed), (1, 0), "{first:?}");
    assert!(relay.is_healthy(), "one bad event is not a broker outage");
    let second = relay.relay_once().await.unwrap();
    assert_eq!(second.published, 1, "the aggregate's next event goes out");
    let idle = relay.relay_once().await.unwrap();
    assert_eq!(idle, Default::default(), "the dead event is not retried");

    let dead = outbox::dead_lettered(&app.db, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].event_id, format!("evt_{aggregate}_1"));
    assert_eq!(dead[0].attempts, 1);
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("size"),
        "{:?}",
        dead[0].last_error
    );
    let seen = consume(&format!("{prefix}subscriptions"), 1).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].1, format!("evt_{aggregate}_2"));

    // Requeued, it is tried again (and, still too large, set aside again).
    assert!(outbox::requeue(&app.db, dead[0].seq).await.unwrap());
    assert!(!outbox::requeue(&app.db, dead[0].seq).await.unwrap());
    assert_eq!(relay.relay_once().await.unwrap().dead_lettered, 1);
}

/// A relay that died mid-send leaves its claim; the rows wait until the claim expires, then go.
#[tokio::test]
async fn rows_claimed_by_a_relay_that_died_go_out_after_the_claim_expires() {
    use gpubroker::persistence::outbox;
    let (app, _prefix) = kafka_app().await;
    let relay = app.relay.clone().expect("Kafka is configured");
    create_trial(&app, "claimed@example.ec").await;
    let now = app.clock_now();
    let claimed = outbox::claim(&app.db, 100, now, now + chrono::Duration::minutes(5))
        .await
        .unwrap();
    assert!(!claimed.is_empty());
    assert_eq!(
        relay.relay_once().await.unwrap().published,
        0,
        "still claimed"
    );
    app.clock.advance(chrono::Duration::minutes(6));
    assert_eq!(relay.relay_once().await.unwrap().published, claimed.len());
}
