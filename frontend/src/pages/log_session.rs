//! 记录宣讲: the form an officer fills in right after a talk, and the latest entries under it.
//!
//! The shared rules run before sending, so the officer sees the same message beside the
//! same field as the server would give; the server's own field errors land in the same place.

use chrono::NaiveDate;
use humiao_shared::error::FieldErrors;
use humiao_shared::org::{Campaign, District, Station};
use humiao_shared::session::{parse_count, Audience, Context, NewSession, SessionFormat};
use humiao_shared::Lang;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiFailure};
use crate::pages::recent::RecentSessions;

const LANG: Lang = Lang::Zh;

/// The audience groups, as (field, label).
const GROUPS: [(&str, &str); 4] = [
    ("audience.students", "学生"),
    ("audience.parents", "家长"),
    ("audience.teachers", "教师"),
    ("audience.others", "其他"),
];

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The element id of a field, for labels and error messages.
fn dom_id(field: &str) -> String {
    field.replace('.', "-")
}

#[component]
pub fn LogSession() -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    let districts = LocalResource::new(api::districts);
    let stations = LocalResource::new(api::stations);
    let topics = LocalResource::new(api::topics);

    let campaign_id = RwSignal::new(None::<i64>);
    // An officer logs for the station: it is chosen already.
    let me = use_context::<humiao_shared::account::Me>();
    let station_id = RwSignal::new(me.and_then(|m| m.station_id));
    let school_id = RwSignal::new(None::<i64>);
    let other_venue = RwSignal::new(false);
    let venue = RwSignal::new(String::new());
    let held_on = RwSignal::new(today().format("%Y-%m-%d").to_string());
    let format = RwSignal::new(Some(SessionFormat::ClassTalk));
    let topic_ids = RwSignal::new(Vec::<i64>::new());
    let counts: [RwSignal<String>; 4] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let confirm_large = RwSignal::new(false);
    // Shown once the server said an identical session exists (409 duplicate_session).
    let duplicate = RwSignal::new(false);
    let confirm_distinct = RwSignal::new(false);
    let notes = RwSignal::new(String::new());

    let errors = RwSignal::new(FieldErrors::default());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let saving = RwSignal::new(false);
    let saved = RwSignal::new(0u32);

    let schools = LocalResource::new(move || {
        let station = station_id.get();
        async move {
            match station {
                Some(id) => api::schools_of(id).await,
                None => Ok(Vec::new()),
            }
        }
    });

    // Once the campaigns arrive, pick the one running today.
    Effect::new(move || {
        if let Some(Ok(list)) = campaigns.get() {
            if campaign_id.get_untracked().is_none() {
                campaign_id.set(Campaign::current(&list, today()).map(|c| c.id));
            }
        }
    });

    let collect = move || -> (NewSession, FieldErrors) {
        let mut problems = FieldErrors::default();
        let mut values = [0i64; 4];
        for (i, (field, _)) in GROUPS.iter().enumerate() {
            match parse_count(&counts[i].get_untracked()) {
                Ok(n) => values[i] = n,
                Err(code) => problems.push(*field, code),
            }
        }
        let other = other_venue.get_untracked();
        let entry = NewSession {
            campaign_id: campaign_id.get_untracked(),
            station_id: station_id.get_untracked(),
            school_id: if other {
                None
            } else {
                school_id.get_untracked()
            },
            venue: if other {
                Some(venue.get_untracked())
            } else {
                None
            },
            held_on: held_on.get_untracked(),
            format: format.get_untracked(),
            topic_ids: topic_ids.get_untracked(),
            audience: Audience {
                students: values[0],
                parents: values[1],
                teachers: values[2],
                others: values[3],
            },
            confirm_large_audience: confirm_large.get_untracked(),
            confirm_distinct: confirm_distinct.get_untracked(),
            notes: Some(notes.get_untracked()),
            // The form does not ask for these yet (the web-app issue adds them).
            duration_minutes: None,
            speakers: None,
        };
        (entry, problems)
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let (entry, mut problems) = collect();
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
            problems.extend(rule_problems);
        }
        outcome.set(None);
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        saving.set(true);
        spawn_local(async move {
            match api::create_session(&entry).await {
                Ok(session) => {
                    outcome.set(Some(Ok(format!(
                        "已保存：{} {}，{} 人次。",
                        session.held_on,
                        session.venue,
                        session.audience.total()
                    ))));
                    for count in counts {
                        count.set(String::new());
                    }
                    notes.set(String::new());
                    confirm_large.set(false);
                    duplicate.set(false);
                    confirm_distinct.set(false);
                    saved.update(|n| *n += 1);
                }
                Err(ApiFailure::Answer {
                    body: Some(body), ..
                }) => {
                    let mut from_server = FieldErrors::default();
                    for f in &body.fields {
                        from_server.push(f.field.clone(), f.code);
                    }
                    errors.set(from_server);
                    outcome.set(Some(Err(body.message)));
                }
                Err(other) => outcome.set(Some(Err(other.to_string()))),
            }
            saving.set(false);
        });
    };

    let error_for = move |field: &'static str| {
        move || {
            errors.with(|e| e.get(field)).map(|code| {
                view! { <p class="error" id=format!("{}-error", dom_id(field))>{code.message(LANG)}</p> }
            })
        }
    };
    let invalid =
        move |field: &'static str| move || errors.with(|e| e.get(field).is_some()).to_string();
    // Editing a field takes its message away; the next submit checks it again.
    let edited = move |field: &'static str| errors.update(|e| e.remove(field));

    let station_options = move || match (districts.get(), stations.get()) {
        (Some(Ok(districts)), Some(Ok(stations))) => {
            station_groups(districts, stations, station_id).into_any()
        }
        (Some(Err(e)), _) | (_, Some(Err(e))) => {
            view! { <option value="" disabled=true>{e.to_string()}</option> }.into_any()
        }
        _ => view! { <option value="" disabled=true>"加载中…"</option> }.into_any(),
    };

    view! {
        <h1>"记录一场宣讲"</h1>
        <form class="session card" on:submit=on_submit novalidate=true>
            <div class="row two">
                <div class="field">
                    <label for="campaign_id">"所属行动"</label>
                    <select id="campaign_id" aria-invalid=invalid("campaign_id")
                        on:change=move |ev| { edited("campaign_id"); campaign_id.set(event_target_value(&ev).parse().ok()) }>
                        <option value="" selected=move || campaign_id.get().is_none()>"请选择行动"</option>
                        {move || campaigns.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                            let id = c.id;
                            view! { <option value=id.to_string() selected=move || campaign_id.get() == Some(id)>{c.name}</option> }
                        }).collect_view()}
                    </select>
                    {error_for("campaign_id")}
                </div>
                <div class="field">
                    <label for="held_on">"日期"</label>
                    <input id="held_on" type="date" aria-invalid=invalid("held_on")
                        prop:value=move || held_on.get()
                        on:input=move |ev| { edited("held_on"); held_on.set(event_target_value(&ev)) } />
                    {error_for("held_on")}
                </div>
            </div>
            <div class="row two">
                <div class="field">
                    <label for="station_id">"派出所"</label>
                    <select id="station_id" aria-invalid=invalid("station_id")
                        on:change=move |ev| {
                            edited("station_id");
                            station_id.set(event_target_value(&ev).parse().ok());
                            school_id.set(None);
                        }>
                        <option value="" selected=move || station_id.get().is_none()>"请选择派出所"</option>
                        {station_options}
                    </select>
                    {error_for("station_id")}
                </div>
                <div class="field">
                    <label for="format">"形式"</label>
                    <select id="format" aria-invalid=invalid("format")
                        on:change=move |ev| format.set(SessionFormat::from_code(&event_target_value(&ev)))>
                        {SessionFormat::ALL.into_iter().map(|f| view! {
                            <option value=f.code() selected=move || format.get() == Some(f)>{f.label(LANG)}</option>
                        }).collect_view()}
                    </select>
                    {error_for("format")}
                </div>
            </div>
            <div class="field">
                <label class="inline">
                    <input type="checkbox" prop:checked=move || other_venue.get()
                        on:change=move |ev| other_venue.set(event_target_checked(&ev)) />
                    "不在学校（社区、企业、派出所、线上等）"
                </label>
                <Show when=move || !other_venue.get() fallback=move || view! {
                    <label for="venue">"场所名称"</label>
                    <input id="venue" type="text" maxlength="100" aria-invalid=invalid("venue")
                        placeholder="例如：雕庄派出所"
                        prop:value=move || venue.get()
                        on:input=move |ev| { edited("venue"); venue.set(event_target_value(&ev)) } />
                    {error_for("venue")}
                }>
                    <label for="school_id">"学校"</label>
                    <select id="school_id" aria-invalid=invalid("school_id")
                        on:change=move |ev| { edited("school_id"); school_id.set(event_target_value(&ev).parse().ok()) }>
                        <option value="" selected=move || school_id.get().is_none()>
                            {move || if station_id.get().is_some() { "请选择学校" } else { "请先选择派出所" }}
                        </option>
                        {move || schools.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|s| {
                            let id = s.id;
                            view! { <option value=id.to_string() selected=move || school_id.get() == Some(id)>{s.name}</option> }
                        }).collect_view()}
                    </select>
                    {error_for("school_id")}
                </Show>
            </div>
            <fieldset class="field" style="border:0;padding:0;margin:0">
                <legend class="label">"宣防主题（可多选）"</legend>
                <div class="chips" id="topic_ids">
                    {move || topics.get().map(|r| match r {
                        Ok(list) => list.into_iter().map(|t| {
                            let id = t.id;
                            let on = move || topic_ids.with(|ids| ids.contains(&id));
                            view! {
                                <button type="button" class="chip" aria-pressed=move || on().to_string()
                                    on:click=move |_| { edited("topic_ids"); topic_ids.update(|ids| {
                                        if let Some(pos) = ids.iter().position(|x| *x == id) { ids.remove(pos); } else { ids.push(id); }
                                    }) }>
                                    {t.name_zh}
                                </button>
                            }
                        }).collect_view().into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    })}
                </div>
                {error_for("topic_ids")}
            </fieldset>
            <fieldset class="field" style="border:0;padding:0;margin:0">
                <legend class="label">"受众人次"</legend>
                <div class="row four">
                    {GROUPS.iter().enumerate().map(|(i, (field, label))| {
                        let field: &'static str = field;
                        let count = counts[i];
                        view! {
                            <div class="field">
                                <label for=dom_id(field)>{*label}</label>
                                <input id=dom_id(field) type="text" inputmode="numeric" autocomplete="off"
                                    aria-invalid=invalid(field)
                                    prop:value=move || count.get()
                                    on:input=move |ev| { edited(field); edited("audience"); count.set(event_target_value(&ev)) } />
                                {error_for(field)}
                            </div>
                        }
                    }).collect_view()}
                </div>
                {error_for("audience")}
                <label class="inline">
                    <input type="checkbox" id="confirm_large_audience" prop:checked=move || confirm_large.get()
                        on:change=move |ev| { edited("confirm_large_audience"); confirm_large.set(event_target_checked(&ev)) } />
                    "确认单场受众超过 5000 人次"
                </label>
                {error_for("confirm_large_audience")}
            </fieldset>
            <div class="field">
                <label for="notes">"备注（不要填写未成年人姓名等个人信息）"</label>
                <textarea id="notes" rows="2" maxlength="2000" aria-invalid=invalid("notes")
                    prop:value=move || notes.get()
                    on:input=move |ev| { edited("notes"); notes.set(event_target_value(&ev)) }></textarea>
                {error_for("notes")}
            </div>
            <Show when=move || duplicate.get()>
                <label class="inline">
                    <input type="checkbox" id="confirm_distinct" prop:checked=move || confirm_distinct.get()
                        on:change=move |ev| confirm_distinct.set(event_target_checked(&ev)) />
                    "确认这是另一场宣讲（例如同一天为不同班级各讲一次）"
                </label>
            </Show>
            <div class="inline">
                <button type="submit" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() { "保存中…" } else { "保存" }}
                </button>
            </div>
            <div aria-live="polite">
                {move || outcome.get().map(|o| match o {
                    Ok(text) => view! { <p class="notice ok" role="status">{text}</p> }.into_any(),
                    Err(text) => view! { <p class="notice bad" role="alert">{text}</p> }.into_any(),
                })}
            </div>
        </form>
        <RecentSessions refresh=saved />
    }
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
