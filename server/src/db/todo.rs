//! The reads behind 待办 (`GET /api/v1/todo`) and the reminder list: each person's items
//! from the monthly returns, the stations and the screening assignments. Every read is one
//! or two queries whatever the scope (a province's leader reads ~1,000 stations at once);
//! what is due and how late is decided by `humiao_shared::todo` and
//! `humiao_shared::returns`.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use humiao_shared::returns::{self, ReturnState};
use humiao_shared::todo::{self, Reminder, TodoItem};
use sqlx::AnyConnection;

use super::date;
use super::where_clause::Conditions;
use crate::records::within_districts;
use crate::returns::db::DueDays;
use crate::viewer::Viewer;

/// The years with a campaign: a month is due only in those (see `todo::months_due`).
async fn campaign_years(conn: &mut AnyConnection) -> Result<Vec<i32>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT year FROM campaigns WHERE deleted_at IS NULL")
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|(year,)| year as i32).collect())
}

/// A month's deadline: the campaign of its year says how many days after its end.
fn deadline(due: &DueDays, first: NaiveDate) -> NaiveDate {
    returns::deadline(first, due.of(first.year()))
}

fn state(code: &str) -> Result<ReturnState, sqlx::Error> {
    ReturnState::from_code(code)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown return state {code:?}").into()))
}

fn month(text: &str) -> Result<NaiveDate, sqlx::Error> {
    returns::parse_month(text)
        .ok_or_else(|| sqlx::Error::Decode(format!("not a month: {text:?}").into()))
}

fn optional_date(text: Option<String>) -> Result<Option<NaiveDate>, sqlx::Error> {
    text.as_deref().map(date).transpose()
}

