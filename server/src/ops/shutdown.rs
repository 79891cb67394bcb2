//! Stopping on SIGTERM (what `systemctl stop` sends) or SIGINT (Ctrl-C), gracefully either way.
//!
//! actix-web's own handlers treat SIGINT as a forced stop, which cuts requests off mid-answer,
//! so the server listens for both signals here instead and hands actix a future that resolves
//! at the first one. actix then stops accepting, lets requests in flight finish (closing each
//! keep-alive connection after its current answer) within `--shutdown-timeout-secs`, and
//! returns; `Application::run_until_stopped` then drains the session writer and closes the
//! pool.

use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::watch;

/// Seconds requests in flight get to finish: longer than any request takes (an import's own
/// limit is 60 s, but an import that long is rare; systemd's default stop timeout is 90 s).
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// Whether the process was asked to stop; every listener's shutdown future waits on it.
#[derive(Clone)]
pub struct Stop {
    asked: watch::Receiver<bool>,
}

impl Stop {
    /// Listens for SIGTERM and SIGINT from now on, on the current Tokio runtime.
    pub fn on_signals() -> std::io::Result<Stop> {
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        let (tell, asked) = watch::channel(false);
        tokio::spawn(async move {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
            tracing::info!("{name} received: finishing the requests in flight, then stopping");
            let _ = tell.send(true);
        });
        Ok(Stop { asked })
    }

    /// Resolves once a stop is asked for.
    pub fn asked(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut asked = self.asked.clone();
        async move {
            // An error means the signal task ended without a signal: then never.
            if asked.wait_for(|asked| *asked).await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}
