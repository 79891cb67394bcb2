//! Accounts in the database: the `users` table, for signing in (`auth`), for the
//! administrators' accounts page (`routes/users.rs`) and for `humiao user` on the command
//! line. Passwords arrive here already hashed; nothing here decides who may do what.

use humiao_shared::account::{Account, AccountPlace, Role};
use sqlx::{Any, AnyConnection, AnyPool, Transaction};

use super::now_text;
use crate::token::digest;
use crate::viewer::{Scope, Viewer};

/// A stored account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    /// The one city a leader or an administrator is limited to.
    pub city_id: Option<i64>,
    /// The city the account's scope lies in: `city_id`, or its district's city.
    pub home_city: Option<i64>,
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    pub school_id: Option<i64>,
    pub disabled: bool,
}

impl User {
    pub fn scope(&self) -> Scope {
        Scope::of(
            self.role,
            self.city_id,
            self.district_id,
            self.station_id,
            self.school_id,
        )
    }

    /// The viewer the account signs in as.
    pub fn viewer(self) -> Viewer {
        Viewer {
            user_id: Some(self.id),
            scope: self.scope(),
            city: self.home_city,
            username: self.username,
            role: self.role,
            campaign: None,
        }
    }
}

type UserRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

fn user_from(row: UserRow) -> Option<User> {
    let (id, username, password_hash, role, city_id, home_city, district_id, station_id) =
        (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
    let (school_id, disabled_at) = (row.8, row.9);
    Some(User {
        id,
        username,
        password_hash,
        role: Role::from_code(&role)?,
        city_id,
        home_city,
        district_id,
        station_id,
        school_id,
        disabled: disabled_at.is_some(),
    })
}

const USER_COLUMNS: &str = "id, username, password_hash, role, city_id, \
    COALESCE(city_id, (SELECT d.city_id FROM districts d WHERE d.id = users.district_id)), \
    district_id, station_id, school_id, disabled_at";

/// The account with this id, disabled or not.
pub async fn find_user_by_id(pool: &AnyPool, id: i64) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?;
    Ok(row.and_then(user_from))
}

pub async fn find_user(pool: &AnyPool, username: &str) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
    let row: Option<UserRow> = sqlx::query_as(&sql)
        .bind(username)
        .fetch_optional(pool)
        .await?;
    Ok(row.and_then(user_from))
}

pub async fn list_users(pool: &AnyPool) -> Result<Vec<User>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
    let rows: Vec<UserRow> = sqlx::query_as(&sql).fetch_all(pool).await?;
    Ok(rows.into_iter().filter_map(user_from).collect())
}

/// Is there an administrator who can sign in?
pub async fn has_admin(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL")
            .fetch_one(pool)
            .await?;
    Ok(n > 0)
}

/// What an account's scope names; [`add_user`] completes the ids above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRef {
    /// The whole database.
    All,
    City(i64),
    District(i64),
    Station(i64),
    School(i64),
}

