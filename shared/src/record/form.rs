//! A declared field as a form's text box holds it, and back: the admin form shows a stored
//! record's values as texts and sends the API the JSON `NewX` takes. Pure, so that a native
//! test can prove, for every kind, that the texts of `example()` come back as `example()`.

use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use super::{Field, FieldKind};
use crate::error::{FieldCode, FieldErrors};

/// Whether a form shows the field: a group of counts (a campaign's targets) is kept as
/// stored instead.
pub fn on_form(field: &Field) -> bool {
    !matches!(field.kind, FieldKind::Counts(_))
}

/// The ids a list box holds (`1,4,7`).
pub fn id_list(text: &str) -> Vec<i64> {
    text.split(',')
        .filter_map(|t| t.trim().parse().ok())
        .collect()
}

/// A field's text in a form, from its value in a stored record. A school's roll shows
/// `school_year`'s figure; a password is never shown.
pub fn form_text(field: &Field, value: &Value, school_year: i32) -> String {
    match field.kind {
        FieldKind::Password => String::new(),
        FieldKind::Roll => value
            .as_array()
            .and_then(|rolls| {
                rolls
                    .iter()
                    .find(|r| r["school_year"].as_i64() == Some(i64::from(school_year)))
            })
            .and_then(|r| r["students"].as_i64())
            .map(|n| n.to_string())
            .unwrap_or_default(),
        FieldKind::Ids(_) | FieldKind::Dates => {
            let separator = if matches!(field.kind, FieldKind::Ids(_)) {
                ","
            } else {
                ", "
            };
            value
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(plain_text)
                        .collect::<Vec<_>>()
                        .join(separator)
                })
                .unwrap_or_default()
        }
        FieldKind::Bool => (value.as_bool() == Some(true)).to_string(),
        _ => plain_text(value),
    }
}

fn plain_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The JSON the API takes for a field, from the form's text. A number that does not parse
/// is sent as the text, for the rules to report beside the field.
pub fn form_value(field: &Field, text: &str, school_year: i32) -> Value {
    let text = text.trim();
    let number = || {
        text.parse::<i64>().map(Value::from).unwrap_or_else(|_| {
            if text.is_empty() {
                Value::Null
            } else {
                Value::String(text.to_string())
            }
        })
    };
    match field.kind {
        FieldKind::Int | FieldKind::Ref(_) => number(),
        FieldKind::Roll => match text.parse::<i64>() {
            Ok(n) => json!([{ "school_year": school_year, "students": n }]),
            Err(_) => json!([]),
        },
        FieldKind::Choice(_) if text.is_empty() => Value::Null,
        FieldKind::Ids(_) => Value::from(id_list(text)),
        FieldKind::Dates => Value::from(
            text.split([',', '，', '、', ' '])
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>(),
        ),
        FieldKind::Bool => Value::Bool(text == "true"),
        _ => Value::String(text.to_string()),
    }
}

/// The body of a form: each field's value from its text.
pub fn form_json<'a>(
    fields: impl IntoIterator<Item = (&'a Field, String)>,
    school_year: i32,
) -> Value {
    let body: Map<String, Value> = fields
        .into_iter()
        .map(|(f, text)| (f.key.to_string(), form_value(f, &text, school_year)))
        .collect();
    Value::Object(body)
}

/// Runs the rule `validate` on a form's JSON. JSON that does not fit `N` (a form that no
/// longer matches its record type) is reported beside each field that does not fit, each
/// tried alone (every field of a `NewX` has a default), rather than passed on silently.
pub fn check_form<N: DeserializeOwned, V>(
    value: &Value,
    validate: impl Fn(&N) -> Result<V, FieldErrors>,
) -> FieldErrors {
    match serde_json::from_value::<N>(value.clone()) {
        Ok(entry) => validate(&entry).err().unwrap_or_default(),
        Err(_) => {
            let mut errors = FieldErrors::default();
            for (key, field) in value.as_object().into_iter().flatten() {
                let alone = Value::Object(Map::from_iter([(key.clone(), field.clone())]));
                if serde_json::from_value::<N>(alone).is_err() {
                    errors.push(key.clone(), FieldCode::InvalidType);
                }
            }
            if errors.is_empty() {
                // Not even an object: say so rather than send it.
                errors.push("", FieldCode::InvalidType);
            }
            errors
        }
    }
}
