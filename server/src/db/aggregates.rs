//! Aggregates for the leaders' charts and tables, read from the reach rollups
//! (`station_month_reach`, `district_month_reach`; see migrations/) rather than from every
//! session, so their cost grows with the answer, not with the history.

use chrono::NaiveDate;
use humiao_shared::aggregate::{
    largest, unique_reach, AggregateFilter, AudienceSummary, DistrictCoverage, DistrictTraining,
    FilmCoverage, GroupBy, OutcomePoint, ReachRow, ScreeningReach, TrainingCoverage,
};
use humiao_shared::dashboard::Coverage;
use humiao_shared::org::{capping_roll, school_year_of, Enrolment};
use humiao_shared::outcome::Indicator;
use humiao_shared::reach::DistrictReach;
use humiao_shared::session::SessionFormat;
use sqlx::{AnyConnection, AnyPool};

use super::day;
use super::suppression::{places_of, Suppression};
use super::where_clause::Conditions;

/// The SQL behind [`sessions_by_district`]; public so the benchmark can time it directly.
pub const SESSIONS_BY_DISTRICT: &str = "SELECT d.id, d.name,
                CAST(COALESCE(SUM(r.sessions), 0) AS BIGINT),
                CAST(COALESCE(SUM(r.students), 0) AS BIGINT),
                CAST(COALESCE(SUM(r.parents), 0) AS BIGINT),
                CAST(COALESCE(SUM(r.teachers), 0) AS BIGINT),
                CAST(COALESCE(SUM(r.others), 0) AS BIGINT)
         FROM districts d
         LEFT JOIN district_month_reach r ON r.district_id = d.id AND r.campaign_id = $1
         WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = $1)
         GROUP BY d.id, d.name, d.sort_order
         ORDER BY d.sort_order, d.id";

/// Sessions and audience per district within one campaign; every district appears, even
/// one without sessions, so a chart shows the gap. No rows when the campaign does not exist.
pub async fn sessions_by_district(
    pool: &AnyPool,
    campaign_id: i64,
) -> Result<Vec<DistrictReach>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, i64, i64, i64, i64)> = sqlx::query_as(SESSIONS_BY_DISTRICT)
        .bind(campaign_id)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(district_id, district, sessions, students, parents, teachers, others)| {
                DistrictReach {
                    district_id,
                    district,
                    sessions,
                    students,
                    parents,
                    teachers,
                    others,
                }
            },
        )
        .collect())
}

/// The slice an aggregate covers once its campaign is known: the filter's own bounds, or
/// the campaign's window where it gives none.
#[derive(Debug, Clone)]
pub struct Slice {
    pub filter: AggregateFilter,
    pub campaign_id: i64,
    /// The campaign's name and year, as the dashboard and the report state them.
    pub campaign: String,
    pub year: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The campaign's own first and last days: a slice that is the whole window can be
    /// read from the rollups.
    pub window: (NaiveDate, NaiveDate),
}

/// Stations of districts of one city: the city filter, for tables that hold a district.
pub const IN_CITY: &str = "IN (SELECT cd.id FROM districts cd WHERE cd.city_id = ?)";

impl Slice {
    /// Conditions on sessions (`t`) joined to their station (`st`).
    fn sessions(&self) -> Conditions {
        let f = &self.filter;
        let mut c = Conditions::live();
        c.int("t.campaign_id = ?", self.campaign_id);
        c.text("t.held_on >= ?", day(self.from));
        c.text("t.held_on <= ?", day(self.to));
        self.work_place(&mut c);
        c.eq("t.school_id", f.school_id);
        c.eq_text("t.format", f.format.map(SessionFormat::code));
        if let Some(topic) = f.topic_id {
            c.int(
                "EXISTS (SELECT 1 FROM session_topics x WHERE x.session_id = t.id AND x.topic_id = ?)",
                topic,
            );
        }
        if f.accepted_only() {
            c.raw(ACCEPTED_SESSION);
        }
        c
    }

    /// The place of work figures: the session's station (`t.station_id`, joined as `st`),
    /// in the filter's city, district or station.
    pub fn work_place(&self, c: &mut Conditions) {
        let f = &self.filter;
        if let Some(city) = f.city_id {
            c.int(&format!("st.district_id {IN_CITY}"), city);
        }
        c.eq("st.district_id", f.district_id);
        c.eq("t.station_id", f.station_id);
    }

