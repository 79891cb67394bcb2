//! `--only charts`: how long each chart takes to draw for a city-year.
//!
//! The aggregates are read once, through the API as the browser reads them, from the
//! city-scale database (`humiao gen --scale city --years 1`, kept between runs); then each
//! drawing function runs 50 times on them: SVG (the shared function alone) and PNG (the
//! same SVG rasterised by the server's resvg code with the CJK font, as a `.png` request
//! does). The target is 20 ms per chart. A chart marked "(empty)" had no data and timed its
//! empty state.

use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use humiao_server::db::Db;
use humiao_shared::aggregate::{
    AudienceSummary, FilmCoverage, OutcomePoint, ReachRow, TrainingCoverage,
};
use humiao_shared::charts::{self, ChartName, Fit};
use humiao_shared::reach::DistrictReach;
use humiao_shared::returns::completeness::{Completeness, ReturnsCompleteness};
use humiao_shared::Lang;
use humiao_tests::database::Engine;
use humiao_tests::process::ServerProcess;
use humiao_tests::signed_in;
use serde::de::DeserializeOwned;

use crate::report::{ChartRow, Report};
use crate::setup;

const RUNS: usize = 50;

/// Every aggregate the charts are drawn from, for the 2025 campaign.
struct Inputs {
    months: Vec<ReachRow>,
    districts: Vec<DistrictReach>,
    stations: Vec<ReachRow>,
    topics: Vec<ReachRow>,
    films: Vec<FilmCoverage>,
    training: TrainingCoverage,
    outcomes: Vec<OutcomePoint>,
    audience: Vec<(String, AudienceSummary)>,
    returns: ReturnsCompleteness,
}

pub async fn charts(report: &mut Report) -> Result<()> {
    let url = setup::generated(Engine::Sqlite, "city", 1).await?;
    let scratch = setup::data_dir().join("scratch");
    std::fs::create_dir_all(&scratch)?;
    let server = ServerProcess::start(&url, &scratch)?;
    let db = Db::connect(&url).await?;
    setup::ensure_admin(&db).await?;
    let (campaign,): (i64,) = sqlx::query_as("SELECT id FROM campaigns WHERE year = 2025")
        .fetch_one(&db.pool)
        .await
        .context("the 2025 campaign")?;
    let districts: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM districts ORDER BY sort_order, id")
            .fetch_all(&db.pool)
            .await?;
    let client = signed_in(&server.url, "admin").await;
    let get = |path: String| {
        let (client, base) = (client.clone(), server.url.clone());
        async move {
            let url = format!("{base}/api/v1/aggregates/{path}");
            let res = client.get(&url).send().await?.error_for_status()?;
            Ok::<_, anyhow::Error>(res)
        }
    };
    async fn json<T: DeserializeOwned>(res: reqwest::Response) -> Result<T> {
        Ok(res.json().await?)
    }
    let c = format!("campaign_id={campaign}");
    let mut audience = Vec::new();
    for (id, name) in &districts {
        let a: AudienceSummary = json(get(format!("audience?{c}&district_id={id}")).await?).await?;
        audience.push((name.clone(), a));
    }
    let inputs = Inputs {
        months: json(get(format!("reach?{c}&group_by=month")).await?).await?,
        districts: json(get(format!("sessions-by-district?{c}")).await?).await?,
        stations: json(get(format!("reach?{c}&group_by=station")).await?).await?,
        topics: json(get(format!("reach?{c}&group_by=topic")).await?).await?,
        films: json(get(format!("screening-coverage?{c}")).await?).await?,
        training: json(get(format!("training-coverage?{c}")).await?).await?,
        outcomes: with_made_up_outcomes(json(get(format!("outcomes?{c}")).await?).await?),
        audience,
        returns: {
            let url = format!("{}/api/v1/completeness?year=2025", server.url);
            let res = client.get(&url).send().await?.error_for_status()?;
            json::<Completeness>(res).await?.returns
        },
    };
    drop(server);
    println!(
        "charts: {} months, {} stations, {} films, {} outcome points",
        inputs.months.len(),
        inputs.stations.len(),
        inputs.films.len(),
        inputs.outcomes.len()
    );
    // The font database is loaded once per server; not part of any chart's time.
    humiao_server::routes::charts::png(&charts::sessions_by_district(&[], Lang::Zh, Fit::EXPORT))
        .map_err(|e| anyhow::anyhow!("PNG charts need a CJK font (fonts-noto-cjk): {e}"))?;
    let since = chrono::NaiveDate::from_ymd_opt(2025, 6, 1);
    let rates = rates_of(&inputs.outcomes);
    for chart in ChartName::ALL {
        let draw = || match chart {
            ChartName::ReachOverTime => {
                charts::reach_over_time(&inputs.months, Lang::Zh, Fit::EXPORT)
            }
            ChartName::SessionsByDistrict => {
                charts::sessions_by_district(&inputs.districts, Lang::Zh, Fit::EXPORT)
            }
            ChartName::SessionsByStation => charts::sessions_by_station(
                &inputs.stations,
                inputs.stations.len(),
                Lang::Zh,
                Fit::EXPORT,
            ),
            ChartName::TopicMix => charts::topic_mix(&inputs.topics, Lang::Zh, Fit::EXPORT),
            ChartName::ScreeningCoverage => {
                charts::screening_coverage(&inputs.films, Lang::Zh, Fit::EXPORT)
            }
            ChartName::TrainingCoverage => {
                charts::training_coverage(&inputs.training, Lang::Zh, Fit::EXPORT)
            }
            ChartName::ReoffenceRate => charts::reoffence_rate(&rates, Lang::Zh, Fit::EXPORT),
            // The registers' shares draw like the re-offence rate: the same points do.
            ChartName::ContactsOnTime => charts::contacts_on_time(&rates, Lang::Zh, Fit::EXPORT),
            ChartName::FollowedUpInTime => {
                charts::followed_up_in_time(&rates, Lang::Zh, Fit::EXPORT)
            }
            ChartName::NightWandering => {
                charts::night_wandering(&inputs.outcomes, Lang::Zh, Fit::EXPORT)
            }
            ChartName::JuvenileThefts => {
                charts::juvenile_thefts(&inputs.outcomes, since, Lang::Zh, Fit::EXPORT)
            }
            ChartName::UniqueReach => charts::unique_reach(&inputs.audience, Lang::Zh, Fit::EXPORT),
            ChartName::ReturnsCompleteness => {
                charts::returns_completeness(&inputs.returns, Lang::Zh, Fit::EXPORT)
            }
        };
        let svg = draw();
        let empty = svg.contains(charts::no_data(Lang::Zh));
        let svg_times = runs(|| {
            std::hint::black_box(draw());
        });
        let mut png_bytes = 0;
        let png_times = runs(|| {
            let png = humiao_server::routes::charts::png(&draw()).expect("PNG");
            png_bytes = png.len();
        });
        report.charts.push(ChartRow {
            slug: chart.slug(),
            svg_bytes: svg.len(),
            png_bytes,
            empty,
            svg: svg_times,
            png: png_times,
        });
    }
    Ok(())
}

