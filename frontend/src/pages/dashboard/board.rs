//! One dashboard view drawn from one [`Dashboard`] answer: the headline figures with their
//! definitions, then a chart and a table per series. Nothing here asks the server for a
//! figure, and every chart is drawn here from it by the same `shared` functions the server
//! uses for `/api/v1/charts/{name}.svg` (the re-offence rate's months come computed).
//! Each chart carries one 导出 menu ([`ExportMenu`]) with the chart's image and its table's
//! data. In a slice without any outcome figure, minors mentored and the re-offence rate
//! read "—" with 无数据, never 0.0% or a stock from before the slice.

use humiao_shared::aggregate::{AudienceSummary, GroupBy};
use humiao_shared::charts::{self, thousands, ChartName, Fit};
use humiao_shared::dashboard::Dashboard;
use humiao_shared::definitions::{rate_shown, Figure as Def};
use humiao_shared::reach::DistrictReach;
use humiao_shared::Lang;
use leptos::prelude::*;
use serde::Serialize;

use super::export::ExportMenu;
use super::parts::{caption_of, ChartCard, Figure, OutcomeTable, ReachTable, SimpleTable};
use super::{query, Filters};
use crate::i18n::{lang, no_roll, of, tr, T};

/// `GET /aggregates/reach`'s parameters, for the export buttons: the slice and what its
/// rows are per.
#[derive(Serialize)]
struct Grouped<'a> {
    group_by: GroupBy,
    #[serde(flatten)]
    filter: &'a humiao_shared::aggregate::AggregateFilter,
}

/// What a figure with no data in the slice reads (beside a 无数据 note).
const NO_FIGURE: &str = "—";

/// The title of the places one level down.
pub(super) fn place_name(level: GroupBy) -> T {
    match level {
        GroupBy::City => T::CityName,
        GroupBy::Station => T::Station,
        GroupBy::School => T::School,
        _ => T::District,
    }
}

