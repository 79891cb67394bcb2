//! `/api/v1/users`: administrators list, add, disable and enable accounts and set their
//! passwords; everyone else is refused. (Each viewer's status for each operation is also
//! in tests/access_matrix.csv.)

use humiao_tests::{cookie_client, spawn_app, TestApp, DEMO_PASSWORD};
use reqwest::Client;
use serde_json::{json, Value};

const PASSWORD: &str = "雕庄的新宣讲员 2026";

/// Signs `username` in with `password`: the status, and the client holding the session.
async fn sign_in(app: &TestApp, username: &str, password: &str) -> (u16, Client) {
    let client = cookie_client();
    let res = client
        .post(format!("{}/api/v1/auth/login", app.url))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("login sent");
    (res.status().as_u16(), client)
}

async fn status_of_me(app: &TestApp, client: &Client) -> u16 {
    client
        .get(format!("{}/api/v1/auth/me", app.url))
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

/// A new officer of 雕庄派出所 with [`PASSWORD`]; its JSON.
async fn add_officer(app: &TestApp, username: &str) -> Value {
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let res = app
        .post_json(
            "/api/v1/users",
            &json!({"username": username, "role": "officer", "station_id": station,
                    "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 201, "{username} is added");
    res.json().await.expect("JSON")
}

async fn post(app: &TestApp, path: &str) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.url))
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn administrators_list_every_account_with_its_place_and_never_a_password() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/users").await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(!text.contains("argon2"), "no hash in the list");
    assert!(!text.contains("password"), "no password field in the list");
    let accounts: Vec<Value> = serde_json::from_str(&text).unwrap();
    let find = |name: &str| {
        accounts
            .iter()
            .find(|a| a["username"] == name)
            .unwrap_or_else(|| panic!("{name} is listed"))
    };
    let leader = find("leader.tianning");
    assert_eq!(leader["role"], "leader");
    assert_eq!(leader["district"], "天宁分局");
    assert_eq!(leader["disabled"], false);
    let officer = find("officer.diaozhuang");
    assert_eq!(officer["station"], "雕庄派出所");
    assert_eq!(find("school.diaozhuang")["school"], "雕庄小学");
    assert!(
        find("admin")["last_sign_in"].is_string(),
        "the test signed in as admin"
    );
    assert!(find("leader")["last_sign_in"].is_null());
}

#[tokio::test]
async fn only_administrators_may_see_or_change_accounts() {
    let app = spawn_app().await;
    let target = add_officer(&app, "wang.target").await["id"]
        .as_i64()
        .unwrap();
    let requests = [
        ("GET", "/api/v1/users".to_string(), None),
        ("POST", "/api/v1/users".to_string(), Some(json!({}))),
        ("POST", format!("/api/v1/users/{target}/disable"), None),
        ("POST", format!("/api/v1/users/{target}/enable"), None),
        (
            "POST",
            format!("/api/v1/users/{target}/password"),
            Some(json!({"password": "0123456789ab"})),
        ),
    ];
    let mut viewers = vec![("anonymous", cookie_client(), 401)];
    for name in [
        "leader",
        "leader.tianning",
        "officer.diaozhuang",
        "school.boai",
    ] {
        viewers.push((name, app.client_as(name).await, 403));
    }
    for (viewer, client, want) in &viewers {
        for (method, path, body) in &requests {
            let mut req = client.request(method.parse().unwrap(), format!("{}{path}", app.url));
            if let Some(body) = body {
                req = req.json(body);
            }
            let status = req.send().await.unwrap().status();
            assert_eq!(status, *want, "{method} {path} as {viewer}");
        }
    }
    let (status, _) = sign_in(&app, "wang.target", PASSWORD).await;
    assert_eq!(status, 200, "nothing changed the account");
}

#[tokio::test]
async fn a_new_account_signs_in_with_its_first_password_and_has_its_scope() {
    let app = spawn_app().await;
    let account = add_officer(&app, "wang.diaozhuang").await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let district = app.id_of("districts", "name", "天宁分局").await;
    assert_eq!(account["role"], "officer");
    assert_eq!(account["station_id"], station);
    assert_eq!(
        account["district_id"], district,
        "the station's district is filled in"
    );
    assert_eq!(account["disabled"], false);
    assert!(account["last_sign_in"].is_null());

    let (status, officer) = sign_in(&app, "wang.diaozhuang", PASSWORD).await;
    assert_eq!(status, 200);
    let me: Value = officer
        .get(format!("{}/api/v1/auth/me", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["station_id"], station);
    let listed = app.get_json("/api/v1/users").await;
    let listed = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "wang.diaozhuang")
        .unwrap();
    assert!(
        listed["last_sign_in"].is_string(),
        "its sign-in is recorded"
    );
}

#[tokio::test]
async fn an_account_with_problems_is_refused_with_each_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let before = app.count("users").await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let district = app.id_of("districts", "name", "天宁分局").await;
    let cases = [
        (
            json!({"role": "officer", "station_id": station, "password": PASSWORD}),
            "username",
            "required",
        ),
        (
            json!({"username": "a b", "role": "admin", "password": PASSWORD}),
            "username",
            "invalid_username",
        ),
        (
            json!({"username": "link:11", "role": "admin", "password": PASSWORD}),
            "username",
            "invalid_username",
        ),
        (
            json!({"username": "Link.Eleven", "role": "admin", "password": PASSWORD}),
            "username",
            "invalid_username",
        ),
        (
            json!({"username": "wang\twei", "role": "admin", "password": PASSWORD}),
            "username",
            "invalid_username",
        ),
        (
            json!({"username": "王伟", "role": "admin", "password": PASSWORD}),
            "username",
            "invalid_username",
        ),
        (
            json!({"username": "admin/1", "role": "admin", "password": PASSWORD}),
            "username",
            "invalid_username",
        ),
        (
            json!({"username": "x", "station_id": station, "password": PASSWORD}),
            "role",
            "required",
        ),
        (
            json!({"username": "x", "role": "officer", "password": PASSWORD}),
            "station_id",
            "required",
        ),
        (
            json!({"username": "x", "role": "admin", "district_id": district, "password": PASSWORD}),
            "district_id",
            "not_for_role",
        ),
        (
            json!({"username": "x", "role": "leader", "station_id": station, "password": PASSWORD}),
            "station_id",
            "not_for_role",
        ),
        (
            json!({"username": "x", "role": "leader", "district_id": 999999, "password": PASSWORD}),
            "district_id",
            "unknown_value",
        ),
        (
            json!({"username": "x", "role": "school", "school_id": 999999, "password": PASSWORD}),
            "school_id",
            "unknown_value",
        ),
        (
            json!({"username": "x", "role": "admin", "password": "short"}),
            "password",
            "too_short",
        ),
        (
            json!({"username": "x", "role": "admin"}),
            "password",
            "too_short",
        ),
    ];
    for (body, field, code) in cases {
        let res = app
            .client
            .post(format!("{}/api/v1/users", app.url))
            .header("Accept-Language", "en")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{body}");
        let answer: Value = res.json().await.unwrap();
        let problem = answer["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .unwrap_or_else(|| panic!("{field} is named for {body}: {answer}"));
        assert_eq!(problem["code"], code, "{body}");
        assert!(!problem["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(app.count("users").await, before);
}

#[tokio::test]
async fn a_taken_username_is_a_conflict_with_the_account_that_has_it() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "三井派出所").await;
    let res = app
        .post_json(
            "/api/v1/users",
            &json!({"username": " officer.sanjing ", "role": "officer", "station_id": station,
                    "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 409);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["code"], "duplicate_record");
    assert_eq!(answer["current"]["username"], "officer.sanjing");
    assert!(answer["current"].get("password_hash").is_none());
    let (status, _) = sign_in(&app, "officer.sanjing", DEMO_PASSWORD).await;
    assert_eq!(status, 200, "the first account's password is untouched");
}

#[tokio::test]
async fn a_retried_create_with_its_idempotency_key_adds_one_account() {
    let app = spawn_app().await;
    let before = app.count("users").await;
    let body = json!({"username": "retry.leader", "role": "leader", "password": PASSWORD});
    let send = |body: Value| {
        app.client
            .post(format!("{}/api/v1/users", app.url))
            .header("Idempotency-Key", "add-retry-leader")
            .json(&body)
            .send()
    };
    let first = send(body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(body.clone()).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["Idempotent-Replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again, first);
    let other = send(json!({"username": "retry.other", "role": "leader", "password": PASSWORD}))
        .await
        .unwrap();
    assert_eq!(other.status(), 422, "the key with another account");
    assert_eq!(app.count("users").await, before + 1);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once_and_enabling_lets_it_back() {
    let app = spawn_app().await;
    let officer = app.client_as("officer.sanjing").await;
    assert_eq!(status_of_me(&app, &officer).await, 200);
    let id = app.id_of("users", "username", "officer.sanjing").await;

    let res = post(&app, &format!("/api/v1/users/{id}/disable")).await;
    assert_eq!(res.status(), 200);
    let account: Value = res.json().await.unwrap();
    assert_eq!(account["disabled"], true);
    assert_eq!(status_of_me(&app, &officer).await, 401, "the session ended");
    let (status, _) = sign_in(&app, "officer.sanjing", DEMO_PASSWORD).await;
    assert_eq!(status, 403, "a disabled account cannot sign in");
    let again = post(&app, &format!("/api/v1/users/{id}/disable")).await;
    assert_eq!(again.status(), 200, "disabling twice is no error");

    let res = post(&app, &format!("/api/v1/users/{id}/enable")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["disabled"], false);
    let (status, back) = sign_in(&app, "officer.sanjing", DEMO_PASSWORD).await;
    assert_eq!(status, 200);
    assert_eq!(status_of_me(&app, &back).await, 200);
}

#[tokio::test]
async fn administrators_cannot_disable_their_own_account() {
    let app = spawn_app().await;
    let id = app.id_of("users", "username", "admin").await;
    let res = app
        .client
        .post(format!("{}/api/v1/users/{id}/disable", app.url))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["code"], "own_account");
    assert_eq!(
        answer["message"],
        "You cannot disable your own account; ask another administrator"
    );
    assert_eq!(
        status_of_me(&app, &app.client).await,
        200,
        "still signed in"
    );
}

#[tokio::test]
async fn a_new_password_replaces_the_old_one_and_ends_the_accounts_sessions() {
    let app = spawn_app().await;
    let officer = app.client_as("officer.diaozhuang").await;
    let id = app.id_of("users", "username", "officer.diaozhuang").await;
    let set = |password: &str| {
        app.client
            .post(format!("{}/api/v1/users/{id}/password", app.url))
            .json(&json!({"password": password}))
            .send()
    };
    let res = set("short").await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        status_of_me(&app, &officer).await,
        200,
        "a refused password changes nothing"
    );

    assert_eq!(set(PASSWORD).await.unwrap().status(), 204);
    assert_eq!(
        status_of_me(&app, &officer).await,
        401,
        "the old session ended"
    );
    assert_eq!(
        sign_in(&app, "officer.diaozhuang", DEMO_PASSWORD).await.0,
        401
    );
    assert_eq!(sign_in(&app, "officer.diaozhuang", PASSWORD).await.0, 200);

    // An administrator who sets their own password stays signed in.
    let admin = app.id_of("users", "username", "admin").await;
    let res = app
        .client
        .post(format!("{}/api/v1/users/{admin}/password", app.url))
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(status_of_me(&app, &app.client).await, 200);
}

#[tokio::test]
async fn unknown_accounts_are_not_found() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/users/999999/disable",
        "/api/v1/users/999999/enable",
        "/api/v1/users/abc/disable",
    ] {
        assert_eq!(post(&app, path).await.status(), 404, "{path}");
    }
    let res = app
        .post_json(
            "/api/v1/users/999999/password",
            &json!({"password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn every_change_to_an_account_is_audited_and_no_password_is() {
    let app = spawn_app().await;
    let id = add_officer(&app, "audited.officer").await["id"]
        .as_i64()
        .unwrap();
    for step in ["disable", "enable"] {
        assert_eq!(
            post(&app, &format!("/api/v1/users/{id}/{step}"))
                .await
                .status(),
            200
        );
    }
    let res = app
        .post_json(
            &format!("/api/v1/users/{id}/password"),
            &json!({"password": "another secret phrase"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let res = app
        .get(&format!("/api/v1/audit?resource=users&resource_id={id}"))
        .await;
    let text = res.text().await.unwrap();
    for secret in [PASSWORD, "another secret phrase", "argon2"] {
        assert!(!text.contains(secret), "{secret:?} is in the audit trail");
    }
    let entries: Vec<Value> = serde_json::from_str(&text).unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["set_password", "enable", "disable", "create"]);
    assert!(entries.iter().all(|e| e["actor"] == "admin"));
    assert_eq!(entries[2]["before"]["disabled"], false);
    assert_eq!(entries[2]["after"]["disabled"], true);
}

/// `humiao user add …` on the app's database with the password on standard input: whether
/// it succeeded, and what it printed on standard error.
fn cli_add(app: &TestApp, args: &[&str], password: &str) -> (bool, String) {
    let args: Vec<&str> = ["user", "add"].iter().chain(args).copied().collect();
    let (ok, _, error) = humiao(&args, Some(&app.database.url), password);
    (ok, error)
}

#[tokio::test]
async fn the_command_line_applies_the_same_rules_to_a_new_account_as_the_api() {
    let app = spawn_app().await;
    let (ok, error) = cli_add(
        &app,
        &["--username", "wang wei", "--role", "admin"],
        PASSWORD,
    );
    assert!(!ok);
    assert!(
        error.contains("username: A username may hold only lowercase letters, digits and . _ -"),
        "{error}"
    );
    let (ok, error) = cli_add(
        &app,
        &["--username", "link:11", "--role", "admin"],
        PASSWORD,
    );
    assert!(!ok, "a school link's actor name is no username");
    assert!(error.contains("username:"), "{error}");
    let (ok, error) = cli_add(
        &app,
        &["--username", "wang.cli", "--role", "admin"],
        "short",
    );
    assert!(!ok);
    assert!(error.contains("Use at least 10 characters"), "{error}");
    let (ok, error) = cli_add(
        &app,
        &["--username", "wang.cli", "--role", "admin"],
        PASSWORD,
    );
    assert!(ok, "{error}");
    assert_eq!(sign_in(&app, "wang.cli", PASSWORD).await.0, 200);
}

/// Runs `humiao` with `args` and the password on standard input, with `database_url` in
/// the environment or none: whether it succeeded, and what it printed on standard output
/// and standard error.
fn humiao(args: &[&str], database_url: Option<&str>, password: &str) -> (bool, String, String) {
    use std::io::Write as _;
    let mut command = std::process::Command::new(humiao_tests::server_binary());
    command
        .args(args)
        .env_remove("HUMIAO_DATABASE_URL")
        .env_remove("HUMIAO_DATA_DIR");
    if let Some(url) = database_url {
        command.env("HUMIAO_DATABASE_URL", url);
    }
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("humiao runs");
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "{password}").expect("password written");
    drop(stdin);
    let out = child.wait_with_output().expect("humiao ends");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn a_database_named_after_the_subcommand_is_used_and_a_new_sqlite_file_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bureau").join("new.db");
    let url = format!("sqlite://{}", file.display());
    // As README writes it: the database after `user add`, naming a file not there yet.
    let (ok, _, error) = humiao(
        &[
            "user",
            "add",
            "--username",
            "first.admin",
            "--role",
            "admin",
            "--database-url",
            &url,
        ],
        None,
        PASSWORD,
    );
    assert!(ok, "{error}");
    assert!(file.exists(), "no database at {}", file.display());
    // Before the subcommand, as before, and the account is in that database.
    let (ok, listed, error) = humiao(&["user", "--database-url", &url, "list"], None, "");
    assert!(ok, "{error}");
    assert!(listed.contains("first.admin"), "{listed}");
    // A folder given with --data-dir after the subcommand is used too.
    let data = dir.path().join("data");
    let (ok, listed, error) = humiao(
        &["user", "list", "--data-dir", data.to_str().unwrap()],
        None,
        "",
    );
    assert!(ok, "{error}");
    assert!(!listed.contains("first.admin"), "{listed}");
    assert!(data.join("humiao.db").exists());
}

#[tokio::test]
async fn a_leader_or_an_administrator_can_be_given_one_city_and_anyone_narrower_has_their_districts(
) {
    let app = spawn_app().await;
    let changzhou = app.id_of("cities", "code", "CZ").await;
    let res = app
        .post_json(
            "/api/v1/users",
            &json!({"username": "leader.cz", "role": "leader", "city_id": changzhou,
                    "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let account: Value = res.json().await.unwrap();
    assert_eq!(account["city_id"], changzhou);
    assert_eq!(account["city"], "常州市公安局");
    let (status, leader) = sign_in(&app, "leader.cz", PASSWORD).await;
    assert_eq!(status, 200);
    let me: Value = leader
        .get(format!("{}/api/v1/auth/me", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["city_id"], changzhou, "{me}");
    // A district's leader, an officer and a school are in their district's city.
    for username in ["leader.tianning", "officer.diaozhuang", "school.boai"] {
        let client = app.client_as(username).await;
        let me: Value = client
            .get(format!("{}/api/v1/auth/me", app.url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["city_id"], changzhou, "{username}: {me}");
    }
    // A city is for leaders and administrators only; an unknown one is unknown.
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    for (body, field, code) in [
        (
            json!({"username": "officer.cz", "role": "officer", "station_id": station,
                   "city_id": changzhou, "password": PASSWORD}),
            "city_id",
            "not_for_role",
        ),
        (
            json!({"username": "leader.nowhere", "role": "leader", "city_id": 999_999,
                   "password": PASSWORD}),
            "city_id",
            "unknown_value",
        ),
    ] {
        let res = app.post_json("/api/v1/users", &body).await;
        assert_eq!(res.status(), 422, "{body}");
        let answer: Value = res.json().await.unwrap();
        let fields = answer["fields"].as_array().unwrap();
        assert!(
            fields
                .iter()
                .any(|f| f["field"] == field && f["code"] == code),
            "{answer}"
        );
    }
}

#[tokio::test]
async fn the_command_line_gives_an_account_a_city_and_lists_it() {
    let app = spawn_app().await;
    let (ok, error) = cli_add(
        &app,
        &["--username", "admin.cz", "--role", "admin", "--city", "CZ"],
        PASSWORD,
    );
    assert!(ok, "{error}");
    let (ok, error) = cli_add(
        &app,
        &["--username", "admin.xx", "--role", "admin", "--city", "XX"],
        PASSWORD,
    );
    assert!(!ok);
    assert!(error.contains("no cities has the code XX"), "{error}");
    let (ok, error) = cli_add(
        &app,
        &[
            "--username",
            "officer.cz",
            "--role",
            "officer",
            "--city",
            "CZ",
        ],
        PASSWORD,
    );
    assert!(!ok);
    assert!(error.contains("drop --city"), "{error}");
    let changzhou = app.id_of("cities", "code", "CZ").await;
    let (ok, listed, error) = humiao(&["user", "list"], Some(&app.database.url), "");
    assert!(ok, "{error}");
    let line = listed
        .lines()
        .find(|l| l.starts_with("admin.cz\t"))
        .unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(line, format!("admin.cz\tadmin\tcity {changzhou}\tactive"));
    let (status, admin) = sign_in(&app, "admin.cz", PASSWORD).await;
    assert_eq!(status, 200);
    let me: Value = admin
        .get(format!("{}/api/v1/auth/me", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["city_id"], changzhou, "{me}");
}
