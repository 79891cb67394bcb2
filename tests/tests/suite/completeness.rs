//! Completeness of the monthly returns (`GET /api/v1/completeness`) and the dashboard's
//! "已审核" figures (`data=accepted`), checked against a count of the test's own from the
//! raw rows: the stations (with `closed_on`), the stored returns (state and first
//! submission day) and the sessions. The test writes returns behind the API's back for the
//! cases it needs (a late one, a returned one, a reopened one, a closed station's), and
//! moves one through the API to see the "已审核" figures follow.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use humiao_tests::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

/// A past year, so that every month of it is counted; the demo holds its campaign.
const YEAR: i32 = 2025;

/// One expected return as the test counts it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    expected: i64,
    on_time: i64,
    late: i64,
    missing: i64,
    returned: i64,
    approved: i64,
    accepted: i64,
}

impl Counts {
    fn of(v: &Value) -> Counts {
        let n = |k: &str| v[k].as_i64().unwrap_or_else(|| panic!("{k} in {v}"));
        Counts {
            expected: n("expected"),
            on_time: n("on_time"),
            late: n("late"),
            missing: n("missing"),
            returned: n("returned"),
            approved: n("approved"),
            accepted: n("accepted"),
        }
    }

    fn add(&mut self, state: &str, first: Option<NaiveDate>, deadline: NaiveDate) {
        self.expected += 1;
        match (state, first) {
            ("open", _) | (_, None) => self.missing += 1,
            (_, Some(day)) if day <= deadline => self.on_time += 1,
            _ => self.late += 1,
        }
        match state {
            "returned" => self.returned += 1,
            "approved" => self.approved += 1,
            "accepted" => {
                self.approved += 1;
                self.accepted += 1;
            }
            _ => {}
        }
    }
}

/// A station as stored: id, district, closing day.
type Station = (i64, i64, Option<NaiveDate>);

async fn stations(app: &TestApp) -> Vec<Station> {
    let rows: Vec<(i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, district_id, closed_on FROM stations WHERE deleted_at IS NULL ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(id, d, closed)| (id, d, closed.map(|c| c.parse().unwrap())))
        .collect()
}

/// Every stored return: (station, month) → (state, first submission day).
async fn returns(app: &TestApp) -> HashMap<(i64, String), (String, Option<NaiveDate>)> {
    let rows: Vec<(i64, String, String, Option<String>)> =
        sqlx::query_as("SELECT station_id, month, state, first_submitted_on FROM monthly_returns")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(s, m, state, first)| ((s, m), (state, first.map(|d| d.parse().unwrap()))))
        .collect()
}

/// Stores a return as the sign-off would have left it.
async fn store(app: &TestApp, station: i64, month: &str, state: &str, first: Option<&str>) {
    sqlx::query(
        "INSERT INTO monthly_returns (station_id, month, state, version, first_submitted_on,
                                      submitted_on, updated_at)
         VALUES ($1, $2, $3, 1, $4, $4, '2026-01-01T00:00:00Z')
         ON CONFLICT (station_id, month) DO UPDATE
         SET state = $3, first_submitted_on = $4, submitted_on = $4",
    )
    .bind(station)
    .bind(month)
    .bind(state)
    .bind(first)
    .execute(&app.db.pool)
    .await
    .unwrap();
}

fn month_first(month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, month, 1).unwrap()
}

/// The last day a month's return is on time, written out here: the month's last day plus
/// the campaign's days.
fn deadline(first: NaiveDate, due_days: i64) -> NaiveDate {
    let next = first.with_day(28).unwrap() + Duration::days(4);
    next.with_day(1).unwrap() - Duration::days(1) + Duration::days(due_days)
}

