//! `/api/v1/charts`: the charts as SVG or PNG, drawn by the same shared functions the
//! browser uses, from the same aggregates (same filters, same scope) as
//! `/api/v1/aggregates/*`.
//!
//! PNG is the chart's SVG rasterised by resvg. SVG names its font `sans-serif`; for PNG
//! that family is Noto Sans CJK SC (Debian's `fonts-noto-cjk`, looked for under
//! `/usr/share/fonts`), so Chinese labels render. Without that font the PNG answer is a
//! 503 `chart_font_missing` that says what to install; SVG works regardless.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use humiao_shared::aggregate::{AggregateFilter, AudienceSummary, GroupBy};
use humiao_shared::charts::{self, ChartName, ChartWidth, Fit};
use humiao_shared::returns::completeness::CompletenessQuery;
use humiao_shared::Lang;
use resvg::{tiny_skia, usvg};
use serde::{Deserialize, Serialize};

use crate::aggregates::completeness::completeness;
use crate::aggregates::{district_reach, outcomes, resolve, sliced, suppresses, within_scope};
use crate::db::aggregates;
use crate::db::Db;
use crate::error::{lang_of, ApiError};
use crate::extract::Query;
use crate::viewer::Viewer;

/// Where the fonts for PNG charts are looked for.
pub const FONT_DIR: &str = "/usr/share/fonts";
/// The family PNG charts are drawn in: it has both Chinese and Latin letters.
pub const CJK_FAMILY: &str = "Noto Sans CJK SC";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/charts", "GET").route(web::get().to(list)))
        .service(super::resource("/charts/{file}", "GET").route(web::get().to(draw)));
}

/// One chart the server draws.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ChartEntry {
    /// The chart's slug, as in its URL.
    name: &'static str,
    /// The title, in the request's language.
    title: &'static str,
    /// Where the SVG is; add the aggregates' filters as its query.
    svg: String,
    /// Where the PNG is; takes the same query.
    png: String,
}

/// `GET /api/v1/charts`.
pub type ChartList = Vec<ChartEntry>;

async fn list(req: HttpRequest, _viewer: Viewer) -> HttpResponse {
    let lang = lang_of(&req);
    let entries: Vec<ChartEntry> = ChartName::ALL
        .into_iter()
        .map(|c| ChartEntry {
            name: c.slug(),
            title: c.title(lang),
            svg: format!("/api/v1/charts/{}.svg", c.slug()),
            png: format!("/api/v1/charts/{}.png", c.slug()),
        })
        .collect();
    HttpResponse::Ok().json(entries)
}

/// What a chart takes besides the aggregates' filters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChartQuery {
    /// `zh` or `en`; overrides `Accept-Language`, so an `<img src>` can pick the language.
    #[param(inline)]
    lang: Option<Lang>,
    /// `juvenile-thefts` only: months from this day's month on are "after" (`YYYY-MM-DD`).
    since: Option<NaiveDate>,
    /// The width in CSS px the chart will be shown at, 240–2400 (default 860): it is drawn
    /// that wide, with text of at least 12 px at that width.
    #[param(value_type = Option<u32>, minimum = 240, maximum = 2400)]
    width: Option<ChartWidth>,
}

/// The picture formats a chart comes in.
#[derive(Clone, Copy)]
enum Format {
    Svg,
    Png,
}

async fn draw(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    file: web::Path<String>,
    Query(filter): Query<AggregateFilter>,
    Query(q): Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let (slug, extension) = file.rsplit_once('.').ok_or(ApiError::NotFound)?;
    let chart = ChartName::from_slug(slug).ok_or(ApiError::NotFound)?;
    let format = match extension {
        "svg" => Format::Svg,
        "png" => Format::Png,
        _ => return Err(ApiError::NotFound),
    };
    let lang = q.lang.unwrap_or_else(|| lang_of(&req));
    let fit = q.width.map_or(Fit::EXPORT, ChartWidth::fit);
    let svg = svg_of(&db, &viewer, chart, filter, q.since, lang, fit).await?;
    Ok(match format {
        Format::Svg => HttpResponse::Ok()
            .content_type("image/svg+xml; charset=utf-8")
            .body(svg),
        Format::Png => {
            // Rasterising takes milliseconds of CPU: off the async workers.
            let png = web::block(move || png(&svg))
                .await
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("rasteriser stopped: {e}")))??;
            HttpResponse::Ok().content_type("image/png").body(png)
        }
    })
}

