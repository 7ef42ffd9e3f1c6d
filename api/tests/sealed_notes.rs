//! Special-category notes (disability, area penale) sealed at rest under `SECRETS_KEY`, opened
//! only for those who see special categories; `rotate-secrets-key` moves every sealed value
//! to a new key while the server keeps writing and reading. Both backends.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::world::{s, tax_code, World};
use common::TestApp;
use diesel::prelude::*;
use serde_json::{json, Value};
use sistema_lavoro::app::sealed;
use sistema_lavoro::config::Config;
use sistema_lavoro::security::SecretBox;
use sistema_lavoro::store::schema::{persons, webhook_subscriptions};

const NEW_KEY: &str = "a-new-secrets-key-for-the-rotation-test-0002";

/// The key of a `SECRETS_KEY` text, as the configuration derives it.
fn key(text: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).into()
}

/// The notes as the row holds them.
fn stored_notes(url: &str, id: &str) -> (Option<String>, Option<String>) {
    let pool = sistema_lavoro::store::connect(url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    persons::table
        .find(id)
        .select((persons::disability_notes, persons::criminal_justice_notes))
        .first(&mut *conn)
        .unwrap()
}

fn person_body(last: &str, born: &str, notes: (&str, &str)) -> Value {
    json!({
        "tax_code": tax_code(last, "Luca", born, 'M'), "first_name": "Luca", "last_name": last,
        "birth_date": born, "gender": "M", "residence_municipality_code": "016024",
        "has_disability": true, "disability_notes": notes.0,
        "criminal_justice": true, "criminal_justice_notes": notes.1
    })
}

/// A birth date per index, so each test person has a tax code of their own.
fn born(i: usize) -> String {
    (chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap() + chrono::Days::new(i as u64 * 3))
        .format("%Y-%m-%d")
        .to_string()
}

fn notes_of(person: &Value) -> (String, String) {
    (
        s(&person["sensitive"]["disability_notes"]),
        s(&person["sensitive"]["criminal_justice_notes"]),
    )
}

#[test]
fn special_category_notes_are_sealed_at_rest_and_opened_only_for_those_who_see_them() {
    let w = World::new();
    let app = &w.app;
    let p = app
        .post(
            "/api/v1/persons",
            &w.social,
            person_body(
                "Sigillo",
                "1980-03-04",
                ("invalidità 75%", "messa alla prova"),
            ),
        )
        .expect(201);
    let id = s(&p["id"]);
    assert_eq!(
        notes_of(&p),
        ("invalidità 75%".into(), "messa alla prova".into())
    );
    let (d, c) = stored_notes(&app.db.url, &id);
    for stored in [d.as_deref().unwrap(), c.as_deref().unwrap()] {
        assert!(stored.starts_with("v2:"), "stored sealed: {stored}");
        assert!(!stored.contains("invalidit") && !stored.contains("prova"));
    }
    // The registering organization reads them; an agency not following the person does not.
    let read = app
        .get(&format!("/api/v1/persons/{id}"), &w.social)
        .expect(200);
    assert_eq!(notes_of(&read).0, "invalidità 75%");
    let found = app
        .get(
            &format!("/api/v1/persons?tax_code={}", s(&p["tax_code"])),
            &w.pass,
        )
        .expect(200);
    assert!(found["items"][0]["sensitive"].is_null(), "{found}");
    // An edit reads back in clear and is stored sealed again; a change of another field
    // leaves the notes as they were.
    let edited = app
        .patch(
            &format!("/api/v1/persons/{id}"),
            &w.social,
            json!({"disability_notes": "invalidità 80%"}),
        )
        .expect(200);
    assert_eq!(notes_of(&edited).0, "invalidità 80%");
    let edited = app
        .patch(
            &format!("/api/v1/persons/{id}"),
            &w.social,
            json!({"phone": "035 123456"}),
        )
        .expect(200);
    assert_eq!(
        notes_of(&edited),
        ("invalidità 80%".into(), "messa alla prova".into())
    );
    let (d, _) = stored_notes(&app.db.url, &id);
    assert!(d.as_deref().unwrap().starts_with("v2:"));
    assert!(!d.unwrap().contains("80%"));
    // Notes an older version stored in clear read as they are, and are sealed at start.
    {
        let pool = sistema_lavoro::store::connect(&app.db.url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        diesel::update(persons::table.find(&id))
            .set(persons::disability_notes.eq("scritta in chiaro"))
            .execute(&mut *conn)
            .unwrap();
        let read = app
            .get(&format!("/api/v1/persons/{id}"), &w.social)
            .expect(200);
        assert_eq!(notes_of(&read).0, "scritta in chiaro");
        let keys = SecretBox::from_config(&app.config);
        let n = sealed::seal_clear(&mut conn, &keys).unwrap();
        assert_eq!(n.person_notes, 1);
        assert_eq!(
            sealed::seal_clear(&mut conn, &keys).unwrap().person_notes,
            0
        );
    }
    let (d, _) = stored_notes(&app.db.url, &id);
    assert!(d.unwrap().starts_with("v2:"));
    let read = app
        .get(&format!("/api/v1/persons/{id}"), &w.social)
        .expect(200);
    assert_eq!(notes_of(&read).0, "scritta in chiaro");
}

/// A client for the load thread (TestApp stays on the test's thread).
/// Waits until the load thread has done `n` operations; a thread that died fails the test.
fn wait_for(done: &AtomicUsize, n: usize, thread: &std::thread::JoinHandle<()>) {
    while done.load(Ordering::SeqCst) < n {
        assert!(
            !thread.is_finished(),
            "the load thread stopped: see its panic above"
        );
        std::thread::yield_now();
    }
}

fn call(base: &str, method: &str, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
    let req = ureq::request(method, &format!("{base}{path}"))
        .set("Authorization", &format!("Bearer {token}"));
    let resp = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    match resp {
        Ok(r) => (r.status(), r.into_json().unwrap_or(Value::Null)),
        Err(ureq::Error::Status(code, r)) => (code, r.into_json().unwrap_or(Value::Null)),
        Err(e) => panic!("{e}"),
    }
}

fn run_rotation(url: &str) -> std::process::Output {
    let data_dir = std::env::temp_dir().join(format!("sl-rotate-{}", uuid::Uuid::new_v4()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sistema-lavoro"))
        .arg("rotate-secrets-key")
        .env("DATABASE_URL", url)
        .env("DATA_DIR", &data_dir)
        .env("JWT_SECRET", "jwt-secret-of-the-rotation-test-000000001")
        .env("SECRETS_KEY", NEW_KEY)
        .env("SECRETS_KEY_PREVIOUS", Config::TEST_SECRETS_KEY)
        .env_remove("APP_ENV")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);
    out
}

/// The rotation procedure of the README, under load: the server runs with the new key and
/// the previous one while `rotate-secrets-key` re-seals; a thread keeps registering, editing
/// and reading persons with notes all along, and every read is right. Afterwards a server
/// with the new key only reads every note and signing secret.
#[test]
fn rotating_the_key_under_load_keeps_every_note_readable_with_the_new_key_only() {
    let w = World::with(|c| c.webhook_worker = false);
    let before = 160;
    let mut expected: HashMap<String, (String, String)> = HashMap::new();
    for i in 0..before {
        let notes = (format!("disabilità {i}"), format!("area penale {i}"));
        let p = w
            .app
            .post(
                "/api/v1/persons",
                &w.social,
                person_body("Ruota", &born(i), (&notes.0, &notes.1)),
            )
            .expect(201);
        expected.insert(s(&p["id"]), notes);
    }
    let sub = w
        .app
        .post(
            "/api/v1/webhooks",
            &w.coord,
            json!({"url": "http://127.0.0.1:9/hook", "event_types": ["referral.submitted"]}),
        )
        .expect(201);
    let secret = s(&sub["secret"]);

    // Step 1 of the procedure: serve with the new key, the old one as SECRETS_KEY_PREVIOUS.
    let mut both = Config::for_database(&w.app.db.url);
    both.webhook_worker = false;
    both.secrets_key = key(NEW_KEY);
    both.secrets_key_previous = Some(key(Config::TEST_SECRETS_KEY));
    let serving = TestApp::start(w.app.db.alias(), both.clone());

    let expected = Arc::new(Mutex::new(expected));
    let stop = Arc::new(AtomicBool::new(false));
    let ops = Arc::new(AtomicUsize::new(0));
    let load = {
        let (base, token) = (serving.base.clone(), w.social.clone());
        let (expected, stop, ops) = (expected.clone(), stop.clone(), ops.clone());
        std::thread::spawn(move || {
            let mut i = before;
            while !stop.load(Ordering::SeqCst) {
                let notes = (format!("nuova {i}"), format!("programma {i}"));
                let (st, p) = call(
                    &base,
                    "POST",
                    "/api/v1/persons",
                    &token,
                    Some(person_body("Ruota", &born(i), (&notes.0, &notes.1))),
                );
                assert_eq!(st, 201, "{p}");
                assert_eq!(notes_of(&p), notes);
                let created = s(&p["id"]);
                // Read back one written before the rotation and edit another.
                let old: Vec<(String, (String, String))> = {
                    let e = expected.lock().unwrap();
                    let mut v: Vec<_> = e.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    v.sort();
                    vec![v[i % v.len()].clone(), v[(i * 7 + 3) % v.len()].clone()]
                };
                let (st, read) = call(
                    &base,
                    "GET",
                    &format!("/api/v1/persons/{}", old[0].0),
                    &token,
                    None,
                );
                assert_eq!(st, 200, "{read}");
                assert_eq!(notes_of(&read), old[0].1, "read during the rotation");
                let path = format!("/api/v1/persons/{}", old[1].0);
                let etag = ureq::get(&format!("{base}{path}"))
                    .set("Authorization", &format!("Bearer {token}"))
                    .call()
                    .unwrap()
                    .header("etag")
                    .unwrap()
                    .to_string();
                let edited_note = format!("{} (rivista {i})", old[1].1 .0);
                let r = ureq::request("PATCH", &format!("{base}{path}"))
                    .set("Authorization", &format!("Bearer {token}"))
                    .set("If-Match", &etag)
                    .send_json(json!({"disability_notes": edited_note}));
                let edited: Value = match r {
                    Ok(r) => r.into_json().unwrap(),
                    Err(e) => panic!("edit during the rotation: {e}"),
                };
                assert_eq!(notes_of(&edited).0, edited_note);
                {
                    let mut e = expected.lock().unwrap();
                    e.insert(created, notes);
                    e.insert(old[1].0.clone(), (edited_note, old[1].1 .1.clone()));
                }
                ops.fetch_add(1, Ordering::SeqCst);
                i += 1;
            }
        })
    };
    wait_for(&ops, 5, &load);
    // Step 2: the command, while the load goes on.
    let out = run_rotation(&w.app.db.url);
    let during = ops.load(Ordering::SeqCst);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("now under key"));
    wait_for(&ops, during + 5, &load);
    stop.store(true, Ordering::SeqCst);
    load.join().unwrap();
    drop(serving);

    // Step 3: the new key only. Nothing is left under the old one, and everything reads.
    let mut new_only = both;
    new_only.secrets_key_previous = None;
    let keys = SecretBox::from_config(&new_only);
    {
        let pool = sistema_lavoro::store::connect(&w.app.db.url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        assert_eq!(sealed::not_current(&mut conn, &keys).unwrap().total(), 0);
        let stored: String = webhook_subscriptions::table
            .find(s(&sub["id"]))
            .select(webhook_subscriptions::secret)
            .first(&mut *conn)
            .unwrap();
        assert_eq!(keys.open(&stored).unwrap(), secret);
        assert!(SecretBox::new(&key(Config::TEST_SECRETS_KEY))
            .open(&stored)
            .is_err());
    }
    let after = TestApp::start(w.app.db.alias(), new_only);
    let expected = expected.lock().unwrap();
    assert!(expected.len() > before);
    for (id, notes) in expected.iter() {
        let read = after
            .get(&format!("/api/v1/persons/{id}"), &w.social)
            .expect(200);
        assert_eq!(&notes_of(&read), notes, "{id} after the rotation");
    }
    // Run again, it has nothing left to do.
    let again = run_rotation(&w.app.db.url);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("(0 webhook signing secret(s) and 0"));
}
