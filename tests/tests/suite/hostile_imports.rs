//! Imports of files made to hurt the server (issue 13): a sheet that declares a cell a
//! million rows down, a zip bomb, a billion laughs, ten million empty rows, a header of
//! 100,000 columns. Each is refused within seconds with a 4xx naming the limit it broke,
//! stores nothing, and leaves the server answering; a few imports run at a time, and one
//! past its time limit stops.
//!
//! Every hostile file is made here. The big ones are made cheaply: a deflate stream can
//! repeat one compressed chunk (a full flush makes each copy independent of the last), so a
//! gigabyte of XML costs the test one megabyte of compression.

use std::time::{Duration, Instant};

use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use humiao_tests::{spawn_app, spawn_app_with, TestApp};
use reqwest::header;
use serde_json::Value;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv";

/// The longest a refusal may take (a debug build, on 2 busy cores).
const PROMPT: Duration = Duration::from_secs(5);

/// A part's content, deflated, with the size and CRC its headers declare.
struct Part {
    name: String,
    deflated: Vec<u8>,
    size: u32,
    crc: u32,
}

impl Part {
    fn new(name: &str, content: &[u8]) -> Part {
        let mut compress = Compress::new(Compression::default(), false);
        let mut crc = Crc::new();
        crc.update(content);
        Part {
            name: name.to_string(),
            deflated: deflate(&mut compress, content, FlushCompress::Finish),
            size: content.len() as u32,
            crc: crc.sum(),
        }
    }

    /// `head`, then `chunk` `times` over, then `tail`; only `chunk` is compressed, once.
    fn repeated(name: &str, head: &[u8], chunk: &[u8], times: u32, tail: &[u8]) -> Part {
        let mut compress = Compress::new(Compression::best(), false);
        let mut deflated = deflate(&mut compress, head, FlushCompress::Full);
        let copy = deflate(&mut compress, chunk, FlushCompress::Full);
        for _ in 0..times {
            deflated.extend_from_slice(&copy);
        }
        deflated.extend(deflate(&mut compress, tail, FlushCompress::Finish));
        let (mut crc, mut chunk_crc, mut tail_crc) = (Crc::new(), Crc::new(), Crc::new());
        crc.update(head);
        chunk_crc.update(chunk);
        tail_crc.update(tail);
        for _ in 0..times {
            crc.combine(&chunk_crc);
        }
        crc.combine(&tail_crc);
        let size = head.len() as u64 + chunk.len() as u64 * u64::from(times) + tail.len() as u64;
        Part {
            name: name.to_string(),
            deflated,
            size: u32::try_from(size).expect("under 4 GB"),
            crc: crc.sum(),
        }
    }
}

fn deflate(compress: &mut Compress, input: &[u8], flush: FlushCompress) -> Vec<u8> {
    let mut out = Vec::new();
    let start = compress.total_in();
    loop {
        out.reserve(64 * 1024);
        let done = (compress.total_in() - start) as usize;
        let status = compress
            .compress_vec(&input[done..], &mut out, flush)
            .expect("deflate");
        let done = (compress.total_in() - start) as usize;
        if status == Status::StreamEnd || (done == input.len() && out.len() < out.capacity()) {
            return out;
        }
    }
}

