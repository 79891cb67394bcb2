//! 帮教对象 `/cases/:id`: one case for its station's officers — its grade and the grade's
//! history, its team (officers and volunteers, from–to) with a form to pair a volunteer of
//! the station, its contacts, its events (再犯, 复学) with a form to record one, and closing
//! it with a reason. Each read of this page is one audited read of the case on the server.
//! Free text (the closing reason) refused for holding an ID number, a phone or a name says
//! so beside the field.

use humiao_shared::error::FieldErrors;
use humiao_shared::mentoring::case::{Case, NewCase};
use humiao_shared::mentoring::contact::{CaseEvent, Contact, EventKind, NewCaseEvent};
use humiao_shared::mentoring::team::{NewTeamMember, TeamMember};
use humiao_shared::mentoring::volunteer::Volunteer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiFailure};
use crate::components::registers::{field_error, grade_badge, refused_fields};
use crate::components::{error_notice, today};
use crate::i18n::{lang, tr, T};

/// What the page shows of a case, read together.
#[derive(Debug, Clone)]
struct Read {
    case: Case,
    team: Vec<TeamMember>,
    contacts: Vec<Contact>,
    events: Vec<CaseEvent>,
    volunteers: Vec<Volunteer>,
}

async fn read(id: i64) -> Result<Read, ApiFailure> {
    let case: Case = api::get_json(&format!("/api/v1/cases/{id}")).await?;
    let team = api::get_json(&format!("/api/v1/case_team?case_id={id}&limit=1000")).await?;
    let contacts = api::get_json(&format!("/api/v1/contacts?case_id={id}&limit=100")).await?;
    let events = api::get_json(&format!("/api/v1/case_events?case_id={id}&limit=100")).await?;
    let volunteers = api::get_json(&format!(
        "/api/v1/volunteers?station_id={}&limit=1000",
        case.station_id
    ))
    .await?;
    Ok(Read {
        case,
        team,
        contacts,
        events,
        volunteers,
    })
}

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let page = LocalResource::new(move || {
        let id = id().unwrap_or(0);
        read(id)
    });
    let reload = Callback::new(move |()| page.refetch());
    view! {
        <p><a href="/cases">{tr(T::BackToCases)}</a></p>
        <Transition fallback=|| view! { <p class="loading">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    page.await.map(|r| view! { <CaseView read=r reload=reload /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn CaseView(read: Read, reload: Callback<()>) -> impl IntoView {
    let Read {
        case,
        team,
        contacts,
        events,
        volunteers,
    } = read;
    let name_of = {
        let volunteers = volunteers.clone();
        move |m: &TeamMember| match m.volunteer_id {
            Some(v) => volunteers
                .iter()
                .find(|x| x.id == v)
                .map_or_else(|| format!("#{v}"), |x| format!("{}（{}）", x.name, x.team)),
            None => format!("#{}", m.officer_id.unwrap_or_default()),
        }
    };
    let category = case.category;
    let closed = case.closed_on.is_some();
    view! {
        <h1 class="case-title">
            <span class="code" id="case-code">{case.code.clone()}</span> " "
            {grade_badge(case.grade)}
            {case.overdue.then(|| view! { <span class="badge bad">{tr(T::CaseOverdue)}</span> })}
        </h1>
        <section class="card case-facts">
            <p>
                {move || category.label(lang())} " · "
                {tr(T::OpenedOn)} "：" {case.opened_on.clone()} " · "
                {tr(T::CaseLastContact)} "：" {case.last_contact_on.clone().unwrap_or_else(|| "—".into())}
            </p>
            {case.closed_on.clone().map(|c| view! {
                <p id="case-closed">{tr(T::ClosedOn)} "：" {c} " · " {case.closing_reason.clone().unwrap_or_default()}</p>
            })}
            <h2>{tr(T::GradeHistory)}</h2>
            <ul class="grade-history">
                {case.grades.iter().map(|g| view! {
                    <li>{g.from_on.clone()} " " {grade_badge(g.grade)}</li>
                }).collect_view()}
            </ul>
        </section>

        <section class="card" id="case-team">
            <h2>{tr(T::CaseTeam)}</h2>
            <ul>
                {team.iter().map(|m| {
                    let who = name_of(m);
                    let kind = if m.volunteer_id.is_some() { T::RoleVolunteer } else { T::TeamOfficer };
                    view! {
                        <li class="member">
                            {tr(kind)} " " {who} " · " {m.from_on.clone()} " – "
                            {m.to_on.clone().unwrap_or_default()}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!closed).then(|| view! { <PairForm case_id=case.id volunteers=volunteers reload=reload /> })}
        </section>

        <section class="card" id="case-contacts">
            <h2>{tr(T::CaseContacts)}</h2>
            {contacts.is_empty().then(|| view! { <p class="muted">"—"</p> })}
            <ul>
                {contacts.into_iter().map(|c| {
                    let kind = c.kind;
                    view! {
                        <li class="contact">
                            {c.contacted_on} " · " {move || kind.label(lang())}
                            {c.next_due_on.map(|d| view! { " · " {tr(T::ContactNextDue)} "：" {d} })}
                            {c.note.map(|n| view! { " · " {n} })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>

        <section class="card" id="case-events">
            <h2>{tr(T::CaseEvents)}</h2>
            <ul>
                {events.into_iter().map(|e| {
                    let kind = e.kind;
                    view! { <li class="event">{e.happened_on} " · " {move || kind.label(lang())}</li> }
                }).collect_view()}
            </ul>
            <EventForm case_id=case.id reload=reload />
        </section>

        {(!closed).then(|| view! {
            <section class="card" id="case-close">
                <h2>{tr(T::CloseCase)}</h2>
                <CloseForm case=case.clone() reload=reload />
            </section>
        })}
    }
}

/// Pairs a volunteer of the station with the case from a day (today).
#[component]
fn PairForm(case_id: i64, volunteers: Vec<Volunteer>, reload: Callback<()>) -> impl IntoView {
    let volunteer = RwSignal::new(None::<i64>);
    let from_on = RwSignal::new(today().to_string());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entry = NewTeamMember {
            case_id: Some(case_id),
            volunteer_id: volunteer.get_untracked(),
            officer_id: None,
            from_on: from_on.get_untracked(),
            to_on: None,
        };
        if let Err(found) = entry.validate(today()) {
            errors.set(found);
            return;
        }
        spawn_local(async move {
            let body = serde_json::to_value(&entry).unwrap_or_default();
            match api::create_json("/api/v1/case_team", &body).await {
                Ok(_) => reload.run(()),
                Err(refused) => {
                    errors.set(refused_fields(&refused));
                    failure.set(Some(refused.to_string()));
                }
            }
        });
    };
    let err = move |field: &'static str| field_error(errors, "pair-", field);
    view! {
        <form class="inline-form" id="pair-form" on:submit=save novalidate>
            <div class="row two">
                <div class="field">
                    <label for="pair-volunteer">{tr(T::PairVolunteer)}</label>
                    <select id="pair-volunteer" on:change=move |ev| {
                        volunteer.set(event_target_value(&ev).parse().ok());
                    }>
                        <option value="">"—"</option>
                        {volunteers.into_iter().map(|v| view! {
                            <option value=v.id.to_string()>{format!("{}（{}）", v.name, v.team)}</option>
                        }).collect_view()}
                    </select>
                    {err("volunteer_id")}
                </div>
                <div class="field">
                    <label for="pair-from_on">{tr(T::FromOn)}</label>
                    <input id="pair-from_on" type="date" prop:value=move || from_on.get()
                        on:input=move |ev| from_on.set(event_target_value(&ev)) />
                    {err("from_on")}
                </div>
            </div>
            {move || failure.get().map(|f| view! { <p class="notice bad" role="alert">{f}</p> })}
            <button type="submit" class="primary" id="pair-save">{tr(T::Pair)}</button>
        </form>
    }
}

/// Records a re-offence or a return to school on a day.
#[component]
fn EventForm(case_id: i64, reload: Callback<()>) -> impl IntoView {
    let kind = RwSignal::new(None::<EventKind>);
    let happened_on = RwSignal::new(today().to_string());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entry = NewCaseEvent {
            case_id: Some(case_id),
            kind: kind.get_untracked(),
            happened_on: happened_on.get_untracked(),
        };
        if let Err(found) = entry.validate(today()) {
            errors.set(found);
            return;
        }
        spawn_local(async move {
            let body = serde_json::to_value(&entry).unwrap_or_default();
            match api::create_json("/api/v1/case_events", &body).await {
                Ok(_) => reload.run(()),
                Err(refused) => {
                    errors.set(refused_fields(&refused));
                    failure.set(Some(refused.to_string()));
                }
            }
        });
    };
    let err = move |field: &'static str| field_error(errors, "event-", field);
    view! {
        <form class="inline-form" id="event-form" on:submit=save novalidate>
            <div class="row two">
                <div class="field">
                    <label for="event-kind">{tr(T::EventKindLabel)}</label>
                    <select id="event-kind" on:change=move |ev| {
                        kind.set(EventKind::from_code(&event_target_value(&ev)));
                    }>
                        <option value="">"—"</option>
                        {EventKind::ALL.into_iter().map(|k| view! {
                            <option value=k.code()>{move || k.label(lang())}</option>
                        }).collect_view()}
                    </select>
                    {err("kind")}
                </div>
                <div class="field">
                    <label for="event-happened_on">{tr(T::ContactDay)}</label>
                    <input id="event-happened_on" type="date" prop:value=move || happened_on.get()
                        on:input=move |ev| happened_on.set(event_target_value(&ev)) />
                    {err("happened_on")}
                </div>
            </div>
            {move || failure.get().map(|f| view! { <p class="notice bad" role="alert">{f}</p> })}
            <button type="submit" class="primary" id="event-save">{tr(T::RecordEvent)}</button>
        </form>
    }
}

/// Closes the case on a day with a reason: the case is sent whole at the version it was
/// read (a change meanwhile is refused, not overwritten).
#[component]
fn CloseForm(case: Case, reload: Callback<()>) -> impl IntoView {
    let closed_on = RwSignal::new(today().to_string());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let case = StoredValue::new(case);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = case.get_value();
        let entry = NewCase {
            station_id: Some(c.station_id),
            birth_year: c.birth_year,
            sex: c.sex,
            school_id: c.school_id,
            category: Some(c.category),
            grade: Some(c.grade),
            opened_on: c.opened_on.clone(),
            closed_on: Some(closed_on.get_untracked()),
            closing_reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
            note: c.note.clone(),
        };
        if let Err(found) = entry.validate(today()) {
            errors.set(found);
            return;
        }
        spawn_local(async move {
            let body = serde_json::to_value(&entry).unwrap_or_default();
            let path = format!("/api/v1/cases/{}", c.id);
            match api::update_json(&path, c.version, &body).await {
                Ok(_) => reload.run(()),
                Err(refused) => {
                    errors.set(refused_fields(&refused));
                    failure.set(Some(refused.to_string()));
                }
            }
        });
    };
    let err = move |field: &'static str| field_error(errors, "close-", field);
    view! {
        <form class="inline-form" id="close-form" on:submit=save novalidate>
            <div class="row two">
                <div class="field">
                    <label for="close-closed_on">{tr(T::ClosedOn)}</label>
                    <input id="close-closed_on" type="date" prop:value=move || closed_on.get()
                        on:input=move |ev| closed_on.set(event_target_value(&ev)) />
                    {err("closed_on")}
                </div>
                <div class="field">
                    <label for="close-closing_reason">{tr(T::ClosingReason)}</label>
                    <input id="close-closing_reason" type="text" maxlength="100"
                        placeholder=tr(T::ContactNoteHint)
                        aria-invalid=move || errors.with(|e| e.get("closing_reason").is_some()).to_string()
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev)) />
                    {err("closing_reason")}
                </div>
            </div>
            {move || failure.get().map(|f| view! { <p class="notice bad" role="alert">{f}</p> })}
            <button type="submit" class="secondary danger" id="close-save">{tr(T::CloseCase)}</button>
        </form>
    }
}
