//! The audit log tells the truth: every kind of event with its fields, append-only in the
//! database, a hash chain that `verify-audit` checks, a sealer that holds under concurrent
//! writes, the archive, and who may read and export it.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use common::world::{s, tax_code, World};
use common::PASSWORD;
use diesel::RunQueryDsl;
use serde_json::{json, Value};
use sistema_lavoro::domain::Clock;
use sistema_lavoro::store::{self, DbConn};

fn conn(w: &World) -> store::DbPool {
    store::connect(&w.app.db.url, 4).unwrap()
}

/// The events the DPO finds with `query`.
fn events(w: &World, dpo: &str, query: &str) -> Vec<Value> {
    w.app
        .get(&format!("/api/v1/audit?limit=200&{query}"), dpo)
        .expect(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn user_id(w: &World, token: &str) -> String {
    s(&w.app.get("/api/v1/me", token).expect(200)["id"])
}

/// Runs the real binary's `cmd` over the test database.
fn binary(w: &World, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("sl-audit-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sistema-lavoro"))
        .args(args)
        .env("DATABASE_URL", &w.app.db.url)
        .env(
            "JWT_SECRET",
            String::from_utf8(w.app.config.jwt_secret.clone()).unwrap(),
        )
        .env(
            "SECRETS_KEY",
            sistema_lavoro::config::Config::TEST_SECRETS_KEY,
        )
        .env("DATA_DIR", &dir)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn verify_ok(w: &World) -> bool {
    let out = binary(w, &["verify-audit"], &[]);
    out.status.success()
}

/// Runs SQL that may fail, on the backend's own connection.
fn exec(c: &mut DbConn, sql: &str) -> Result<usize, diesel::result::Error> {
    match c {
        DbConn::Pg(c) => diesel::sql_query(sql).execute(c),
        DbConn::Sqlite(c) => diesel::sql_query(sql).execute(c),
    }
}

fn drop_guards(c: &mut DbConn) {
    if matches!(c, DbConn::Pg(_)) {
        exec(c, "DROP TRIGGER audit_events_no_update ON audit_events").unwrap();
        exec(c, "DROP TRIGGER audit_events_no_delete ON audit_events").unwrap();
    } else {
        exec(c, "DROP TRIGGER audit_events_no_update").unwrap();
        exec(c, "DROP TRIGGER audit_events_no_delete").unwrap();
    }
}

#[test]
fn each_kind_of_event_is_logged_with_who_where_and_which_request() {
    let w = World::new();
    let dpo = w.app.login("dpo@demo.test");
    let social_id = user_id(&w, &w.social);
    // create, read (with a request id), lookup by tax code, change
    let code = tax_code("Verdi", "Anna", "1990-04-02", 'F');
    let person = w
        .app
        .post(
            "/api/v1/persons",
            &w.social,
            json!({"tax_code": code, "first_name": "Anna", "last_name": "Verdi",
                   "birth_date": "1990-04-02", "gender": "F",
                   "residence_municipality_code": "016024", "citizenship": "IT",
                   "employment_status": "unemployed"}),
        )
        .expect(201);
    let pid = s(&person["id"]);
    w.app
        .with_headers(
            "GET",
            &format!("/api/v1/persons/{pid}"),
            &w.social,
            &[("X-Request-Id", "req-audit-1")],
            None,
        )
        .expect(200);
    w.app
        .get(&format!("/api/v1/persons?tax_code={code}"), &w.pass)
        .expect(200);
    w.app
        .get("/api/v1/persons?tax_code=ZZZZZZ99Z99Z999Z", &w.pass)
        .expect(200);
    // refused: a role the route does not admit, and a record the policy hides
    w.app
        .get(&format!("/api/v1/persons/{pid}"), &w.observer)
        .expect(403);
    w.app
        .get(&format!("/api/v1/persons/{pid}"), &w.op1)
        .expect(404);
    // sign-in failures: a known e-mail, an unknown one
    let wrong = w.app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "pass@demo.test", "password": "wrong-password"})),
    );
    assert_eq!(wrong.status, 401);
    let unknown = w.app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "Nobody@Example.test", "password": PASSWORD})),
    );
    assert_eq!(unknown.status, 401);

    let all = events(&w, &dpo, &format!("person_id={pid}"));
    let find = |action: &str| {
        all.iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("no {action} event in {all:#?}"))
            .clone()
    };
    let created = find("create");
    assert_eq!(created["actor_id"], social_id.as_str());
    assert_eq!(created["entity_type"], "person");
    assert_eq!(created["client_address"], "127.0.0.1");
    let read = all
        .iter()
        .find(|e| e["action"] == "read" && e["request_id"] == "req-audit-1")
        .unwrap_or_else(|| panic!("the read with its request id is missing: {all:#?}"));
    assert_eq!(read["actor_id"], social_id.as_str());
    assert_eq!(read["actor_role"], "referrer");
    assert_eq!(read["entity_id"], pid.as_str());
    assert_eq!(read["district_id"], w.district_id.as_str());
    assert!(read["at"].as_str().unwrap().ends_with('Z'));
    let lookup = find("lookup");
    assert_eq!(lookup["actor_role"], "referrer");
    assert_ne!(lookup["actor_id"], social_id.as_str());

    let empty_lookups = events(&w, &dpo, "action=lookup&entity_type=person");
    assert!(
        empty_lookups
            .iter()
            .any(|e| e["entity_id"].is_null() && e["detail"] == "0"),
        "a lookup finding nobody is logged too"
    );
    let denied = events(&w, &dpo, "action=denied");
    assert!(denied.iter().any(|e| e["actor_role"] == "observer"
        && e["detail"]
            .as_str()
            .unwrap()
            .starts_with(&format!("forbidden GET /api/v1/persons/{pid}"))));
    assert!(denied.iter().any(|e| e["actor_role"] == "agency_operator"
        && e["detail"].as_str().unwrap().starts_with("not_found")));
    let signed_in = events(&w, &dpo, &format!("action=sign_in&actor={social_id}"));
    assert!(!signed_in.is_empty(), "the World's sign-ins are logged");
    let failed = events(&w, &dpo, "action=sign_in_failed");
    let pass_id = user_id(&w, &w.pass);
    assert!(failed.iter().any(|e| e["actor_id"] == pass_id.as_str()));
    let anonymous = failed
        .iter()
        .find(|e| e["actor_id"].is_null())
        .expect("the unknown e-mail's failure");
    let detail = s(&anonymous["detail"]);
    assert!(detail.starts_with("email_sha256:"), "{detail}");
    assert!(!detail.to_lowercase().contains("nobody"));
    assert!(anonymous["district_id"].is_null());
    // The coordinator does not see events of no district; the DPO does.
    let coord_failed = events(&w, &w.coord, "action=sign_in_failed");
    assert!(coord_failed.iter().all(|e| !e["actor_id"].is_null()));
}

