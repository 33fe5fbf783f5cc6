//! Application-level group commit. A durable commit per operation caps a server at the
//! database's commit rate (and one hot row at about a thousand updates a second); here the
//! operations that queue while a batch is being written go together into the next one, written by
//! one task in one transaction. Every caller is answered only after that transaction committed, so
//! nothing is acknowledged that a crash could lose.
//!
//! A writer answers each job or leaves it (`None`) to its caller's one-by-one path, which handles
//! every case; a batch the database refused leaves all of its jobs there.
//!
//! The writer runs a batch's statements, then hands its open transaction to a task that commits
//! it and answers its callers, and starts on the next batch while that commit is flushed. At most
//! one commit is in flight, and batches commit in the order they were written. A batch that
//! touches a row the one before it wrote waits for that commit on the row's lock, so it is decided
//! against the committed figures, exactly as if it had started after; a batch on other rows no
//! longer queues behind a flush that does not concern it.

use std::future::Future;
use std::time::Duration;

use sea_orm::{DatabaseTransaction, DbErr};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// Operations written by one transaction at most.
const MAX_BATCH: usize = 256;
/// Operations waiting for the writer before callers wait to queue.
const QUEUE: usize = 4096;

/// Writes one batch of jobs in one transaction.
pub(crate) trait BatchWriter: Send + Sync + 'static {
    type Job: Send + Sync + 'static;
    type Answer: Send + 'static;
    /// What a written batch leaves to commit: its open transaction.
    type Open: Commit;

    /// How long a batch of jobs nobody waits for (see [`BatchWriter::waited`]) waits for one
    /// somebody does. Two milliseconds cover a client's turnaround between an answer and its next
    /// call.
    const LINGER: Duration = Duration::from_millis(2);

    /// Whether a caller waits for this job's answer. A batch of jobs nobody waits for (the
    /// metering proxy settles a call after answering it) lingers up to [`BatchWriter::LINGER`]
    /// for one somebody does: a lone pod's next call can then join an earlier call's settlement,
    /// decided after it in the same transaction, instead of queueing behind that batch's commit.
    /// Under load the queue is never empty, so nothing lingers.
    fn waited(_job: &Self::Job) -> bool {
        true
    }

    /// Runs a batch's statements: an answer per job, in order (`None`: left to the caller's
    /// one-by-one path), each given only once the transaction left open (if any) committed.
    /// Mutable so a job may carry a channel of its own, told something before that commit.
    fn write(
        &self,
        jobs: &mut [Self::Job],
    ) -> impl Future<Output = Result<Written<Self>, DbErr>> + Send;
}

/// The answers of a batch whose statements ran, and what is left to commit for them to hold.
pub(crate) struct Written<W: BatchWriter + ?Sized> {
    pub answers: Vec<Option<W::Answer>>,
    /// `None`: nothing to commit (nothing was written, or the writer committed already).
    pub open: Option<W::Open>,
}

/// Makes a written batch durable.
pub(crate) trait Commit: Send + 'static {
    fn commit(self) -> impl Future<Output = Result<(), DbErr>> + Send;
}

impl Commit for DatabaseTransaction {
    async fn commit(self) -> Result<(), DbErr> {
        DatabaseTransaction::commit(self).await
    }
}

type Queued<W> = (
    <W as BatchWriter>::Job,
    oneshot::Sender<Option<<W as BatchWriter>::Answer>>,
);

/// Where a queued job's answer comes (`None` inside: left to the one-by-one path).
pub(crate) type Answer<W> = oneshot::Receiver<Option<<W as BatchWriter>::Answer>>;

/// The handle callers queue jobs on; the writer task ends when every handle is dropped.
pub(crate) struct Batches<W: BatchWriter> {
    jobs: mpsc::Sender<Queued<W>>,
}

impl<W: BatchWriter> Clone for Batches<W> {
    fn clone(&self) -> Self {
        Self {
            jobs: self.jobs.clone(),
        }
    }
}

impl<W: BatchWriter> std::fmt::Debug for Batches<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batches").finish_non_exhaustive()
    }
}

impl<W: BatchWriter> Batches<W> {
    pub(crate) fn start(writer: W) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(writer, queue));
        Self { jobs }
    }

    /// Queues `job` and waits for its batch's answer; `None` when the writer is gone or left the
    /// job to the one-by-one path.
    pub(crate) async fn ask(&self, job: W::Job) -> Option<W::Answer> {
        self.queue(job).await?.await.ok().flatten()
    }

    /// Queues `job`; its batch's answer comes on the returned channel (`None` when the writer is
    /// gone).
    pub(crate) async fn queue(&self, job: W::Job) -> Option<Answer<W>> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send((job, reply)).await.ok()?;
        Some(answer)
    }
}

async fn run<W: BatchWriter>(writer: W, mut queue: mpsc::Receiver<Queued<W>>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    let mut committing: Option<JoinHandle<()>> = None;
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if batch.len() < MAX_BATCH
            && !batch.iter().any(|(job, _)| W::waited(job))
            && let Ok(Some(next)) = tokio::time::timeout(W::LINGER, queue.recv()).await
        {
            batch.push(next);
            while batch.len() < MAX_BATCH
                && let Ok(next) = queue.try_recv()
            {
                batch.push(next);
            }
        }
        let mut replies = Vec::with_capacity(batch.len());
        for (job, reply) in batch.drain(..) {
            jobs.push(job);
            replies.push(reply);
        }
        // The previous batch's commit runs on its own task meanwhile: this batch may wait on its
        // row locks, which only that commit releases.
        let written = writer.write(&mut jobs).await;
        jobs.clear();
        if let Some(previous) = committing.take() {
            let _ = previous.await;
        }
        committing = Some(tokio::spawn(commit::<W>(written, replies)));
    }
    if let Some(last) = committing {
        let _ = last.await;
    }
}

