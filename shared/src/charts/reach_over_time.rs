//! 人次 per month stacked by audience group (students, parents, teachers, others), with
//! the running total as a line on the right axis. Months without sessions show as gaps.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::{
    empty, headroom, legend, month_label, month_range, render, swatch, thousands, Area, ChartName,
    DrawResult, FONT, PALETTE,
};
use crate::aggregate::ReachRow;
use crate::Lang;

const TOTAL_COLOUR: RGBColor = RGBColor(26, 32, 44);

/// From `GET /aggregates/reach?group_by=month`.
pub fn reach_over_time(rows: &[ReachRow], lang: Lang) -> String {
    let title = ChartName::ReachOverTime.title(lang);
    if rows.iter().all(|r| r.audience() == 0) {
        return empty(title, lang);
    }
    render(|root| draw(root, rows, title, lang))
}

fn draw(root: &Area<'_>, rows: &[ReachRow], title: &str, lang: Lang) -> DrawResult {
    let months = month_range(rows.iter().map(|r| r.key.as_str()));
    // Per month, the four groups in stacking order (students at the bottom).
    let groups: Vec<[i64; 4]> = months
        .iter()
        .map(|m| {
            rows.iter()
                .find(|r| &r.key == m)
                .map_or([0; 4], |r| [r.students, r.parents, r.teachers, r.others])
        })
        .collect();
    let last = months.len().saturating_sub(1);
    let totals: Vec<i64> = groups.iter().map(|g| g.iter().sum()).collect();
    let running: Vec<i64> = totals
        .iter()
        .scan(0, |sum, t| {
            *sum += t;
            Some(*sum)
        })
        .collect();
    let names = [
        lang.pick("学生", "Students"),
        lang.pick("家长", "Parents"),
        lang.pick("教师", "Teachers"),
        lang.pick("其他", "Others"),
    ];
    let total_label = lang.pick("累计人次", "Running total (person-times)");

    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .right_y_label_area_size(80)
        .build_cartesian_2d(
            super::parts::categories(last + 1).into_segmented(),
            // A quarter above the tallest month keeps the legend clear of the bars.
            0..headroom(totals.iter().copied().max().unwrap_or(0) * 5 / 4),
        )?
        .set_secondary_coord(
            super::parts::categories(last + 1).into_segmented(),
            0..headroom(running.last().copied().unwrap_or(0)),
        );
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(months.len() + 1)
        .x_label_formatter(&|v| month_label(&months, v))
        .x_label_style((FONT, 11))
        .y_desc(lang.pick("每月受众（人次）", "Audience per month (person-times)"))
        .y_label_formatter(&|v| thousands(*v))
        .axis_desc_style((FONT, 14))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc(total_label)
        .y_label_formatter(&|v| thousands(*v))
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 14))
        .draw()?;

    // Stacked bars: each group's bar reaches the sum of it and the groups below it, drawn
    // from the top group down so that each covers the lower part of the one before.
    for g in (0..4).rev() {
        let colour = PALETTE[g];
        let bars = Histogram::vertical(&chart)
            .style(colour.filled())
            .margin(8)
            .data(
                groups
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i, v[..=g].iter().sum::<i64>())),
            );
        chart
            .draw_series(bars)?
            .label(names[g])
            .legend(swatch(colour));
    }
    let points: Vec<_> = running
        .iter()
        .enumerate()
        .map(|(i, n)| (SegmentValue::CenterOf(i), *n))
        .collect();
    chart
        .draw_secondary_series(LineSeries::new(
            points.clone(),
            TOTAL_COLOUR.stroke_width(2),
        ))?
        .label(total_label)
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], TOTAL_COLOUR.stroke_width(2)));
    chart.draw_secondary_series(
        points
            .into_iter()
            .map(|p| Circle::new(p, 3, TOTAL_COLOUR.filled())),
    )?;
    legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

#[cfg(test)]
mod tests {
    use super::super::testing::assert_has;
    use super::*;

    fn month(key: &str, students: i64, parents: i64) -> ReachRow {
        ReachRow {
            key: key.into(),
            label: key.into(),
            sessions: 1,
            students,
            parents,
            teachers: 5,
            others: 0,
        }
    }

    #[test]
    fn months_are_stacked_by_group_with_the_running_total() {
        let svg = reach_over_time(
            &[month("2024-03", 1_200, 300), month("2024-05", 800, 100)],
            Lang::Zh,
        );
        assert_has(
            &svg,
            &[
                "每月受众人次（按受众类别）与累计人次",
                "学生",
                "家长",
                "教师",
                "其他",
                "累计人次",
                "每月受众（人次）",
                // The month without sessions keeps its place on the axis.
                "2024-04",
                "2024-05",
            ],
        );
        let en = reach_over_time(&[month("2024-03", 1, 0)], Lang::En);
        assert_has(&en, &["Students", "Running total (person-times)"]);
    }

    #[test]
    fn a_selection_without_audience_says_so() {
        assert!(reach_over_time(&[], Lang::Zh).contains("所选范围内暂无数据"));
        let zero = reach_over_time(
            &[month("2024-03", 0, 0)].map(|mut r| {
                r.teachers = 0;
                r
            }),
            Lang::En,
        );
        assert!(zero.contains("No data in this selection"));
    }
}
