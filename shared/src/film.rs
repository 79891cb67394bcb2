//! Education films (宣教片): the catalogue administrators keep, and the rules an entry must
//! pass before it is stored.
//!
//! Schools are asked to screen them through assignments (see [`crate::screening`]). Whether
//! the topics exist is for the server to check.

use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};
use crate::rules::{self, MAX_NAME_CHARS};

/// No education film runs longer; anything above is a typing error.
pub const MAX_MINUTES: i64 = 600;

/// A stored film, as lists and the API return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Film {
    pub id: i64,
    pub title: String,
    /// Running time in minutes.
    pub minutes: i64,
    /// The campaign topics the film covers.
    pub topic_ids: Vec<i64>,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

/// A film as an administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewFilm {
    pub title: String,
    /// Running time in minutes, 1 to 600.
    pub minutes: Option<i64>,
    /// The campaign topics the film covers; at least one.
    pub topic_ids: Vec<i64>,
}

/// A film that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidFilm {
    pub title: String,
    pub minutes: i64,
    pub topic_ids: Vec<i64>,
}

impl NewFilm {
    pub fn validate(&self) -> Result<ValidFilm, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", rules::required_text(&self.title, MAX_NAME_CHARS));
        let minutes = errors.check(
            "minutes",
            rules::required(self.minutes).and_then(|m| rules::within(m, 1, MAX_MINUTES)),
        );
        let topic_ids = errors.check(
            "topic_ids",
            rules::chosen(
                &self.topic_ids,
                rules::MAX_TOPICS,
                FieldCode::DuplicateTopic,
            ),
        );
        match (title, minutes, topic_ids) {
            (Some(title), Some(minutes), Some(topic_ids)) if errors.is_empty() => Ok(ValidFilm {
                title,
                minutes,
                topic_ids,
            }),
            _ => Err(errors),
        }
    }
}

// Films as every part of the product names them (see `crate::record`).

use crate::i18n::Text;
use crate::record::{words, Described, Field, FieldKind, RecordKind};

pub const FILM_TITLE: Field =
    Field::new("title", Text::new("片名", "Title"), FieldKind::Text).required();
pub const FILM_MINUTES: Field = Field::new("minutes", words::MINUTES, FieldKind::Int).required();

impl Described for NewFilm {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "films",
        title: Text::new("宣教片", "Films"),
        fields: &[FILM_TITLE, FILM_MINUTES, crate::org::TOPIC_IDS],
        computed: &["id", "version"],
        natural_key: &["title"],
        export: Some(&crate::columns::FILMS),
        import: None,
    };

    fn example() -> Self {
        NewFilm {
            title: "《青少年心理危机的正确应对》".into(),
            minutes: Some(25),
            topic_ids: vec![5],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::table::{assert_table, Case};
    use FieldCode::*;

    /// One of the films named in the source article.
    fn valid() -> NewFilm {
        NewFilm {
            title: " 青少年心理危机的正确应对 ".into(),
            minutes: Some(18),
            topic_ids: vec![5, 8],
        }
    }

    #[test]
    fn a_complete_entry_is_accepted_and_trimmed() {
        let ok = valid().validate().expect("valid");
        assert_eq!(ok.title, "青少年心理危机的正确应对");
        assert_eq!((ok.minutes, ok.topic_ids), (18, vec![5, 8]));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = NewFilm::default().validate().unwrap_err();
        let fields: Vec<_> = errors.codes().collect();
        assert_eq!(
            fields,
            [
                ("title", Required),
                ("minutes", Required),
                ("topic_ids", Required)
            ]
        );
    }

    #[test]
    fn titles_are_required_and_at_most_100_characters() {
        let cases: &[Case<NewFilm>] = &[
            ("blank", |f| f.title = "  ".into(), "title", Some(Required)),
            (
                "101 characters",
                |f| f.title = "片".repeat(101),
                "title",
                Some(TooLong),
            ),
            (
                "100 characters",
                |f| f.title = "片".repeat(100),
                "title",
                None,
            ),
        ];
        assert_table(valid, NewFilm::validate, cases);
    }

    #[test]
    fn running_times_are_required_and_run_from_1_to_600_minutes() {
        let cases: &[Case<NewFilm>] = &[
            ("missing", |f| f.minutes = None, "minutes", Some(Required)),
            ("zero", |f| f.minutes = Some(0), "minutes", Some(TooSmall)),
            (
                "negative",
                |f| f.minutes = Some(-12),
                "minutes",
                Some(TooSmall),
            ),
            ("601", |f| f.minutes = Some(601), "minutes", Some(TooLarge)),
            ("1", |f| f.minutes = Some(1), "minutes", None),
            ("600", |f| f.minutes = Some(600), "minutes", None),
        ];
        assert_table(valid, NewFilm::validate, cases);
    }

    #[test]
    fn films_cover_at_least_one_topic_each_once() {
        let cases: &[Case<NewFilm>] = &[
            ("none", |f| f.topic_ids.clear(), "topic_ids", Some(Required)),
            (
                "twice",
                |f| f.topic_ids = vec![5, 5],
                "topic_ids",
                Some(DuplicateTopic),
            ),
            ("one", |f| f.topic_ids = vec![1], "topic_ids", None),
        ];
        assert_table(valid, NewFilm::validate, cases);
    }

    #[test]
    fn wire_form_tolerates_missing_fields() {
        let sparse: NewFilm = serde_json::from_str(r#"{"minutes":15}"#).unwrap();
        assert_eq!(sparse.minutes, Some(15));
        assert!(sparse.title.is_empty() && sparse.topic_ids.is_empty());
    }
}
