//! The email outbox worker: messages are queued in the transaction of the change they announce
//! and sent here, with exponential back-off on failure, so a provider outage delays an email but
//! never loses it. Delivery is at least once.
//!
//! The request that queued a message sends it itself once its transaction commits, with no
//! durable write of its own: the message is queued already claimed for that delivery (the worker
//! leaves it alone until the claim runs out), and marking it sent is batched off the request path
//! (one transaction for the messages sent meanwhile). A process that dies before marking leaves
//! the message to the worker after the claim: sent twice at worst, never lost.

use std::sync::{Arc, OnceLock};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, TransactionTrait};
use tokio::sync::{Mutex, mpsc};

use super::{
    ServiceResult,
    clock::Clock,
    email::{EmailSender, OutgoingEmail},
};
use crate::persistence::email_outbox as repo;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub failed: usize,
}

#[derive(Debug, Clone)]
pub struct EmailQueue {
    db: DatabaseConnection,
    sender: Arc<dyn EmailSender>,
    clock: Arc<dyn Clock>,
    /// One pass at a time in this process (another process may still overlap: at least once).
    pass: Arc<Mutex<()>>,
    /// Messages sent inline, waiting to be marked sent (the marking task starts on first use).
    sent: Arc<OnceLock<mpsc::UnboundedSender<Sent>>>,
}

/// A message queued in its change's transaction, claimed for the request that queued it.
pub type Queued = repo::QueuedEmail;

/// A message sent inline: its id, the provider's message id, when.
type Sent = (String, String, DateTime<Utc>);

/// Messages marked sent in one transaction at most.
const MARK_BATCH: usize = 256;

/// 30 s, 1 min, 2 min, … capped at an hour.
/// How long one delivery attempt holds its message (far longer than a send may take).
const CLAIM: Duration = Duration::minutes(2);

fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(0, 7)).unwrap_or(7);
    Duration::seconds((30_i64 << exponent).min(3600))
}

impl EmailQueue {
    pub fn new(
        db: DatabaseConnection,
        sender: Arc<dyn EmailSender>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            db,
            sender,
            clock,
            pass: Arc::new(Mutex::new(())),
            sent: Arc::default(),
        }
    }

    /// Queues `email` in the caller's transaction; returns it for [`EmailQueue::deliver`].
    pub async fn enqueue<C: ConnectionTrait>(
        &self,
        conn: &C,
        email: &OutgoingEmail,
    ) -> ServiceResult<Queued> {
        let queued = self.prepare(email);
        repo::enqueue(conn, &queued).await?;
        Ok(queued)
    }

    /// `email` as [`EmailQueue::enqueue`] queues it, for a caller that writes many at once
    /// ([`repo::insert_many`]).
    pub fn prepare(&self, email: &OutgoingEmail) -> Queued {
        let now = self.clock.now();
        repo::new_queued(
            (&email.to, &email.subject, &email.text, &email.html),
            (now, now + CLAIM),
        )
    }

    /// Sends one queued message now (after its transaction committed). A failure leaves it to the
    /// worker's retries; only this message is touched, so concurrent requests do not queue up.
    pub async fn deliver(&self, queued: &Queued) {
        // Claimed when it was queued: this request is the one to send it, and needs no read.
        let result = match self.sender.send(&outgoing(queued)).await {
            Ok(message_id) => {
                self.mark_sent_later((queued.id.clone(), message_id, self.clock.now()));
                Ok(())
            }
            Err(error) => self.failed(queued, &error.to_string()).await,
        };
        if let Err(error) = result {
            tracing::warn!(email_id = %queued.id, error = %error, "email delivery deferred to the worker");
        }
    }

    /// Hands a sent message to the marking task (started on first use).
    fn mark_sent_later(&self, sent: Sent) {
        let marks = self.sent.get_or_init(|| {
            let (marks, queue) = mpsc::unbounded_channel();
            tokio::spawn(mark_sent_batches(self.db.clone(), queue));
            marks
        });
        if let Err(mpsc::error::SendError(sent)) = marks.send(sent) {
            // The task is gone (the runtime is shutting down): after its claim the worker sends
            // the message again rather than lose it.
            tracing::warn!(email_id = %sent.0, "a sent email could not be marked sent");
        }
    }

    /// Records a failed attempt: the message is due again after its back-off.
    async fn failed(&self, queued: &repo::QueuedEmail, error: &str) -> ServiceResult<()> {
        let attempts = queued.attempts + 1;
        tracing::warn!(email_id = %queued.id, attempts, error, "email not sent; will retry");
        repo::mark_failed(
            &self.db,
            &queued.id,
            attempts,
            error,
            self.clock.now() + backoff(attempts),
        )
        .await?;
        Ok(())
    }

    /// One delivery attempt, if this worker wins the claim on the message (`None` otherwise):
    /// whether it was sent.
    async fn attempt(&self, queued: &repo::QueuedEmail) -> ServiceResult<Option<bool>> {
        let now = self.clock.now();
        if !repo::claim(&self.db, &queued.id, now, now + CLAIM).await? {
            return Ok(None);
        }
        match self.sender.send(&outgoing(queued)).await {
            Ok(message_id) => {
                repo::mark_sent(&self.db, &queued.id, &message_id, now).await?;
                Ok(Some(true))
            }
            Err(error) => {
                self.failed(queued, &error.to_string()).await?;
                Ok(Some(false))
            }
        }
    }

    /// Sends every due message once.
    pub async fn deliver_once(&self) -> ServiceResult<DeliveryReport> {
        let _pass = self.pass.lock().await;
        let now = self.clock.now();
        let mut report = DeliveryReport::default();
        for queued in repo::due(&self.db, now, 100).await? {
            match self.attempt(&queued).await? {
                Some(true) => report.sent += 1,
                Some(false) => report.failed += 1,
                None => {}
            }
        }
        Ok(report)
    }

    /// Delivers due messages every `every` until the process ends.
    /// Delivers due messages every `every` while this process leads the email job (messages
    /// are claimed one by one as well, so an inline delivery elsewhere is never repeated).
    pub fn spawn(self, every: StdDuration, leadership: crate::persistence::leadership::Leadership) {
        super::jobs::every("email queue", every, leadership, move || {
            let queue = self.clone();
            async move { queue.deliver_once().await }
        });
    }
}

fn outgoing(queued: &repo::QueuedEmail) -> OutgoingEmail {
    OutgoingEmail {
        to: queued.recipient.clone(),
        subject: queued.subject.clone(),
        text: queued.text_body.clone(),
        html: queued.html_body.clone(),
    }
}

/// Marks the messages sent inline, each batch that queued meanwhile in one transaction.
async fn mark_sent_batches(db: DatabaseConnection, mut queue: mpsc::UnboundedReceiver<Sent>) {
    let mut batch = Vec::with_capacity(MARK_BATCH);
    while queue.recv_many(&mut batch, MARK_BATCH).await > 0 {
        if let Err(error) = mark_sent_batch(&db, &batch).await {
            // Left claimed: the worker sends them again once the claim runs out.
            tracing::warn!(%error, emails = batch.len(), "sent emails not marked sent");
        }
        batch.clear();
    }
}

async fn mark_sent_batch(db: &DatabaseConnection, batch: &[Sent]) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    for (id, message_id, at) in batch {
        repo::mark_sent(&txn, id, message_id, *at).await?;
    }
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(60));
        assert_eq!(backoff(2), Duration::seconds(120));
        assert_eq!(backoff(30), Duration::seconds(3600));
    }
}
