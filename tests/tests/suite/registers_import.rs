//! The registers' import kinds (issue 18): a station's volunteers, and cases by code (an
//! officer's existing spreadsheet). The same machinery as every import — dry run, problems
//! by row and column, all or nothing, a second import adding nothing, the importer's scope —
//! and the free-text rule on every cell, a cell that names someone never echoed back.

use humiao_shared::import::ImportKind;
use humiao_shared::Lang;
use humiao_tests::{spawn_app, TestApp};
use reqwest::header;
use serde_json::{json, Value};

const CSV: &str = "text/csv";

async fn upload_as(
    client: &reqwest::Client,
    app: &TestApp,
    kind: &str,
    query: &str,
    rows: &[Vec<String>],
) -> (u16, Value) {
    let body = rows
        .iter()
        .map(|r| r.join(","))
        .collect::<Vec<_>>()
        .join("\r\n");
    let res = client
        .post(format!("{}/api/v1/imports/{kind}{query}", app.url))
        .header(header::CONTENT_TYPE, CSV)
        .body(body)
        .send()
        .await
        .expect("request sent");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn headers(kind: ImportKind) -> Vec<String> {
    kind.columns()
        .iter()
        .map(|c| c.header(Lang::Zh).to_string())
        .collect()
}

/// The Chinese header of a column.
fn title(kind: ImportKind, key: &str) -> String {
    kind.columns()
        .iter()
        .find(|c| c.key == key)
        .expect("a column")
        .header(Lang::Zh)
        .to_string()
}

/// The problems of an answer as (row, column, code), in the answer's order.
fn problems(answer: &Value) -> Vec<(u64, Option<String>, String)> {
    answer["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap_or_default(),
                p["column"].as_str().map(str::to_string),
                p["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn counts(report: &Value) -> (Option<u64>, Option<u64>, Option<u64>) {
    (
        report["added"].as_u64(),
        report["unchanged"].as_u64(),
        report["present"].as_u64(),
    )
}

async fn volunteers_of(app: &TestApp, station: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM volunteers WHERE station_id = $1")
        .bind(station)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn an_officer_imports_the_stations_volunteers_once_and_no_cell_names_anyone_else() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let officer = app.client_as("officer.diaozhuang").await;
    let kind = ImportKind::Volunteers;
    let before = volunteers_of(&app, station).await;

    let mut rows = vec![headers(kind)];
    // The station left blank: the officer's own.
    rows.push(row(&[
        "",
        "雕庄先锋队",
        "周导入",
        "139 0000 0001",
        "2024-03-01",
        "",
    ]));
    rows.push(row(&[
        "雕庄派出所",
        "雕庄先锋队",
        "吴导入",
        "13900000002",
        "2024/3/1",
        "",
    ]));
    // A phone typed into the team: refused, and not repeated in the report.
    rows.push(row(&[
        "",
        "先锋队 13812345678",
        "郑导入",
        "13900000003",
        "2024-03-01",
        "",
    ]));
    // Another station's volunteer is not the officer's to add.
    rows.push(row(&[
        "三井派出所",
        "三井先锋队",
        "王导入",
        "13900000004",
        "2024-03-01",
        "",
    ]));
    let (status, report) = upload_as(&officer, &app, "volunteers", "", &rows).await;
    assert_eq!(status, 422, "{report}");
    assert_eq!(
        problems(&report),
        [
            (4, Some(title(kind, "team")), "holds_phone_number".into()),
            (5, Some(title(kind, "station")), "outside_scope".into()),
        ]
    );
    assert!(!report.to_string().contains("13812345678"), "{report}");
    assert_eq!(volunteers_of(&app, station).await, before, "nothing stored");

    rows.truncate(3);
    let (status, report) = upload_as(&officer, &app, "volunteers", "?dry_run=true", &rows).await;
    assert_eq!((status, counts(&report).0), (200, Some(2)), "{report}");
    assert_eq!(
        volunteers_of(&app, station).await,
        before,
        "a dry run stores nothing"
    );

    let (status, report) = upload_as(&officer, &app, "volunteers", "", &rows).await;
    assert_eq!(
        (status, counts(&report)),
        (200, (Some(2), Some(0), Some(0))),
        "{report}"
    );
    assert_eq!(volunteers_of(&app, station).await, before + 2);
    let stored: Value = officer
        .get(format!(
            "{}/api/v1/volunteers?station_id={station}&limit=100",
            app.url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let zhou = stored
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "周导入")
        .expect("stored");
    assert_eq!(
        (&zhou["phone"], &zhou["active_from"], &zhou["team"]),
        (
            &json!("13900000001"),
            &json!("2024-03-01"),
            &json!("雕庄先锋队")
        )
    );

    // The same file again adds nothing; a changed team is kept as stored.
    rows[2][1] = "雕庄二队".into();
    let (status, report) = upload_as(&officer, &app, "volunteers", "", &rows).await;
    assert_eq!(
        (status, counts(&report)),
        (200, (Some(0), Some(1), Some(1))),
        "{report}"
    );
    assert_eq!(volunteers_of(&app, station).await, before + 2);

    // A leader imports no register.
    let leader = app.client_as("leader").await;
    let (status, _) = upload_as(&leader, &app, "volunteers", "", &rows).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn an_officers_spreadsheet_of_cases_by_code_opens_new_ones_and_never_overwrites() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let other = app.id_of("stations", "name", "三井派出所").await;
    let officer = app.client_as("officer.diaozhuang").await;
    let kind = ImportKind::Cases;
    let open = |station: i64, grade: &'static str| {
        let app = &app;
        async move {
            let res = app
                .post_json(
                    "/api/v1/cases",
                    &json!({"station_id": station, "birth_year": 2010, "sex": "male",
                            "category": "misbehaviour", "grade": grade,
                            "opened_on": "2024-03-01"}),
                )
                .await;
            assert_eq!(res.status(), 201);
            let case: Value = res.json().await.unwrap();
            case["code"].as_str().unwrap().to_string()
        }
    };
    let kept = open(station, "yellow").await;
    let regraded = open(station, "yellow").await;
    let elsewhere = open(other, "green").await;
    let cases_before = app.count("cases").await;

    let mut rows = vec![headers(kind)];
    // Row 2: as stored. Row 3: another grade, kept as stored. Row 4: no code, a new case.
    rows.push(row(&[
        &kept,
        "",
        "2010",
        "男",
        "不良行为",
        "黄",
        "2024-03-01",
        "",
        "",
    ]));
    rows.push(row(&[
        &regraded,
        "",
        "2010",
        "男",
        "不良行为",
        "红",
        "2024-03-01",
        "",
        "",
    ]));
    rows.push(row(&[
        "",
        "",
        "2011",
        "女",
        "辍学",
        "橙",
        "2024-05-10",
        "",
        "已联系学校",
    ]));
    // Row 5: a name in the note; row 6: an ID number where the birth year goes; row 7: a
    // code no case has; row 8: another station's case.
    rows.push(row(&[
        "",
        "",
        "2012",
        "女",
        "夜间游荡",
        "红",
        "2024-06-01",
        "",
        "姓名王小明",
    ]));
    rows.push(row(&[
        "",
        "",
        "320402201001011234",
        "男",
        "涉罪",
        "红",
        "2024-06-01",
        "",
        "",
    ]));
    rows.push(row(&[
        "TN99-2024-001",
        "",
        "2010",
        "男",
        "不良行为",
        "黄",
        "2024-03-01",
        "",
        "",
    ]));
    rows.push(row(&[
        &elsewhere,
        "",
        "2010",
        "男",
        "不良行为",
        "绿",
        "2024-03-01",
        "",
        "",
    ]));
    let (status, report) = upload_as(&officer, &app, "cases", "", &rows).await;
    assert_eq!(status, 422, "{report}");
    assert_eq!(
        problems(&report),
        [
            (5, Some(title(kind, "note")), "holds_name".into()),
            (6, Some(title(kind, "birth_year")), "holds_id_number".into()),
            (7, Some(title(kind, "code")), "unknown_name".into()),
            (8, Some(title(kind, "code")), "other_station".into()),
        ]
    );
    let said = report.to_string();
    assert!(
        !said.contains("王小明") && !said.contains("320402201001011234"),
        "{said}"
    );
    assert_eq!(app.count("cases").await, cases_before, "nothing stored");

    rows.truncate(4);
    let (status, report) = upload_as(&officer, &app, "cases", "", &rows).await;
    assert_eq!(
        (status, counts(&report)),
        (200, (Some(1), Some(1), Some(1))),
        "{report}"
    );
    assert_eq!(app.count("cases").await, cases_before + 1);
    // The new case got the station's next code; the regraded one kept its grade.
    let list: Value = officer
        .get(format!(
            "{}/api/v1/cases?station_id={station}&limit=100",
            app.url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    let new = list
        .iter()
        .find(|c| c["category"] == "dropout")
        .expect("opened");
    let (prefix, number) = regraded.rsplit_once('-').unwrap();
    let next: u32 = number.parse::<u32>().unwrap() + 1;
    assert_eq!(new["code"], format!("{prefix}-{next:03}"));
    assert_eq!(
        (&new["grade"], &new["sex"], &new["birth_year"], &new["note"]),
        (
            &json!("orange"),
            &json!("female"),
            &json!(2011),
            &json!("已联系学校")
        )
    );
    let still = list.iter().find(|c| c["code"] == regraded).unwrap();
    assert_eq!(still["grade"], "yellow", "an import never overwrites");

    // The same file again: nothing added, the row without a code found again.
    let (status, report) = upload_as(&officer, &app, "cases", "", &rows).await;
    assert_eq!(
        (status, counts(&report)),
        (200, (Some(0), Some(2), Some(1))),
        "{report}"
    );
    assert_eq!(app.count("cases").await, cases_before + 1);

    let leader = app.client_as("leader.tianning").await;
    let (status, _) = upload_as(&leader, &app, "cases", "", &rows).await;
    assert_eq!(status, 403);
}
