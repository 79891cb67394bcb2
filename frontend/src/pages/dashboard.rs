//! 领导看板: the headline figures, the charts, a table under each, filters, and drill-down
//! from the city to a district, a station and a school by clicking a name.
//!
//! Charts are drawn here by the same `shared` functions the server uses for
//! `/api/v1/charts/{name}.svg`, but for the re-offence rate, which the server draws: its
//! months divide by the stock of minors mentored reported before the slice, a rule that
//! lives on the server only, so the page cannot state another. Their SVG is produced by
//! plotters, which escapes every text it writes, so inserting it as markup cannot run a
//! script hidden in a name. Every figure comes from the aggregates API with the same
//! filters (one [`AggregateFilter`], as the server reads it), so the server's scope (a
//! district leader's district) applies to all of them.
//!
//! The dashboard is a WASM module of its own ([`BUNDLE`]): the charts and plotters stay out
//! of the module officers and schools load on phones.

use humiao_shared::aggregate::{
    AggregateFilter, AudienceSummary, FilmCoverage, GroupBy, OutcomePoint, ReachRow,
    TrainingCoverage,
};
use humiao_shared::app::AppModule;
use humiao_shared::charts::{self, thousands, ChartName};
use humiao_shared::org::{Campaign, District, Station, Topic};
use humiao_shared::outcome::Indicator;
use humiao_shared::reach::DistrictReach;
use humiao_shared::report::OutcomeTotals;
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
    district_id: RwSignal<Option<i64>>,
    station_id: RwSignal<Option<i64>>,
    school: RwSignal<Option<(i64, String)>>,
    topic_id: RwSignal<Option<i64>>,
}

impl Filters {
    /// The slice every aggregate is asked for (tracked: a view that reads it redraws when a
    /// filter changes).
    fn filter(&self) -> AggregateFilter {
        AggregateFilter {
            campaign_id: self.campaign_id.get(),
            // A date input holds a valid date or nothing.
            from: self.from.get().parse().ok(),
            to: self.to.get().parse().ok(),
            district_id: self.district_id.get(),
            station_id: self.station_id.get(),
            school_id: self.school.get().map(|s| s.0),
            topic_id: self.topic_id.get(),
            ..AggregateFilter::default()
        }
    }

    /// What the rows of the drill-down table are: the level below the one shown.
    fn level(&self) -> GroupBy {
        if self.station_id.get().is_some() {
            GroupBy::School
        } else if self.district_id.get().is_some() {
            GroupBy::Station
        } else {
            GroupBy::District
        }
    }
}

/// A grouping's name as the API spells it (`district`, `station`, …), for the tables'
/// `data-level`.
fn group_code(group: GroupBy) -> String {
    serde_json::to_value(group)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `params` as a query string, as the server's `Query` extractor reads it back. Filters
/// left empty (`None`) are left out.
fn query(params: &impl Serialize) -> String {
    // The filter's fields are numbers, dates and plain enums, which always serialise.
    serde_urlencoded::to_string(params).unwrap_or_default()
}

/// `GET /aggregates/reach`'s parameters: the slice and what its rows are per.
#[derive(Serialize)]
struct Grouped<'a> {
    group_by: GroupBy,
    #[serde(flatten)]
    filter: &'a AggregateFilter,
}

fn grouped(filter: &AggregateFilter, group_by: GroupBy) -> String {
    query(&Grouped { group_by, filter })
}

/// `GET /api/v1/charts/{name}.svg`'s parameters: the slice and the language.
#[derive(Serialize)]
struct Drawn<'a> {
    #[serde(flatten)]
    filter: &'a AggregateFilter,
    lang: Lang,
}

/// `GET /api/v1/schools`' parameters for the schools in the slice's place (`id` is the
/// school chosen, if any); `limit=1`, since only the total is read.
#[derive(Serialize)]
struct SchoolsIn {
    limit: i64,
    district_id: Option<i64>,
    station_id: Option<i64>,
    id: Option<i64>,
}

