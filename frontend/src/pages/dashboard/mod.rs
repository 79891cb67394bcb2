//! 领导看板: the headline figures, each with its written definition (口径), the charts, a
//! table under each, filters, and drill-down from the province to a city, a district, a
//! station and a school by clicking a name.
//!
//! Each view is ONE request for its figures, `GET /api/v1/dashboard?{filter}` (a
//! [`Dashboard`]), besides the reference lists the filters need (campaigns, cities,
//! districts, stations, topics), read once, and, asked at the same time, the year's
//! completeness of the monthly returns for the same place (`completeness`), which does not
//! change with the days, topic or data chosen. The server computes every figure from true counts in one pass and applies the
//! viewer's scope (a district leader's district) to all of them; the page only draws. The
//! filter is one [`AggregateFilter`], as the server reads it, so the export buttons and the
//! charts' SVG and PNG links ask the aggregate and chart endpoints for the same slice.
//!
//! A scoped viewer (a district leader, an officer) stays in their scope in every control:
//! the filters offer only places inside it, the breadcrumb starts at it and 清除筛选 returns
//! to it ([`Home`]). On a phone the filters fold into one 筛选 button that reads what is
//! chosen, so that the figures come first.
//!
//! The dashboard is a WASM module of its own ([`BUNDLE`]): the charts and plotters stay out
//! of the module officers and schools load on phones.

mod board;
mod completeness;
mod export;
mod parts;

use humiao_shared::account::Me;
use humiao_shared::aggregate::{AggregateFilter, FigureData};
use humiao_shared::app::AppModule;
use humiao_shared::org::{Campaign, City, District, Station, Topic};
use humiao_shared::Lang;
use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::path;
use serde::Serialize;

use crate::api;
use crate::app::Bundle;
use crate::components::error_notice;
use crate::i18n::{lang, tr, T};

/// The leaders' module, served at `/dashboard`.
pub const BUNDLE: Bundle = Bundle {
    module: AppModule::Dashboard,
    routes: || {
        view! {
            <Routes fallback=|| view! { <p>{tr(T::NotFound)}</p> }>
                <Route path=path!("/dashboard") view=Dashboard />
            </Routes>
        }
        .into_any()
    },
};

/// Where a viewer's dashboard starts and where its controls stop: a city's leader at the
/// top (or at their city of a province), a district leader at the district, an officer at
/// the station. The server refuses anything outside (404); the page never offers it.
#[derive(Clone, Copy, Default)]
struct Home {
    city_id: Option<i64>,
    district_id: Option<i64>,
    station_id: Option<i64>,
}

impl Home {
    fn of(me: Option<&Me>) -> Home {
        Home {
            city_id: me.and_then(|m| m.city_id),
            district_id: me.and_then(|m| m.district_id),
            station_id: me.and_then(|m| m.station_id),
        }
    }
}

/// The filters, as the dashboard holds them.
#[derive(Clone, Copy)]
struct Filters {
    home: Home,
    campaign_id: RwSignal<Option<i64>>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    city_id: RwSignal<Option<i64>>,
    district_id: RwSignal<Option<i64>>,
    station_id: RwSignal<Option<i64>>,
    school: RwSignal<Option<(i64, String)>>,
    topic_id: RwSignal<Option<i64>>,
    /// 全部数据 (the default) or 已审核: only station-months whose return is accepted.
    data: RwSignal<FigureData>,
}

impl Filters {
    /// The viewer's scope is where the dashboard starts.
    fn starting_at(home: Home) -> Filters {
        Filters {
            home,
            campaign_id: RwSignal::new(None),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            city_id: RwSignal::new(home.city_id),
            district_id: RwSignal::new(home.district_id),
            station_id: RwSignal::new(home.station_id),
            school: RwSignal::new(None),
            topic_id: RwSignal::new(None),
            data: RwSignal::new(FigureData::All),
        }
    }

