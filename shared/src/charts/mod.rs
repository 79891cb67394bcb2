//! Charts, drawn with plotters as SVG text.
//!
//! One function per chart, one file per chart; each takes the shapes the JSON aggregates
//! return (`crate::aggregate`, `crate::reach`), a [`Lang`] and the [`Fit`] it is drawn for
//! (its width in CSS px and its smallest text), and returns the SVG, drawn at that width. The
//! server serves them at `/api/v1/charts/{name}.svg` (and rasterises the same SVG to PNG);
//! the browser calls the same functions on the same aggregates, so both show one picture.
//! No I/O here: this module compiles to wasm32.
//!
//! plotters' SVG backend escapes every text and attribute it writes, so names that look
//! like markup are drawn as text; no function here writes SVG by hand.
//!
//! Every chart has a title, units on its axes, a legend, and an empty state that says
//! "no data in this selection" rather than drawing bare axes.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Lang;

mod bars;
mod frame;
mod juvenile_thefts;
mod night_wandering;
mod parts;
mod reach_over_time;
mod register_rates;
mod reoffence_rate;
mod returns_completeness;
mod screening_coverage;
mod sessions_by_district;
mod sessions_by_station;
mod topic_mix;
mod training_coverage;
mod unique_reach;

use frame::{centred, font, render, Head, Key, Mark};
use parts::{
    draw_overlaid, month_range, monthly, monthly_bars, outcome_months, percent, MonthlyBars,
    Overlaid,
};

pub use frame::{ChartWidth, Fit};

pub use juvenile_thefts::juvenile_thefts;
pub use night_wandering::night_wandering;
pub use reach_over_time::reach_over_time;
pub use register_rates::{contacts_on_time, followed_up_in_time};
pub use reoffence_rate::reoffence_rate;
pub use returns_completeness::returns_completeness;
pub use screening_coverage::screening_coverage;
pub use sessions_by_district::sessions_by_district;
pub use sessions_by_station::{sessions_by_station, TOP_STATIONS};
pub use topic_mix::topic_mix;
pub use training_coverage::training_coverage;
pub use unique_reach::unique_reach;

const FONT: &str = "sans-serif";
const AUDIENCE_COLOUR: RGBColor = RGBColor(43, 108, 176);
const SESSIONS_COLOUR: RGBColor = RGBColor(221, 107, 32);
const MUTED: RGBColor = RGBColor(160, 174, 192);
/// Notes on the plot, such as "*" for a hidden count.
const NOTE: RGBColor = RGBColor(77, 77, 77);
/// Colours for series that have no fixed meaning (films, audience groups), in order.
const PALETTE: [RGBColor; 8] = [
    RGBColor(43, 108, 176),
    RGBColor(221, 107, 32),
    RGBColor(56, 161, 105),
    RGBColor(128, 90, 213),
    RGBColor(214, 158, 46),
    RGBColor(49, 151, 149),
    RGBColor(229, 62, 62),
    RGBColor(113, 128, 150),
];

crate::coded_enum! {
    /// A chart the API can draw. The code is the name in the chart's URL (agreed with the
    /// other parts of the product; never renamed).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum ChartName {
        ReachOverTime = "reach-over-time",
        SessionsByDistrict = "sessions-by-district",
        SessionsByStation = "sessions-by-station",
        TopicMix = "topic-mix",
        ScreeningCoverage = "screening-coverage",
        TrainingCoverage = "training-coverage",
        ReoffenceRate = "reoffence-rate",
        NightWandering = "night-wandering",
        JuvenileThefts = "juvenile-thefts",
        UniqueReach = "unique-reach",
        ReturnsCompleteness = "returns-completeness",
        ContactsOnTime = "contacts-on-time",
        FollowedUpInTime = "followed-up-in-time",
    }
}

