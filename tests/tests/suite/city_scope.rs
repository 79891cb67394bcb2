//! City scope: a province's database holds several cities, and a leader or an administrator
//! can be given one of them. Everything they reach — lists and single records of every
//! kind, files, named ids, aggregates, the report, accounts — holds their city's and no
//! other's; an id of another city's district, station or school is 404, as one that names
//! nothing. Only whole-database administrators add, edit or delete cities.
//!
//! The demo's 常州 gets a neighbour, 无锡, with one district, station and school and a
//! session there; `leader.changzhou` and `admin.changzhou` are scoped to 常州.

use humiao_tests::fixtures::{session_entry, Refs};
use humiao_tests::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

/// The demo with a second city, and accounts scoped to the first.
struct TwoCities {
    app: TestApp,
    changzhou: i64,
    wuxi: i64,
    /// 无锡's district, station, school and the session logged there.
    district: i64,
    station: i64,
    school: i64,
    session: i64,
    /// 常州's leader and administrator.
    leader: Client,
    admin: Client,
    campaign: i64,
    year: i32,
}

/// What the session at 无锡 is called in its notes, to find it in lists and files.
const WUXI_NOTE: &str = "无锡梁溪的宣讲";
const WUXI_SCHOOL: &str = "梁溪实验小学";

async fn created(client: &Client, app: &TestApp, path: &str, body: Value) -> i64 {
    let res = client
        .post(format!("{}{path}", app.url))
        .json(&body)
        .send()
        .await
        .expect("sent");
    let status = res.status();
    let answer: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 201, "POST {path}: {answer}");
    answer["id"].as_i64().expect("an id")
}

async fn two_cities() -> TwoCities {
    let app = spawn_app().await;
    let admin = app.client.clone();
    let changzhou = app.id_of("cities", "name", "常州市公安局").await;
    let city = json!({"code": "WX", "name": "无锡市公安局", "sort_order": 2});
    let wuxi = created(&admin, &app, "/api/v1/cities", city).await;
    let district = json!({"city_id": wuxi, "code": "WX-LX", "name": "梁溪分局", "sort_order": 1});
    let district = created(&admin, &app, "/api/v1/districts", district).await;
    let station = json!({"district_id": district, "code": "WX-LX01", "name": "崇安寺派出所",
                         "workstation": null});
    let station = created(&admin, &app, "/api/v1/stations", station).await;
    let school = json!({"code": "WX-SC1", "name": WUXI_SCHOOL, "kind": "primary",
                        "district_id": district, "station_id": station,
                        "enrolments": [{"school_year": 2025, "students": 600}]});
    let school = created(&admin, &app, "/api/v1/schools", school).await;
    let topics = app.get_json("/api/v1/topics").await;
    let campaign = app.current_campaign().await;
    let refs = Refs {
        campaign_id: campaign,
        station_id: station,
        school_id: school,
        topic_id: topics[0]["id"].as_i64().expect("a topic"),
    };
    let session = created(
        &admin,
        &app,
        "/api/v1/sessions",
        session_entry(&refs, WUXI_NOTE),
    )
    .await;
    for (username, role) in [("leader.changzhou", "leader"), ("admin.changzhou", "admin")] {
        let account = json!({"username": username, "role": role, "city_id": changzhou,
                             "password": humiao_tests::DEMO_PASSWORD});
        created(&admin, &app, "/api/v1/users", account).await;
    }
    TwoCities {
        leader: app.client_as("leader.changzhou").await,
        admin: app.client_as("admin.changzhou").await,
        year: chrono::Datelike::year(&humiao_server::clock::today()),
        campaign,
        app,
        changzhou,
        wuxi,
        district,
        station,
        school,
        session,
    }
}

impl TwoCities {
    async fn get(&self, client: &Client, path: &str) -> (u16, String) {
        let res = client
            .get(format!("{}{path}", self.app.url))
            .send()
            .await
            .expect("sent");
        (res.status().as_u16(), res.text().await.expect("a body"))
    }

    async fn json(&self, client: &Client, path: &str) -> Value {
        let (status, body) = self.get(client, path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).expect("JSON")
    }

