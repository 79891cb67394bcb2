//! Campaign topics (宣防主题), kept as data so that administrators can add one.

use humiao_shared::org::{NewTopic, Topic, ValidTopic};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::{used_by, Conditions, Found, Resource};
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::record::used_by::UsedBy;

pub struct Topics;

/// Filters of `GET /api/v1/topics`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TopicFilter {
    /// Part of the Chinese or English name.
    pub q: Option<String>,
}

impl Resource for Topics {
    const NAME: &'static str = "topics";
    const TABLE: &'static str = "topics";
    const FROM: &'static str = "topics t";
    const SORTS: &'static [(&'static str, &'static str)] =
        &[("sort_order", "t.sort_order, t.id"), ("code", "t.code")];
    const PAGE: i64 = 1000;
    const KEY_FIELD: &'static str = "code";
    const SUMMARY: &'static str = "Topics of the campaign";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::TOPICS;

    type Input = NewTopic;
    type Valid = ValidTopic;
    type Record = Topic;
    type Filter = TopicFilter;

    async fn validate(_conn: &mut AnyConnection, input: &NewTopic) -> Result<ValidTopic, ApiError> {
        input.validate().map_err(ApiError::Validation)
    }

    fn filter(filter: &TopicFilter, c: &mut Conditions) {
        c.contains("(t.name_zh || ' ' || t.name_en)", filter.q.as_deref());
    }

    /// Reference data: every signed-in person picks from it.
    fn read_scope(_viewer: &Viewer, _c: &mut Conditions) -> Result<(), ApiError> {
        Ok(())
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Topic>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.code, t.name_zh, t.name_en, t.sort_order, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<(i64, String, String, String, i64, i64)> =
            c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        Ok(rows
            .into_iter()
            .map(|(id, code, name_zh, name_en, sort_order, version)| Topic {
                id,
                code,
                name_zh,
                name_en,
                sort_order,
                version,
            })
            .collect())
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidTopic,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as("SELECT id, deleted_at FROM topics WHERE code = $1")
            .bind(&v.code)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidTopic,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO topics (code, name_zh, name_en, sort_order) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(&v.code)
        .bind(&v.name_zh)
        .bind(&v.name_en)
        .bind(v.sort_order)
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidTopic,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE topics SET code = $1, name_zh = $2, name_en = $3, sort_order = $4 WHERE id = $5",
        )
        .bind(&v.code)
        .bind(&v.name_zh)
        .bind(&v.name_en)
        .bind(v.sort_order)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// A topic that live sessions, campaigns or films name stays: the topic chart and the
    /// rollups count under it.
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        used_by(
            conn,
            id,
            &[
                (
                    "sessions",
                    "SELECT COUNT(*) FROM session_topics x JOIN sessions s ON s.id = x.session_id
                     WHERE x.topic_id = $1 AND s.deleted_at IS NULL",
                ),
                (
                    "campaigns",
                    "SELECT COUNT(*) FROM campaign_topics x JOIN campaigns c ON c.id = x.campaign_id
                     WHERE x.topic_id = $1 AND c.deleted_at IS NULL",
                ),
                (
                    "films",
                    "SELECT COUNT(*) FROM film_topics x JOIN films f ON f.id = x.film_id
                     WHERE x.topic_id = $1 AND f.deleted_at IS NULL",
                ),
            ],
        )
        .await
    }

    fn version(t: &Topic) -> i64 {
        t.version
    }
}
