//! The outcome figures per station and month, typed or derived (issue 18): one SQL source,
//! [`figures`], that every reader of outcome figures (the aggregates' series and stock, the
//! suppression tables, hence the dashboard, charts, report and files) takes in place of
//! `outcome_values`. It holds the typed rows of the station-months before a station's
//! `registers_from` marker (and the indicators the registers do not answer), and from the
//! marker on the counts of the registers, by the rules of `humiao_shared::derived`. So a
//! station-month is counted once, typed or derived, whatever the question.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use humiao_shared::dashboard::RatePoint;
use humiao_shared::derived::{contacts_on_time, CaseHistory, Source, DERIVED};
use humiao_shared::mentoring::{Grade, Settings};
use sqlx::AnyConnection;

use super::aggregates::Slice;
use super::where_clause::Conditions;

/// `(…) ` yielding `station_id, month, indicator, value, deleted_at` like `outcome_values`,
/// to be aliased `t`. `today` bounds the stock (a month to come has no figures yet); it is
/// written into the text as `YYYY-MM`, which the server formats, so no placeholder is
/// taken from the caller's numbering.
pub fn figures(today: NaiveDate) -> String {
    let derived = DERIVED
        .iter()
        .map(|i| format!("'{}'", i.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let this_month = today.format("%Y-%m");
    // A register record counts from its station's marker on, in the month of its day.
    let counted = |day: &str| {
        format!("s.registers_from IS NOT NULL AND substr({day}, 1, 7) >= s.registers_from")
    };
    let null = "CAST(NULL AS TEXT)";
    let parts = [
        // Typed values where no register answers.
        format!(
            "SELECT ov.station_id, ov.month, ov.indicator, ov.value, ov.deleted_at
             FROM outcome_values ov JOIN stations s ON s.id = ov.station_id
             WHERE s.registers_from IS NULL OR ov.month < s.registers_from
                OR ov.indicator NOT IN ({derived})"
        ),
        // Minors mentored: the cases open at each month's end, a stock.
        format!(
            "SELECT s.id, cm.month, 'minors_mentored',
                    (SELECT COUNT(*) FROM cases c
                     WHERE c.station_id = s.id AND c.deleted_at IS NULL
                       AND substr(c.opened_on, 1, 7) <= cm.month
                       AND (c.closed_on IS NULL OR substr(c.closed_on, 1, 7) > cm.month)),
                    {null}
             FROM stations s JOIN calendar_months cm
               ON cm.month >= s.registers_from AND cm.month <= '{this_month}'
             WHERE s.registers_from IS NOT NULL"
        ),
        // Visits, activities and difficulties solved: contacts of those kinds.
        format!(
            "SELECT c.station_id, substr(x.contacted_on, 1, 7),
                    CASE x.kind WHEN 'home_visit' THEN 'visits'
                                WHEN 'activity' THEN 'activities'
                                ELSE 'difficulties_solved' END,
                    COUNT(*), {null}
             FROM contacts x JOIN cases c ON c.id = x.case_id
                  JOIN stations s ON s.id = c.station_id
             WHERE x.deleted_at IS NULL AND c.deleted_at IS NULL
               AND x.kind IN ('home_visit', 'activity', 'difficulty_solved') AND {}
             GROUP BY c.station_id, substr(x.contacted_on, 1, 7), x.kind",
            counted("x.contacted_on")
        ),
        // Re-offences: cases with a re-offence in the month; returns to school: events.
        format!(
            "SELECT c.station_id, substr(e.happened_on, 1, 7),
                    CASE e.kind WHEN 'reoffence' THEN 'reoffences'
                                ELSE 'returned_to_school' END,
                    CASE e.kind WHEN 'reoffence' THEN COUNT(DISTINCT e.case_id)
                                ELSE COUNT(*) END,
                    {null}
             FROM case_events e JOIN cases c ON c.id = e.case_id
                  JOIN stations s ON s.id = c.station_id
             WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL
               AND e.kind IN ('reoffence', 'returned_to_school') AND {}
             GROUP BY c.station_id, substr(e.happened_on, 1, 7), e.kind",
            counted("e.happened_on")
        ),
        // Runaway calls by the month they came in.
        format!(
            "SELECT r.station_id, substr(r.called_at, 1, 7), 'runaway_calls', COUNT(*), {null}
             FROM runaway_calls r JOIN stations s ON s.id = r.station_id
             WHERE r.deleted_at IS NULL AND {}
             GROUP BY r.station_id, substr(r.called_at, 1, 7)",
            counted("r.called_at")
        ),
        // Follow-ups: those calls visited within the setting's days of the call.
        format!(
            "SELECT r.station_id, substr(r.called_at, 1, 7), 'follow_ups', COUNT(*), {null}
             FROM runaway_calls r JOIN stations s ON s.id = r.station_id
                  JOIN calendar_months a ON a.month = substr(r.called_at, 1, 7)
             WHERE r.deleted_at IS NULL AND {}
               AND EXISTS (
                 SELECT 1 FROM runaway_follow_ups f
                      JOIN calendar_months b ON b.month = substr(f.visited_on, 1, 7)
                 WHERE f.call_id = r.id
                   AND b.days_before + CAST(substr(f.visited_on, 9, 2) AS BIGINT)
                       - a.days_before - CAST(substr(r.called_at, 9, 2) AS BIGINT)
                       <= (SELECT ms.runaway_follow_up_days FROM mentoring_settings ms
                           WHERE ms.id = 1))
             GROUP BY r.station_id, substr(r.called_at, 1, 7)",
            counted("r.called_at")
        ),
        // Volunteer teams: cases whose first volunteer on the team starts in the month.
        format!(
            "SELECT c.station_id, substr(ft.first_on, 1, 7), 'volunteer_teams', COUNT(*), {null}
             FROM (SELECT ct.case_id, MIN(ct.from_on) AS first_on FROM case_team ct
                   WHERE ct.deleted_at IS NULL AND ct.volunteer_id IS NOT NULL
                   GROUP BY ct.case_id) ft
                  JOIN cases c ON c.id = ft.case_id JOIN stations s ON s.id = c.station_id
             WHERE c.deleted_at IS NULL AND {}
             GROUP BY c.station_id, substr(ft.first_on, 1, 7)",
            counted("ft.first_on")
        ),
        // Night wanderers: the minors of the station's nights of care.
        format!(
            "SELECT n.station_id, substr(n.cared_on, 1, 7), 'night_wandering_cared',
                    CAST(SUM(n.minors) AS BIGINT), {null}
             FROM night_care n JOIN stations s ON s.id = n.station_id
             WHERE n.deleted_at IS NULL AND {}
             GROUP BY n.station_id, substr(n.cared_on, 1, 7)",
            counted("n.cared_on")
        ),
    ];
    format!("({})", parts.join(" UNION ALL "))
}

/// Whether the slice's stated figures are typed, derived or both: typed when a live typed
/// value of an indicator the registers answer counts in it, derived when one of its
/// stations has its marker on or before the slice's last month.
pub async fn source(conn: &mut AnyConnection, slice: &Slice) -> Result<Source, sqlx::Error> {
    let (from, to) = (
        slice.from.format("%Y-%m").to_string(),
        slice.to.format("%Y-%m").to_string(),
    );
    let derived_codes = DERIVED
        .iter()
        .map(|i| format!("'{}'", i.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut c = Conditions::live();
    c.text("t.month >= ?", from);
    c.text("t.month <= ?", to.clone());
    c.raw(&format!(
        "t.indicator IN ({derived_codes}) AND (st.registers_from IS NULL OR t.month < st.registers_from)"
    ));
    slice.work_place(&mut c);
    let sql = format!(
        "SELECT COUNT(*) FROM outcome_values t JOIN stations st ON st.id = t.station_id
         WHERE {}",
        c.sql()
    );
    let (typed,): (i64,) = c.bind(sqlx::query_as(&sql)).fetch_one(&mut *conn).await?;

    // The stations' own place conditions name `t.station_id`: read stations as `t`.
    let mut c = Conditions::all();
    c.text("st.registers_from <= ?", to);
    slice.work_place(&mut c);
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT id AS station_id FROM stations) t
         JOIN stations st ON st.id = t.station_id WHERE {}",
        c.sql()
    );
    let (derived,): (i64,) = c.bind(sqlx::query_as(&sql)).fetch_one(&mut *conn).await?;
    Ok(Source::of(typed > 0, derived > 0))
}

/// Contacts on time per month of the slice (a leaders' chart): of the cases open at each
/// month's end at the slice's stations counting from registers that month, the share
/// contacted within their grade's interval (`humiao_shared::derived::CaseHistory`). With
/// `suppress`, a month whose open cases number 1–4 has no share: it could single a child
/// out. Never a case's row: only the shares leave this function.
pub async fn contacts_on_time_by_month(
    conn: &mut AnyConnection,
    slice: &Slice,
    settings: &Settings,
    suppress: bool,
) -> Result<Vec<RatePoint>, sqlx::Error> {
    let (from, to) = (slice.from, slice.to);
    let mut c = Conditions::live();
    c.raw("st.registers_from IS NOT NULL");
    c.text("st.registers_from <= ?", to.format("%Y-%m").to_string());
    c.text("t.opened_on <= ?", to.to_string());
    c.text(
        "(t.closed_on IS NULL OR t.closed_on >= ?)",
        from.to_string(),
    );
    slice.work_place(&mut c);
    let cases_sql = format!(
        "SELECT t.id, t.opened_on, t.closed_on, st.registers_from
         FROM cases t JOIN stations st ON st.id = t.station_id WHERE {}",
        c.sql()
    );
    let rows: Vec<(i64, String, Option<String>, String)> = c
        .bind(sqlx::query_as(&cases_sql))
        .fetch_all(&mut *conn)
        .await?;
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let mut cases: HashMap<i64, (CaseHistory, String)> = HashMap::new();
    for (id, opened, closed, marker) in rows {
        let Some(opened_on) = day(&opened) else {
            continue;
        };
        let history = CaseHistory {
            opened_on,
            closed_on: closed.as_deref().and_then(day),
            ..CaseHistory::default()
        };
        cases.insert(id, (history, marker));
    }
    // The grades and contacts of those cases (the same conditions, as a subquery).
    let of_cases = format!(
        "SELECT t.id FROM cases t JOIN stations st ON st.id = t.station_id WHERE {}",
        c.sql()
    );
    let grades: Vec<(i64, String, String)> = c
        .bind(sqlx::query_as(&format!(
            "SELECT g.case_id, g.grade, g.from_on FROM case_grades g
             WHERE g.case_id IN ({of_cases}) ORDER BY g.case_id, g.from_on, g.id"
        )))
        .fetch_all(&mut *conn)
        .await?;
    for (case, grade, from_on) in grades {
        if let (Some((history, _)), Some(grade), Some(from_on)) = (
            cases.get_mut(&case),
            Grade::from_code(&grade),
            day(&from_on),
        ) {
            history.grades.push((from_on, grade));
        }
    }
    let contacts: Vec<(i64, String)> = c
        .bind(sqlx::query_as(&format!(
            "SELECT x.case_id, x.contacted_on FROM contacts x
             WHERE x.deleted_at IS NULL AND x.case_id IN ({of_cases})
             ORDER BY x.case_id, x.contacted_on"
        )))
        .fetch_all(&mut *conn)
        .await?;
    for (case, on) in contacts {
        if let (Some((history, _)), Some(on)) = (cases.get_mut(&case), day(&on)) {
            history.contacts.push(on);
        }
    }

    let mut points = Vec::new();
    let mut month = NaiveDate::from_ymd_opt(from.year(), from.month(), 1);
    while let Some(first) = month.filter(|m| *m <= to) {
        let next = first + chrono::Months::new(1);
        let end = (next - chrono::Duration::days(1)).min(to);
        let label = first.format("%Y-%m").to_string();
        // A case counts from its station's marker on.
        let counted: Vec<CaseHistory> = cases
            .values()
            .filter(|(_, marker)| marker.as_str() <= label.as_str())
            .map(|(history, _)| history.clone())
            .collect();
        let (on_time, open) = contacts_on_time(&counted, settings, end);
        if open > 0 || !points.is_empty() {
            let hidden = suppress && open < humiao_shared::outcome::SMALL_COUNT;
            points.push(RatePoint {
                month: label,
                rate: (open > 0 && !hidden).then(|| on_time as f64 / open as f64),
            });
        }
        month = Some(next);
    }
    Ok(points)
}
