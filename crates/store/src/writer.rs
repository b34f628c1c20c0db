//! Group commit: one writer per process for the frequent small writes of participation —
//! comments and ratings.
//!
//! A request hands its write to this process's writer and waits. The writer takes what has
//! queued (up to [`MAX_BATCH`] writes) and runs it in ONE transaction, each comment inside a
//! savepoint of its own: a refusal (a rate limit, a closed discussion) or an error rolls back
//! to that savepoint and takes back only that comment's rows. A rating is one statement (its
//! totals follow by trigger): on SQLite, where a statement that fails is undone alone, it needs
//! no savepoint; on PostgreSQL, where a failed statement aborts the whole transaction, it runs in
//! one too. Measured on two shared cores with 64 connections, PostgreSQL took 2,364 and 2,760
//! ratings a second in batches, 1,472 in transactions of their own.
//!
//! The batch records one cache event with the tags of every write that stays, commits once,
//! delivers the event to this process's hub (the page cache drops those pages) and only then
//! answers each request: an answered write is committed, as before. When the database is idle a
//! batch holds one write and costs what a transaction of its own did; under load a batch costs one
//! `BEGIN`/`COMMIT`, one bump of the cache topic's counter row and (on PostgreSQL) one WAL flush
//! instead of one each per write.
//!
//! If the batch itself fails (the connection, the commit), every request of the batch gets the
//! error and nothing of it is stored. On PostgreSQL a batch first takes a transaction-scoped
//! advisory lock ([`crate::batch_lock_sql`]): batches of several instances take their row locks
//! (totals, counters, buckets) in whatever order their writes came, so two of them at once
//! could deadlock; with the lock they run one after the other, and their counters stay exact
//! because every write reads and changes its rows under their row locks. On SQLite the batch
//! holds the process's write gate (`Db::write_gate`).

use crate::comments::{Posting, Refusal};
use crate::events::Event;
use crate::{Db, Result, StoreError, WriteGate, on_db};
use domain::participation::Rating;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

/// The most writes one batch takes. Kept below PostgreSQL's 64 cached subtransactions per
/// transaction (a savepoint that writes is one), past which other sessions' snapshots slow down.
pub const MAX_BATCH: usize = 32;

type Reply<T> = oneshot::Sender<Result<T>>;

/// A write the writer runs.
enum Job {
    Comment(Box<Posting>, Reply<std::result::Result<i64, Refusal>>),
    Rating {
        measure_id: i64,
        user_id: i64,
        rating: Option<Rating>,
        reply: Reply<Option<bool>>,
    },
}

impl Job {
    /// Answers the request with an error.
    fn fail(self, e: StoreError) {
        match self {
            Job::Comment(_, reply) => {
                let _ = reply.send(Err(e));
            }
            Job::Rating { reply, .. } => {
                let _ = reply.send(Err(e));
            }
        }
    }
}

/// What a write came to, kept until the batch is committed.
enum Outcome {
    Comment(Result<std::result::Result<i64, Refusal>>),
    Rating(Result<Option<bool>>),
}

/// This process's writer: the queue of writes, its task started at the first write, and how
/// many batches and writes it committed or refused.
#[derive(Clone, Default)]
pub struct Writer {
    queue: Arc<OnceLock<mpsc::UnboundedSender<Job>>>,
    stats: Arc<Stats>,
}

#[derive(Default)]
struct Stats {
    submitted: AtomicU64,
    batches: AtomicU64,
    writes: AtomicU64,
}

/// What this process's writer did so far: writes handed to it, batches run and the writes in
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriterStats {
    pub submitted: u64,
    pub batches: u64,
    pub writes: u64,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

impl Writer {
    /// The queue, starting the writer's task on first use. The task holds a handle on the
    /// database without this queue, so it ends when the last `Db` handing it writes is dropped.
    fn queue(&self, db: &Db) -> &mpsc::UnboundedSender<Job> {
        self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(run(db.without_writer(), rx, self.stats.clone()));
            tx
        })
    }

    async fn submit<T>(&self, db: &Db, job: impl FnOnce(Reply<T>) -> Job) -> Result<T> {
        let (reply, answer) = oneshot::channel();
        self.queue(db)
            .send(job(reply))
            .map_err(|_| StoreError::WriterGone)?;
        self.stats.submitted.fetch_add(1, Ordering::Relaxed);
        answer.await.map_err(|_| StoreError::WriterGone)?
    }

    pub(crate) async fn post_comment(
        &self,
        db: &Db,
        posting: Posting,
    ) -> Result<std::result::Result<i64, Refusal>> {
        self.submit(db, |reply| Job::Comment(Box::new(posting), reply))
            .await
    }

    pub(crate) async fn rate(
        &self,
        db: &Db,
        measure_id: i64,
        user_id: i64,
        rating: Option<Rating>,
    ) -> Result<Option<bool>> {
        self.submit(db, |reply| Job::Rating {
            measure_id,
            user_id,
            rating,
            reply,
        })
        .await
    }
}

/// The writer's task: a batch of whatever has queued, then the next.
async fn run(db: Db, mut queue: mpsc::UnboundedReceiver<Job>, stats: Arc<Stats>) {
    while let Some(first) = queue.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.writes.fetch_add(jobs.len() as u64, Ordering::Relaxed);
        db.run_batch(jobs).await;
    }
}

