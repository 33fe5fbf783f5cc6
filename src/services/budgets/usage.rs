//! Usage recorded without a hold, the ledger as read back, and what follows a charge
//! (threshold alerts, the exhausted-budget email).

use super::*;

impl Budgets {
    /// Usage without a reservation, idempotent by `event_id`.
    pub async fn record_usage(
        &self,
        pod: &Pod,
        event_id: &str,
        occurred_at: Option<DateTime<Utc>>,
        usage: UsageInput,
    ) -> ServiceResult<Recorded> {
        let event_id = required("event_id", event_id, 128)?;
        token_count("tokens", usage.tokens, 1)?;
        let usage = validate_usage(&usage, "tokens")?;
        let sub = self.running_subscription(pod).await?;
        if let Some(first) = repo::usage_by_event(&self.db, &sub.id, &event_id).await? {
            return self.recorded(first, true).await;
        }
        for attempt in 0..3 {
            let budget = self.get(&sub.id).await?;
            let now = self.clock.now();
            let occurred = occurred_at.unwrap_or(now);
            if occurred < budget.period_start_at || occurred > now + Duration::minutes(5) {
                return Err(ServiceError::invalid(
                    "occurred_at",
                    "must fall in the current period",
                ));
            }
            let mut entry = ledger_row(&budget, LedgerKind::Usage, 0, usage.tokens, now);
            entry.event_id = Some(event_id.clone());
            entry.session_id = usage.session_id.clone();
            entry.model = usage.model.clone();
            entry.tokens_in = usage.tokens_in;
            entry.tokens_out = usage.tokens_out;
            entry.tokens_cached = usage.tokens_cached;
            entry.tokens_reasoning = usage.tokens_reasoning;
            entry.occurred_at = occurred;
            let txn = self.db.begin().await?;
            if let Err(error) = repo::append_ledger(&txn, entry.clone()).await {
                txn.rollback().await.ok();
                if is_unique_violation(&error)
                    && let Some(first) = repo::usage_by_event(&self.db, &sub.id, &event_id).await?
                {
                    return self.recorded(first, true).await;
                }
                return Err(error.into());
            }
            let Some(after) =
                repo::adjust(&txn, &sub.id, budget.period_start_at, 0, usage.tokens, now).await?
            else {
                txn.rollback().await.ok();
                if self.retry_worthwhile(&budget, attempt).await? {
                    continue;
                }
                return Err(exceeded(budget.remaining(), usage.tokens));
            };
            let (crossed, emails) = self.after_charge(&txn, &sub, &after, &entry).await?;
            txn.commit().await?;
            self.delivered(emails).await;
            self.publish(&sub.id, ChangeKind::UsageRecorded, &crossed);
            return self.recorded(entry, false).await;
        }
        Err(ServiceError::Aborted(
            "the budget changed concurrently; retry".into(),
        ))
    }

    pub(super) async fn recorded(
        &self,
        record: LedgerRow,
        duplicate: bool,
    ) -> ServiceResult<Recorded> {
        let remaining = self.get(&record.subscription_id).await?.remaining();
        Ok(Recorded {
            record,
            duplicate,
            remaining,
        })
    }

    /// After tokens were charged in `txn`: the usage event, and alerts for thresholds crossed
    /// (once per period: the flags are written in the same transaction, under the row lock the
    /// charge took). Returns the thresholds crossed and the emails to deliver.
    pub(super) async fn after_charge(
        &self,
        txn: &DatabaseTransaction,
        sub: &Subscription,
        budget: &Budget,
        entry: &LedgerRow,
    ) -> ServiceResult<(Vec<i32>, Vec<Queued>)> {
        let subscription_id = sub.id.as_str();
        // The charge's own time, from the service clock.
        let now = entry.occurred_at;
        events::usage_recorded(txn, now, sub, budget, entry).await?;
        let (crossed, mask) = budget.newly_crossed();
        let mut emails = Vec::new();
        if crossed.is_empty() {
            return Ok((crossed, emails));
        }
        repo::set_thresholds(txn, subscription_id, mask).await?;
        let name = if sub.name.is_empty() {
            sub.email.local_part()
        } else {
            &sub.name
        };
        for threshold in &crossed {
            events::budget_threshold_crossed(txn, now, sub, budget, *threshold).await?;
            let alert = budget_alert_email(
                sub.email.as_str(),
                name,
                sub.language,
                u8::try_from(*threshold).unwrap_or(100),
                budget.committed_tokens,
                budget.limit_tokens,
            );
            emails.push(self.emails.enqueue(txn, &alert).await?);
            if *threshold == 100
                && let Some(vendor) = &self.settings.vendor_email
            {
                let notice =
                    vendor_budget_email(vendor, sub.email.as_str(), &sub.id, budget.limit_tokens);
                emails.push(self.emails.enqueue(txn, &notice).await?);
            }
        }
        Ok((crossed, emails))
    }

    /// Usage entries, newest first: (page, total count, token sum).
    pub async fn list_usage(
        &self,
        filter: &UsageFilter,
        offset: u64,
        limit: u64,
    ) -> ServiceResult<(Vec<LedgerRow>, u64, i64)> {
        Ok(repo::usage(&self.db, filter, offset, limit).await?)
    }

    /// The ledger's sums for the budget's current period (they equal its counters).
    pub async fn ledger_sums(&self, subscription_id: &str) -> ServiceResult<(i64, i64)> {
        let budget = self.get(subscription_id).await?;
        Ok(repo::ledger_sums(&self.db, subscription_id, budget.period_start_at).await?)
    }
}
