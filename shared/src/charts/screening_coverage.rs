//! Film screening coverage as a table of coloured cells: a row per film, a column per
//! district and one for the whole selection; each cell says how many of the schools asked
//! to show the film confirmed they did ("confirmed/expected"), and its colour is that
//! share, from pale (none) to dark (all). Ten films in seven districts are seventy
//! figures; a grid reads better than seventy bars.
//!
//! Cells keep a readable size whatever the width asked for: on a phone the grid is wider
//! than the screen and scrolls sideways in its box, while the title and key keep to the
//! width asked for.

use plotters::prelude::*;

use super::frame::{clip, right, text_width, wrap};
use super::{centred, empty, render, Area, ChartName, DrawResult, Fit, Head};
use crate::aggregate::{rate, FilmCoverage};
use crate::Lang;

/// Rows the grid has room for; further films are left out, and the chart says so.
pub const MAX_FILMS: usize = 16;
const PALE: (f64, f64, f64) = (235.0, 244.0, 255.0);
const DARK: (f64, f64, f64) = (43.0, 108.0, 176.0);
const NO_CELL: RGBColor = RGBColor(237, 237, 237);
/// The colour key's steps.
const KEY_STEPS: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

/// From `GET /aggregates/screening-coverage`.
pub fn screening_coverage(films: &[FilmCoverage], lang: Lang, fit: Fit) -> String {
    let title = ChartName::ScreeningCoverage.title(lang);
    let films: Vec<&FilmCoverage> = films.iter().filter(|f| f.expected > 0).collect();
    if films.is_empty() {
        return empty(title, lang, fit);
    }
    let shown = &films[..films.len().min(MAX_FILMS)];
    let mut notes = vec![lang
        .pick(
            "格中：已确认放映学校数/应放映学校数（校）；颜色：已确认占比",
            "In each cell: schools that confirmed / schools asked; colour: the share",
        )
        .to_string()];
    if films.len() > shown.len() {
        notes.push(match lang {
            Lang::Zh => format!("仅列出前 {} 部影片（共 {} 部）", shown.len(), films.len()),
            Lang::En => format!("The first {} films of {}", shown.len(), films.len()),
        });
    }
    let head = Head::new(fit, title, &notes, Vec::new());
    let grid = Grid::new(shown, lang, fit);
    render(grid.width as u32, &head, grid.height(), |plot| {
        grid.draw(plot, shown)
    })
}

/// A column head as one line, or two when it is wider than `room` px at `px`: split at the
/// middle character, or at the space nearest to it.
fn head_lines(head: &str, px: u32, room: i32) -> Vec<String> {
    if text_width(head, px) <= room {
        return vec![head.to_string()];
    }
    let chars: Vec<char> = head.chars().collect();
    let middle = chars.len() / 2;
    let cut = (0..chars.len())
        .filter(|i| chars[*i] == ' ')
        .min_by_key(|i| i.abs_diff(middle))
        .map_or(middle, |i| i);
    let first: String = chars[..cut].iter().collect();
    let second: String = chars[cut..].iter().collect();
    vec![first.trim().to_string(), second.trim().to_string()]
}

/// The cell colour of a share from 0 to 1.
fn shade(share: f64) -> RGBColor {
    let mix = |a: f64, b: f64| (a + (b - a) * share.clamp(0.0, 1.0)).round() as u8;
    RGBColor(
        mix(PALE.0, DARK.0),
        mix(PALE.1, DARK.1),
        mix(PALE.2, DARK.2),
    )
}

/// The grid's columns and their sizes, measured from the texts they hold.
struct Grid {
    fit: Fit,
    /// Every district any film is expected in, in the aggregate's order, then the total.
    heads: Vec<(Option<i64>, String)>,
    /// The whole drawing's width: the width asked for, or more when the cells need it.
    width: i32,
    film_w: i32,
    cell_w: i32,
    last_w: i32,
    /// Whether the total's "confirmed/expected" and share are on two lines.
    two_line_total: bool,
    cell_h: i32,
    head_h: i32,
    rows: i32,
}

