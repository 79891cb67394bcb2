//! Coverage and film figures per district, kept by each server between requests, so that the
//! leaders' page of a city or the province reads one row per district instead of every
//! school and every film confirmation (a province: 11,000 schools, 110,000 assignment rows).
//!
//! A district's figures for a campaign's whole window are kept with the district's version
//! (`district_versions`, see migrations/*/0013): every committed write that can change them
//! moves that version in its own transaction (session writes in `rollups::apply`, the rest
//! by triggers), and kept figures are used only while their version is still the district's.
//! The version is read *before* the figures are computed, so figures are never kept under a
//! version older than the data they saw; at worst a district is computed once more. Several
//! stateless servers on one PostgreSQL each keep their own figures by the same versions.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use humiao_shared::aggregate::FilmCoverage;
use humiao_shared::dashboard::Coverage;
use sqlx::AnyConnection;

use super::aggregates::{
    coverage_of, films_of, school_reach, screening_rows, FilmDistrict, Slice, IN_CITY,
};
use super::where_clause::Conditions;

/// Above this many districts to compute, one query over the whole place costs less than
/// one per district.
const ONE_BY_ONE: usize = 8;

/// What one district contributes to a campaign's whole-window figures.
#[derive(Debug, Default)]
struct Kept {
    coverage: Coverage,
    films: Vec<FilmDistrict>,
    /// Per screening assignment: the district's schools asked, and those that confirmed
    /// every film (the completeness of the film windows).
    windows: Vec<(i64, i64, i64)>,
}

/// A district's figures for a campaign, by (campaign, district): the version they were
/// computed at, and the figures.
type KeptByDistrict = HashMap<(i64, i64), (i64, Arc<Kept>)>;

/// The figures each server keeps.
#[derive(Debug, Default)]
pub struct Cache {
    kept: Mutex<KeptByDistrict>,
}

impl Cache {
    fn get(&self, campaign: i64, district: i64, version: i64) -> Option<Arc<Kept>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(&(campaign, district))
            .filter(|(v, _)| *v == version)
            .map(|(_, k)| k.clone())
    }

    fn put(&self, campaign: i64, district: i64, version: i64, figures: Arc<Kept>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let entry = kept
            .entry((campaign, district))
            .or_insert((version, figures.clone()));
        // A slower request that read an older version must not replace newer figures.
        if entry.0 <= version {
            *entry = (version, figures);
        }
    }
}

/// A district of the slice's place: its id, name, city and version.
struct District {
    id: i64,
    name: String,
    city_id: i64,
    version: Option<i64>,
}

/// The slice's coverage per district and its films, from kept figures where they are still
/// current. The slice must be a campaign's whole window, cut by city at most
/// ([`applies_to`]).
pub struct DistrictFigures {
    /// Coverage per district, in the districts' order, with the district's city.
    pub coverage: Vec<(i64, i64, Coverage)>,
    pub films: Vec<FilmCoverage>,
    /// Per screening assignment: schools asked, and those that confirmed every film.
    pub windows: BTreeMap<i64, (i64, i64)>,
}

impl DistrictFigures {
    /// Coverage of every district together.
    pub fn total(&self) -> Coverage {
        let mut total = Coverage::default();
        for (_, _, c) in &self.coverage {
            total.add(c);
        }
        total
    }

    /// Coverage summed per key (a district's or its city's id).
    pub fn per(&self, key: impl Fn(i64, i64) -> i64) -> BTreeMap<i64, Coverage> {
        let mut out: BTreeMap<i64, Coverage> = BTreeMap::new();
        for (district, city, c) in &self.coverage {
            out.entry(key(*district, *city)).or_default().add(c);
        }
        out
    }
}

/// Can kept figures answer `slice`? The campaign's whole window, over the whole database or
/// one city.
pub fn applies_to(slice: &Slice) -> bool {
    let f = &slice.filter;
    slice.is_whole_window()
        && f.district_id.is_none()
        && f.station_id.is_none()
        && f.school_id.is_none()
        && f.topic_id.is_none()
        && f.format.is_none()
        && !f.accepted_only()
}

