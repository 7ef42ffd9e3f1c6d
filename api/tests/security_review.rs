//! The security review's findings on transport and sign-in (issue 14, part B), one test each,
//! tried as the attacker tried them: sign-in throttling that an attacker could turn against
//! the owner (M2), security headers (M3), `no-store` on every answer with personal data (M4),
//! slow request bodies (L8), the data folder's permissions (H2), the demo in production and
//! its shared hash (M6), common passwords (L7), and source maps and the demo password in the
//! log.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::world::World;
use common::{TempDir, TestApp, TestDb, PASSWORD};
use serde_json::{json, Value};

const OWNER: &str = "coordinatore@demo.test";

/// A sign-in attempt as it reaches us through the proxy that saw `address`.
fn sign_in(app: &TestApp, email: &str, password: &str, address: Option<&str>) -> common::Resp {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = address {
        headers.push(("X-Forwarded-For", a));
    }
    let body = json!({"email": email, "password": password}).to_string();
    app.raw("POST", "/api/v1/auth/login", &headers, body.as_bytes())
}

fn behind_our_proxy(c: &mut sistema_lavoro::config::Config) {
    c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
}

fn retry_after(r: &common::Resp) -> i64 {
    r.header("retry-after").unwrap().parse().unwrap()
}

/// Attack 1: ten wrong passwords from ten addresses. Today the right one is then refused
/// from anywhere for 15 minutes; now the account is only slowed: its owner, from a new
/// address, waits the two seconds it is told and signs in.
#[test]
fn m2_guesses_from_many_addresses_slow_the_account_but_never_lock_its_owner() {
    let app = TestApp::base_with(behind_our_proxy);
    for i in 0..10 {
        let r = sign_in(
            &app,
            OWNER,
            "Sbagliata-2026!",
            Some(&format!("198.51.100.{i}")),
        );
        assert_eq!(r.problem(401), "invalid_credentials");
    }
    // The next attempt waits a little (whoever makes it: the password is not even tried).
    let r = sign_in(&app, OWNER, PASSWORD, Some("203.0.113.50"));
    assert_eq!(r.status, 429, "{}", r.text);
    let wait = retry_after(&r);
    assert!((1..=2).contains(&wait), "a short wait, not a lock: {wait}");
    app.clock.advance(chrono::Duration::seconds(wait));
    let r = sign_in(&app, OWNER, PASSWORD, Some("203.0.113.50"));
    assert_eq!(r.status, 200, "the owner signs in: {}", r.text);
    // The owner's success started the account's count again; a guesser who keeps on is
    // slowed further at each failure, up to a minute between guesses.
    for j in 0..10 {
        sign_in(
            &app,
            OWNER,
            "Sbagliata-2026!",
            Some(&format!("192.0.2.{j}")),
        )
        .expect(401);
    }
    let mut waits = Vec::new();
    for i in 0..12 {
        let address = format!("198.51.100.{}", 20 + i);
        let r = sign_in(&app, OWNER, "Sbagliata-2026!", Some(&address));
        assert_eq!(r.status, 429, "{}", r.text);
        let wait = retry_after(&r);
        waits.push(wait);
        app.clock.advance(chrono::Duration::seconds(wait));
        sign_in(&app, OWNER, "Sbagliata-2026!", Some(&address)).expect(401);
    }
    assert_eq!(waits, [2, 4, 8, 16, 32, 60, 60, 60, 60, 60, 60, 60]);
    let r = sign_in(&app, OWNER, PASSWORD, Some("203.0.113.51"));
    assert_eq!(r.status, 429);
    assert_eq!(retry_after(&r), 60, "the wait grew to its cap");
}

/// Attack 2: ten failures with random e-mails from one address (a municipality's proxy).
/// Today everyone behind it is locked out; now its users sign in at once.
#[test]
fn m2_failures_on_many_accounts_from_one_address_do_not_block_its_users() {
    let app = TestApp::base();
    for i in 0..10 {
        sign_in(
            &app,
            &format!("nessuno{i}@example.org"),
            "Sbagliata-2026!",
            None,
        )
        .expect(401);
    }
    sign_in(&app, OWNER, PASSWORD, None).expect(200);
    sign_in(&app, "admin@demo.test", PASSWORD, None).expect(200);
}

