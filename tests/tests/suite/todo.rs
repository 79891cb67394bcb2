//! 待办 (`GET /api/v1/todo`) and the reminder list (`GET /api/v1/todo/reminders`): each
//! person sees what waits on them as the sign-off moves (an officer's months and the reason
//! a month came back, a district leader's returns to review and stations not submitted, the
//! city's districts to accept, a school's films to confirm), and leaders download who has
//! not submitted, within their scope.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use chrono::{Datelike, Duration, NaiveDate};
use humiao_server::clock;
use humiao_shared::returns::month_of;
use humiao_shared::todo::last_ended_month;
use humiao_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Starts from no return moved at all, whatever the demo holds, so that every month of
/// every station is open.
async fn without_returns(app: &TestApp) {
    for table in ["return_events", "monthly_returns"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&app.db.pool)
            .await
            .expect("cleared");
    }
}

async fn todo(client: &reqwest::Client, app: &TestApp) -> Value {
    let res = client
        .get(format!("{}/api/v1/todo", app.url))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(
        body["count"].as_u64(),
        Some(body["items"].as_array().expect("items").len() as u64),
        "the count is the number of items"
    );
    body
}

fn items_of<'a>(todo: &'a Value, kind: &str) -> Vec<&'a Value> {
    todo["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["kind"] == kind)
        .collect()
}

