//! The reach rollups: sessions and audience (人次) summed per campaign, place and month, so
//! the leaders' figures read one row per place and month instead of every session, and cost
//! what their answer costs rather than what the history does.
//!
//! | table | one row per | counts |
//! |---|---|---|
//! | `station_month_reach` | campaign × station that gave the session × month | sessions, students, parents, teachers, others |
//! | `district_month_reach` | campaign × that station's district × month | the same |
//! | `topic_station_month_reach` | campaign × topic × station × month (a session with two topics counts under both) | the same |
//! | `topic_district_month_reach` | campaign × topic × that station's district × month | the same |
//! | `school_month_reach` | campaign × school it was held at × month (whichever station gave it) | sessions, students |
//!
//! Every write of a session moves all five in its own transaction ([`apply`]), so a rollup
//! never disagrees with the sessions a reader could see beside it, and moves the version of
//! the districts whose schools it was held at (`district_versions`, which the per-district
//! figures of `aggregates::district_figures` are kept by). [`rebuild`] recomputes
//! them from the live sessions, and [`check`] compares them with the sessions row by row;
//! `humiao rollups rebuild|check` runs them. Moving a station to another district is the one
//! change that rewrites rows without a session write: `records::stations` recomputes the two
//! districts' rows there ([`recount_districts`]).

use std::collections::BTreeMap;
use std::fmt;

use humiao_shared::session::{ValidSession, Venue};
use sqlx::{Any, AnyConnection, Row, Transaction};

use super::{placeholders, Db, Engine};

/// Which place a rollup sums by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Station,
    District,
    TopicStation,
    TopicDistrict,
    School,
}

/// One rollup table: its key (id columns, then `month`), its counts, and how the live
/// sessions add up to it.
#[derive(Debug)]
pub struct Rollup {
    pub table: &'static str,
    place: Place,
    /// The id columns of the key, before `month`.
    ids: &'static [&'static str],
    /// A prefix of [`COUNTS`]: what one session adds is 1 and its audience, in that order.
    counts: &'static [&'static str],
    /// The live sessions grouped as the rollup: ids, month, counts, in that order. Sums are
    /// cast, since PostgreSQL answers `SUM` of a BIGINT as NUMERIC.
    from_sessions: &'static str,
}

const COUNTS: [&str; 5] = ["sessions", "students", "parents", "teachers", "others"];

