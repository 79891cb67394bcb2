//! Aggregates for the leaders' charts and tables, read from the reach rollups
//! (`station_month_reach`, `district_month_reach`; see migrations/) rather than from every
//! session, so their cost grows with the answer, not with the history.

use humiao_shared::reach::DistrictReach;
use sqlx::AnyPool;

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
