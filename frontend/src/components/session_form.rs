//! 记录宣讲: the form an officer fills in on a phone right after a talk — and, given a
//! session, the same form to edit it. Used by the page that logs sessions and by the page
//! that edits one.
//!
//! Made for a minute's work on a phone: the station is the officer's own, the date is today,
//! the school is found by part of its name, a short name, pinyin initials or code
//! (`SchoolPicker`), topics are chips, and "repeat last session" copies the station's latest
//! entry. The shared rules run before sending, so the officer sees the same message beside
//! the same field as the server would give; a failed save takes the officer to the first
//! field in error. 保存 stays at the bottom of the screen, with how the save went just above.
//!
//! Nothing typed is lost: the form is kept as a draft per account while it is typed
//! (`session_draft.rs`), and put back after a sign-in that timed out, a reload or a sign-out.
//! When the network is down the entry goes to the outbox with its idempotency key and is
//! sent later (see `outbox.rs`); an entry the server then refuses reopens here, with the
//! server's reason and, for a duplicate, the box that confirms another session.

use chrono::NaiveDate;
use humiao_shared::error::{FieldCode, FieldError, FieldErrors};
use humiao_shared::org::{Campaign, District, School, Station};
use humiao_shared::school_search;
use humiao_shared::session::{parse_count, Audience, Context, NewSession, Session, SessionFormat};
use humiao_shared::Lang;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast as _;

use super::outbox_status::OutboxStatus;
use super::school_picker::{searchable, SchoolPicker};
use super::session_draft::{self as draft, Draft};
use crate::api::{self, ApiFailure, ApiResult};
use crate::components::{today, RecentSessions, SaveOutcome};
use crate::i18n::{self, lang, tr, T};
use crate::outbox::Outbox;

/// The audience groups, as (field, label).
const GROUPS: [(&str, T); 4] = [
    ("audience.students", T::Students),
    ("audience.parents", T::Parents),
    ("audience.teachers", T::Teachers),
    ("audience.others", T::Others),
];

/// The element id of a field, for labels and error messages.
fn dom_id(field: &str) -> String {
    field.replace('.', "-")
}

/// Everything the form holds, as signals.
#[derive(Clone, Copy)]
struct Form {
    campaign_id: RwSignal<Option<i64>>,
    station_id: RwSignal<Option<i64>>,
    school_query: RwSignal<String>,
    /// The school picked from the search's results (or stored with the entry).
    school_id: RwSignal<Option<i64>>,
    other_venue: RwSignal<bool>,
    venue: RwSignal<String>,
    held_on: RwSignal<String>,
    format: RwSignal<Option<SessionFormat>>,
    topic_ids: RwSignal<Vec<i64>>,
    counts: [RwSignal<String>; 4],
    confirm_large: RwSignal<bool>,
    confirm_distinct: RwSignal<bool>,
    notes: RwSignal<String>,
}

impl Form {
    fn new(station_id: Option<i64>) -> Form {
        Form {
            campaign_id: RwSignal::new(None),
            station_id: RwSignal::new(station_id),
            school_query: RwSignal::new(String::new()),
            school_id: RwSignal::new(None),
            other_venue: RwSignal::new(false),
            venue: RwSignal::new(String::new()),
            held_on: RwSignal::new(today().format("%Y-%m-%d").to_string()),
            format: RwSignal::new(Some(SessionFormat::ClassTalk)),
            topic_ids: RwSignal::new(Vec::new()),
            counts: std::array::from_fn(|_| RwSignal::new(String::new())),
            confirm_large: RwSignal::new(false),
            confirm_distinct: RwSignal::new(false),
            notes: RwSignal::new(String::new()),
        }
    }