/// The figures of `slice` ([`applies_to`] must hold), computing only the districts whose
/// version moved since they were kept.
pub async fn district_figures(
    conn: &mut AnyConnection,
    cache: &Cache,
    slice: &Slice,
) -> Result<DistrictFigures, sqlx::Error> {
    let campaign = slice.campaign_id;
    let districts = districts(conn, slice).await?;
    let mut kept: BTreeMap<i64, Arc<Kept>> = BTreeMap::new();
    let mut stale = Vec::new();
    for d in &districts {
        match d.version.and_then(|v| cache.get(campaign, d.id, v)) {
            Some(k) => {
                kept.insert(d.id, k);
            }
            None => stale.push(d),
        }
    }
    if stale.len() > ONE_BY_ONE {
        let mut computed = compute(conn, slice).await?;
        for d in &stale {
            let figures = Arc::new(computed.remove(&d.id).unwrap_or_default());
            keep(cache, campaign, d, &figures);
            kept.insert(d.id, figures);
        }
    } else {
        for d in stale {
            let mut one = slice.clone();
            one.filter.district_id = Some(d.id);
            let figures = Arc::new(compute(conn, &one).await?.remove(&d.id).unwrap_or_default());
            keep(cache, campaign, d, &figures);
            kept.insert(d.id, figures);
        }
    }

    // Names are read now, not kept: renaming a film or a district moves no version.
    let titles = film_titles(conn, kept.values().flat_map(|k| &k.films)).await?;
    // Rows by film, then in the districts' order, as `screening_rows` lists them.
    let mut films: Vec<(i64, usize, FilmDistrict)> = Vec::new();
    let mut coverage = Vec::with_capacity(districts.len());
    let mut windows: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (order, d) in districts.iter().enumerate() {
        let Some(k) = kept.get(&d.id) else { continue };
        coverage.push((d.id, d.city_id, k.coverage.clone()));
        for (assignment, asked, confirmed) in &k.windows {
            let sum = windows.entry(*assignment).or_default();
            sum.0 += asked;
            sum.1 += confirmed;
        }
        films.extend(k.films.iter().map(|f| {
            let row = FilmDistrict {
                title: titles.get(&f.film_id).cloned().unwrap_or_default(),
                district: d.name.clone(),
                ..f.clone()
            };
            (f.film_id, order, row)
        }));
    }
    films.sort_by_key(|(film, order, _)| (*film, *order));
    Ok(DistrictFigures {
        coverage,
        films: films_of(films.into_iter().map(|(_, _, row)| row)),
        windows,
    })
}

fn keep(cache: &Cache, campaign: i64, d: &District, figures: &Arc<Kept>) {
    if let Some(version) = d.version {
        cache.put(campaign, d.id, version, figures.clone());
    }
}

/// The districts of the slice's place in the lists' order, with their versions, read before
/// any figure is computed.
async fn districts(conn: &mut AnyConnection, slice: &Slice) -> Result<Vec<District>, sqlx::Error> {
    let mut c = Conditions::all();
    if let Some(city) = slice.filter.city_id {
        c.int(&format!("d.id {IN_CITY}"), city);
    }
    let sql = format!(
        "SELECT d.id, d.name, d.city_id, v.version
         FROM districts d LEFT JOIN district_versions v ON v.district_id = d.id
         WHERE {} ORDER BY d.sort_order, d.id",
        c.sql()
    );
    let rows: Vec<(i64, String, i64, Option<i64>)> =
        c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, city_id, version)| District {
            id,
            name,
            city_id,
            version,
        })
        .collect())
}

/// Computes the slice's figures from the rollups and the screening rows, per district.
async fn compute(
    conn: &mut AnyConnection,
    slice: &Slice,
) -> Result<BTreeMap<i64, Kept>, sqlx::Error> {
    let mut out: BTreeMap<i64, Kept> = BTreeMap::new();
    let schools = school_reach(conn, slice).await?;
    let mut by_district: BTreeMap<i64, Vec<_>> = BTreeMap::new();
    for s in &schools {
        by_district.entry(s.district_id).or_default().push(s);
    }
    for (district, schools) in by_district {
        out.entry(district).or_default().coverage = coverage_of(schools);
    }
    for row in screening_rows(conn, slice).await? {
        out.entry(row.district_id).or_default().films.push(row);
    }
    for (district, assignment, asked, confirmed) in
        super::completeness::window_counts(conn, slice).await?
    {
        let kept = out.entry(district).or_default();
        kept.windows.push((assignment, asked, confirmed));
    }
    Ok(out)
}

/// The current titles of these films.
async fn film_titles<'a>(
    conn: &mut AnyConnection,
    films: impl Iterator<Item = &'a FilmDistrict>,
) -> Result<HashMap<i64, String>, sqlx::Error> {
    let mut ids: Vec<i64> = films.map(|f| f.film_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Ids the server read, written into the SQL.
    let sql = format!(
        "SELECT id, title FROM films WHERE id IN ({})",
        ids.iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows: Vec<(i64, String)> = sqlx::query_as(&sql).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().collect())
}
