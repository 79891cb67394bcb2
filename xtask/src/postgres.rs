//! The PostgreSQL server the test suite runs against: the local one on 127.0.0.1:5432.
//! Started when it is installed but stopped; installed from Debian's packages (and given
//! trust authentication for local TCP, as on the development machines) when missing.
//! Databases of a step's own (the fuzz run's) are made and dropped with its client tools.

use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};

const ADDRESS: &str = "127.0.0.1:5432";

pub fn ensure_running() -> Result<()> {
    if listening() {
        return Ok(());
    }
    if !crate::system::is_root() {
        bail!("PostgreSQL is not listening on {ADDRESS}; start it, or run the tests as root");
    }
    let fresh = !Path::new("/usr/bin/pg_ctlcluster").exists() || clusters()?.is_empty();
    if fresh {
        println!("installing PostgreSQL …");
        crate::system::apt_install(&["postgresql"])?;
    }
    let versions = clusters()?;
    let version = versions
        .last()
        .context("no PostgreSQL cluster in /etc/postgresql")?;
    if fresh {
        trust_local_tcp(version)?;
    }
    println!("starting PostgreSQL {version} …");
    crate::status(Command::new("pg_ctlcluster").args([
        "--skip-systemctl-redirect",
        version,
        "main",
        "start",
    ]))?;
    // pg_ctlcluster returns once the server accepts connections.
    if !listening() {
        bail!("PostgreSQL started but does not listen on {ADDRESS}");
    }
    Ok(())
}

/// A fresh database on the local server, dropped with this value.
pub struct Database {
    name: String,
}

impl Database {
    /// `prefix` and this process's id: two runs at once each get their own.
    pub fn create(prefix: &str) -> Result<Database> {
        let name = format!("{prefix}_{}", std::process::id());
        crate::status(client("createdb").arg(&name))
            .with_context(|| format!("cannot create the database {name} on {ADDRESS}"))?;
        Ok(Database { name })
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@{ADDRESS}/{}", self.name)
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        // `--force` ends any connection a killed server left behind.
        let dropped = client("dropdb")
            .args(["--if-exists", "--force"])
            .arg(&self.name)
            .status();
        if !dropped.is_ok_and(|s| s.success()) {
            eprintln!("could not drop the database {}; drop it by hand", self.name);
        }
    }
}

/// A PostgreSQL client tool pointed at the local server as `postgres`.
fn client(tool: &str) -> Command {
    let (host, port) = ADDRESS.split_once(':').expect("host:port");
    let mut cmd = Command::new(tool);
    cmd.args([
        "--host",
        host,
        "--port",
        port,
        "--username",
        "postgres",
        "--no-password",
    ]);
    cmd
}

fn listening() -> bool {
    let address: SocketAddr = ADDRESS.parse().expect("a valid address");
    TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok()
}

fn clusters() -> Result<Vec<String>> {
    let mut versions: Vec<String> = match std::fs::read_dir("/etc/postgresql") {
        Ok(dir) => dir
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    versions.sort_by_key(|v| v.parse::<u32>().unwrap_or(0));
    Ok(versions)
}

/// The tests connect as `postgres` over TCP without a password, as on these machines.
fn trust_local_tcp(version: &str) -> Result<()> {
    let hba = format!("/etc/postgresql/{version}/main/pg_hba.conf");
    let current = std::fs::read_to_string(&hba).with_context(|| hba.clone())?;
    let trust = "host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n";
    std::fs::write(&hba, format!("{trust}{current}")).with_context(|| hba.clone())?;
    Ok(())
}
