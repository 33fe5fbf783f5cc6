//! Holds: Reserve before spending, Commit what was spent (capped at the hold), Release what
//! was not, and expiry of holds nobody settled.

use super::*;

/// A reservation request whose fields were checked.
#[derive(Clone)]
pub(super) struct CheckedReserve {
    pub tokens: i64,
    pub key: String,
    pub ttl: Duration,
    pub model: String,
    pub session_id: String,
}

/// The reservation a hold writes, in the budget's period starting at `period`.
pub(super) fn reservation_row(
    (subscription_id, pod_id): (&str, &str),
    input: &CheckedReserve,
    period: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ReservationRow {
    ReservationRow {
        id: new_id("res_"),
        subscription_id: subscription_id.to_owned(),
        pod_id: pod_id.to_owned(),
        session_id: input.session_id.clone(),
        model: input.model.clone(),
        tokens: input.tokens,
        status: ReservationStatus::Held.as_str().to_owned(),
        idempotency_key: input.key.clone(),
        committed_tokens: None,
        usage_id: None,
        capped: false,
        period_start_at: period,
        created_at: now,
        expires_at: now + input.ttl,
        settled_at: None,
    }
}

/// The ledger entry of a new hold.
pub(super) fn reserve_entry(row: &ReservationRow) -> LedgerRow {
    let mut entry = ledger_entry(
        (&row.subscription_id, &row.pod_id, row.period_start_at),
        LedgerKind::Reserve,
        row.tokens,
        0,
        row.created_at,
    );
    entry.reservation_id = row.id.clone();
    entry.session_id = row.session_id.clone();
    entry.model = row.model.clone();
    entry
}

/// The ledger entry of a commit of `res` charging `charge` for `usage`.
pub(super) fn commit_entry(
    res: &ReservationRow,
    usage: &UsageInput,
    charge: i64,
    now: DateTime<Utc>,
) -> LedgerRow {
    let mut entry = ledger_entry(
        (&res.subscription_id, &res.pod_id, res.period_start_at),
        LedgerKind::Commit,
        -res.tokens,
        charge,
        now,
    );
    entry.reservation_id = res.id.clone();
    entry.session_id = res.session_id.clone();
    entry.model = if usage.model.is_empty() {
        res.model.clone()
    } else {
        usage.model.clone()
    };
    entry.tokens_in = usage.tokens_in;
    entry.tokens_out = usage.tokens_out;
    entry.tokens_cached = usage.tokens_cached;
    entry.tokens_reasoning = usage.tokens_reasoning;
    entry
}

impl Budgets {
    /// Holds tokens for a pod whose subscription its caller has just read (or remembered for a
    /// moment: [`crate::services::pods::PodCallers`]); it must be running. A repeat with the same
    /// idempotency key returns the first reservation.
    pub async fn reserve_as(
        &self,
        pod: &Pod,
        sub: &Subscription,
        input: ReserveInput,
    ) -> ServiceResult<Reserved> {
        let checked = self.check_reserve(&input)?;
        ensure_running(sub)?;
        self.hold(pod, sub, None, checked).await
    }

    /// [`Budgets::reserve_as`] for a caller that has just read the pod's running subscription and
    /// its budget (the metering proxy): two reads fewer on its path. The move itself is still
    /// decided against the locked row, so a budget that changed since only costs a retry.
    pub async fn reserve_for(
        &self,
        pod: &Pod,
        sub: &Subscription,
        seen: Option<Budget>,
        input: ReserveInput,
    ) -> ServiceResult<Reserved> {
        let checked = self.check_reserve(&input)?;
        self.hold(pod, sub, seen, checked).await
    }

    /// A reservation request's fields, checked.
    fn check_reserve(&self, input: &ReserveInput) -> ServiceResult<CheckedReserve> {
        Ok(CheckedReserve {
            tokens: token_count("tokens", input.tokens, 1)?,
            key: required("idempotency_key", &input.idempotency_key, 128)?,
            ttl: reservation_ttl(input.ttl, self.settings.default_ttl, self.settings.max_ttl)
                .map_err(|problem| ServiceError::invalid("ttl", problem))?,
            model: text("model", &input.model, 200)?,
            session_id: text("session_id", &input.session_id, 40)?,
        })
    }

    /// [`Budgets::reserve_for`] answered as soon as the hold is decided, before it is durable: the
    /// metering proxy calls the upstream while the commit is flushed, and waits on [`Durable`]
    /// before it settles or releases (holding again when the commit failed).
    pub async fn reserve_early(
        &self,
        pod: &Pod,
        sub: &Subscription,
        seen: Option<Budget>,
        input: ReserveInput,
    ) -> ServiceResult<(Reserved, Durable)> {
        let checked = self.check_reserve(&input)?;
        self.hold_early(pod, sub, seen, &checked).await
    }

    async fn hold(
        &self,
        pod: &Pod,
        sub: &Subscription,
        seen: Option<Budget>,
        input: CheckedReserve,
    ) -> ServiceResult<Reserved> {
        let (reserved, mut durable) = self.hold_early(pod, sub, seen, &input).await?;
        if durable.written().await {
            return Ok(reserved);
        }
        // The batch's commit failed: alone, the hold meets the fault (or not) itself.
        self.hold_alone(pod, sub, None, &input).await
    }

    /// A hold decided by the group when it can, told before its batch commits; its change
    /// notice goes out once it is written.
    async fn hold_early(
        &self,
        pod: &Pod,
        sub: &Subscription,
        seen: Option<Budget>,
        input: &CheckedReserve,
    ) -> ServiceResult<(Reserved, Durable)> {
        if let Some((reserved, durable)) =
            self.group.hold_early((&sub.id, &pod.pod_id), input).await
        {
            let notice = self.notice(&sub.id, ChangeKind::Reserved, &[]);
            return Ok((reserved, durable.announcing(notice)));
        }
        let reserved = self.hold_alone(pod, sub, seen, input).await?;
        Ok((reserved, Durable::written_already()))
    }

    /// What the group did not decide (it does not fit, a repeated key, a batch the database
    /// refused) takes this path, which handles every case.
    async fn hold_alone(
        &self,
        pod: &Pod,
        sub: &Subscription,
        mut seen: Option<Budget>,
        input: &CheckedReserve,
    ) -> ServiceResult<Reserved> {
        let tokens = input.tokens;
        // A repeated key is found by the unique index when the insert below fails.
        for attempt in 0..3 {
            let budget = match seen.take() {
                Some(budget) => budget,
                None => self.get(&sub.id).await?,
            };
            let now = self.clock.now();
            let row = reservation_row((&sub.id, &pod.pod_id), input, budget.period_start_at, now);
            let txn = self.db.begin().await?;
            if let Err(error) = repo::insert_reservation(&txn, row.clone()).await {
                txn.rollback().await.ok();
                if is_unique_violation(&error)
                    && let Some(first) =
                        repo::reservation_by_key(&self.db, &sub.id, &input.key).await?
                {
                    // A concurrent call with the same key won.
                    return self.reserved(first).await;
                }
                return Err(error.into());
            }
            repo::append_ledger(&txn, reserve_entry(&row)).await?;
            // The budget row last: it stays locked from here to the commit.
            let Some(after) =
                repo::adjust(&txn, &sub.id, budget.period_start_at, tokens, 0, now).await?
            else {
                txn.rollback().await.ok();
                if self.retry_worthwhile(&budget, attempt).await? {
                    continue;
                }
                return Err(exceeded(budget.remaining(), tokens));
            };
            txn.commit().await?;
            self.publish(&sub.id, ChangeKind::Reserved, &[]);
            return Ok(Reserved {
                reservation: row,
                remaining: after.remaining(),
            });
        }
        Err(ServiceError::Aborted(
            "the budget changed concurrently; retry".into(),
        ))
    }

    /// After a move that did not fit: worth another attempt when a new period began meanwhile,
    /// or (once) when sweeping this budget's expired holds freed something.
    pub(super) async fn retry_worthwhile(
        &self,
        seen: &Budget,
        attempt: usize,
    ) -> ServiceResult<bool> {
        if self.get(&seen.subscription_id).await?.period_start_at != seen.period_start_at {
            return Ok(true);
        }
        Ok(attempt == 0 && self.expire_due(Some(&seen.subscription_id)).await? > 0)
    }

    pub(super) async fn reserved(&self, reservation: ReservationRow) -> ServiceResult<Reserved> {
        let remaining = self.get(&reservation.subscription_id).await?.remaining();
        Ok(Reserved {
            reservation,
            remaining,
        })
    }

    pub(super) async fn own_reservation(
        &self,
        pod: &Pod,
        id: &str,
    ) -> ServiceResult<ReservationRow> {
        if id.trim().is_empty() {
            return Err(ServiceError::invalid("reservation_id", "is required"));
        }
        repo::reservation(&self.db, id.trim())
            .await?
            .filter(|r| r.subscription_id == pod.subscription_id)
            .ok_or_else(|| ServiceError::NotFound(format!("reservation {} not found", id.trim())))
    }

    /// The answer to a repeated commit: the stored result for the same figures.
    pub(super) fn committed_again(
        &self,
        res: &ReservationRow,
        actual: i64,
    ) -> ServiceResult<Committed> {
        let stored = res.committed_tokens.unwrap_or_default();
        // A capped commit asked for more than its hold: a repeat that does too gets the same
        // answer; one within the hold cannot be the same call.
        if res.capped {
            if actual > res.tokens {
                return Err(exceeded(0, actual - res.tokens));
            }
            return Err(ServiceError::FailedPrecondition(format!(
                "reservation {} was committed with more tokens than it held",
                res.id
            )));
        }
        if stored != actual {
            return Err(ServiceError::FailedPrecondition(format!(
                "reservation {} was committed with {stored} tokens",
                res.id
            )));
        }
        Ok(Committed {
            reservation_id: res.id.clone(),
            committed_tokens: stored,
            usage_id: res.usage_id.clone().unwrap_or_default(),
            remaining: 0,
        })
    }

    /// Settles a reservation with the real usage. More than reserved is charged only if the
    /// budget covers it; otherwise the reserved amount is charged and RESOURCE_EXHAUSTED says so.
    pub async fn commit(
        &self,
        pod: &Pod,
        reservation_id: &str,
        usage: UsageInput,
    ) -> ServiceResult<Committed> {
        self.settle_reservation(pod, None, reservation_id, usage)
            .await
    }

    /// [`Budgets::commit`] for a pod whose subscription its caller has just read (or remembered
    /// for a moment): one read fewer. The settlement is decided against the locked rows as ever.
    pub async fn commit_as(
        &self,
        (pod, sub): (&Pod, &Subscription),
        reservation_id: &str,
        usage: UsageInput,
    ) -> ServiceResult<Committed> {
        self.settle_reservation(pod, Some(sub), reservation_id, usage)
            .await
    }

    async fn settle_reservation(
        &self,
        pod: &Pod,
        known: Option<&Subscription>,
        reservation_id: &str,
        usage: UsageInput,
    ) -> ServiceResult<Committed> {
        token_count("actual_tokens", usage.tokens, 0)?;
        let usage = validate_usage(&usage, "actual_tokens")?;
        // The common case needs no read first: the batch locks the reservation and checks it.
        let batched = known.filter(|sub| sub.id == pod.subscription_id);
        if let Some(sub) = batched
            && let Some(committed) = self.group.settle(reservation_id.trim(), sub, &usage).await
        {
            self.publish(&sub.id, ChangeKind::Committed, &[]);
            return Ok(committed);
        }
        let res = self.own_reservation(pod, reservation_id).await?;
        let now = self.clock.now();
        match ReservationStatus::parse(&res.status) {
            Some(ReservationStatus::Committed) => {
                let mut again = self.committed_again(&res, usage.tokens)?;
                again.remaining = self.get(&res.subscription_id).await?.remaining();
                return Ok(again);
            }
            Some(ReservationStatus::Held) if res.expires_at > now => {}
            Some(ReservationStatus::Held) => {
                self.expire(&res).await?;
                return Err(ServiceError::FailedPrecondition(format!(
                    "reservation {} expired",
                    res.id
                )));
            }
            _ => {
                return Err(ServiceError::FailedPrecondition(format!(
                    "reservation {} is {}",
                    res.id, res.status
                )));
            }
        }
        let sub = match known {
            Some(sub) if sub.id == res.subscription_id => sub.clone(),
            _ => self.subscription(&res.subscription_id).await?,
        };
        // When the group has just left it to this path, it goes alone.
        let by = if batched.is_none() {
            SettleBy::Group
        } else {
            SettleBy::Alone
        };
        self.settle_held((pod, &sub), res, usage, now, by).await
    }

    /// [`Budgets::commit`] of a reservation its caller has just made (the metering proxy), with
    /// the subscription it read: three reads fewer. The settlement is still decided against the
    /// locked rows; one that expired or was settled meanwhile takes the full path.
    pub async fn commit_for(
        &self,
        pod: &Pod,
        res: ReservationRow,
        sub: &Subscription,
        usage: UsageInput,
    ) -> ServiceResult<Committed> {
        token_count("actual_tokens", usage.tokens, 0)?;
        let usage = validate_usage(&usage, "actual_tokens")?;
        let now = self.clock.now();
        if res.expires_at <= now || res.subscription_id != pod.subscription_id {
            return self.commit(pod, &res.id, usage).await;
        }
        self.settle_held((pod, sub), res, usage, now, SettleBy::Group)
            .await
    }

    /// Charges a held, unexpired reservation with checked usage: through the group unless it
    /// has just declined it, else, or when the group declines (more than held, an alert
    /// threshold, a period that ended, a settlement racing another), alone on a path that
    /// handles every case.
    async fn settle_held(
        &self,
        (pod, sub): (&Pod, &Subscription),
        res: ReservationRow,
        usage: UsageInput,
        now: DateTime<Utc>,
        by: SettleBy,
    ) -> ServiceResult<Committed> {
        if let SettleBy::Group = by
            && let Some(committed) = self.group.settle(&res.id, sub, &usage).await
        {
            self.publish(&res.subscription_id, ChangeKind::Committed, &[]);
            return Ok(committed);
        }
        let reservation_id = res.id.clone();
        let plan = settle(res.tokens, usage.tokens);
        let mut entry = commit_entry(&res, &usage, plan.charge, now);
        let txn = self.db.begin().await?;
        if !repo::settle_reservation(
            &txn,
            &res.id,
            ReservationStatus::Committed,
            Some(plan.charge),
            Some(&entry.id),
            false,
            now,
        )
        .await?
        {
            // Settled by a concurrent call: answer from what it stored.
            txn.rollback().await.ok();
            return Box::pin(self.commit(pod, &reservation_id, usage)).await;
        }
        repo::append_ledger(&txn, entry.clone()).await?;
        let mut capped = false;
        let period = res.period_start_at;
        let after = match repo::adjust(
            &txn,
            &res.subscription_id,
            period,
            -res.tokens,
            plan.charge,
            now,
        )
        .await?
        {
            Some(after) => after,
            None if repo::find(&txn, &res.subscription_id)
                .await?
                .is_none_or(|b| b.period_start_at != period) =>
            {
                // Its period ended (and the reset dropped its hold): nothing can be charged.
                txn.rollback().await.ok();
                self.expire(&res).await?;
                return Err(ServiceError::FailedPrecondition(format!(
                    "reservation {} expired with its budget period",
                    res.id
                )));
            }
            None => {
                // The excess does not fit: charge what was held (always fits) and say so.
                capped = true;
                let Some(after) = repo::adjust(
                    &txn,
                    &res.subscription_id,
                    period,
                    -res.tokens,
                    res.tokens,
                    now,
                )
                .await?
                else {
                    return Err(ServiceError::Internal(format!(
                        "reservation {} is not covered by its budget's held tokens",
                        res.id
                    )));
                };
                repo::settle_reservation_figures(&txn, &res.id, res.tokens, true).await?;
                entry.committed_delta = res.tokens;
                entry.tokens_in = 0;
                entry.tokens_out = 0;
                entry.tokens_cached = 0;
                entry.tokens_reasoning = 0;
                repo::correct_ledger_charge(&txn, &entry.id, res.tokens).await?;
                after
            }
        };
        let (crossed, emails) = self.after_charge(&txn, sub, &after, &entry).await?;
        txn.commit().await?;
        self.delivered(emails).await;
        self.publish(&res.subscription_id, ChangeKind::Committed, &crossed);
        if capped {
            return Err(exceeded(after.remaining(), plan.extra));
        }
        Ok(Committed {
            reservation_id: res.id,
            committed_tokens: entry.committed_delta,
            usage_id: entry.id,
            remaining: after.remaining(),
        })
    }

    /// Frees a held reservation; repeats and expired ones return 0.
    pub async fn release(&self, pod: &Pod, reservation_id: &str) -> ServiceResult<(i64, i64)> {
        let res = self.own_reservation(pod, reservation_id).await?;
        let now = self.clock.now();
        let released = match ReservationStatus::parse(&res.status) {
            Some(ReservationStatus::Committed) => {
                return Err(ServiceError::FailedPrecondition(format!(
                    "reservation {} is committed",
                    res.id
                )));
            }
            Some(ReservationStatus::Held) if res.expires_at > now => {
                self.end_hold(&res, ReservationStatus::Released, LedgerKind::Release)
                    .await?
            }
            Some(ReservationStatus::Held) => {
                self.expire(&res).await?;
                0
            }
            _ => 0,
        };
        let remaining = self.get(&res.subscription_id).await?.remaining();
        Ok((released, remaining))
    }

    /// Ends a held reservation without charging it; returns the tokens freed (0 if someone else
    /// ended it first).
    pub(super) async fn end_hold(
        &self,
        res: &ReservationRow,
        to: ReservationStatus,
        kind: LedgerKind,
    ) -> ServiceResult<i64> {
        let now = self.clock.now();
        let budget = self.get(&res.subscription_id).await?;
        let txn = self.db.begin().await?;
        if !repo::settle_reservation(&txn, &res.id, to, None, None, false, now).await? {
            txn.rollback().await.ok();
            return Ok(0);
        }
        // Only the hold's own period gives tokens back: a reset already dropped older holds.
        let freed = match repo::adjust(
            &txn,
            &res.subscription_id,
            res.period_start_at,
            -res.tokens,
            0,
            now,
        )
        .await?
        {
            Some(_) => res.tokens,
            None if repo::find(&txn, &res.subscription_id)
                .await?
                .is_none_or(|b| b.period_start_at != res.period_start_at) =>
            {
                0
            }
            None => {
                return Err(ServiceError::Internal(format!(
                    "reservation {} is not covered by its budget's held tokens",
                    res.id
                )));
            }
        };
        let mut entry = ledger_row(&budget, kind, -freed, 0, now);
        entry.period_start_at = res.period_start_at;
        entry.reservation_id = res.id.clone();
        entry.session_id = res.session_id.clone();
        repo::append_ledger(&txn, entry).await?;
        txn.commit().await?;
        let change = if kind == LedgerKind::Expire {
            ChangeKind::Expired
        } else {
            ChangeKind::Released
        };
        self.publish(&res.subscription_id, change, &[]);
        Ok(freed)
    }

    pub(super) async fn expire(&self, res: &ReservationRow) -> ServiceResult<i64> {
        self.end_hold(res, ReservationStatus::Expired, LedgerKind::Expire)
            .await
    }

    /// Releases holds whose expiry passed (of one budget, or all); returns how many.
    pub(super) async fn expire_due(&self, subscription_id: Option<&str>) -> ServiceResult<usize> {
        let now = self.clock.now();
        let mut expired = 0;
        for res in repo::expired(&self.db, subscription_id, now, SWEEP_BATCH).await? {
            // One hold that cannot be expired must not block every other one behind it.
            match self.expire(&res).await {
                Ok(freed) if freed > 0 => expired += 1,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(reservation = %res.id, error = %error, "cannot expire a hold")
                }
            }
        }
        Ok(expired)
    }

    /// One sweeper pass: expired reservations are released, and budgets whose subscription
    /// started a new period (a renewal) start it too.
    pub async fn sweep_once(&self) -> ServiceResult<SweepReport> {
        let expired = self.expire_due(None).await?;
        let now = self.clock.now();
        let mut reset = 0;
        for budget in repo::period_ended(&self.db, now, SWEEP_BATCH).await? {
            let Some(sub) =
                subscription_repo::find_by_id(&self.db, &budget.subscription_id).await?
            else {
                continue;
            };
            if let Some(start) = sub.period_start_at
                && start > budget.period_start_at
                && self
                    .reset_period(&budget, start, sub.period_end_at, None)
                    .await?
            {
                reset += 1;
            }
        }
        Ok(SweepReport { expired, reset })
    }
}

/// How [`Budgets::settle_held`] settles.
#[derive(Clone, Copy)]
enum SettleBy {
    /// Through the group.
    Group,
    /// Alone: the group has just declined it.
    Alone,
}
