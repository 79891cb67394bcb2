//! Every record besides sessions — districts, stations, schools, topics, campaigns, films,
//! screening assignments and confirmations, trainings, trainees, outcome values — behaves
//! alike: created once (also when retried), read with a version, edited only with the
//! current version, deleted softly, and every change audited.

use chrono::Duration;
use humiao_server::clock;
use humiao_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

/// Ids of demo records the test bodies refer to.
struct Ids {
    district: i64,
    station: i64,
    school: i64,
    other_school: i64,
    topic: i64,
    film: i64,
    other_film: i64,
    campaign: i64,
    /// A day of this year's campaign that is not in the future.
    day: String,
}

async fn ids(app: &TestApp) -> Ids {
    let school = &app
        .get_json("/api/v1/schools?q=%E9%9B%95%E5%BA%84%E5%B0%8F%E5%AD%A6")
        .await[0];
    let others = app.get_json("/api/v1/schools?sort=code&limit=2").await;
    let films = app.get_json("/api/v1/films").await;
    let today = clock::today();
    let year_start = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap();
    Ids {
        district: school["district_id"].as_i64().unwrap(),
        station: school["station_id"].as_i64().unwrap(),
        school: school["id"].as_i64().unwrap(),
        other_school: others[0]["id"].as_i64().unwrap(),
        topic: app.get_json("/api/v1/topics").await[0]["id"]
            .as_i64()
            .unwrap(),
        film: films[0]["id"].as_i64().unwrap(),
        other_film: films[1]["id"].as_i64().unwrap(),
        campaign: app.current_campaign().await,
        day: (today - Duration::days(1)).max(year_start).to_string(),
    }
}

/// A valid body for each resource and a change to make in an edit.
fn bodies(ids: &Ids, assignment: i64, training: i64) -> Vec<(&'static str, Value, Value)> {
    let Ids {
        district,
        station,
        school,
        other_school,
        topic,
        film,
        other_film,
        campaign,
        day,
    } = ids;
    vec![
        (
            "districts",
            json!({"code": "T-D", "name": "测试分局", "sort_order": 9}),
            json!({"name": "测试分局（改）"}),
        ),
        (
            "stations",
            json!({"district_id": district, "code": "T-S", "name": "测试派出所", "workstation": "测试关爱工作站"}),
            json!({"workstation": null}),
        ),
        (
            "schools",
            json!({"code": "T-SC", "name": "测试小学", "kind": "primary", "district_id": district,
                   "station_id": station, "enrolments": [{"school_year": 2025, "students": 600}]}),
            json!({"enrolments": [{"school_year": 2025, "students": 610}, {"school_year": 2026, "students": 640}]}),
        ),
        (
            "topics",
            json!({"code": "test_topic", "name_zh": "测试主题", "name_en": "Test topic", "sort_order": 50}),
            json!({"name_en": "A test topic"}),
        ),
        (
            "campaigns",
            json!({"name": "2031年测试行动", "year": 2031, "starts_on": "2031-01-01", "ends_on": "2031-12-31",
                   "topic_ids": [topic], "targets": {"sessions": 100, "schools": 10, "audience": 1000}}),
            json!({"targets": {"sessions": 120, "schools": 12, "audience": 1200}}),
        ),
        (
            "films",
            json!({"title": "测试影片", "minutes": 20, "topic_ids": [topic]}),
            json!({"minutes": 25}),
        ),
        (
            "assignments",
            json!({"campaign_id": campaign, "title": "测试观看任务", "film_ids": [film],
                   "school_ids": [school], "opens_on": day, "closes_on": day}),
            // Lists of ids come back in id order.
            json!({"film_ids": sorted(&[*film, *other_film]), "school_ids": sorted(&[*school, *other_school])}),
        ),
        (
            "confirmations",
            json!({"assignment_id": assignment, "school_id": school, "film_id": film, "shown_on": day,
                   "students": 30, "parents": 12, "classes": 1, "method": "classroom"}),
            json!({"students": 32}),
        ),
        (
            "trainings",
            json!({"title": "宣讲员培训班（测试）", "place": "常州市人民警察培训学校",
                   "starts_on": "2031-08-19", "ends_on": "2031-08-20", "campaign_id": campaign}),
            json!({"place": "线上"}),
        ),
        (
            "trainees",
            json!({"training_id": training, "name": "张警官", "station_id": station,
                   "days_attended": [day], "completed": true}),
            json!({"completed": false}),
        ),
        (
            "outcomes",
            json!({"station_id": station, "month": &day[..7], "indicator": "minors_mentored", "value": 12}),
            json!({"value": 13}),
        ),
    ]
}

