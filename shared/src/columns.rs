//! The columns of every exported list and aggregate (CSV and Excel): which field of the
//! record each column shows and its header in Chinese and English. One table per resource,
//! in one place, so the export and any form that names the same fields agree.
//!
//! A column names its field with a JSON pointer into the record as the API returns it
//! (`/audience/students`), so an export holds exactly what the JSON list holds. A column
//! that shows a declared field (`crate::record`) takes that field's label, so the export,
//! the import template and the admin form call it the same.

use crate::i18n::{Lang, Text};
use crate::mentoring::{case, contact, night_care, runaway, team, volunteer};
use crate::record::Field;
use crate::{film, org, outcome, screening, session, training};

/// One column of an export.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// JSON pointer to the field in the record, e.g. `/held_on`.
    pub field: &'static str,
    pub title: Text,
    /// A count that the API may hide (`null`, see `crate::suppression`): the cell then
    /// reads [`SMALL`] instead of staying empty.
    pub small_hidden: bool,
    /// For a field holding a code (`class_talk`): its name in a language, shown instead.
    pub label: Option<fn(&str, Lang) -> Option<&'static str>>,
}

impl Column {
    /// The text of a code in this column, or the code itself where it names nothing known.
    pub fn show<'a>(&self, code: &'a str, lang: Lang) -> &'a str {
        self.label
            .and_then(|label| label(code, lang))
            .unwrap_or(code)
    }

    pub fn header(&self, lang: Lang) -> &'static str {
        self.title.get(lang)
    }
}

/// How the records of an answer become rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// The answer is a list: one row per element.
    List,
    /// The answer is one object: one row.
    One,
    /// One row per element of this list inside each element of the answer; a column may
    /// name a field of the outer element under `/up/…`.
    Nested(&'static str),
}

/// An exported table: its file name and columns.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// ASCII file name stem, e.g. `sessions`.
    pub file: &'static str,
    /// The file name stem people read, e.g. `宣讲记录`.
    pub zh: &'static str,
    pub en: &'static str,
    pub rows: Rows,
    pub columns: &'static [Column],
}

impl Table {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// The text of a hidden count.
pub const SMALL: &str = crate::outcome::HIDDEN;

/// A column of something no form declares (an id, a figure worked out).
const fn c(field: &'static str, zh: &'static str, en: &'static str) -> Column {
    Column {
        field,
        title: Text::new(zh, en),
        small_hidden: false,
        label: None,
    }
}

/// A column showing a declared field, under its label.
const fn of(field: &'static str, declared: Field) -> Column {
    Column {
        title: declared.label,
        ..c(field, "", "")
    }
}

/// A count the API may hide.
const fn small(column: Column) -> Column {
    Column {
        small_hidden: true,
        ..column
    }
}

/// A column of codes, shown by their names.
const fn coded(column: Column, label: fn(&str, Lang) -> Option<&'static str>) -> Column {
    Column {
        label: Some(label),
        ..column
    }
}

fn session_format(code: &str, lang: Lang) -> Option<&'static str> {
    crate::session::SessionFormat::from_code(code).map(|f| f.label(lang))
}

fn indicator(code: &str, lang: Lang) -> Option<&'static str> {
    crate::outcome::Indicator::from_code(code).map(|i| i.label(lang))
}

fn school_kind(code: &str, lang: Lang) -> Option<&'static str> {
    crate::org::SchoolKind::from_code(code).map(|k| k.label(lang))
}

fn show_method(code: &str, lang: Lang) -> Option<&'static str> {
    crate::screening::ShowMethod::from_code(code).map(|m| m.label(lang))
}

fn link_state(code: &str, lang: Lang) -> Option<&'static str> {
    crate::link::LinkState::from_code(code).map(|s| s.label(lang))
}