/// The savepoint a write runs in (every comment's; on PostgreSQL every rating's too), as the
/// last one left it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Savepoint {
    /// None open.
    Closed,
    /// Open around writes that stay: released by the next `SAVEPOINT` (or the commit), so that
    /// on SQLite ratings in between need no statement of their own.
    Kept,
    /// Open around a refused write: rolled back before anything else runs.
    Refused,
}

impl Savepoint {
    /// What opens the savepoint of the next comment.
    fn open_next(self) -> &'static str {
        match self {
            Savepoint::Closed => "SAVEPOINT job",
            Savepoint::Kept => "RELEASE SAVEPOINT job; SAVEPOINT job",
            Savepoint::Refused => "ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job; SAVEPOINT job",
        }
    }
}

impl Db {
    pub(crate) fn writer(&self) -> &Writer {
        match self {
            Db::Sqlite(.., w) | Db::Pg(.., w) => w,
        }
    }

    /// How many batches this process's group-commit writer ran, with how many writes.
    pub fn writer_stats(&self) -> WriterStats {
        let s = &self.writer().stats;
        WriterStats {
            submitted: s.submitted.load(Ordering::Relaxed),
            batches: s.batches.load(Ordering::Relaxed),
            writes: s.writes.load(Ordering::Relaxed),
        }
    }

    /// The same database with a writer of its own that is never started: the writer's task.
    fn without_writer(&self) -> Db {
        match self {
            Db::Sqlite(p, gate, hub, _) => Db::Sqlite(
                p.clone(),
                WriteGate::clone(gate),
                hub.clone(),
                Writer::default(),
            ),
            Db::Pg(p, hub, _) => Db::Pg(p.clone(), hub.clone(), Writer::default()),
        }
    }

    /// Runs `jobs` in one transaction (see the module) and answers each after the commit.
    async fn run_batch(&self, jobs: Vec<Job>) {
        let now = OffsetDateTime::now_utc();
        let done: Result<(Vec<Outcome>, Vec<Event>)> = on_db!(self, p => async {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            if let Some(sql) = crate::batch_lock_sql(p) {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            let mut outcomes = Vec::with_capacity(jobs.len());
            let mut tags = BTreeSet::new();
            // A comment is several statements and runs in a savepoint, so that a refusal takes
            // back only its own rows; a rating is one statement (its totals follow by trigger),
            // which leaves nothing behind when it fails, and needs none.
            let mut savepoint = Savepoint::Closed;
            // On PostgreSQL a failed statement aborts the whole transaction, so there a rating
            // runs in a savepoint too.
            let statement_undone_alone = matches!(self, Db::Sqlite(..));
            for job in &jobs {
                let outcome = match job {
                    Job::Comment(posting, _) => {
                        sqlx::raw_sql(savepoint.open_next()).execute(&mut *tx).await?;
                        let (outcome, kept) = match crate::comments::post_in!(tx, posting, now).await {
                            Ok(Ok((id, t))) => {
                                tags.extend(t);
                                (Outcome::Comment(Ok(Ok(id))), true)
                            }
                            Ok(Err(refusal)) => (Outcome::Comment(Ok(Err(refusal))), false),
                            Err(e) => (Outcome::Comment(Err(e)), false),
                        };
                        savepoint = if kept { Savepoint::Kept } else { Savepoint::Refused };
                        outcome
                    }
                    Job::Rating { measure_id, user_id, rating, .. } => {
                        if statement_undone_alone {
                            if savepoint == Savepoint::Refused {
                                sqlx::raw_sql("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job").execute(&mut *tx).await?;
                                savepoint = Savepoint::Closed;
                            }
                        } else {
                            sqlx::raw_sql(savepoint.open_next()).execute(&mut *tx).await?;
                        }
                        let changed = crate::participation::rate_in!(tx, *measure_id, *user_id, *rating, now).await;
                        if let Ok(Some(true)) = changed {
                            tags.insert(domain::tags::rating(*measure_id));
                            tags.insert(domain::tags::RATINGS.to_string());
                        }
                        if !statement_undone_alone {
                            savepoint = if changed.is_err() { Savepoint::Refused } else { Savepoint::Kept };
                        }
                        Outcome::Rating(changed)
                    }
                };
                outcomes.push(outcome);
            }
            if savepoint == Savepoint::Refused {
                sqlx::raw_sql("ROLLBACK TO SAVEPOINT job").execute(&mut *tx).await?;
            }
            let recorded = if tags.is_empty() {
                tx.commit().await?;
                Vec::new()
            } else {
                let events = [crate::events::cache_event(tags)];
                let recorded = crate::record_events!(p, tx, events);
                tx.commit().await?;
                recorded
            };
            Ok::<_, StoreError>((outcomes, recorded))
        }.await);
        match done {
            Ok((outcomes, recorded)) => {
                // The pages go before anyone hears that the write is done.
                self.hub().deliver(recorded);
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    match (job, outcome) {
                        (Job::Comment(_, reply), Outcome::Comment(r)) => {
                            let _ = reply.send(r);
                        }
                        (Job::Rating { reply, .. }, Outcome::Rating(r)) => {
                            let _ = reply.send(r);
                        }
                        // Outcomes are pushed in the order of the jobs, one each.
                        (job, _) => {
                            job.fail(StoreError::Invalid("write batch out of order".into()))
                        }
                    }
                }
            }
            Err(e) => {
                // Nothing of the batch is stored: every request hears the error.
                tracing::warn!(error = %e, writes = jobs.len(), "write batch failed");
                let e = Arc::new(e);
                for job in jobs {
                    job.fail(StoreError::Batch(e.clone()));
                }
            }
        }
    }
}
