//! Upgrades: databases as earlier releases wrote them, in `tests/fixtures/upgrade/<version>/`,
//! and what the test and the generator share to load one and to say what it holds.
//!
//! A fixture is one SQL dump per engine (`sqlite.sql`, `postgres.sql`: the schema, every row,
//! and the `_sqlx_migrations` rows, so that a later edit of an old migration fails its
//! checksum) and `expected.json` ([`Expected`]): each table's columns, row count and a hash
//! of its rows rendered alike on both engines, and the dashboard's answers.
//! `cargo xtask fixture upgrade` writes the current release's (`bench/src/fixture.rs`);
//! `tests/tests/suite/upgrade.rs` migrates every release's with the current code.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use sqlx::any::{AnyRow, AnyTypeInfoKind};
use sqlx::{AnyPool, Connection as _, Row as _, ValueRef as _};

use crate::database::Engine;

/// sqlx's own table of the migrations applied: compared per engine, since the two engines'
/// migration files (and so their checksums) differ.
pub const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// What a migration records that a later release must keep; `installed_on` and
/// `execution_time` say when and how fast, and are typed differently by each engine.
pub const MIGRATIONS_COLUMNS: [&str; 4] = ["version", "description", "success", "checksum"];

/// The dashboard is read as this demo account (a leader of the whole province).
pub const LEADER: &str = "leader";

/// The folder of every release's fixture.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/upgrade")
}

/// What a release's database must still hold after the current release's migrations.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Expected {
    /// The release that wrote the fixture.
    pub release: String,
    /// The last migration that release applied.
    pub last_migration: i64,
    /// Every table but [`MIGRATIONS_TABLE`]; the same on both engines.
    pub tables: BTreeMap<String, TableDigest>,
    /// [`MIGRATIONS_TABLE`]'s rows up to `last_migration`, per engine name.
    pub migrations: BTreeMap<String, TableDigest>,
    pub campaign_id: i64,
    pub district_id: i64,
    /// `GET /api/v1/dashboard?campaign_id=…` as [`LEADER`].
    pub dashboard: Value,
    /// The same with `&district_id=…`.
    pub district_dashboard: Value,
}

/// A table's rows, summed up in a form both engines give alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDigest {
    /// The columns hashed, in this order; a column a later release adds is not among them.
    pub columns: Vec<String>,
    pub rows: u64,
    /// SHA-256 of the rows, each a JSON array of its values (integers and booleans as
    /// numbers, text as strings, bytes as `"x<hex>"`), sorted bytewise, one per line.
    pub sha256: String,
}

impl Expected {
    pub fn read(release_dir: &std::path::Path) -> anyhow::Result<Expected> {
        let path = release_dir.join("expected.json");
        let text = std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{}", path.display()))
    }
}

/// The tables of the database, sorted by name (sqlx's own among them).
pub async fn table_names(pool: &AnyPool, engine: Engine) -> anyhow::Result<Vec<String>> {
    let sql = match engine {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             ORDER BY name"
        }
        Engine::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    let names: Vec<(String,)> = sqlx::query_as(sql).fetch_all(pool).await?;
    Ok(names.into_iter().map(|(n,)| n).collect())
}

/// A table's columns in the order of its definition.
pub async fn column_names(
    pool: &AnyPool,
    engine: Engine,
    table: &str,
) -> anyhow::Result<Vec<String>> {
    let sql = match engine {
        Engine::Sqlite => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
        Engine::Postgres => {
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    let names: Vec<(String,)> = sqlx::query_as(sql).bind(table).fetch_all(pool).await?;
    Ok(names.into_iter().map(|(n,)| n).collect())
}

/// Hashes `columns` of the rows of `table` that `filter` (a `WHERE …`, or empty) keeps.
pub async fn digest(
    pool: &AnyPool,
    table: &str,
    columns: &[String],
    filter: &str,
) -> anyhow::Result<TableDigest> {
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {list} FROM \"{table}\" {filter}");
    digest_rows(pool, table, columns, &sql).await
}

/// Hashes the rows `sql` selects, whose columns are `columns`.
async fn digest_rows(
    pool: &AnyPool,
    table: &str,
    columns: &[String],
    sql: &str,
) -> anyhow::Result<TableDigest> {
    let rows = sqlx::query(sql)
        .fetch_all(pool)
        .await
        .with_context(|| format!("cannot read {table}"))?;
    let mut lines = rows
        .iter()
        .map(|row| render_row(row).with_context(|| format!("a row of {table}")))
        .collect::<anyhow::Result<Vec<String>>>()?;
    // Sorted here, not by the database: PostgreSQL orders text by its collation.
    lines.sort_unstable();
    let mut hash = Sha256::new();
    for line in &lines {
        hash.update(line.as_bytes());
        hash.update(b"\n");
    }
    Ok(TableDigest {
        columns: columns.to_vec(),
        rows: lines.len() as u64,
        sha256: hex(&hash.finalize()),
    })
}

/// The digest of every table (but sqlx's) and of the migrations applied up to `last`.
pub async fn digest_all(
    pool: &AnyPool,
    engine: Engine,
) -> anyhow::Result<(BTreeMap<String, TableDigest>, TableDigest)> {
    let mut tables = BTreeMap::new();
    for table in table_names(pool, engine).await? {
        if table == MIGRATIONS_TABLE {
            continue;
        }
        let columns = column_names(pool, engine, &table).await?;
        tables.insert(table.clone(), digest(pool, &table, &columns, "").await?);
    }
    let migrations = digest_migrations(pool, None).await?;
    Ok((tables, migrations))
}

/// The digest of the migrations applied, up to version `last` when given.
pub async fn digest_migrations(pool: &AnyPool, last: Option<i64>) -> anyhow::Result<TableDigest> {
    let columns: Vec<String> = MIGRATIONS_COLUMNS.iter().map(|c| c.to_string()).collect();
    let filter = last
        .map(|v| format!("WHERE version <= {v}"))
        .unwrap_or_default();
    // sqlx reads SQLite's BOOLEAN column only as the value of an expression.
    let sql = format!(
        "SELECT version, description, CASE WHEN success THEN 1 ELSE 0 END, checksum
         FROM {MIGRATIONS_TABLE} {filter}"
    );
    digest_rows(pool, MIGRATIONS_TABLE, &columns, &sql).await
}

/// A database's schema as the statements that create it, each list in a stable order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// CREATE TABLE, with keys and checks (and SQLite's foreign keys).
    pub tables: Vec<String>,
    /// PostgreSQL's foreign keys, added once every table holds its rows.
    pub foreign_keys: Vec<String>,
    /// CREATE INDEX for the indexes no key constraint makes (and any SQLite trigger or view).
    pub indexes: Vec<String>,
}

