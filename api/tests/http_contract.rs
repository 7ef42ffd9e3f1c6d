//! What integrators rely on beyond the payloads: versions (ETag / If-Match), safe retries
//! (Idempotency-Key), pagination links, and limits.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, tax_code, World};
use common::TestApp;
use serde_json::json;

#[test]
fn edits_need_the_current_etag_and_stale_ones_are_refused() {
    let w = World::new();
    let app = &w.app;
    let p = w.person(&w.social, "Fumagalli", "Rita", "1970-07-07", 'F');
    let path = format!("/api/v1/persons/{p}");
    let read = app.get(&path, &w.social);
    let etag = read.header("etag").unwrap().to_string();
    assert!(etag.starts_with('"'));
    // Personal data is never cached.
    assert_eq!(read.header("cache-control"), Some("no-store"));
    // No If-Match: 428. Stale: 412 with the current ETag. Current: 200 and a new ETag.
    let body = json!({"phone": "035 111111"});
    assert_eq!(
        app.with_headers("PATCH", &path, &w.social, &[], Some(&body))
            .problem(428),
        "precondition_required"
    );
    let ok = app.with_headers(
        "PATCH",
        &path,
        &w.social,
        &[("If-Match", &etag)],
        Some(&body),
    );
    let new_etag = ok.header("etag").unwrap().to_string();
    assert_eq!(ok.expect(200)["phone"], "035 111111");
    assert_ne!(new_etag, etag);
    let stale = app.with_headers(
        "PATCH",
        &path,
        &w.social,
        &[("If-Match", &etag)],
        Some(&json!({"phone": "035 222222"})),
    );
    assert_eq!(stale.header("etag"), Some(new_etag.as_str()));
    assert_eq!(stale.problem(412), "precondition_failed");
    assert_eq!(
        app.get(&path, &w.social).expect(200)["phone"],
        "035 111111",
        "the stale edit changed nothing"
    );
    // Actions take If-Match optionally.
    let (r, _) = w.draft("Brivio");
    let rpath = format!("/api/v1/referrals/{r}");
    let old = app
        .get(&rpath, &w.social)
        .header("etag")
        .unwrap()
        .to_string();
    app.patch(&rpath, &w.social, json!({"urgency": "high"}))
        .expect(200);
    let stale = app.with_headers(
        "POST",
        &format!("{rpath}/submit"),
        &w.social,
        &[("If-Match", &old)],
        None,
    );
    assert_eq!(stale.problem(412), "precondition_failed");
    let current = app
        .get(&rpath, &w.social)
        .header("etag")
        .unwrap()
        .to_string();
    app.with_headers(
        "POST",
        &format!("{rpath}/submit"),
        &w.social,
        &[("If-Match", &current)],
        None,
    )
    .expect(200);
    // A hidden record answers 404 whatever the headers say.
    app.with_headers("PATCH", &path, &w.pass, &[], Some(&body))
        .problem(404);
}