impl ChartName {
    /// The name in the chart's URL: its code.
    pub fn slug(self) -> &'static str {
        self.code()
    }

    pub fn from_slug(slug: &str) -> Option<ChartName> {
        ChartName::from_code(slug)
    }

    pub fn title(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            ChartName::ReachOverTime => (
                "每月受众人次（按受众类别）与累计人次",
                "Audience per month by group, and the running total (person-times)",
            ),
            ChartName::SessionsByDistrict => (
                "各辖区宣讲场次与受众人次",
                "Sessions and audience (person-times) by district",
            ),
            ChartName::SessionsByStation => (
                "各派出所宣讲场次与受众人次",
                "Sessions and audience (person-times) by police station",
            ),
            ChartName::TopicMix => (
                "各宣讲主题的场次与受众人次",
                "Sessions and audience (person-times) by topic",
            ),
            ChartName::ScreeningCoverage => (
                "影片放映覆盖率：已确认放映学校占应放映学校",
                "Film screening coverage: schools that confirmed, of those asked",
            ),
            ChartName::TrainingCoverage => (
                "宣讲员培训覆盖：有经培训宣讲员的派出所",
                "Speaker training coverage: stations with a trained speaker",
            ),
            ChartName::ReoffenceRate => (
                "结对帮扶未成年人再犯率（按月）",
                "Re-offence rate of mentored minors, per month",
            ),
            ChartName::ContactsOnTime => (
                "帮教个案按时联系率（按月）",
                "Cases contacted on time, per month",
            ),
            ChartName::FollowedUpInTime => (
                "出走失联警情回访率（7 日内，按月）",
                "Runaway calls followed up within 7 days, per month",
            ),
            ChartName::NightWandering => (
                "夜间游荡未成年人关爱人数（按月）",
                "Minors found wandering at night and cared for, per month",
            ),
            ChartName::JuvenileThefts => (
                "未成年人盗窃案件（按月，前后对比）",
                "Theft cases by minors per month, before and after",
            ),
            ChartName::UniqueReach => (
                "各辖区覆盖学生人数与学生人次",
                "Students reached (unique) against student person-times, by district",
            ),
            ChartName::ReturnsCompleteness => (
                "月报报送情况：已报送占应报（全年各月合计）",
                "Monthly returns: submitted of due (the year's months together)",
            ),
        };
        lang.pick(zh, en)
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// The chart's title and a sentence saying that the selection holds nothing to draw.
fn empty(title: &str, lang: Lang, fit: Fit) -> String {
    let head = Head::new(fit, title, &[], Vec::new());
    let body = fit.body() * 6;
    render(fit.width(), &head, body, |plot| {
        plot.draw(&Text::new(
            no_data(lang),
            (fit.width() as i32 / 2, body as i32 / 2),
            centred(fit.body()).color(&BLACK.mix(0.55)),
        ))
    })
}

/// What an empty chart says.
pub fn no_data(lang: Lang) -> &'static str {
    lang.pick("所选范围内暂无数据", "No data in this selection")
}

/// How a hidden count (see `crate::suppression`) is shown: never the number.
pub fn small_count_label() -> String {
    crate::outcome::HIDDEN.to_string()
}

/// The note a chart with hidden small counts carries in its legend.
fn small_count_note(lang: Lang) -> String {
    let small = small_count_label();
    match lang {
        Lang::Zh => format!("{small}：单个派出所 1–4 例或可据以推算的数字，不予显示"),
        Lang::En => format!("{small}: hidden (1–4 at a station, or would give one away)"),
    }
}

/// The top of an axis: a tenth above the largest value, and never zero.
fn headroom(max: i64) -> i64 {
    (max + max / 10).max(1) + 1
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        for (n, want) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1_300_000, "1,300,000"),
            (-4500, "-4,500"),
        ] {
            assert_eq!(thousands(n), want);
        }
    }

    #[test]
    fn chart_names_round_trip_and_match_the_agreed_slugs() {
        for c in ChartName::ALL {
            assert_eq!(ChartName::from_slug(c.slug()), Some(c));
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                serde_json::json!(c.slug())
            );
        }
        let slugs: Vec<_> = ChartName::ALL.iter().map(|c| c.slug()).collect();
        assert_eq!(
            slugs,
            [
                "reach-over-time",
                "sessions-by-district",
                "sessions-by-station",
                "topic-mix",
                "screening-coverage",
                "training-coverage",
                "reoffence-rate",
                "night-wandering",
                "juvenile-thefts",
                "unique-reach",
                "returns-completeness",
                "contacts-on-time",
                "followed-up-in-time",
            ]
        );
    }

    /// Issue 16: drawn for a phone (360 px), a wide screen, a download or the printed
    /// report, no chart writes text under the smallest size asked for, and each is as
    /// wide as asked (the film grid may be wider: it scrolls in its box).
    #[test]
    fn every_chart_writes_no_text_under_the_smallest_size_at_any_width() {
        let fits = [
            Fit::new(360, 12),
            Fit::for_screen(1300),
            Fit::EXPORT,
            // The annual report's film grid (see `server/src/report`).
            Fit::new(740, 12),
            Fit::new(Fit::MIN_WIDTH, 12),
        ];
        for fit in fits {
            for lang in [Lang::Zh, Lang::En] {
                for (name, svg) in testing::every_chart(lang, fit) {
                    testing::assert_readable(&svg, fit, name);
                }
            }
        }
    }

    #[test]
    fn month_ranges_fill_the_gaps_across_a_new_year() {
        assert_eq!(
            month_range(["2024-11", "2025-02"]),
            ["2024-11", "2024-12", "2025-01", "2025-02"]
        );
        assert_eq!(month_range(["2024-03"]), ["2024-03"]);
        assert!(month_range(["junk"]).is_empty());
    }
}

