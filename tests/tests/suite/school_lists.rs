//! The administrators' list of schools: found by name or code, narrowed by district,
//! station and kind, each filter as the admin page sends it.

use humiao_tests::spawn_app;
use serde_json::Value;

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn schools_are_found_by_code_or_name_and_narrowed_by_district_station_and_kind() {
    let app = spawn_app().await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let stored = app.get_json(&format!("/api/v1/schools/{school}")).await;
    let code = stored["code"].as_str().unwrap().to_string();
    let (district, station) = (stored["district_id"].clone(), stored["station_id"].clone());
    let kind = stored["kind"].as_str().unwrap().to_string();

    // The whole code, and a part of it, find the school; so does its name.
    let part = &code[..code.len() - 1];
    for q in [code.as_str(), part] {
        let found = app
            .get_json(&format!("/api/v1/schools?limit=1000&q={q}"))
            .await;
        assert!(ids(&found).contains(&school), "q={q}: {found}");
        for s in found.as_array().unwrap() {
            let (c, n) = (s["code"].as_str().unwrap(), s["name"].as_str().unwrap());
            assert!(
                c.contains(q) || n.contains(q),
                "q={q} found {c} {n}, which does not contain it"
            );
        }
    }
    let by_name = app
        .get_json("/api/v1/schools?q=%E9%9B%95%E5%BA%84%E5%B0%8F%E5%AD%A6")
        .await;
    assert!(ids(&by_name).contains(&school), "{by_name}");
    let nothing = app.get_json("/api/v1/schools?q=no-such-code").await;
    assert_eq!(nothing, serde_json::json!([]));

    // Each filter keeps only what matches it, and together they keep the school.
    let filters = [
        ("district_id", district.to_string()),
        ("station_id", station.to_string()),
        ("kind", kind.clone()),
    ];
    for (key, value) in &filters {
        let list = app
            .get_json(&format!("/api/v1/schools?limit=1000&{key}={value}"))
            .await;
        let rows = list.as_array().unwrap();
        assert!(!rows.is_empty(), "{key}={value}");
        let matches = |s: &Value| match &s[*key] {
            Value::String(v) => v == value,
            other => *other == serde_json::from_str::<Value>(value).unwrap(),
        };
        assert!(rows.iter().all(matches), "{key}={value}: {list}");
        assert!(ids(&list).contains(&school), "{key}={value}");
    }
    let all = app.get_json("/api/v1/schools?limit=1000").await;
    let in_district = app
        .get_json(&format!(
            "/api/v1/schools?limit=1000&district_id={district}"
        ))
        .await;
    assert!(ids(&in_district).len() < ids(&all).len());
    let together = app
        .get_json(&format!(
            "/api/v1/schools?limit=1000&district_id={district}&station_id={station}&kind={kind}&q={code}"
        ))
        .await;
    assert_eq!(ids(&together), [school]);
}
