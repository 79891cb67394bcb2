//! 待办: what waits on the signed-in person (`GET /api/v1/todo`), each item with a link to
//! where it is done — an officer's months to submit (a returned one with the leader's
//! reason), a district leader's returns to review and stations not submitted, the city's
//! districts to accept (at once, from here), a school's films to confirm with the days left.
//! Leaders and administrators also get the reminder list for the WeChat groups: the Excel
//! file and a printable page of one notice per station ([`Reminders`]).

use humiao_shared::account::{Me, Role};
use humiao_shared::todo::TodoItem;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::{error_notice, todo_changed, Problem};
use crate::i18n::{self, lang, tr, T};

#[component]
pub fn TodoPage() -> impl IntoView {
    let me = use_context::<Me>();
    let leads = me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Leader | Role::Admin));
    let accept = Action::new_local(|(district, month): &(i64, String)| {
        let (district, month) = (*district, month.clone());
        async move { api::accept_district(district, &month).await }
    });
    let problem = Signal::derive(move || {
        accept.value().with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err().map(|e| e.to_string()))
        })
    });
    Effect::new(move |_| {
        if accept.value().with(|v| v.is_some()) {
            todo_changed();
        }
    });
    let todo = LocalResource::new(move || {
        accept.version().track();
        api::todo()
    });
    view! {
        <h1>{tr(T::TodoTitle)}</h1>
        <Problem problem=problem />
        {leads.then(|| view! {
            <p class="inline wrap reminders-links">
                <a class="button" href="/api/v1/todo/reminders" rel="external" download="">{tr(T::RemindersDownload)}</a>
                <a class="button" href="/todo/reminders">{tr(T::RemindersPrint)}</a>
            </p>
        })}
        <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    todo.await.map(|todo| {
                        if todo.items.is_empty() {
                            return view! { <p class="muted empty">{tr(T::TodoEmpty)}</p> }.into_any();
                        }
                        view! {
                            <ul class="todo" id="todo">
                                {todo.items.into_iter().map(|item| view! {
                                    <TodoEntry item=item accept=accept />
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// Where an item is done.
fn link_of(item: &TodoItem) -> String {
    match item {
        TodoItem::Submit { month, .. } => format!("/returns?month={month}"),
        TodoItem::Review { month, .. } => format!("/returns?month={month}&state=submitted"),
        TodoItem::NotSubmitted { month, .. } => format!("/todo/reminders?month={month}"),
        TodoItem::AcceptDistrict { month, .. } => format!("/returns?month={month}&state=approved"),
        TodoItem::Confirm { .. } => "/".into(),
    }
}

#[component]
fn TodoEntry(
    item: TodoItem,
    accept: Action<(i64, String), api::ApiResult<Vec<humiao_shared::returns::MonthlyReturn>>>,
) -> impl IntoView {
    let href = link_of(&item);
    let line = {
        let item = item.clone();
        move || i18n::todo_line(lang(), &item)
    };
    let detail = match &item {
        TodoItem::Submit {
            deadline,
            days_late,
            ..
        }
        | TodoItem::NotSubmitted {
            deadline,
            days_late,
            ..
        } => {
            let (deadline, days_late) = (deadline.to_string(), *days_late);
            Some(view! { <p class="muted">{move || i18n::due_text(lang(), &deadline, days_late)}</p> }.into_any())
        }
        TodoItem::Confirm {
            closes_on,
            days_left,
            ..
        } => {
            let (closes_on, days_left) = (closes_on.to_string(), *days_left);
            Some(view! { <p class="muted">{move || i18n::days_left(lang(), &closes_on, days_left)}</p> }.into_any())
        }
        _ => None,
    };
    let reason = match &item {
        TodoItem::Submit {
            reason: Some(reason),
            ..
        } => Some(reason.clone()),
        _ => None,
    };
    let district = match &item {
        TodoItem::AcceptDistrict {
            district_id, month, ..
        } => Some((*district_id, month.clone())),
        _ => None,
    };
    let kind = match &item {
        TodoItem::Submit { .. } => "submit",
        TodoItem::Review { .. } => "review",
        TodoItem::NotSubmitted { .. } => "not_submitted",
        TodoItem::AcceptDistrict { .. } => "accept_district",
        TodoItem::Confirm { .. } => "confirm",
    };
    view! {
        <li class="card todo-item" data-kind=kind>
            <p class="todo-line"><strong>{line}</strong></p>
            {detail}
            {reason.map(|r| view! {
                <p class="notice warn return-reason">{tr(T::ReturnSentBack)}"："{r}</p>
            })}
            <p class="inline wrap">
                <a class="button" href=href>{tr(T::TodoOpen)}</a>
                {district.map(|pair| view! {
                    <button type="button" class="primary" disabled=move || accept.pending().get()
                        on:click=move |_| { accept.dispatch(pair.clone()); }>
                        {tr(T::TodoAcceptAll)}
                    </button>
                })}
            </p>
        </li>
    }
}

/// `/todo/reminders?month=`: one notice per station that has not submitted the month, a page
/// each when printed, to send to the station or post in its group.
#[component]
pub fn Reminders() -> impl IntoView {
    let query = use_query_map();
    let rows = LocalResource::new(move || {
        let month = query.with(|q| q.get("month")).unwrap_or_default();
        async move { api::reminders(&month).await }
    });
    let download = move || {
        let month = query.with(|q| q.get("month")).unwrap_or_default();
        if month.is_empty() {
            "/api/v1/todo/reminders".to_string()
        } else {
            format!("/api/v1/todo/reminders?month={month}")
        }
    };
    view! {
        <h1 class="no-print">{tr(T::RemindersTitle)}</h1>
        <p class="inline wrap no-print">
            <button type="button" class="primary" on:click=move |_| { let _ = window().print(); }>{tr(T::PrintNow)}</button>
            <a class="button" href=download rel="external" download="">{tr(T::RemindersDownload)}</a>
        </p>
        <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    rows.await.map(|rows| {
                        if rows.is_empty() {
                            return view! { <p class="muted empty">{tr(T::RemindersNone)}</p> }.into_any();
                        }
                        rows.into_iter().map(|r| {
                            let deadline = r.deadline.to_string();
                            let text = {
                                let (station, month, deadline) = (r.station_name.clone(), r.month.clone(), deadline.clone());
                                move || i18n::reminder_text(lang(), &station, &month, &deadline, r.days_late)
                            };
                            view! {
                                <section class="card reminder-sheet" data-station=r.station_id>
                                    <h2>{tr(T::ReminderSheetTitle)}</h2>
                                    <p class="muted">{r.district_name.clone()}" · "{r.station_name.clone()}" · "{r.month.clone()}
                                        " · "{move || r.state.label(lang())}</p>
                                    <p>{text}</p>
                                    {r.reason.clone().map(|reason| view! {
                                        <p class="notice warn">{tr(T::ReturnSentBack)}"："{reason}</p>
                                    })}
                                </section>
                            }
                        }).collect_view().into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
