//! 宣教片观看: what a school sees after opening its link (or signing in) — the films it is
//! asked to show and the window, how many are left to confirm (those first), a confirmation
//! form for each film not yet confirmed, and each confirmation once, as a card it can
//! correct (`PUT` at the version read, which the server allows for the school's own only).
//!
//! The shared rules (students no more than the school's roll, the date inside the window and
//! not in the future…) run before sending, beside the field they concern; the server's field
//! errors land in the same places. The over-roll message says the roll it broke.

use chrono::NaiveDate;
use humiao_shared::error::{FieldCode, FieldErrors};
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
    /// The confirmation it corrects, at the version read; `None` for a new one.
    correcting: Option<(i64, i64)>,
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
            correcting,
            errors,
            problem,
        } = sending.clone();
        async move {
            let result = match correcting {
                Some((id, version)) => api::update_confirmation(id, version, &entry).await,
                None => api::create_confirmation(&entry).await,
            };
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
    // Stored ones only (an edit stores the same id at a new version): a refused
    // confirmation keeps its form, and its messages, on screen.
    let stored = Memo::new(move |before: Option<&Option<(i64, i64)>>| {
        confirm.value().with(|v| match v {
            Some(Ok(c)) => Some((c.id, c.version)),
            _ => before.copied().flatten(),
        })
    });
    let data = LocalResource::new(move || {
        stored.track();
        load(school_id)
    });
    let thanked = Signal::derive(move || stored.get().map(|(id, _)| id));
    view! {
        <h1>{tr(T::ScreeningsTitle)}</h1>
        <Transition fallback=|| view! { <p class="loading">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    data.await.map(|d| view! { <Overview data=d confirm=confirm thanked=thanked /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// One film of one assignment, and its confirmation if there is one.
#[derive(Clone)]
struct Asked {
    assignment: i64,
    window: (NaiveDate, NaiveDate),
    film_id: i64,
    title: String,
    done: Option<Confirmation>,
}

#[component]
fn Overview(data: Screenings, confirm: Confirm, thanked: Signal<Option<i64>>) -> impl IntoView {
    let Screenings {
        school,
        assignments,
        films,
        confirmed,
    } = data;
    let title_of = move |id: i64| {
        films
            .iter()
            .find(|f| f.id == id)
            .map_or_else(|| format!("#{id}"), |f| f.title.clone())
    };
    let mut sections: Vec<(Assignment, Vec<Asked>)> = assignments
        .into_iter()
        .map(|a| {
            let mut asked: Vec<Asked> = a
                .film_ids
                .iter()
                .map(|&film_id| Asked {
                    assignment: a.id,
                    window: (a.opens_on, a.closes_on),
                    film_id,
                    title: title_of(film_id),
                    done: confirmed
                        .iter()
                        .find(|c| c.assignment_id == a.id && c.film_id == film_id)
                        .cloned(),
                })
                .collect();
            // The films left to confirm first: on a phone, confirmed ones would push them
            // screens down.
            asked.sort_by_key(|x| x.done.is_some());
            (a, asked)
        })
        .collect();
    let pending = |asked: &[Asked]| asked.iter().filter(|x| x.done.is_none()).count();
    // Assignments with films left first, then this year's before last year's.
    sections.sort_by(|(a, x), (b, y)| {
        (pending(y) > 0)
            .cmp(&(pending(x) > 0))
            .then(b.opens_on.cmp(&a.opens_on))
            .then(b.id.cmp(&a.id))
    });
    let remaining: usize = sections.iter().map(|(_, asked)| pending(asked)).sum();
    // Confirmations of no assignment listed here (one deleted since, say): shown once, below.
    let others: Vec<Confirmation> = confirmed
        .iter()
        .filter(|c| {
            !sections.iter().any(|(_, asked)| {
                asked
                    .iter()
                    .any(|x| x.done.as_ref().is_some_and(|d| d.id == c.id))
            })
        })
        .cloned()
        .collect();
    view! {
        <p class="school-name">{school.name.clone()}</p>
        {(!sections.is_empty()).then(|| view! {
            <p id="remaining" class=if remaining == 0 { "remaining done" } else { "remaining" } role="status">
                {move || i18n::remaining_films(lang(), remaining)}
            </p>
        })}
        {if sections.is_empty() {
            view! { <p class="muted empty">{tr(T::NoFilmsAsked)}</p> }.into_any()
        } else {
            sections
                .into_iter()
                .map(|(a, asked)| {
                    let (opens, closes) = (a.opens_on.to_string(), a.closes_on.to_string());
                    view! {
                        <section class="card assignment">
                            <h2>{a.title.clone()}</h2>
                            <p class="muted">{move || i18n::window_text(lang(), &opens, &closes)}</p>
                            <ul class="films">
                                {asked.into_iter().map(|x| view! {
                                    <FilmItem asked=x school=school.clone() confirm=confirm thanked=thanked />
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()
                .into_any()
        }}
        {(!others.is_empty()).then(|| view! {
            <h2>{tr(T::OtherConfirmed)}</h2>
            <ul class="films">
                {others.into_iter().map(|c| {
                    let title = title_of(c.film_id);
                    let film = c.film_id.to_string();
                    view! {
                        <li class="film confirmed" data-film=film>
                            <strong>{format!("《{title}》")}</strong>
                            <ConfirmedCard c=c />
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// One film: its form while unconfirmed; once confirmed, its card, a thank-you right after,
/// and 修改, which brings the form back filled in.
#[component]
fn FilmItem(
    asked: Asked,
    school: School,
    confirm: Confirm,
    thanked: Signal<Option<i64>>,
) -> impl IntoView {
    let Asked {
        assignment,
        window,
        film_id,
        title,
        done,
    } = asked;
    let editing = RwSignal::new(false);
    let class = if done.is_some() {
        "film confirmed"
    } else {
        "film pending"
    };
    view! {
        <li class=class data-film=film_id.to_string()>
            <strong>{format!("《{title}》")}</strong>
            {match done {
                None => view! {
                    <ConfirmFilm assignment_id=assignment film_id=film_id school=school
                        window=window confirm=confirm correcting=None editing=editing />
                }.into_any(),
                Some(c) => {
                    let id = c.id;
                    let card = c.clone();
                    view! {
                        {move || (thanked.get() == Some(id) && !editing.get()).then(|| view! {
                            <p class="notice ok thanks" role="status">{tr(T::ThankYou)}</p>
                        })}
                        {move || if editing.get() {
                            view! {
                                <ConfirmFilm assignment_id=assignment film_id=film_id
                                    school=school.clone() window=window confirm=confirm
                                    correcting=Some(c.clone()) editing=editing />
                            }.into_any()
                        } else {
                            let card = card.clone();
                            view! {
                                <ConfirmedCard c=card />
                                <button type="button" class="secondary edit-confirmation"
                                    on:click=move |_| editing.set(true)>{tr(T::Edit)}</button>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </li>
    }
}

/// A confirmation as a card: every figure on its own line, so nothing is cut off on a phone.
#[component]
fn ConfirmedCard(c: Confirmation) -> impl IntoView {
    let method = c.method;
    view! {
        <dl class="confirmation">
            <div><dt>{tr(T::ShownOn)}</dt><dd>{c.shown_on.to_string()}</dd></div>
            <div><dt>{tr(T::Students)}</dt><dd class="num">{c.students}</dd></div>
            <div><dt>{tr(T::Parents)}</dt><dd class="num">{c.parents}</dd></div>
            <div><dt>{tr(T::Classes)}</dt><dd class="num">{c.classes}</dd></div>
            <div><dt>{tr(T::Method)}</dt><dd>{move || method.label(lang())}</dd></div>
        </dl>
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
    /// The confirmation this form corrects, filled in from it; `None` for a new one.
    correcting: Option<Confirmation>,
    /// Set while a confirmation is being corrected; 取消 clears it.
    editing: RwSignal<bool>,
) -> impl IntoView {
    // The day it was shown defaults to today, or the window's last day once it closed.
    let default_day = today().min(window.1).max(window.0);
    let was = correcting.as_ref();
    let shown_on = RwSignal::new(was.map_or(default_day, |c| c.shown_on).to_string());
    let figure = |f: fn(&Confirmation) -> i64| was.map(|c| f(c).to_string()).unwrap_or_default();
    let students = RwSignal::new(figure(|c| c.students));
    let parents = RwSignal::new(figure(|c| c.parents));
    let classes = RwSignal::new(figure(|c| c.classes));
    let method = RwSignal::new(was.map_or(ShowMethod::Classroom, |c| c.method));
    let correcting = correcting.map(|c| (c.id, c.version));
    let enrolments = school.enrolments.clone();
    // The roll the students are checked against, for the day entered: the over-roll
    // message says it.
    let roll = Signal::derive(move || {
        humiao_shared::session::parse_date(&shown_on.get())
            .ok()
            .and_then(|d| roll_for(&enrolments, d))
    });
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
            correcting,
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
                errors.with(|e| e.get(field)).map(|code| {
                    let text = match (code, roll.get()) {
                        (FieldCode::ExceedsEnrolment, Some(roll)) => i18n::over_roll(lang(), roll),
                        _ => code.message(lang()).to_string(),
                    };
                    view! { <p class="error" id=error_id.clone()>{text}</p> }
                })
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
            <div class="buttons">
                <button type="submit" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() {
                        tr(T::Submitting)()
                    } else if correcting.is_some() {
                        tr(T::SaveChanges)()
                    } else {
                        tr(T::ConfirmWatched)()
                    }}
                </button>
                {correcting.is_some().then(|| view! {
                    <button type="button" class="secondary" on:click=move |_| editing.set(false)>
                        {tr(T::Cancel)}
                    </button>
                })}
            </div>
        </form>
    }
}
