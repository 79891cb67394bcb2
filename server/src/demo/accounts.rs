//! Demo accounts, one of every role, all with the password README gives. They exist only
//! with the demo data; a real deployment creates its own with `humiao user add`.

use humiao_shared::account::Role;

use crate::auth::password;
use crate::db::accounts::{self, ScopeRef};
use crate::db::Db;

/// The demo accounts' password (README, "Demo data and logging in").
pub const PASSWORD: &str = "humiao-demo-2024";

/// The table and name of the place an account's scope is.
type Place = Option<(&'static str, &'static str)>;

/// Username, role, and the place of its scope.
pub const ACCOUNTS: [(&str, Role, Place); 8] = [
    ("admin", Role::Admin, None),
    ("leader", Role::Leader, None),
    (
        "leader.tianning",
        Role::Leader,
        Some(("districts", "天宁分局")),
    ),
    (
        "officer.diaozhuang",
        Role::Officer,
        Some(("stations", "雕庄派出所")),
    ),
    (
        "officer.sanjing",
        Role::Officer,
        Some(("stations", "三井派出所")),
    ),
    (
        "school.diaozhuang",
        Role::School,
        Some(("schools", "雕庄小学")),
    ),
    ("school.boai", Role::School, Some(("schools", "博爱小学"))),
    (
        "volunteer.diaozhuang",
        Role::Volunteer,
        Some(("stations", "雕庄派出所")),
    ),
];

/// The demo volunteer's record, tied to their account: team, name and phone (made up).
const VOLUNTEER: (&str, &str, &str) = ("雕庄先锋队", "王建国", "13800000001");

pub async fn insert(db: &Db) -> anyhow::Result<()> {
    // One hash for all: they share the password, and hashing is slow on purpose.
    let hash = password::hash(PASSWORD)?;
    for (username, role, place) in ACCOUNTS {
        let scope = match place {
            None => ScopeRef::All,
            Some((table, name)) => {
                let sql = format!("SELECT id FROM {table} WHERE name = $1 ORDER BY id LIMIT 1");
                let (id,): (i64,) = sqlx::query_as(&sql).bind(name).fetch_one(&db.pool).await?;
                match table {
                    "districts" => ScopeRef::District(id),
                    "stations" => ScopeRef::Station(id),
                    _ => ScopeRef::School(id),
                }
            }
        };
        let user = accounts::add_user(&db.pool, username, &hash, role, scope).await?;
        if let (Role::Volunteer, ScopeRef::Station(station)) = (role, scope) {
            let (team, name, phone) = VOLUNTEER;
            sqlx::query(
                "INSERT INTO volunteers (station_id, team, name, phone, active_from, user_id,
                                         created_at)
                 VALUES ($1, $2, $3, $4, '2022-01-01', $5, $6)",
            )
            .bind(station)
            .bind(team)
            .bind(name)
            .bind(phone)
            .bind(user)
            .bind(crate::db::now_text())
            .execute(&db.pool)
            .await?;
        }
    }
    Ok(())
}
