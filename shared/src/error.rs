//! The error body every 4xx answer carries, and the per-field problems inside it.
//!
//! `code` fields are stable machine codes that clients may match on; `message` fields are for
//! people and come in the language the request asked for.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// The JSON body of every error answer:
/// `{code, message, fields:[{field, code, message}], request_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub fields: Vec<FieldError>,
    /// The request's id, as in its `X-Request-Id` answer header and the server's log: what
    /// to quote when reporting the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// One problem with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's path in the request body, e.g. `audience.students`.
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

/// What can be wrong with a field. The serialised name is the stable machine code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    TooLong,
    /// Shorter than the minimum (a password).
    TooShort,
    InvalidDate,
    DateInFuture,
    OutsideCampaign,
    NotANumber,
    Negative,
    NotWhole,
    TooLarge,
    NoAudience,
    LargeAudienceUnconfirmed,
    DuplicateTopic,
    UnknownValue,
    VenueConflict,
    InvalidType,
    TooSmall,
    InvalidCode,
    InvalidMonth,
    DuplicateValue,
    EndsBeforeStart,
    PeriodTooLong,
    YearMismatch,
    OutsideWindow,
    OutsideCourse,
    ExceedsEnrolment,
    NotAssigned,
    NotAttended,
    /// The station chosen is not in the district chosen.
    NotInDistrict,
    /// A place the account's role does not take (a district for an administrator…).
    NotForRole,
    /// A username with anything but `a-z`, `0-9`, `.`, `_` and `-`.
    InvalidUsername,
    /// Text with NUL or another control character (tab and line breaks are text).
    ControlCharacter,
    /// A list longer than its maximum.
    TooMany,
    /// The school or station chosen had closed before the day given.
    Closed,
    /// New dates (a campaign's window, a closing day) that would leave records out.
    ExcludesRecords,
    /// A range's first day after its last (said at the first day, where a filter is set).
    StartsAfterEnd,
    /// Free text of a mentoring register holding what reads as an ID number.
    HoldsIdNumber,
    /// Free text holding what reads as a phone number.
    HoldsPhoneNumber,
    /// Free text holding what reads as a person's name.
    HoldsName,
    /// Two fields of which one only may be given (a team member: a volunteer or an officer).
    ChooseOne,
    /// A record of another station than the one the record belongs to.
    OtherStation,
    /// Not a web address the server may post to (a WeCom webhook must be https).
    InvalidUrl,
    /// A typed outcome value for a station-month whose figures come from its registers.
    DerivedMonth,
    /// A station's registers marker later than a month that already holds typed values.
    TypedMonths,
}