/// Moves a return as `client`, at the version it has now; the answer's status and body.
async fn act(
    app: &TestApp,
    client: &reqwest::Client,
    station: i64,
    month: &str,
    action: &str,
    reason: Option<&str>,
) -> (u16, Value) {
    let current: Value = client
        .get(format!("{}/api/v1/returns/{station}/{month}", app.url))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    let res = client
        .post(format!(
            "{}/api/v1/returns/{station}/{month}/{action}",
            app.url
        ))
        .header("If-Match", format!("\"{}\"", current["version"]))
        .json(&json!({ "reason": reason }))
        .send()
        .await
        .expect("sent");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Every ended month of every campaign year, oldest first: what a station has to return.
async fn months_due(app: &TestApp, today: NaiveDate) -> Vec<String> {
    let years: Vec<(i64,)> =
        sqlx::query_as("SELECT year FROM campaigns WHERE deleted_at IS NULL ORDER BY year")
            .fetch_all(&app.db.pool)
            .await
            .expect("years");
    let last = last_ended_month(today);
    let mut months = Vec::new();
    for (year,) in years {
        for month in 1..=12 {
            let first = NaiveDate::from_ymd_opt(year as i32, month, 1).expect("a month");
            if first <= last {
                months.push(month_of(first));
            }
        }
    }
    months
}

#[tokio::test]
async fn each_person_sees_what_waits_on_them_as_a_month_is_submitted_returned_and_approved() {
    let app = spawn_app().await;
    without_returns(&app).await;
    let today = clock::today();
    let month = month_of(last_ended_month(today));
    let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    let officer = app.client_as("officer.diaozhuang").await;
    let district = app.client_as("leader.tianning").await;
    let city = app.client_as("leader").await;

    // Nothing moved: every ended month of every campaign year is the station's to submit,
    // oldest first, each with its deadline.
    let mine = todo(&officer, &app).await;
    let submit = items_of(&mine, "submit");
    assert_eq!(submit.len(), mine["items"].as_array().unwrap().len());
    let months: Vec<&str> = submit
        .iter()
        .map(|i| i["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, months_due(&app, today).await);
    assert!(submit
        .iter()
        .all(|i| i["state"] == "open" && i["version"] == 0));
    let first = &submit[0];
    assert_eq!(first["station_id"], diaozhuang);
    assert!(first["days_late"].as_i64().unwrap() > 300, "{first}");

    // Submitted: it leaves the officer's list and waits for the district leader, who also
    // lists the district's other stations as not submitted; the city has nothing yet.
    let (status, _) = act(&app, &officer, diaozhuang, &month, "submit", None).await;
    assert_eq!(status, 200);
    let after = todo(&officer, &app).await;
    assert_eq!(
        after["count"].as_i64(),
        mine["count"].as_i64().map(|n| n - 1)
    );
    assert!(items_of(&after, "submit")
        .iter()
        .all(|i| i["month"] != month));
    let leader = todo(&district, &app).await;
    let review = items_of(&leader, "review");
    assert_eq!(review.len(), 1, "{leader}");
    assert_eq!(review[0]["station_id"], diaozhuang);
    assert_eq!(review[0]["month"], month.as_str());
    assert_eq!(review[0]["submitted_on"], today.to_string());
    let stations: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM stations WHERE district_id = $1 AND deleted_at IS NULL
           AND (closed_on IS NULL OR closed_on >= $2)",
    )
    .bind(tianning)
    .bind(format!("{month}-01"))
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let not_submitted = items_of(&leader, "not_submitted");
    assert_eq!(not_submitted.len(), stations.len() - 1);
    assert!(not_submitted.iter().all(|i| i["station_id"] != diaozhuang
        && i["month"] == month.as_str()
        && i["state"] == "open"));
    assert_eq!(todo(&city, &app).await["count"], 0);

    // Sent back with a reason: the officer sees the month again with the reason.
    let reason = "三月讲座人数与签到表不符";
    let (status, _) = act(&app, &district, diaozhuang, &month, "return", Some(reason)).await;
    assert_eq!(status, 200);
    let mine = todo(&officer, &app).await;
    let returned: Vec<_> = items_of(&mine, "submit")
        .into_iter()
        .filter(|i| i["state"] == "returned")
        .collect();
    assert_eq!(returned.len(), 1, "{mine}");
    assert_eq!(returned[0]["month"], month.as_str());
    assert_eq!(returned[0]["reason"], reason);
    assert!(items_of(&todo(&district, &app).await, "review").is_empty());

    // Submitted again and approved; once every other station of the district is approved
    // too, the city has the district's month to accept, and nothing once it is accepted.
    assert_eq!(
        act(&app, &officer, diaozhuang, &month, "submit", None)
            .await
            .0,
        200
    );
    assert_eq!(
        act(&app, &district, diaozhuang, &month, "approve", None)
            .await
            .0,
        200
    );
    assert_eq!(
        todo(&city, &app).await["count"],
        0,
        "the others are not approved"
    );
    for (station,) in stations.iter().filter(|(s,)| *s != diaozhuang) {
        sqlx::query(
            "INSERT INTO monthly_returns (station_id, month, state, version, first_submitted_on,
                                          submitted_on, updated_at)
             VALUES ($1, $2, 'approved', 3, $3, $3, $3)",
        )
        .bind(station)
        .bind(&month)
        .bind(today.to_string())
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    assert!(items_of(&todo(&district, &app).await, "not_submitted").is_empty());
    let waiting = todo(&city, &app).await;
    let accept = items_of(&waiting, "accept_district");
    assert_eq!(accept.len(), 1, "{waiting}");
    assert_eq!(accept[0]["district_id"], tianning);
    assert_eq!(accept[0]["district_name"], "天宁分局");
    assert_eq!(accept[0]["month"], month.as_str());
    assert_eq!(accept[0]["approved"].as_u64(), Some(stations.len() as u64));
    let res = city
        .post(format!(
            "{}/api/v1/returns/districts/{tianning}/{month}/accept",
            app.url
        ))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(todo(&city, &app).await["count"], 0);

    // Administrators only reopen when asked: nothing waits on them.
    assert_eq!(
        todo(&app.client, &app).await,
        json!({"count": 0, "items": []})
    );
}

#[tokio::test]
async fn a_school_sees_the_films_of_an_open_window_it_has_not_confirmed_with_the_days_left() {
    let app = spawn_app().await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let campaign = app.current_campaign().await;
    let today = clock::today();
    let year_end = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap();
    let closes = (today + Duration::days(10)).min(year_end);
    let films: Vec<i64> = app.get_json("/api/v1/films").await.as_array().unwrap()[..2]
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .collect();
    let res = app
        .post_json(
            "/api/v1/assignments",
            &json!({"campaign_id": campaign, "title": "待办测试", "film_ids": films,
                    "school_ids": [school], "opens_on": today.to_string(),
                    "closes_on": closes.to_string()}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let assignment = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let by_school = app.client_as("school.diaozhuang").await;
    let ours = |todo: &Value| -> Vec<Value> {
        items_of(todo, "confirm")
            .into_iter()
            .filter(|i| i["assignment_id"] == assignment)
            .cloned()
            .collect()
    };
    let before = todo(&by_school, &app).await;
    let waiting = ours(&before);
    assert_eq!(waiting.len(), 2, "{before}");
    assert!(waiting.iter().all(|i| i["assignment_title"] == "待办测试"
        && i["closes_on"] == closes.to_string()
        && i["days_left"] == (closes - today).num_days()));
    let res = by_school
        .post(format!("{}/api/v1/confirmations", app.url))
        .json(
            &json!({"assignment_id": assignment, "school_id": school, "film_id": films[0],
                      "shown_on": today.to_string(), "students": 10, "parents": 2,
                      "classes": 1, "method": "classroom"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let after = todo(&by_school, &app).await;
    let left = ours(&after);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["film_id"], films[1]);
    assert_eq!(
        after["count"].as_i64(),
        before["count"].as_i64().map(|n| n - 1)
    );
    // Another school is not expected by this assignment.
    let other = todo(&app.client_as("school.boai").await, &app).await;
    assert!(ours(&other).is_empty());
}

/// The rows of the first sheet, header first, each cell as text.
fn xlsx_rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
    let sheet = workbook
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    sheet
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test]
async fn the_reminder_list_is_a_workbook_of_the_stations_not_submitted_in_the_leader_s_scope() {
    let app = spawn_app().await;
    without_returns(&app).await;
    let today = clock::today();
    let month = month_of(last_ended_month(today));
    let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
    let district = app.client_as("leader.tianning").await;
    let download = |client: reqwest::Client, query: String| {
        let url = format!("{}/api/v1/todo/reminders{query}", app.url);
        async move { client.get(url).send().await.expect("sent") }
    };
    let res = download(district.clone(), String::new()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], XLSX);
    let rows = xlsx_rows(res.bytes().await.unwrap().to_vec());
    assert_eq!(
        rows[0],
        [
            "分局",
            "派出所",
            "月份",
            "状态",
            "截止日期",
            "逾期天数",
            "退回原因"
        ]
    );
    let in_district: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM stations s JOIN districts d ON d.id = s.district_id
         WHERE d.name = '天宁分局' AND s.deleted_at IS NULL
           AND (s.closed_on IS NULL OR s.closed_on >= $1)",
    )
    .bind(format!("{month}-01"))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        rows.len() as i64 - 1,
        in_district.0,
        "every station of 天宁, no other"
    );
    assert!(rows[1..]
        .iter()
        .all(|r| r[0] == "天宁分局" && r[2] == month && r[3] == "填报中"));
    assert!(rows[1..].iter().any(|r| r[1] == "雕庄派出所"));

    // Submitted, the station is off the list; sent back, it is on it again with the reason.
    let officer = app.client_as("officer.diaozhuang").await;
    assert_eq!(
        act(&app, &officer, diaozhuang, &month, "submit", None)
            .await
            .0,
        200
    );
    let json_rows: Value = download(district.clone(), format!("?month={month}&format=json"))
        .await
        .json()
        .await
        .unwrap();
    let listed = json_rows.as_array().unwrap();
    assert_eq!(listed.len() as i64, in_district.0 - 1);
    assert!(listed.iter().all(|r| r["station_id"] != diaozhuang));
    let deadline = listed[0]["deadline"].as_str().unwrap();
    let deadline = NaiveDate::parse_from_str(deadline, "%Y-%m-%d").unwrap();
    assert_eq!(listed[0]["days_late"], (today - deadline).num_days().max(0));
    let reason = "请补报三月讲座";
    assert_eq!(
        act(&app, &district, diaozhuang, &month, "return", Some(reason))
            .await
            .0,
        200
    );
    let json_rows: Value = download(district.clone(), format!("?month={month}&format=json"))
        .await
        .json()
        .await
        .unwrap();
    let back: Vec<_> = json_rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["station_id"] == diaozhuang)
        .collect();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0]["state"], "returned");
    assert_eq!(back[0]["reason"], reason);

    // The city's leader lists every district's stations.
    let city: Value = download(app.client_as("leader").await, "?format=json".into())
        .await
        .json()
        .await
        .unwrap();
    assert!(city.as_array().unwrap().len() as i64 > in_district.0);

    // A month that is not one, or has not begun, is refused at the field; officers and
    // schools have no reminder list.
    let next_year = format!("?month={}-01", today.year() + 1);
    for (query, code) in [
        ("?month=2026-13".to_string(), "invalid_month"),
        ("?month=March".to_string(), "invalid_month"),
        (next_year, "date_in_future"),
    ] {
        let res = download(district.clone(), query.clone()).await;
        assert_eq!(res.status(), 422, "{query}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], "month", "{query}");
        assert_eq!(body["fields"][0]["code"], code, "{query}");
    }
    for who in ["officer.diaozhuang", "school.diaozhuang"] {
        let res = download(app.client_as(who).await, String::new()).await;
        assert_eq!(res.status(), 403, "{who}");
    }
}