fn sorted(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids
}

/// An assignment and a training (held in the past) for the confirmations and trainees.
async fn parents(app: &TestApp, ids: &Ids) -> (i64, i64) {
    let assignment = create(
        app,
        "assignments",
        &json!({"campaign_id": ids.campaign, "title": "上级观看任务", "film_ids": [ids.film],
                "school_ids": [ids.school], "opens_on": ids.day, "closes_on": ids.day}),
    )
    .await;
    let training = create(
        app,
        "trainings",
        &json!({"title": "宣讲员培训班", "place": "常州市人民警察培训学校",
                "starts_on": ids.day, "ends_on": ids.day}),
    )
    .await;
    (
        assignment["id"].as_i64().unwrap(),
        training["id"].as_i64().unwrap(),
    )
}

async fn create(app: &TestApp, resource: &str, body: &Value) -> Value {
    let res = app.post_json(&format!("/api/v1/{resource}"), body).await;
    let status = res.status();
    let answer: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "create {resource}: {answer}");
    answer
}

async fn put(app: &TestApp, path: &str, version: &str, body: &Value) -> reqwest::Response {
    app.client
        .put(format!("{}{path}", app.url))
        .header("If-Match", version)
        .json(body)
        .send()
        .await
        .unwrap()
}

fn merged(mut body: Value, change: &Value) -> Value {
    for (k, v) in change.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

#[tokio::test]
async fn every_record_is_created_read_edited_with_its_version_deleted_and_audited() {
    let app = spawn_app().await;
    let ids = ids(&app).await;
    let (assignment, training) = parents(&app, &ids).await;
    for (resource, body, change) in bodies(&ids, assignment, training) {
        let created = app.post_json(&format!("/api/v1/{resource}"), &body).await;
        assert_eq!(
            created.status(),
            201,
            "{resource}: {:?}",
            created.text().await
        );
        let location = created.headers()["location"].to_str().unwrap().to_string();
        let etag = created.headers()["etag"].to_str().unwrap().to_string();
        let record: Value = created.json().await.unwrap();
        let id = record["id"].as_i64().unwrap();
        assert_eq!(location, format!("/api/v1/{resource}/{id}"));
        assert_eq!(etag, "\"1\"", "{resource}");

        let read = app.get(&location).await;
        assert_eq!(read.status(), 200, "{resource}");
        assert_eq!(read.headers()["etag"], etag.as_str());
        assert_eq!(read.json::<Value>().await.unwrap(), record, "{resource}");
        let listed: Value = app
            .get_json(&format!("/api/v1/{resource}?limit=1000"))
            .await;
        assert!(
            listed.as_array().unwrap().iter().any(|r| r["id"] == id),
            "{resource} lists the new record"
        );

        let edited = merged(body.clone(), &change);
        let res = put(&app, &location, &etag, &edited).await;
        assert_eq!(res.status(), 200, "{resource}: {:?}", res.text().await);
        assert_eq!(res.headers()["etag"], "\"2\"", "{resource}");
        let after: Value = res.json().await.unwrap();
        for (k, v) in change.as_object().unwrap() {
            assert_eq!(&after[k], v, "{resource}.{k} after the edit");
        }

        // The first version again is stale: 409 with the record as it is now.
        let stale = put(&app, &location, &etag, &body).await;
        assert_eq!(stale.status(), 409, "{resource}");
        assert_eq!(stale.headers()["etag"], "\"2\"");
        let conflict: Value = stale.json().await.unwrap();
        assert_eq!(conflict["code"], "edit_conflict");
        assert_eq!(conflict["current"], after, "{resource}");
        let missing_version = app
            .client
            .put(format!("{}{location}", app.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(missing_version.status(), 428, "{resource}");

        let deleted = app
            .client
            .delete(format!("{}{location}", app.url))
            .header("If-Match", "\"2\"")
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204, "{resource}");
        assert_eq!(app.get(&location).await.status(), 404, "{resource}");

        let trail = app
            .get_json(&format!(
                "/api/v1/audit?resource={resource}&resource_id={id}"
            ))
            .await;
        let actions: Vec<&str> = trail
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["delete", "update", "create"], "{resource}");
        assert_eq!(
            trail[0]["before"], after,
            "{resource}: the delete keeps the record"
        );
        assert_eq!(trail[1]["before"], record);
    }
}

#[tokio::test]
async fn a_retried_create_stores_one_record_and_a_reused_key_is_refused() {
    let app = spawn_app().await;
    let ids = ids(&app).await;
    let (assignment, training) = parents(&app, &ids).await;
    for (resource, body, change) in bodies(&ids, assignment, training) {
        let path = format!("/api/v1/{resource}");
        let total = |res: &reqwest::Response| -> i64 {
            res.headers()["x-total-count"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap()
        };
        let before = total(&app.get(&path).await);
        let key = format!("retry-{resource}");
        let mut answers = Vec::new();
        for _ in 0..2 {
            let res = app
                .client
                .post(format!("{}{path}", app.url))
                .header("Idempotency-Key", &key)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 201, "{resource}");
            answers.push(res.json::<Value>().await.unwrap());
        }
        assert_eq!(answers[0], answers[1], "{resource}");
        assert_eq!(total(&app.get(&path).await), before + 1, "{resource}");

        let reused = app
            .client
            .post(format!("{}{path}", app.url))
            .header("Idempotency-Key", &key)
            .json(&merged(body, &change))
            .send()
            .await
            .unwrap();
        assert_eq!(reused.status(), 422, "{resource}");
        assert_eq!(
            reused.json::<Value>().await.unwrap()["code"],
            "idempotency_key_reused"
        );
        assert_eq!(total(&app.get(&path).await), before + 1, "{resource}");
    }
}

#[tokio::test]
async fn concurrent_retries_of_a_create_make_one_row() {
    let app = spawn_app().await;
    let ids = ids(&app).await;
    let (assignment, _) = parents(&app, &ids).await;
    let body = json!({"assignment_id": assignment, "school_id": ids.school, "film_id": ids.film,
                      "shown_on": ids.day, "students": 100, "parents": 0, "classes": 3, "method": "online"});
    let before = app.count("screening_confirmations").await;
    let sends = (0..8).map(|_| {
        app.client
            .post(format!("{}/api/v1/confirmations", app.url))
            .header("Idempotency-Key", "raced-confirmation")
            .json(&body)
            .send()
    });
    let answers = futures_util::future::join_all(sends).await;
    for answer in answers {
        assert_eq!(answer.unwrap().status(), 201);
    }
    assert_eq!(app.count("screening_confirmations").await, before + 1);
}

#[tokio::test]
async fn a_second_record_with_the_same_natural_key_is_a_conflict_carrying_the_first() {
    let app = spawn_app().await;
    let first = create(
        &app,
        "films",
        &json!({"title": "重复的影片", "minutes": 10, "topic_ids": [1]}),
    )
    .await;
    let res = app
        .post_json(
            "/api/v1/films",
            &json!({"title": "重复的影片", "minutes": 12, "topic_ids": [1]}),
        )
        .await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "duplicate_record");
    assert_eq!(body["current"], first);

    // The demo's 2024 campaign holds that year.
    let res = app
        .post_json(
            "/api/v1/campaigns",
            &json!({"name": "又一个2024", "year": 2024, "starts_on": "2024-01-01", "ends_on": "2024-12-31"}),
        )
        .await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn a_school_confirms_a_film_once_and_a_second_confirmation_updates_it() {
    let app = spawn_app().await;
    let ids = ids(&app).await;
    let (assignment, _) = parents(&app, &ids).await;
    let body = json!({"assignment_id": assignment, "school_id": ids.school, "film_id": ids.film,
                      "shown_on": ids.day, "students": 100, "parents": 10, "classes": 3, "method": "assembly"});
    let before = app.count("screening_confirmations").await;
    let first = create(&app, "confirmations", &body).await;
    let again = app
        .post_json(
            "/api/v1/confirmations",
            &merged(body, &json!({"students": 150})),
        )
        .await;
    assert_eq!(
        again.status(),
        200,
        "the second confirmation updates the first"
    );
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["students"], 150);
    assert_eq!(again["version"], 2);
    assert_eq!(app.count("screening_confirmations").await, before + 1);
}

