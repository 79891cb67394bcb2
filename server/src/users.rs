//! `humiao user add|list|disable`: accounts from the command line. The password is read
//! from standard input (one line), never from an argument, where `ps` and shell history
//! would keep it.

use std::io::BufRead;

use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};
use humiao_shared::account::{check_password, NewAccount, Role};

use crate::auth::password;
use crate::configuration::DatabaseArgs;
use crate::db::accounts::{self, ScopeRef};
use crate::db::Db;

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub action: UserAction,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Add an account; its password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        /// admin, leader, officer or school.
        #[arg(long)]
        role: String,
        /// The code of the district (a district's leader), station (an officer) or school
        /// (a school) the account is limited to; none for an administrator or a city leader.
        #[arg(long)]
        scope: Option<String>,
        /// The code of the one city a leader or an administrator is limited to; none for
        /// the whole database.
        #[arg(long)]
        city: Option<String>,
    },
    /// List the accounts (never their passwords).
    List,
    /// Disable an account and end its sessions.
    Disable { username: String },
}

pub async fn run(args: &UserArgs) -> anyhow::Result<()> {
    let db = args.database.connect().await?;
    match &args.action {
        UserAction::Add {
            username,
            role,
            scope,
            city,
        } => {
            let role = Role::from_code(role).with_context(|| {
                format!("unknown role {role}: use admin, leader, officer or school")
            })?;
            let scope = scope_of(&db, role, scope.as_deref(), city.as_deref()).await?;
            let password = read_password()?;
            // The API's rules for a new account, so both ways of adding one agree.
            let (city_id, district_id, station_id, school_id) = match scope {
                ScopeRef::All => (None, None, None, None),
                ScopeRef::City(id) => (Some(id), None, None, None),
                ScopeRef::District(id) => (None, Some(id), None, None),
                ScopeRef::Station(id) => (None, None, Some(id), None),
                ScopeRef::School(id) => (None, None, None, Some(id)),
            };
            let account = NewAccount {
                username: username.clone(),
                role: Some(role),
                city_id,
                district_id,
                station_id,
                school_id,
                password: password.clone(),
            };
            if let Err(errors) = account.validate() {
                let problems: Vec<String> = errors
                    .localize(humiao_shared::Lang::En)
                    .into_iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect();
                bail!("{}", problems.join("; "));
            }
            let hash = password::hash(&password)?;
            let username = username.trim();
            if accounts::find_user(&db.pool, username).await?.is_some() {
                bail!("there is already an account named {username}");
            }
            accounts::add_user(&db.pool, username, &hash, role, scope).await?;
            println!("added {username} ({})", role.code());
        }
        UserAction::List => {
            for user in accounts::list_users(&db.pool).await? {
                let place = match (user.school_id, user.station_id, user.district_id) {
                    (Some(id), _, _) => format!("school {id}"),
                    (None, Some(id), _) => format!("station {id}"),
                    (None, None, Some(id)) => format!("district {id}"),
                    _ => match user.city_id {
                        Some(id) => format!("city {id}"),
                        None => "all".to_string(),
                    },
                };
                let state = if user.disabled { "disabled" } else { "active" };
                println!("{}\t{}\t{place}\t{state}", user.username, user.role.code());
            }
        }
        UserAction::Disable { username } => {
            if !accounts::disable_user(&db.pool, username).await? {
                bail!("there is no account named {username}");
            }
            println!("disabled {username}; its sessions have ended");
        }
    }
    Ok(())
}

/// The password on standard input's first line, checked against the rule.
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if let Err(code) = check_password(&password) {
        bail!("{}", code.message(humiao_shared::Lang::En));
    }
    Ok(password)
}

/// The scope a role needs, from a district, station or school code, or a city's.
async fn scope_of(
    db: &Db,
    role: Role,
    code: Option<&str>,
    city: Option<&str>,
) -> anyhow::Result<ScopeRef> {
    let find = |table: &'static str, code: &str| {
        let sql = format!("SELECT id FROM {table} WHERE code = $1 AND deleted_at IS NULL");
        let code = code.to_string();
        let pool = db.pool.clone();
        async move {
            let row: Option<(i64,)> = sqlx::query_as(&sql)
                .bind(&code)
                .fetch_optional(&pool)
                .await?;
            row.map(|(id,)| id)
                .with_context(|| format!("no {table} has the code {code}"))
        }
    };
    if let Some(city) = city {
        return match (role, code) {
            (Role::Admin | Role::Leader, None) => Ok(ScopeRef::City(find("cities", city).await?)),
            (Role::Admin | Role::Leader, Some(_)) => {
                bail!("a district leader has their district's city: drop --city")
            }
            _ => bail!("only a leader or an administrator is limited to a city: drop --city"),
        };
    }
    Ok(match (role, code) {
        (Role::Admin, None) | (Role::Leader, None) => ScopeRef::All,
        (Role::Admin, Some(_)) => {
            bail!("an administrator has the whole database or one --city: drop --scope")
        }
        (Role::Leader, Some(code)) => ScopeRef::District(find("districts", code).await?),
        (Role::Officer | Role::Volunteer, Some(code)) => {
            ScopeRef::Station(find("stations", code).await?)
        }
        (Role::School, Some(code)) => ScopeRef::School(find("schools", code).await?),
        (Role::Officer | Role::Volunteer | Role::School, None) => {
            bail!("an officer or a volunteer needs --scope STATION_CODE, a school --scope SCHOOL_CODE")
        }
    })
}
