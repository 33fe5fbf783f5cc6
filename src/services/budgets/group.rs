//! Group commit of holds and settlements. One durable commit per operation caps one budget at
//! about 500 operations a second and a busy server at the database's commit rate; here the
//! operations that queue while a batch is being written go together into the next one: one
//! transaction locks their rows (reservations, then budgets, each in id order), decides each
//! operation in arrival order against the locked figures, writes the rows of all of them in a few
//! statements and commits once. Every caller is answered only after that commit, so nothing is
//! acknowledged that a crash could lose, and `committed + held <= limit` is decided exactly as one
//! by one. Across processes the row locks serialise batches as they serialised single moves.
//!
//! The group takes only the common case: a hold that fits and a settlement within the budget that
//! crosses no alert threshold. Anything else (a hold that does not fit, more than held, an alert,
//! an expired hold, a period that ended, a repeated key, a batch the database refused) is
//! answered `None`, and its caller takes the one-by-one path, which handles every case.

use std::collections::HashMap;

use tokio::sync::{mpsc, oneshot};

use super::holds::{CheckedReserve, commit_entry, reservation_row, reserve_entry};
use super::*;
use crate::persistence::outbox;
use sea_orm::DbErr;

/// Operations written by one transaction at most.
const MAX_BATCH: usize = 256;
/// Operations waiting for the writer before callers wait to queue.
const QUEUE: usize = 4096;

struct HoldJob {
    subscription_id: String,
    pod_id: String,
    input: CheckedReserve,
    reply: oneshot::Sender<Option<Reserved>>,
}

struct SettleJob {
    res: ReservationRow,
    sub: Subscription,
    usage: UsageInput,
    reply: oneshot::Sender<Option<Committed>>,
}

enum Job {
    Hold(HoldJob),
    Settle(Box<SettleJob>),
}

/// What the batch decided for one job.
enum Decision {
    Held(Box<Reserved>),
    Committed(Committed),
    /// Left to the one-by-one path.
    Alone,
}

/// The handle callers queue operations on; the writer task ends when every handle is dropped.
#[derive(Clone)]
pub(super) struct Group {
    jobs: mpsc::Sender<Job>,
}

impl Group {
    pub(super) fn start(db: DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(Writer { db, clock }.run(queue));
        Self { jobs }
    }

    /// Holds `input.tokens` on the budget of `subscription_id`, if the batch can decide it.
    pub(super) async fn hold(
        &self,
        (subscription_id, pod_id): (&str, &str),
        input: &CheckedReserve,
    ) -> Option<Reserved> {
        self.ask(|reply| {
            Job::Hold(HoldJob {
                subscription_id: subscription_id.to_owned(),
                pod_id: pod_id.to_owned(),
                input: input.clone(),
                reply,
            })
        })
        .await
    }

    /// Commits `usage` against the held reservation `res`, if the batch can decide it.
    pub(super) async fn settle(
        &self,
        res: &ReservationRow,
        sub: &Subscription,
        usage: &UsageInput,
    ) -> Option<Committed> {
        self.ask(|reply| {
            Job::Settle(Box::new(SettleJob {
                res: res.clone(),
                sub: sub.clone(),
                usage: usage.clone(),
                reply,
            }))
        })
        .await
    }

    /// Queues the job `make` builds around its reply channel and waits for the batch's answer;
    /// `None` when the writer is gone or left the job to the one-by-one path.
    async fn ask<T>(&self, make: impl FnOnce(oneshot::Sender<Option<T>>) -> Job) -> Option<T> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(make(reply)).await.ok()?;
        answer.await.ok().flatten()
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

impl Writer {
    async fn run(self, mut queue: mpsc::Receiver<Job>) {
        let mut jobs = Vec::with_capacity(MAX_BATCH);
        while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
            let decisions = match self.write(&jobs).await {
                Ok(decisions) => decisions,
                Err(error) => {
                    // Each caller retries alone and meets the fault (or not) itself.
                    tracing::debug!(%error, jobs = jobs.len(), "budget batch not written");
                    jobs.iter().map(|_| Decision::Alone).collect()
                }
            };
            for (job, decision) in jobs.drain(..).zip(decisions) {
                // A caller that stopped waiting is gone; what it asked for is written either way,
                // as it would be had it been written alone.
                match (job, decision) {
                    (Job::Hold(job), Decision::Held(reserved)) => {
                        let _ = job.reply.send(Some(*reserved));
                    }
                    (Job::Settle(job), Decision::Committed(committed)) => {
                        let _ = job.reply.send(Some(committed));
                    }
                    (Job::Hold(job), _) => {
                        let _ = job.reply.send(None);
                    }
                    (Job::Settle(job), _) => {
                        let _ = job.reply.send(None);
                    }
                }
            }
        }
    }