/// Per month of the year, the whole place's counts and each district's, from the raw rows,
/// for the stations `keep` chooses.
async fn recount(
    app: &TestApp,
    keep: impl Fn(&Station) -> bool,
) -> Vec<(Counts, BTreeMap<i64, Counts>)> {
    let (due,): (i64,) = sqlx::query_as("SELECT return_due_days FROM campaigns WHERE year = $1")
        .bind(i64::from(YEAR))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let stations = stations(app).await;
    let stored = returns(app).await;
    (1..=12)
        .map(|m| {
            let first = month_first(m);
            let month = format!("{YEAR}-{m:02}");
            let mut total = Counts::default();
            let mut by_district: BTreeMap<i64, Counts> = BTreeMap::new();
            for s in stations.iter().filter(|s| keep(s)) {
                // Expected unless it closed before the month began.
                if s.2.is_some_and(|closed| closed < first) {
                    continue;
                }
                let (state, first_submitted) = stored
                    .get(&(s.0, month.clone()))
                    .cloned()
                    .unwrap_or(("open".into(), None));
                let due_on = deadline(first, due);
                total.add(&state, first_submitted, due_on);
                by_district
                    .entry(s.1)
                    .or_default()
                    .add(&state, first_submitted, due_on);
            }
            (total, by_district)
        })
        .collect()
}

async fn get(client: &Client, app: &TestApp, path: &str) -> (u16, Value) {
    let res = client
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .expect("request sent");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The stations of 天宁分局, one of which the test closes in mid-June.
async fn tianning(app: &TestApp) -> (i64, Vec<i64>) {
    let district = app.id_of("districts", "name", "天宁分局").await;
    let ids = stations(app)
        .await
        .into_iter()
        .filter(|s| s.1 == district)
        .map(|s| s.0)
        .collect();
    (district, ids)
}

/// Returns in every state and timeliness, and a station closed on 2025-06-15 (with a
/// stored return for July that must not count: it was not expected then).
async fn set_up(app: &TestApp) -> (i64, i64) {
    let (district, ids) = tianning(app).await;
    let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
    let closing = *ids
        .iter()
        .find(|id| **id != diaozhuang)
        .expect("a second station");
    sqlx::query("UPDATE stations SET closed_on = '2025-06-15' WHERE id = $1")
        .bind(closing)
        .execute(&app.db.pool)
        .await
        .unwrap();
    // The campaign's default: due on the 5th of the next month.
    store(app, diaozhuang, "2025-01", "accepted", Some("2025-02-05")).await;
    store(app, diaozhuang, "2025-02", "approved", Some("2025-03-06")).await; // late
    store(app, diaozhuang, "2025-04", "returned", Some("2025-05-02")).await;
    store(app, diaozhuang, "2025-05", "submitted", Some("2025-06-20")).await; // late
    store(app, diaozhuang, "2025-06", "open", Some("2025-07-01")).await; // reopened
    store(app, closing, "2025-01", "accepted", Some("2025-02-01")).await;
    store(app, closing, "2025-06", "submitted", Some("2025-07-03")).await;
    store(app, closing, "2025-07", "accepted", Some("2025-08-01")).await;
    (district, closing)
}

#[tokio::test]
async fn completeness_equals_a_count_of_the_raw_rows_with_a_station_closed_mid_year() {
    let app = spawn_app().await;
    let (district, _) = set_up(&app).await;
    let want = recount(&app, |_| true).await;
    let got = app
        .get_json(&format!("/api/v1/completeness?year={YEAR}"))
        .await;
    assert_eq!(got["year"], YEAR);
    assert_eq!(got["level"], "district");
    assert_eq!(got["due_days"], 5);
    let months = got["returns"]["months"].as_array().unwrap();
    assert_eq!(months.len(), 12, "every month of a past year");
    let mut year = Counts::default();
    for (m, (month, (total, by_district))) in months.iter().zip(&want).enumerate() {
        let name = format!("{YEAR}-{:02}", m + 1);
        assert_eq!(month["month"], name.as_str());
        assert_eq!(Counts::of(&month["total"]), *total, "{name}");
        let places: BTreeMap<i64, Counts> = month["places"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["id"].as_i64().unwrap(), Counts::of(&p["counts"])))
            .collect();
        for (d, counts) in by_district {
            assert_eq!(places.get(d), Some(counts), "{name} district {d}");
        }
        // No rate above 100%: every expected return is counted once.
        for c in places.values().chain([total]) {
            assert_eq!(c.on_time + c.late + c.missing, c.expected, "{name}");
            assert!(
                c.accepted <= c.approved && c.approved <= c.expected,
                "{name}"
            );
        }
        year.expected += total.expected;
        year.accepted += total.accepted;
    }
    let total = Counts::of(&got["returns"]["total"]);
    assert_eq!(
        (total.expected, total.accepted),
        (year.expected, year.accepted)
    );
    // Case by case: the closed station is expected up to June, not from July (its stored
    // July return adds nothing, so July's rates stay within 100%); February's return is
    // late, January's two on time.
    let tianning = |m: usize| {
        Counts::of(
            &months[m]["places"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == district)
                .unwrap()["counts"],
        )
    };
    assert_eq!(
        tianning(5).expected,
        tianning(6).expected + 1,
        "June vs July"
    );
    assert!(tianning(1).late >= 1 && tianning(0).on_time >= 2);
    // The deadline is the 5th of the next month.
    assert_eq!(months[1]["deadline"], "2025-03-05");

    // The annual report states the same year's returns, for its scope.
    let mut year = Counts::default();
    for (m, _) in &want {
        for (mine, theirs) in [
            (&mut year.expected, m.expected),
            (&mut year.on_time, m.on_time),
            (&mut year.late, m.late),
            (&mut year.missing, m.missing),
            (&mut year.accepted, m.accepted),
        ] {
            *mine += theirs;
        }
    }
    let n = humiao_shared::report::count;
    let report = app
        .get(&format!("/report/{YEAR}"))
        .await
        .text()
        .await
        .unwrap();
    let said = format!(
        "应报月报 {} 份（每所每月一份，计至本月），按时报送 {} 份，逾期报送 {} 份，未报 {} 份；\
         经市局审核确认 {} 份",
        n(year.expected),
        n(year.on_time),
        n(year.late),
        n(year.missing),
        n(year.accepted)
    );
    assert!(report.contains(&said), "{said} not in the report");
    assert!(report.contains(&format!(
        "{} / {} / {} / {} / {}",
        n(year.expected),
        n(year.on_time),
        n(year.late),
        n(year.missing),
        n(year.accepted)
    )));
}

