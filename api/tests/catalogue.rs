//! The measure catalogue's funding source: the plan's vocabulary (`esf_plus`, `pnrr`, …) with
//! a note naming the fund or the call; the migration that turned the old free text into it.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, today, World};
use common::{Resp, TestApp, TestDb};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use diesel_migrations::MigrationHarness;
use serde_json::{json, Value};
use sistema_lavoro::store::{self, DbConn};

/// `(field, code)` of every error of a 422.
fn fields(r: Resp) -> Vec<(String, String)> {
    r.expect(422)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (s(&e["field"]), s(&e["code"])))
        .collect()
}

fn measure(code: &str, funding: Value) -> Value {
    let mut m = json!({"code": code, "name": "Progetto di prova", "kind": "district_project",
        "valid_from": format!("{}-01-01", today().format("%Y"))});
    for (k, v) in funding.as_object().unwrap() {
        m[k] = v.clone();
    }
    m
}

#[test]
fn a_measure_names_its_source_from_the_plans_vocabulary_and_the_fund_in_a_note() {
    let w = World::new();
    let app = &w.app;

    // The old free text is no longer a source: 422 on the field, with the allowed values.
    let r = app.post(
        "/api/v1/measures",
        &w.coord,
        measure("OLD", json!({"funding_source": "FSE+"})),
    );
    let p = r.expect(422);
    let errors = p["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{p}");
    assert_eq!(errors[0]["field"], "funding_source");
    assert_eq!(errors[0]["code"], "enum");
    let message = s(&errors[0]["message"]);
    for allowed in ["esf_plus", "pnrr", "district_budget", "other"] {
        assert!(message.contains(allowed), "{message}");
    }
    // Still required.
    assert_eq!(
        fields(app.post(
            "/api/v1/measures",
            &w.coord,
            measure("NONE", json!({"funding_note": "Regione Lombardia"}))
        )),
        [("funding_source".to_string(), "required".to_string())]
    );

    // A source of the vocabulary and its note, trimmed, read back.
    let m = app
        .post(
            "/api/v1/measures",
            &w.coord,
            measure(
                "FSE",
                json!({"funding_source": "esf_plus", "funding_note": "  FSE+ – Regione Lombardia "}),
            ),
        )
        .expect(201);
    assert_eq!(m["funding_source"], "esf_plus");
    assert_eq!(m["funding_note"], "FSE+ – Regione Lombardia");
    let url = format!("/api/v1/measures/{}", s(&m["id"]));
    let read = app.get(&url, &w.coord).expect(200);
    assert_eq!(read["funding_source"], "esf_plus");
    assert_eq!(read["funding_note"], "FSE+ – Regione Lombardia");
    let listed = app.get("/api/v1/measures", &w.coord).expect(200);
    let fse = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "FSE")
        .unwrap();
    assert_eq!(fse["funding_source"], "esf_plus");
    assert_eq!(fse["funding_note"], "FSE+ – Regione Lombardia");

    // A blank note is none; no note is none.
    let blank = app
        .post(
            "/api/v1/measures",
            &w.coord,
            measure(
                "BLANK",
                json!({"funding_source": "municipal", "funding_note": "   "}),
            ),
        )
        .expect(201);
    assert_eq!(blank["funding_note"], Value::Null);
    let none = app
        .post(
            "/api/v1/measures",
            &w.coord,
            measure("PNRR", json!({"funding_source": "pnrr"})),
        )
        .expect(201);
    assert_eq!(none["funding_note"], Value::Null);

    // "Altro" says what in the note; a note has at most 300 characters.
    assert_eq!(
        fields(app.post(
            "/api/v1/measures",
            &w.coord,
            measure(
                "ALTRO",
                json!({"funding_source": "other", "funding_note": " "})
            )
        )),
        [("funding_note".to_string(), "required".to_string())]
    );
    assert_eq!(
        fields(app.post(
            "/api/v1/measures",
            &w.coord,
            measure(
                "LONG",
                json!({"funding_source": "regional", "funding_note": "x".repeat(301)})
            )
        )),
        [("funding_note".to_string(), "length".to_string())]
    );
    let other = app
        .post(
            "/api/v1/measures",
            &w.coord,
            measure(
                "ALTRO",
                json!({"funding_source": "other", "funding_note": "Lotteria di beneficenza"}),
            ),
        )
        .expect(201);
    assert_eq!(other["funding_source"], "other");

    // PATCH: `null` clears the note; the source changes within the vocabulary only.
    let cleared = app
        .patch(&url, &w.coord, json!({"funding_note": null}))
        .expect(200);
    assert_eq!(cleared["funding_source"], "esf_plus");
    assert_eq!(cleared["funding_note"], Value::Null);
    assert_eq!(
        app.get(&url, &w.coord).expect(200)["funding_note"],
        Value::Null
    );
    let changed = app
        .patch(
            &url,
            &w.coord,
            json!({"funding_source": "regional", "funding_note": " Bando Lombardia "}),
        )
        .expect(200);
    assert_eq!(changed["funding_source"], "regional");
    assert_eq!(changed["funding_note"], "Bando Lombardia");
    assert_eq!(
        fields(app.patch(&url, &w.coord, json!({"funding_source": "Regione"}))),
        [("funding_source".to_string(), "enum".to_string())]
    );
    assert_eq!(
        fields(app.patch(&url, &w.coord, json!({"funding_source": null}))),
        [("funding_source".to_string(), "not_clearable".to_string())]
    );
    let altro = format!("/api/v1/measures/{}", s(&other["id"]));
    assert_eq!(
        fields(app.patch(&altro, &w.coord, json!({"funding_note": null}))),
        [("funding_note".to_string(), "required".to_string())]
    );
    assert_eq!(
        fields(app.patch(
            &url,
            &w.coord,
            json!({"funding_source": "other", "funding_note": null})
        )),
        [("funding_note".to_string(), "required".to_string())]
    );
    let kept = app.get(&url, &w.coord).expect(200);
    assert_eq!(
        kept["funding_source"], "regional",
        "a refused patch changes nothing"
    );
    assert_eq!(kept["funding_note"], "Bando Lombardia");
}

