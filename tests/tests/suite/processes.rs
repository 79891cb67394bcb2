//! The server as separate processes: two instances on one database, and crashes mid-load.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use humiao_tests::database::Engine;
use humiao_tests::fixtures::{demo_refs, session_entry};
use humiao_tests::process::ServerProcess;
use humiao_tests::{assert_rollup_matches_sessions, signed_in, TestDatabase};
use serde_json::Value;
use sqlx::Connection;

#[tokio::test]
async fn what_one_instance_writes_the_other_reads() {
    let database = TestDatabase::create().await;
    let a = ServerProcess::start(&database.url, &database.data_dir()).unwrap();
    let b = ServerProcess::start(&database.url, &database.data_dir()).unwrap();
    assert_ne!(a.url, b.url);
    // Signed in through A: the session is in the shared database, so B knows it too.
    let client = signed_in(&a.url, "admin").await;
    let refs = demo_refs(&client, &b.url).await;

    let created: Value = client
        .post(format!("{}/api/v1/sessions", a.url))
        .json(&session_entry(&refs, "written through A"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().expect("created");

    let read: Value = client
        .get(format!("{}/api/v1/sessions/{id}", b.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read, created);
    let listed: Value = client
        .get(format!("{}/api/v1/sessions?limit=1", b.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["id"], id);

    // An idempotency key taken through A is honoured by B.
    let keyed = session_entry(&refs, "keyed through A");
    let mut answers = Vec::new();
    for url in [&a.url, &b.url] {
        let res = client
            .post(format!("{url}/api/v1/sessions"))
            .header("Idempotency-Key", "shared-between-instances")
            .json(&keyed)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        answers.push(res.json::<Value>().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
}

/// Sends sessions from several clients, `kill -9`s the server once enough were
/// acknowledged, restarts it, and checks each acknowledged session is there exactly once.
#[tokio::test]
async fn every_acknowledged_write_survives_kill_9() {
    const CLIENTS: usize = 8;
    const KILL_AFTER: usize = 150;
    const ROUNDS: usize = 3;

    let database = TestDatabase::create().await;
    let mut server = ServerProcess::start(&database.url, &database.data_dir()).unwrap();
    // The session outlives the kills: it is in the database.
    let client = signed_in(&server.url, "admin").await;
    let refs = Arc::new(demo_refs(&client, &server.url).await);

    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..ROUNDS {
        let acked = Arc::new(Mutex::new(Vec::<String>::new()));
        let count = Arc::new(AtomicUsize::new(0));
        let enough = Arc::new(tokio::sync::Notify::new());
        let mut writers = Vec::new();
        for c in 0..CLIENTS {
            let (client, url, refs) = (client.clone(), server.url.clone(), refs.clone());
            let (acked, count, enough) = (acked.clone(), count.clone(), enough.clone());
            writers.push(tokio::spawn(async move {
                // Bounded: the server is killed long before a client sends this many.
                for i in 0..10_000 {
                    let marker = format!("crash {round}/{c}/{i}");
                    let res = client
                        .post(format!("{url}/api/v1/sessions"))
                        .json(&session_entry(&refs, &marker))
                        .send()
                        .await;
                    match res {
                        Ok(r) if r.status() == 201 => {
                            acked.lock().unwrap().push(marker);
                            if count.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                                enough.notify_one();
                            }
                        }
                        Ok(r) => panic!("unexpected answer {} before the crash", r.status()),
                        // The server is gone: this write was never acknowledged.
                        Err(_) => return,
                    }
                }
            }));
        }
        enough.notified().await;
        server.kill9();
        for w in writers {
            w.await.unwrap();
        }
        acknowledged.extend(acked.lock().unwrap().drain(..));
        server = ServerProcess::start(&database.url, &database.data_dir()).unwrap();
    }
    assert!(acknowledged.len() >= ROUNDS * KILL_AFTER);

    // Every acknowledged session is stored exactly once, with its topic.
    let db = humiao_server::db::Db::connect(&database.url).await.unwrap();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT s.notes, COUNT(t.topic_id) FROM sessions s
         JOIN session_topics t ON t.session_id = s.id
         WHERE s.notes LIKE 'crash %' GROUP BY s.id, s.notes",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let mut stored: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    stored.sort_unstable();
    for marker in &acknowledged {
        let copies = stored.iter().filter(|s| **s == marker.as_str()).count();
        assert_eq!(copies, 1, "{marker} stored {copies} times");
    }
    assert!(
        rows.iter().all(|(_, topics)| *topics == 1),
        "no session lost its topic"
    );
    assert_rollup_matches_sessions(&db).await;

    if database.engine == Engine::Sqlite {
        let mut conn = sqlx::SqliteConnection::connect(&database.url)
            .await
            .unwrap();
        let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(check, "ok");
    }
    drop(server);
}

#[tokio::test]
async fn an_unreachable_database_at_start_up_is_one_line_and_a_failure_exit() {
    // Nothing listens on port 1.
    let out = std::process::Command::new(humiao_tests::server_binary())
        .args(["--bind", "127.0.0.1:0", "--no-demo"])
        .args(["--database-url", "postgres://postgres@127.0.0.1:1/humiao"])
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("humiao: --database-url: cannot open the postgres database"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
