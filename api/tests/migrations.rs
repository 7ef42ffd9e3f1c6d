//! Every migration applies, reverts and re-applies; both backends end with the same schema.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel_migrations::MigrationHarness;
use sistema_lavoro::store::{self, DbConn};

/// A table's column: normalised type, NOT NULL, part of the primary key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    name: String,
    kind: String,
    not_null: bool,
    primary: bool,
}

/// An index or unique constraint, by what it covers (names differ between backends for
/// constraints): table, columns in order, unique, partial predicate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    table: String,
    columns: Vec<String>,
    unique: bool,
    predicate: Option<String>,
}

/// A foreign key: table.column → table.column.
type ForeignKey = (String, String, String, String);

/// Everything a migration can leave behind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Schema {
    tables: BTreeMap<String, Vec<Column>>,
    indexes: Vec<Index>,
    foreign_keys: Vec<ForeignKey>,
}

#[derive(QueryableByName)]
struct ColRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = Integer)]
    primary: i32,
}

#[derive(QueryableByName)]
struct IdxRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    columns: String,
    #[diesel(sql_type = Integer)]
    is_unique: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    predicate: Option<String>,
}

#[derive(QueryableByName)]
struct FkRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    ref_table: String,
    #[diesel(sql_type = Text)]
    ref_column: String,
}

/// The declared type in one vocabulary for both backends.
fn kind(raw: &str) -> String {
    let t = raw.to_ascii_lowercase();
    match t.as_str() {
        "text" | "character varying" | "varchar" => "text",
        "bigint" | "int8" => "bigint",
        "integer" | "int" | "int4" => "integer",
        "boolean" | "bool" => "boolean",
        "date" => "date",
        "blob" | "bytea" => "binary",
        "timestamp" | "timestamp without time zone" => "timestamp",
        other => return other.to_string(),
    }
    .to_string()
}

