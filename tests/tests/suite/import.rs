//! Imports from XLSX and CSV (`/api/v1/imports/{kind}`): the template round trip, dry runs
//! that store nothing and list every problem where Excel shows it, all-or-nothing imports,
//! a second import of the same file adding nothing, 855 schools at once, the importer's
//! scope, and files that must be fixed first, each with a clear 4xx and no change.

use calamine::{Data, Reader, Xlsx};
use humiao_server::clock;
use humiao_shared::import::ImportKind;
use humiao_shared::Lang;
use humiao_tests::{assert_rollup_matches_sessions, spawn_app, spawn_empty_app, TestApp};
use reqwest::header;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::{json, Value};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv";

/// Sends a file as `client`; the status and the JSON answer.
async fn upload_as(
    client: &reqwest::Client,
    app: &TestApp,
    kind: &str,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let res = client
        .post(format!("{}/api/v1/imports/{kind}{query}", app.url))
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("request sent");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn upload(
    app: &TestApp,
    kind: &str,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    upload_as(&app.client, app, kind, query, content_type, body).await
}

/// CSV text from rows of cells (the tests' cells hold no commas or quotes).
fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    rows.iter()
        .map(|r| r.join(","))
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes()
}

/// An XLSX workbook with the rows on its first sheet.
fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).expect("cell");
        }
    }
    book.save_to_buffer().expect("workbook")
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn headers(kind: ImportKind, lang: Lang) -> Vec<String> {
    kind.columns()
        .iter()
        .map(|c| c.header(lang).to_string())
        .collect()
}

/// The problems of an answer as (row, column, code), in the answer's order.
fn problems(answer: &Value) -> Vec<(Option<u64>, Option<String>, String)> {
    answer["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["row"].as_u64(),
                p["column"].as_str().map(str::to_string),
                p["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn problem(row: u64, column: Option<&str>, code: &str) -> (Option<u64>, Option<String>, String) {
    (Some(row), column.map(str::to_string), code.to_string())
}

async fn total(app: &TestApp, path: &str) -> i64 {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "GET {path}");
    res.headers()["X-Total-Count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// A school row of the demo's 天宁 district and 雕庄 station.
fn school(code: &str) -> Vec<String> {
    row(&[
        code,
        &format!("导入测试学校{code}"),
        "小学",
        "天宁分局",
        "雕庄派出所",
        "2025",
        "300",
    ])
}

#[tokio::test]
async fn a_downloaded_template_filled_in_and_uploaded_stores_its_rows_in_either_language_and_format(
) {
    let app = spawn_app().await;
    let cases = [
        ("xlsx", Lang::Zh, "zh-CN"),
        ("xlsx", Lang::En, "en"),
        ("csv", Lang::Zh, "zh-CN"),
        ("csv", Lang::En, "en-US,en"),
    ];
    for (n, (format, lang, accept)) in cases.into_iter().enumerate() {
        let res = app
            .client
            .get(format!(
                "{}/api/v1/imports/stations/template?format={format}",
                app.url
            ))
            .header(header::ACCEPT_LANGUAGE, accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{format} {accept}");
        assert!(res.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attachment"));
        let template = res.bytes().await.unwrap().to_vec();
        let rows = [
            row(&[
                &format!("TPL{n}A"),
                &format!("模板所{n}甲"),
                "天宁分局",
                "关爱站",
            ]),
            row(&[&format!("TPL{n}B"), &format!("模板所{n}乙"), "TN", ""]),
        ];
        let (content_type, filled) = if format == "xlsx" {
            let mut book: Xlsx<_> =
                Xlsx::new(std::io::Cursor::new(template)).expect("an XLSX template");
            let first = book.sheet_names()[0].clone();
            let sheet = book.worksheet_range(&first).expect("first sheet");
            // The header and the example row, kept as they came, then the rows filled in.
            let mut all: Vec<Vec<String>> = sheet
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::String(s) => s.clone(),
                            Data::Empty => String::new(),
                            other => panic!("template cell {other:?}"),
                        })
                        .collect()
                })
                .collect();
            assert_eq!(
                all[0],
                headers(ImportKind::Stations, lang),
                "{format} {accept}"
            );
            assert_eq!(all.len(), 2, "the header and the example row");
            all.extend(rows.iter().cloned());
            (XLSX, xlsx(&all))
        } else {
            let text = String::from_utf8(template).expect("UTF-8");
            let text = text
                .strip_prefix('\u{feff}')
                .expect("a byte-order mark for Excel");
            assert_eq!(
                text.lines().next().unwrap_or_default(),
                headers(ImportKind::Stations, lang).join(",")
            );
            assert_eq!(text.lines().count(), 2, "the header and the example row");
            let mut filled = format!("\u{feff}{text}").into_bytes();
            filled.extend(csv(&rows));
            (CSV, filled)
        };
        let (status, report) = upload(&app, "stations", "", content_type, filled).await;
        assert_eq!(status, 200, "{format} {accept}: {report}");
        assert_eq!(
            (report["stored"].as_bool(), report["added"].as_u64()),
            (Some(true), Some(2))
        );
        assert_eq!(
            report["skipped"],
            json!([{"row": 2, "reason": "example", "message": humiao_shared::import::SkipReason::Example.message(Lang::Zh)}]),
            "{format} {accept}: the example row is skipped"
        );
        let stored = app.get_json(&format!("/api/v1/stations?q=TPL{n}")).await;
        let names: Vec<&str> = stored
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [format!("模板所{n}甲"), format!("模板所{n}乙")],
            "{format} {accept}"
        );
        assert_eq!(stored[0]["workstation"], "关爱站");
    }
}

