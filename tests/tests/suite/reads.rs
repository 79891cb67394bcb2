//! Reading changes nothing: every `GET` of the API document, sent as the administrator,
//! leaves every table as it was, but for the bookkeeping of reading itself (the audit log,
//! the sign-in sessions' last use). A `GET` skips the same-origin check and is sent by
//! prefetches, reloads and links from other sites, so a state change must be a `POST`.

use std::collections::{BTreeMap, BTreeSet};

use humiao_tests::database::Engine;
use humiao_tests::{spawn_app, TestApp};
use serde_json::Value;
use sqlx::{Column, Row};

/// Tables a read may write: who read what (every read of a mentoring case is recorded in
/// `case_views`), and when a sign-in was last used.
const BOOKKEEPING: [&str; 4] = [
    "audit_log",
    "auth_sessions",
    "_sqlx_migrations",
    "case_views",
];

/// Every table's rows, each rendered as text, sorted: what "nothing changed" compares.
async fn snapshot(app: &TestApp) -> BTreeMap<String, Vec<String>> {
    let list = match app.database.engine {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Engine::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        }
    };
    let tables: Vec<(String,)> = sqlx::query_as(list).fetch_all(&app.db.pool).await.unwrap();
    let mut all = BTreeMap::new();
    for (table,) in tables {
        if BOOKKEEPING.contains(&table.as_str()) {
            continue;
        }
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        let mut rendered: Vec<String> = rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| cell(row, i))
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        rendered.sort();
        all.insert(table, rendered);
    }
    all
}

/// One value of any column type the schema uses, as text.
fn cell(row: &sqlx::any::AnyRow, i: usize) -> String {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
        return format!("{v:?}");
    }
    panic!(
        "column {} has a type the snapshot cannot read",
        row.column(i).name()
    );
}

/// The concrete request for a documented `GET`: path parameters filled with a record that
/// exists, required query parameters with the current campaign.
async fn request(app: &TestApp, path: &str, operation: &Value, campaign: i64) -> String {
    let mut path = path.to_string();
    // A record's path (`/cases/{id}`) or one below it (`/cases/{id}/viewers`).
    if let Some((collection, below)) = path.clone().split_once("/{id}") {
        let list = app.get_json(collection).await;
        let id = &list[0]["id"];
        assert!(id.is_i64(), "{collection} lists no record to read: {list}");
        path = format!("{collection}/{id}{below}");
    }
    if path.contains("{file}") {
        let charts = app.get_json("/api/v1/charts").await;
        let svg = charts[0]["svg"].as_str().expect("a chart");
        path = svg.to_string();
    }
    path = path.replace("{kind}", "sessions").replace("{year}", "2024");
    assert!(!path.contains('{'), "a path parameter left to fill: {path}");
    let required: Vec<&str> = operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query" && p["required"] == true)
        .filter_map(|p| p["name"].as_str())
        .collect();
    let query: Vec<String> = required
        .iter()
        .map(|name| match *name {
            "campaign_id" => format!("campaign_id={campaign}"),
            other => panic!("{path}: no value for the required parameter {other}"),
        })
        .collect();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// One record of each mentoring register, which the demo data does not hold yet: a case of
/// 雕庄 with its demo volunteer paired, a contact, an event, a runaway call and a night of care.
async fn registers(app: &TestApp) {
    use serde_json::json;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let volunteer = app.id_of("volunteers", "phone", "13800000001").await;
    let created = |res: reqwest::Response| async move {
        assert_eq!(res.status(), 201);
        let record: Value = res.json().await.unwrap();
        record["id"].as_i64().unwrap()
    };
    let case = created(
        app.post_json(
            "/api/v1/cases",
            &json!({"station_id": station, "birth_year": 2010, "sex": "male",
                    "category": "dropout", "grade": "yellow", "opened_on": "2024-03-01"}),
        )
        .await,
    )
    .await;
    let member = created(
        app.post_json(
            "/api/v1/case_team",
            &json!({"case_id": case, "volunteer_id": volunteer, "from_on": "2024-03-01"}),
        )
        .await,
    )
    .await;
    for (path, body) in [
        (
            "/api/v1/contacts",
            json!({"case_id": case, "team_member_id": member, "contacted_on": "2024-03-02",
                   "kind": "home_visit"}),
        ),
        (
            "/api/v1/case_events",
            json!({"case_id": case, "kind": "returned_to_school", "happened_on": "2024-09-01"}),
        ),
        (
            "/api/v1/night_care",
            json!({"station_id": station, "cared_on": "2024-09-06", "minors": 6,
                   "case_ids": [case]}),
        ),
        (
            "/api/v1/runaway_calls",
            json!({"station_id": station, "called_at": "2024-10-01T21:30",
                   "follow_ups": ["2024-10-03"]}),
        ),
    ] {
        created(app.post_json(path, &body).await).await;
    }
}

#[tokio::test]
async fn no_get_of_the_api_changes_anything_but_bookkeeping() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    // Links to print exist, as they would after a campaign's sheet was handed out.
    let res = app
        .post_json(
            "/api/v1/links",
            &serde_json::json!({"campaign_id": campaign, "school_ids": [1, 2, 3]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    registers(&app).await;
    let document = app.get_json("/api/openapi.json").await;
    let before = snapshot(&app).await;

    let mut sent = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        let Some(operation) = item.get("get") else {
            continue;
        };
        let request = request(&app, path, operation, campaign).await;
        let res = app.get(&request).await;
        assert!(res.status().is_success(), "GET {request}: {}", res.status());
        sent.push(request);
    }
    assert!(sent.len() >= 30, "every GET was sent: {sent:?}");

    let after = snapshot(&app).await;
    let changed: BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|table| before.get(*table) != after.get(*table))
        .collect();
    assert!(
        changed.is_empty(),
        "{} ({}): these GETs changed the tables {changed:?}:\n{}",
        app.database.engine.name(),
        sent.len(),
        sent.join("\n")
    );
}