const ID: Column = c("/id", "编号", "ID");
const VERSION: Column = c("/version", "版本", "Version");
const DISTRICT_ID: Column = c("/district_id", "分局编号", "District ID");
const STATION_ID: Column = c("/station_id", "派出所编号", "Station ID");
const SCHOOL_ID: Column = c("/school_id", "学校编号", "School ID");
const CAMPAIGN_ID: Column = c("/campaign_id", "行动编号", "Campaign ID");
const TOPIC_IDS: Column = c("/topic_ids", "主题编号", "Topic IDs");
const STARTS_ON: Column = of("/starts_on", org::STARTS_ON);
const ENDS_ON: Column = of("/ends_on", org::ENDS_ON);

pub const CITIES: Table = Table {
    file: "cities",
    zh: "市局",
    en: "Cities",
    rows: Rows::List,
    columns: &[
        ID,
        of("/code", org::CITY_CODE),
        of("/name", org::CITY_NAME),
        of("/sort_order", org::SORT_ORDER),
        VERSION,
    ],
};

pub const DISTRICTS: Table = Table {
    file: "districts",
    zh: "分局",
    en: "Districts",
    rows: Rows::List,
    columns: &[
        ID,
        c("/city_id", "市局编号", "City ID"),
        of("/code", org::DISTRICT_CODE),
        of("/name", org::DISTRICT_NAME),
        of("/sort_order", org::SORT_ORDER),
        VERSION,
    ],
};

pub const STATIONS: Table = Table {
    file: "stations",
    zh: "派出所",
    en: "Stations",
    rows: Rows::List,
    columns: &[
        ID,
        of("/code", org::STATION_CODE),
        of("/name", org::STATION_NAME),
        DISTRICT_ID,
        of("/workstation", org::WORKSTATION),
        of("/closed_on", org::CLOSED_ON),
        VERSION,
    ],
};

pub const SCHOOLS: Table = Table {
    file: "schools",
    zh: "学校",
    en: "Schools",
    rows: Rows::List,
    columns: &[
        ID,
        of("/code", org::SCHOOL_CODE),
        of("/name", org::SCHOOL_NAME),
        coded(of("/kind", org::SCHOOL_KIND), school_kind),
        DISTRICT_ID,
        STATION_ID,
        // This school year's figure of the roll.
        of("/enrolment", org::ENROLMENTS),
        of("/closed_on", org::CLOSED_ON),
        VERSION,
    ],
};

pub const TOPICS: Table = Table {
    file: "topics",
    zh: "宣讲主题",
    en: "Topics",
    rows: Rows::List,
    columns: &[
        ID,
        of("/code", org::TOPIC_CODE),
        of("/name_zh", org::NAME_ZH),
        of("/name_en", org::NAME_EN),
        of("/sort_order", org::SORT_ORDER),
        VERSION,
    ],
};

pub const CAMPAIGNS: Table = Table {
    file: "campaigns",
    zh: "宣防行动",
    en: "Campaigns",
    rows: Rows::List,
    columns: &[
        ID,
        of("/name", org::CAMPAIGN_NAME),
        of("/year", org::YEAR),
        STARTS_ON,
        ENDS_ON,
        TOPIC_IDS,
        of("/targets/sessions", org::TARGET_SESSIONS),
        of("/targets/schools", org::TARGET_SCHOOLS),
        of("/targets/audience", org::TARGET_AUDIENCE),
        VERSION,
    ],
};

pub const FILMS: Table = Table {
    file: "films",
    zh: "宣教片",
    en: "Films",
    rows: Rows::List,
    columns: &[
        ID,
        of("/title", film::FILM_TITLE),
        of("/minutes", film::FILM_MINUTES),
        TOPIC_IDS,
        VERSION,
    ],
};

pub const ASSIGNMENTS: Table = Table {
    file: "assignments",
    zh: "观看任务",
    en: "Screening assignments",
    rows: Rows::List,
    columns: &[
        ID,
        CAMPAIGN_ID,
        of("/title", screening::ASSIGNMENT_TITLE),
        c("/film_ids", "宣教片编号", "Film IDs"),
        c("/school_ids", "学校编号", "School IDs"),
        of("/opens_on", screening::OPENS_ON),
        of("/closes_on", screening::CLOSES_ON),
        VERSION,
    ],
};

