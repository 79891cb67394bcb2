//! Edits that would make a figure false are refused or kept consistent (issue 15, items 4–6,
//! and the active periods of schools and stations):
//!
//! - a record still referred to is not deleted (409 `in_use`, saying what refers to it), and
//!   the figures stay as they were;
//! - a campaign's window cannot be narrowed past its own live records (409 on the dates);
//! - a station that moves to another district takes its schools with it;
//! - a school or station is closed with a date, and no session is logged there after it.

use humiao_server::clock;
use humiao_shared::Lang;
use humiao_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

/// Every figure an admin would look at after a refused change: they must not move.
const FIGURES: &[&str] = &[
    "/api/v1/aggregates/reach?group_by=topic",
    "/api/v1/aggregates/reach?group_by=school",
    "/api/v1/aggregates/reach?group_by=district",
    "/api/v1/aggregates/audience",
    "/api/v1/aggregates/sessions-by-district",
    "/api/v1/aggregates/screening-coverage",
    "/api/v1/aggregates/training-coverage",
    "/api/v1/topics",
    "/api/v1/films",
];

async fn figures(app: &TestApp) -> Vec<Value> {
    let mut all = Vec::new();
    for path in FIGURES {
        all.push(app.get_json(path).await);
    }
    all.push(json!(total(app, "/api/v1/schools").await));
    all
}

/// The `X-Total-Count` of a list.
async fn total(app: &TestApp, path: &str) -> i64 {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "GET {path}");
    res.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn delete(app: &TestApp, path: &str) -> reqwest::Response {
    app.client
        .delete(format!("{}{path}", app.url))
        .send()
        .await
        .unwrap()
}

async fn put(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    let current = app.get(path).await;
    let etag = current.headers()["etag"].to_str().unwrap().to_string();
    app.client
        .put(format!("{}{path}", app.url))
        .header("If-Match", etag)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn post(app: &TestApp, resource: &str, body: &Value) -> Value {
    let res = app.post_json(&format!("/api/v1/{resource}"), body).await;
    let status = res.status();
    let answer: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "create {resource}: {answer}");
    answer
}

fn id(v: &Value) -> i64 {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("an id: {v}"))
}

/// The record as sent back in a PUT: the answer without what the server works out.
fn editable(record: &Value, computed: &[&str]) -> Value {
    let mut body = record.clone();
    for key in ["id", "version"].iter().chain(computed) {
        body.as_object_mut().unwrap().remove(*key);
    }
    body
}

