//! `sistema-lavoro backup --to FILE` while the server writes, `restore --from FILE` into an
//! empty database, and a server on the restored copy that finds every acknowledged write,
//! documents included. SQLite; on PostgreSQL the commands point to pg_dump/pg_restore.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::world::{s, tax_code, World};
use common::{use_postgres, TempDir, TestApp, TestDb};
use serde_json::{json, Value};
use sistema_lavoro::config::Config;

fn command(args: &[&str], database_url: &str) -> Output {
    let data_dir = std::env::temp_dir().join(format!("sl-ops-{}", uuid::Uuid::new_v4()));
    let out = Command::new(env!("CARGO_BIN_EXE_sistema-lavoro"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("DATA_DIR", &data_dir)
        .env_remove("APP_ENV")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);
    out
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn born(i: usize) -> String {
    (chrono::NaiveDate::from_ymd_opt(1961, 1, 1).unwrap() + chrono::Days::new(i as u64 * 3))
        .format("%Y-%m-%d")
        .to_string()
}

fn person_body(i: usize) -> Value {
    let born = born(i);
    json!({
        "tax_code": tax_code("Copia", "Marta", &born, 'F'), "first_name": "Marta",
        "last_name": "Copia", "birth_date": born, "gender": "F",
        "residence_municipality_code": "016024",
        "has_disability": true, "disability_notes": format!("nota {i}")
    })
}

/// Waits until the writer has done `n` writes; a writer that died fails the test.
fn wait_for(done: &AtomicUsize, n: usize, thread: &std::thread::JoinHandle<()>) {
    while done.load(Ordering::SeqCst) < n {
        assert!(
            !thread.is_finished(),
            "the writer stopped: see its panic above"
        );
        std::thread::yield_now();
    }
}

const BOUNDARY: &str = "----sl-backup-boundary-41xq";

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n".to_vec()
}

fn upload(app: &TestApp, token: &str, referral: &str, data: &[u8]) -> Value {
    let mut b = Vec::new();
    write!(
        b,
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"referral_id\"\r\n\r\n{referral}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"relazione.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .unwrap();
    b.extend_from_slice(data);
    write!(b, "\r\n--{BOUNDARY}--\r\n").unwrap();
    let auth = format!("Bearer {token}");
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    app.raw(
        "POST",
        "/api/v1/documents",
        &[("Authorization", &auth), ("Content-Type", &ct)],
        &b,
    )
    .expect(201)
}

fn download(app: &TestApp, token: &str, id: &str) -> Vec<u8> {
    let r = ureq::get(&app.url(&format!("/api/v1/documents/{id}")))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
    bytes
}

/// The story an operator follows: a backup taken while people work, restored on a new
/// machine, serves everything that was acknowledged before the backup began.
#[test]
fn a_backup_taken_under_write_load_restores_every_acknowledged_write() {
    if use_postgres() {
        return;
    }
    let w = World::with(|c| c.webhook_worker = false);
    let app = &w.app;
    let (referral, _) = w.draft("Allegato");
    let doc = upload(app, &w.social, &referral, &pdf());
    let doc_id = s(&doc["id"]);

    // A writer registers persons through HTTP and keeps what was acknowledged, and whether
    // the acknowledgement came before the backup was started.
    let started = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(AtomicUsize::new(0));
    let written: Arc<Mutex<Vec<(usize, String, bool)>>> = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let (base, token) = (app.base.clone(), w.social.clone());
        let (started, stop, acked, written) = (
            started.clone(),
            stop.clone(),
            acked.clone(),
            written.clone(),
        );
        std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let r = ureq::post(&format!("{base}/api/v1/persons"))
                    .set("Authorization", &format!("Bearer {token}"))
                    .send_json(person_body(i))
                    .unwrap();
                assert_eq!(r.status(), 201);
                let p: Value = r.into_json().unwrap();
                // Read after the answer: false means acknowledged before the backup began.
                let after_start = started.load(Ordering::SeqCst);
                written.lock().unwrap().push((i, s(&p["id"]), after_start));
                acked.fetch_add(1, Ordering::SeqCst);
                i += 1;
            }
        })
    };
    wait_for(&acked, 20, &writer);
    let dir = TempDir(std::env::temp_dir().join(format!("sl-backup-{}", uuid::Uuid::new_v4())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let file = dir.0.join("sistema-lavoro.backup");
    let file_text = file.to_string_lossy().into_owned();
    started.store(true, Ordering::SeqCst);
    let out = command(&["backup", "--to", &file_text], &app.db.url);
    let at_end = acked.load(Ordering::SeqCst);
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        said(&out).contains("1 document(s) included"),
        "{}",
        said(&out)
    );
    wait_for(&acked, at_end + 10, &writer);
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "only the owner reads a backup");
    }
    // A backup never overwrites a file.
    let len = std::fs::metadata(&file).unwrap().len();
    let again = command(&["backup", "--to", &file_text], &app.db.url);
    assert!(!again.status.success());
    assert!(said(&again).contains("already exists"), "{}", said(&again));
    assert_eq!(std::fs::metadata(&file).unwrap().len(), len);

    // Restore on a new machine: an empty database.
    let restored = TestDb::sqlite();
    let out = command(&["restore", "--from", &file_text], &restored.url);
    assert!(out.status.success(), "{}", said(&out));
    // Restoring into a database that holds data is refused, and changes nothing.
    let twice = command(&["restore", "--from", &file_text], &restored.url);
    assert!(!twice.status.success());
    assert!(said(&twice).contains("not empty"), "{}", said(&twice));
    let not_a_backup = dir.0.join("nonsense");
    std::fs::write(&not_a_backup, b"not a database").unwrap();
    let fresh = TestDb::sqlite();
    let bad = command(
        &["restore", "--from", &not_a_backup.to_string_lossy()],
        &fresh.url,
    );
    assert!(!bad.status.success(), "{}", said(&bad));
    assert!(!std::path::Path::new(&fresh.url).exists());

    let config = Config::for_database(&restored.url);
    let back = TestApp::start(restored, config);
    let social = back.login("assistente.sociale@demo.test");
    let written = written.lock().unwrap();
    let before: Vec<_> = written.iter().filter(|(_, _, after)| !after).collect();
    assert!(before.len() >= 20);
    for (i, id, _) in &before {
        let p = back
            .get(&format!("/api/v1/persons/{id}"), &social)
            .expect(200);
        assert_eq!(
            p["birth_date"],
            born(*i),
            "acknowledged before the backup: {id}"
        );
        assert_eq!(
            p["sensitive"]["disability_notes"],
            format!("nota {i}"),
            "sealed notes come back"
        );
    }
    // The rest: each write is wholly there or wholly absent, and those present are the
    // earliest ones (the copy is the database as of one commit).
    let mut present = Vec::new();
    for (i, id, _) in written.iter().filter(|(_, _, after)| *after) {
        let r = back.get(&format!("/api/v1/persons/{id}"), &social);
        match r.status {
            200 => {
                assert_eq!(r.json()["birth_date"], born(*i));
                present.push(*i);
            }
            404 => {}
            other => panic!("{other}: {}", r.text),
        }
    }
    let first_after = before.len();
    assert_eq!(
        present,
        (first_after..first_after + present.len()).collect::<Vec<_>>()
    );
    assert_eq!(
        download(&back, &social, &doc_id),
        pdf(),
        "documents are in the backup"
    );
    let referral = back
        .get(&format!("/api/v1/referrals/{referral}"), &social)
        .expect(200);
    assert_eq!(referral["status"], "draft");
    // The audit log came with it, and its chain verifies on the copy (the command seals what the
    // copy holds unsealed, then checks every seal).
    let out = command(&["verify-audit"], &back.db.url);
    assert!(
        out.status.success(),
        "verify-audit on the restored copy: {}",
        said(&out)
    );
    let pool = sistema_lavoro::store::connect(&back.db.url, 1).unwrap();
    let v = sistema_lavoro::app::audit::verify(&mut pool.get().unwrap()).unwrap();
    assert!(v.holds() && v.seals >= 1 && v.rows > 0, "{v:?}");
}

#[test]
fn backup_on_postgres_points_to_pg_dump() {
    if !use_postgres() {
        return;
    }
    let app = TestApp::spawn();
    let file = std::env::temp_dir().join(format!("sl-pg-backup-{}", uuid::Uuid::new_v4()));
    let out = command(&["backup", "--to", &file.to_string_lossy()], &app.db.url);
    assert!(!out.status.success());
    assert!(said(&out).contains("pg_dump"), "{}", said(&out));
    assert!(!file.exists());
    let out = command(&["restore", "--from", "/dev/null"], &app.db.url);
    assert!(!out.status.success());
    assert!(said(&out).contains("pg_restore"), "{}", said(&out));
}