    /// Decides and writes one batch in one transaction; a decision per job, in order.
    async fn write(&self, jobs: &[Job]) -> Result<Vec<Decision>, DbErr> {
        let mut reservation_ids: Vec<&str> = Vec::new();
        let mut budget_ids: Vec<&str> = Vec::new();
        for job in jobs {
            match job {
                Job::Hold(hold) => budget_ids.push(&hold.subscription_id),
                Job::Settle(settle) => {
                    reservation_ids.push(&settle.res.id);
                    budget_ids.push(&settle.res.subscription_id);
                }
            }
        }
        for ids in [&mut reservation_ids, &mut budget_ids] {
            ids.sort_unstable();
            ids.dedup();
        }
        let txn = self.db.begin().await?;
        // Reservations before budgets, as every one-by-one settlement takes them.
        let mut held: HashMap<String, ReservationRow> = if reservation_ids.is_empty() {
            HashMap::new()
        } else {
            repo::lock_reservations(&txn, &reservation_ids)
                .await?
                .into_iter()
                .map(|res| (res.id.clone(), res))
                .collect()
        };
        let mut budgets: HashMap<String, Budget> = repo::lock_many(&txn, &budget_ids)
            .await?
            .into_iter()
            .map(|budget| (budget.subscription_id.clone(), budget))
            .collect();
        let now = self.clock.now();
        let mut writes = Writes::default();
        let decisions: Vec<Decision> = jobs
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
            return Ok(decisions);
        }
        let settled: Vec<(&str, i64, &str)> = writes
            .settled
            .iter()
            .map(|(id, charge, usage)| (id.as_str(), *charge, usage.as_str()))
            .collect();
        repo::commit_reservations(&txn, &settled, now).await?;
        repo::insert_reservations(&txn, writes.reservations).await?;
        repo::append_ledger_many(&txn, writes.ledger).await?;
        outbox::append_many(&txn, writes.events).await?;
        repo::store_counters(&txn, &touched, now).await?;
        txn.commit().await?;
        Ok(decisions)
    }
}

fn decide_hold(
    job: &HoldJob,
    budgets: &mut HashMap<String, Budget>,
    writes: &mut Writes,
    now: DateTime<Utc>,
) -> Decision {
    let Some(budget) = budgets.get_mut(&job.subscription_id) else {
        return Decision::Alone;
    };
    if !budget.try_move(job.input.tokens, 0) {
        return Decision::Alone;
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
    Decision::Held(Box::new(Reserved {
        reservation: row,
        remaining: budget.remaining(),
    }))
}

fn decide_settle(
    job: &SettleJob,
    held: &mut HashMap<String, ReservationRow>,
    budgets: &mut HashMap<String, Budget>,
    writes: &mut Writes,
    now: DateTime<Utc>,
) -> Decision {
    // Taken out of the map: a second settlement of it in this batch goes alone.
    let Some(res) = held.remove(&job.res.id) else {
        return Decision::Alone;
    };
    let still_held = ReservationStatus::parse(&res.status) == Some(ReservationStatus::Held)
        && res.expires_at > now
        && res.subscription_id == job.sub.id;
    let Some(budget) = budgets.get_mut(&res.subscription_id) else {
        return Decision::Alone;
    };
    if !still_held || budget.period_start_at != res.period_start_at {
        return Decision::Alone;
    }
    let charge = job.usage.tokens;
    let mut after = budget.clone();
    if !after.try_move(-res.tokens, charge) || !after.newly_crossed().0.is_empty() {
        return Decision::Alone;
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
    Decision::Committed(committed)
}
