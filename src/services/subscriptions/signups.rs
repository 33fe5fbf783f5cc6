//! Group commit of signups ([`crate::services::batches`]): the signups that queue while a batch
//! is being written go into the next one — one transaction reads the payment mode in force once,
//! inserts their subscriptions, `SubscriptionCreated` events and activation emails in a statement
//! each, and commits once; each caller is answered after that commit. A signup a unique index
//! refuses (a live trial for the email, a repeated idempotency key) is left out of the batch and
//! answered `None`: its caller takes the one-by-one path, which reports the conflict or replays.

use std::collections::HashSet;

use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};

use super::{Queued, Subscription, events, mode, repo};
use crate::domain::mode::PaymentMode;
use crate::persistence::{email_outbox, entities::subscription, outbox};
use crate::services::batches::{BatchWriter, Written};

/// One signup, ready to write but for its mode (the batch reads it).
pub(super) struct Signup {
    pub row: subscription::Model,
    pub subscription: Subscription,
    pub email: Option<Queued>,
}

pub(super) struct Writer {
    pub db: DatabaseConnection,
    pub default_mode: PaymentMode,
}

impl BatchWriter for Writer {
    type Job = Signup;
    /// The payment mode the subscription was created in.
    type Answer = PaymentMode;
    type Open = DatabaseTransaction;

    async fn write(&self, jobs: &mut [Signup]) -> Result<Written<Self>, DbErr> {
        let txn = self.db.begin().await?;
        let mode = mode::stored(&txn, self.default_mode).await?;
        let rows = jobs
            .iter()
            .map(|job| subscription::Model {
                mode: mode.as_str().to_owned(),
                ..job.row.clone()
            })
            .collect();
        let inserted: HashSet<String> = repo::insert_new_many(&txn, rows)
            .await?
            .into_iter()
            .collect();
        let written = || {
            jobs.iter()
                .filter(|job| inserted.contains(&job.subscription.id))
        };
        let created = written()
            .map(|job| {
                let subscription = Subscription {
                    mode,
                    ..job.subscription.clone()
                };
                events::subscription_created_row(subscription.created_at, &subscription)
            })
            .collect();
        outbox::append_many(&txn, created).await?;
        let emails = written().filter_map(|job| job.email.clone()).collect();
        email_outbox::insert_many(&txn, emails).await?;
        Ok(Written {
            answers: jobs
                .iter()
                .map(|job| inserted.contains(&job.subscription.id).then_some(mode))
                .collect(),
            open: Some(txn),
        })
    }
}