/// `X-Forwarded-For` counts only from a configured proxy: a client talking to us directly
/// cannot pick a new address for each guess.
#[test]
fn m2_forwarded_for_is_believed_only_from_trusted_proxies() {
    let few = |c: &mut sistema_lavoro::config::Config| c.login_max_failures_per_address = 3;
    let direct = TestApp::base_with(few);
    for i in 0..3 {
        let r = sign_in(
            &direct,
            &format!("x{i}@example.org"),
            "Sbagliata-2026!",
            Some(&format!("198.51.100.{i}")),
        );
        r.expect(401);
    }
    let r = sign_in(
        &direct,
        "y@example.org",
        "Sbagliata-2026!",
        Some("198.51.100.99"),
    );
    assert_eq!(r.status, 429, "all counted on the connection's address");

    let proxied = TestApp::base_with(|c| {
        few(c);
        behind_our_proxy(c);
    });
    for i in 0..3 {
        let r = sign_in(
            &proxied,
            &format!("x{i}@example.org"),
            "Sbagliata-2026!",
            Some(&format!("198.51.100.{i}")),
        );
        r.expect(401);
    }
    let r = sign_in(
        &proxied,
        "y@example.org",
        "Sbagliata-2026!",
        Some("198.51.100.99"),
    );
    assert_eq!(r.status, 401, "a new client behind our proxy: {}", r.text);
}

/// The counters live in the database: a second instance slows the same account.
#[test]
fn m2_instances_share_the_counters() {
    let first = TestApp::base();
    let second = TestApp::start(TestDb::shared(&first.db), first.config.clone());
    for _ in 0..10 {
        sign_in(&first, OWNER, "Sbagliata-2026!", None).expect(401);
    }
    let r = sign_in(&second, OWNER, PASSWORD, None);
    assert_eq!(r.status, 429, "{}", r.text);
}

/// Anonymous traffic from one address does not use up sign-in, which has its own bucket.
#[test]
fn m2_sign_in_is_apart_from_the_anonymous_bucket() {
    let app = TestApp::base_with(|c| c.rate_limit_per_minute = 3);
    for _ in 0..3 {
        app.call("GET", "/api/v1/public/opportunities", None, None);
    }
    let r = app.call("GET", "/api/v1/public/opportunities", None, None);
    assert_eq!(r.status, 429, "the anonymous bucket is empty");
    sign_in(&app, OWNER, PASSWORD, None).expect(200);
}

const CSP_PARTS: &[&str] = &[
    "default-src 'self'",
    "script-src 'self';",
    "frame-ancestors 'none'",
    "object-src 'none'",
];

fn assert_security_headers(r: &common::Resp, what: &str) {
    let csp = r.header("content-security-policy").unwrap_or_default();
    for part in CSP_PARTS {
        assert!(csp.contains(part), "{what}: CSP {csp:?} lacks {part}");
    }
    assert!(!csp.contains("unsafe-eval"), "{what}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{what}");
    assert!(
        r.header("permissions-policy")
            .is_some_and(|p| p.contains("camera=()")),
        "{what}"
    );
}

/// A static folder as the build leaves it (with a source map an older build left behind).
fn site() -> TempDir {
    let dir = std::env::temp_dir().join(format!("sl-site-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><div id=\"root\"></div><script type=\"module\" src=\"/assets/index-Ab12.js\"></script>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/index-Ab12.js"), "console.log(1)").unwrap();
    std::fs::write(dir.join("assets/index-Ab12.js.map"), "{\"sources\":[]}").unwrap();
    TempDir(dir)
}

/// Every answer — the SPA, its assets, `/docs`, the API, its errors, the minutes — carries a
/// strict CSP and the other headers; the docs page runs no inline script and keeps no token.
#[test]
fn m3_every_answer_carries_the_security_headers() {
    let dir = site();
    let static_dir = dir.0.clone();
    let w = World::with(move |c| c.static_dir = static_dir);
    let meeting = w.open_meeting();
    w.close_meeting(&meeting);
    let token = w.coord.clone();
    for (path, auth) in [
        ("/".to_string(), false),
        ("/cases/abc".into(), false),
        ("/assets/index-Ab12.js".into(), false),
        ("/docs/".into(), false),
        ("/docs/swagger-initializer.js".into(), false),
        ("/api/v1/openapi.json".into(), false),
        ("/api/v1/me".into(), false),
        ("/api/v1/me".into(), true),
        ("/status".into(), false),
        (format!("/api/v1/meetings/{meeting}/minutes"), true),
        (
            format!("/api/v1/meetings/{meeting}/minutes?format=html"),
            true,
        ),
    ] {
        let r = w
            .app
            .call("GET", &path, auth.then_some(token.as_str()), None);
        assert!(r.status < 500, "{path}: {}", r.status);
        assert_security_headers(&r, &path);
    }
    // The docs page loads every script from a file.
    let page = w.app.call("GET", "/docs/", None, None);
    assert_eq!(page.status, 200);
    for tag in page.text.split("<script").skip(1) {
        let open = tag.split('>').next().unwrap_or_default();
        assert!(
            open.contains("src="),
            "inline script in /docs/: <script{open}>"
        );
    }
    let init = w
        .app
        .call("GET", "/docs/swagger-initializer.js", None, None);
    assert_eq!(init.status, 200);
    assert!(
        !init.text.contains("\"persistAuthorization\":true"),
        "the docs keep the token in localStorage: {}",
        init.text
    );
}

