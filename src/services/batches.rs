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
//! it and answers its callers, and starts on the next batch while that commit is flushed (up to
//! [`IN_FLIGHT`] commits at once, which the database may flush together). A batch that touches a
//! row an earlier one wrote waits on the row's lock for that commit, so it is decided against the
//! committed figures, exactly as if it had started after; a batch on other rows does not depend
//! on an earlier one, so the order they commit in does not matter, and it no longer queues behind
//! a flush that does not concern it.

use std::future::Future;

use sea_orm::{DatabaseTransaction, DbErr};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

/// Operations written by one transaction at most.
const MAX_BATCH: usize = 256;
/// Operations waiting for the writer before callers wait to queue.
const QUEUE: usize = 4096;
/// Batches written whose commits are not done yet, at most; each holds a connection meanwhile.
const IN_FLIGHT: usize = 4;

/// Writes one batch of jobs in one transaction.
pub(crate) trait BatchWriter: Send + Sync + 'static {
    type Job: Send + Sync + 'static;
    type Answer: Send + 'static;
    /// What a written batch leaves to commit: its open transaction.
    type Open: Commit;

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
    /// `None`: nothing to commit (the batch wrote nothing).
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
    let mut committing = JoinSet::new();
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut replies = Vec::with_capacity(batch.len());
        for (job, reply) in batch.drain(..) {
            jobs.push(job);
            replies.push(reply);
        }
        // Finished commits are collected; with too many still in flight, one must end first.
        while committing.try_join_next().is_some() {}
        if committing.len() >= IN_FLIGHT {
            committing.join_next().await;
        }
        // Earlier batches' commits run on their own tasks meanwhile: this batch may wait on their
        // row locks, which only those commits release.
        let written = writer.write(&mut jobs).await;
        jobs.clear();
        committing.spawn(commit::<W>(written, replies));
    }
    while committing.join_next().await.is_some() {}
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
    use std::time::{Duration, Instant};

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

    /// Polls `log` until it holds `lines` entries; `why` if it never does.
    async fn until_logged(log: &Mutex<Vec<String>>, lines: usize, why: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while logged(log).len() < lines {
            assert!(Instant::now() < deadline, "{why}");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    #[tokio::test]
    async fn batches_are_written_while_earlier_ones_commit_up_to_the_bound() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let (mut gates, shut): (Vec<_>, Vec<_>) =
            (0..=IN_FLIGHT).map(|_| oneshot::channel()).unzip();
        let batches = Batches::start(Gated {
            gates: Mutex::new(shut),
            log: log.clone(),
        });
        let mut answers = Vec::new();
        for batch in 1..=IN_FLIGHT {
            answers.push(batches.queue(()).await.expect("queued"));
            // Every commit is held shut: only a writer that does not wait for them gets here.
            until_logged(&log, batch, "a batch waited for an earlier commit").await;
        }
        answers.push(batches.queue(()).await.expect("queued"));
        // One more is written only once a commit ended: the second batch's, opened first.
        gates.remove(1).send(()).expect("gate");
        until_logged(&log, IN_FLIGHT + 2, "no batch was written after a commit").await;
        let mut expected: Vec<String> = (1..=IN_FLIGHT).map(|n| format!("write {n}")).collect();
        expected.extend(["commit 2".to_owned(), format!("write {}", IN_FLIGHT + 1)]);
        assert_eq!(logged(&log), expected);
        // Each batch is answered once its own commit ended, whatever the earlier ones do.
        assert_eq!((&mut answers[1]).await.expect("answered"), Some(2));
        assert!(answers[0].try_recv().is_err(), "answered before its commit");
        for open in gates {
            open.send(()).expect("gate");
        }
        for (n, answer) in answers.into_iter().enumerate().filter(|(n, _)| *n != 1) {
            assert_eq!(answer.await.expect("answered"), Some(n + 1));
        }
    }
}
