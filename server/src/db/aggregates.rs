//! Aggregates for the leaders' charts and tables.

use humiao_shared::reach::DistrictReach;
use sqlx::AnyPool;

/// Sessions and audience per district within one campaign; every district appears, even
/// one without sessions, so a chart shows the gap.
pub async fn sessions_by_district(
    pool: &AnyPool,
    campaign_id: i64,
) -> Result<Vec<DistrictReach>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT d.id, d.name,
                COUNT(s.id),
                CAST(COALESCE(SUM(s.students), 0) AS BIGINT),
                CAST(COALESCE(SUM(s.parents), 0) AS BIGINT),
                CAST(COALESCE(SUM(s.teachers), 0) AS BIGINT),
                CAST(COALESCE(SUM(s.others), 0) AS BIGINT)
         FROM districts d
         LEFT JOIN stations st ON st.district_id = d.id
         LEFT JOIN sessions s ON s.station_id = st.id AND s.campaign_id = $1
         GROUP BY d.id, d.name, d.sort_order
         ORDER BY d.sort_order, d.id",
    )
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