fn field_codes(body: &Value) -> Vec<(String, String)> {
    body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_record_still_referred_to_is_not_deleted_and_every_figure_stays() {
    let app = spawn_app().await;
    let school = id(&app
        .get_json("/api/v1/aggregates/reach?group_by=school")
        .await[0]["key"]);
    let topic = id(&app
        .get_json("/api/v1/aggregates/reach?group_by=topic")
        .await[0]["key"]);
    let assignment = &app.get_json("/api/v1/assignments").await[0];
    let film = id(&assignment["film_ids"][0]);
    let confirmed = id(&app.get_json("/api/v1/confirmations").await[0]["assignment_id"]);
    let trained = id(&app.get_json("/api/v1/trainees").await[0]["training_id"]);
    let station = id(&app.get_json(&format!("/api/v1/schools/{school}")).await["station_id"]);
    let district = id(&app.get_json(&format!("/api/v1/stations/{station}")).await["district_id"]);
    let campaign = app.current_campaign().await;

    // (the record, what the answer must name as referring to it, whether closing is offered)
    let cases: &[(String, &str, bool)] = &[
        (format!("/api/v1/schools/{school}"), "sessions", true),
        (format!("/api/v1/topics/{topic}"), "sessions", false),
        (format!("/api/v1/films/{film}"), "assignments", false),
        (format!("/api/v1/stations/{station}"), "schools", true),
        (format!("/api/v1/districts/{district}"), "stations", false),
        (format!("/api/v1/campaigns/{campaign}"), "sessions", false),
        (
            format!("/api/v1/assignments/{confirmed}"),
            "confirmations",
            false,
        ),
        (format!("/api/v1/trainings/{trained}"), "trainees", false),
    ];
    let before = figures(&app).await;
    for (path, referrer, closable) in cases {
        let record = app.get_json(path).await;
        let res = delete(&app, path).await;
        assert_eq!(res.status(), 409, "DELETE {path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "in_use", "{path}: {body}");
        assert!(
            body["used_by"][referrer].as_i64().unwrap_or(0) > 0,
            "{path}: the answer counts the {referrer} that refer to it: {body}"
        );
        let title = humiao_shared::record::kind(referrer).unwrap().title.zh;
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(title), "{path}: {message} names {title}");
        assert_eq!(
            message.contains("关闭日期"),
            *closable,
            "{path}: {message} offers to close it instead"
        );
        assert_eq!(body["current"], record, "{path}");
        assert_eq!(app.get_json(path).await, record, "{path} is still there");
    }
    assert_eq!(
        figures(&app).await,
        before,
        "no figure moved after the refusals"
    );

    // The message comes in English too.
    let english = app
        .client
        .delete(format!("{}/api/v1/schools/{school}", app.url))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let message = english["message"].as_str().unwrap();
    assert!(
        message.contains("Sessions") && message.contains("closing date"),
        "{message}"
    );

    // A record nothing refers to still goes.
    let unused = post(
        &app,
        "topics",
        &json!({"code": "unused", "name_zh": "未用主题", "name_en": "Unused"}),
    )
    .await;
    let res = delete(&app, &format!("/api/v1/topics/{}", unused["id"])).await;
    assert_eq!(res.status(), 204);
}

/// Every kind of reference keeps a school, topic or film: each case makes one reference to
/// a fresh record, and the delete is refused until it is gone.
#[tokio::test]
async fn each_kind_of_reference_keeps_a_school_a_topic_and_a_film() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let demo_school = app
        .get_json("/api/v1/schools?q=%E9%9B%95%E5%BA%84%E5%B0%8F%E5%AD%A6")
        .await[0]
        .clone();
    let station = id(&demo_school["station_id"]);
    let district = id(&demo_school["district_id"]);
    let yesterday = (clock::today() - chrono::Duration::days(1)).to_string();
    let day = yesterday.max(format!("{}-01-01", &clock::today().to_string()[..4]));

    // A school named only by an assignment.
    let school = post(
        &app,
        "schools",
        &json!({"code": "E-SC1", "name": "指派小学", "kind": "primary",
                "district_id": district, "station_id": station}),
    )
    .await;
    let topic = post(
        &app,
        "topics",
        &json!({"code": "e_topic", "name_zh": "测试主题", "name_en": "Test topic"}),
    )
    .await;
    let film = post(
        &app,
        "films",
        &json!({"title": "测试影片", "minutes": 20, "topic_ids": [topic["id"]]}),
    )
    .await;
    let assignment = post(
        &app,
        "assignments",
        &json!({"campaign_id": campaign, "title": "测试观看任务", "film_ids": [film["id"]],
                "school_ids": [school["id"]], "opens_on": day, "closes_on": day}),
    )
    .await;
    for path in [
        format!("/api/v1/schools/{}", school["id"]),
        format!("/api/v1/films/{}", film["id"]),
        format!("/api/v1/topics/{}", topic["id"]),
    ] {
        let res = delete(&app, &path).await;
        assert_eq!(res.status(), 409, "DELETE {path} while referred to");
    }
    // Once the assignment and the film are gone, the school and the topic may go too.
    for path in [
        format!("/api/v1/assignments/{}", assignment["id"]),
        format!("/api/v1/films/{}", film["id"]),
        format!("/api/v1/schools/{}", school["id"]),
        format!("/api/v1/topics/{}", topic["id"]),
    ] {
        let res = delete(&app, &path).await;
        assert_eq!(res.status(), 204, "DELETE {path} once nothing refers to it");
    }
}