/// A ZIP archive of the parts, written as the format describes it.
fn archive(parts: &[Part]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for part in parts {
        let offset = out.len() as u32;
        let name = part.name.as_bytes();
        // Version 2.0, no flags, deflated, 1980-01-01 00:00.
        let common = |buf: &mut Vec<u8>| {
            for half in [20u16, 0, 8, 0, 0x21] {
                buf.extend(half.to_le_bytes());
            }
            for word in [part.crc, part.deflated.len() as u32, part.size] {
                buf.extend(word.to_le_bytes());
            }
            buf.extend((name.len() as u16).to_le_bytes());
            buf.extend(0u16.to_le_bytes());
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(name);
        out.extend(&part.deflated);

        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        common(&mut central);
        // Comment length, disk, internal and external attributes; where the part starts.
        central.extend([0u8; 10]);
        central.extend(offset.to_le_bytes());
        central.extend(name);
    }
    let start = out.len() as u32;
    let count = parts.len() as u16;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    for half in [0u16, 0, count, count] {
        out.extend(half.to_le_bytes());
    }
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

const SHEET_HEAD: &str =
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// An XLSX file around its first sheet's XML: the parts calamine and Excel need.
fn xlsx_around(sheet: Part) -> Vec<u8> {
    let rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let package = "http://schemas.openxmlformats.org/package/2006/relationships";
    let mut parts = vec![
        Part::new(
            "[Content_Types].xml",
            br#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        Part::new(
            "_rels/.rels",
            format!(r#"<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).as_bytes(),
        ),
        Part::new(
            "xl/workbook.xml",
            format!(r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{rels}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#).as_bytes(),
        ),
        Part::new(
            "xl/_rels/workbook.xml.rels",
            format!(r#"<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#).as_bytes(),
        ),
    ];
    parts.push(sheet);
    archive(&parts)
}

/// An XLSX file whose sheet XML is `xml`.
fn xlsx_of(xml: &str) -> Vec<u8> {
    xlsx_around(Part::new("xl/worksheets/sheet1.xml", xml.as_bytes()))
}

/// An inline-string cell.
fn cell(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A sheet whose declared size and cells are as given.
fn sheet(dimension: &str, rows: &str) -> String {
    format!(
        r#"{SHEET_HEAD}<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>"#
    )
}

/// The file of the report: A1 and XFD1048576, the last cell Excel has, written by Excel's
/// own kind of writer. Laid out by its dimension, it is 17 billion cells.
fn a1_and_the_last_cell() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "学校编码").expect("A1");
    sheet
        .write_string(1_048_575, 16_383, "x")
        .expect("XFD1048576");
    book.save_to_buffer().expect("workbook")
}

/// A sheet whose XML is a gigabyte of blanks, from about a megabyte of file.
fn zip_bomb() -> Vec<u8> {
    let head = format!("{SHEET_HEAD}<sheetData>");
    let blanks = vec![b' '; 1024 * 1024];
    xlsx_around(Part::repeated(
        "xl/worksheets/sheet1.xml",
        head.as_bytes(),
        &blanks,
        1024,
        b"</sheetData></worksheet>",
    ))
}

/// Ten million empty rows (`<row/>`): 60 MB of XML and no cell.
fn ten_million_empty_rows() -> Vec<u8> {
    let head = format!("{SHEET_HEAD}<dimension ref=\"A1:A10000000\"/><sheetData>");
    let rows = "<row/>".repeat(100_000);
    xlsx_around(Part::repeated(
        "xl/worksheets/sheet1.xml",
        head.as_bytes(),
        rows.as_bytes(),
        100,
        b"</sheetData></worksheet>",
    ))
}

/// Entities that would expand to 10⁹ "lol"s if a parser expanded them.
fn billion_laughs() -> Vec<u8> {
    let mut dtd = String::from(r#"<!DOCTYPE worksheet [<!ENTITY lol0 "lol">"#);
    for level in 1..=9 {
        let previous = format!("&lol{};", level - 1).repeat(10);
        dtd.push_str(&format!(r#"<!ENTITY lol{level} "{previous}">"#));
    }
    dtd.push(']');
    dtd.push('>');
    let rows = format!(
        r#"<row r="1">{}</row><row r="2">{}</row>"#,
        cell("A1", "&lol9;"),
        cell("A2", "&lol9;")
    );
    xlsx_of(&format!("{dtd}{}", sheet("A1:A2", &rows)))
}

/// A CSV whose header row has `width` columns, and one row.
fn csv_of_width(width: usize) -> Vec<u8> {
    let header: Vec<String> = (0..width).map(|i| format!("列{i}")).collect();
    format!("{}\n{}x\n", header.join(","), ",".repeat(width - 1)).into_bytes()
}

/// An archive of more parts than any workbook has.
fn many_parts(n: usize) -> Vec<u8> {
    let parts: Vec<Part> = (0..n)
        .map(|i| Part::new(&format!("xl/media/p{i}.xml"), b"<p/>"))
        .collect();
    archive(&parts)
}

/// Sends `body` as `client` and times the answer: status, JSON, seconds.
async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value, Duration) {
    let started = Instant::now();
    let res = client
        .post(format!("{}/api/v1/imports/{path}", app.url))
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT_LANGUAGE, "en")
        .timeout(Duration::from_secs(60))
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = res.status().as_u16();
    let answer = res.json().await.unwrap_or(Value::Null);
    (status, answer, started.elapsed())
}

/// What an import could have stored, and its audit trail.
async fn stored(app: &TestApp) -> [i64; 4] {
    [
        app.count("sessions").await,
        app.count("screening_confirmations").await,
        app.count("stations").await,
        app.count("audit_log").await,
    ]
}

#[tokio::test]
async fn each_hostile_file_is_refused_within_seconds_with_a_4xx_naming_its_limit() {
    let app = spawn_app().await;
    let school = app.client_as("school.boai").await;
    let officer = app.client_as("officer.diaozhuang").await;
    let before = stored(&app).await;

    // What, who, where, the file, and the answer: status, code, and what the message names.
    type Case<'a> = (
        &'a str,
        &'a reqwest::Client,
        &'a str,
        &'a str,
        Vec<u8>,
        u16,
        &'a str,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            "A1 and XFD1048576, from a school's link",
            &school,
            "confirmations?dry_run=true",
            XLSX,
            a1_and_the_last_cell(),
            413,
            "too_many_rows",
            "row 100000",
        ),
        (
            "a cell in column XFD of row 2",
            &officer,
            "sessions?dry_run=true",
            XLSX,
            xlsx_of(&sheet(
                "A1:XFD2",
                &format!(
                    r#"<row r="1">{}</row><row r="2">{}</row>"#,
                    cell("A1", "a"),
                    cell("XFD2", "b")
                ),
            )),
            413,
            "too_many_columns",
            "column 100 (CV)",
        ),
        (
            "a cell in row ten million",
            &officer,
            "sessions?dry_run=true",
            XLSX,
            xlsx_of(&sheet(
                "A1:A10000000",
                &format!(
                    r#"<row r="1">{}</row><row r="10000000">{}</row>"#,
                    cell("A1", "a"),
                    cell("A10000000", "b")
                ),
            )),
            413,
            "too_many_rows",
            "row 100000",
        ),
        (
            "a zip bomb: 1 GB of sheet",
            &officer,
            "sessions",
            XLSX,
            zip_bomb(),
            413,
            "unzipped_too_large",
            "50 MB",
        ),
        (
            "ten million empty rows",
            &officer,
            "sessions",
            XLSX,
            ten_million_empty_rows(),
            413,
            "unzipped_too_large",
            "50 MB",
        ),
        (
            "a billion laughs",
            &app.client,
            "stations",
            XLSX,
            billion_laughs(),
            422,
            "unreadable_file",
            "damaged",
        ),
        (
            "a header of 100,000 columns",
            &officer,
            "sessions",
            CSV,
            csv_of_width(100_000),
            413,
            "too_many_columns",
            "column 100 (CV)",
        ),
        (
            "an archive of 2,000 parts",
            &app.client,
            "stations",
            XLSX,
            many_parts(2000),
            413,
            "too_many_parts",
            "1000 parts",
        ),
    ];
    for (what, client, path, content_type, body, status, code, names) in cases {
        let size = body.len();
        let (got, answer, took) = post(client, &app, path, content_type, body).await;
        eprintln!("{what}: {size} bytes, {got} in {took:.2?}");
        assert_eq!(
            (got, answer["code"].as_str()),
            (status, Some(code)),
            "{what}: {answer}"
        );
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(message.contains(names), "{what} names its limit: {message}");
        assert!(took < PROMPT, "{what} took {took:?}");
    }
    assert_eq!(stored(&app).await, before, "nothing stored");
}

#[tokio::test]
async fn refusals_speak_chinese_by_default() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/api/v1/imports/sessions", app.url))
        .header(header::CONTENT_TYPE, CSV)
        .body(csv_of_width(101))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 413);
    let answer: Value = res.json().await.expect("JSON");
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(message.contains("第 100 列"), "{message}");
}

#[tokio::test]
async fn a_declared_size_of_ten_million_rows_over_two_real_rows_reads_the_two() {
    let app = spawn_app().await;
    let headers: Vec<String> = humiao_shared::import::ImportKind::Stations
        .columns()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let at = format!("{}1", humiao_shared::import::column_letters(i));
            cell(&at, c.title.zh)
        })
        .collect();
    let row = [
        cell("A2", "PCS-HOSTILE"),
        cell("B2", "测试派出所"),
        cell("C2", "天宁分局"),
    ]
    .concat();
    let rows = format!(
        r#"<row r="1">{}</row><row r="2">{row}</row>"#,
        headers.concat()
    );
    let file = xlsx_of(&sheet("A1:XFD10000000", &rows));
    let (status, answer, took) = post(&app.client, &app, "stations?dry_run=true", XLSX, file).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["rows"], 1, "{answer}");
    assert!(took < PROMPT, "{took:?}");
}

