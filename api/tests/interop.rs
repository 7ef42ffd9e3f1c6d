//! What a public administration's contract promises an integrator (AgID interoperability
//! rules, ModI REST): `/status`, rate-limit headers, JSON Merge Patch, bounded parameters,
//! collections as pages, and a YAML document that reads the same in every parser.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, World};
use common::TestApp;
use serde_json::{json, Value};

#[test]
fn status_answers_problem_details_and_counts_against_no_limit() {
    let app = TestApp::spawn_with(|c| c.rate_limit_per_minute = 2);
    for _ in 0..4 {
        let r = app.call("GET", "/api/v1/status", None, None);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert!(
            r.header("x-ratelimit-limit").is_none(),
            "status counts against no limit"
        );
        let body = r.json();
        assert_eq!(
            (body["status"].clone(), body["title"].clone()),
            (json!(200), json!("OK"))
        );
        assert_eq!(body["database"]["status"], "ok");
    }
    let health = app.call("GET", "/api/v1/health", None, None);
    assert_eq!(health.status, 200);
    assert!(health.header("x-ratelimit-limit").is_none());
}

#[test]
fn every_counted_answer_says_where_the_caller_stands() {
    let app = TestApp::base_with(|c| {
        c.rate_limit_per_minute = 3;
        c.cors_origins = vec!["http://app.example.test".into()];
    });
    // Sign-in counts on the address's own quota; the user's requests on the user's.
    let signed_in = app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "pass@demo.test", "password": common::PASSWORD})),
    );
    assert_eq!(signed_in.header("x-ratelimit-remaining"), Some("2"));
    let token = s(&signed_in.expect(200)["access_token"]);
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let r = app.with_headers(
            "GET",
            "/api/v1/me",
            &token,
            &[("Origin", "http://app.example.test")],
            None,
        );
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-ratelimit-limit"), Some("3"));
        assert!(r
            .header("x-ratelimit-reset")
            .is_some_and(|v| v.parse::<u64>().is_ok()));
        let exposed = r
            .header("access-control-expose-headers")
            .unwrap_or_default()
            .to_lowercase();
        assert!(exposed.contains("x-ratelimit-remaining"), "{exposed}");
        remaining.push(
            r.header("x-ratelimit-remaining")
                .unwrap_or_default()
                .to_string(),
        );
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let refused = app.get("/api/v1/me", &token);
    assert_eq!(refused.status, 429);
    assert_eq!(refused.header("x-ratelimit-remaining"), Some("0"));
    let retry: u64 = refused
        .header("retry-after")
        .unwrap_or_default()
        .parse()
        .unwrap_or(0);
    assert!(retry >= 1);
    assert_eq!(refused.problem(429), "rate_limited");
}

fn meeting(w: &World) -> (String, String) {
    let m = w
        .app
        .post(
            "/api/v1/meetings",
            &w.coord,
            json!({"scheduled_for": "2031-05-05"}),
        )
        .expect(201);
    (s(&m["id"]), format!("/api/v1/meetings/{}", s(&m["id"])))
}

#[test]
fn patch_is_a_merge_patch_and_other_media_types_are_refused() {
    let w = World::new();
    let (_, path) = meeting(&w);
    let etag = |w: &World| {
        w.app
            .get(&path, &w.coord)
            .header("etag")
            .unwrap_or_default()
            .to_string()
    };
    let send = |content_type: &str, body: &Value, etag: &str| {
        w.app.raw(
            "PATCH",
            &path,
            &[
                ("Authorization", &format!("Bearer {}", w.coord)),
                ("Content-Type", content_type),
                ("If-Match", etag),
            ],
            body.to_string().as_bytes(),
        )
    };
    let patched = send(
        "application/merge-patch+json",
        &json!({"location": "Sala consiliare"}),
        &etag(&w),
    );
    assert_eq!(patched.expect(200)["location"], "Sala consiliare");
    // `null` clears, as RFC 7396 says.
    let cleared = send(
        "application/merge-patch+json",
        &json!({"location": null}),
        &etag(&w),
    );
    assert_eq!(cleared.expect(200)["location"], Value::Null);
    // Existing clients keep sending JSON.
    let json_body = send(
        "application/json; charset=utf-8",
        &json!({"location": "Sala 2"}),
        &etag(&w),
    );
    assert_eq!(json_body.expect(200)["location"], "Sala 2");
    let other = send("text/plain", &json!({"location": "Sala 3"}), &etag(&w));
    assert_eq!(other.problem(415), "unsupported_media_type");
    assert_eq!(w.app.get(&path, &w.coord).expect(200)["location"], "Sala 2");
    // The document says so for every PATCH.
    let doc = sistema_lavoro::http::openapi_value();
    for (p, item) in doc["paths"].as_object().unwrap() {
        if let Some(content) = item.pointer("/patch/requestBody/content") {
            let keys: Vec<&String> = content.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["application/merge-patch+json"], "PATCH {p}");
        }
    }
}

