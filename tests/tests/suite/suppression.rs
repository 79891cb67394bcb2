//! Complementary suppression on the demo data: whatever a leader can fetch about outcomes
//! (the list and its CSV file, the aggregates of the city, each district and each station,
//! the reports' figures), no hidden count comes back by subtracting shown figures from a
//! shown total — a district's month less its stations, a year less its months, the city
//! less its districts — however many such steps are chained. And a 409 carries no hidden
//! count. Administrators see every figure.

use std::collections::{BTreeMap, HashMap, HashSet};

use humiao_shared::columns;
use humiao_shared::outcome::Indicator;
use humiao_shared::suppression::{Period, Place};
use humiao_tests::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

const YEAR: i32 = 2024;

/// One figure: an indicator for a place over a month or the year.
type Key = (Indicator, Place, Period);

/// Everything one viewer has fetched: each figure as shown (`None` when hidden).
#[derive(Default)]
struct Seen {
    figures: HashMap<Key, Option<i64>>,
}

impl Seen {
    /// Records a figure; every answer that shows it must show the same (the list and the
    /// aggregates, the report and the months must not disagree about what is hidden).
    fn see(&mut self, key: Key, value: Option<i64>, source: &str) {
        if let Some(before) = self.figures.insert(key, value) {
            assert_eq!(before, value, "{key:?} differs in {source}");
        }
    }

    /// The figure as this viewer knows it: a month with nothing stored reads as nought
    /// wherever the viewer looked; a year the report does not state is unknown.
    fn known(&self, key: &Key) -> Option<i64> {
        match self.figures.get(key) {
            Some(value) => *value,
            None if key.2 == Period::Year => None,
            None => Some(0),
        }
    }
}

async fn get(app: &TestApp, client: &Client, path: &str) -> reqwest::Response {
    let res = client
        .get(format!("{}{path}", app.url))
        .header("Accept-Language", "en")
        .send()
        .await
        .expect("request sent");
    assert_eq!(res.status(), 200, "GET {path}");
    res
}

async fn json(app: &TestApp, client: &Client, path: &str) -> Value {
    get(app, client, path).await.json().await.expect("JSON")
}

fn month_of(text: &str) -> Period {
    let (year, month) = text.split_once('-').expect("YYYY-MM");
    assert_eq!(year, YEAR.to_string(), "{text}");
    Period::Month(month.parse().expect("a month"))
}

fn indicator(value: &Value) -> Indicator {
    Indicator::from_code(value.as_str().expect("a code")).expect("an indicator")
}

/// `/aggregates/outcomes` for a place: its figure for each month.
async fn series(app: &TestApp, client: &Client, seen: &mut Seen, place: Place) {
    let query = match place {
        Place::City => String::new(),
        Place::District(id) => format!("&district_id={id}"),
        Place::Station(id) => format!("&station_id={id}"),
    };
    let path = format!("/api/v1/aggregates/outcomes?year={YEAR}{query}");
    for p in json(app, client, &path).await.as_array().unwrap() {
        let key = (
            indicator(&p["indicator"]),
            place,
            month_of(p["month"].as_str().unwrap()),
        );
        seen.see(key, p["value"].as_i64(), &path);
    }
}

/// The outcomes list of a district, page by page, and its CSV file, which must agree.
async fn list(app: &TestApp, client: &Client, seen: &mut Seen, district: i64) -> usize {
    let query = format!("district_id={district}&from={YEAR}-01&to={YEAR}-12");
    let mut rows = Vec::new();
    for page in 1.. {
        let path = format!("/api/v1/outcomes?{query}&limit=1000&page={page}");
        let body = json(app, client, &path).await;
        let got = body.as_array().unwrap().clone();
        let done = got.len() < 1000;
        rows.extend(got);
        if done {
            break;
        }
    }
    let mut by_id = BTreeMap::new();
    for r in &rows {
        let key = (
            indicator(&r["indicator"]),
            Place::Station(r["station_id"].as_i64().unwrap()),
            month_of(r["month"].as_str().unwrap()),
        );
        seen.see(key, r["value"].as_i64(), "the outcomes list");
        by_id.insert(r["id"].as_i64().unwrap(), r["value"].as_i64());
    }
    let csv = get(app, client, &format!("/api/v1/outcomes?{query}&format=csv"))
        .await
        .text()
        .await
        .unwrap();
    let mut file = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = file.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id, value) = (column("ID"), column("Value"));
    let mut lines = 0;
    for record in file.records() {
        let record = record.unwrap();
        let id: i64 = record[id].parse().unwrap();
        let shown = by_id.get(&id).expect("the same rows as the list");
        let expected = shown.map_or_else(|| columns::SMALL.to_string(), |v| v.to_string());
        assert_eq!(record[value], expected, "outcome {id} in the CSV file");
        lines += 1;
    }
    assert_eq!(lines, rows.len(), "the file holds the whole list");
    rows.len()
}