pub const CONFIRMATIONS: Table = Table {
    file: "confirmations",
    zh: "观看确认",
    en: "Screening confirmations",
    rows: Rows::List,
    columns: &[
        ID,
        c("/assignment_id", "观看任务编号", "Assignment ID"),
        SCHOOL_ID,
        c("/film_id", "宣教片编号", "Film ID"),
        of("/shown_on", screening::SHOWN_ON),
        of("/students", screening::WATCHING_STUDENTS),
        of("/parents", screening::WATCHING_PARENTS),
        of("/classes", screening::CLASSES),
        coded(of("/method", screening::METHOD), show_method),
        VERSION,
    ],
};

pub const TRAININGS: Table = Table {
    file: "trainings",
    zh: "宣讲员培训班",
    en: "Trainings",
    rows: Rows::List,
    columns: &[
        ID,
        of("/title", training::TRAINING_TITLE),
        of("/place", training::PLACE),
        STARTS_ON,
        ENDS_ON,
        CAMPAIGN_ID,
        VERSION,
    ],
};

pub const TRAINEES: Table = Table {
    file: "trainees",
    zh: training::TRAINEES_TITLE.zh,
    en: training::TRAINEES_TITLE.en,
    rows: Rows::List,
    columns: &[
        ID,
        c("/training_id", "培训班编号", "Training ID"),
        of("/name", training::TRAINEE_NAME),
        STATION_ID,
        of("/days_attended", training::DAYS_ATTENDED),
        of("/completed", training::COMPLETED),
        VERSION,
    ],
};

pub const OUTCOMES: Table = Table {
    file: "outcomes",
    zh: "帮扶成效",
    en: "Outcomes",
    rows: Rows::List,
    columns: &[
        ID,
        STATION_ID,
        of("/month", outcome::MONTH),
        coded(of("/indicator", outcome::INDICATOR), indicator),
        small(of("/value", outcome::VALUE)),
        VERSION,
    ],
};

/// Volunteers as administrators and the station's officers export them (names in full;
/// anyone else's export holds the masked ones the list shows).
pub const VOLUNTEERS: Table = Table {
    file: "volunteers",
    zh: "志愿者",
    en: "Volunteers",
    rows: Rows::List,
    columns: &[
        ID,
        STATION_ID,
        of("/team", volunteer::TEAM),
        of("/name", volunteer::NAME),
        of("/phone", volunteer::PHONE),
        of("/active_from", volunteer::ACTIVE_FROM),
        of("/active_to", volunteer::ACTIVE_TO),
        VERSION,
    ],
};

/// Cases, exported by administrators only; no free text (the note, the closing reason)
/// ever leaves the database.
pub const CASES: Table = Table {
    file: "cases",
    zh: "帮教对象",
    en: "Cases",
    rows: Rows::List,
    columns: &[
        ID,
        c("/code", "编码", "Code"),
        STATION_ID,
        of("/birth_year", case::BIRTH_YEAR),
        coded(of("/sex", case::SEX), sex),
        c("/school_id", "学校编号", "School ID"),
        coded(of("/category", case::CATEGORY), category),
        coded(of("/grade", case::GRADE), grade),
        of("/opened_on", case::OPENED_ON),
        of("/closed_on", case::CLOSED_ON),
        c("/last_contact_on", "最近联系", "Last contact"),
        VERSION,
    ],
};

pub const CASE_TEAM: Table = Table {
    file: "case-team",
    zh: "结对帮教",
    en: "Case teams",
    rows: Rows::List,
    columns: &[
        ID,
        c("/case_id", "帮教对象编号", "Case ID"),
        c("/volunteer_id", "志愿者编号", "Volunteer ID"),
        c("/officer_id", "民警账号编号", "Officer ID"),
        of("/from_on", team::FROM_ON),
        of("/to_on", team::TO_ON),
        VERSION,
    ],
};

