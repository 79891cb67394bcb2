//! The rule every free text of the mentoring registers passes (a case's note, its closing
//! reason, a contact's note): short, and holding nothing that identifies a person.
//!
//! The station keeps the mapping from a case's code to the child on paper; the database
//! must never learn it by the back door of a note. So a text is refused (422, with the
//! field) when it holds:
//!
//! - **an ID number** ([`FieldCode::HoldsIdNumber`]): a run of 15 or more digits, or of 17
//!   digits and an `X` (the 18-character resident ID, and the old 15-digit one);
//! - **a phone number** ([`FieldCode::HoldsPhoneNumber`]): a run of 11 digits starting with
//!   `1` (a mobile), or of 10–12 digits starting with `0` (a landline with its area code,
//!   `0519-86661234`);
//! - **a name** ([`FieldCode::HoldsName`]): one of the common surnames followed by one or
//!   two Han characters, (a) right after 姓名/名字/名叫/叫 (a colon or a space may come
//!   between), (b) right before a form of address (同学, 家长, 妈妈, 先生…), or (c) as the
//!   whole first phrase of the text (`王小明，今天复学`). A surname followed by 某 (`王某`,
//!   `王某某`) is the usual anonymous form and passes.
//!
//! Digits are read as runs after full-width digits become ASCII and a space or a dash
//! between two digits is dropped (`138 1234 5678`, `0519-8666-1234`), so a grouped number
//! is still one number. A date (`2024-07-24` is 8 digits) or a count never reaches 10.
//! The rule errs on the side of refusing: a text that starts with a 2–3 character phrase
//! beginning with a surname (`高年级，…`) is refused and the officer rephrases it; what it
//! cannot catch (a name without a surname of the list, a nickname) is why the text is
//! short, never exported, and cleared when the case is reduced.

use crate::error::FieldCode;
use crate::rules;

/// A free text holds at most this many characters.
pub const MAX_FREE_TEXT_CHARS: usize = 100;

/// Common single-character surnames (the hundred most frequent, which cover about 85% of
/// people in China).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常";

/// Two-character surnames.
const COMPOUND_SURNAMES: [&str; 6] = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫"];

/// Words after which a name follows.
const MARKERS: [&str; 4] = ["姓名", "名字", "名叫", "叫"];

/// Forms of address that follow a name.
const ADDRESSES: [&str; 12] = [
    "同学",
    "同志",
    "先生",
    "女士",
    "家长",
    "妈妈",
    "爸爸",
    "奶奶",
    "爷爷",
    "老师",
    "小朋友",
    "阿姨",
];

/// An optional free text: trimmed, blank is none, at most [`MAX_FREE_TEXT_CHARS`], no
/// control characters, and nothing that identifies a person.
pub fn free_text(text: Option<&str>) -> Result<Option<String>, FieldCode> {
    let Some(text) = rules::optional_text(text, MAX_FREE_TEXT_CHARS)? else {
        return Ok(None);
    };
    rules::no_controls(&text)?;
    identifying(&text).map_or(Ok(Some(text)), Err)
}

/// What in `text` identifies a person, if anything.
pub fn identifying(text: &str) -> Option<FieldCode> {
    numbers(text).or_else(|| name(text))
}

fn numbers(text: &str) -> Option<FieldCode> {
    for run in digit_runs(text) {
        let digits = run.trim_end_matches(['X', 'x']);
        let x_ended = digits.len() < run.len();
        let n = digits.len();
        if n >= 15 || (x_ended && n == 17) {
            return Some(FieldCode::HoldsIdNumber);
        }
        if (n == 11 && digits.starts_with('1'))
            || ((10..=12).contains(&n) && digits.starts_with('0'))
        {
            return Some(FieldCode::HoldsPhoneNumber);
        }
    }
    None
}

