//! The `humiao` binary run as a process of its own, for restarts, `kill -9`, several
//! instances on one database, and reading what it logs.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use anyhow::{bail, Context as _, Result};

pub struct ServerProcess {
    child: Child,
    pub url: String,
    /// What the process writes, when started with [`ServerProcess::start_logged`].
    log: Option<Log>,
}

/// The lines of a process's stdout and stderr, gathered by a thread per stream.
struct Log {
    lines: Arc<Mutex<Vec<String>>>,
    readers: Vec<JoinHandle<()>>,
}

/// The command that starts `humiao` on the database, listening on a free port.
fn command(database_url: &str, data_dir: &Path, bind: &str) -> Command {
    let mut command = Command::new(crate::server_binary());
    command
        .args(["--bind", bind, "--database-url", database_url])
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--assets-dir")
        .arg(crate::site_dir());
    command
}

/// The server prints this line once it listens.
fn serving_url(line: &str) -> Option<String> {
    line.strip_prefix("Humiao is serving on ")
        .map(|url| url.trim().to_string())
}

impl ServerProcess {
    /// Starts `humiao` on the database and waits until it says where it serves.
    pub fn start(database_url: &str, data_dir: &Path) -> Result<ServerProcess> {
        Self::start_at(database_url, data_dir, "127.0.0.1:0")
    }

    /// Starts `humiao` listening on `bind` (`127.0.0.1:8123`): a server back at the address a
    /// browser knows, after [`ServerProcess::kill9`].
    pub fn start_at(database_url: &str, data_dir: &Path, bind: &str) -> Result<ServerProcess> {
        Self::start_with(database_url, data_dir, bind, &[])
    }

    /// Starts `humiao` listening on `bind`, with more flags (`--shutdown-timeout-secs 5`).
    pub fn start_with(
        database_url: &str,
        data_dir: &Path,
        bind: &str,
        args: &[&str],
    ) -> Result<ServerProcess> {
        let mut child = command(database_url, data_dir, bind)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", crate::server_binary().display()))?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        // End of output before that line means it exited.
        let url = loop {
            match lines.next() {
                Some(line) => {
                    if let Some(url) = serving_url(&line?) {
                        break url;
                    }
                }
                None => {
                    let status = child.wait()?;
                    bail!("the server exited before serving ({status})");
                }
            }
        };
        Ok(ServerProcess {
            child,
            url,
            log: None,
        })
    }

    /// Starts `humiao` with `RUST_LOG={filter}` and keeps every line it writes to stdout or
    /// stderr, for [`ServerProcess::stop_and_read_log`].
    pub fn start_logged(
        database_url: &str,
        data_dir: &Path,
        filter: &str,
    ) -> Result<ServerProcess> {
        Self::start_logged_with(database_url, data_dir, filter, &[])
    }

    /// [`ServerProcess::start_logged`] with more flags (`--log-format json`).
    pub fn start_logged_with(
        database_url: &str,
        data_dir: &Path,
        filter: &str,
        args: &[&str],
    ) -> Result<ServerProcess> {
        let mut child = command(database_url, data_dir, "127.0.0.1:0")
            .args(args)
            .env("RUST_LOG", filter)
            // Plain text: no colour codes between a field's name and its value.
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", crate::server_binary().display()))?;
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().context("stdout")?;
        let stderr = child.stderr.take().context("stderr")?;
        let readers = vec![
            gather(stdout, lines.clone(), Some(tx)),
            gather(stderr, lines.clone(), None),
        ];
        let log = Log { lines, readers };
        // The stdout reader ends, dropping its sender, when the process exits.
        let url = match rx.iter().find_map(|line| serving_url(&line)) {
            Some(url) => url,
            None => {
                let status = child.wait()?;
                let lines = log.lines.lock().map(|l| l.join("\n")).unwrap_or_default();
                bail!("the server exited before serving ({status}):\n{lines}");
            }
        };
        Ok(ServerProcess {
            child,
            url,
            log: Some(log),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Ends the process at once, as a power cut or the OOM killer would.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends `signal` (`TERM`, `INT`), as `systemctl stop` or Ctrl-C would.
    pub fn signal(&self, signal: &str) -> Result<()> {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .context("kill")?;
        if !status.success() {
            bail!("kill -{signal} {} failed ({status})", self.pid());
        }
        Ok(())
    }

    /// Waits up to `limit` for the process to exit; `None` if it is still running then.
    pub fn wait_exit(&mut self, limit: std::time::Duration) -> Result<Option<ExitStatus>> {
        let deadline = std::time::Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(Some(status));
            }
            if std::time::Instant::now() >= deadline {
                return Ok(None);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Every line the process wrote so far (with [`ServerProcess::start_logged`]).
    pub fn log_so_far(&self) -> Vec<String> {
        self.log
            .as_ref()
            .and_then(|log| log.lines.lock().ok().map(|l| l.clone()))
            .unwrap_or_default()
    }

    /// Ends the process and returns every line it wrote; empty unless it was started with
    /// [`ServerProcess::start_logged`]. Reading to the end of both streams makes sure no
    /// line written before the end is missed.
    pub fn stop_and_read_log(mut self) -> Vec<String> {
        self.kill9();
        let Some(log) = self.log.take() else {
            return Vec::new();
        };
        for reader in log.readers {
            let _ = reader.join();
        }
        let lines = log.lines.lock().map(|l| l.clone()).unwrap_or_default();
        lines
    }
}

/// A thread that reads `stream` line by line into `lines` (and `tx`) until it ends. Bytes
/// that are not UTF-8 are kept as replacement characters rather than ending the reading,
/// which would block the server once the pipe is full.
fn gather(
    stream: impl Read + Send + 'static,
    lines: Arc<Mutex<Vec<String>>>,
    tx: Option<mpsc::Sender<String>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf).trim_end().to_string();
                    if let Some(tx) = &tx {
                        let _ = tx.send(line.clone());
                    }
                    if let Ok(mut lines) = lines.lock() {
                        lines.push(line);
                    }
                }
            }
        }
    })
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}