/// Stores an account with an already hashed password. The district (and station) of a
/// station or school scope are looked up, so that every query can filter on them.
pub async fn add_user(
    pool: &AnyPool,
    username: &str,
    password_hash: &str,
    role: Role,
    scope: ScopeRef,
) -> anyhow::Result<i64> {
    let city = match scope {
        ScopeRef::City(c) => Some(c),
        _ => None,
    };
    let (district, station, school) = match scope {
        ScopeRef::All | ScopeRef::City(_) => (None, None, None),
        ScopeRef::District(d) => (Some(d), None, None),
        ScopeRef::Station(s) => {
            let (d,): (i64,) = sqlx::query_as("SELECT district_id FROM stations WHERE id = $1")
                .bind(s)
                .fetch_one(pool)
                .await?;
            (Some(d), Some(s), None)
        }
        ScopeRef::School(x) => {
            let (d, s): (i64, i64) =
                sqlx::query_as("SELECT district_id, station_id FROM schools WHERE id = $1")
                    .bind(x)
                    .fetch_one(pool)
                    .await?;
            (Some(d), Some(s), Some(x))
        }
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (username, password_hash, role, city_id, district_id, station_id,
                            school_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(username)
    .bind(password_hash)
    .bind(role.code())
    .bind(city)
    .bind(district)
    .bind(station)
    .bind(school)
    .bind(now_text())
    .fetch_one(pool)
    .await?;
    Ok(id)
}

/// Disables an account and ends its sessions; false when there is no such account.
pub async fn disable_user(pool: &AnyPool, username: &str) -> Result<bool, sqlx::Error> {
    let now = now_text();
    let mut tx = pool.begin().await?;
    let done = sqlx::query("UPDATE users SET disabled_at = $1 WHERE username = $2")
        .bind(&now)
        .bind(username)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query(
        "UPDATE auth_sessions SET ended_at = $1
         WHERE ended_at IS NULL AND user_id = (SELECT id FROM users WHERE username = $2)",
    )
    .bind(&now)
    .bind(username)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done > 0)
}

/// An account as administrators see it: with its place's names and its last sign-in,
/// never its password hash.
type AccountRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

const ACCOUNTS: &str = "SELECT u.id, u.username, u.role, u.city_id, cy.name, u.district_id,
        d.name, u.station_id, st.name, u.school_id, sc.name, u.disabled_at, u.created_at,
        (SELECT MAX(a.created_at) FROM auth_sessions a WHERE a.user_id = u.id)
    FROM users u
    LEFT JOIN cities cy ON cy.id = u.city_id
    LEFT JOIN districts d ON d.id = u.district_id
    LEFT JOIN stations st ON st.id = u.station_id
    LEFT JOIN schools sc ON sc.id = u.school_id";

fn account_from(row: AccountRow) -> Option<Account> {
    let (id, username, role, city_id, city, district_id, district) =
        (row.0, row.1, row.2, row.3, row.4, row.5, row.6);
    let (station_id, station, school_id, school) = (row.7, row.8, row.9, row.10);
    Some(Account {
        id,
        username,
        role: Role::from_code(&role)?,
        city_id,
        city,
        district_id,
        district,
        station_id,
        station,
        school_id,
        school,
        disabled: row.11.is_some(),
        created_at: row.12,
        last_sign_in: row.13,
    })
}

/// The condition that holds an account (`u`, its district `d`) to one city, `$1`: a
/// city's administrators manage their city's accounts and no others.
const IN_CITY: &str = "COALESCE(u.city_id, d.city_id) = $1";

/// Every account, by username; within one city when `city` is given.
pub async fn accounts(
    conn: &mut AnyConnection,
    city: Option<i64>,
) -> Result<Vec<Account>, sqlx::Error> {
    let rows: Vec<AccountRow> = match city {
        None => {
            let sql = format!("{ACCOUNTS} ORDER BY u.username");
            sqlx::query_as(&sql).fetch_all(&mut *conn).await?
        }
        Some(city) => {
            let sql = format!("{ACCOUNTS} WHERE {IN_CITY} ORDER BY u.username");
            sqlx::query_as(&sql)
                .bind(city)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    Ok(rows.into_iter().filter_map(account_from).collect())
}

/// The account with this id; within one city when `city` is given.
pub async fn account_in(
    conn: &mut AnyConnection,
    id: i64,
    city: Option<i64>,
) -> Result<Option<Account>, sqlx::Error> {
    let found = account(conn, id).await?;
    let Some(city) = city else { return Ok(found) };
    let sql = format!(
        "SELECT u.id FROM users u LEFT JOIN districts d ON d.id = u.district_id
         WHERE {IN_CITY} AND u.id = $2"
    );
    let mine: Option<(i64,)> = sqlx::query_as(&sql)
        .bind(city)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.filter(|_| mine.is_some()))
}

pub async fn account(conn: &mut AnyConnection, id: i64) -> Result<Option<Account>, sqlx::Error> {
    let sql = format!("{ACCOUNTS} WHERE u.id = $1");
    let row: Option<AccountRow> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.and_then(account_from))
}

/// The ids an account of a place is stored with, and the city the place lies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceIds {
    /// Stored for a city-scoped account only; narrower ones take their district's.
    pub city: Option<i64>,
    pub district: Option<i64>,
    pub station: Option<i64>,
    pub school: Option<i64>,
    /// The city the place lies in; `None` for the whole database.
    pub home_city: Option<i64>,
}