#[test]
fn state_changes_and_document_downloads_are_in_the_log() {
    let w = World::new();
    let dpo = w.app.login("dpo@demo.test");
    let referral = w.submitted("Bianchi");
    let changes = events(
        &w,
        &dpo,
        &format!("entity_type=referral&entity_id={referral}"),
    );
    assert!(changes.iter().any(|e| e["action"] == "create"));
    let submit = changes
        .iter()
        .find(|e| e["action"] == "change")
        .expect("the submit");
    assert!(s(&submit["detail"]).starts_with("submit: draft → "));
    assert_eq!(submit["actor_role"], "referrer");
}

#[test]
fn the_database_refuses_update_and_delete_of_the_log() {
    let w = World::new();
    let pool = conn(&w);
    let mut c = pool.get().unwrap();
    let n: i64 = {
        use diesel::QueryDsl;
        use sistema_lavoro::store::schema::audit_events::dsl as a;
        a::audit_events.count().get_result(&mut *c).unwrap()
    };
    assert!(n > 0, "the World's sign-ins are logged");
    assert!(exec(&mut c, "UPDATE audit_events SET action = 'read'").is_err());
    assert!(exec(&mut c, "DELETE FROM audit_events").is_err());
    sistema_lavoro::app::audit::seal(&mut c, w.app.clock.read()).unwrap();
    assert!(exec(&mut c, "UPDATE audit_seals SET hash = 'x'").is_err());
    assert!(exec(&mut c, "DELETE FROM audit_seals").is_err());
    if matches!(*c, DbConn::Pg(_)) {
        assert!(exec(&mut c, "TRUNCATE audit_events").is_err());
    }
}

#[test]
fn verify_audit_passes_then_fails_after_an_edit() {
    let w = World::new();
    assert!(verify_ok(&w), "a fresh log verifies");
    let pool = conn(&w);
    let mut c = pool.get().unwrap();
    drop_guards(&mut c);
    exec(
        &mut c,
        "UPDATE audit_events SET client_address = '10.0.0.9' WHERE seq = (SELECT MIN(seq) FROM audit_events)",
    )
    .unwrap();
    let out = binary(&w, &["verify-audit"], &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("were changed"));
}

#[test]
fn verify_audit_fails_after_a_removal() {
    let w = World::new();
    assert!(verify_ok(&w));
    let pool = conn(&w);
    let mut c = pool.get().unwrap();
    drop_guards(&mut c);
    exec(
        &mut c,
        "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events WHERE seq < (SELECT MAX(seq) FROM audit_events))",
    )
    .unwrap();
    let out = binary(&w, &["verify-audit"], &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("rows removed or added"));
}