    /// The place of coverage figures: the school's own (`sc`) city, district, station, and
    /// the school itself; live schools active at some time in the slice.
    pub fn school_place(&self, c: &mut Conditions) {
        let f = &self.filter;
        c.raw("sc.deleted_at IS NULL");
        c.text(
            "(sc.closed_on IS NULL OR sc.closed_on >= ?)",
            day(self.from),
        );
        if let Some(city) = f.city_id {
            c.int(&format!("sc.district_id {IN_CITY}"), city);
        }
        c.eq("sc.district_id", f.district_id);
        c.eq("sc.station_id", f.station_id);
        c.eq("sc.id", f.school_id);
    }

    /// Is the slice the campaign's whole window?
    pub fn is_whole_window(&self) -> bool {
        (self.from, self.to) == self.window
    }

    /// Can the station rollups answer, i.e. does the slice cut only by campaign, place
    /// and topic over the whole window? (A topic needs the topic rollup.)
    fn fits_rollup(&self) -> bool {
        let f = &self.filter;
        f.school_id.is_none() && f.format.is_none() && self.is_whole_window()
    }
}

/// A session (`t`) whose station's month has an accepted return: what `data=accepted`
/// keeps. Nothing kept between requests answers an accepted-only slice (the district
/// rollups and kept district figures mix a district's months whatever their returns), so
/// no cache has to follow the returns' states: it is read from the sessions, or from the
/// station rollups, whose rows are station-months like the returns ([`ACCEPTED_MONTH`]).
pub const ACCEPTED_SESSION: &str = "EXISTS (SELECT 1 FROM monthly_returns mr
    WHERE mr.station_id = t.station_id AND mr.month = substr(t.held_on, 1, 7)
      AND mr.state = 'accepted')";

/// The same for a row (`t`) of a station's month: an outcome value, or a station rollup's.
pub const ACCEPTED_MONTH: &str = "EXISTS (SELECT 1 FROM monthly_returns mr
    WHERE mr.station_id = t.station_id AND mr.month = t.month AND mr.state = 'accepted')";

const SUMS: &str = "COUNT(*), CAST(COALESCE(SUM(t.students), 0) AS BIGINT),
    CAST(COALESCE(SUM(t.parents), 0) AS BIGINT), CAST(COALESCE(SUM(t.teachers), 0) AS BIGINT),
    CAST(COALESCE(SUM(t.others), 0) AS BIGINT)";

const GROUPED_SUMS: &str = "CAST(COALESCE(SUM(g.sessions), 0) AS BIGINT),
    CAST(COALESCE(SUM(g.students), 0) AS BIGINT), CAST(COALESCE(SUM(g.parents), 0) AS BIGINT),
    CAST(COALESCE(SUM(g.teachers), 0) AS BIGINT), CAST(COALESCE(SUM(g.others), 0) AS BIGINT)";

type SumRow = (String, String, i64, i64, i64, i64, i64);

