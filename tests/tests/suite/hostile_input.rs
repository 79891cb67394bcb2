//! Hostile input gets a 4xx naming the field, never a 500, and stores nothing: NUL and other
//! control characters in any text of a body or a query (PostgreSQL refuses NUL in text),
//! lists of ids longer than any real one (SQLite refuses more than 32,766 bound values),
//! and the same in an imported file's cells. Search terms lose their control characters.

use humiao_server::clock;
use humiao_shared::import::ImportKind;
use humiao_shared::Lang;
use humiao_tests::fixtures::{demo_refs, session_entry, Refs};
use humiao_tests::{cookie_client, spawn_app, TestApp};
use reqwest::header;
use serde_json::{json, Value};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `body` with the fields of `changes` replaced.
fn merged(mut body: Value, changes: &Value) -> Value {
    for (key, value) in changes.as_object().expect("an object") {
        body[key] = value.clone();
    }
    body
}

/// Valid bodies to spoil, by the path they are posted to.
struct Bodies {
    session: Value,
    school: Value,
    campaign: Value,
    film: Value,
    assignment: Value,
    trainee: Value,
    account: Value,
    links: Value,
}

async fn bodies(app: &TestApp, refs: &Refs) -> Bodies {
    let films = app.get_json("/api/v1/films").await;
    let film = films[0]["id"].as_i64().expect("a film");
    let training = app.get_json("/api/v1/trainings").await[0]["id"]
        .as_i64()
        .expect("a training");
    let district = app.get_json("/api/v1/districts").await[0]["id"]
        .as_i64()
        .expect("a district");
    let today = clock::today().to_string();
    Bodies {
        session: session_entry(refs, "hostile input"),
        school: json!({"code": "H-1", "name": "测试小学", "kind": "primary",
                       "district_id": district, "station_id": refs.station_id,
                       "enrolments": [{"school_year": 2025, "students": 600}]}),
        campaign: json!({"name": "2031年测试行动", "year": 2031, "starts_on": "2031-01-01",
                         "ends_on": "2031-12-31", "topic_ids": [refs.topic_id]}),
        film: json!({"title": "测试影片", "minutes": 20, "topic_ids": [refs.topic_id]}),
        assignment: json!({"campaign_id": refs.campaign_id, "title": "测试观看任务",
                           "film_ids": [film], "school_ids": [refs.school_id],
                           "opens_on": today, "closes_on": today}),
        trainee: json!({"training_id": training, "name": "张警官", "station_id": refs.station_id,
                        "days_attended": [], "completed": false}),
        account: json!({"username": "hostile", "role": "officer", "station_id": refs.station_id,
                        "password": "a long enough phrase"}),
        links: json!({"campaign_id": refs.campaign_id, "school_ids": [refs.school_id]}),
    }
}

/// Rows of every table a refused request could have written to.
async fn stored(app: &TestApp) -> Vec<i64> {
    let tables = [
        "sessions",
        "session_topics",
        "schools",
        "school_enrolments",
        "campaigns",
        "films",
        "screening_assignments",
        "trainees",
        "users",
        "school_links",
        "idempotency_keys",
    ];
    let mut counts = Vec::new();
    for table in tables {
        counts.push(app.count(table).await);
    }
    counts
}