// ------------------------------------------------------------------ the migration

/// The folder `2026-12-05-000017_measure_funding`, as diesel names its version.
const MEASURE_FUNDING: &str = "20261205000017";

/// The old texts and what the migration makes of them (first rule that matches wins).
const OLD_TEXTS: [(&str, &str); 17] = [
    ("FSE+ / Regione Lombardia", "esf_plus"),
    ("fse+", "esf_plus"),
    ("Garanzia Giovani", "esf_plus"),
    ("ESF+ programme", "esf_plus"),
    ("PNRR – Missione 5", "pnrr"),
    ("Fondazione Cariplo", "foundation_private"),
    ("Donatori privati", "foundation_private"),
    ("Fondo Povertà", "national_fund"),
    ("Fondo regionale", "national_fund"),
    ("Ministero del Lavoro", "national_fund"),
    ("Regione Lombardia", "regional"),
    ("Ambito", "district_budget"),
    ("Piano di Zona 2025-2027", "district_budget"),
    ("Comune di Bergamo", "municipal"),
    ("Risorse comunali", "municipal"),
    ("Lotteria di beneficenza", "other"),
    ("Cassa delle Ammende", "other"),
];

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    code: String,
    #[diesel(sql_type = Text)]
    funding_source: String,
    #[diesel(sql_type = Nullable<Text>)]
    funding_note: Option<String>,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

fn applied(conn: &mut DbConn) -> Vec<String> {
    match conn {
        DbConn::Sqlite(c) => c.applied_migrations().unwrap(),
        DbConn::Pg(c) => c.applied_migrations().unwrap(),
    }
    .iter()
    .map(|v| v.to_string())
    .collect()
}

/// Reverts the last migrations until `measure_funding` is not applied.
fn revert_measure_funding(conn: &mut DbConn) {
    assert!(
        applied(conn).iter().any(|v| v == MEASURE_FUNDING),
        "{:?}",
        applied(conn)
    );
    while applied(conn).iter().any(|v| v == MEASURE_FUNDING) {
        match conn {
            DbConn::Sqlite(c) => c.revert_last_migration(store::SQLITE_MIGRATIONS),
            DbConn::Pg(c) => c.revert_last_migration(store::POSTGRES_MIGRATIONS),
        }
        .unwrap();
    }
}

fn run_next(conn: &mut DbConn) {
    match conn {
        DbConn::Sqlite(c) => c.run_next_migration(store::SQLITE_MIGRATIONS),
        DbConn::Pg(c) => c.run_next_migration(store::POSTGRES_MIGRATIONS),
    }
    .unwrap();
    assert!(applied(conn).iter().any(|v| v == MEASURE_FUNDING));
}