/// `humiao gen` makes no outcome figures; without any, the outcome charts would time their
/// empty state. A city-year of monthly totals, of the size the demo's are, stands in.
fn with_made_up_outcomes(points: Vec<OutcomePoint>) -> Vec<OutcomePoint> {
    use humiao_shared::outcome::Indicator;
    if !points.is_empty() {
        return points;
    }
    let mut made = vec![OutcomePoint {
        month: "2024-12".into(),
        indicator: Indicator::MinorsMentored,
        value: Some(1_038),
    }];
    for m in 1..=12i64 {
        let month = format!("2025-{m:02}");
        for (indicator, value) in [
            (Indicator::Reoffences, 1 + m % 4),
            (Indicator::NightWanderingCared, 20 + 3 * (m % 5)),
            (Indicator::JuvenileThefts, 5 + m % 4),
        ] {
            made.push(OutcomePoint {
                month: month.clone(),
                indicator,
                value: Some(value),
            });
        }
    }
    made
}

/// Each month's re-offences over the latest stock of minors mentored (the server's rule
/// for whole slices, enough to give the chart as many points to draw).
fn rates_of(points: &[OutcomePoint]) -> Vec<humiao_shared::dashboard::RatePoint> {
    use humiao_shared::outcome::Indicator;
    let mut stock = None;
    let mut rates = Vec::new();
    for p in points {
        match p.indicator {
            Indicator::MinorsMentored => stock = p.value,
            Indicator::Reoffences => rates.push(humiao_shared::dashboard::RatePoint {
                month: p.month.clone(),
                rate: stock
                    .zip(p.value)
                    .filter(|(s, _)| *s > 0)
                    .map(|(s, r)| r as f64 / s as f64),
            }),
            _ => {}
        }
    }
    rates
}

/// `RUNS` timed runs of `f` after two untimed ones.
fn runs(mut f: impl FnMut()) -> Vec<Duration> {
    f();
    f();
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}
