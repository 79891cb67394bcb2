//! Charts drawn for the width they get: the [`Fit`] a caller asks for (the CSS px the chart
//! will occupy and its smallest text), the text sizes that follow from it, and the head
//! every chart has above its plot (title, notes and legend, wrapped to the width).
//!
//! A chart is drawn at its real width, so that one SVG px is one CSS px where it is shown:
//! scaling a wide drawing down to a phone is what made its text 3–6 px (issue 16). The
//! legend sits in the head rather than over the plot, because at 12 px on a phone a legend
//! box would cover most of the bars.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Area, DrawResult, FONT, NOTE};

/// The width a chart is drawn for and its smallest text, both in CSS px.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    width: u32,
    min_text: u32,
}

impl Fit {
    /// Narrower than this no chart can name its categories.
    pub const MIN_WIDTH: u32 = 240;
    pub const MAX_WIDTH: u32 = 2400;
    /// Downloads (`/api/v1/charts/{name}.svg` without `width`): a slide's or a page's width.
    pub const EXPORT: Fit = Fit {
        width: 860,
        min_text: 12,
    };
    /// Below this width a chart is laid out for a phone: one legend entry a line, fewer
    /// axis labels.
    const NARROW: u32 = 600;

    /// `width` and `min_text` kept within what can be drawn.
    pub fn new(width: u32, min_text: u32) -> Fit {
        Fit {
            width: width.clamp(Fit::MIN_WIDTH, Fit::MAX_WIDTH),
            min_text: min_text.clamp(10, 40),
        }
    }

    /// What the dashboard asks for a chart box `width` px wide: 12 px text on a phone, 13
    /// on anything wider (read from further away).
    pub fn for_screen(width: u32) -> Fit {
        Fit::new(width, if width < Fit::NARROW { 12 } else { 13 })
    }

    pub fn width(self) -> u32 {
        self.width
    }

    pub fn min_text(self) -> u32 {
        self.min_text
    }

    pub(super) fn narrow(self) -> bool {
        self.width < Fit::NARROW
    }

    /// Tick labels, figures on bars, legend entries: the smallest text.
    pub(super) fn small(self) -> u32 {
        self.min_text
    }

    /// Axis names and notes.
    pub(super) fn body(self) -> u32 {
        self.min_text + self.min_text / 6
    }

    pub(super) fn title(self) -> u32 {
        if self.narrow() {
            self.min_text + 4
        } else {
            self.min_text * 3 / 2
        }
    }

    /// The blank edge around the plot.
    pub(super) fn margin(self) -> i32 {
        if self.narrow() {
            8
        } else {
            16
        }
    }

    /// The height of a plot over months: wide enough charts get a landscape plot, narrow
    /// ones a plot tall enough for four value labels.
    pub(super) fn plot_height(self) -> u32 {
        (self.width * 9 / 20).clamp(200, 400)
    }

    /// The room for x-axis tick labels with the axis name under them.
    pub(super) fn x_axis_height(self) -> u32 {
        self.month_axis_height() + self.body() * 3 / 2
    }

    /// The room for x-axis tick labels alone (months need no axis name).
    pub(super) fn month_axis_height(self) -> u32 {
        self.small() * 2 + 6
    }

    /// The room for y-axis tick labels as wide as `widest`, with the axis name beside them.
    pub(super) fn y_axis_width(self, widest: &str) -> u32 {
        text_width(widest, self.small()) as u32 + self.body() * 3 / 2 + 14
    }
}

/// A chart's width asked for in a URL (`?width=`): whole CSS px from [`Fit::MIN_WIDTH`] to
/// [`Fit::MAX_WIDTH`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "u32")]
pub struct ChartWidth(u32);

impl TryFrom<u32> for ChartWidth {
    type Error = String;

    fn try_from(px: u32) -> Result<ChartWidth, String> {
        if (Fit::MIN_WIDTH..=Fit::MAX_WIDTH).contains(&px) {
            Ok(ChartWidth(px))
        } else {
            Err(format!(
                "a width from {} to {} px",
                Fit::MIN_WIDTH,
                Fit::MAX_WIDTH
            ))
        }
    }
}

impl ChartWidth {
    /// The chart drawn this wide, with a download's smallest text.
    pub fn fit(self) -> Fit {
        Fit::new(self.0, Fit::EXPORT.min_text)
    }
}

/// plotters' SVG backend writes a font's size divided by 1.24 (its em box); this is the
/// size to ask for so that the SVG says `px`.
pub(super) fn font(px: u32) -> FontDesc<'static> {
    (FONT, f64::from(px) * 1.24).into_font()
}

