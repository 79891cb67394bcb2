//! Demonstration data, loaded into an empty database unless `--no-demo` is given.
//!
//! Built from the real figures of the Changzhou bureau's 2024 report (see DOMAIN.md): 7
//! district branches, 87 stations (三井, 龙虎塘 and 雕庄 among them), 855 schools, the
//! campaign's 9 topics and 10 films. School names, enrolments and most sessions are
//! invented, deterministically from one seed; every demo session carries `is_demo = 1` and
//! the database is marked in `app_meta`, which the app shows as a banner. The screenings,
//! trainings and outcome figures are in [`campaign_records`], the monthly returns and their
//! sign-off in [`returns`].

use anyhow::Context as _;
use chrono::{Datelike, NaiveDate};
use humiao_shared::org::SchoolKind;
use humiao_shared::session::{Audience, SessionFormat, ValidSession, Venue};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{Any, Transaction};

use crate::db::{self, Db};

pub mod accounts;
mod campaign_records;
mod returns;

const SEED: u64 = 2024_0724;

/// District branches and the places their stations are named after; 87 in all.
pub const DISTRICTS: [(&str, &str, &[&str]); 7] = [
    (
        "TN",
        "天宁分局",
        &[
            "天宁", "雕庄", "红梅", "兰陵", "茶山", "青龙", "郑陆", "北郊", "丽华", "东青", "舜山",
        ],
    ),
    (
        "ZL",
        "钟楼分局",
        &[
            "南大街",
            "五星",
            "永红",
            "北港",
            "西林",
            "邹区",
            "荷花池",
            "新闸",
            "怀德",
            "白云",
            "清潭",
        ],
    ),
    (
        "XB",
        "新北分局（高新区）",
        &[
            "三井",
            "龙虎塘",
            "河海",
            "新桥",
            "薛家",
            "罗溪",
            "西夏墅",
            "春江",
            "孟河",
            "奔牛",
            "魏村",
            "安家",
            "百丈",
            "万绥",
        ],
    ),
    (
        "WJ",
        "武进分局",
        &[
            "湖塘",
            "牛塘",
            "礼嘉",
            "洛阳",
            "雪堰",
            "前黄",
            "嘉泽",
            "湟里",
            "南夏墅",
            "西湖",
            "夏溪",
            "庙桥",
            "鸣凰",
            "卢家巷",
            "高新",
            "马杭",
            "寨桥",
            "漕桥",
            "运村",
            "坂上",
        ],
    ),
    (
        "JT",
        "金坛分局",
        &[
            "西城",
            "东城",
            "金城",
            "儒林",
            "直溪",
            "朱林",
            "薛埠",
            "指前",
            "尧塘",
            "开发区",
        ],
    ),
    (
        "LY",
        "溧阳市公安局",
        &[
            "溧城",
            "埭头",
            "上黄",
            "戴埠",
            "天目湖",
            "别桥",
            "上兴",
            "竹箦",
            "南渡",
            "社渚",
            "昆仑",
            "古县",
            "燕山",
        ],
    ),
    (
        "JK",
        "经开区分局",
        &[
            "戚墅堰",
            "丁堰",
            "潞城",
            "横林",
            "遥观",
            "横山桥",
            "崔桥",
            "芙蓉",
        ],
    ),
];

pub const TOPICS: [(&str, &str, &str); 9] = [
    ("drowning", "防溺水", "Drowning prevention"),
    ("traffic", "交通安全", "Traffic safety"),
    ("fraud", "识诈防骗", "Fraud awareness"),
    ("drugs", "远离毒品", "Drug prevention"),
    ("mental_health", "心理健康", "Mental health"),
    ("bullying", "防止校园霸凌", "Anti-bullying"),
    ("habits", "良好习惯", "Good habits"),
    ("law", "法治教育", "Legal education"),
    ("patriotism", "爱国教育", "Patriotic education"),
];

/// The first three are named in the source article; the rest are invented.
pub const FILMS: [(&str, i64); 10] = [
    ("青少年心理危机的正确应对", 18),
    ("缤纷暑假平安“警”相随", 15),
    ("独一无二的生命", 20),
    ("珍爱生命 预防溺水", 12),
    ("识破电信网络诈骗", 16),
    ("远离毒品 健康成长", 14),
    ("交通安全伴我行", 12),
    ("向校园霸凌说不", 15),
    ("法治护航 阳光成长", 18),
    ("好习惯 益终身", 10),
];