/// Sessions and audience per month, city, district, station, topic, format or school:
/// work figures, counted where the session's station is.
pub async fn reach(
    conn: &mut AnyConnection,
    slice: &Slice,
    group: GroupBy,
) -> Result<Vec<ReachRow>, sqlx::Error> {
    let rollup = slice.fits_rollup() && !matches!(group, GroupBy::Format | GroupBy::School);
    let rows: Vec<SumRow> = if rollup {
        // One row per (topic,) station and month: the cost follows the answer, not the
        // history. A topic (as group or filter) needs the topic rollup, where a session
        // with two topics is in two rows.
        let by_topic = group == GroupBy::Topic || slice.filter.topic_id.is_some();
        let f = &slice.filter;
        // Above one station, and not by station, the district rollups answer: a province's
        // rows are its 91 districts', not its 1,100 stations'.
        // Not for accepted data: a district's rows mix its stations' months, whatever their
        // returns.
        let by_districts = f.station_id.is_none()
            && !f.accepted_only()
            && matches!(
                group,
                GroupBy::Month | GroupBy::City | GroupBy::District | GroupBy::Topic
            );
        let table = match (by_topic, by_districts) {
            (true, true) => "topic_district_month_reach",
            (true, false) => "topic_station_month_reach",
            (false, true) => "district_month_reach",
            (false, false) => "station_month_reach",
        };
        // Summed per station, district, month or topic first, then named: joining names
        // to every rollup row cost more than the sums (100,000 rows on a province).
        let district = if by_districts {
            "t.district_id"
        } else {
            "st.district_id"
        };
        let inner_key = match group {
            GroupBy::Month => "t.month",
            GroupBy::City | GroupBy::District => district,
            GroupBy::Topic => "t.topic_id",
            _ => "t.station_id",
        };
        let needs_station = !by_districts
            && (matches!(group, GroupBy::City | GroupBy::District)
                || f.city_id.is_some()
                || f.district_id.is_some());
        let stations = if needs_station {
            "JOIN stations st ON st.id = t.station_id"
        } else {
            ""
        };
        let (key, label, join) = match group {
            GroupBy::Month => ("g.k", "g.k", ""),
            GroupBy::City => (
                "CAST(d.city_id AS TEXT)",
                "cy.name",
                "JOIN districts d ON d.id = g.k JOIN cities cy ON cy.id = d.city_id",
            ),
            GroupBy::District => (
                "CAST(g.k AS TEXT)",
                "d.name",
                "JOIN districts d ON d.id = g.k",
            ),
            GroupBy::Topic => (
                "CAST(g.k AS TEXT)",
                "tp.name_zh",
                "JOIN topics tp ON tp.id = g.k",
            ),
            _ => (
                "CAST(g.k AS TEXT)",
                "st.name",
                "JOIN stations st ON st.id = g.k",
            ),
        };
        let mut c = Conditions::all();
        c.int("t.campaign_id = ?", slice.campaign_id);
        if by_districts {
            if let Some(city) = f.city_id {
                c.int(&format!("t.district_id {IN_CITY}"), city);
            }
            c.eq("t.district_id", f.district_id);
        } else {
            slice.work_place(&mut c);
        }
        c.eq("t.topic_id", f.topic_id);
        if f.accepted_only() {
            c.raw(ACCEPTED_MONTH);
        }
        let sql = format!(
            "SELECT {key}, {label}, {GROUPED_SUMS}
             FROM (SELECT {inner_key} AS k, SUM(t.sessions) AS sessions,
                          SUM(t.students) AS students, SUM(t.parents) AS parents,
                          SUM(t.teachers) AS teachers, SUM(t.others) AS others
                   FROM {table} t {stations}
                   WHERE {} GROUP BY {inner_key}) g {join}
             GROUP BY {key}, {label} ORDER BY {key}",
            c.sql()
        );
        c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?
    } else {
        let (key, label, join) = match group {
            GroupBy::Month => ("substr(t.held_on, 1, 7)", "substr(t.held_on, 1, 7)", ""),
            GroupBy::District => (
                "CAST(st.district_id AS TEXT)",
                "d.name",
                "JOIN districts d ON d.id = st.district_id",
            ),
            GroupBy::Station => ("CAST(t.station_id AS TEXT)", "st.name", ""),
            GroupBy::City => (
                "CAST(d.city_id AS TEXT)",
                "cy.name",
                "JOIN districts d ON d.id = st.district_id JOIN cities cy ON cy.id = d.city_id",
            ),
            GroupBy::Topic => (
                "CAST(tp.id AS TEXT)",
                "tp.name_zh",
                "JOIN session_topics y ON y.session_id = t.id JOIN topics tp ON tp.id = y.topic_id",
            ),
            GroupBy::Format => ("t.format", "t.format", ""),
            GroupBy::School => (
                "CAST(t.school_id AS TEXT)",
                "sc.name",
                "JOIN schools sc ON sc.id = t.school_id",
            ),
        };
        let c = slice.sessions();
        let sql = format!(
            "SELECT {key}, {label}, {SUMS}
             FROM sessions t JOIN stations st ON st.id = t.station_id {join}
             WHERE {} GROUP BY {key}, {label} ORDER BY {key}",
            c.sql()
        );
        c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?
    };
    let mut rows: Vec<ReachRow> = rows.into_iter().map(reach_row).collect();
    if group == GroupBy::Format {
        for r in &mut rows {
            if let Some(f) = SessionFormat::from_code(&r.label) {
                r.label = f.label(humiao_shared::Lang::Zh).to_string();
            }
        }
    }
    // Ids sort as numbers, months and codes as text.
    if matches!(
        group,
        GroupBy::City | GroupBy::District | GroupBy::Station | GroupBy::Topic | GroupBy::School
    ) {
        rows.sort_by_key(|r| r.key.parse::<i64>().unwrap_or(i64::MAX));
    }
    Ok(rows)
}

