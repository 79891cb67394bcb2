//! `/api/v1/charts`: the SVG and PNG the server draws with the shared chart functions, from
//! the aggregates with their filters and the viewer's scope.

use humiao_tests::{cookie_client, spawn_app, spawn_empty_app, TestApp};
use resvg::tiny_skia::Pixmap;
use serde_json::{json, Value};

/// The slugs everyone links to (see the README), in the list's order.
const SLUGS: [&str; 13] = [
    "reach-over-time",
    "sessions-by-district",
    "sessions-by-station",
    "topic-mix",
    "screening-coverage",
    "training-coverage",
    "reoffence-rate",
    "night-wandering",
    "juvenile-thefts",
    "unique-reach",
    "returns-completeness",
    "contacts-on-time",
    "followed-up-in-time",
];

async fn svg(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let res = client
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

/// Station names of one district (`code`) and of the others, from the database.
async fn stations_split(app: &TestApp, code: &str) -> (Vec<String>, Vec<String>) {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.name, d.code FROM stations s JOIN districts d ON d.id = s.district_id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let (inside, outside): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(_, d)| d == code);
    (
        inside.into_iter().map(|(n, _)| n).collect(),
        outside.into_iter().map(|(n, _)| n).collect(),
    )
}

#[tokio::test]
async fn the_chart_list_gives_each_agreed_slug_its_title_svg_and_png() {
    let app = spawn_app().await;
    let list = app.get_json("/api/v1/charts").await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, SLUGS);
    assert_eq!(list[1]["title"], "各辖区宣讲场次与受众人次");
    assert_eq!(list[1]["svg"], "/api/v1/charts/sessions-by-district.svg");
    assert_eq!(list[1]["png"], "/api/v1/charts/sessions-by-district.png");
    let en: Value = app
        .client
        .get(format!("{}/api/v1/charts", app.url))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        en[1]["title"],
        "Sessions and audience (person-times) by district"
    );
}

#[tokio::test]
async fn every_chart_is_served_as_svg_with_its_title_and_as_a_png_that_is_not_blank() {
    let app = spawn_app().await;
    let list = app.get_json("/api/v1/charts?lang=en").await;
    for entry in list.as_array().unwrap() {
        let res = app.get(entry["svg"].as_str().unwrap()).await;
        assert_eq!(res.status(), 200, "{entry}");
        assert_eq!(
            res.headers()["content-type"],
            "image/svg+xml; charset=utf-8",
            "{entry}"
        );
        let svg = res.text().await.unwrap();
        assert!(svg.starts_with("<svg"), "{entry}");
        let title = entry["title"].as_str().unwrap();
        assert!(svg.contains(title), "{entry}: {svg}");

        let res = app.get(entry["png"].as_str().unwrap()).await;
        assert_eq!(res.status(), 200, "{entry}");
        assert_eq!(res.headers()["content-type"], "image/png", "{entry}");
        let png = res.bytes().await.unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{entry}");
        let pixmap = Pixmap::decode_png(&png).unwrap();
        // Downloads are drawn 860 px wide (a slide's or a page's width), as tall as they need.
        assert_eq!(pixmap.width(), 860, "{entry}");
        assert!((240..=1_200).contains(&pixmap.height()), "{entry}");
        // Not a white page: text, axes and bars cover a good share of it.
        let inked = pixmap
            .pixels()
            .iter()
            .filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200)
            .count();
        assert!(inked > 2_000, "{entry}: only {inked} dark pixels");
    }
}

#[tokio::test]
async fn without_any_data_every_chart_says_so_in_svg_and_draws_a_png() {
    let app = spawn_empty_app().await;
    for slug in SLUGS {
        let svg = svg(&app.client, &app, &format!("/api/v1/charts/{slug}.svg")).await;
        assert!(svg.contains("所选范围内暂无数据"), "{slug}: {svg}");
        let en = svg_en(&app, slug).await;
        assert!(en.contains("No data in this selection"), "{slug}: {en}");
        let res = app.get(&format!("/api/v1/charts/{slug}.png")).await;
        assert_eq!(res.status(), 200, "{slug}");
        assert!(res.bytes().await.unwrap().starts_with(b"\x89PNG"), "{slug}");
    }
}

