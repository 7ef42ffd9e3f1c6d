//! The foundation as its users meet it: sign-in, tokens, errors, documentation, admin.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Resp, TestApp};
use serde_json::json;

#[test]
fn demo_users_sign_in_and_see_who_they_are() {
    let app = TestApp::demo();
    for (email, role) in [
        ("admin@demo.test", "admin"),
        ("coordinatore@demo.test", "coordinator"),
        ("assistente.sociale@demo.test", "referrer"),
        ("pass@demo.test", "referrer"),
        ("cpi@demo.test", "referrer"),
        ("operatore1@demo.test", "agency_operator"),
        ("operatore2@demo.test", "agency_operator"),
        ("operatore3@demo.test", "agency_operator"),
        ("osservatorio@demo.test", "observer"),
    ] {
        let token = app.login(email);
        let me = app.get("/api/v1/me", &token).expect(200);
        assert_eq!(me["email"], email);
        assert_eq!(me["role"], role);
        if role != "admin" {
            assert_eq!(me["district"]["name"], "Ambito 1 – Bergamo");
        }
    }
    let op = app.login("operatore2@demo.test");
    let me = app.get("/api/v1/me", &op).expect(200);
    assert_eq!(me["organization"]["kind"], "accredited_agency");
}

#[test]
fn wrong_password_and_unknown_user_get_the_same_401() {
    let app = TestApp::demo();
    let a = app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "admin@demo.test", "password": "nope"})),
    );
    assert_eq!(a.problem(401), "invalid_credentials");
    let b = app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "ghost@demo.test", "password": "nope"})),
    );
    assert_eq!(b.problem(401), "invalid_credentials");
}

#[test]
fn me_without_or_with_a_bad_token_is_401() {
    let app = TestApp::spawn();
    let r = app.call("GET", "/api/v1/me", None, None);
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    assert_eq!(r.problem(401), "unauthenticated");
    assert_eq!(
        app.get("/api/v1/me", "not.a.jwt").problem(401),
        "invalid_token"
    );
    let r = app.raw("GET", "/api/v1/me", &[("Authorization", "Basic abc")], b"");
    assert_eq!(r.problem(401), "invalid_token");
}

#[test]
fn an_expired_access_token_is_refused_with_its_own_code() {
    let app = TestApp::spawn_with(|c| c.access_ttl_secs = 1);
    let pool = sistema_lavoro::store::connect(&app.db.url, 1).unwrap();
    sistema_lavoro::demo::load(&mut pool.get().unwrap()).unwrap();
    // A token whose exp is far past the leeway, signed with the server's key.
    let mut config = app.config.clone();
    config.access_ttl_secs = -3600;
    let keys = sistema_lavoro::security::JwtKeys::new(&config);
    let token = keys
        .issue(
            &"someone".into(),
            sistema_lavoro::domain::Role::Admin,
            None,
            None,
            "stamp",
        )
        .unwrap();
    assert_eq!(app.get("/api/v1/me", &token).problem(401), "token_expired");
}

#[test]
fn refresh_rotates_and_a_replayed_token_revokes_the_session() {
    let app = TestApp::demo();
    let first = app.login_full("coordinatore@demo.test", common::PASSWORD);
    let r1 = first["refresh_token"].as_str().unwrap();
    let second = app
        .call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": r1})),
        )
        .expect(200);
    let r2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(r1, r2);
    app.get("/api/v1/me", second["access_token"].as_str().unwrap())
        .expect(200);
    // The spent token comes back: someone copied it. The whole family dies.
    let replay = app.call(
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": r1})),
    );
    assert_eq!(replay.problem(401), "refresh_token_reused");
    // The legitimate holder's newer token belonged to that session: it is over.
    let after = app.call(
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": r2})),
    );
    assert_eq!(after.problem(401), "session_revoked");
}