/// The chart's SVG for the filter, narrowed to the viewer's scope: the aggregate the chart
/// is drawn from, read with the aggregates' own queries, then the shared drawing function.
async fn svg_of(
    db: &Db,
    viewer: &Viewer,
    chart: ChartName,
    filter: AggregateFilter,
    since: Option<NaiveDate>,
    lang: Lang,
    fit: Fit,
) -> Result<String, ApiError> {
    Ok(match chart {
        ChartName::ReachOverTime => {
            charts::reach_over_time(&reach(db, viewer, filter, GroupBy::Month).await?, lang, fit)
        }
        ChartName::SessionsByDistrict => {
            let filter = within_scope(db, viewer, filter).await?;
            charts::sessions_by_district(&district_reach(db, &filter).await?, lang, fit)
        }
        ChartName::SessionsByStation => {
            let rows = reach(db, viewer, filter, GroupBy::Station).await?;
            charts::sessions_by_station(&rows, rows.len(), lang, fit)
        }
        ChartName::TopicMix => {
            charts::topic_mix(&reach(db, viewer, filter, GroupBy::Topic).await?, lang, fit)
        }
        ChartName::ScreeningCoverage => {
            let (mut conn, slice) = sliced(db, viewer, filter).await?;
            let films = match slice {
                Some(slice) => aggregates::screening_coverage(&mut conn, &slice).await?,
                None => Vec::new(),
            };
            charts::screening_coverage(&films, lang, fit)
        }
        ChartName::TrainingCoverage => {
            let (mut conn, slice) = sliced(db, viewer, filter).await?;
            let coverage = match slice {
                Some(slice) => aggregates::training_coverage(&mut conn, &slice).await?,
                None => Default::default(),
            };
            charts::training_coverage(&coverage, lang, fit)
        }
        ChartName::ReoffenceRate => {
            // Rates from true counts, hidden as a whole (as the dashboard states them).
            let (mut conn, slice) = sliced(db, viewer, filter).await?;
            let rates = match slice {
                Some(slice) => {
                    outcomes(&mut conn, viewer, &slice)
                        .await?
                        .reoffence_by_month
                }
                None => Vec::new(),
            };
            charts::reoffence_rate(&rates, lang, fit)
        }
        ChartName::ContactsOnTime => {
            // Shares per month, drilled to a station at most: never a case.
            let (mut conn, slice) = sliced(db, viewer, filter).await?;
            let points = match slice {
                Some(slice) => {
                    let settings = crate::records::registers::settings(&mut conn).await?;
                    crate::db::derived::contacts_on_time_by_month(
                        &mut conn,
                        &slice,
                        &settings,
                        suppresses(viewer),
                    )
                    .await?
                }
                None => Vec::new(),
            };
            charts::contacts_on_time(&points, lang, fit)
        }
        ChartName::FollowedUpInTime => {
            let (mut conn, slice) = sliced(db, viewer, filter).await?;
            let points = match slice {
                Some(slice) => {
                    outcomes(&mut conn, viewer, &slice)
                        .await?
                        .followed_up_in_time
                }
                None => Vec::new(),
            };
            charts::followed_up_in_time(&points, lang, fit)
        }
        ChartName::NightWandering | ChartName::JuvenileThefts => {
            let (mut conn, slice) = sliced(db, viewer, filter).await?;
            let mut points = Vec::new();
            if let Some(slice) = slice {
                let hide = suppresses(viewer);
                points.extend(aggregates::outcome_series(&mut conn, &slice, hide).await?);
            }
            match chart {
                ChartName::NightWandering => charts::night_wandering(&points, lang, fit),
                _ => charts::juvenile_thefts(&points, since, lang, fit),
            }
        }
        ChartName::UniqueReach => {
            charts::unique_reach(&unique_reach(db, viewer, filter).await?, lang, fit)
        }
        ChartName::ReturnsCompleteness => {
            // The slice's year (its campaign's), in the slice's place, months together.
            let (_, slice) = sliced(db, viewer, filter).await?;
            let returns = match slice {
                Some(slice) => {
                    let f = &slice.filter;
                    let query = CompletenessQuery {
                        year: Some(slice.year),
                        city_id: f.city_id,
                        district_id: f.district_id,
                        station_id: f.station_id,
                    };
                    completeness(db, viewer, query).await?.returns
                }
                None => Default::default(),
            };
            charts::returns_completeness(&returns, lang, fit)
        }
    })
}