/// The year's figures that `/report/{year}` states for a place.
async fn report(app: &TestApp, client: &Client, seen: &mut Seen, place: Place) {
    let query = match place {
        Place::City => String::new(),
        Place::District(id) => format!("&district_id={id}"),
        Place::Station(id) => format!("&station_id={id}"),
    };
    let path = format!("/report/{YEAR}?lang=en{query}");
    let html = get(app, client, &path).await.text().await.unwrap();
    for (label, indicator) in [
        (
            "Key minors mentored (people, at the period's end)",
            Indicator::MinorsMentored,
        ),
        ("offended again (people)", Indicator::Reoffences),
        ("Runaway and missing-youth calls", Indicator::RunawayCalls),
        ("follow-up visits", Indicator::FollowUps),
        (
            "youths given a volunteer team (people)",
            Indicator::VolunteerTeams,
        ),
        (
            "Night-wandering minors cared for (people)",
            Indicator::NightWanderingCared,
        ),
        ("Back in school (people)", Indicator::ReturnedToSchool),
    ] {
        let cell = format!("<th scope=\"row\">{label}</th><td class=\"n\">");
        let Some(at) = html.find(&cell) else {
            // Only a report without figures has no table; a renamed row must not pass
            // unread.
            assert!(!html.contains("<table"), "{label:?} is not in {path}");
            continue;
        };
        let text = &html[at + cell.len()..];
        let figure = text.split([' ', '<']).next().unwrap();
        // A number, or the mark of a hidden one.
        let value = figure.replace(',', "").parse::<i64>().ok();
        // Minors mentored is a stock: the figure reported in December, not a sum.
        let period = if indicator == Indicator::MinorsMentored {
            Period::Month(12)
        } else {
            Period::Year
        };
        seen.see((indicator, place, period), value, &path);
    }
}

/// The year's figures of `/aggregates/outcome-totals` for a place (the dashboard's figures):
/// the same as the report's, hidden or not.
async fn totals(app: &TestApp, client: &Client, seen: &mut Seen, place: Place) -> Value {
    let query = match place {
        Place::City => String::new(),
        Place::District(id) => format!("&district_id={id}"),
        Place::Station(id) => format!("&station_id={id}"),
    };
    let path = format!("/api/v1/aggregates/outcome-totals?year={YEAR}{query}");
    let answer = json(app, client, &path).await;
    for (field, indicator) in [
        ("minors_mentored", Indicator::MinorsMentored),
        ("reoffences", Indicator::Reoffences),
        ("runaway_calls", Indicator::RunawayCalls),
        ("follow_ups", Indicator::FollowUps),
        ("volunteer_teams", Indicator::VolunteerTeams),
        ("night_wandering_cared", Indicator::NightWanderingCared),
        ("returned_to_school", Indicator::ReturnedToSchool),
    ] {
        let period = if indicator == Indicator::MinorsMentored {
            Period::Month(12)
        } else {
            Period::Year
        };
        seen.see((indicator, place, period), answer[field].as_i64(), &path);
    }
    answer
}

/// Each total with its parts, for the places a viewer sees: a place's month is the sum of
/// its stations' (or districts') months, a place's year the sum of its months and of its
/// stations' (or districts') years.
fn sums(districts: &BTreeMap<i64, Vec<i64>>, city: bool) -> Vec<(Place, Vec<Place>)> {
    let mut out = Vec::new();
    for (&d, stations) in districts {
        out.push((
            Place::District(d),
            stations.iter().map(|&s| Place::Station(s)).collect(),
        ));
    }
    if city {
        out.push((
            Place::City,
            districts.keys().map(|&d| Place::District(d)).collect(),
        ));
    }
    out
}