/// The `top` stations of the slice with the largest 人次, largest first, as
/// [`largest`] ranks [`reach`]'s rows by station: what the station chart draws. On the
/// rollups the database ranks them, so a province's thousand stations are summed but not
/// sent, named or sorted here.
pub async fn top_stations(
    conn: &mut AnyConnection,
    slice: &Slice,
    top: usize,
) -> Result<Vec<ReachRow>, sqlx::Error> {
    if !slice.fits_rollup() {
        return Ok(largest(&reach(conn, slice, GroupBy::Station).await?, top));
    }
    let f = &slice.filter;
    let table = if f.topic_id.is_some() {
        "topic_station_month_reach"
    } else {
        "station_month_reach"
    };
    let stations = if f.city_id.is_some() || f.district_id.is_some() {
        "JOIN stations st ON st.id = t.station_id"
    } else {
        ""
    };
    let mut c = Conditions::all();
    c.int("t.campaign_id = ?", slice.campaign_id);
    slice.work_place(&mut c);
    c.eq("t.topic_id", f.topic_id);
    if f.accepted_only() {
        c.raw(ACCEPTED_MONTH);
    }
    // Ties in id order, as `largest` keeps `reach`'s order.
    let sql = format!(
        "SELECT CAST(g.k AS TEXT), st.name, g.sessions, g.students, g.parents, g.teachers,
                g.others
         FROM (SELECT t.station_id AS k, CAST(SUM(t.sessions) AS BIGINT) AS sessions,
                      CAST(SUM(t.students) AS BIGINT) AS students,
                      CAST(SUM(t.parents) AS BIGINT) AS parents,
                      CAST(SUM(t.teachers) AS BIGINT) AS teachers,
                      CAST(SUM(t.others) AS BIGINT) AS others
               FROM {table} t {stations}
               WHERE {} GROUP BY t.station_id HAVING SUM(t.sessions) > 0
               ORDER BY SUM(t.students) + SUM(t.parents) + SUM(t.teachers) + SUM(t.others)
                        DESC, t.station_id
               LIMIT {top}) g
         JOIN stations st ON st.id = g.k
         ORDER BY g.students + g.parents + g.teachers + g.others DESC, g.k",
        c.sql()
    );
    let rows: Vec<SumRow> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(reach_row).collect())
}

/// A row of sums as the charts and tables take it.
fn reach_row((key, label, sessions, students, parents, teachers, others): SumRow) -> ReachRow {
    ReachRow {
        key,
        label,
        sessions,
        students,
        parents,
        teachers,
        others,
    }
}

/// Sessions and 人次 per group given by the slice's stations (work figures), with the
/// unique students and schools reached of the slice's schools (coverage figures, see
/// [`school_reach`]): what the dashboard's summary and the report state.
pub async fn audience(
    conn: &mut AnyConnection,
    slice: &Slice,
) -> Result<AudienceSummary, sqlx::Error> {
    let months = reach(conn, slice, GroupBy::Month).await?;
    let coverage = coverage_of(&school_reach(conn, slice).await?);
    Ok(work_summary(&months, &coverage))
}

/// The work totals of `rows` (any one grouping but topics, where a session with two topics
/// is in two rows), with coverage's unique students and schools reached.
pub fn work_summary(rows: &[ReachRow], coverage: &Coverage) -> AudienceSummary {
    let mut summary = AudienceSummary {
        unique_students: coverage.unique_students,
        schools_reached: coverage.schools_covered,
        ..Default::default()
    };
    for r in rows {
        summary.sessions += r.sessions;
        summary.students += r.students;
        summary.parents += r.parents;
        summary.teachers += r.teachers;
        summary.others += r.others;
    }
    summary
}