/// Helpers for the per-chart tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{ChartName, Fit};
    use crate::aggregate::{
        AudienceSummary, DistrictCoverage, DistrictTraining, FilmCoverage, OutcomePoint, ReachRow,
        TrainingCoverage,
    };
    use crate::dashboard::RatePoint;
    use crate::outcome::Indicator;
    use crate::reach::DistrictReach;
    use crate::Lang;

    /// Every chart drawn from a city's year: seven districts (one with a long name), fifteen
    /// stations, twelve months with a hidden count, ten films.
    pub fn every_chart(lang: Lang, fit: Fit) -> Vec<(ChartName, String)> {
        let districts = [
            "天宁分局",
            "钟楼分局",
            "新北分局（高新区）",
            "武进分局",
            "金坛分局",
            "溧阳市公安局",
            "常州经济开发区分局",
        ];
        let by_district: Vec<DistrictReach> = districts
            .iter()
            .enumerate()
            .map(|(i, d)| DistrictReach {
                district_id: i as i64,
                district: d.to_string(),
                sessions: 40 + i as i64,
                students: 120_000 + 1_000 * i as i64,
                parents: 8_000,
                teachers: 900,
                others: 50,
            })
            .collect();
        let stations: Vec<ReachRow> = (0..15)
            .map(|i| reach_row(i, &format!("龙虎塘{i}号派出所"), 3 + i, 4_000 + 350 * i))
            .collect();
        let months: Vec<ReachRow> = (1..=12)
            .map(|m| ReachRow {
                key: format!("2024-{m:02}"),
                label: format!("2024-{m:02}"),
                ..reach_row(m, "", 9, 30_000 + 1_000 * m)
            })
            .collect();
        let topics: Vec<ReachRow> = ["防溺水", "交通安全", "识诈防骗", "远离毒品", "防止校园霸凌"]
            .iter()
            .enumerate()
            .map(|(i, t)| reach_row(i as i64, t, 20, 10_000 * (i as i64 + 1)))
            .collect();
        let films: Vec<FilmCoverage> = (0..10)
            .map(|i| FilmCoverage {
                film_id: i,
                title: format!("《青少年心理危机的正确应对{i}》"),
                expected: 700,
                confirmed: 650,
                students: 100_000,
                parents: 20_000,
                by_district: (0..7)
                    .map(|d| DistrictCoverage {
                        district_id: d,
                        district: districts[d as usize].to_string(),
                        expected: 100,
                        confirmed: 92 + d,
                    })
                    .collect(),
            })
            .collect();
        let training = TrainingCoverage {
            stations: 87,
            trained: 80,
            speakers: 94,
            by_district: districts
                .iter()
                .enumerate()
                .map(|(i, d)| DistrictTraining {
                    district_id: i as i64,
                    district: d.to_string(),
                    stations: 12,
                    trained: 11,
                })
                .collect(),
        };
        let unique: Vec<(String, AudienceSummary)> = districts
            .iter()
            .map(|d| {
                let a = AudienceSummary {
                    students: 180_000,
                    unique_students: 95_000,
                    ..Default::default()
                };
                (d.to_string(), a)
            })
            .collect();
        let returns = {
            use crate::returns::completeness::{PlaceCompleteness, ReturnsCompleteness};
            use crate::returns::CompletenessCounts;
            let counts = CompletenessCounts {
                expected: 144,
                on_time: 120,
                late: 12,
                missing: 12,
                ..Default::default()
            };
            ReturnsCompleteness {
                months: Vec::new(),
                total: CompletenessCounts {
                    expected: 144 * districts.len() as i64,
                    ..counts.clone()
                },
                places: districts
                    .iter()
                    .enumerate()
                    .map(|(i, d)| PlaceCompleteness {
                        id: i as i64,
                        name: d.to_string(),
                        counts: counts.clone(),
                    })
                    .collect(),
            }
        };
        let rates: Vec<RatePoint> = (1..=12)
            .map(|m| RatePoint {
                month: format!("2024-{m:02}"),
                rate: (m != 5).then_some(0.032),
            })
            .collect();
        let outcomes: Vec<OutcomePoint> = (1..=12)
            .flat_map(|m| {
                [Indicator::NightWanderingCared, Indicator::JuvenileThefts].map(|indicator| {
                    OutcomePoint {
                        month: format!("2024-{m:02}"),
                        indicator,
                        value: (m != 3).then_some(10 + m),
                    }
                })
            })
            .collect();
        let since = chrono::NaiveDate::from_ymd_opt(2024, 9, 1);
        vec![
            (
                ChartName::ReachOverTime,
                super::reach_over_time(&months, lang, fit),
            ),
            (
                ChartName::SessionsByDistrict,
                super::sessions_by_district(&by_district, lang, fit),
            ),
            (
                ChartName::SessionsByStation,
                super::sessions_by_station(&stations, 87, lang, fit),
            ),
            (ChartName::TopicMix, super::topic_mix(&topics, lang, fit)),
            (
                ChartName::ScreeningCoverage,
                super::screening_coverage(&films, lang, fit),
            ),
            (
                ChartName::TrainingCoverage,
                super::training_coverage(&training, lang, fit),
            ),
            (
                ChartName::ReoffenceRate,
                super::reoffence_rate(&rates, lang, fit),
            ),
            (
                ChartName::ContactsOnTime,
                super::contacts_on_time(&rates, lang, fit),
            ),
            (
                ChartName::FollowedUpInTime,
                super::followed_up_in_time(&rates, lang, fit),
            ),
            (
                ChartName::NightWandering,
                super::night_wandering(&outcomes, lang, fit),
            ),
            (
                ChartName::JuvenileThefts,
                super::juvenile_thefts(&outcomes, since, lang, fit),
            ),
            (
                ChartName::UniqueReach,
                super::unique_reach(&unique, lang, fit),
            ),
            (
                ChartName::ReturnsCompleteness,
                super::returns_completeness(&returns, lang, fit),
            ),
        ]
    }

    /// Asserts that `svg` is drawn `fit.width()` px wide (the film grid: at least that) and
    /// that none of its texts is smaller than `fit.min_text()` px.
    pub fn assert_readable(svg: &str, fit: Fit, name: ChartName) {
        // The numeric `name` attribute of every `tag` element.
        let attr = |tag: &str, name: &str| -> Vec<f64> {
            let key = format!(" {name}=\"");
            svg.split(format!("<{tag} ").as_str())
                .skip(1)
                .filter_map(|element| {
                    let element = format!(" {}", element.split('>').next()?);
                    let value = element.split(key.as_str()).nth(1)?.split('"').next()?;
                    value.parse().ok()
                })
                .collect()
        };
        let width = attr("svg", "width")[0];
        let wide = name == ChartName::ScreeningCoverage;
        assert!(
            width == f64::from(fit.width()) || (wide && width > f64::from(fit.width())),
            "{name:?} at {fit:?} is {width} px wide"
        );
        let sizes = attr("text", "font-size");
        assert!(
            sizes.len() > 5,
            "{name:?} at {fit:?}: texts are drawn: {svg}"
        );
        let smallest = sizes.iter().copied().fold(f64::MAX, f64::min);
        assert!(
            smallest >= f64::from(fit.min_text()),
            "{name:?} at {fit:?} writes {smallest} px text"
        );
    }

    /// A reach row of `sessions` and `students` (no other audience), keyed by `id`.
    pub fn reach_row(id: i64, name: &str, sessions: i64, students: i64) -> ReachRow {
        ReachRow {
            key: id.to_string(),
            label: name.into(),
            sessions,
            students,
            parents: 0,
            teachers: 0,
            others: 0,
        }
    }

    /// Names that must come out as text, never as markup.
    pub const HOSTILE: [&str; 3] = [
        "<script>alert(1)</script>",
        "A & B",
        "<img src=x onerror=alert(1)>",
    ];

    /// Asserts that `svg` draws each hostile name as escaped text and carries no markup
    /// from it.
    pub fn assert_escaped(svg: &str) {
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
        assert!(!svg.contains("A & B"), "{svg}");
        for escaped in [
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "A &amp; B",
            "&lt;img src=x onerror=alert(1)&gt;",
        ] {
            assert!(svg.contains(escaped), "missing {escaped} in {svg}");
        }
    }

    /// Asserts that `svg` is a drawn chart, not the empty state, and has each text.
    pub fn assert_has(svg: &str, texts: &[&str]) {
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(!svg.contains(super::no_data(crate::Lang::Zh)), "{svg}");
        assert!(!svg.contains(super::no_data(crate::Lang::En)), "{svg}");
        for text in texts {
            assert!(svg.contains(text), "missing {text} in {svg}");
        }
    }
}
