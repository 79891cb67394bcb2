//! Group commit for new sessions.
//!
//! Officers' entries arrive one per request, and each durable commit costs an fsync and a
//! transaction's worth of statements. The writer task takes whatever entries are waiting
//! (up to `MAX_BATCH`), stores them in one transaction and answers each request once that
//! transaction is committed, so an acknowledged entry is always durable. If a batch fails,
//! its entries are retried one by one, so one bad entry (say, a second request with the
//! same idempotency key, or a second session with the same natural key: the database's
//! unique indexes refuse both, whichever instance sent them) cannot take the others down
//! with it, and its request learns that it lost a race. One writer per server process also
//! means SQLite never makes this process's writers wait on each other through its sleeping
//! busy handler.
//!
//! Sessions in a month whose return locks it are not stored: the batch's transaction asks
//! [`crate::returns::locks`] first, so a submit that lands between a request's own check
//! and the batch cannot let a session slip into a locked month.
//!
//! On stopping, [`SessionWriter::drain`] closes the queue: what is in it is still committed
//! and answered, and a request that comes later is answered with an error (503), so no
//! entry is dropped without an answer.

use std::sync::{Arc, Mutex};

use humiao_shared::session::{Session, ValidSession};
use tokio::sync::{mpsc, oneshot, Notify};
use tokio::task::JoinHandle;

use super::audit::{self, Change};
use super::idempotency::{self, Pending};
use super::sessions::{insert_sessions, Duplicates, References};
use super::Db;
use crate::returns::locks::{locked_among, period_of_day};

const MAX_BATCH: usize = 128;
const QUEUE: usize = 4096;

/// A session to store, with what is needed to answer for it.
pub struct Job {
    pub session: ValidSession,
    /// Whether the duplicate rule holds it (not when confirmed distinct).
    pub duplicates: Duplicates,
    pub refs: References,
    /// The request as the idempotency protocol let it proceed: its answer is recorded
    /// under its key, if it had one, in the batch's transaction.
    pub pending: Pending,
    /// Who logs it, for the audit trail.
    pub actor: String,
}

type Reply = oneshot::Sender<Result<Session, sqlx::Error>>;

/// A handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct SessionWriter {
    queue: mpsc::Sender<(Job, Reply)>,
    /// Told once, by [`SessionWriter::drain`]: close the queue.
    closing: Arc<Notify>,
    /// The task, awaited by the one `drain` that takes it.
    task: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl SessionWriter {
    /// Starts the writer task on the current Tokio runtime.
    pub fn start(db: Db) -> SessionWriter {
        let (queue, jobs) = mpsc::channel(QUEUE);
        let closing = Arc::new(Notify::new());
        let task = tokio::spawn(run(db, jobs, closing.clone()));
        SessionWriter {
            queue,
            closing,
            task: Arc::new(Mutex::new(Some(task))),
        }
    }

    /// Entries waiting for the writer, for `/metrics`.
    pub fn queued(&self) -> usize {
        self.queue.max_capacity() - self.queue.capacity()
    }

    /// Closes the queue and waits until every entry in it is committed (or refused) and
    /// answered. Entries sent afterwards are refused as if the database were closed.
    pub async fn drain(&self) {
        self.closing.notify_one();
        let task = self.task.lock().ok().and_then(|mut task| task.take());
        if let Some(task) = task {
            if let Err(e) = task.await {
                tracing::error!(error = %e, "the session writer ended abnormally");
            }
        }
    }

    /// Stores a session; answers with it as stored, once it is committed.
    pub async fn insert(&self, job: Job) -> Result<Session, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((job, reply))
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

async fn run(db: Db, mut queue: mpsc::Receiver<(Job, Reply)>, closing: Arc<Notify>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut closed = false;
    loop {
        let received = tokio::select! {
            received = queue.recv_many(&mut batch, MAX_BATCH) => received,
            () = closing.notified(), if !closed => {
                // Refuses new entries; those already queued are still received below.
                queue.close();
                closed = true;
                continue;
            }
        };
        // Zero: the queue is closed and empty, or every handle is gone.
        if received == 0 {
            break;
        }
        metrics::histogram!(crate::ops::metrics::WRITER_BATCH).record(received as f64);
        let (jobs, replies): (Vec<_>, Vec<_>) = std::mem::take(&mut batch).into_iter().unzip();
        match store(&db, &jobs).await {
            Ok(stored) => {
                for (reply, session) in replies.into_iter().zip(stored) {
                    let _ = reply.send(Ok(session));
                }
            }
            Err(e) if jobs.len() == 1 => {
                if let Some(reply) = replies.into_iter().next() {
                    let _ = reply.send(Err(e));
                }
            }
            Err(_) => {
                for (job, reply) in jobs.iter().zip(replies) {
                    let one = store(&db, std::slice::from_ref(job)).await;
                    let _ = reply.send(one.map(|mut stored| stored.remove(0)));
                }
            }
        }
    }
}

async fn store(db: &Db, jobs: &[Job]) -> Result<Vec<Session>, sqlx::Error> {
    let entries: Vec<(ValidSession, Duplicates)> = jobs
        .iter()
        .map(|j| (j.session.clone(), j.duplicates))
        .collect();
    let mut tx = db.write_tx().await?;
    // A return submitted since the request was checked locks its month: that entry is
    // refused (alone, when the batch is retried one by one), and its request is answered
    // 409 `period_locked` by the handler, which finds the month locked.
    let periods: Vec<_> = jobs
        .iter()
        .map(|j| period_of_day(j.session.station_id, j.session.held_on))
        .collect();
    if let Some(((station, month), state)) = locked_among(&mut tx, db.engine, &periods).await? {
        return Err(sqlx::Error::Protocol(format!(
            "the return of station {station} for {month} is {}",
            state.code()
        )));
    }
    let ids = insert_sessions(&mut tx, &entries, false).await?;
    let mut stored = Vec::with_capacity(jobs.len());
    for (job, id) in jobs.iter().zip(ids) {
        let session = job.refs.stored(id, &job.session);
        if job.pending.keyed() {
            let response =
                serde_json::to_string(&session).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            idempotency::finish(&mut tx, &job.pending, id, &response).await?;
        }
        stored.push(session);
    }
    let changes: Vec<Change<'_, Session>> = stored
        .iter()
        .zip(jobs)
        .map(|(s, job)| Change {
            actor: Some(job.actor.as_str()),
            action: "create",
            resource: "sessions",
            resource_id: s.id,
            before: None,
            after: Some(s),
        })
        .collect();
    audit::record(&mut tx, &changes).await?;
    tx.commit().await?;
    Ok(stored)
}
