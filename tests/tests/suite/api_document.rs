//! The API document and the routes the server mounts agree, both ways: every documented
//! operation is mounted, every mounted one is documented, and each mounted method is
//! really routed (not the 405 of a path without it). The mounted list is what
//! `humiao_server::mount` recorded while the server's own `configure` functions ran.

use std::collections::BTreeSet;

use humiao_server::mount::Operation;
use humiao_tests::spawn_empty_app;
use reqwest::Method;

/// The operations of the API document, as (METHOD, path).
fn documented() -> BTreeSet<Operation> {
    let document = humiao_server::openapi::build();
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if item.get(method).is_some() {
                operations.insert((method.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    operations
}

#[test]
fn every_mounted_operation_is_documented_and_every_documented_one_is_mounted() {
    let mounted = humiao_server::routes::mounted();
    let documented = documented();
    assert!(
        mounted.len() > 50,
        "the recording saw the API ({} operations)",
        mounted.len()
    );
    let mut problems: Vec<String> = mounted
        .difference(&documented)
        .map(|(m, p)| format!("{m} {p} is mounted but not in the API document"))
        .collect();
    problems.extend(
        documented
            .difference(&mounted)
            .map(|(m, p)| format!("{m} {p} is in the API document but not mounted")),
    );
    assert!(
        problems.is_empty(),
        "the routes and /api/openapi.json differ:\n{}",
        problems.join("\n")
    );
}

#[tokio::test]
async fn every_mounted_method_is_routed_rather_than_refused_as_not_allowed() {
    let app = spawn_empty_app().await;
    let mut refused = Vec::new();
    for (method, path) in humiao_server::routes::mounted() {
        let concrete = path
            .replace("{id}", "1")
            .replace("{kind}", "sessions")
            .replace("{year}", "2024")
            .replace("{file}", "sessions-by-district.svg");
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        let res = app
            .client
            .request(method.clone(), format!("{}{concrete}", app.url))
            .send()
            .await
            .expect("request sent");
        if res.status() == 405 {
            refused.push(format!("{method} {path}"));
        }
    }
    assert!(
        refused.is_empty(),
        "recorded as mounted but answered 405:\n{}",
        refused.join("\n")
    );
}
