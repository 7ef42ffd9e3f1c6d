//! Snapshots of representative answers on the demo data and of the OpenAPI document's
//! operations: a change in what the API says shows up as a reviewable diff
//! (`cargo insta review`, or read `api/tests/snapshots/*.snap`). Ids, instants and dates that
//! follow today are redacted; everything else — fields, states, actions, Italian and English
//! texts, order — is compared as is, on both backends (the same snapshot for SQLite and
//! PostgreSQL).
#![allow(clippy::unwrap_used)]

mod common;

use common::TestApp;
use serde_json::{json, Map, Value};

/// Keys whose value is an instant or an id made at run time.
const RUN_TIME: &[&str] = &[
    "created_at",
    "updated_at",
    "closed_at",
    "recorded_at",
    "decided_at",
    "opened_at",
    "at",
    "occurred_at",
    "last_used_at",
];

fn italian_day() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"\b(\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2})\b").unwrap())
}

fn looks_like_uuid(s: &str) -> bool {
    s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4
}

/// A date of the demo's calendar (made relative to today), not a fact like a birth date.
fn is_relative_date(key: &str, s: &str) -> bool {
    key != "birth_date" && s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

fn redact(key: &str, v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let v = redact(&k, v);
                    (k, v)
                })
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| redact(key, v)).collect()),
        Value::String(s) if RUN_TIME.contains(&key) => {
            Value::String(if s.is_empty() { s } else { "[instant]".into() })
        }
        Value::String(s) if chrono::DateTime::parse_from_rfc3339(&s).is_ok() => {
            Value::String("[instant]".into())
        }
        Value::String(s) if looks_like_uuid(&s) => Value::String("[id]".into()),
        // A district's table is the network `table-<district id>`.
        Value::String(s) if s.strip_prefix("table-").is_some_and(looks_like_uuid) => {
            Value::String("table-[id]".into())
        }
        Value::String(s) if is_relative_date(key, &s) => Value::String("[date]".into()),
        // A day written in a text (a meeting's title "Tavolo … – 01/12/2026", a measure's
        // "open from 2026-01-01 …": the demo's calendar follows today).
        Value::String(s) if key != "birth_date" && italian_day().is_match(&s) => {
            Value::String(italian_day().replace_all(&s, "[date]").into_owned())
        }
        other => other,
    }
}

fn snap(v: Value) -> Value {
    redact("", v)
}

struct Demo {
    app: TestApp,
    coord: String,
    op1: String,
}

fn demo() -> Demo {
    let app = TestApp::demo();
    let coord = app.login("coordinatore@demo.test");
    let op1 = app.login("operatore1@demo.test");
    Demo { app, coord, op1 }
}

fn first_id(list: &Value) -> String {
    list["items"][0]["id"].as_str().unwrap().to_string()
}

#[test]
fn a_case_page_as_the_agency_sees_it() {
    let d = demo();
    let id = first_id(&d.app.get("/api/v1/cases", &d.op1).expect(200));
    insta::assert_json_snapshot!(snap(
        d.app
            .get(&format!("/api/v1/cases/{id}"), &d.op1)
            .expect(200)
    ));
}

#[test]
fn a_submitted_referral_as_the_coordinator_sees_it() {
    let d = demo();
    let id = first_id(
        &d.app
            .get("/api/v1/referrals?status=submitted", &d.coord)
            .expect(200),
    );
    insta::assert_json_snapshot!(snap(
        d.app
            .get(&format!("/api/v1/referrals/{id}"), &d.coord)
            .expect(200)
    ));
}

#[test]
fn the_open_meeting_and_its_agenda() {
    let d = demo();
    let id = first_id(
        &d.app
            .get("/api/v1/meetings?status=open", &d.coord)
            .expect(200),
    );
    let meeting = d
        .app
        .get(&format!("/api/v1/meetings/{id}"), &d.coord)
        .expect(200);
    let agenda = d
        .app
        .get(&format!("/api/v1/meetings/{id}/agenda"), &d.coord)
        .expect(200);
    insta::assert_json_snapshot!(snap(json!({"meeting": meeting, "agenda": agenda})));
}

#[test]
fn the_territorial_pact_with_its_members_and_resources() {
    let d = demo();
    let rete = d.app.login("rete@demo.test");
    let id = first_id(
        &d.app
            .get("/api/v1/networks?kind=territorial_pact", &rete)
            .expect(200),
    );
    let path = format!("/api/v1/networks/{id}");
    let network = d.app.get(&path, &rete).expect(200);
    let members = d.app.get(&format!("{path}/members"), &rete).expect(200);
    let resources = d.app.get(&format!("{path}/resources"), &rete).expect(200);
    insta::assert_json_snapshot!(snap(
        json!({"network": network, "members": members, "resources": resources})
    ));
}

#[test]
fn the_district_summary() {
    let d = demo();
    insta::assert_json_snapshot!(snap(
        d.app.get("/api/v1/reports/summary", &d.coord).expect(200)
    ));
}

#[test]
fn a_refused_person_in_italian_and_in_english() {
    let d = demo();
    let social = d.app.login("assistente.sociale@demo.test");
    let body = json!({"first_name": "", "last_name": "Rossi", "tax_code": "RSSMRA85T10A794Z",
        "birth_date": "2099-01-01", "gender": "X", "email": "not-an-address"});
    let answer = |lang: &str| {
        let r = d.app.with_headers(
            "POST",
            "/api/v1/persons",
            &social,
            &[("Accept-Language", lang)],
            Some(&body),
        );
        assert_eq!(r.status, 422, "{:?}", r.json());
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        r.json()
    };
    insta::assert_json_snapshot!(snap(json!({"it": answer("it"), "en": answer("en")})));
}

/// What an integrator reads first: every operation with its id, who may call it, the headers
/// it takes and the answers it documents.
#[test]
fn the_openapi_operations() {
    let app = TestApp::spawn();
    let doc = app
        .call("GET", "/api/v1/openapi.json", None, None)
        .expect(200);
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let params: Vec<String> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            format!(
                                "{}:{}",
                                p["in"].as_str().unwrap(),
                                p["name"].as_str().unwrap()
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let responses: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
            let security: Vec<String> = op["security"]
                .as_array()
                .map(|ss| {
                    ss.iter()
                        .flat_map(|s| s.as_object().unwrap().iter())
                        .map(|(k, v)| {
                            let scopes: Vec<&str> = v
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|x| x.as_str().unwrap())
                                .collect();
                            if scopes.is_empty() {
                                k.clone()
                            } else {
                                format!("{k}[{}]", scopes.join(","))
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            ops.push(format!(
                "{} {} {} | security: {} | params: {} | responses: {}",
                method.to_uppercase(),
                path,
                op["operationId"].as_str().unwrap_or("?"),
                if security.is_empty() {
                    "none".into()
                } else {
                    security.join(" ")
                },
                params.join(" "),
                responses
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
    }
    ops.sort();
    insta::assert_snapshot!(ops.join("\n"));
}
