//! The request bodies' schemas made as strict as the rules in `humiao_shared`: which fields
//! must be there, their limits, lengths, list sizes and formats. utoipa's `#[schema(...)]`
//! attributes take only literals, so the limits are set here, after the schemas are
//! generated, from the same constants the rules check: a limit changed in `shared` changes
//! the document with it.
//!
//! A field is `required` when leaving it out is refused (422), not by its Rust type: the
//! bodies deserialize with `#[serde(default)]`, so a missing `sort_order` is 0 and accepted,
//! while a missing `campaign_id` (an `Option`) is refused as required. Such a field also
//! loses `null` from its type, since `null` is refused the same way. What JSON Schema cannot
//! say — records an id must name, one field against another, dates not in the future —
//! stays in the descriptions and is answered 422.

use humiao_shared::{account, film, link, org, rules, screening, session, training};
use serde_json::{json, Map, Value};

/// What the rules demand of one field.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Text that must be given: not blank, at most this many characters.
    Text(usize),
    /// Text that may be left out or blank, at most this many characters.
    OptionalText(usize),
    /// A code: 1 to `MAX_CODE_CHARS` ASCII letters, digits, `-` and `_`.
    Code,
    /// An id, a kind or a number that must be chosen.
    Chosen,
    /// An integer in `min..=max`; `true` when it must be given.
    Range(i64, i64, bool),
    /// A `YYYY-MM-DD` that must be given.
    Date,
    /// A `YYYY-MM` that must be given.
    Month,
    /// Distinct ids, at least the first number and at most the second.
    Ids(usize, usize),
    /// Like `Ids`, but the list may be left out (it then means "all").
    OptionalIds(usize, usize),
    /// A list of at most this many items.
    AtMost(usize),
    /// A username: `a-z`, `0-9`, `.`, `_`, `-`, 1 to `MAX_USERNAME_CHARS`.
    Username,
    /// A new password: `MIN_PASSWORD_CHARS` to `MAX_PASSWORD_CHARS`, no control characters.
    Password,
    /// A password or secret as typed at sign-in: anything without control characters.
    Typed,
    /// A form field: left out or text, never `null` (a form cannot send one).
    FormField,
}

/// Control characters a text may not hold (all but tab, line feed, carriage return), as a
/// regular-expression class body; `rules::is_refused_control` is the rule.
const CONTROLS: &str = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";