    /// Fills the form from a stored session (to edit it, or to repeat it with `day`).
    fn fill(&self, s: &Session, day: Option<NaiveDate>) {
        self.campaign_id.set(Some(s.campaign_id));
        self.station_id.set(Some(s.station_id));
        self.other_venue.set(s.school_id.is_none());
        self.school_id.set(s.school_id);
        if s.school_id.is_some() {
            self.school_query.set(s.venue.clone());
            self.venue.set(String::new());
        } else {
            self.school_query.set(String::new());
            self.venue.set(s.venue.clone());
        }
        self.held_on
            .set(day.unwrap_or(s.held_on).format("%Y-%m-%d").to_string());
        self.format.set(Some(s.format));
        self.topic_ids.set(s.topic_ids.clone());
        self.set_audience(&s.audience);
        self.confirm_large
            .set(s.audience.total() > humiao_shared::session::LARGE_AUDIENCE);
        self.notes.set(s.notes.clone().unwrap_or_default());
    }

    /// The four counts, as the officer would have typed them.
    fn set_audience(&self, a: &Audience) {
        for (signal, n) in self
            .counts
            .iter()
            .zip([a.students, a.parents, a.teachers, a.others])
        {
            signal.set(n.to_string());
        }
    }

    /// Fills the form from an entry the outbox kept (`place`: its school's or venue's name).
    fn fill_entry(&self, e: &NewSession, place: &str) {
        self.campaign_id.set(e.campaign_id);
        self.station_id.set(e.station_id);
        self.other_venue.set(e.school_id.is_none());
        self.school_id.set(e.school_id);
        self.school_query.set(if e.school_id.is_some() {
            place.to_string()
        } else {
            String::new()
        });
        self.venue.set(e.venue.clone().unwrap_or_default());
        self.held_on.set(e.held_on.clone());
        self.format.set(e.format);
        self.topic_ids.set(e.topic_ids.clone());
        self.set_audience(&e.audience);
        self.confirm_large.set(e.confirm_large_audience);
        self.confirm_distinct.set(e.confirm_distinct);
        self.notes.set(e.notes.clone().unwrap_or_default());
    }

    /// The form as a draft to keep (read tracked: the effect that keeps it reruns on every
    /// change).
    fn draft(&self, duplicate: bool) -> Draft {
        Draft {
            campaign_id: self.campaign_id.get(),
            station_id: self.station_id.get(),
            school_id: self.school_id.get(),
            school_query: self.school_query.get(),
            other_venue: self.other_venue.get(),
            venue: self.venue.get(),
            held_on: self.held_on.get(),
            format: self.format.get(),
            topic_ids: self.topic_ids.get(),
            counts: self.counts.map(|c| c.get()),
            confirm_large: self.confirm_large.get(),
            confirm_distinct: self.confirm_distinct.get(),
            duplicate,
            notes: self.notes.get(),
        }
    }

    /// Puts a kept draft back.
    fn restore(&self, d: &Draft) {
        if d.campaign_id.is_some() {
            self.campaign_id.set(d.campaign_id);
        }
        if d.station_id.is_some() {
            self.station_id.set(d.station_id);
        }
        self.school_id.set(d.school_id);
        self.school_query.set(d.school_query.clone());
        self.other_venue.set(d.other_venue);
        self.venue.set(d.venue.clone());
        if !d.held_on.is_empty() {
            self.held_on.set(d.held_on.clone());
        }
        if d.format.is_some() {
            self.format.set(d.format);
        }
        self.topic_ids.set(d.topic_ids.clone());
        for (signal, text) in self.counts.iter().zip(d.counts.iter()) {
            signal.set(text.clone());
        }
        self.confirm_large.set(d.confirm_large);
        self.confirm_distinct.set(d.confirm_distinct);
        self.notes.set(d.notes.clone());
    }

    /// Empties what the officer typed (a draft thrown away); keeps campaign, station, date.
    fn reset(&self) {
        self.school_query.set(String::new());
        self.school_id.set(None);
        self.other_venue.set(false);
        self.venue.set(String::new());
        self.topic_ids.set(Vec::new());
        self.clear_after_save();
    }

    /// The name the entry is known by in the outbox: the school's or the venue's.
    fn place(&self) -> String {
        if self.other_venue.get_untracked() {
            self.venue.get_untracked()
        } else {
            self.school_query.get_untracked().trim().to_string()
        }
    }

