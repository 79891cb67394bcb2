//! 月报: the monthly returns the viewer may see, each with its state, deadline and the
//! reason it came back, its figures, warnings and history on demand, and a button for each
//! move the viewer may make from its state — an officer 上报, a district leader 审核通过 or
//! 退回, the city 市局确认 or 退回, an administrator 重新打开. Which buttons show is the
//! shared state machine's answer (`humiao_shared::returns::transition`), the same the server
//! applies; sending back and reopening say before sending that they need a reason, checked
//! by the shared rule.
//!
//! Every move carries the version the page shows (`If-Match`): a return someone else moved
//! meanwhile is refused, and the page says so and reloads it.
//!
//! `?month=YYYY-MM` opens that month (an officer's month in its year, a leader's list of that
//! month); `?state=` filters by state. A district leader starts at the returns waiting for
//! review, the city at those approved.

use chrono::Datelike;
use humiao_shared::account::{Me, Role};
use humiao_shared::returns::{
    self, Actor, MonthlyReturn, ReturnAction, ReturnState, TransitionInput,
};
use humiao_shared::todo;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ApiFailure};
use crate::components::{error_notice, today, todo_changed, Problem};
use crate::i18n::{self, lang, tr, T};

/// Who the viewer is to every return the list holds: the list holds only returns of the
/// viewer's scope, where the role says the rest.
fn actor_of(me: Option<&Me>) -> Actor {
    match me {
        Some(Me {
            role: Role::Officer,
            station_id: Some(_),
            ..
        }) => Actor::StationOfficer,
        Some(Me {
            role: Role::Leader,
            district_id: Some(_),
            ..
        }) => Actor::DistrictLeader,
        Some(Me {
            role: Role::Leader, ..
        }) => Actor::CityLeader,
        Some(Me {
            role: Role::Admin, ..
        }) => Actor::Admin,
        _ => Actor::Outsider,
    }
}

/// What a viewer looks at first: a district leader the returns to review, the city the
/// approved ones; an officer and an administrator every state.
fn first_state(actor: Actor) -> Option<ReturnState> {
    match actor {
        Actor::DistrictLeader => Some(ReturnState::Submitted),
        Actor::CityLeader => Some(ReturnState::Approved),
        _ => None,
    }
}

/// A move asked for from a return's card.
#[derive(Clone)]
struct Move {
    station: i64,
    month: String,
    action: ReturnAction,
    version: i64,
    reason: Option<String>,
}