#[tokio::test]
async fn a_campaign_window_cannot_be_narrowed_past_its_own_records() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let path = format!("/api/v1/campaigns/{campaign}");
    let record = app.get_json(&path).await;
    let first = app
        .get_json(&format!(
            "/api/v1/sessions?campaign_id={campaign}&sort=held_on_asc&limit=1"
        ))
        .await[0]["held_on"]
        .as_str()
        .unwrap()
        .to_string();
    let last = app
        .get_json(&format!(
            "/api/v1/sessions?campaign_id={campaign}&sort=held_on_desc&limit=1"
        ))
        .await[0]["held_on"]
        .as_str()
        .unwrap()
        .to_string();
    let day = |s: &str, days: i64| {
        (chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap() + chrono::Duration::days(days))
            .to_string()
    };
    let starts_on = record["starts_on"].as_str().unwrap().to_string();
    let ends_on = record["ends_on"].as_str().unwrap().to_string();
    let before = figures(&app).await;

    // (new start, new end, the fields refused; none: the edit is stored)
    let cases: Vec<(String, String, &[&str])> = vec![
        (day(&first, 1), ends_on.clone(), &["starts_on"]),
        (starts_on.clone(), day(&last, -1), &["ends_on"]),
        (day(&first, 1), day(&last, -1), &["starts_on", "ends_on"]),
    ];
    for (new_start, new_end, refused) in &cases {
        let mut body = editable(&record, &[]);
        body["starts_on"] = json!(new_start);
        body["ends_on"] = json!(new_end);
        let res = put(&app, &path, &body).await;
        assert_eq!(res.status(), 409, "{new_start}..{new_end}");
        let answer: Value = res.json().await.unwrap();
        assert_eq!(answer["code"], "records_outside", "{answer}");
        let fields: Vec<String> = field_codes(&answer).into_iter().map(|(f, _)| f).collect();
        assert_eq!(&fields, refused, "{new_start}..{new_end}: {answer}");
        assert!(
            answer["used_by"]["sessions"].as_i64().unwrap() > 0,
            "{answer}"
        );
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains("宣讲活动"), "{message}");
        assert_eq!(answer["current"], record);
    }
    assert_eq!(
        app.get_json(&path).await,
        record,
        "the campaign is unchanged"
    );
    assert_eq!(figures(&app).await, before, "no figure moved");

    // Narrowing to exactly the records' span is fine as far as sessions go; the
    // campaign's other records (screenings, trainings) may still hold it.
    let mut body = editable(&record, &[]);
    body["name"] = json!("改名后的行动");
    let res = put(&app, &path, &body).await;
    assert_eq!(res.status(), 200, "an edit that keeps the window is stored");
}

#[tokio::test]
async fn a_station_moved_to_another_district_takes_its_schools() {
    let app = spawn_app().await;
    let school = app
        .get_json("/api/v1/schools?q=%E9%9B%95%E5%BA%84%E5%B0%8F%E5%AD%A6")
        .await[0]
        .clone();
    let station = id(&school["station_id"]);
    let old = id(&school["district_id"]);
    let new = app
        .get_json("/api/v1/districts")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|d| id(&d["id"]))
        .find(|d| *d != old)
        .unwrap();
    let moved = app
        .get_json(&format!("/api/v1/schools?station_id={station}&limit=1000"))
        .await;
    let moved = moved.as_array().unwrap();
    let k = moved.len() as i64;
    assert!(k > 1, "雕庄 has schools");
    let schools_in = |d: i64| format!("/api/v1/schools?district_id={d}");
    let (old_before, new_before) = (
        total(&app, &schools_in(old)).await,
        total(&app, &schools_in(new)).await,
    );

    let path = format!("/api/v1/stations/{station}");
    let mut body = editable(&app.get_json(&path).await, &[]);
    body["district_id"] = json!(new);
    let res = put(&app, &path, &body).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);

    assert_eq!(total(&app, &schools_in(old)).await, old_before - k);
    assert_eq!(total(&app, &schools_in(new)).await, new_before + k);
    for before in moved {
        let after = app
            .get_json(&format!("/api/v1/schools/{}", before["id"]))
            .await;
        assert_eq!(after["district_id"], new, "{}", before["name"]);
        assert_eq!(
            id(&after["version"]),
            id(&before["version"]) + 1,
            "a moved school's version moves on"
        );
        let trail = app
            .get_json(&format!(
                "/api/v1/audit?resource=schools&resource_id={}",
                before["id"]
            ))
            .await;
        assert_eq!(trail[0]["action"], "update");
        assert_eq!(trail[0]["actor"], "admin");
        assert_eq!(trail[0]["before"]["district_id"], old);
        assert_eq!(trail[0]["after"]["district_id"], new);
    }
    // Covered schools never outnumber the schools of a district.
    for district in [old, new] {
        let audience = app
            .get_json(&format!(
                "/api/v1/aggregates/audience?district_id={district}"
            ))
            .await;
        assert!(
            audience["schools_reached"].as_i64().unwrap()
                <= total(&app, &schools_in(district)).await,
            "district {district}: {audience}"
        );
    }
    humiao_tests::assert_rollup_matches_sessions(&app.db).await;
}

