//! Charts, drawn with plotters as SVG text.
//!
//! One function per chart; the server serves its output at `/api/v1/charts/{name}.svg` and
//! the browser calls the same function on the same aggregates, so both show the same picture.
//! plotters' SVG backend escapes every text it writes, so names that look like markup are
//! drawn as text.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

use crate::reach::DistrictReach;
use crate::Lang;

pub const WIDTH: u32 = 860;
pub const HEIGHT: u32 = 440;

const FONT: &str = "sans-serif";
const AUDIENCE_COLOUR: RGBColor = RGBColor(43, 108, 176);
const SESSIONS_COLOUR: RGBColor = RGBColor(221, 107, 32);

/// A chart the API can draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ChartName {
    SessionsByDistrict,
}

impl ChartName {
    pub const ALL: [ChartName; 1] = [ChartName::SessionsByDistrict];

    pub fn slug(self) -> &'static str {
        match self {
            ChartName::SessionsByDistrict => "sessions-by-district",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ChartName> {
        ChartName::ALL.into_iter().find(|c| c.slug() == slug)
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            ChartName::SessionsByDistrict => lang.pick(
                "各辖区宣讲场次与受众人次",
                "Sessions and audience (person-times) by district",
            ),
        }
    }
}

/// Bars of audience (人次) per district on the left axis, sessions as a line on the right.
pub fn sessions_by_district(rows: &[DistrictReach], lang: Lang) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let title = ChartName::SessionsByDistrict.title(lang);
        // Drawing into a String cannot fail for I/O reasons; a layout error leaves the chart
        // partly drawn, which is still better than no answer.
        let _ = if rows.iter().all(|r| r.sessions == 0) {
            draw_empty(&root, title, lang)
        } else {
            draw_sessions_by_district(&root, rows, title, lang)
        };
        let _ = root.present();
    }
    svg
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

fn draw_sessions_by_district(
    root: &Area<'_>,
    rows: &[DistrictReach],
    title: &str,
    lang: Lang,
) -> DrawResult {
    root.fill(&WHITE)?;
    let n = rows.len();
    let last = n.saturating_sub(1);
    let max_audience = rows.iter().map(DistrictReach::audience).max().unwrap_or(0);
    let max_sessions = rows.iter().map(|r| r.sessions).max().unwrap_or(0);
    let audience_label = lang.pick("受众（人次）", "Audience (person-times)");
    let sessions_label = lang.pick("宣讲场次", "Sessions");

    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 22))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(80)
        .right_y_label_area_size(64)
        // A segmented range `0..k` has k + 1 segments: one per district.
        .build_cartesian_2d((0..last).into_segmented(), 0..headroom(max_audience))?
        .set_secondary_coord((0..last).into_segmented(), 0..headroom(max_sessions));

    let name_of = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) => rows.get(*i).map(|r| r.district.clone()).unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .x_labels(n + 1)
        .x_label_formatter(&name_of)
        .x_label_style((FONT, 14))
        .y_desc(audience_label)
        .y_label_formatter(&|v| thousands(*v))
        .axis_desc_style((FONT, 14))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc(sessions_label)
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 14))
        .draw()?;

    let bars = Histogram::vertical(&chart)
        .style(AUDIENCE_COLOUR.mix(0.85).filled())
        .margin(14)
        .data(rows.iter().enumerate().map(|(i, r)| (i, r.audience())));
    chart
        .draw_series(bars)?
        .label(audience_label)
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], AUDIENCE_COLOUR.filled()));

    let points: Vec<_> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (SegmentValue::CenterOf(i), r.sessions))
        .collect();
    chart
        .draw_secondary_series(LineSeries::new(
            points.clone(),
            SESSIONS_COLOUR.stroke_width(3),
        ))?
        .label(sessions_label)
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], SESSIONS_COLOUR.stroke_width(3)));
    chart.draw_secondary_series(
        points
            .into_iter()
            .map(|p| Circle::new(p, 4, SESSIONS_COLOUR.filled())),
    )?;

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font((FONT, 14))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    Ok(())
}

fn draw_empty(root: &Area<'_>, title: &str, lang: Lang) -> DrawResult {
    root.fill(&WHITE)?;
    let centre = (WIDTH as i32 / 2, HEIGHT as i32 / 2);
    let style = |size| {
        TextStyle::from((FONT, size).into_font()).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ))
    };
    root.draw(&Text::new(title, (centre.0, 30), style(22)))?;
    root.draw(&Text::new(
        lang.pick(
            "所选范围内暂无宣讲记录",
            "No sessions in this selection yet",
        ),
        centre,
        style(18).color(&BLACK.mix(0.55)),
    ))?;
    Ok(())
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

    fn row(id: i64, name: &str, sessions: i64, students: i64) -> DistrictReach {
        DistrictReach {
            district_id: id,
            district: name.into(),
            sessions,
            students,
            parents: 10,
            teachers: 2,
            others: 0,
        }
    }

    #[test]
    fn the_district_chart_names_every_district_and_its_axes() {
        let svg = sessions_by_district(
            &[row(1, "天宁分局", 12, 3_000), row(2, "钟楼分局", 3, 800)],
            Lang::Zh,
        );
        assert!(svg.starts_with("<svg"), "{svg}");
        for text in [
            "各辖区宣讲场次与受众人次",
            "天宁分局",
            "钟楼分局",
            "受众（人次）",
            "宣讲场次",
            "3,000",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }

    #[test]
    fn names_that_look_like_markup_are_drawn_as_text() {
        let svg = sessions_by_district(
            &[row(1, "<img src=x onerror=alert(1)> & Co", 1, 5)],
            Lang::En,
        );
        assert!(!svg.contains("<img"), "{svg}");
        assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt; &amp; Co"));
    }

    #[test]
    fn a_chart_without_sessions_says_so() {
        let svg = sessions_by_district(&[row(1, "天宁分局", 0, 0)], Lang::Zh);
        assert!(svg.contains("暂无宣讲记录"));
        let en = sessions_by_district(&[], Lang::En);
        assert!(en.contains("No sessions"));
    }

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
    fn chart_names_round_trip() {
        for c in ChartName::ALL {
            assert_eq!(ChartName::from_slug(c.slug()), Some(c));
        }
    }
}
