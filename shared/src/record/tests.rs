//! The declarations against the types: every declared key is a serde field of `NewX` and
//! the other way round, and the record `X` the API answers has the readable fields plus
//! the declared computed ones. One case per kind; a failure names the keys that differ.

use std::collections::BTreeSet;

use serde::de::{self, DeserializeOwned, Visitor};

use super::*;
use crate::account::NewAccount;
use crate::film::NewFilm;
use crate::org::{NewCampaign, NewDistrict, NewSchool, NewStation, NewTopic};
use crate::outcome::NewOutcome;
use crate::training::NewTrainee;

/// The field names a derived `Deserialize` of a struct asks for, read without a value: a
/// deserializer that answers `deserialize_struct` by handing back the names it was given.
fn serde_fields<T: DeserializeOwned>() -> BTreeSet<&'static str> {
    match T::deserialize(Probe) {
        Err(Found(Some(fields))) => fields.iter().copied().collect(),
        _ => panic!("{} is not a plain struct", std::any::type_name::<T>()),
    }
}

struct Probe;

#[derive(Debug)]
struct Found(Option<&'static [&'static str]>);

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "probe")
    }
}

impl std::error::Error for Found {}

impl de::Error for Found {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Found(None)
    }
}

impl<'de> de::Deserializer<'de> for Probe {
    type Error = Found;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
        Err(Found(None))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Some(fields)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// What differs between two key sets, as a message: `missing` are declared but not in
/// the type, `extra` in the type but not declared.
fn difference(declared: &BTreeSet<&str>, actual: &BTreeSet<&str>) -> Option<String> {
    let missing: Vec<_> = declared.difference(actual).collect();
    let extra: Vec<_> = actual.difference(declared).collect();
    (!missing.is_empty() || !extra.is_empty())
        .then(|| format!("declared but missing {missing:?}, present but undeclared {extra:?}"))
}

/// The keys of `N::example()` as JSON, which must be the declared fields and `N`'s serde
/// fields; and the record `R`'s serde fields, which must be the readable fields plus the
/// computed ones.
pub(super) fn keys<N: Described, R: DeserializeOwned>() -> Vec<String> {
    let kind = N::KIND;
    let mut problems = Vec::new();
    let declared: BTreeSet<&str> = kind.fields.iter().map(|f| f.key).collect();
    if declared.len() != kind.fields.len() {
        problems.push("a key is declared twice".to_string());
    }
    let example = serde_json::to_value(N::example()).expect("serializes");
    let sent: BTreeSet<&str> = example
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    if let Some(d) = difference(&declared, &sent) {
        problems.push(format!("example(): {d}"));
    }
    if let Some(d) = difference(&declared, &serde_fields::<N>()) {
        problems.push(format!("{}: {d}", std::any::type_name::<N>()));
    }
    let answered: BTreeSet<&str> = kind
        .fields
        .iter()
        .filter(|f| !f.write_only)
        .map(|f| f.key)
        .chain(kind.computed.iter().copied())
        .collect();
    if let Some(d) = difference(&answered, &serde_fields::<R>()) {
        problems.push(format!("{}: {d}", std::any::type_name::<R>()));
    }
    for key in kind.natural_key {
        if !declared.contains(key) {
            problems.push(format!("natural key {key:?} is not a field"));
        }
    }
    // A group's members are an object's keys: the same check one level down.
    for field in kind.fields {
        if let FieldKind::Counts(members) = field.kind {
            let members: BTreeSet<&str> = members.iter().map(|f| f.key).collect();
            let sent: BTreeSet<&str> = example[field.key]
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            if let Some(d) = difference(&members, &sent) {
                problems.push(format!("{}: {d}", field.key));
            }
        }
    }
    problems
        .into_iter()
        .map(|p| format!("{}: {p}", kind.collection))
        .collect()
}

#[test]
fn the_declared_fields_are_the_serde_fields_of_each_kind() {
    assert_eq!(CASES.len(), KINDS.len());
    let problems: Vec<String> = CASES.iter().flat_map(|(_, keys, _)| keys()).collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_key_check_finds_a_field_the_declaration_lacks() {
    // The check must be able to fail: a declaration that leaves out a key is reported by name.
    #[derive(serde::Serialize, serde::Deserialize)]
    struct NewThing {
        name: String,
        colour: String,
    }
    impl Described for NewThing {
        const KIND: &'static RecordKind = &RecordKind {
            collection: "things",
            title: Text::new("物品", "Things"),
            fields: &[Field::new(
                "name",
                Text::new("名称", "Name"),
                FieldKind::Text,
            )],
            computed: &[],
            natural_key: &["name"],
            export: None,
            import: None,
        };
        fn example() -> Self {
            NewThing {
                name: "雕庄".into(),
                colour: "蓝".into(),
            }
        }
    }
    let problems = keys::<NewThing, NewThing>();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems.iter().all(|p| p.contains("\"colour\"")),
        "{problems:#?}"
    );
}