/// Commits a written batch and answers its callers (all `None` when it failed).
async fn commit<W: BatchWriter>(
    written: Result<Written<W>, DbErr>,
    replies: Vec<oneshot::Sender<Option<W::Answer>>>,
) {
    let answers = match written {
        Ok(Written { answers, open }) => match open {
            Some(open) => open.commit().await.map(|()| answers),
            None => Ok(answers),
        },
        Err(error) => Err(error),
    };
    let answers = answers.unwrap_or_else(|error| {
        // Each caller retries alone and meets the fault (or not) itself.
        tracing::debug!(%error, jobs = replies.len(), "batch not written");
        Vec::new()
    });
    let mut answers = answers.into_iter();
    for reply in replies {
        // A caller that stopped waiting is gone; what it asked for is written either way, as it
        // would be had it been written alone.
        let _ = reply.send(answers.next().flatten());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    use super::*;

    /// A test transaction: commits once its gate opens, and says so in the log.
    struct Gate {
        opens: oneshot::Receiver<()>,
        batch: usize,
        log: Arc<Mutex<Vec<String>>>,
    }

    impl Commit for Gate {
        async fn commit(self) -> Result<(), DbErr> {
            self.opens.await.expect("gate kept");
            self.log
                .lock()
                .expect("log")
                .push(format!("commit {}", self.batch));
            Ok(())
        }
    }

    /// Records the size of every batch; a job is whether its caller waits.
    struct Sizes(Arc<Mutex<Vec<usize>>>);

    impl BatchWriter for Sizes {
        type Job = bool;
        type Answer = ();
        type Open = Gate;
        // Long, so only the arrival of the next job can end the linger here.
        const LINGER: Duration = Duration::from_secs(60);

        fn waited(job: &bool) -> bool {
            *job
        }

        async fn write(&self, jobs: &mut [bool]) -> Result<Written<Self>, DbErr> {
            self.0.lock().expect("sizes").push(jobs.len());
            Ok(Written {
                answers: vec![Some(()); jobs.len()],
                open: None,
            })
        }
    }

    /// Queues a job, lets the writer take it, then queues a waited one; answers the batch sizes.
    async fn two_jobs(first_waited: bool) -> Vec<usize> {
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let batches = Batches::start(Sizes(sizes.clone()));
        let first = batches.queue(first_waited).await.expect("queued");
        // The writer (on this one thread) takes the first job before the second is queued.
        tokio::task::yield_now().await;
        let second = batches.ask(true).await;
        assert_eq!(first.await.expect("answered"), Some(()));
        assert_eq!(second, Some(()));
        sizes.lock().expect("sizes").clone()
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_batch_nobody_waits_for_lingers_for_the_next_job() {
        assert_eq!(two_jobs(false).await, vec![2]);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_batch_somebody_waits_for_is_written_at_once() {
        assert_eq!(two_jobs(true).await, vec![1, 1]);
    }

    /// Writes batches whose commits wait for the gates the test opens; logs writes and commits.
    struct Gated {
        gates: Mutex<Vec<oneshot::Receiver<()>>>,
        log: Arc<Mutex<Vec<String>>>,
    }

    impl BatchWriter for Gated {
        type Job = ();
        type Answer = usize;
        type Open = Gate;

        async fn write(&self, jobs: &mut [()]) -> Result<Written<Self>, DbErr> {
            let mut log = self.log.lock().expect("log");
            let batch = log.iter().filter(|line| line.starts_with("write")).count() + 1;
            log.push(format!("write {batch}"));
            let opens = self.gates.lock().expect("gates").remove(0);
            Ok(Written {
                answers: vec![Some(batch); jobs.len()],
                open: Some(Gate {
                    opens,
                    batch,
                    log: self.log.clone(),
                }),
            })
        }
    }

    fn logged(log: &Mutex<Vec<String>>) -> Vec<String> {
        log.lock().expect("log").clone()
    }

    #[tokio::test]
    async fn the_next_batch_is_written_while_the_previous_commits_and_answered_after_it() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let (open_first, first_gate) = oneshot::channel();
        let (open_second, second_gate) = oneshot::channel();
        let batches = Batches::start(Gated {
            gates: Mutex::new(vec![first_gate, second_gate]),
            log: log.clone(),
        });
        let mut first = batches.queue(()).await.expect("queued");
        let deadline = Instant::now() + Duration::from_secs(10);
        while logged(&log).is_empty() {
            assert!(
                Instant::now() < deadline,
                "the first batch was never written"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let mut second = batches.queue(()).await.expect("queued");
        // The first commit is held shut: only a writer that does not wait for it gets here.
        while logged(&log).len() < 2 {
            assert!(
                Instant::now() < deadline,
                "the second batch waited for the first commit"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert_eq!(logged(&log), ["write 1", "write 2"]);
        assert!(first.try_recv().is_err(), "answered before its commit");
        // Opening the second gate first commits nothing: the second commit follows the first.
        open_second.send(()).expect("gate");
        tokio::task::yield_now().await;
        assert!(
            second.try_recv().is_err(),
            "answered before the batch before it"
        );
        open_first.send(()).expect("gate");
        assert_eq!(first.await.expect("answered"), Some(1));
        assert_eq!(second.await.expect("answered"), Some(2));
        assert_eq!(logged(&log), ["write 1", "write 2", "commit 1", "commit 2"]);
    }
}