/// Contacts, without their notes.
pub const CONTACTS: Table = Table {
    file: "contacts",
    zh: "帮教记录",
    en: "Contacts",
    rows: Rows::List,
    columns: &[
        ID,
        c("/case_id", "帮教对象编号", "Case ID"),
        of("/contacted_on", contact::CONTACTED_ON),
        coded(of("/kind", contact::KIND), contact_kind),
        c("/team_member_id", "帮教人编号", "Team member ID"),
        of("/next_due_on", contact::NEXT_DUE_ON),
        VERSION,
    ],
};

pub const CASE_EVENTS: Table = Table {
    file: "case-events",
    zh: "帮教事件",
    en: "Case events",
    rows: Rows::List,
    columns: &[
        ID,
        c("/case_id", "帮教对象编号", "Case ID"),
        coded(of("/kind", contact::EVENT_KIND), event_kind),
        of("/happened_on", contact::HAPPENED_ON),
        VERSION,
    ],
};

pub const RUNAWAY_CALLS: Table = Table {
    file: "runaway-calls",
    zh: "出走失联警情",
    en: "Runaway calls",
    rows: Rows::List,
    columns: &[
        ID,
        STATION_ID,
        of("/called_at", runaway::CALLED_AT),
        of("/found_at", runaway::FOUND_AT),
        c("/case_id", "帮教对象编号", "Case ID"),
        c("/overdue", "回访逾期", "Follow-up overdue"),
        VERSION,
    ],
};

/// Nights of care, without the cases among them.
pub const NIGHT_CARE: Table = Table {
    file: "night-care",
    zh: "夜间游荡关爱",
    en: "Night-wandering care",
    rows: Rows::List,
    columns: &[
        ID,
        STATION_ID,
        of("/cared_on", night_care::CARED_ON),
        of("/minors", night_care::MINORS),
        VERSION,
    ],
};

fn sex(code: &str, lang: Lang) -> Option<&'static str> {
    crate::mentoring::Sex::from_code(code).map(|k| k.label(lang))
}

fn category(code: &str, lang: Lang) -> Option<&'static str> {
    crate::mentoring::Category::from_code(code).map(|k| k.label(lang))
}

fn grade(code: &str, lang: Lang) -> Option<&'static str> {
    crate::mentoring::Grade::from_code(code).map(|k| k.label(lang))
}

fn contact_kind(code: &str, lang: Lang) -> Option<&'static str> {
    contact::ContactKind::from_code(code).map(|k| k.label(lang))
}

fn event_kind(code: &str, lang: Lang) -> Option<&'static str> {
    contact::EventKind::from_code(code).map(|k| k.label(lang))
}

pub const SESSIONS: Table = Table {
    file: "sessions",
    zh: "宣讲记录",
    en: "Sessions",
    rows: Rows::List,
    columns: &[
        ID,
        of("/held_on", session::HELD_ON),
        c("/district", "分局", "District"),
        c("/station", "派出所", "Station"),
        STATION_ID,
        SCHOOL_ID,
        // The school's name or the other venue, whichever the session was held at.
        c("/venue", "学校或地点", "School or venue"),
        coded(of("/format", session::FORMAT), session_format),
        TOPIC_IDS,
        of("/audience/students", session::STUDENTS),
        of("/audience/parents", session::PARENTS),
        of("/audience/teachers", session::TEACHERS),
        of("/audience/others", session::OTHERS),
        of("/duration_minutes", session::DURATION),
        of("/speakers", session::SPEAKERS),
        of("/notes", session::NOTES),
        CAMPAIGN_ID,
        VERSION,
    ],
};

pub const LINKS: Table = Table {
    file: "school-links",
    zh: "学校链接",
    en: "School links",
    rows: Rows::List,
    columns: &[
        ID,
        c("/school", "学校", "School"),
        SCHOOL_ID,
        CAMPAIGN_ID,
        c("/campaign", "宣防行动", "Campaign"),
        coded(c("/state", "状态", "State"), link_state),
        c("/created_at", "签发时间", "Issued at"),
        c("/created_by", "签发人", "Issued by"),
        c("/expires_at", "到期时间", "Expires at"),
        c("/revoked_at", "撤销时间", "Revoked at"),
    ],
};

