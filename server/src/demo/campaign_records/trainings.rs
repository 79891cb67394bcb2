//! The yearly speaker training (宣讲员培训班), its trainees and the days they attended.

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::{Duration, NaiveDate, Weekday};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sqlx::{Any, Transaction};

use super::{insert_rows, seeded, stamp, Campaign, StationSeed, I, T};

const PLACE: &str = "常州市人民警察培训学校";

/// The year's speaker training, on the third Monday of August and the day after (in 2024
/// that is the report's 19–20 August), once it is over. In 2024 every station sent a
/// speaker and one station per district a second: 94 in all, each present both days. Later
/// courses train new speakers from about half the stations.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Any>,
    campaign: Campaign,
    stations: &[StationSeed],
    names: &mut HashSet<String>,
    today: NaiveDate,
    now: &str,
) -> anyhow::Result<()> {
    let year = campaign.year;
    let starts = NaiveDate::from_weekday_of_month_opt(year, 8, Weekday::Mon, 3).context("date")?;
    let days = [starts, starts + Duration::days(1)];
    if days[1] > today {
        return Ok(());
    }
    let (training,): (i64,) = sqlx::query_as(
        "INSERT INTO trainings (title, place, starts_on, ends_on, campaign_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(format!("{year}年宣讲员培训班"))
    .bind(PLACE)
    .bind(days[0].to_string())
    .bind(days[1].to_string())
    .bind(campaign.id)
    .bind(stamp(starts - Duration::days(21), "02:00:00", now))
    .fetch_one(&mut **tx)
    .await?;

    let mut rng = seeded(2, year);
    let mut sent: Vec<i64> = Vec::new();
    if year == 2024 {
        sent.extend(stations.iter().map(|s| s.id));
        let mut districts: Vec<i64> = stations.iter().map(|s| s.district_id).collect();
        districts.dedup();
        for district in districts {
            let own: Vec<&StationSeed> = stations
                .iter()
                .filter(|s| s.district_id == district)
                .collect();
            sent.push(own[rng.random_range(0..own.len())].id);
        }
    } else {
        sent.extend(
            stations
                .iter()
                .filter(|_| rng.random_bool(0.5))
                .map(|s| s.id),
        );
    }
    let mut attended: HashMap<(i64, String), Vec<NaiveDate>> = HashMap::new();
    let mut rows = Vec::new();
    for station in sent {
        let name = officer_name(&mut rng, names);
        let present: Vec<NaiveDate> = if year == 2024 || rng.random_bool(0.95) {
            days.to_vec()
        } else {
            vec![days[rng.random_range(0..2)]]
        };
        rows.push(vec![
            I(training),
            T(name.clone()),
            I(station),
            I(i64::from(present.len() == days.len())),
            T(stamp(days[1], "09:00:00", now)),
        ]);
        attended.insert((station, name), present);
    }
    insert_rows(
        tx,
        "trainees",
        &[
            "training_id",
            "name",
            "station_id",
            "completed",
            "created_at",
        ],
        rows,
    )
    .await?;
    let trainees: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, station_id, name FROM trainees WHERE training_id = $1")
            .bind(training)
            .fetch_all(&mut **tx)
            .await?;
    let mut day_rows = Vec::new();
    for (id, station, name) in trainees {
        for day in attended.get(&(station, name)).into_iter().flatten() {
            day_rows.push(vec![I(id), T(day.to_string())]);
        }
    }
    insert_rows(tx, "trainee_days", &["trainee_id", "day"], day_rows).await
}

/// A police officer's name, unique among the demo's trainees.
fn officer_name(rng: &mut ChaCha8Rng, taken: &mut HashSet<String>) -> String {
    const SURNAMES: &[&str] = &[
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
        "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
        "彭", "曾", "沈", "蒋", "蔡", "钱", "顾", "陆", "汤", "恽", "庄", "史", "费", "邵",
    ];
    const GIVEN: &[&str] = &[
        "伟", "骏", "勇", "磊", "斌", "俊", "涛", "鹏", "辉", "峰", "敏", "静", "丽", "芳", "洁",
        "婷", "建华", "志强", "海涛", "晓东", "立新", "建军", "文杰", "国庆", "卫东", "振华",
        "春生", "海燕", "志刚", "晓燕", "红梅", "雪松", "明辉", "宏伟", "永平", "建国", "玉兰",
        "晨曦", "浩然", "子豪", "思远", "佳怡", "雨婷", "一鸣", "嘉诚", "亚军", "爱民", "新民",
    ];
    loop {
        let name = format!(
            "{}{}",
            SURNAMES[rng.random_range(0..SURNAMES.len())],
            GIVEN[rng.random_range(0..GIVEN.len())]
        );
        if taken.insert(name.clone()) {
            return name;
        }
    }
}
