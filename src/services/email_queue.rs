//! The email outbox worker: messages are queued in the transaction of the change they announce
//! and sent here, with exponential back-off on failure, so a provider outage delays an email but
//! never loses it. Delivery is at least once.

use std::{sync::Arc, time::Duration as StdDuration};

use chrono::Duration;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tokio::sync::Mutex;

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
}

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
        }
    }

    /// Queues `email` in the caller's transaction; returns its id for [`EmailQueue::deliver`].
    pub async fn enqueue<C: ConnectionTrait>(
        &self,
        conn: &C,
        email: &OutgoingEmail,
    ) -> ServiceResult<String> {
        Ok(repo::enqueue(
            conn,
            &email.to,
            &email.subject,
            &email.text,
            &email.html,
            self.clock.now(),
        )
        .await?)
    }

    /// Sends one queued message now (after its transaction committed). A failure leaves it to the
    /// worker's retries; only this message is touched, so concurrent requests do not queue up.
    pub async fn deliver(&self, id: &str) {
        let result = async {
            if let Some(queued) = repo::unsent(&self.db, id).await? {
                self.attempt(&queued).await?;
            }
            ServiceResult::Ok(())
        }
        .await;
        if let Err(error) = result {
            tracing::warn!(email_id = id, error = %error, "email delivery deferred to the worker");
        }
    }

    /// Sends one message and records the outcome; true when sent.
    /// One delivery attempt, if this worker wins the claim on the message (`None` otherwise):
    /// whether it was sent.
    async fn attempt(&self, queued: &repo::QueuedEmail) -> ServiceResult<Option<bool>> {
        let now = self.clock.now();
        if !repo::claim(&self.db, &queued.id, now, now + CLAIM).await? {
            return Ok(None);
        }
        let email = OutgoingEmail {
            to: queued.recipient.clone(),
            subject: queued.subject.clone(),
            text: queued.text_body.clone(),
            html: queued.html_body.clone(),
        };
        match self.sender.send(&email).await {
            Ok(message_id) => {
                repo::mark_sent(&self.db, &queued.id, &message_id, now).await?;
                Ok(Some(true))
            }
            Err(error) => {
                let attempts = queued.attempts + 1;
                tracing::warn!(email_id = %queued.id, attempts, error = %error, "email not sent; will retry");
                repo::mark_failed(
                    &self.db,
                    &queued.id,
                    attempts,
                    &error.to_string(),
                    now + backoff(attempts),
                )
                .await?;
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