/// Everything the dashboard shows for one choice of filters.
#[derive(Clone)]
struct Figures {
    summary: AudienceSummary,
    schools_total: i64,
    training: TrainingCoverage,
    outcomes: OutcomeTotals,
    by_place: Vec<ReachRow>,
    by_month: Vec<ReachRow>,
    by_topic: Vec<ReachRow>,
    by_station: Vec<ReachRow>,
    by_district: Vec<DistrictReach>,
    films: Vec<FilmCoverage>,
    /// The outcome series of the slice, as `GET /aggregates/outcomes` gives it.
    points: Vec<OutcomePoint>,
    unique: Vec<(String, AudienceSummary)>,
}

async fn load(
    filter: AggregateFilter,
    level: GroupBy,
    districts: Vec<(i64, String)>,
) -> api::ApiResult<Figures> {
    let slice = query(&filter);
    let q = |path: &str| format!("/api/v1/aggregates/{path}?{slice}");
    let by = |group: GroupBy| format!("/api/v1/aggregates/reach?{}", grouped(&filter, group));
    let points: Vec<OutcomePoint> = api::get_json(&q("outcomes")).await?;
    // The same totals as the annual report, from the server: a year's total may be shown
    // where some of its months are hidden, so adding up the months would not do; and the
    // stock of minors mentored is the server's, by the server's rule.
    let outcomes: OutcomeTotals = api::get_json(&q("outcome-totals")).await?;
    let schools_in = SchoolsIn {
        limit: 1,
        district_id: filter.district_id,
        station_id: filter.station_id,
        id: filter.school_id,
    };
    let (_, schools_total) = api::list_with_total::<serde_json::Value>(&format!(
        "/api/v1/schools?{}",
        query(&schools_in)
    ))
    .await?;
    // Unique students against 人次, per district of the slice.
    let narrow = filter.station_id.is_some() || filter.school_id.is_some();
    let mut unique = Vec::new();
    for (id, name) in districts {
        let one_district = AggregateFilter {
            district_id: Some(id),
            ..filter.clone()
        };
        let one: AudienceSummary = api::get_json(&format!(
            "/api/v1/aggregates/audience?{}",
            query(&one_district)
        ))
        .await?;
        if !narrow || one.sessions > 0 {
            unique.push((name, one));
        }
    }
    Ok(Figures {
        summary: api::get_json(&q("audience")).await?,
        schools_total,
        training: api::get_json(&q("training-coverage")).await?,
        outcomes,
        by_place: api::get_json(&by(level)).await?,
        by_month: api::get_json(&by(GroupBy::Month)).await?,
        by_topic: api::get_json(&by(GroupBy::Topic)).await?,
        by_station: api::get_json(&by(GroupBy::Station)).await?,
        by_district: api::get_json(&q("sessions-by-district")).await?,
        films: api::get_json(&q("screening-coverage")).await?,
        points,
        unique,
    })
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    let districts = LocalResource::new(api::districts);
    let stations = LocalResource::new(api::stations);
    let topics = LocalResource::new(api::topics);
    // A district leader starts at the district, an officer at the station: their scope.
    let me = use_context::<humiao_shared::account::Me>();
    let f = Filters {
        campaign_id: RwSignal::new(None),
        from: RwSignal::new(String::new()),
        to: RwSignal::new(String::new()),
        district_id: RwSignal::new(me.as_ref().and_then(|m| m.district_id)),
        station_id: RwSignal::new(me.as_ref().and_then(|m| m.station_id)),
        school: RwSignal::new(None),
        topic_id: RwSignal::new(None),
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
    let year = move || {
        let id = f.campaign_id.get();
        campaigns
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|c| Some(c.id) == id))
            .map(|c| c.year)
    };
    let figures = LocalResource::new(move || {
        let (filter, level) = (f.filter(), f.level());
        let go = ready.get();
        // The districts of the slice, for the unique-reach chart.
        let chosen = f.district_id.get();
        let districts: Vec<(i64, String)> = districts
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|d| chosen.is_none_or(|c| c == d.id))
            .map(|d| (d.id, d.name))
            .collect();
        let go = go && !districts.is_empty();
        async move {
            if go {
                load(filter, level, districts).await.map(Some)
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
            <div class="field">
                <label for="filter-district">{tr(T::District)}</label>
                <select id="filter-district" on:change=move |ev| {
                    f.district_id.set(event_target_value(&ev).parse().ok());
                    f.station_id.set(None);
                    f.school.set(None);
                }>
                    <option value="" selected=move || f.district_id.get().is_none()>{tr(T::AllDistricts)}</option>
                    {move || districts.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|d: District| {
                        let id = d.id;
                        view! { <option value=id.to_string() selected=move || f.district_id.get() == Some(id)>{d.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-station">{tr(T::Station)}</label>
                <select id="filter-station" on:change=move |ev| {
                    let id: Option<i64> = event_target_value(&ev).parse().ok();
                    if let Some(id) = id {
                        if let Some(Ok(list)) = stations.get_untracked() {
                            if let Some(s) = list.iter().find(|s| s.id == id) {
                                f.district_id.set(Some(s.district_id));
                            }
                        }
                    }
                    f.station_id.set(id);
                    f.school.set(None);
                }>
                    <option value="" selected=move || f.station_id.get().is_none()>{tr(T::AllStations)}</option>
                    {move || {
                        let district = f.district_id.get();
                        stations.get().and_then(Result::ok).unwrap_or_default().into_iter()
                            .filter(|s: &Station| district.is_none_or(|d| s.district_id == d))
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
                    f.district_id.set(None);
                    f.station_id.set(None);
                    f.school.set(None);
                    f.topic_id.set(None);
                }>{tr(T::ResetFilters)}</button>
                {move || year().map(|y| view! {
                    <a class="button" id="report-link" href=format!("/report/{y}") target="_blank">{tr(T::AnnualReport)}</a>
                })}
            </div>
        </form>
        <Breadcrumb f=f districts=districts stations=stations />
        <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    figures.await.map(|loaded| loaded.map(|data| view! { <Board data=data f=f /> }))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// 全市 › 天宁分局 › 雕庄派出所 › school: where the dashboard is, each step a way back up.
#[component]
fn Breadcrumb(
    f: Filters,
    districts: LocalResource<api::ApiResult<Vec<District>>>,
    stations: LocalResource<api::ApiResult<Vec<Station>>>,
) -> impl IntoView {
    let district_name = move || {
        let id = f.district_id.get()?;
        districts
            .get()
            .and_then(Result::ok)?
            .into_iter()
            .find(|d| d.id == id)
            .map(|d| d.name)
    };
    let station_name = move || {
        let id = f.station_id.get()?;
        stations
            .get()
            .and_then(Result::ok)?
            .into_iter()
            .find(|s| s.id == id)
            .map(|s| s.name)
    };
    view! {
        <nav class="crumbs" aria-label=tr(T::Breadcrumb) id="crumbs">
            <button type="button" class="link" on:click=move |_| {
                f.district_id.set(None); f.station_id.set(None); f.school.set(None);
            }>{tr(T::City)}</button>
            {move || district_name().map(|name| view! {
                " › "
                <button type="button" class="link" on:click=move |_| { f.station_id.set(None); f.school.set(None); }>{name}</button>
            })}
            {move || station_name().map(|name| view! {
                " › "
                <button type="button" class="link" on:click=move |_| f.school.set(None)>{name}</button>
            })}
            {move || f.school.get().map(|(_, name)| view! { " › " <span>{name}</span> })}
        </nav>
    }
}

#[component]
fn Board(data: Figures, f: Filters) -> impl IntoView {
    let Figures {
        summary,
        schools_total,
        training,
        outcomes,
        by_place,
        by_month,
        by_topic,
        by_station,
        by_district,
        films,
        points,
        unique,
    } = data;
    let filter = f.filter();
    let slice = query(&filter);
    let level = f.level();
    let rate = outcomes.reoffence_rate().unwrap_or_else(|| "—".to_string());
    let mentored = humiao_shared::outcome::display(outcomes.minors_mentored);
    let place_title = move || match level {
        GroupBy::School => tr(T::School)(),
        GroupBy::Station => tr(T::Station)(),
        _ => tr(T::District)(),
    };
    let empty = summary.sessions == 0;
    // For the performance budget (`cargo xtask bench`): when the data was first drawn.
    Effect::new(|| {
        if let Some(performance) = window().performance() {
            let _ = performance.mark("dashboard-drawn");
        }
    });
    let chart = |name: ChartName, svg: Box<dyn Fn(Lang) -> String + Send + Sync>| {
        view! { <ChartCard name=name filter=filter.clone() drawing=Drawing::Here(svg) /> }
    };
    let training_rows = training.by_district.clone();
    let film_rows = films.clone();
    let unique_rows = unique.clone();
    let outcome_rows = points.clone();
    view! {
        <div class="figures" id="figures">
            <Figure name=T::Sessions value=thousands(summary.sessions) id="figure-sessions" />
            <Figure name=T::AudienceTotal value=thousands(summary.audience()) id="figure-audience" />
            <Figure name=T::Students value=thousands(summary.students) id="figure-students" />
            <Figure name=T::Parents value=thousands(summary.parents) id="figure-parents" />
            <Figure name=T::Teachers value=thousands(summary.teachers) id="figure-teachers" />
            <Figure name=T::Others value=thousands(summary.others) id="figure-others" />
            <Figure name=T::UniqueStudents value=thousands(summary.unique_students) id="figure-unique" />
            <Figure name=T::SchoolsCovered value=crate::i18n::of(summary.schools_reached, schools_total) id="figure-schools" />
            <Figure name=T::StationsTrained value=crate::i18n::of(training.trained, training.stations) id="figure-trained" />
            <Figure name=T::MinorsMentored value=mentored id="figure-mentored" />
            <Figure name=T::ReoffenceRate value=rate id="figure-reoffence" />
        </div>
        {empty.then(|| view! { <p class="notice" id="dashboard-empty">{tr(T::NoData)}</p> })}
        <section class="card">
            <h2>{place_title}</h2>
            <p class="muted">{tr(T::DrillHint)}</p>
            {match level {
                GroupBy::District => chart(ChartName::SessionsByDistrict, Box::new(move |l| charts::sessions_by_district(&by_district, l))),
                _ => {
                    let rows = by_station.clone();
                    chart(ChartName::SessionsByStation, Box::new(move |l| charts::sessions_by_station(&rows, l)))
                }
            }}
            <ReachTable rows=by_place.clone() id="table-places" level=level f=f />
            <Exports path=format!("reach?{}", grouped(&filter, level)) />
        </section>
        <div class="chart-grid">
            <section class="card">
                {chart(ChartName::ReachOverTime, { let rows = by_month.clone(); Box::new(move |l| charts::reach_over_time(&rows, l)) })}
                <ReachTable rows=by_month id="table-months" level=GroupBy::Month f=f />
                <Exports path=format!("reach?{}", grouped(&filter, GroupBy::Month)) />
            </section>
            <section class="card">
                {chart(ChartName::TopicMix, { let rows = by_topic.clone(); Box::new(move |l| charts::topic_mix(&rows, l)) })}
                <ReachTable rows=by_topic id="table-topics" level=GroupBy::Topic f=f />
                <Exports path=format!("reach?{}", grouped(&filter, GroupBy::Topic)) />
            </section>
            <section class="card">
                {chart(ChartName::UniqueReach, Box::new(move |l| charts::unique_reach(&unique, l)))}
                <SimpleTable id="table-unique" head=vec![T::District, T::UniqueStudents, T::Students]
                    rows=unique_rows.into_iter().map(|(name, a)| vec![name, thousands(a.unique_students), thousands(a.students)]).collect() />
                <Exports path=format!("audience?{slice}") />
            </section>
            <section class="card">
                {chart(ChartName::ScreeningCoverage, Box::new(move |l| charts::screening_coverage(&films, l)))}
                <SimpleTable id="table-films" head=vec![T::Film, T::SchoolsConfirmed, T::StudentsWatched, T::ParentsWatched]
                    rows=film_rows.into_iter().map(|c| vec![c.title, crate::i18n::of(c.confirmed, c.expected), thousands(c.students), thousands(c.parents)]).collect() />
                <Exports path=format!("screening-coverage?{slice}") />
            </section>
            <section class="card">
                {chart(ChartName::TrainingCoverage, { let t = training.clone(); Box::new(move |l| charts::training_coverage(&t, l)) })}
                <SimpleTable id="table-training" head=vec![T::District, T::StationsTrained]
                    rows=training_rows.into_iter().map(|d| vec![d.district, crate::i18n::of(d.trained, d.stations)]).collect() />
                <Exports path=format!("training-coverage?{slice}") />
            </section>
            <section class="card">
                <ChartCard name=ChartName::ReoffenceRate filter=filter.clone() drawing=Drawing::Server />
                {chart(ChartName::NightWandering, { let p = points.clone(); Box::new(move |l| charts::night_wandering(&p, l)) })}
                {chart(ChartName::JuvenileThefts, Box::new(move |l| charts::juvenile_thefts(&points, None, l)))}
                <OutcomeTable points=outcome_rows />
                <Exports path=format!("outcomes?{slice}") />
            </section>
        </div>
    }
}

/// Who draws a chart.
enum Drawing {
    /// The page, from the figures it loaded (the SVG in the language asked).
    Here(Box<dyn Fn(Lang) -> String + Send + Sync>),
    /// The server (`GET /api/v1/charts/{name}.svg`), for a chart that needs a rule only the
    /// server applies.
    Server,
}

/// One chart, with links to the same chart as SVG and PNG from the server.
#[component]
fn ChartCard(name: ChartName, filter: AggregateFilter, drawing: Drawing) -> impl IntoView {
    let slug = name.slug();
    let file = move |ext: &str| {
        let drawn = Drawn {
            filter: &filter,
            lang: lang(),
        };
        format!("/api/v1/charts/{slug}.{ext}?{}", query(&drawn))
    };
    let (svg_file, png_file) = (file.clone(), file.clone());
    // The markup, or why the server could not draw it.
    let markup: Box<dyn Fn() -> Result<String, String> + Send + Sync> = match drawing {
        Drawing::Here(svg) => Box::new(move || Ok(svg(lang()))),
        Drawing::Server => {
            let drawn = LocalResource::new(move || api::svg(file("svg")));
            Box::new(move || match drawn.get() {
                Some(Err(e)) => Err(e.to_string()),
                Some(Ok(svg)) => Ok(svg),
                None => Ok(String::new()),
            })
        }
    };
    let markup = std::sync::Arc::new(markup);
    let problem = {
        let markup = markup.clone();
        move || markup().err()
    };
    view! {
        <figure class="chart-card">
            <div class="chart" id=format!("chart-{slug}") role="img" aria-label=move || name.title(lang())
                inner_html=move || markup().unwrap_or_default()></div>
            {move || problem().map(|p| view! { <p class="notice bad" role="alert">{p}</p> })}
            <figcaption class="exports inline">
                <a class="button" href=move || svg_file("svg") download="">"SVG"</a>
                <a class="button" href=move || png_file("png") download="">"PNG"</a>
            </figcaption>
        </figure>
    }
}

/// A plain table of texts (names come from the data and are inserted as text).
#[component]
fn SimpleTable(id: &'static str, head: Vec<T>, rows: Vec<Vec<String>>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table id=id>
                <thead><tr>
                    {head.into_iter().enumerate().map(|(i, h)| view! { <th class:num={i > 0}>{tr(h)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>{row.into_iter().enumerate().map(|(i, cell)| view! { <td class:num={i > 0}>{cell}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The outcome series, months down and indicators across (a year is twelve rows, not one
/// row per value); hidden counts read "*", a month without a value is blank.
#[component]
fn OutcomeTable(points: Vec<OutcomePoint>) -> impl IntoView {
    if points.is_empty() {
        return view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any();
    }
    let indicators: Vec<Indicator> = Indicator::ALL
        .into_iter()
        .filter(|i| points.iter().any(|p| p.indicator == *i))
        .collect();
    let mut months: Vec<String> = points.iter().map(|p| p.month.clone()).collect();
    months.sort();
    months.dedup();
    let rows: Vec<(String, Vec<String>)> = months
        .into_iter()
        .map(|month| {
            let cells = indicators
                .iter()
                .map(|i| {
                    points
                        .iter()
                        .find(|p| p.month == month && p.indicator == *i)
                        .map(|p| humiao_shared::outcome::display(p.value))
                        .unwrap_or_default()
                })
                .collect();
            (month, cells)
        })
        .collect();
    view! {
        <div class="table-wrap">
            <table id="table-outcomes">
                <thead><tr>
                    <th>{tr(T::Month)}</th>
                    {indicators.into_iter().map(|i| view! { <th class="num">{move || i.label(lang())}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(month, cells)| view! {
                        <tr>
                            <td>{month}</td>
                            {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Export buttons: the same aggregate as Excel and CSV.
#[component]
fn Exports(path: String) -> impl IntoView {
    let file = move |format: &str| format!("/api/v1/aggregates/{path}&format={format}");
    view! {
        <p class="exports inline">
            <span class="muted">{tr(T::Export)}</span>
            <a class="button" href=file("xlsx") download="">"Excel"</a>
            <a class="button" href=file("csv") download="">"CSV"</a>
        </p>
    }
}

/// Rows of a reach aggregate; names of districts, stations and schools are buttons that
/// drill down to them.
#[component]
fn ReachTable(rows: Vec<ReachRow>, id: &'static str, level: GroupBy, f: Filters) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table id=id data-level=group_code(level)>
                <thead>
                    <tr>
                        <th>{tr(T::Name)}</th><th class="num">{tr(T::Sessions)}</th>
                        <th class="num">{tr(T::Students)}</th><th class="num">{tr(T::Parents)}</th>
                        <th class="num">{tr(T::Teachers)}</th><th class="num">{tr(T::Others)}</th>
                        <th class="num">{tr(T::Total)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let total = r.audience();
                        let key: Option<i64> = r.key.parse().ok();
                        let label = r.label.clone();
                        let name = match (level, key) {
                            (GroupBy::District | GroupBy::Station | GroupBy::School, Some(key)) => view! {
                                <button type="button" class="link drill" on:click=move |_| match level {
                                    GroupBy::District => { f.district_id.set(Some(key)); f.station_id.set(None); f.school.set(None); }
                                    GroupBy::Station => { f.station_id.set(Some(key)); f.school.set(None); }
                                    _ => f.school.set(Some((key, label.clone()))),
                                }>{r.label.clone()}</button>
                            }.into_any(),
                            _ => view! { <span>{r.label.clone()}</span> }.into_any(),
                        };
                        view! {
                            <tr data-key=r.key.clone()>
                                <td class="name">{name}</td>
                                <td class="num sessions">{thousands(r.sessions)}</td>
                                <td class="num">{thousands(r.students)}</td>
                                <td class="num">{thousands(r.parents)}</td>
                                <td class="num">{thousands(r.teachers)}</td>
                                <td class="num">{thousands(r.others)}</td>
                                <td class="num">{thousands(total)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Figure(name: T, value: String, id: &'static str) -> impl IntoView {
    view! {
        <div class="figure" id=id>
            <div class="value">{value}</div>
            <div class="name">{tr(name)}</div>
        </div>
    }
}
