//! The outbox relay: publishes committed domain events to Kafka (topic per aggregate type, key =
//! aggregate id, the event id / type / schema version in headers) and marks rows published only
//! after the broker acknowledged them. At least once; consumers dedupe by event id.

use std::{collections::HashSet, sync::Arc, time::Duration};

use rdkafka::{
    ClientConfig,
    admin::{AdminClient, AdminOptions, NewTopic, TopicReplication},
    client::DefaultClientContext,
    error::{KafkaError, RDKafkaErrorCode},
    message::{Header, OwnedHeaders},
    producer::{FutureProducer, FutureRecord, Producer},
};
use sea_orm::DatabaseConnection;

use super::{ServiceError, ServiceResult, clock::Clock};
use crate::persistence::outbox::{self, OutboxRow, Outcome};

/// How the relay reaches Kafka.
#[derive(Debug, Clone)]
pub struct RelaySettings {
    pub brokers: String,
    /// Topics are `<prefix><aggregate>s`, e.g. `gpubroker.subscriptions`.
    pub topic_prefix: String,
    pub batch: u64,
    /// How long the broker may take to acknowledge one event.
    pub delivery_timeout: Duration,
    /// Published rows are deleted this long after publication.
    pub retention: chrono::Duration,
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RelayReport {
    pub published: usize,
    pub failed: usize,
    /// Events set aside for good (the broker can never take them).
    pub dead_lettered: usize,
}

/// Failed attempts, in passes where the broker took other events, after which an event is set
/// aside instead of being retried forever.
pub const DEAD_LETTER_AFTER: i32 = 10;

/// Errors that no retry can fix: the event itself is unacceptable.
fn is_permanent(code: RDKafkaErrorCode) -> bool {
    matches!(
        code,
        RDKafkaErrorCode::MessageSizeTooLarge
            | RDKafkaErrorCode::InvalidMessageSize
            | RDKafkaErrorCode::InvalidMessage
            | RDKafkaErrorCode::InvalidRecord
            | RDKafkaErrorCode::TopicAuthorizationFailed
            | RDKafkaErrorCode::InvalidTopic
    )
}

#[derive(Clone)]
pub struct EventRelay {
    db: DatabaseConnection,
    /// Replaced after a pass with failures (see [`EventRelay::renew`]).
    producer: Arc<std::sync::Mutex<FutureProducer>>,
    /// Whether the latest pass published without failures (for /readyz).
    healthy: Arc<std::sync::atomic::AtomicBool>,
    clock: Arc<dyn Clock>,
    settings: Arc<RelaySettings>,
}

impl std::fmt::Debug for EventRelay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventRelay")
            .field("brokers", &self.settings.brokers)
            .finish_non_exhaustive()
    }
}

/// The aggregate types that have events, and so topics.
pub const AGGREGATES: [&str; 5] = ["subscription", "payment", "pod", "budget", "agent"];

fn unavailable(what: impl std::fmt::Display) -> ServiceError {
    tracing::warn!(error = %what, "Kafka");
    ServiceError::Unavailable("Kafka")
}

