//! Imports of the spreadsheets people keep (issue 16): a school list as a bureau keeps it
//! (a merged title, a 填报单位/日期 line, the header on row 3, a 合计 row at the end, school
//! years as 2025-2026, numbers as 1,185 or in full width), sessions dated 2024年7月24日,
//! problems that list what a choice accepts, and templates that carry an example row.
//! Each test makes its files itself.

use humiao_server::clock;
use humiao_shared::import::ImportKind;
use humiao_shared::Lang;
use humiao_tests::{spawn_app, TestApp};
use reqwest::header;
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};
use serde_json::Value;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv";

async fn upload(
    app: &TestApp,
    kind: &str,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let res = app
        .client
        .post(format!("{}/api/v1/imports/{kind}{query}", app.url))
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("request sent");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn headers(kind: ImportKind) -> Vec<String> {
    kind.columns()
        .iter()
        .map(|c| c.header(Lang::Zh).to_string())
        .collect()
}

fn write_row(sheet: &mut Worksheet, row: u32, cells: &[&str]) {
    for (c, cell) in cells.iter().enumerate() {
        if !cell.is_empty() {
            sheet.write_string(row, c as u16, *cell).expect("cell");
        }
    }
}

/// The skipped rows of a report as (row, reason).
fn skipped(report: &Value) -> Vec<(u64, String)> {
    report["skipped"]
        .as_array()
        .expect("skipped rows")
        .iter()
        .map(|s| {
            (
                s["row"].as_u64().unwrap(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The problems of an answer as (row, column, code, message).
fn problems(answer: &Value) -> Vec<(u64, String, String, String)> {
    answer["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap_or_default(),
                p["column"].as_str().unwrap_or_default().to_string(),
                p["code"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The schools of the list: code, school year and students on roll as the bureau wrote them.
const KEPT: [(&str, &str, &str); 5] = [
    ("KEPT-1", "2025-2026", "1,185"),
    ("KEPT-2", "2025—2026学年", "１２０"),
    ("KEPT-3", "2025/2026", "1，000"),
    ("KEPT-4", "2025", "300"),
    ("KEPT-5", "2025-26", "85"),
];
/// Their sum: 1,185 + 120 + 1,000 + 300 + 85.
const KEPT_SUM: i64 = 2690;

/// A school list as 天宁分局 keeps it: a title merged over the columns, a 填报单位/日期 line,
/// the header on row 3, the schools on rows 4–8, the 合计 (merged A9:E9) on row 9 with the
/// students' total as `=SUM(…)` showing `total`; `merge_data` merges two of the schools'
/// district cells, as some bureaus do.
fn school_list(total: i64, merge_data: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    sheet
        .merge_range(0, 0, 0, 6, "天宁分局辖区学校名单（2025学年）", &plain)
        .unwrap();
    sheet.write_string(1, 0, "填报单位：天宁分局").unwrap();
    sheet.write_string(1, 5, "日期：2025年9月1日").unwrap();
    let header = headers(ImportKind::Schools);
    let header: Vec<&str> = header.iter().take(7).map(String::as_str).collect();
    write_row(sheet, 2, &header);
    for (i, (code, year, students)) in KEPT.iter().enumerate() {
        let name = format!("常州市{code}小学");
        write_row(
            sheet,
            3 + i as u32,
            &[
                code,
                &name,
                "小学",
                "天宁分局",
                "雕庄派出所",
                year,
                students,
            ],
        );
    }
    if merge_data {
        sheet.merge_range(3, 3, 4, 3, "天宁分局", &plain).unwrap();
    }
    sheet.merge_range(8, 0, 8, 4, "合  计", &plain).unwrap();
    sheet
        .write_formula(
            8,
            6,
            Formula::new("=SUM(G4:G8)").set_result(total.to_string()),
        )
        .unwrap();
    book.save_to_buffer().expect("workbook")
}

#[tokio::test]
async fn a_school_list_as_a_bureau_keeps_it_imports_every_school_and_says_what_it_skipped() {
    let app = spawn_app().await;
    let before = app.count("schools").await;

    // The 合计 checked: one that is not the sum is a problem naming both figures.
    let wrong = school_list(2700, false);
    let (status, report) = upload(&app, "schools", "?dry_run=true", XLSX, wrong.clone()).await;
    assert_eq!(status, 200, "{report}");
    let listed = problems(&report);
    assert_eq!(listed.len(), 1, "{report}");
    let (row, column, code, message) = &listed[0];
    assert_eq!(
        (*row, column.as_str(), code.as_str()),
        (9, "在册学生数", "total_mismatch")
    );
    assert!(
        message.contains("2,700") && message.contains("2,690"),
        "both figures: {message}"
    );
    let (status, _) = upload(&app, "schools", "", XLSX, wrong).await;
    assert_eq!(status, 422, "a total that disagrees stores nothing");
    assert_eq!(app.count("schools").await, before);

    // Merged cells inside the rows of data are still refused, named as Excel shows them.
    let (status, answer) = upload(&app, "schools", "", XLSX, school_list(KEPT_SUM, true)).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("unsupported_cells"))
    );
    let listed: Vec<(u64, String, String)> = problems(&answer)
        .into_iter()
        .map(|(r, c, code, _)| (r, c, code))
        .collect();
    assert_eq!(
        listed,
        [(4, "D4:D5".to_string(), "merged_cells".to_string())]
    );

    // The list as kept: the dry run reads all five schools and says what it left out.
    let file = school_list(KEPT_SUM, false);
    let (status, report) = upload(&app, "schools", "?dry_run=true", XLSX, file.clone()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["problem_count"], 0, "{report}");
    assert_eq!(
        (report["rows"].as_u64(), report["added"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(
        skipped(&report),
        [
            (1, "title".to_string()),
            (2, "title".to_string()),
            (9, "total".to_string())
        ]
    );
    assert!(report["skipped"][2]["message"]
        .as_str()
        .unwrap()
        .contains("合计"));

    let (status, report) = upload(&app, "schools", "", XLSX, file).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["stored"].as_bool(), report["added"].as_u64()),
        (Some(true), Some(5))
    );
    assert_eq!(app.count("schools").await, before + 5);
    let stored = app.get_json("/api/v1/schools?q=KEPT-").await;
    let mut rolls: Vec<(String, i64, i64)> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let roll = &s["enrolments"][0];
            (
                s["code"].as_str().unwrap().to_string(),
                roll["school_year"].as_i64().unwrap(),
                roll["students"].as_i64().unwrap(),
            )
        })
        .collect();
    rolls.sort();
    let want: Vec<(String, i64, i64)> = [1185, 120, 1000, 300, 85]
        .iter()
        .enumerate()
        .map(|(i, n)| (format!("KEPT-{}", i + 1), 2025, *n))
        .collect();
    assert_eq!(rolls, want);
}

#[tokio::test]
async fn school_years_that_are_not_one_year_to_the_next_are_refused_with_what_to_write() {
    let app = spawn_app().await;
    let header = headers(ImportKind::Schools)[..7].join(",");
    let file = format!("{header}\nYEAR-1,常州市学年小学,小学,天宁分局,雕庄派出所,2025-2027,300\n");
    let (status, report) = upload(&app, "schools", "?dry_run=true", CSV, file.into_bytes()).await;
    assert_eq!(status, 200, "{report}");
    let listed = problems(&report);
    assert_eq!(
        (listed[0].0, listed[0].1.as_str(), listed[0].2.as_str()),
        (2, "学年", "not_a_school_year")
    );
    assert!(listed[0].3.contains("2025-2026"), "{}", listed[0].3);
}

#[tokio::test]
async fn sessions_dated_in_chinese_with_full_width_counts_import() {
    let app = spawn_app().await;
    let chinese = |days: i64| {
        let day = clock::today() - chrono::Duration::days(days);
        use chrono::Datelike;
        format!("{}年{}月{}日", day.year(), day.month(), day.day())
    };
    let mut rows = vec![headers(ImportKind::Sessions)];
    for (n, (day, students, parents)) in [(chinese(1), "１２０", "２"), (chinese(2), "1,020", "0")]
        .into_iter()
        .enumerate()
    {
        let venue = format!("全角社区中心{n}");
        rows.push(
            [
                "",
                "雕庄派出所",
                "",
                &venue,
                &day,
                "课堂宣讲",
                "防溺水",
                students,
                parents,
                "３",
                "",
                "是",
                "４５",
                "张警官",
                "",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        );
    }
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        write_row(sheet, r as u32, &cells);
    }
    let file = book.save_to_buffer().unwrap();
    let before = app.count("sessions").await;
    let (status, report) = upload(&app, "sessions", "", XLSX, file).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["added"], 2, "{report}");
    assert_eq!(app.count("sessions").await, before + 2);
    let stored: Vec<(String, i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT held_on, students, parents, teachers, duration_minutes FROM sessions
         WHERE venue LIKE '全角社区中心%' ORDER BY venue",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let day = |days: i64| (clock::today() - chrono::Duration::days(days)).to_string();
    assert_eq!(
        stored,
        [
            (day(1), 120, 2, 3, Some(45)),
            (day(2), 1020, 0, 3, Some(45)),
        ]
    );
}

#[tokio::test]
async fn a_choice_that_does_not_exist_lists_what_would_be_accepted() {
    let app = spawn_app().await;
    let header = headers(ImportKind::Schools)[..7].join(",");
    let file = format!("{header}\nCHOICE-1,常州市选项小学,大学,天宁分局,雕庄所,2025,300\n");
    let (status, report) = upload(
        &app,
        "schools",
        "?dry_run=true",
        CSV,
        file.clone().into_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let listed = problems(&report);
    let message_of = |column: &str| {
        listed
            .iter()
            .find(|p| p.1 == column)
            .map(|p| p.3.clone())
            .unwrap_or_else(|| panic!("a problem in {column}: {report}"))
    };
    assert_eq!(
        message_of("学校类型"),
        "所选项不存在；可填：小学、初中、九年一贯制、高中、中职、特殊教育、其他"
    );
    // Stations are many: the closest first, then how many there are.
    let stations = message_of("所属派出所");
    assert!(
        stations.starts_with("找不到这个名称或编码；可填：雕庄派出所、"),
        "{stations}"
    );
    assert!(stations.contains(" 等，共 "), "{stations}");

    // In English when asked.
    let res = app
        .client
        .post(format!("{}/api/v1/imports/schools?dry_run=true", app.url))
        .header(header::CONTENT_TYPE, CSV)
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(file)
        .send()
        .await
        .unwrap();
    let report: Value = res.json().await.unwrap();
    let kind = problems(&report)
        .into_iter()
        .find(|p| p.2 == "unknown_value")
        .expect("the kind's problem");
    assert!(
        kind.3.ends_with("accepted: Primary school, Junior secondary school, Nine-year school, Senior secondary school, Vocational school, Special education school, Other"),
        "{}",
        kind.3
    );
}

#[tokio::test]
async fn every_template_carries_an_example_row_that_an_import_skips() {
    let app = spawn_app().await;
    for kind in ImportKind::ALL {
        for format in ["xlsx", "csv"] {
            let res = app
                .get(&format!(
                    "/api/v1/imports/{}/template?format={format}",
                    kind.code()
                ))
                .await;
            assert_eq!(res.status(), 200);
            let template = res.bytes().await.unwrap().to_vec();
            let second_row: Vec<String> = if format == "xlsx" {
                use calamine::{Reader, Xlsx};
                let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(template.clone())).unwrap();
                let first = book.sheet_names()[0].clone();
                let range = book.worksheet_range(&first).unwrap();
                let row = range.rows().nth(1).expect("an example row");
                row.iter().map(|c| c.to_string()).collect()
            } else {
                let text = String::from_utf8(template.clone()).unwrap();
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(text.as_bytes());
                let row = reader.records().nth(1).expect("an example row").unwrap();
                row.iter().map(str::to_string).collect()
            };
            assert_eq!(second_row, kind.example(Lang::Zh), "{kind:?} {format}");
            assert!(second_row[0].starts_with("示例："), "{kind:?} {format}");

            // Sent back as it came, the template has no rows to import.
            let content_type = if format == "xlsx" { XLSX } else { CSV };
            let (status, answer) = upload(&app, kind.code(), "", content_type, template).await;
            assert_eq!(
                (status, answer["code"].as_str()),
                (422, Some("no_rows")),
                "{kind:?} {format}: {answer}"
            );
        }
    }
}