/// The runs of digits (an `X` may end one), a space or dash between two digits dropped.
fn digit_runs(text: &str) -> Vec<String> {
    let chars: Vec<char> = rules::half_width(text).chars().collect();
    let mut runs = Vec::new();
    let mut run = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let joins = |c: char| matches!(c, ' ' | '-' | '—' | '－');
        if c.is_ascii_digit() {
            run.push(c);
        } else if (c == 'X' || c == 'x') && !run.is_empty() {
            run.push(c);
            runs.push(std::mem::take(&mut run));
        } else if joins(c)
            && !run.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
        {
            // A grouped number: 138 1234 5678.
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// The length in characters of a surname at the start of `chars`, if one is there.
fn surname_at(chars: &[char]) -> Option<usize> {
    let two: String = chars.iter().take(2).collect();
    if COMPOUND_SURNAMES.contains(&two.as_str()) {
        return Some(2);
    }
    chars
        .first()
        .is_some_and(|c| SURNAMES.contains(*c))
        .then_some(1)
}

/// Given the text from a possible surname on: the surname's length and how many Han
/// characters follow it, if it reads as a name and is not the anonymous 某 form.
fn name_at(chars: &[char]) -> Option<(usize, usize)> {
    let surname = surname_at(chars)?;
    let given = chars[surname..].iter().take_while(|c| is_han(**c)).count();
    if given == 0 || chars[surname] == '某' {
        return None;
    }
    Some((surname, given))
}

fn name(text: &str) -> Option<FieldCode> {
    let chars: Vec<char> = text.chars().collect();
    // (c) The first phrase: a surname and 1–2 characters, then anything but Han.
    if let Some((_, given)) = name_at(&chars) {
        if given <= 2 {
            return Some(FieldCode::HoldsName);
        }
    }
    for i in 0..chars.len() {
        let rest = &chars[i..];
        let rest_text: String = rest.iter().collect();
        // (a) After a marker.
        if let Some(marker) = MARKERS.iter().find(|m| rest_text.starts_with(**m)) {
            let mut j = marker.chars().count();
            while rest
                .get(j)
                .is_some_and(|c| matches!(c, ':' | '：' | ' ' | '是'))
            {
                j += 1;
            }
            if name_at(&rest[j..]).is_some() {
                return Some(FieldCode::HoldsName);
            }
        }
        // (b) Before a form of address: a surname and 1–2 characters, then the address.
        let Some(surname) = surname_at(rest) else {
            continue;
        };
        for given in 1..=2 {
            let Some(name) = rest.get(surname..surname + given) else {
                break;
            };
            let after: String = rest[surname + given..].iter().collect();
            if name.iter().all(|c| is_han(*c) && *c != '某')
                && ADDRESSES.iter().any(|a| after.starts_with(a))
            {
                return Some(FieldCode::HoldsName);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use FieldCode::*;

    #[test]
    fn what_passes_and_what_is_refused() {
        let cases: &[(&str, Option<FieldCode>)] = &[
            // Passes: what a note needs to say.
            ("走访家中，情况稳定", None),
            ("周末家访，家长配合", None),
            ("已复学，就读初二", None),
            ("2024-07-24 到校了解情况，3 次谈话", None),
            ("王某某本月未再夜不归宿", None),
            ("王某已返校", None),
            ("黄色预警解除", None),
            ("联系班主任，约定下周再访", None),
            ("成绩提高 20 分", None),
            ("家访 20241201", None),
            // ID numbers.
            ("身份证 320402200801011234", Some(HoldsIdNumber)),
            ("32040220080101123X", Some(HoldsIdNumber)),
            (
                "号码３２０４０２２００８０１０１１２３４",
                Some(HoldsIdNumber),
            ),
            ("320402 20080101 1234", Some(HoldsIdNumber)),
            ("旧证 320402080101123", Some(HoldsIdNumber)),
            // Phone numbers.
            ("家长电话13812345678", Some(HoldsPhoneNumber)),
            ("联系 138 1234 5678", Some(HoldsPhoneNumber)),
            ("138-1234-5678 晚上打", Some(HoldsPhoneNumber)),
            ("座机 0519-86661234", Some(HoldsPhoneNumber)),
            ("010 12345678", Some(HoldsPhoneNumber)),
            // Names.
            ("王小明，今天复学", Some(HoldsName)),
            ("李华 走访正常", Some(HoldsName)),
            ("欧阳娜娜", Some(HoldsName)),
            ("对象姓名：张三", Some(HoldsName)),
            ("孩子名叫刘洋，很配合", Some(HoldsName)),
            ("他叫陈晨", Some(HoldsName)),
            ("与赵磊同学谈心", Some(HoldsName)),
            ("见到孙丽妈妈", Some(HoldsName)),
        ];
        let mut wrong = Vec::new();
        for (text, want) in cases {
            let got = free_text(Some(text)).err();
            if got != *want {
                wrong.push(format!("{text:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn free_text_is_short_optional_and_trimmed() {
        assert_eq!(free_text(None), Ok(None));
        assert_eq!(free_text(Some("  ")), Ok(None));
        assert_eq!(free_text(Some(" 情况稳定 ")), Ok(Some("情况稳定".into())));
        let long = "稳".repeat(MAX_FREE_TEXT_CHARS + 1);
        assert_eq!(free_text(Some(&long)), Err(TooLong));
        assert_eq!(free_text(Some("a\u{0}b")), Err(ControlCharacter));
    }
}