/// The minutes (Markdown, HTML, PDF) and every other answer that may carry personal data are
/// `no-store`, whatever their type; only the SPA's own files and the public lists are kept.
#[test]
fn m4_answers_with_personal_data_are_never_stored() {
    let dir = site();
    let static_dir = dir.0.clone();
    let w = World::with(move |c| c.static_dir = static_dir);
    let meeting = w.open_meeting();
    w.close_meeting(&meeting);
    for format in ["markdown", "html", "pdf"] {
        let r = w.app.get(
            &format!("/api/v1/meetings/{meeting}/minutes?format={format}"),
            &w.coord,
        );
        assert_eq!(r.status, 200, "{format}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{format}");
    }
    for path in ["/docs/", "/docs/swagger-initializer.js", "/api/v1/nothing"] {
        let r = w.app.call("GET", path, None, None);
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
    }
    // Files without personal data keep their caching.
    let r = w.app.call("GET", "/assets/index-Ab12.js", None, None);
    assert_eq!(
        r.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let r = w.app.call("GET", "/", None, None);
    assert_eq!(r.header("cache-control"), Some("no-cache"));
}

/// Source maps are not served, even when a build left one in the folder; the run command's
/// build makes none.
#[test]
fn source_maps_are_not_served_nor_built() {
    let dir = site();
    let static_dir = dir.0.clone();
    let app = TestApp::spawn_with(move |c| c.static_dir = static_dir);
    let r = app.call("GET", "/assets/index-Ab12.js.map", None, None);
    assert_eq!(r.status, 404);
    let vite = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/vite.config.ts"),
    )
    .unwrap();
    assert!(
        vite.contains("sourcemap: false"),
        "vite.config.ts builds source maps"
    );
}

/// A body trickled a byte at a time is cut off at the deadline: `408` and the connection
/// closed, before the body is complete.
#[test]
fn l8_a_body_trickled_slower_than_the_deadline_is_cut_off() {
    let app = TestApp::spawn_with(|c| c.request_timeout_secs = 1);
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut conn = TcpStream::connect(&addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = json!({"email": "a@example.org", "password": "x".repeat(200)}).to_string();
    write!(
        conn,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let mut writer = conn.try_clone().unwrap();
    let bytes = body.into_bytes();
    let trickle = std::thread::spawn(move || {
        // One byte every 100 ms: the whole body would take 20 s.
        for b in bytes {
            if writer.write_all(&[b]).is_err() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        true
    });
    let mut answer = Vec::new();
    let _ = conn.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).to_string();
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "expected a 408 and a closed connection: {answer:?}"
    );
    assert!(answer.contains("request_timeout"), "{answer}");
    drop(conn);
    let _ = trickle.join();
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The embedded database: a new folder is `0700`, the database and its `-wal` and `-shm`
/// `0600`; the files of an older install are tightened at start, and so is the data folder.
/// (A file-system property: checked on SQLite whatever `TEST_DATABASE` says.)
#[cfg(unix)]
#[test]
fn h2_the_data_folder_and_database_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let root =
        TempDir(std::env::temp_dir().join(format!("sl-h2-{}", uuid::Uuid::new_v4().simple())));
    let db = root.0.join("data").join("sistema-lavoro.db");
    let url = db.to_string_lossy().to_string();
    {
        let pool = sistema_lavoro::store::connect(&url, 2).unwrap();
        let mut conn = pool.get().unwrap();
        sistema_lavoro::demo::load_with(&mut conn, false).unwrap();
        assert_eq!(mode(&root.0.join("data")), 0o700);
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{url}{suffix}"));
            assert!(file.exists(), "{suffix}");
            assert_eq!(mode(&file), 0o600, "{suffix}");
        }
    }
    // An older install: readable by everyone.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let dir = root.0.join("data");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let _pool = sistema_lavoro::store::connect(&url, 1).unwrap();
    assert_eq!(mode(&db), 0o600);
    sistema_lavoro::app::config::secure_dir(&dir).unwrap();
    assert_eq!(mode(&dir), 0o700);
}

