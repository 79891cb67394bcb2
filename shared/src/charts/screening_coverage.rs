//! Film screening coverage as a table of coloured cells: a row per film, a column per
//! district and one for the whole selection; each cell says how many of the schools asked
//! to show the film confirmed they did ("confirmed/expected"), and its colour is that
//! share, from pale (none) to dark (all). Ten films in seven districts are seventy
//! figures; a grid reads better than seventy bars.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{centred, empty, render, Area, ChartName, DrawResult, FONT, HEIGHT, WIDTH};
use crate::aggregate::{rate, FilmCoverage};
use crate::Lang;

/// Rows the grid has room for; further films are left out, and the chart says so.
pub const MAX_FILMS: usize = 16;
const PALE: (f64, f64, f64) = (235.0, 244.0, 255.0);
const DARK: (f64, f64, f64) = (43.0, 108.0, 176.0);
const NO_CELL: RGBColor = RGBColor(237, 237, 237);

/// From `GET /aggregates/screening-coverage`.
pub fn screening_coverage(films: &[FilmCoverage], lang: Lang) -> String {
    let title = ChartName::ScreeningCoverage.title(lang);
    let films: Vec<&FilmCoverage> = films.iter().filter(|f| f.expected > 0).collect();
    if films.is_empty() {
        return empty(title, lang);
    }
    render(|root| draw(root, &films, title, lang))
}

/// A column head as one line, or two when it is wider than `room` pixels at 12 px (a CJK
/// character is about 12 px wide, a Latin one about 7): split at the middle character, or
/// at the space nearest to it.
fn head_lines(head: &str, room: i32) -> Vec<String> {
    let width = |s: &str| -> i32 { s.chars().map(|c| if c.is_ascii() { 7 } else { 12 }).sum() };
    if width(head) <= room {
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

fn draw(root: &Area<'_>, films: &[&FilmCoverage], title: &str, lang: Lang) -> DrawResult {
    // Every district any film is expected in, in the aggregate's order.
    let mut districts: Vec<(i64, String)> = Vec::new();
    for d in films.iter().flat_map(|f| &f.by_district) {
        if !districts.iter().any(|(id, _)| *id == d.district_id) {
            districts.push((d.district_id, d.district.clone()));
        }
    }
    let shown = &films[..films.len().min(MAX_FILMS)];
    let (w, h) = (WIDTH as i32, HEIGHT as i32);
    let (grid_left, grid_right, grid_top, grid_bottom) = (200, w - 16, 96, h - 64);
    let columns = districts.len() as i32 + 1;
    let cell_w = (grid_right - grid_left) / columns;
    let cell_h = ((grid_bottom - grid_top) / shown.len() as i32).min(40);

    root.draw(&Text::new(title, (w / 2, 24), centred(20)))?;
    // Column heads on one line, level with each other (staggered heads read as two rows);
    // a head too wide for its column is split over two lines within that column.
    let heads = districts
        .iter()
        .map(|(_, name)| name.as_str())
        .chain([lang.pick("合计", "All")]);
    for (c, head) in heads.enumerate() {
        let x = grid_left + c as i32 * cell_w + cell_w / 2;
        for (line, y) in head_lines(head, cell_w - 6).into_iter().zip([72, 88]) {
            root.draw(&Text::new(line, (x, y), centred(12)))?;
        }
    }
    let right_aligned =
        TextStyle::from((FONT, 12).into_font()).pos(Pos::new(HPos::Right, VPos::Center));
    for (r, film) in shown.iter().enumerate() {
        let y0 = grid_top + r as i32 * cell_h;
        root.draw(&Text::new(
            film.title.as_str(),
            (grid_left - 8, y0 + cell_h / 2),
            right_aligned.clone(),
        ))?;
        let cells = districts
            .iter()
            .map(|(id, _)| {
                film.by_district
                    .iter()
                    .find(|d| d.district_id == *id)
                    .map(|d| (d.confirmed, d.expected))
            })
            .chain([Some((film.confirmed, film.expected))]);
        for (c, cell) in cells.enumerate() {
            let x0 = grid_left + c as i32 * cell_w;
            let last = c as i32 == columns - 1;
            let (fill, text, share) = match cell {
                Some((confirmed, expected)) if expected > 0 => {
                    let share = rate(confirmed, expected);
                    let text = if last {
                        format!("{confirmed}/{expected} {:.0}%", share * 100.0)
                    } else {
                        format!("{confirmed}/{expected}")
                    };
                    (shade(share), text, share)
                }
                _ => (NO_CELL, "–".to_string(), 0.0),
            };
            root.draw(&Rectangle::new(
                [(x0 + 1, y0 + 1), (x0 + cell_w - 1, y0 + cell_h - 1)],
                fill.filled(),
            ))?;
            let ink = if share > 0.55 { WHITE } else { BLACK };
            root.draw(&Text::new(
                text,
                (x0 + cell_w / 2, y0 + cell_h / 2),
                centred(11).color(&ink),
            ))?;
        }
    }
    // The key: what a cell says and what its colour means.
    let key_y = h - 40;
    let left_aligned =
        TextStyle::from((FONT, 12).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    root.draw(&Text::new(
        lang.pick(
            "格中：已确认放映学校数/应放映学校数（校）；颜色：已确认占比",
            "In each cell: schools that confirmed / schools asked; colour: the share",
        ),
        (16, key_y),
        left_aligned.clone(),
    ))?;
    for (i, share) in [0.0, 0.25, 0.5, 0.75, 1.0].into_iter().enumerate() {
        let x = w - 16 - (5 - i as i32) * 52;
        root.draw(&Rectangle::new(
            [(x, key_y - 8), (x + 50, key_y + 8)],
            shade(share).filled(),
        ))?;
        let ink = if share > 0.55 { WHITE } else { BLACK };
        root.draw(&Text::new(
            format!("{:.0}%", share * 100.0),
            (x + 25, key_y),
            centred(11).color(&ink),
        ))?;
    }
    if films.len() > shown.len() {
        let note = match lang {
            Lang::Zh => format!("仅列出前 {} 部影片（共 {} 部）", shown.len(), films.len()),
            Lang::En => format!("The first {} films of {}", shown.len(), films.len()),
        };
        root.draw(&Text::new(note, (16, h - 16), left_aligned))?;
    }
    Ok(())
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
        let en = screening_coverage(&[film(1, "Guard", &[(1, "Tianning", 4, 1)])], Lang::En);
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
        let svg = screening_coverage(&films, Lang::Zh);
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
        assert_escaped(&screening_coverage(&films, Lang::Zh));
    }

    #[test]
    fn no_film_expected_anywhere_makes_an_empty_chart() {
        assert!(screening_coverage(&[], Lang::Zh).contains("所选范围内暂无数据"));
        let none_expected = film(1, "《守护》", &[(1, "天宁分局", 0, 0)]);
        assert!(
            screening_coverage(&[none_expected], Lang::En).contains("No data in this selection")
        );
    }

    #[test]
    fn column_heads_stand_on_one_line_unless_too_wide_for_their_column() {
        assert_eq!(head_lines("天宁分局", 74), ["天宁分局"]);
        assert_eq!(head_lines("经开区分局", 74), ["经开区分局"]);
        assert_eq!(
            head_lines("常州经济开发区分局", 74),
            ["常州经济", "开发区分局"]
        );
        assert_eq!(
            head_lines("Tianning district", 74),
            ["Tianning", "district"]
        );
    }
}