#[tokio::test]
async fn text_with_a_control_character_and_overlong_id_lists_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let refs = demo_refs(&app.client, &app.url).await;
    let b = bodies(&app, &refs).await;
    let ids = |n: i64| (1..=n).collect::<Vec<i64>>();
    let same = |n: usize| vec![refs.topic_id; n];
    let other_venue = json!({"school_id": null, "venue": "社区\u{0}广场"});
    let cases: Vec<(&str, &str, Value, &str, &str)> = vec![
        // (what, path, body, field, code)
        (
            "NUL in a session's notes",
            "/api/v1/sessions",
            merged(b.session.clone(), &json!({"notes": "讲了\u{0}防溺水"})),
            "notes",
            "control_character",
        ),
        (
            "NUL in another venue",
            "/api/v1/sessions",
            merged(b.session.clone(), &other_venue),
            "venue",
            "control_character",
        ),
        (
            "a terminal escape in the speakers",
            "/api/v1/sessions",
            merged(b.session.clone(), &json!({"speakers": "张警官\u{1b}[2J"})),
            "speakers",
            "control_character",
        ),
        (
            "DEL in the notes",
            "/api/v1/sessions",
            merged(b.session.clone(), &json!({"notes": "a\u{7f}b"})),
            "notes",
            "control_character",
        ),
        (
            "a NUL in a key",
            "/api/v1/sessions",
            merged(b.session.clone(), &json!({"notes\u{0}": "x"})),
            "notes\\0",
            "control_character",
        ),
        (
            "40,000 topic ids",
            "/api/v1/sessions",
            merged(b.session.clone(), &json!({"topic_ids": same(40_000)})),
            "topic_ids",
            "too_many",
        ),
        (
            "21 topic ids in a session",
            "/api/v1/sessions",
            merged(b.session.clone(), &json!({"topic_ids": ids(21)})),
            "topic_ids",
            "too_many",
        ),
        (
            "NUL in a school's name",
            "/api/v1/schools",
            merged(b.school.clone(), &json!({"name": "\u{0}"})),
            "name",
            "control_character",
        ),
        (
            "102 school years of rolls",
            "/api/v1/schools",
            merged(
                b.school.clone(),
                &json!({"enrolments": vec![json!({"school_year": 2025, "students": 1}); 102]}),
            ),
            "enrolments",
            "too_many",
        ),
        (
            "21 topic ids in a campaign",
            "/api/v1/campaigns",
            merged(b.campaign.clone(), &json!({"topic_ids": ids(21)})),
            "topic_ids",
            "too_many",
        ),
        (
            "40,000 topic ids in a film",
            "/api/v1/films",
            merged(b.film.clone(), &json!({"topic_ids": same(40_000)})),
            "topic_ids",
            "too_many",
        ),
        (
            "101 films in an assignment",
            "/api/v1/assignments",
            merged(b.assignment.clone(), &json!({"film_ids": ids(101)})),
            "film_ids",
            "too_many",
        ),
        (
            "10,001 schools in an assignment",
            "/api/v1/assignments",
            merged(b.assignment.clone(), &json!({"school_ids": ids(10_001)})),
            "school_ids",
            "too_many",
        ),
        (
            "32 days attended",
            "/api/v1/trainees",
            merged(
                b.trainee.clone(),
                &json!({"days_attended": vec!["2024-08-19"; 32]}),
            ),
            "days_attended",
            "too_many",
        ),
        (
            "NUL in a trainee's name",
            "/api/v1/trainees",
            merged(b.trainee.clone(), &json!({"name": "张\u{0}"})),
            "name",
            "control_character",
        ),
        (
            "NUL in a new account's password",
            "/api/v1/users",
            merged(
                b.account.clone(),
                &json!({"password": "a long enough\u{0}phrase"}),
            ),
            "password",
            "control_character",
        ),
        (
            "10,001 schools for links",
            "/api/v1/links",
            merged(b.links.clone(), &json!({"school_ids": ids(10_001)})),
            "school_ids",
            "too_many",
        ),
    ];
    let before = stored(&app).await;
    for (what, path, body, field, code) in &cases {
        let res = app
            .client
            .post(format!("{}{path}", app.url))
            .header("Accept-Language", "en")
            .json(body)
            .send()
            .await
            .expect("request sent");
        assert_eq!(res.status(), 422, "{what}");
        let answer: Value = res.json().await.expect("an error body");
        let fields = answer["fields"].as_array().expect("fields");
        assert!(
            fields
                .iter()
                .any(|f| f["field"] == *field && f["code"] == *code),
            "{what}: {answer}"
        );
        assert!(
            fields
                .iter()
                .all(|f| !f["message"].as_str().unwrap_or("").is_empty()),
            "{what}: every field has a message: {answer}"
        );
    }
    assert_eq!(stored(&app).await, before, "nothing stored");

    // Tabs and line breaks are text: a note keeps them.
    let body = merged(b.session, &json!({"notes": "第一段\r\n第二段\t完"}));
    let res = app.post_json("/api/v1/sessions", &body).await;
    assert_eq!(res.status(), 201);
    let session: Value = res.json().await.expect("the session");
    assert_eq!(session["notes"], "第一段\r\n第二段\t完");
}