#[tokio::test]
async fn a_dry_run_stores_nothing_and_lists_every_problem_by_row_and_column() {
    let app = spawn_app().await;
    let before = app.count("schools").await;
    let mut rows = vec![headers(ImportKind::Schools, Lang::Zh)];
    rows.push(school("IMP-1"));
    rows.push(school("IMP 2"));
    rows.push(row(&[
        "IMP-3",
        "某校",
        "大学",
        "天宁分局",
        "不存在派出所",
        "",
        "",
    ]));
    rows.push(row(&[
        "IMP-4",
        "",
        "初中",
        "天宁分局",
        "雕庄派出所",
        "2025",
        "-5",
    ]));
    rows.push(school("IMP-1"));
    let file = csv(&rows);

    let (status, report) = upload(&app, "schools", "?dry_run=true", CSV, file.clone()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["stored"], false);
    assert_eq!(
        (report["rows"].as_u64(), report["added"].as_u64()),
        (Some(5), Some(1))
    );
    // Row by row, and left to right within a row, as the user reads the file.
    assert_eq!(
        problems(&report),
        [
            problem(3, Some("学校编码"), "invalid_code"),
            problem(4, Some("学校类型"), "unknown_value"),
            problem(4, Some("所属派出所"), "unknown_name"),
            problem(5, Some("学校名称"), "required"),
            problem(5, Some("在册学生数"), "negative"),
            (Some(6), None, "repeated_row".to_string()),
        ]
    );
    assert_eq!(report["problem_count"], 6);
    assert_eq!(
        app.count("schools").await,
        before,
        "a dry run stores nothing"
    );

    // The real import finds the same problems, answers 422 and stores nothing either; the
    // messages come in English when asked for.
    let res = app
        .client
        .post(format!("{}/api/v1/imports/schools", app.url))
        .header(header::CONTENT_TYPE, CSV)
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(file)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["stored"], false);
    assert_eq!(report["problem_count"], 6);
    let unknown = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "unknown_name")
        .unwrap();
    let message = unknown["message"].as_str().unwrap();
    // No station is called anything like it: the first ten by name, and how many more.
    assert!(
        message.starts_with("No record has this name or code; accepted: "),
        "{message}"
    );
    assert!(message.ends_with(" more"), "{message}");
    assert_eq!(app.count("schools").await, before);
}

