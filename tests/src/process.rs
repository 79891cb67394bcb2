//! The `humiao` binary run as a process of its own, for restarts, `kill -9` and several
//! instances on one database.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context as _, Result};

pub struct ServerProcess {
    child: Child,
    pub url: String,
}

impl ServerProcess {
    /// Starts `humiao` on the database and waits until it says where it serves.
    pub fn start(database_url: &str, data_dir: &Path) -> Result<ServerProcess> {
        let mut child = Command::new(crate::server_binary())
            .args(["--bind", "127.0.0.1:0", "--database-url", database_url])
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--assets-dir")
            .arg(crate::site_dir())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", crate::server_binary().display()))?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        // The server prints this line once it listens; end of output means it exited.
        let url = loop {
            match lines.next() {
                Some(line) => {
                    if let Some(url) = line?.strip_prefix("Humiao is serving on ") {
                        break url.trim().to_string();
                    }
                }
                None => {
                    let status = child.wait()?;
                    bail!("the server exited before serving ({status})");
                }
            }
        };
        Ok(ServerProcess { child, url })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Ends the process at once, as a power cut or the OOM killer would.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}
