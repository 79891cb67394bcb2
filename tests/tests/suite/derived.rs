//! Outcome figures derived from the registers (issue 18): the 2024 demo counts the
//! report's figures from its records; a station-month is typed or derived, never both (a
//! typed value for a derived month is refused, a marker before typed months too, and the
//! totals are typed over typed months plus derived over derived ones, recomputed from the
//! rows); the re-offence rate recomputed from rows; a leader's charts never name a case;
//! small derived counts hidden as typed ones are. On both engines, like the rest.

use humiao_tests::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

const YEAR_2024: &str = "from=2024-01-01&to=2024-12-31";

async fn totals(app: &TestApp, query: &str) -> Value {
    app.get_json(&format!("/api/v1/aggregates/outcome-totals?{query}"))
        .await
}

/// One number from plain SQL over the registers, behind the API's back.
async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    n
}

async fn put_marker(client: &Client, app: &TestApp, station: i64, month: Value) -> (u16, Value) {
    let res = client
        .put(format!(
            "{}/api/v1/stations/{station}/registers-from",
            app.url
        ))
        .json(&json!({ "registers_from": month }))
        .send()
        .await
        .expect("sent");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn field_code(answer: &Value, field: &str) -> Option<String> {
    answer["fields"]
        .as_array()?
        .iter()
        .find(|f| f["field"] == field)
        .and_then(|f| f["code"].as_str().map(str::to_string))
}

/// Each indicator's total over the year from `/aggregates/outcomes` (flows only).
async fn series_total(app: &TestApp, query: &str, indicator: &str) -> i64 {
    let points = app
        .get_json(&format!("/api/v1/aggregates/outcomes?{YEAR_2024}{query}"))
        .await;
    points
        .as_array()
        .expect("points")
        .iter()
        .filter(|p| p["indicator"] == indicator)
        .map(|p| {
            p["value"]
                .as_i64()
                .expect("an administrator sees every value")
        })
        .sum()
}

#[tokio::test]
async fn the_2024_demo_counts_the_reports_figures_from_its_registers() {
    let app = spawn_app().await;
    let t = totals(&app, YEAR_2024).await;
    assert_eq!(
        t,
        json!({"minors_mentored": 1038, "reoffences": 33, "runaway_calls": 1046,
               "follow_ups": 1046, "volunteer_teams": 24, "night_wandering_cared": 162,
               "returned_to_school": 10, "source": "mixed"}),
        "the report's figures: 天宁's typed, the other stations' from records"
    );
    let dashboard = app.get_json("/api/v1/dashboard?year=2024").await;
    let rate = dashboard["reoffence_rate"].as_f64().expect("a rate");
    assert_eq!(format!("{:.1}%", rate * 100.0), "3.2%");
    assert_eq!(dashboard["outcomes"]["source"], "mixed");

    // 三井's nights and 龙虎塘's returns are theirs alone.
    let sanjing = app.id_of("stations", "name", "三井派出所").await;
    let longhutang = app.id_of("stations", "name", "龙虎塘派出所").await;
    let t = totals(&app, &format!("{YEAR_2024}&station_id={sanjing}")).await;
    assert_eq!(
        (t["night_wandering_cared"].as_i64(), t["source"].as_str()),
        (Some(162), Some("derived"))
    );
    let t = totals(&app, &format!("{YEAR_2024}&station_id={longhutang}")).await;
    assert_eq!(
        (t["returned_to_school"].as_i64(), t["reoffences"].as_i64()),
        (Some(10), Some(0))
    );

    // The same figures from the rows: typed over typed station-months, the registers'
    // counts by the written rules over the others.
    let typed = |indicator: &str| {
        format!(
            "SELECT COALESCE(CAST(SUM(ov.value) AS BIGINT), 0) FROM outcome_values ov
             JOIN stations s ON s.id = ov.station_id
             WHERE ov.deleted_at IS NULL AND ov.indicator = '{indicator}'
               AND ov.month >= '2024-01' AND ov.month <= '2024-12'
               AND (s.registers_from IS NULL OR ov.month < s.registers_from)"
        )
    };
    let rows = [
        (
            "SELECT COUNT(*) FROM cases c JOIN stations s ON s.id = c.station_id
             WHERE c.deleted_at IS NULL AND s.registers_from <= '2024-12'
               AND c.opened_on <= '2024-12-31'
               AND (c.closed_on IS NULL OR c.closed_on > '2024-12-31')"
                .to_string(),
            "minors_mentored",
        ),
        (
            "SELECT COUNT(DISTINCT case_id) FROM case_events WHERE kind = 'reoffence'
             AND happened_on >= '2024-01-01' AND happened_on <= '2024-12-31'"
                .to_string(),
            "reoffences",
        ),
        (
            "SELECT COUNT(*) FROM runaway_calls WHERE called_at >= '2024-01-01'
             AND called_at < '2025-01-01'"
                .to_string(),
            "runaway_calls",
        ),
    ];
    // The typed district reports its stock in December.
    let city = totals(&app, YEAR_2024).await;
    for (sql, indicator) in rows {
        let from_rows = scalar(&app, &sql).await + scalar(&app, &typed(indicator)).await;
        assert_eq!(
            Some(from_rows),
            city[indicator].as_i64(),
            "{indicator}: {sql}"
        );
    }
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM volunteers WHERE user_id IS NULL"
        )
        .await,
        322
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT CAST(SUM(n.minors) AS BIGINT) FROM night_care n JOIN stations s
             ON s.id = n.station_id WHERE s.name = '三井派出所' AND n.cared_on < '2025-01-01'"
        )
        .await,
        162
    );
    // The report says so, with where its figures came from.
    let report = app.get("/report/2024").await.text().await.expect("text");
    assert!(report.contains("结对帮扶重点未成年人 1,038 名，其中有重新涉案记录的 33 人，占比 3.2%"));
    assert!(
        report.contains("帮扶成效数据部分由帮教台账统计得出"),
        "the report says mixed"
    );
}