#[tokio::test]
async fn a_school_must_lie_in_its_stations_district() {
    let app = spawn_app().await;
    let school = app
        .get_json("/api/v1/schools?q=%E9%9B%95%E5%BA%84%E5%B0%8F%E5%AD%A6")
        .await[0]
        .clone();
    let other = app
        .get_json("/api/v1/districts")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|d| id(&d["id"]))
        .find(|d| *d != id(&school["district_id"]))
        .unwrap();
    let path = format!("/api/v1/schools/{}", school["id"]);
    let mut body = editable(&school, &["enrolment"]);
    body["district_id"] = json!(other);
    let res = put(&app, &path, &body).await;
    assert_eq!(res.status(), 422);
    let answer: Value = res.json().await.unwrap();
    assert!(
        field_codes(&answer).contains(&("district_id".into(), "not_in_district".into())),
        "{answer}"
    );
    body["code"] = json!("E-NEW");
    let res = app.post_json("/api/v1/schools", &body).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.get_json(&path).await, school, "nothing stored");

    // A file's row is held to the same rule, beside its district column.
    let columns = humiao_shared::import::ImportKind::Schools.columns();
    let header: Vec<&str> = columns.iter().map(|c| c.header(Lang::Zh)).collect();
    let station = app
        .get_json(&format!("/api/v1/stations/{}", school["station_id"]))
        .await;
    let elsewhere = app.get_json(&format!("/api/v1/districts/{other}")).await;
    let cells: Vec<&str> = columns
        .iter()
        .map(|c| match c.key {
            "code" => "E-IMP",
            "name" => "导入小学",
            "kind" => "小学",
            "district" => elsewhere["name"].as_str().unwrap(),
            "station" => station["name"].as_str().unwrap(),
            _ => "",
        })
        .collect();
    let file = format!("{}\r\n{}", header.join(","), cells.join(","));
    let res = app
        .client
        .post(format!("{}/api/v1/imports/schools?dry_run=true", app.url))
        .header("Content-Type", "text/csv")
        .body(file)
        .send()
        .await
        .unwrap();
    let report: Value = res.json().await.unwrap();
    let district_header = columns.iter().find(|c| c.key == "district").unwrap();
    assert!(
        report["problems"].as_array().unwrap().iter().any(|p| {
            p["column"] == district_header.header(Lang::Zh) && p["code"] == "not_in_district"
        }),
        "{report}"
    );
}