#[test]
fn a_refresh_retried_at_once_by_its_client_keeps_the_session() {
    let app = TestApp::spawn_with(|c| c.refresh_reuse_grace_secs = 60);
    let pool = sistema_lavoro::store::connect(&app.db.url, 1).unwrap();
    sistema_lavoro::demo::load_with(&mut pool.get().unwrap(), false).unwrap();
    let first = app.login_full("coordinatore@demo.test", common::PASSWORD);
    let r1 = json!({"refresh_token": first["refresh_token"]});
    // The page reloaded while its refresh was in flight: it presents the same token again.
    let a = app
        .call("POST", "/api/v1/auth/refresh", None, Some(&r1))
        .expect(200);
    let b = app
        .call("POST", "/api/v1/auth/refresh", None, Some(&r1))
        .expect(200);
    for pair in [&a, &b] {
        app.get("/api/v1/me", pair["access_token"].as_str().unwrap())
            .expect(200);
        app.call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": pair["refresh_token"]})),
        )
        .expect(200);
    }
}

#[test]
fn logout_revokes_the_refresh_token() {
    let app = TestApp::demo();
    let t = app.login_full("pass@demo.test", common::PASSWORD);
    let r = t["refresh_token"].as_str().unwrap();
    let out = app.call(
        "POST",
        "/api/v1/auth/logout",
        None,
        Some(&json!({"refresh_token": r})),
    );
    assert_eq!(out.status, 204);
    let again = app.call(
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": r})),
    );
    assert_eq!(again.problem(401), "session_revoked");
    let unknown = app.call(
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": "abc"})),
    );
    assert_eq!(unknown.problem(401), "invalid_refresh_token");
}

#[test]
fn malformed_requests_get_problem_details_never_500() {
    let app = TestApp::demo();
    let admin = app.login("admin@demo.test");
    let auth = format!("Bearer {admin}");
    let json_ct = ("Content-Type", "application/json");
    // Not JSON.
    let r = app.raw("POST", "/api/v1/auth/login", &[json_ct], b"{not json");
    assert_eq!(r.problem(400), "malformed_body");
    // JSON, but not an object.
    let r = app.raw("POST", "/api/v1/auth/login", &[json_ct], b"[1,2]");
    assert_eq!(r.problem(400), "malformed_body");
    // Wrong content type.
    let r = app.raw(
        "POST",
        "/api/v1/auth/login",
        &[("Content-Type", "text/plain")],
        b"{}",
    );
    assert_eq!(r.problem(415), "unsupported_media_type");
    // Too large.
    let big = format!(
        "{{\"email\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(300 * 1024)
    );
    let r = app.raw("POST", "/api/v1/auth/login", &[json_ct], big.as_bytes());
    assert_eq!(r.problem(413), "payload_too_large");
    // Missing and mistyped fields: every one named.
    let r = app.raw("POST", "/api/v1/auth/login", &[json_ct], b"{\"email\": 3}");
    let body = r.expect(422);
    assert_eq!(body["errors"][0]["field"], "email");
    assert_eq!(body["errors"][0]["code"], "type");
    let r = app.raw(
        "POST",
        "/api/v1/auth/login",
        &[json_ct],
        b"{\"email\": \"a@b.it\"}",
    );
    assert_eq!(r.expect(422)["errors"][0]["field"], "password");
    // Unknown route, wrong method.
    assert_eq!(
        app.get("/api/v1/nothing-here", &admin).problem(404),
        "not_found"
    );
    let r = app.raw("DELETE", "/api/v1/me", &[("Authorization", &auth)], b"");
    assert_eq!(r.header("allow"), Some("GET"));
    assert_eq!(r.problem(405), "method_not_allowed");
    // Bad query parameters: a 422 naming the parameter and the rule, like a body field.
    let named = |path: &str| {
        let body = app.get(path, &admin).expect(422);
        (
            body["errors"][0]["field"].clone(),
            body["errors"][0]["code"].clone(),
        )
    };
    assert_eq!(
        named("/api/v1/users?limit=abc"),
        (json!("limit"), json!("invalid"))
    );
    assert_eq!(
        named("/api/v1/users?limit=0"),
        (json!("limit"), json!("range"))
    );
    assert_eq!(
        named("/api/v1/organizations?kind=bakery"),
        (json!("kind"), json!("invalid"))
    );
    // An action whose body is optional still refuses one that is not text (from a role that
    // may resume cases: the others are refused before the body is read).
    let coordinator = format!("Bearer {}", app.login("coordinatore@demo.test"));
    let r = app.raw(
        "POST",
        "/api/v1/cases/any/resume",
        &[json_ct, ("Authorization", &coordinator)],
        b"\xff\xfe",
    );
    assert_eq!(r.problem(400), "malformed_body");
    let r = app.raw(
        "POST",
        "/api/v1/cases/any/resume",
        &[json_ct, ("Authorization", &auth)],
        b"\xff\xfe",
    );
    assert_eq!(r.problem(403), "forbidden");
}

