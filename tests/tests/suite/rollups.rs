//! The five reach rollups (`station_month_reach`, `district_month_reach`,
//! `topic_station_month_reach`, `topic_district_month_reach`, `school_month_reach`) stay equal to what the live sessions add
//! up to through every kind of write, and `humiao rollups check|rebuild` finds and repairs a
//! rollup that does not.

use chrono::NaiveDate;
use humiao_server::clock;
use humiao_server::db::rollups;
use humiao_server::db::Db;
use humiao_shared::import::ImportKind;
use humiao_shared::Lang;
use humiao_tests::fixtures::demo_refs;
use humiao_tests::{server_binary, spawn_app, TestApp, TestDatabase};
use reqwest::header;
use serde_json::{json, Value};
use sqlx::Row;

/// Each rollup as stored, and the same figures grouped from the live sessions in the test's
/// own words: ids, month, counts, the same columns in the same order.
const TABLES: [(&str, &str, &str); 5] = [
    (
        "station_month_reach",
        "SELECT campaign_id, station_id, month, sessions, students, parents, teachers, others
         FROM station_month_reach",
        "SELECT s.campaign_id, s.station_id, substr(s.held_on, 1, 7) AS m, COUNT(s.id),
                CAST(SUM(s.students) AS BIGINT), CAST(SUM(s.parents) AS BIGINT),
                CAST(SUM(s.teachers) AS BIGINT), CAST(SUM(s.others) AS BIGINT)
         FROM sessions s WHERE s.deleted_at IS NULL
         GROUP BY s.campaign_id, s.station_id, substr(s.held_on, 1, 7)",
    ),
    (
        "district_month_reach",
        "SELECT campaign_id, district_id, month, sessions, students, parents, teachers, others
         FROM district_month_reach",
        "SELECT s.campaign_id, d.id, substr(s.held_on, 1, 7) AS m, COUNT(s.id),
                CAST(SUM(s.students) AS BIGINT), CAST(SUM(s.parents) AS BIGINT),
                CAST(SUM(s.teachers) AS BIGINT), CAST(SUM(s.others) AS BIGINT)
         FROM sessions s JOIN stations st ON st.id = s.station_id
              JOIN districts d ON d.id = st.district_id
         WHERE s.deleted_at IS NULL
         GROUP BY s.campaign_id, d.id, substr(s.held_on, 1, 7)",
    ),
    (
        "topic_station_month_reach",
        "SELECT campaign_id, topic_id, station_id, month, sessions, students, parents,
                teachers, others
         FROM topic_station_month_reach",
        "SELECT s.campaign_id, t.id, s.station_id, substr(s.held_on, 1, 7) AS m, COUNT(s.id),
                CAST(SUM(s.students) AS BIGINT), CAST(SUM(s.parents) AS BIGINT),
                CAST(SUM(s.teachers) AS BIGINT), CAST(SUM(s.others) AS BIGINT)
         FROM topics t JOIN session_topics x ON x.topic_id = t.id
              JOIN sessions s ON s.id = x.session_id
         WHERE s.deleted_at IS NULL
         GROUP BY s.campaign_id, t.id, s.station_id, substr(s.held_on, 1, 7)",
    ),
    (
        "topic_district_month_reach",
        "SELECT campaign_id, topic_id, district_id, month, sessions, students, parents,
                teachers, others
         FROM topic_district_month_reach",
        "SELECT s.campaign_id, t.id, d.id, substr(s.held_on, 1, 7) AS m, COUNT(s.id),
                CAST(SUM(s.students) AS BIGINT), CAST(SUM(s.parents) AS BIGINT),
                CAST(SUM(s.teachers) AS BIGINT), CAST(SUM(s.others) AS BIGINT)
         FROM topics t JOIN session_topics x ON x.topic_id = t.id
              JOIN sessions s ON s.id = x.session_id
              JOIN stations st ON st.id = s.station_id
              JOIN districts d ON d.id = st.district_id
         WHERE s.deleted_at IS NULL
         GROUP BY s.campaign_id, t.id, d.id, substr(s.held_on, 1, 7)",
    ),
    (
        "school_month_reach",
        "SELECT campaign_id, school_id, month, sessions, students FROM school_month_reach",
        "SELECT s.campaign_id, sc.id, substr(s.held_on, 1, 7) AS m, COUNT(s.id),
                CAST(SUM(s.students) AS BIGINT)
         FROM schools sc JOIN sessions s ON s.school_id = sc.id
         WHERE s.deleted_at IS NULL
         GROUP BY s.campaign_id, sc.id, substr(s.held_on, 1, 7)",
    ),
];