#[test]
fn the_sealer_under_concurrent_writes_leaves_a_verifying_chain() {
    // No sign-in throttling: every attempt below is a failure the log records.
    let w = World::with(|c| c.login_max_failures = 0);
    let pool = conn(&w);
    let now = w.app.clock.read();
    let writers: Vec<_> = (0..4)
        .map(|i| {
            let base = w.app.base.clone();
            std::thread::spawn(move || {
                for _ in 0..15 {
                    let r = ureq::post(&format!("{base}/api/v1/auth/login")).send_json(
                        json!({"email": format!("nobody{i}@example.test"), "password": "x"}),
                    );
                    assert!(r.is_err());
                }
            })
        })
        .collect();
    let sealer = {
        let pool = pool.clone();
        std::thread::spawn(move || {
            let mut c = pool.get().unwrap();
            for _ in 0..30 {
                sistema_lavoro::app::audit::seal(&mut c, now).unwrap();
            }
        })
    };
    for t in writers {
        t.join().unwrap();
    }
    sealer.join().unwrap();
    let mut c = pool.get().unwrap();
    sistema_lavoro::app::audit::seal(&mut c, now).unwrap();
    let v = sistema_lavoro::app::audit::verify(&mut c).unwrap();
    assert!(v.holds(), "{:?}", v.problems);
    assert_eq!(v.unsealed, 0);
    assert!(v.rows >= 60);
}

/// PostgreSQL draws sequence numbers out of commit order: a row drawn first and committed last
/// must not fall into a range already sealed.
#[test]
fn a_slow_transaction_s_row_is_never_left_out_of_a_sealed_range() {
    if !common::use_postgres() {
        // SQLite has one writer at a time: a sealer cannot run beside an open write.
        return;
    }
    use diesel::Connection;
    use sistema_lavoro::store::audit_log::{self, EventContext, NewEvent};
    let w = World::new();
    let pool = conn(&w);
    let now = w.app.clock.read();
    let mut slow = pool.get().unwrap();
    let ev = |d: &str| NewEvent {
        action: "read",
        detail: Some(d.into()),
        ..Default::default()
    };
    // The slow transaction draws its number and stays open.
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let (drawn, drawn_rx) = std::sync::mpsc::channel::<()>();
    let slow_tx = std::thread::spawn(move || {
        slow.transaction::<_, diesel::result::Error, _>(|c| {
            audit_log::record_as(c, &EventContext::default(), now.at, &[ev("slow")]).unwrap();
            drawn.send(()).unwrap();
            wait.recv().unwrap();
            Ok(())
        })
        .unwrap();
    });
    drawn_rx.recv().unwrap();
    // A later writer's row commits first, with a higher number... on PostgreSQL it waits for
    // nothing (shared lock); then the sealer comes.
    let mut fast = pool.get().unwrap();
    audit_log::record_as(&mut fast, &EventContext::default(), now.at, &[ev("fast")]).unwrap();
    let sealer = {
        let pool = pool.clone();
        std::thread::spawn(move || {
            let mut c = pool.get().unwrap();
            sistema_lavoro::app::audit::seal(&mut c, now).unwrap();
        })
    };
    // Until the sealer has given up on the lock (it never queues for it: a queued exclusive
    // request would hold every later insert), or, without the lock, sealed what it saw.
    let mut probe = pool.get().unwrap();
    loop {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let waiting: Vec<N> = match &mut *probe {
            DbConn::Pg(c) => diesel::sql_query(
                "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
            )
            .load(c)
            .unwrap(),
            DbConn::Sqlite(_) => unreachable!(),
        };
        if waiting.first().is_some_and(|r| r.n > 0) || sealer.is_finished() {
            break;
        }
        std::thread::yield_now();
    }
    go.send(()).unwrap();
    slow_tx.join().unwrap();
    sealer.join().unwrap();
    let mut c = pool.get().unwrap();
    sistema_lavoro::app::audit::seal(&mut c, now).unwrap();
    let v = sistema_lavoro::app::audit::verify(&mut c).unwrap();
    assert!(v.holds(), "{:?}", v.problems);
}

