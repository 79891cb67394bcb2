//! Lists and aggregates as CSV and Excel files (`?format=csv|xlsx`): the same rows as the
//! JSON within the viewer's scope, headers in the request's language, small counts hidden,
//! formulas defused, and a clear 400 for a format the server does not write.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use humiao_server::clock;
use humiao_shared::outcome::Indicator;
use humiao_shared::session::SessionFormat;
use humiao_shared::Lang;
use humiao_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Every list and aggregate that can be downloaded, as the administrator asks for it.
const ENDPOINTS: [&str; 21] = [
    "/api/v1/districts",
    "/api/v1/stations",
    "/api/v1/schools",
    "/api/v1/topics",
    "/api/v1/campaigns",
    "/api/v1/films",
    "/api/v1/assignments",
    "/api/v1/confirmations",
    "/api/v1/trainings",
    "/api/v1/trainees",
    "/api/v1/outcomes",
    "/api/v1/sessions",
    "/api/v1/links",
    "/api/v1/audit",
    "/api/v1/aggregates/sessions-by-district",
    "/api/v1/aggregates/reach?group_by=district",
    "/api/v1/aggregates/audience",
    "/api/v1/aggregates/screening-coverage",
    "/api/v1/aggregates/screening-reach",
    "/api/v1/aggregates/training-coverage",
    "/api/v1/aggregates/outcomes",
];

/// `path` with `format` added to its query.
fn with_format(path: &str, format: &str) -> String {
    let joiner = if path.contains('?') { '&' } else { '?' };
    format!("{path}{joiner}format={format}")
}

async fn download(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    lang: &str,
) -> reqwest::Response {
    client
        .get(format!("{}{path}", app.url))
        .header("Accept-Language", lang)
        .send()
        .await
        .expect("request sent")
}

/// The rows of a CSV export, header first; fails unless it starts with the BOM.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = bytes.strip_prefix(BOM).expect("the CSV starts with a BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text)
        .records()
        .map(|r| r.expect("a CSV record").iter().map(String::from).collect())
        .collect()
}

/// The rows of the first sheet of an Excel export, header first, each cell as text.
fn xlsx_rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
    let sheet = workbook
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    sheet
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

async fn csv_of(app: &TestApp, client: &reqwest::Client, path: &str) -> Vec<Vec<String>> {
    let res = download(app, client, &with_format(path, "csv"), "zh-CN").await;
    assert_eq!(res.status(), 200, "{path}");
    csv_rows(&res.bytes().await.unwrap())
}

fn column(rows: &[Vec<String>], header: &str) -> Vec<String> {
    let at = rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {:?}", rows[0]));
    rows[1..].iter().map(|r| r[at].clone()).collect()
}

#[tokio::test]
async fn every_list_and_aggregate_downloads_as_csv_and_excel() {
    let app = spawn_app().await;
    for path in ENDPOINTS {
        let res = download(&app, &app.client, &with_format(path, "csv"), "zh").await;
        assert_eq!(res.status(), 200, "{path} csv");
        let kind = res.headers()["content-type"].to_str().unwrap().to_string();
        assert!(kind.starts_with("text/csv"), "{path}: {kind}");
        let disposition = res.headers()["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"") && disposition.contains(".csv\""),
            "{path}: {disposition}"
        );
        assert!(
            disposition.contains("filename*=UTF-8''%E"),
            "{path}: a Chinese name beside the ASCII one: {disposition}"
        );
        let rows = csv_rows(&res.bytes().await.unwrap());
        assert!(
            !rows.is_empty() && !rows[0][0].is_empty(),
            "{path}: a header row"
        );

        let res = download(&app, &app.client, &with_format(path, "xlsx"), "zh").await;
        assert_eq!(res.status(), 200, "{path} xlsx");
        assert_eq!(res.headers()["content-type"], XLSX, "{path}");
        let sheet = xlsx_rows(res.bytes().await.unwrap().to_vec());
        assert_eq!(
            sheet.len(),
            rows.len(),
            "{path}: Excel and CSV hold the same rows"
        );
        assert_eq!(sheet[0], rows[0], "{path}: the same headers");
    }
}