#[component]
pub(super) fn Board(data: Dashboard, f: Filters) -> impl IntoView {
    // For the performance budget (`cargo xtask bench`): when the data was first drawn.
    Effect::new(|| {
        if let Some(performance) = window().performance() {
            let _ = performance.mark("dashboard-drawn");
        }
    });
    if data.slice.is_none() {
        return view! { <p class="notice" id="dashboard-empty">{tr(T::NoCampaign)}</p> }.into_any();
    }
    let outcomes_reported = data.outcomes_reported();
    let Dashboard {
        level,
        summary,
        coverage,
        training,
        outcomes,
        reoffence_rate,
        reoffence_by_month,
        contacts_on_time,
        followed_up_in_time,
        outcome_series,
        by_place,
        by_month,
        by_topic,
        by_station,
        stations,
        coverage_by_place,
        films,
        ..
    } = data;
    let filter = f.filter();
    let slice = query(&filter);
    let grouped = |group_by| {
        query(&Grouped {
            group_by,
            filter: &filter,
        })
    };
    let empty = summary.sessions == 0;
    // A chart, then its one export menu: the picture (SVG, PNG) and the data behind it
    // (`data`: the aggregate's path and query, as Excel or CSV).
    let chart =
        |name: ChartName, data: String, svg: Box<dyn Fn(Lang, Fit) -> String + Send + Sync>| {
            view! {
                <ChartCard name=name svg=svg />
                <ExportMenu chart=name filter=filter.clone() data=Some(data) />
            }
        };
    let places_data = format!("reach?{}", grouped(level));
    // The sessions chart: one bar per district at district level; below it (and above,
    // where a province's stations are too many to name) the largest stations.
    let by_district = level == GroupBy::District;
    let sessions_chart = if by_district {
        let rows: Vec<DistrictReach> = by_place
            .iter()
            .map(|r| DistrictReach {
                district_id: r.key.parse().unwrap_or_default(),
                district: r.label.clone(),
                sessions: r.sessions,
                students: r.students,
                parents: r.parents,
                teachers: r.teachers,
                others: r.others,
            })
            .collect();
        chart(
            ChartName::SessionsByDistrict,
            places_data,
            Box::new(move |l, w| charts::sessions_by_district(&rows, l, w)),
        )
    } else {
        chart(
            ChartName::SessionsByStation,
            places_data,
            Box::new(move |l, w| charts::sessions_by_station(&by_station, stations as usize, l, w)),
        )
    };
    // Unique students against student 人次, per place one level down.
    let unique: Vec<(String, AudienceSummary)> = coverage_by_place
        .iter()
        .map(|p| {
            let a = AudienceSummary {
                students: p.coverage.students,
                unique_students: p.coverage.unique_students,
                schools_reached: p.coverage.schools_covered,
                ..AudienceSummary::default()
            };
            (p.label.clone(), a)
        })
        .collect();
    let unique_rows: Vec<Vec<String>> = coverage_by_place
        .iter()
        .map(|p| {
            let c = &p.coverage;
            vec![
                p.label.clone(),
                of(c.schools_covered, c.schools),
                thousands(c.unique_students),
                thousands(c.students),
            ]
        })
        .collect();
    let without_roll = coverage.schools_without_roll;
    let schools_note =
        (without_roll > 0).then_some(Signal::derive(move || no_roll(lang(), without_roll)));
    let training_rows: Vec<Vec<String>> = training
        .by_district
        .iter()
        .map(|d| vec![d.district.clone(), of(d.trained, d.stations)])
        .collect();
    let film_rows: Vec<Vec<String>> = films
        .iter()
        .map(|c| {
            vec![
                c.title.clone(),
                of(c.confirmed, c.expected),
                thousands(c.students),
                thousands(c.parents),
            ]
        })
        .collect();
    // A slice without any outcome figure has no minors mentored (the stock would come from
    // before it) and no re-offence rate (not 0.0%): both read as no data.
    let no_data = tr(T::NoDataShort);
    let (mentored, rate, note) = if outcomes_reported {
        let mentored = humiao_shared::outcome::display(outcomes.minors_mentored);
        (mentored, rate_shown(reoffence_rate), None)
    } else {
        let note = Signal::derive(move || no_data().to_string());
        (NO_FIGURE.to_string(), NO_FIGURE.to_string(), Some(note))
    };
    // The chart's subject heads the section; the table under it may list a level down
    // (a station's schools under the stations chart) and says so.
    let chart_subject = if by_district { T::District } else { T::Station };
    let table_title = (place_name(level) != chart_subject).then(|| {
        view! {
            <h3 class="table-title">{tr(place_name(level))}</h3>
        }
    });
    let series = outcome_series;
    // Where the outcome figures came from: typed, counted from the registers, or each
    // station-month one or the other (issue 18).
    let source = outcomes.source;
    let source_note = move || source.note().get(lang());
    view! {
        <div class="figures" id="figures">
            <Figure def=Def::Sessions value=thousands(summary.sessions) id="figure-sessions" />
            <Figure def=Def::Audience value=thousands(summary.audience()) id="figure-audience" />
            <Figure def=Def::Students value=thousands(summary.students) id="figure-students" />
            <Figure def=Def::Parents value=thousands(summary.parents) id="figure-parents" />
            <Figure def=Def::Teachers value=thousands(summary.teachers) id="figure-teachers" />
            <Figure def=Def::Others value=thousands(summary.others) id="figure-others" />
            <Figure def=Def::UniqueStudents value=thousands(coverage.unique_students) id="figure-unique" />
            <Figure def=Def::SchoolsCovered value=of(coverage.schools_covered, coverage.schools) id="figure-schools"
                note=schools_note />
            <Figure def=Def::StationsTrained value=of(training.trained, training.stations) id="figure-trained" />
            <Figure def=Def::SpeakersTrained value=thousands(training.speakers) id="figure-speakers" />
            <Figure def=Def::MinorsMentored value=mentored id="figure-mentored" note=note />
            <Figure def=Def::ReoffenceRate value=rate id="figure-reoffence" note=note />
        </div>
        {empty.then(|| view! { <p class="notice" id="dashboard-empty">{tr(T::NoData)}</p> })}
        <section class="card">
            <h2>{tr(chart_subject)}</h2>
            <p class="muted">{tr(T::DrillHint)}</p>
            {sessions_chart}
            {table_title}
            <ReachTable rows=by_place id="table-places" caption=Box::new(tr(place_name(level))) level=level f=f />
        </section>
        <div class="chart-grid">
            <section class="card">
                {chart(ChartName::ReachOverTime, format!("reach?{}", grouped(GroupBy::Month)), { let rows = by_month.clone(); Box::new(move |l, w| charts::reach_over_time(&rows, l, w)) })}
                <ReachTable rows=by_month id="table-months" caption=caption_of(ChartName::ReachOverTime) level=GroupBy::Month f=f />
            </section>
            <section class="card">
                {chart(ChartName::TopicMix, format!("reach?{}", grouped(GroupBy::Topic)), { let rows = by_topic.clone(); Box::new(move |l, w| charts::topic_mix(&rows, l, w)) })}
                <ReachTable rows=by_topic id="table-topics" caption=caption_of(ChartName::TopicMix) level=GroupBy::Topic f=f />
            </section>
            <section class="card">
                {chart(ChartName::UniqueReach, format!("audience?{slice}"), Box::new(move |l, w| charts::unique_reach(&unique, l, w)))}
                <SimpleTable id="table-unique" caption=caption_of(ChartName::UniqueReach) head=vec![place_name(level), T::SchoolsCovered, T::UniqueStudents, T::Students]
                    rows=unique_rows />
            </section>
            <section class="card">
                {chart(ChartName::ScreeningCoverage, format!("screening-coverage?{slice}"), Box::new(move |l, w| charts::screening_coverage(&films, l, w)))}
                <SimpleTable id="table-films" caption=caption_of(ChartName::ScreeningCoverage) head=vec![T::Film, T::SchoolsConfirmed, T::StudentsWatched, T::ParentsWatched]
                    rows=film_rows />
            </section>
            <section class="card">
                {chart(ChartName::TrainingCoverage, format!("training-coverage?{slice}"), { let t = training.clone(); Box::new(move |l, w| charts::training_coverage(&t, l, w)) })}
                <SimpleTable id="table-training" caption=caption_of(ChartName::TrainingCoverage) head=vec![T::District, T::StationsTrained]
                    rows=training_rows />
            </section>
            <section class="card">
                <p class="muted" id="outcomes-source" data-source=source.code()>{source_note}</p>
                {chart(ChartName::ReoffenceRate, format!("outcomes?{slice}"), Box::new(move |l, w| charts::reoffence_rate(&reoffence_by_month, l, w)))}
                {chart(ChartName::ContactsOnTime, format!("outcomes?{slice}"), Box::new(move |l, w| charts::contacts_on_time(&contacts_on_time, l, w)))}
                {chart(ChartName::FollowedUpInTime, format!("outcomes?{slice}"), Box::new(move |l, w| charts::followed_up_in_time(&followed_up_in_time, l, w)))}
                {chart(ChartName::NightWandering, format!("outcomes?{slice}"), { let p = series.clone(); Box::new(move |l, w| charts::night_wandering(&p, l, w)) })}
                {chart(ChartName::JuvenileThefts, format!("outcomes?{slice}"), { let p = series.clone(); Box::new(move |l, w| charts::juvenile_thefts(&p, None, l, w)) })}
                <OutcomeTable points=series />
            </section>
        </div>
    }
    .into_any()
}