#[tokio::test]
async fn a_station_month_is_typed_or_derived_never_both() {
    let app = spawn_app().await;
    // Figures, not the sign-off: the demo's accepted 2024 returns would lock the months.
    crate::returns::without_returns(&app).await;
    // 南大街 counts its figures from its registers from 2024-01.
    let station = app.id_of("stations", "name", "南大街派出所").await;
    let entry = |month: &str, indicator: &str, value: i64| {
        json!({"station_id": station, "month": month, "indicator": indicator,
               "value": value})
    };

    // A typed value where the registers answer is refused; theft cases stay typed.
    let res = app
        .post_json("/api/v1/outcomes", &entry("2024-05", "visits", 7))
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(field_code(&body, "month").as_deref(), Some("derived_month"));
    let res = app
        .post_json("/api/v1/outcomes", &entry("2024-05", "juvenile_thefts", 3))
        .await;
    assert_eq!(res.status(), 201, "theft cases are not in the registers");

    // The station goes back to typed totals: then they are taken, and a marker on or
    // before a typed month is refused until those are deleted.
    let (status, _) = put_marker(&app.client, &app, station, Value::Null).await;
    assert_eq!(status, 200);
    let res = app
        .post_json("/api/v1/outcomes", &entry("2024-05", "visits", 7))
        .await;
    assert_eq!(res.status(), 201);
    for month in ["2024-01", "2024-05"] {
        let (status, body) = put_marker(&app.client, &app, station, json!(month)).await;
        assert_eq!(status, 422, "{month}");
        assert_eq!(
            field_code(&body, "registers_from").as_deref(),
            Some("typed_months")
        );
    }
    let (status, body) = put_marker(&app.client, &app, station, json!("2024-6")).await;
    assert_eq!(
        (status, field_code(&body, "registers_from").as_deref()),
        (422, Some("invalid_month"))
    );
    // Typed until May, derived from June: each month one or the other.
    let (status, body) = put_marker(&app.client, &app, station, json!("2024-06")).await;
    assert_eq!(
        (status, body["registers_from"].as_str()),
        (200, Some("2024-06"))
    );
    // Both changes audited, the refused ones not.
    let audited = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM audit_log
             WHERE resource = 'registers_from' AND resource_id = {station}"
        ),
    )
    .await;
    assert_eq!(audited, 2);

    // The city's visits: typed over typed station-months plus derived over derived ones,
    // recomputed from the rows; 南大街's contacts before June are stored, not counted.
    let derived = scalar(
        &app,
        "SELECT COUNT(*) FROM contacts x JOIN cases c ON c.id = x.case_id
         JOIN stations s ON s.id = c.station_id
         WHERE x.deleted_at IS NULL AND c.deleted_at IS NULL AND x.kind = 'home_visit'
           AND x.contacted_on >= '2024-01-01' AND x.contacted_on <= '2024-12-31'
           AND s.registers_from IS NOT NULL AND substr(x.contacted_on, 1, 7) >= s.registers_from",
    )
    .await;
    let skipped = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM contacts x JOIN cases c ON c.id = x.case_id
             WHERE c.station_id = {station} AND x.kind = 'home_visit'
               AND x.contacted_on >= '2024-01-01' AND x.contacted_on < '2024-06-01'"
        ),
    )
    .await;
    assert!(skipped > 0, "南大街 has contacts before its marker");
    let typed = scalar(
        &app,
        "SELECT COALESCE(CAST(SUM(ov.value) AS BIGINT), 0) FROM outcome_values ov
         JOIN stations s ON s.id = ov.station_id
         WHERE ov.deleted_at IS NULL AND ov.indicator = 'visits'
           AND ov.month >= '2024-01' AND ov.month <= '2024-12'
           AND (s.registers_from IS NULL OR ov.month < s.registers_from)",
    )
    .await;
    assert!(typed > 7, "天宁's stations type theirs");
    assert_eq!(series_total(&app, "", "visits").await, derived + typed);
    assert_eq!(
        series_total(&app, &format!("&station_id={station}"), "visits").await,
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM contacts x JOIN cases c ON c.id = x.case_id
                 WHERE c.station_id = {station} AND x.kind = 'home_visit'
                   AND x.contacted_on >= '2024-06-01' AND x.contacted_on <= '2024-12-31'"
            )
        )
        .await
            + 7,
        "南大街: May typed, June on derived"
    );
    let t = totals(&app, &format!("{YEAR_2024}&station_id={station}")).await;
    assert_eq!(t["source"], "mixed");
    let t = totals(
        &app,
        &format!("from=2024-01-01&to=2024-05-31&station_id={station}"),
    )
    .await;
    assert_eq!(t["source"], "typed");

    // An officer is refused the marker; so is any non-administrator.
    let officer = app.client_as("officer.diaozhuang").await;
    let (status, _) = put_marker(&officer, &app, station, json!("2024-07")).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_reoffence_rate_is_recomputed_from_the_rows() {
    let app = spawn_app().await;
    let zhonglou = app.id_of("districts", "name", "钟楼分局").await;
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    // The city (both kinds), a district counting from registers and one typing totals.
    for (query, place) in [
        (String::new(), String::new()),
        (
            format!("&district_id={zhonglou}"),
            format!(" AND s.district_id = {zhonglou}"),
        ),
        (
            format!("&district_id={tianning}"),
            format!(" AND s.district_id = {tianning}"),
        ),
    ] {
        let dashboard = app
            .get_json(&format!("/api/v1/dashboard?{YEAR_2024}{query}"))
            .await;
        // Derived: per month the cases with a re-offence, added up; minors: the cases open
        // at the end. Typed: the values of typed station-months; the stock each station's
        // latest value.
        let reoffences = scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM (SELECT DISTINCT e.case_id, substr(e.happened_on, 1, 7) AS m
                 FROM case_events e JOIN cases c ON c.id = e.case_id
                 JOIN stations s ON s.id = c.station_id
                 WHERE e.kind = 'reoffence' AND e.deleted_at IS NULL
                   AND substr(e.happened_on, 1, 7) >= s.registers_from
                   AND e.happened_on >= '2024-01-01' AND e.happened_on <= '2024-12-31'{place}) r"
            ),
        )
        .await
            + scalar(
                &app,
                &format!(
                    "SELECT COALESCE(CAST(SUM(ov.value) AS BIGINT), 0) FROM outcome_values ov
                     JOIN stations s ON s.id = ov.station_id
                     WHERE ov.deleted_at IS NULL AND ov.indicator = 'reoffences'
                       AND ov.month >= '2024-01' AND ov.month <= '2024-12'
                       AND (s.registers_from IS NULL OR ov.month < s.registers_from){place}"
                ),
            )
            .await;
        let mentored = scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM cases c JOIN stations s ON s.id = c.station_id
                 WHERE c.deleted_at IS NULL AND s.registers_from <= '2024-12'
                   AND c.opened_on <= '2024-12-31'
                   AND (c.closed_on IS NULL OR c.closed_on > '2024-12-31'){place}"
            ),
        )
        .await
            + scalar(
                &app,
                &format!(
                    "SELECT COALESCE(CAST(SUM(ov.value) AS BIGINT), 0) FROM outcome_values ov
                     JOIN stations s ON s.id = ov.station_id
                     WHERE ov.deleted_at IS NULL AND ov.indicator = 'minors_mentored'
                       AND s.registers_from IS NULL{place}
                       AND ov.month = (SELECT MAX(o2.month) FROM outcome_values o2
                                       WHERE o2.station_id = ov.station_id
                                         AND o2.indicator = 'minors_mentored'
                                         AND o2.deleted_at IS NULL AND o2.month <= '2024-12')"
                ),
            )
            .await;
        let rate = dashboard["reoffence_rate"].as_f64().expect("a rate");
        assert!(
            (rate - reoffences as f64 / mentored as f64).abs() < 1e-12,
            "{query}: {rate} against {reoffences} / {mentored}"
        );
    }
}