#[tokio::test]
async fn headers_and_codes_are_chinese_unless_english_is_asked_for() {
    let app = spawn_app().await;
    let newest = &app.get_json("/api/v1/sessions?limit=1").await[0];
    let format = SessionFormat::from_code(newest["format"].as_str().unwrap()).unwrap();
    for (header, lang, first_line, format_column) in [
        ("zh-CN,zh;q=0.9", Lang::Zh, "编号,日期,分局,派出所", "形式"),
        (
            "en-GB,en;q=0.9",
            Lang::En,
            "ID,Date,District,Station",
            "Format",
        ),
    ] {
        let res = download(&app, &app.client, "/api/v1/sessions?format=csv", header).await;
        let bytes = res.bytes().await.unwrap();
        assert!(
            bytes.starts_with(BOM),
            "{header}: Excel needs the BOM for Chinese"
        );
        let text = std::str::from_utf8(&bytes[BOM.len()..]).unwrap();
        assert!(text.starts_with(first_line), "{header}: {}", &text[..80]);
        let rows = csv_rows(&bytes);
        assert_eq!(
            column(&rows, format_column)[0],
            format.label(lang),
            "{header}"
        );
    }
}

#[tokio::test]
async fn excel_holds_the_rows_of_the_json_list_in_its_order_and_paging_does_not_cut_it() {
    let app = spawn_app().await;
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    let list = format!("/api/v1/schools?district_id={tianning}&sort=code");
    let json = app.get_json(&format!("{list}&limit=1000")).await;
    let expected: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].to_string())
        .collect();
    assert!(expected.len() > 50, "more schools than a page");
    // The page asked for is ignored: the file is the whole filtered list.
    let res = app.get(&format!("{list}&limit=2&page=3&format=xlsx")).await;
    let sheet = xlsx_rows(res.bytes().await.unwrap().to_vec());
    assert_eq!(column(&sheet, "编号"), expected);
    let names: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(column(&sheet, "学校名称"), names);

    let sessions = app.get("/api/v1/sessions?limit=1").await;
    let total: usize = sessions.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let rows = csv_of(&app, &app.client, "/api/v1/sessions?limit=1").await;
    assert_eq!(rows.len() - 1, total, "every session, not a page");

    // Records are read 500 at a time: the first 1,000 of a longer list come in the order
    // of the JSON's first page, and none is lost or repeated after them.
    let res = app.get("/api/v1/confirmations?limit=1000").await;
    let total: usize = res.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        total > 1000,
        "the demo holds more confirmations than a page"
    );
    let page: Value = res.json().await.unwrap();
    let first: Vec<String> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].to_string())
        .collect();
    let ids = column(
        &csv_of(&app, &app.client, "/api/v1/confirmations").await,
        "编号",
    );
    assert_eq!(ids.len(), total);
    assert_eq!(ids[..1000], first[..]);
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), total, "no row twice");
}

#[tokio::test]
async fn a_district_leaders_export_holds_only_their_district() {
    let app = spawn_app().await;
    let leader = app.client_as("leader.tianning").await;
    let rows = csv_of(&app, &leader, "/api/v1/sessions").await;
    let districts = column(&rows, "分局");
    assert!(!districts.is_empty(), "the district has sessions");
    assert!(districts.iter().all(|d| d == "天宁分局"), "{districts:?}");
    let everyone = csv_of(&app, &app.client, "/api/v1/sessions").await;
    assert!(everyone.len() > rows.len(), "the city holds more");

    // Asking for another district is 404, as the district itself is: no file, neither
    // widened nor an empty one that would say nothing was recorded there.
    let other = app.id_of("districts", "name", "武进分局").await;
    let res = download(
        &app,
        &leader,
        &format!("/api/v1/schools?district_id={other}&format=csv"),
        "zh",
    )
    .await;
    assert_eq!(res.status(), 404);
    let by_district = csv_of(&app, &leader, "/api/v1/aggregates/sessions-by-district").await;
    assert_eq!(column(&by_district, "分局"), ["天宁分局"]);
}

