//! 我的帮教对象: a volunteer's page on a phone. The open cases they are paired with, the
//! overdue ones first, each with its grade's colour, the days since the last contact and the
//! day the next one is due; and a contact logged in three taps: the case, the kind
//! (走访/电话/到校/活动/解决困难, with today's date and the next due day proposed from the
//! grade's interval), 保存.
//!
//! Without a signal the contact waits in the account's outbox (`outbox.rs`) with its
//! idempotency key and is sent when the network returns; the page says it is waiting, then
//! that it was sent. A volunteer gets from the API only what logging needs (code, category,
//! grade, dates, last contact, overdue) and this page shows no more. The team row they log
//! as is read with the list, so that a contact can be made whole offline.

use std::collections::HashMap;

use chrono::NaiveDate;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::mentoring::case::Case;
use humiao_shared::mentoring::contact::{ContactKind, NewContact};
use humiao_shared::mentoring::team::TeamMember;
use humiao_shared::mentoring::{Grade, Settings};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiFailure};
use crate::components::{error_notice, today};
use crate::i18n::{self, lang, tr, T};
use crate::outbox::Outbox;

/// The kinds, in the order the buttons show them.
const KINDS: [ContactKind; 5] = [
    ContactKind::HomeVisit,
    ContactKind::Phone,
    ContactKind::School,
    ContactKind::Activity,
    ContactKind::DifficultySolved,
];