#[tokio::test]
async fn a_leaders_figures_and_charts_never_name_a_case() {
    let app = spawn_app().await;
    let codes: Vec<(String,)> = sqlx::query_as("SELECT code FROM cases")
        .fetch_all(&app.db.pool)
        .await
        .expect("codes");
    assert!(codes.len() > 500, "the demo's cases");
    let leader = app.client_as("leader").await;
    let get = |path: String| {
        let leader = leader.clone();
        let url = format!("{}{path}", app.url);
        async move {
            let res = leader.get(&url).send().await.expect("sent");
            assert_eq!(res.status(), 200, "{url}");
            res.text().await.expect("text")
        }
    };
    let mut answers = vec![
        get("/api/v1/dashboard?year=2024".into()).await,
        get(format!("/api/v1/aggregates/outcomes?{YEAR_2024}")).await,
        get("/report/2024".into()).await,
    ];
    let charts: Value =
        serde_json::from_str(&get("/api/v1/charts?year=2024".into()).await).expect("JSON");
    for chart in charts.as_array().expect("charts") {
        let svg = chart["svg"].as_str().expect("a path");
        answers.push(get(format!("{svg}?year=2024")).await);
    }
    for answer in &answers {
        for (code,) in &codes {
            assert!(!answer.contains(code.as_str()), "{code} named to a leader");
        }
    }
}

#[tokio::test]
async fn small_derived_counts_are_hidden_as_typed_ones_are() {
    let app = spawn_app().await;
    let longhutang = app.id_of("stations", "name", "龙虎塘派出所").await;
    // 龙虎塘's three back in school in February 2024: a small count at a station.
    let path = format!("/api/v1/aggregates/outcomes?{YEAR_2024}&station_id={longhutang}");
    let february = |points: &Value| {
        points
            .as_array()
            .expect("points")
            .iter()
            .find(|p| p["indicator"] == "returned_to_school" && p["month"] == "2024-02")
            .map(|p| p["value"].clone())
    };
    assert_eq!(
        february(&app.get_json(&path).await),
        Some(json!(3)),
        "the administrator"
    );
    let leader = app.client_as("leader").await;
    let res = leader
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .expect("sent");
    let points: Value = res.json().await.expect("JSON");
    assert_eq!(february(&points), Some(Value::Null), "hidden from a leader");
}
