//! Exports: every session of a city-scale database over five years (about 100,000 rows) as
//! CSV and as Excel, against an export of about 1,000 rows (one station's sessions), each on
//! a fresh server so that its peak resident set (VmHWM) is that export's alone. Flat memory
//! shows as the same peak for both sizes.

use std::time::Instant;

use anyhow::{Context as _, Result};
use humiao_server::db::Db;
use humiao_tests::database::Engine;
use humiao_tests::process::ServerProcess;
use humiao_tests::signed_in;

use crate::setup;

pub struct ExportRow {
    pub format: &'static str,
    pub what: &'static str,
    pub rows: usize,
    pub bytes: usize,
    pub seconds: f64,
    pub idle_mib: Option<f64>,
    pub peak_mib: Option<f64>,
}

/// Runs the four exports on SQLite (the engine whose reads run inside the server process,
/// so its memory counts in the server's peak).
pub async fn exports(rows_out: &mut Vec<ExportRow>) -> Result<()> {
    let url = setup::generated(Engine::Sqlite, "city", 5).await?;
    let db = Db::connect(&url).await?;
    crate::load::ensure_admin(&db).await?;
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
            let idle_mib = setup::peak_memory_mib(server.pid());
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
                format,
                what,
                rows,
                bytes: body.len(),
                seconds,
                idle_mib,
                peak_mib: setup::peak_memory_mib(server.pid()),
            });
            println!("export {format} {what}: {rows} rows in {seconds:.2} s");
        }
    }
    Ok(())
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
        "#### Export: sessions as a file (release server, SQLite, city scale, 5 years)\n\n\
         | format | rows | what | file MB | seconds | rows/s | server RSS before MiB | server peak RSS MiB |\n\
         |---|---:|---|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let mib = |m: Option<f64>| m.map_or("?".into(), |m| format!("{m:.0}"));
        out.push_str(&format!(
            "| {} | {} | {} | {:.1} | {:.2} | {:.0} | {} | {} |\n",
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