    async fn send(&self, client: &Client, method: reqwest::Method, path: &str, body: Value) -> u16 {
        let url = format!("{}{path}", self.app.url);
        let mut req = client.request(method.clone(), &url);
        if [reqwest::Method::PUT, reqwest::Method::DELETE].contains(&method) {
            // The current version, read as the whole-database administrator.
            let current = self.app.get(path).await;
            if let Some(tag) = current.headers().get(reqwest::header::ETAG) {
                req = req.header(reqwest::header::IF_MATCH, tag.clone());
            }
        }
        if !body.is_null() {
            req = req.json(&body);
        }
        req.send().await.expect("sent").status().as_u16()
    }
}

/// The ids of a list's rows under `key`.
fn ids(list: &Value, key: &str) -> Vec<i64> {
    list.as_array()
        .expect("a list")
        .iter()
        .filter_map(|r| r[key].as_i64())
        .collect()
}

#[tokio::test]
async fn a_city_leader_reads_only_their_citys_records_and_files() {
    let w = two_cities().await;
    let me = w.json(&w.leader, "/api/v1/auth/me").await;
    assert_eq!(me["city_id"], json!(w.changzhou), "{me}");
    assert_eq!(me["district_id"], Value::Null, "{me}");

    // Whole-database administrator first: 无锡's records are there to be hidden.
    let admin = &w.app.client;
    let outcome = json!({"station_id": w.station, "month": "2025-09", "indicator": "visits",
                         "value": 12});
    let outcome = created(admin, &w.app, "/api/v1/outcomes", outcome).await;
    for (path, key, id) in [
        (
            "/api/v1/outcomes?from=2025-09&to=2025-09&indicator=visits&limit=1000",
            "id",
            outcome,
        ),
        ("/api/v1/cities", "id", w.wuxi),
        ("/api/v1/districts", "id", w.district),
        ("/api/v1/stations", "id", w.station),
        ("/api/v1/schools?limit=1000", "id", w.school),
        ("/api/v1/sessions?limit=1000", "id", w.session),
    ] {
        assert!(
            ids(&w.json(admin, path).await, key).contains(&id),
            "admin {path}"
        );
        let mine = w.json(&w.leader, path).await;
        assert!(
            !ids(&mine, key).contains(&id),
            "leader.changzhou {path}: {mine}"
        );
        assert!(
            !ids(&mine, key).is_empty(),
            "leader.changzhou {path} sees 常州's"
        );
    }
    let cities = w.json(&w.leader, "/api/v1/cities").await;
    assert_eq!(ids(&cities, "id"), vec![w.changzhou]);
    let districts = w.json(&w.leader, "/api/v1/districts").await;
    assert!(
        districts
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["city_id"] == json!(w.changzhou)),
        "{districts}"
    );
    // An assignment shows a city's leader their city's schools only, and one that asks
    // none of them is not found.
    let diaozhuang = w.app.id_of("schools", "name", "雕庄小学").await;
    let films = w.app.get_json("/api/v1/films").await;
    let today = humiao_server::clock::today().to_string();
    let assignment = |title: &str, schools: Vec<i64>| {
        json!({"campaign_id": w.campaign, "title": title, "film_ids": [films[0]["id"]],
               "school_ids": schools, "opens_on": today, "closes_on": today})
    };
    let both = assignment("两市观看任务", vec![diaozhuang, w.school]);
    let both = created(admin, &w.app, "/api/v1/assignments", both).await;
    let theirs = assignment("无锡观看任务", vec![w.school]);
    let theirs = created(admin, &w.app, "/api/v1/assignments", theirs).await;
    let seen = w
        .json(&w.leader, &format!("/api/v1/assignments/{both}"))
        .await;
    assert_eq!(seen["school_ids"], json!([diaozhuang]), "{seen}");
    let (status, _) = w
        .get(&w.leader, &format!("/api/v1/assignments/{theirs}"))
        .await;
    assert_eq!(status, 404);

    // The files hold what the lists do.
    for (path, text) in [
        ("/api/v1/sessions?format=csv", WUXI_NOTE),
        ("/api/v1/schools?format=csv", WUXI_SCHOOL),
        ("/api/v1/stations?format=csv", "崇安寺派出所"),
        ("/api/v1/districts?format=csv", "梁溪分局"),
        ("/api/v1/org", "梁溪分局"),
    ] {
        let (status, all) = w.get(admin, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(all.contains(text), "admin {path}");
        let (status, mine) = w.get(&w.leader, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!mine.contains(text), "leader.changzhou {path} holds {text}");
    }
}