    /// The slice the dashboard is asked for (tracked: a view that reads it redraws when a
    /// filter changes).
    fn filter(&self) -> AggregateFilter {
        AggregateFilter {
            campaign_id: self.campaign_id.get(),
            // A date input holds a valid date or nothing.
            from: self.from.get().parse().ok(),
            to: self.to.get().parse().ok(),
            city_id: self.city_id.get(),
            district_id: self.district_id.get(),
            station_id: self.station_id.get(),
            school_id: self.school.get().map(|s| s.0),
            topic_id: self.topic_id.get(),
            // The default is left out of the query, so that links stay as they were.
            data: Some(self.data.get()).filter(|d| *d != FigureData::All),
            ..AggregateFilter::default()
        }
    }

    /// Back to the top of the viewer's scope: the whole tree for a city's leader, the
    /// district for a district leader.
    fn whole(&self) {
        self.city_id.set(self.home.city_id);
        self.below_city();
    }

    /// Back to the city: no district, station or school chosen (but the viewer's own).
    fn below_city(&self) {
        self.district_id.set(self.home.district_id);
        self.below_district();
    }

    fn below_district(&self) {
        self.station_id.set(self.home.station_id);
        self.school.set(None);
    }

    /// Every filter back to where the viewer started (the campaign stays).
    fn clear(&self) {
        self.from.set(String::new());
        self.to.set(String::new());
        self.whole();
        self.topic_id.set(None);
        self.data.set(FigureData::All);
    }
}

/// `params` as a query string, as the server's `Query` extractor reads it back. Filters
/// left empty (`None`) are left out.
fn query(params: &impl Serialize) -> String {
    // The filter's fields are numbers, dates and plain enums, which always serialise.
    serde_urlencoded::to_string(params).unwrap_or_default()
}

/// The reference lists the filters and the breadcrumb name places from, each read once.
#[derive(Clone, Copy)]
struct Lists {
    cities: LocalResource<api::ApiResult<Vec<City>>>,
    districts: LocalResource<api::ApiResult<Vec<District>>>,
    stations: LocalResource<api::ApiResult<Vec<Station>>>,
    topics: LocalResource<api::ApiResult<Vec<Topic>>>,
}

impl Lists {
    fn cities(&self) -> Vec<City> {
        self.cities.get().and_then(Result::ok).unwrap_or_default()
    }

    fn districts(&self) -> Vec<District> {
        self.districts
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
    }

    fn stations(&self) -> Vec<Station> {
        self.stations.get().and_then(Result::ok).unwrap_or_default()
    }

    fn topics(&self) -> Vec<Topic> {
        self.topics.get().and_then(Result::ok).unwrap_or_default()
    }

    /// A province (more than one city): its top level is its cities, and a city filter
    /// is offered.
    fn province(&self) -> bool {
        self.cities().len() > 1
    }

    fn city_name(&self, id: i64) -> Option<String> {
        self.cities()
            .into_iter()
            .find(|c| c.id == id)
            .map(|c| c.name)
    }

    fn district_name(&self, id: i64) -> Option<String> {
        self.districts()
            .into_iter()
            .find(|d| d.id == id)
            .map(|d| d.name)
    }