/// A film's total: "confirmed/expected" and the share.
fn total(film: &FilmCoverage) -> (String, String) {
    (
        format!("{}/{}", film.confirmed, film.expected),
        format!("{:.0}%", rate(film.confirmed, film.expected) * 100.0),
    )
}

impl Grid {
    fn new(films: &[&FilmCoverage], lang: Lang, fit: Fit) -> Grid {
        let small = fit.small();
        let mut heads: Vec<(Option<i64>, String)> = Vec::new();
        for d in films.iter().flat_map(|f| &f.by_district) {
            if !heads.iter().any(|(id, _)| *id == Some(d.district_id)) {
                heads.push((Some(d.district_id), d.district.clone()));
            }
        }
        heads.push((None, lang.pick("合计", "All").to_string()));
        let m = fit.margin();
        let districts = heads.len() as i32 - 1;
        let widest = |texts: &mut dyn Iterator<Item = String>| -> i32 {
            texts.map(|t| text_width(&t, small)).max().unwrap_or(0) + 10
        };
        // A district's cell fits its figures and its head in at most two lines.
        let cell_w = widest(
            &mut films
                .iter()
                .flat_map(|f| &f.by_district)
                .map(|d| format!("{}/{}", d.confirmed, d.expected))
                .chain(
                    heads[..heads.len() - 1]
                        .iter()
                        .flat_map(|(_, h)| head_lines(h, small, 0)),
                ),
        );
        let totals: Vec<(String, String)> = films.iter().map(|f| total(f)).collect();
        let total_one = widest(&mut totals.iter().map(|(n, p)| format!("{n} {p}")));
        let total_two = widest(&mut totals.iter().flat_map(|(n, p)| [n.clone(), p.clone()]));
        let film_natural = widest(&mut films.iter().map(|f| f.title.clone()));
        let film_least = small as i32 * 6 + 10;
        let room = fit.width() as i32 - 2 * m;
        // What gives way when room is short: first the total's figures go on two lines,
        // then film titles wrap and shrink; then the grid is wider than asked and scrolls.
        let mut last_w = total_one.max(cell_w);
        let two_line_total = film_natural + districts * cell_w + last_w > room;
        if two_line_total {
            last_w = total_two.max(cell_w);
        }
        let film_w = (room - districts * cell_w - last_w)
            .min(film_natural)
            .max(film_least.min(film_natural));
        let needed = 2 * m + film_w + districts * cell_w + last_w;
        let width = needed.max(fit.width() as i32);
        // Spare width goes to the cells.
        let spare = (width - needed) / (districts + 1);
        Grid {
            fit,
            heads,
            width,
            film_w,
            cell_w: cell_w + spare,
            last_w: last_w + spare,
            two_line_total,
            // Two lines of text with a little room.
            cell_h: small as i32 * 5 / 2 + 4,
            head_h: small as i32 * 3 + 8,
            rows: films.len() as i32,
        }
    }

    fn height(&self) -> u32 {
        // Rows are at most MAX_FILMS; the key below them is a row of its own.
        (self.head_h + self.rows_h() + self.cell_h + 2 * self.fit.margin()) as u32
    }

    fn rows_h(&self) -> i32 {
        self.cell_h * self.rows
    }

    /// Where column `c` starts and how wide it is.
    fn column(&self, c: usize) -> (i32, i32) {
        let x = self.fit.margin() + self.film_w + c as i32 * self.cell_w;
        let last = c == self.heads.len() - 1;
        (x, if last { self.last_w } else { self.cell_w })
    }

