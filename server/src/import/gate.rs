//! How many imports run at once. Reading and checking a file takes a core and up to a few
//! hundred megabytes, so a process takes a few at a time (`--import-concurrency`); another
//! waits a moment for a turn (`--import-wait-secs`), then is told to come back later.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The turns imports take; cloned into every worker, one count for the process.
#[derive(Debug, Clone)]
pub struct ImportGate {
    turns: Arc<Semaphore>,
    /// How many turns there are, to count those taken.
    concurrency: usize,
    wait: Duration,
}

/// Every turn stayed taken for the whole wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// What a client is told to wait before it tries again, in seconds.
pub const RETRY_AFTER_SECS: u64 = 5;

impl ImportGate {
    /// `concurrency` turns (at least one).
    pub fn new(concurrency: usize, wait: Duration) -> ImportGate {
        ImportGate {
            turns: Arc::new(Semaphore::new(concurrency.max(1))),
            concurrency: concurrency.max(1),
            wait,
        }
    }

    /// Imports running now (turns taken), for `/metrics`.
    pub fn in_flight(&self) -> usize {
        self.concurrency - self.turns.available_permits()
    }

    /// A turn, held until the permit is dropped; [`Busy`] if none is free within the wait.
    pub async fn enter(&self) -> Result<OwnedSemaphorePermit, Busy> {
        let turn = self.turns.clone().acquire_owned();
        match tokio::time::timeout(self.wait, turn).await {
            Ok(Ok(permit)) => Ok(permit),
            // The semaphore is never closed; a closed one would mean no more turns.
            Ok(Err(_)) | Err(_) => Err(Busy),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_turn_is_refused_while_every_turn_is_taken_and_given_once_one_ends() {
        let gate = ImportGate::new(2, Duration::ZERO);
        let first = gate.enter().await.expect("a first turn");
        let _second = gate.enter().await.expect("a second turn");
        assert_eq!(gate.enter().await.err(), Some(Busy));
        assert_eq!(gate.in_flight(), 2);
        drop(first);
        assert_eq!(gate.in_flight(), 1);
        assert!(gate.enter().await.is_ok(), "a turn once one ended");
    }

    #[tokio::test]
    async fn an_import_waits_for_a_turn_that_ends_within_the_wait() {
        let gate = ImportGate::new(1, Duration::from_secs(5));
        let first = gate.enter().await.expect("a first turn");
        let waiting = tokio::spawn({
            let gate = gate.clone();
            async move { gate.enter().await.is_ok() }
        });
        // The test's runtime has one thread: this lets the task start waiting.
        tokio::task::yield_now().await;
        drop(first);
        assert!(
            waiting.await.expect("the task ends"),
            "the waiting import runs"
        );
    }
}
