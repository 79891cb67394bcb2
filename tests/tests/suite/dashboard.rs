//! `GET /api/v1/dashboard`: the leaders' page in one answer. Its figures must equal the
//! aggregate endpoints' and the report's for the same slice, and an independent count
//! from the raw rows (here, SQL of the test's own) by the decided definitions (DOMAIN.md):
//! work where the session's station is, coverage where the school is, unique students
//! capped by the roll of the period (else the nearest earlier, else later), trained
//! stations and minors mentored as stocks, the re-offence rate from true counts.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use humiao_shared::report::count;
use humiao_tests::{spawn_app, spawn_empty_app, TestApp};
use serde_json::{json, Value};

async fn get_as(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, Value) {
    let res = client
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .expect("request sent");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn post(app: &TestApp, resource: &str, body: Value) -> i64 {
    let res = app.post_json(&format!("/api/v1/{resource}"), &body).await;
    let status = res.status();
    let answer: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{resource}: {answer}");
    answer["id"].as_i64().unwrap()
}

/// The current campaign's first and last days.
async fn window(app: &TestApp) -> (NaiveDate, NaiveDate) {
    let (starts, ends): (String, String) =
        sqlx::query_as("SELECT starts_on, ends_on FROM campaigns WHERE id = $1")
            .bind(app.current_campaign().await)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    (starts.parse().unwrap(), ends.parse().unwrap())
}

/// What a slice asks for, as the test counts it from the raw rows.
#[derive(Debug, Default, Clone)]
struct Ask {
    district: Option<i64>,
    station: Option<i64>,
    school: Option<i64>,
    topic: Option<i64>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl Ask {
    fn query(&self) -> String {
        let mut q = vec![];
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                q.push(format!("{k}={v}"));
            }
        };
        add("district_id", self.district.map(|v| v.to_string()));
        add("station_id", self.station.map(|v| v.to_string()));
        add("school_id", self.school.map(|v| v.to_string()));
        add("topic_id", self.topic.map(|v| v.to_string()));
        add("from", self.from.map(|v| v.to_string()));
        add("to", self.to.map(|v| v.to_string()));
        q.join("&")
    }
}

/// The nearest roll to the school year `year`: its own, else the nearest earlier, else the
/// nearest later; written out here rather than taken from `shared`.
fn roll_near(rolls: &[(i64, i64)], year: i64) -> Option<i64> {
    let earlier = rolls.iter().filter(|r| r.0 <= year).max_by_key(|r| r.0);
    let later = rolls.iter().filter(|r| r.0 > year).min_by_key(|r| r.0);
    earlier.or(later).map(|r| r.1)
}