/// An officer's items: the returns sent back, with their reasons (a month sent early and
/// sent back included), then the station's ended months not yet submitted, oldest first.
pub async fn officer(
    conn: &mut AnyConnection,
    station_id: i64,
    today: NaiveDate,
) -> Result<Vec<TodoItem>, sqlx::Error> {
    let due = DueDays::load(conn).await?;
    let station: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT name, closed_on FROM stations WHERE id = $1 AND deleted_at IS NULL")
            .bind(station_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((station_name, closed_on)) = station else {
        return Ok(Vec::new());
    };
    let closed_on = optional_date(closed_on)?;
    type Row = (String, String, i64, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT month, state, version, reason FROM monthly_returns WHERE station_id = $1",
    )
    .bind(station_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut stored = HashMap::new();
    for (text, code, version, reason) in rows {
        stored.insert(month(&text)?, (state(&code)?, version, reason));
    }
    let years = campaign_years(conn).await?;
    let mut months = todo::months_due(today, &years, closed_on);
    // Sent back before its month was over: still the station's to fix.
    for (first, (state, ..)) in &stored {
        if *state == ReturnState::Returned && !months.contains(first) {
            months.push(*first);
        }
    }
    months.sort_unstable();
    let mut items = Vec::new();
    for first in months {
        let (state, version, reason) =
            stored
                .get(&first)
                .cloned()
                .unwrap_or((ReturnState::Open, 0, None));
        if !todo::still_to_submit(state) {
            continue;
        }
        let deadline = deadline(&due, first);
        items.push(TodoItem::Submit {
            station_id,
            station_name: station_name.clone(),
            month: returns::month_of(first),
            state,
            version,
            deadline,
            days_late: todo::days_late(deadline, today),
            reason,
        });
    }
    // Sent back first: a leader is waiting on those; then the open months, oldest first.
    items.sort_by_key(|item| match item {
        TodoItem::Submit { state, month, .. } => (*state != ReturnState::Returned, month.clone()),
        _ => (true, String::new()),
    });
    Ok(items)
}

/// A district leader's items: returns waiting for review (oldest month first), then the
/// stations that have not submitted the last ended month.
pub async fn district_leader(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    today: NaiveDate,
) -> Result<Vec<TodoItem>, sqlx::Error> {
    let mut c = Conditions::all();
    within_districts(viewer, &mut c, "s.district_id");
    c.raw("s.deleted_at IS NULL");
    c.raw("r.state = 'submitted'");
    let sql = format!(
        "SELECT r.station_id, s.name, r.month, r.version, r.submitted_on
         FROM monthly_returns r JOIN stations s ON s.id = r.station_id
         WHERE {} ORDER BY r.month, s.code",
        c.sql()
    );
    type Row = (i64, String, String, i64, Option<String>);
    let waiting: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    let mut items = Vec::new();
    for (station_id, station_name, month, version, submitted_on) in waiting {
        items.push(TodoItem::Review {
            station_id,
            station_name,
            month,
            version,
            submitted_on: optional_date(submitted_on)?,
        });
    }
    let last = todo::last_ended_month(today);
    if campaign_years(conn).await?.contains(&last.year()) {
        for r in reminders(conn, viewer, last, today).await? {
            items.push(TodoItem::NotSubmitted {
                station_id: r.station_id,
                station_name: r.station_name,
                month: r.month,
                state: r.state,
                deadline: r.deadline,
                days_late: r.days_late,
            });
        }
    }
    Ok(items)
}

/// A city leader's items: each district and month whose expected returns are all approved
/// or accepted, with approved ones still waiting for the city. Months oldest first, districts
/// in their order.
pub async fn city_leader(
    conn: &mut AnyConnection,
    viewer: &Viewer,
) -> Result<Vec<TodoItem>, sqlx::Error> {
    let mut c = Conditions::all();
    within_districts(viewer, &mut c, "s.district_id");
    c.raw("s.deleted_at IS NULL");
    c.raw("d.deleted_at IS NULL");
    let sql = format!(
        "SELECT s.district_id, d.name, s.closed_on FROM stations s
         JOIN districts d ON d.id = s.district_id
         WHERE {} ORDER BY d.sort_order, d.id",
        c.sql()
    );
    let stations: Vec<(i64, String, Option<String>)> =
        c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    let mut c = Conditions::all();
    within_districts(viewer, &mut c, "s.district_id");
    c.raw("s.deleted_at IS NULL");
    c.raw("r.state IN ('approved', 'accepted')");
    let sql = format!(
        "SELECT s.district_id, r.month,
                CAST(SUM(CASE WHEN r.state = 'approved' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(COUNT(*) AS BIGINT)
         FROM monthly_returns r JOIN stations s ON s.id = r.station_id
         WHERE {} GROUP BY s.district_id, r.month ORDER BY r.month",
        c.sql()
    );
    let months: Vec<(i64, String, i64, i64)> =
        c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    let mut districts: Vec<(i64, String)> = Vec::new();
    let mut closings: HashMap<i64, Vec<Option<NaiveDate>>> = HashMap::new();
    for (district_id, name, closed_on) in stations {
        if !districts.iter().any(|(id, _)| *id == district_id) {
            districts.push((district_id, name));
        }
        closings
            .entry(district_id)
            .or_default()
            .push(optional_date(closed_on)?);
    }
    let mut items = Vec::new();
    for (district_id, text, approved, signed) in months {
        let first = month(&text)?;
        let expected = closings.get(&district_id).map_or(0, |closed| {
            closed
                .iter()
                .filter(|c| returns::expected(first, **c))
                .count() as i64
        });
        if approved == 0 || signed < expected {
            continue;
        }
        let Some((_, district_name)) = districts.iter().find(|(id, _)| *id == district_id) else {
            continue;
        };
        items.push(TodoItem::AcceptDistrict {
            district_id,
            district_name: district_name.clone(),
            month: text,
            approved,
        });
    }
    // Months oldest first (the query's order), then the districts in their order.
    let order = |id: i64| districts.iter().position(|(d, _)| *d == id);
    items.sort_by_key(|item| match item {
        TodoItem::AcceptDistrict {
            month, district_id, ..
        } => (month.clone(), order(*district_id)),
        _ => (String::new(), None),
    });
    Ok(items)
}

/// A school's items: films of assignments that expect it, whose window is open today, and
/// that it has not confirmed; those closing first come first. A school that came in through
/// its link sees its link's campaign only.
pub async fn school(
    conn: &mut AnyConnection,
    school_id: i64,
    campaign: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<TodoItem>, sqlx::Error> {
    let campaign_condition = if campaign.is_some() {
        "AND a.campaign_id = $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT a.id, a.title, f.id, f.title, a.closes_on
         FROM screening_assignments a
         JOIN assignment_schools sc ON sc.assignment_id = a.id AND sc.school_id = $1
         JOIN assignment_films af ON af.assignment_id = a.id
         JOIN films f ON f.id = af.film_id
         WHERE a.deleted_at IS NULL AND a.opens_on <= $2 AND a.closes_on >= $2
           {campaign_condition}
           AND NOT EXISTS (
               SELECT 1 FROM screening_confirmations c
               WHERE c.assignment_id = a.id AND c.school_id = $1 AND c.film_id = f.id
                 AND c.deleted_at IS NULL)
         ORDER BY a.closes_on, a.id, f.id"
    );
    let mut query = sqlx::query_as::<_, (i64, String, i64, String, String)>(&sql)
        .bind(school_id)
        .bind(super::day(today));
    if let Some(campaign) = campaign {
        query = query.bind(campaign);
    }
    let mut items = Vec::new();
    for (assignment_id, assignment_title, film_id, film_title, closes_on) in
        query.fetch_all(conn).await?
    {
        let closes_on = date(&closes_on)?;
        items.push(TodoItem::Confirm {
            assignment_id,
            assignment_title,
            film_id,
            film_title,
            closes_on,
            days_left: (closes_on - today).num_days(),
        });
    }
    Ok(items)
}

/// The stations in the viewer's scope that have not submitted `first`'s month (open, or
/// returned and not sent again), among those expected in it: by district, then station.
pub async fn reminders(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    first: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<Reminder>, sqlx::Error> {
    let deadline = deadline(&DueDays::load(conn).await?, first);
    let text = returns::month_of(first);
    let mut c = Conditions::all();
    within_districts(viewer, &mut c, "s.district_id");
    c.raw("s.deleted_at IS NULL");
    c.raw("d.deleted_at IS NULL");
    // The month is bound after the conditions' values.
    let sql = format!(
        "SELECT d.id, d.name, s.id, s.name, s.closed_on, r.state, r.reason
         FROM stations s
         JOIN districts d ON d.id = s.district_id
         LEFT JOIN monthly_returns r ON r.station_id = s.id AND r.month = ${}
         WHERE {} ORDER BY d.sort_order, d.id, s.code, s.id",
        c.next_placeholder(),
        c.sql()
    );
    type Row = (
        i64,
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = c
        .bind(sqlx::query_as(&sql))
        .bind(text.clone())
        .fetch_all(conn)
        .await?;
    let mut found = Vec::new();
    for (district_id, district_name, station_id, station_name, closed_on, code, reason) in rows {
        if !returns::expected(first, optional_date(closed_on)?) {
            continue;
        }
        let state = code.as_deref().map(state).transpose()?;
        let state = state.unwrap_or(ReturnState::Open);
        if !todo::still_to_submit(state) {
            continue;
        }
        found.push(Reminder {
            district_id,
            district_name,
            station_id,
            station_name,
            month: text.clone(),
            state,
            deadline,
            days_late: todo::days_late(deadline, today),
            reason: if state == ReturnState::Returned {
                reason
            } else {
                None
            },
        });
    }
    Ok(found)
}