#[tokio::test]
async fn a_closed_school_or_station_takes_no_session_after_its_closing_day() {
    let app = spawn_app().await;
    let refs = humiao_tests::fixtures::demo_refs(&app.client, &app.url).await;
    let today = clock::today();
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    let district = id(&app
        .get_json(&format!("/api/v1/stations/{}", refs.station_id))
        .await["district_id"]);

    // A closing day is a date, stored and answered; anything else is refused beside it.
    let station = post(
        &app,
        "stations",
        &json!({"district_id": district, "code": "E-ST", "name": "关闭派出所",
                "closed_on": yesterday}),
    )
    .await;
    assert_eq!(station["closed_on"], json!(yesterday));
    let school = post(
        &app,
        "schools",
        &json!({"code": "E-CL", "name": "关闭小学", "kind": "primary",
                "district_id": district, "station_id": refs.station_id,
                "closed_on": yesterday}),
    )
    .await;
    assert_eq!(school["closed_on"], json!(yesterday));
    let open = post(
        &app,
        "schools",
        &json!({"code": "E-OP", "name": "开办小学", "kind": "primary",
                "district_id": district, "station_id": refs.station_id, "closed_on": ""}),
    )
    .await;
    assert_eq!(open["closed_on"], Value::Null, "blank is open");
    let res = app
        .post_json(
            "/api/v1/schools",
            &json!({"code": "E-BAD", "name": "日期错误小学", "kind": "primary",
                    "district_id": district, "station_id": refs.station_id,
                    "closed_on": "2024-02-30"}),
        )
        .await;
    assert_eq!(res.status(), 422);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(
        field_codes(&answer),
        [("closed_on".to_string(), "invalid_date".to_string())]
    );

    // (station, school, day held, the field refused)
    let cases = [
        (
            refs.station_id,
            school["id"].clone(),
            today.to_string(),
            Some("school_id"),
        ),
        (
            refs.station_id,
            school["id"].clone(),
            yesterday.clone(),
            None,
        ),
        (
            id(&station["id"]),
            open["id"].clone(),
            today.to_string(),
            Some("station_id"),
        ),
        (
            id(&station["id"]),
            open["id"].clone(),
            yesterday.clone(),
            None,
        ),
    ];
    for (i, (station, school, held_on, refused)) in cases.into_iter().enumerate() {
        let entry = json!({
            "campaign_id": refs.campaign_id, "station_id": station, "school_id": school,
            "held_on": held_on, "format": "class_talk", "topic_ids": [refs.topic_id],
            "audience": {"students": 10 + i}, "confirm_distinct": true,
        });
        let res = app.post_json("/api/v1/sessions", &entry).await;
        let status = res.status();
        let answer: Value = res.json().await.unwrap();
        match refused {
            Some(field) => {
                assert_eq!(status, 422, "{entry}: {answer}");
                assert!(
                    field_codes(&answer).contains(&(field.into(), "closed".into())),
                    "{entry}: {answer}"
                );
            }
            None => assert_eq!(status, 201, "{entry}: {answer}"),
        }
    }

    // Closing a school before sessions it already had is refused on the date.
    let demo = app
        .get_json(&format!("/api/v1/schools/{}", refs.school_id))
        .await;
    let mut body = editable(&demo, &["enrolment"]);
    body["closed_on"] = json!("2000-01-01");
    let res = put(&app, &format!("/api/v1/schools/{}", refs.school_id), &body).await;
    assert_eq!(res.status(), 409);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["code"], "records_outside");
    assert_eq!(
        field_codes(&answer),
        [("closed_on".to_string(), "excludes_records".to_string())]
    );
}

/// Outcome values are a station's months: none for a month that starts after its closing
/// day, and no closing day before months it already reported.
#[tokio::test]
async fn a_closed_station_takes_no_outcome_month_after_its_closing_day() {
    let app = spawn_app().await;
    let refs = humiao_tests::fixtures::demo_refs(&app.client, &app.url).await;
    let district = id(&app
        .get_json(&format!("/api/v1/stations/{}", refs.station_id))
        .await["district_id"]);
    let station = post(
        &app,
        "stations",
        &json!({"district_id": district, "code": "E-OC", "name": "月报派出所"}),
    )
    .await;
    let outcome = |month: &str| {
        json!({"station_id": station["id"], "month": month,
               "indicator": "minors_mentored", "value": 7})
    };
    post(&app, "outcomes", &outcome("2024-06")).await;
    post(&app, "outcomes", &outcome("2024-08")).await;

    // Closing in July, with August reported: refused on the date, naming the outcomes.
    let path = format!("/api/v1/stations/{}", id(&station["id"]));
    let mut body = editable(&app.get_json(&path).await, &[]);
    body["closed_on"] = json!("2024-07-10");
    let res = put(&app, &path, &body).await;
    assert_eq!(res.status(), 409);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["code"], "records_outside", "{answer}");
    assert_eq!(
        field_codes(&answer),
        [("closed_on".to_string(), "excludes_records".to_string())]
    );

    // Without August, it closes; then July, its closing month, is taken and August is
    // refused beside the station.
    let august = app
        .get_json(&format!(
            "/api/v1/outcomes?station_id={}&from=2024-08",
            id(&station["id"])
        ))
        .await;
    let august = id(&august[0]["id"]);
    let res = app
        .client
        .delete(format!("{}/api/v1/outcomes/{august}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(put(&app, &path, &body).await.status(), 200);
    post(&app, "outcomes", &outcome("2024-07")).await;
    let res = app.post_json("/api/v1/outcomes", &outcome("2024-08")).await;
    assert_eq!(res.status(), 422);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(
        field_codes(&answer),
        [("station_id".to_string(), "closed".to_string())]
    );
    let kept = app
        .get_json(&format!(
            "/api/v1/outcomes?station_id={}",
            id(&station["id"])
        ))
        .await;
    let mut months: Vec<&str> = kept
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["month"].as_str().unwrap())
        .collect();
    months.sort_unstable();
    assert_eq!(months, ["2024-06", "2024-07"]);
}

