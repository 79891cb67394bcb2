//! `humiao gen`: fills an empty database with realistic synthetic data, deterministically
//! for a seed, for benchmarks and load tests.
//!
//! - `city`: Changzhou's shape (7 districts, 87 stations, 855 schools), ≈20,000 sessions a
//!   year, every school confirming all 10 films each year.
//! - `province`: 13 cities, ≈1,100 stations and ≈11,000 schools; with `--years 5`
//!   ≈1.3 million sessions and ≈550,000 screening confirmations.
//!
//! Rows go in as multi-row INSERTs with explicit ids (the database is empty), in
//! transactions of a few ten thousand rows; the four reach rollups are computed once at the
//! end ([`db::rollups::rebuild`]).

use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use humiao_shared::org::SchoolKind;
use humiao_shared::session::SessionFormat;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{Any, Transaction};

use crate::configuration::DatabaseArgs;
use crate::db::{self, Db, Engine};
use crate::demo;

/// The generated campaigns end with this year, so the data is the same whenever it is made.
pub const LAST_YEAR: i32 = 2025;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scale {
    City,
    Province,
}

#[derive(Debug, Clone, Args)]
pub struct GenArgs {
    /// How much to generate.
    #[arg(long, value_enum)]
    pub scale: Scale,
    /// Campaign years, ending with 2025.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=20))]
    pub years: u16,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// What was generated.
#[derive(Debug, Default)]
pub struct Summary {
    pub cities: usize,
    pub districts: usize,
    pub stations: usize,
    pub schools: usize,
    pub sessions: usize,
    pub confirmations: usize,
}

const JIANGSU: [&str; 13] = [
    "常州",
    "南京",
    "无锡",
    "徐州",
    "苏州",
    "南通",
    "连云港",
    "淮安",
    "盐城",
    "扬州",
    "镇江",
    "泰州",
    "宿迁",
];
const PROVINCE_STATIONS: usize = 1_100;

pub async fn run(args: &GenArgs) -> anyhow::Result<Summary> {
    let db = args.database.connect().await?;
    if !demo::is_empty(&db).await? {
        bail!("the database is not empty; gen fills only a new, empty database");
    }
    let mut g = Generator {
        rng: ChaCha8Rng::seed_from_u64(args.seed),
        summary: Summary::default(),
        next_id: Default::default(),
    };
    let first_year = LAST_YEAR - i32::from(args.years) + 1;
    let mut tx = db.pool.begin().await?;
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ('demo', $1)")
        .bind(format!(
            "generated: {:?}, {} years, seed {}",
            args.scale, args.years, args.seed
        ))
        .execute(&mut *tx)
        .await?;
    let stations = g.organisation(&mut tx, args.scale).await?;
    let topics = g.topics_and_films(&mut tx).await?;
    tx.commit().await?;

    for year in first_year..=LAST_YEAR {
        let mut tx = db.pool.begin().await?;
        let campaign = g.campaign(&mut tx, year).await?;
        g.confirmations(&mut tx, campaign, year, &stations).await?;
        tx.commit().await?;
        g.sessions(&db, campaign, year, &stations, &topics).await?;
    }

    let mut tx = db.pool.begin().await?;
    // The rollups once for all the sessions, as `humiao rollups rebuild` computes them.
    db::rollups::rebuild(&mut tx).await?;
    if db.engine == Engine::Postgres {
        // Explicit ids bypassed the identity sequences; move them past the last id.
        for table in TABLES_WITH_IDS {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                               COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(g.summary)
}

const TABLES_WITH_IDS: [&str; 10] = [
    "cities",
    "districts",
    "stations",
    "schools",
    "topics",
    "films",
    "campaigns",
    "screening_assignments",
    "screening_confirmations",
    "sessions",
];

/// A value for a multi-row INSERT; NULLs carry their type for PostgreSQL.
#[derive(Debug, Clone)]
enum V {
    I(i64),
    T(String),
    NullI,
    NullT,
}

struct StationSeed {
    id: i64,
    schools: Vec<(i64, i64)>, // (id, enrolment)
}

struct Generator {
    rng: ChaCha8Rng,
    summary: Summary,
    next_id: std::collections::HashMap<&'static str, i64>,
}

impl Generator {
    fn id(&mut self, table: &'static str) -> i64 {
        let next = self.next_id.entry(table).or_insert(0);
        *next += 1;
        *next
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.random_range(lo..=hi)
    }

    async fn organisation(
        &mut self,
        tx: &mut Transaction<'_, Any>,
        scale: Scale,
    ) -> anyhow::Result<Vec<StationSeed>> {
        let cities: &[&str] = match scale {
            Scale::City => &JIANGSU[..1],
            Scale::Province => &JIANGSU,
        };
        let (mut city_rows, mut district_rows, mut station_rows) = (vec![], vec![], vec![]);
        let (mut school_rows, mut roll_rows) = (vec![], vec![]);
        let mut stations = Vec::new();
        for (c, city) in cities.iter().enumerate() {
            let city_id = self.id("cities");
            city_rows.push(vec![
                V::I(city_id),
                V::T(format!("C{c:02}")),
                V::T(format!("{city}市公安局")),
            ]);
            // Changzhou keeps its real 87 stations; the other cities share the rest of 1,100.
            let per_city = |c: usize| {
                let others = PROVINCE_STATIONS - 87;
                others / 12 + usize::from(c <= others % 12)
            };
            for d in 0..7 {
                let district_id = self.id("districts");
                let (district_name, places): (String, Vec<String>) = if c == 0 {
                    let (_, name, places) = demo::DISTRICTS[d];
                    (name.into(), places.iter().map(|p| p.to_string()).collect())
                } else {
                    let n = per_city(c) / 7 + usize::from(d < per_city(c) % 7);
                    let name = format!("{city}第{}分局", d + 1);
                    (
                        name,
                        (1..=n).map(|k| format!("{city}{}-{k}", d + 1)).collect(),
                    )
                };
                district_rows.push(vec![
                    V::I(district_id),
                    V::I(city_id),
                    V::T(format!("C{c:02}D{d}")),
                    V::T(district_name),
                    V::I((c * 10 + d) as i64),
                ]);
                for (s, place) in places.iter().enumerate() {
                    let station_id = self.id("stations");
                    station_rows.push(vec![
                        V::I(station_id),
                        V::I(district_id),
                        V::T(format!("C{c:02}D{d}S{s:02}")),
                        V::T(format!("{place}派出所")),
                    ]);
                    let mut seed = StationSeed {
                        id: station_id,
                        schools: Vec::new(),
                    };
                    // 855 schools for 87 stations; ten per station elsewhere.
                    let count = if c == 0 && stations.len() >= 72 {
                        9
                    } else {
                        10
                    };
                    for k in 0..count {
                        let school_id = self.id("schools");
                        let kind = SchoolKind::ALL[[0, 0, 0, 0, 0, 1, 1, 2, 3, 4][k]];
                        let roll = self.range(300, 2_400);
                        school_rows.push(vec![
                            V::I(school_id),
                            V::I(district_id),
                            V::I(station_id),
                            V::T(format!("SC{school_id:06}")),
                            V::T(format!("{place}第{}{}", k + 1, kind.label_zh())),
                            V::T(kind.code().into()),
                        ]);
                        for year in 2015..=LAST_YEAR {
                            roll_rows.push(vec![
                                V::I(school_id),
                                V::I(year.into()),
                                V::I(roll + i64::from(year - 2015) * 5),
                            ]);
                        }
                        seed.schools.push((school_id, roll));
                    }
                    stations.push(seed);
                }
            }
        }
        self.summary.cities = city_rows.len();
        self.summary.districts = district_rows.len();
        self.summary.stations = station_rows.len();
        self.summary.schools = school_rows.len();
        insert(tx, "cities", &["id", "code", "name"], city_rows).await?;
        insert(
            tx,
            "districts",
            &["id", "city_id", "code", "name", "sort_order"],
            district_rows,
        )
        .await?;
        insert(
            tx,
            "stations",
            &["id", "district_id", "code", "name"],
            station_rows,
        )
        .await?;
        insert(
            tx,
            "schools",
            &["id", "district_id", "station_id", "code", "name", "kind"],
            school_rows,
        )
        .await?;
        insert(
            tx,
            "school_enrolments",
            &["school_id", "school_year", "students"],
            roll_rows,
        )
        .await?;
        Ok(stations)
    }

    async fn topics_and_films(
        &mut self,
        tx: &mut Transaction<'_, Any>,
    ) -> anyhow::Result<Vec<i64>> {
        let mut topics = Vec::new();
        let mut rows = Vec::new();
        for (i, (code, zh, en)) in demo::TOPICS.iter().enumerate() {
            let id = self.id("topics");
            topics.push(id);
            rows.push(vec![
                V::I(id),
                V::T((*code).into()),
                V::T((*zh).into()),
                V::T((*en).into()),
                V::I(i as i64),
            ]);
        }
        insert(
            tx,
            "topics",
            &["id", "code", "name_zh", "name_en", "sort_order"],
            rows,
        )
        .await?;
        let films = demo::FILMS
            .iter()
            .map(|(title, minutes)| {
                vec![
                    V::I(self.id("films")),
                    V::T((*title).into()),
                    V::I(*minutes),
                ]
            })
            .collect();
        insert(tx, "films", &["id", "title", "minutes"], films).await?;
        Ok(topics)
    }

    async fn campaign(&mut self, tx: &mut Transaction<'_, Any>, year: i32) -> anyhow::Result<i64> {
        let id = self.id("campaigns");
        let row = vec![
            V::I(id),
            V::T(format!("{year}年警心护苗集中宣防行动")),
            V::I(year.into()),
            V::T(format!("{year}-01-01")),
            V::T(format!("{year}-12-31")),
        ];
        insert(
            tx,
            "campaigns",
            &["id", "name", "year", "starts_on", "ends_on"],
            vec![row],
        )
        .await?;
        Ok(id)
    }

    /// One assignment a year asks every school to show every film; every school confirms
    /// each film once.
    async fn confirmations(
        &mut self,
        tx: &mut Transaction<'_, Any>,
        campaign: i64,
        year: i32,
        stations: &[StationSeed],
    ) -> anyhow::Result<()> {
        let opens = NaiveDate::from_ymd_opt(year, 3, 1).context("date")?;
        let created = format!("{year}-12-31T00:00:00.000Z");
        let assignment = self.id("screening_assignments");
        insert(
            tx,
            "screening_assignments",
            &[
                "id",
                "campaign_id",
                "title",
                "opens_on",
                "closes_on",
                "created_at",
            ],
            vec![vec![
                V::I(assignment),
                V::I(campaign),
                V::T(format!("{year}年宣教片观看")),
                V::T(format!("{year}-03-01")),
                V::T(format!("{year}-12-20")),
                V::T(created.clone()),
            ]],
        )
        .await?;
        let films: Vec<i64> = (1..=demo::FILMS.len() as i64).collect();
        let film_rows = films
            .iter()
            .map(|&film| vec![V::I(assignment), V::I(film)])
            .collect();
        insert(
            tx,
            "assignment_films",
            &["assignment_id", "film_id"],
            film_rows,
        )
        .await?;
        let school_rows = stations
            .iter()
            .flat_map(|station| station.schools.iter())
            .map(|&(school, _)| vec![V::I(assignment), V::I(school)])
            .collect();
        insert(
            tx,
            "assignment_schools",
            &["assignment_id", "school_id"],
            school_rows,
        )
        .await?;
        let mut rows = Vec::new();
        for station in stations {
            for &(school, roll) in &station.schools {
                for &film in &films {
                    let students = roll * self.range(60, 98) / 100;
                    let day = opens + chrono::Duration::days(self.range(0, 290));
                    rows.push(vec![
                        V::I(self.id("screening_confirmations")),
                        V::I(assignment),
                        V::I(school),
                        V::I(film),
                        V::T(day.to_string()),
                        V::I(students),
                        V::I(students * self.range(0, 90) / 100),
                        V::I((students / 40).max(1)),
                        V::T(["classroom", "assembly", "online"][self.range(0, 2) as usize].into()),
                        V::T(created.clone()),
                    ]);
                }
            }
        }
        self.summary.confirmations += rows.len();
        insert(
            tx,
            "screening_confirmations",
            &[
                "id",
                "assignment_id",
                "school_id",
                "film_id",
                "shown_on",
                "students",
                "parents",
                "classes",
                "method",
                "created_at",
            ],
            rows,
        )
        .await
    }

    /// About 230 sessions per station in the year, committed in chunks of stations.
    async fn sessions(
        &mut self,
        db: &Db,
        campaign: i64,
        year: i32,
        stations: &[StationSeed],
        topics: &[i64],
    ) -> anyhow::Result<()> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).context("date")?;
        let days = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
            365
        } else {
            364
        };
        let created = format!("{year}-12-31T00:00:00.000Z");
        for chunk in stations.chunks(100) {
            let (mut sessions, mut links) = (Vec::new(), Vec::new());
            for station in chunk {
                for _ in 0..self.range(180, 280) {
                    let id = self.id("sessions");
                    let format = SessionFormat::ALL[self.range(0, 6) as usize];
                    let (school, venue) = if matches!(
                        format,
                        SessionFormat::OpenDay
                            | SessionFormat::OnlineParents
                            | SessionFormat::MediaColumn
                    ) {
                        (V::NullI, V::T("社区".into()))
                    } else {
                        let (school, _) = station.schools
                            [self.range(0, station.schools.len() as i64 - 1) as usize];
                        (V::I(school), V::NullT)
                    };
                    let day = first + chrono::Duration::days(self.range(0, days));
                    sessions.push(vec![
                        V::I(id),
                        V::I(campaign),
                        V::I(station.id),
                        school,
                        venue,
                        V::T(day.to_string()),
                        V::T(format.code().into()),
                        V::I(self.range(0, 600)),
                        V::I(self.range(0, 120)),
                        V::I(self.range(1, 20)),
                        V::I(self.range(0, 30)),
                        V::I(1),
                        V::T(created.clone()),
                    ]);
                    let n = self.range(1, 3) as usize;
                    let start = self.range(0, topics.len() as i64 - 1) as usize;
                    for k in 0..n {
                        links.push(vec![V::I(id), V::I(topics[(start + k * 4) % topics.len()])]);
                    }
                }
            }
            self.summary.sessions += sessions.len();
            let mut tx = db.pool.begin().await?;
            insert(
                &mut tx,
                "sessions",
                &[
                    "id",
                    "campaign_id",
                    "station_id",
                    "school_id",
                    "venue",
                    "held_on",
                    "format",
                    "students",
                    "parents",
                    "teachers",
                    "others",
                    "is_demo",
                    "created_at",
                ],
                sessions,
            )
            .await?;
            insert(
                &mut tx,
                "session_topics",
                &["session_id", "topic_id"],
                links,
            )
            .await?;
            tx.commit().await?;
        }
        Ok(())
    }
}

/// Inserts `rows` with multi-row statements.
async fn insert(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<V>>,
) -> anyhow::Result<()> {
    // Both engines accept far more, but binding cost in the drivers grows faster than
    // linearly with the statement; about a hundred rows is the sweet spot.
    let per_statement = 100;
    for batch in rows.chunks(per_statement) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (r, row) in batch.iter().enumerate() {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(&db::placeholders(n + 1, row.len()));
            sql.push(')');
            n += row.len();
        }
        let mut query = sqlx::query(&sql);
        for value in batch.iter().flatten() {
            query = match value {
                V::I(i) => query.bind(*i),
                V::T(t) => query.bind(t.clone()),
                V::NullI => query.bind(None::<i64>),
                V::NullT => query.bind(None::<String>),
            };
        }
        query
            .execute(&mut **tx)
            .await
            .with_context(|| format!("cannot insert into {table}"))?;
    }
    Ok(())
}