/// The five rollups, in the order they are written (a fixed order keeps writers that touch
/// several from waiting on each other in a cycle).
pub const ROLLUPS: [Rollup; 5] = [
    Rollup {
        table: "station_month_reach",
        place: Place::Station,
        ids: &["campaign_id", "station_id"],
        counts: &COUNTS,
        from_sessions: "SELECT campaign_id, station_id, substr(held_on, 1, 7), COUNT(*),
                CAST(SUM(students) AS BIGINT), CAST(SUM(parents) AS BIGINT),
                CAST(SUM(teachers) AS BIGINT), CAST(SUM(others) AS BIGINT)
            FROM sessions WHERE deleted_at IS NULL
            GROUP BY campaign_id, station_id, substr(held_on, 1, 7)",
    },
    Rollup {
        table: "district_month_reach",
        place: Place::District,
        ids: &["campaign_id", "district_id"],
        counts: &COUNTS,
        from_sessions: "SELECT s.campaign_id, st.district_id, substr(s.held_on, 1, 7), COUNT(*),
                CAST(SUM(s.students) AS BIGINT), CAST(SUM(s.parents) AS BIGINT),
                CAST(SUM(s.teachers) AS BIGINT), CAST(SUM(s.others) AS BIGINT)
            FROM sessions s JOIN stations st ON st.id = s.station_id
            WHERE s.deleted_at IS NULL
            GROUP BY s.campaign_id, st.district_id, substr(s.held_on, 1, 7)",
    },
    Rollup {
        table: "topic_station_month_reach",
        place: Place::TopicStation,
        ids: &["campaign_id", "topic_id", "station_id"],
        counts: &COUNTS,
        from_sessions: "SELECT s.campaign_id, x.topic_id, s.station_id, substr(s.held_on, 1, 7),
                COUNT(*), CAST(SUM(s.students) AS BIGINT), CAST(SUM(s.parents) AS BIGINT),
                CAST(SUM(s.teachers) AS BIGINT), CAST(SUM(s.others) AS BIGINT)
            FROM sessions s JOIN session_topics x ON x.session_id = s.id
            WHERE s.deleted_at IS NULL
            GROUP BY s.campaign_id, x.topic_id, s.station_id, substr(s.held_on, 1, 7)",
    },
    Rollup {
        table: "topic_district_month_reach",
        place: Place::TopicDistrict,
        ids: &["campaign_id", "topic_id", "district_id"],
        counts: &COUNTS,
        from_sessions: "SELECT s.campaign_id, x.topic_id, st.district_id, substr(s.held_on, 1, 7),
                COUNT(*), CAST(SUM(s.students) AS BIGINT), CAST(SUM(s.parents) AS BIGINT),
                CAST(SUM(s.teachers) AS BIGINT), CAST(SUM(s.others) AS BIGINT)
            FROM sessions s JOIN session_topics x ON x.session_id = s.id
            JOIN stations st ON st.id = s.station_id
            WHERE s.deleted_at IS NULL
            GROUP BY s.campaign_id, x.topic_id, st.district_id, substr(s.held_on, 1, 7)",
    },
    Rollup {
        table: "school_month_reach",
        place: Place::School,
        ids: &["campaign_id", "school_id"],
        counts: &["sessions", "students"],
        from_sessions: "SELECT campaign_id, school_id, substr(held_on, 1, 7), COUNT(*),
                CAST(SUM(students) AS BIGINT)
            FROM sessions WHERE deleted_at IS NULL AND school_id IS NOT NULL
            GROUP BY campaign_id, school_id, substr(held_on, 1, 7)",
    },
];

/// A rollup row's key: its ids in the order of [`Rollup::ids`], and its month (`YYYY-MM`).
type Key = (Vec<i64>, String);

impl Rollup {
    /// The rows one session counts in (none for a school rollup when it was not at a school).
    fn keys_of(&self, s: &ValidSession, district: i64) -> Vec<Key> {
        let month = s.held_on.format("%Y-%m").to_string();
        let ids: Vec<Vec<i64>> = match self.place {
            Place::Station => vec![vec![s.campaign_id, s.station_id]],
            Place::District => vec![vec![s.campaign_id, district]],
            Place::TopicStation => s
                .topic_ids
                .iter()
                .map(|t| vec![s.campaign_id, *t, s.station_id])
                .collect(),
            Place::TopicDistrict => s
                .topic_ids
                .iter()
                .map(|t| vec![s.campaign_id, *t, district])
                .collect(),
            Place::School => match s.venue {
                Venue::School(school) => vec![vec![s.campaign_id, school]],
                Venue::Other(_) => Vec::new(),
            },
        };
        ids.into_iter().map(|ids| (ids, month.clone())).collect()
    }

    /// `campaign_id, station_id, month, sessions, …`: every column, key first.
    fn columns(&self) -> String {
        let mut columns: Vec<&str> = self.ids.to_vec();
        columns.push("month");
        columns.extend(self.counts);
        columns.join(", ")
    }

