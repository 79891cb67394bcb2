//! Exports: every session of a city-scale database over five years (about 100,000 rows) as
//! CSV and as Excel, against an export of about 1,000 rows (one station's sessions), each on
//! a fresh server whose peak resident set (VmHWM) is reset after login, so that the peak
//! is that export's alone. Flat memory shows as the same peak for both sizes.

use std::time::Instant;

use anyhow::{Context as _, Result};
use humiao_server::db::Db;
use humiao_tests::database::Engine;
use humiao_tests::process::ServerProcess;
use humiao_tests::signed_in;

use crate::setup;

pub struct ExportRow {
    pub engine: &'static str,
    pub format: &'static str,
    pub what: &'static str,
    pub rows: usize,
    pub bytes: usize,
    pub seconds: f64,
    pub idle_mib: Option<f64>,
    pub peak_mib: Option<f64>,
}

/// Runs the four exports on each engine (SQLite's reads run inside the server process, so
/// its page cache counts in the server's peak; PostgreSQL's in the database's).
pub async fn exports(rows_out: &mut Vec<ExportRow>) -> Result<()> {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        engine_exports(engine, rows_out).await?;
    }
    Ok(())
}

async fn engine_exports(engine: Engine, rows_out: &mut Vec<ExportRow>) -> Result<()> {
    let url = setup::generated(engine, "city", 5).await?;
    let db = Db::connect(&url).await?;
    crate::setup::ensure_admin(&db).await?;
    let (station,): (i64,) = sqlx::query_as(
        "SELECT station_id FROM sessions GROUP BY station_id ORDER BY COUNT(*) DESC LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await?;
    db.pool.close().await;
    let scratch = setup::data_dir().join("scratch");
    std::fs::create_dir_all(&scratch)?;
    for format in ["csv", "xlsx"] {
        for (what, filter) in [
            ("one station", format!("station_id={station}&")),
            ("whole city", String::new()),
        ] {
            let server = ServerProcess::start(&url, &scratch)?;
            let client = signed_in(&server.url, "admin").await;
            // The login's argon2id hash (19 MiB) sets a high peak of its own: forget it, so
            // that the peak below is the export's.
            let idle_mib = reset_peak(server.pid());
            let path = format!("{}/api/v1/sessions?{filter}format={format}", server.url);
            let started = Instant::now();
            let res = client.get(&path).send().await.context("export")?;
            anyhow::ensure!(res.status().is_success(), "{path}: {}", res.status());
            let body = res.bytes().await?;
            let seconds = started.elapsed().as_secs_f64();
            let rows = match format {
                "csv" => csv::Reader::from_reader(&body[..]).records().count(),
                _ => xlsx_rows(&body)?,
            };
            rows_out.push(ExportRow {
                engine: engine.name(),
                format,
                what,
                rows,
                bytes: body.len(),
                seconds,
                idle_mib,
                peak_mib: setup::peak_memory_mib(server.pid()),
            });
            println!(
                "export {} {format} {what}: {rows} rows in {seconds:.2} s",
                engine.name()
            );
        }
    }
    Ok(())
}

/// Resets a process's peak resident set to its current one (Linux: `5` into
/// `/proc/PID/clear_refs`) and returns that, in MiB.
fn reset_peak(pid: u32) -> Option<f64> {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Data rows of a workbook's first sheet (read in the bench's process, not the server's).
fn xlsx_rows(body: &[u8]) -> Result<usize> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(body.to_vec()))?;
    let sheet = workbook.worksheet_range_at(0).context("a sheet")??;
    Ok(sheet.height() - 1)
}
pub fn markdown(rows: &[ExportRow]) -> String {
    let mut out = String::from(
        "#### Export: sessions as a file (release server, city scale, 5 years)\n\n\
         | engine | format | rows | what | file MB | seconds | rows/s | server RSS before MiB | server peak RSS during MiB |\n\
         |---|---|---:|---|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let mib = |m: Option<f64>| m.map_or("?".into(), |m| format!("{m:.0}"));
        out.push_str(&format!(
            "| {} | {} | {} | {} | {:.1} | {:.2} | {:.0} | {} | {} |\n",
            r.engine,
            r.format,
            r.rows,
            r.what,
            r.bytes as f64 / 1e6,
            r.seconds,
            r.rows as f64 / r.seconds,
            mib(r.idle_mib),
            mib(r.peak_mib),
        ));
    }
    out
}
