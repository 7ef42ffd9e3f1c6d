//! Data protection over HTTP (issue 14, A.1): the district's privacy notices, versioned per
//! purpose; per person, the notices given and the consents collected, with their lifecycle
//! (given → withdrawn | expired); a referral sent to the table only once the notice is
//! recorded, unless the coordinator says why; and a withdrawal that stops what it covered.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::world::{s, tax_code, today, World};
use serde_json::{json, Value};

/// A person registered by the social worker, without any notice recorded.
fn bare_person(w: &World, last: &str) -> String {
    let body = json!({
        "tax_code": tax_code(last, "Anna", "1990-05-12", 'F'), "first_name": "Anna",
        "last_name": last, "birth_date": "1990-05-12", "gender": "F",
        "residence_municipality_code": "016024", "employment_status": "unemployed"
    });
    s(&w.app.post("/api/v1/persons", &w.social, body).expect(201)["id"])
}

fn draft_of(w: &World, person: &str) -> String {
    s(&w.app
        .post(
            "/api/v1/referrals",
            &w.social,
            json!({"person_id": person, "needs": ["work"], "reason": "Cerca lavoro da un anno."}),
        )
        .expect(201)["id"])
}

fn consents(w: &World, token: &str, person: &str) -> Value {
    w.app
        .get(&format!("/api/v1/persons/{person}/consents"), token)
        .expect(200)
}

fn consent(w: &World, token: &str, person: &str, body: Value) -> common::Resp {
    w.app
        .post(&format!("/api/v1/persons/{person}/consents"), token, body)
}