#[tokio::test]
async fn the_server_keeps_answering_while_a_hostile_import_runs() {
    let app = spawn_app().await;
    let bomb = zip_bomb();
    let import = tokio::spawn({
        let (client, url) = (app.client.clone(), app.url.clone());
        async move {
            let started = Instant::now();
            let res = client
                .post(format!("{url}/api/v1/imports/sessions"))
                .header(header::CONTENT_TYPE, XLSX)
                .timeout(Duration::from_secs(60))
                .body(bomb)
                .send()
                .await
                .expect("the server answers");
            (res.status().as_u16(), started.elapsed())
        }
    });
    let mut slowest = Duration::ZERO;
    let mut polls = 0;
    loop {
        let started = Instant::now();
        let res = app
            .client
            .get(format!("{}/api/health", app.url))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .expect("health answers");
        assert_eq!(res.status(), 200);
        slowest = slowest.max(started.elapsed());
        polls += 1;
        if import.is_finished() {
            break;
        }
    }
    let (status, took) = import.await.expect("the import ends");
    eprintln!("import {status} in {took:.2?}; {polls} health checks, slowest {slowest:.2?}");
    assert_eq!(status, 413);
    assert!(took < PROMPT, "the import took {took:?}");
    assert!(slowest < Duration::from_secs(1), "health took {slowest:?}");
}