#[tokio::test]
async fn confirmations_are_checked_against_the_assignment_and_the_roll() {
    let app = spawn_app().await;
    let ids = ids(&app).await;
    let (assignment, _) = parents(&app, &ids).await;
    let roll = app
        .get_json(&format!("/api/v1/schools/{}", ids.school))
        .await["enrolment"]
        .as_i64()
        .unwrap();
    let valid = json!({"assignment_id": assignment, "school_id": ids.school, "film_id": ids.film,
                       "shown_on": ids.day, "students": 10, "parents": 0, "classes": 1, "method": "online"});
    let before = app.count("screening_confirmations").await;
    let cases = [
        (
            json!({"students": roll + 1}),
            "students",
            "exceeds_enrolment",
        ),
        (
            json!({"film_id": ids.other_film}),
            "film_id",
            "not_assigned",
        ),
        (
            json!({"school_id": ids.other_school}),
            "school_id",
            "not_assigned",
        ),
        (
            json!({"shown_on": "2000-01-01"}),
            "shown_on",
            "outside_window",
        ),
        (
            json!({"assignment_id": 999_999}),
            "assignment_id",
            "unknown_value",
        ),
        (json!({"film_id": 999_999}), "film_id", "unknown_value"),
        (json!({"students": -1}), "students", "negative"),
        (json!({"method": null}), "method", "required"),
    ];
    for (change, field, code) in cases {
        let res = app
            .post_json("/api/v1/confirmations", &merged(valid.clone(), &change))
            .await;
        assert_eq!(res.status(), 422, "{change}");
        let body: Value = res.json().await.unwrap();
        let found = body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == field && f["code"] == code);
        assert!(found, "{change}: expected {field}={code} in {body}");
    }
    assert_eq!(
        app.count("screening_confirmations").await,
        before,
        "nothing half-stored"
    );
}

