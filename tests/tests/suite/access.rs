//! The access matrix: `tests/access_matrix.csv` gives, for every operation of the API, the
//! status each kind of viewer gets, and this test sends every one of those requests.
//!
//! A row names the operation as the OpenAPI document does (method and path template), the
//! concrete request, the body sent, and one expected status per viewer:
//!
//! | column            | who                                                         |
//! |-------------------|-------------------------------------------------------------|
//! | `anonymous`       | no session                                                  |
//! | `admin`           | `admin`, the city bureau's administrator                    |
//! | `city_leader`     | `leader`, the whole city                                    |
//! | `district_leader` | `leader.tianning`, 天宁分局                                  |
//! | `officer`         | `officer.diaozhuang`, 雕庄派出所 (in 天宁)                    |
//! | `other_officer`   | `officer.sanjing`, 三井派出所 (新北)                          |
//! | `school`          | `school.diaozhuang`, 雕庄小学 (雕庄派出所's area)             |
//! | `other_school`    | `school.boai`, 博爱小学 (钟楼)                                |
//! | `volunteer`       | `volunteer.diaozhuang`, a volunteer of 雕庄派出所             |
//!
//! In the request, `{name}` is a record the setup made or found: `{session}` was logged by
//! officer.diaozhuang at 雕庄小学, `{assignment}` expects 雕庄小学 only, `{confirmation}`,
//! `{trainee}` and `{outcome}` are 雕庄's; `{case}` is a case of 雕庄 that the volunteer is
//! paired with (`{case_team}`), `{contact}` one logged on it as the volunteer. `{new_name}` is a record made for that one cell
//! (by the administrator, behind the viewer's back), so that an edit or a delete that is
//! allowed changes nothing a later cell reads. The body is built per cell too, valid and
//! unique, so that an allowed write succeeds and a refused one is refused for the viewer
//! alone: `session`, `district`, … (a new record of that kind, 雕庄's where it has a
//! place), `confirmation` (雕庄小学's), `links` (for 雕庄小学), `user` (an officer of
//! 雕庄), `password` (a new one for an account), `wrong_password` (the viewer's own
//! username), `link_secret` (a fresh link of 雕庄小学), `transition` (a return's move with
//! a reason), `webhook` (a district's webhook, cleared), `-` (no body). A return's month is `{open_month}`, `{submitted_month}` or
//! `{approved_district_month}`, one of its own per cell (see `World::return_month`).
//!
//! Each viewer's requests come from an address of its own (127.0.0.10–17), as people sign
//! in from machines of their own: the limit on failed logins counts per address. A cell
//! whose answer replaces the viewer's cookie (a link, a logout) is followed by a new login.
//!
//! Every mismatch is listed, not only the first. A second test checks that the rows and the
//! operations of `GET /api/openapi.json` are the same set.

use std::collections::{BTreeSet, HashMap};
use std::net::{IpAddr, Ipv4Addr};

use chrono::{Datelike, Duration, Utc};
use humiao_server::clock;
use humiao_server::token::digest;
use humiao_tests::fixtures::{session_entry, Refs};
use humiao_tests::{spawn_app, spawn_empty_app, TestApp, DEMO_PASSWORD};
use reqwest::{header, Method};
use serde_json::{json, Value};

const MATRIX: &str = include_str!("../../access_matrix.csv");

/// The matrix's columns before the viewers'.
const LEADING: [&str; 4] = ["method", "path", "request", "body"];

/// The viewers in the matrix's column order: the column and the demo account.
const VIEWERS: [(&str, Option<&str>); 9] = [
    ("anonymous", None),
    ("admin", Some("admin")),
    ("city_leader", Some("leader")),
    ("district_leader", Some("leader.tianning")),
    ("officer", Some("officer.diaozhuang")),
    ("other_officer", Some("officer.sanjing")),
    ("school", Some("school.diaozhuang")),
    ("other_school", Some("school.boai")),
    ("volunteer", Some("volunteer.diaozhuang")),
];