/// A file every import of stations takes: the template's header and one station.
fn one_station(code: &str) -> Vec<u8> {
    format!("派出所编码,派出所名称,所属分局\n{code},测试派出所{code},天宁分局\n").into_bytes()
}

#[tokio::test]
async fn a_third_import_while_two_run_gets_429_with_retry_after() {
    let app = spawn_app_with(|s| {
        s.import_limits.import_concurrency = 2;
        s.import_limits.import_wait_secs = 0;
    })
    .await;
    // Two imports hold the turns (taken here, as two long imports would hold them).
    let first = app.import_gate.enter().await.expect("a turn");
    let _second = app.import_gate.enter().await.expect("a turn");
    let before = stored(&app).await;

    let res = app
        .client
        .post(format!("{}/api/v1/imports/stations", app.url))
        .header(header::CONTENT_TYPE, CSV)
        .body(one_station("PCS-T1"))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 429);
    assert_eq!(res.headers()[header::RETRY_AFTER], "5");
    let answer: Value = res.json().await.expect("JSON");
    assert_eq!(answer["code"], "imports_busy", "{answer}");
    assert_eq!(stored(&app).await, before, "nothing stored");

    drop(first);
    let (status, answer, _) = post(&app.client, &app, "stations", CSV, one_station("PCS-T1")).await;
    assert_eq!(status, 200, "a turn is free again: {answer}");
    assert_eq!(answer["added"], 1);
}

#[tokio::test]
async fn an_import_past_its_time_limit_stops_and_stores_nothing() {
    let app = spawn_app_with(|s| s.import_limits.import_time_limit_secs = 0).await;
    let before = stored(&app).await;
    for (what, content_type, body) in [
        ("CSV", CSV, one_station("PCS-T2")),
        (
            "XLSX",
            XLSX,
            xlsx_of(&sheet("A1", &cell("A1", "派出所编码"))),
        ),
    ] {
        let (status, answer, _) = post(&app.client, &app, "stations", content_type, body).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (422, Some("import_timed_out")),
            "{what}: {answer}"
        );
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(message.contains("0 s limit"), "{message}");
    }
    assert_eq!(stored(&app).await, before, "nothing stored");
}

#[tokio::test]
async fn a_file_past_the_cell_limit_is_refused_and_header_problems_are_capped() {
    let app = spawn_app_with(|s| {
        s.import_limits.import_max_cells = 5_000;
        s.import_limits.import_max_columns = 3_000;
    })
    .await;
    let before = stored(&app).await;

    // 100 rows of 60 columns: 6,000 cells.
    let wide: String = (0..100).map(|_| ",".repeat(59) + "x\n").collect();
    let (status, answer, _) = post(&app.client, &app, "stations", CSV, wide.into_bytes()).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (413, Some("too_many_cells")),
        "{answer}"
    );
    assert!(answer["message"]
        .as_str()
        .unwrap_or_default()
        .contains("5000 cells"));

    // 2,000 unknown columns, and the three the template needs are missing.
    let (status, answer, _) = post(&app.client, &app, "stations", CSV, csv_of_width(2_000)).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("wrong_columns")),
        "{answer}"
    );
    assert_eq!(answer["problems"].as_array().map(Vec::len), Some(1000));
    assert_eq!(answer["problem_count"], 2_003);
    assert_eq!(stored(&app).await, before, "nothing stored");
}