#[test]
fn validation_reports_every_bad_field_at_once() {
    let app = TestApp::demo();
    let admin = app.login("admin@demo.test");
    let body = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "nope", "full_name": "X", "password": "short", "role": "referrer"}),
        )
        .expect(422);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"full_name"), "{body}");
    let body = app
        .post("/api/v1/users", &admin, json!({"email": "nope", "full_name": "Xavier", "password": "short", "role": "referrer"}))
        .expect(422);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["email", "password"], "{body}");
}

#[test]
fn admin_creates_an_agency_and_its_operator_who_can_sign_in() {
    let app = TestApp::demo();
    let admin = app.login("admin@demo.test");
    let districts = app.get("/api/v1/districts", &admin).expect(200);
    let district_id = districts["items"][0]["id"].as_str().unwrap().to_string();
    // An accredited agency needs its accreditation code.
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"district_id": district_id, "name": "Nuova Agenzia", "kind": "accredited_agency"}),
    );
    assert_eq!(r.expect(422)["errors"][0]["field"], "accreditation_code");
    let r = app.post("/api/v1/organizations", &admin,
        json!({"district_id": district_id, "name": "Nuova Agenzia", "kind": "accredited_agency", "accreditation_code": "LOM-9"}));
    assert_eq!(r.status, 201);
    let location = r.header("location").unwrap().to_string();
    let org = r.expect(201);
    assert_eq!(
        location,
        format!("/api/v1/organizations/{}", org["id"].as_str().unwrap())
    );
    // Same name twice in a district: conflict.
    let dup = app.post("/api/v1/organizations", &admin,
        json!({"district_id": district_id, "name": "Nuova Agenzia", "kind": "accredited_agency", "accreditation_code": "LOM-9"}));
    assert_eq!(dup.problem(409), "duplicate");
    // An operator must belong to an agency.
    let social = app
        .get("/api/v1/organizations?kind=social_service", &admin)
        .expect(200);
    let social_id = social["items"][0]["id"].as_str().unwrap();
    let r = app.post(
        "/api/v1/users",
        &admin,
        json!({"email": "op@nuova.it", "full_name": "Op Nuovo",
        "password": "Sicura-2026!", "role": "agency_operator", "organization_id": social_id}),
    );
    assert_eq!(r.expect(422)["errors"][0]["code"], "not_an_agency");
    let user = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "OP@nuova.it", "full_name": "Op Nuovo",
        "password": "Sicura-2026!", "role": "agency_operator", "organization_id": org["id"]}),
        )
        .expect(201);
    assert_eq!(user["email"], "op@nuova.it");
    assert_eq!(user["district_id"], district_id.as_str());
    let t = app.login_full("op@nuova.it", "Sicura-2026!");
    let me = app
        .get("/api/v1/me", t["access_token"].as_str().unwrap())
        .expect(200);
    assert_eq!(me["organization"]["name"], "Nuova Agenzia");
    // Disabling the account stops sign-in.
    app.patch(
        &format!("/api/v1/users/{}", user["id"].as_str().unwrap()),
        &admin,
        json!({"active": false}),
    )
    .expect(200);
    let r = app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "op@nuova.it", "password": "Sicura-2026!"})),
    );
    assert_eq!(r.problem(401), "invalid_credentials");
}