    /// Clears what differs from one session to the next; keeps campaign, station and date.
    fn clear_after_save(&self) {
        for count in self.counts {
            count.set(String::new());
        }
        self.notes.set(String::new());
        self.confirm_large.set(false);
        self.confirm_distinct.set(false);
    }

    /// The entry as the form holds it, with the problems found reading the counts and the
    /// school's name.
    fn collect(&self, schools: &[School]) -> (NewSession, FieldErrors) {
        let mut problems = FieldErrors::default();
        let mut values = [0i64; 4];
        for (i, (field, _)) in GROUPS.iter().enumerate() {
            match parse_count(&self.counts[i].get_untracked()) {
                Ok(n) => values[i] = n,
                Err(code) => problems.push(*field, code),
            }
        }
        let other = self.other_venue.get_untracked();
        let school_id = if other {
            None
        } else {
            let query = self.school_query.get_untracked();
            let query = query.trim();
            // Picked from the results, or typed out in full (name or code).
            let found = self
                .school_id
                .get_untracked()
                .or_else(|| school_search::exact(query, schools, searchable).map(|s| s.id));
            if found.is_none() && !query.is_empty() {
                problems.push("school_id", FieldCode::UnknownValue);
            }
            found
        };
        let notes = self.notes.get_untracked();
        let entry = NewSession {
            campaign_id: self.campaign_id.get_untracked(),
            station_id: self.station_id.get_untracked(),
            school_id,
            venue: other.then(|| self.venue.get_untracked()),
            held_on: self.held_on.get_untracked(),
            format: self.format.get_untracked(),
            topic_ids: self.topic_ids.get_untracked(),
            audience: Audience {
                students: values[0],
                parents: values[1],
                teachers: values[2],
                others: values[3],
            },
            confirm_large_audience: self.confirm_large.get_untracked(),
            confirm_distinct: self.confirm_distinct.get_untracked(),
            notes: (!notes.trim().is_empty()).then_some(notes),
            duration_minutes: None,
            speakers: None,
        };
        (entry, problems)
    }
}

/// What saving the form came to, when the server did not refuse it.
#[derive(Clone)]
enum Saved {
    /// Stored (a new session) or changed (an edit).
    Stored(Session),
    /// No answer: kept in the outbox, to be sent when the network returns.
    Queued,
}

/// Sends the entry: an edit at the version it was read, or a new session with a fresh
/// idempotency key, kept in the outbox (with that key) when no answer comes.
async fn send(
    entry: NewSession,
    place: String,
    edit_of: Option<(i64, i64)>,
    outbox: Option<Outbox>,
) -> ApiResult<Saved> {
    if let Some((id, version)) = edit_of {
        return api::update_session(id, version, &entry)
            .await
            .map(Saved::Stored);
    }
    let key = api::new_idempotency_key();
    match api::create_session(&entry, &key).await {
        Ok(session) => Ok(Saved::Stored(session)),
        Err(ApiFailure::Network(detail)) => match outbox {
            Some(outbox) if outbox.push(key, entry, place) => Ok(Saved::Queued),
            // The browser cannot keep it either: the form keeps it on screen.
            _ => Err(ApiFailure::Network(detail)),
        },
        Err(other) => Err(other),
    }
}