#[test]
fn a_retried_post_with_the_same_idempotency_key_creates_nothing_twice() {
    let w = World::new();
    let app = &w.app;
    let code = tax_code("Cattaneo", "Ugo", "1977-01-01", 'M');
    let body = json!({"tax_code": code, "first_name": "Ugo", "last_name": "Cattaneo", "birth_date": "1977-01-01", "gender": "M"});
    let key = [("Idempotency-Key", "crea-ugo-1")];
    let first = app.with_headers("POST", "/api/v1/persons", &w.social, &key, Some(&body));
    let location = first.header("location").unwrap().to_string();
    let first = first.expect(201);
    let replay = app.with_headers("POST", "/api/v1/persons", &w.social, &key, Some(&body));
    assert_eq!(replay.header("idempotency-replayed"), Some("true"));
    assert_eq!(replay.header("location"), Some(location.as_str()));
    assert_eq!(replay.expect(201)["id"], first["id"]);
    let other = json!({"tax_code": code, "first_name": "Ugo", "last_name": "Cattaneo", "birth_date": "1977-01-02", "gender": "M"});
    let reused = app.with_headers("POST", "/api/v1/persons", &w.social, &key, Some(&other));
    assert_eq!(reused.problem(422), "idempotency_key_reused");
    // Keys belong to their caller: another user's same key is a new request (here, a duplicate person).
    let theirs = app.with_headers("POST", "/api/v1/persons", &w.cpi, &key, Some(&body));
    assert_eq!(theirs.problem(409), "duplicate");
    // Actions too: submitting twice with one key answers the first result twice.
    let (r, _) = w.draft("Motta");
    let k2 = [("Idempotency-Key", "submit-motta")];
    let a = app
        .with_headers(
            "POST",
            &format!("/api/v1/referrals/{r}/submit"),
            &w.social,
            &k2,
            None,
        )
        .expect(200);
    let b = app
        .with_headers(
            "POST",
            &format!("/api/v1/referrals/{r}/submit"),
            &w.social,
            &k2,
            None,
        )
        .expect(200);
    assert_eq!(a["status"], b["status"]);
    let bad = app.with_headers(
        "POST",
        "/api/v1/persons",
        &w.social,
        &[("Idempotency-Key", "")],
        Some(&body),
    );
    assert_eq!(bad.problem(400), "bad_parameter");
}

#[test]
fn lists_link_to_their_next_page() {
    let w = World::new();
    let app = &w.app;
    for name in ["Alberti", "Bonomi", "Carrara"] {
        w.person(&w.social, name, "Eva", "1991-01-01", 'F');
    }
    let page = app.get("/api/v1/persons?limit=2&q=", &w.coord);
    let link = page.header("link").unwrap().to_string();
    let next = s(&page.expect(200)["next"]);
    assert_eq!(
        link,
        format!("</api/v1/persons?limit=2&q=&after={next}>; rel=\"next\"")
    );
    let target = link
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap()
        .to_string();
    let second = app.get(&target, &w.coord);
    assert!(
        second.header("link").is_none(),
        "the last page has no next link"
    );
    assert_eq!(second.expect(200)["items"].as_array().unwrap().len(), 1);
}

#[test]
fn too_many_requests_get_429_with_retry_after() {
    let app = TestApp::spawn_with(|c| c.rate_limit_per_minute = 3);
    let pool = sistema_lavoro::store::connect(&app.db.url, 1).unwrap();
    sistema_lavoro::demo::load_with(&mut pool.get().unwrap(), false).unwrap();
    let token = app.login("pass@demo.test");
    let mut statuses = Vec::new();
    let mut retry = None;
    for _ in 0..5 {
        let r = app.get("/api/v1/me", &token);
        if r.status == 429 {
            retry = r.header("retry-after").map(String::from);
            assert_eq!(r.problem(429), "rate_limited");
        } else {
            statuses.push(r.status);
        }
    }
    assert!(statuses.len() <= 3, "{statuses:?}");
    assert!(retry.unwrap().parse::<u64>().unwrap() >= 1);
    // Health stays reachable for monitoring.
    app.call("GET", "/api/v1/health", None, None).expect(200);
}

#[test]
fn repeated_failed_sign_ins_are_throttled() {
    let app = TestApp::spawn_with(|c| c.login_max_failures = 3);
    let pool = sistema_lavoro::store::connect(&app.db.url, 1).unwrap();
    sistema_lavoro::demo::load_with(&mut pool.get().unwrap(), false).unwrap();
    for _ in 0..3 {
        let r = app.call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&json!({"email": "cpi@demo.test", "password": "sbagliata"})),
        );
        assert_eq!(r.problem(401), "invalid_credentials");
    }
    let blocked = app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "cpi@demo.test", "password": common::PASSWORD})),
    );
    assert!(blocked.header("retry-after").is_some());
    assert_eq!(blocked.problem(429), "rate_limited");
}