/// Each station's area holds nine or ten schools of these kinds.
const SCHOOL_PATTERNS: [(&str, SchoolKind, (i64, i64)); 10] = [
    ("中心小学", SchoolKind::Primary, (900, 2400)),
    ("实验小学", SchoolKind::Primary, (800, 2200)),
    ("第二小学", SchoolKind::Primary, (500, 1600)),
    ("新城小学", SchoolKind::Primary, (400, 1500)),
    ("阳光小学", SchoolKind::Primary, (400, 1400)),
    ("初级中学", SchoolKind::Junior, (700, 1800)),
    ("第二初级中学", SchoolKind::Junior, (500, 1400)),
    ("实验学校", SchoolKind::NineYear, (900, 2200)),
    ("高级中学", SchoolKind::Senior, (900, 2500)),
    ("职业技术学校", SchoolKind::Vocational, (600, 2000)),
];
const SCHOOLS: usize = 855;

/// Is the database empty, so that demo data may be loaded?
pub async fn is_empty(db: &Db) -> anyhow::Result<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM districts")
        .fetch_one(&db.pool)
        .await?;
    Ok(n == 0)
}

/// Does the database hold demo data?
pub async fn is_loaded(pool: &sqlx::AnyPool) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM app_meta WHERE key = 'demo'")
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

