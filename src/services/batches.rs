//! Application-level group commit. A durable commit per operation caps a server at the
//! database's commit rate (and one hot row at about a thousand updates a second); here the
//! operations that queue while a batch is being written go together into the next one, written by
//! one task in one transaction. Every caller is answered only after that transaction committed, so
//! nothing is acknowledged that a crash could lose.
//!
//! A writer answers each job or leaves it (`None`) to its caller's one-by-one path, which handles
//! every case; a batch the database refused leaves all of its jobs there.

use std::future::Future;

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