#[test]
fn archive_moves_old_rows_to_a_verified_file_and_the_rest_still_verifies() {
    let w = World::new();
    let dir = std::env::temp_dir().join(format!("sl-archive-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("audit-archive.json");
    let file_s = file.to_string_lossy().into_owned();
    let tomorrow = (common::world::today() + chrono::Duration::days(1)).to_string();
    // Inside the retention period: refused, nothing written.
    let refused = binary(
        &w,
        &["archive-audit", "--before", &tomorrow, "--to", &file_s],
        &[],
    );
    assert!(!refused.status.success());
    assert!(!file.exists());
    let done = binary(
        &w,
        &["archive-audit", "--before", &tomorrow, "--to", &file_s],
        &[("AUDIT_RETENTION_DAYS", "0")],
    );
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let archived: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let n = archived["events"].as_array().unwrap().len();
    assert!(n > 0);
    let parsed: sistema_lavoro::app::audit::ArchiveFile = serde_json::from_value(archived).unwrap();
    sistema_lavoro::app::audit::verify_file(&parsed).unwrap();
    // New rows after the archive chain on from it.
    w.app.login("coordinatore@demo.test");
    assert!(verify_ok(&w));
    // The file is never overwritten.
    let again = binary(
        &w,
        &["archive-audit", "--before", &tomorrow, "--to", &file_s],
        &[("AUDIT_RETENTION_DAYS", "0")],
    );
    assert!(!again.status.success());
    // Outside the archive, deleting is still refused.
    let pool = conn(&w);
    let mut c = pool.get().unwrap();
    assert!(exec(&mut c, "DELETE FROM audit_events").is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_dpo_and_the_coordinator_read_and_export_the_log_and_nobody_else() {
    let w = World::new();
    let dpo = w.app.login("dpo@demo.test");
    w.app.get("/api/v1/audit", &dpo).expect(200);
    w.app.get("/api/v1/audit", &w.coord).expect(200);
    for t in [&w.admin, &w.social, &w.op1, &w.observer] {
        w.app.get("/api/v1/audit", t).expect(403);
        w.app.get("/api/v1/audit/export", t).expect(403);
    }
    // The DPO sees no case contents.
    w.app.get("/api/v1/persons", &dpo).expect(403);
    w.app.get("/api/v1/cases", &dpo).expect(403);
    w.app.get("/api/v1/referrals", &dpo).expect(403);
    // Paging: newest first, a cursor that continues.
    let first = w.app.get("/api/v1/audit?limit=2", &dpo).expect(200);
    let a = first["items"].as_array().unwrap();
    assert_eq!(a.len(), 2);
    assert!(a[0]["seq"].as_i64() > a[1]["seq"].as_i64());
    let next = s(&first["next"]);
    let second = w
        .app
        .get(&format!("/api/v1/audit?limit=2&after={next}"), &dpo)
        .expect(200);
    assert!(second["items"][0]["seq"].as_i64() < a[1]["seq"].as_i64());
    w.app
        .get("/api/v1/audit?from=2026-02-01&to=2026-01-01", &dpo)
        .expect(422);
    // Exports: CSV and XLSX, each one itself logged.
    let csv = w
        .app
        .get("/api/v1/audit/export?format=csv&action=sign_in", &dpo);
    assert_eq!(csv.status, 200);
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(csv.text.starts_with("seq,id,at,actor_id"));
    assert!(csv.text.contains(",sign_in,"));
    let xlsx = w.app.raw(
        "GET",
        "/api/v1/audit/export?format=xlsx",
        &[("Authorization", &format!("Bearer {}", w.coord))],
        b"",
    );
    assert_eq!(xlsx.status, 200);
    let exports = events(&w, &dpo, "action=export");
    assert_eq!(exports.len(), 2, "{exports:#?}");
    assert!(exports.iter().any(|e| s(&e["detail"]).starts_with("xlsx")));
}

#[test]
fn the_dpo_verifies_the_chain_over_http_and_is_told_of_an_edit() {
    let w = World::new();
    assert!(verify_ok(&w), "a fresh log verifies (and is sealed)");
    let dpo = w.app.login("dpo@demo.test");
    let v = w.app.get("/api/v1/audit/verification", &dpo).expect(200);
    assert_eq!(v["holds"], true, "{v}");
    assert!(v["seals"].as_u64().unwrap() >= 1, "{v}");
    assert!(v["rows"].as_i64().unwrap() >= 1, "{v}");
    assert_eq!(v["problems"], serde_json::json!([]));
    assert_eq!(v["head"].as_str().unwrap().len(), 64, "{v}");
    // Only the DPO: the coordinator reads the log but does not verify it over HTTP.
    for token in [&w.coord, &w.admin, &w.social, &w.op1, &w.observer] {
        w.app.get("/api/v1/audit/verification", token).expect(403);
    }
    let pool = conn(&w);
    let mut c = pool.get().unwrap();
    drop_guards(&mut c);
    exec(
        &mut c,
        "UPDATE audit_events SET client_address = '10.0.0.9' WHERE seq = (SELECT MIN(seq) FROM audit_events)",
    )
    .unwrap();
    let v = w.app.get("/api/v1/audit/verification", &dpo).expect(200);
    assert_eq!(v["holds"], false, "{v}");
    assert!(v["problems"].to_string().contains("were changed"), "{v}");
    // Each verification is an event of the log.
    assert!(events(&w, &dpo, "action=verify").len() >= 2);
}
