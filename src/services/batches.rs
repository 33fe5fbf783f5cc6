//! Application-level group commit. A durable commit per operation caps a server at the
//! database's commit rate (and one hot row at about a thousand updates a second); here the
//! operations that queue while a batch is being written go together into the next one, written by
//! one task in one transaction. Every caller is answered only after that transaction committed, so
//! nothing is acknowledged that a crash could lose.
//!
//! A writer answers each job or leaves it (`None`) to its caller's one-by-one path, which handles
//! every case; a batch the database refused leaves all of its jobs there.

use std::future::Future;
use std::time::Duration;

use sea_orm::DbErr;
use tokio::sync::{mpsc, oneshot};

/// Operations written by one transaction at most.
const MAX_BATCH: usize = 256;
/// Operations waiting for the writer before callers wait to queue.
const QUEUE: usize = 4096;

/// Writes one batch of jobs in one transaction.
pub(crate) trait BatchWriter: Send + Sync + 'static {
    type Job: Send + Sync + 'static;
    type Answer: Send + 'static;

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

    /// An answer per job, in order (`None`: left to the caller's one-by-one path). Mutable so a
    /// job may carry a channel of its own, told something before the transaction ends.
    fn write(
        &self,
        jobs: &mut [Self::Job],
    ) -> impl Future<Output = Result<Vec<Option<Self::Answer>>, DbErr>> + Send;
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
    let mut replies = Vec::with_capacity(MAX_BATCH);
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
        for (job, reply) in batch.drain(..) {
            jobs.push(job);
            replies.push(reply);
        }
        let answers = match writer.write(&mut jobs).await {
            Ok(answers) => answers,
            Err(error) => {
                // Each caller retries alone and meets the fault (or not) itself.
                tracing::debug!(%error, jobs = jobs.len(), "batch not written");
                Vec::new()
            }
        };
        let mut answers = answers.into_iter();
        for reply in replies.drain(..) {
            // A caller that stopped waiting is gone; what it asked for is written either way, as
            // it would be had it been written alone.
            let _ = reply.send(answers.next().flatten());
        }
        jobs.clear();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Records the size of every batch; a job is whether its caller waits.
    struct Sizes(Arc<Mutex<Vec<usize>>>);

    impl BatchWriter for Sizes {
        type Job = bool;
        type Answer = ();
        // Long, so only the arrival of the next job can end the linger here.
        const LINGER: Duration = Duration::from_secs(60);

        fn waited(job: &bool) -> bool {
            *job
        }

        async fn write(&self, jobs: &mut [bool]) -> Result<Vec<Option<()>>, DbErr> {
            self.0.lock().expect("sizes").push(jobs.len());
            Ok(vec![Some(()); jobs.len()])
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
}