#[test]
fn only_admins_manage_accounts_and_others_see_only_their_district() {
    let app = TestApp::demo();
    let coord = app.login("coordinatore@demo.test");
    assert_eq!(app.get("/api/v1/users", &coord).problem(403), "forbidden");
    let r = app.post(
        "/api/v1/districts",
        &coord,
        json!({"code": "X-1", "name": "Ambito X"}),
    );
    assert_eq!(r.problem(403), "forbidden");
    // The role is checked first: a body the operation would refuse changes nothing.
    let r = app.post("/api/v1/districts", &coord, json!({"code": 7}));
    assert_eq!(r.problem(403), "forbidden");
    let admin = app.login("admin@demo.test");
    let other = app
        .post(
            "/api/v1/districts",
            &admin,
            json!({"code": "AMBITO-2", "name": "Ambito 2 – Dalmine"}),
        )
        .expect(201);
    let other_id = other["id"].as_str().unwrap();
    let org = app
        .post(
            "/api/v1/organizations",
            &admin,
            json!({"district_id": other_id, "name": "CPI Dalmine", "kind": "cpi"}),
        )
        .expect(201);
    // The coordinator of Ambito 1 cannot see Ambito 2 or its organizations: 404, not 403.
    app.get(&format!("/api/v1/districts/{other_id}"), &coord)
        .problem(404);
    app.get(
        &format!("/api/v1/organizations/{}", org["id"].as_str().unwrap()),
        &coord,
    )
    .problem(404);
    let mine = app
        .get("/api/v1/organizations?limit=200", &coord)
        .expect(200);
    assert!(mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["district_id"] != other_id));
    let districts = app.get("/api/v1/districts", &coord).expect(200);
    assert_eq!(districts["items"].as_array().unwrap().len(), 1);
}

#[test]
fn lists_paginate_with_a_stable_cursor() {
    let app = TestApp::demo();
    let admin = app.login("admin@demo.test");
    let mut seen = Vec::new();
    let mut path = "/api/v1/users?limit=2".to_string();
    loop {
        let page = app.get(&path, &admin).expect(200);
        for u in page["items"].as_array().unwrap() {
            seen.push(u["id"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/users?limit=2&after={next}"),
            None => break,
        }
    }
    assert_eq!(
        seen.len(),
        11,
        "the demo users, the network coordinator and the DPO included"
    );
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
}

#[test]
fn health_reports_the_database() {
    let app = TestApp::spawn();
    let body = app.call("GET", "/api/v1/health", None, None).expect(200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["status"], "ok");
    let expected = if common::use_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(body["database"]["backend"], expected);
}

#[test]
fn docs_are_served_offline_and_the_spec_matches_openapi_yaml() {
    let app = TestApp::spawn();
    let docs = app.call("GET", "/docs/", None, None);
    assert_eq!(docs.status, 200);
    assert!(!docs.text.contains("cdn"), "docs must not load from a CDN");
    let redirect = app.raw("GET", "/docs", &[], b"");
    assert_eq!(redirect.status, 200, "ureq follows the redirect to /docs/");
    let served: serde_json::Value = app
        .call("GET", "/api/v1/openapi.json", None, None)
        .expect(200);
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml"))
            .expect("openapi.yaml at the repository root");
    let generated = sistema_lavoro::http::yaml().unwrap();
    assert!(
        committed == generated,
        "openapi.yaml is stale: run scripts/openapi.sh and commit the result"
    );
    let committed_json = sistema_lavoro::http::openapi_value();
    assert_eq!(served, committed_json);
    assert!(served["components"]["securitySchemes"]["bearer"].is_object());
}

#[test]
fn every_operation_documents_its_errors_and_has_a_tag() {
    let doc = sistema_lavoro::http::openapi_value();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path} has no tag"
            );
            assert!(
                op["summary"].is_string() || op["description"].is_string(),
                "{method} {path} undocumented"
            );
        }
    }
}