/// Every row of a query, each cell as text, sorted.
async fn rows(db: &Db, sql: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = sqlx::query(sql)
        .fetch_all(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| {
                    row.try_get::<i64, _>(i)
                        .map(|n| n.to_string())
                        .or_else(|_| row.try_get::<String, _>(i))
                        .expect("a number or a text")
                })
                .collect()
        })
        .collect();
    out.sort();
    out
}

/// Asserts that `rollups::check` finds nothing and that each rollup, row for row, is what
/// the test's own GROUP BY over the live sessions gives.
async fn assert_rollups_agree(db: &Db) {
    let differences = rollups::check_all(db).await.expect("check runs");
    assert!(
        differences.is_empty(),
        "check finds differences:\n{}",
        differences
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    for (table, stored, grouped) in TABLES {
        let (stored, grouped) = (rows(db, stored).await, rows(db, grouped).await);
        assert!(!grouped.is_empty(), "{table}: the sessions count somewhere");
        assert_eq!(stored, grouped, "{table} disagrees with the sessions");
    }
}

/// A session entry with everything the test varies.
fn entry(campaign: i64, station: i64, place: Place, held_on: NaiveDate, topics: &[i64]) -> Value {
    let (school_id, venue) = match place {
        Place::School(id) => (json!(id), Value::Null),
        Place::Venue(name) => (Value::Null, json!(name)),
    };
    json!({
        "campaign_id": campaign, "station_id": station, "school_id": school_id, "venue": venue,
        "held_on": held_on.to_string(), "format": "class_talk", "topic_ids": topics,
        "audience": {"students": 30, "parents": 5, "teachers": 2, "others": 1},
        "confirm_distinct": true,
    })
}

#[derive(Clone, Copy)]
enum Place {
    School(i64),
    Venue(&'static str),
}

async fn create(app: &TestApp, entry: &Value) -> i64 {
    let res = app.post_json("/api/v1/sessions", entry).await;
    let status = res.status();
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("id")
}

/// Reads a record, lets `change` edit it as an entry, and stores it under its version.
async fn edit(
    app: &TestApp,
    path: &str,
    to_entry: fn(&Value) -> Value,
    change: impl FnOnce(&mut Value),
) {
    let read = app.get(path).await;
    assert_eq!(read.status(), 200, "GET {path}");
    let tag = read.headers()[header::ETAG].to_str().unwrap().to_string();
    let mut body = to_entry(&read.json().await.expect("JSON"));
    change(&mut body);
    let res = app
        .client
        .put(format!("{}{path}", app.url))
        .header(header::IF_MATCH, tag)
        .json(&body)
        .send()
        .await
        .expect("sent");
    let status = res.status();
    assert_eq!(status, 200, "PUT {path}: {}", res.text().await.unwrap());
}

/// A stored session as the entry that would store it again.
fn session_entry(s: &Value) -> Value {
    json!({
        "campaign_id": s["campaign_id"], "station_id": s["station_id"],
        "school_id": s["school_id"],
        "venue": if s["school_id"].is_null() { s["venue"].clone() } else { Value::Null },
        "held_on": s["held_on"], "format": s["format"], "topic_ids": s["topic_ids"],
        "audience": s["audience"], "notes": s["notes"], "confirm_distinct": true,
    })
}

fn station_entry(s: &Value) -> Value {
    json!({"district_id": s["district_id"], "code": s["code"], "name": s["name"],
           "workstation": s["workstation"]})
}

async fn edit_session(app: &TestApp, id: i64, change: impl FnOnce(&mut Value)) {
    edit(
        app,
        &format!("/api/v1/sessions/{id}"),
        session_entry,
        change,
    )
    .await;
}

/// A campaign's id and window.
fn campaign(c: &Value) -> (i64, NaiveDate, NaiveDate) {
    let day = |field: &str| c[field].as_str().unwrap().parse().unwrap();
    (c["id"].as_i64().unwrap(), day("starts_on"), day("ends_on"))
}

#[tokio::test]
async fn every_rollup_equals_the_live_sessions_after_creates_edits_deletes_an_import_and_a_move() {
    let app = spawn_app().await;
    // The edits below move sessions into months the demo's monthly returns lock.
    crate::returns::without_returns(&app).await;
    let refs = demo_refs(&app.client, &app.url).await;
    let today = clock::today();
    let campaigns = app.get_json("/api/v1/campaigns").await;
    let campaigns: Vec<_> = campaigns.as_array().unwrap().iter().map(campaign).collect();
    let (this_year, starts, _) = *campaigns.iter().find(|c| c.0 == refs.campaign_id).unwrap();
    // Another campaign, to move a session into (the demo holds one a year from 2024).
    let (other_year, other_starts, _) = *campaigns
        .iter()
        .find(|c| c.0 != refs.campaign_id)
        .expect("two campaigns");
    let topics: Vec<i64> = app
        .get_json("/api/v1/topics")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    let t = |i: usize| topics[i];
    let diaozhuang = refs.station_id;
    // 雕庄小学, in 雕庄派出所's own area; 博爱小学 is in 南大街's.
    let own_school = refs.school_id;
    let nandajie = app.id_of("stations", "name", "南大街派出所").await;
    let boai = app.id_of("schools", "name", "博爱小学").await;
    // Early in this year's campaign: another month than today's, except in January.
    let early = starts + chrono::Duration::days(9);

    // Creates: at a school, at another venue, at a neighbouring station's school, one to
    // delete, and one by the station that will move.
    let first = [
        (
            diaozhuang,
            Place::School(own_school),
            today,
            vec![t(0), t(1)],
        ),
        (diaozhuang, Place::Venue("社区活动中心"), today, vec![t(2)]),
        (diaozhuang, Place::School(boai), early, vec![t(0), t(3)]),
        (diaozhuang, Place::School(own_school), today, vec![t(4)]),
        (nandajie, Place::School(boai), today, vec![t(5)]),
    ];
    let mut ids = Vec::new();
    for (station, place, day, topics) in first {
        ids.push(create(&app, &entry(this_year, station, place, day, &topics)).await);
    }
    let [at_school, at_venue, next_door, doomed, mover]: [i64; 5] = ids.try_into().unwrap();
    // Eight at once: the group-commit writer stores them together, several in one row.
    let together: Vec<Value> = (0..8)
        .map(|i| {
            let topics = if i % 2 == 0 {
                vec![t(0)]
            } else {
                vec![t(0), t(6)]
            };
            let mut e = entry(
                this_year,
                diaozhuang,
                Place::School(own_school),
                today,
                &topics,
            );
            e["notes"] = json!(format!("together {i}"));
            e
        })
        .collect();
    let created = futures_util::future::join_all(together.iter().map(|e| create(&app, e))).await;
    assert_eq!(created.len(), 8);
    assert_rollups_agree(&app.db).await;

    // Edits of every field the rollups key or count by.
    edit_session(&app, at_school, |e| e["held_on"] = json!(early.to_string())).await;
    edit_session(&app, at_school, |e| e["topic_ids"] = json!([t(1), t(4)])).await;
    edit_session(&app, at_venue, |e| e["station_id"] = json!(nandajie)).await;
    edit_session(&app, at_venue, |e| {
        e["school_id"] = json!(boai);
        e["venue"] = Value::Null;
    })
    .await;
    edit_session(&app, next_door, |e| e["school_id"] = json!(own_school)).await;
    edit_session(&app, next_door, |e| {
        e["school_id"] = Value::Null;
        e["venue"] = json!("线上家长会");
    })
    .await;
    // More students and fewer parents: one row's counts move both ways at once.
    edit_session(&app, mover, |e| {
        e["audience"] = json!({"students": 130, "parents": 0, "teachers": 2, "others": 1})
    })
    .await;
    edit_session(&app, created[0], |e| {
        e["campaign_id"] = json!(other_year);
        e["held_on"] = json!((other_starts + chrono::Duration::days(40)).to_string());
    })
    .await;
    edit_session(&app, created[1], |e| e["notes"] = json!("only the notes")).await;
    assert_rollups_agree(&app.db).await;

    let tag = app
        .get(&format!("/api/v1/sessions/{doomed}"))
        .await
        .headers()[header::ETAG]
        .clone();
    let res = app
        .client
        .delete(format!("{}/api/v1/sessions/{doomed}", app.url))
        .header(header::IF_MATCH, tag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);

    // An import: at a school with two topics, at another venue, and by the moving station.
    let header_row: Vec<String> = ImportKind::Sessions
        .columns()
        .iter()
        .map(|c| c.header(Lang::En).to_string())
        .collect();
    let day = today.to_string();
    let lines = [
        header_row.join(","),
        format!(",雕庄派出所,雕庄小学,,{day},课堂宣讲,防溺水、traffic,41,3,1,0,,45,,imported 1"),
        format!(",雕庄派出所,,文化广场,{day},other,drowning,0,20,0,5,,,,imported 2"),
        format!(",南大街派出所,博爱小学,,{day},课堂宣讲,traffic,55,0,2,0,,,,imported 3"),
    ];
    let res = app
        .client
        .post(format!("{}/api/v1/imports/sessions", app.url))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(lines.join("\r\n"))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let answer: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["added"], 3, "{answer}");
    assert_rollups_agree(&app.db).await;

    // 南大街 moves to 天宁分局: its sessions now count for that district.
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    edit(
        &app,
        &format!("/api/v1/stations/{nandajie}"),
        station_entry,
        |s| {
            assert_ne!(
                s["district_id"],
                json!(tianning),
                "a move to another district"
            );
            s["district_id"] = json!(tianning);
        },
    )
    .await;
    // And a session of the moved station changes afterwards.
    edit_session(&app, mover, |e| e["held_on"] = json!(early.to_string())).await;
    assert_rollups_agree(&app.db).await;
}

/// Runs `humiao rollups ACTION` on the database: whether it succeeded, its output and errors.
fn rollups_command(action: &str, database: &TestDatabase) -> (bool, String, String) {
    let out = std::process::Command::new(server_binary())
        .args(["rollups", action, "--database-url", &database.url])
        .env_remove("HUMIAO_DATABASE_URL")
        .env_remove("HUMIAO_DATA_DIR")
        .output()
        .expect("humiao runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn rollups_check_names_each_tampered_row_and_passes_again_after_rollups_rebuild() {
    let app = spawn_app().await;
    let (ok, out, error) = rollups_command("check", &app.database);
    assert!(ok, "the demo's rollups agree: {out}{error}");
    assert!(out.contains("agree"), "{out}");

    // One row wrong in each table, each in another way: a count off, a row missing, a row
    // that no session is in, a session too many.
    for sql in [
        "UPDATE station_month_reach SET students = students + 1
         WHERE station_id = (SELECT MIN(station_id) FROM station_month_reach)",
        "DELETE FROM topic_station_month_reach
         WHERE topic_id = (SELECT MIN(topic_id) FROM topic_station_month_reach)
           AND station_id = (SELECT MIN(station_id) FROM topic_station_month_reach
                             WHERE topic_id = (SELECT MIN(topic_id)
                                               FROM topic_station_month_reach))",
        "INSERT INTO district_month_reach
             (campaign_id, district_id, month, sessions, students, parents, teachers, others)
         SELECT MIN(campaign_id), MIN(district_id), '1999-01', 1, 10, 0, 0, 0
         FROM district_month_reach",
        "UPDATE school_month_reach SET sessions = sessions + 1
         WHERE school_id = (SELECT MIN(school_id) FROM school_month_reach)",
    ] {
        sqlx::query(sql).execute(&app.db.pool).await.expect(sql);
    }
    let (ok, out, error) = rollups_command("check", &app.database);
    assert!(!ok, "check fails: {out}");
    let lines: Vec<&str> = out.lines().collect();
    for table in [
        "station_month_reach",
        "topic_station_month_reach",
        "district_month_reach",
        "school_month_reach",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{table} "))),
            "a line for {table}:\n{out}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains("month=1999-01") && l.ends_with("the sessions add up to no row")),
        "{out}"
    );
    assert!(error.contains("rollup rows disagree"), "{error}");

    let (ok, out, error) = rollups_command("rebuild", &app.database);
    assert!(ok, "{out}{error}");
    let (ok, out, error) = rollups_command("check", &app.database);
    assert!(ok, "{out}{error}");
    assert_rollups_agree(&app.db).await;
}
