//! Operators' budget changes (audited, idempotent by key): a new limit, a period reset.

use super::*;

impl Budgets {
    /// Admin: a new limit and/or a new period, audited.
    pub async fn set_budget(
        &self,
        subscription_id: &str,
        limit: i64,
        reset: bool,
        reason: &str,
        idempotency_key: &str,
        admin: &AdminAction,
    ) -> ServiceResult<Budget> {
        let reason = required("reason", reason, 500)?;
        let key = text("idempotency_key", idempotency_key, 128)?;
        token_count("limit_tokens", limit, 0)?;
        let before = self.get(subscription_id).await?;
        if !key.is_empty() && self.already_set(subscription_id, &key).await? {
            // A retry: the first call's change stands, nothing is applied twice.
            return Ok(before);
        }
        if reset
            && !self
                .reset_period(
                    &before,
                    self.clock.now(),
                    before.period_end_at,
                    Some(before.limit_tokens),
                )
                .await?
        {
            return Err(ServiceError::Aborted(
                "the budget started a new period meanwhile; retry".into(),
            ));
        }
        let change_limit = !(reset && limit == 0) && limit != before.limit_tokens;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        if change_limit {
            if !repo::set_limit(&txn, subscription_id, limit, now).await? {
                return Err(ServiceError::FailedPrecondition(
                    "limit_tokens is below the tokens committed and held this period".into(),
                ));
            }
            let sub = subscription_repo::find_by_id(&txn, subscription_id)
                .await?
                .ok_or_else(|| ServiceError::Internal("budget without subscription".into()))?;
            events::budget_limit_changed(&txn, now, &sub, before.limit_tokens, limit, &reason)
                .await?;
        }
        admin
            .record(
                &txn,
                now,
                "budget.set",
                ("budget", subscription_id),
                serde_json::json!({
                    "previous_limit": before.limit_tokens,
                    "limit": if change_limit { limit } else { before.limit_tokens },
                    "reset": reset,
                    "reason": reason,
                    "idempotency_key": key,
                }),
            )
            .await?;
        txn.commit().await?;
        if change_limit {
            self.publish(subscription_id, ChangeKind::LimitChanged, &[]);
        }
        self.get(subscription_id).await
    }

    /// Whether an earlier SetBudget on this budget carried `key` (its audit entry says so).
    pub(super) async fn already_set(
        &self,
        subscription_id: &str,
        key: &str,
    ) -> ServiceResult<bool> {
        let filter = crate::persistence::audit::AuditFilter {
            action: Some("budget.set".into()),
            resource_id: Some(subscription_id.into()),
            ..Default::default()
        };
        let (rows, _) =
            crate::persistence::audit::list(&self.db, &filter, None, true, 1_000).await?;
        Ok(rows.iter().any(|row| {
            serde_json::from_str::<serde_json::Value>(&row.details_json)
                .is_ok_and(|details| details["idempotency_key"] == key)
        }))
    }

    /// Ends `budget`'s period and starts a new one with `limit` (unset: the larger of the old
    /// limit and the plan's of today): open holds expire, counters and alert flags go to zero.
    /// Returns false when that period had already ended (another reset won).
    pub(super) async fn reset_period(
        &self,
        budget: &Budget,
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
        limit: Option<i64>,
    ) -> ServiceResult<bool> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        // Lock the row first and read it again: no hold can slip in, and the event reports the
        // period's final figures. Another reset that got here first leaves nothing to do.
        let Some(budget) =
            repo::lock_period(&txn, &budget.subscription_id, budget.period_start_at).await?
        else {
            txn.rollback().await.ok();
            return Ok(false);
        };
        let budget = &budget;
        for res in repo::held(&txn, &budget.subscription_id).await? {
            if repo::settle_reservation(
                &txn,
                &res.id,
                ReservationStatus::Expired,
                None,
                None,
                false,
                now,
            )
            .await?
            {
                let mut entry = ledger_row(budget, LedgerKind::Expire, -res.tokens, 0, now);
                entry.reservation_id = res.id.clone();
                repo::append_ledger(&txn, entry).await?;
            }
        }
        let sub = subscription_repo::find_by_id(&txn, &budget.subscription_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("budget without subscription".into()))?;
        // A budget opened under an older plan table (or raised by an admin) keeps its limit
        // until the period ends; the new period gets at least what the plan gives today.
        let limit = limit.unwrap_or_else(|| {
            budget
                .limit_tokens
                .max(self.settings.plans.terms(sub.plan).token_limit)
        });
        if !repo::reset(
            &txn,
            &budget.subscription_id,
            budget.period_start_at,
            (start, end),
            limit,
            now,
        )
        .await?
        {
            // Another process started the new period first.
            txn.rollback().await.ok();
            return Ok(false);
        }
        events::budget_reset(&txn, now, &sub, budget, start, end).await?;
        txn.commit().await?;
        self.publish(&budget.subscription_id, ChangeKind::Reset, &[]);
        Ok(true)
    }
}
