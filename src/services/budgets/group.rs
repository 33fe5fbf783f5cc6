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
use std::sync::Mutex;

use super::holds::{CheckedReserve, commit_entry, reservation_row, reserve_entry};
use super::*;
use crate::persistence::begun::Begun;
use crate::persistence::outbox;
use crate::services::batches::{self, Answer, BatchWriter, Batches};
use sea_orm::{DatabaseTransaction, DbBackend, DbErr};
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
            batches: Batches::start(Writer {
                known: (db.get_database_backend() == DbBackend::Postgres)
                    .then(|| Mutex::new(Known::default())),
                begun: Begun::new(db),
                clock,
            }),
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
    /// A batch's transaction, begun ahead while batches keep coming.
    begun: Begun,
    clock: Arc<dyn Clock>,
    /// What this writer's batches left behind, on PostgreSQL (see [`Known`]).
    known: Option<Mutex<Known>>,
}

/// Budgets as this writer's last batch on each left them, and the holds its batches wrote and
/// have not settled. A batch whose budgets and settled reservations are all here is decided
/// against them instead of rows it locked and read first: a round trip fewer on every batch. It
/// is no less exact: its statement locks the same rows in the same order, and writes only if each
/// budget is still exactly as remembered — a move by anyone else (another process, the one-by-one
/// path, an operator, a batch whose commit failed) changed the row and its `updated_at` — else the
/// batch is rolled back, forgotten and decided again on the rows locked and read. A hold's
/// reservation can only leave `held` by a write that also moves its budget, so a remembered hold
/// is as good as its budget.
#[derive(Default)]
struct Known {
    budgets: HashMap<String, Budget>,
    holds: HashMap<String, ReservationRow>,
}

/// Remembered at most; past it, what is remembered is dropped and read again as needed.
const KNOWN: usize = 16_384;

impl Known {
    /// The budgets and held reservations of a batch, if all are remembered.
    fn recall(
        &self,
        reservation_ids: &[&str],
        budget_ids: &[&str],
    ) -> Option<(HashMap<String, Budget>, HashMap<String, ReservationRow>)> {
        let budgets = budget_ids
            .iter()
            .map(|id| {
                self.budgets
                    .get(*id)
                    .map(|b| (b.subscription_id.clone(), b.clone()))
            })
            .collect::<Option<_>>()?;
        let holds = reservation_ids
            .iter()
            .map(|id| self.holds.get(*id).map(|r| (r.id.clone(), r.clone())))
            .collect::<Option<_>>()?;
        Some((budgets, holds))
    }

    fn forget(&mut self, reservation_ids: &[&str], budget_ids: &[&str]) {
        for id in budget_ids {
            self.budgets.remove(*id);
        }
        for id in reservation_ids {
            self.holds.remove(*id);
        }
    }

    /// What a written batch leaves: its budgets as they now stand, its new holds, and none of
    /// the reservations it settled.
    fn remember(&mut self, budgets: &HashMap<String, Budget>, writes: &Writes, now: DateTime<Utc>) {
        if self.budgets.len() + budgets.len() > KNOWN {
            self.budgets.clear();
        }
        if self.holds.len() + writes.reservations.len() > KNOWN {
            // Holds settled elsewhere (released, expired, committed alone) are dropped here.
            self.holds.retain(|_, r| r.expires_at > now);
            if self.holds.len() + writes.reservations.len() > KNOWN {
                self.holds.clear();
            }
        }
        for (id, budget) in budgets {
            let mut budget = budget.clone();
            if writes.touched.binary_search(id).is_ok() {
                // As the batch's statement writes it.
                budget.updated_at = now;
            }
            self.budgets.insert(id.clone(), budget);
        }
        for (id, _, _) in &writes.settled {
            self.holds.remove(id);
        }
        for hold in &writes.reservations {
            self.holds.insert(hold.id.clone(), hold.clone());
        }
    }
}