pub const AUDIT: Table = Table {
    file: "audit",
    zh: "操作记录",
    en: "Audit trail",
    rows: Rows::List,
    columns: &[
        ID,
        c("/at", "时间", "At"),
        c("/actor", "账号", "Account"),
        c("/action", "操作", "Action"),
        c("/resource", "记录类型", "Resource"),
        c("/resource_id", "记录编号", "Resource ID"),
        c("/before", "修改前", "Before"),
        c("/after", "修改后", "After"),
    ],
};

fn return_state(code: &str, lang: Lang) -> Option<&'static str> {
    crate::returns::ReturnState::from_code(code).map(|s| s.label(lang))
}

/// The reminder list for the WeChat groups: one row per station that has not submitted a
/// month (`GET /api/v1/todo/reminders`).
pub const REMINDERS: Table = Table {
    file: "reminders",
    zh: "月报催报名单",
    en: "Returns reminders",
    rows: Rows::List,
    columns: &[
        c("/district_name", "分局", "District"),
        c("/station_name", "派出所", "Station"),
        c("/month", "月份", "Month"),
        coded(c("/state", "状态", "State"), return_state),
        c("/deadline", "截止日期", "Deadline"),
        c("/days_late", "逾期天数", "Days late"),
        c("/reason", "退回原因", "Reason returned"),
    ],
};

const SESSIONS_N: Column = c("/sessions", "场次", "Sessions");
const STUDENTS: Column = c("/students", "学生人次", "Students");
const PARENTS: Column = c("/parents", "家长人次", "Parents");
const TEACHERS: Column = c("/teachers", "教师人次", "Teachers");
const OTHERS: Column = c("/others", "其他人次", "Others");

pub const SESSIONS_BY_DISTRICT: Table = Table {
    file: "sessions-by-district",
    zh: "各分局宣讲场次",
    en: "Sessions by district",
    rows: Rows::List,
    columns: &[
        DISTRICT_ID,
        c("/district", "分局", "District"),
        SESSIONS_N,
        STUDENTS,
        PARENTS,
        TEACHERS,
        OTHERS,
    ],
};

pub const REACH: Table = Table {
    file: "reach",
    zh: "宣讲覆盖",
    en: "Reach",
    rows: Rows::List,
    columns: &[
        c("/key", "分组", "Group"),
        c("/label", "名称", "Name"),
        SESSIONS_N,
        STUDENTS,
        PARENTS,
        TEACHERS,
        OTHERS,
    ],
};

pub const AUDIENCE: Table = Table {
    file: "audience",
    zh: "受众概况",
    en: "Audience",
    rows: Rows::One,
    columns: &[
        SESSIONS_N,
        STUDENTS,
        PARENTS,
        TEACHERS,
        OTHERS,
        c("/unique_students", "覆盖学生数（去重）", "Unique students"),
        c("/schools_reached", "覆盖学校数", "Schools reached"),
    ],
};

pub const SCREENING_COVERAGE: Table = Table {
    file: "screening-coverage",
    zh: "宣教片观看覆盖",
    en: "Screening coverage",
    rows: Rows::Nested("by_district"),
    columns: &[
        c("/up/film_id", "宣教片编号", "Film ID"),
        c("/up/title", "片名", "Film"),
        DISTRICT_ID,
        c("/district", "分局", "District"),
        c("/expected", "应观看学校数", "Schools expected"),
        c("/confirmed", "已确认学校数", "Schools confirmed"),
    ],
};

pub const SCREENING_REACH: Table = Table {
    file: "screening-reach",
    zh: "宣教片观看人数",
    en: "Screening reach",
    rows: Rows::One,
    columns: &[
        c("/schools_expected", "应观看学校数", "Schools expected"),
        c("/schools_confirmed", "已确认学校数", "Schools confirmed"),
        c("/students", "观看学生数", "Students"),
        c("/parents", "观看家长数", "Parents"),
    ],
};