/// Work and coverage figures recomputed from the raw rows:
/// (sessions, students 人次, schools, covered, unique students).
async fn recount(app: &TestApp, ask: &Ask, window: (NaiveDate, NaiveDate)) -> [i64; 5] {
    let campaign = app.current_campaign().await;
    let (from, to) = (ask.from.unwrap_or(window.0), ask.to.unwrap_or(window.1));
    let sessions: Vec<(i64, i64, i64, i64, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT s.id, s.station_id, st.district_id, s.students, s.school_id
         FROM sessions s JOIN stations st ON st.id = s.station_id
         WHERE s.deleted_at IS NULL AND s.campaign_id = {campaign}
           AND s.held_on >= '{from}' AND s.held_on <= '{to}'"
    ))
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let topics: Vec<(i64, i64)> = sqlx::query_as("SELECT session_id, topic_id FROM session_topics")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let has_topic = |id: i64| ask.topic.is_none_or(|t| topics.contains(&(id, t)));
    let schools: Vec<(i64, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, station_id, district_id, closed_on FROM schools WHERE deleted_at IS NULL",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let in_place = |station: i64, district: i64| {
        ask.district.is_none_or(|d| d == district) && ask.station.is_none_or(|s| s == station)
    };
    // Work: sessions of the place's stations.
    let work: Vec<_> = sessions
        .iter()
        .filter(|s| in_place(s.1, s.2) && ask.school.is_none_or(|sc| s.4 == Some(sc)))
        .filter(|s| has_topic(s.0))
        .collect();
    // Coverage: the place's own schools, whoever talked there.
    let ours: Vec<_> = schools
        .iter()
        .filter(|s| in_place(s.1, s.2) && ask.school.is_none_or(|sc| s.0 == sc))
        .filter(|s| {
            s.3.as_deref()
                .is_none_or(|c| c >= from.to_string().as_str())
        })
        .collect();
    let enrolments: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT school_id, school_year, students FROM school_enrolments")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let school_year = i64::from(if to.month() >= 9 {
        to.year()
    } else {
        to.year() - 1
    });
    let (mut covered, mut unique) = (0, 0);
    for school in &ours {
        let heard: Vec<_> = sessions
            .iter()
            .filter(|s| s.4 == Some(school.0) && has_topic(s.0))
            .collect();
        if heard.is_empty() {
            continue;
        }
        covered += 1;
        let students: i64 = heard.iter().map(|s| s.3).sum();
        let rolls: Vec<(i64, i64)> = enrolments
            .iter()
            .filter(|e| e.0 == school.0)
            .map(|e| (e.1, e.2))
            .collect();
        unique += roll_near(&rolls, school_year).map_or(students, |r| students.min(r));
    }
    [
        work.len() as i64,
        work.iter().map(|s| s.3).sum(),
        ours.len() as i64,
        covered,
        unique,
    ]
}

#[tokio::test]
async fn every_slice_states_the_raw_rows_and_the_aggregates_and_the_report_agree() {
    let app = spawn_app().await;
    let window = window(&app).await;
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let (topic,): (i64,) = sqlx::query_as("SELECT MIN(topic_id) FROM session_topics")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let part = (
        window.0 + chrono::Duration::days(40),
        window.0 + chrono::Duration::days(75),
    );
    let asks = [
        ("city", Ask::default()),
        (
            "district",
            Ask {
                district: Some(tianning),
                ..Default::default()
            },
        ),
        (
            "station",
            Ask {
                station: Some(diaozhuang),
                ..Default::default()
            },
        ),
        (
            "school",
            Ask {
                school: Some(school),
                ..Default::default()
            },
        ),
        (
            "topic",
            Ask {
                topic: Some(topic),
                ..Default::default()
            },
        ),
        (
            "part of months",
            Ask {
                from: Some(part.0),
                to: Some(part.1),
                ..Default::default()
            },
        ),
        (
            "district, topic and part",
            Ask {
                district: Some(tianning),
                topic: Some(topic),
                from: Some(part.0),
                to: Some(part.1),
                ..Default::default()
            },
        ),
    ];
    for (name, ask) in asks {
        let q = ask.query();
        let d = app.get_json(&format!("/api/v1/dashboard?{q}")).await;
        let [sessions, students, schools, covered, unique] = recount(&app, &ask, window).await;
        assert_eq!(d["summary"]["sessions"], sessions, "{name}");
        assert_eq!(d["summary"]["students"], students, "{name}");
        assert_eq!(d["coverage"]["schools"], schools, "{name}");
        assert_eq!(d["coverage"]["schools_covered"], covered, "{name}");
        assert_eq!(d["coverage"]["unique_students"], unique, "{name}");
        assert!(covered <= schools, "{name}");

        // The aggregate endpoints state the same figures.
        let audience = app
            .get_json(&format!("/api/v1/aggregates/audience?{q}"))
            .await;
        assert_eq!(d["summary"], audience, "{name}");
        assert_eq!(audience["schools_reached"], covered, "{name}");
        for (field, group) in [("by_month", "month"), ("by_topic", "topic")] {
            let rows = app
                .get_json(&format!("/api/v1/aggregates/reach?group_by={group}&{q}"))
                .await;
            assert_eq!(d[field], rows, "{name} {group}");
        }
        for (field, aggregate) in [
            ("training", "training-coverage"),
            ("outcomes", "outcome-totals"),
            ("films", "screening-coverage"),
        ] {
            let answer = app
                .get_json(&format!("/api/v1/aggregates/{aggregate}?{q}"))
                .await;
            assert_eq!(d[field], answer, "{name} {aggregate}");
        }
        // Each place one level down is listed, and their figures add up.
        let places = d["by_place"].as_array().unwrap();
        let total: i64 = places.iter().map(|r| r["sessions"].as_i64().unwrap()).sum();
        if d["level"] == "school" {
            // Per school: sessions at other venues are left out.
            assert!(total <= sessions, "{name}: by_place within the summary");
        } else {
            assert_eq!(total, sessions, "{name}: by_place adds up");
        }
        let coverage = d["coverage_by_place"].as_array().unwrap();
        for field in ["schools", "schools_covered", "unique_students"] {
            let sum: i64 = coverage.iter().map(|r| r[field].as_i64().unwrap()).sum();
            assert_eq!(d["coverage"][field], sum, "{name}: {field} by place");
        }
    }

    // The report of the year states the dashboard's figures for the whole year.
    let year = window.0.year();
    let d = app
        .get_json(&format!("/api/v1/dashboard?year={year}"))
        .await;
    let html = app
        .get(&format!("/report/{year}"))
        .await
        .text()
        .await
        .unwrap();
    let n = |v: &Value| count(v.as_i64().unwrap());
    for phrase in [
        format!(
            "宣讲覆盖 {} 所学校的 {} 名学生",
            n(&d["coverage"]["schools_covered"]),
            n(&d["coverage"]["unique_students"])
        ),
        format!("全年培训宣讲员 {} 名", n(&d["training"]["speakers"])),
        if d["training"]["trained"] == d["training"]["stations"] {
            format!("全部 {} 个派出所均有", n(&d["training"]["stations"]))
        } else {
            format!(
                "{} 个派出所中有 {} 个有经过培训的宣讲员",
                n(&d["training"]["stations"]),
                n(&d["training"]["trained"])
            )
        },
    ] {
        assert!(html.contains(&phrase), "{phrase:?} is not in the report");
    }
}