/// Where each kind of record is created, by the name bodies and `{new_…}` use.
const COLLECTIONS: [(&str, &str); 21] = [
    ("city", "/api/v1/cities"),
    ("district", "/api/v1/districts"),
    ("station", "/api/v1/stations"),
    ("school", "/api/v1/schools"),
    ("topic", "/api/v1/topics"),
    ("campaign", "/api/v1/campaigns"),
    ("film", "/api/v1/films"),
    ("assignment", "/api/v1/assignments"),
    ("confirmation", "/api/v1/confirmations"),
    ("training", "/api/v1/trainings"),
    ("trainee", "/api/v1/trainees"),
    ("outcome", "/api/v1/outcomes"),
    ("volunteer", "/api/v1/volunteers"),
    ("case", "/api/v1/cases"),
    ("case_team", "/api/v1/case_team"),
    ("contact", "/api/v1/contacts"),
    ("case_event", "/api/v1/case_events"),
    ("runaway_call", "/api/v1/runaway_calls"),
    ("night_care", "/api/v1/night_care"),
    ("session", "/api/v1/sessions"),
    ("user", "/api/v1/users"),
];

const COOKIE: &str = humiao_server::auth::COOKIE;

/// The day `n` days after 1 January 2020, for register records that must not clash.
fn after_2020(n: i64) -> String {
    (chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a day") + Duration::days(n)).to_string()
}

/// One row of the matrix.
struct Row {
    line: usize,
    method: Method,
    path: String,
    request: String,
    body: String,
    expected: Vec<u16>,
}

/// The rows, or a panic that lists every malformed one.
fn matrix() -> Vec<Row> {
    let mut lines = MATRIX.lines().enumerate();
    let header: Vec<String> = LEADING
        .iter()
        .chain(VIEWERS.iter().map(|(column, _)| column))
        .map(|c| c.to_string())
        .collect();
    let (_, first) = lines.next().expect("a header");
    assert_eq!(
        first.split(',').map(str::trim).collect::<Vec<_>>(),
        header,
        "the matrix's header"
    );
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, text) in lines {
        let line = i + 1;
        if text.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = text.split(',').map(str::trim).collect();
        if fields.len() != header.len() {
            problems.push(format!(
                "line {line}: {} fields, not {}",
                fields.len(),
                header.len()
            ));
            continue;
        }
        let method = match Method::from_bytes(fields[0].as_bytes()) {
            Ok(m) if ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(&m.as_str()) => m,
            _ => {
                problems.push(format!("line {line}: method {:?}", fields[0]));
                continue;
            }
        };
        let expected: Result<Vec<u16>, _> = fields[4..].iter().map(|f| f.parse::<u16>()).collect();
        let Ok(expected) = expected else {
            problems.push(format!("line {line}: a status is not a number"));
            continue;
        };
        if !seen.insert((method.to_string(), fields[1].to_string())) {
            problems.push(format!(
                "line {line}: {method} {} has a row already",
                fields[1]
            ));
        }
        rows.push(Row {
            line,
            method,
            path: fields[1].to_string(),
            request: fields[2].to_string(),
            body: fields[3].to_string(),
            expected,
        });
    }
    assert!(
        problems.is_empty(),
        "tests/access_matrix.csv:\n{}",
        problems.join("\n")
    );
    rows
}

/// A viewer of the matrix: a client from its own address and, once signed in, its token.
struct Viewer {
    column: &'static str,
    username: Option<&'static str>,
    client: reqwest::Client,
    token: Option<String>,
}

/// The session token a response sets, if it sets one (a removal sets an empty one).
fn token_set_by(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{COOKIE}=")))
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
}

/// Signs `username` in with the demo password; the token.
async fn sign_in(client: &reqwest::Client, url: &str, username: &str) -> String {
    let res = client
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": DEMO_PASSWORD}))
        .send()
        .await
        .expect("login sent");
    assert_eq!(res.status(), 200, "{username} signs in");
    token_set_by(&res)
        .filter(|t| !t.is_empty())
        .expect("a session cookie")
}

/// The demo records and the ones the setup adds, with counters that keep new bodies unique.
struct World {
    app: TestApp,
    ids: HashMap<&'static str, i64>,
    refs: Refs,
    /// A day of this year's campaign that is not in the future.
    day: String,
    counters: HashMap<String, i64>,
    viewers: Vec<Viewer>,
}

