//! The SQLite and PostgreSQL migrations describe the same schema: same tables, columns,
//! types, nullability, keys, foreign keys, checks and indexes.

use std::collections::BTreeSet;

use humiao_server::db::Db;
use humiao_tests::database::Engine;
use humiao_tests::TestDatabase;
use sqlx::{PgPool, SqlitePool};

/// One fact about the schema, comparable across engines.
type Facts = BTreeSet<String>;

/// A key constraint: kind, name, columns, referenced table and column.
type KeyRow = (String, String, Vec<String>, Option<String>, Option<String>);

fn portable_type(engine_type: &str) -> &'static str {
    match engine_type.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "int64",
        "text" => "text",
        other => panic!("type {other} has no portable equivalent; add it here and to both schemas"),
    }
}

async fn sqlite_facts(url: &str) -> Facts {
    let pool = SqlitePool::connect(url).await.unwrap();
    let mut facts = Facts::new();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (table, sql) in tables {
        facts.insert(format!("table {table}"));
        facts.insert(format!("{table} checks {}", sql.matches("CHECK").count()));
        let columns: Vec<(String, String, bool, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(&table)
                .fetch_all(&pool)
                .await
                .unwrap();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for (name, ty, not_null, pk_pos) in columns {
            let nullable = !(not_null || pk_pos > 0);
            facts.insert(format!(
                "{table}.{name} {} null={nullable}",
                portable_type(&ty)
            ));
            if pk_pos > 0 {
                pk.push((pk_pos, name));
            }
        }
        pk.sort();
        let pk: Vec<String> = pk.into_iter().map(|(_, n)| n).collect();
        facts.insert(format!("{table} primary key ({})", pk.join(", ")));
        let fks: Vec<(String, String, String)> =
            sqlx::query_as("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list($1)")
                .bind(&table)
                .fetch_all(&pool)
                .await
                .unwrap();
        for (from, to_table, to) in fks {
            facts.insert(format!("{table}.{from} references {to_table}.{to}"));
        }
        let indexes: Vec<(String, bool, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
                .bind(&table)
                .fetch_all(&pool)
                .await
                .unwrap();
        for (index, unique, origin) in indexes {
            let cols: Vec<(String,)> =
                sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            let cols: Vec<String> = cols.into_iter().map(|(c,)| c).collect();
            match origin.as_str() {
                "pk" => {}
                "u" => {
                    facts.insert(format!("{table} unique ({})", cols.join(", ")));
                }
                _ => {
                    facts.insert(format!(
                        "{table} index {index} ({}) unique={unique}",
                        cols.join(", ")
                    ));
                }
            }
        }
    }
    facts
}

async fn postgres_facts(url: &str) -> Facts {
    let pool = PgPool::connect(url).await.unwrap();
    let mut facts = Facts::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (table,) in tables {
        facts.insert(format!("table {table}"));
        let (checks,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'c' AND conrelid = $1::regclass",
        )
        .bind(&table)
        .fetch_one(&pool)
        .await
        .unwrap();
        facts.insert(format!("{table} checks {checks}"));
        let columns: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(&table)
        .fetch_all(&pool)
        .await
        .unwrap();
        for (name, ty, nullable) in columns {
            let nullable = nullable == "YES";
            facts.insert(format!(
                "{table}.{name} {} null={nullable}",
                portable_type(&ty)
            ));
        }
        // Keys, as lists of columns in key order.
        let keys: Vec<KeyRow> = sqlx::query_as(
            "SELECT c.contype::text, c.conname::text,
                    ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                          ORDER BY k.i),
                    c.confrelid::regclass::text,
                    (SELECT a.attname::text FROM pg_attribute a
                     WHERE a.attrelid = c.confrelid AND a.attnum = c.confkey[1])
             FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u', 'f')",
        )
        .bind(&table)
        .fetch_all(&pool)
        .await
        .unwrap();
        for (kind, _name, cols, to_table, to_col) in keys {
            let cols = cols.join(", ");
            let fact = match kind.as_str() {
                "p" => format!("{table} primary key ({cols})"),
                "u" => format!("{table} unique ({cols})"),
                _ => format!(
                    "{table}.{cols} references {}.{}",
                    to_table.unwrap_or_default(),
                    to_col.unwrap_or_default()
                ),
            };
            facts.insert(fact);
        }
        let indexes: Vec<(String, bool, Vec<String>)> = sqlx::query_as(
            "SELECT i.relname::text, x.indisunique,
                    ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
                          JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n
                          ORDER BY k.o)
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
             WHERE x.indrelid = $1::regclass
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        )
        .bind(&table)
        .fetch_all(&pool)
        .await
        .unwrap();
        for (index, unique, cols) in indexes {
            facts.insert(format!(
                "{table} index {index} ({}) unique={unique}",
                cols.join(", ")
            ));
        }
    }
    facts
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_describe_the_same_schema() {
    let sqlite = TestDatabase::create_on(Engine::Sqlite).await;
    let postgres = TestDatabase::create_on(Engine::Postgres).await;
    Db::connect(&sqlite.url)
        .await
        .expect("SQLite migrations apply");
    Db::connect(&postgres.url)
        .await
        .expect("PostgreSQL migrations apply");

    let lite = sqlite_facts(&sqlite.url).await;
    let pg = postgres_facts(&postgres.url).await;
    assert!(
        lite.contains("table sessions") && lite.len() > 50,
        "{lite:#?}"
    );
    let only_sqlite: Vec<_> = lite.difference(&pg).collect();
    let only_postgres: Vec<_> = pg.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas differ:\nonly in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}

/// A migration that fails part-way must leave nothing of itself behind.
#[tokio::test]
async fn a_failing_migration_leaves_the_database_as_it_was() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let database = TestDatabase::create_on(engine).await;
        let db = Db::connect(&database.url).await.expect("migrations apply");
        let folder = tempfile::tempdir().unwrap();
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../migrations")
            .join(engine.name());
        for entry in std::fs::read_dir(source).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), folder.path().join(entry.file_name())).unwrap();
        }
        std::fs::write(
            folder.path().join("9999_broken.sql"),
            "CREATE TABLE half_done (x BIGINT);\nINSERT INTO no_such_table VALUES (1);\n",
        )
        .unwrap();
        let migrator = sqlx::migrate::Migrator::new(folder.path()).await.unwrap();
        assert!(migrator.run(&db.pool).await.is_err(), "{}", engine.name());

        let leftover = match engine {
            Engine::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'",
            Engine::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'half_done'"
            }
        };
        let (tables,): (i64,) = sqlx::query_as(leftover).fetch_one(&db.pool).await.unwrap();
        assert_eq!(
            tables,
            0,
            "{}: the broken migration's table is gone",
            engine.name()
        );
        let (recorded,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations WHERE version = 9999")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(recorded, 0, "{}", engine.name());
    }
}