#[tokio::test]
async fn the_levels_list_every_place_below_even_without_sessions() {
    let app = spawn_app().await;
    let d = app.get_json("/api/v1/dashboard").await;
    // One city: the districts.
    assert_eq!(d["level"], "district");
    let (districts,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM districts WHERE deleted_at IS NULL")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(d["by_place"].as_array().unwrap().len() as i64, districts);
    assert_eq!(
        d["coverage_by_place"].as_array().unwrap().len() as i64,
        districts
    );
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    let d = app
        .get_json(&format!("/api/v1/dashboard?district_id={tianning}"))
        .await;
    assert_eq!(d["level"], "station");
    let (stations,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM stations WHERE deleted_at IS NULL AND district_id = $1",
    )
    .bind(tianning)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(d["by_place"].as_array().unwrap().len() as i64, stations);
    let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
    let d = app
        .get_json(&format!("/api/v1/dashboard?station_id={diaozhuang}"))
        .await;
    assert_eq!(d["level"], "school");
}

/// The station chart names the 15 largest stations by 人次 and says of how many: the same
/// stations, in the same order, as ranking every station's row of the reach aggregate.
#[tokio::test]
async fn the_station_chart_is_the_largest_stations_of_all_counted() {
    let app = spawn_app().await;
    let d = app.get_json("/api/v1/dashboard").await;
    let campaign = d["slice"]["campaign_id"].as_i64().unwrap();
    let from = d["slice"]["from"].as_str().unwrap().to_string();
    let (stations,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM stations
         WHERE deleted_at IS NULL AND (closed_on IS NULL OR closed_on >= $1)",
    )
    .bind(&from)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(d["stations"].as_i64(), Some(stations));
    let every = app
        .get_json(&format!(
            "/api/v1/aggregates/reach?group_by=station&campaign_id={campaign}"
        ))
        .await;
    let people = |r: &Value| {
        ["students", "parents", "teachers", "others"]
            .iter()
            .map(|k| r[*k].as_i64().unwrap())
            .sum::<i64>()
    };
    let mut ranked: Vec<&Value> = every
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["sessions"].as_i64() > Some(0))
        .collect();
    // Largest first; ties in id order.
    ranked.sort_by_key(|r| {
        (
            -people(r),
            r["key"].as_str().unwrap().parse::<i64>().unwrap(),
        )
    });
    let expected: Vec<(&str, i64)> = ranked
        .iter()
        .take(15)
        .map(|r| (r["label"].as_str().unwrap(), people(r)))
        .collect();
    let drawn: Vec<(&str, i64)> = d["by_station"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["label"].as_str().unwrap(), people(r)))
        .collect();
    assert!(
        ranked.len() > 15,
        "the demo has more stations than the chart draws"
    );
    assert_eq!(drawn, expected);
}

