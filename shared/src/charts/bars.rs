//! Horizontal bars, one row per category (station, district, topic), its name on the left
//! and a figure after the bar. Names of any length read along the row at any width, which
//! is why every category chart uses them, a phone's included. A row may carry a pale
//! "whole" bar behind its bar (all stations behind the trained ones).

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::frame::{clip, font, left, text_width};
use super::parts::{categories, category_label};
use super::{thousands, Area, DrawResult, Fit, MUTED};

/// The rows, top to bottom.
pub(super) struct Bars<'a> {
    pub(super) names: Vec<String>,
    /// The pale bar behind each row's bar, if the chart compares a part with its whole.
    pub(super) whole: Option<Vec<i64>>,
    pub(super) values: Vec<i64>,
    pub(super) colour: RGBColor,
    /// Written after each row's bar.
    pub(super) figures: Vec<String>,
    /// The value axis's name.
    pub(super) unit: &'a str,
}

/// A row's height: twice the smallest text, so that a name reads beside a bar of about
/// its height; a long list (fifteen stations) is set closer, as a printed list would be.
fn row_height(fit: Fit, rows: usize) -> u32 {
    if rows > 8 {
        fit.small() * 5 / 3
    } else {
        fit.small() * 2
    }
}

/// How tall the plot of `rows` rows is, axis included.
pub(super) fn height(fit: Fit, rows: usize) -> u32 {
    // One category gets an empty one beside it (see `categories`).
    row_height(fit, rows) * rows.max(2) as u32 + fit.x_axis_height() + fit.margin() as u32 * 2
}

pub(super) fn draw(area: &Area<'_>, fit: Fit, bars: &Bars<'_>) -> DrawResult {
    let small = fit.small();
    let m = fit.margin();
    let width = fit.width() as i32;
    // Names take what they need, up to two fifths of the width.
    let name_room = bars
        .names
        .iter()
        .map(|n| text_width(n, small))
        .max()
        .unwrap_or(0)
        .min(width * 2 / 5);
    let name_area = name_room + 12;
    let plot_w = width - 2 * m - name_area;
    let top_estimate = bars
        .values
        .iter()
        .chain(bars.whole.iter().flatten())
        .max()
        .map_or(1, |v| v * 2);
    // The widest value label the axis could have.
    let tick_w = text_width(&thousands(top_estimate), small);
    // Row 0 is drawn at the top, i.e. at the highest category.
    let names: Vec<String> = bars
        .names
        .iter()
        .rev()
        .map(|n| clip(n, small, name_room))
        .collect();
    let last = bars.names.len().saturating_sub(1);
    let max = bars
        .values
        .iter()
        .chain(bars.whole.iter().flatten())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    // Room after the longest bar for its figure.
    let figure_w = bars
        .figures
        .iter()
        .map(|f| text_width(f, small))
        .max()
        .unwrap_or(0)
        + 6;
    let bar_room = (plot_w - figure_w).max(plot_w / 3).max(1);
    let ticks = (plot_w / (tick_w + 24)).clamp(3, 10) as usize;
    // plotters labels the multiples of the finest 1, 2 or 5 × 10ⁿ of which no more than
    // `ticks` fit: an axis reaching at least one such step has two labels, not "0" alone.
    let needed = max as f64 * f64::from(plot_w) / f64::from(bar_room);
    let step = round_step(needed / (ticks - 1) as f64);
    let top = needed.max(step).ceil() as i64;

    let mut chart = ChartBuilder::on(area)
        .margin(m)
        // The last value label is centred on the axis's end: room for its right half.
        .margin_right(m.max(tick_w / 2 + 2))
        .x_label_area_size(fit.x_axis_height())
        .y_label_area_size(name_area as u32)
        .build_cartesian_2d(0..top, categories(last + 1).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(bars.names.len() + 1)
        .y_label_formatter(&|v| category_label(&names, v))
        .y_label_style(font(small))
        .x_desc(bars.unit)
        .x_labels(ticks)
        .x_label_formatter(&|v| thousands(*v))
        .x_label_style(font(small))
        .axis_desc_style(font(fit.body()))
        .draw()?;
    let row = row_height(fit, bars.names.len());
    if let Some(whole) = &bars.whole {
        let pale = Histogram::horizontal(&chart)
            .style(MUTED.mix(0.6).filled())
            .margin(row / 8)
            .data(whole.iter().enumerate().map(|(i, v)| (last - i, *v)));
        chart.draw_series(pale)?;
    }
    let inset = if bars.whole.is_some() {
        row / 3
    } else {
        row / 8
    };
    let shown = Histogram::horizontal(&chart)
        .style(bars.colour.mix(0.9).filled())
        .margin(inset)
        .data(bars.values.iter().enumerate().map(|(i, v)| (last - i, *v)));
    chart.draw_series(shown)?;
    // Figures a few px after their bar (SVG drops a text's leading spaces).
    chart.draw_series(bars.figures.iter().enumerate().map(|(i, f)| {
        let end = bars.values[i].max(bars.whole.as_ref().map_or(0, |w| w[i]));
        EmptyElement::at((end, SegmentValue::CenterOf(last - i)))
            + Text::new(f.clone(), (4, 0), left(small))
    }))?;
    Ok(())
}

/// The smallest of 1, 2, 5 × 10ⁿ that is at least `x` (and at least 1).
fn round_step(x: f64) -> f64 {
    let magnitude = 10f64.powf(x.max(1.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= x)
        .unwrap_or(10.0 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::round_step;

    #[test]
    fn axis_steps_are_round() {
        for (x, step) in [
            (0.3, 1.0),
            (7.0, 10.0),
            (12_000.0, 20_000.0),
            (41_000.0, 50_000.0),
        ] {
            assert_eq!(round_step(x), step, "{x}");
        }
    }
}
