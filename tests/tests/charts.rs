//! `/api/v1/charts`: the SVG the server draws with the shared chart functions.

use humiao_tests::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn the_chart_list_names_each_chart_and_its_svg() {
    let app = spawn_app().await;
    let list = app.get_json("/api/v1/charts").await;
    assert_eq!(list[0]["name"], "sessions-by-district");
    assert_eq!(list[0]["svg"], "/api/v1/charts/sessions-by-district.svg");
}

#[tokio::test]
async fn the_district_chart_is_svg_with_every_district() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/charts/sessions-by-district.svg").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("image/svg+xml"));
    let svg = res.text().await.unwrap();
    assert!(svg.starts_with("<svg"));
    for district in [
        "天宁分局",
        "钟楼分局",
        "新北分局（高新区）",
        "武进分局",
        "金坛分局",
        "溧阳市公安局",
        "经开区分局",
    ] {
        assert!(svg.contains(district), "{district}");
    }
    let en = app
        .get("/api/v1/charts/sessions-by-district.svg?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(en.contains("Sessions and audience"));
}

#[tokio::test]
async fn a_district_named_like_markup_is_drawn_as_text() {
    let app = spawn_app().await;
    sqlx::query("UPDATE districts SET name = $1 WHERE code = 'TN'")
        .bind("<img src=x onerror=alert(1)>")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let svg = app
        .get("/api/v1/charts/sessions-by-district.svg")
        .await
        .text()
        .await
        .unwrap();
    assert!(!svg.contains("<img"));
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[tokio::test]
async fn unknown_charts_and_campaigns_are_404() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/charts/nothing.svg",
        "/api/v1/charts/sessions-by-district.gif",
        "/api/v1/charts/sessions-by-district.svg?campaign_id=999999",
        "/api/v1/aggregates/sessions-by-district?campaign_id=999999",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], json!("not_found"), "{path}");
    }
}