/// Item 2: "schools covered" at school level is of that one school, not of the city's.
#[tokio::test]
async fn one_school_is_covered_of_one() {
    let app = spawn_app().await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let d = app
        .get_json(&format!("/api/v1/dashboard?school_id={school}"))
        .await;
    assert_eq!(d["level"], "school");
    assert_eq!(d["coverage"]["schools"], 1);
    assert!(d["coverage"]["schools_covered"].as_i64().unwrap() <= 1);
    assert_eq!(d["coverage_by_place"].as_array().unwrap().len(), 1);
    assert_eq!(d["coverage_by_place"][0]["key"], school.to_string());
}

#[tokio::test]
async fn schools_have_no_dashboard_and_places_outside_the_scope_are_not_found() {
    let app = spawn_app().await;
    let school = app.client_as("school.diaozhuang").await;
    let (status, _) = get_as(&app, &school, "/api/v1/dashboard").await;
    assert_eq!(status, 403);
    let leader = app.client_as("leader.tianning").await;
    let zhonglou = app.id_of("districts", "name", "钟楼分局").await;
    let (status, _) = get_as(
        &app,
        &leader,
        &format!("/api/v1/dashboard?district_id={zhonglou}"),
    )
    .await;
    assert_eq!(status, 404);
    // Without a place, a district leader's dashboard is their district's.
    let (status, d) = get_as(&app, &leader, "/api/v1/dashboard").await;
    assert_eq!(status, 200);
    assert_eq!(d["level"], "station");
    let (status, bad) = get_as(
        &app,
        &leader,
        "/api/v1/dashboard?from=2024-05-01&to=2024-04-01",
    )
    .await;
    assert_eq!(
        (status, bad["fields"][0]["field"].as_str()),
        (422, Some("from")),
        "{bad}"
    );
    let (status, _) = get_as(&app, &leader, "/api/v1/dashboard?school_id=abc").await;
    assert_eq!(status, 400);
}