pub(super) fn centred(px: u32) -> TextStyle<'static> {
    TextStyle::from(font(px)).pos(Pos::new(HPos::Center, VPos::Center))
}

pub(super) fn left(px: u32) -> TextStyle<'static> {
    TextStyle::from(font(px)).pos(Pos::new(HPos::Left, VPos::Center))
}

pub(super) fn right(px: u32) -> TextStyle<'static> {
    TextStyle::from(font(px)).pos(Pos::new(HPos::Right, VPos::Center))
}

/// About how wide `s` is at `px`: a Chinese character is a square, a Latin letter or digit
/// a little over half of one (sans-serif fonts differ; this errs wide).
pub(super) fn text_width(s: &str, px: u32) -> i32 {
    let ems: f64 = s
        .chars()
        .map(|c| match c {
            ' ' => 0.3,
            c if c.is_ascii() => 0.62,
            _ => 1.0,
        })
        .sum();
    (ems * f64::from(px)).ceil() as i32
}

/// `s` in lines no wider than `room` px at `px`: Latin text breaks at a space, Chinese
/// anywhere.
pub(super) fn wrap(s: &str, px: u32, room: i32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in s.chars() {
        let mut longer = line.clone();
        longer.push(c);
        if !line.is_empty() && text_width(&longer, px) > room {
            let at_space = c != ' ' && c.is_ascii();
            match line.rfind(' ').filter(|cut| at_space && *cut > 0) {
                Some(cut) => {
                    let rest = line[cut + 1..].to_string();
                    line.truncate(cut);
                    lines.push(std::mem::replace(&mut line, rest));
                }
                None => lines.push(std::mem::take(&mut line).trim_end().to_string()),
            }
            if c == ' ' {
                continue;
            }
        }
        line.push(c);
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines
}

/// `s` wrapped as [`wrap`] does, in lines of about the same length: a title does not end
/// with one character alone on its last line.
pub(super) fn wrap_evenly(s: &str, px: u32, room: i32) -> Vec<String> {
    let lines = wrap(s, px, room);
    if lines.len() < 2 {
        return lines;
    }
    let even = text_width(s, px) / lines.len() as i32 + 2 * px as i32;
    let balanced = wrap(s, px, even.min(room));
    if balanced.len() == lines.len() {
        balanced
    } else {
        lines
    }
}

/// `s`, shortened with "…" when it is wider than `room` px at `px` (the table under the
/// chart has every name in full).
pub(super) fn clip(s: &str, px: u32, room: i32) -> String {
    if text_width(s, px) <= room {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        out.push(c);
        if text_width(&out, px) + text_width("…", px) > room {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

/// How a legend entry is marked.
pub(super) enum Mark {
    /// A filled square: a bar's colour.
    Swatch(RGBColor),
    /// A short line: a line's colour.
    Line(RGBColor),
    /// Text as it appears on the plot ("12" for a figure).
    Text(String),
    /// No mark: the label explains itself ("*：…" for hidden counts).
    None,
}

/// A legend entry.
pub(super) struct Key {
    pub(super) label: String,
    pub(super) mark: Mark,
}

impl Key {
    pub(super) fn new(label: impl Into<String>, mark: Mark) -> Key {
        Key {
            label: label.into(),
            mark,
        }
    }
}

/// The part above the plot: the title, notes under it, and the legend, laid out for the
/// width. Build it first: its height decides where the plot starts.
pub(super) struct Head {
    fit: Fit,
    /// Each line of text, its size, colour and baseline centre.
    lines: Vec<(String, u32, RGBColor, i32)>,
    /// Each legend entry: where it starts, the lines of its label, its mark.
    keys: Vec<(i32, i32, Vec<String>, Mark)>,
    height: i32,
}

impl Head {
    pub(super) fn new(fit: Fit, title: &str, notes: &[String], keys: Vec<Key>) -> Head {
        let m = fit.margin();
        let room = fit.width as i32 - 2 * m;
        let mut y = m / 2;
        let mut lines = Vec::new();
        let mut line_of = |text: &str, px: u32, colour: RGBColor, y: &mut i32| {
            for line in wrap_evenly(text, px, room) {
                let step = (px * 7 / 5) as i32;
                lines.push((line, px, colour, *y + step / 2));
                *y += step;
            }
        };
        line_of(title, fit.title(), BLACK, &mut y);
        for note in notes {
            line_of(note, fit.small(), NOTE, &mut y);
        }
        // Legend entries flow along a line and start a new one when they would not fit.
        let step = (fit.small() * 3 / 2) as i32;
        let mark_w = 22;
        let (mut x, mut row_lines) = (m, 0);
        y += 4;
        let mut placed = Vec::new();
        for key in keys {
            let label = wrap(&key.label, fit.small(), room - mark_w);
            let w = mark_w
                + label
                    .iter()
                    .map(|l| text_width(l, fit.small()))
                    .max()
                    .unwrap_or(0);
            if x > m && x + w > m + room {
                x = m;
                y += step * row_lines;
                row_lines = 0;
            }
            row_lines = row_lines.max(label.len() as i32);
            placed.push((x, y, label, key.mark));
            x += w + 18;
        }
        y += step * row_lines + 4;
        Head {
            fit,
            lines,
            keys: placed,
            height: y,
        }
    }

    pub(super) fn height(&self) -> u32 {
        self.height as u32
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let centre = self.fit.width as i32 / 2;
        for (text, px, colour, y) in &self.lines {
            area.draw(&Text::new(
                text.as_str(),
                (centre, *y),
                centred(*px).color(colour),
            ))?;
        }
        let small = self.fit.small();
        let step = (small * 3 / 2) as i32;
        for (x, y, label, mark) in &self.keys {
            let (x, cy) = (*x, *y + step / 2);
            match mark {
                Mark::Swatch(c) => {
                    area.draw(&Rectangle::new([(x, cy - 6), (x + 14, cy + 6)], c.filled()))?
                }
                Mark::Line(c) => area.draw(&PathElement::new(
                    [(x, cy), (x + 14, cy)],
                    c.stroke_width(3),
                ))?,
                Mark::Text(t) => area.draw(&Text::new(t.as_str(), (x, cy), left(small)))?,
                Mark::None => {}
            }
            let indent = if matches!(mark, Mark::None) { 0 } else { 22 };
            for (i, line) in label.iter().enumerate() {
                area.draw(&Text::new(
                    line.as_str(),
                    (x + indent, cy + i as i32 * step),
                    left(small),
                ))?;
            }
        }
        Ok(())
    }
}

/// Draws `head` and, under it, a plot `body` px tall, on a white canvas `width` px wide
/// (the fit's width, or more for a grid that scrolls in its box); returns the SVG.
pub(super) fn render(
    width: u32,
    head: &Head,
    body: u32,
    draw: impl FnOnce(&Area<'_>) -> DrawResult,
) -> String {
    let mut svg = String::new();
    {
        let size = (width, head.height() + body);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        // Drawing into a String cannot fail for I/O reasons; a layout error leaves the
        // chart partly drawn, which is still better than no answer.
        let (top, plot) = root.split_vertically(head.height());
        let _ = root
            .fill(&WHITE)
            .and_then(|_| head.draw(&top))
            .and_then(|_| draw(&plot));
        let _ = root.present();
    }
    svg
}

/// Every label of `n` evenly spaced ones `label_w` px wide that fits in `plot_w` px: 1 for
/// all, 2 for every other, and so on.
pub(super) fn every(n: usize, plot_w: i32, label_w: i32) -> usize {
    let slot = plot_w.max(1) as f64 / n.max(1) as f64;
    ((f64::from(label_w) + 8.0) / slot).ceil().max(1.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_spaces_in_latin_and_anywhere_in_chinese() {
        assert_eq!(
            wrap("Sessions and audience by district", 12, 130),
            ["Sessions and", "audience by", "district"]
        );
        assert_eq!(
            wrap("各辖区宣讲场次与受众人次", 12, 100),
            ["各辖区宣讲场次与", "受众人次"]
        );
        assert_eq!(wrap("天宁", 12, 100), ["天宁"]);
        assert_eq!(
            wrap_evenly("每月受众人次（按受众类别）与累计人次", 16, 280),
            ["每月受众人次（按受众类", "别）与累计人次"]
        );
    }

    #[test]
    fn long_names_are_clipped_to_their_room() {
        assert_eq!(clip("三井派出所", 12, 100), "三井派出所");
        assert_eq!(clip("常州经济开发区分局", 12, 60), "常州经济…");
    }

    #[test]
    fn widths_and_text_stay_within_what_can_be_drawn() {
        assert_eq!(Fit::new(10, 2), Fit::new(Fit::MIN_WIDTH, 10));
        assert_eq!(Fit::for_screen(360).min_text(), 12);
        assert_eq!(Fit::for_screen(1300).min_text(), 13);
        for (px, ok) in [(239, false), (240, true), (2400, true), (2401, false)] {
            assert_eq!(ChartWidth::try_from(px).is_ok(), ok, "{px}");
        }
        assert_eq!(
            ChartWidth::try_from(680).map(ChartWidth::fit),
            Ok(Fit::new(680, 12))
        );
    }
}