    fn draw(&self, root: &Area<'_>, films: &[&FilmCoverage]) -> DrawResult {
        let small = self.fit.small();
        let m = self.fit.margin();
        let line = small as i32 * 3 / 2;
        // Column heads level with each other (staggered heads read as two rows); a head
        // too wide for its column is split over two lines within that column.
        for (c, (_, head)) in self.heads.iter().enumerate() {
            let (x, w) = self.column(c);
            let lines = head_lines(head, small, w - 6);
            let first = self.head_h - 4 - line * lines.len() as i32 + line / 2;
            for (i, text) in lines.into_iter().enumerate() {
                root.draw(&Text::new(
                    text,
                    (x + w / 2, first + i as i32 * line),
                    centred(small),
                ))?;
            }
        }
        for (r, film) in films.iter().enumerate() {
            let y0 = self.head_h + r as i32 * self.cell_h;
            let title = self.title_lines(&film.title);
            let first = y0 + self.cell_h / 2 - (title.len() as i32 - 1) * line / 2;
            for (i, text) in title.into_iter().enumerate() {
                root.draw(&Text::new(
                    text,
                    (m + self.film_w - 8, first + i as i32 * line),
                    right(small),
                ))?;
            }
            let cells = self.heads.iter().map(|(id, _)| match id {
                Some(id) => film
                    .by_district
                    .iter()
                    .find(|d| d.district_id == *id)
                    .map(|d| (d.confirmed, d.expected)),
                None => Some((film.confirmed, film.expected)),
            });
            for (c, cell) in cells.enumerate() {
                let (x0, w) = self.column(c);
                let is_total = c == self.heads.len() - 1;
                let (fill, text, share) = match cell {
                    Some((confirmed, expected)) if expected > 0 => {
                        let share = rate(confirmed, expected);
                        let text = match is_total {
                            true if self.two_line_total => {
                                let (n, p) = total(film);
                                vec![n, p]
                            }
                            true => {
                                let (n, p) = total(film);
                                vec![format!("{n} {p}")]
                            }
                            false => vec![format!("{confirmed}/{expected}")],
                        };
                        (shade(share), text, share)
                    }
                    _ => (NO_CELL, vec!["–".to_string()], 0.0),
                };
                self.cell(root, (x0, y0), (w, self.cell_h), fill, text, share)?;
            }
        }
        // The key: what each colour means, under the grid and within the width asked for.
        let key_y = self.head_h + self.rows_h() + self.cell_h / 4;
        let key_w = ((self.fit.width() as i32 - 2 * m) / KEY_STEPS.len() as i32).min(60);
        for (i, share) in KEY_STEPS.into_iter().enumerate() {
            let x = m + i as i32 * key_w;
            self.cell(
                root,
                (x, key_y),
                (key_w, self.cell_h * 3 / 4),
                shade(share),
                vec![format!("{:.0}%", share * 100.0)],
                share,
            )?;
        }
        Ok(())
    }

    /// A film's title in at most two lines of the title column.
    fn title_lines(&self, title: &str) -> Vec<String> {
        let room = self.film_w - 10;
        let mut lines = wrap(title, self.fit.small(), room);
        if lines.len() > 2 {
            let rest: String = lines[1..].concat();
            lines = vec![lines[0].clone(), clip(&rest, self.fit.small(), room)];
        }
        lines
    }