#[tokio::test]
async fn a_control_character_in_the_login_is_refused_before_anyone_signs_in() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"username": "admin\u{0}", "password": "x"}),
            "username",
        ),
        (json!({"username": "\u{0}", "password": "x"}), "username"),
        (
            json!({"username": "admin", "password": format!("{}\u{0}", humiao_tests::DEMO_PASSWORD)}),
            "password",
        ),
        (
            json!({"username": "admin", "password": "\u{1}"}),
            "password",
        ),
    ];
    for (body, field) in cases {
        let client = cookie_client();
        let res = client
            .post(format!("{}/api/v1/auth/login", app.url))
            .json(&body)
            .send()
            .await
            .expect("login sent");
        assert_eq!(res.status(), 422, "{body}");
        let answer: Value = res.json().await.expect("an error body");
        assert_eq!(answer["fields"][0]["field"], field, "{body}: {answer}");
        assert_eq!(answer["fields"][0]["code"], "control_character", "{answer}");
        let me = client
            .get(format!("{}/api/v1/auth/me", app.url))
            .send()
            .await
            .expect("request sent");
        assert_eq!(me.status(), 401, "{body}: not signed in");
    }
    // A school's link is refused the same way.
    let res = cookie_client()
        .post(format!("{}/api/v1/auth/link", app.url))
        .json(&json!({"secret": "\u{0}"}))
        .send()
        .await
        .expect("request sent");
    assert_eq!(res.status(), 422);
    let answer: Value = res.json().await.expect("an error body");
    assert_eq!(answer["fields"][0]["field"], "secret", "{answer}");
}

#[tokio::test]
async fn search_terms_lose_control_characters_and_other_query_parameters_are_refused() {
    let app = spawn_app().await;
    // 雕庄小学 with a NUL in the middle: the NUL is dropped and the school found.
    let found = app
        .get_json("/api/v1/schools?q=%E9%9B%95%E5%BA%84%00%E5%B0%8F%E5%AD%A6")
        .await;
    assert_eq!(found[0]["name"], "雕庄小学", "{found}");
    for path in ["/api/v1/schools?q=%00", "/api/v1/stations?q=%1B%00"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
    }
    let refused = [
        ("/api/v1/audit?actor=admin%00", "actor"),
        ("/api/v1/audit?resource=%07sessions", "resource"),
    ];
    for (path, field) in refused {
        let res = app.get(path).await;
        assert_eq!(res.status(), 422, "{path}");
        let answer: Value = res.json().await.expect("an error body");
        assert_eq!(answer["fields"][0]["field"], field, "{path}: {answer}");
        assert_eq!(answer["fields"][0]["code"], "control_character", "{answer}");
    }
}

/// An XLSX workbook with the rows on its first sheet.
fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).expect("cell");
        }
    }
    book.save_to_buffer().expect("workbook")
}

#[tokio::test]
async fn a_control_character_in_an_imported_cell_is_a_problem_of_its_row_and_nothing_is_stored() {
    let app = spawn_app().await;
    let header: Vec<String> = ImportKind::Schools
        .columns()
        .iter()
        .map(|c| c.header(Lang::Zh).to_string())
        .collect();
    let school = |code: &str, name: &str, station: &str| -> Vec<String> {
        [code, name, "小学", "天宁分局", station, "2025", "300"]
            .map(str::to_string)
            .to_vec()
    };
    let rows = vec![
        header,
        school("H-1", "导入\u{0}学校", "雕庄派出所"),
        school("H-2", "导入学校二", "雕庄\u{1b}派出所"),
        school("H-3", "导入学校三", "雕庄派出所"),
    ];
    // A CSV holding a NUL byte is not text at all; an escape is a character like another.
    let without_nul: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| c.replace('\u{0}', "\u{7}")).collect())
        .collect();
    let csv = without_nul
        .iter()
        .map(|row| row.join(","))
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes();
    let files = [("xlsx", xlsx(&rows), XLSX), ("csv", csv, "text/csv")];
    let before = app.count("schools").await;
    for (format, file, content_type) in files {
        for query in ["?dry_run=true", ""] {
            let res = app
                .client
                .post(format!("{}/api/v1/imports/schools{query}", app.url))
                .header(header::CONTENT_TYPE, content_type)
                .body(file.clone())
                .send()
                .await
                .expect("request sent");
            let status = res.status().as_u16();
            let report: Value = res.json().await.expect("a report");
            let want = if query.is_empty() { 422 } else { 200 };
            assert_eq!(status, want, "{format}{query}: {report}");
            assert_eq!(report["stored"], false, "{format}{query}");
            let problems: Vec<(u64, &str, &str)> = report["problems"]
                .as_array()
                .expect("problems")
                .iter()
                .map(|p| {
                    (
                        p["row"].as_u64().unwrap_or(0),
                        p["column"].as_str().unwrap_or(""),
                        p["code"].as_str().unwrap_or(""),
                    )
                })
                .collect();
            assert_eq!(
                problems,
                [
                    (2, "学校名称", "control_character"),
                    (3, "所属派出所", "control_character"),
                ],
                "{format}{query}: {report}"
            );
        }
    }
    assert_eq!(app.count("schools").await, before, "nothing stored");
}