#[tokio::test]
async fn a_deleted_record_comes_back_when_created_again_and_a_used_one_cannot_be_deleted() {
    let app = spawn_app().await;
    let body = json!({"code": "T-D", "name": "测试分局"});
    let first = create(&app, "districts", &body).await;
    let path = format!("/api/v1/districts/{}", first["id"]);
    let res = app
        .client
        .delete(format!("{}{path}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let again = create(
        &app,
        "districts",
        &json!({"code": "T-D", "name": "测试分局（恢复）"}),
    )
    .await;
    assert_eq!(
        again["id"], first["id"],
        "the same record, with its history"
    );
    assert_eq!(again["name"], "测试分局（恢复）");

    // 雕庄's district has stations: deleting it would orphan them.
    let ids = ids(&app).await;
    let res = app
        .client
        .delete(format!("{}/api/v1/districts/{}", app.url, ids.district))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "in_use");
}

#[tokio::test]
async fn lists_filter_page_and_sort() {
    let app = spawn_app().await;
    let ids = ids(&app).await;
    let res = app
        .get(&format!(
            "/api/v1/schools?station_id={}&limit=2&page=1&sort=code",
            ids.station
        ))
        .await;
    let total: i64 = res.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let page: Value = res.json().await.unwrap();
    assert!(total > 2, "雕庄 has more than two schools");
    assert_eq!(page.as_array().unwrap().len(), 2);
    assert!(page[0]["code"].as_str() < page[1]["code"].as_str());
    for school in page.as_array().unwrap() {
        assert_eq!(school["station_id"], ids.station);
    }
    let stations = app
        .get_json(&format!("/api/v1/stations?district_id={}", ids.district))
        .await;
    assert!(stations
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["district_id"] == ids.district));
    assert_eq!(
        app.get("/api/v1/stations?sort=nonsense").await.status(),
        400
    );
    assert_eq!(app.get("/api/v1/schools?kind=castle").await.status(), 400);

    let tree = app.get_json("/api/v1/org").await;
    let districts = tree["districts"].as_array().unwrap();
    assert_eq!(districts.len(), 7);
    let stations: usize = districts
        .iter()
        .map(|d| d["stations"].as_array().unwrap().len())
        .sum();
    assert_eq!(stations, 87);
}