/// Item 1: the re-offence rate is computed from true counts, then shown or hidden as a
/// whole; a hidden month never counts as nought.
#[tokio::test]
async fn the_reoffence_rate_is_the_true_one_or_hidden_never_a_hidden_month_as_nought() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    // 2024: 雕庄's one re-offence (of five minors) was in a month hidden from leaders.
    let window = (
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
    );
    // The truth, from the rows: re-offences of the campaign's months ÷ each station's
    // latest stock at the end.
    let (from, to) = (
        window.0.format("%Y-%m").to_string(),
        window.1.format("%Y-%m").to_string(),
    );
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT month, indicator, value FROM outcome_values
         WHERE station_id = $1 AND deleted_at IS NULL AND month <= $2
           AND indicator IN ('reoffences', 'minors_mentored') ORDER BY month",
    )
    .bind(station)
    .bind(&to)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let reoffences: i64 = rows
        .iter()
        .filter(|r| r.1 == "reoffences" && r.0 >= from)
        .map(|r| r.2)
        .sum();
    let stock = rows
        .iter()
        .rfind(|r| r.1 == "minors_mentored")
        .map(|r| r.2)
        .expect("雕庄 reports its minors");
    let truth = reoffences as f64 / stock as f64;
    assert!(reoffences > 0, "the demo has 雕庄's re-offences");

    let path = format!("/api/v1/dashboard?year=2024&station_id={station}");
    let admin = app.get_json(&path).await;
    assert_eq!(admin["reoffence_rate"].as_f64(), Some(truth));
    let officer = app.client_as("officer.diaozhuang").await;
    for client in [app.client_as("leader").await, officer] {
        let (_, d) = get_as(&app, &client, &path).await;
        // Either the true rate or nothing: never the rate of the shown months only.
        if let Some(rate) = d["reoffence_rate"].as_f64() {
            assert_eq!(rate, truth);
        } else {
            assert!(
                d["outcomes"]["reoffences"].is_null() || d["outcomes"]["minors_mentored"].is_null(),
                "hidden only with a count: {}",
                d["outcomes"]
            );
        }
        let months: HashMap<String, Option<f64>> = d["reoffence_by_month"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["month"].as_str().unwrap().to_string(), p["rate"].as_f64()))
            .collect();
        for (month, rate) in &months {
            let r: i64 = rows
                .iter()
                .filter(|x| x.1 == "reoffences" && &x.0 == month)
                .map(|x| x.2)
                .sum();
            let s = rows
                .iter()
                .rfind(|x| x.1 == "minors_mentored" && x.0 <= *month)
                .map(|x| x.2);
            let true_rate = s.filter(|s| *s > 0).map(|s| r as f64 / s as f64);
            assert!(
                rate.is_none() || *rate == true_rate,
                "{month}: {rate:?} where the truth is {true_rate:?}"
            );
            if r > 0 {
                assert_ne!(
                    *rate,
                    Some(0.0),
                    "{month}: a hidden re-offence counted as nought"
                );
            }
        }
    }
}

/// A small city built through the API: two districts, a station in each, a school of each
/// station; the second district's school has a roll only for a later school year.
struct Small {
    campaign: i64,
    districts: [i64; 2],
    stations: [i64; 2],
    schools: [i64; 2],
    year: i32,
}

async fn small(app: &TestApp) -> Small {
    // Last year's campaign, so that every day of it is past whenever the test runs.
    let year = humiao_server::clock::today().year() - 1;
    let campaign = post(
        app,
        "campaigns",
        json!({"name": format!("{year}年行动"), "year": year,
               "starts_on": format!("{year}-01-01"), "ends_on": format!("{year}-12-31")}),
    )
    .await;
    let topic = post(
        app,
        "topics",
        json!({"code": "drowning", "name_zh": "防溺水", "name_en": "drowning"}),
    )
    .await;
    let mut districts = [0; 2];
    let mut stations = [0; 2];
    let mut schools = [0; 2];
    for i in 0..2 {
        districts[i] = post(
            app,
            "districts",
            json!({"code": format!("D{i}"), "name": format!("分局{i}")}),
        )
        .await;
        stations[i] = post(
            app,
            "stations",
            json!({"district_id": districts[i], "code": format!("S{i}"), "name": format!("派出所{i}")}),
        )
        .await;
        // School 0: a roll for the period's school year; school 1: only the next year's.
        let roll_year = if i == 0 { year - 1 } else { year };
        schools[i] = post(
            app,
            "schools",
            json!({"code": format!("SC{i}"), "name": format!("学校{i}"), "kind": "primary",
                   "district_id": districts[i], "station_id": stations[i],
                   "enrolments": [{"school_year": roll_year, "students": 100}]}),
        )
        .await;
    }
    let _ = topic;
    Small {
        campaign,
        districts,
        stations,
        schools,
        year,
    }
}

async fn talk(app: &TestApp, city: &Small, station: usize, school: usize, on: &str, students: i64) {
    let (topic,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM topics")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    post(
        app,
        "sessions",
        json!({"campaign_id": city.campaign, "station_id": city.stations[station],
               "school_id": city.schools[school], "held_on": on, "format": "class_talk",
               "topic_ids": [topic], "audience": {"students": students},
               "confirm_distinct": true, "confirm_large_audience": true}),
    )
    .await;
}

