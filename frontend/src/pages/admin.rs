//! 管理: what the city office keeps — stations, schools, films, campaigns, trainings and
//! their trainees, outcome figures, school links and the QR sheet. These pages are a
//! module of their own ([`BUNDLE`]), so the officers' phones never download them.
//!
//! The record kinds share one page shape, driven by a [`Section`]: a searchable, paged
//! table, and a form to add a record. The form builds the same JSON the API takes, runs the
//! shared `New*::validate` rule on it before sending, and shows the browser's or the
//! server's field messages beside the inputs.

use humiao_shared::account::{NewAccount, Role};
use humiao_shared::error::FieldErrors;
use humiao_shared::film::NewFilm;
use humiao_shared::org::{NewCampaign, NewSchool, NewStation, SchoolKind};
use humiao_shared::outcome::{Indicator, NewOutcome};
use humiao_shared::training::{NewTrainee, NewTraining};
use humiao_shared::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Routes, A};
use leptos_router::hooks::use_params_map;
use leptos_router::path;
use serde_json::{json, Map, Value};

use crate::api::{self, ApiFailure};
use crate::app::Bundle;
use crate::components::error_notice;
use crate::i18n::{lang, tr, T};

const PAGE: i64 = 20;

/// What a form input holds and how it becomes JSON.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    /// A whole number (a blank is `null`).
    Int,
    Date,
    /// `YYYY-MM`.
    Month,
    /// The id of a record listed at this API path, shown by its `name` (or `title`).
    Ref(&'static str),
    SchoolType,
    Indicator,
    /// This school year's roll, sent as the school's one enrolment.
    Roll,
    /// Topics as chips, sent as a list of ids (kept as `1,4,7` in the form).
    Topics,
    Role,
    Password,
    /// Days as `2024-08-19, 2024-08-20`, sent as a list.
    Dates,
    /// A checkbox, sent as `true`/`false`.
    Bool,
}

#[derive(Clone, Copy)]
struct Field {
    key: &'static str,
    label: T,
    kind: Kind,
}

const fn field(key: &'static str, label: T, kind: Kind) -> Field {
    Field { key, label, kind }
}

/// One kind of record on the admin page.
#[derive(Clone, Copy)]
struct Section {
    slug: &'static str,
    title: T,
    /// The API collection, e.g. `/api/v1/stations`.
    path: &'static str,
    /// The columns of the table: a JSON key of the record and its heading.
    columns: &'static [(&'static str, T)],
    fields: &'static [Field],
    /// The shared rule the API applies, run before sending.
    check: fn(&Value) -> FieldErrors,
    /// Buttons on each row.
    actions: &'static [RowAction],
}