/// A partial index's predicate in one spelling: lower case, no brackets, no casts, single
/// spaces, `= ANY (ARRAY[…])` read as `IN (…)`.
fn predicate(raw: &str) -> String {
    let mut p = raw.to_ascii_lowercase();
    for cast in ["::text[]", "::text"] {
        p = p.replace(cast, "");
    }
    p = p.replace("= any (array[", "in ").replace("])", "");
    p = p.replace(['(', ')', '[', ']'], "");
    p.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn schema(conn: &mut DbConn) -> Schema {
    let (cols, idx, fks): (Vec<ColRow>, Vec<IdxRow>, Vec<FkRow>) = match conn {
        DbConn::Sqlite(c) => (
            // A SQLite `INTEGER PRIMARY KEY` is the 64-bit rowid: PostgreSQL's `BIGINT`.
            diesel::sql_query(
                "SELECT m.name AS table_name, p.name AS column_name, \
                 CASE WHEN p.pk = 1 AND upper(p.type) = 'INTEGER' THEN 'bigint' ELSE p.type END AS kind, \
                 CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 1 ELSE 0 END AS not_null, \
                 CASE WHEN p.pk > 0 THEN 1 ELSE 0 END AS \"primary\" \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                 AND m.name <> '__diesel_schema_migrations'",
            )
            .load(c)
            .unwrap(),
            diesel::sql_query(
                "SELECT m.name AS table_name, \
                 (SELECT group_concat(ii.name, ',') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno) ii) AS columns, \
                 l.\"unique\" AS is_unique, \
                 CASE WHEN l.partial = 1 THEN substr(s.sql, instr(upper(s.sql), ' WHERE ') + 7) END AS predicate \
                 FROM sqlite_master m JOIN pragma_index_list(m.name) l \
                 LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = l.name \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                 AND m.name <> '__diesel_schema_migrations' AND l.origin <> 'pk'",
            )
            .load(c)
            .unwrap(),
            diesel::sql_query(
                "SELECT m.name AS table_name, f.\"from\" AS column_name, f.\"table\" AS ref_table, \
                 COALESCE(f.\"to\", 'id') AS ref_column \
                 FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
            )
            .load(c)
            .unwrap(),
        ),
        DbConn::Pg(c) => (
            diesel::sql_query(
                "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                 c.data_type::text AS kind, \
                 CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null, \
                 CASE WHEN EXISTS (SELECT 1 FROM information_schema.table_constraints t \
                   JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name \
                   AND k.table_name = t.table_name WHERE t.constraint_type = 'PRIMARY KEY' \
                   AND t.table_name = c.table_name AND k.column_name = c.column_name) THEN 1 ELSE 0 END AS \"primary\" \
                 FROM information_schema.columns c WHERE c.table_schema = 'public' \
                 AND c.table_name <> '__diesel_schema_migrations'",
            )
            .load(c)
            .unwrap(),
            diesel::sql_query(
                "SELECT t.relname::text AS table_name, \
                 (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY k(att, ord) \
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.att) AS columns, \
                 CASE WHEN i.indisunique THEN 1 ELSE 0 END AS is_unique, \
                 pg_get_expr(i.indpred, i.indrelid) AS predicate \
                 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
                 JOIN pg_namespace n ON n.oid = t.relnamespace \
                 WHERE n.nspname = 'public' AND NOT i.indisprimary \
                 AND t.relname <> '__diesel_schema_migrations'",
            )
            .load(c)
            .unwrap(),
            diesel::sql_query(
                "SELECT tc.table_name::text AS table_name, kcu.column_name::text AS column_name, \
                 ccu.table_name::text AS ref_table, ccu.column_name::text AS ref_column \
                 FROM information_schema.table_constraints tc \
                 JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name \
                 JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name \
                 WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'",
            )
            .load(c)
            .unwrap(),
        ),
    };
    let mut s = Schema::default();
    for c in cols {
        s.tables.entry(c.table_name).or_default().push(Column {
            name: c.column_name,
            kind: kind(&c.kind),
            not_null: c.not_null == 1,
            primary: c.primary == 1,
        });
    }
    for t in s.tables.values_mut() {
        t.sort();
    }
    s.indexes = idx
        .into_iter()
        .map(|i| Index {
            table: i.table_name,
            columns: i.columns.split(',').map(String::from).collect(),
            unique: i.is_unique == 1,
            predicate: i.predicate.as_deref().map(predicate),
        })
        .collect();
    s.indexes.sort();
    s.foreign_keys = fks
        .into_iter()
        .map(|f| (f.table_name, f.column_name, f.ref_table, f.ref_column))
        .collect();
    s.foreign_keys.sort();
    s.foreign_keys.dedup();
    s
}

/// The schema after each migration, one at a time from nothing; reverting each step gives
/// back the schema before it.
fn steps(url: &str) -> Vec<Schema> {
    let pool = store::connect(url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let revert = |conn: &mut DbConn| match conn {
        DbConn::Sqlite(c) => c.revert_last_migration(store::SQLITE_MIGRATIONS).ok(),
        DbConn::Pg(c) => c.revert_last_migration(store::POSTGRES_MIGRATIONS).ok(),
    };
    while revert(&mut conn).is_some() {}
    assert_eq!(
        schema(&mut conn),
        Schema::default(),
        "down migrations leave something behind"
    );
    let mut after = vec![Schema::default()];
    loop {
        let applied = match &mut *conn {
            DbConn::Sqlite(c) => c.run_next_migration(store::SQLITE_MIGRATIONS).ok(),
            DbConn::Pg(c) => c.run_next_migration(store::POSTGRES_MIGRATIONS).ok(),
        };
        if applied.is_none() {
            break;
        }
        let now = schema(&mut conn);
        // Down, then up again: the same schema both ways.
        revert(&mut conn).unwrap();
        assert_eq!(
            &schema(&mut conn),
            after.last().unwrap(),
            "migration {} does not revert to the schema before it",
            after.len()
        );
        match &mut *conn {
            DbConn::Sqlite(c) => c.run_next_migration(store::SQLITE_MIGRATIONS).unwrap(),
            DbConn::Pg(c) => c.run_next_migration(store::POSTGRES_MIGRATIONS).unwrap(),
        };
        assert_eq!(schema(&mut conn), now);
        after.push(now);
    }
    assert_eq!(after.len() - 1, store::SQLITE_MIGRATIONS_COUNT);
    after
}

#[test]
fn each_migration_applies_reverts_and_reapplies_on_the_test_backend() {
    let db = common::TestDb::new();
    let all = steps(&db.url);
    let last = all.last().unwrap();
    assert!(last.tables.contains_key("referrals") && last.tables.contains_key("users"));
    assert!(
        last.indexes
            .iter()
            .any(|i| i.table == "cases" && i.predicate.is_some()),
        "partial indexes are seen"
    );
    assert!(!last.foreign_keys.is_empty(), "foreign keys are seen");
}

#[test]
fn both_backends_have_the_same_schema_after_every_migration() {
    if !common::use_postgres() {
        eprintln!(
            "skipped on the SQLite run: compared in the PostgreSQL run (TEST_DATABASE=postgres)"
        );
        return;
    }
    let sqlite = common::TestDb::sqlite();
    let pg = common::TestDb::postgres();
    let (a, b) = (steps(&sqlite.url), steps(&pg.url));
    for (n, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x.tables, y.tables, "tables and columns after migration {n}");
        assert_eq!(x.indexes, y.indexes, "indexes after migration {n}");
        assert_eq!(
            x.foreign_keys, y.foreign_keys,
            "foreign keys after migration {n}"
        );
    }
}