#[test]
fn every_example_passes_the_rules_that_need_no_database() {
    let today = chrono::NaiveDate::from_ymd_opt(2024, 12, 31).expect("a date");
    assert_eq!(NewDistrict::example().validate().err(), None);
    assert_eq!(NewStation::example().validate().err(), None);
    assert_eq!(NewSchool::example().validate().err(), None);
    assert_eq!(NewTopic::example().validate().err(), None);
    assert_eq!(NewCampaign::example().validate().err(), None);
    assert_eq!(NewFilm::example().validate().err(), None);
    assert_eq!(NewTrainee::example().validate(None, today).err(), None);
    assert_eq!(NewOutcome::example().validate(today).err(), None);
    assert_eq!(NewAccount::example().validate().err(), None);
}

#[test]
fn every_import_adds_a_declared_kind() {
    for import in ImportKind::ALL {
        let kinds = KINDS.iter().filter(|k| k.import == Some(import)).count();
        assert_eq!(kinds, 1, "{import:?}");
    }
}

#[test]
fn collections_are_distinct_and_match_their_export_tables() {
    let mut seen = BTreeSet::new();
    for kind in KINDS {
        assert!(seen.insert(kind.collection), "{} twice", kind.collection);
        assert_eq!(
            super::kind(kind.collection).map(|k| k.collection),
            Some(kind.collection)
        );
        if let Some(table) = kind.export {
            // An export column that names a declared field shows that field's label; a
            // reference is exported as the id it holds, under a header saying so.
            for column in table.columns {
                let key = column.field.trim_start_matches('/');
                // A session's `venue` is answered as the school's name or the other venue,
                // so its column is not the field's.
                let field = kind
                    .field(key)
                    .filter(|f| !matches!(f.kind, FieldKind::Ref(_) | FieldKind::Ids(_)))
                    .filter(|_| (kind.collection, key) != ("sessions", "venue"));
                if let Some(field) = field {
                    assert_eq!(column.title, field.label, "{} {key}", kind.collection);
                }
            }
        }
        if let Some(import) = kind.import {
            assert_eq!(import.label(crate::Lang::Zh), kind.title.zh);
            // An import column keyed like a declared field has its label.
            for column in import.columns() {
                if let Some(field) = kind.field(column.key) {
                    assert_eq!(
                        column.title, field.label,
                        "{} {}",
                        kind.collection, column.key
                    );
                }
            }
        }
    }
}

/// The admin form's round trip for `N`: each shown field's text, from `example()`, sent
/// back as JSON, deserializes into `N` and gives back `example()`'s value.
pub(super) fn form_round_trip<N: Described>() -> Vec<String> {
    let kind = N::KIND;
    let example = serde_json::to_value(N::example()).expect("serializes");
    // `example()`'s roll is for the school year 2024–25.
    let year = 2024;
    let shown: Vec<&Field> = kind
        .fields
        .iter()
        .filter(|f| form::on_form(f) && !matches!(f.kind, FieldKind::Password))
        .collect();
    let body = form::form_json(
        shown
            .iter()
            .map(|f| (*f, form::form_text(f, &example[f.key], year))),
        year,
    );
    let sent = match serde_json::from_value::<N>(body.clone()) {
        Ok(n) => serde_json::to_value(n).expect("serializes"),
        Err(e) => {
            return vec![format!(
                "{}: the form's JSON {body} does not fit: {e}",
                kind.collection
            )]
        }
    };
    let mut problems = Vec::new();
    for f in shown {
        let (want, got) = (&example[f.key], &sent[f.key]);
        // A blank text box is an empty text, which the rules read as none.
        let blank = want.is_null() && got.as_str() == Some("");
        if want != got && !blank {
            problems.push(format!(
                "{}.{}: {want} came back as {got}",
                kind.collection, f.key
            ));
        }
    }
    problems
}

#[test]
fn the_admin_form_gives_back_each_kinds_example() {
    let problems: Vec<String> = CASES.iter().flat_map(|(_, _, form)| form()).collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_form_that_does_not_fit_its_type_is_reported_beside_the_field() {
    let body = serde_json::json!({ "title": "《独一无二的生命》", "minutes": "a quarter hour", "topic_ids": [] });
    let errors = form::check_form::<NewFilm, _>(&body, NewFilm::validate);
    assert_eq!(
        errors.get("minutes"),
        Some(crate::error::FieldCode::InvalidType)
    );
    assert_eq!(errors.get("title"), None);
    let fits =
        serde_json::json!({ "title": "《独一无二的生命》", "minutes": 20, "topic_ids": [1] });
    assert!(form::check_form::<NewFilm, _>(&fits, NewFilm::validate).is_empty());
}