/// A button on a table row: its text, the `POST {path}/{id}/{action}` it sends, and whether
/// a record shows it.
type RowAction = (T, &'static str, fn(&Value) -> bool);

/// Runs `New*::validate` on the form's JSON.
fn rule<N: serde::de::DeserializeOwned, V>(
    validate: impl Fn(&N) -> Result<V, FieldErrors>,
) -> impl Fn(&Value) -> FieldErrors {
    move |value| match serde_json::from_value::<N>(value.clone()) {
        Ok(entry) => validate(&entry).err().unwrap_or_default(),
        // A shape the form cannot produce; the server will say what is wrong.
        Err(_) => FieldErrors::default(),
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

const SECTIONS: &[Section] = &[
    Section {
        slug: "stations",
        title: T::Stations,
        path: "/api/v1/stations",
        columns: &[
            ("code", T::Code),
            ("name", T::Name),
            ("workstation", T::Workstation),
        ],
        fields: &[
            field("district_id", T::District, Kind::Ref("/api/v1/districts")),
            field("code", T::Code, Kind::Text),
            field("name", T::Name, Kind::Text),
            field("workstation", T::Workstation, Kind::Text),
        ],
        check: |v| rule(NewStation::validate)(v),
        actions: &[],
    },
    Section {
        slug: "schools",
        title: T::Schools,
        path: "/api/v1/schools",
        columns: &[
            ("code", T::Code),
            ("name", T::Name),
            ("enrolment", T::Students),
        ],
        fields: &[
            field("code", T::Code, Kind::Text),
            field("name", T::Name, Kind::Text),
            field("kind", T::SchoolType, Kind::SchoolType),
            field("district_id", T::District, Kind::Ref("/api/v1/districts")),
            field("station_id", T::Station, Kind::Ref("/api/v1/stations")),
            field("enrolments", T::Students, Kind::Roll),
        ],
        check: |v| rule(NewSchool::validate)(v),
        actions: &[],
    },
    Section {
        slug: "films",
        title: T::Films,
        path: "/api/v1/films",
        columns: &[("title", T::Name), ("minutes", T::Minutes)],
        fields: &[
            field("title", T::Name, Kind::Text),
            field("minutes", T::Minutes, Kind::Int),
            field("topic_ids", T::Topics, Kind::Topics),
        ],
        check: |v| rule(NewFilm::validate)(v),
        actions: &[],
    },
    Section {
        slug: "campaigns",
        title: T::Campaigns,
        path: "/api/v1/campaigns",
        columns: &[
            ("name", T::Name),
            ("year", T::Year),
            ("starts_on", T::From),
            ("ends_on", T::To),
        ],
        fields: &[
            field("name", T::Name, Kind::Text),
            field("year", T::Year, Kind::Int),
            field("starts_on", T::From, Kind::Date),
            field("ends_on", T::To, Kind::Date),
            field("topic_ids", T::Topics, Kind::Topics),
        ],
        check: |v| rule(NewCampaign::validate)(v),
        actions: &[],
    },
    Section {
        slug: "trainings",
        title: T::Trainings,
        path: "/api/v1/trainings",
        columns: &[
            ("title", T::Name),
            ("place", T::Place),
            ("starts_on", T::From),
            ("ends_on", T::To),
        ],
        fields: &[
            field("title", T::Name, Kind::Text),
            field("place", T::Place, Kind::Text),
            field("starts_on", T::From, Kind::Date),
            field("ends_on", T::To, Kind::Date),
            field("campaign_id", T::Campaign, Kind::Ref("/api/v1/campaigns")),
        ],
        check: |v| rule(NewTraining::validate)(v),
        actions: &[],
    },
    Section {
        slug: "trainees",
        title: T::Trainees,
        path: "/api/v1/trainees",
        columns: &[
            ("name", T::Name),
            ("station", T::Station),
            ("completed", T::Completed),
        ],
        fields: &[
            field("training_id", T::Trainings, Kind::Ref("/api/v1/trainings")),
            field("name", T::Name, Kind::Text),
            field(
                "station_id",
                T::Station,
                Kind::Ref("/api/v1/stations?limit=1000"),
            ),
            field("days_attended", T::DaysAttended, Kind::Dates),
            field("completed", T::Completed, Kind::Bool),
        ],
        // Whether the days fall within the course only the server knows (it has the course).
        check: |v| rule(|t: &NewTrainee| t.validate(None, today()))(v),
        actions: &[],
    },
    Section {
        slug: "outcomes",
        title: T::Outcomes,
        path: "/api/v1/outcomes",
        columns: &[
            ("month", T::Month),
            ("indicator", T::Indicator),
            ("value", T::Value),
        ],
        fields: &[
            field("station_id", T::Station, Kind::Ref("/api/v1/stations")),
            field("month", T::Month, Kind::Month),
            field("indicator", T::Indicator, Kind::Indicator),
            field("value", T::Value, Kind::Int),
        ],
        check: |v| rule(|o: &NewOutcome| o.validate(today()))(v),
        actions: &[],
    },
    Section {
        slug: "accounts",
        title: T::Accounts,
        path: "/api/v1/users",
        columns: &[
            ("username", T::Username),
            ("role", T::Role),
            ("district", T::District),
            ("station", T::Station),
            ("school", T::School),
            ("disabled", T::Disabled),
            ("last_sign_in", T::LastSignIn),
        ],
        fields: &[
            field("username", T::Username, Kind::Text),
            field("role", T::Role, Kind::Role),
            field("district_id", T::District, Kind::Ref("/api/v1/districts")),
            field(
                "station_id",
                T::Station,
                Kind::Ref("/api/v1/stations?limit=1000"),
            ),
            field(
                "school_id",
                T::School,
                Kind::Ref("/api/v1/schools?limit=1000"),
            ),
            field("password", T::Password, Kind::Password),
        ],
        check: |v| rule(NewAccount::validate)(v),
        actions: &[
            (T::Disable, "disable", |v| {
                v["disabled"] == Value::Bool(false)
            }),
            (T::Enable, "enable", |v| v["disabled"] == Value::Bool(true)),
        ],
    },
];

/// The administrator's module, served at `/admin`.
pub const BUNDLE: Bundle = Bundle {
    module: humiao_shared::app::AppModule::Admin,
    routes: || {
        view! {
            <Routes fallback=|| view! { <p>{tr(T::NotFound)}</p> }>
                <Route path=path!("/admin") view=Admin />
                <Route path=path!("/admin/:section") view=Admin />
            </Routes>
        }
        .into_any()
    },
};

#[component]
pub fn Admin() -> impl IntoView {
    // The server refuses everyone else's calls anyway; this spares them a page of errors.
    let is_admin =
        use_context::<humiao_shared::account::Me>().is_some_and(|m| m.role == Role::Admin);
    if !is_admin {
        return view! { <p>{tr(T::NotFound)}</p> }.into_any();
    }
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("section").unwrap_or_else(|| "stations".into()));
    view! {
        <h1>{tr(T::AdminTitle)}</h1>
        <nav class="tabs" aria-label=tr(T::AdminTitle)>
            {SECTIONS.iter().map(|s| view! {
                <A href=format!("/admin/{}", s.slug)>{tr(s.title)}</A>
            }).collect_view()}
            <A href="/admin/links">{tr(T::Links)}</A>
            <A href="/admin/import">{tr(T::Import)}</A>
        </nav>
        {move || {
            let slug = slug();
            match SECTIONS.iter().find(|s| s.slug == slug) {
                Some(section) => view! { <RecordsPage section=*section /> }.into_any(),
                None if slug == "links" => view! { <LinksPage /> }.into_any(),
                None if slug == "import" => view! { <crate::pages::import::ImportPage /> }.into_any(),
                None => view! { <p>{tr(T::NotFound)}</p> }.into_any(),
            }
        }}
    }
    .into_any()
}

/// The table of one kind of record and the form to add one.
#[component]
fn RecordsPage(section: Section) -> impl IntoView {
    let page = RwSignal::new(1i64);
    let search = RwSignal::new(String::new());
    let refresh = RwSignal::new(0u32);
    let rows = LocalResource::new(move || {
        refresh.track();
        let q = search.get();
        let mut path = format!("{}?limit={PAGE}&page={}", section.path, page.get());
        if !q.trim().is_empty() {
            path.push_str(&format!("&q={}", js_sys::encode_uri_component(q.trim())));
        }
        async move { api::list_with_total::<Value>(&path).await }
    });
    view! {
        <section class="card" id=format!("admin-{}", section.slug)>
            <h2>{tr(section.title)}</h2>
            <div class="inline">
                <label for="admin-search">{tr(T::Search)}</label>
                <input id="admin-search" type="search" prop:value=move || search.get()
                    on:input=move |ev| { page.set(1); search.set(event_target_value(&ev)) } />
                <a class="button" href=format!("{}?format=xlsx", section.path) download="">"Excel"</a>
                <a class="button" href=format!("{}?format=csv", section.path) download="">"CSV"</a>
            </div>
            <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
                <ErrorBoundary fallback=error_notice>
                    {move || Suspend::new(async move {
                        rows.await.map(|(list, total)| view! {
                            <RecordTable section=section rows=list refresh=refresh />
                            <Pager page=page total=total />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
        <AddRecord section=section on_added=move || refresh.update(|n| *n += 1) />
    }
}

#[component]
fn RecordTable(section: Section, rows: Vec<Value>, refresh: RwSignal<u32>) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let act = move |id: i64, action: &'static str| {
        spawn_local(async move {
            let path = format!("{}/{id}/{action}", section.path);
            match api::post_empty(&path).await {
                Ok(()) => refresh.update(|n| *n += 1),
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    if rows.is_empty() {
        return view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="records">
                <thead><tr>
                    {section.columns.iter().map(|(_, label)| view! { <th>{tr(*label)}</th> }).collect_view()}
                    {(!section.actions.is_empty()).then(|| view! { <th></th> })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let id = row.get("id").and_then(Value::as_i64).unwrap_or_default();
                        view! {
                            <tr data-id=id.to_string()>
                                {section.columns.iter().map(|(key, _)| {
                                    let cell = cell_text(&row, key);
                                    view! { <td>{cell}</td> }
                                }).collect_view()}
                                {(!section.actions.is_empty()).then(|| view! {
                                    <td class="actions">
                                        {section.actions.iter().filter(|(_, _, shown)| shown(&row)).map(|(label, action, _)| {
                                            let action: &'static str = action;
                                            view! {
                                                <button type="button" class="link" data-action=action
                                                    on:click=move |_| act(id, action)>{tr(*label)}</button>
                                            }
                                        }).collect_view()}
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {move || problem.get().map(|p| view! { <p class="notice bad" role="alert">{p}</p> })}
    }
    .into_any()
}

/// A record's value as a table shows it; hidden outcome counts (`null`) read "<5".
fn cell_text(row: &Value, key: &str) -> String {
    match row.get(key) {
        Some(Value::String(s)) => match key {
            "indicator" => {
                Indicator::from_code(s).map_or_else(|| s.clone(), |i| i.label(Lang::Zh).into())
            }
            _ => s.clone(),
        },
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "✓" } else { "—" }.into(),
        Some(Value::Null) if key == "value" => humiao_shared::outcome::display(None),
        _ => String::new(),
    }
}

#[component]
fn Pager(page: RwSignal<i64>, total: i64) -> impl IntoView {
    let pages = ((total + PAGE - 1) / PAGE).max(1);
    view! {
        <nav class="pager inline" aria-label="pages">
            <button type="button" class="secondary" disabled=move || page.get() <= 1
                on:click=move |_| page.update(|p| *p -= 1)>{tr(T::Previous)}</button>
            <span>{move || format!("{} / {pages} · {total}", page.get())}</span>
            <button type="button" class="secondary" disabled=move || page.get() >= pages
                on:click=move |_| page.update(|p| *p += 1)>{tr(T::Next)}</button>
        </nav>
    }
}

/// The form to add a record of `section`.
#[component]
fn AddRecord(section: Section, on_added: impl Fn() + Copy + 'static) -> impl IntoView {
    let values: Vec<RwSignal<String>> = section
        .fields
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let values = StoredValue::new(values);
    let errors = RwSignal::new(FieldErrors::default());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = values.with_value(|v| to_json(section.fields, v));
        let problems = (section.check)(&body);
        errors.set(problems.clone());
        outcome.set(None);
        if !problems.is_empty() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::create_json(section.path, &body).await {
                Ok(_) => {
                    values.with_value(|v| v.iter().for_each(|s| s.set(String::new())));
                    outcome.set(Some(Ok(T::Saved.get(lang_untracked()).into())));
                    on_added();
                }
                Err(ApiFailure::Answer { body: Some(b), .. }) => {
                    let mut from_server = FieldErrors::default();
                    for f in &b.fields {
                        from_server.push(f.field.clone(), f.code);
                    }
                    errors.set(from_server);
                    outcome.set(Some(Err(b.message)));
                }
                Err(e) => outcome.set(Some(Err(e.to_string()))),
            }
            busy.set(false);
        });
    };

    view! {
        <form class="card admin-form" on:submit=on_submit novalidate=true id=format!("add-{}", section.slug)>
            <h2>{move || format!("{} · {}", tr(T::Add)(), tr(section.title)())}</h2>
            <div class="row two">
                {section.fields.iter().enumerate().map(|(i, f)| {
                    let value = values.with_value(|v| v[i]);
                    let id = format!("{}-{}", section.slug, f.key);
                    let key = f.key;
                    // A list's items are checked as `days_attended[1]` or `enrolments[0].students`.
                    let error = move || errors.with(|e| {
                        e.codes()
                            .find(|(f, _)| *f == key || f.strip_prefix(key).is_some_and(|rest| rest.starts_with('[')))
                            .map(|(_, code)| code)
                    });
                    view! {
                        <div class="field">
                            <label for=id.clone()>{tr(f.label)}</label>
                            <Input kind=f.kind id=id.clone() value=value
                                invalid=Signal::derive(move || error().is_some())
                                on_edit=move || errors.update(|e| e.remove(key)) />
                            {move || error().map(|code| view! { <p class="error">{code.message(lang())}</p> })}
                        </div>
                    }
                }).collect_view()}
            </div>
            <button type="submit" class="primary" disabled=move || busy.get()>{tr(T::Save)}</button>
            <div aria-live="polite">
                {move || outcome.get().map(|o| match o {
                    Ok(text) => view! { <p class="notice ok" role="status">{text}</p> }.into_any(),
                    Err(text) => view! { <p class="notice bad" role="alert">{text}</p> }.into_any(),
                })}
            </div>
        </form>
    }
}

fn lang_untracked() -> Lang {
    use_context::<crate::i18n::Language>().map_or(Lang::Zh, |l| l.0.get_untracked())
}

/// One input of an admin form.
#[component]
fn Input(
    kind: Kind,
    id: String,
    value: RwSignal<String>,
    invalid: Signal<bool>,
    on_edit: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let on_input = move |ev| {
        on_edit();
        value.set(event_target_value(&ev));
    };
    let aria_invalid = move || invalid.get().to_string();
    match kind {
        Kind::Dates => view! { <input id=id type="text" placeholder="2024-08-19, 2024-08-20" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        Kind::Bool => view! {
            <input id=id type="checkbox" prop:checked=move || value.get() == "true"
                on:change=move |ev| { on_edit(); value.set(event_target_checked(&ev).to_string()) } />
        }.into_any(),
        Kind::Password => view! { <input id=id type="password" autocomplete="new-password" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        Kind::Role => view! {
            <select id=id aria-invalid=aria_invalid on:change=on_input>
                <option value="">"—"</option>
                {move || Role::ALL.into_iter().map(|r| view! { <option value=r.code()>{tr(crate::app::role_name(r))}</option> }).collect_view()}
            </select>
        }.into_any(),
        Kind::Text => view! { <input id=id type="text" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        Kind::Int | Kind::Roll => view! { <input id=id type="text" inputmode="numeric" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        Kind::Date => view! { <input id=id type="date" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        Kind::Month => view! { <input id=id type="month" placeholder="2024-12" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        Kind::SchoolType => view! {
            <select id=id aria-invalid=aria_invalid on:change=on_input>
                <option value="">"—"</option>
                {move || SchoolKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{k.label(lang())}</option> }).collect_view()}
            </select>
        }.into_any(),
        Kind::Indicator => view! {
            <select id=id aria-invalid=aria_invalid on:change=on_input>
                <option value="">"—"</option>
                {move || Indicator::ALL.into_iter().map(|k| view! { <option value=k.code()>{k.label(lang())}</option> }).collect_view()}
            </select>
        }.into_any(),
        Kind::Topics => {
            let topics = LocalResource::new(api::topics);
            view! {
                <div class="chips" id=id>
                    {move || topics.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|t| {
                        let tid = t.id;
                        let on = move || topic_list(&value.get()).contains(&tid);
                        view! {
                            <button type="button" class="chip" aria-pressed=move || on().to_string()
                                on:click=move |_| {
                                    on_edit();
                                    let mut ids = topic_list(&value.get_untracked());
                                    if let Some(pos) = ids.iter().position(|x| *x == tid) { ids.remove(pos); } else { ids.push(tid); }
                                    value.set(ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
                                }>
                                {move || if lang() == Lang::En { t.name_en.clone() } else { t.name_zh.clone() }}
                            </button>
                        }
                    }).collect_view()}
                </div>
            }.into_any()
        }
        Kind::Ref(path) => {
            let options = LocalResource::new(move || api::get_json::<Vec<Value>>(path));
            view! {
                <select id=id aria-invalid=aria_invalid on:change=on_input>
                    <option value="">"—"</option>
                    {move || options.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|o| {
                        let key = o.get("id").map(|v| v.to_string()).unwrap_or_default();
                        let name = ["name", "title"].iter().find_map(|k| o.get(*k).and_then(Value::as_str)).unwrap_or_default().to_string();
                        let chosen = key.clone();
                        // Controlled: when the options arrive or redraw, the one chosen stays.
                        view! { <option value=key selected=move || value.get() == chosen>{name}</option> }
                    }).collect_view()}
                </select>
            }.into_any()
        }
    }
}

/// The topic ids a chips input holds.
fn topic_list(text: &str) -> Vec<i64> {
    text.split(',')
        .filter_map(|t| t.trim().parse().ok())
        .collect()
}

/// The JSON the API takes, from the form's texts.
fn to_json(fields: &[Field], values: &[RwSignal<String>]) -> Value {
    let mut body = Map::new();
    for (f, value) in fields.iter().zip(values) {
        let text = value.get_untracked().trim().to_string();
        let number = || {
            text.parse::<i64>().map(Value::from).unwrap_or_else(|_| {
                if text.is_empty() {
                    Value::Null
                } else {
                    Value::String(text.clone())
                }
            })
        };
        let v = match f.kind {
            Kind::Int | Kind::Ref(_) => number(),
            Kind::Roll => match text.parse::<i64>() {
                Ok(n) => {
                    json!([{ "school_year": humiao_shared::org::school_year_of(today()), "students": n }])
                }
                Err(_) => json!([]),
            },
            Kind::SchoolType | Kind::Indicator | Kind::Role if text.is_empty() => Value::Null,
            Kind::Topics => Value::from(topic_list(&text)),
            Kind::Dates => Value::from(
                text.split([',', '，', '、', ' '])
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>(),
            ),
            Kind::Bool => Value::Bool(text == "true"),
            _ => Value::String(text),
        };
        body.insert(f.key.to_string(), v);
    }
    Value::Object(body)
}

/// 学校链接: issue every school's link for a campaign, print them as QR codes, revoke one.
#[component]
fn LinksPage() -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    let refresh = RwSignal::new(0u32);
    let links = LocalResource::new(move || {
        refresh.track();
        api::list_with_total::<humiao_shared::link::SchoolLink>("/api/v1/links?limit=100")
    });
    let problem = RwSignal::new(None::<String>);
    let revoke = move |id: i64| {
        spawn_local(async move {
            match api::delete_path(&format!("/api/v1/links/{id}")).await {
                Ok(()) => refresh.update(|n| *n += 1),
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="card" id="admin-links">
            <h2>{tr(T::Links)}</h2>
            <p class="inline">
                {move || campaigns.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| view! {
                    <a class="button" href=format!("/api/v1/links/sheet?campaign_id={}", c.id) target="_blank">
                        {move || format!("{} · {}", tr(T::QrSheet)(), c.name)}
                    </a>
                }).collect_view()}
            </p>
            {move || problem.get().map(|p| view! { <p class="notice bad" role="alert">{p}</p> })}
            <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
                <ErrorBoundary fallback=error_notice>
                    {move || Suspend::new(async move {
                        links.await.map(|(list, _)| if list.is_empty() {
                            view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap"><table>
                                    <thead><tr><th>{tr(T::School)}</th><th>{tr(T::Status)}</th><th>{tr(T::To)}</th><th></th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|l| {
                                            let id = l.id;
                                            let active = l.state == humiao_shared::link::LinkState::Active;
                                            view! {
                                                <tr>
                                                    <td>{l.school}</td>
                                                    <td>{format!("{:?}", l.state)}</td>
                                                    <td>{l.expires_at.date_naive().to_string()}</td>
                                                    <td>{active.then(|| view! {
                                                        <button type="button" class="link danger" on:click=move |_| revoke(id)>{tr(T::Revoke)}</button>
                                                    })}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table></div>
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