impl World {
    async fn new() -> World {
        let app = spawn_app().await;
        let today = clock::today();
        let year_start = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January");
        let mut ids = HashMap::new();
        ids.insert(
            "changzhou",
            app.id_of("cities", "name", "常州市公安局").await,
        );
        ids.insert("tianning", app.id_of("districts", "name", "天宁分局").await);
        ids.insert(
            "diaozhuang_station",
            app.id_of("stations", "name", "雕庄派出所").await,
        );
        ids.insert(
            "diaozhuang_school",
            app.id_of("schools", "name", "雕庄小学").await,
        );
        ids.insert("campaign", app.current_campaign().await);
        let first_id = |list: Value| list[0]["id"].as_i64().expect("an id");
        ids.insert("topic", first_id(app.get_json("/api/v1/topics").await));
        ids.insert("film", first_id(app.get_json("/api/v1/films").await));
        let refs = Refs {
            campaign_id: ids["campaign"],
            station_id: ids["diaozhuang_station"],
            school_id: ids["diaozhuang_school"],
            topic_id: ids["topic"],
        };
        let mut viewers = Vec::new();
        for (i, (column, username)) in VIEWERS.into_iter().enumerate() {
            let client = reqwest::Client::builder()
                .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 10 + i as u8)))
                .build()
                .expect("a client");
            let token = match username {
                Some(username) => Some(sign_in(&client, &app.url, username).await),
                None => None,
            };
            viewers.push(Viewer {
                column,
                username,
                client,
                token,
            });
        }
        let mut world = World {
            app,
            ids,
            refs,
            day: (today - Duration::days(1)).max(year_start).to_string(),
            counters: HashMap::new(),
            viewers,
        };
        // In this order: a trainee needs the training.
        for name in [
            "assignment",
            "confirmation",
            "training",
            "trainee",
            "outcome",
            "volunteer",
            "case",
        ] {
            let (id, _) = world.create(name).await.expect("setup");
            world.ids.insert(name, id);
        }
        // The demo volunteer is paired with `{case}`, and logs `{contact}` on it.
        let (volunteer,): (i64,) = sqlx::query_as(
            "SELECT v.id FROM volunteers v JOIN users u ON u.id = v.user_id
             WHERE u.username = 'volunteer.diaozhuang'",
        )
        .fetch_one(&world.app.db.pool)
        .await
        .expect("the demo volunteer's record");
        let pairing = json!({"case_id": world.ids["case"], "volunteer_id": volunteer,
                             "from_on": "2020-01-01"});
        let res = world
            .app
            .client
            .post(format!("{}/api/v1/case_team", world.app.url))
            .json(&pairing)
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), 201, "the volunteer is paired with the case");
        let pairing: Value = res.json().await.expect("JSON");
        world
            .ids
            .insert("case_team", pairing["id"].as_i64().expect("an id"));
        for name in ["contact", "case_event", "runaway_call", "night_care"] {
            let (id, _) = world.create(name).await.expect("setup");
            world.ids.insert(name, id);
        }
        // The session the matrix reads: logged by the station's officer at 雕庄小学.
        let officer = world.app.client_as("officer.diaozhuang").await;
        let entry = world.record_body("session").await.expect("a session body");
        let res = officer
            .post(format!("{}/api/v1/sessions", world.app.url))
            .json(&entry)
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), 201, "the officer logs the session");
        let session: Value = res.json().await.expect("JSON");
        world
            .ids
            .insert("session", session["id"].as_i64().expect("an id"));
        world
    }

    fn next(&mut self, name: &str) -> i64 {
        let n = self.counters.entry(name.to_string()).or_insert(0);
        *n += 1;
        *n
    }

    /// A valid new record of the kind, unique among those the test makes.
    async fn record_body(&mut self, name: &str) -> Result<Value, String> {
        let n = self.next(name);
        let id = |key: &str| self.ids[key];
        let day = self.day.clone();
        Ok(match name {
            "city" => json!({"code": format!("AM-C{n}"), "name": format!("矩阵市局{n}"),
                             "sort_order": 9}),
            // Its city named: the matrix adds cities, and with several one must be.
            "district" => json!({"city_id": id("changzhou"), "code": format!("AM-D{n}"),
                                 "name": format!("矩阵分局{n}"), "sort_order": 9}),
            "station" => json!({"district_id": id("tianning"), "code": format!("AM-S{n}"),
                                "name": format!("矩阵派出所{n}"), "workstation": null}),
            "school" => json!({"code": format!("AM-SC{n}"), "name": format!("矩阵小学{n}"),
                               "kind": "primary", "district_id": id("tianning"),
                               "station_id": id("diaozhuang_station"),
                               "enrolments": [{"school_year": 2025, "students": 600}]}),
            "topic" => json!({"code": format!("matrix_{n}"), "name_zh": format!("矩阵主题{n}"),
                              "name_en": format!("Matrix topic {n}"), "sort_order": 50}),
            "campaign" => {
                let year = 2040 + n;
                json!({"name": format!("{year}年矩阵行动"), "year": year,
                       "starts_on": format!("{year}-01-01"), "ends_on": format!("{year}-12-31"),
                       "topic_ids": [id("topic")],
                       "targets": {"sessions": 100, "schools": 10, "audience": 1000}})
            }
            "film" => json!({"title": format!("矩阵影片{n}"), "minutes": 20,
                             "topic_ids": [id("topic")]}),
            "assignment" => json!({"campaign_id": id("campaign"),
                                   "title": format!("矩阵观看任务{n}"),
                                   "film_ids": [id("film")],
                                   "school_ids": [id("diaozhuang_school")],
                                   "opens_on": day, "closes_on": day}),
            // A confirmation of its own assignment, so that no two clash.
            "confirmation" => {
                let (assignment, _) = self.create("assignment").await?;
                json!({"assignment_id": assignment, "school_id": self.ids["diaozhuang_school"],
                       "film_id": self.ids["film"], "shown_on": day, "students": 30,
                       "parents": 12, "classes": 1, "method": "classroom"})
            }
            "training" => json!({"title": format!("矩阵培训班{n}"),
                                 "place": "常州市人民警察培训学校",
                                 "starts_on": day, "ends_on": day}),
            "trainee" => json!({"training_id": id("training"), "name": format!("矩阵警官{n}"),
                                "station_id": id("diaozhuang_station"),
                                "days_attended": [day], "completed": true}),
            "outcome" => {
                let month = format!("{}-{:02}", 2001 + (n - 1) / 12, (n - 1) % 12 + 1);
                json!({"station_id": id("diaozhuang_station"), "month": month,
                       "indicator": "visits", "value": 12})
            }
            "volunteer" => json!({"station_id": id("diaozhuang_station"),
                                  "team": "矩阵先锋队", "name": format!("矩阵志愿者{n}"),
                                  "phone": format!("139{n:08}"), "active_from": "2022-01-01"}),
            "case" => json!({"station_id": id("diaozhuang_station"), "birth_year": 2008,
                             "sex": "male", "category": "misbehaviour", "grade": "yellow",
                             "opened_on": "2020-01-01"}),
            // A member of the matrix's case of their own, so that no two clash.
            "case_team" => {
                let (volunteer, _) = Box::pin(self.create("volunteer")).await?;
                json!({"case_id": self.ids["case"], "volunteer_id": volunteer,
                       "from_on": "2020-01-01"})
            }
            "contact" => json!({"case_id": id("case"), "team_member_id": id("case_team"),
                                "contacted_on": after_2020(n), "kind": "phone"}),
            "case_event" => json!({"case_id": id("case"), "kind": "returned_to_school",
                                   "happened_on": after_2020(n)}),
            "runaway_call" => json!({"station_id": id("diaozhuang_station"),
                                     "called_at": format!("{}T{:02}:00", after_2020(n / 24), n % 24),
                                     "follow_ups": []}),
            "night_care" => json!({"station_id": id("diaozhuang_station"),
                                   "cared_on": after_2020(n), "minors": 3,
                                   "case_ids": [id("case")]}),
            "session" => session_entry(&self.refs, &format!("access matrix {n}")),
            "user" => json!({"username": format!("matrix.officer.{n}"), "role": "officer",
                             "station_id": id("diaozhuang_station"),
                             "password": "access-matrix-password"}),
            other => return Err(format!("no body named {other:?}")),
        })
    }

    /// The body a row names, for the viewer.
    async fn body(&mut self, name: &str, viewer: usize) -> Result<Option<Value>, String> {
        Ok(Some(match name {
            "-" => return Ok(None),
            "wrong_password" => json!({
                "username": self.viewers[viewer].username.unwrap_or("admin"),
                "password": "not-the-demo-password",
            }),
            "link_secret" => json!({"secret": self.new_link().await?.1}),
            "registers_from" => json!({"registers_from": "2025-01"}),
            "password" => json!({"password": "access-matrix-new-password"}),
            "transition" => json!({"reason": "访问矩阵"}),
            // Cleared, so that the digest the matrix runs posts nowhere.
            "webhook" => json!({"url": null}),
            "links" => json!({"campaign_id": self.ids["campaign"],
                              "school_ids": [self.ids["diaozhuang_school"]],
                              "days_valid": 30}),
            record => self.record_body(record).await?,
        }))
    }

    /// Creates a record as the administrator: its id and `ETag`.
    async fn create(&mut self, name: &str) -> Result<(i64, Option<String>), String> {
        if name == "link" {
            let (id, _) = self.new_link().await?;
            return Ok((id, None));
        }
        let collection = COLLECTIONS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
            .ok_or_else(|| format!("no records named {name:?}"))?;
        let body = Box::pin(self.record_body(name)).await?;
        let res = self
            .app
            .client
            .post(format!("{}{collection}", self.app.url))
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status();
        let etag = res
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let answer: Value = res.json().await.unwrap_or(Value::Null);
        match answer["id"].as_i64() {
            Some(id) if status == 201 => Ok((id, etag)),
            _ => Err(format!("cannot create a {name} ({status}): {answer}")),
        }
    }

    /// A link of 雕庄小学 for this year's campaign, valid for 30 days, stored as the links
    /// module stores them: its id and secret.
    async fn new_link(&mut self) -> Result<(i64, String), String> {
        let n = self.next("link");
        let secret = format!("access-matrix-link-{n}-{}", Utc::now().timestamp_micros());
        let at = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO school_links (token_hash, school_id, campaign_id, expires_at, created_at,
                                       created_by)
             VALUES ($1, $2, $3, $4, $5, 'admin') RETURNING id",
        )
        .bind(digest(&secret))
        .bind(self.ids["diaozhuang_school"])
        .bind(self.ids["campaign"])
        .bind(at(Utc::now() + Duration::days(30)))
        .bind(at(Utc::now()))
        .fetch_one(&self.app.db.pool)
        .await
        .map_err(|e| format!("cannot store a link: {e}"))?;
        Ok((id, secret))
    }

    /// A month of its own for one cell of the returns' rows (from 1990 on, which nothing
    /// else uses), set up as its name says: `{open_month}` untouched, `{submitted_month}`
    /// submitted by 雕庄, `{approved_district_month}` approved at every station of 天宁.
    /// The month and its return's `ETag`; `None` for any other name.
    async fn return_month(&mut self, name: &str) -> Result<Option<(String, String)>, String> {
        let stations: Vec<i64> = match name {
            "open_month" => Vec::new(),
            "submitted_month" => vec![self.ids["diaozhuang_station"]],
            "approved_district_month" => sqlx::query_as::<_, (i64,)>(
                "SELECT id FROM stations WHERE district_id = $1 AND deleted_at IS NULL",
            )
            .bind(self.ids["tianning"])
            .fetch_all(&self.app.db.pool)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|(id,)| id)
            .collect(),
            _ => return Ok(None),
        };
        let n = self.next("month") - 1;
        let month = format!("{}-{:02}", 1990 + n / 12, n % 12 + 1);
        let state = if name == "submitted_month" {
            "submitted"
        } else {
            "approved"
        };
        for station in &stations {
            sqlx::query(
                "INSERT INTO monthly_returns (station_id, month, state, version,
                     first_submitted_on, submitted_on, updated_at)
                 VALUES ($1, $2, $3, 1, '1990-01-01', '1990-01-01', '1990-01-01T00:00:00Z')",
            )
            .bind(station)
            .bind(&month)
            .bind(state)
            .execute(&self.app.db.pool)
            .await
            .map_err(|e| format!("cannot set up a return: {e}"))?;
        }
        let tag = if stations.is_empty() {
            "\"0\""
        } else {
            "\"1\""
        };
        Ok(Some((month, tag.to_string())))
    }

    /// The concrete path, and the `ETag` of the record made for the cell, if one was.
    async fn resolve(&mut self, request: &str) -> Result<(String, Option<String>), String> {
        let mut path = String::new();
        let mut etag = None;
        let mut rest = request;
        while let Some(start) = rest.find('{') {
            let end = rest[start..]
                .find('}')
                .map(|e| start + e)
                .ok_or_else(|| format!("unclosed {{ in {request}"))?;
            path.push_str(&rest[..start]);
            let name = &rest[start + 1..end];
            if let Some((month, tag)) = self.return_month(name).await? {
                path.push_str(&month);
                etag = Some(tag);
                rest = &rest[end + 1..];
                continue;
            }
            let id = match name.strip_prefix("new_") {
                Some(kind) => {
                    let (id, tag) = self.create(kind).await?;
                    etag = tag;
                    id
                }
                None => *self
                    .ids
                    .get(name)
                    .ok_or_else(|| format!("no record named {{{name}}}"))?,
            };
            path.push_str(&id.to_string());
            rest = &rest[end + 1..];
        }
        path.push_str(rest);
        Ok((path, etag))
    }

    /// Sends the row's request as the viewer: the status, and the error code if any.
    async fn run(&mut self, row: &Row, v: usize) -> Result<(String, u16, String), String> {
        let (path, mut etag) = self.resolve(&row.request).await?;
        if row.method == Method::PUT && etag.is_none() {
            let current = self.app.get(&path).await;
            etag = current
                .headers()
                .get(header::ETAG)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
        }
        let body = self.body(&row.body, v).await?;
        let viewer = &self.viewers[v];
        let mut req = viewer
            .client
            .request(row.method.clone(), format!("{}{path}", self.app.url));
        if let Some(token) = &viewer.token {
            req = req.header(header::COOKIE, format!("{COOKIE}={token}"));
        }
        // A return moves with the version read, like an edit.
        let moves_a_return = row.method == Method::POST && path.starts_with("/api/v1/returns/");
        if let Some(etag) =
            etag.filter(|_| [Method::PUT, Method::DELETE].contains(&row.method) || moves_a_return)
        {
            req = req.header(header::IF_MATCH, etag);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let new_cookie = token_set_by(&res).is_some();
        let answer: Value = res.json().await.unwrap_or(Value::Null);
        let code = answer["code"].as_str().unwrap_or_default().to_string();
        // The viewer's session was replaced or ended: sign in again for the next rows.
        if let (true, Some(username)) = (new_cookie, viewer.username) {
            let token = sign_in(&viewer.client, &self.app.url, username).await;
            self.viewers[v].token = Some(token);
        }
        Ok((path, status, code))
    }
}