impl EventRelay {
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        settings: RelaySettings,
    ) -> ServiceResult<Self> {
        let producer = Self::producer(&settings)?;
        Ok(Self {
            db,
            producer: Arc::new(std::sync::Mutex::new(producer)),
            healthy: Arc::new(std::sync::atomic::AtomicBool::new(true)),
            clock,
            settings: Arc::new(settings),
        })
    }

    fn producer(settings: &RelaySettings) -> ServiceResult<FutureProducer> {
        ClientConfig::new()
            .set("bootstrap.servers", &settings.brokers)
            // Exactly one copy per send and the partition's order kept across retries.
            .set("enable.idempotence", "true")
            // A failure that would let a later event of the partition land before an earlier one
            // (a gap after a timed-out batch) stops the producer instead; the pass then marks
            // nothing after it and the producer is renewed, so order survives broker trouble.
            .set("enable.gapless.guarantee", "true")
            .set("acks", "all")
            .set(
                "message.timeout.ms",
                settings.delivery_timeout.as_millis().to_string(),
            )
            .set("linger.ms", "5")
            .create()
            .map_err(unavailable)
    }

    fn current_producer(&self) -> FutureProducer {
        self.producer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// After failures the producer is replaced by a fresh one: an idempotent producer whose
    /// messages timed out keeps failing even once the broker is back (seen with tansu after a
    /// restart), and a fatal one never sends again.
    fn renew(&self, producer: &FutureProducer) {
        if let Some((code, reason)) = producer.client().fatal_error() {
            tracing::warn!(%code, %reason, "Kafka producer failed fatally");
        }
        match Self::producer(&self.settings) {
            Ok(fresh) => {
                *self
                    .producer
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
            }
            Err(error) => tracing::warn!(%error, "cannot create a Kafka producer"),
        }
    }

    /// False while Kafka fails (events wait in the outbox meanwhile).
    pub fn is_healthy(&self) -> bool {
        self.healthy.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn topic(&self, aggregate_type: &str) -> String {
        format!("{}{aggregate_type}s", self.settings.topic_prefix)
    }

    /// Creates the topics that do not exist yet (one partition: per-aggregate order needs no
    /// more here).
    pub async fn ensure_topics(&self) -> ServiceResult<()> {
        let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
            .set("bootstrap.servers", &self.settings.brokers)
            .create()
            .map_err(unavailable)?;
        let names: Vec<String> = AGGREGATES.iter().map(|a| self.topic(a)).collect();
        let topics: Vec<NewTopic<'_>> = names
            .iter()
            .map(|name| NewTopic::new(name, 1, TopicReplication::Fixed(1)))
            .collect();
        let results = admin
            .create_topics(topics.iter(), &AdminOptions::new())
            .await
            .map_err(unavailable)?;
        for result in results {
            if let Err((topic, code)) = result
                && code != rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists
            {
                return Err(unavailable(format!("cannot create {topic}: {code}")));
            }
        }
        Ok(())
    }

    fn headers(row: &OutboxRow) -> OwnedHeaders {
        let version = row.schema_version.to_string();
        OwnedHeaders::new()
            .insert(Header {
                key: "event_id",
                value: Some(row.event_id.as_str()),
            })
            .insert(Header {
                key: "event_type",
                value: Some(row.event_type.as_str()),
            })
            .insert(Header {
                key: "schema_version",
                value: Some(version.as_str()),
            })
            .insert(Header {
                key: "content-type",
                value: Some("application/x-protobuf"),
            })
    }

    /// One pass: claims unpublished rows (locked against other relays), sends them in order and
    /// marks published those the broker acknowledged. After an aggregate's first failure, its
    /// later events wait for the next pass, so its order is kept.
    pub async fn relay_once(&self) -> ServiceResult<RelayReport> {
        let outcome = self.pass().await;
        self.healthy.store(
            matches!(outcome, Ok(report) if report.failed == 0),
            std::sync::atomic::Ordering::Relaxed,
        );
        outcome
    }

    async fn pass(&self) -> ServiceResult<RelayReport> {
        let now = self.clock.now();
        // The claim outlives the longest send, so no other relay takes a row still in flight.
        let lease = chrono::Duration::from_std(self.settings.delivery_timeout)
            .unwrap_or(chrono::Duration::minutes(5))
            + chrono::Duration::seconds(30);
        let rows = outbox::claim(&self.db, self.settings.batch, now, now + lease).await?;
        let producer = self.current_producer();
        let mut pending = Vec::with_capacity(rows.len());
        for row in &rows {
            let topic = self.topic(&row.aggregate_type);
            let record = FutureRecord::to(&topic)
                .key(row.aggregate_id.as_str())
                .payload(row.payload.as_slice())
                .headers(Self::headers(row));
            pending.push(producer.send_result(record).map_err(|(error, _)| error));
        }
        let mut failed_aggregates: HashSet<&str> = HashSet::new();
        let mut outcomes = Vec::with_capacity(rows.len());
        for (row, sent) in rows.iter().zip(pending) {
            let sent = match sent {
                Ok(delivery) => match delivery.await {
                    Ok(Ok(_)) => Ok(()),
                    Ok(Err((error, _))) => Err(Some(error)),
                    Err(_) => Err(None),
                },
                Err(error) => Err(Some(error)),
            };
            let outcome = match sent {
                Ok(()) if !failed_aggregates.contains(row.aggregate_id.as_str()) => {
                    Outcome::Published
                }
                // Its aggregate's earlier event failed: it waits, so order is kept.
                Ok(()) => Outcome::Held,
                Err(error) => {
                    failed_aggregates.insert(row.aggregate_id.as_str());
                    let permanent = error
                        .as_ref()
                        .and_then(KafkaError::rdkafka_error_code)
                        .is_some_and(is_permanent);
                    let text = error.map_or("the producer dropped the message".to_owned(), |e| {
                        e.to_string()
                    });
                    if permanent {
                        Outcome::DeadLettered(text)
                    } else {
                        Outcome::Failed(text)
                    }
                }
            };
            outcomes.push((row.seq, outcome));
        }
        // An event that keeps failing while the broker takes the others is the event's fault.
        let broker_works = outcomes.iter().any(|(_, o)| *o == Outcome::Published);
        for ((_, outcome), row) in outcomes.iter_mut().zip(&rows) {
            if let Outcome::Failed(error) = outcome
                && broker_works
                && row.attempts + 1 >= DEAD_LETTER_AFTER
            {
                *outcome = Outcome::DeadLettered(std::mem::take(error));
            }
            if let Outcome::DeadLettered(error) = outcome {
                tracing::error!(
                    seq = row.seq,
                    event_id = %row.event_id,
                    event_type = %row.event_type,
                    error = %error,
                    "event dead-lettered: it stays in the outbox, set aside (gpubroker events dead)"
                );
            }
        }
        let count =
            |wanted: fn(&Outcome) -> bool| outcomes.iter().filter(|(_, o)| wanted(o)).count();
        let report = RelayReport {
            published: count(|o| *o == Outcome::Published),
            failed: count(|o| matches!(o, Outcome::Failed(_))),
            dead_lettered: count(|o| matches!(o, Outcome::DeadLettered(_))),
        };
        if report.failed > 0 {
            self.renew(&producer);
        }
        outbox::record(&self.db, &outcomes, self.clock.now()).await?;
        Ok(report)
    }

    /// Relays until the process ends: at once while there is work, backing off (capped) while
    /// Kafka fails, and logging only when the state changes.
    pub fn spawn(self, idle: Duration, max_backoff: Duration) {
        tokio::spawn(async move {
            let mut backoff = idle;
            let mut failing = false;
            loop {
                let outcome = self.relay_once().await;
                let (wait, now_failing) = match outcome {
                    Ok(report)
                        if report.failed == 0 && (report.published + report.dead_lettered) > 0 =>
                    {
                        (Duration::ZERO, false)
                    }
                    Ok(report) if report.failed == 0 => {
                        // Idle: a good moment to drop rows kept past their retention.
                        let before = self.clock.now() - self.settings.retention;
                        if let Err(error) = outbox::prune(&self.db, before).await {
                            tracing::warn!(%error, "cannot prune published events");
                        }
                        (idle, false)
                    }
                    Ok(_) | Err(_) => {
                        backoff = (backoff * 2).min(max_backoff);
                        (backoff, true)
                    }
                };
                if now_failing != failing {
                    if now_failing {
                        tracing::warn!("event relay: Kafka is failing; events stay in the outbox");
                    } else {
                        tracing::info!("event relay: publishing again");
                    }
                    failing = now_failing;
                }
                if !now_failing {
                    backoff = idle;
                }
                tokio::time::sleep(wait).await;
            }
        });
    }
}