/// The form; with `editing`, it edits that session and goes back to the list when saved.
#[component]
pub fn SessionForm(editing: Option<Session>) -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    let districts = LocalResource::new(api::districts);
    let stations = LocalResource::new(api::stations);
    let topics = LocalResource::new(api::topics);
    let outbox = use_context::<Outbox>();
    let navigate = use_navigate();

    // An officer logs for the station: it is chosen already.
    let me = use_context::<humiao_shared::account::Me>();
    let username = StoredValue::new(me.as_ref().map(|m| m.username.clone()).unwrap_or_default());
    let form = Form::new(me.and_then(|m| m.station_id));
    let edit_of = editing.as_ref().map(|s| (s.id, s.version));
    let editing_now = edit_of.is_some();
    if let Some(s) = &editing {
        form.fill(s, None);
    }

    // Shown once the server said an identical session exists (409 duplicate_session).
    let duplicate = RwSignal::new(false);
    let errors = RwSignal::new(FieldErrors::default());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    // Whether `outcome` says the entry went to the outbox: that goes once the outbox moves.
    let queued_shown = RwSignal::new(false);
    // 复制上一场's answer, shown under its button rather than at the end of the form.
    let repeat_note = RwSignal::new(None::<Result<String, String>>);
    // Typed since the last save (or restore): only then is the draft worth keeping.
    let touched = RwSignal::new(false);
    // The language now, read in an action's task rather than a view.
    let language = use_context::<i18n::Language>();
    let lang_now = move || language.map_or(Lang::Zh, |l| l.0.get_untracked());

    // A new entry's draft: put back what this account typed and did not save, then keep
    // every change.
    let restored = RwSignal::new(false);
    let keeps_draft = !editing_now && username.with_value(|u| !u.is_empty());
    if keeps_draft {
        if let Some(d) = username.with_value(|u| draft::load(u)) {
            form.restore(&d);
            duplicate.set(d.duplicate);
            restored.set(true);
            touched.set(true);
        }
        Effect::new(move || {
            let now = form.draft(duplicate.get());
            if touched.get() {
                username.with_value(|u| draft::keep(u, &now));
            }
        });
    }
    let forget_draft = move || {
        touched.set(false);
        restored.set(false);
        if keeps_draft {
            username.with_value(|u| draft::forget(u));
        }
    };

    // The "网络不通…已保存在本机" message is stale once an entry left the outbox; an entry
    // refused meanwhile is said by 保存, where the officer is, and its notice (at the top,
    // with its buttons) is brought into sight.
    if let Some(outbox) = outbox {
        Effect::new(move |before: Option<(usize, usize)>| {
            let now = (outbox.waiting.get(), outbox.refused.with(Vec::len));
            if let Some((waiting, refused)) = before {
                if now.1 > refused {
                    outcome.set(Some(Err(T::RefusedSeeAbove.get(lang_now()).to_string())));
                    queued_shown.set(false);
                    request_animation_frame(|| {
                        if let Some(notice) = document().get_element_by_id("outbox-refused") {
                            notice.scroll_into_view_with_bool(true);
                        }
                    });
                } else if now.0 < waiting && queued_shown.get_untracked() {
                    outcome.set(None);
                    queued_shown.set(false);
                }
            }
            now
        });
    }

    let schools = LocalResource::new(move || {
        let station = form.station_id.get();
        async move {
            match station {
                Some(id) => api::schools_of(id).await,
                None => Ok(Vec::new()),
            }
        }
    });
    let school_list =
        Signal::derive(move || schools.get().and_then(Result::ok).unwrap_or_default());

    // Once the campaigns arrive, pick the one running today.
    Effect::new(move || {
        if let Some(Ok(list)) = campaigns.get() {
            if form.campaign_id.get_untracked().is_none() {
                form.campaign_id
                    .set(Campaign::current(&list, today()).map(|c| c.id));
            }
        }
    });

    // Editing a field takes its message (and a stale "saved") away; the next submit checks
    // it again.
    let edited = move |field: &'static str| {
        errors.update(|e| e.remove(field));
        touched.set(true);
        if outcome.with_untracked(|o| matches!(o, Some(Ok(_)))) {
            outcome.set(None);
            queued_shown.set(false);
        }
    };

    // "Repeat last session": the station's latest entry, copied into the form for today.
    let repeat = Action::new_local(move |station: &Option<i64>| {
        let query = match station {
            Some(id) => format!("limit=1&station_id={id}"),
            None => "limit=1".to_string(),
        };
        async move {
            match api::sessions_page(&query).await {
                Ok((list, _)) => match list.first() {
                    Some(last) => {
                        form.fill(last, Some(today()));
                        errors.set(FieldErrors::default());
                        touched.set(true);
                        repeat_note.set(Some(Ok(T::Repeated.get(lang_now()).to_string())));
                    }
                    None => repeat_note.set(Some(Err(T::NothingToRepeat.get(lang_now()).into()))),
                },
                Err(e) => repeat_note.set(Some(Err(e.to_string()))),
            }
        }
    });
    let repeat_last = move |_| {
        repeat_note.set(None);
        repeat.dispatch(form.station_id.get_untracked());
    };

    // Saving: the entry is sent (or kept in the outbox), then the form says how it went.
    let save = Action::new_local(move |(entry, place): &(NewSession, String)| {
        let (entry, place) = (entry.clone(), place.clone());
        let navigate = navigate.clone();
        async move {
            let result = send(entry, place, edit_of, outbox).await;
            let lang = lang_now();
            match &result {
                // An edit goes back to the list it came from.
                Ok(Saved::Stored(_)) if edit_of.is_some() => {
                    navigate("/sessions", Default::default())
                }
                Ok(Saved::Stored(session)) => {
                    outcome.set(Some(Ok(i18n::saved_session(
                        lang,
                        &session.held_on.to_string(),
                        &session.venue,
                        session.audience.total(),
                    ))));
                    form.clear_after_save();
                    duplicate.set(false);
                    forget_draft();
                }
                Ok(Saved::Queued) => {
                    outcome.set(Some(Ok(T::Queued.get(lang).to_string())));
                    queued_shown.set(true);
                    form.clear_after_save();
                    duplicate.set(false);
                    forget_draft();
                }
                Err(ApiFailure::Answer {
                    body: Some(body), ..
                }) => {
                    show_refusal(errors, duplicate, &body.code, &body.fields);
                    outcome.set(Some(Err(body.message.clone())));
                    go_to_first_problem();
                }
                Err(other) => outcome.set(Some(Err(other.to_string()))),
            }
            result
        }
    });
    let saving = save.pending();
    // The latest sessions below refetch once per session stored; an entry kept offline or
    // refused leaves them as they were (a refetch could only fail, or show the same rows).
    let last_stored = Memo::new(move |before: Option<&Option<i64>>| {
        save.value().with(|v| match v {
            Some(Ok(Saved::Stored(s))) => Some(s.id),
            _ => before.copied().flatten(),
        })
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let known_schools = schools
            .get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default();
        let (entry, mut problems) = form.collect(&known_schools);
        let window = campaigns
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|list| {
                list.into_iter()
                    .find(|c| Some(c.id) == entry.campaign_id)
                    .map(|c| (c.starts_on, c.ends_on))
            });
        let ctx = Context {
            today: today(),
            campaign_window: window,
        };
        if let Err(rule_problems) = entry.validate(&ctx) {
            // A field's first problem stays: "not on the list" says more than "required".
            problems.extend(rule_problems);
        }
        errors.set(problems.clone());
        if problems.is_empty() {
            outcome.set(None);
            save.dispatch((entry, form.place()));
        } else {
            outcome.set(Some(Err(T::FixMarked.get(lang_now()).to_string())));
            go_to_first_problem();
        }
    };

    // A refused entry from the outbox, back in the form with the server's reason; what the
    // officer typed meanwhile is replaced only when the officer says so.
    let reopen = Callback::new(move |index: usize| {
        let typed = touched.get_untracked() && !untrack(|| form.draft(false)).is_blank();
        if typed
            && !window()
                .confirm_with_message(T::ConfirmReplaceForm.get(lang_now()))
                .unwrap_or(false)
        {
            return;
        }
        let Some(r) = outbox.and_then(|o| o.take_refused(index)) else {
            return;
        };
        form.fill_entry(&r.entry, &r.place);
        show_refusal(errors, duplicate, &r.code, &r.fields);
        outcome.set(Some(Err(r.reason.clone())));
        queued_shown.set(false);
        touched.set(true);
        go_to_first_problem();
    });
    let discard_draft = move |_| {
        let sure = window()
            .confirm_with_message(T::ConfirmDiscardDraft.get(lang_now()))
            .unwrap_or(false);
        if sure {
            form.reset();
            duplicate.set(false);
            errors.set(FieldErrors::default());
            forget_draft();
        }
    };

    let error_for = move |field: &'static str| {
        move || {
            errors.with(|e| e.get(field)).map(|code| {
                view! { <p class="error" id=format!("{}-error", dom_id(field))>{code.message(lang())}</p> }
            })
        }
    };
    let invalid =
        move |field: &'static str| move || errors.with(|e| e.get(field).is_some()).to_string();
    // The messages that describe a control: its own, and its group's.
    let described = move |fields: &'static [&'static str]| {
        move || {
            let ids: Vec<String> = errors.with(|e| {
                fields
                    .iter()
                    .filter(|f| e.get(f).is_some())
                    .map(|f| format!("{}-error", dom_id(f)))
                    .collect()
            });
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };

    let station_options = move || match (districts.get(), stations.get()) {
        (Some(Ok(districts)), Some(Ok(stations))) => {
            station_groups(districts, stations, form.station_id).into_any()
        }
        (Some(Err(e)), _) | (_, Some(Err(e))) => {
            view! { <option value="" disabled=true>{e.to_string()}</option> }.into_any()
        }
        _ => view! { <option value="" disabled=true>{tr(T::Loading)}</option> }.into_any(),
    };

    view! {
        <h1>{move || if editing_now { tr(T::EditTitle)() } else { tr(T::LogTitle)() }}</h1>
        {(!editing_now).then(|| view! { <OutboxStatus reopen=reopen /> })}
        <Show when=move || restored.get()>
            <div class="notice note" role="status" id="draft-restored">
                <span>{tr(T::DraftRestored)}</span>
                <button type="button" class="secondary" id="draft-discard" on:click=discard_draft>
                    {tr(T::DiscardDraft)}
                </button>
            </div>
        </Show>
        <form class="session card" on:submit=on_submit novalidate=true>
            {(!editing_now).then(|| view! {
                <div class="repeat">
                    <button type="button" id="repeat-last" class="secondary" on:click=repeat_last
                        aria-describedby="repeat-note">
                        {tr(T::RepeatLast)}
                    </button>
                    <p id="repeat-note" class="beside-note" aria-live="polite">
                        {move || repeat_note.get().map(|n| match n {
                            Ok(text) => view! { <span class="good">{text}</span> }.into_any(),
                            Err(text) => view! { <span class="bad">{text}</span> }.into_any(),
                        })}
                    </p>
                </div>
            })}
            <div class="row two">
                <div class="field">
                    <label for="campaign_id">{tr(T::Campaign)}</label>
                    <select id="campaign_id" aria-invalid=invalid("campaign_id")
                        aria-describedby=described(&["campaign_id"])
                        on:change=move |ev| { edited("campaign_id"); form.campaign_id.set(event_target_value(&ev).parse().ok()) }>
                        <option value="" selected=move || form.campaign_id.get().is_none()>{tr(T::ChooseCampaign)}</option>
                        {move || campaigns.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                            let id = c.id;
                            view! { <option value=id.to_string() selected=move || form.campaign_id.get() == Some(id)>{c.name}</option> }
                        }).collect_view()}
                    </select>
                    {error_for("campaign_id")}
                </div>
                <div class="field">
                    <label for="held_on">{tr(T::Date)}</label>
                    <input id="held_on" type="date" aria-invalid=invalid("held_on")
                        aria-describedby=described(&["held_on"])
                        prop:value=move || form.held_on.get()
                        on:input=move |ev| { edited("held_on"); form.held_on.set(event_target_value(&ev)) } />
                    {error_for("held_on")}
                </div>
            </div>
            <div class="row two">
                <div class="field">
                    <label for="station_id">{tr(T::Station)}</label>
                    <select id="station_id" aria-invalid=invalid("station_id")
                        aria-describedby=described(&["station_id"])
                        on:change=move |ev| {
                            edited("station_id");
                            form.station_id.set(event_target_value(&ev).parse().ok());
                            form.school_query.set(String::new());
                            form.school_id.set(None);
                        }>
                        <option value="" selected=move || form.station_id.get().is_none()>{tr(T::ChooseStation)}</option>
                        {station_options}
                    </select>
                    {error_for("station_id")}
                </div>
                <div class="field">
                    <label for="format">{tr(T::Format)}</label>
                    <select id="format" aria-invalid=invalid("format")
                        aria-describedby=described(&["format"])
                        on:change=move |ev| { edited("format"); form.format.set(SessionFormat::from_code(&event_target_value(&ev))) }>
                        {move || SessionFormat::ALL.into_iter().map(|f| view! {
                            <option value=f.code() selected=move || form.format.get() == Some(f)>{f.label(lang())}</option>
                        }).collect_view()}
                    </select>
                    {error_for("format")}
                </div>
            </div>
            <div class="field">
                <label class="inline check">
                    <input type="checkbox" id="other_venue" prop:checked=move || form.other_venue.get()
                        on:change=move |ev| { edited("venue"); form.other_venue.set(event_target_checked(&ev)) } />
                    {tr(T::NotAtSchool)}
                </label>
                <Show when=move || !form.other_venue.get() fallback=move || view! {
                    <label for="venue">{tr(T::VenueName)}</label>
                    <input id="venue" type="text" maxlength="100" aria-invalid=invalid("venue")
                        aria-describedby=described(&["venue"])
                        placeholder=tr(T::VenueExample)
                        prop:value=move || form.venue.get()
                        on:input=move |ev| { edited("venue"); form.venue.set(event_target_value(&ev)) } />
                    {error_for("venue")}
                }>
                    <SchoolPicker schools=school_list query=form.school_query chosen=form.school_id
                        invalid=Signal::derive(move || errors.with(|e| e.get("school_id").is_some()))
                        placeholder=Signal::derive(move || if form.station_id.get().is_some() { tr(T::SchoolSearchPlaceholder)() } else { tr(T::ChooseStationFirst)() })
                        on_change=Callback::new(move |_| { edited("school_id"); edited("venue"); }) />
                    {error_for("school_id")}
                </Show>
            </div>
            <fieldset class="field bare">
                <legend class="label">{tr(T::Topics)}</legend>
                <div class="chips" id="topic_ids" tabindex="-1" aria-describedby=described(&["topic_ids"])>
                    {move || topics.get().map(|r| match r {
                        Ok(list) => list.into_iter().map(|t| {
                            let id = t.id;
                            let on = move || form.topic_ids.with(|ids| ids.contains(&id));
                            let name = move || match lang() {
                                humiao_shared::Lang::Zh => t.name_zh.clone(),
                                humiao_shared::Lang::En => t.name_en.clone(),
                            };
                            view! {
                                <button type="button" class="chip" aria-pressed=move || on().to_string()
                                    data-topic=id.to_string()
                                    on:click=move |_| { edited("topic_ids"); form.topic_ids.update(|ids| {
                                        if let Some(pos) = ids.iter().position(|x| *x == id) { ids.remove(pos); } else { ids.push(id); }
                                    }) }>
                                    {name}
                                </button>
                            }
                        }).collect_view().into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    })}
                </div>
                {error_for("topic_ids")}
            </fieldset>
            <fieldset class="field bare">
                <legend class="label">{tr(T::Audience)}</legend>
                <div class="row four">
                    {GROUPS.iter().enumerate().map(|(i, (field, label))| {
                        let field: &'static str = field;
                        let count = form.counts[i];
                        let own: &'static [&'static str] = match i {
                            0 => &["audience.students", "audience"],
                            1 => &["audience.parents", "audience"],
                            2 => &["audience.teachers", "audience"],
                            _ => &["audience.others", "audience"],
                        };
                        view! {
                            <div class="field">
                                <label for=dom_id(field)>{tr(*label)}</label>
                                <input id=dom_id(field) type="text" inputmode="numeric" autocomplete="off"
                                    aria-invalid=invalid(field) aria-describedby=described(own)
                                    prop:value=move || count.get()
                                    on:input=move |ev| { edited(field); edited("audience"); count.set(event_target_value(&ev)) } />
                                {error_for(field)}
                            </div>
                        }
                    }).collect_view()}
                </div>
                {error_for("audience")}
                <label class="inline check">
                    <input type="checkbox" id="confirm_large_audience" prop:checked=move || form.confirm_large.get()
                        aria-describedby=described(&["confirm_large_audience"])
                        on:change=move |ev| { edited("confirm_large_audience"); form.confirm_large.set(event_target_checked(&ev)) } />
                    {tr(T::ConfirmLarge)}
                </label>
                {error_for("confirm_large_audience")}
            </fieldset>
            <div class="field">
                <label for="notes">{tr(T::Notes)}</label>
                <textarea id="notes" rows="2" maxlength="2000" aria-invalid=invalid("notes")
                    aria-describedby=described(&["notes"])
                    prop:value=move || form.notes.get()
                    on:input=move |ev| { edited("notes"); form.notes.set(event_target_value(&ev)) }></textarea>
                {error_for("notes")}
            </div>
            <Show when=move || duplicate.get()>
                <label class="inline check confirm-distinct">
                    <input type="checkbox" id="confirm_distinct" prop:checked=move || form.confirm_distinct.get()
                        aria-describedby=described(&["confirm_distinct"])
                        on:change=move |ev| { edited("confirm_distinct"); form.confirm_distinct.set(event_target_checked(&ev)) } />
                    {tr(T::ConfirmDistinct)}
                </label>
                {error_for("confirm_distinct")}
            </Show>
            // Stays at the bottom of the screen while the form is on it: 保存 is always in
            // reach, with how the save went right above it.
            <div class="save-bar">
                <SaveOutcome outcome=outcome />
                <div class="inline">
                    <button type="submit" class="primary" id="save" disabled=move || saving.get()>
                        {move || match (saving.get(), editing_now) {
                            (true, _) => tr(T::Saving)(),
                            (false, true) => tr(T::SaveChanges)(),
                            (false, false) => tr(T::Save)(),
                        }}
                    </button>
                    {editing_now.then(|| view! { <a class="button" href="/sessions">{tr(T::Cancel)}</a> })}
                </div>
            </div>
        </form>
        {(!editing_now).then(|| view! { <RecentSessions refetch=last_stored /> })}
    }
}

