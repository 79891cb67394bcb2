//! The re-offence rate of mentored minors per month: the month's re-offences over the
//! minors in mentoring, as a line.
//!
//! The server computes the rates (`RatePoint`, as `GET /api/v1/dashboard` states them):
//! each from true counts, minors mentored being the stock at the month's end (DOMAIN.md),
//! and then shown or hidden as a whole. A month without a rate (hidden from a
//! non-administrator, see `crate::suppression`, or no one in mentoring) is a gap marked
//! "*": a rate there could give a hidden count away.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::frame::{every, text_width};
use super::parts::{categories, every_month_label, month_step, y_ticks};
use super::{
    centred, empty, font, render, small_count_label, small_count_note, Area, ChartName, DrawResult,
    Fit, Head, Key, Mark, NOTE, SESSIONS_COLOUR,
};
use crate::dashboard::RatePoint;
use crate::Lang;

/// One month's point: a rate in percent, or a gap.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Point {
    Rate(f64),
    Hidden,
}

/// From the dashboard's `reoffence_by_month` (rates 0–1, month by month).
pub fn reoffence_rate(points: &[RatePoint], lang: Lang, fit: Fit) -> String {
    let key = lang.pick(
        "再犯率（再犯 ÷ 结对帮扶未成年人）",
        "Re-offences ÷ minors mentored",
    );
    let axis = lang.pick("再犯率（%）", "Re-offence rate (%)");
    rate_by_month(ChartName::ReoffenceRate, key, axis, points, lang, fit)
}

/// A share per month (0–1) as a line in percent, with gaps marked "*": the re-offence
/// rate and the registers' other shares (`super::register_rates`) are drawn alike.
pub(super) fn rate_by_month(
    name: ChartName,
    key: &str,
    axis: &str,
    points: &[RatePoint],
    lang: Lang,
    fit: Fit,
) -> String {
    let title = name.title(lang);
    // Nothing to draw (no months, or none with a rate to show).
    if points.iter().all(|p| p.rate.is_none()) {
        return empty(title, lang, fit);
    }
    let months: Vec<String> = points.iter().map(|p| p.month.clone()).collect();
    let rates: Vec<Point> = points
        .iter()
        .map(|p| p.rate.map_or(Point::Hidden, |r| Point::Rate(r * 100.0)))
        .collect();
    let mut keys = vec![Key::new(key, Mark::Line(SESSIONS_COLOUR))];
    if rates.contains(&Point::Hidden) {
        keys.push(Key::new(small_count_note(lang), Mark::None));
    }
    let head = Head::new(fit, title, &[], keys);
    render(fit.width(), &head, fit.plot_height(), |plot| {
        draw(plot, &months, &rates, axis, fit)
    })
}

fn draw(root: &Area<'_>, months: &[String], rates: &[Point], axis: &str, fit: Fit) -> DrawResult {
    let last = months.len().saturating_sub(1);
    let max = rates
        .iter()
        .filter_map(|p| match p {
            Point::Rate(r) => Some(*r),
            _ => None,
        })
        .fold(0.0, f64::max);
    // Room above the highest point for its figure; a share near 100% gets the same.
    let top = (max * 1.25).clamp(0.5, 125.0);
    let y_area = fit.y_axis_width("00.00");
    let plot_w = fit.width() as i32 - 2 * fit.margin() - y_area as i32;
    let step = month_step(fit, months.len(), plot_w);
    // Figures above the points, as many as fit side by side.
    let figure_step = every(months.len(), plot_w, text_width("0.00%", fit.small()));
    let mut chart = ChartBuilder::on(root)
        .margin(fit.margin())
        .x_label_area_size(fit.month_axis_height())
        .y_label_area_size(y_area)
        .build_cartesian_2d(categories(last + 1).into_segmented(), 0f64..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(months.len() + 1)
        .x_label_formatter(&|v| every_month_label(months, v, step))
        .x_label_style(font(fit.small()))
        .y_labels(y_ticks(fit))
        .y_desc(axis)
        .y_label_formatter(&|v| format!("{v:.2}"))
        .y_label_style(font(fit.small()))
        .axis_desc_style(font(fit.body()))
        .draw()?;
    // The line breaks wherever a month has no rate to show.
    let mut runs: Vec<Vec<(usize, f64)>> = vec![Vec::new()];
    for (i, p) in rates.iter().enumerate() {
        match p {
            Point::Rate(r) => runs
                .last_mut()
                .into_iter()
                .for_each(|run| run.push((i, *r))),
            _ => runs.push(Vec::new()),
        }
    }
    let style = SESSIONS_COLOUR.stroke_width(3);
    for run in runs.into_iter().filter(|r| !r.is_empty()) {
        let at = |(i, r): (usize, f64)| (SegmentValue::CenterOf(i), r);
        chart.draw_series(LineSeries::new(run.iter().copied().map(at), style))?;
        chart.draw_series(
            run.iter()
                .map(|p| Circle::new(at(*p), 4, SESSIONS_COLOUR.filled())),
        )?;
        // Each month's rate above its point: the figure, not only its height.
        chart.draw_series(
            run.iter()
                .filter(|(i, _)| i % figure_step == 0)
                .map(|(i, r)| {
                    Text::new(
                        format!("{r:.2}%"),
                        (SegmentValue::CenterOf(*i), r + top / 12.0),
                        centred(fit.small()),
                    )
                }),
        )?;
    }
    chart.draw_series(
        (0..rates.len())
            .filter(|i| rates[*i] == Point::Hidden)
            .map(|i| {
                Text::new(
                    small_count_label(),
                    (SegmentValue::CenterOf(i), top / 20.0),
                    centred(fit.small()).color(&NOTE),
                )
            }),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::assert_has;
    use super::*;

    fn point(month: &str, rate: Option<f64>) -> RatePoint {
        RatePoint {
            month: month.into(),
            rate,
        }
    }

    #[test]
    fn each_months_rate_is_drawn_in_percent() {
        let svg = reoffence_rate(
            &[
                point("2024-01", Some(0.005)),
                point("2024-02", Some(0.0)),
                point("2024-03", Some(0.0025)),
            ],
            Lang::Zh,
            Fit::EXPORT,
        );
        assert_has(
            &svg,
            &[
                "结对帮扶未成年人再犯率",
                "再犯率（%）",
                "再犯 ÷ 结对帮扶未成年人",
                "2024-01",
                "0.50%",
                "2024-02",
                "0.00%",
                "0.25%",
            ],
        );
        assert!(!svg.contains("&lt;5"), "nothing is hidden here");
    }

    #[test]
    fn hidden_rates_are_marked_and_never_drawn() {
        let svg = reoffence_rate(
            &[point("2024-03", None), point("2024-04", Some(0.0))],
            Lang::En,
            Fit::EXPORT,
        );
        assert_has(&svg, &["hidden (1–4 at a station, or would give one away)"]);
        // Only April's point is drawn: one circle.
        assert_eq!(svg.matches("<circle").count(), 1, "{svg}");
    }

    #[test]
    fn no_rates_make_an_empty_chart() {
        assert!(reoffence_rate(&[], Lang::Zh, Fit::EXPORT).contains("所选范围内暂无数据"));
        let svg = reoffence_rate(&[point("2024-03", None)], Lang::En, Fit::EXPORT);
        assert!(svg.contains("No data in this selection"));
    }
}