/// The same holds one level down: an assignment's window keeps its schools' confirmations,
/// a course's dates keep the days its trainees attended.
#[tokio::test]
async fn an_assignment_or_a_course_cannot_be_narrowed_past_its_records() {
    let app = spawn_app().await;
    let refs = humiao_tests::fixtures::demo_refs(&app.client, &app.url).await;
    // Last year's campaign: every day of it is in the past.
    let year = chrono::Datelike::year(&clock::today()) - 1;
    let campaign = id(&app
        .get_json(&format!("/api/v1/campaigns?year={year}"))
        .await[0]["id"]);
    let day = |d: u32| format!("{year}-03-{d:02}");
    let film = id(&app.get_json("/api/v1/films").await[0]["id"]);
    let assignment = post(
        &app,
        "assignments",
        &json!({"campaign_id": campaign, "title": "收窄测试", "film_ids": [film],
                "school_ids": [refs.school_id], "opens_on": day(2), "closes_on": day(10)}),
    )
    .await;
    post(
        &app,
        "confirmations",
        &json!({"assignment_id": assignment["id"], "school_id": refs.school_id, "film_id": film,
                "shown_on": day(5), "students": 30, "parents": 0, "classes": 1,
                "method": "classroom"}),
    )
    .await;
    let training = post(
        &app,
        "trainings",
        &json!({"title": "收窄测试培训班", "place": "线上", "starts_on": day(2),
                "ends_on": day(6), "campaign_id": campaign}),
    )
    .await;
    post(
        &app,
        "trainees",
        &json!({"training_id": training["id"], "name": "王警官", "station_id": refs.station_id,
                "days_attended": [day(3)], "completed": true}),
    )
    .await;

    let assignment_path = format!("/api/v1/assignments/{}", assignment["id"]);
    let training_path = format!("/api/v1/trainings/{}", training["id"]);
    // (record, first-day field, last-day field, new first day, new last day, refused field)
    let cases = [
        (
            &assignment_path,
            "opens_on",
            "closes_on",
            6,
            10,
            Some("opens_on"),
        ),
        (
            &assignment_path,
            "opens_on",
            "closes_on",
            2,
            4,
            Some("closes_on"),
        ),
        (&assignment_path, "opens_on", "closes_on", 5, 5, None),
        (
            &training_path,
            "starts_on",
            "ends_on",
            4,
            6,
            Some("starts_on"),
        ),
        (
            &training_path,
            "starts_on",
            "ends_on",
            2,
            2,
            Some("ends_on"),
        ),
        (&training_path, "starts_on", "ends_on", 3, 3, None),
    ];
    for (path, first, last, from, to, refused) in cases {
        let record = app.get_json(path).await;
        let mut body = editable(&record, &[]);
        body[first] = json!(day(from));
        body[last] = json!(day(to));
        let res = put(&app, path, &body).await;
        let status = res.status();
        let answer: Value = res.json().await.unwrap();
        match refused {
            Some(field) => {
                assert_eq!(status, 409, "{path} {from}..{to}: {answer}");
                assert_eq!(answer["code"], "records_outside");
                assert_eq!(
                    field_codes(&answer),
                    [(field.to_string(), "excludes_records".to_string())],
                    "{path} {from}..{to}"
                );
                assert_eq!(app.get_json(path).await, record, "{path} unchanged");
            }
            None => assert_eq!(status, 200, "{path} {from}..{to}: {answer}"),
        }
    }
}