#[tokio::test]
async fn another_citys_places_and_records_are_not_found_by_a_city_leader() {
    let w = two_cities().await;
    let y = w.year;
    let others = [
        format!("/api/v1/cities/{}", w.wuxi),
        format!("/api/v1/districts/{}", w.district),
        format!("/api/v1/stations/{}", w.station),
        format!("/api/v1/schools/{}", w.school),
        format!("/api/v1/sessions/{}", w.session),
        format!("/api/v1/sessions?district_id={}", w.district),
        format!("/api/v1/schools?station_id={}", w.station),
        format!("/api/v1/aggregates/reach?year={y}&city_id={}", w.wuxi),
        format!(
            "/api/v1/aggregates/reach?year={y}&district_id={}",
            w.district
        ),
        format!(
            "/api/v1/aggregates/audience?year={y}&school_id={}",
            w.school
        ),
        format!(
            "/api/v1/aggregates/sessions-by-district?year={y}&station_id={}",
            w.station
        ),
        format!("/report/{y}?city_id={}", w.wuxi),
        format!("/report/{y}?district_id={}", w.district),
    ];
    for path in &others {
        let (status, body) = w.get(&w.leader, path).await;
        assert_eq!(status, 404, "leader.changzhou GET {path}: {body}");
        let (status, _) = w.get(&w.app.client, path).await;
        assert_eq!(status, 200, "admin GET {path}");
    }
    // Their own city answers.
    for path in [
        format!("/api/v1/cities/{}", w.changzhou),
        format!("/api/v1/aggregates/reach?year={y}&city_id={}", w.changzhou),
        format!("/report/{y}?city_id={}", w.changzhou),
    ] {
        let (status, body) = w.get(&w.leader, &path).await;
        assert_eq!(status, 200, "leader.changzhou GET {path}: {body}");
    }
}

#[tokio::test]
async fn anyone_narrower_may_name_their_own_city_and_is_still_held_to_their_district() {
    let w = two_cities().await;
    let tianning = w.app.client_as("leader.tianning").await;
    let path = format!("/report/{}?city_id={}", w.year, w.changzhou);
    let (status, page) = w.get(&tianning, &path).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("范围：天宁分局"), "{page}");
    let path = format!("/report/{}?city_id={}", w.year, w.wuxi);
    assert_eq!(w.get(&tianning, &path).await.0, 404);
}

