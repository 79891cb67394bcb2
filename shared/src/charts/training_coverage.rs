//! Speaker-training coverage: per district, all stations (pale) and those with a trained
//! speaker (dark), "trained/stations" above; the city's share under the title.

use super::{draw_overlaid, empty, percent, thousands, ChartName, Fit, Overlaid};
use crate::aggregate::TrainingCoverage;
use crate::Lang;

/// From `GET /aggregates/training-coverage`.
pub fn training_coverage(t: &TrainingCoverage, lang: Lang, fit: Fit) -> String {
    let title = ChartName::TrainingCoverage.title(lang);
    if t.stations == 0 {
        return empty(title, lang, fit);
    }
    let subtitle = match lang {
        Lang::Zh => format!(
            "合计：{} 个派出所中 {} 个有经培训的宣讲员（{}），已结业宣讲员 {} 名",
            thousands(t.stations),
            thousands(t.trained),
            percent(t.trained, t.stations),
            thousands(t.speakers)
        ),
        Lang::En => format!(
            "In all: {} of {} stations have a trained speaker ({}); {} speakers trained",
            thousands(t.trained),
            thousands(t.stations),
            percent(t.trained, t.stations),
            thousands(t.speakers)
        ),
    };
    let o = Overlaid {
        title,
        names: t.by_district.iter().map(|d| d.district.clone()).collect(),
        whole: (
            lang.pick("派出所总数", "All stations"),
            t.by_district.iter().map(|d| d.stations).collect(),
        ),
        part: (
            lang.pick("有经培训宣讲员的派出所", "Stations with a trained speaker"),
            t.by_district.iter().map(|d| d.trained).collect(),
        ),
        unit: lang.pick("派出所（个）", "Police stations"),
        figures: t
            .by_district
            .iter()
            .map(|d| format!("{}/{}", d.trained, d.stations))
            .collect(),
        subtitle,
    };
    draw_overlaid(o, fit)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_escaped, assert_has, HOSTILE};
    use super::*;
    use crate::aggregate::DistrictTraining;

    fn coverage(by: &[(&str, i64, i64)]) -> TrainingCoverage {
        TrainingCoverage {
            stations: by.iter().map(|b| b.1).sum(),
            trained: by.iter().map(|b| b.2).sum(),
            speakers: 7,
            by_district: by
                .iter()
                .enumerate()
                .map(|(i, (district, stations, trained))| DistrictTraining {
                    district_id: i as i64,
                    district: (*district).into(),
                    stations: *stations,
                    trained: *trained,
                })
                .collect(),
        }
    }

    #[test]
    fn each_district_shows_trained_of_all_stations() {
        let svg = training_coverage(
            &coverage(&[("天宁分局", 12, 9), ("钟楼分局", 8, 1)]),
            Lang::Zh,
            Fit::EXPORT,
        );
        assert_has(
            &svg,
            &[
                "宣讲员培训覆盖",
                "天宁分局",
                "9/12",
                "1/8",
                "派出所总数",
                "有经培训宣讲员的派出所",
                "派出所（个）",
                "20 个派出所中 10 个有经培训的宣讲员（50.0%）",
            ],
        );
        let en = training_coverage(&coverage(&[("Tianning", 4, 1)]), Lang::En, Fit::EXPORT);
        assert_has(
            &en,
            &[
                "1 of 4 stations have a trained speaker (25.0%)",
                "Police stations",
            ],
        );
    }

    #[test]
    fn district_names_that_look_like_markup_are_drawn_as_text() {
        let by: Vec<_> = HOSTILE.iter().map(|n| (*n, 3, 1)).collect();
        assert_escaped(&training_coverage(&coverage(&by), Lang::En, Fit::EXPORT));
    }

    #[test]
    fn no_stations_make_an_empty_chart() {
        assert!(
            training_coverage(&coverage(&[]), Lang::Zh, Fit::EXPORT).contains("所选范围内暂无数据")
        );
    }
}