fn current(w: &World, token: &str) -> Vec<Value> {
    w.app
        .get("/api/v1/privacy-notices?current=true", token)
        .expect(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_referral_waits_for_the_notice_unless_the_coordinator_says_why() {
    let w = World::new();
    let app = &w.app;
    let person = bare_person(&w, "Bonetti");
    let r = draft_of(&w, &person);
    let submit = format!("/api/v1/referrals/{r}/submit");

    // Without the notice the referral stays a draft: 409 notice_missing, told in Italian.
    let refused = app.call("POST", &submit, Some(&w.social), None).expect(409);
    assert_eq!(refused["code"], "notice_missing");
    assert!(s(&refused["type"]).ends_with("notice_missing"));
    assert!(s(&refused["detail"]).contains("informativa"));
    assert_eq!(
        app.get(&format!("/api/v1/referrals/{r}"), &w.social)
            .expect(200)["status"],
        "draft"
    );

    // A notice needs its version; the one given is recorded with how and by whom.
    let missing = consent(
        &w,
        &w.social,
        &person,
        json!({"kind": "notice", "method": "in_person"}),
    )
    .expect(422);
    assert_eq!(missing["errors"][0]["field"], "notice_id");
    assert_eq!(missing["errors"][0]["code"], "required");
    let given = consent(
        &w,
        &w.social,
        &person,
        json!({"kind": "notice", "notice_id": w.notice, "method": "signed_paper"}),
    )
    .expect(201);
    assert_eq!(given["status"], "given");
    assert_eq!(given["purpose"], "referral_and_case");
    assert_eq!(given["notice_version"], 1);
    assert_eq!(given["method"], "signed_paper");
    assert_eq!(given["allowed_actions"], json!([]));
    let sent = app.call("POST", &submit, Some(&w.social), None).expect(200);
    assert_eq!(sent["status"], "submitted");

    // The coordinator records a referral received by phone for a person without the notice:
    // refused, unless it says why; the reason stays in the referral's history.
    let other = bare_person(&w, "Locatelli");
    let social_service = s(&app.get("/api/v1/me", &w.social).expect(200)["organization"]["id"]);
    let on_behalf = json!({"person_id": other, "needs": ["work"], "reason": "Telefonata del servizio.",
        "organization_id": social_service, "received_via": "phone"});
    assert_eq!(
        app.post("/api/v1/referrals", &w.coord, on_behalf.clone())
            .problem(409),
        "notice_missing"
    );
    let mut with_reason = on_behalf.clone();
    with_reason["notice_override_reason"] =
        json!("Persona in ospedale: informativa alla dimissione.");
    let made = app
        .post("/api/v1/referrals", &w.coord, with_reason)
        .expect(201);
    assert_eq!(made["status"], "submitted");
    let detail = app
        .get(&format!("/api/v1/referrals/{}", s(&made["id"])), &w.coord)
        .expect(200);
    let overrides: Vec<&Value> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["action"] == "notice_override")
        .collect();
    assert_eq!(overrides.len(), 1);
    assert_eq!(
        overrides[0]["reason"],
        "Persona in ospedale: informativa alla dimissione."
    );
    // A referrer cannot override.
    let third = bare_person(&w, "Pesenti");
    let own = app
        .post(
            "/api/v1/referrals",
            &w.social,
            json!({"person_id": third, "needs": ["work"], "reason": "Cerca lavoro.",
                "notice_override_reason": "Non serve."}),
        )
        .expect(422);
    assert_eq!(own["errors"][0]["field"], "notice_override_reason");
}

#[test]
fn notices_are_versioned_per_purpose_and_current_lists_those_in_force() {
    let w = World::new();
    let app = &w.app;
    let notice = |token: &str, purpose: &str, from: String| {
        app.post(
            "/api/v1/privacy-notices",
            token,
            json!({"purpose": purpose, "title": "Informativa", "body": "Testo aggiornato.",
                "valid_from": from}),
        )
    };
    // Only the coordinator writes them; everyone of the district reads them.
    assert_eq!(
        notice(&w.social, "referral_and_case", today().to_string()).problem(403),
        "forbidden"
    );
    let dpo = app.login("dpo@demo.test");
    for token in [&w.social, &w.op1, &w.observer, &dpo] {
        assert_eq!(current(&w, token).len(), 1);
    }
    // A second version from today replaces the first; one that starts before it is refused.
    let v2 = notice(&w.coord, "referral_and_case", today().to_string()).expect(201);
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["current"], true);
    let early = notice(&w.coord, "referral_and_case", "2019-06-01".into()).expect(422);
    assert_eq!(early["errors"][0]["code"], "before_previous");
    let blank = app
        .post(
            "/api/v1/privacy-notices",
            &w.coord,
            json!({"purpose": "opportunity_contact", "title": "  ", "body": "x",
                "valid_from": "1850-01-01"}),
        )
        .expect(422);
    let fields: Vec<&str> = blank["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["title", "valid_from"]);
    // A third version from tomorrow is listed but not yet in force.
    let tomorrow = (today() + Duration::days(1)).to_string();
    let v3 = notice(&w.coord, "referral_and_case", tomorrow).expect(201);
    assert_eq!(v3["current"], false);
    let all = app.get("/api/v1/privacy-notices", &w.social).expect(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    let now = current(&w, &w.social);
    assert_eq!(now.len(), 1);
    assert_eq!(now[0]["id"], v2["id"]);

    // Only the version in force is recorded as given: the old one is refused.
    let person = bare_person(&w, "Rota");
    let old = consent(
        &w,
        &w.social,
        &person,
        json!({"kind": "notice", "notice_id": w.notice, "method": "in_person"}),
    )
    .expect(422);
    assert_eq!(old["errors"][0]["code"], "not_in_force");
    // The clock brings version 3 in force.
    app.clock.advance(Duration::days(2));
    let now = current(&w, &w.social);
    assert_eq!(now[0]["id"], v3["id"]);
    assert_eq!(now[0]["version"], 3);
}

#[test]
fn a_consent_is_given_withdrawn_by_whom_and_when_or_expires_by_the_clock() {
    let w = World::new();
    let app = &w.app;
    let person = w.person(&w.social, "Gotti", "Marco", "1985-03-04", 'M');

    // Consent is not the basis of the services themselves.
    let not_needed = consent(
        &w,
        &w.social,
        &person,
        json!({"kind": "consent", "purpose": "referral_and_case", "method": "in_person"}),
    )
    .expect(422);
    assert_eq!(not_needed["errors"][0]["code"], "no_consent_needed");
    let past = consent(
        &w,
        &w.social,
        &person,
        json!({"kind": "consent", "purpose": "opportunity_contact", "method": "online",
            "expires_on": (today() - Duration::days(1)).to_string()}),
    )
    .expect(422);
    assert_eq!(past["errors"][0]["field"], "expires_on");

    // Being contacted about opportunities, for ten days.
    let last_day = today() + Duration::days(10);
    let c = consent(
        &w,
        &w.social,
        &person,
        json!({"kind": "consent", "purpose": "opportunity_contact", "method": "online",
            "expires_on": last_day.to_string()}),
    )
    .expect(201);
    assert_eq!(c["status"], "given");
    assert_eq!(c["allowed_actions"], json!(["withdraw"]));
    assert_eq!(
        consent(
            &w,
            &w.social,
            &person,
            json!({"kind": "consent", "purpose": "opportunity_contact", "method": "phone"}),
        )
        .problem(409),
        "duplicate"
    );
    // Eleven days on it has expired, and cannot be withdrawn.
    app.clock.advance(Duration::days(11));
    let list = consents(&w, &w.social, &person);
    let expired = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == c["id"])
        .unwrap()
        .clone();
    assert_eq!(expired["status"], "expired");
    assert_eq!(expired["allowed_actions"], json!([]));
    let withdraw = |id: &Value| {
        app.post(
            &format!("/api/v1/persons/{person}/consents/{}/withdraw", s(id)),
            &w.social,
            json!({"reason": "Chiesto dalla persona allo sportello."}),
        )
    };
    assert_eq!(withdraw(&c["id"]).problem(409), "invalid_transition");

    // A new consent, withdrawn: who, when and why are kept.
    let again = consent(
        &w,
        &w.social,
        &person,
        json!({"kind": "consent", "purpose": "opportunity_contact", "method": "in_person"}),
    )
    .expect(201);
    let gone = withdraw(&again["id"]).expect(200);
    assert_eq!(gone["status"], "withdrawn");
    assert!(gone["withdrawn_at"].is_string());
    assert!(gone["withdrawn_by"].is_string());
    assert_eq!(
        gone["withdrawal_reason"],
        "Chiesto dalla persona allo sportello."
    );
    assert_eq!(withdraw(&again["id"]).problem(409), "invalid_transition");
    // A notice given is a fact, not a consent: it is not withdrawn.
    let notice = &consents(&w, &w.social, &person)["items"][0];
    assert_eq!(notice["kind"], "notice");
    assert_eq!(withdraw(&notice["id"]).problem(409), "invalid_transition");

    // The DPO reads the legal basis of every person of the district, and the person's record
    // itself to handle her requests (A.2: restriction, anonymisation) — never the special
    // categories nor the lists; the observer neither; an agency that does not follow the
    // person gets 404.
    let dpo = app.login("dpo@demo.test");
    assert_eq!(
        consents(&w, &dpo, &person)["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let record = app
        .get(&format!("/api/v1/persons/{person}"), &dpo)
        .expect(200);
    assert!(record["sensitive"].is_null(), "{record}");
    assert_eq!(app.get("/api/v1/persons", &dpo).status, 403);
    assert_eq!(
        app.get(&format!("/api/v1/persons/{person}/consents"), &w.observer)
            .status,
        403
    );
    assert_eq!(
        app.get(&format!("/api/v1/persons/{person}/consents"), &w.op2)
            .status,
        404
    );
    assert_eq!(
        consent(
            &w,
            &dpo,
            &person,
            json!({"kind": "consent", "purpose": "opportunity_contact", "method": "in_person"}),
        )
        .status,
        403
    );
}

/// The id of a demo organization, by name.
fn org(w: &World, name: &str) -> String {
    let all = w
        .app
        .get("/api/v1/organizations?limit=200", &w.coord)
        .expect(200);
    all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .map(|o| s(&o["id"]))
        .unwrap()
}

#[test]
fn withdrawing_the_partnership_consent_takes_the_person_out_of_collective_actions() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let network = s(&app
        .post(
            "/api/v1/networks",
            &w.coord,
            json!({"kind": "territorial_partnership", "name": "Partenariato per la ricollocazione",
                   "coordinating_organization_id": org(&w, "Agenzia Sociale Lavoro & Società")}),
        )
        .expect(201)["id"]);
    let member = s(&app
        .post(
            &format!("/api/v1/networks/{network}/members"),
            &rete,
            json!({"organization_id": w.agency1}),
        )
        .expect(201)["id"]);
    let action = s(&app
        .post(
            &format!("/api/v1/networks/{network}/collective-actions"),
            &rete,
            json!({"kind": "outplacement", "title": "Outplacement Tessitura Orobica",
                   "description": "Lavoratori in esubero", "starts_on": today().to_string()}),
        )
        .expect(201)["id"]);
    let url = format!("/api/v1/collective-actions/{action}");
    app.post(
        &format!("{url}/participants"),
        &rete,
        json!({"member_id": member}),
    )
    .expect(201);
    let case = w.case_for_agency1("Brignoli");
    let person = s(&app
        .get(&format!("/api/v1/cases/{case}"), &w.coord)
        .expect(200)["person"]["id"]);
    let other_case = w.case_for_agency1("Carminati");
    for c in [&case, &other_case] {
        app.post(
            &format!("{url}/beneficiaries"),
            &w.coord,
            json!({"case_id": c}),
        )
        .expect(201);
    }
    let c = consent(
        &w,
        &w.op1,
        &person,
        json!({"kind": "consent", "purpose": "partnership_sharing", "method": "signed_paper"}),
    )
    .expect(201);
    let beneficiaries = |token: &str| -> Vec<(String, bool)> {
        app.get(&format!("{url}/beneficiaries"), token).expect(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (s(&b["case_id"]), b["current"].as_bool().unwrap_or(false)))
            .collect()
    };
    assert!(beneficiaries(&w.coord).iter().all(|(_, current)| *current));

    app.post(
        &format!("/api/v1/persons/{person}/consents/{}/withdraw", s(&c["id"])),
        &w.op1,
        json!({}),
    )
    .expect(200);
    let after = beneficiaries(&w.coord);
    assert!(after.contains(&(case.clone(), false)), "{after:?}");
    assert!(after.contains(&(other_case.clone(), true)), "{after:?}");
}

/// A GET answered as bytes, with its content type.
fn raw(w: &World, path: &str, token: &str, accept: Option<&str>) -> (u16, String, Vec<u8>) {
    use std::io::Read;
    let mut req = ureq::get(&w.app.url(path)).set("Authorization", &format!("Bearer {token}"));
    if let Some(a) = accept {
        req = req.set("Accept", a);
    }
    let r = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = r.status();
    let ct = r.header("content-type").unwrap_or_default().to_string();
    let mut out = Vec::new();
    r.into_reader().read_to_end(&mut out).unwrap();
    (status, ct, out)
}

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap()
}

#[test]
fn the_dpo_exports_everything_held_about_a_person_and_who_read_or_changed_it() {
    let w = World::new();
    let app = &w.app;
    let case = w.case_for_agency1("Bianchi");
    let person = s(&app
        .get(&format!("/api/v1/cases/{case}"), &w.coord)
        .expect(200)["person"]["id"]);
    app.get(&format!("/api/v1/persons/{person}"), &w.social)
        .expect(200);
    let dpo = app.login("dpo@demo.test");
    let url = format!("/api/v1/persons/{person}/data-export");

    let e = app.get(&url, &dpo).expect(200);
    assert_eq!(e["person"]["last_name"], "Bianchi");
    assert!(e["person"]["sensitive"].is_object());
    assert_eq!(e["referrals"].as_array().unwrap().len(), 1);
    assert_eq!(e["cases"].as_array().unwrap().len(), 1);
    assert_eq!(e["cases"][0]["id"], case);
    assert!(!e["activations"].as_array().unwrap().is_empty());
    assert_eq!(e["consents"][0]["kind"], "notice");
    let history = e["history"].as_array().unwrap();
    let social_id = s(&app.get("/api/v1/me", &w.social).expect(200)["id"]);
    assert!(history
        .iter()
        .any(|h| h["kind"] == "read" && h["actor_id"] == social_id.as_str()));
    assert!(history.iter().any(|h| h["kind"] == "change"
        && h["entity_type"] == "referral"
        && h["action"] == "submit"));
    assert!(history.iter().any(|h| h["entity_type"] == "notice"
        && h["action"] == "give"
        && h["actor_name"].is_string()));
    // The export is itself a logged read (the demo's DPO is Silvia Moretti).
    let again = app.get(&url, &w.coord).expect(200);
    assert!(again["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["kind"] == "read" && h["actor_name"] == "Silvia Moretti"));

    // An Italian PDF the person can read, by format or by Accept.
    for (path, accept) in [
        (format!("{url}?format=pdf"), None),
        (url.clone(), Some("application/pdf")),
    ] {
        let (status, ct, bytes) = raw(&w, &path, &dpo, accept);
        assert_eq!(status, 200);
        assert_eq!(ct, "application/pdf");
        let text = pdf_text(&bytes);
        assert!(text.contains("I tuoi dati"), "{text}");
        assert!(text.contains("Bianchi"), "{text}");
        assert!(text.contains("Informativa ricevuta"), "{text}");
    }
    assert_eq!(app.get(&format!("{url}?format=xml"), &dpo).status, 422);
    // Only the DPO and the coordinator.
    for token in [&w.social, &w.op1, &w.observer, &w.admin] {
        assert_eq!(app.get(&url, token).status, 403);
    }
}