/// Works out every figure that chains of "total less its shown parts" give, and fails if
/// one of them is hidden.
fn assert_nothing_hidden_comes_back(seen: &Seen, districts: &BTreeMap<i64, Vec<i64>>, city: bool) {
    let months: Vec<Period> = (1..=12).map(Period::Month).collect();
    let mut places: Vec<Place> = districts
        .iter()
        .flat_map(|(d, s)| {
            std::iter::once(Place::District(*d)).chain(s.iter().map(|s| Place::Station(*s)))
        })
        .collect();
    if city {
        places.push(Place::City);
    }
    let mut equations: Vec<Vec<Key>> = Vec::new();
    for indicator in Indicator::ALL {
        for (total, parts) in sums(districts, city) {
            for period in months.iter().copied().chain([Period::Year]) {
                equations.push(
                    std::iter::once((indicator, total, period))
                        .chain(parts.iter().map(|p| (indicator, *p, period)))
                        .collect(),
                );
            }
        }
        if indicator == Indicator::MinorsMentored {
            continue; // a stock: no yearly sum of it is published
        }
        for &place in &places {
            equations.push(
                std::iter::once((indicator, place, Period::Year))
                    .chain(months.iter().map(|m| (indicator, place, *m)))
                    .collect(),
            );
        }
    }
    let hidden: HashSet<Key> = seen
        .figures
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| *k)
        .collect();
    let mut solved: HashSet<Key> = HashSet::new();
    loop {
        let mut progress = false;
        for eq in &equations {
            let unknown: Vec<&Key> = eq
                .iter()
                .filter(|k| seen.known(k).is_none() && !solved.contains(*k))
                .collect();
            if let [one] = unknown[..] {
                solved.insert(*one);
                progress = true;
            }
        }
        if !progress {
            break;
        }
    }
    let recovered: Vec<&Key> = solved.intersection(&hidden).collect();
    assert!(
        recovered.is_empty(),
        "{} of {} hidden figures can be worked out, e.g. {:?}",
        recovered.len(),
        hidden.len(),
        &recovered[..recovered.len().min(5)]
    );
}

/// The demo's districts and their stations, as the database holds them.
async fn districts(app: &TestApp) -> BTreeMap<i64, Vec<i64>> {
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT district_id, id FROM stations WHERE deleted_at IS NULL")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (d, s) in rows {
        out.entry(d).or_default().push(s);
    }
    out
}

/// Everything about outcomes `client` can fetch for these districts (and the city).
async fn fetch_everything(
    app: &TestApp,
    client: &Client,
    districts: &BTreeMap<i64, Vec<i64>>,
    city: bool,
) -> Seen {
    let mut seen = Seen::default();
    if city {
        series(app, client, &mut seen, Place::City).await;
        report(app, client, &mut seen, Place::City).await;
        totals(app, client, &mut seen, Place::City).await;
    }
    // Districts whose stations count from registers list no typed values; the typed
    // district lists its own.
    let mut listed = 0;
    for (&d, stations) in districts {
        listed += list(app, client, &mut seen, d).await;
        series(app, client, &mut seen, Place::District(d)).await;
        report(app, client, &mut seen, Place::District(d)).await;
        totals(app, client, &mut seen, Place::District(d)).await;
        for &s in stations {
            series(app, client, &mut seen, Place::Station(s)).await;
            report(app, client, &mut seen, Place::Station(s)).await;
            totals(app, client, &mut seen, Place::Station(s)).await;
        }
    }
    assert!(listed > 0, "typed values are listed");
    seen
}

fn hidden_at_stations(seen: &Seen, indicator: Indicator) -> usize {
    seen.figures
        .iter()
        .filter(|((i, place, period), v)| {
            *i == indicator
                && matches!(place, Place::Station(_))
                && matches!(period, Period::Month(_))
                && v.is_none()
        })
        .count()
}