/// Item 7: a station that talks at a neighbour's school adds work to itself and coverage
/// to the neighbour; "covered" never exceeds the schools in scope.
#[tokio::test]
async fn a_talk_at_a_neighbours_school_is_work_here_and_coverage_there() {
    let app = spawn_empty_app().await;
    let city = small(&app).await;
    let y = city.year;
    // Station 0 talks at its own school and at district 1's school.
    talk(&app, &city, 0, 0, &format!("{y}-03-10"), 60).await;
    talk(&app, &city, 0, 1, &format!("{y}-03-11"), 40).await;
    let q = |d: i64| format!("year={y}&district_id={d}");
    for (district, sessions, covered) in [(city.districts[0], 2, 1), (city.districts[1], 0, 1)] {
        let d = app
            .get_json(&format!("/api/v1/dashboard?{}", q(district)))
            .await;
        assert_eq!(
            d["summary"]["sessions"], sessions,
            "work of district {district}"
        );
        assert_eq!(d["coverage"]["schools"], 1);
        assert_eq!(
            d["coverage"]["schools_covered"], covered,
            "coverage of {district}"
        );
        let audience = app
            .get_json(&format!("/api/v1/aggregates/audience?{}", q(district)))
            .await;
        assert_eq!(
            audience["schools_reached"], covered,
            "audience of {district}"
        );
    }
    let station = city.stations[0];
    let d = app
        .get_json(&format!("/api/v1/dashboard?year={y}&station_id={station}"))
        .await;
    assert_eq!(
        (
            d["coverage"]["schools"].as_i64(),
            d["coverage"]["schools_covered"].as_i64()
        ),
        (Some(1), Some(1)),
        "1 of 1, not 2 of 1"
    );
}

/// Item 3: a school whose roll is only on record for a later school year is still capped
/// by it.
#[tokio::test]
async fn unique_students_are_capped_by_the_nearest_later_roll_when_none_is_earlier() {
    let app = spawn_empty_app().await;
    let city = small(&app).await;
    let y = city.year;
    // 3 talks of 80 at school 1 (roll 100, only for the school year starting in September).
    for day in 10..13 {
        talk(&app, &city, 1, 1, &format!("{y}-03-{day}"), 80).await;
    }
    let q = format!(
        "year={y}&from={y}-03-01&to={y}-08-31&district_id={}",
        city.districts[1]
    );
    let audience = app
        .get_json(&format!("/api/v1/aggregates/audience?{q}"))
        .await;
    assert_eq!(audience["students"], 240);
    assert_eq!(audience["unique_students"], 100);
    let d = app.get_json(&format!("/api/v1/dashboard?{q}")).await;
    assert_eq!(d["coverage"]["unique_students"], 100);
    assert_eq!(d["coverage"]["schools_without_roll"], 0);
}

/// Trained stations are a stock: a course finished before the slice still counts.
#[tokio::test]
async fn a_station_trained_before_the_slice_stays_trained() {
    let app = spawn_empty_app().await;
    let city = small(&app).await;
    let y = city.year;
    let training = post(
        &app,
        "trainings",
        json!({"title": "宣讲员培训班", "place": "培训学校",
               "starts_on": format!("{y}-02-01"), "ends_on": format!("{y}-02-02")}),
    )
    .await;
    post(
        &app,
        "trainees",
        json!({"training_id": training, "name": "张警官", "station_id": city.stations[0],
               "days_attended": [format!("{y}-02-01")], "completed": true}),
    )
    .await;
    let d = app
        .get_json(&format!(
            "/api/v1/dashboard?year={y}&from={y}-06-01&to={y}-06-30"
        ))
        .await;
    assert_eq!(d["training"]["trained"], 1, "{}", d["training"]);
    assert_eq!(d["training"]["speakers"], 0, "none trained in June");
    let before = app
        .get_json(&format!(
            "/api/v1/dashboard?year={y}&from={y}-01-01&to={y}-01-31"
        ))
        .await;
    assert_eq!(before["training"]["trained"], 0);
}