/// `GET /aggregates/reach?group_by=…` for the filter.
async fn reach(
    db: &Db,
    viewer: &Viewer,
    filter: AggregateFilter,
    group: GroupBy,
) -> Result<Vec<humiao_shared::aggregate::ReachRow>, ApiError> {
    let filter = within_scope(db, viewer, filter).await?;
    let mut conn = db.pool.acquire().await?;
    Ok(match resolve(&mut conn, filter).await? {
        Some(slice) => aggregates::reach(&mut conn, &slice, group).await?,
        None => Vec::new(),
    })
}

/// The audience aggregate per district of the slice, in one pass: each district's work
/// (its stations' sessions) and coverage (its own schools' unique students), as
/// `GET /aggregates/audience` narrowed to the district states them.
async fn unique_reach(
    db: &Db,
    viewer: &Viewer,
    filter: AggregateFilter,
) -> Result<Vec<(String, AudienceSummary)>, ApiError> {
    let (mut conn, slice) = sliced(db, viewer, filter).await?;
    let Some(slice) = slice else {
        return Ok(Vec::new());
    };
    let districts: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, city_id, name FROM districts ORDER BY sort_order, id")
            .fetch_all(&mut *conn)
            .await?;
    let work = aggregates::reach(&mut conn, &slice, GroupBy::District).await?;
    let schools = aggregates::school_reach(&mut conn, &slice).await?;
    // A slice below district level (a station, a school) keeps only the districts it
    // reaches into; a district-wide one keeps its district even when it is empty.
    let f = &slice.filter;
    let narrow = f.station_id.is_some() || f.school_id.is_some();
    let mut rows = Vec::new();
    for (id, city, name) in districts {
        if f.district_id.is_some_and(|d| d != id) || f.city_id.is_some_and(|c| c != city) {
            continue;
        }
        let key = id.to_string();
        let own = work
            .iter()
            .filter(|r| r.key == key)
            .cloned()
            .collect::<Vec<_>>();
        let coverage = aggregates::coverage_of(schools.iter().filter(|s| s.district_id == id));
        let audience = aggregates::work_summary(&own, &coverage);
        if !narrow || audience.sessions > 0 {
            rows.push((name, audience));
        }
    }
    Ok(rows)
}

/// The fonts PNG charts are drawn with, loaded once; `None` when no CJK font is installed.
fn fonts() -> Option<Arc<usvg::fontdb::Database>> {
    static FONTS: OnceLock<Option<Arc<usvg::fontdb::Database>>> = OnceLock::new();
    FONTS.get_or_init(|| fonts_in(Path::new(FONT_DIR))).clone()
}

/// The [`CJK_FAMILY`] font found under `dir`, as the only font and the meaning of
/// `sans-serif` (it has Latin letters and digits too); `None` without it.
///
/// Its OpenType layout tables (GSUB, GPOS, GDEF) are hidden from the shaper: Noto CJK's are
/// large, the shaper reads them again for every text element, and that made a chart's text
/// take ten times as long as the rest of its PNG. Chart labels need none of them: the
/// Simplified Chinese face maps characters to Simplified forms by itself, and labels are
/// horizontal, without ligatures.
pub fn fonts_in(dir: &Path) -> Option<Arc<usvg::fontdb::Database>> {
    let mut all = usvg::fontdb::Database::new();
    all.load_fonts_dir(dir);
    let path = all.faces().find_map(|face| {
        // The regular weight: the directory holds the bold one too.
        let is_cjk = face.families.iter().any(|(name, _)| name == CJK_FAMILY)
            && face.weight == usvg::fontdb::Weight::NORMAL
            && face.style == usvg::fontdb::Style::Normal;
        match &face.source {
            usvg::fontdb::Source::File(path) | usvg::fontdb::Source::SharedFile(path, _)
                if is_cjk =>
            {
                Some(path.clone())
            }
            _ => None,
        }
    });
    let Some(mut data) = path.and_then(|path| std::fs::read(path).ok()) else {
        tracing::warn!(dir = %dir.display(), "no {CJK_FAMILY} font: PNG charts are unavailable (apt-get install fonts-noto-cjk)");
        return None;
    };
    hide_layout_tables(&mut data);
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(data);
    db.set_sans_serif_family(CJK_FAMILY);
    Some(Arc::new(db))
}

