//! One row per real thing, whatever hostile or unlucky clients send: identical sessions
//! sent at once (to one server instance or to two on one database) store one, racing
//! retries with one `Idempotency-Key` all get the first answer, no account can be given a
//! school link's answers, and the migration that brought the rule keeps what was stored.
//!
//! The racing tests assert counts, never orderings: whichever request wins, exactly one
//! row is stored and every other request is told so.

use futures_util::future::join_all;
use humiao_server::startup::Application;
use humiao_tests::database::Engine;
use humiao_tests::fixtures::{demo_refs, session_entry};
use humiao_tests::{
    assert_rollup_matches_sessions, cookie_client, settings_for, spawn_app, TestApp, TestDatabase,
};
use serde_json::{json, Value};

/// One answer, kept whole: its status, whether it is a replay, its location and body.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    status: u16,
    replayed: bool,
    location: Option<String>,
    body: Value,
}

async fn answer(res: reqwest::Response) -> Answer {
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let (replayed, location) = (header("idempotent-replayed"), header("location"));
    Answer {
        status: res.status().as_u16(),
        replayed: replayed.as_deref() == Some("true"),
        location,
        body: res.json().await.unwrap_or(Value::Null),
    }
}

/// Sends `n` copies of one POST at once, spread over `urls` in turn; the answers.
async fn at_once(
    client: &reqwest::Client,
    urls: &[String],
    path: &str,
    key: Option<&str>,
    body: &Value,
    n: usize,
) -> Vec<Answer> {
    join_all((0..n).map(|i| {
        let mut request = client
            .post(format!("{}{path}", urls[i % urls.len()]))
            .json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        async move { answer(request.send().await.expect("request sent")).await }
    }))
    .await
}

/// An entry the duplicate rule holds (the fixture's confirms it is distinct).
async fn checked_entry(app: &TestApp, marker: &str) -> Value {
    let mut entry = session_entry(&demo_refs(&app.client, &app.url).await, marker);
    entry["confirm_distinct"] = json!(false);
    entry
}

/// Live sessions with these notes.
async fn sessions_marked(app: &TestApp, marker: &str) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE notes = $1 AND deleted_at IS NULL")
            .bind(marker)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    n
}

/// Asserts that one answer is the first (`status`, not a replay) and every other one is
/// that same answer replayed.
fn assert_one_first_answer_replayed(answers: &[Answer], status: u16) {
    let (first, replays): (Vec<&Answer>, Vec<&Answer>) = answers.iter().partition(|a| !a.replayed);
    assert_eq!(first.len(), 1, "one first answer: {answers:#?}");
    assert_eq!(first[0].status, status, "{:#?}", first[0]);
    for replay in replays {
        assert_eq!(
            (replay.status, &replay.location, &replay.body),
            (first[0].status, &first[0].location, &first[0].body),
            "a replay is the first answer"
        );
    }
}

#[tokio::test]
async fn ten_identical_sessions_sent_at_once_to_two_instances_store_one_and_nine_are_told_it_exists(
) {
    let app = spawn_app().await;
    // A second server on the same database, as behind a load balancer.
    let second = Application::build(settings_for(
        &app.database.url,
        app.database.data_dir(),
        false,
    ))
    .await
    .expect("a second instance starts");
    let second_url = second.url();
    tokio::spawn(second.run_until_stopped());
    let entry = checked_entry(&app, "ten at once").await;
    let officer = app.client_as("officer.diaozhuang").await;

    let answers = at_once(
        &officer,
        &[app.url.clone(), second_url],
        "/api/v1/sessions",
        None,
        &entry,
        10,
    )
    .await;

    let created: Vec<&Answer> = answers.iter().filter(|a| a.status == 201).collect();
    assert_eq!(created.len(), 1, "one 201: {answers:#?}");
    let id = &created[0].body["id"];
    for refused in answers.iter().filter(|a| a.status != 201) {
        assert_eq!(refused.status, 409, "{refused:#?}");
        assert_eq!(refused.body["code"], "duplicate_session");
        assert_eq!(
            &refused.body["current"]["id"], id,
            "409 names the stored one"
        );
    }
    assert_eq!(sessions_marked(&app, "ten at once").await, 1);
    assert_rollup_matches_sessions(&app.db).await;

    // The rule still lets an officer log the same session again when it is another one.
    let mut distinct = entry.clone();
    distinct["confirm_distinct"] = json!(true);
    assert_eq!(
        app.post_json("/api/v1/sessions", &distinct).await.status(),
        201
    );
    assert_eq!(sessions_marked(&app, "ten at once").await, 2);
}