fn fields(r: common::Resp) -> Vec<(String, String)> {
    let body = r.expect(422);
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (s(&e["field"]), s(&e["code"])))
        .collect()
}

#[test]
fn parameters_past_their_bounds_are_422_naming_them() {
    let w = World::new();
    let get = |path: &str| w.app.get(path, &w.coord);
    assert_eq!(
        fields(get(
            "/api/v1/municipalities?q=berg&limit=99999999999999999999"
        )),
        [("limit".to_string(), "invalid".to_string())]
    );
    assert_eq!(
        fields(get("/api/v1/municipalities?q=berg&limit=101")),
        [("limit".to_string(), "range".to_string())]
    );
    assert_eq!(
        fields(get("/api/v1/referrals?limit=201")),
        [("limit".to_string(), "range".to_string())]
    );
    assert_eq!(
        fields(get("/api/v1/referrals?limit=0")),
        [("limit".to_string(), "range".to_string())]
    );
    assert_eq!(
        fields(get("/api/v1/referrals?limit=abc")),
        [("limit".to_string(), "invalid".to_string())]
    );
    assert_eq!(
        fields(get(&format!("/api/v1/persons?q={}", "r".repeat(101)))),
        [("q".to_string(), "length".to_string())]
    );
    assert_eq!(
        fields(get(&format!("/api/v1/cases/{}", "x".repeat(65)))),
        [("id".to_string(), "length".to_string())]
    );
    // A long id in a body is refused by its type, named by its field.
    let r = w.app.post(
        "/api/v1/referrals",
        &w.social,
        json!({"person_id": "p".repeat(65), "needs": ["work"], "source": "social_services", "reason": "Ricerca lavoro"}),
    );
    let errors = fields(r);
    assert!(errors.iter().any(|(f, _)| f == "person_id"), "{errors:?}");
    // A header past its documented length is refused before anything is read.
    let long_etag = format!("\"{}\"", "1".repeat(120));
    let r = w.app.with_headers(
        "POST",
        "/api/v1/cases/any/suspend",
        &w.coord,
        &[("If-Match", &long_etag)],
        Some(&json!({"reason": "Ricovero"})),
    );
    assert_eq!(r.problem(400), "bad_parameter");
    // Within bounds, the same requests answer.
    get("/api/v1/municipalities?q=berg&limit=100").expect(200);
    get("/api/v1/referrals?limit=200").expect(200);
    get(&format!("/api/v1/cases/{}", "x".repeat(64))).problem(404);
}

#[test]
fn a_merge_patch_cannot_null_what_cannot_be_cleared() {
    let w = World::new();
    let (_, path) = meeting(&w);
    let before = w.app.get(&path, &w.coord).expect(200);
    // `null` on a field the record must keep is refused, naming it, instead of being ignored.
    let refused = fields(
        w.app
            .patch(&path, &w.coord, json!({"title": null, "location": "Sala"})),
    );
    assert_eq!(
        refused,
        [("title".to_string(), "not_clearable".to_string())]
    );
    let after = w.app.get(&path, &w.coord).expect(200);
    assert_eq!(after["title"], before["title"]);
    assert_eq!(
        after["location"], before["location"],
        "nothing half-applied"
    );
    let person = w.person(&w.social, "Rossi", "Maria", "1980-01-01", 'F');
    let refused = fields(w.app.patch(
        &format!("/api/v1/persons/{person}"),
        &w.social,
        json!({"first_name": null}),
    ));
    assert_eq!(
        refused,
        [("first_name".to_string(), "not_clearable".to_string())]
    );
    // The document says which fields are clearable: only those accept null.
    let doc = sistema_lavoro::http::openapi_value();
    let title = &doc["components"]["schemas"]["MeetingPatch"]["properties"]["title"];
    assert_eq!(title["type"], "string", "{title}");
    // What can be emptied, is: an organization's contacts (the SPA clears them with null).
    let org = w
        .app
        .get("/api/v1/organizations?kind=accredited_agency", &w.admin)
        .expect(200)["items"][0]["id"]
        .clone();
    let org = format!("/api/v1/organizations/{}", s(&org));
    let set = w
        .app
        .patch(
            &org,
            &w.admin,
            json!({"email": "info@agenzia.example", "phone": "035 123456"}),
        )
        .expect(200);
    assert_eq!(set["email"], "info@agenzia.example");
    let cleared = w
        .app
        .patch(&org, &w.admin, json!({"email": null, "phone": null}))
        .expect(200);
    assert!(
        cleared["email"].is_null() && cleared["phone"].is_null(),
        "{cleared}"
    );
}

#[test]
fn every_list_is_an_object() {
    let w = World::new();
    let case = w.case_for_agency1("Bianchi");
    for path in [
        format!("/api/v1/cases/{case}/activations"),
        format!("/api/v1/cases/{case}/timeline"),
        format!("/api/v1/cases/{case}/outcome-checks"),
        "/api/v1/municipalities?q=berg".to_string(),
    ] {
        let page = w.app.get(&path, &w.coord).expect(200);
        assert!(page["items"].is_array(), "{path}: {page}");
        assert!(page["next"].is_null(), "{path}: {page}");
    }
    // And the document has no answer that is a bare array.
    let doc = sistema_lavoro::http::openapi_value();
    for (p, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, r) in op["responses"].as_object().into_iter().flatten() {
                for (_, c) in r["content"].as_object().into_iter().flatten() {
                    assert_ne!(c["schema"]["type"], "array", "{method} {p} {status}");
                }
            }
        }
    }
}

