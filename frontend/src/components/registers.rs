//! Pieces of the registers' pages (帮教对象): a grade's coloured badge, and field errors
//! as the pages show them beside their inputs — the rules' codes checked in the browser
//! first, then the server's answer (its 422 fields: `holds_id_number`, `holds_phone_number`,
//! `holds_name` for free text) read back into the same place.

use humiao_shared::error::FieldErrors;
use humiao_shared::mentoring::Grade;
use leptos::prelude::*;

use crate::api::ApiFailure;
use crate::i18n::lang;

/// The grade's label on its colour (红/橙/黄/绿).
pub fn grade_badge(grade: Grade) -> impl IntoView {
    let class = match grade {
        Grade::Red => "grade grade-red",
        Grade::Orange => "grade grade-orange",
        Grade::Yellow => "grade grade-yellow",
        Grade::Green => "grade grade-green",
    };
    view! { <span class=class>{move || grade.label(lang())}</span> }
}

/// The field codes of a refusal, to show beside the fields; empty for anything else.
pub fn refused_fields(failure: &ApiFailure) -> FieldErrors {
    let mut found = FieldErrors::default();
    if let ApiFailure::Answer { body: Some(b), .. } = failure {
        for f in &b.fields {
            found.push(f.field.clone(), f.code);
        }
    }
    found
}

/// The message beside `field` (its element's id is `{prefix}{field}-error`), if it has one.
pub fn field_error(
    errors: RwSignal<FieldErrors>,
    prefix: &'static str,
    field: &'static str,
) -> impl IntoView {
    move || {
        errors.with(|e| e.get(field)).map(|code| {
            view! {
                <p class="error" role="alert" id=format!("{prefix}{field}-error")>
                    {code.message(lang())}
                </p>
            }
        })
    }
}