#[component]
pub fn Returns() -> impl IntoView {
    let me = use_context::<Me>();
    let actor = actor_of(me.as_ref());
    let query = use_query_map();
    let asked_month = query.with_untracked(|q| q.get("month"));
    let asked_state = query
        .with_untracked(|q| q.get("state"))
        .and_then(|s| ReturnState::from_code(&s));
    let officer = actor == Actor::StationOfficer;
    let first = asked_month.as_deref().and_then(returns::parse_month);
    let year = RwSignal::new(first.map_or(today().year(), |f| f.year()));
    // A leader's list of one month, when a to-do item opened it; an officer sees the year.
    let month = RwSignal::new(asked_month.clone().filter(|_| !officer));
    let state = RwSignal::new(asked_state.or(if asked_month.is_some() {
        None
    } else {
        first_state(actor)
    }));
    // An officer's month asked for opens with its details; a leader's list of a month does
    // not open every station's at once (each would read its figures and history).
    let open = RwSignal::new(asked_month.filter(|_| officer).map(|m| (None::<i64>, m)));
    let notice = RwSignal::new(None::<Result<String, String>>);

    let act = Action::new_local(|m: &Move| {
        let m = m.clone();
        async move {
            api::act_on_return(m.station, &m.month, m.action, m.version, m.reason)
                .await
                .map(|after| (m.action, after))
        }
    });
    Effect::new(move |_| {
        let Some(result) = act.value().get() else {
            return;
        };
        todo_changed();
        notice.set(Some(match result {
            Ok((action, after)) => Ok(format!(
                "{}：{} {} → {}",
                action.label(lang()),
                after.station_name,
                after.month,
                after.state.label(lang())
            )),
            Err(ApiFailure::Answer {
                status: 409,
                body: Some(body),
            }) if body.code == "edit_conflict" => Err(T::ReturnStale.get(lang()).to_string()),
            Err(e) => Err(e.to_string()),
        }));
    });
    let campaigns = LocalResource::new(api::campaigns);
    let list = LocalResource::new(move || {
        act.version().track();
        let mut query = match month.get() {
            Some(m) => format!("month={m}"),
            None => format!("year={}", year.get()),
        };
        if let Some(s) = state.get() {
            query.push_str(&format!("&state={}", s.code()));
        }
        async move { api::returns(&query).await }
    });
    let years = move || {
        let mut years: Vec<i32> = campaigns
            .get()
            .and_then(Result::ok)
            .map(|list| list.iter().map(|c| c.year).collect())
            .unwrap_or_default();
        years.push(today().year());
        years.push(year.get());
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        years
    };

    view! {
        <h1>{tr(T::ReturnsPageTitle)}</h1>
        <div class="filters card">
            <div class="field">
                <label for="returns-year">{tr(T::ReturnsYear)}</label>
                <select id="returns-year" on:change=move |ev| {
                    if let Ok(y) = event_target_value(&ev).parse() {
                        month.set(None);
                        year.set(y);
                    }
                }>
                    {move || years().into_iter().map(|y| view! {
                        <option value=y.to_string() selected=move || year.get() == y>{y}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="returns-state">{tr(T::ReturnsState)}</label>
                <select id="returns-state" on:change=move |ev| {
                    state.set(ReturnState::from_code(&event_target_value(&ev)));
                }>
                    <option value="" selected=move || state.get().is_none()>{tr(T::AllStates)}</option>
                    {ReturnState::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || state.get() == Some(s)>
                            {move || s.label(lang())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            {move || month.get().map(|m| view! {
                <p class="field muted" id="returns-month">{m}</p>
            })}
        </div>
        <div aria-live="polite">
            {move || notice.get().map(|n| match n {
                Ok(text) => view! { <p class="notice ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="notice bad" role="alert">{text}</p> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    list.await.map(|(rows, total)| {
                        if rows.is_empty() {
                            return view! { <p class="muted empty">{tr(T::NoReturns)}</p> }.into_any();
                        }
                        view! {
                            <p class="muted" id="returns-total">{move || i18n::count_of(lang(), total)}</p>
                            <ul class="returns" id="returns">
                                {rows.into_iter().map(|r| view! {
                                    <ReturnCard row=r actor=actor open=open act=act busy=act.pending() />
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// One return: where it stands, its details on demand, and the viewer's moves.
#[component]
fn ReturnCard(
    row: MonthlyReturn,
    actor: Actor,
    open: RwSignal<Option<(Option<i64>, String)>>,
    act: Action<Move, api::ApiResult<(ReturnAction, MonthlyReturn)>>,
    busy: Memo<bool>,
) -> impl IntoView {
    let station = row.station_id;
    let month = row.month.clone();
    let key = month.clone();
    let is_open = Memo::new(move |_| {
        open.with(|o| {
            o.as_ref()
                .is_some_and(|(s, m)| *m == key && s.is_none_or(|s| s == station))
        })
    });
    let toggle_month = month.clone();
    let toggle = move |_| {
        if is_open.get() {
            open.set(None);
        } else {
            open.set(Some((Some(station), toggle_month.clone())));
        }
    };
    let moves: Vec<ReturnAction> = ReturnAction::ALL
        .into_iter()
        .filter(|a| returns::transition(row.state, *a, actor).is_ok())
        .collect();
    let needs_reason = moves.iter().any(|a| a.needs_reason());
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<String>);
    // The reason's field opens with the first tap on 退回 or 重新打开, which says a reason is
    // needed and sends nothing; a list of cards stays short until then.
    let asking = RwSignal::new(false);
    let reason_box = NodeRef::<leptos::html::Textarea>::new();
    let id = format!("return-{station}-{month}");
    let reason_id = format!("{id}-reason");
    let version = row.version;
    let state = row.state;
    let days_late = if row.late
        && returns::timeliness(state, row.first_submitted_on, row.deadline)
            == returns::Timeliness::Missing
    {
        (today() - row.deadline).num_days().max(0)
    } else {
        0
    };
    let deadline = row.deadline.to_string();
    let details_month = month.clone();
    // The month a to-do item opened is brought into view (a phone shows one card or two).
    let node = NodeRef::<leptos::html::Li>::new();
    let asked = is_open.get_untracked();
    Effect::new(move |_| {
        if let Some(card) = node.get().filter(|_| asked) {
            // After the frame that attaches the list: the card is not in the page before.
            request_animation_frame(move || card.scroll_into_view());
        }
    });
    view! {
        <li class="card return" id=id.clone() data-state=state.code() node_ref=node>
            <div class="return-head">
                <strong>{row.station_name.clone()}</strong>
                <span class="return-month">{month.clone()}</span>
                <span class=format!("state state-{}", state.code())>{move || state.label(lang())}</span>
            </div>
            <p class="muted return-due">
                {move || if todo::still_to_submit(state) {
                    i18n::due_text(lang(), &deadline, days_late)
                } else {
                    i18n::deadline_text(lang(), &deadline)
                }}
                // Submitted after its deadline (one still missing says how late above).
                {(row.late && days_late == 0).then(|| view! { " · " <span class="late">{tr(T::ReturnLate)}</span> })}
            </p>
            {row.reason.clone().map(|r| view! {
                <p class="notice warn return-reason">{tr(T::ReturnSentBack)}"："{r}</p>
            })}
            <button type="button" class="link return-toggle" aria-expanded=move || is_open.get().to_string()
                on:click=toggle>
                {move || if is_open.get() { tr(T::ReturnHideDetails)() } else { tr(T::ReturnDetails)() }}
            </button>
            {move || is_open.get().then(|| view! { <ReturnDetails station=station month=details_month.clone() /> })}
            {(!moves.is_empty()).then(|| view! {
                <div class="return-actions">
                    {move || (needs_reason && asking.get()).then(|| view! {
                        <div class="field">
                            <label for=reason_id.clone()>{tr(T::ReturnReason)}</label>
                            <p class="hint muted">{tr(T::ReturnReasonHint)}</p>
                            <textarea id=reason_id.clone() rows="2" maxlength="200" node_ref=reason_box
                                aria-invalid=move || reason_error.get().is_some().to_string()
                                prop:value=move || reason.get()
                                on:input=move |ev| {
                                    reason_error.set(None);
                                    reason.set(event_target_value(&ev));
                                }></textarea>
                            <Problem problem=Signal::derive(move || reason_error.get()) />
                        </div>
                    })}
                    <div class="inline">
                        {moves.iter().map(|action| {
                            let action = *action;
                            let month = month.clone();
                            let class = if matches!(action, ReturnAction::Return | ReturnAction::Reopen) {
                                "secondary"
                            } else {
                                "primary"
                            };
                            view! {
                                <button type="button" class=class data-action=action.code()
                                    disabled=move || busy.get()
                                    on:click=move |_| {
                                        if action.needs_reason() && !asking.get_untracked() {
                                            asking.set(true);
                                            request_animation_frame(move || {
                                                if let Some(field) = reason_box.get_untracked() {
                                                    let _ = field.focus();
                                                }
                                            });
                                            return;
                                        }
                                        let input = TransitionInput { reason: Some(reason.get_untracked()) };
                                        match input.validate(action) {
                                            Err(errors) => reason_error.set(
                                                errors.get("reason").map(|c| c.message(lang()).to_string()),
                                            ),
                                            Ok(reason) => {
                                                reason_error.set(None);
                                                act.dispatch(Move {
                                                    station,
                                                    month: month.clone(),
                                                    action,
                                                    version,
                                                    reason,
                                                });
                                            }
                                        }
                                    }>
                                    {move || action.label(lang())}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                </div>
            })}
        </li>
    }
}

/// A return's figures, warnings and history, read when opened.
#[component]
fn ReturnDetails(station: i64, month: String) -> impl IntoView {
    let details = LocalResource::new(move || {
        let month = month.clone();
        async move {
            let summary = api::return_summary(station, &month).await?;
            let history = api::return_history(station, &month).await?;
            Ok::<_, ApiFailure>((summary, history))
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    details.await.map(|(summary, history)| view! {
                        <div class="return-details">
                            <p>{move || i18n::return_figures(lang(), summary.sessions, summary.audience)}</p>
                            {(!summary.outcomes.is_empty()).then(|| view! {
                                <ul class="outcomes">
                                    {summary.outcomes.iter().map(|(indicator, value)| {
                                        let indicator = *indicator;
                                        let value = *value;
                                        view! { <li>{move || indicator.label(lang())}"："{value}</li> }
                                    }).collect_view()}
                                </ul>
                            })}
                            <h3>{tr(T::ReturnWarnings)}</h3>
                            {if summary.warnings.is_empty() {
                                view! { <p class="muted">{tr(T::ReturnNoWarnings)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="warnings">
                                        {summary.warnings.iter().map(|w| {
                                            let w = w.clone();
                                            view! { <li class="notice warn">{move || i18n::return_warning(lang(), &w)}</li> }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h3>{tr(T::ReturnHistory)}</h3>
                            {if history.is_empty() {
                                view! { <p class="muted">{tr(T::ReturnNoHistory)}</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="history">
                                        {history.into_iter().map(|e| {
                                            let at = china_time(&e.at);
                                            view! {
                                                <li>
                                                    <span class="muted">{at}</span>" "{e.actor.clone()}" "
                                                    {move || e.action.label(lang())}" → "{move || e.to.label(lang())}
                                                    {e.reason.clone().map(|r| view! { <span>"（"{r}"）"</span> })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// An event's time (RFC 3339) as read in China: `2026-03-06 09:12`.
fn china_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .ok()
        .and_then(|t| chrono::FixedOffset::east_opt(8 * 3600).map(|china| t.with_timezone(&china)))
        .map_or_else(
            || at.to_string(),
            |t| t.format("%Y-%m-%d %H:%M").to_string(),
        )
}