    /// `campaign_id = $k AND station_id = $k+1 AND month = $k+2`.
    fn key_condition(&self, first: usize) -> String {
        self.ids
            .iter()
            .chain(&["month"])
            .enumerate()
            .map(|(i, column)| format!("{column} = ${}", first + i))
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

/// What a session adds to every count: 1 session and its audience.
fn counts_of(s: &ValidSession) -> [i64; 5] {
    let a = s.audience;
    [1, a.students, a.parents, a.teachers, a.others]
}

/// Moves the four rollups by what `added` sessions bring and `removed` ones took, in the
/// transaction that writes the sessions. An edit passes the session before as removed and
/// after as added: only the rows whose net change is not zero are written, so an edit of
/// the notes writes none.
pub async fn apply(
    tx: &mut Transaction<'_, Any>,
    added: &[ValidSession],
    removed: &[ValidSession],
) -> Result<(), sqlx::Error> {
    let districts = districts_of(tx, added.iter().chain(removed)).await?;
    for rollup in &ROLLUPS {
        let mut deltas: BTreeMap<Key, Vec<i64>> = BTreeMap::new();
        for (sessions, sign) in [(added, 1), (removed, -1)] {
            for s in sessions {
                let district = districts.get(&s.station_id).copied().unwrap_or_default();
                for key in rollup.keys_of(s, district) {
                    let delta = deltas
                        .entry(key)
                        .or_insert_with(|| vec![0; rollup.counts.len()]);
                    for (total, n) in delta.iter_mut().zip(counts_of(s)) {
                        *total += sign * n;
                    }
                }
            }
        }
        // Rows are written in key order, growing ones in batches between shrinking ones, so
        // two PostgreSQL writers that touch the same rows lock them in the same order and
        // cannot deadlock.
        let mut growing = Vec::new();
        for (key, delta) in deltas {
            if delta.iter().all(|n| *n >= 0) {
                if delta.iter().any(|n| *n != 0) {
                    growing.push((key, delta));
                }
            } else {
                upsert(tx, rollup, &std::mem::take(&mut growing)).await?;
                shrink_row(tx, rollup, &key, &delta).await?;
            }
        }
        upsert(tx, rollup, &growing).await?;
    }
    let schools = added.iter().chain(removed).filter_map(|s| match s.venue {
        Venue::School(school) => Some(school),
        Venue::Other(_) => None,
    });
    figures_changed_at(tx, schools).await
}

/// Moves the version of the districts of these schools: their coverage changed. Last in the
/// transaction and in district order, so two writers lock the rows in one order.
async fn figures_changed_at(
    tx: &mut Transaction<'_, Any>,
    schools: impl Iterator<Item = i64>,
) -> Result<(), sqlx::Error> {
    let mut schools: Vec<i64> = schools.collect();
    schools.sort_unstable();
    schools.dedup();
    let mut districts = Vec::new();
    for chunk in schools.chunks(500) {
        let sql = format!(
            "SELECT DISTINCT district_id FROM schools WHERE id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (i64,)>(&sql);
        for school in chunk {
            query = query.bind(*school);
        }
        districts.extend(query.fetch_all(&mut **tx).await?.into_iter().map(|r| r.0));
    }
    districts.sort_unstable();
    districts.dedup();
    for district in districts {
        sqlx::query("UPDATE district_versions SET version = version + 1 WHERE district_id = $1")
            .bind(district)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Adds non-negative deltas, creating rows that are not there yet. Deltas are summed per
/// key first, since one statement may not update the same row twice.
async fn upsert(
    tx: &mut Transaction<'_, Any>,
    rollup: &Rollup,
    rows: &[(Key, Vec<i64>)],
) -> Result<(), sqlx::Error> {
    let table = rollup.table;
    let key = rollup.ids.join(", ") + ", month";
    let set = rollup
        .counts
        .iter()
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let width = rollup.ids.len() + 1 + rollup.counts.len();
    for chunk in rows.chunks(200) {
        let values = (0..chunk.len())
            .map(|r| format!("({})", placeholders(r * width + 1, width)))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {values}
             ON CONFLICT ({key}) DO UPDATE SET {set}",
            rollup.columns()
        );
        let mut query = sqlx::query(&sql);
        for ((ids, month), delta) in chunk {
            for id in ids {
                query = query.bind(*id);
            }
            query = query.bind(month.clone());
            for n in delta {
                query = query.bind(*n);
            }
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Applies a delta with a negative count to a row that exists (the sessions taken away
/// were counted in it), and removes the row once no session is left in it, as [`rebuild`]
/// would not write it. An upsert would not do: its candidate row, with negative counts,
/// fails the tables' CHECKs.
async fn shrink_row(
    tx: &mut Transaction<'_, Any>,
    rollup: &Rollup,
    (ids, month): &Key,
    delta: &[i64],
) -> Result<(), sqlx::Error> {
    let table = rollup.table;
    let set = rollup
        .counts
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = {c} + ${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE {table} SET {set} WHERE {}",
        rollup.key_condition(rollup.counts.len() + 1)
    );
    let mut query = sqlx::query(&sql);
    for n in delta {
        query = query.bind(*n);
    }
    for id in ids {
        query = query.bind(*id);
    }
    query.bind(month.clone()).execute(&mut **tx).await?;
    if delta[0] < 0 {
        let sql = format!(
            "DELETE FROM {table} WHERE {} AND sessions = 0",
            rollup.key_condition(1)
        );
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        query.bind(month.clone()).execute(&mut **tx).await?;
    }
    Ok(())
}

/// The district of each station the sessions name.
async fn districts_of(
    tx: &mut Transaction<'_, Any>,
    sessions: impl Iterator<Item = &ValidSession>,
) -> Result<BTreeMap<i64, i64>, sqlx::Error> {
    let mut stations: Vec<i64> = sessions.map(|s| s.station_id).collect();
    stations.sort_unstable();
    stations.dedup();
    let mut districts = BTreeMap::new();
    // A large import may name many stations: bound lists stay under every engine's limit.
    for chunk in stations.chunks(500) {
        let sql = format!(
            "SELECT id, district_id FROM stations WHERE id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
        for station in chunk {
            query = query.bind(*station);
        }
        districts.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(districts)
}

/// Recounts the district rollups of `districts` from the station rollups, after a station
/// moved between them: its sessions now count for the new district.
pub async fn recount_districts(
    tx: &mut Transaction<'_, Any>,
    districts: &[i64],
) -> Result<(), sqlx::Error> {
    for (table, topic) in [
        ("district_month_reach", ""),
        ("topic_district_month_reach", "topic_id, "),
    ] {
        let from = if topic.is_empty() {
            "station_month_reach"
        } else {
            "topic_station_month_reach"
        };
        for district in districts {
            sqlx::query(&format!("DELETE FROM {table} WHERE district_id = $1"))
                .bind(*district)
                .execute(&mut **tx)
                .await?;
            sqlx::query(&format!(
                "INSERT INTO {table} (campaign_id, {topic}district_id, month, sessions, students,
                                      parents, teachers, others)
                 SELECT r.campaign_id, {topic}st.district_id, r.month, SUM(r.sessions),
                        SUM(r.students), SUM(r.parents), SUM(r.teachers), SUM(r.others)
                 FROM {from} r JOIN stations st ON st.id = r.station_id
                 WHERE st.district_id = $1
                 GROUP BY r.campaign_id, {topic}st.district_id, r.month"
            ))
            .bind(*district)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Recomputes every rollup from the live sessions inside the caller's transaction; the rows
/// written per table, in the order of [`ROLLUPS`].
pub async fn rebuild(tx: &mut Transaction<'_, Any>) -> Result<Vec<u64>, sqlx::Error> {
    let mut written = Vec::with_capacity(ROLLUPS.len());
    for rollup in &ROLLUPS {
        sqlx::query(&format!("DELETE FROM {}", rollup.table))
            .execute(&mut **tx)
            .await?;
        let sql = format!(
            "INSERT INTO {} ({}) {}",
            rollup.table,
            rollup.columns(),
            rollup.from_sessions
        );
        written.push(sqlx::query(&sql).execute(&mut **tx).await?.rows_affected());
    }
    // Whatever the per-district figures were computed from may have been wrong.
    sqlx::query("UPDATE district_versions SET version = version + 1")
        .execute(&mut **tx)
        .await?;
    Ok(written)
}

/// [`rebuild`] in a transaction of its own, safe beside a serving instance: on PostgreSQL
/// it first waits for the session and station writes under way and holds new ones back
/// until it commits, so none is counted twice or lost; SQLite lets one writer in at a time.
pub async fn rebuild_all(db: &Db) -> Result<Vec<u64>, sqlx::Error> {
    let mut tx = db.write_tx().await?;
    if db.engine == Engine::Postgres {
        sqlx::query("LOCK TABLE sessions, session_topics, stations IN SHARE MODE")
            .execute(&mut *tx)
            .await?;
    }
    let written = rebuild(&mut tx).await?;
    tx.commit().await?;
    Ok(written)
}

/// A rollup row that disagrees with what the live sessions add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub table: &'static str,
    /// `campaign_id=1 station_id=3 month=2025-03`.
    pub key: String,
    /// The names of the counts below.
    pub counts: &'static [&'static str],
    /// The rollup's row; `None` when it has none.
    pub stored: Option<Vec<i64>>,
    /// What the live sessions add up to; `None` when none counts there.
    pub expected: Option<Vec<i64>>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |counts: &Option<Vec<i64>>| match counts {
            None => "no row".to_string(),
            Some(values) => self
                .counts
                .iter()
                .zip(values)
                .map(|(name, n)| format!("{name}={n}"))
                .collect::<Vec<_>>()
                .join(" "),
        };
        write!(
            f,
            "{} {}: stored {}; the sessions add up to {}",
            self.table,
            self.key,
            show(&self.stored),
            show(&self.expected)
        )
    }
}

/// Compares every rollup with a GROUP BY over the live sessions, on the caller's
/// connection (see [`check_all`] for a consistent snapshot). A stored row of zeros counts
/// as no row: subtracting used to leave them, and they add nothing to any figure.
pub async fn check(conn: &mut AnyConnection) -> Result<Vec<Difference>, sqlx::Error> {
    let mut differences = Vec::new();
    for rollup in &ROLLUPS {
        let stored = rows(
            conn,
            rollup,
            &format!("SELECT {} FROM {}", rollup.columns(), rollup.table),
        )
        .await?;
        let mut expected = rows(conn, rollup, rollup.from_sessions).await?;
        for (key, counts) in stored {
            if counts.iter().all(|n| *n == 0) {
                continue;
            }
            match expected.remove(&key) {
                Some(want) if want == counts => {}
                want => differences.push(difference(rollup, &key, Some(counts), want)),
            }
        }
        for (key, want) in expected {
            differences.push(difference(rollup, &key, None, Some(want)));
        }
    }
    Ok(differences)
}

/// [`check`] on one snapshot of the database, so writes committed while it reads cannot
/// show up as differences: PostgreSQL's REPEATABLE READ, and on SQLite a read transaction
/// (WAL keeps its view from its first read).
pub async fn check_all(db: &Db) -> Result<Vec<Difference>, sqlx::Error> {
    let mut tx = match db.engine {
        Engine::Sqlite => db.pool.begin().await?,
        Engine::Postgres => {
            db.pool
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?
        }
    };
    let differences = check(&mut tx).await?;
    tx.rollback().await?;
    Ok(differences)
}

/// Rows of a rollup's shape (ids, month, counts) by key.
async fn rows(
    conn: &mut AnyConnection,
    rollup: &Rollup,
    sql: &str,
) -> Result<BTreeMap<Key, Vec<i64>>, sqlx::Error> {
    let n = rollup.ids.len();
    let mut out = BTreeMap::new();
    for row in sqlx::query(sql).fetch_all(&mut *conn).await? {
        let ids = (0..n)
            .map(|i| row.try_get::<i64, _>(i))
            .collect::<Result<Vec<_>, _>>()?;
        let month: String = row.try_get(n)?;
        let counts = (0..rollup.counts.len())
            .map(|i| row.try_get::<i64, _>(n + 1 + i))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert((ids, month), counts);
    }
    Ok(out)
}

fn difference(
    rollup: &Rollup,
    (ids, month): &Key,
    stored: Option<Vec<i64>>,
    expected: Option<Vec<i64>>,
) -> Difference {
    let mut key: Vec<String> = rollup
        .ids
        .iter()
        .zip(ids)
        .map(|(column, id)| format!("{column}={id}"))
        .collect();
    key.push(format!("month={month}"));
    Difference {
        table: rollup.table,
        key: key.join(" "),
        counts: rollup.counts,
        stored,
        expected,
    }
}