    /// A coloured cell with its lines of text, white on dark.
    fn cell(
        &self,
        root: &Area<'_>,
        (x0, y0): (i32, i32),
        (w, h): (i32, i32),
        fill: RGBColor,
        lines: Vec<String>,
        share: f64,
    ) -> DrawResult {
        root.draw(&Rectangle::new(
            [(x0 + 1, y0 + 1), (x0 + w - 1, y0 + h - 1)],
            fill.filled(),
        ))?;
        let ink = if share > 0.55 { WHITE } else { BLACK };
        let line = self.fit.small() as i32 * 6 / 5;
        let first = y0 + h / 2 - (lines.len() as i32 - 1) * line / 2;
        for (i, text) in lines.into_iter().enumerate() {
            root.draw(&Text::new(
                text,
                (x0 + w / 2, first + i as i32 * line),
                centred(self.fit.small()).color(&ink),
            ))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_escaped, assert_has, HOSTILE};
    use super::*;
    use crate::aggregate::DistrictCoverage;

    fn film(id: i64, title: &str, by: &[(i64, &str, i64, i64)]) -> FilmCoverage {
        FilmCoverage {
            film_id: id,
            title: title.into(),
            expected: by.iter().map(|b| b.2).sum(),
            confirmed: by.iter().map(|b| b.3).sum(),
            students: 0,
            parents: 0,
            by_district: by
                .iter()
                .map(
                    |(district_id, district, expected, confirmed)| DistrictCoverage {
                        district_id: *district_id,
                        district: (*district).into(),
                        expected: *expected,
                        confirmed: *confirmed,
                    },
                )
                .collect(),
        }
    }

    #[test]
    fn each_film_shows_confirmed_of_expected_per_district() {
        let svg = screening_coverage(
            &[
                film(
                    1,
                    "《守护》",
                    &[(1, "天宁分局", 20, 15), (2, "钟楼分局", 10, 2)],
                ),
                film(2, "《远离毒品》", &[(2, "钟楼分局", 10, 10)]),
            ],
            Lang::Zh,
            Fit::EXPORT,
        );
        assert_has(
            &svg,
            &[
                "影片放映覆盖率",
                "天宁分局",
                "钟楼分局",
                "合计",
                "17/30 57%",
                "10/10 100%",
                "15/20",
                "2/10",
                "已确认放映学校数/应放映学校数（校）",
                // 《远离毒品》 was not asked of Tianning's schools.
                "\n–\n",
            ],
        );
        let en = screening_coverage(
            &[film(1, "Guard", &[(1, "Tianning", 4, 1)])],
            Lang::En,
            Fit::EXPORT,
        );
        assert_has(
            &en,
            &["All", "1/4 25%", "schools that confirmed / schools asked"],
        );
    }

    #[test]
    fn a_long_film_list_keeps_to_the_room_and_says_so() {
        let films: Vec<_> = (0..20)
            .map(|i| film(i, &format!("影片{i:02}"), &[(1, "天宁分局", 10, 5)]))
            .collect();
        let svg = screening_coverage(&films, Lang::Zh, Fit::EXPORT);
        assert_has(&svg, &["影片15", "仅列出前 16 部影片（共 20 部）"]);
        assert!(!svg.contains("影片16"));
    }

    #[test]
    fn film_and_district_names_that_look_like_markup_are_drawn_as_text() {
        let films: Vec<_> = HOSTILE
            .iter()
            .enumerate()
            .map(|(i, n)| film(i as i64, n, &[(i as i64, n, 3, 1)]))
            .collect();
        assert_escaped(&screening_coverage(&films, Lang::Zh, Fit::EXPORT));
    }

    #[test]
    fn no_film_expected_anywhere_makes_an_empty_chart() {
        assert!(screening_coverage(&[], Lang::Zh, Fit::EXPORT).contains("所选范围内暂无数据"));
        let none_expected = film(1, "《守护》", &[(1, "天宁分局", 0, 0)]);
        assert!(screening_coverage(&[none_expected], Lang::En, Fit::EXPORT)
            .contains("No data in this selection"));
    }

    #[test]
    fn column_heads_stand_on_one_line_unless_too_wide_for_their_column() {
        assert_eq!(head_lines("天宁分局", 12, 74), ["天宁分局"]);
        assert_eq!(head_lines("经开区分局", 12, 74), ["经开区分局"]);
        assert_eq!(
            head_lines("常州经济开发区分局", 12, 74),
            ["常州经济", "开发区分局"]
        );
        assert_eq!(
            head_lines("Tianning district", 12, 74),
            ["Tianning", "district"]
        );
    }
}
