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

#[test]
fn each_route_has_its_own_body_limit_and_says_so() {
    let w = World::new();
    let app = &w.app;
    // Sign-in takes credentials only: 8 KiB.
    let login = json!({"email": "x@demo.test", "password": "p".repeat(9 * 1024)});
    let big = app.call("POST", "/api/v1/auth/login", None, Some(&login));
    assert_eq!(big.content_type, "application/problem+json");
    assert_eq!(big.problem(413), "payload_too_large");
    // A person: 128 KiB. Unknown fields are ignored, so padding makes the size without changing
    // the meaning; the same body under the limit is created.
    let code = tax_code("Ghezzi", "Lia", "1980-05-05", 'F');
    let person = |pad: usize| {
        json!({"tax_code": code, "first_name": "Lia", "last_name": "Ghezzi",
               "birth_date": "1980-05-05", "gender": "F", "padding": "x".repeat(pad)})
    };
    assert_eq!(
        app.post("/api/v1/persons", &w.social, person(130 * 1024))
            .problem(413),
        "payload_too_large"
    );
    // With an Idempotency-Key the body is read by the replay layer first: same limit.
    assert_eq!(
        app.with_headers(
            "POST",
            "/api/v1/persons",
            &w.social,
            &[("Idempotency-Key", "big-lia")],
            Some(&person(130 * 1024)),
        )
        .problem(413),
        "payload_too_large"
    );
    app.post("/api/v1/persons", &w.social, person(100 * 1024))
        .expect(201);
    // Meetings take more (100 participants, decisions with reasons): 256 KiB.
    let meeting = json!({"scheduled_for": "2027-01-15", "participants": ["Ufficio di Piano"],
                         "padding": "x".repeat(200 * 1024)});
    app.post("/api/v1/meetings", &w.coord, meeting).expect(201);
    // openapi.yaml states each operation's limit.
    let doc = sistema_lavoro::http::openapi_value();
    let limit = |path: &str| {
        doc["paths"][path]["post"]["responses"]["413"]["description"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(limit("/api/v1/auth/login").ends_with("limit of 8 KiB"));
    assert!(limit("/api/v1/persons").ends_with("limit of 128 KiB"));
    assert!(limit("/api/v1/meetings").ends_with("limit of 256 KiB"));
}

/// The claim the replay layer records for a key, as another instance would have left it.
fn claim(
    app: &TestApp,
    caller: &str,
    key: &str,
    path: &str,
    body: &serde_json::Value,
    age_secs: i64,
) {
    use diesel::prelude::*;
    use sha2::Digest;
    use sistema_lavoro::store::schema::idempotency_keys as k;
    let bytes = serde_json::to_vec(body).unwrap();
    let hash = hex::encode(sha2::Sha256::digest(
        [path.as_bytes(), b"\n", &bytes].concat(),
    ));
    let pool = sistema_lavoro::store::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let at = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(age_secs);
    diesel::insert_into(k::table)
        .values((
            k::caller.eq(caller),
            k::idem_key.eq(key),
            k::request_hash.eq(hash),
            k::state.eq("running"),
            k::created_at.eq(at),
        ))
        .execute(&mut *conn)
        .unwrap();
}

#[test]
fn a_duplicate_while_the_first_is_running_is_409_and_an_abandoned_claim_is_taken_over() {
    let w = World::new();
    let app = &w.app;
    let me = s(&app.get("/api/v1/me", &w.social).expect(200)["id"]);
    let code = tax_code("Pirola", "Nives", "1966-06-06", 'F');
    let body = json!({"tax_code": code, "first_name": "Nives", "last_name": "Pirola", "birth_date": "1966-06-06", "gender": "F"});
    // The first request with this key is still running (on this or another instance).
    claim(app, &me, "nives-1", "/api/v1/persons", &body, 1);
    let dup = app.with_headers(
        "POST",
        "/api/v1/persons",
        &w.social,
        &[("Idempotency-Key", "nives-1")],
        Some(&body),
    );
    assert_eq!(dup.problem(409), "idempotency_in_progress");
    let found = app.get(&format!("/api/v1/persons?tax_code={code}"), &w.social);
    assert!(found.expect(200)["items"].as_array().unwrap().is_empty());
    // A claim older than any request can run belongs to a process that died: the retry runs.
    claim(app, &me, "nives-2", "/api/v1/persons", &body, 600);
    let retried = app.with_headers(
        "POST",
        "/api/v1/persons",
        &w.social,
        &[("Idempotency-Key", "nives-2")],
        Some(&body),
    );
    let id = s(&retried.expect(201)["id"]);
    let again = app.with_headers(
        "POST",
        "/api/v1/persons",
        &w.social,
        &[("Idempotency-Key", "nives-2")],
        Some(&body),
    );
    assert_eq!(again.header("idempotency-replayed"), Some("true"));
    assert_eq!(s(&again.expect(201)["id"]), id);
}

#[test]
fn simultaneous_retries_with_one_key_create_one_record() {
    let w = World::new();
    let app = &w.app;
    let code = tax_code("Sala", "Ines", "1990-09-09", 'F');
    let body = json!({"tax_code": code, "first_name": "Ines", "last_name": "Sala", "birth_date": "1990-09-09", "gender": "F"});
    let barrier = std::sync::Barrier::new(6);
    let results: Vec<(u16, Option<String>, serde_json::Value)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    let r = app.with_headers(
                        "POST",
                        "/api/v1/persons",
                        &w.social,
                        &[("Idempotency-Key", "ines-once")],
                        Some(&body),
                    );
                    (
                        r.status,
                        r.header("idempotency-replayed").map(String::from),
                        r.json(),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let created: Vec<_> = results
        .iter()
        .filter(|(st, replayed, _)| *st == 201 && replayed.is_none())
        .collect();
    assert_eq!(created.len(), 1, "{results:?}");
    for (status, _, body) in &results {
        match status {
            201 => assert_eq!(body["id"], created[0].2["id"]),
            409 => assert_eq!(body["code"], "idempotency_in_progress"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let found = app.get(&format!("/api/v1/persons?tax_code={code}"), &w.social);
    assert_eq!(found.expect(200)["items"].as_array().unwrap().len(), 1);
}

#[test]
fn head_answers_as_get_would_without_the_body() {
    let w = World::new();
    let app = &w.app;
    let p = w.person(&w.social, "Fumagalli", "Rita", "1970-07-07", 'F');
    let path = format!("/api/v1/persons/{p}");
    let read = app.get(&path, &w.social);
    let auth = format!("Bearer {}", w.social);
    let head = app.raw("HEAD", &path, &[("Authorization", auth.as_str())], b"");
    assert_eq!(head.status, 200);
    assert_eq!(head.text, "");
    assert_eq!(head.header("etag"), read.header("etag"));
    assert_eq!(head.header("content-type"), read.header("content-type"));
    assert_eq!(
        head.header("content-length"),
        Some(read.text.len().to_string().as_str())
    );
    // The same authorization as GET: a stranger's HEAD is a 404, an anonymous one a 401.
    let other = format!("Bearer {}", w.op2);
    assert_eq!(
        app.raw("HEAD", &path, &[("Authorization", other.as_str())], b"")
            .status,
        404
    );
    assert_eq!(app.raw("HEAD", &path, &[], b"").status, 401);
    assert_eq!(app.raw("HEAD", "/api/v1/health", &[], b"").status, 200);
}
