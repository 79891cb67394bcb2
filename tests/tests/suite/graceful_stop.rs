//! Stopping the server as `systemctl stop` does (SIGTERM) or Ctrl-C (SIGINT): requests in
//! flight are answered, every acknowledged write is stored, and the process exits 0 within
//! its time limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use humiao_server::auth::COOKIE;
use humiao_tests::fixtures::{demo_refs, session_entry};
use humiao_tests::process::ServerProcess;
use humiao_tests::{signed_in, TestDatabase, DEMO_PASSWORD};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A session token for `username`, to send by hand.
async fn token(url: &str, username: &str) -> String {
    let res = reqwest::Client::new()
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    let pair = cookie.split(';').next().unwrap();
    pair.strip_prefix(&format!("{COOKIE}="))
        .expect("the session cookie")
        .to_string()
}

/// `host:port` of a server's URL.
fn address(url: &str) -> String {
    url.trim_start_matches("http://").to_string()
}

/// A request the server has begun: its head is read (the server said `100 Continue`) and
/// its body not yet sent.
struct InFlight {
    stream: TcpStream,
    body: Vec<u8>,
}

impl InFlight {
    async fn begin(url: &str, token: &str, body: &Value) -> InFlight {
        let address = address(url);
        let body = serde_json::to_vec(body).unwrap();
        let mut stream = TcpStream::connect(&address).await.unwrap();
        let head = format!(
            "POST /api/v1/sessions HTTP/1.1\r\nHost: {address}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\
             Cookie: {COOKIE}={token}\r\nIdempotency-Key: in-flight\r\n\
             Expect: 100-continue\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let interim = read_head(&mut stream).await;
        assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");
        InFlight { stream, body }
    }

    /// Sends the body; the whole answer, read until the server closes the connection.
    async fn finish(mut self) -> String {
        self.stream.write_all(&self.body).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(
            Duration::from_secs(30),
            self.stream.read_to_end(&mut answer),
        )
        .await
        .expect("the server answers and closes")
        .expect("an answer, not a reset");
        String::from_utf8_lossy(&answer).into_owned()
    }
}

/// Reads up to the end of a response head.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut byte))
            .await
            .expect("the server answers")
            .unwrap();
        assert_eq!(n, 1, "the connection closed mid-head: {head:?}");
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap()
}