#[tokio::test]
async fn every_viewer_gets_the_status_the_access_matrix_gives_for_every_operation() {
    let rows = matrix();
    let mut world = World::new().await;
    let mut mismatches = Vec::new();
    let mut cells = 0;
    for row in &rows {
        for (v, expected) in row.expected.iter().enumerate() {
            cells += 1;
            let column = world.viewers[v].column;
            let what = format!("line {}: {} {} as {column}", row.line, row.method, row.path);
            match world.run(row, v).await {
                Ok((_, status, _)) if status == *expected => {}
                Ok((path, status, code)) => mismatches.push(format!(
                    "{what}: expected {expected}, got {status} {code} ({} {path})",
                    row.method
                )),
                Err(problem) => mismatches.push(format!("{what}: {problem}")),
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {cells} cells of tests/access_matrix.csv disagree with the server ({}):\n{}",
        mismatches.len(),
        world.app.database.engine.name(),
        mismatches.join("\n")
    );
}

#[tokio::test]
async fn the_access_matrix_has_a_row_for_every_operation_of_the_api_document_and_no_other() {
    let app = spawn_empty_app().await;
    let document = app.get_json("/api/openapi.json").await;
    let mut documented = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "delete", "patch", "head", "options"] {
            if item.get(method).is_some() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let rows: BTreeSet<(String, String)> = matrix()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path))
        .collect();
    let mut problems: Vec<String> = documented
        .difference(&rows)
        .map(|(m, p)| format!("{m} {p} is in the API document but has no row"))
        .collect();
    problems.extend(
        rows.difference(&documented)
            .map(|(m, p)| format!("{m} {p} has a row but is not in the API document")),
    );
    assert!(
        problems.is_empty(),
        "tests/access_matrix.csv and /api/openapi.json differ:\n{}",
        problems.join("\n")
    );
}