/// Loads the whole demo set in one transaction: all of it or, on failure, none.
pub async fn load(db: &Db, today: NaiveDate) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut tx = db.pool.begin().await?;
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ('demo', $1)")
        .bind(db::now_text())
        .execute(&mut *tx)
        .await?;
    let (city_id,): (i64,) = sqlx::query_as(
        "INSERT INTO cities (code, name) VALUES ('CZ', '常州市公安局') RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await?;

    let mut stations: Vec<StationSeed> = Vec::new();
    for (order, (code, name, places)) in DISTRICTS.iter().enumerate() {
        let (district_id,): (i64,) = sqlx::query_as(
            "INSERT INTO districts (city_id, code, name, sort_order) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(city_id)
        .bind(*code)
        .bind(*name)
        .bind(order as i64)
        .fetch_one(&mut *tx)
        .await?;
        for (i, place) in places.iter().enumerate() {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO stations (district_id, code, name, workstation)
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(district_id)
            .bind(format!("{code}{:02}", i + 1))
            .bind(format!("{place}派出所"))
            // Every station has a care workstation (关爱工作站), named after its place.
            .bind(format!("{place}关爱工作站"))
            .fetch_one(&mut *tx)
            .await?;
            stations.push(StationSeed {
                id,
                district_id,
                place,
                district_code: code,
                schools: Vec::new(),
            });
        }
    }
    anyhow::ensure!(stations.len() == 87, "the demo city has 87 stations");

    insert_schools(&mut tx, &mut rng, &mut stations).await?;
    let topic_ids = insert_reference(&mut tx, today).await?;
    insert_sessions(&mut tx, &mut rng, &stations, &topic_ids, today).await?;
    campaign_records::insert(&mut tx, &stations, today).await?;
    returns::insert(&mut tx, &stations, today).await?;
    tx.commit().await.context("cannot store the demo data")?;
    accounts::insert(db)
        .await
        .context("cannot add the demo accounts")?;
    Ok(())
}

struct StationSeed {
    id: i64,
    district_id: i64,
    place: &'static str,
    district_code: &'static str,
    schools: Vec<i64>,
}

async fn insert_schools(
    tx: &mut Transaction<'_, Any>,
    rng: &mut ChaCha8Rng,
    stations: &mut [StationSeed],
) -> anyhow::Result<()> {
    // 855 = 87 × 9 + 72: the first 72 stations get a tenth school.
    let tenth = SCHOOLS - stations.len() * 9;
    let mut special_done: Vec<&str> = Vec::new();
    for (n, station) in stations.iter_mut().enumerate() {
        let count = if n < tenth { 10 } else { 9 };
        for (i, (suffix, kind, (low, high))) in SCHOOL_PATTERNS.iter().take(count).enumerate() {
            let (mut name, mut kind, mut range) =
                (format!("{}{suffix}", station.place), *kind, (*low, *high));
            // The schools the source article names.
            if station.place == "雕庄" && i == 0 {
                name = "雕庄小学".into();
            } else if station.place == "南大街" && i == 1 {
                name = "博爱小学".into();
            } else if i == count - 1 && !special_done.contains(&station.district_code) {
                // One special-education school per district, in its first station's area.
                special_done.push(station.district_code);
                name = format!("{}特殊教育学校", station.place);
                kind = SchoolKind::Special;
                range = (60, 220);
            }
            let (school_id,): (i64,) = sqlx::query_as(
                "INSERT INTO schools (district_id, station_id, code, name, kind)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(station.district_id)
            .bind(station.id)
            .bind(format!("S{:04}", n * 10 + i + 1))
            .bind(name)
            .bind(kind.code())
            .fetch_one(&mut **tx)
            .await?;
            let roll = rng.random_range(range.0..=range.1);
            for (year, students) in [
                (2024_i64, roll),
                (2025, roll * rng.random_range(95..=105) / 100),
            ] {
                sqlx::query(
                    "INSERT INTO school_enrolments (school_id, school_year, students)
                     VALUES ($1, $2, $3)",
                )
                .bind(school_id)
                .bind(year)
                .bind(students)
                .execute(&mut **tx)
                .await?;
            }
            station.schools.push(school_id);
        }
    }
    Ok(())
}

/// Topics, films and one campaign a year from 2024 (the campaign's third) to this year.
async fn insert_reference(
    tx: &mut Transaction<'_, Any>,
    today: NaiveDate,
) -> anyhow::Result<Vec<i64>> {
    let mut topic_ids = Vec::new();
    for (order, (code, zh, en)) in TOPICS.iter().enumerate() {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO topics (code, name_zh, name_en, sort_order) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(*code)
        .bind(*zh)
        .bind(*en)
        .bind(order as i64)
        .fetch_one(&mut **tx)
        .await?;
        topic_ids.push(id);
    }
    for (title, minutes) in FILMS {
        sqlx::query("INSERT INTO films (title, minutes) VALUES ($1, $2)")
            .bind(title)
            .bind(minutes)
            .execute(&mut **tx)
            .await?;
    }
    for year in 2024..=today.year().max(2024) {
        sqlx::query(
            "INSERT INTO campaigns (name, year, starts_on, ends_on) VALUES ($1, $2, $3, $4)",
        )
        .bind(format!("{year}年警心护苗集中宣防行动"))
        .bind(i64::from(year))
        .bind(format!("{year}-01-01"))
        .bind(format!("{year}-12-31"))
        .execute(&mut **tx)
        .await?;
    }
    Ok(topic_ids)
}

async fn insert_sessions(
    tx: &mut Transaction<'_, Any>,
    rng: &mut ChaCha8Rng,
    stations: &[StationSeed],
    topic_ids: &[i64],
    today: NaiveDate,
) -> anyhow::Result<()> {
    let campaigns: Vec<(i64, i64)> = sqlx::query_as("SELECT id, year FROM campaigns ORDER BY year")
        .fetch_all(&mut **tx)
        .await?;
    // Stored together at the end, as an import would: one pass over the rollups for all.
    let mut drawn = Vec::new();
    for (campaign_id, year) in campaigns {
        let year = year as i32;
        let first = NaiveDate::from_ymd_opt(year, 1, 1).context("year")?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31)
            .context("year")?
            .min(today);
        if last < first {
            continue;
        }
        let span = (last - first).num_days();
        // 2024 is the report's year and gets the most; later years fewer, up to today.
        let per_station = if year == 2024 { 3..=8 } else { 1..=4 };
        for station in stations {
            for _ in 0..rng.random_range(per_station.clone()) {
                let day = first + chrono::Duration::days(rng.random_range(0..=span));
                drawn.push(demo_session(rng, station, topic_ids, campaign_id, day));
            }
        }
    }
    // The two sessions the source article describes.
    let at = |place: &str| stations.iter().find(|s| s.place == place);
    if let (Some(nandajie), Some(diaozhuang), Some((campaign_2024,))) = (
        at("南大街"),
        at("雕庄"),
        sqlx::query_as::<_, (i64,)>("SELECT id FROM campaigns WHERE year = 2024")
            .fetch_optional(&mut **tx)
            .await?,
    ) {
        let boai = nandajie.schools[1];
        let talk = ValidSession {
            campaign_id: campaign_2024,
            station_id: nandajie.id,
            venue: Venue::School(boai),
            held_on: NaiveDate::from_ymd_opt(2024, 7, 24).context("date")?,
            format: SessionFormat::ClassTalk,
            topic_ids: vec![topic_ids[0], topic_ids[1]],
            audience: Audience {
                students: 420,
                parents: 60,
                teachers: 18,
                others: 0,
            },
            notes: Some("暑期安全专题宣讲（演示数据）".into()),
            duration_minutes: Some(45),
            speakers: None,
        };
        let open_day = ValidSession {
            campaign_id: campaign_2024,
            station_id: diaozhuang.id,
            venue: Venue::Other("雕庄派出所".into()),
            held_on: NaiveDate::from_ymd_opt(2024, 12, 29).context("date")?,
            format: SessionFormat::OpenDay,
            topic_ids: vec![topic_ids[2], topic_ids[7]],
            audience: Audience {
                students: 46,
                parents: 38,
                teachers: 6,
                others: 22,
            },
            notes: Some("警营开放日：一家企业与两所学校的员工、子女代表参加（演示数据）".into()),
            duration_minutes: Some(180),
            speakers: None,
        };
        drawn.extend([talk, open_day]);
    }
    // Demo data is drawn at random and may repeat itself: the duplicate rule does not hold it.
    let entries: Vec<_> = drawn
        .into_iter()
        .map(|s| (s, db::sessions::Duplicates::Allowed))
        .collect();
    db::sessions::insert_sessions(tx, &entries, true).await?;
    Ok(())
}

fn demo_session(
    rng: &mut ChaCha8Rng,
    station: &StationSeed,
    topic_ids: &[i64],
    campaign_id: i64,
    day: NaiveDate,
) -> ValidSession {
    const FORMATS: [(SessionFormat, u32); 7] = [
        (SessionFormat::ClassTalk, 55),
        (SessionFormat::FirstLesson, 12),
        (SessionFormat::OpenDay, 8),
        (SessionFormat::SummerCamp, 4),
        (SessionFormat::OnlineParents, 9),
        (SessionFormat::ParentLetter, 7),
        (SessionFormat::MediaColumn, 5),
    ];
    let mut pick = rng.random_range(0..FORMATS.iter().map(|f| f.1).sum::<u32>());
    let format = FORMATS
        .iter()
        .find(|(_, w)| {
            let hit = pick < *w;
            pick = pick.saturating_sub(*w);
            hit
        })
        .map(|(f, _)| *f)
        .unwrap_or(SessionFormat::ClassTalk);
    let mut r = |lo: i64, hi: i64| rng.random_range(lo..=hi);
    let (venue, audience) = match format {
        SessionFormat::OpenDay => (
            Venue::Other(format!("{}派出所", station.place)),
            Audience {
                students: r(20, 150),
                parents: r(10, 80),
                teachers: r(2, 10),
                others: r(0, 30),
            },
        ),
        SessionFormat::SummerCamp => (
            Venue::Other("常州市人民警察培训学校".into()),
            Audience {
                students: r(30, 120),
                parents: 0,
                teachers: r(2, 8),
                others: r(0, 10),
            },
        ),
        SessionFormat::OnlineParents => (
            Venue::Other("线上".into()),
            Audience {
                students: 0,
                parents: r(200, 3000),
                teachers: r(5, 60),
                others: 0,
            },
        ),
        SessionFormat::ParentLetter => (
            Venue::School(station.schools[r(0, station.schools.len() as i64 - 1) as usize]),
            Audience {
                students: 0,
                parents: r(500, 3000),
                teachers: 0,
                others: 0,
            },
        ),
        SessionFormat::MediaColumn => (
            Venue::Other(format!("{}社区", station.place)),
            Audience {
                students: 0,
                parents: 0,
                teachers: 0,
                others: r(200, 4000),
            },
        ),
        SessionFormat::FirstLesson => (
            Venue::School(station.schools[r(0, station.schools.len() as i64 - 1) as usize]),
            Audience {
                students: r(300, 2000),
                parents: r(0, 100),
                teachers: r(10, 80),
                others: 0,
            },
        ),
        _ => (
            Venue::School(station.schools[r(0, station.schools.len() as i64 - 1) as usize]),
            Audience {
                students: r(40, 600),
                parents: r(0, 50),
                teachers: r(2, 20),
                others: 0,
            },
        ),
    };
    let mut topics: Vec<i64> = (0..r(1, 3))
        .map(|_| topic_ids[r(0, topic_ids.len() as i64 - 1) as usize])
        .collect();
    topics.sort_unstable();
    topics.dedup();
    ValidSession {
        campaign_id,
        station_id: station.id,
        venue,
        held_on: day,
        format,
        topic_ids: topics,
        audience,
        notes: None,
        duration_minutes: None,
        speakers: None,
    }
}