#[tokio::test]
async fn small_outcome_counts_read_as_hidden_for_a_leader_and_as_numbers_for_the_administrator() {
    let app = spawn_app().await;
    // 三井 counts its other figures from its registers: theft cases by minors stay typed.
    let sanjing = app.id_of("stations", "name", "三井派出所").await;
    let month = clock::today().to_string()[..7].to_string();
    let res = app
        .post_json(
            "/api/v1/outcomes",
            &json!({"station_id": sanjing, "month": month, "indicator": "juvenile_thefts", "value": 3}),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let list = format!(
        "/api/v1/outcomes?station_id={sanjing}&indicator=juvenile_thefts&from={month}&to={month}"
    );
    let series = format!("/api/v1/aggregates/outcomes?station_id={sanjing}&from={month}-01");
    let leader = app.client_as("leader").await;
    for (who, client, shown) in [("admin", &app.client, "3"), ("leader", &leader, "*")] {
        for format in ["csv", "xlsx"] {
            let res = download(&app, client, &with_format(&list, format), "zh").await;
            let bytes = res.bytes().await.unwrap();
            let rows = match format {
                "csv" => csv_rows(&bytes),
                _ => xlsx_rows(bytes.to_vec()),
            };
            assert_eq!(column(&rows, "数值"), [shown], "{who} {format}");
        }
        let rows = csv_of(&app, client, &series).await;
        let at = rows
            .iter()
            .position(|r| r[0] == month && r[1] == Indicator::JuvenileThefts.label(Lang::Zh))
            .expect("the month's point");
        assert_eq!(rows[at][2], shown, "{who}: the aggregate");
    }
}

#[tokio::test]
async fn a_school_name_that_looks_like_a_formula_is_neutralised() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "三井派出所").await;
    let (district,): (i64,) = sqlx::query_as("SELECT district_id FROM stations WHERE id = $1")
        .bind(station)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let name = "=cmd|' /C calc'!A0";
    let res = app
        .post_json(
            "/api/v1/schools",
            &json!({"code": "EVIL-1", "name": name, "kind": "primary", "district_id": district,
                    "station_id": station, "enrolments": [{"school_year": 2025, "students": 10}]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let list = "/api/v1/schools?q=cmd";
    let rows = csv_of(&app, &app.client, list).await;
    assert_eq!(
        column(&rows, "学校名称"),
        [format!("'{name}")],
        "CSV: text, not a formula"
    );
    let res = app.get(&with_format(list, "xlsx")).await;
    let bytes = res.bytes().await.unwrap().to_vec();
    let sheet = xlsx_rows(bytes.clone());
    assert_eq!(
        column(&sheet, "学校名称"),
        [name],
        "Excel: a string cell, as typed"
    );
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet_name = workbook.sheet_names()[0].clone();
    let formulas = workbook.worksheet_formula(&sheet_name).unwrap();
    assert!(
        formulas.cells().all(|(_, _, f)| f.is_empty()),
        "no formula in the workbook"
    );
}

#[tokio::test]
async fn a_format_the_server_does_not_write_is_a_400_naming_format() {
    let app = spawn_app().await;
    for path in ENDPOINTS {
        let res = app.get(&with_format(path, "pdf")).await;
        assert_eq!(res.status(), 400, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], "format", "{path}: {body}");
    }
    let anonymous = humiao_tests::cookie_client();
    for path in ["/api/v1/sessions", "/api/v1/aggregates/audience"] {
        let res = download(&app, &anonymous, &with_format(path, "csv"), "zh").await;
        assert_eq!(res.status(), 401, "{path}");
    }
}

#[tokio::test]
async fn an_aggregate_filtered_by_session_format_is_exported_with_both_formats_given() {
    let app = spawn_app().await;
    let path = "/api/v1/aggregates/reach?group_by=format";
    let filtered: Value = app.get_json(&format!("{path}&format=class_talk")).await;
    let rows = csv_of(&app, &app.client, &format!("{path}&format=class_talk")).await;
    let keys = column(&rows, "分组");
    let expected: Vec<String> = filtered
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys, expected);
    assert!(keys.iter().all(|k| k == "class_talk"), "{keys:?}");
}