#[tokio::test]
async fn a_method_a_path_does_not_take_is_405_naming_those_it_does() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        (reqwest::Method::PATCH, "/api/v1/districts", "GET, POST"),
        (
            reqwest::Method::POST,
            "/api/v1/schools/1",
            "GET, PUT, DELETE",
        ),
        (
            reqwest::Method::DELETE,
            "/api/v1/aggregates/audience",
            "GET",
        ),
        (reqwest::Method::PUT, "/api/health", "GET"),
    ] {
        let res = app
            .client
            .request(method.clone(), format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405, "{method} {path}");
        assert_eq!(res.headers()["allow"], allow, "{method} {path}");
        assert_eq!(
            res.json::<Value>().await.unwrap()["code"],
            "method_not_allowed"
        );
    }
}

#[tokio::test]
async fn small_station_counts_are_hidden_from_all_but_administrators() {
    let app = spawn_app().await;
    // 三井 counts its other figures from its registers: theft cases by minors stay typed.
    let sanjing = app.id_of("stations", "name", "三井派出所").await;
    let month = &clock::today().to_string()[..7];
    let created = create(
        &app,
        "outcomes",
        &json!({"station_id": sanjing, "month": month, "indicator": "juvenile_thefts", "value": 3}),
    )
    .await;
    let path = format!("/api/v1/outcomes/{}", created["id"]);
    assert_eq!(
        app.get_json(&path).await["value"],
        3,
        "the administrator sees it"
    );
    let series = format!("/api/v1/aggregates/outcomes?station_id={sanjing}&from={month}-01");
    let point = |body: Value| -> Value {
        body.as_array()
            .unwrap()
            .iter()
            .find(|p| p["indicator"] == "juvenile_thefts" && p["month"] == *month)
            .map(|p| p["value"].clone())
            .expect("the month's point")
    };
    assert_eq!(point(app.get_json(&series).await), 3);
    for viewer in ["officer.sanjing", "leader"] {
        let client = app.client_as(viewer).await;
        let read: Value = client
            .get(format!("{}{path}", app.url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(read["value"], Value::Null, "{viewer} sees it hidden");
        let body: Value = client
            .get(format!("{}{series}", app.url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(point(body), Value::Null, "{viewer}'s chart hides it");
    }
}
