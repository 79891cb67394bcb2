//! Charts, drawn with plotters as SVG text.
//!
//! One function per chart, one file per chart; each takes the shapes the JSON aggregates
//! return (`crate::aggregate`, `crate::reach`) and a [`Lang`], and returns the SVG. The
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
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::Lang;

mod juvenile_thefts;
mod night_wandering;
mod parts;
mod reach_over_time;
mod reoffence_rate;
mod screening_coverage;
mod sessions_by_district;
mod sessions_by_station;
mod topic_mix;
mod training_coverage;
mod unique_reach;

use parts::{
    category_label, draw_overlaid, month_label, month_range, monthly, monthly_bars, outcome_months,
    percent, MonthlyBars, Overlaid,
};

pub use juvenile_thefts::juvenile_thefts;
pub use night_wandering::night_wandering;
pub use reach_over_time::reach_over_time;
pub use reoffence_rate::reoffence_rate;
pub use screening_coverage::screening_coverage;
pub use sessions_by_district::sessions_by_district;
pub use sessions_by_station::{sessions_by_station, TOP_STATIONS};
pub use topic_mix::topic_mix;
pub use training_coverage::training_coverage;
pub use unique_reach::unique_reach;

pub const WIDTH: u32 = 860;
pub const HEIGHT: u32 = 440;

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
        };
        lang.pick(zh, en)
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// Draws onto a white canvas and returns the SVG.
fn render(draw: impl FnOnce(&Area<'_>) -> DrawResult) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        // Drawing into a String cannot fail for I/O reasons; a layout error leaves the
        // chart partly drawn, which is still better than no answer.
        let _ = root.fill(&WHITE).and_then(|_| draw(&root));
        let _ = root.present();
    }
    svg
}

/// The chart's title and a sentence saying that the selection holds nothing to draw.
fn empty(title: &str, lang: Lang) -> String {
    render(|root| {
        root.draw(&Text::new(title, (WIDTH as i32 / 2, 30), centred(22)))?;
        root.draw(&Text::new(
            no_data(lang),
            (WIDTH as i32 / 2, HEIGHT as i32 / 2),
            centred(18).color(&BLACK.mix(0.55)),
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

fn centred(size: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).pos(Pos::new(HPos::Center, VPos::Center))
}

fn left(size: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).pos(Pos::new(HPos::Left, VPos::Center))
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

/// A legend box in the upper right, the same on every chart.
fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font((FONT, 13))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()
}

/// A legend entry's filled square.
fn swatch(colour: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled())
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
            ]
        );
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
    use crate::aggregate::ReachRow;

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