#[tokio::test]
async fn no_hidden_count_can_be_worked_out_from_what_a_leader_can_fetch() {
    let app = spawn_app().await;
    let all = districts(&app).await;
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    let cases = [
        ("leader", all.clone(), true),
        (
            "leader.tianning",
            all.iter()
                .filter(|(d, _)| **d == tianning)
                .map(|(d, s)| (*d, s.clone()))
                .collect(),
            false,
        ),
    ];
    for (who, districts, city) in cases {
        let client = app.client_as(who).await;
        let seen = fetch_everything(&app, &client, &districts, city).await;
        // The demo's re-offences are single ones at scattered stations: all hidden.
        assert!(
            hidden_at_stations(&seen, Indicator::Reoffences) > 0,
            "{who} sees re-offence counts hidden"
        );
        assert_nothing_hidden_comes_back(&seen, &districts, city);
    }
    // The bureau's own figure stays: 33 re-offences of 1,038 minors, 3.2%.
    let leader = app.client_as("leader").await;
    let html = get(&app, &leader, &format!("/report/{YEAR}?lang=zh"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("其中有重新涉案记录的 33 人，占比 3.2%"),
        "{html}"
    );
    // And the dashboard states them too, though some of the city's months are hidden.
    let mut seen = Seen::default();
    let city = totals(&app, &leader, &mut seen, Place::City).await;
    assert_eq!(
        (
            city["reoffences"].as_i64(),
            city["minors_mentored"].as_i64()
        ),
        (Some(33), Some(1038)),
        "{city}"
    );
}

#[tokio::test]
async fn administrators_see_every_figure_and_the_totals_add_up() {
    let app = spawn_app().await;
    let all = districts(&app).await;
    let (&district, stations) = all.iter().next().unwrap();
    let one: BTreeMap<i64, Vec<i64>> = [(district, stations.clone())].into();
    let seen = fetch_everything(&app, &app.client, &one, false).await;
    assert!(seen.figures.values().all(Option::is_some), "nothing hidden");
    for indicator in Indicator::ALL {
        for month in (1..=12).map(Period::Month) {
            let total = seen.known(&(indicator, Place::District(district), month));
            let parts: i64 = stations
                .iter()
                .map(|s| seen.known(&(indicator, Place::Station(*s), month)).unwrap())
                .sum();
            assert_eq!(total, Some(parts), "{indicator:?} {month:?}");
        }
    }
}

#[tokio::test]
async fn a_conflict_shows_a_hidden_count_to_no_one_but_an_administrator() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    // 雕庄's only re-offences of 2024: 3, in March.
    sqlx::query(
        "DELETE FROM outcome_values
         WHERE station_id = $1 AND indicator = 'reoffences' AND month LIKE '2024-%'",
    )
    .bind(station)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let entry = json!({"station_id": station, "month": "2024-03", "indicator": "reoffences",
                       "value": 3});
    let res = app.post_json("/api/v1/outcomes", &entry).await;
    assert_eq!(res.status(), 201);
    let stored: Value = res.json().await.unwrap();
    let path = format!("{}/api/v1/outcomes/{}", app.url, stored["id"]);

    let officer = app.client_as("officer.diaozhuang").await;
    let again = json!({"station_id": station, "month": "2024-03", "indicator": "reoffences",
                       "value": 2});
    let stale_version = stored["version"].as_i64().unwrap() + 7;
    for (who, client, shown) in [
        ("admin", &app.client, json!(3)),
        ("officer", &officer, Value::Null),
    ] {
        // The same station, month and indicator again: 409 with the stored one.
        let res = client
            .post(format!("{}/api/v1/outcomes", app.url))
            .json(&again)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 409, "{who}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["current"]["id"], stored["id"], "{who}");
        assert_eq!(body["current"]["value"], shown, "{who}'s duplicate");
        // An edit or a delete from an old version: 409 with the record as it is.
        for method in [reqwest::Method::PUT, reqwest::Method::DELETE] {
            let res = client
                .request(method.clone(), &path)
                .header("If-Match", format!("\"{stale_version}\""))
                .json(&again)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 409, "{who} {method}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["current"]["value"], shown, "{who}'s stale {method}");
        }
        let read: Value = client
            .get(&path)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(read["value"], shown, "{who} reads it");
    }
}
