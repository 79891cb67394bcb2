//! What depends on a record, for the refusals that keep figures true: the live records a
//! delete would orphan ([`used_by`], behind [`super::Resource::in_use`]), and those an edit
//! of the record's dates would leave outside them ([`outside_dates`], behind
//! [`super::Resource::left_outside`]): a campaign's narrower window, a school's closing day.

use humiao_shared::record::used_by::UsedBy;
use sqlx::AnyConnection;

use super::day;

/// Live records an edit would leave outside the record's dates, and the date fields that
/// would do it (see [`super::Resource::left_outside`]).
#[derive(Debug, Default)]
pub struct Outside {
    pub used_by: UsedBy,
    pub fields: humiao_shared::error::FieldErrors,
}

/// Live records of one kind that lie within a record's dates: those of a campaign, of a
/// school, of a station.
pub struct Dated {
    /// The kind's collection, e.g. `sessions`.
    pub collection: &'static str,
    /// `FROM … WHERE …` of the live records, with the record's id as `$1`.
    pub rows: &'static str,
    /// The column of each row's first day and of its last (the same for a one-day record).
    pub first: &'static str,
    pub last: &'static str,
}

/// The live records of `kinds` that would fall before `first` or after `last` (each with
/// the field that sets it), if any: what an edit to those dates must not leave out.
pub async fn outside_dates(
    conn: &mut AnyConnection,
    id: i64,
    kinds: &[Dated],
    first: Option<(&'static str, chrono::NaiveDate)>,
    last: Option<(&'static str, chrono::NaiveDate)>,
) -> Result<Option<Outside>, sqlx::Error> {
    // Dates are stored as `YYYY-MM-DD` text, which sorts as the dates do; an open end is a
    // bound nothing passes.
    let from = first.map_or(String::new(), |(_, d)| day(d));
    let to = last.map_or("9999-12-31".to_string(), |(_, d)| day(d));
    let mut outside = Outside::default();
    let (mut early, mut late) = (false, false);
    for kind in kinds {
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(CASE WHEN {first} < $2 THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(CASE WHEN {last} > $3 THEN 1 ELSE 0 END), 0) AS BIGINT),
                    COUNT(*)
             FROM {rows} AND ({first} < $2 OR {last} > $3)",
            first = kind.first,
            last = kind.last,
            rows = kind.rows,
        );
        let (before, after, n): (i64, i64, i64) = sqlx::query_as(&sql)
            .bind(id)
            .bind(&from)
            .bind(&to)
            .fetch_one(&mut *conn)
            .await?;
        early |= before > 0;
        late |= after > 0;
        outside.used_by.add(kind.collection, n);
    }
    for (bound, hit) in [(first, early), (last, late)] {
        if let (Some((field, _)), true) = (bound, hit) {
            outside
                .fields
                .push(field, humiao_shared::error::FieldCode::ExcludesRecords);
        }
    }
    Ok((!outside.used_by.is_empty()).then_some(outside))
}

/// The live records that refer to `id`: each query is a `SELECT COUNT(*)` of one kind
/// (by collection) taking the id as `$1`.
pub async fn used_by(
    conn: &mut AnyConnection,
    id: i64,
    queries: &[(&'static str, &str)],
) -> Result<UsedBy, sqlx::Error> {
    let mut used = UsedBy::default();
    for (collection, sql) in queries {
        let (n,): (i64,) = sqlx::query_as(sql).bind(id).fetch_one(&mut *conn).await?;
        used.add(collection, n);
    }
    Ok(used)
}