/// One school of the slice's place with what coverage needs of it.
#[derive(Debug, Clone)]
pub struct SchoolReach {
    pub school_id: i64,
    pub name: String,
    pub station_id: i64,
    pub district_id: i64,
    pub city_id: i64,
    /// Sessions held there in the slice, by any station.
    pub sessions: i64,
    /// Students (人次) at those sessions.
    pub students: i64,
    /// The roll that caps its unique students ([`capping_roll`]).
    pub roll: Option<i64>,
}

/// Every school of the slice's place (live, active at some time in the slice), with the
/// sessions held there in the slice whoever gave them (coverage belongs to the school's own
/// station, district and city) and the two rolls [`capping_roll`] can pick.
///
/// One query, so that a province's 11,000 schools come back as 11,000 rows, not three times
/// as many: for the campaign's whole window the reach comes from `school_month_reach`,
/// grouped once for the whole database, looked up school by school for a narrower place (a
/// city's or a district's schools need not group the whole province's rows);
/// for part of the window, from the slice's sessions. Names are read only where the page
/// lists schools (a station or one school).
pub async fn school_reach(
    conn: &mut AnyConnection,
    slice: &Slice,
) -> Result<Vec<SchoolReach>, sqlx::Error> {
    let f = &slice.filter;
    // Both are integers the server resolved (not text a user sent), so they are written
    // into the SQL, which keeps the place's placeholders numbered from one.
    let (campaign, school_year) = (slice.campaign_id, school_year_of(slice.to));
    let narrow = f.city_id.is_some()
        || f.district_id.is_some()
        || f.station_id.is_some()
        || f.school_id.is_some();
    let from_rollup =
        f.topic_id.is_none() && f.format.is_none() && !f.accepted_only() && slice.is_whole_window();
    let mut c = Conditions::all();
    slice.school_place(&mut c);
    let (columns, join) = if from_rollup && narrow {
        (
            format!(
                "(SELECT CAST(SUM(r.sessions) AS BIGINT) FROM school_month_reach r
                  WHERE r.campaign_id = {campaign} AND r.school_id = sc.id),
                 (SELECT CAST(SUM(r.students) AS BIGINT) FROM school_month_reach r
                  WHERE r.campaign_id = {campaign} AND r.school_id = sc.id)"
            ),
            String::new(),
        )
    } else if from_rollup {
        (
            "r.sessions, r.students".to_string(),
            format!(
                "LEFT JOIN (SELECT school_id, CAST(SUM(sessions) AS BIGINT) AS sessions,
                                   CAST(SUM(students) AS BIGINT) AS students
                            FROM school_month_reach WHERE campaign_id = {campaign}
                            GROUP BY school_id) r ON r.school_id = sc.id"
            ),
        )
    } else {
        // The slice's sessions at these schools: the cost follows the slice's days.
        let mut r = vec![
            "t.deleted_at IS NULL".to_string(),
            format!("t.campaign_id = {campaign}"),
            format!("t.held_on >= '{}'", day(slice.from)),
            format!("t.held_on <= '{}'", day(slice.to)),
        ];
        if let Some(format) = f.format {
            // A code from a closed list, not text a user typed.
            r.push(format!("t.format = '{}'", format.code()));
        }
        if let Some(topic) = f.topic_id {
            r.push(format!(
                "EXISTS (SELECT 1 FROM session_topics x WHERE x.session_id = t.id AND x.topic_id = {topic})"
            ));
        }
        if f.accepted_only() {
            r.push(ACCEPTED_SESSION.to_string());
        }
        (
            "r.sessions, r.students".to_string(),
            format!(
                "LEFT JOIN (SELECT t.school_id, COUNT(*) AS sessions,
                                   CAST(COALESCE(SUM(t.students), 0) AS BIGINT) AS students
                            FROM sessions t WHERE {} AND t.school_id IS NOT NULL
                            GROUP BY t.school_id) r ON r.school_id = sc.id",
                r.join(" AND ")
            ),
        )
    };
    let name = if f.station_id.is_some() || f.school_id.is_some() {
        "sc.name"
    } else {
        "''"
    };
    let sql = format!(
        "SELECT sc.id, {name}, sc.station_id, sc.district_id, d.city_id, {columns}, {}
         FROM schools sc JOIN districts d ON d.id = sc.district_id {join}
         WHERE {} ORDER BY sc.id",
        nearest_rolls("sc.id", school_year),
        c.sql()
    );
    type Row = (
        i64,
        String,
        i64,
        i64,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                school_id,
                name,
                station_id,
                district_id,
                city_id,
                sessions,
                students,
                earlier,
                later,
            )| {
                SchoolReach {
                    school_id,
                    name,
                    station_id,
                    district_id,
                    city_id,
                    sessions: sessions.unwrap_or_default(),
                    students: students.unwrap_or_default(),
                    roll: roll_of(school_year, earlier, later, slice.to),
                }
            },
        )
        .collect())
}

