//! Campaign films (宣教片) that schools are asked to screen.

use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::film::{Film, NewFilm, ValidFilm};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::named::{self, Named};
use super::{
    checked, count_live, items_of, links, set_links, used_by, Conditions, Found, Resource,
};
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::record::used_by::UsedBy;

pub struct Films;

/// Filters of `GET /api/v1/films`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilmFilter {
    /// Films on this topic.
    pub topic_id: Option<i64>,
    /// Part of the title.
    pub q: Option<String>,
}

impl Resource for Films {
    const NAME: &'static str = "films";
    const TABLE: &'static str = "films";
    const FROM: &'static str = "films t";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("id", "t.id"),
        ("title", "t.title"),
        ("minutes", "t.minutes, t.id"),
    ];
    const PAGE: i64 = 1000;
    const KEY_FIELD: &'static str = "title";
    const SUMMARY: &'static str = "Films of the campaign and their topics";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::FILMS;

    type Input = NewFilm;
    type Valid = ValidFilm;
    type Record = Film;
    type Filter = FilmFilter;

    async fn validate(conn: &mut AnyConnection, input: &NewFilm) -> Result<ValidFilm, ApiError> {
        let mut refs = FieldErrors::default();
        let mut distinct = input.topic_ids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if count_live(conn, "topics", &distinct).await? < distinct.len() {
            refs.push("topic_ids", FieldCode::UnknownValue);
        }
        checked(input.validate(), refs)
    }

    fn named(filter: &FilmFilter) -> Vec<Named> {
        named::given([(Named::Topic, filter.topic_id)])
    }

    fn filter(filter: &FilmFilter, c: &mut Conditions) {
        if let Some(topic) = filter.topic_id {
            c.int(
                "EXISTS (SELECT 1 FROM film_topics ft WHERE ft.film_id = t.id AND ft.topic_id = ?)",
                topic,
            );
        }
        c.contains("t.title", filter.q.as_deref());
    }

    /// Reference data: every signed-in person picks from it.
    fn read_scope(_viewer: &Viewer, _c: &mut Conditions) -> Result<(), ApiError> {
        Ok(())
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Film>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.title, t.minutes, t.version FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<(i64, String, i64, i64)> =
            c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let topics = links(conn, "film_topics", "film_id", "topic_id", &ids).await?;
        Ok(rows
            .into_iter()
            .map(|(id, title, minutes, version)| Film {
                id,
                title,
                minutes,
                topic_ids: items_of(&topics, id),
                version,
            })
            .collect())
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidFilm,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as("SELECT id, deleted_at FROM films WHERE title = $1")
            .bind(&v.title)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(tx: &mut Transaction<'static, Any>, v: &ValidFilm) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) =
            sqlx::query_as("INSERT INTO films (title, minutes) VALUES ($1, $2) RETURNING id")
                .bind(&v.title)
                .bind(v.minutes)
                .fetch_one(&mut **tx)
                .await?;
        set_links(tx, "film_topics", "film_id", "topic_id", id, &v.topic_ids).await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidFilm,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE films SET title = $1, minutes = $2 WHERE id = $3")
            .bind(&v.title)
            .bind(v.minutes)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        set_links(tx, "film_topics", "film_id", "topic_id", id, &v.topic_ids).await
    }

    /// A film that live assignments ask for, or that schools confirmed, stays: screening
    /// coverage counts it. (Its own topics are its content, not a use.)
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        used_by(
            conn,
            id,
            &[
                (
                    "assignments",
                    "SELECT COUNT(*) FROM assignment_films x
                     JOIN screening_assignments a ON a.id = x.assignment_id
                     WHERE x.film_id = $1 AND a.deleted_at IS NULL",
                ),
                (
                    "confirmations",
                    "SELECT COUNT(*) FROM screening_confirmations
                     WHERE film_id = $1 AND deleted_at IS NULL",
                ),
            ],
        )
        .await
    }

    fn version(f: &Film) -> i64 {
        f.version
    }
}