async fn svg_en(app: &TestApp, slug: &str) -> String {
    svg(
        &app.client,
        app,
        &format!("/api/v1/charts/{slug}.svg?lang=en"),
    )
    .await
}

#[tokio::test]
async fn chinese_titles_render_in_the_png_as_glyphs_not_boxes() {
    let app = spawn_app().await;
    // The same chart with a title in each language: if Chinese fell back to no glyphs the
    // Chinese title would leave the top of the picture nearly empty.
    let ink = |png: &[u8]| {
        let pixmap = Pixmap::decode_png(png).unwrap();
        pixmap.pixels()[..860 * 44]
            .iter()
            .filter(|p| p.red() < 128)
            .count()
    };
    let zh = app
        .get("/api/v1/charts/sessions-by-district.png?lang=zh")
        .await;
    let zh = ink(&zh.bytes().await.unwrap());
    assert!(zh > 300, "the Chinese title drew {zh} dark pixels");
}

#[tokio::test]
async fn a_district_filter_narrows_sessions_by_station_to_that_district() {
    let app = spawn_app().await;
    let tianning = app.id_of("districts", "code", "TN").await;
    let (inside, outside) = stations_split(&app, "TN").await;
    let whole = svg(&app.client, &app, "/api/v1/charts/sessions-by-station.svg").await;
    assert!(
        outside.iter().any(|s| whole.contains(s.as_str())),
        "the whole city shows stations of other districts"
    );
    let narrowed = svg(
        &app.client,
        &app,
        &format!("/api/v1/charts/sessions-by-station.svg?district_id={tianning}"),
    )
    .await;
    assert!(inside.iter().any(|s| narrowed.contains(s.as_str())));
    for station in &outside {
        assert!(!narrowed.contains(station.as_str()), "{station}");
    }
}

#[tokio::test]
async fn a_district_leader_sees_only_the_stations_of_the_district() {
    let app = spawn_app().await;
    let (inside, outside) = stations_split(&app, "TN").await;
    let leader = app.client_as("leader.tianning").await;
    // Asking for the whole city gives Tianning's stations only.
    let svg = svg(&leader, &app, "/api/v1/charts/sessions-by-station.svg").await;
    assert!(inside.iter().any(|s| svg.contains(s.as_str())));
    for station in &outside {
        assert!(!svg.contains(station.as_str()), "{station}");
    }
    // Another district is not there for the leader, as with the aggregates.
    let wujin = app.id_of("districts", "code", "WJ").await;
    let res = leader
        .get(format!(
            "{}/api/v1/charts/sessions-by-station.png?district_id={wujin}",
            app.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn station_level_outcome_counts_under_five_show_as_hidden_except_to_admins() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let (starts,): (String,) = sqlx::query_as("SELECT starts_on FROM campaigns WHERE id = $1")
        .bind(app.current_campaign().await)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let month = &starts[..7];
    sqlx::query(
        "DELETE FROM outcome_values WHERE station_id = $1 AND indicator = 'night_wandering_cared'",
    )
    .bind(station)
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO outcome_values (station_id, month, indicator, value, created_at)
         VALUES ($1, $2, 'night_wandering_cared', 3, '2024-01-01T00:00:00Z')",
    )
    .bind(station)
    .bind(month)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let path = format!("/api/v1/charts/night-wandering.svg?station_id={station}");
    let leader = app.client_as("leader.tianning").await;
    let hidden = svg(&leader, &app, &path).await;
    // The mark in place of the bar, explained in the legend.
    assert!(hidden.contains("不予显示"), "{hidden}");
    let admin = svg(&app.client, &app, &path).await;
    assert!(!admin.contains("不予显示"), "{admin}");
}

#[tokio::test]
async fn a_station_named_like_markup_is_drawn_as_text() {
    let app = spawn_app().await;
    sqlx::query("UPDATE stations SET name = $1 WHERE name = '雕庄派出所'")
        .bind("<script>alert(1)</script> & <img src=x onerror=alert(1)>")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let tianning = app.id_of("districts", "code", "TN").await;
    let svg = svg(
        &app.client,
        &app,
        // Wide enough for the whole name: narrower charts clip a long name (the table under
        // the chart has it in full).
        &format!("/api/v1/charts/sessions-by-station.svg?district_id={tianning}&width=1300"),
    )
    .await;
    assert!(!svg.contains("<script") && !svg.contains("<img"), "{svg}");
    assert!(svg.contains(
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"
    ));
}

#[tokio::test]
async fn the_district_chart_names_every_district_in_the_asked_language() {
    let app = spawn_app().await;
    let svg = svg(&app.client, &app, "/api/v1/charts/sessions-by-district.svg").await;
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
async fn unknown_charts_formats_and_campaigns_are_404() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/charts/nothing.svg",
        "/api/v1/charts/nothing.png",
        "/api/v1/charts/sessions-by-district.gif",
        "/api/v1/charts/sessions-by-district",
        "/api/v1/charts/sessions-by-district.svg?campaign_id=999999",
        "/api/v1/charts/topic-mix.png?year=1999",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], json!("not_found"), "{path}");
    }
}