/// The two rolls of school `school` (an SQL expression) that [`capping_roll`] can pick for
/// a period ending in `school_year`: the nearest on or before it, and the nearest after it
/// (a province holds ten years of rolls for 11,000 schools; only these two matter).
fn nearest_rolls(school: &str, school_year: i32) -> String {
    format!(
        "(SELECT e.students FROM school_enrolments e
          WHERE e.school_id = {school} AND e.school_year <= {school_year}
          ORDER BY e.school_year DESC LIMIT 1),
         (SELECT e.students FROM school_enrolments e
          WHERE e.school_id = {school} AND e.school_year > {school_year}
          ORDER BY e.school_year LIMIT 1)"
    )
}

/// The roll that caps unique students, from the two [`nearest_rolls`]; the rule itself is
/// `capping_roll`'s.
fn roll_of(
    school_year: i32,
    earlier: Option<i64>,
    later: Option<i64>,
    to: NaiveDate,
) -> Option<i64> {
    let nearest: Vec<Enrolment> = [(school_year, earlier), (school_year + 1, later)]
        .into_iter()
        .filter_map(|(school_year, students)| {
            students.map(|students| Enrolment {
                school_year,
                students,
            })
        })
        .collect();
    capping_roll(&nearest, to)
}

/// The coverage figures of these schools (all of one place).
pub fn coverage_of<'a>(schools: impl IntoIterator<Item = &'a SchoolReach>) -> Coverage {
    let mut coverage = Coverage::default();
    for s in schools {
        coverage.add_school(s.sessions, s.students, s.roll);
    }
    coverage
}

/// Per film of the campaign's assignments: schools expected and schools that confirmed,
/// overall and per district.
pub async fn screening_coverage(
    conn: &mut AnyConnection,
    slice: &Slice,
) -> Result<Vec<FilmCoverage>, sqlx::Error> {
    Ok(films_of(screening_rows(conn, slice).await?))
}

/// One film's figures in one district: what [`films_of`] adds up.
#[derive(Debug, Clone)]
pub struct FilmDistrict {
    pub film_id: i64,
    pub title: String,
    pub district_id: i64,
    pub district: String,
    pub expected: i64,
    pub confirmed: i64,
    pub students: i64,
    pub parents: i64,
}

/// Per film and district of the slice's schools: schools expected, schools that confirmed
/// within the slice's days, and who watched; by film, then in the districts' order.
pub async fn screening_rows(
    conn: &mut AnyConnection,
    slice: &Slice,
) -> Result<Vec<FilmDistrict>, sqlx::Error> {
    let mut c = Conditions::all();
    c.raw("a.deleted_at IS NULL");
    c.int("a.campaign_id = ?", slice.campaign_id);
    slice.school_place(&mut c);
    let n = c.next_placeholder();
    // A school confirmed a film when it did so within the slice's days.
    // Counted per film and district id first, then named: grouping by the names as well
    // cost a third more on a province (a row per film and school).
    let sql = format!(
        "SELECT g.film, f.title, g.district, d.name, g.expected, g.confirmed,
                CAST(COALESCE(g.students, 0) AS BIGINT), CAST(COALESCE(g.parents, 0) AS BIGINT)
         FROM (SELECT af.film_id AS film, sc.district_id AS district,
                      COUNT(DISTINCT x.school_id) AS expected,
                      COUNT(DISTINCT c.school_id) AS confirmed,
                      SUM(c.students) AS students, SUM(c.parents) AS parents
               FROM screening_assignments a
               JOIN assignment_films af ON af.assignment_id = a.id
               JOIN assignment_schools x ON x.assignment_id = a.id
               JOIN schools sc ON sc.id = x.school_id
               LEFT JOIN screening_confirmations c
                 ON c.assignment_id = a.id AND c.school_id = x.school_id
                AND c.film_id = af.film_id AND c.deleted_at IS NULL
                AND c.shown_on >= ${n} AND c.shown_on <= ${}
               WHERE {}
               GROUP BY af.film_id, sc.district_id) g
         JOIN films f ON f.id = g.film
         JOIN districts d ON d.id = g.district
         ORDER BY g.film, d.sort_order, d.id",
        n + 1,
        c.sql()
    );
    type Row = (i64, String, i64, String, i64, i64, i64, i64);
    let rows: Vec<Row> = c
        .bind(sqlx::query_as(&sql))
        .bind(day(slice.from))
        .bind(day(slice.to))
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(film_id, title, district_id, district, expected, confirmed, students, parents)| {
                FilmDistrict {
                    film_id,
                    title,
                    district_id,
                    district,
                    expected,
                    confirmed,
                    students,
                    parents,
                }
            },
        )
        .collect())
}