    fn station_name(&self, id: i64) -> Option<String> {
        self.stations()
            .into_iter()
            .find(|s| s.id == id)
            .map(|s| s.name)
    }
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    let me = use_context::<Me>();
    let f = Filters::starting_at(Home::of(me.as_ref()));
    let lists = Lists {
        cities: LocalResource::new(api::cities),
        districts: LocalResource::new(api::districts),
        stations: LocalResource::new(move || {
            let within = StationsWanted::of(f);
            async move {
                match within {
                    StationsWanted::OfDistrict(id) => api::stations_of_district(id).await,
                    StationsWanted::All => api::stations().await,
                    StationsWanted::None => Ok(Vec::new()),
                }
            }
        }),
        topics: LocalResource::new(api::topics),
    };
    let ready = RwSignal::new(false);
    Effect::new(move || {
        if let Some(Ok(list)) = campaigns.get() {
            if !ready.get_untracked() {
                // China's date, as the server picks the campaign running today.
                let today = humiao_shared::campaign_today(chrono::Utc::now());
                f.campaign_id
                    .set(Campaign::current(&list, today).map(|c| c.id));
                ready.set(true);
            }
        }
    });
    let campaign_name = move || {
        let id = f.campaign_id.get();
        campaigns
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|c| Some(c.id) == id))
            .map(|c| (c.year, c.name))
    };
    // The filter's own rule (days run forwards), checked here before asking, as the
    // server checks it: the problem shows at the field, not as a page-wide error.
    let range_problem = Memo::new(move |_| {
        f.filter()
            .validate()
            .err()
            .and_then(|errors| errors.get("from"))
    });
    // The one request of the view: it waits for the campaign to be chosen, so that the
    // first view is not asked for twice, and is not sent for a range that runs backwards.
    let dashboard = LocalResource::new(move || {
        let filter = f.filter();
        let go = ready.get() && filter.validate().is_ok();
        async move {
            if go {
                api::dashboard(&query(&filter)).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    // On a phone the filters are folded under one button; a problem in them opens them.
    let open = RwSignal::new(false);
    let shown = move || open.get() || range_problem.get().is_some();
    let summary = move || filter_summary(f, lists, campaign_name().map(|c| c.1));

    // "X / Y 个所月报已审核", from the dashboard's answer, beside the title.
    let badge = move || {
        dashboard
            .get()
            .and_then(Result::ok)
            .flatten()
            .filter(|d| d.slice.is_some())
            .map(|d| d.reviewed.text(lang()))
    };
    let year = Signal::derive(move || campaign_name().map(|c| c.0));

    view! {
        <div class="title-line">
            <h1>{tr(T::DashboardTitle)}</h1>
            {move || badge().map(|text| view! { <span class="badge" id="reviewed-badge">{text}</span> })}
        </div>
        <button type="button" class="secondary filter-toggle" id="filter-toggle"
            aria-controls="filters" aria-expanded=move || shown().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>
            <span class="label">{tr(T::Filters)}</span>
            <span class="summary" id="filter-summary">{summary}</span>
        </button>
        <form class="filters card" id="filters" class:open=shown on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="filter-campaign">{tr(T::Campaign)}</label>
                <select id="filter-campaign"
                    on:change=move |ev| f.campaign_id.set(event_target_value(&ev).parse().ok())>
                    {move || campaigns.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                        let id = c.id;
                        view! { <option value=id.to_string() selected=move || f.campaign_id.get() == Some(id)>{c.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-from">{tr(T::From)}</label>
                <input id="filter-from" type="date" prop:value=move || f.from.get()
                    aria-invalid=move || range_problem.get().is_some().to_string()
                    aria-describedby=move || range_problem.get().map(|_| "filter-from-error")
                    on:change=move |ev| f.from.set(event_target_value(&ev)) />
                {move || range_problem.get().map(|code| view! {
                    <p class="error" id="filter-from-error" role="alert">{code.message(lang())}</p>
                })}
            </div>
            <div class="field">
                <label for="filter-to">{tr(T::To)}</label>
                <input id="filter-to" type="date" prop:value=move || f.to.get()
                    on:change=move |ev| f.to.set(event_target_value(&ev)) />
            </div>
            {move || (lists.province() && f.home.city_id.is_none()).then(|| view! {
                <div class="field">
                    <label for="filter-city">{tr(T::CityName)}</label>
                    <select id="filter-city" on:change=move |ev| {
                        f.city_id.set(event_target_value(&ev).parse().ok());
                        f.below_city();
                    }>
                        <option value="" selected=move || f.city_id.get().is_none()>{tr(T::AllCities)}</option>
                        {lists.cities().into_iter().map(|c: City| {
                            let id = c.id;
                            view! { <option value=id.to_string() selected=move || f.city_id.get() == Some(id)>{c.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            // A district leader's district is no choice: the field is left out.
            {f.home.district_id.is_none().then(|| view! {
                <div class="field">
                    <label for="filter-district">{tr(T::District)}</label>
                    <select id="filter-district" on:change=move |ev| {
                        let id: Option<i64> = event_target_value(&ev).parse().ok();
                        if let Some(d) = lists.districts().into_iter().find(|d| Some(d.id) == id) {
                            f.city_id.set(Some(d.city_id));
                        }
                        f.district_id.set(id);
                        f.below_district();
                    }>
                        <option value="" selected=move || f.district_id.get().is_none()>{tr(T::AllDistricts)}</option>
                        {move || {
                            let city = f.city_id.get();
                            lists.districts().into_iter()
                                .filter(|d| city.is_none_or(|c| d.city_id == c))
                                .map(|d: District| {
                                    let id = d.id;
                                    view! { <option value=id.to_string() selected=move || f.district_id.get() == Some(id)>{d.name}</option> }
                                }).collect_view()
                        }}
                    </select>
                </div>
            })}
            {f.home.station_id.is_none().then(|| view! {
                <div class="field">
                    <label for="filter-station">{tr(T::Station)}</label>
                    <select id="filter-station" on:change=move |ev| {
                        let id: Option<i64> = event_target_value(&ev).parse().ok();
                        if let Some(s) = lists.stations().into_iter().find(|s| Some(s.id) == id) {
                            f.district_id.set(Some(s.district_id));
                        }
                        f.station_id.set(id);
                        f.school.set(None);
                    }>
                        <option value="" selected=move || f.station_id.get().is_none()>{tr(T::AllStations)}</option>
                        {move || stations_offered(f, lists).into_iter().map(|s| {
                            let id = s.id;
                            view! { <option value=id.to_string() selected=move || f.station_id.get() == Some(id)>{s.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="filter-topic">{tr(T::Topic)}</label>
                <select id="filter-topic" on:change=move |ev| f.topic_id.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || f.topic_id.get().is_none()>{tr(T::AllTopics)}</option>
                    {move || lists.topics().into_iter().map(|t: Topic| {
                        let id = t.id;
                        let name = if lang() == Lang::En { t.name_en } else { t.name_zh };
                        view! { <option value=id.to_string() selected=move || f.topic_id.get() == Some(id)>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="field data-toggle" id="filter-data">
                <legend>{tr(T::DataShown)}</legend>
                {[(FigureData::All, T::DataAll), (FigureData::Accepted, T::DataAccepted)].into_iter().map(|(d, label)| view! {
                    <label>
                        <input type="radio" name="filter-data" value=d.code()
                            prop:checked=move || f.data.get() == d
                            on:change=move |_| f.data.set(d) />
                        {tr(label)}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="field actions">
                <button type="button" class="secondary" id="filter-clear" on:click=move |_| f.clear()>
                    {tr(T::ResetFilters)}
                </button>
                {move || campaign_name().map(|(y, _)| view! {
                    <a class="button" id="report-link" href=format!("/report/{y}") target="_blank">{tr(T::AnnualReport)}</a>
                })}
            </div>
        </form>
        <Breadcrumb f=f lists=lists />
        <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    dashboard.await.map(|loaded| loaded.map(|data| view! { <board::Board data=data f=f /> }))
                })}
            </ErrorBoundary>
        </Transition>
        <completeness::Returns f=f year=year />
    }
}

/// Which stations the page reads: a chosen district's own, and none until a district is
/// chosen (a province has 1,100, more than a list answers at once and than anyone picks
/// from); all of the viewer's city only for a station chosen without its district (a
/// station's own leader).
#[derive(Clone, Copy, PartialEq)]
enum StationsWanted {
    OfDistrict(i64),
    All,
    None,
}

impl StationsWanted {
    fn of(f: Filters) -> StationsWanted {
        match (f.district_id.get(), f.station_id.get()) {
            (Some(d), _) => StationsWanted::OfDistrict(d),
            (None, Some(_)) => StationsWanted::All,
            (None, None) => StationsWanted::None,
        }
    }
}

/// The stations the station filter offers: of those read ([`StationsWanted`]), the ones in
/// the chosen district or city.
fn stations_offered(f: Filters, lists: Lists) -> Vec<Station> {
    let district = f.district_id.get();
    let city_districts: Option<Vec<i64>> = f.city_id.get().map(|c| {
        lists
            .districts()
            .into_iter()
            .filter(|d| d.city_id == c)
            .map(|d| d.id)
            .collect()
    });
    lists
        .stations()
        .into_iter()
        .filter(|s| district.is_none_or(|d| s.district_id == d))
        .filter(|s| {
            city_districts
                .as_ref()
                .is_none_or(|ds| ds.contains(&s.district_id))
        })
        .collect()
}

/// What the folded filters read on their button: the campaign, the days, the place chosen
/// below the viewer's own, the topic and 已审核 when chosen, e.g. `2024年行动 · 05-01 至 06-30 · 雕庄派出所`.
fn filter_summary(f: Filters, lists: Lists, campaign: Option<String>) -> String {
    let mut parts: Vec<String> = campaign.into_iter().collect();
    let (from, to) = (f.from.get(), f.to.get());
    if !from.is_empty() || !to.is_empty() {
        parts.push(format!("{from} – {to}").trim().to_string());
    }
    let home = f.home;
    let place = if let Some((_, school)) = f.school.get() {
        Some(school)
    } else if let Some(id) = f.station_id.get().filter(|id| home.station_id != Some(*id)) {
        lists.station_name(id)
    } else if let Some(id) = f
        .district_id
        .get()
        .filter(|id| home.district_id != Some(*id))
    {
        lists.district_name(id)
    } else if let Some(id) = f.city_id.get().filter(|id| home.city_id != Some(*id)) {
        lists.city_name(id)
    } else {
        None
    };
    parts.extend(place);
    if let Some(id) = f.topic_id.get() {
        let topic = lists.topics().into_iter().find(|t| t.id == id);
        parts.extend(topic.map(|t| {
            if lang() == Lang::En {
                t.name_en
            } else {
                t.name_zh
            }
        }));
    }
    if f.data.get() == FigureData::Accepted {
        parts.push(T::DataAccepted.get(lang()).to_string());
    }
    parts.join(" · ")
}

/// One step of the breadcrumb and where clicking it goes.
#[derive(Clone, Copy)]
enum Step {
    Top,
    City,
    District,
    Station,
    School,
}

/// 全省 › 常州市 › 天宁分局 › 雕庄派出所 › school: where the dashboard is, each step a way
/// back up. A database of one city starts at 全市 and names no city; a scoped viewer's
/// trail starts at their own place (a district leader's at the district), never above.
#[component]
fn Breadcrumb(f: Filters, lists: Lists) -> impl IntoView {
    let steps = move || {
        let home = f.home;
        let province = lists.province();
        let mut steps: Vec<(Step, String)> = Vec::new();
        if home.district_id.is_none() && home.station_id.is_none() {
            if home.city_id.is_none() || !province {
                let top = if province { T::Province } else { T::City };
                steps.push((Step::Top, top.get(lang()).to_string()));
            }
            if province {
                let city = f.city_id.get().and_then(|id| lists.city_name(id));
                steps.extend(city.map(|name| (Step::City, name)));
            }
        }
        if home.station_id.is_none() {
            let district = f.district_id.get().and_then(|id| lists.district_name(id));
            steps.extend(district.map(|name| (Step::District, name)));
        }
        let station = f.station_id.get().and_then(|id| lists.station_name(id));
        steps.extend(station.map(|name| (Step::Station, name)));
        steps.extend(f.school.get().map(|(_, name)| (Step::School, name)));
        steps
    };
    view! {
        <nav class="crumbs" aria-label=tr(T::Breadcrumb) id="crumbs">
            {move || steps().into_iter().enumerate().map(|(i, (step, name))| {
                let go = move |_| match step {
                    Step::Top => f.whole(),
                    Step::City => f.below_city(),
                    Step::District => f.below_district(),
                    Step::Station => f.school.set(None),
                    Step::School => {}
                };
                view! {
                    {(i > 0).then_some(" › ")}
                    {match step {
                        Step::School => view! { <span>{name}</span> }.into_any(),
                        _ => view! { <button type="button" class="link" on:click=go>{name}</button> }.into_any(),
                    }}
                }
            }).collect_view()}
        </nav>
    }
}
