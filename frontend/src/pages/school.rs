//! 宣教片观看: what a school sees after opening its link (or signing in) — the films it is
//! asked to show and the window, a confirmation form for each film not yet confirmed, and
//! what it confirmed before.
//!
//! The shared rules (students no more than the school's roll, the date inside the window and
//! not in the future…) run before sending, beside the field they concern; the server's field
//! errors land in the same places.

use chrono::NaiveDate;
use humiao_shared::error::FieldErrors;
use humiao_shared::film::Film;
use humiao_shared::org::{roll_for, School};
use humiao_shared::screening::{
    Assignment, Confirmation, ConfirmationContext, NewConfirmation, ShowMethod,
};
use humiao_shared::session::parse_count;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{self, ApiFailure};
use crate::components::{error_notice, today, Problem};
use crate::i18n::{self, lang, tr, T};

/// Everything the page shows, read in one go.
#[derive(Clone)]
struct Screenings {
    school: School,
    assignments: Vec<Assignment>,
    films: Vec<Film>,
    confirmed: Vec<Confirmation>,
}

async fn load(school_id: i64) -> api::ApiResult<Screenings> {
    Ok(Screenings {
        school: api::school(school_id).await?,
        assignments: api::assignments().await?,
        films: api::films().await?,
        confirmed: api::confirmations().await?,
    })
}

/// A confirmation to send, and where its form shows what the server refused.
#[derive(Clone)]
struct Sending {
    entry: NewConfirmation,
    errors: RwSignal<FieldErrors>,
    problem: RwSignal<Option<String>>,
}

/// Sends a film's confirmation, for any of the page's forms; the page refetches after each
/// one stored (and the film's form gives way to what was confirmed).
type Confirm = Action<Sending, api::ApiResult<Confirmation>>;