/// Shows what the server refused: its messages beside their fields and, for a duplicate,
/// the box that confirms another session.
fn show_refusal(
    errors: RwSignal<FieldErrors>,
    duplicate: RwSignal<bool>,
    code: &str,
    fields: &[FieldError],
) {
    let mut from_server = FieldErrors::default();
    for f in fields {
        from_server.push(f.field.clone(), f.code);
    }
    if code == "duplicate_session" {
        duplicate.set(true);
    }
    errors.set(from_server);
}

/// Takes the officer to the first field in error: focused, and scrolled to the top of the
/// screen with its label (the save bar covers the bottom). A duplicate with no field in
/// error goes to the box that confirms another session. Once the messages are drawn.
fn go_to_first_problem() {
    request_animation_frame(|| {
        let document = document();
        let control = document
            .query_selector("form.session p.error[id]")
            .ok()
            .flatten()
            .and_then(|error| {
                document
                    .query_selector(&format!(
                        "form.session [aria-describedby~='{}']",
                        error.id()
                    ))
                    .ok()
                    .flatten()
            })
            .or_else(|| document.get_element_by_id("confirm_distinct"));
        let Some(control) = control else { return };
        if let Some(control) = control.dyn_ref::<web_sys::HtmlElement>() {
            let _ = control.focus();
        }
        let place = control.closest(".field, .check").ok().flatten();
        place.unwrap_or(control).scroll_into_view_with_bool(true);
    });
}

/// The stations grouped under their districts.
fn station_groups(
    districts: Vec<District>,
    stations: Vec<Station>,
    chosen: RwSignal<Option<i64>>,
) -> impl IntoView {
    districts
        .into_iter()
        .map(|d| {
            let members: Vec<Station> = stations
                .iter()
                .filter(|s| s.district_id == d.id)
                .cloned()
                .collect();
            view! {
                <optgroup label=d.name>
                    {members.into_iter().map(|s| {
                        let id = s.id;
                        view! {
                            <option value=id.to_string() selected=move || chosen.get() == Some(id)>
                                {s.name}
                            </option>
                        }
                    }).collect_view()}
                </optgroup>
            }
        })
        .collect_view()
}