/// Waits until the server refuses new connections: it has begun to stop.
async fn until_refused(url: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match TcpStream::connect(address(url)).await {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return,
            _ => {}
        }
        assert!(Instant::now() < deadline, "still accepting after SIGTERM");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// What became of one request of the load.
#[derive(Debug)]
enum Outcome {
    /// Answered 201 with the whole body.
    Stored(String),
    /// Refused at connect: the server was no longer listening.
    Refused,
    /// The connection closed before any answer (a keep-alive connection the server closed
    /// as the request was sent): never taken on, so it must not be stored.
    Unanswered(String, String),
    /// Anything else: an answer cut short, or another status.
    Broken(String, String),
}

/// Several clients post sessions; SIGTERM mid-load, while a request is in flight. Every
/// request gets an answer or a refusal, every 201 is stored, the process exits 0.
#[tokio::test]
async fn sigterm_mid_load_answers_requests_in_flight_and_keeps_every_acknowledged_write() {
    const CLIENTS: usize = 6;
    const STOP_AFTER: usize = 60;
    const LIMIT_SECS: u64 = 20;

    let database = TestDatabase::create().await;
    let mut server = ServerProcess::start_with(
        &database.url,
        &database.data_dir(),
        "127.0.0.1:0",
        &["--shutdown-timeout-secs", &LIMIT_SECS.to_string()],
    )
    .unwrap();
    let url = server.url.clone();
    let client = signed_in(&url, "admin").await;
    let refs = Arc::new(demo_refs(&client, &url).await);
    let token = token(&url, "admin").await;

    let outcomes = Arc::new(Mutex::new(Vec::<Outcome>::new()));
    let stored = Arc::new(AtomicUsize::new(0));
    let enough = Arc::new(tokio::sync::Notify::new());
    let mut writers = Vec::new();
    for c in 0..CLIENTS {
        let (client, url, refs) = (client.clone(), url.clone(), refs.clone());
        let (outcomes, stored, enough) = (outcomes.clone(), stored.clone(), enough.clone());
        writers.push(tokio::spawn(async move {
            // Bounded: the server stops long before a client sends this many.
            for i in 0..10_000 {
                let marker = format!("stop {c}/{i}");
                let sent = client
                    .post(format!("{url}/api/v1/sessions"))
                    .header("Idempotency-Key", format!("stop-{c}-{i}"))
                    .json(&session_entry(&refs, &marker))
                    .send()
                    .await;
                let outcome = match sent {
                    Ok(res) => {
                        let status = res.status();
                        match res.json::<Value>().await {
                            Ok(body) if status == 201 && body["notes"] == marker.as_str() => {
                                Outcome::Stored(marker)
                            }
                            Ok(body) => Outcome::Broken(marker, format!("{status}: {body}")),
                            Err(e) => Outcome::Broken(marker, format!("{status}, cut: {e:?}")),
                        }
                    }
                    Err(e) if e.is_connect() => Outcome::Refused,
                    Err(e) => Outcome::Unanswered(marker, format!("{e:?}")),
                };
                let go_on = matches!(outcome, Outcome::Stored(_));
                if go_on && stored.fetch_add(1, Ordering::SeqCst) + 1 == STOP_AFTER {
                    enough.notify_one();
                }
                outcomes.lock().unwrap().push(outcome);
                if !go_on {
                    return;
                }
            }
        }));
    }

    enough.notified().await;
    let in_flight = InFlight::begin(&url, &token, &session_entry(&refs, "in flight")).await;
    server.signal("TERM").unwrap();
    let signalled = Instant::now();
    until_refused(&url).await;
    // The server no longer accepts, and still answers the request it had begun.
    let answer = in_flight.finish().await;
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    for w in writers {
        w.await.unwrap();
    }
    let status = server
        .wait_exit(Duration::from_secs(LIMIT_SECS + 10))
        .unwrap()
        .expect("the server exits within its limit");
    let took = signalled.elapsed();
    assert!(status.success(), "{status}");
    println!("stopped {took:?} after SIGTERM");

    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    let broken: Vec<String> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Broken(marker, what) => Some(format!("{marker}: {what}")),
            _ => None,
        })
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
    let acknowledged: Vec<&str> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Stored(m) => Some(m.as_str()),
            _ => None,
        })
        .collect();
    assert!(acknowledged.len() >= STOP_AFTER);
    let unanswered: Vec<&str> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Unanswered(m, error) => {
                println!("{m} unanswered: {error}");
                Some(m.as_str())
            }
            _ => None,
        })
        .collect();
    println!(
        "{} stored, {} refused, {} unanswered on a closing connection",
        acknowledged.len(),
        outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Refused))
            .count(),
        unanswered.len()
    );

    // Restarted on the same database: every acknowledged session is there once, with the
    // one in flight; none that went unanswered.
    let server = ServerProcess::start(&database.url, &database.data_dir()).unwrap();
    let db = humiao_server::db::Db::connect(&database.url).await.unwrap();
    let notes: Vec<(String,)> = sqlx::query_as(
        "SELECT notes FROM sessions WHERE notes LIKE 'stop %' OR notes = 'in flight'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let notes: Vec<&str> = notes.iter().map(|(n,)| n.as_str()).collect();
    for marker in acknowledged.iter().chain(&["in flight"]) {
        let copies = notes.iter().filter(|n| *n == marker).count();
        assert_eq!(copies, 1, "{marker} stored {copies} times");
    }
    for marker in &unanswered {
        assert!(
            !notes.contains(marker),
            "{marker} was stored but never answered"
        );
    }
    assert_eq!(notes.len(), acknowledged.len() + 1, "nothing else stored");
    humiao_tests::assert_rollup_matches_sessions(&db).await;
    let res = client
        .get(format!("{}/api/health", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn sigint_stops_as_gracefully_as_sigterm() {
    let database = TestDatabase::create().await;
    let mut server = ServerProcess::start(&database.url, &database.data_dir()).unwrap();
    let url = server.url.clone();
    let client = signed_in(&url, "admin").await;
    let refs = demo_refs(&client, &url).await;
    let token = token(&url, "admin").await;
    let in_flight = InFlight::begin(&url, &token, &session_entry(&refs, "in flight")).await;
    server.signal("INT").unwrap();
    until_refused(&url).await;
    let answer = in_flight.finish().await;
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let status = server
        .wait_exit(Duration::from_secs(30))
        .unwrap()
        .expect("the server exits");
    assert!(status.success(), "{status}");
}

/// A request that outlasts `--shutdown-timeout-secs` is cut there: the server does not wait
/// for it longer, and still exits 0.
#[tokio::test]
async fn a_request_past_the_time_limit_is_cut_at_the_limit() {
    const LIMIT_SECS: u64 = 2;
    let database = TestDatabase::create().await;
    let mut server = ServerProcess::start_with(
        &database.url,
        &database.data_dir(),
        "127.0.0.1:0",
        &["--shutdown-timeout-secs", &LIMIT_SECS.to_string()],
    )
    .unwrap();
    let url = server.url.clone();
    let client = signed_in(&url, "admin").await;
    let refs = demo_refs(&client, &url).await;
    let token = token(&url, "admin").await;
    // Its body never comes.
    let mut stalled = InFlight::begin(&url, &token, &session_entry(&refs, "stalled")).await;
    server.signal("TERM").unwrap();
    let signalled = Instant::now();
    let status = server
        .wait_exit(Duration::from_secs(LIMIT_SECS + 10))
        .unwrap()
        .expect("the server exits soon after its limit");
    let took = signalled.elapsed();
    assert!(status.success(), "{status}");
    assert!(
        took >= Duration::from_secs(LIMIT_SECS),
        "it waited for the request in flight ({took:?})"
    );
    let mut rest = Vec::new();
    let read = stalled.stream.read_to_end(&mut rest).await;
    assert!(
        read.is_err() || rest.is_empty(),
        "no answer to a request whose body never came: {:?}",
        String::from_utf8_lossy(&rest)
    );
}
