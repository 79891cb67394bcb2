//! `humiao backup FILE` copies a SQLite database consistently while it takes writes.

use std::process::Command;

use humiao_server::startup::Application;
use humiao_tests::database::Engine;
use humiao_tests::{server_binary, settings_for, spawn_app_on, TestDatabase};
use serde_json::json;
use sqlx::Connection;

#[tokio::test]
async fn a_backup_taken_during_writes_restores_to_a_working_database() {
    // Backups are for SQLite; PostgreSQL has pg_dump.
    let app = spawn_app_on(TestDatabase::create_on(Engine::Sqlite).await).await;
    let campaign = app.current_campaign().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let topic = app.id_of("topics", "code", "law").await;
    let entry = json!({
        "campaign_id": campaign, "station_id": station, "school_id": school,
        "held_on": humiao_server::clock::today().to_string(), "format": "class_talk",
        "topic_ids": [topic], "audience": {"students": 50}, "confirm_distinct": true
    });

    // Writers keep posting until the backup is done.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut writers = Vec::new();
    for _ in 0..4 {
        let (client, url, entry, stopped) = (
            app.client.clone(),
            app.url.clone(),
            entry.clone(),
            stopped.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut written = 0;
            while !*stopped.borrow() && written < 5_000 {
                let res = client
                    .post(format!("{url}/api/v1/sessions"))
                    .json(&entry)
                    .send()
                    .await;
                assert_eq!(res.unwrap().status(), 201);
                written += 1;
            }
            written
        }));
    }
    let before = app.count("sessions").await;
    let file = app.database.dir.path().join("copy.db");
    let source = app.database.url.clone();
    let backup = tokio::task::spawn_blocking({
        let file = file.clone();
        move || {
            Command::new(server_binary())
                .arg("backup")
                .arg(&file)
                .args(["--database-url", &source])
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    stop.send(true).unwrap();
    let mut written = 0;
    for w in writers {
        written += w.await.unwrap();
    }
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    assert!(written > 0, "writes went on during the backup");
    let after = app.count("sessions").await;

    let url = format!("sqlite://{}", file.display());
    let mut copy = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut copy)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let (copied,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(&mut copy)
        .await
        .unwrap();
    assert!(
        before <= copied && copied <= after,
        "{before} <= {copied} <= {after}"
    );
    let (orphans,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sessions s WHERE NOT EXISTS
         (SELECT 1 FROM session_topics t WHERE t.session_id = s.id)",
    )
    .fetch_one(&mut copy)
    .await
    .unwrap();
    assert_eq!(
        orphans, 0,
        "every copied session has its topics: one consistent snapshot"
    );
    drop(copy);

    // The copy serves as it is.
    let restored = Application::build(settings_for(&url, app.database.data_dir(), true))
        .await
        .unwrap();
    let (served,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(&restored.db().pool)
        .await
        .unwrap();
    assert_eq!(served, copied);
}

fn backup(file: &std::path::Path, database_url: &str) -> std::process::Output {
    Command::new(server_binary())
        .arg("backup")
        .arg(file)
        .args(["--database-url", database_url])
        .output()
        .unwrap()
}

#[tokio::test]
async fn backup_refuses_to_overwrite_a_file_or_to_copy_a_missing_database() {
    let database = TestDatabase::create_on(Engine::Sqlite).await;
    let dir = database.dir.path().to_path_buf();

    let missing = format!("sqlite://{}", dir.join("missing.db").display());
    let out = backup(&dir.join("new.db"), &missing);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no database"));
    assert!(!dir.join("missing.db").exists(), "nothing was created");

    let app = spawn_app_on(database).await;
    let existing = dir.join("exists.db");
    std::fs::write(&existing, b"keep me").unwrap();
    let out = backup(&existing, &app.database.url);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
}