#[tokio::test]
async fn a_district_leader_sees_their_districts_stations_and_nothing_of_another() {
    let app = spawn_app().await;
    let (district, ids) = tianning(&app).await;
    set_up(&app).await;
    let leader = app.client_as("leader.tianning").await;
    let (status, got) = get(&leader, &app, &format!("/api/v1/completeness?year={YEAR}")).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["level"], "station");
    let want = recount(&app, |s| s.1 == district).await;
    for (month, (total, _)) in got["returns"]["months"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&want)
    {
        assert_eq!(Counts::of(&month["total"]), *total, "{}", month["month"]);
        for p in month["places"].as_array().unwrap() {
            assert!(ids.contains(&p["id"].as_i64().unwrap()), "{p}");
        }
    }
    let other = app.id_of("districts", "name", "钟楼分局").await;
    let (status, _) = get(
        &leader,
        &app,
        &format!("/api/v1/completeness?year={YEAR}&district_id={other}"),
    )
    .await;
    assert_eq!(status, 404, "another district is not theirs");
    // An officer sees the station alone; a school has no completeness to read.
    let officer = app.client_as("officer.diaozhuang").await;
    let (status, got) = get(&officer, &app, "/api/v1/completeness").await;
    assert_eq!(status, 200, "{got}");
    let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
    let places = got["returns"]["places"].as_array().unwrap();
    assert_eq!(places.len(), 1);
    assert_eq!(places[0]["id"], diaozhuang);
    let school = app.client_as("school.diaozhuang").await;
    let (status, _) = get(&school, &app, "/api/v1/completeness").await;
    assert_eq!(status, 403);
    let (status, got) = get(&leader, &app, "/api/v1/completeness?year=99999").await;
    assert_eq!(status, 422, "{got}");
}