#[tokio::test]
async fn one_bad_row_among_a_hundred_stores_nothing_and_the_fixed_file_stores_all() {
    let app = spawn_app().await;
    let before = app.count("schools").await;
    let mut rows = vec![headers(ImportKind::Schools, Lang::Zh)];
    rows.extend((1..=100).map(|i| school(&format!("HUNDRED-{i}"))));
    rows[60][4] = "没有这个派出所".into();
    let (status, report) = upload(&app, "schools", "", XLSX, xlsx(&rows)).await;
    assert_eq!(status, 422, "{report}");
    assert_eq!(
        problems(&report),
        [problem(61, Some("所属派出所"), "unknown_name")]
    );
    assert_eq!(app.count("schools").await, before, "nothing stored");

    rows[60][4] = "雕庄派出所".into();
    let (status, report) = upload(&app, "schools", "", XLSX, xlsx(&rows)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["added"], 100);
    assert_eq!(app.count("schools").await, before + 100);
    let stored = app
        .get_json(
            "/api/v1/schools?q=%E5%AF%BC%E5%85%A5%E6%B5%8B%E8%AF%95%E5%AD%A6%E6%A0%A1HUNDRED-61",
        )
        .await;
    assert_eq!(
        stored[0]["enrolments"],
        json!([{"school_year": 2025, "students": 300}])
    );

    // One import, one audit entry naming who imported what.
    let audit = app.get_json("/api/v1/audit?resource=schools").await;
    let entry = &audit[0];
    assert_eq!(
        (entry["action"].as_str(), entry["actor"].as_str()),
        (Some("import"), Some("admin"))
    );
    assert_eq!(entry["after"]["added"], 100);
    assert_eq!(entry["after"]["ids"].as_array().map(Vec::len), Some(100));
}

/// A sessions file of 40 rows at 雕庄派出所, each one another session, over the last 20 days.
fn forty_sessions() -> Vec<Vec<String>> {
    let mut rows = vec![headers(ImportKind::Sessions, Lang::En)];
    for i in 0..40 {
        // Campaign left blank: the one whose window holds the date. Half are held at the
        // school, each on another day; half elsewhere, each at another place.
        let day = (clock::today() - chrono::Duration::days(i as i64 / 2)).to_string();
        let (school, venue, format) = if i % 2 == 0 {
            ("雕庄小学", String::new(), "课堂宣讲")
        } else {
            ("", format!("社区活动中心{i}"), "other")
        };
        let topics = if i % 4 == 0 {
            "防溺水"
        } else {
            "drowning、traffic"
        };
        let students = (10 + i).to_string();
        rows.push(row(&[
            "",
            "雕庄派出所",
            school,
            &venue,
            &day,
            format,
            topics,
            &students,
            "2",
            "1",
            "",
            "",
            "45",
            "张警官",
            "",
        ]));
    }
    rows
}

#[tokio::test]
async fn one_file_uploaded_three_times_at_once_adds_its_rows_once() {
    let app = spawn_app().await;
    let file = xlsx(&forty_sessions());
    let before = app.count("sessions").await;
    // A retry sent while the first upload is still storing, and another on top.
    let answers = futures_util::future::join_all(
        (0..3).map(|_| upload(&app, "sessions", "", XLSX, file.clone())),
    )
    .await;
    let mut added = 0;
    for (status, answer) in &answers {
        assert_eq!(*status, 200, "{answer}");
        added += answer["added"].as_u64().unwrap();
    }
    assert_eq!(added, 40, "{answers:?}");
    assert_eq!(app.count("sessions").await, before + 40);
    assert_rollup_matches_sessions(&app.db).await;
}

#[tokio::test]
async fn importing_the_same_sessions_twice_adds_nothing_the_second_time() {
    let app = spawn_app().await;
    let mut rows = forty_sessions();
    let campaign_start = app
        .get_json(&format!(
            "/api/v1/campaigns/{}",
            app.current_campaign().await
        ))
        .await["starts_on"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        campaign_start.as_str()
            <= (clock::today() - chrono::Duration::days(20))
                .to_string()
                .as_str(),
        "the rows' days are in this year's campaign"
    );
    let file = xlsx(&rows);
    let before = app.count("sessions").await;

    let (status, first) = upload(&app, "sessions", "", XLSX, file.clone()).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        (first["added"].as_u64(), first["unchanged"].as_u64()),
        (Some(40), Some(0))
    );
    assert_eq!(app.count("sessions").await, before + 40);

    let (status, second) = upload(&app, "sessions", "", XLSX, file).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(
        (second["added"].as_u64(), second["unchanged"].as_u64()),
        (Some(0), Some(40))
    );
    assert_eq!(app.count("sessions").await, before + 40);

    // A row whose session is stored with other counts is kept as stored, not overwritten.
    rows[1][7] = "999".into();
    let (status, third) = upload(&app, "sessions", "?dry_run=true", XLSX, xlsx(&rows)).await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            third["added"].as_u64(),
            third["unchanged"].as_u64(),
            third["present"].as_u64()
        ),
        (Some(0), Some(39), Some(1))
    );
    assert_rollup_matches_sessions(&app.db).await;
}