/// Every rule, by schema and field.
fn table() -> Vec<(&'static str, &'static str, Rule)> {
    use Rule::*;
    let name = Text(rules::MAX_NAME_CHARS);
    let count = Range(0, session::MAX_COUNT, false);
    let sort_order = Range(0, org::MAX_SORT_ORDER, false);
    let year = |needed| {
        Range(
            i64::from(org::FIRST_YEAR),
            i64::from(org::LAST_YEAR),
            needed,
        )
    };
    vec![
        ("NewCity", "code", Code),
        ("NewCity", "name", name),
        ("NewCity", "sort_order", sort_order),
        ("NewDistrict", "code", Code),
        ("NewDistrict", "name", name),
        ("NewDistrict", "sort_order", sort_order),
        ("NewStation", "district_id", Chosen),
        ("NewStation", "code", Code),
        ("NewStation", "name", name),
        (
            "NewStation",
            "workstation",
            OptionalText(rules::MAX_NAME_CHARS),
        ),
        ("NewSchool", "code", Code),
        ("NewSchool", "name", name),
        ("NewSchool", "kind", Chosen),
        ("NewSchool", "district_id", Chosen),
        ("NewSchool", "station_id", Chosen),
        ("NewSchool", "enrolments", AtMost(org::MAX_ENROLMENTS)),
        ("Enrolment", "school_year", year(true)),
        ("Enrolment", "students", count),
        ("NewTopic", "code", Code),
        ("NewTopic", "name_zh", name),
        ("NewTopic", "name_en", name),
        ("NewTopic", "sort_order", sort_order),
        ("NewCampaign", "name", name),
        ("NewCampaign", "year", year(true)),
        ("NewCampaign", "starts_on", Date),
        ("NewCampaign", "ends_on", Date),
        ("NewCampaign", "topic_ids", Ids(0, rules::MAX_TOPICS)),
        ("Targets", "sessions", Range(0, org::MAX_TARGET, false)),
        ("Targets", "schools", Range(0, org::MAX_TARGET, false)),
        ("Targets", "audience", Range(0, org::MAX_TARGET, false)),
        ("NewFilm", "title", name),
        ("NewFilm", "minutes", Range(1, film::MAX_MINUTES, true)),
        ("NewFilm", "topic_ids", Ids(1, rules::MAX_TOPICS)),
        ("NewAssignment", "campaign_id", Chosen),
        ("NewAssignment", "title", name),
        (
            "NewAssignment",
            "film_ids",
            Ids(1, screening::MAX_ASSIGNED_FILMS),
        ),
        (
            "NewAssignment",
            "school_ids",
            Ids(1, screening::MAX_ASSIGNED_SCHOOLS),
        ),
        ("NewAssignment", "opens_on", Date),
        ("NewAssignment", "closes_on", Date),
        ("NewConfirmation", "assignment_id", Chosen),
        ("NewConfirmation", "school_id", Chosen),
        ("NewConfirmation", "film_id", Chosen),
        ("NewConfirmation", "shown_on", Date),
        ("NewConfirmation", "students", count),
        ("NewConfirmation", "parents", count),
        ("NewConfirmation", "classes", count),
        ("NewConfirmation", "method", Chosen),
        ("NewTraining", "title", name),
        ("NewTraining", "place", name),
        ("NewTraining", "starts_on", Date),
        ("NewTraining", "ends_on", Date),
        ("NewTrainee", "training_id", Chosen),
        ("NewTrainee", "name", Text(training::MAX_TRAINEE_NAME_CHARS)),
        ("NewTrainee", "station_id", Chosen),
        (
            "NewTrainee",
            "days_attended",
            AtMost(training::MAX_COURSE_DAYS as usize),
        ),
        ("NewOutcome", "station_id", Chosen),
        ("NewOutcome", "month", Month),
        ("NewOutcome", "indicator", Chosen),
        ("NewOutcome", "value", Range(0, session::MAX_COUNT, true)),
        ("NewSession", "campaign_id", Chosen),
        ("NewSession", "station_id", Chosen),
        (
            "NewSession",
            "venue",
            OptionalText(session::MAX_VENUE_CHARS),
        ),
        ("NewSession", "held_on", Date),
        ("NewSession", "format", Chosen),
        ("NewSession", "topic_ids", Ids(1, rules::MAX_TOPICS)),
        (
            "NewSession",
            "notes",
            OptionalText(session::MAX_NOTES_CHARS),
        ),
        (
            "NewSession",
            "duration_minutes",
            Range(1, session::MAX_DURATION_MINUTES, false),
        ),
        (
            "NewSession",
            "speakers",
            OptionalText(session::MAX_SPEAKERS_CHARS),
        ),
        ("Audience", "students", count),
        ("Audience", "parents", count),
        ("Audience", "teachers", count),
        ("Audience", "others", count),
        ("NewLinks", "campaign_id", Chosen),
        ("NewLinks", "school_ids", OptionalIds(1, link::MAX_SCHOOLS)),
        (
            "NewLinks",
            "days_valid",
            Range(1, link::MAX_DAYS_VALID, false),
        ),
        ("NewAccount", "username", Username),
        ("NewAccount", "role", Chosen),
        ("NewAccount", "password", Password),
        ("NewPassword", "password", Password),
        ("Login", "username", Typed),
        ("Login", "password", Typed),
        ("LinkLogin", "secret", Typed),
        ("SheetForm", "campaign_id", FormField),
        ("SheetForm", "school_ids", FormField),
        ("SheetForm", "days_valid", FormField),
        (
            "TransitionInput",
            "reason",
            OptionalText(humiao_shared::returns::REASON_MAX),
        ),
        (
            "WebhookInput",
            "url",
            OptionalText(crate::returns::digest::MAX_URL_CHARS),
        ),
    ]
}

/// Applies [`table`] to the document's component schemas. Panics on a schema or field
/// the table names that the document lacks, so a renamed field cannot leave a stale rule
/// (the document is built at start-up and in tests).
pub(super) fn apply(document: &mut Value) {
    let schemas = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .expect("the document has component schemas");
    for (schema, field, rule) in table() {
        let object = schemas
            .get_mut(schema)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("no schema {schema} for its rules"));
        let property = object
            .get_mut("properties")
            .and_then(|p| p.get_mut(field))
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("no field {schema}.{field} for its rule"));
        let needed = constrain(property, rule);
        if needed {
            let required = object
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()))
                .as_array_mut()
                .expect("`required` is a list");
            if !required.iter().any(|r| r == field) {
                required.push(json!(field));
            }
        }
    }
}