/// The test's measures by code; before the migration there is no note.
fn rows(conn: &mut DbConn, migrated: bool) -> Vec<Row> {
    let note = if migrated {
        "funding_note"
    } else {
        "CAST(NULL AS TEXT) AS funding_note"
    };
    let sql = format!(
        "SELECT code, funding_source, {note} FROM measures WHERE code LIKE 'OLD%' ORDER BY code"
    );
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(&sql).load(c),
        DbConn::Pg(c) => diesel::sql_query(&sql).load(c),
    }
    .unwrap()
}

fn execute(conn: &mut DbConn, sql: &str) {
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).execute(c),
        DbConn::Pg(c) => diesel::sql_query(sql).execute(c),
    }
    .unwrap();
}

fn insert_old(conn: &mut DbConn, district: &str, code: &str, source: &str, note: Option<&str>) {
    let q = |t: &str| format!("'{}'", t.replace('\'', "''"));
    let (note_col, note_val) = match note {
        Some(n) => (", funding_note", format!(", {}", q(n))),
        None => ("", String::new()),
    };
    execute(
        conn,
        &format!(
            "INSERT INTO measures (id, district_id, code, name, kind, funding_source, description, \
             valid_from, employment_statuses, target_groups, clusters, residence_required, \
             default_amount_cents, active, created_at, updated_at{note_col}) VALUES ({}, {}, {}, \
             'Misura di prima', 'district_project', {}, '', '2026-01-01', '[]', '[]', '[]', FALSE, 0, \
             TRUE, '2026-01-01 08:00:00', '2026-01-01 08:00:00'{note_val})",
            q(&uuid::Uuid::new_v4().to_string()),
            q(district),
            q(code),
            q(source),
        ),
    );
}

#[test]
fn the_migration_turns_the_old_free_text_into_the_vocabulary_and_keeps_it_as_the_note() {
    let db = TestDb::new();
    let url = db.url.clone();
    {
        let pool = store::connect(&url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        sistema_lavoro::demo::load_with(&mut conn, false).unwrap();
        let district: Vec<Id> = match &mut *conn {
            DbConn::Sqlite(c) => diesel::sql_query("SELECT id FROM districts").load(c),
            DbConn::Pg(c) => diesel::sql_query("SELECT id FROM districts").load(c),
        }
        .unwrap();
        let district = &district[0].id;

        // The catalogue as it was: free text.
        revert_measure_funding(&mut conn);
        for (n, (text, _)) in OLD_TEXTS.iter().enumerate() {
            insert_old(&mut conn, district, &format!("OLD{n:02}"), text, None);
        }
        run_next(&mut conn);
        let after = rows(&mut conn, true);
        assert_eq!(after.len(), OLD_TEXTS.len());
        for (n, (text, code)) in OLD_TEXTS.iter().enumerate() {
            let r = &after[n];
            assert_eq!(r.code, format!("OLD{n:02}"));
            assert_eq!(
                (r.funding_source.as_str(), r.funding_note.as_deref()),
                (*code, Some(*text)),
                "{text}"
            );
        }

        // Down gives the text back: the note, or the source's label when there is none.
        insert_old(&mut conn, district, "OLDZ", "pnrr", None);
        insert_old(
            &mut conn,
            district,
            "OLDZZ",
            "municipal",
            Some("Comune di Seriate"),
        );
        revert_measure_funding(&mut conn);
        let back = rows(&mut conn, false);
        for (n, (text, _)) in OLD_TEXTS.iter().enumerate() {
            assert_eq!(back[n].funding_source, *text);
        }
        assert_eq!(back[OLD_TEXTS.len()].funding_source, "PNRR");
        assert_eq!(
            back[OLD_TEXTS.len() + 1].funding_source,
            "Comune di Seriate"
        );
        execute(&mut conn, "DELETE FROM measures WHERE code LIKE 'OLDZ%'");
    }

    // The server migrates again on start, and reads every migrated measure.
    let config = sistema_lavoro::config::Config::for_database(&url);
    let app = TestApp::start(db, config);
    let coord = app.login("coordinatore@demo.test");
    let page = app.get("/api/v1/measures?limit=100", &coord).expect(200);
    let items = page["items"].as_array().unwrap();
    for (n, (text, code)) in OLD_TEXTS.iter().enumerate() {
        let m = items
            .iter()
            .find(|m| m["code"] == format!("OLD{n:02}"))
            .unwrap();
        assert_eq!(m["funding_source"], *code, "{text}");
        assert_eq!(m["funding_note"], *text);
    }
}