#[tokio::test]
async fn all_855_schools_of_a_city_import_at_once_into_an_empty_database() {
    let app = spawn_empty_app().await;
    let res = app
        .post_json(
            "/api/v1/districts",
            &json!({"code": "TN", "name": "天宁分局", "sort_order": 1}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let mut stations = vec![headers(ImportKind::Stations, Lang::Zh)];
    stations
        .extend((1..=87).map(|i| row(&[&format!("S{i:02}"), &format!("第{i}派出所"), "TN", ""])));
    let (status, report) = upload(&app, "stations", "", CSV, csv(&stations)).await;
    assert_eq!(
        (status, report["added"].as_u64()),
        (200, Some(87)),
        "{report}"
    );

    let mut schools = vec![headers(ImportKind::Schools, Lang::En)];
    schools.extend((1..=855).map(|i| {
        let kind = ["primary", "junior", "九年一贯制"][i % 3];
        row(&[
            &format!("SCH{i:03}"),
            &format!("第{i}学校"),
            kind,
            "天宁分局",
            &format!("S{:02}", i % 87 + 1),
            "2025",
            &format!("{}", 200 + i),
        ])
    }));
    let (status, report) = upload(&app, "schools", "", XLSX, xlsx(&schools)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["rows"].as_u64(), report["added"].as_u64()),
        (Some(855), Some(855))
    );
    assert_eq!(total(&app, "/api/v1/schools").await, 855);
    let last = app
        .get_json("/api/v1/schools?q=%E7%AC%AC855%E5%AD%A6%E6%A0%A1")
        .await;
    assert_eq!(
        (last[0]["code"].as_str(), last[0]["enrolment"].as_i64()),
        (Some("SCH855"), Some(1055))
    );
}

#[tokio::test]
async fn an_officer_imports_their_own_stations_sessions_and_a_row_of_another_station_is_refused() {
    let app = spawn_app().await;
    let officer = app.client_as("officer.diaozhuang").await;
    let today = clock::today().to_string();
    let mut rows = vec![headers(ImportKind::Sessions, Lang::Zh)];
    rows.push(row(&[
        "",
        "",
        "",
        "本所警营",
        &today,
        "警营开放日",
        "防溺水",
        "20",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]));
    rows.push(row(&[
        "",
        "三井派出所",
        "",
        "三井社区",
        &today,
        "其他",
        "防溺水",
        "20",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]));
    let before = app.count("sessions").await;
    let (status, report) = upload_as(&officer, &app, "sessions", "", CSV, csv(&rows)).await;
    assert_eq!(status, 422, "{report}");
    assert_eq!(
        problems(&report),
        [problem(3, Some("派出所"), "outside_scope")]
    );
    assert_eq!(app.count("sessions").await, before);

    // The station left blank is the officer's own.
    rows.pop();
    let (status, report) = upload_as(&officer, &app, "sessions", "", CSV, csv(&rows)).await;
    assert_eq!(
        (status, report["added"].as_u64()),
        (200, Some(1)),
        "{report}"
    );
    let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
    let (station,): (i64,) =
        sqlx::query_as("SELECT station_id FROM sessions WHERE venue = '本所警营'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(station, diaozhuang);
}

#[tokio::test]
async fn a_school_imports_its_own_confirmations_only() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let (title, opens, closes): (String, String, String) = sqlx::query_as(
        "SELECT title, opens_on, closes_on FROM screening_assignments WHERE campaign_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT 1",
    )
    .bind(campaign)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (film,): (String,) = sqlx::query_as(
        "SELECT f.title FROM films f JOIN assignment_films af ON af.film_id = f.id
         JOIN screening_assignments a ON a.id = af.assignment_id WHERE a.title = $1 AND a.campaign_id = $2 ORDER BY f.id LIMIT 1",
    )
    .bind(&title)
    .bind(campaign)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let today = clock::today().to_string();
    let day = if closes < today { closes } else { today };
    assert!(opens <= day, "this year's assignment is open");
    let year = chrono::Datelike::year(&clock::today()).to_string();
    let mut rows = vec![headers(ImportKind::Confirmations, Lang::Zh)];
    rows.push(row(&[
        &year,
        &title,
        "",
        &film,
        &day,
        "30",
        "10",
        "1",
        "集中观看",
    ]));
    rows.push(row(&[
        &year,
        &title,
        "博爱小学",
        &film,
        &day,
        "30",
        "10",
        "1",
        "集中观看",
    ]));
    let school = app.client_as("school.diaozhuang").await;
    let (status, report) = upload_as(
        &school,
        &app,
        "confirmations",
        "?dry_run=true",
        CSV,
        csv(&rows),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        problems(&report),
        [problem(3, Some("学校"), "outside_scope")]
    );
    assert_eq!(report["rows"], 2);
}

#[tokio::test]
async fn leaders_may_not_import_and_anonymous_requests_must_sign_in() {
    let app = spawn_app().await;
    let anonymous = humiao_tests::cookie_client();
    let leader = app.client_as("leader").await;
    let officer = app.client_as("officer.diaozhuang").await;
    let school = app.client_as("school.boai").await;
    let file = csv(&[headers(ImportKind::Sessions, Lang::Zh)]);
    let cases: [(&reqwest::Client, &str, u16); 8] = [
        (&anonymous, "sessions", 401),
        (&leader, "sessions", 403),
        (&leader, "schools", 403),
        (&officer, "schools", 403),
        (&officer, "confirmations", 403),
        (&school, "sessions", 403),
        (&school, "speakers", 403),
        (&app.client, "nonsense", 404),
    ];
    for (client, kind, want) in cases {
        let (status, _) = upload_as(client, &app, kind, "", CSV, file.clone()).await;
        assert_eq!(status, want, "upload {kind}");
        let res = client
            .get(format!("{}/api/v1/imports/{kind}/template", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), want, "template {kind}");
    }
}

/// An XLSX workbook built by `fill`, for the files a person must fix.
fn workbook(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    fill(book.add_worksheet());
    book.save_to_buffer().expect("workbook")
}

#[tokio::test]
async fn a_file_that_must_be_fixed_first_gets_a_clear_4xx_and_changes_nothing() {
    let app = spawn_app().await;
    let header = headers(ImportKind::Stations, Lang::Zh);
    let write_header = |sheet: &mut rust_xlsxwriter::Worksheet| {
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, h).unwrap();
        }
    };
    let formula = workbook(|sheet| {
        write_header(sheet);
        sheet.write_string(1, 0, "F1").unwrap();
        sheet.write_string(2, 0, "F2").unwrap();
        sheet.write_formula(2, 1, "=A2&\"派出所\"").unwrap();
    });
    let merged = workbook(|sheet| {
        write_header(sheet);
        sheet
            .merge_range(2, 1, 3, 1, "合并", &Format::new())
            .unwrap();
    });
    let empty = workbook(|_| {});
    // 学校,名称 in GBK, as Excel on a Chinese Windows saves "CSV (comma delimited)".
    let gbk_header: &[u8] = b"\xd1\xa7\xd0\xa3,\xc3\xfb\xb3\xc6\r\n1,2\r\n";
    let gbk = gbk_header.to_vec();
    let template = format!("{}\r\nX9,某所,天宁分局,\r\n", header.join(","));
    let gbk_template = encoding_rs::GBK.encode(&template).0.into_owned();
    let too_large = vec![b'a'; 50 * 1024 * 1024];
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0".to_vec();
    let wrong_columns = "派出所编码,电话,Station code\nX1,123,X1\n"
        .as_bytes()
        .to_vec();

    type Case = (
        &'static str,
        &'static str,
        Vec<u8>,
        u16,
        &'static str,
        Vec<(Option<u64>, Option<String>, String)>,
    );
    let cases: Vec<Case> = vec![
        (
            "wrong columns",
            CSV,
            wrong_columns,
            422,
            "wrong_columns",
            vec![
                problem(1, Some("派出所名称"), "missing_column"),
                problem(1, Some("所属分局"), "missing_column"),
                problem(1, Some("电话"), "unknown_column"),
                problem(1, Some("Station code"), "repeated_column"),
            ],
        ),
        ("GBK text", CSV, gbk, 422, "not_utf8", vec![]),
        (
            "the template's headers in GBK",
            CSV,
            gbk_template,
            422,
            "not_utf8",
            vec![],
        ),
        (
            "a formula",
            XLSX,
            formula,
            422,
            "unsupported_cells",
            vec![problem(3, Some("B3"), "formula")],
        ),
        (
            "merged cells",
            XLSX,
            merged,
            422,
            "unsupported_cells",
            vec![problem(3, Some("B3:B4"), "merged_cells")],
        ),
        ("an empty sheet", XLSX, empty, 422, "no_rows", vec![]),
        (
            "a header and no rows",
            CSV,
            csv(std::slice::from_ref(&header)),
            422,
            "no_rows",
            vec![],
        ),
        ("50 MB", CSV, too_large, 413, "payload_too_large", vec![]),
        (
            "a picture",
            "image/png",
            png,
            415,
            "unsupported_file",
            vec![],
        ),
        (
            "an old .xls",
            "application/vnd.ms-excel",
            xls,
            415,
            "old_excel_format",
            vec![],
        ),
        ("nothing", CSV, Vec::new(), 400, "empty_file", vec![]),
    ];
    let stations = app.count("stations").await;
    let audit = app.count("audit_log").await;
    for (what, content_type, body, status, code, listed) in cases {
        let (got, answer) = upload(&app, "stations", "", content_type, body).await;
        assert_eq!(
            (got, answer["code"].as_str()),
            (status, Some(code)),
            "{what}: {answer}"
        );
        assert!(
            !answer["message"].as_str().unwrap_or_default().is_empty(),
            "{what} says what to do"
        );
        assert_eq!(problems(&answer), listed, "{what}");
    }
    let gbk_message = upload(&app, "stations", "", CSV, gbk_header.to_vec())
        .await
        .1;
    assert!(
        gbk_message["message"].as_str().unwrap().contains("UTF-8"),
        "{gbk_message}"
    );
    assert_eq!(app.count("stations").await, stations, "nothing stored");
    assert_eq!(app.count("audit_log").await, audit, "nothing changed");
}