/// Sets the rule's keywords on one property; true when the field must be given.
fn constrain(property: &mut Map<String, Value>, rule: Rule) -> bool {
    let text = |max: usize, blank: bool| {
        // Trimmed before it is checked, as `rules::optional_text` does; the length limit
        // is JSON Schema's (characters of the text as sent), so spaces around count too.
        let pattern = if blank {
            format!("^[^{CONTROLS}]*$")
        } else {
            format!(r"^[^{CONTROLS}]*[^\s{CONTROLS}][^{CONTROLS}]*$")
        };
        json!({ "maxLength": max, "pattern": pattern })
    };
    let (keywords, needed) = match rule {
        Rule::Text(max) => (text(max, false), true),
        Rule::OptionalText(max) => (text(max, true), false),
        Rule::Code => (
            json!({
                "minLength": 1,
                "maxLength": rules::MAX_CODE_CHARS,
                "pattern": "^[A-Za-z0-9_-]+$",
            }),
            true,
        ),
        Rule::Chosen => (json!({}), true),
        Rule::Range(min, max, needed) => (json!({ "minimum": min, "maximum": max }), needed),
        Rule::Date => (json!({ "format": "date" }), true),
        Rule::Month => (
            json!({ "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "minLength": 7, "maxLength": 7 }),
            true,
        ),
        Rule::Ids(min, max) => (
            json!({ "minItems": min, "maxItems": max, "uniqueItems": true }),
            min > 0,
        ),
        Rule::OptionalIds(min, max) => (
            json!({ "minItems": min, "maxItems": max, "uniqueItems": true }),
            false,
        ),
        Rule::AtMost(max) => (json!({ "maxItems": max }), false),
        Rule::Username => (
            json!({
                "minLength": 1,
                "maxLength": account::MAX_USERNAME_CHARS,
                "pattern": "^[a-z0-9._-]+$",
            }),
            true,
        ),
        Rule::Password => (
            json!({
                "minLength": account::MIN_PASSWORD_CHARS,
                "maxLength": account::MAX_PASSWORD_CHARS,
                "pattern": format!("^[^{CONTROLS}]*$"),
            }),
            true,
        ),
        Rule::FormField => (json!({}), false),
        Rule::Typed => (
            json!({ "minLength": 1, "pattern": format!(r"^[^{CONTROLS}]*[^\s{CONTROLS}][^{CONTROLS}]*$") }),
            true,
        ),
    };
    if needed || matches!(rule, Rule::FormField) {
        not_null(property);
    }
    if needed {
        // A field that must be sent has no default to fall back on.
        property.remove("default");
    }
    for (key, value) in keywords.as_object().expect("keywords").clone() {
        property.insert(key, value);
    }
    needed
}

/// A field that must be given is not `null` either: `["integer", "null"]` becomes
/// `"integer"`, `oneOf: [$ref, null]` the `$ref` alone.
fn not_null(property: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = property.get("type") {
        let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        let single = if kept.len() == 1 {
            kept[0].clone()
        } else {
            Value::Array(kept)
        };
        property.insert("type".into(), single);
    }
    if let Some(Value::Array(options)) = property.get("oneOf") {
        let kept: Vec<Value> = options
            .iter()
            .filter(|o| o.get("type").is_none_or(|t| t != "null"))
            .cloned()
            .collect();
        if let [only] = kept.as_slice() {
            let only = only.clone();
            property.remove("oneOf");
            if let Value::Object(inner) = only {
                property.extend(inner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bodies_carry_the_rules_limits_and_say_which_fields_must_be_sent() {
        let document = super::super::build();
        let at = |path: &str| {
            document
                .pointer(&format!("/components/schemas/{path}"))
                .cloned()
                .unwrap_or_else(|| panic!("{path} is in the document"))
        };
        assert_eq!(
            at("NewDistrict/properties/name/maxLength"),
            json!(rules::MAX_NAME_CHARS)
        );
        assert_eq!(
            at("NewAssignment/properties/school_ids/maxItems"),
            json!(screening::MAX_ASSIGNED_SCHOOLS)
        );
        assert_eq!(
            at("NewAccount/properties/username/maxLength"),
            json!(account::MAX_USERNAME_CHARS)
        );
        assert_eq!(
            at("NewSession/properties/duration_minutes/maximum"),
            json!(session::MAX_DURATION_MINUTES)
        );
        assert_eq!(
            at("NewOutcome/properties/month/pattern"),
            json!("^[0-9]{4}-(0[1-9]|1[0-2])$")
        );
        assert_eq!(at("NewCampaign/properties/starts_on/format"), json!("date"));
        // Refused when missing: required and not nullable; defaulted fields are neither.
        let required = at("NewStation/required");
        for field in ["district_id", "code", "name"] {
            assert!(
                required.as_array().unwrap().contains(&json!(field)),
                "{field}"
            );
        }
        assert!(!required.as_array().unwrap().contains(&json!("workstation")));
        assert_eq!(
            at("NewStation/properties/district_id/type"),
            json!("integer")
        );
        assert!(at("NewSession/properties/format").get("oneOf").is_none());
        assert!(at("NewSession/properties/format").get("$ref").is_some());
        assert!(!at("NewDistrict/required")
            .as_array()
            .unwrap()
            .contains(&json!("sort_order")));
        assert_eq!(
            at("NewLinks/properties/school_ids/type"),
            json!(["array", "null"]),
            "left out, every school"
        );
    }
}