/// The films' coverage from their per-district rows, listed by film then district.
pub fn films_of(rows: impl IntoIterator<Item = FilmDistrict>) -> Vec<FilmCoverage> {
    let mut films: Vec<FilmCoverage> = Vec::new();
    for r in rows {
        if films.last().is_none_or(|f| f.film_id != r.film_id) {
            films.push(FilmCoverage {
                film_id: r.film_id,
                title: r.title,
                expected: 0,
                confirmed: 0,
                students: 0,
                parents: 0,
                by_district: Vec::new(),
            });
        }
        if let Some(film) = films.last_mut() {
            // Districts do not share schools, so the city's figures are their sums.
            film.expected += r.expected;
            film.confirmed += r.confirmed;
            film.students += r.students;
            film.parents += r.parents;
            film.by_district.push(DistrictCoverage {
                district_id: r.district_id,
                district: r.district,
                expected: r.expected,
                confirmed: r.confirmed,
            });
        }
    }
    films
}

/// Schools and people the campaign's films reached within the slice.
pub async fn screening_reach(
    conn: &mut AnyConnection,
    slice: &Slice,
) -> Result<ScreeningReach, sqlx::Error> {
    let school_year = school_year_of(slice.to);
    let mut c = Conditions::all();
    c.raw("a.deleted_at IS NULL");
    c.int("a.campaign_id = ?", slice.campaign_id);
    slice.school_place(&mut c);
    let n = c.next_placeholder();
    let sql = format!(
        "SELECT x.school_id,
                CAST(COALESCE(MAX(cf.students), 0) AS BIGINT),
                CAST(COALESCE(MAX(cf.parents), 0) AS BIGINT),
                COUNT(cf.id), {rolls}
         FROM screening_assignments a
         JOIN assignment_schools x ON x.assignment_id = a.id
         JOIN schools sc ON sc.id = x.school_id
         LEFT JOIN screening_confirmations cf
           ON cf.assignment_id = a.id AND cf.school_id = x.school_id AND cf.deleted_at IS NULL
          AND cf.shown_on >= ${n} AND cf.shown_on <= ${}
          AND EXISTS (SELECT 1 FROM assignment_films af
                      WHERE af.assignment_id = a.id AND af.film_id = cf.film_id)
         WHERE {}
         GROUP BY x.school_id",
        n + 1,
        c.sql(),
        rolls = nearest_rolls("x.school_id", school_year),
    );
    type Row = (i64, i64, i64, i64, Option<i64>, Option<i64>);
    let rows: Vec<Row> = c
        .bind(sqlx::query_as(&sql))
        .bind(day(slice.from))
        .bind(day(slice.to))
        .fetch_all(&mut *conn)
        .await?;
    let roll = |r: &Row| roll_of(school_year, r.4, r.5, slice.to);
    Ok(ScreeningReach {
        schools_expected: rows.len() as i64,
        schools_confirmed: rows.iter().filter(|r| r.3 > 0).count() as i64,
        students: rows.iter().map(|r| unique_reach(r.1, roll(r))).sum(),
        parents: rows.iter().map(|r| r.2).sum(),
    })
}