/// The ids an account of this place is stored with (the ones above a station or a school
/// are looked up, so that every query can filter on them); `None` when the place does not
/// exist or was deleted.
pub async fn place_ids(
    conn: &mut AnyConnection,
    place: AccountPlace,
) -> Result<Option<PlaceIds>, sqlx::Error> {
    let live = |table: &str| {
        format!(
            "SELECT d.city_id, {} FROM {table} t JOIN districts d ON d.id = {}
             WHERE t.id = $1 AND t.deleted_at IS NULL",
            match table {
                "districts" => "t.id, t.id",
                "stations" => "t.district_id, t.id",
                _ => "t.district_id, t.station_id",
            },
            if table == "districts" {
                "t.id"
            } else {
                "t.district_id"
            }
        )
    };
    let (sql, id) = match place {
        AccountPlace::All => {
            return Ok(Some(PlaceIds {
                city: None,
                district: None,
                station: None,
                school: None,
                home_city: None,
            }))
        }
        AccountPlace::City(id) => (
            "SELECT id, id, id FROM cities WHERE id = $1 AND deleted_at IS NULL".to_string(),
            id,
        ),
        AccountPlace::District(id) => (live("districts"), id),
        AccountPlace::Station(id) => (live("stations"), id),
        AccountPlace::School(id) => (live("schools"), id),
    };
    let found: Option<(i64, i64, i64)> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.map(|(city, a, b)| {
        let (district, station, school) = match place {
            AccountPlace::All | AccountPlace::City(_) => (None, None, None),
            AccountPlace::District(_) => (Some(a), None, None),
            AccountPlace::Station(_) => (Some(a), Some(b), None),
            AccountPlace::School(_) => (Some(a), Some(b), Some(id)),
        };
        PlaceIds {
            city: matches!(place, AccountPlace::City(_)).then_some(city),
            district,
            station,
            school,
            home_city: Some(city),
        }
    }))
}

/// Stores a new account (password already hashed) in the caller's transaction. A taken
/// username fails with a unique violation.
pub async fn insert_account(
    tx: &mut Transaction<'_, Any>,
    username: &str,
    password_hash: &str,
    role: Role,
    ids: PlaceIds,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (username, password_hash, role, city_id, district_id, station_id,
                            school_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(username)
    .bind(password_hash)
    .bind(role.code())
    .bind(ids.city)
    .bind(ids.district)
    .bind(ids.station)
    .bind(ids.school)
    .bind(now_text())
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Disables or enables an account; disabling ends its sessions in the same transaction,
/// so no request of the account is served after the answer.
pub async fn set_disabled(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    let now = now_text();
    sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
        .bind(disabled.then(|| now.clone()))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if disabled {
        sqlx::query(
            "UPDATE auth_sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL",
        )
        .bind(&now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Replaces an account's password hash and ends its sessions but the one `keep` (the
/// administrator's own, when they set their own password); forgets its failed logins.
pub async fn set_password(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    password_hash: &str,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    let now = now_text();
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE auth_sessions SET ended_at = $1
         WHERE user_id = $2 AND ended_at IS NULL AND token_hash <> $3",
    )
    .bind(&now)
    .bind(id)
    .bind(keep.map(digest).unwrap_or_default())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "DELETE FROM login_failures WHERE username = (SELECT username FROM users WHERE id = $1)",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
