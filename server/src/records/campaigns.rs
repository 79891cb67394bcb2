//! Campaigns (警心护苗集中宣防行动): one a year, with its window, topics and targets.

use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::org::{Campaign, NewCampaign, Targets, ValidCampaign};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::named::{self, Named};
use super::{
    checked, count_live, date, day, items_of, links, outside_dates, set_links, used_by, Conditions,
    Dated, Found, Outside, Resource,
};
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::record::used_by::UsedBy;

pub struct Campaigns;

/// Filters of `GET /api/v1/campaigns`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignFilter {
    pub year: Option<i32>,
    /// Campaigns with this topic.
    pub topic_id: Option<i64>,
}

impl Resource for Campaigns {
    const NAME: &'static str = "campaigns";
    const TABLE: &'static str = "campaigns";
    const FROM: &'static str = "campaigns t";
    const SORTS: &'static [(&'static str, &'static str)] =
        &[("year", "t.year"), ("-year", "t.year DESC")];
    const PAGE: i64 = 1000;
    const KEY_FIELD: &'static str = "year";
    const SUMMARY: &'static str = "Yearly campaigns, their window, topics and targets";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::CAMPAIGNS;

    type Input = NewCampaign;
    type Valid = ValidCampaign;
    type Record = Campaign;
    type Filter = CampaignFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewCampaign,
    ) -> Result<ValidCampaign, ApiError> {
        let mut refs = FieldErrors::default();
        let mut distinct = input.topic_ids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if count_live(conn, "topics", &distinct).await? < distinct.len() {
            refs.push("topic_ids", FieldCode::UnknownValue);
        }
        checked(input.validate(), refs)
    }

    fn named(filter: &CampaignFilter) -> Vec<Named> {
        named::given([(Named::Topic, filter.topic_id)])
    }

    fn filter(filter: &CampaignFilter, c: &mut Conditions) {
        c.eq("t.year", filter.year.map(i64::from));
        if let Some(topic) = filter.topic_id {
            c.int(
                "EXISTS (SELECT 1 FROM campaign_topics ct WHERE ct.campaign_id = t.id AND ct.topic_id = ?)",
                topic,
            );
        }
    }

    /// Reference data: every signed-in person picks from it.
    fn read_scope(_viewer: &Viewer, _c: &mut Conditions) -> Result<(), ApiError> {
        Ok(())
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Campaign>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.name, t.year, t.starts_on, t.ends_on, t.target_sessions,
                    t.target_schools, t.target_audience, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        type Row = (i64, String, i64, String, String, i64, i64, i64, i64);
        let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let topics = links(conn, "campaign_topics", "campaign_id", "topic_id", &ids).await?;
        rows.into_iter()
            .map(
                |(id, name, year, starts, ends, sessions, schools, audience, version)| {
                    Ok(Campaign {
                        id,
                        name,
                        year: year as i32,
                        starts_on: date(&starts)?,
                        ends_on: date(&ends)?,
                        topic_ids: items_of(&topics, id),
                        targets: Targets {
                            sessions,
                            schools,
                            audience,
                        },
                        version,
                    })
                },
            )
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidCampaign,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as("SELECT id, deleted_at FROM campaigns WHERE year = $1")
            .bind(i64::from(v.year))
            .fetch_optional(&mut *conn)
            .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidCampaign,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO campaigns (name, year, starts_on, ends_on, target_sessions,
                                    target_schools, target_audience)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&v.name)
        .bind(i64::from(v.year))
        .bind(day(v.starts_on))
        .bind(day(v.ends_on))
        .bind(v.targets.sessions)
        .bind(v.targets.schools)
        .bind(v.targets.audience)
        .fetch_one(&mut **tx)
        .await?;
        set_links(
            tx,
            "campaign_topics",
            "campaign_id",
            "topic_id",
            id,
            &v.topic_ids,
        )
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidCampaign,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE campaigns SET name = $1, year = $2, starts_on = $3, ends_on = $4,
                    target_sessions = $5, target_schools = $6, target_audience = $7
             WHERE id = $8",
        )
        .bind(&v.name)
        .bind(i64::from(v.year))
        .bind(day(v.starts_on))
        .bind(day(v.ends_on))
        .bind(v.targets.sessions)
        .bind(v.targets.schools)
        .bind(v.targets.audience)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        set_links(
            tx,
            "campaign_topics",
            "campaign_id",
            "topic_id",
            id,
            &v.topic_ids,
        )
        .await
    }

    /// A campaign with live sessions, screening assignments or trainings stays: their
    /// dates were checked against its window, and its figures are theirs.
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        used_by(
            conn,
            id,
            &[
                (
                    "sessions",
                    "SELECT COUNT(*) FROM sessions WHERE campaign_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "assignments",
                    "SELECT COUNT(*) FROM screening_assignments
                     WHERE campaign_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "trainings",
                    "SELECT COUNT(*) FROM trainings WHERE campaign_id = $1 AND deleted_at IS NULL",
                ),
            ],
        )
        .await
    }

    /// A window narrowed past the campaign's own live records is refused: they would stay
    /// in the rollups (reach, sessions by district) but leave every figure that reads the
    /// window (audience, the report), and the figures would disagree.
    async fn left_outside(
        conn: &mut AnyConnection,
        id: i64,
        v: &ValidCampaign,
    ) -> Result<Option<Outside>, sqlx::Error> {
        const DATED: &[Dated] = &[
            Dated {
                collection: "sessions",
                rows: "sessions t WHERE t.campaign_id = $1 AND t.deleted_at IS NULL",
                first: "t.held_on",
                last: "t.held_on",
            },
            Dated {
                collection: "assignments",
                rows: "screening_assignments t WHERE t.campaign_id = $1 AND t.deleted_at IS NULL",
                first: "t.opens_on",
                last: "t.closes_on",
            },
            Dated {
                collection: "confirmations",
                rows: "screening_confirmations t
                       JOIN screening_assignments a ON a.id = t.assignment_id
                       WHERE a.campaign_id = $1 AND a.deleted_at IS NULL
                         AND t.deleted_at IS NULL",
                first: "t.shown_on",
                last: "t.shown_on",
            },
            Dated {
                collection: "trainings",
                rows: "trainings t WHERE t.campaign_id = $1 AND t.deleted_at IS NULL",
                first: "t.starts_on",
                last: "t.ends_on",
            },
        ];
        outside_dates(
            conn,
            id,
            DATED,
            Some(("starts_on", v.starts_on)),
            Some(("ends_on", v.ends_on)),
        )
        .await
    }

    fn version(c: &Campaign) -> i64 {
        c.version
    }
}