#[tokio::test]
async fn a_city_leaders_report_is_their_citys_and_names_it() {
    let w = two_cities().await;
    let (status, page) = w.get(&w.leader, &format!("/report/{}", w.year)).await;
    assert_eq!(status, 200);
    assert!(page.contains("范围：常州市公安局"), "{page}");
    assert!(!page.contains("范围：全市"), "{page}");
    // The whole-database administrator asks for one city by its id.
    let path = format!("/report/{}?city_id={}&lang=en", w.year, w.wuxi);
    let (status, page) = w.get(&w.app.client, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Scope: 无锡市公安局 only"), "{page}");
    // Its organisation is the city's: 无锡 has one station, none with a workstation.
    let path = format!("/report/{}?city_id={}", w.year, w.wuxi);
    let (_, page) = w.get(&w.app.client, &path).await;
    assert!(page.contains("1 个派出所中，0 个建立了"), "{page}");
}

#[tokio::test]
async fn a_city_admin_manages_their_city_and_nothing_beyond_it() {
    let w = two_cities().await;
    use reqwest::Method;
    let admin = &w.admin;
    let district = |city: i64, code: &str| {
        let name = format!("{code}分局");
        json!({"city_id": city, "code": code, "name": name, "sort_order": 5})
    };
    // Their city's district, station and school: allowed.
    let mine = created(
        admin,
        &w.app,
        "/api/v1/districts",
        district(w.changzhou, "CZ-NEW"),
    )
    .await;
    let station = json!({"district_id": mine, "code": "CZ-NEW01", "name": "新派出所",
                         "workstation": null});
    let station = created(admin, &w.app, "/api/v1/stations", station).await;
    // A code another city's school has is taken, and that school is not shown.
    let res = admin
        .post(format!("{}/api/v1/schools", w.app.url))
        .json(
            &json!({"code": "WX-SC1", "name": "常州新小学", "kind": "primary",
                      "district_id": mine, "station_id": station, "enrolments": []}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(!body.contains(WUXI_SCHOOL), "{body}");
    // Another city's: refused, and nothing stored.
    let cases = [
        (
            Method::POST,
            "/api/v1/districts".to_string(),
            district(w.wuxi, "WX-NEW"),
            403,
        ),
        (
            Method::POST,
            "/api/v1/stations".to_string(),
            json!({"district_id": w.district, "code": "WX-NEW01", "name": "无锡新所",
                   "workstation": null}),
            403,
        ),
        (
            Method::POST,
            "/api/v1/schools".to_string(),
            json!({"code": "WX-NEWSC", "name": "无锡新小学", "kind": "primary",
                   "district_id": w.district, "station_id": w.station, "enrolments": []}),
            403,
        ),
        (
            Method::PUT,
            format!("/api/v1/districts/{}", w.district),
            district(w.changzhou, "WX-LX"),
            404,
        ),
        (
            Method::DELETE,
            format!("/api/v1/schools/{}", w.school),
            Value::Null,
            404,
        ),
        // Cities, and what every city shares, are the whole database's.
        (
            Method::POST,
            "/api/v1/cities".to_string(),
            json!({"code": "SZ", "name": "苏州市公安局", "sort_order": 3}),
            403,
        ),
        (
            Method::PUT,
            format!("/api/v1/cities/{}", w.changzhou),
            json!({"code": "CZ", "name": "常州", "sort_order": 1}),
            403,
        ),
        (
            Method::DELETE,
            format!("/api/v1/cities/{}", w.changzhou),
            Value::Null,
            403,
        ),
        (
            Method::POST,
            "/api/v1/topics".to_string(),
            json!({"code": "city_topic", "name_zh": "市局主题", "name_en": "City topic",
                   "sort_order": 60}),
            403,
        ),
        // No account beyond the city, and none for the whole database.
        (
            Method::POST,
            "/api/v1/users".to_string(),
            json!({"username": "leader.wuxi", "role": "leader", "city_id": w.wuxi,
                   "password": "a long enough phrase"}),
            422,
        ),
        (
            Method::POST,
            "/api/v1/users".to_string(),
            json!({"username": "officer.wuxi", "role": "officer", "station_id": w.station,
                   "password": "a long enough phrase"}),
            422,
        ),
        (
            Method::POST,
            "/api/v1/users".to_string(),
            json!({"username": "root.too", "role": "admin",
                   "password": "a long enough phrase"}),
            403,
        ),
        // A name another city's (or the whole database's) account has is only taken.
        (
            Method::POST,
            "/api/v1/users".to_string(),
            json!({"username": "admin", "role": "leader", "city_id": w.changzhou,
                   "password": "a long enough phrase"}),
            422,
        ),
        (
            Method::POST,
            "/api/v1/users".to_string(),
            json!({"username": "leader.tianning", "role": "leader", "city_id": w.changzhou,
                   "password": "a long enough phrase"}),
            409,
        ),
    ];
    let before: Vec<i64> = stored_counts(&w).await;
    for (method, path, body, expected) in cases {
        let status = w.send(admin, method.clone(), &path, body).await;
        assert_eq!(status, expected, "admin.changzhou {method} {path}");
    }
    assert_eq!(
        stored_counts(&w).await,
        before,
        "nothing refused was stored"
    );
    // Sessions at another city's station.
    let topics = w.app.get_json("/api/v1/topics").await;
    let refs = Refs {
        campaign_id: w.app.current_campaign().await,
        station_id: w.station,
        school_id: w.school,
        topic_id: topics[0]["id"].as_i64().unwrap(),
    };
    let status = w
        .send(
            admin,
            Method::POST,
            "/api/v1/sessions",
            session_entry(&refs, "不属于常州"),
        )
        .await;
    assert_eq!(status, 403);
    // The accounts they see are their city's; the whole-database administrator is not one.
    let accounts = w.json(admin, "/api/v1/users").await;
    let names: Vec<&str> = accounts
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["username"].as_str())
        .collect();
    assert!(names.contains(&"leader.changzhou"), "{names:?}");
    assert!(names.contains(&"leader.tianning"), "{names:?}");
    assert!(!names.contains(&"admin"), "{names:?}");
    let root = w.app.id_of("users", "username", "admin").await;
    let status = w
        .send(
            admin,
            Method::POST,
            &format!("/api/v1/users/{root}/disable"),
            Value::Null,
        )
        .await;
    assert_eq!(
        status, 404,
        "the whole-database administrator is not theirs"
    );
    let (status, _) = w.get(admin, "/api/v1/audit").await;
    assert_eq!(status, 403, "the audit trail names every city's accounts");
}

/// Cities, districts, stations, schools, topics and accounts stored, read behind the API.
async fn stored_counts(w: &TwoCities) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "cities",
        "districts",
        "stations",
        "schools",
        "topics",
        "users",
    ] {
        counts.push(w.app.count(table).await);
    }
    counts
}