#[tokio::test]
async fn a_bad_filter_is_refused_with_the_field_named() {
    let app = spawn_app().await;
    let cases = [
        (
            "sessions-by-station.svg?district_id=tianning",
            400,
            "district_id",
        ),
        ("juvenile-thefts.svg?since=last-spring", 400, "since"),
        ("reach-over-time.png?lang=fr", 400, "lang"),
        ("topic-mix.svg?from=2024-05-01&to=2024-04-01", 422, "from"),
        ("topic-mix.svg?width=wide", 400, "width"),
        ("topic-mix.png?width=100", 400, "width"),
        ("topic-mix.svg?width=5000", 400, "width"),
    ];
    for (file, status, field) in cases {
        let res = app.get(&format!("/api/v1/charts/{file}")).await;
        assert_eq!(res.status(), status, "{file}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], field, "{file}: {body}");
    }
}

/// Issue 16: a chart asked for a width is drawn that wide, with no text under 12 px, so that
/// a phone's or a printed page's chart is readable at its own size.
#[tokio::test]
async fn a_chart_asked_for_a_width_is_drawn_that_wide_with_text_of_at_least_12_px() {
    let app = spawn_app().await;
    for width in [360, 680, 1300] {
        for slug in SLUGS {
            let svg = svg(
                &app.client,
                &app,
                &format!("/api/v1/charts/{slug}.svg?width={width}"),
            )
            .await;
            let drawn: u32 = attribute(&svg, "svg", "width")[0] as u32;
            // The film grid keeps its cells readable and scrolls when wider than asked.
            if slug == "screening-coverage" {
                assert!(drawn >= width, "{slug} at {width}: {drawn} wide");
            } else {
                assert_eq!(drawn, width, "{slug}");
            }
            let sizes = attribute(&svg, "text", "font-size");
            assert!(sizes.len() > 5, "{slug} at {width}: {svg}");
            let smallest = sizes.iter().copied().fold(f64::MAX, f64::min);
            assert!(smallest >= 12.0, "{slug} at {width}: {smallest} px text");
        }
        let png = app
            .get(&format!("/api/v1/charts/topic-mix.png?width={width}"))
            .await;
        assert_eq!(png.status(), 200);
        let pixmap = Pixmap::decode_png(&png.bytes().await.unwrap()).unwrap();
        assert_eq!(pixmap.width(), width, "the PNG is as wide as asked");
    }
}

/// The numeric `name` attribute of every `tag` element in `svg`.
fn attribute(svg: &str, tag: &str, name: &str) -> Vec<f64> {
    let open = format!("<{tag} ");
    let key = format!(" {name}=\"");
    svg.split(open.as_str())
        .skip(1)
        .filter_map(|element| {
            let element = format!(" {}", element.split('>').next()?);
            let value = element.split(key.as_str()).nth(1)?.split('"').next()?;
            value.parse().ok()
        })
        .collect()
}

#[tokio::test]
async fn charts_are_for_signed_in_dashboard_viewers_only() {
    let app = spawn_app().await;
    let anonymous = cookie_client();
    for path in [
        "/api/v1/charts",
        "/api/v1/charts/reach-over-time.svg",
        "/api/v1/charts/reach-over-time.png",
    ] {
        let res = anonymous
            .get(format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "{path}");
    }
}