#[component]
pub fn SchoolScreenings(school_id: i64) -> impl IntoView {
    let confirm: Confirm = Action::new_local(|sending: &Sending| {
        let Sending {
            entry,
            errors,
            problem,
        } = sending.clone();
        async move {
            let result = api::create_confirmation(&entry).await;
            match &result {
                Ok(_) => {}
                Err(ApiFailure::Answer {
                    body: Some(body), ..
                }) => {
                    let mut from_server = FieldErrors::default();
                    for f in &body.fields {
                        from_server.push(f.field.clone(), f.code);
                    }
                    errors.set(from_server);
                    problem.set(Some(body.message.clone()));
                }
                Err(other) => problem.set(Some(other.to_string())),
            }
            result
        }
    });
    // Stored ones only: a refused confirmation keeps its form, and its messages, on screen.
    let stored = Memo::new(move |before: Option<&Option<i64>>| {
        confirm.value().with(|v| match v {
            Some(Ok(c)) => Some(c.id),
            _ => before.copied().flatten(),
        })
    });
    let data = LocalResource::new(move || {
        stored.track();
        load(school_id)
    });
    view! {
        <h1>{tr(T::ScreeningsTitle)}</h1>
        <Transition fallback=|| view! { <p class="loading">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    data.await.map(|d| view! { <Overview data=d confirm=confirm /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Overview(data: Screenings, confirm: Confirm) -> impl IntoView {
    let Screenings {
        school,
        assignments,
        films,
        confirmed,
    } = data;
    let title_of = {
        let films = films.clone();
        move |id: i64| {
            films
                .iter()
                .find(|f| f.id == id)
                .map_or_else(|| format!("#{id}"), |f| f.title.clone())
        }
    };
    let history = confirmed.clone();
    // This year's films first: on a phone, last year's list would push them out of sight.
    let mut assignments = assignments;
    assignments.sort_by(|a, b| b.opens_on.cmp(&a.opens_on).then(b.id.cmp(&a.id)));
    view! {
        <p class="muted">{school.name.clone()}</p>
        {if assignments.is_empty() {
            view! { <p class="muted empty">{tr(T::NoFilmsAsked)}</p> }.into_any()
        } else {
            assignments
                .into_iter()
                .map(|a| {
                    let window = (a.opens_on, a.closes_on);
                    view! {
                        <section class="card assignment">
                            <h2>{a.title.clone()}</h2>
                            <p class="muted">{move || i18n::window_text(lang(), &a.opens_on.to_string(), &a.closes_on.to_string())}</p>
                            <ul class="films">
                                {a.film_ids.iter().map(|film_id| {
                                    let film_id = *film_id;
                                    let done = confirmed
                                        .iter()
                                        .find(|c| c.assignment_id == a.id && c.film_id == film_id)
                                        .cloned();
                                    let title = title_of(film_id);
                                    view! {
                                        <li class="film" data-film=film_id.to_string()>
                                            <strong>{format!("《{title}》")}</strong>
                                            {match done {
                                                Some(c) => view! {
                                                    <p class="ok">{move || i18n::confirmed_text(
                                                        lang(), &c.shown_on.to_string(), c.students, c.parents
                                                    )}</p>
                                                }.into_any(),
                                                None => view! {
                                                    <ConfirmFilm
                                                        assignment_id=a.id
                                                        film_id=film_id
                                                        school=school.clone()
                                                        window=window
                                                        confirm=confirm
                                                    />
                                                }.into_any(),
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()
                .into_any()
        }}
        <h2>{tr(T::Confirmed)}</h2>
        {if history.is_empty() {
            view! { <p class="muted empty">{tr(T::NoConfirmations)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table id="confirmed">
                        <thead><tr>
                            <th>{tr(T::Film)}</th><th>{tr(T::Date)}</th><th class="num">{tr(T::Students)}</th>
                            <th class="num">{tr(T::Parents)}</th><th class="num">{tr(T::Classes)}</th><th>{tr(T::Method)}</th>
                        </tr></thead>
                        <tbody>
                            {history.into_iter().map(|c| { let method = c.method; view! {
                                <tr>
                                    <td>{title_of(c.film_id)}</td>
                                    <td>{c.shown_on.to_string()}</td>
                                    <td class="num">{c.students}</td>
                                    <td class="num">{c.parents}</td>
                                    <td class="num">{c.classes}</td>
                                    <td>{move || method.label(lang())}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// The confirmation form for one film of one assignment.
#[component]
fn ConfirmFilm(
    assignment_id: i64,
    film_id: i64,
    school: School,
    window: (NaiveDate, NaiveDate),
    confirm: Confirm,
) -> impl IntoView {
    // The day it was shown defaults to today, or the window's last day once it closed.
    let default_day = today().min(window.1).max(window.0);
    let shown_on = RwSignal::new(default_day.to_string());
    let students = RwSignal::new(String::new());
    let parents = RwSignal::new(String::new());
    let classes = RwSignal::new(String::new());
    let method = RwSignal::new(ShowMethod::Classroom);
    let errors = RwSignal::new(FieldErrors::default());
    let problem = RwSignal::new(None::<String>);
    // The page's action serves every film's form: this one is busy while its own entry is
    // on the way.
    let saving = Signal::derive(move || {
        confirm
            .input()
            .with(|sending| sending.as_ref().is_some_and(|s| s.errors == errors))
    });
    let prefix = format!("c{assignment_id}-{film_id}");

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let mut found = FieldErrors::default();
        let mut count = |field: &'static str, text: String| match parse_count(&text) {
            Ok(n) => n,
            Err(code) => {
                found.push(field, code);
                0
            }
        };
        let entry = NewConfirmation {
            assignment_id: Some(assignment_id),
            school_id: Some(school.id),
            film_id: Some(film_id),
            shown_on: shown_on.get_untracked(),
            students: count("students", students.get_untracked()),
            parents: count("parents", parents.get_untracked()),
            classes: count("classes", classes.get_untracked()),
            method: Some(method.get_untracked()),
        };
        let day = humiao_shared::session::parse_date(&entry.shown_on).ok();
        let ctx = ConfirmationContext {
            today: today(),
            window: Some(window),
            enrolment: day.and_then(|d| roll_for(&school.enrolments, d)),
            film_assigned: true,
            school_expected: true,
        };
        if let Err(rules) = entry.validate(&ctx) {
            found.extend(rules);
        }
        errors.set(found.clone());
        if !found.is_empty() {
            return;
        }
        confirm.dispatch(Sending {
            entry,
            errors,
            problem,
        });
    };

    let id = {
        let prefix = prefix.clone();
        move |field: &str| format!("{prefix}-{field}")
    };
    let error_for = {
        let id = id.clone();
        move |field: &'static str| {
            let error_id = format!("{}-error", id(field));
            move || {
                errors.with(|e| e.get(field)).map(
                    |code| view! { <p class="error" id=error_id.clone()>{code.message(lang())}</p> },
                )
            }
        }
    };
    let invalid = move |field: &'static str| move || errors.with(|e| e.get(field).is_some());
    let number = |field: &'static str, label: T, value: RwSignal<String>| {
        let input_id = id(field);
        view! {
            <div class="field">
                <label for=input_id.clone()>{tr(label)}</label>
                <input id=input_id inputmode="numeric" aria-invalid=invalid(field)
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        errors.update(|e| e.remove(field));
                        value.set(event_target_value(&ev));
                    } />
                {error_for(field)}
            </div>
        }
    };

    view! {
        <form class="confirm" on:submit=on_submit novalidate=true>
            <div class="row four">
                <div class="field">
                    <label for=id("shown_on")>{tr(T::ShownOn)}</label>
                    <input id=id("shown_on") type="date" aria-invalid=invalid("shown_on")
                        prop:value=move || shown_on.get()
                        on:input=move |ev| {
                            errors.update(|e| e.remove("shown_on"));
                            shown_on.set(event_target_value(&ev));
                        } />
                    {error_for("shown_on")}
                </div>
                {number("students", T::StudentsWatched, students)}
                {number("parents", T::ParentsWatched, parents)}
                {number("classes", T::ClassCount, classes)}
            </div>
            <div class="field">
                <label for=id("method")>{tr(T::ShowMethod)}</label>
                <select id=id("method")
                    on:change=move |ev| {
                        if let Some(m) = ShowMethod::from_code(&event_target_value(&ev)) {
                            method.set(m);
                        }
                    }>
                    {move || ShowMethod::ALL.into_iter().map(|m| view! {
                        <option value=m.code() selected=move || method.get() == m>{m.label(lang())}</option>
                    }).collect_view()}
                </select>
            </div>
            <Problem problem=problem />
            <button type="submit" class="primary" disabled=move || saving.get()>
                {move || if saving.get() { tr(T::Submitting)() } else { tr(T::ConfirmWatched)() }}
            </button>
        </form>
    }
}
