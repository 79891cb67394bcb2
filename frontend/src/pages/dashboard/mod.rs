//! 领导看板: the headline figures, each with its written definition (口径), the charts, a
//! table under each, filters, and drill-down from the province to a city, a district, a
//! station and a school by clicking a name.
//!
//! Each view is ONE request, `GET /api/v1/dashboard?{filter}` (a [`Dashboard`]), besides the
//! reference lists the filters need (campaigns, cities, districts, stations, topics), read
//! once. The server computes every figure from true counts in one pass and applies the
//! viewer's scope (a district leader's district) to all of them; the page only draws. The
//! filter is one [`AggregateFilter`], as the server reads it, so the export buttons and the
//! charts' SVG and PNG links ask the aggregate and chart endpoints for the same slice.
//!
//! The dashboard is a WASM module of its own ([`BUNDLE`]): the charts and plotters stay out
//! of the module officers and schools load on phones.

mod board;
mod parts;

use humiao_shared::account::Me;
use humiao_shared::aggregate::AggregateFilter;
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

/// The filters, as the dashboard holds them.
#[derive(Clone, Copy)]
struct Filters {
    campaign_id: RwSignal<Option<i64>>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    city_id: RwSignal<Option<i64>>,
    district_id: RwSignal<Option<i64>>,
    station_id: RwSignal<Option<i64>>,
    school: RwSignal<Option<(i64, String)>>,
    topic_id: RwSignal<Option<i64>>,
}

impl Filters {
    /// The viewer's scope is where the dashboard starts: a city's leader at the city, a
    /// district leader at the district, an officer at the station.
    fn starting_at(me: Option<&Me>) -> Filters {
        Filters {
            campaign_id: RwSignal::new(None),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            city_id: RwSignal::new(me.and_then(|m| m.city_id)),
            district_id: RwSignal::new(me.and_then(|m| m.district_id)),
            station_id: RwSignal::new(me.and_then(|m| m.station_id)),
            school: RwSignal::new(None),
            topic_id: RwSignal::new(None),
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
            ..AggregateFilter::default()
        }
    }

    /// Back to the top of the place tree (the server keeps a scoped viewer in their scope).
    fn whole(&self) {
        self.city_id.set(None);
        self.below_city();
    }

    /// Back to the city: no district, station or school chosen.
    fn below_city(&self) {
        self.district_id.set(None);
        self.below_district();
    }

    fn below_district(&self) {
        self.station_id.set(None);
        self.school.set(None);
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

    /// A province (more than one city): its top level is its cities, and a city filter
    /// is offered.
    fn province(&self) -> bool {
        self.cities().len() > 1
    }
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    let lists = Lists {
        cities: LocalResource::new(api::cities),
        districts: LocalResource::new(api::districts),
        stations: LocalResource::new(api::stations),
    };
    let topics = LocalResource::new(api::topics);
    let me = use_context::<Me>();
    let f = Filters::starting_at(me.as_ref());
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
    let year = move || {
        let id = f.campaign_id.get();
        campaigns
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|c| Some(c.id) == id))
            .map(|c| c.year)
    };
    // The one request of the view: it waits for the campaign to be chosen, so that the
    // first view is not asked for twice.
    let dashboard = LocalResource::new(move || {
        let filter = f.filter();
        let go = ready.get();
        async move {
            if go {
                api::dashboard(&query(&filter)).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });

    view! {
        <h1>{tr(T::DashboardTitle)}</h1>
        <form class="filters card" on:submit=|ev| ev.prevent_default()>
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
                    on:change=move |ev| f.from.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="filter-to">{tr(T::To)}</label>
                <input id="filter-to" type="date" prop:value=move || f.to.get()
                    on:change=move |ev| f.to.set(event_target_value(&ev)) />
            </div>
            {move || lists.province().then(|| view! {
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
                    {move || {
                        let district = f.district_id.get();
                        // Within a chosen city only: the city's districts.
                        let city_districts: Option<Vec<i64>> = f.city_id.get().map(|c| {
                            lists.districts().into_iter().filter(|d| d.city_id == c).map(|d| d.id).collect()
                        });
                        lists.stations().into_iter()
                            .filter(|s: &Station| district.is_none_or(|d| s.district_id == d))
                            .filter(|s| city_districts.as_ref().is_none_or(|ds| ds.contains(&s.district_id)))
                            .map(|s| {
                                let id = s.id;
                                view! { <option value=id.to_string() selected=move || f.station_id.get() == Some(id)>{s.name}</option> }
                            }).collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="filter-topic">{tr(T::Topic)}</label>
                <select id="filter-topic" on:change=move |ev| f.topic_id.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || f.topic_id.get().is_none()>{tr(T::AllTopics)}</option>
                    {move || topics.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|t: Topic| {
                        let id = t.id;
                        let name = if lang() == Lang::En { t.name_en } else { t.name_zh };
                        view! { <option value=id.to_string() selected=move || f.topic_id.get() == Some(id)>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field actions">
                <button type="button" class="secondary" on:click=move |_| {
                    f.from.set(String::new());
                    f.to.set(String::new());
                    f.whole();
                    f.topic_id.set(None);
                }>{tr(T::ResetFilters)}</button>
                {move || year().map(|y| view! {
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
    }
}

/// 全省 › 常州市 › 天宁分局 › 雕庄派出所 › school: where the dashboard is, each step a way
/// back up. A database of one city starts at 全市 and names no city.
#[component]
fn Breadcrumb(f: Filters, lists: Lists) -> impl IntoView {
    let city_name = move || {
        let id = f.city_id.get()?;
        lists.province().then_some(())?;
        lists
            .cities()
            .into_iter()
            .find(|c| c.id == id)
            .map(|c| c.name)
    };
    let district_name = move || {
        let id = f.district_id.get()?;
        lists
            .districts()
            .into_iter()
            .find(|d| d.id == id)
            .map(|d| d.name)
    };
    let station_name = move || {
        let id = f.station_id.get()?;
        lists
            .stations()
            .into_iter()
            .find(|s| s.id == id)
            .map(|s| s.name)
    };
    let top = move || {
        if lists.province() {
            tr(T::Province)()
        } else {
            tr(T::City)()
        }
    };
    view! {
        <nav class="crumbs" aria-label=tr(T::Breadcrumb) id="crumbs">
            <button type="button" class="link" on:click=move |_| f.whole()>{top}</button>
            {move || city_name().map(|name| view! {
                " › "
                <button type="button" class="link" on:click=move |_| f.below_city()>{name}</button>
            })}
            {move || district_name().map(|name| view! {
                " › "
                <button type="button" class="link" on:click=move |_| f.below_district()>{name}</button>
            })}
            {move || station_name().map(|name| view! {
                " › "
                <button type="button" class="link" on:click=move |_| f.school.set(None)>{name}</button>
            })}
            {move || f.school.get().map(|(_, name)| view! { " › " <span>{name}</span> })}
        </nav>
    }
}
