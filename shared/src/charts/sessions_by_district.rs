//! Sessions and audience per district: bars of 人次 on the left axis, sessions as a line on
//! the right. Every district appears, even one without sessions, so the gap shows.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::{
    category_label, empty, headroom, legend, render, swatch, thousands, Area, ChartName,
    DrawResult, AUDIENCE_COLOUR, FONT, SESSIONS_COLOUR,
};
use crate::reach::DistrictReach;
use crate::Lang;

/// From `GET /aggregates/sessions-by-district`.
pub fn sessions_by_district(rows: &[DistrictReach], lang: Lang) -> String {
    let title = ChartName::SessionsByDistrict.title(lang);
    if rows.iter().all(|r| r.sessions == 0) {
        return empty(title, lang);
    }
    render(|root| draw(root, rows, title, lang))
}

fn draw(root: &Area<'_>, rows: &[DistrictReach], title: &str, lang: Lang) -> DrawResult {
    let names: Vec<String> = rows.iter().map(|r| r.district.clone()).collect();
    let last = rows.len().saturating_sub(1);
    let max_audience = rows.iter().map(DistrictReach::audience).max().unwrap_or(0);
    let max_sessions = rows.iter().map(|r| r.sessions).max().unwrap_or(0);
    let audience_label = lang.pick("受众（人次）", "Audience (person-times)");
    let sessions_label = lang.pick("宣讲场次（场）", "Sessions");

    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(80)
        .right_y_label_area_size(64)
        // A segmented range `0..k` has k + 1 segments: one per district.
        .build_cartesian_2d(
            super::parts::categories(last + 1).into_segmented(),
            0..headroom(max_audience),
        )?
        .set_secondary_coord(
            super::parts::categories(last + 1).into_segmented(),
            0..headroom(max_sessions),
        );
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(rows.len() + 1)
        .x_label_formatter(&|v| category_label(&names, v))
        .x_label_style((FONT, 13))
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
        .legend(swatch(AUDIENCE_COLOUR));
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
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_escaped, assert_has, HOSTILE};
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
    fn the_district_chart_names_every_district_its_axes_and_legend() {
        let svg = sessions_by_district(
            &[row(1, "天宁分局", 12, 3_000), row(2, "钟楼分局", 3, 800)],
            Lang::Zh,
        );
        assert_has(
            &svg,
            &[
                "各辖区宣讲场次与受众人次",
                "天宁分局",
                "钟楼分局",
                "受众（人次）",
                "宣讲场次（场）",
                "3,000",
            ],
        );
    }

    #[test]
    fn district_names_that_look_like_markup_are_drawn_as_text() {
        let rows: Vec<_> = HOSTILE.iter().map(|n| row(1, n, 1, 5)).collect();
        assert_escaped(&sessions_by_district(&rows, Lang::En));
    }

    #[test]
    fn a_district_chart_without_sessions_says_so() {
        let svg = sessions_by_district(&[row(1, "天宁分局", 0, 0)], Lang::Zh);
        assert!(svg.contains("所选范围内暂无数据"));
        assert!(svg.contains("各辖区宣讲场次与受众人次"));
        let en = sessions_by_district(&[], Lang::En);
        assert!(en.contains("No data in this selection"));
    }
}