#[tokio::test]
async fn the_whole_database_administrator_keeps_the_cities() {
    let w = two_cities().await;
    use reqwest::Method;
    let admin = &w.app.client;
    let cities = w.json(admin, "/api/v1/cities").await;
    assert_eq!(ids(&cities, "id"), vec![w.changzhou, w.wuxi]);
    // A city with districts stays.
    let path = format!("/api/v1/cities/{}", w.wuxi);
    let status = w.send(admin, Method::DELETE, &path, Value::Null).await;
    assert_eq!(status, 409);
    let res = admin
        .get(format!("{}{path}", w.app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "still there");
    // With two cities, a new district names its own.
    let res = w
        .app
        .post_json(
            "/api/v1/districts",
            &json!({"code": "NO-CITY", "name": "无市局分局", "sort_order": 1}),
        )
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "city_id", "{body}");
    let res = w
        .app
        .post_json(
            "/api/v1/districts",
            &json!({"city_id": 999_999, "code": "NO-CITY", "name": "无市局分局"}),
        )
        .await;
    assert_eq!(res.status(), 422, "an unknown city");
    // A city nothing refers to may go.
    let empty = created(
        admin,
        &w.app,
        "/api/v1/cities",
        json!({"code": "SZ", "name": "苏州市公安局", "sort_order": 3}),
    )
    .await;
    let path = format!("/api/v1/cities/{empty}");
    assert_eq!(w.send(admin, Method::DELETE, &path, Value::Null).await, 204);
}

#[tokio::test]
async fn a_city_leaders_aggregates_hold_only_their_citys_districts_and_sessions() {
    let w = two_cities().await;
    let y = w.year;
    let path = format!("/api/v1/aggregates/sessions-by-district?year={y}");
    let all = w.json(&w.app.client, &path).await;
    assert!(ids(&all, "district_id").contains(&w.district), "{all}");
    let mine = w.json(&w.leader, &path).await;
    assert!(!ids(&mine, "district_id").contains(&w.district), "{mine}");
    // Totals minus the visible parts reveal nothing of 无锡: the city's total is the sum
    // of its districts, and the whole database's exceeds it by 无锡's session.
    let sessions = |rows: &Value| -> i64 {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["sessions"].as_i64().unwrap_or_default())
            .sum()
    };
    assert_eq!(sessions(&all) - sessions(&mine), 1, "{all}\n{mine}");
    let audience = format!("/api/v1/aggregates/audience?year={y}");
    let all = w.json(&w.app.client, &audience).await;
    let mine = w.json(&w.leader, &audience).await;
    assert_eq!(
        all["sessions"].as_i64().unwrap() - mine["sessions"].as_i64().unwrap(),
        1,
        "{all}\n{mine}"
    );
}

#[tokio::test]
async fn a_city_admin_imports_into_their_city_only() {
    let w = two_cities().await;
    use humiao_shared::import::ImportKind;
    let header: Vec<String> = ImportKind::Stations
        .columns()
        .iter()
        .map(|c| c.header(humiao_shared::Lang::En).to_string())
        .collect();
    // Code, name, district (by code), workstation: one row in 常州, one in 无锡.
    let file = [
        header.join(","),
        "CZ-IMP1,常州导入派出所,TN,".to_string(),
        "WX-IMP1,无锡导入派出所,WX-LX,".to_string(),
    ]
    .join("\r\n");
    let stations = w.app.count("stations").await;
    let res = w
        .admin
        .post(format!("{}/api/v1/imports/stations", w.app.url))
        .header(reqwest::header::CONTENT_TYPE, "text/csv")
        .body(file)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let report: Value = res.json().await.unwrap();
    assert_eq!(status, 422, "{report}");
    let problems = report["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{report}");
    assert_eq!(problems[0]["row"], 3, "{report}");
    assert_eq!(problems[0]["code"], "outside_scope", "{report}");
    assert_eq!(
        report["stored"], false,
        "a file with a problem stores nothing"
    );
    assert_eq!(w.app.count("stations").await, stations);
}
