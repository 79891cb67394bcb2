//! 人次 per month stacked by audience group (students, parents, teachers, others), with
//! the running total as a line on the right axis. Months without sessions show as gaps.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::parts::{bar_inset, categories, every_month_label, month_step, y_ticks};
use super::{
    empty, font, headroom, month_range, render, thousands, Area, ChartName, DrawResult, Fit, Head,
    Key, Mark, PALETTE,
};
use crate::aggregate::ReachRow;
use crate::Lang;

const TOTAL_COLOUR: RGBColor = RGBColor(26, 32, 44);

/// From `GET /aggregates/reach?group_by=month`.
pub fn reach_over_time(rows: &[ReachRow], lang: Lang, fit: Fit) -> String {
    let title = ChartName::ReachOverTime.title(lang);
    if rows.iter().all(|r| r.audience() == 0) {
        return empty(title, lang, fit);
    }
    let names = group_names(lang);
    let mut keys: Vec<Key> = (0..4)
        .map(|g| Key::new(names[g], Mark::Swatch(PALETTE[g])))
        .collect();
    keys.push(Key::new(total_label(lang), Mark::Line(TOTAL_COLOUR)));
    let head = Head::new(fit, title, &[], keys);
    render(fit.width(), &head, fit.plot_height(), |plot| {
        draw(plot, rows, lang, fit)
    })
}

/// The audience groups in stacking order (students at the bottom).
fn group_names(lang: Lang) -> [&'static str; 4] {
    [
        lang.pick("学生", "Students"),
        lang.pick("家长", "Parents"),
        lang.pick("教师", "Teachers"),
        lang.pick("其他", "Others"),
    ]
}

fn total_label(lang: Lang) -> &'static str {
    lang.pick("累计人次", "Running total (person-times)")
}

fn draw(root: &Area<'_>, rows: &[ReachRow], lang: Lang, fit: Fit) -> DrawResult {
    let months = month_range(rows.iter().map(|r| r.key.as_str()));
    // Per month, the four groups in stacking order.
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
    let top = headroom(totals.iter().copied().max().unwrap_or(0));
    let running_top = headroom(running.last().copied().unwrap_or(0));
    let (left_area, right_area) = (
        fit.y_axis_width(&thousands(top)),
        fit.y_axis_width(&thousands(running_top)),
    );
    let plot_w = fit.width() as i32 - 2 * fit.margin() - (left_area + right_area) as i32;
    let step = month_step(fit, months.len(), plot_w);

    let mut chart = ChartBuilder::on(root)
        .margin(fit.margin())
        .x_label_area_size(fit.month_axis_height())
        .y_label_area_size(left_area)
        .right_y_label_area_size(right_area)
        .build_cartesian_2d(categories(last + 1).into_segmented(), 0..top)?
        .set_secondary_coord(categories(last + 1).into_segmented(), 0..running_top);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(months.len() + 1)
        .x_label_formatter(&|v| every_month_label(&months, v, step))
        .x_label_style(font(fit.small()))
        .y_labels(y_ticks(fit))
        .y_desc(lang.pick("每月受众（人次）", "Audience per month (person-times)"))
        .y_label_formatter(&|v| thousands(*v))
        .y_label_style(font(fit.small()))
        .axis_desc_style(font(fit.body()))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_labels(y_ticks(fit))
        .y_desc(total_label(lang))
        .y_label_formatter(&|v| thousands(*v))
        .label_style(font(fit.small()))
        .axis_desc_style(font(fit.body()))
        .draw()?;

    // Stacked bars: each group's bar reaches the sum of it and the groups below it, drawn
    // from the top group down so that each covers the lower part of the one before.
    let inset = bar_inset(plot_w, months.len());
    for g in (0..4).rev() {
        let bars = Histogram::vertical(&chart)
            .style(PALETTE[g].filled())
            .margin(inset)
            .data(
                groups
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i, v[..=g].iter().sum::<i64>())),
            );
        chart.draw_series(bars)?;
    }
    let points: Vec<_> = running
        .iter()
        .enumerate()
        .map(|(i, n)| (SegmentValue::CenterOf(i), *n))
        .collect();
    chart.draw_secondary_series(LineSeries::new(
        points.clone(),
        TOTAL_COLOUR.stroke_width(2),
    ))?;
    chart.draw_secondary_series(
        points
            .into_iter()
            .map(|p| Circle::new(p, 3, TOTAL_COLOUR.filled())),
    )?;
    Ok(())
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
            Fit::EXPORT,
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
        let en = reach_over_time(&[month("2024-03", 1, 0)], Lang::En, Fit::EXPORT);
        assert_has(&en, &["Students", "Running total (person-times)"]);
    }

    #[test]
    fn a_selection_without_audience_says_so() {
        assert!(reach_over_time(&[], Lang::Zh, Fit::EXPORT).contains("所选范围内暂无数据"));
        let zero = reach_over_time(
            &[month("2024-03", 0, 0)].map(|mut r| {
                r.teachers = 0;
                r
            }),
            Lang::En,
            Fit::EXPORT,
        );
        assert!(zero.contains("No data in this selection"));
    }
}
