//! Imports: 10,000 sessions from one file, as CSV and as XLSX, first as a dry run and then
//! for real, on a fresh database with the demo data (release server). Prints its own
//! Markdown table; `cargo xtask bench --only import` runs this section alone.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use humiao_shared::import::ImportKind;
use humiao_shared::Lang;
use humiao_tests::database::Engine;
use humiao_tests::process::ServerProcess;
use humiao_tests::{signed_in, TestDatabase};

use crate::setup;

pub const ROWS: usize = 10_000;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub struct ImportRow {
    engine: Engine,
    format: &'static str,
    bytes: usize,
    dry_run: Duration,
    import: Duration,
    added: u64,
    again: Duration,
    memory_mib: Option<f64>,
}

/// `ROWS` sessions of 雕庄派出所 over the last 60 days, each at a place of its own (`tag`
/// keeps the two formats' rows apart), as rows of cells under the English headers.
fn sessions(tag: &str) -> Vec<Vec<String>> {
    let today = humiao_server::clock::today();
    let mut rows = vec![ImportKind::Sessions
        .columns()
        .iter()
        .map(|c| c.header(Lang::En).to_string())
        .collect::<Vec<_>>()];
    for i in 0..ROWS {
        let day = today - chrono::Duration::days((i % 60) as i64);
        rows.push(vec![
            String::new(),
            "雕庄派出所".into(),
            String::new(),
            format!("{tag}社区{i}"),
            day.to_string(),
            ["课堂宣讲", "other", "open_day"][i % 3].into(),
            ["防溺水", "drowning、traffic", "识诈防骗"][i % 3].into(),
            (20 + i % 200).to_string(),
            (i % 7).to_string(),
            "1".into(),
            String::new(),
            String::new(),
            "45".into(),
            "张警官".into(),
            String::new(),
        ]);
    }
    rows
}

fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    rows.iter()
        .map(|r| r.join(","))
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes()
}

fn xlsx(rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

/// Uploads the file; how long the answer took and how many rows it added.
async fn upload(
    client: &reqwest::Client,
    url: &str,
    query: &str,
    content_type: &str,
    body: &[u8],
) -> Result<(Duration, u64)> {
    let start = Instant::now();
    let res = client
        .post(format!("{url}/api/v1/imports/sessions{query}"))
        .header("Content-Type", content_type)
        .body(body.to_vec())
        .send()
        .await?;
    let status = res.status();
    let report: serde_json::Value = res.json().await?;
    let took = start.elapsed();
    if status != 200 || report["problem_count"] != 0 {
        bail!("import answered {status}: {report}");
    }
    Ok((took, report["added"].as_u64().unwrap_or(0)))
}

pub async fn run(engine: Engine, rows: &mut Vec<ImportRow>) -> Result<()> {
    let database = TestDatabase::create_on(engine).await;
    let server = ServerProcess::start(&database.url, &database.data_dir())?;
    let client = signed_in(&server.url, "admin").await;
    for format in ["csv", "xlsx"] {
        let cells = sessions(format);
        let (content_type, body) = match format {
            "csv" => ("text/csv", csv(&cells)),
            _ => (XLSX, xlsx(&cells)?),
        };
        let (dry_run, _) =
            upload(&client, &server.url, "?dry_run=true", content_type, &body).await?;
        let (import, added) = upload(&client, &server.url, "", content_type, &body).await?;
        let (again, _) = upload(&client, &server.url, "", content_type, &body).await?;
        println!("import {format}: dry run {dry_run:?}, import {import:?} ({added} added), again {again:?}");
        rows.push(ImportRow {
            engine,
            format,
            bytes: body.len(),
            dry_run,
            import,
            added,
            again,
            memory_mib: setup::peak_memory_mib(server.pid()),
        });
    }
    Ok(())
}

pub fn markdown(rows: &[ImportRow]) -> String {
    let mut out =
        format!("#### Imports: {ROWS} sessions in one file (release server, one request each)\n\n");
    out.push_str("| engine | format | file KB | dry run s | import s | added | same file again s | server peak RSS MiB |\n");
    out.push_str("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {:.2} | {:.2} | {} | {:.2} | {} |\n",
            r.engine.name(),
            r.format,
            r.bytes / 1024,
            r.dry_run.as_secs_f64(),
            r.import.as_secs_f64(),
            r.added,
            r.again.as_secs_f64(),
            r.memory_mib
                .map(|m| format!("{m:.0}"))
                .unwrap_or_else(|| "?".into()),
        ));
    }
    out
}
