//! Group commit of holds and settlements. One durable commit per operation caps one budget at
//! about 500 operations a second and a busy server at the database's commit rate; here the
//! operations that queue while a batch is being written go together into the next one: one
//! transaction locks their rows (reservations, then budgets, each in id order), decides each
//! operation in arrival order against the locked figures, writes the rows of all of them in a few
//! statements and commits once. Every caller is answered only after that commit, so nothing is
//! acknowledged that a crash could lose, and `committed + held <= limit` is decided exactly as one
//! by one. Across processes the row locks serialise batches as they serialised single moves.
//!
//! One exception, asked for by the metering proxy: a hold may also be told its decision once its
//! batch's statements ran, before the commit, so the call goes upstream while the commit is
//! flushed. Nothing is lost by it: a hold protects nobody across a crash (an expired hold is
//! released), and if that commit fails the proxy holds again, under the same idempotency key,
//! before it charges (see [`Durable`]).
//!
//! The group takes only the common case: a hold that fits and a settlement within the budget that
//! crosses no alert threshold. Anything else (a hold that does not fit, more than held, an alert,
//! an expired hold, a period that ended, a repeated key, a batch the database refused) is
//! answered `None`, and its caller takes the one-by-one path, which handles every case.

use std::collections::HashMap;

use super::holds::{CheckedReserve, commit_entry, reservation_row, reserve_entry};
use super::*;
use crate::persistence::outbox;
use crate::services::batches::{self, Answer, BatchWriter, Batches};
use sea_orm::{DatabaseTransaction, DbErr};
use tokio::sync::oneshot;

struct HoldJob {
    subscription_id: String,
    pod_id: String,
    input: CheckedReserve,
    /// Told the hold once its batch's statements ran, before the commit.
    decided: Option<oneshot::Sender<Reserved>>,
}

struct SettleJob {
    /// The reservation to settle; the batch locks and checks it (held, unexpired, this
    /// subscription's), so its caller need not read it first.
    reservation_id: String,
    sub: Subscription,
    usage: UsageInput,
}

enum Job {
    Hold(HoldJob),
    Settle(Box<SettleJob>),
}

/// What the batch decided for one job.
enum Decision {
    Held(Box<Reserved>),
    Committed(Committed),
}

/// The handle callers queue operations on.
#[derive(Clone)]
pub(super) struct Group {
    batches: Batches<Writer>,
}

impl Group {
    pub(super) fn start(db: DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        Self {
            batches: Batches::start(Writer { db, clock }),
        }
    }

    /// Holds `input.tokens` on the budget of `subscription_id`, if the batch can decide it;
    /// answered before its batch commits, with what tells whether it did.
    pub(super) async fn hold_early(
        &self,
        (subscription_id, pod_id): (&str, &str),
        input: &CheckedReserve,
    ) -> Option<(Reserved, Durable)> {
        let (decided, early) = oneshot::channel();
        let job = Job::Hold(HoldJob {
            subscription_id: subscription_id.to_owned(),
            pod_id: pod_id.to_owned(),
            input: input.clone(),
            decided: Some(decided),
        });
        let answer = self.batches.queue(job).await?;
        match early.await {
            Ok(reserved) => Some((
                reserved,
                Durable {
                    written: Written::Waiting(answer),
                    notice: None,
                },
            )),
            // Not decided (left to the one-by-one path), or the batch failed before its commit.
            Err(_) => None,
        }
    }

    /// Commits `usage` against the reservation `reservation_id` of `sub`, if it is held and the
    /// batch can decide it.
    pub(super) async fn settle(
        &self,
        reservation_id: &str,
        sub: &Subscription,
        usage: &UsageInput,
    ) -> Option<Committed> {
        let job = Job::Settle(Box::new(SettleJob {
            reservation_id: reservation_id.to_owned(),
            sub: sub.clone(),
            usage: usage.clone(),
        }));
        match self.batches.ask(job).await? {
            Decision::Committed(committed) => Some(committed),
            Decision::Held(_) => None,
        }
    }
}

/// Whether a hold told before its batch's commit was written.
pub struct Durable {
    written: Written,
    /// Sent once the hold is known written.
    notice: Option<Notice>,
}

enum Written {
    Known(bool),
    Waiting(Answer<Writer>),
}

impl Durable {
    /// A hold written before it was told.
    pub fn written_already() -> Self {
        Self {
            written: Written::Known(true),
            notice: None,
        }
    }

    /// Tells `notice` to the budget's watchers once the hold is written, not before.
    pub(super) fn announcing(self, notice: Notice) -> Self {
        Self {
            notice: Some(notice),
            ..self
        }
    }

    /// Waits for the commit (once): `false` when the hold was not written.
    pub async fn written(&mut self) -> bool {
        if let Written::Waiting(answer) = &mut self.written {
            let held = matches!(answer.await, Ok(Some(Decision::Held(_))));
            self.written = Written::Known(held);
        }
        let written = matches!(self.written, Written::Known(true));
        if written && let Some(notice) = self.notice.take() {
            notice.send();
        }
        written
    }
}

struct Writer {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
}

/// The rows one batch writes.
#[derive(Default)]
struct Writes {
    reservations: Vec<ReservationRow>,
    settled: Vec<(String, i64, String)>,
    ledger: Vec<LedgerRow>,
    events: Vec<outbox::NewOutboxEvent>,
    /// Budgets whose counters moved.
    touched: Vec<String>,
}