pub const TRAINING_COVERAGE: Table = Table {
    file: "training-coverage",
    zh: "宣讲员培训覆盖",
    en: "Training coverage",
    rows: Rows::Nested("by_district"),
    columns: &[
        DISTRICT_ID,
        c("/district", "分局", "District"),
        c("/stations", "派出所数", "Stations"),
        c(
            "/trained",
            "有结业宣讲员的派出所数",
            "Stations with a trained speaker",
        ),
    ],
};

pub const OUTCOME_SERIES: Table = Table {
    file: "outcome-series",
    zh: "帮扶成效汇总",
    en: "Outcome totals",
    rows: Rows::List,
    columns: &[
        c("/month", "月份", "Month"),
        coded(c("/indicator", "指标", "Indicator"), indicator),
        small(c("/value", "数值", "Value")),
    ],
};

pub const OUTCOME_TOTALS: Table = Table {
    file: "outcome-totals",
    zh: "帮扶成效合计",
    en: "Outcome figures of the period",
    rows: Rows::One,
    columns: &[
        small(c("/minors_mentored", "结对帮扶未成年人", "Minors mentored")),
        small(c("/reoffences", "再犯", "Re-offences")),
        small(c(
            "/runaway_calls",
            "出走失联警情",
            "Runaway and missing-youth calls",
        )),
        small(c("/follow_ups", "回访", "Follow-up visits")),
        small(c(
            "/volunteer_teams",
            "落实志愿帮扶",
            "Volunteer teams assigned",
        )),
        small(c(
            "/night_wandering_cared",
            "夜间游荡关爱",
            "Night wanderers cared for",
        )),
        small(c("/returned_to_school", "复学", "Returned to school")),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [&Table; 31] = [
        &AUDIT,
        &CITIES,
        &DISTRICTS,
        &STATIONS,
        &SCHOOLS,
        &TOPICS,
        &CAMPAIGNS,
        &FILMS,
        &ASSIGNMENTS,
        &CONFIRMATIONS,
        &TRAININGS,
        &TRAINEES,
        &OUTCOMES,
        &VOLUNTEERS,
        &CASES,
        &CASE_TEAM,
        &CONTACTS,
        &CASE_EVENTS,
        &RUNAWAY_CALLS,
        &NIGHT_CARE,
        &SESSIONS,
        &LINKS,
        &SESSIONS_BY_DISTRICT,
        &REACH,
        &AUDIENCE,
        &SCREENING_COVERAGE,
        &SCREENING_REACH,
        &TRAINING_COVERAGE,
        &OUTCOME_SERIES,
        &OUTCOME_TOTALS,
        &REMINDERS,
    ];

    #[test]
    fn every_table_has_distinct_headers_and_an_ascii_file_name() {
        for table in ALL {
            assert!(
                table
                    .file
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
                "{}",
                table.file
            );
            for lang in [Lang::Zh, Lang::En] {
                let mut headers: Vec<_> = table.columns.iter().map(|c| c.header(lang)).collect();
                headers.sort_unstable();
                headers.dedup();
                assert_eq!(
                    headers.len(),
                    table.columns.len(),
                    "{} {lang:?}",
                    table.file
                );
            }
            for column in table.columns {
                assert!(column.field.starts_with('/'), "{}", column.field);
            }
        }
    }

    #[test]
    fn codes_read_as_names_in_the_language_asked_and_unknown_ones_as_they_are() {
        let format = SESSIONS
            .columns
            .iter()
            .find(|c| c.field == "/format")
            .unwrap();
        assert_eq!(
            format.show("class_talk", Lang::Zh),
            crate::session::SessionFormat::ClassTalk.label(Lang::Zh)
        );
        assert_eq!(
            format.show("class_talk", Lang::En),
            crate::session::SessionFormat::ClassTalk.label(Lang::En)
        );
        assert_eq!(format.show("no_such", Lang::Zh), "no_such");
        let state = LINKS.columns.iter().find(|c| c.field == "/state").unwrap();
        for code in ["active", "expired", "revoked"] {
            assert_ne!(state.show(code, Lang::Zh), code);
        }
    }
}