/// Renames the GSUB, GPOS and GDEF tables of every face in an OpenType font or collection
/// (their tags' last letter one lower, which keeps the table directory sorted), so that
/// readers skip them. A file too short for what it claims is left as it is.
fn hide_layout_tables(data: &mut [u8]) {
    let number = |data: &[u8], at: usize, len: usize| {
        data.get(at..at + len)
            .map(|b| b.iter().fold(0usize, |n, byte| n << 8 | usize::from(*byte)))
    };
    let faces: Vec<usize> = if data.starts_with(b"ttcf") {
        let count = number(data, 8, 4).unwrap_or(0);
        (0..count)
            .filter_map(|i| number(data, 12 + 4 * i, 4))
            .collect()
    } else {
        vec![0]
    };
    for face in faces {
        let tables = number(data, face + 4, 2).unwrap_or(0);
        for i in 0..tables {
            let at = face + 12 + 16 * i;
            if let Some(tag) = data.get_mut(at..at + 4) {
                if [b"GSUB", b"GPOS", b"GDEF"].iter().any(|t| tag == *t) {
                    tag[3] -= 1;
                }
            }
        }
    }
}

/// A chart's SVG as PNG, with the system's CJK font.
pub fn png(svg: &str) -> Result<Vec<u8>, ApiError> {
    png_with(svg, fonts().ok_or(ApiError::ChartFontMissing)?)
}

/// A chart's SVG as PNG, drawn with `fonts`.
pub fn png_with(svg: &str, fonts: Arc<usvg::fontdb::Database>) -> Result<Vec<u8>, ApiError> {
    let options = usvg::Options {
        fontdb: fonts,
        font_family: CJK_FAMILY.to_string(),
        ..Default::default()
    };
    let fail = |what: &str| ApiError::Internal(anyhow::anyhow!("PNG chart: {what}"));
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| fail(&e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| fail("empty size"))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    // Charts are drawn on opaque white, so the colours are the pixels less their alpha.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|e| fail(&e.to_string()))?;
    writer
        .write_image_data(&rgb)
        .map_err(|e| fail(&e.to_string()))?;
    writer.finish().map_err(|e| fail(&e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::ResponseError;

    #[test]
    fn without_a_cjk_font_png_is_refused_clearly() {
        let empty = std::env::temp_dir().join("humiao-no-fonts");
        let _ = std::fs::create_dir_all(&empty);
        assert!(fonts_in(&empty).is_none());
        assert_eq!(
            ApiError::ChartFontMissing.status_code(),
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[test]
    fn layout_tables_are_renamed_in_every_face_and_nothing_else_is_touched() {
        // A collection of two faces, each with a table directory of three tables.
        let mut font = b"ttcf\0\x01\0\0\0\0\0\x02\0\0\0\x14\0\0\0\x50".to_vec();
        for _ in 0..2 {
            font.extend_from_slice(b"OTTO\0\x03\0\0\0\0\0\0");
            for tag in [b"GPOS", b"GSUB", b"cmap"] {
                font.extend_from_slice(tag);
                font.extend_from_slice(&[7; 12]);
            }
        }
        let before = font.clone();
        hide_layout_tables(&mut font);
        let tags = |f: &[u8]| -> Vec<String> {
            [0x14, 0x50]
                .iter()
                .flat_map(|face| (0..3).map(move |i| face + 12 + 16 * i))
                .map(|at| String::from_utf8_lossy(&f[at..at + 4]).into_owned())
                .collect()
        };
        assert_eq!(
            tags(&font),
            ["GPOR", "GSUA", "cmap", "GPOR", "GSUA", "cmap"]
        );
        let changed = font.iter().zip(&before).filter(|(a, b)| a != b).count();
        assert_eq!(changed, 4, "only the four tags' last letters");
        // A file that claims more than it holds is left alone, without a panic.
        let mut short = b"ttcf\0\x01\0\0\0\0\0\x09".to_vec();
        hide_layout_tables(&mut short);
        assert_eq!(short, b"ttcf\0\x01\0\0\0\0\0\x09");
    }
}