#[test]
fn clients_and_webhooks_are_listed_as_pages() {
    let w = World::new();
    for path in [
        "/api/v1/integration-clients",
        "/api/v1/webhooks?organization_id=x",
    ] {
        let page = w.app.get(path, &w.admin).expect(200);
        assert!(page["items"].is_array(), "{path}: {page}");
        assert!(page.get("next").is_some(), "{path}: {page}");
    }
}

#[test]
fn the_yaml_document_reads_as_the_served_json() {
    let app = TestApp::spawn();
    let served: Value = app
        .call("GET", "/api/v1/openapi.json", None, None)
        .expect(200);
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml")).unwrap();
    let committed: Value = yaml_serde::from_str(&text).unwrap();
    assert_eq!(committed, served);
    // No date or time is left for a YAML 1.1 reader to turn into a date.
    let unquoted =
        regex::Regex::new(r"(?m)^\s*(?:- )*(?:[\w$.-]+: )?\d{4}-\d{2}-\d{2}([T ][0-9:.]+Z?)?\s*$")
            .unwrap();
    let hits: Vec<&str> = unquoted.find_iter(&text).map(|m| m.as_str()).collect();
    assert!(hits.is_empty(), "unquoted dates: {hits:?}");
    for key in ["contact", "x-summary", "termsOfService"] {
        assert!(served["info"].get(key).is_some(), "info.{key}");
    }
    assert!(served["servers"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    assert!(served["paths"].get("/api/v1/status").is_some());
}

#[test]
fn an_unreachable_database_is_a_503_with_retry_after() {
    // PostgreSQL lets a test cut a database off while the server holds connections to it.
    if !common::use_postgres() {
        return;
    }
    use diesel::{Connection, RunQueryDsl};
    let app = TestApp::spawn();
    app.call("GET", "/api/v1/status", None, None).expect(200);
    let name = app.db.pg_name.clone().unwrap();
    let mut admin =
        diesel::PgConnection::establish(&format!("{}/postgres", common::postgres_admin_url()))
            .unwrap();
    for sql in [
        format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"),
        format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"),
    ] {
        diesel::sql_query(sql).execute(&mut admin).unwrap();
    }
    for path in ["/api/v1/status", "/status", "/api/v1/health"] {
        let r = app.call("GET", path, None, None);
        assert_eq!(r.status, 503, "{path}");
        assert_eq!(
            r.header("content-type"),
            Some("application/problem+json"),
            "{path}"
        );
        assert!(
            r.header("retry-after")
                .is_some_and(|v| v.parse::<u64>().is_ok()),
            "{path}"
        );
        assert_eq!(r.json()["code"], "unavailable", "{path}");
    }
    diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .execute(&mut admin)
        .unwrap();
}

#[test]
fn a_refused_parameter_speaks_the_callers_language_also_under_an_idempotency_key() {
    let w = World::new();
    let path = format!("/api/v1/referrals/{}/submit", "x".repeat(65));
    let answer = |lang: &str| {
        w.app
            .with_headers(
                "POST",
                &path,
                &w.social,
                &[
                    ("Accept-Language", lang),
                    ("Idempotency-Key", &format!("k-{lang}")),
                ],
                None,
            )
            .expect(422)
    };
    let (en, it) = (answer("en"), answer("it"));
    assert_eq!(en["errors"][0]["field"], "id");
    assert_eq!(en["errors"][0]["code"], it["errors"][0]["code"]);
    assert!(s(&en["errors"][0]["message"]).contains("at most"), "{en}");
    assert!(
        s(&it["errors"][0]["message"]).contains("al massimo"),
        "{it}"
    );
}

#[test]
fn no_answer_has_a_null_boolean_or_array() {
    // Booleans and arrays are never `null` in what the server answers (absent at most): the
    // schemas of answers say so, and serde follows them (`skip_serializing_if`).
    let doc = sistema_lavoro::http::openapi_value();
    let mut nullable = Vec::new();
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        let answer = !(name.ends_with("Input")
            || name.ends_with("Patch")
            || name.starts_with("Update")
            || name.starts_with("Create"));
        for (prop, p) in schema["properties"].as_object().into_iter().flatten() {
            let types: Vec<&str> = p["type"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str())
                .collect();
            if answer
                && types.contains(&"null")
                && (types.contains(&"boolean") || types.contains(&"array"))
            {
                nullable.push(format!("{name}.{prop}"));
            }
        }
    }
    assert!(
        nullable.is_empty(),
        "nullable booleans or arrays in answers: {nullable:?}"
    );
}
