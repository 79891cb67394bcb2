//! Sessions and audience per district: a bar of 人次 per district with its sessions after
//! it, in the aggregate's order. Every district appears, even one without sessions, so the
//! gap shows.

use super::sessions_by_station::audience_bars;
use super::{empty, ChartName, Fit};
use crate::reach::DistrictReach;
use crate::Lang;

/// From `GET /aggregates/sessions-by-district`.
pub fn sessions_by_district(rows: &[DistrictReach], lang: Lang, fit: Fit) -> String {
    let title = ChartName::SessionsByDistrict.title(lang);
    if rows.iter().all(|r| r.sessions == 0) {
        return empty(title, lang, fit);
    }
    let rows: Vec<(String, i64, i64)> = rows
        .iter()
        .map(|r| (r.district.clone(), r.sessions, r.audience()))
        .collect();
    audience_bars(&rows, title, None, lang, fit)
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
            Fit::EXPORT,
        );
        assert_has(
            &svg,
            &[
                "各辖区宣讲场次与受众人次",
                "天宁分局",
                "钟楼分局",
                "受众（人次）",
                "条末数字：宣讲场次",
                "\n12 场\n",
                "\n3 场\n",
            ],
        );
    }

    #[test]
    fn district_names_that_look_like_markup_are_drawn_as_text() {
        let rows: Vec<_> = HOSTILE.iter().map(|n| row(1, n, 1, 5)).collect();
        assert_escaped(&sessions_by_district(&rows, Lang::En, Fit::EXPORT));
    }

    #[test]
    fn a_district_chart_without_sessions_says_so() {
        let svg = sessions_by_district(&[row(1, "天宁分局", 0, 0)], Lang::Zh, Fit::EXPORT);
        assert!(svg.contains("所选范围内暂无数据"));
        assert!(svg.contains("各辖区宣讲场次与受众人次"));
        let en = sessions_by_district(&[], Lang::En, Fit::EXPORT);
        assert!(en.contains("No data in this selection"));
    }
}