#[test]
fn disabling_an_account_or_changing_its_role_or_password_ends_its_tokens() {
    let app = TestApp::demo();
    let admin = app.login("admin@demo.test");
    let users = app.get("/api/v1/users?limit=200", &admin).expect(200);
    let id_of = |email: &str| {
        users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["email"] == email)
            .map(|u| u["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let edit = |email: &str, body: serde_json::Value| {
        app.patch(&format!("/api/v1/users/{}", id_of(email)), &admin, body)
            .expect(200);
    };
    // Disabled: the access token stops at the next request, not at its expiry, and the
    // session cannot be refreshed; the answer says why, not "replay".
    let session = app.login_full("pass@demo.test", common::PASSWORD);
    let pass = session["access_token"].as_str().unwrap().to_string();
    app.get("/api/v1/me", &pass).expect(200);
    edit("pass@demo.test", json!({"active": false}));
    assert_eq!(app.get("/api/v1/me", &pass).problem(401), "token_revoked");
    let refresh = app.call(
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": session["refresh_token"]})),
    );
    assert_eq!(refresh.problem(401), "session_revoked");
    // Another role: the old token (with the old role) stops; a new sign-in has the new role.
    let observer = app.login("osservatorio@demo.test");
    edit("osservatorio@demo.test", json!({"role": "coordinator"}));
    assert_eq!(
        app.get("/api/v1/me", &observer).problem(401),
        "token_revoked"
    );
    let again = app.login("osservatorio@demo.test");
    assert_eq!(
        app.get("/api/v1/me", &again).expect(200)["role"],
        "coordinator"
    );
    // A new password: tokens obtained with the old one stop.
    let cpi = app.login("cpi@demo.test");
    edit("cpi@demo.test", json!({"password": "Un-altra-2026!"}));
    assert_eq!(app.get("/api/v1/me", &cpi).problem(401), "token_revoked");
    // Nothing else does: editing a name, or sending the role it already has, leaves the
    // session alone.
    let session = app.login_full("coordinatore@demo.test", common::PASSWORD);
    let coord = session["access_token"].as_str().unwrap().to_string();
    edit(
        "coordinatore@demo.test",
        json!({"full_name": "Chiara Coordinatrice", "role": "coordinator"}),
    );
    app.get("/api/v1/me", &coord).expect(200);
    app.call(
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": session["refresh_token"]})),
    )
    .expect(200);
    // Another organization: what the session grants changed, so it ends.
    let op = app.login_full("operatore1@demo.test", common::PASSWORD);
    let op_token = op["access_token"].as_str().unwrap().to_string();
    let mine = app.get("/api/v1/me", &op_token).expect(200);
    let agencies = app
        .get("/api/v1/organizations?kind=accredited_agency", &admin)
        .expect(200);
    let other = agencies["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] != mine["organization"]["id"])
        .unwrap()["id"]
        .clone();
    edit("operatore1@demo.test", json!({"organization_id": other}));
    assert_eq!(
        app.get("/api/v1/me", &op_token).problem(401),
        "token_revoked"
    );
    let refresh = app.call(
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": op["refresh_token"]})),
    );
    assert_eq!(refresh.problem(401), "session_revoked");
}

#[test]
fn the_published_tax_code_pattern_is_the_parsers() {
    let doc = sistema_lavoro::http::openapi_value();
    for schema in ["PersonInput", "PersonPatch"] {
        assert_eq!(
            doc["components"]["schemas"][schema]["properties"]["tax_code"]["pattern"],
            sistema_lavoro::domain::tax_code::TAX_CODE_PATTERN,
            "{schema}.tax_code"
        );
    }
}

fn _unused(_: Resp) {}

/// Every SQLite connection the server opens keeps its plans stable (a cached statement is not
/// parsed again each time diesel binds its `LIMIT ?`) and refuses schema-corrupting writes.
#[test]
fn sqlite_connections_reuse_their_plans_and_refuse_schema_writes() {
    use diesel::RunQueryDsl;
    let db = common::TestDb::sqlite();
    let pool = sistema_lavoro::store::connect(&db.url, 1).unwrap();
    assert_eq!(
        sistema_lavoro::store::sqlite_settings_of_new_connection(&db.url),
        Some((true, true)),
        "plan stability and defensive mode on every connection opened after connect"
    );
    #[derive(diesel::QueryableByName)]
    struct Flag {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        writable_schema: i32,
    }
    let mut conn = pool.get().unwrap();
    diesel::sql_query("PRAGMA writable_schema = ON")
        .execute(&mut *conn)
        .unwrap();
    let flag: Flag = diesel::sql_query("PRAGMA writable_schema")
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(
        flag.writable_schema, 0,
        "defensive mode ignores writable_schema"
    );
}