/// A case as the page lists it: the API's case and what the page works out from it.
#[derive(Debug, Clone)]
struct Row {
    case: Case,
    /// The volunteer's current team row on the case, to log as.
    member: Option<i64>,
    /// The last day the case may go to without a contact.
    due: Option<NaiveDate>,
    /// Days since the last contact, or since the case opened when there was none.
    since: Option<i64>,
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The cases with what the page shows of them, overdue first, then by due day and code.
/// The interval per grade is the default's: the settings are not the volunteer's to read,
/// and whether a case is overdue is the server's answer (`overdue`), not this guess.
fn rows(cases: Vec<Case>, team: &[TeamMember], today: NaiveDate) -> Vec<Row> {
    let settings = Settings::default();
    let current: HashMap<i64, i64> = team
        .iter()
        .filter(|m| day(&m.from_on).is_some_and(|d| d <= today))
        .filter(|m| m.to_on.as_deref().and_then(day).is_none_or(|d| d >= today))
        .map(|m| (m.case_id, m.id))
        .collect();
    let mut rows: Vec<Row> = cases
        .into_iter()
        .map(|case| {
            let opened = day(&case.opened_on);
            let last = case.last_contact_on.as_deref().and_then(day);
            Row {
                member: current.get(&case.id).copied(),
                due: opened.map(|o| settings.due_on(case.grade, o, last)),
                since: last.or(opened).map(|d| (today - d).num_days()),
                case,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.case
            .overdue
            .cmp(&a.case.overdue)
            .then(a.due.cmp(&b.due))
            .then(a.case.code.cmp(&b.case.code))
    });
    rows
}

fn grade_class(grade: Grade) -> &'static str {
    match grade {
        Grade::Red => "grade grade-red",
        Grade::Orange => "grade grade-orange",
        Grade::Yellow => "grade grade-yellow",
        Grade::Green => "grade grade-green",
    }
}

#[component]
pub fn MyCases() -> impl IntoView {
    let outbox = use_context::<Outbox>();
    // Refetched after the outbox sent something: the case is no longer overdue.
    let list = LocalResource::new(move || {
        if let Some(outbox) = outbox {
            outbox.sent.track();
        }
        async move {
            let cases = api::open_cases().await?;
            let team = api::my_team_rows().await?;
            Ok::<_, ApiFailure>(rows(cases, &team, today()))
        }
    });
    // The case open for a contact, and what the last save came to.
    let open = RwSignal::new(None::<i64>);
    let said = RwSignal::new(None::<Said>);
    if let Some(outbox) = outbox {
        // Entries logged offline went out: say so where the "waiting" notice was (the first
        // run only starts tracking).
        Effect::new(move |before: Option<()>| {
            outbox.sent.track();
            if before.is_some() {
                said.set(Some(Said::SentFromOutbox));
            }
        });
        // One was refused: "kept on the phone" no longer holds; the refusal says why.
        Effect::new(move |before: Option<usize>| {
            let now = outbox.refused_contacts.with(Vec::len);
            if before.is_some_and(|b| now > b) {
                said.set(None);
            }
            now
        });
    }
    let saved = Callback::new(move |outcome: Said| {
        open.set(None);
        if outcome == Said::Sent {
            list.refetch();
        }
        said.set(Some(outcome));
    });
    view! {
        <h1>{tr(T::NavMyCases)}</h1>
        <ContactsWaiting />
        {move || said.get().map(|s| view! {
            <p class="notice ok" role="status" id="contact-said">{tr(s.text())}</p>
        })}
        <Transition fallback=|| view! { <p class="loading">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    list.await.map(|rows| {
                        if rows.is_empty() {
                            return view! { <p>{tr(T::NoCases)}</p> }.into_any();
                        }
                        view! {
                            <ul class="case-cards">
                                {rows.into_iter().map(|row| view! {
                                    <CaseCard row=row open=open saved=saved said=said />
                                }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// What the last save came to, shown above the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    Sent,
    Queued,
    SentFromOutbox,
}

impl Said {
    fn text(self) -> T {
        match self {
            Said::Sent => T::ContactSent,
            Said::Queued => T::ContactQueued,
            Said::SentFromOutbox => T::ContactsSentFromOutbox,
        }
    }
}

#[component]
fn CaseCard(
    row: Row,
    open: RwSignal<Option<i64>>,
    saved: Callback<Said>,
    said: RwSignal<Option<Said>>,
) -> impl IntoView {
    let Row {
        case,
        member,
        due,
        since,
    } = row;
    let id = case.id;
    let grade = case.grade;
    let category = case.category;
    let overdue = case.overdue;
    let code = case.code.clone();
    let contacted = case.last_contact_on.is_some();
    let toggle = move |_| {
        said.set(None);
        open.update(|o| *o = if *o == Some(id) { None } else { Some(id) });
    };
    view! {
        <li class="case-card" class:overdue=overdue data-code=code.clone()>
            <button type="button" class="open-case"
                aria-expanded=move || (open.get() == Some(id)).to_string()
                on:click=toggle>
                <span class="head">
                    <strong class="code">{code.clone()}</strong>
                    <span class=grade_class(grade)>{move || grade.label(lang())}</span>
                    {overdue.then(|| view! { <span class="badge bad">{tr(T::CaseOverdue)}</span> })}
                </span>
                <span class="facts">
                    <span class="category">{move || category.label(lang())}</span>
                    <span class="since">
                        {move || since.map(|n| i18n::days_since_contact(lang(), n, contacted))}
                    </span>
                    <span class="due">
                        {move || due.map(|d| i18n::contact_due(lang(), &d.to_string()))}
                    </span>
                </span>
            </button>
            <Show when=move || open.get() == Some(id)>
                <ContactForm case=case.clone() member=member saved=saved />
            </Show>
        </li>
    }
}

/// Under an open case: the kinds, then (once one is picked) the day, the next due day and
/// 保存. The day is today and the next due day the grade's interval after it, so that the
/// kind and 保存 are the only taps a usual visit needs.
#[component]
fn ContactForm(case: Case, member: Option<i64>, saved: Callback<Said>) -> impl IntoView {
    let outbox = use_context::<Outbox>();
    let settings = Settings::default();
    let grade = case.grade;
    let opened = day(&case.opened_on);
    let propose = move |on: &str| {
        day(on)
            .zip(opened)
            .map(|(d, o)| settings.due_on(grade, o, Some(d)).to_string())
            .unwrap_or_default()
    };
    let kind = RwSignal::new(None::<ContactKind>);
    let contacted_on = RwSignal::new(today().to_string());
    let next_due_on = RwSignal::new(propose(&today().to_string()));
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let saving = RwSignal::new(false);
    let refusal = RwSignal::new(None::<String>);
    let (case_id, code) = (case.id, case.code.clone());

    let save = move |_| {
        let entry = NewContact {
            case_id: Some(case_id),
            contacted_on: contacted_on.get_untracked(),
            kind: kind.get_untracked(),
            team_member_id: member,
            next_due_on: Some(next_due_on.get_untracked()).filter(|d| !d.trim().is_empty()),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        if let Err(found) = entry.validate(today()) {
            errors.set(found);
            return;
        }
        errors.set(FieldErrors::default());
        refusal.set(None);
        saving.set(true);
        let key = api::new_idempotency_key();
        let code = code.clone();
        // The context is not reachable from the task below.
        let lang_then = lang_untracked();
        spawn_local(async move {
            match api::create_contact(&entry, &key).await {
                Ok(_) => saved.run(Said::Sent),
                // No signal, or the server failing: the contact waits on the phone.
                Err(ApiFailure::Network(_))
                | Err(ApiFailure::Answer {
                    status: 500..=599, ..
                }) => match outbox {
                    // Sent by the outbox when the network returns (or 立即发送).
                    Some(outbox) if outbox.push_contact(key, entry, code) => {
                        saved.run(Said::Queued)
                    }
                    _ => refusal.set(Some(T::NotKeptOffline.get(lang_then).into())),
                },
                Err(refused) => {
                    // The rules' codes go beside their fields; anything else above 保存.
                    if let ApiFailure::Answer { body: Some(b), .. } = &refused {
                        let mut found = FieldErrors::default();
                        for f in &b.fields {
                            found.push(f.field.clone(), f.code);
                        }
                        errors.set(found);
                    }
                    refusal.set(Some(refused.to_string()));
                }
            }
            saving.try_set(false);
        });
    };

    let error_for = move |field: &'static str| {
        move || {
            errors.with(|e| e.get(field)).map(|code| {
                view! { <p class="error" id=format!("{field}-error")>{field_message(code)}</p> }
            })
        }
    };
    let invalid =
        move |field: &'static str| move || errors.with(|e| e.get(field).is_some()).to_string();

    view! {
        <div class="contact-form">
            {member.is_none().then(|| view! { <p class="error">{tr(T::NotOnTeamToday)}</p> })}
            <div class="chips kinds" role="group" aria-label=tr(T::ContactKindPick)>
                {KINDS.into_iter().map(|k| view! {
                    <button type="button" class="chip kind" data-kind=k.code()
                        aria-pressed=move || (kind.get() == Some(k)).to_string()
                        on:click=move |_| kind.set(Some(k))>
                        {move || k.label(lang())}
                    </button>
                }).collect_view()}
            </div>
            {error_for("kind")}
            <Show when=move || kind.get().is_some()>
                <div class="row two">
                    <div class="field">
                        <label for="contacted_on">{tr(T::ContactDay)}</label>
                        <input type="date" id="contacted_on" aria-invalid=invalid("contacted_on")
                            prop:value=move || contacted_on.get()
                            on:input=move |ev| {
                                let on = event_target_value(&ev);
                                next_due_on.set(propose(&on));
                                contacted_on.set(on);
                            } />
                        {error_for("contacted_on")}
                    </div>
                    <div class="field">
                        <label for="next_due_on">{tr(T::ContactNextDue)}</label>
                        <input type="date" id="next_due_on" aria-invalid=invalid("next_due_on")
                            prop:value=move || next_due_on.get()
                            on:input=move |ev| next_due_on.set(event_target_value(&ev)) />
                        {error_for("next_due_on")}
                    </div>
                </div>
                <div class="field">
                    <label for="contact-note">{tr(T::ContactNote)}</label>
                    <input type="text" id="contact-note" maxlength="100"
                        aria-invalid=invalid("note")
                        placeholder=tr(T::ContactNoteHint)
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev)) />
                    {error_for("note")}
                </div>
                {error_for("team_member_id")}
                {move || refusal.get().map(|r| view! { <p class="notice bad" role="alert">{r}</p> })}
                <button type="button" class="primary save-contact"
                    disabled=move || saving.get() on:click=save.clone()>
                    {tr(T::Save)}
                </button>
            </Show>
        </div>
    }
}

/// The language now, outside a view (not tracked).
fn lang_untracked() -> humiao_shared::Lang {
    use_context::<i18n::Language>().map_or(humiao_shared::Lang::Zh, |l| l.0.get_untracked())
}

/// A field code's message; the free-text rule's codes say what to leave out.
fn field_message(code: FieldCode) -> String {
    code.message(lang()).to_string()
}

/// The contacts waiting on the phone, with 立即发送, and those the server refused, with
/// why and 知道了.
#[component]
fn ContactsWaiting() -> impl IntoView {
    let Some(outbox) = use_context::<Outbox>() else {
        return ().into_any();
    };
    view! {
        <Show when=move || outbox.contacts.with(|c| !c.is_empty())>
            <div class="notice warn" role="status" id="contacts-waiting">
                <p class="head">
                    {move || i18n::contacts_waiting(lang(), outbox.contacts.with(Vec::len))}
                </p>
                <ul>
                    {move || outbox.contacts.get().into_iter().map(|w| {
                        let kind = w.entry.kind;
                        view! {
                            <li class="waiting-contact">
                                {w.code} " · " {move || kind.map(|k| k.label(lang()))}
                                " · " {w.entry.contacted_on}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <button type="button" class="secondary" on:click=move |_| outbox.flush()>
                    {tr(T::SendNow)}
                </button>
            </div>
        </Show>
        <Show when=move || outbox.refused_contacts.with(|r| !r.is_empty())>
            <div class="notice bad" role="alert" id="contacts-refused">
                <p class="head">{tr(T::ContactsRefusedHead)}</p>
                <ul>
                    {move || outbox.refused_contacts.get().into_iter().enumerate().map(|(i, r)| {
                        let kind = r.entry.kind;
                        view! {
                            <li class="refused">
                                <p class="what">
                                    {r.code} " · " {move || kind.map(|k| k.label(lang()))}
                                    " · " {r.entry.contacted_on}
                                </p>
                                <p class="why">{r.reason}</p>
                                {r.fields.into_iter().map(|f| view! {
                                    <p class="why">{f.message}</p>
                                }).collect_view()}
                                <button type="button" class="secondary"
                                    on:click=move |_| { outbox.take_refused_contact(i); }>
                                    {tr(T::ReadRefused)}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
    .into_any()
}
