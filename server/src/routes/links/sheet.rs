//! The printable sheet of schools' links: an HTML page of A4 pages with twelve cards each,
//! one card per school with its name, district, station, the campaign, the expiry and the
//! link as a QR code (inline SVG, so the page needs no script and no other file).
//!
//! Every text comes from the database and is escaped: a school's name is whatever an
//! administrator typed.
//!
//! The sheet is the answer of the `POST` that issues its links. [`reprint`] is what a `GET`
//! can show instead: the links in use, without QR codes, and the form that issues new ones.

use std::fmt::Write as _;

use chrono::FixedOffset;
use humiao_shared::Lang;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::error::ApiError;
use crate::records::links::{Active, Issued, School};

/// Three columns of four rows fit an A4 page with 12 mm margins.
const CARDS_PER_PAGE: usize = 12;

/// One card: a link and the address its QR code holds.
pub struct Card {
    pub link: Issued,
    pub url: String,
}

const STYLE: &str = "
@page { size: A4; margin: 12mm }
* { box-sizing: border-box }
body { margin: 0; font-family: 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif;
       color: #000; background: #eee }
.notice { max-width: 186mm; margin: 8mm auto; padding: 4mm 6mm; background: #fff7d6;
          border: 1px solid #d9b500; font-size: 11pt; line-height: 1.5 }
.page { width: 186mm; height: 273mm; margin: 0 auto 8mm; background: #fff;
        display: grid; grid-template-columns: repeat(3, 1fr); grid-template-rows: repeat(4, 1fr);
        break-after: page; break-inside: avoid }
.page:last-child { break-after: auto }
.card { border: 0.3mm dashed #999; padding: 2.5mm 3mm; overflow: hidden; text-align: center;
        display: flex; flex-direction: column; align-items: center; gap: 0.8mm;
        break-inside: avoid }
.card h2 { margin: 0; font-size: 10pt; line-height: 1.25; max-height: 2.5em; overflow: hidden }
.card p { margin: 0; font-size: 7.5pt; line-height: 1.3 }
.card .where { color: #333 }
.card .qr { width: 36mm; height: 36mm; flex: none }
.card .hint { font-size: 7pt; color: #333 }
.reprint { max-width: 186mm; margin: 8mm auto; padding: 4mm 6mm; background: #fff }
.reprint table { border-collapse: collapse; width: 100%; font-size: 10pt }
.reprint th, .reprint td { border-bottom: 1px solid #ccc; padding: 1mm 2mm; text-align: left }
.reprint form { margin: 4mm 0; display: flex; flex-wrap: wrap; gap: 3mm; align-items: center }
@media print {
  body { background: none }
  .notice { display: none }
  .page { margin: 0 }
}
";

/// The whole page. A second or so of work for every school of the city: call it off the
/// async workers.
pub fn page(cards: &[Card], lang: Lang) -> Result<String, ApiError> {
    // About 9 KB a card, most of it the QR code's path.
    let mut html = String::with_capacity(2048 + cards.len() * 10_000);
    let title = lang.pick("学校确认链接二维码", "Schools' link QR codes");
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body>",
        lang.pick("zh-CN", "en"),
    );
    notice(&mut html, cards, lang);
    for page in cards.chunks(CARDS_PER_PAGE) {
        html.push_str("<section class=\"page\">");
        for card in page {
            write_card(&mut html, card, lang)?;
        }
        html.push_str("</section>");
    }
    html.push_str("</body></html>\n");
    Ok(html)
}

/// What the administrator reads on screen (not printed): issuing the sheet replaced the
/// schools' earlier links.
fn notice(html: &mut String, cards: &[Card], lang: Lang) {
    let campaign = cards
        .first()
        .map(|c| escape(&c.link.campaign))
        .unwrap_or_default();
    let n = cards.len();
    let text = match lang {
        Lang::Zh => format!(
            "本页刚为「{campaign}」的 {n} 所学校签发了新的确认链接，这些学校此前在该行动中的链接\
             已全部作废。二维码只显示这一次：请直接打印本页（A4，每页 12 张，沿虚线裁开）。\
             重新提交本页会再次签发，本页的二维码随即作废。"
        ),
        Lang::En => format!(
            "This page just issued new links to {n} schools for “{campaign}”; their earlier \
             links for this campaign no longer work. These QR codes are shown this once: \
             print this page now (A4, 12 cards a page, cut along the dashed lines). \
             Submitting this page again issues new links and voids these QR codes."
        ),
    };
    let _ = write!(html, "<p class=\"notice\">{text}</p>");
}

/// The campaign's links in use, as a table without QR codes, and a form that issues new
/// ones; submitting it needs a box ticked that says how many links it revokes (no script:
/// the page's CSP allows none).
pub fn reprint(
    campaign_id: i64,
    campaign: &str,
    links: &[Active],
    missing: &[School],
    lang: Lang,
) -> String {
    let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let campaign = escape(campaign);
    let n = links.len();
    let mut html = String::with_capacity(4096 + n * 200);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body><main class=\"reprint\">\
         <h1>{campaign}</h1><p class=\"explain\">{}</p>",
        lang.pick("zh-CN", "en"),
        lang.pick("学校确认链接", "Schools' links"),
        match lang {
            Lang::Zh => format!(
                "「{campaign}」现有 {n} 个有效链接。链接的密钥只在签发时显示一次，服务器只保存其\
                 摘要，所以无法重印已签发的二维码。要打印二维码，请重新签发：这些学校现有的链接\
                 将作废。打开本页不会改变任何链接。"
            ),
            Lang::En => format!(
                "“{campaign}” has {n} links in use. A link's secret is shown once, when it is \
                 issued, and the server keeps only its hash, so issued QR codes cannot be \
                 printed again. To print QR codes, issue new links: the schools' current links \
                 will stop working. Opening this page changes no link."
            ),
        },
    );
    without_link(&mut html, campaign_id, missing, lang);
    let _ = write!(
        html,
        "<form method=\"post\" action=\"/api/v1/links/sheet\">\
         <input type=\"hidden\" name=\"campaign_id\" value=\"{campaign_id}\">\
         <label><input type=\"checkbox\" name=\"confirm\" value=\"1\" required> {}</label>\
         <button type=\"submit\">{}</button></form>",
        match lang {
            Lang::Zh => format!("将作废 {n} 个现有链接并重新生成，确定"),
            Lang::En => format!("Revoke the {n} links in use and issue new ones"),
        },
        lang.pick("签发并打印二维码", "Issue and print the QR codes"),
    );
    if !links.is_empty() {
        let _ = write!(
            html,
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            lang.pick("学校", "School"),
            lang.pick("分局 · 派出所", "District · station"),
            lang.pick("编号", "No."),
            lang.pick("有效期至", "Valid until"),
        );
        for link in links {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{} · {}</td><td>{}</td><td>{}</td></tr>",
                escape(&link.school.name),
                escape(&link.school.district),
                escape(&link.school.station),
                link.id,
                link.expires_at
                    .with_timezone(&china)
                    .format("%Y-%m-%d %H:%M"),
            );
        }
        html.push_str("</tbody></table>");
    }
    html.push_str("</main></body></html>\n");
    html
}

/// The schools with no link in use: named (the first few), and a form that issues only
/// theirs, which revokes no link, so it needs no box ticked.
fn without_link(html: &mut String, campaign_id: i64, missing: &[School], lang: Lang) {
    /// Enough names to recognise; the count says the rest.
    const NAMED: usize = 30;
    let n = missing.len();
    if n == 0 {
        return;
    }
    let names: Vec<String> = missing
        .iter()
        .take(NAMED)
        .map(|s| escape(&s.name))
        .collect();
    let more = if n > NAMED {
        lang.pick("等", " and others")
    } else {
        ""
    };
    let ids: Vec<String> = missing.iter().map(|s| s.id.to_string()).collect();
    let _ = write!(
        html,
        "<section class=\"missing\"><p>{}</p>\
         <form method=\"post\" action=\"/api/v1/links/sheet\">\
         <input type=\"hidden\" name=\"campaign_id\" value=\"{campaign_id}\">\
         <input type=\"hidden\" name=\"school_ids\" value=\"{}\">\
         <button type=\"submit\">{}</button></form></section>",
        match lang {
            Lang::Zh => format!("{n} 所学校还没有生效的链接：{}{more}。", names.join("、")),
            Lang::En => format!(
                "{n} schools have no link in use: {}{more}.",
                names.join(", ")
            ),
        },
        ids.join(","),
        match lang {
            Lang::Zh => format!("只为这 {n} 所学校签发并打印（不作废任何链接）"),
            Lang::En => format!("Issue and print for these {n} schools only (revokes no link)"),
        },
    );
}

fn write_card(html: &mut String, card: &Card, lang: Lang) -> Result<(), ApiError> {
    let link = &card.link;
    let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let expires = link
        .expires_at
        .with_timezone(&china)
        .format("%Y-%m-%d %H:%M");
    let _ = write!(
        html,
        "<article class=\"card\"><h2>{school}</h2><p class=\"where\">{district} · {station}</p>\
         {qr}<p>{campaign}</p><p>{until} {expires} · {number} {id}</p><p class=\"hint\">{hint}</p>\
         </article>",
        school = escape(&link.school.name),
        district = escape(&link.school.district),
        station = escape(&link.school.station),
        qr = qr_svg(&card.url)?,
        campaign = escape(&link.campaign),
        until = lang.pick("有效期至", "Valid until"),
        number = lang.pick("编号", "No."),
        id = link.id,
        hint = lang.pick(
            "用手机扫码，无需密码即可确认本校观看情况",
            "Scan with a phone to confirm the school's screenings, no password needed",
        ),
    );
    Ok(())
}

/// The address as a QR code, an `<svg>` element to put inline (without the XML prologue
/// the renderer writes for a file of its own).
fn qr_svg(url: &str) -> Result<String, ApiError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("no QR code for a link: {e}")))?;
    let image = code
        .render::<svg::Color>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build();
    let start = image
        .find("<svg")
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the QR renderer wrote no <svg>")))?;
    Ok(image[start..].replacen("<svg ", "<svg class=\"qr\" role=\"img\" ", 1))
}

/// Text for HTML, in an element or an attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_elements_and_attributes() {
        let cases = [
            ("雕庄小学", "雕庄小学"),
            (
                "<img src=x onerror=alert(1)>",
                "&lt;img src=x onerror=alert(1)&gt;",
            ),
            ("A & B \"C\" 'D'", "A &amp; B &quot;C&quot; &#39;D&#39;"),
        ];
        for (text, want) in cases {
            assert_eq!(escape(text), want, "{text}");
        }
    }

    #[test]
    fn a_link_becomes_one_inline_svg_element() {
        let svg = qr_svg(&format!("https://humiao.example.cn/s#{}", "ab".repeat(32))).unwrap();
        assert!(svg.starts_with("<svg class=\"qr\""), "{}", &svg[..40]);
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
        assert_eq!(svg.matches("<svg").count(), 1);
    }
}