/// Trained stations (a stock): stations of the slice's place, active at some time in it,
/// with an officer who completed a course ending on or before the slice's last day; and
/// the speakers trained in the slice (a flow: completions of courses running within it).
pub async fn training_coverage(
    conn: &mut AnyConnection,
    slice: &Slice,
) -> Result<TrainingCoverage, sqlx::Error> {
    let f = &slice.filter;
    let mut c = Conditions::all();
    c.raw("st.deleted_at IS NULL");
    c.text(
        "(st.closed_on IS NULL OR st.closed_on >= ?)",
        day(slice.from),
    );
    if let Some(city) = f.city_id {
        c.int(&format!("st.district_id {IN_CITY}"), city);
    }
    c.eq("st.district_id", f.district_id);
    c.eq("st.id", f.station_id);
    let n = c.next_placeholder();
    let trained = format!(
        "SELECT 1 FROM trainees e JOIN trainings g ON g.id = e.training_id
         WHERE e.station_id = st.id AND e.completed = 1 AND e.deleted_at IS NULL
           AND g.deleted_at IS NULL AND g.ends_on <= ${n}"
    );
    let sql = format!(
        "SELECT d.id, d.name, COUNT(*),
                CAST(COALESCE(SUM(CASE WHEN EXISTS ({trained}) THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM stations st JOIN districts d ON d.id = st.district_id
         WHERE {} GROUP BY d.id, d.name, d.sort_order ORDER BY d.sort_order, d.id",
        c.sql()
    );
    let rows: Vec<(i64, String, i64, i64)> = c
        .bind(sqlx::query_as(&sql))
        .bind(day(slice.to))
        .fetch_all(&mut *conn)
        .await?;
    let speakers_sql = format!(
        "SELECT COUNT(*) FROM trainees e JOIN trainings g ON g.id = e.training_id
         JOIN stations st ON st.id = e.station_id
         WHERE {} AND e.completed = 1 AND e.deleted_at IS NULL AND g.deleted_at IS NULL
           AND g.starts_on <= ${} AND g.ends_on >= ${n}",
        c.sql(),
        n + 1
    );
    let (speakers,): (i64,) = c
        .bind(sqlx::query_as(&speakers_sql))
        .bind(day(slice.from))
        .bind(day(slice.to))
        .fetch_one(&mut *conn)
        .await?;
    Ok(TrainingCoverage {
        stations: rows.iter().map(|r| r.2).sum(),
        trained: rows.iter().map(|r| r.3).sum(),
        speakers,
        by_district: rows
            .into_iter()
            .map(
                |(district_id, district, stations, trained)| DistrictTraining {
                    district_id,
                    district,
                    stations,
                    trained,
                },
            )
            .collect(),
    })
}

/// Each indicator's monthly total over the slice's stations, typed or derived per
/// station-month (`super::derived`). With `suppress`, as a
/// non-administrator sees it: a figure hidden by the city's suppression tables (a small
/// station count, or one that would give a small count away) is unknown (`None`).
pub async fn outcome_series(
    conn: &mut AnyConnection,
    slice: &Slice,
    suppress: bool,
) -> Result<Vec<OutcomePoint>, sqlx::Error> {
    let mut c = Conditions::live();
    c.text("t.month >= ?", slice.from.format("%Y-%m").to_string());
    c.text("t.month <= ?", slice.to.format("%Y-%m").to_string());
    slice.work_place(&mut c);
    if slice.filter.accepted_only() {
        c.raw(ACCEPTED_MONTH);
    }
    let sql = format!(
        "SELECT t.month, t.indicator, CAST(SUM(t.value) AS BIGINT)
         FROM {} t JOIN stations st ON st.id = t.station_id
         WHERE {} GROUP BY t.month, t.indicator ORDER BY t.month, t.indicator",
        super::derived::figures(crate::clock::today()),
        c.sql()
    );
    let rows: Vec<(String, String, i64)> =
        c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    let (suppression, places) = if suppress {
        (
            Suppression::of_months(conn, rows.iter().map(|r| r.0.as_str())).await?,
            places_of(conn, &slice.filter).await?,
        )
    } else {
        (Suppression::default(), Vec::new())
    };
    Ok(rows
        .into_iter()
        .filter_map(|(month, indicator, value)| {
            let indicator = Indicator::from_code(&indicator)?;
            let value = if suppress {
                (!suppression.hides_month_in(indicator, &places, &month)).then_some(value)
            } else {
                Some(value)
            };
            Some(OutcomePoint {
                month,
                indicator,
                value,
            })
        })
        .collect())
}
