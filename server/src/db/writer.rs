//! Group commit for new sessions.
//!
//! Officers' entries arrive one per request, and each durable commit costs an fsync and a
//! transaction's worth of statements. The writer task takes whatever entries are waiting
//! (up to `MAX_BATCH`), stores them in one transaction and answers each request with its
//! id once that transaction is committed, so an acknowledged entry is always durable.
//! If a batch fails, its entries are retried one by one, so one bad entry cannot take the
//! others down with it. One writer per server process also means SQLite never makes this
//! process's writers wait on each other through its sleeping busy handler.

use humiao_shared::session::ValidSession;
use tokio::sync::{mpsc, oneshot};

use super::sessions::insert_sessions;
use super::Db;

const MAX_BATCH: usize = 128;
const QUEUE: usize = 4096;

type Reply = oneshot::Sender<Result<i64, sqlx::Error>>;

/// A handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct SessionWriter {
    queue: mpsc::Sender<(ValidSession, Reply)>,
}

impl SessionWriter {
    /// Starts the writer task on the current Tokio runtime.
    pub fn start(db: Db) -> SessionWriter {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, jobs));
        SessionWriter { queue }
    }

    /// Stores a session; answers once it is committed.
    pub async fn insert(&self, session: ValidSession) -> Result<i64, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((session, reply))
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

async fn run(db: Db, mut jobs: mpsc::Receiver<(ValidSession, Reply)>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (sessions, replies): (Vec<_>, Vec<_>) = std::mem::take(&mut batch).into_iter().unzip();
        match store(&db, &sessions).await {
            Ok(ids) => {
                for (reply, id) in replies.into_iter().zip(ids) {
                    let _ = reply.send(Ok(id));
                }
            }
            Err(e) if sessions.len() == 1 => {
                let _ = replies.into_iter().next().map(|r| r.send(Err(e)));
            }
            Err(_) => {
                for (session, reply) in sessions.into_iter().zip(replies) {
                    let one = store(&db, std::slice::from_ref(&session)).await;
                    let _ = reply.send(one.map(|ids| ids[0]));
                }
            }
        }
    }
}

async fn store(db: &Db, sessions: &[ValidSession]) -> Result<Vec<i64>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let ids = insert_sessions(&mut tx, sessions, false).await?;
    tx.commit().await?;
    Ok(ids)
}