#[tokio::test]
async fn speakers_of_a_course_import_with_their_days_and_a_second_import_adds_none() {
    let app = spawn_app().await;
    let (title, starts, ends): (String, String, String) = sqlx::query_as(
        "SELECT title, starts_on, ends_on FROM trainings WHERE title = '2024年宣讲员培训班'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let days = format!("{starts}、{}", ends.replace('-', "/"));
    let mut rows = vec![headers(ImportKind::Speakers, Lang::Zh)];
    rows.push(row(&[&title, "王导入", "雕庄派出所", &days, "是"]));
    rows.push(row(&[&title, "李导入", "三井派出所", &starts, "否"]));
    rows.push(row(&[&title, "赵导入", "三井派出所", "2024-01-01", "也许"]));
    let (status, report) = upload(&app, "speakers", "", CSV, csv(&rows)).await;
    assert_eq!(status, 422, "{report}");
    assert_eq!(
        problems(&report),
        [
            problem(4, Some("参训日期"), "outside_course"),
            problem(4, Some("是否结业"), "not_a_boolean"),
        ]
    );
    rows.pop();
    let (status, report) = upload(&app, "speakers", "", CSV, csv(&rows)).await;
    assert_eq!(
        (status, report["added"].as_u64()),
        (200, Some(2)),
        "{report}"
    );
    let wang = app
        .get_json("/api/v1/trainees?completed=true&limit=200")
        .await;
    let wang = wang
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "王导入")
        .expect("stored");
    assert_eq!(wang["days_attended"], json!([starts, ends]));

    let (status, report) = upload(&app, "speakers", "", CSV, csv(&rows)).await;
    assert_eq!(
        (
            status,
            report["added"].as_u64(),
            report["unchanged"].as_u64()
        ),
        (200, Some(0), Some(2))
    );
}
