//! Every migration applies, reverts and re-applies; both backends end with the same schema.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel_migrations::MigrationHarness;
use sistema_lavoro::store::{self, DbConn};

#[derive(QueryableByName)]
struct Col {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
}

/// Table → column → NOT NULL, for the connection's backend.
fn columns(conn: &mut DbConn) -> BTreeMap<String, BTreeMap<String, bool>> {
    let rows: Vec<Col> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, \
             CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 1 ELSE 0 END AS not_null \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'",
        )
        .load(c)
        .unwrap(),
        DbConn::Pg(c) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
             CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name <> '__diesel_schema_migrations'",
        )
        .load(c)
        .unwrap(),
    };
    let mut out: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
    for r in rows {
        out.entry(r.table_name)
            .or_default()
            .insert(r.column_name, r.not_null == 1);
    }
    out
}

fn round_trip(url: &str) -> BTreeMap<String, BTreeMap<String, bool>> {
    let pool = store::connect(url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let full = columns(&mut conn);
    assert!(full.contains_key("referrals") && full.contains_key("users"));
    // Revert everything, check it is gone, apply again, check it is back identical.
    loop {
        let reverted = match &mut *conn {
            DbConn::Sqlite(c) => c.revert_last_migration(store::SQLITE_MIGRATIONS).ok(),
            DbConn::Pg(c) => c.revert_last_migration(store::POSTGRES_MIGRATIONS).ok(),
        };
        if reverted.is_none() {
            break;
        }
    }
    assert!(
        columns(&mut conn).is_empty(),
        "down migrations leave tables behind"
    );
    let applied = store::migrate(&mut conn).unwrap();
    assert_eq!(applied.len(), store::SQLITE_MIGRATIONS_COUNT);
    assert_eq!(columns(&mut conn), full);
    full
}

#[test]
fn migrations_apply_revert_and_reapply_on_the_test_backend() {
    let db = common::TestDb::new();
    round_trip(&db.url);
}

#[test]
fn both_backends_have_the_same_tables_and_columns() {
    if !common::use_postgres() {
        eprintln!(
            "skipped on the SQLite run: compared in the PostgreSQL run (TEST_DATABASE=postgres)"
        );
        return;
    }
    let sqlite = common::TestDb::sqlite();
    let pg = common::TestDb::postgres();
    assert_eq!(round_trip(&sqlite.url), round_trip(&pg.url));
}