#[tokio::test]
async fn twenty_racing_retries_with_one_key_store_one_session_and_all_get_the_first_answer() {
    let app = spawn_app().await;
    let officer = app.client_as("officer.diaozhuang").await;
    // Both the entries the duplicate rule holds and those confirmed distinct.
    for (marker, confirm_distinct) in [("retried, checked", false), ("retried, distinct", true)] {
        let mut entry = checked_entry(&app, marker).await;
        entry["confirm_distinct"] = json!(confirm_distinct);
        let key = format!("offline-{confirm_distinct}");
        let answers = at_once(
            &officer,
            std::slice::from_ref(&app.url),
            "/api/v1/sessions",
            Some(&key),
            &entry,
            20,
        )
        .await;
        assert_one_first_answer_replayed(&answers, 201);
        assert_eq!(sessions_marked(&app, marker).await, 1, "{marker}");
    }
    assert_rollup_matches_sessions(&app.db).await;
}

#[tokio::test]
async fn racing_retries_of_a_new_account_or_record_with_one_key_all_get_the_first_answer() {
    let app = spawn_app().await;
    let topic = app.get_json("/api/v1/topics").await[0]["id"].clone();
    let cases = [
        (
            "/api/v1/users",
            json!({"username": "raced.leader", "role": "leader",
                   "password": "雕庄的新宣讲员 2026"}),
            ("users", "username", "raced.leader"),
        ),
        (
            "/api/v1/films",
            json!({"title": "《重试十次的宣教片》", "minutes": 12, "topic_ids": [topic]}),
            ("films", "title", "《重试十次的宣教片》"),
        ),
    ];
    for (path, body, (table, column, value)) in cases {
        let answers = at_once(
            &app.client,
            std::slice::from_ref(&app.url),
            path,
            Some(&format!("add-{table}-once")),
            &body,
            10,
        )
        .await;
        assert_one_first_answer_replayed(&answers, 201);
        let (n,): (i64,) =
            sqlx::query_as(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1"))
                .bind(value)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(n, 1, "{path}");
    }
}

#[tokio::test]
async fn an_account_named_like_a_schools_link_is_refused_and_one_stored_before_gets_none_of_its_answers(
) {
    let app = spawn_app().await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let campaign = app.current_campaign().await;
    let link_name = format!("link:{school}");

    // The school opens its link and confirms a screening with a key.
    let res = app
        .post_json(
            "/api/v1/links",
            &json!({"campaign_id": campaign, "school_ids": [school], "days_valid": 30}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let links: Value = res.json().await.unwrap();
    let secret = links[0]["url"]
        .as_str()
        .unwrap()
        .split_once("/s#")
        .unwrap()
        .1;
    let by_link = cookie_client();
    let res = by_link
        .post(format!("{}/api/v1/auth/link", app.url))
        .json(&json!({ "secret": secret }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let day = humiao_server::clock::today().to_string();
    let film = app.get_json("/api/v1/films").await[0]["id"].clone();
    let res = app
        .post_json(
            "/api/v1/assignments",
            &json!({"campaign_id": campaign, "title": "同名账号测试", "film_ids": [film],
                    "school_ids": [school], "opens_on": day, "closes_on": day}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let assignment = res.json::<Value>().await.unwrap()["id"].clone();
    let confirmation = json!({"assignment_id": assignment, "school_id": school, "film_id": film,
                              "shown_on": day, "students": 10, "parents": 2, "classes": 1,
                              "method": "classroom"});
    let confirm = |client: &reqwest::Client| {
        client
            .post(format!("{}/api/v1/confirmations", app.url))
            .header("Idempotency-Key", "confirm-1")
            .json(&confirmation)
            .send()
    };
    let first = answer(confirm(&by_link).await.unwrap()).await;
    assert_eq!(first.status, 201, "{first:#?}");

    // An account that got the link's name before the rule (stored behind the API's back,
    // as an old database may hold one) sends the same request with the same key.
    let hash = humiao_server::auth::password::hash(humiao_tests::DEMO_PASSWORD).unwrap();
    humiao_server::db::accounts::add_user(
        &app.db.pool,
        &link_name,
        &hash,
        humiao_shared::account::Role::School,
        humiao_server::db::accounts::ScopeRef::School(school),
    )
    .await
    .unwrap();
    let namesake = app.client_as(&link_name).await;
    let second = answer(confirm(&namesake).await.unwrap()).await;
    assert!(
        !second.replayed,
        "the account gets an answer of its own, not the link's: {second:#?}"
    );

    // No new account can take the name.
    let res = app
        .client
        .post(format!("{}/api/v1/users", app.url))
        .json(
            &json!({"username": link_name, "role": "school", "school_id": school,
                      "password": "雕庄的新宣讲员 2026"}),
        )
        .send()
        .await
        .unwrap();
    let refused = answer(res).await;
    assert_eq!(refused.status, 422, "{refused:#?}");
    assert_eq!(refused.body["fields"][0]["field"], "username");
    assert_eq!(refused.body["fields"][0]["code"], "invalid_username");
}

/// Applies the migrations up to `last` (a version) from a copy of the engine's folder.
async fn migrate_up_to(engine: Engine, pool: &sqlx::AnyPool, last: i64) {
    let folder = tempfile::tempdir().unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(engine.name());
    for entry in std::fs::read_dir(source).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let version: i64 = name.split('_').next().unwrap().parse().unwrap();
        if version <= last {
            std::fs::copy(entry.path(), folder.path().join(name)).unwrap();
        }
    }
    let migrator = sqlx::migrate::Migrator::new(folder.path()).await.unwrap();
    migrator.run(pool).await.expect("migrations apply");
}

#[tokio::test]
async fn the_migration_keeps_stored_duplicates_and_moves_each_accounts_keys_to_its_id() {
    sqlx::any::install_default_drivers();
    let database = TestDatabase::create().await;
    let pool = sqlx::AnyPool::connect(&database.url).await.unwrap();
    migrate_up_to(database.engine, &pool, 7).await;
    for sql in [
        "INSERT INTO cities (id, code, name) VALUES (1, 'CZ', '常州市')",
        "INSERT INTO districts (id, city_id, code, name) VALUES (1, 1, 'TN', '天宁分局')",
        "INSERT INTO stations (id, district_id, code, name) VALUES (1, 1, 'TN01', '雕庄派出所')",
        "INSERT INTO schools (id, district_id, station_id, code, name, kind)
         VALUES (1, 1, 1, 'S1', '雕庄小学', 'primary')",
        "INSERT INTO topics (id, code, name_zh, name_en) VALUES (3, 't3', '防溺水', 'Drowning')",
        "INSERT INTO topics (id, code, name_zh, name_en) VALUES (12, 't12', '交通安全', 'Traffic')",
        "INSERT INTO campaigns (id, name, year, starts_on, ends_on)
         VALUES (1, '2024年警心护苗集中宣防行动', 2024, '2024-01-01', '2024-12-31')",
        // Sessions 1 and 2 are the same; 3 is that one at another venue; 4 is demo data.
        "INSERT INTO sessions (id, campaign_id, station_id, school_id, venue, held_on, format,
                               students, parents, teachers, others, is_demo, created_at)
         VALUES (1, 1, 1, 1, NULL, '2024-07-24', 'class_talk', 30, 0, 1, 0, 0, 'x'),
                (2, 1, 1, 1, NULL, '2024-07-24', 'class_talk', 30, 0, 1, 0, 0, 'x'),
                (3, 1, 1, NULL, '社区|活动室', '2024-07-24', 'class_talk', 30, 0, 1, 0, 0, 'x'),
                (4, 1, 1, 1, NULL, '2024-07-25', 'class_talk', 30, 0, 1, 0, 1, 'x')",
        "INSERT INTO session_topics (session_id, topic_id)
         VALUES (1, 12), (1, 3), (2, 3), (2, 12), (3, 3), (3, 12), (4, 3)",
        "INSERT INTO users (id, username, password_hash, role, created_at)
         VALUES (7, 'officer.diaozhuang', 'x', 'admin', 'x'), (8, 'link:1', 'x', 'admin', 'x')",
    ] {
        sqlx::query(sql).execute(&pool).await.expect(sql);
    }
    // As the server stored keys before: the actor's name, a unit separator, the key.
    for (owner, resource) in [
        ("officer.diaozhuang", "sessions"),
        ("link:1", "confirmations"),
    ] {
        sqlx::query(
            "INSERT INTO idempotency_keys (key, request_hash, resource, resource_id, response,
                                           created_at)
             VALUES ($1, 'h', $2, 1, '{}', 'x')",
        )
        .bind(format!("{owner}\u{1f}k1"))
        .bind(resource)
        .execute(&pool)
        .await
        .unwrap();
    }

    migrate_up_to(database.engine, &pool, i64::MAX).await;

    let keys: Vec<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, natural_key FROM sessions ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    let at_school = humiao_shared::session::ValidSession {
        campaign_id: 1,
        station_id: 1,
        venue: humiao_shared::session::Venue::School(1),
        held_on: chrono::NaiveDate::from_ymd_opt(2024, 7, 24).unwrap(),
        format: humiao_shared::session::SessionFormat::ClassTalk,
        topic_ids: vec![12, 3],
        audience: Default::default(),
        notes: None,
        duration_minutes: None,
        speakers: None,
    };
    let elsewhere = humiao_shared::session::ValidSession {
        venue: humiao_shared::session::Venue::Other("社区|活动室".into()),
        ..at_school.clone()
    };
    use humiao_server::db::sessions::natural_key;
    assert_eq!(
        keys,
        vec![
            (1, Some(natural_key(&at_school))),
            (2, None),
            (3, Some(natural_key(&elsewhere))),
            (4, None),
        ],
        "the first of the duplicates keeps the key the server computes; the second stays, as \
         if confirmed distinct; demo data has none"
    );
    let owners: Vec<(String,)> =
        sqlx::query_as("SELECT key FROM idempotency_keys ORDER BY resource")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        owners,
        vec![
            ("link:1\u{1f}k1".to_string(),),
            ("user:7\u{1f}k1".to_string(),)
        ],
        "an account's keys are its id's; a name like a link's leaves the link its keys"
    );
}