fn binary() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_sistema-lavoro"))
}

/// `APP_ENV=production` refuses `serve --demo` before touching the database.
#[test]
fn m6_production_refuses_the_demo() {
    let root =
        TempDir(std::env::temp_dir().join(format!("sl-m6-{}", uuid::Uuid::new_v4().simple())));
    let out = binary()
        .args(["serve", "--demo"])
        .env("APP_ENV", "production")
        .env("JWT_SECRET", "production-secret-production-secret-01")
        .env("SECRETS_KEY", "production-secrets-key-production-01")
        .env("DATA_DIR", &root.0)
        .env("DATABASE_URL", root.0.join("x.db"))
        .env("PORT", "0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--demo") && err.contains("APP_ENV=production"),
        "{err}"
    );
    assert!(!root.0.join("x.db").exists(), "no database was made");
}

/// Each demo user has a hash of its own (its own salt), and still signs in with the
/// published password.
#[test]
fn m6_each_demo_user_is_hashed_with_its_own_salt() {
    use diesel::prelude::*;
    use sistema_lavoro::store::schema::users;
    let app = TestApp::base();
    let pool = sistema_lavoro::store::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let hashes: Vec<String> = users::table
        .select(users::password_hash)
        .load(&mut conn)
        .unwrap();
    assert!(hashes.len() >= 10);
    let distinct: std::collections::HashSet<&String> = hashes.iter().collect();
    assert_eq!(distinct.len(), hashes.len(), "demo users share a hash");
    app.login(OWNER);
    app.login("admin@demo.test");
}

/// The log at start does not print the demo password (the README says it).
#[test]
fn the_demo_password_is_not_in_the_log() {
    let root =
        TempDir(std::env::temp_dir().join(format!("sl-log-{}", uuid::Uuid::new_v4().simple())));
    let mut child = binary()
        .args(["serve", "--demo"])
        .env("DATA_DIR", &root.0)
        .env("DATABASE_URL", root.0.join("x.db"))
        .env("PORT", "0")
        .env("WEBHOOK_WORKER", "off")
        .env("NOTIFICATION_WORKER", "off")
        .env("STATIC_DIR", root.0.join("no-spa"))
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut log = Vec::new();
    for line in std::io::BufReader::new(stderr).lines() {
        let line = line.unwrap_or_default();
        let serving = line.contains("Sistema Lavoro on http://");
        log.push(line);
        if serving {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let log = log.join("\n");
    assert!(log.contains("demo data loaded"), "{log}");
    assert!(!log.contains(PASSWORD), "{log}");
}

fn new_user(password: &str) -> Value {
    json!({"email": "nuovo@demo.test", "full_name": "Utente Nuovo", "password": password,
        "role": "coordinator"})
}

/// New passwords are checked against the common ones (and the demo's), ignoring case, and
/// may not hold control characters; the error names the field and the rule.
#[test]
fn l7_common_passwords_and_control_characters_are_refused() {
    let app = TestApp::base();
    let admin = app.login("admin@demo.test");
    let districts = app.get("/api/v1/districts", &admin).expect(200);
    let district = districts["items"][0]["id"].as_str().unwrap().to_string();
    for (pw, rule) in [
        ("Password12", "common_password"),
        ("Qwerty1234", "common_password"),
        ("Demo-2026!", "common_password"),
        ("DEMO-2026!", "common_password"),
        ("Password-2026!", "common_password"),
        // Refused where every body is checked, before the password's own rule.
        ("Sicura-2026!\u{0}", "control_character"),
        ("Sicura-\u{1b}2026!", "control_character"),
    ] {
        let mut body = new_user(pw);
        body["district_id"] = json!(district);
        let r = app.post("/api/v1/users", &admin, body).expect(422);
        assert_eq!(r["errors"][0]["field"], "password", "{pw:?}");
        assert_eq!(r["errors"][0]["code"], rule, "{pw:?}");
    }
    // A user setting the demo password on an existing account is refused too.
    let me = app.get("/api/v1/me", &app.login(OWNER)).expect(200);
    let id = me["id"].as_str().unwrap();
    let r = app.patch(
        &format!("/api/v1/users/{id}"),
        &admin,
        json!({"password": "demo-2026!"}),
    );
    assert_eq!(r.expect(422)["errors"][0]["code"], "common_password");
    let mut body = new_user("Sicura-2026!");
    body["district_id"] = json!(district);
    app.post("/api/v1/users", &admin, body).expect(201);
    app.login_full("nuovo@demo.test", "Sicura-2026!");
}