#[tokio::test]
async fn screening_windows_count_schools_confirmed_and_say_closed_rather_than_days() {
    let app = spawn_app().await;
    let got = app
        .get_json(&format!("/api/v1/completeness?year={YEAR}"))
        .await;
    let screenings = got["screenings"].as_array().unwrap();
    // Recount per assignment: schools asked, and those that confirmed every film.
    type Row = (i64, i64, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, x.school_id,
                (SELECT COUNT(*) FROM assignment_films af WHERE af.assignment_id = a.id),
                (SELECT COUNT(DISTINCT c.film_id) FROM screening_confirmations c
                 WHERE c.assignment_id = a.id AND c.school_id = x.school_id
                   AND c.deleted_at IS NULL)
         FROM screening_assignments a JOIN assignment_schools x ON x.assignment_id = a.id
         JOIN schools sc ON sc.id = x.school_id JOIN campaigns cp ON cp.id = a.campaign_id
         WHERE a.deleted_at IS NULL AND sc.deleted_at IS NULL AND cp.year = $1",
    )
    .bind(i64::from(YEAR))
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut want: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (a, _, films, done) in rows {
        let e = want.entry(a).or_default();
        e.0 += 1;
        e.1 += i64::from(films > 0 && done >= films);
    }
    assert_eq!(screenings.len(), want.len());
    assert!(!screenings.is_empty(), "the demo assigns films in {YEAR}");
    for s in screenings {
        let (schools, confirmed) = want[&s["assignment_id"].as_i64().unwrap()];
        assert_eq!(
            (s["schools"].as_i64(), s["confirmed"].as_i64()),
            (Some(schools), Some(confirmed))
        );
        assert_eq!(s["not_yet"].as_i64(), Some(schools - confirmed));
        // A past year's windows are closed: no days are left to count.
        assert_eq!(
            (s["closed"].as_bool(), s["days_left"].as_i64()),
            (Some(true), Some(0))
        );
    }

    // The whole database's counts are sums kept per district between requests: a school's
    // confirmation taken back after the first read counts in the next one.
    let (confirmation, assignment): (i64, i64) = sqlx::query_as(
        "SELECT c.id, c.assignment_id FROM screening_confirmations c
         JOIN screening_assignments a ON a.id = c.assignment_id
         JOIN campaigns cp ON cp.id = a.campaign_id
         WHERE cp.year = $1 AND c.deleted_at IS NULL
           AND (SELECT COUNT(DISTINCT d.film_id) FROM screening_confirmations d
                WHERE d.assignment_id = c.assignment_id AND d.school_id = c.school_id
                  AND d.deleted_at IS NULL)
               >= (SELECT COUNT(*) FROM assignment_films af
                   WHERE af.assignment_id = c.assignment_id)
         ORDER BY c.id LIMIT 1",
    )
    .bind(i64::from(YEAR))
    .fetch_one(&app.db.pool)
    .await
    .expect("a school that confirmed every film");
    let res = app
        .client
        .delete(format!("{}/api/v1/confirmations/{confirmation}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let again = app
        .get_json(&format!("/api/v1/completeness?year={YEAR}"))
        .await;
    let confirmed = |got: &Value| {
        got["screenings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["assignment_id"].as_i64() == Some(assignment))
            .and_then(|s| s["confirmed"].as_i64())
            .unwrap()
    };
    assert_eq!(confirmed(&again), confirmed(&got) - 1);
}

/// Sessions of the year's campaign in station-months whose return is accepted, counted
/// from the raw rows; with `district`, of that district's stations only; up to `to`.
async fn accepted_sessions(app: &TestApp, district: Option<i64>) -> i64 {
    accepted_sessions_to(app, district, "9999-12-31").await
}

async fn accepted_sessions_to(app: &TestApp, district: Option<i64>, to: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sessions t JOIN stations st ON st.id = t.station_id
         JOIN campaigns cp ON cp.id = t.campaign_id
         JOIN monthly_returns r ON r.station_id = t.station_id
          AND r.month = substr(t.held_on, 1, 7) AND r.state = 'accepted'
         WHERE t.deleted_at IS NULL AND cp.year = $1
           AND (st.district_id = $2 OR $2 = 0) AND t.held_on <= $3",
    )
    .bind(i64::from(YEAR))
    .bind(district.unwrap_or(0))
    .bind(to)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    n
}

/// Moves a return through the API, with the version its `GET` names.
async fn act(app: &TestApp, who: &Client, station: i64, month: &str, action: &str) {
    let path = format!("{}/api/v1/returns/{station}/{month}", app.url);
    let now = who.get(&path).send().await.unwrap();
    assert_eq!(now.status(), 200);
    let version = now.headers()["etag"].to_str().unwrap().to_string();
    let res = who
        .post(format!("{path}/{action}"))
        .header("If-Match", version)
        .json(&json!({"reason": "测试：重新审核"}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert_eq!(
        status,
        200,
        "{action} {month}: {}",
        res.text().await.unwrap()
    );
}

#[tokio::test]
async fn accepted_figures_count_only_accepted_station_months_and_follow_an_acceptance() {
    let app = spawn_app().await;
    let (district, _) = set_up(&app).await;
    let dashboard = |q: String| {
        let app = &app;
        async move {
            app.get_json(&format!("/api/v1/dashboard?year={YEAR}{q}"))
                .await
        }
    };
    let all = dashboard(String::new()).await;
    let accepted = dashboard("&data=accepted".into()).await;
    let want = accepted_sessions(&app, None).await;
    assert_eq!(accepted["summary"]["sessions"], want);
    assert!(want > 0 && want < all["summary"]["sessions"].as_i64().unwrap());
    // Every part adds up to the same accepted-only total.
    let sum = |rows: &Value| -> i64 {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["sessions"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(sum(&accepted["by_month"]), want);
    assert_eq!(sum(&accepted["by_place"]), want);
    // The aggregates (and so their exports) take the same choice.
    let rows = app
        .get_json(&format!(
            "/api/v1/aggregates/reach?year={YEAR}&group_by=station&data=accepted"
        ))
        .await;
    assert_eq!(sum(&rows), want);
    let by_district = dashboard(format!("&data=accepted&district_id={district}")).await;
    assert_eq!(
        by_district["summary"]["sessions"],
        accepted_sessions(&app, Some(district)).await
    );
    // Part of the year is read from the sessions rather than the station rollups: the same
    // rule.
    let half = dashboard("&data=accepted&to=2025-03-31".into()).await;
    let want_half = accepted_sessions_to(&app, None, "2025-03-31").await;
    assert_eq!(half["summary"]["sessions"], want_half);
    assert!(want_half > 0, "January's accepted returns hold sessions");
    // The badge: accepted returns of those expected in the year, closed station included
    // up to June.
    let counted = recount(&app, |_| true).await;
    let expected: i64 = counted.iter().map(|m| m.0.expected).sum();
    let accepted_returns: i64 = counted.iter().map(|m| m.0.accepted).sum();
    assert_eq!(
        (
            accepted["reviewed"]["accepted"].as_i64(),
            accepted["reviewed"]["expected"].as_i64()
        ),
        (Some(accepted_returns), Some(expected))
    );
    assert_eq!(
        all["reviewed"], accepted["reviewed"],
        "the badge is the same either way"
    );

    // The city accepts 雕庄's busiest month of the year not yet accepted: the
    // "已审核" figures grow by its sessions, the figures of all data stay.
    let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
    let (month, sessions): (String, i64) = sqlx::query_as(
        "SELECT substr(t.held_on, 1, 7) AS m, COUNT(*) FROM sessions t
         WHERE t.station_id = $1 AND t.deleted_at IS NULL AND t.held_on >= $2
           AND t.held_on <= $3
           AND NOT EXISTS (SELECT 1 FROM monthly_returns r WHERE r.station_id = t.station_id
                           AND r.month = substr(t.held_on, 1, 7) AND r.state = 'accepted')
         GROUP BY substr(t.held_on, 1, 7) ORDER BY COUNT(*) DESC, m LIMIT 1",
    )
    .bind(diaozhuang)
    .bind(format!("{YEAR}-01-01"))
    .bind(format!("{YEAR}-12-31"))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(sessions > 0);
    let officer = app.client_as("officer.diaozhuang").await;
    let district_leader = app.client_as("leader.tianning").await;
    let city = app.client_as("leader").await;
    // From wherever the month stands, up the sign-off, as each person would move it.
    loop {
        let now = app
            .get_json(&format!("/api/v1/returns/{diaozhuang}/{month}"))
            .await;
        match now["state"].as_str().unwrap() {
            "open" | "returned" => act(&app, &officer, diaozhuang, &month, "submit").await,
            "submitted" => act(&app, &district_leader, diaozhuang, &month, "approve").await,
            "approved" => {
                let approved = dashboard("&data=accepted".into()).await;
                assert_eq!(
                    approved["summary"]["sessions"], want,
                    "approved is not yet accepted"
                );
                act(&app, &city, diaozhuang, &month, "accept").await;
            }
            _ => break,
        }
    }
    let after = dashboard("&data=accepted".into()).await;
    assert_eq!(after["summary"]["sessions"], want + sessions);
    assert_eq!(
        after["summary"]["sessions"],
        accepted_sessions(&app, None).await
    );
    assert_eq!(after["reviewed"]["accepted"], accepted_returns + 1);
    assert_eq!(
        dashboard(String::new()).await["summary"],
        all["summary"],
        "all data does not depend on the sign-off"
    );
}

/// Issue 17 on a 360 px phone: the badge beside the title, the 全部数据 / 已审核 choice in
/// the filters changing the figures, and the returns' chart and table drilling down.
#[tokio::test]
async fn on_a_phone_the_dashboard_says_how_much_is_accepted_and_can_show_only_that() {
    use humiao_tests::browser::Browser;
    let app = spawn_app().await;
    set_up(&app).await;
    let campaign = app
        .id_of(
            "campaigns",
            "name",
            &format!("{YEAR}年警心护苗集中宣防行动"),
        )
        .await;
    let all = app
        .get_json(&format!("/api/v1/dashboard?year={YEAR}"))
        .await;
    let accepted = app
        .get_json(&format!("/api/v1/dashboard?year={YEAR}&data=accepted"))
        .await;
    let browser = Browser::start().await.expect("Chromium starts");
    browser.client.set_window_size(360, 800).await.unwrap();
    browser.sign_in(&app.url, "leader").await.unwrap();
    browser
        .client
        .goto(&format!("{}/dashboard", app.url))
        .await
        .unwrap();
    browser.wait_for("#figures").await.unwrap();
    browser.click("#filter-toggle").await.unwrap();
    browser
        .wait_for("#filter-campaign")
        .await
        .unwrap()
        .select_by_value(&campaign.to_string())
        .await
        .unwrap();
    let thousands = humiao_shared::charts::thousands;
    let sessions = |v: &Value| thousands(v["summary"]["sessions"].as_i64().unwrap());
    let want_all = sessions(&all);
    browser
        .wait_for_text("#figure-sessions .value", |t| t == want_all)
        .await
        .unwrap();
    let badge = format!(
        "{} / {} 个所月报已审核",
        thousands(all["reviewed"]["accepted"].as_i64().unwrap()),
        thousands(all["reviewed"]["expected"].as_i64().unwrap())
    );
    browser
        .wait_for_text("#reviewed-badge", |t| t == badge)
        .await
        .unwrap();
    browser
        .click("#filter-data input[value=accepted]")
        .await
        .unwrap();
    let want_accepted = sessions(&accepted);
    browser
        .wait_for_text("#figure-sessions .value", |t| t == want_accepted)
        .await
        .unwrap();
    let summary = browser.text_of("#filter-summary").await.unwrap();
    assert!(summary.contains("已审核"), "{summary}");
    let scroll_to = |id: &str| format!("document.getElementById('{id}').scrollIntoView();");
    browser
        .client
        .execute(&scroll_to("filter-data"), vec![])
        .await
        .unwrap();
    browser
        .screenshot("dashboard-data-choice-360")
        .await
        .unwrap();
    // The returns, per district: a chart and a table, on the phone's width.
    browser
        .wait_for("#returns #table-returns button.drill")
        .await
        .unwrap();
    browser.wait_for("#returns .chart svg").await.unwrap();
    browser.click("#filter-toggle").await.unwrap();
    browser
        .client
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .unwrap();
    browser.screenshot("dashboard-badge-360").await.unwrap();
    browser
        .client
        .execute(&scroll_to("returns"), vec![])
        .await
        .unwrap();
    browser.screenshot("dashboard-returns-360").await.unwrap();
    let wide: i64 = browser
        .client
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(wide <= 360, "{wide} px wide at 360 px");
    // A district's name drills down to its stations, here as in the other tables.
    let first = browser
        .text_of("#table-returns tbody tr:first-child button.drill")
        .await
        .unwrap();
    let district = app.id_of("districts", "name", &first).await;
    let (stations,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM stations WHERE district_id = $1 AND deleted_at IS NULL
           AND (closed_on IS NULL OR closed_on >= $2)",
    )
    .bind(district)
    .bind(format!("{YEAR}-01-01"))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    browser
        .click("#table-returns tbody tr:first-child button.drill")
        .await
        .unwrap();
    browser
        .wait_until_true(&format!(
            "return document.querySelectorAll('#table-returns tbody tr').length === {stations};"
        ))
        .await
        .unwrap();
}