impl FieldCode {
    /// The message a person reads beside the field.
    pub fn message(self, lang: Lang) -> &'static str {
        use FieldCode::*;
        let (zh, en) = match self {
            Required => ("必填项", "This field is required"),
            TooLong => ("内容过长", "This text is too long"),
            TooShort => ("至少需要 10 个字符", "Use at least 10 characters"),
            InvalidDate => ("日期格式应为 年-月-日", "Use a date like 2024-07-24"),
            DateInFuture => ("日期不能晚于今天", "The date cannot be in the future"),
            OutsideCampaign => (
                "日期不在所选行动的起止时间内",
                "The date is outside the chosen campaign",
            ),
            NotANumber => ("请输入数字", "Enter a number"),
            Negative => ("人数不能为负数", "A count cannot be negative"),
            NotWhole => ("人数必须是整数", "A count must be a whole number"),
            TooLarge => ("数值过大", "This number is too large"),
            NoAudience => (
                "请至少填写一类受众人数",
                "Enter at least one audience count",
            ),
            LargeAudienceUnconfirmed => (
                "单场受众超过 5000 人次，请勾选确认",
                "More than 5,000 in one session: tick the box to confirm",
            ),
            DuplicateTopic => ("主题重复", "A topic is listed twice"),
            UnknownValue => ("所选项不存在", "This choice does not exist"),
            VenueConflict => (
                "请选择学校或填写其他场所，二者只能选一",
                "Choose a school or name another venue, not both",
            ),
            InvalidType => ("格式不正确", "This value has the wrong format"),
            TooSmall => ("数值过小", "This number is too small"),
            InvalidCode => (
                "编码只能包含英文字母、数字、- 和 _",
                "Use only letters, digits, - and _",
            ),
            InvalidMonth => ("月份格式应为 年-月", "Use a month like 2024-09"),
            DuplicateValue => ("有重复的项", "Something is listed twice"),
            EndsBeforeStart => (
                "结束日期不能早于开始日期",
                "The end date cannot be before the start date",
            ),
            PeriodTooLong => ("起止时间跨度过长", "The period is too long"),
            YearMismatch => (
                "开始日期应在所填年度内",
                "The start date must fall in the year given",
            ),
            OutsideWindow => (
                "日期不在规定的观看时段内",
                "The date is outside the viewing period",
            ),
            OutsideCourse => (
                "日期不在培训班的起止时间内",
                "The date is outside the course",
            ),
            ExceedsEnrolment => (
                "学生人数超过该校在册人数",
                "More students than the school has on its roll",
            ),
            NotAssigned => (
                "不在本次观看任务之内",
                "This is not part of the viewing assignment",
            ),
            NotAttended => (
                "未参加任何一天培训，不能记为结业",
                "A trainee who attended no day cannot complete the course",
            ),
            NotInDistrict => (
                "所选派出所不属于所选分局",
                "This station is not in the chosen district",
            ),
            NotForRole => (
                "该角色的账号不需要填写这一项",
                "Accounts of this role do not take this field",
            ),
            InvalidUsername => (
                "用户名只能由小写字母、数字和 . _ - 组成",
                "A username may hold only lowercase letters, digits and . _ -",
            ),
            ControlCharacter => (
                "不能包含控制字符（如 NUL）",
                "This text cannot contain control characters (such as NUL)",
            ),
            TooMany => ("所选项过多", "Too many items are listed"),
            Closed => (
                "该日期时已关闭，不能再记录",
                "It had closed by then; nothing can be recorded there after its closing day",
            ),
            ExcludesRecords => (
                "已有记录不在这一日期范围内",
                "Existing records fall outside these dates",
            ),
            InvalidUrl => (
                "请填写以 https:// 开头的完整网址",
                "Use a full address starting with https://",
            ),
            StartsAfterEnd => (
                "开始日期不能晚于结束日期",
                "The start date cannot be after the end date",
            ),
            HoldsIdNumber => ("不得填写身份证号", "Do not write an ID number here"),
            HoldsPhoneNumber => ("不得填写电话号码", "Do not write a phone number here"),
            HoldsName => (
                "不得填写姓名（可写“某”，如“王某”）",
                "Do not write a name here (write 某, as in 王某)",
            ),
            ChooseOne => ("只能选择其中一项", "Choose one of them, not both"),
            OtherStation => ("不属于该派出所", "This belongs to another station"),
            DerivedMonth => (
                "该派出所本月起的帮扶成效由帮教台账统计，不再手工填报",
                "This station's figures for this month are counted from its registers, not typed",
            ),
            TypedMonths => (
                "该月份及以后已有手工填报的帮扶成效，请先删除",
                "Typed outcome values exist from this month on: delete them first",
            ),
        };
        lang.pick(zh, en)
    }

    /// Makes the field error for `field` in the given language.
    pub fn at(self, field: impl Into<String>, lang: Lang) -> FieldError {
        FieldError {
            field: field.into(),
            code: self,
            message: self.message(lang).to_string(),
        }
    }
}

/// Problems found in one request, in the order the fields appear.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(String, FieldCode)>);

impl FieldErrors {
    pub fn push(&mut self, field: impl Into<String>, code: FieldCode) {
        self.0.push((field.into(), code));
    }

    /// Records a failed check beside `field` and hands back the value of a passed one, so a
    /// rule can go on checking the other fields either way.
    pub fn check<T>(
        &mut self,
        field: impl Into<String>,
        result: Result<T, FieldCode>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(code) => {
                self.push(field, code);
                None
            }
        }
    }

    /// Adds `other`'s problems, skipping fields that already have one: the first problem
    /// found for a field is the one worth fixing first.
    pub fn extend(&mut self, other: FieldErrors) {
        for (field, code) in other.0 {
            if self.get(&field).is_none() {
                self.0.push((field, code));
            }
        }
    }

    /// Forgets the problem with `field`, e.g. once the user edits it.
    pub fn remove(&mut self, field: &str) {
        self.0.retain(|(f, _)| f != field);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The code reported for `field`, if any: what a form shows beside that input.
    pub fn get(&self, field: &str) -> Option<FieldCode> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, c)| *c)
    }

    pub fn codes(&self) -> impl Iterator<Item = (&str, FieldCode)> {
        self.0.iter().map(|(f, c)| (f.as_str(), *c))
    }

    pub fn localize(&self, lang: Lang) -> Vec<FieldError> {
        self.0.iter().map(|(f, c)| c.at(f.clone(), lang)).collect()
    }
}
