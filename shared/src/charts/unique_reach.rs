//! Unique students reached against student 人次, per district: a student at three talks is
//! three 人次 but one student. Pale bars are 人次, dark bars unique students, and above
//! each pair how many talks a student heard on average.

use super::{draw_overlaid, empty, thousands, ChartName, Fit, Overlaid};
use crate::aggregate::AudienceSummary;
use crate::Lang;

/// From `GET /aggregates/audience`, once per district: `(district name, its audience)`.
pub fn unique_reach(rows: &[(String, AudienceSummary)], lang: Lang, fit: Fit) -> String {
    let title = ChartName::UniqueReach.title(lang);
    if rows.iter().all(|(_, a)| a.students == 0) {
        return empty(title, lang, fit);
    }
    let students: i64 = rows.iter().map(|(_, a)| a.students).sum();
    let unique: i64 = rows.iter().map(|(_, a)| a.unique_students).sum();
    let per_student = |times: i64, unique: i64| {
        if unique > 0 {
            format!("{:.1}", times as f64 / unique as f64)
        } else {
            "–".to_string()
        }
    };
    let subtitle = match lang {
        Lang::Zh => format!(
            "合计：覆盖学生 {} 人，学生 {} 人次，平均每名学生听讲 {} 次",
            thousands(unique),
            thousands(students),
            per_student(students, unique)
        ),
        Lang::En => format!(
            "In all: {} students reached, {} student person-times, {} talks per student",
            thousands(unique),
            thousands(students),
            per_student(students, unique)
        ),
    };
    let o = Overlaid {
        title,
        names: rows.iter().map(|(name, _)| name.clone()).collect(),
        whole: (
            lang.pick("学生人次", "Student person-times"),
            rows.iter().map(|(_, a)| a.students).collect(),
        ),
        part: (
            lang.pick("覆盖学生人数（去重）", "Students reached (unique)"),
            rows.iter().map(|(_, a)| a.unique_students).collect(),
        ),
        unit: lang.pick("学生（人 / 人次）", "Students (people / person-times)"),
        figures: rows
            .iter()
            .map(|(_, a)| match lang {
                Lang::Zh => format!("{} 次/人", per_student(a.students, a.unique_students)),
                Lang::En => format!("{}×", per_student(a.students, a.unique_students)),
            })
            .collect(),
        subtitle,
    };
    draw_overlaid(o, fit)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_escaped, assert_has, HOSTILE};
    use super::*;

    fn district(name: &str, students: i64, unique: i64) -> (String, AudienceSummary) {
        (
            name.into(),
            AudienceSummary {
                students,
                unique_students: unique,
                ..Default::default()
            },
        )
    }

    #[test]
    fn each_district_shows_unique_students_against_person_times() {
        let svg = unique_reach(
            &[
                district("天宁分局", 9_000, 3_000),
                district("钟楼分局", 500, 500),
            ],
            Lang::Zh,
            Fit::EXPORT,
        );
        assert_has(
            &svg,
            &[
                "各辖区覆盖学生人数与学生人次",
                "天宁分局",
                "学生人次",
                "覆盖学生人数（去重）",
                "学生（人 / 人次）",
                "3.0 次/人",
                "1.0 次/人",
                "覆盖学生 3,500 人，学生 9,500 人次",
            ],
        );
        let en = unique_reach(&[district("Tianning", 40, 10)], Lang::En, Fit::EXPORT);
        assert_has(
            &en,
            &["4.0×", "10 students reached, 40 student person-times"],
        );
    }

    #[test]
    fn district_names_that_look_like_markup_are_drawn_as_text() {
        let rows: Vec<_> = HOSTILE.iter().map(|n| district(n, 10, 5)).collect();
        assert_escaped(&unique_reach(&rows, Lang::Zh, Fit::EXPORT));
    }

    #[test]
    fn no_students_make_an_empty_chart() {
        assert!(
            unique_reach(&[district("天宁分局", 0, 0)], Lang::En, Fit::EXPORT)
                .contains("No data in this selection")
        );
        assert!(unique_reach(&[], Lang::Zh, Fit::EXPORT).contains("所选范围内暂无数据"));
    }
}