/// The schema of the database: for SQLite as it keeps it, for PostgreSQL put together from
/// the catalogue (it has no statement that gives a table's definition).
pub async fn schema(pool: &AnyPool, engine: Engine) -> anyhow::Result<Schema> {
    let mut schema = Schema {
        tables: vec![],
        foreign_keys: vec![],
        indexes: vec![],
    };
    match engine {
        Engine::Sqlite => {
            let objects: Vec<(String, String)> = sqlx::query_as(
                "SELECT type, sql FROM sqlite_master
                 WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(pool)
            .await?;
            for (kind, sql) in objects {
                match kind.as_str() {
                    "table" => schema.tables.push(sql),
                    _ => schema.indexes.push(sql),
                }
            }
        }
        Engine::Postgres => {
            for table in table_names(pool, engine).await? {
                postgres_table(pool, &table, &mut schema).await?;
            }
            let indexes: Vec<(String,)> = sqlx::query_as(
                "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
                 JOIN pg_class c ON c.oid = i.indrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND NOT EXISTS (
                     SELECT 1 FROM pg_constraint k
                     WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
                 ORDER BY 1",
            )
            .fetch_all(pool)
            .await?;
            schema.indexes = indexes.into_iter().map(|(i,)| i).collect();
        }
    }
    Ok(schema)
}

async fn postgres_table(pool: &AnyPool, table: &str, schema: &mut Schema) -> anyhow::Result<()> {
    let columns: Vec<(String, String, bool, String, String)> = sqlx::query_as(
        "SELECT CAST(a.attname AS TEXT), format_type(a.atttypid, a.atttypmod), a.attnotnull,
                COALESCE(pg_get_expr(d.adbin, d.adrelid), ''), CAST(a.attidentity AS TEXT)
         FROM pg_attribute a
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = CAST(CAST($1 AS TEXT) AS regclass) AND a.attnum > 0
           AND NOT a.attisdropped
         ORDER BY a.attnum",
    )
    .bind(table)
    .fetch_all(pool)
    .await?;
    let constraints: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT CAST(conname AS TEXT), CAST(contype AS TEXT), pg_get_constraintdef(oid)
         FROM pg_constraint WHERE conrelid = CAST(CAST($1 AS TEXT) AS regclass)
         ORDER BY contype, conname",
    )
    .bind(table)
    .fetch_all(pool)
    .await?;
    let mut lines: Vec<String> = columns
        .iter()
        .map(|(name, kind, not_null, default, identity)| {
            let mut line = format!("    \"{name}\" {kind}");
            match identity.as_str() {
                "a" => line.push_str(" GENERATED ALWAYS AS IDENTITY"),
                "d" => line.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
                _ => {}
            }
            if *not_null {
                line.push_str(" NOT NULL");
            }
            if !default.is_empty() {
                line.push_str(&format!(" DEFAULT {default}"));
            }
            line
        })
        .collect();
    for (name, kind, definition) in constraints {
        if kind == "f" {
            schema.foreign_keys.push(format!(
                "ALTER TABLE \"{table}\" ADD CONSTRAINT \"{name}\" {definition}"
            ));
        } else {
            lines.push(format!("    CONSTRAINT \"{name}\" {definition}"));
        }
    }
    schema.tables.push(format!(
        "CREATE TABLE \"{table}\" (\n{}\n)",
        lines.join(",\n")
    ));
    Ok(())
}

fn render_row(row: &AnyRow) -> anyhow::Result<String> {
    let values = (0..row.len())
        .map(|i| render_value(row, i))
        .collect::<anyhow::Result<Vec<String>>>()?;
    Ok(format!("[{}]", values.join(",")))
}

/// One value, the same text whichever engine stored it (SQLite keeps booleans as integers).
fn render_value(row: &AnyRow, i: usize) -> anyhow::Result<String> {
    let kind = {
        let raw = row.try_get_raw(i)?;
        if raw.is_null() {
            return Ok("null".into());
        }
        raw.type_info().kind()
    };
    Ok(match kind {
        AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt => {
            row.try_get::<i64, _>(i)?.to_string()
        }
        AnyTypeInfoKind::Bool => i64::from(row.try_get::<bool, _>(i)?).to_string(),
        AnyTypeInfoKind::Double => serde_json::to_string(&row.try_get::<f64, _>(i)?)?,
        AnyTypeInfoKind::Text => serde_json::to_string(&row.try_get::<String, _>(i)?)?,
        AnyTypeInfoKind::Blob => format!("\"x{}\"", hex(&row.try_get::<Vec<u8>, _>(i)?)),
        other => bail!("column {}: no portable form for {other:?} values", i + 1),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs a dump (several statements) on a fresh database, on one connection of the engine's
/// own driver.
pub async fn load(engine: Engine, url: &str, dump: &str) -> anyhow::Result<()> {
    match engine {
        Engine::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(url).await?;
            sqlx::raw_sql(dump).execute(&mut conn).await?;
            conn.close().await?;
        }
        Engine::Postgres => {
            let mut conn = sqlx::PgConnection::connect(url).await?;
            sqlx::raw_sql(dump).execute(&mut conn).await?;
            conn.close().await?;
        }
    }
    Ok(())
}

/// The dashboard's answers for the whole scope and for one district, as [`LEADER`]
/// (signing in writes an `auth_sessions` row: digest the tables first).
pub async fn dashboards(url: &str, campaign_id: i64, district_id: i64) -> (Value, Value) {
    let client = crate::signed_in(url, LEADER).await;
    let mut answers = vec![];
    for query in [
        format!("campaign_id={campaign_id}"),
        format!("campaign_id={campaign_id}&district_id={district_id}"),
    ] {
        let res = client
            .get(format!("{url}/api/v1/dashboard?{query}"))
            .send()
            .await
            .expect("request sent");
        assert_eq!(res.status(), 200, "GET /api/v1/dashboard?{query}");
        answers.push(res.json::<Value>().await.expect("JSON body"));
    }
    let district = answers.pop().unwrap_or(json!(null));
    let top = answers.pop().unwrap_or(json!(null));
    (top, district)
}

/// A dashboard answer of an earlier release as this release words the same figures: since
/// 0.8.0 `by_station` holds only the stations the chart draws (the largest by 人次), so the
/// earlier list is ranked the same way before the figures are compared.
pub fn as_sent_now(old: &Value) -> Value {
    let mut now = old.clone();
    if let Some(rows) = old.get("by_station") {
        let rows: Vec<humiao_shared::aggregate::ReachRow> =
            serde_json::from_value(rows.clone()).expect("by_station rows");
        let top = humiao_shared::aggregate::largest(&rows, humiao_shared::charts::TOP_STATIONS);
        now["by_station"] = serde_json::to_value(top).expect("rows as JSON");
    }
    now
}

/// Where `actual` differs from `expected`, as JSON paths; fields `expected` does not have
/// (added by a later release) are not differences.
pub fn differences(path: &str, expected: &Value, actual: &Value, found: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let here = format!("{path}.{key}");
                match a.get(key) {
                    Some(other) => differences(&here, value, other, found),
                    None => found.push(format!("{here}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (value, other)) in e.iter().zip(a).enumerate() {
                differences(&format!("{path}[{i}]"), value, other, found);
            }
        }
        _ if expected != actual => found.push(format!("{path}: {expected} became {actual}")),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::differences;
    use serde_json::json;

    #[test]
    fn upgrade_dashboard_differences_are_changed_or_missing_figures_not_added_fields() {
        let expected = json!({"summary": {"sessions": 8}, "by_month": [{"students": 307}]});
        let cases = [
            (
                json!({"summary": {"sessions": 8, "new": 1}, "by_month": [{"students": 307}]}),
                vec![],
            ),
            (
                json!({"summary": {"sessions": 9}, "by_month": [{"students": 307}]}),
                vec!["d.summary.sessions: 8 became 9"],
            ),
            (
                json!({"summary": {}, "by_month": [{"students": 307}]}),
                vec!["d.summary.sessions: missing"],
            ),
            (
                json!({"summary": {"sessions": 8}, "by_month": []}),
                vec![r#"d.by_month: [{"students":307}] became []"#],
            ),
        ];
        for (actual, want) in cases {
            let mut found = vec![];
            differences("d", &expected, &actual, &mut found);
            assert_eq!(found, want, "{actual}");
        }
    }
}