impl BatchWriter for Writer {
    type Job = Job;
    type Answer = Decision;
    type Open = DatabaseTransaction;

    /// Decides and writes one batch in one transaction, left open; a decision per job, in order.
    async fn write(&self, jobs: &mut [Job]) -> Result<batches::Written<Self>, DbErr> {
        let mut reservation_ids: Vec<&str> = Vec::new();
        let mut budget_ids: Vec<&str> = Vec::new();
        for job in jobs.iter() {
            match job {
                Job::Hold(hold) => budget_ids.push(&hold.subscription_id),
                Job::Settle(settle) => {
                    reservation_ids.push(&settle.reservation_id);
                    budget_ids.push(&settle.sub.id);
                }
            }
        }
        for ids in [&mut reservation_ids, &mut budget_ids] {
            ids.sort_unstable();
            ids.dedup();
        }
        let txn = self.db.begin().await?;
        let (budgets, reservations) = repo::lock_batch(&txn, &reservation_ids, &budget_ids).await?;
        let mut held: HashMap<String, ReservationRow> = reservations
            .into_iter()
            .map(|res| (res.id.clone(), res))
            .collect();
        let mut budgets: HashMap<String, Budget> = budgets
            .into_iter()
            .map(|budget| (budget.subscription_id.clone(), budget))
            .collect();
        let now = self.clock.now();
        let mut writes = Writes::default();
        let decisions: Vec<Option<Decision>> = jobs
            .iter()
            .map(|job| match job {
                Job::Hold(job) => decide_hold(job, &mut budgets, &mut writes, now),
                Job::Settle(job) => decide_settle(job, &mut held, &mut budgets, &mut writes, now),
            })
            .collect();
        writes.touched.sort_unstable();
        writes.touched.dedup();
        let touched: Vec<&Budget> = writes
            .touched
            .iter()
            .filter_map(|id| budgets.get(id))
            .collect();
        if touched.is_empty() {
            txn.rollback().await?;
            return Ok(batches::Written {
                answers: decisions,
                open: None,
            });
        }
        let rows = repo::BatchRows {
            settled: writes
                .settled
                .iter()
                .map(|(id, charge, usage)| (id.as_str(), *charge, usage.as_str()))
                .collect(),
            holds: writes.reservations,
            ledger: writes.ledger,
            events: writes.events,
            counters: touched,
        };
        repo::write_batch(&txn, rows, now).await?;
        for (job, decision) in jobs.iter_mut().zip(&decisions) {
            if let (Job::Hold(job), Some(Decision::Held(reserved))) = (job, decision)
                && let Some(decided) = job.decided.take()
            {
                // Told once every statement ran (a repeated key, say, fails one), before the
                // commit's flush. A caller that stopped waiting is gone; its hold is written as
                // for any other.
                let _ = decided.send((**reserved).clone());
            }
        }
        Ok(batches::Written {
            answers: decisions,
            open: Some(txn),
        })
    }
}

fn decide_hold(
    job: &HoldJob,
    budgets: &mut HashMap<String, Budget>,
    writes: &mut Writes,
    now: DateTime<Utc>,
) -> Option<Decision> {
    let budget = budgets.get_mut(&job.subscription_id)?;
    if !budget.try_move(job.input.tokens, 0) {
        return None;
    }
    writes.touched.push(job.subscription_id.clone());
    let row = reservation_row(
        (&job.subscription_id, &job.pod_id),
        &job.input,
        budget.period_start_at,
        now,
    );
    writes.ledger.push(reserve_entry(&row));
    writes.reservations.push(row.clone());
    Some(Decision::Held(Box::new(Reserved {
        reservation: row,
        remaining: budget.remaining(),
    })))
}

fn decide_settle(
    job: &SettleJob,
    held: &mut HashMap<String, ReservationRow>,
    budgets: &mut HashMap<String, Budget>,
    writes: &mut Writes,
    now: DateTime<Utc>,
) -> Option<Decision> {
    // Taken out of the map: a second settlement of it in this batch goes alone.
    let res = held.remove(&job.reservation_id)?;
    let still_held = ReservationStatus::parse(&res.status) == Some(ReservationStatus::Held)
        && res.expires_at > now
        && res.subscription_id == job.sub.id;
    let budget = budgets.get_mut(&res.subscription_id)?;
    if !still_held || budget.period_start_at != res.period_start_at {
        return None;
    }
    let charge = job.usage.tokens;
    let mut after = budget.clone();
    if !after.try_move(-res.tokens, charge) || !after.newly_crossed().0.is_empty() {
        return None;
    }
    *budget = after;
    writes.touched.push(res.subscription_id.clone());
    let entry = commit_entry(&res, &job.usage, charge, now);
    writes
        .events
        .push(events::usage_recorded_row(now, &job.sub, budget, &entry));
    writes
        .settled
        .push((res.id.clone(), charge, entry.id.clone()));
    let committed = Committed {
        reservation_id: res.id,
        committed_tokens: charge,
        usage_id: entry.id.clone(),
        remaining: budget.remaining(),
    };
    writes.ledger.push(entry);
    Some(Decision::Committed(committed))
}
