//! Film screening coverage: per district, one bar per film for the share of the schools
//! asked to show it that confirmed they did, with "confirmed/expected" above each bar and
//! the city's figures per film in the legend.

use plotters::prelude::*;

use super::{
    category_label, centred, empty, legend, render, swatch, Area, ChartName, DrawResult, FONT,
    PALETTE,
};
use crate::aggregate::{rate, FilmCoverage};
use crate::Lang;

/// From `GET /aggregates/screening-coverage`.
pub fn screening_coverage(films: &[FilmCoverage], lang: Lang) -> String {
    let title = ChartName::ScreeningCoverage.title(lang);
    let films: Vec<&FilmCoverage> = films.iter().filter(|f| f.expected > 0).collect();
    if films.is_empty() {
        return empty(title, lang);
    }
    render(|root| draw(root, &films, title, lang))
}

fn draw(root: &Area<'_>, films: &[&FilmCoverage], title: &str, lang: Lang) -> DrawResult {
    // Every district any film is expected in, in the aggregate's order.
    let mut districts: Vec<(i64, String)> = Vec::new();
    for d in films.iter().flat_map(|f| &f.by_district) {
        if !districts.iter().any(|(id, _)| *id == d.district_id) {
            districts.push((d.district_id, d.district.clone()));
        }
    }
    let names: Vec<String> = districts.iter().map(|(_, n)| n.clone()).collect();
    let n = districts.len().max(1);
    let last = n - 1;

    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d((0..last).into_segmented(), 0f64..118f64)?
        // The same plot in plain numbers: category d spans d..d + 1, so bars can sit side
        // by side within it.
        .set_secondary_coord(0f64..n as f64, 0f64..118f64);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n + 1)
        .x_label_formatter(&|v| category_label(&names, v))
        .x_label_style((FONT, 13))
        .y_desc(lang.pick(
            "已确认放映的学校占应放映学校（%）",
            "Schools that confirmed, of those asked (%)",
        ))
        .y_label_formatter(&|v| {
            if *v <= 100.0 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        })
        .axis_desc_style((FONT, 14))
        .draw()?;

    let width = 0.8 / films.len() as f64;
    let label_bars = films.len() * n <= 28;
    for (j, film) in films.iter().enumerate() {
        let colour = PALETTE[j % PALETTE.len()];
        let bars: Vec<(f64, f64, i64, i64)> = districts
            .iter()
            .enumerate()
            .filter_map(|(d, (id, _))| {
                let c = film.by_district.iter().find(|c| c.district_id == *id)?;
                (c.expected > 0).then(|| {
                    let x = d as f64 + 0.1 + j as f64 * width;
                    (
                        x,
                        rate(c.confirmed, c.expected) * 100.0,
                        c.confirmed,
                        c.expected,
                    )
                })
            })
            .collect();
        let entry = match lang {
            Lang::Zh => format!("{}：{}/{} 校", film.title, film.confirmed, film.expected),
            Lang::En => format!(
                "{}: {} of {} schools",
                film.title, film.confirmed, film.expected
            ),
        };
        chart
            .draw_secondary_series(bars.iter().map(|(x, h, _, _)| {
                Rectangle::new([(*x + 0.01, 0.0), (*x + width - 0.01, *h)], colour.filled())
            }))?
            .label(entry)
            .legend(swatch(colour));
        if label_bars {
            chart.draw_secondary_series(bars.iter().map(|(x, h, c, e)| {
                Text::new(
                    format!("{c}/{e}"),
                    (*x + width / 2.0, *h + 4.0),
                    centred(10),
                )
            }))?;
        }
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)
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
                "《守护》：17/30 校",
                "《远离毒品》：10/10 校",
                "15/20",
                "2/10",
                "（%）",
            ],
        );
        let en = screening_coverage(&[film(1, "Guard", &[(1, "Tianning", 4, 1)])], Lang::En);
        assert_has(&en, &["Guard: 1 of 4 schools", "1/4"]);
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
}