/// The rows one batch writes.
#[derive(Default)]
struct Writes {
    reservations: Vec<ReservationRow>,
    settled: Vec<(String, i64, String)>,
    ledger: Vec<LedgerRow>,
    events: Vec<outbox::NewOutboxEvent>,
    /// Budgets whose counters moved, sorted.
    touched: Vec<String>,
}

/// The rows of one batch: the reservations it settles and the budgets it moves, each in id
/// order.
fn batch_ids(jobs: &[Job]) -> (Vec<&str>, Vec<&str>) {
    let mut reservation_ids: Vec<&str> = Vec::new();
    let mut budget_ids: Vec<&str> = Vec::new();
    for job in jobs {
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
    (reservation_ids, budget_ids)
}

impl BatchWriter for Writer {
    type Job = Job;
    type Answer = Decision;
    type Open = DatabaseTransaction;

    /// Decides and writes one batch in one transaction, left open; a decision per job, in order.
    async fn write(&self, jobs: &mut [Job]) -> Result<batches::Written<Self>, DbErr> {
        if let Some((budgets, held)) = self
            .with_known(|known, r, b| known.recall(r, b), jobs)
            .flatten()
        {
            let txn = self.begun.begin().await?;
            if let Some(written) = self.decide(txn, jobs, budgets, held).await? {
                return Ok(written);
            }
            self.with_known(|known, r, b| known.forget(r, b), jobs);
        }
        let (reservation_ids, budget_ids) = batch_ids(jobs);
        let txn = self.begun.begin().await?;
        let (budgets, reservations) = repo::lock_batch(&txn, &reservation_ids, &budget_ids).await?;
        let held = reservations
            .into_iter()
            .map(|res| (res.id.clone(), res))
            .collect();
        let budgets = budgets
            .into_iter()
            .map(|budget| (budget.subscription_id.clone(), budget))
            .collect();
        self.decide(txn, jobs, budgets, held).await?.ok_or_else(|| {
            DbErr::Custom("a locked batch found its rows changed under it".to_owned())
        })
    }
}

impl Writer {
    /// Runs `f` on what this writer remembers (on PostgreSQL) with the batch's reservation and
    /// budget ids.
    fn with_known<T>(
        &self,
        f: impl FnOnce(&mut Known, &[&str], &[&str]) -> T,
        jobs: &[Job],
    ) -> Option<T> {
        let mut known = self.known.as_ref()?.lock().ok()?;
        let (reservation_ids, budget_ids) = batch_ids(jobs);
        Some(f(&mut known, &reservation_ids, &budget_ids))
    }

    /// Decides each job in order against `budgets` and `held` (locked and read in `txn`, or
    /// remembered) and writes the batch in `txn`, left open; `None`, rolled back, when its rows
    /// were not as it saw them.
    async fn decide(
        &self,
        txn: DatabaseTransaction,
        jobs: &mut [Job],
        mut budgets: HashMap<String, Budget>,
        mut held: HashMap<String, ReservationRow>,
    ) -> Result<Option<batches::Written<Self>>, DbErr> {
        let was = budgets.clone();
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
        let counters: Vec<repo::Moved<'_>> = writes
            .touched
            .iter()
            .filter_map(|id| {
                Some(repo::Moved {
                    was: was.get(id)?,
                    now: budgets.get(id)?,
                })
            })
            .collect();
        if counters.is_empty() {
            txn.rollback().await?;
            return Ok(Some(batches::Written {
                answers: decisions,
                open: None,
            }));
        }
        let rows = repo::BatchRows {
            settled: writes
                .settled
                .iter()
                .map(|(id, charge, usage)| (id.as_str(), *charge, usage.as_str()))
                .collect(),
            holds: &writes.reservations,
            ledger: std::mem::take(&mut writes.ledger),
            events: std::mem::take(&mut writes.events),
            counters,
        };
        if !repo::write_batch(&txn, rows, now).await? {
            txn.rollback().await?;
            return Ok(None);
        }
        if let Some(known) = &self.known
            && let Ok(mut known) = known.lock()
        {
            known.remember(&budgets, &writes, now);
        }
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
        Ok(Some(batches::Written {
            answers: decisions,
            open: Some(txn),
        }))
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
