//! Object-level authorization, table-driven: every endpoint × role × ownership. A record you
//! may not see is `404`, exactly like one that does not exist; a role that may not act is `403`.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, today, World};
use common::TestApp;
use serde_json::{json, Value};

#[test]
fn every_endpoint_answers_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    // A case at agency 1 (person registered by the social worker), another at agency 2.
    let c1 = w.case_for_agency1("Uno");
    w.take_charge(&c1);
    let a1 = w.activation(&c1);
    let p1 = s(&app
        .get(&format!("/api/v1/cases/{c1}"), &w.coord)
        .expect(200)["person"]["id"]);
    let r2 = w.submitted("Due");
    let m = w.open_meeting();
    app.post(
        &format!("/api/v1/meetings/{m}/decisions"),
        &w.coord,
        json!({"referral_id": r2, "decision": "accept", "agency_id": w.agency2}),
    )
    .expect(200);
    w.close_meeting(&m);
    let c2 = s(&app
        .get(&format!("/api/v1/referrals/{r2}"), &w.coord)
        .expect(200)["case"]["id"]);
    // A draft of the social worker and one of the PASS front desk.
    let (r_social, _) = w.draft("Tre");
    let p_pass = w.person(&w.pass, "Quattro", "Anna", "1990-05-12", 'F');
    let r_pass = s(&app
        .post(
            "/api/v1/referrals",
            &w.pass,
            json!({"person_id": p_pass, "needs": ["work"], "reason": "abc"}),
        )
        .expect(201)["id"]);
    let t1 = w.dul_threshold_1.clone();
    let dul = w.dul.clone();
    let year = today().format("%Y").to_string();

    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("social", &w.social),
        ("pass", &w.pass),
        ("op1", &w.op1),
        ("op2", &w.op2),
        ("observer", &w.observer),
    ];
    type Row = (&'static str, String, Option<Value>, [u16; 7]);
    //                                                         admin coord social pass op1  op2  observer
    let rows: Vec<Row> = vec![
        (
            "GET",
            format!("/api/v1/referrals/{r_social}"),
            None,
            [404, 404, 200, 404, 404, 404, 404],
        ),
        (
            "GET",
            format!("/api/v1/referrals/{r_pass}"),
            None,
            [404, 404, 404, 200, 404, 404, 404],
        ),
        (
            "GET",
            "/api/v1/referrals".into(),
            None,
            [403, 200, 200, 200, 403, 403, 403],
        ),
        (
            "PATCH",
            format!("/api/v1/referrals/{r_social}"),
            Some(json!({"urgency": "high"})),
            [403, 403, 200, 404, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/persons/{p1}"),
            None,
            [403, 200, 200, 404, 200, 404, 403],
        ),
        (
            "GET",
            format!("/api/v1/persons/{p_pass}"),
            None,
            [403, 200, 404, 200, 404, 404, 403],
        ),
        (
            "GET",
            "/api/v1/persons".into(),
            None,
            [403, 200, 200, 200, 200, 200, 403],
        ),
        // Only the registering organization (the social service) and the coordinator correct
        // a person; the agency following her case reads, never writes (security review M1).
        (
            "PATCH",
            format!("/api/v1/persons/{p1}"),
            Some(json!({"phone": "035 000000"})),
            [403, 200, 200, 404, 403, 404, 403],
        ),
        (
            "GET",
            format!("/api/v1/cases/{c1}"),
            None,
            [404, 200, 404, 404, 200, 404, 404],
        ),
        (
            "GET",
            format!("/api/v1/cases/{c2}"),
            None,
            [404, 200, 404, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/api/v1/cases/{c1}/timeline"),
            None,
            [404, 200, 404, 404, 200, 404, 404],
        ),
        (
            "GET",
            format!("/api/v1/cases/{c1}/service-pact/operators"),
            None,
            [404, 200, 404, 404, 200, 404, 404],
        ),
        (
            "GET",
            format!("/api/v1/cases/{c1}/follow-ups"),
            None,
            [404, 200, 404, 404, 200, 404, 404],
        ),
        (
            "GET",
            format!("/api/v1/cases/{c1}/outcome-checks"),
            None,
            [404, 200, 404, 404, 200, 404, 404],
        ),
        (
            "GET",
            format!("/api/v1/cases/{c1}/activations"),
            None,
            [403, 200, 403, 403, 200, 404, 403],
        ),
        (
            "POST",
            format!("/api/v1/cases/{c1}/follow-ups"),
            Some(json!({"kind": "note", "date": today().to_string(), "note": "x"})),
            [403, 403, 403, 403, 201, 404, 403],
        ),
        (
            "POST",
            format!("/api/v1/cases/{c2}/suspend"),
            Some(json!({"reason": "x"})),
            [403, 403, 403, 403, 404, 200, 403],
        ),
        (
            "GET",
            "/api/v1/cases".into(),
            None,
            [403, 200, 403, 403, 200, 200, 403],
        ),
        (
            "GET",
            format!("/api/v1/activations/{a1}"),
            None,
            [403, 200, 403, 403, 200, 404, 403],
        ),
        (
            "PATCH",
            format!("/api/v1/activations/{a1}"),
            Some(json!({"note": "x"})),
            [403, 403, 403, 403, 200, 404, 403],
        ),
        (
            "GET",
            format!("/api/v1/thresholds/{t1}"),
            None,
            [404, 200, 404, 404, 200, 404, 404],
        ),
        (
            "GET",
            "/api/v1/thresholds".into(),
            None,
            [403, 200, 403, 403, 200, 200, 403],
        ),
        (
            "PATCH",
            format!("/api/v1/thresholds/{t1}"),
            Some(json!({"cap_cents": 600000})),
            [403, 200, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/measures/{dul}"),
            None,
            [403, 200, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/api/v1/measures".into(),
            Some(
                json!({"code": "NEW", "name": "Nuova misura", "kind": "other", "funding_source": "district_budget", "valid_from": format!("{year}-01-01")}),
            ),
            [403, 201, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/meetings/{m}"),
            None,
            [404, 200, 404, 404, 404, 404, 404],
        ),
        (
            "GET",
            format!("/api/v1/meetings/{m}/minutes"),
            None,
            // Agencies 1 and 2 sit at the table: each reads its member's copy.
            [404, 200, 404, 404, 200, 200, 404],
        ),
        (
            "GET",
            "/api/v1/meetings".into(),
            None,
            [403, 200, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/api/v1/meetings".into(),
            Some(json!({"scheduled_for": today().to_string()})),
            [403, 201, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/api/v1/reports/summary".into(),
            None,
            [403, 200, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/v1/users".into(),
            None,
            [200, 403, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/api/v1/organizations".into(),
            Some(
                json!({"district_id": w.district_id, "name": "Comune di Scanzorosciate", "kind": "municipality"}),
            ),
            [201, 403, 403, 403, 403, 403, 403],
        ),
        // Catalogue, measures in action, case actions, the table, administration.
        (
            "GET",
            format!("/api/v1/measures/{dul}/eligibility?person_id={p1}"),
            None,
            [404, 200, 200, 422, 200, 422, 403],
        ),
        // The referral form's preview: for those who write referrals, nothing of any record.
        (
            "POST",
            "/api/v1/eligibility-preview".into(),
            Some(json!({"birth_date": "1990-05-12", "target_groups": ["long_term_unemployed"]})),
            [403, 200, 200, 200, 200, 200, 403],
        ),
        // Find a person: those who may read persons; an empty answer is still 200.
        (
            "GET",
            "/api/v1/search?q=Uno".into(),
            None,
            [403, 200, 200, 200, 200, 200, 403],
        ),
        (
            "POST",
            format!("/api/v1/activations/{a1}/approve"),
            None,
            [403, 200, 403, 403, 409, 404, 403],
        ),
        (
            "POST",
            format!("/api/v1/activations/{a1}/start"),
            None,
            [403, 403, 403, 403, 200, 404, 403],
        ),
        (
            "POST",
            format!("/api/v1/activations/{a1}/complete"),
            Some(json!({"spent_cents": 1000})),
            [403, 403, 403, 403, 200, 404, 403],
        ),
        (
            "POST",
            format!("/api/v1/cases/{c1}/close"),
            Some(json!({"outcome": "other"})),
            [403, 403, 403, 403, 200, 404, 403],
        ),
        (
            "POST",
            format!("/api/v1/cases/{c2}/resume"),
            None,
            [403, 403, 403, 403, 404, 200, 403],
        ),
        (
            "POST",
            format!("/api/v1/cases/{c2}/take-charge"),
            Some(json!({"first_meeting_date": today().to_string(), "plan_goals": "abc"})),
            [403, 403, 403, 403, 404, 200, 403],
        ),
        (
            "POST",
            format!("/api/v1/meetings/{m}/open"),
            None,
            [403, 409, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/meetings/{m}/agenda"),
            None,
            [404, 200, 404, 404, 404, 404, 404],
        ),
        (
            "POST",
            format!("/api/v1/meetings/{m}/decisions"),
            Some(json!({"referral_id": r2, "decision": "reject", "reason": "x"})),
            [403, 409, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            format!("/api/v1/meetings/{m}/close"),
            None,
            [403, 409, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/api/v1/thresholds".into(),
            Some(
                json!({"agency_id": w.agency2, "measure_id": dul, "period_start": format!("{year}-01-01"), "period_end": format!("{year}-12-31"), "cap_cents": 1000}),
            ),
            [403, 201, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/organizations/{}", w.agency1),
            None,
            [200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/districts/{}", w.district_id),
            None,
            [200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/api/v1/integration-clients".into(),
            Some(
                json!({"organization_id": w.agency1, "name": "Gestionale", "scopes": ["cases:read"]}),
            ),
            [201, 403, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/api/v1/webhooks".into(),
            None,
            [200, 200, 403, 403, 403, 403, 403],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &rows {
        for ((role, token), want) in roles.iter().zip(expected) {
            // Edits carry `If-Match: *` (any version): this test is about who, not when.
            let r = app.with_headers(method, path, token, &[("If-Match", "*")], body.as_ref());
            if r.status != *want {
                failures.push(format!(
                    "{method} {path} as {role}: got {} want {want}: {}",
                    r.status, r.text
                ));
            } else if r.status >= 400 && r.content_type != "application/problem+json" {
                failures.push(format!(
                    "{method} {path} as {role}: {} not problem+json",
                    r.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The audit log (the DPO's and the coordinator's), and the DPO refused everything else it
/// was not given: persons, cases, referrals, documents.
#[test]
fn the_audit_log_and_the_dpo_answer_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let c1 = w.case_for_agency1("Sei");
    let p1 = s(&app
        .get(&format!("/api/v1/cases/{c1}"), &w.coord)
        .expect(200)["person"]["id"]);
    let (r1, _) = w.draft("Sette");
    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("social", &w.social),
        ("op1", &w.op1),
        ("observer", &w.observer),
        ("dpo", &dpo),
    ];
    type Row = (&'static str, String, [u16; 6]);
    //                                              admin coord social op1  observer dpo
    let rows: Vec<Row> = vec![
        (
            "GET",
            "/api/v1/audit".into(),
            [403, 200, 403, 403, 403, 200],
        ),
        (
            "GET",
            format!("/api/v1/audit?person_id={p1}"),
            [403, 200, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/v1/audit/export".into(),
            [403, 200, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/v1/audit/export?format=xlsx".into(),
            [403, 200, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/v1/persons".into(),
            [403, 200, 200, 200, 403, 403],
        ),
        // The DPO reads the record itself (to handle the person's requests), not the lists.
        (
            "GET",
            format!("/api/v1/persons/{p1}"),
            [403, 200, 200, 200, 403, 200],
        ),
        (
            "GET",
            "/api/v1/cases".into(),
            [403, 200, 403, 200, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/cases/{c1}"),
            [404, 200, 404, 200, 404, 404],
        ),
        (
            "GET",
            "/api/v1/referrals".into(),
            [403, 200, 200, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/referrals/{r1}"),
            [404, 404, 200, 404, 404, 404],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, expected) in &rows {
        for ((role, token), want) in roles.iter().zip(expected) {
            let r = app.with_headers(method, path, token, &[], None);
            if r.status != *want {
                failures.push(format!(
                    "{method} {path} as {role}: got {} want {want}: {}",
                    r.status, r.text
                ));
            } else if r.status >= 400 && r.content_type != "application/problem+json" {
                failures.push(format!(
                    "{method} {path} as {role}: {} not problem+json",
                    r.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn an_invisible_record_looks_exactly_like_a_missing_one() {
    let w = World::new();
    let c1 = w.case_for_agency1("Cinque");
    let hidden = w.app.get(&format!("/api/v1/cases/{c1}"), &w.op2);
    let missing = w
        .app
        .get("/api/v1/cases/01a00000-0000-7000-8000-000000000000", &w.op2);
    assert_eq!(
        (hidden.status, hidden.text.clone()),
        (missing.status, missing.text.clone())
    );
    assert_eq!(hidden.status, 404);
}

/// An integration client of `org` with `scopes`: its access token.
fn client_token(w: &World, org: &str, scopes: &[&str]) -> String {
    let c = w
        .app
        .post(
            "/api/v1/integration-clients",
            &w.admin,
            json!({"organization_id": org, "name": "Gestionale rete", "scopes": scopes}),
        )
        .expect(201);
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        s(&c["client_id"]),
        s(&c["client_secret"])
    );
    let t = w.app.raw(
        "POST",
        "/api/v1/auth/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    );
    s(&t.expect(200)["access_token"])
}

#[test]
fn every_network_endpoint_answers_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let orgs = app
        .get("/api/v1/organizations?limit=200", &w.coord)
        .expect(200);
    let org = |name: &str| {
        orgs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .map(|o| s(&o["id"]))
            .unwrap()
    };
    let (agenzia, bergamo) = (
        org("Agenzia Sociale Lavoro & Società"),
        org("Comune di Bergamo"),
    );
    let cr = client_token(&w, &agenzia, &["networks:read"]);
    let cw = client_token(&w, &agenzia, &["networks:read", "networks:write"]);
    // The coordinator's partnership with agency 1; the social agency's pact with Bergamo.
    let part = s(&app
        .post(
            "/api/v1/networks",
            &w.coord,
            json!({"kind": "territorial_partnership", "name": "Partenariato"}),
        )
        .expect(201)["id"]);
    app.post(
        &format!("/api/v1/networks/{part}/members"),
        &w.coord,
        json!({"organization_id": w.agency1}),
    )
    .expect(201);
    let pact = s(&app
        .post(
            "/api/v1/networks",
            &rete,
            json!({"kind": "territorial_pact", "name": "Patto"}),
        )
        .expect(201)["id"]);
    let pm = s(&app
        .post(
            &format!("/api/v1/networks/{pact}/members"),
            &rete,
            json!({"organization_id": bergamo}),
        )
        .expect(201)["id"]);
    let res = s(&app
        .post(
            &format!("/api/v1/networks/{part}/resources"),
            &w.op1,
            json!({"kind": "staff_time", "hours": 20}),
        )
        .expect(201)["id"]);

    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("rete", &rete),
        ("social", &w.social),
        ("op1", &w.op1),
        ("op2", &w.op2),
        ("observer", &w.observer),
        ("client:read", &cr),
        ("client:write", &cw),
    ];
    type Row = (&'static str, String, Option<Value>, [u16; 9]);
    let pact_body = json!({"kind": "territorial_pact", "name": "Altro patto"});
    // agency 2 joins the pact in the members row: from then on it reads it, and is refused its changes (403).
    //                                         admin coord rete social op1  op2  obs  c:r  c:w
    let rows: Vec<Row> = vec![
        (
            "GET",
            "/api/v1/networks".into(),
            None,
            [403, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/networks/{part}"),
            None,
            [404, 200, 404, 404, 200, 404, 200, 404, 404],
        ),
        (
            "GET",
            format!("/api/v1/networks/{pact}"),
            None,
            [404, 200, 200, 404, 404, 404, 200, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/networks/{pact}/compliance"),
            None,
            [404, 200, 200, 404, 404, 404, 200, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/networks/{pact}/members"),
            None,
            [404, 200, 200, 404, 404, 404, 403, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/networks/{part}/resources"),
            None,
            [404, 200, 404, 404, 200, 404, 200, 404, 404],
        ),
        (
            "POST",
            "/api/v1/networks".into(),
            Some(pact_body),
            [403, 201, 201, 403, 403, 403, 403, 403, 201],
        ),
        (
            "PATCH",
            format!("/api/v1/networks/{pact}"),
            Some(json!({"purpose": "Inclusione"})),
            [403, 200, 200, 404, 404, 404, 403, 403, 200],
        ),
        (
            "POST",
            format!("/api/v1/networks/{pact}/members"),
            Some(json!({"organization_id": w.agency2})),
            [403, 201, 409, 404, 404, 403, 403, 403, 409],
        ),
        (
            "POST",
            format!("/api/v1/networks/{part}/resources"),
            Some(json!({"kind": "training", "hours": 1})),
            [403, 422, 404, 404, 201, 404, 403, 403, 404],
        ),
        (
            "POST",
            format!("/api/v1/resources/{res}/make-available"),
            None,
            [403, 200, 404, 404, 409, 404, 403, 403, 404],
        ),
        (
            "POST",
            format!("/api/v1/networks/{part}/activate"),
            None,
            [403, 409, 404, 404, 403, 404, 403, 403, 404],
        ),
        (
            "POST",
            format!("/api/v1/members/{pm}/withdraw"),
            Some(json!({"reason": "Recesso"})),
            [403, 200, 409, 404, 404, 403, 403, 403, 409],
        ),
    ];
    assert_matrix(app, &roles, &rows);
}

#[test]
fn every_join_request_agreement_and_network_document_endpoint_answers_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let orgs = app
        .get("/api/v1/organizations?limit=200", &w.coord)
        .expect(200);
    let agenzia = orgs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Agenzia Sociale Lavoro & Società")
        .map(|o| s(&o["id"]))
        .unwrap();
    let cr = client_token(&w, &agenzia, &["networks:read"]);
    let cw = client_token(&w, &agenzia, &["networks:read", "networks:write"]);
    // The social agency's pact, agency 1 a member (op1 reads it).
    let pact = s(&app
        .post(
            "/api/v1/networks",
            &rete,
            json!({"kind": "territorial_pact", "name": "Patto"}),
        )
        .expect(201)["id"]);
    let member = s(&app
        .post(
            &format!("/api/v1/networks/{pact}/members"),
            &rete,
            json!({"organization_id": w.agency1}),
        )
        .expect(201)["id"]);
    let version = s(&app
        .call("GET", "/api/v1/public/networks", None, None)
        .expect(200)["privacy_notice"]["version"]);
    let ask = json!({"name": "Maria Bianchi", "email": "maria@example.it", "privacy_notice_version": version});
    let asked = |n: &str| {
        app.call(
            "POST",
            &format!("/api/v1/public/networks/{pact}/join-requests"),
            None,
            Some(&json!({"name": n, "phone": "035 123456", "privacy_notice_version": version})),
        )
        .expect(202);
    };
    asked("Uno");
    asked("Due");
    let reqs = app
        .get(&format!("/api/v1/networks/{pact}/join-requests"), &rete)
        .expect(200);
    let (jr1, jr2) = (s(&reqs["items"][0]["id"]), s(&reqs["items"][1]["id"]));
    let agreement =
        json!({"kind": "convention", "subject": "Convenzione", "party_member_ids": [member]});
    let ag = s(&app
        .post(
            &format!("/api/v1/networks/{pact}/agreements"),
            &rete,
            agreement.clone(),
        )
        .expect(201)["id"]);
    let boundary = "----authz-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"statuto.pdf\"\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--{boundary}--\r\n"
    );
    let ct = format!("multipart/form-data; boundary={boundary}");
    let upload = |token: &str, path: &str| {
        let auth = format!("Bearer {token}");
        app.raw(
            "POST",
            path,
            &[
                ("Authorization", auth.as_str()),
                ("Content-Type", ct.as_str()),
            ],
            body.as_bytes(),
        )
    };
    let doc = s(&upload(&rete, &format!("/api/v1/networks/{pact}/documents")).expect(201)["id"]);

    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("rete", &rete),
        ("social", &w.social),
        ("op1", &w.op1),
        ("op2", &w.op2),
        ("observer", &w.observer),
        ("client:read", &cr),
        ("client:write", &cw),
    ];
    type Row = (&'static str, String, Option<Value>, [u16; 9]);
    //                                         admin coord rete social op1  op2  obs  c:r  c:w
    let rows: Vec<Row> = vec![
        (
            "GET",
            "/api/v1/public/networks".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            format!("/api/v1/public/networks/{pact}/join-requests"),
            Some(ask),
            [202, 202, 202, 202, 202, 202, 202, 202, 202],
        ),
        (
            "GET",
            format!("/api/v1/networks/{pact}/join-requests"),
            None,
            [404, 200, 200, 404, 404, 404, 404, 403, 200],
        ),
        (
            "POST",
            format!("/api/v1/join-requests/{jr1}/decline"),
            Some(json!({"reason": "Fuori ambito"})),
            [404, 200, 409, 404, 404, 404, 404, 403, 409],
        ),
        (
            "POST",
            format!("/api/v1/join-requests/{jr2}/accept"),
            Some(json!({"kind": "municipality"})),
            [404, 200, 409, 404, 404, 404, 404, 403, 409],
        ),
        (
            "GET",
            format!("/api/v1/networks/{pact}/agreements"),
            None,
            [404, 200, 200, 404, 200, 404, 403, 200, 200],
        ),
        (
            "POST",
            format!("/api/v1/networks/{pact}/agreements"),
            Some(agreement),
            [403, 201, 201, 404, 403, 404, 403, 403, 201],
        ),
        (
            "GET",
            format!("/api/v1/agreements/{ag}"),
            None,
            [404, 200, 200, 404, 200, 404, 404, 200, 200],
        ),
        (
            "PATCH",
            format!("/api/v1/agreements/{ag}"),
            Some(json!({"subject": "Convenzione rinnovata"})),
            [403, 200, 200, 404, 403, 404, 403, 403, 200],
        ),
        (
            "POST",
            format!("/api/v1/agreements/{ag}/sign"),
            None,
            [403, 200, 409, 404, 403, 404, 403, 403, 409],
        ),
        (
            "POST",
            format!("/api/v1/agreements/{ag}/terminate"),
            Some(json!({"reason": "Risolta"})),
            [403, 200, 409, 404, 403, 404, 403, 403, 409],
        ),
        (
            "GET",
            format!("/api/v1/networks/{pact}/documents"),
            None,
            [404, 200, 200, 404, 200, 404, 404, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/agreements/{ag}/documents"),
            None,
            [404, 200, 200, 404, 200, 404, 404, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/documents/{doc}"),
            None,
            [404, 200, 200, 404, 200, 404, 404, 200, 200],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &rows {
        for ((role, token), want) in roles.iter().zip(expected) {
            let r = app.with_headers(method, path, token, &[("If-Match", "*")], body.as_ref());
            if r.status != *want {
                failures.push(format!(
                    "{method} {path} as {role}: got {} want {want}: {}",
                    r.status, r.text
                ));
            } else if r.status >= 400 && r.content_type != "application/problem+json" {
                failures.push(format!("{method} {path} as {role}: not problem+json"));
            }
        }
    }
    // Uploads (multipart): to the network, and to an agreement (a new draft).
    let draft = s(&app
        .post(
            &format!("/api/v1/networks/{pact}/agreements"),
            &rete,
            json!({"kind": "protocol", "subject": "Protocollo"}),
        )
        .expect(201)["id"]);
    for (path, expected) in [
        (
            format!("/api/v1/networks/{pact}/documents"),
            [403, 201, 201, 404, 403, 404, 403, 403, 201],
        ),
        (
            format!("/api/v1/agreements/{draft}/documents"),
            [403, 201, 201, 404, 403, 404, 403, 403, 201],
        ),
    ] {
        for ((role, token), want) in roles.iter().zip(expected) {
            let r = upload(token, &path);
            if r.status != want {
                failures.push(format!(
                    "POST {path} as {role}: got {} want {want}: {}",
                    r.status, r.text
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_plan_endpoint_answers_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let plans_reader = client_token(&w, &w.agency1, &["plans:read"]);
    let other_scope = client_token(&w, &w.agency1, &["cases:read"]);
    let plan = app
        .post(
            "/api/v1/plans",
            &w.coord,
            json!({"title": "Piano", "period_start": "2027-01-01", "period_end": "2027-12-31"}),
        )
        .expect(201);
    let p = s(&plan["id"]);
    let axis = s(&plan["axes"][0]["id"]);
    let a = s(&app
        .post(
            &format!("/api/v1/plans/{p}/actions"),
            &w.coord,
            json!({"axis_id": axis, "title": "Azione"}),
        )
        .expect(201)["id"]);
    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("rete", &rete),
        ("social", &w.social),
        ("op1", &w.op1),
        ("observer", &w.observer),
        ("client:plans", &plans_reader),
        ("client:other", &other_scope),
    ];
    type Row = (&'static str, String, Option<Value>, [u16; 8]);
    let new_plan =
        json!({"title": "Altro piano", "period_start": "2027-01-01", "period_end": "2027-12-31"});
    //                                         admin coord rete social op1  obs  c:pl c:oth
    let rows: Vec<Row> = vec![
        (
            "GET",
            "/api/v1/plans".into(),
            None,
            [403, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "GET",
            format!("/api/v1/plans/{p}"),
            None,
            [404, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "GET",
            format!("/api/v1/plans/{p}/actions"),
            None,
            [404, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "GET",
            format!("/api/v1/plan-actions/{a}"),
            None,
            [404, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "POST",
            "/api/v1/plans".into(),
            Some(new_plan),
            [403, 201, 403, 403, 403, 403, 403, 403],
        ),
        (
            "PATCH",
            format!("/api/v1/plans/{p}"),
            Some(json!({"title": "Piano 2027"})),
            [403, 200, 403, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            format!("/api/v1/plans/{p}/axes"),
            Some(json!({"title": "Casa"})),
            [403, 201, 403, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            format!("/api/v1/plans/{p}/actions"),
            Some(json!({"axis_id": axis, "title": "Altra"})),
            [403, 201, 403, 403, 403, 403, 403, 403],
        ),
        (
            "PATCH",
            format!("/api/v1/plan-actions/{a}"),
            Some(json!({"budget_cents": 100})),
            [403, 200, 403, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            format!("/api/v1/plan-actions/{a}/complete"),
            None,
            [403, 409, 403, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            format!("/api/v1/plan-actions/{a}/start"),
            None,
            [403, 200, 403, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            format!("/api/v1/plans/{p}/approve"),
            Some(json!({"approved_on": "2026-01-15", "reference": "Delibera n. 1"})),
            [403, 200, 403, 403, 403, 403, 403, 403],
        ),
    ];
    assert_matrix(app, &roles, &rows);
}

/// Meetings of a network other than the table: run by the district's coordinator and the
/// network's coordinating organization, read by its members' users, `404` for anyone else.
#[test]
fn network_meetings_answer_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let orgs = app
        .get("/api/v1/organizations?limit=200", &w.coord)
        .expect(200);
    let agenzia = orgs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Agenzia Sociale Lavoro & Società")
        .map(|o| s(&o["id"]))
        .unwrap();
    let pact = s(&app
        .post(
            "/api/v1/networks",
            &rete,
            json!({"kind": "inclusion_pact", "name": "Forum"}),
        )
        .expect(201)["id"]);
    for o in [&agenzia, &w.agency1] {
        app.post(
            &format!("/api/v1/networks/{pact}/members"),
            &rete,
            json!({"organization_id": o}),
        )
        .expect(201);
    }
    let day = today().to_string();
    let m = s(&app
        .post(
            "/api/v1/meetings",
            &rete,
            json!({"network_id": pact, "scheduled_for": day}),
        )
        .expect(201)["id"]);
    app.call(
        "POST",
        &format!("/api/v1/meetings/{m}/open"),
        Some(&rete),
        None,
    )
    .expect(200);
    let a = s(&app
        .post(
            &format!("/api/v1/meetings/{m}/action-items"),
            &rete,
            json!({"title": "Impegno"}),
        )
        .expect(201)["id"]);
    let table = s(&app
        .post("/api/v1/meetings", &w.coord, json!({"scheduled_for": day}))
        .expect(201)["id"]);

    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("rete", &rete),
        ("social", &w.social),
        ("op1", &w.op1),
        ("op2", &w.op2),
        ("observer", &w.observer),
    ];
    type Row = (&'static str, String, Option<Value>, [u16; 7]);
    //                                                 admin coord rete social op1  op2  obs
    let rows: Vec<Row> = vec![
        (
            "GET",
            format!("/api/v1/meetings/{m}"),
            None,
            [404, 200, 200, 404, 200, 404, 404],
        ),
        (
            "GET",
            format!("/api/v1/meetings?network_id={pact}"),
            None,
            [403, 200, 200, 200, 200, 200, 403],
        ),
        (
            "GET",
            format!("/api/v1/meetings/{m}/minutes"),
            None,
            [404, 200, 200, 404, 200, 404, 404],
        ),
        (
            "GET",
            format!("/api/v1/meetings/{m}/action-items"),
            None,
            [404, 200, 200, 404, 200, 404, 404],
        ),
        (
            "POST",
            "/api/v1/meetings".into(),
            Some(json!({"network_id": pact, "scheduled_for": day})),
            [403, 201, 201, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/api/v1/meetings".into(),
            Some(json!({"scheduled_for": day})),
            [403, 201, 403, 403, 403, 403, 403],
        ),
        (
            "PATCH",
            format!("/api/v1/meetings/{m}"),
            Some(json!({"location": "Sala civica"})),
            [403, 200, 200, 403, 403, 403, 403],
        ),
        (
            "POST",
            format!("/api/v1/meetings/{m}/action-items"),
            Some(json!({"title": "Altro impegno"})),
            [403, 201, 201, 403, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/action-items/{a}"),
            None,
            [404, 200, 200, 404, 200, 404, 404],
        ),
        (
            "PATCH",
            format!("/api/v1/action-items/{a}"),
            Some(json!({"title": "Impegno rivisto"})),
            [403, 200, 200, 403, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/meetings/{table}"),
            None,
            [404, 200, 404, 404, 404, 404, 404],
        ),
        (
            "POST",
            format!("/api/v1/meetings/{table}/open"),
            None,
            [403, 200, 404, 403, 403, 403, 403],
        ),
    ];
    assert_matrix(app, &roles, &rows);
}

/// Collective actions of a partnership: managed by the district's coordinator and the
/// partnership's coordinating organization (its network coordinator, its `networks:write`
/// client); participating members' users add their own agency's cases and read their rows;
/// other members and the observatory read the action and its counts; anyone else `404`.
#[test]
fn every_collective_action_endpoint_answers_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let orgs = app
        .get("/api/v1/organizations?limit=200", &w.coord)
        .expect(200);
    let by_name = |n: &str| {
        orgs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == n)
            .map(|o| s(&o["id"]))
            .unwrap()
    };
    let agenzia = by_name("Agenzia Sociale Lavoro & Società");
    let cr = client_token(&w, &agenzia, &["networks:read"]);
    let cw = client_token(&w, &agenzia, &["networks:read", "networks:write"]);
    let part = s(&app
        .post(
            "/api/v1/networks",
            &rete,
            json!({"kind": "territorial_partnership", "name": "Partenariato"}),
        )
        .expect(201)["id"]);
    let join = |o: &str| {
        s(&app
            .post(
                &format!("/api/v1/networks/{part}/members"),
                &rete,
                json!({"organization_id": o}),
            )
            .expect(201)["id"])
    };
    let m1 = join(&w.agency1);
    let m2 = join(&w.agency2);
    join(&by_name("Comune di Bergamo"));
    let c1 = w.case_for_agency1("Uno");
    let r2 = w.submitted("Due");
    let m = w.open_meeting();
    app.post(
        &format!("/api/v1/meetings/{m}/decisions"),
        &w.coord,
        json!({"referral_id": r2, "decision": "accept", "agency_id": w.agency2}),
    )
    .expect(200);
    w.close_meeting(&m);
    let c2 = s(&app
        .get(&format!("/api/v1/referrals/{r2}"), &w.coord)
        .expect(200)["case"]["id"]);
    let employer = s(&app
        .post(
            "/api/v1/organizations",
            &w.admin,
            json!({"district_id": w.district_id, "name": "Impresa bersaglio srl", "kind": "employer"}),
        )
        .expect(201)["id"]);
    let new_action = json!({"kind": "outplacement", "title": "Outplacement"});
    let created = |body: &Value| {
        s(&app
            .post(
                &format!("/api/v1/networks/{part}/collective-actions"),
                &rete,
                body.clone(),
            )
            .expect(201)["id"])
    };
    let a = created(&new_action);
    let b = created(&new_action);
    app.post(
        &format!("/api/v1/collective-actions/{a}/participants"),
        &rete,
        json!({"member_id": m1}),
    )
    .expect(201);
    app.post(
        &format!("/api/v1/collective-actions/{a}/beneficiaries"),
        &w.op1,
        json!({"case_id": c1}),
    )
    .expect(201);

    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("rete", &rete),
        ("social", &w.social),
        ("op1", &w.op1),
        ("op2", &w.op2),
        ("observer", &w.observer),
        ("client:read", &cr),
        ("client:write", &cw),
    ];
    type Row = (&'static str, String, Option<Value>, [u16; 9]);
    let ca = format!("/api/v1/collective-actions/{a}");
    // op1's agency takes part from the start; op2's from the participants row on, until the
    // participant's removal row.
    //                                         admin coord rete social op1  op2  obs  c:r  c:w
    let rows: Vec<Row> = vec![
        (
            "GET",
            format!("/api/v1/networks/{part}/collective-actions"),
            None,
            [404, 200, 200, 404, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            format!("/api/v1/networks/{part}/collective-actions"),
            Some(new_action.clone()),
            [403, 201, 201, 404, 403, 403, 403, 403, 201],
        ),
        (
            "GET",
            ca.clone(),
            None,
            [404, 200, 200, 404, 200, 200, 200, 200, 200],
        ),
        (
            "PATCH",
            ca.clone(),
            Some(json!({"description": "Lavoratori in esubero"})),
            [403, 200, 200, 404, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            format!("{ca}/results"),
            None,
            [404, 200, 200, 404, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            format!("{ca}/beneficiaries"),
            None,
            [404, 200, 403, 404, 200, 403, 403, 403, 403],
        ),
        (
            "POST",
            format!("{ca}/participants"),
            Some(json!({"member_id": m2})),
            [403, 201, 409, 404, 403, 403, 403, 403, 409],
        ),
        (
            "POST",
            format!("{ca}/employers"),
            Some(json!({"organization_id": employer})),
            [403, 201, 409, 404, 403, 403, 403, 403, 409],
        ),
        (
            "POST",
            format!("{ca}/beneficiaries"),
            Some(json!({"case_id": c2})),
            [403, 201, 409, 404, 422, 409, 403, 403, 409],
        ),
        (
            "DELETE",
            format!("{ca}/beneficiaries/{c2}"),
            None,
            [403, 200, 404, 404, 404, 404, 403, 403, 404],
        ),
        (
            "DELETE",
            format!("{ca}/employers/{employer}"),
            None,
            [403, 200, 404, 404, 403, 403, 403, 403, 404],
        ),
        (
            "DELETE",
            format!("{ca}/participants/{m2}"),
            None,
            [403, 200, 404, 404, 403, 403, 403, 403, 404],
        ),
        (
            "POST",
            format!("{ca}/start"),
            None,
            [403, 200, 409, 404, 403, 403, 403, 403, 409],
        ),
        (
            "POST",
            format!("{ca}/complete"),
            None,
            [403, 200, 409, 404, 403, 403, 403, 403, 409],
        ),
        (
            "POST",
            format!("/api/v1/collective-actions/{b}/cancel"),
            Some(json!({"reason": "Annullata"})),
            [403, 200, 409, 404, 403, 403, 403, 403, 409],
        ),
    ];
    assert_matrix(app, &roles, &rows);
}

#[test]
fn every_working_group_shared_response_and_proposal_endpoint_answers_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let agenzia = app
        .get("/api/v1/organizations?limit=200", &w.coord)
        .expect(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Agenzia Sociale Lavoro & Società")
        .map(|o| s(&o["id"]))
        .unwrap();
    let cr = client_token(&w, &agenzia, &["networks:read"]);
    let cw = client_token(&w, &agenzia, &["networks:read", "networks:write"]);
    // The social agency's forum, itself and agency 1 members (op1 reads it); a group on
    // housing; agency 1's offer (to move) and the agency's own, available (to propose).
    let forum = s(&app
        .post(
            "/api/v1/networks",
            &rete,
            json!({"kind": "inclusion_pact", "name": "Forum"}),
        )
        .expect(201)["id"]);
    let join = |o: &str| {
        s(&app
            .post(
                &format!("/api/v1/networks/{forum}/members"),
                &rete,
                json!({"organization_id": o}),
            )
            .expect(201)["id"])
    };
    let (ma, m1) = (join(&agenzia), join(&w.agency1));
    let g = s(&app
        .post(
            &format!("/api/v1/networks/{forum}/working-groups"),
            &rete,
            json!({"area": "housing"}),
        )
        .expect(201)["id"]);
    let offer = |member: &str| {
        json!({"member_id": member, "area": "housing", "title": "Sportello casa",
               "who_may_use": "Residenti", "how_to_access": "Su appuntamento"})
    };
    let sr = s(&app
        .post(
            &format!("/api/v1/networks/{forum}/shared-responses"),
            &w.op1,
            offer(&m1),
        )
        .expect(201)["id"]);
    let avail = s(&app
        .post(
            &format!("/api/v1/networks/{forum}/shared-responses"),
            &rete,
            offer(&ma),
        )
        .expect(201)["id"]);
    app.call(
        "POST",
        &format!("/api/v1/shared-responses/{avail}/make-available"),
        Some(&rete),
        None,
    )
    .expect(200);
    let case = w.case_for_agency1("Rossi");

    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("rete", &rete),
        ("social", &w.social),
        ("op1", &w.op1),
        ("op2", &w.op2),
        ("observer", &w.observer),
        ("client:read", &cr),
        ("client:write", &cw),
    ];
    type Row = (&'static str, String, Option<Value>, [u16; 9]);
    //                                         admin coord rete social op1  op2  obs  c:r  c:w
    let rows: Vec<Row> = vec![
        (
            "GET",
            format!("/api/v1/networks/{forum}/working-groups"),
            None,
            [404, 200, 200, 404, 200, 404, 403, 200, 200],
        ),
        (
            "POST",
            format!("/api/v1/networks/{forum}/working-groups"),
            Some(json!({"area": "transport"})),
            [403, 201, 409, 404, 403, 404, 403, 403, 409],
        ),
        (
            "GET",
            format!("/api/v1/working-groups/{g}"),
            None,
            [404, 200, 200, 404, 200, 404, 404, 200, 200],
        ),
        (
            "PATCH",
            format!("/api/v1/working-groups/{g}"),
            Some(json!({"purpose": "Sportelli casa"})),
            [403, 200, 200, 404, 403, 404, 403, 403, 200],
        ),
        (
            "POST",
            format!("/api/v1/working-groups/{g}/members"),
            Some(json!({"member_id": m1})),
            [403, 201, 409, 404, 403, 404, 403, 403, 409],
        ),
        (
            "POST",
            format!("/api/v1/working-groups/{g}/members/{m1}/leave"),
            None,
            [403, 200, 409, 404, 403, 404, 403, 403, 409],
        ),
        (
            "POST",
            format!("/api/v1/working-groups/{g}/close"),
            None,
            [403, 200, 409, 404, 403, 404, 403, 403, 409],
        ),
        (
            "GET",
            format!("/api/v1/networks/{forum}/shared-responses"),
            None,
            [404, 200, 200, 404, 200, 404, 403, 200, 200],
        ),
        (
            "POST",
            format!("/api/v1/networks/{forum}/shared-responses"),
            Some(offer(&m1)),
            [403, 201, 201, 404, 201, 404, 403, 403, 201],
        ),
        (
            "GET",
            format!("/api/v1/shared-responses/{sr}"),
            None,
            [404, 200, 200, 404, 200, 404, 404, 200, 200],
        ),
        (
            "PATCH",
            format!("/api/v1/shared-responses/{sr}"),
            Some(json!({"capacity": 5})),
            [403, 200, 200, 404, 200, 404, 403, 403, 200],
        ),
        (
            "POST",
            format!("/api/v1/shared-responses/{sr}/make-available"),
            None,
            [403, 200, 409, 404, 403, 404, 403, 403, 409],
        ),
        (
            "POST",
            format!("/api/v1/shared-responses/{sr}/withdraw"),
            None,
            [403, 200, 409, 404, 409, 404, 403, 403, 409],
        ),
        (
            "GET",
            format!("/api/v1/cases/{case}/shared-response-proposals"),
            None,
            [404, 200, 404, 404, 200, 404, 404, 403, 403],
        ),
        (
            "POST",
            format!("/api/v1/cases/{case}/shared-response-proposals"),
            Some(json!({"shared_response_id": avail})),
            [403, 403, 403, 403, 201, 404, 403, 403, 403],
        ),
    ];
    assert_matrix(app, &roles, &rows);
}

/// Asks every row as every role (edits carry `If-Match: *`, any version: these tests are about
/// who, not when) and fails listing each status that differs from the row's, and each refusal
/// that is not `application/problem+json`.
fn assert_matrix<const N: usize>(
    app: &TestApp,
    roles: &[(&str, &str)],
    rows: &[(&'static str, String, Option<Value>, [u16; N])],
) {
    let mut failures = Vec::new();
    for (method, path, body, expected) in rows {
        for ((role, token), want) in roles.iter().zip(expected) {
            let r = app.with_headers(method, path, token, &[("If-Match", "*")], body.as_ref());
            if r.status != *want {
                failures.push(format!(
                    "{method} {path} as {role}: got {} want {want}: {}",
                    r.status, r.text
                ));
            } else if r.status >= 400 && r.content_type != "application/problem+json" {
                failures.push(format!("{method} {path} as {role}: not problem+json"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The opportunity board, matching and proposals, and the reads of projects, monitoring and
/// plan exports: every role of the district reads what is published (and its own drafts),
/// members publish their own, the coordinator any and alone withdraws; clients by scope.
#[test]
fn every_opportunity_and_project_endpoint_answers_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let reader = client_token(&w, &w.agency1, &["opportunities:read"]);
    let writer = client_token(&w, &w.agency1, &["opportunities:write"]);
    let other_scope = client_token(&w, &w.agency1, &["cases:read"]);
    let day = |n: i64| (today() + chrono::Duration::days(n)).to_string();
    let course = json!({"kind": "training_course", "area": "training", "title": "Corso",
        "description": "Un corso", "apply_by": day(10), "how_to_apply": "Colloquio",
        "contact": "cfp@example.test"});
    let mut published = course.clone();
    published["publish"] = json!(true);
    let pubd = s(&app
        .post("/api/v1/opportunities", &w.op1, published)
        .expect(201)["id"]);
    let draft = s(&app
        .post("/api/v1/opportunities", &w.op1, course.clone())
        .expect(201)["id"]);
    let case = w.case_for_agency1("Uno");
    w.take_charge(&case);
    let plan = s(&app
        .post(
            "/api/v1/plans",
            &w.coord,
            json!({"title": "Piano", "period_start": "2027-01-01", "period_end": "2027-12-31"}),
        )
        .expect(201)["id"]);
    let project = s(&app
        .post(
            "/api/v1/projects",
            &w.coord,
            json!({"title": "Un Ponte per il lavoro", "funder": "Regione Lombardia"}),
        )
        .expect(201)["id"]);
    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("rete", &rete),
        ("social", &w.social),
        ("op1", &w.op1),
        ("op2", &w.op2),
        ("observer", &w.observer),
        ("client:read", &reader),
        ("client:write", &writer),
        ("client:other", &other_scope),
    ];
    type Row = (&'static str, String, Option<Value>, [u16; 10]);
    //                                      admin coord rete social op1  op2  obs  c:r  c:w  c:oth
    let rows: Vec<Row> = vec![
        (
            "GET",
            "/api/v1/opportunities".into(),
            None,
            [403, 200, 200, 200, 200, 200, 200, 200, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/opportunities/{pubd}"),
            None,
            [404, 200, 200, 200, 200, 200, 200, 200, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/opportunities/{draft}"),
            None,
            [404, 200, 404, 404, 200, 404, 404, 200, 403, 403],
        ),
        (
            "POST",
            "/api/v1/opportunities".into(),
            Some(course.clone()),
            [403, 201, 403, 403, 201, 201, 403, 403, 201, 403],
        ),
        (
            "PATCH",
            format!("/api/v1/opportunities/{draft}"),
            Some(json!({"title": "Corso serale"})),
            [403, 200, 404, 404, 200, 404, 403, 403, 200, 403],
        ),
        (
            "GET",
            format!("/api/v1/cases/{case}/opportunities"),
            None,
            [404, 200, 404, 404, 200, 404, 404, 403, 403, 200],
        ),
        (
            "POST",
            format!("/api/v1/cases/{case}/opportunity-proposals"),
            Some(json!({"opportunity_id": pubd})),
            [403, 403, 403, 403, 201, 404, 403, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/cases/{case}/opportunity-proposals"),
            None,
            [404, 200, 404, 404, 200, 404, 404, 403, 403, 200],
        ),
        (
            "POST",
            format!("/api/v1/opportunities/{pubd}/withdraw"),
            Some(json!({"reason": "Annullato"})),
            [403, 200, 404, 404, 403, 404, 403, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/projects/{project}/monitoring"),
            None,
            [404, 200, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/plans/{plan}/monitoring"),
            None,
            [404, 200, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/plans/{plan}/export.xlsx"),
            None,
            [404, 200, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/plans/{plan}/export.pdf"),
            None,
            [404, 200, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
    ];
    assert_matrix(app, &roles, &rows);
}

#[test]
fn every_privacy_endpoint_answers_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    // A case at agency 1 (person registered by the social worker); a person of the PASS.
    let c1 = w.case_for_agency1("Uno");
    let p1 = s(&app
        .get(&format!("/api/v1/cases/{c1}"), &w.coord)
        .expect(200)["person"]["id"]);
    let p_pass = w.person(&w.pass, "Quattro", "Anna", "1990-05-12", 'F');
    let notice_given = s(&app
        .get(&format!("/api/v1/persons/{p1}/consents"), &w.coord)
        .expect(200)["items"][0]["id"]);
    let dpo = app.login("dpo@demo.test");
    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("social", &w.social),
        ("pass", &w.pass),
        ("op1", &w.op1),
        ("op2", &w.op2),
        ("observer", &w.observer),
        ("dpo", &dpo),
    ];
    let give = json!({"kind": "notice", "notice_id": w.notice, "method": "in_person"});
    type Row = (&'static str, String, Option<Value>, [u16; 8]);
    //                                         admin coord social pass op1  op2  observer dpo
    let rows: Vec<Row> = vec![
        (
            "GET",
            format!("/api/v1/persons/{p1}/consents"),
            None,
            [403, 200, 200, 404, 200, 404, 403, 200],
        ),
        (
            "GET",
            format!("/api/v1/persons/{p_pass}/consents"),
            None,
            [403, 200, 404, 200, 404, 404, 403, 200],
        ),
        (
            "POST",
            format!("/api/v1/persons/{p1}/consents"),
            Some(give.clone()),
            [403, 201, 201, 404, 201, 404, 403, 403],
        ),
        (
            "POST",
            format!("/api/v1/persons/{p_pass}/consents"),
            Some(give),
            [403, 201, 404, 201, 404, 404, 403, 403],
        ),
        // A notice given is never withdrawn: who gets that far is told 409.
        (
            "POST",
            format!("/api/v1/persons/{p1}/consents/{notice_given}/withdraw"),
            None,
            [403, 409, 409, 404, 409, 404, 403, 403],
        ),
        (
            "GET",
            format!("/api/v1/persons/{p1}/data-export"),
            None,
            [403, 200, 403, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/v1/privacy-notices".into(),
            None,
            [403, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/api/v1/privacy-notices".into(),
            Some(
                json!({"purpose": "opportunity_contact", "title": "Informativa",
                "body": "Testo.", "valid_from": today().to_string()}),
            ),
            [403, 201, 403, 403, 403, 403, 403, 403],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &rows {
        for ((role, token), want) in roles.iter().zip(expected) {
            let r = app.with_headers(method, path, token, &[], body.as_ref());
            if r.status != *want {
                failures.push(format!(
                    "{method} {path} as {role}: got {} want {want}: {}",
                    r.status, r.text
                ));
            } else if r.status >= 400 && r.content_type != "application/problem+json" {
                failures.push(format!("{method} {path} as {role}: not problem+json"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The registers of processing activities (art. 30) and of data breaches (art. 33): the DPO reads
/// and keeps them, the coordinator reads its district's, every other role and every integration
/// client is refused; a breach of another district is `404` even to that district's DPO.
#[test]
fn the_privacy_registers_answer_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let client = client_token(&w, &w.agency1, &["referrals:read", "cases:read"]);
    let now = chrono::Utc::now();
    let body = json!({
        "title": "Portatile smarrito", "description": "Smarrito in treno.",
        "occurred_at": (now - chrono::Duration::hours(3)).to_rfc3339(),
        "discovered_at": (now - chrono::Duration::hours(2)).to_rfc3339(),
        "data_categories": ["identity"], "subject_categories": ["beneficiaries"],
        "subjects_affected": 3, "records_affected": 3,
        "consequences": "Nessuna nota.", "measures_taken": "Password cambiate."
    });
    let breach = s(&app
        .post("/api/v1/privacy/breaches", &dpo, body.clone())
        .expect(201)["id"]);

    // The DPO of another district.
    let other = app
        .post(
            "/api/v1/districts",
            &w.admin,
            json!({"code": "AMBITO-2", "name": "Ambito 2 – Dalmine"}),
        )
        .expect(201);
    app.post(
        "/api/v1/users",
        &w.admin,
        json!({"email": "dpo@dalmine.test", "full_name": "Rita Dalmine", "password": "Sicura-2026!",
               "role": "privacy_officer", "district_id": other["id"]}),
    )
    .expect(201);
    let other_dpo = s(&app.login_full("dpo@dalmine.test", "Sicura-2026!")["access_token"]);

    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("social", &w.social),
        ("pass", &w.pass),
        ("op1", &w.op1),
        ("observer", &w.observer),
        ("dpo", &dpo),
        ("other_dpo", &other_dpo),
        ("client", &client),
    ];
    let note = json!({"notes": "Verificato."});
    type Row = (&'static str, String, Option<Value>, [u16; 9]);
    //                                         admin coord social pass op1  observer dpo  other_dpo client
    let rows: Vec<Row> = vec![
        (
            "GET",
            "/api/v1/privacy/register".into(),
            None,
            [403, 200, 403, 403, 403, 403, 200, 200, 403],
        ),
        (
            "GET",
            "/api/v1/privacy/register?format=pdf".into(),
            None,
            [403, 200, 403, 403, 403, 403, 200, 200, 403],
        ),
        (
            "GET",
            "/api/v1/privacy/register/activities/take_charge".into(),
            None,
            [404, 200, 404, 404, 404, 404, 200, 200, 403],
        ),
        (
            "PATCH",
            "/api/v1/privacy/register/activities/take_charge".into(),
            Some(note),
            [403, 403, 403, 403, 403, 403, 200, 200, 403],
        ),
        (
            "GET",
            "/api/v1/privacy/breaches".into(),
            None,
            [403, 200, 403, 403, 403, 403, 200, 200, 403],
        ),
        (
            "POST",
            "/api/v1/privacy/breaches".into(),
            Some(body),
            [403, 403, 403, 403, 403, 403, 201, 201, 403],
        ),
        (
            "GET",
            format!("/api/v1/privacy/breaches/{breach}"),
            None,
            [404, 200, 404, 404, 404, 404, 200, 404, 403],
        ),
        (
            "PATCH",
            format!("/api/v1/privacy/breaches/{breach}"),
            Some(json!({"records_affected": 4})),
            [403, 403, 403, 403, 403, 403, 200, 404, 403],
        ),
    ];
    assert_matrix(app, &roles, &rows);
    // The other district's DPO lists only its own breach.
    let theirs = app.get("/api/v1/privacy/breaches", &other_dpo).expect(200);
    assert!(theirs["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["id"] != breach.as_str()));
}

#[test]
fn every_export_endpoint_answers_each_role_as_its_list_does() {
    let dir =
        common::TempDir(std::env::temp_dir().join(format!("sl-authz-{}", uuid::Uuid::new_v4())));
    let path = dir.0.clone();
    let w = World::with(move |c| c.data_dir = path);
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("social", &w.social),
        ("pass", &w.pass),
        ("op1", &w.op1),
        ("op2", &w.op2),
        ("observer", &w.observer),
        ("dpo", &dpo),
    ];
    let export = |list: &str| json!({"list": list, "format": "csv"});
    //                                  admin coord social pass op1  op2  observer dpo
    let rows: Vec<(Value, [u16; 8])> = vec![
        (
            export("referrals"),
            [403, 202, 202, 202, 403, 403, 403, 403],
        ),
        (export("cases"), [403, 202, 403, 403, 202, 202, 403, 403]),
        (
            export("activations"),
            [403, 202, 403, 403, 202, 202, 403, 403],
        ),
        (export("persons"), [403, 202, 202, 202, 202, 202, 403, 403]),
        (
            export("thresholds"),
            [403, 202, 403, 403, 202, 202, 403, 403],
        ),
        (
            export("opportunities"),
            [403, 202, 202, 202, 202, 202, 202, 403],
        ),
    ];
    let mut failures = Vec::new();
    let mut coord_export = None;
    for (body, expected) in &rows {
        for ((role, token), want) in roles.iter().zip(expected) {
            let r = app.with_headers("POST", "/api/v1/exports", token, &[], Some(body));
            if r.status != *want {
                failures.push(format!(
                    "POST /exports {body} as {role}: got {} want {want}: {}",
                    r.status, r.text
                ));
            } else if r.status >= 400 && r.content_type != "application/problem+json" {
                failures.push(format!("POST /exports {body} as {role}: not problem+json"));
            } else if r.status == 202 && *role == "coord" {
                coord_export = Some(s(&r.json()["id"]));
            }
        }
    }
    // Someone else's export, and its file, do not exist for anyone but whoever started it.
    let id = coord_export.unwrap();
    for (role, token) in &roles {
        for path in [
            format!("/api/v1/exports/{id}"),
            format!("/api/v1/exports/{id}/file"),
        ] {
            let r = app.get(&path, token);
            let ok = if *role == "coord" {
                r.status != 404
            } else {
                r.status == 404
            };
            if !ok {
                failures.push(format!("GET {path} as {role}: got {}", r.status));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_restriction_anonymisation_and_retention_endpoint_answers_each_role_as_the_rules_say() {
    let w = World::new();
    let app = &w.app;
    let c1 = w.case_for_agency1("Uno");
    let p1 = s(&app
        .get(&format!("/api/v1/cases/{c1}"), &w.coord)
        .expect(200)["person"]["id"]);
    let dpo = app.login("dpo@demo.test");
    let ask = |p: &str| {
        s(&app
            .post(
                &format!("/api/v1/persons/{p}/anonymisation-requests"),
                &w.coord,
                json!({"legal_ground": "objection", "reason": "La persona si oppone."}),
            )
            .expect(201)["id"])
    };
    let to_reject = ask(&w.person(&w.social, "Rifiuto", "Anna", "1991-05-12", 'F'));
    let to_approve = ask(&w.person(&w.pass, "Approvo", "Anna", "1992-05-12", 'F'));
    let p_new = w.person(&w.social, "Nuova", "Anna", "1993-05-12", 'F');
    let roles: Vec<(&str, &str)> = vec![
        ("admin", &w.admin),
        ("coord", &w.coord),
        ("social", &w.social),
        ("pass", &w.pass),
        ("op1", &w.op1),
        ("op2", &w.op2),
        ("observer", &w.observer),
        ("dpo", &dpo),
    ];
    let why = json!({"reason": "Verifica dell'esattezza dei dati."});
    type Row = (&'static str, String, Option<Value>, [u16; 8]);
    // Rows run in order, each role in turn: the first role allowed changes the state.
    //                                         admin coord social pass op1  op2  observer dpo
    let rows: Vec<Row> = vec![
        (
            "POST",
            format!("/api/v1/persons/{p1}/restriction"),
            Some(why.clone()),
            [403, 200, 403, 403, 403, 403, 403, 409],
        ),
        (
            "GET",
            format!("/api/v1/persons/{p1}"),
            None,
            [403, 200, 404, 404, 404, 404, 403, 200],
        ),
        (
            "GET",
            format!("/api/v1/cases/{c1}"),
            None,
            [404, 200, 404, 404, 404, 404, 404, 404],
        ),
        (
            "POST",
            format!("/api/v1/persons/{p1}/restriction/lift"),
            Some(why),
            [403, 200, 403, 403, 403, 403, 403, 409],
        ),
        (
            "POST",
            format!("/api/v1/persons/{p_new}/anonymisation-requests"),
            Some(json!({"legal_ground": "no_longer_necessary", "reason": "Percorso concluso."})),
            [403, 201, 403, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/api/v1/anonymisation-requests?state=pending".into(),
            None,
            [403, 200, 403, 403, 403, 403, 403, 200],
        ),
        (
            "POST",
            format!("/api/v1/anonymisation-requests/{to_reject}/reject"),
            None,
            [403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "POST",
            format!("/api/v1/anonymisation-requests/{to_approve}/approve"),
            None,
            [403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "POST",
            "/api/v1/anonymisation-requests/01a00000-0000-7000-8000-000000000000/approve".into(),
            None,
            [403, 403, 403, 403, 403, 403, 403, 404],
        ),
        (
            "GET",
            "/api/v1/retention/preview".into(),
            None,
            [403, 200, 403, 403, 403, 403, 403, 200],
        ),
        (
            "PATCH",
            format!("/api/v1/districts/{}", w.district_id),
            Some(json!({"retention_years": 12})),
            [200, 200, 403, 403, 403, 403, 403, 403],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &rows {
        for ((role, token), want) in roles.iter().zip(expected) {
            let r = if *method == "PATCH" {
                app.patch(path, token, body.clone().unwrap_or_default())
            } else {
                app.with_headers(method, path, token, &[], body.as_ref())
            };
            if r.status != *want {
                failures.push(format!(
                    "{method} {path} as {role}: got {} want {want}: {}",
                    r.status, r.text
                ));
            } else if r.status >= 400 && r.content_type != "application/problem+json" {
                failures.push(format!("{method} {path} as {role}: not problem+json"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
