//! One dashboard view drawn from one [`Dashboard`] answer: the headline figures with their
//! definitions, then a chart and a table per series. Nothing here asks the server for a
//! figure, and every chart is drawn here from it by the same `shared` functions the server
//! uses for `/api/v1/charts/{name}.svg` (the re-offence rate's months come computed).

use humiao_shared::aggregate::{AudienceSummary, GroupBy};
use humiao_shared::charts::{self, thousands, ChartName, Fit};
use humiao_shared::dashboard::Dashboard;
use humiao_shared::definitions::{rate_shown, Figure as Def};
use humiao_shared::reach::DistrictReach;
use humiao_shared::Lang;
use leptos::prelude::*;
use serde::Serialize;

use super::parts::{ChartCard, Exports, Figure, OutcomeTable, ReachTable, SimpleTable};
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
    let Dashboard {
        level,
        summary,
        coverage,
        training,
        outcomes,
        reoffence_rate,
        reoffence_by_month,
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
    let chart = |name: ChartName, svg: Box<dyn Fn(Lang, Fit) -> String + Send + Sync>| {
        view! { <ChartCard name=name filter=filter.clone() svg=svg /> }
    };
    // The sessions chart: one bar per district at district level; below it (and above,
    // where a province's stations are too many to name) the largest stations.
    let sessions_chart = if level == GroupBy::District {
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
            Box::new(move |l, w| charts::sessions_by_district(&rows, l, w)),
        )
    } else {
        chart(
            ChartName::SessionsByStation,
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
    let mentored = humiao_shared::outcome::display(outcomes.minors_mentored);
    let series = outcome_series;
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
            <Figure def=Def::MinorsMentored value=mentored id="figure-mentored" />
            <Figure def=Def::ReoffenceRate value=rate_shown(reoffence_rate) id="figure-reoffence" />
        </div>
        {empty.then(|| view! { <p class="notice" id="dashboard-empty">{tr(T::NoData)}</p> })}
        <section class="card">
            <h2>{tr(place_name(level))}</h2>
            <p class="muted">{tr(T::DrillHint)}</p>
            {sessions_chart}
            <ReachTable rows=by_place id="table-places" level=level f=f />
            <Exports path=format!("reach?{}", grouped(level)) />
        </section>
        <div class="chart-grid">
            <section class="card">
                {chart(ChartName::ReachOverTime, { let rows = by_month.clone(); Box::new(move |l, w| charts::reach_over_time(&rows, l, w)) })}
                <ReachTable rows=by_month id="table-months" level=GroupBy::Month f=f />
                <Exports path=format!("reach?{}", grouped(GroupBy::Month)) />
            </section>
            <section class="card">
                {chart(ChartName::TopicMix, { let rows = by_topic.clone(); Box::new(move |l, w| charts::topic_mix(&rows, l, w)) })}
                <ReachTable rows=by_topic id="table-topics" level=GroupBy::Topic f=f />
                <Exports path=format!("reach?{}", grouped(GroupBy::Topic)) />
            </section>
            <section class="card">
                {chart(ChartName::UniqueReach, Box::new(move |l, w| charts::unique_reach(&unique, l, w)))}
                <SimpleTable id="table-unique" head=vec![place_name(level), T::SchoolsCovered, T::UniqueStudents, T::Students]
                    rows=unique_rows />
                <Exports path=format!("audience?{slice}") />
            </section>
            <section class="card">
                {chart(ChartName::ScreeningCoverage, Box::new(move |l, w| charts::screening_coverage(&films, l, w)))}
                <SimpleTable id="table-films" head=vec![T::Film, T::SchoolsConfirmed, T::StudentsWatched, T::ParentsWatched]
                    rows=film_rows />
                <Exports path=format!("screening-coverage?{slice}") />
            </section>
            <section class="card">
                {chart(ChartName::TrainingCoverage, { let t = training.clone(); Box::new(move |l, w| charts::training_coverage(&t, l, w)) })}
                <SimpleTable id="table-training" head=vec![T::District, T::StationsTrained]
                    rows=training_rows />
                <Exports path=format!("training-coverage?{slice}") />
            </section>
            <section class="card">
                {chart(ChartName::ReoffenceRate, Box::new(move |l, w| charts::reoffence_rate(&reoffence_by_month, l, w)))}
                {chart(ChartName::NightWandering, { let p = series.clone(); Box::new(move |l, w| charts::night_wandering(&p, l, w)) })}
                {chart(ChartName::JuvenileThefts, { let p = series.clone(); Box::new(move |l, w| charts::juvenile_thefts(&p, None, l, w)) })}
                <OutcomeTable points=series />
                <Exports path=format!("outcomes?{slice}") />
            </section>
        </div>
    }
    .into_any()
}
