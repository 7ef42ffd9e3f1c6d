//! The collective actions of a partnership over HTTP (seed 001): an outplacement action with
//! its members taking part, target employers and beneficiaries — cases of the participating
//! agencies — whose results follow the cases (hired at closing, still employed at the
//! six-month check) and are never typed in; the state moves with who, when and why; who sees
//! and does what; the beneficiary list as a logged read of personal data.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::world::{s, today, World};
use common::Resp;
use serde_json::{json, Value};

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
        .unwrap_or_else(|| panic!("no organization {name}"))
}

fn action_url(id: &str) -> String {
    format!("/api/v1/collective-actions/{id}")
}

/// A state move with the action's current `ETag`.
fn act(w: &World, token: &str, id: &str, action: &str, body: Option<Value>) -> Resp {
    let path = action_url(id);
    let tag = w.app.get(&path, token).header("etag").unwrap().to_string();
    w.app.with_headers(
        "POST",
        &format!("{path}/{action}"),
        token,
        &[("If-Match", &tag)],
        body.as_ref(),
    )
}

fn delete(w: &World, token: &str, path: &str) -> Resp {
    w.app.call("DELETE", path, Some(token), None)
}

/// A person referred and accepted by a meeting for `agency`, without measures: the case id.
fn case_for(w: &World, last: &str, agency: &str) -> String {
    let r = w.submitted(last);
    let m = w.open_meeting();
    w.app
        .post(
            &format!("/api/v1/meetings/{m}/decisions"),
            &w.coord,
            json!({"referral_id": r, "decision": "accept", "agency_id": agency}),
        )
        .expect(200);
    w.close_meeting(&m);
    s(&w.app
        .get(&format!("/api/v1/referrals/{r}"), &w.coord)
        .expect(200)["case"]["id"])
}

fn close_hired(w: &World, token: &str, case: &str) -> Value {
    w.app
        .post(
            &format!("/api/v1/cases/{case}/close"),
            token,
            json!({"outcome": "hired", "hired": {"contract_type": "fixed_term", "hours_per_week": 30, "employer": "Tessitura Orobica srl"}}),
        )
        .expect(200)
}

fn names(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v.as_array().unwrap().iter().map(s).collect();
    out.sort();
    out
}

/// A partnership coordinated by the social agency (the network coordinator `rete`), with
/// agency 1, agency 2 and the Comune di Bergamo as members.
struct Fx {
    rete: String,
    network: String,
    /// Memberships: agency 1, agency 2, the municipality.
    m_agency1: String,
    m_agency2: String,
    m_comune: String,
}

fn partnership(w: &World) -> Fx {
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let agenzia = org(w, "Agenzia Sociale Lavoro & Società");
    let n = app
        .post(
            "/api/v1/networks",
            &w.coord,
            json!({"kind": "territorial_partnership", "name": "Partenariato per la ricollocazione",
                   "coordinating_organization_id": agenzia}),
        )
        .expect(201);
    let network = s(&n["id"]);
    let join = |o: &str| {
        s(&app
            .post(
                &format!("/api/v1/networks/{network}/members"),
                &rete,
                json!({"organization_id": o}),
            )
            .expect(201)["id"])
    };
    let m_agency1 = join(&w.agency1);
    let m_agency2 = join(&w.agency2);
    let m_comune = join(&org(w, "Comune di Bergamo"));
    Fx {
        rete,
        network,
        m_agency1,
        m_agency2,
        m_comune,
    }
}

fn create(w: &World, fx: &Fx, token: &str) -> Value {
    w.app
        .post(
            &format!("/api/v1/networks/{}/collective-actions", fx.network),
            token,
            json!({"kind": "outplacement", "title": "Outplacement Tessitura Orobica",
                   "description": "Lavoratori in esubero", "starts_on": today().to_string()}),
        )
        .expect(201)
}

fn results(w: &World, token: &str, id: &str) -> Value {
    w.app
        .get(&format!("{}/results", action_url(id)), token)
        .expect(200)
}

fn counts(r: &Value) -> [i64; 6] {
    [
        "beneficiaries",
        "hired",
        "employed_at_6_months",
        "not_employed_at_6_months",
        "six_month_check_pending",
        "six_month_check_overdue",
    ]
    .map(|k| r[k].as_i64().unwrap_or(-1))
}

fn person_reads_of(w: &World, user_email: &str) -> i64 {
    use diesel::prelude::*;
    use sistema_lavoro::store::schema::{person_reads::dsl as pr, users::dsl as u};
    let pool = sistema_lavoro::store::connect(&w.app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let user: String = u::users
        .filter(u::email.eq(user_email))
        .select(u::id)
        .first(&mut *conn)
        .unwrap();
    pr::person_reads
        .filter(pr::user_id.eq(user))
        .count()
        .get_result(&mut *conn)
        .unwrap()
}

#[test]
fn an_outplacement_action_counts_its_beneficiaries_hired_and_still_employed_from_their_cases() {
    let w = World::new();
    let app = &w.app;
    let fx = partnership(&w);
    let c1 = case_for(&w, "Rota", &w.agency1);
    let c2 = case_for(&w, "Pesenti", &w.agency1);
    let c3 = case_for(&w, "Gritti", &w.agency2);

    let a = create(&w, &fx, &fx.rete);
    let id = s(&a["id"]);
    assert_eq!(a["status"], "planned");
    assert_eq!(a["kind"], "outplacement");
    assert_eq!(counts(&a["results"]), [0, 0, 0, 0, 0, 0]);
    assert_eq!(a["history"][0]["action"], "create");
    assert_eq!(
        names(&a["allowed_actions"]),
        vec![
            "add_beneficiary",
            "add_employer",
            "add_participant",
            "cancel",
            "edit",
            "start"
        ]
    );

    // Agency 1 and the municipality take part; agency 2 is a member but does not.
    for m in [&fx.m_agency1, &fx.m_comune] {
        app.post(
            &format!("{}/participants", action_url(&id)),
            &fx.rete,
            json!({"member_id": m}),
        )
        .expect(201);
    }
    // The coordinator adds agency 1's first case; agency 2's case is refused by the rule.
    let with_one = app
        .post(
            &format!("{}/beneficiaries", action_url(&id)),
            &w.coord,
            json!({"case_id": c1}),
        )
        .expect(201);
    assert_eq!(counts(&with_one["results"]), [1, 0, 0, 0, 0, 0]);
    let refused = app
        .post(
            &format!("{}/beneficiaries", action_url(&id)),
            &w.coord,
            json!({"case_id": c3}),
        )
        .expect(422);
    assert_eq!(refused["errors"][0]["field"], "case_id");
    assert_eq!(refused["errors"][0]["code"], "agency_not_participating");
    // Agency 1's operator adds its own second case, and not another agency's.
    let op1_view = app.get(&action_url(&id), &w.op1).expect(200);
    assert_eq!(names(&op1_view["allowed_actions"]), vec!["add_beneficiary"]);
    app.post(
        &format!("{}/beneficiaries", action_url(&id)),
        &w.op1,
        json!({"case_id": c2}),
    )
    .expect(201);
    let not_ours = app
        .post(
            &format!("{}/beneficiaries", action_url(&id)),
            &w.op1,
            json!({"case_id": c3}),
        )
        .expect(422);
    assert_eq!(not_ours["errors"][0]["code"], "not_followed_by_your_agency");
    let twice = app.post(
        &format!("{}/beneficiaries", action_url(&id)),
        &w.op1,
        json!({"case_id": c2}),
    );
    assert_eq!(twice.problem(409), "duplicate");
    assert_eq!(counts(&results(&w, &w.coord, &id)), [2, 0, 0, 0, 0, 0]);

    // The agency closes the first case with a job: hired, six-month check pending.
    close_hired(&w, &w.op1, &c1);
    assert_eq!(counts(&results(&w, &fx.rete, &id)), [2, 1, 0, 0, 1, 0]);
    // Six months and a few days on, the check is due and not yet recorded…
    app.clock.advance(Duration::days(190));
    assert_eq!(counts(&results(&w, &w.coord, &id)), [2, 1, 0, 0, 0, 1]);
    // … until the agency records it: still employed at six months.
    let case = app.get(&format!("/api/v1/cases/{c1}"), &w.op1).expect(200);
    let six = case["outcome_checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["months"] == 6)
        .map(|k| s(&k["id"]))
        .unwrap();
    app.post(
        &format!("/api/v1/cases/{c1}/outcome-checks/{six}"),
        &w.op1,
        json!({"employed": true}),
    )
    .expect(200);
    let r = results(&w, &w.coord, &id);
    assert_eq!(counts(&r), [2, 1, 1, 0, 0, 0]);
    assert_eq!(r["as_of"], clock_today(app));
    assert_eq!(names(&r["beneficiary_case_ids"]), {
        let mut v = vec![c1.clone(), c2.clone()];
        v.sort();
        v
    });
    // The second case closes hired too: its six-month check is pending.
    close_hired(&w, &w.op1, &c2);
    assert_eq!(counts(&results(&w, &w.coord, &id)), [2, 2, 1, 0, 1, 0]);

    // Removing a beneficiary keeps its entry: added and removed, by whom.
    let after = delete(
        &w,
        &w.op1,
        &format!("{}/beneficiaries/{c2}", action_url(&id)),
    )
    .expect(200);
    assert_eq!(counts(&after["results"]), [1, 1, 1, 0, 0, 0]);
    let list = app
        .get(&format!("{}/beneficiaries", action_url(&id)), &w.coord)
        .expect(200);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let gone = items.iter().find(|b| b["case_id"] == c2.as_str()).unwrap();
    assert_eq!(gone["current"], false);
    assert!(gone["removed_at"].is_string() && gone["removed_by"].is_string());
    assert_eq!(gone["agency"]["id"], w.agency1.as_str());
    // Added again later: a new entry, the old one stays.
    app.post(
        &format!("{}/beneficiaries", action_url(&id)),
        &w.op1,
        json!({"case_id": c2}),
    )
    .expect(201);
    let list = app
        .get(&format!("{}/beneficiaries", action_url(&id)), &w.coord)
        .expect(200);
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    assert_eq!(counts(&results(&w, &w.coord, &id))[0], 2);
    // Not a current beneficiary any more: nothing to remove.
    let _ = delete(
        &w,
        &w.op1,
        &format!("{}/beneficiaries/{c3}", action_url(&id)),
    )
    .problem(404);
}

/// Today by the server's (moved) clock.
fn clock_today(app: &common::TestApp) -> String {
    use sistema_lavoro::domain::Clock;
    app.clock.read().today.to_string()
}

#[test]
fn reading_the_beneficiaries_is_a_logged_read_of_personal_data_and_members_get_counts_only() {
    let w = World::new();
    let app = &w.app;
    let fx = partnership(&w);
    let c1 = case_for(&w, "Locatelli", &w.agency1);
    let c3 = case_for(&w, "Sala", &w.agency2);
    let id = s(&create(&w, &fx, &w.coord)["id"]);
    for m in [&fx.m_agency1, &fx.m_agency2] {
        app.post(
            &format!("{}/participants", action_url(&id)),
            &w.coord,
            json!({"member_id": m}),
        )
        .expect(201);
    }
    for c in [&c1, &c3] {
        app.post(
            &format!("{}/beneficiaries", action_url(&id)),
            &w.coord,
            json!({"case_id": c}),
        )
        .expect(201);
    }
    // The coordinator reads them all; each read is logged.
    let before = person_reads_of(&w, "coordinatore@demo.test");
    let all = app
        .get(&format!("{}/beneficiaries", action_url(&id)), &w.coord)
        .expect(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(person_reads_of(&w, "coordinatore@demo.test"), before + 2);
    let r = results(&w, &w.coord, &id);
    assert_eq!(r["beneficiary_case_ids"].as_array().unwrap().len(), 2);
    assert_eq!(person_reads_of(&w, "coordinatore@demo.test"), before + 4);
    // A participant reads its own agency's only, logged too.
    let own = app
        .get(&format!("{}/beneficiaries", action_url(&id)), &w.op1)
        .expect(200);
    let own = own["items"].as_array().unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["case_id"], c1.as_str());
    assert_eq!(person_reads_of(&w, "operatore1@demo.test"), 1);
    // The network coordinator manages the action and gets counts, not case ids.
    let r = results(&w, &fx.rete, &id);
    assert_eq!(counts(&r)[0], 2);
    assert!(r.get("beneficiary_case_ids").is_none(), "{r}");
    app.get(&format!("{}/beneficiaries", action_url(&id)), &fx.rete)
        .expect(403);
    // The observatory sees the action and its counts, not who takes part; a non-member sees
    // nothing.
    let obs = app.get(&action_url(&id), &w.observer).expect(200);
    assert_eq!(counts(&obs["results"])[0], 2);
    assert!(obs["participants"].as_array().unwrap().is_empty());
    assert!(obs["allowed_actions"].as_array().unwrap().is_empty());
    app.get(&format!("{}/beneficiaries", action_url(&id)), &w.observer)
        .expect(403);
    app.get(&action_url(&id), &w.social).expect(404);
    app.get(&format!("{}/results", action_url(&id)), &w.social)
        .expect(404);
    // Agency 2 stops taking part: its users now read the action and its counts only.
    delete(
        &w,
        &w.coord,
        &format!("{}/participants/{}", action_url(&id), fx.m_agency2),
    )
    .expect(200);
    let op2 = app.get(&action_url(&id), &w.op2).expect(200);
    assert_eq!(counts(&op2["results"])[0], 2, "its beneficiaries stay");
    assert!(op2["allowed_actions"].as_array().unwrap().is_empty());
    app.get(&format!("{}/beneficiaries", action_url(&id)), &w.op2)
        .expect(403);
    let refused = app.post(
        &format!("{}/beneficiaries", action_url(&id)),
        &w.op2,
        json!({"case_id": c3}),
    );
    assert_eq!(refused.status, 403, "{}", refused.text);
}

#[test]
fn only_a_partnership_has_collective_actions() {
    let w = World::new();
    let app = &w.app;
    let pact = s(&app
        .post(
            "/api/v1/networks",
            &w.coord,
            json!({"kind": "territorial_pact", "name": "Patto"}),
        )
        .expect(201)["id"]);
    let r = app.post(
        &format!("/api/v1/networks/{pact}/collective-actions"),
        &w.coord,
        json!({"kind": "outplacement", "title": "Outplacement"}),
    );
    let body = r.expect(409);
    assert_eq!(body["code"], "not_a_partnership");
    assert_eq!(body["type"], "urn:sistema-lavoro:problem:not_a_partnership");
    assert!(s(&body["detail"]).contains("partenariat"), "{body}");
    let list = app
        .get(
            &format!("/api/v1/networks/{pact}/collective-actions"),
            &w.coord,
        )
        .expect(200);
    assert!(list["items"].as_array().unwrap().is_empty());
}

#[test]
fn an_action_moves_planned_running_completed_or_cancelled_with_who_when_and_why() {
    let w = World::new();
    let app = &w.app;
    let fx = partnership(&w);
    let id = s(&create(&w, &fx, &fx.rete)["id"]);
    // Not from planned.
    let refused = act(&w, &fx.rete, &id, "complete", None).expect(409);
    assert_eq!(refused["code"], "invalid_transition");
    let running = act(&w, &fx.rete, &id, "start", Some(json!({"reason": "Avvio"}))).expect(200);
    assert_eq!(running["status"], "running");
    let last = running["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (
            last["action"].clone(),
            last["from"].clone(),
            last["to"].clone(),
            last["reason"].clone()
        ),
        (
            json!("start"),
            json!("planned"),
            json!("running"),
            json!("Avvio")
        )
    );
    assert!(last["actor_id"].is_string() && last["at"].is_string());
    // Cancelling needs a reason.
    let missing = act(&w, &fx.rete, &id, "cancel", Some(json!({})));
    assert_eq!(missing.expect(422)["errors"][0]["field"], "reason");
    let done = act(&w, &w.coord, &id, "complete", None).expect(200);
    assert_eq!(done["status"], "completed");
    let blocked: Vec<String> = done["blocked_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| s(&b["action"]))
        .collect();
    assert!(blocked.contains(&"add_beneficiary".to_string()), "{done}");
    // A completed action is the record: nothing is added, nothing changes.
    let r = app.post(
        &format!("{}/participants", action_url(&id)),
        &fx.rete,
        json!({"member_id": fx.m_agency1}),
    );
    assert_eq!(r.problem(409), "invalid_transition");
    let r = app.patch(&action_url(&id), &fx.rete, json!({"title": "Altro titolo"}));
    assert_eq!(r.problem(409), "invalid_transition");
    act(&w, &fx.rete, &id, "cancel", Some(json!({"reason": "x"}))).expect(409);
    let r = delete(
        &w,
        &fx.rete,
        &format!("{}/participants/{}", action_url(&id), fx.m_agency1),
    );
    assert_eq!(r.problem(409), "invalid_transition");

    // Another: cancelled from planned, with its reason.
    let other = s(&create(&w, &fx, &fx.rete)["id"]);
    let c = act(
        &w,
        &fx.rete,
        &other,
        "cancel",
        Some(json!({"reason": "Azienda acquisita: esuberi rientrati"})),
    )
    .expect(200);
    assert_eq!(c["status"], "cancelled");
    assert_eq!(
        c["history"].as_array().unwrap().last().unwrap()["reason"],
        "Azienda acquisita: esuberi rientrati"
    );
    act(&w, &fx.rete, &other, "start", None).expect(409);
    // Moves are for those who manage it.
    let third = s(&create(&w, &fx, &fx.rete)["id"]);
    act(&w, &w.op1, &third, "start", None).expect(403);
    // A stale version is refused.
    let r = app.with_headers(
        "POST",
        &format!("{}/start", action_url(&third)),
        &fx.rete,
        &[("If-Match", "\"stale\"")],
        None,
    );
    assert_eq!(r.problem(412), "precondition_failed");
}

#[test]
fn edits_and_bodies_are_checked_field_by_field() {
    let w = World::new();
    let app = &w.app;
    let fx = partnership(&w);
    let base = format!("/api/v1/networks/{}/collective-actions", fx.network);
    let r = app.post(
        &base,
        &fx.rete,
        json!({"kind": "outplacement", "title": "x"}),
    );
    assert_eq!(r.expect(422)["errors"][0]["field"], "title");
    let r = app.post(&base, &fx.rete, json!({"title": "Senza tipo"}));
    assert_eq!(r.expect(422)["errors"][0]["field"], "kind");
    let r = app.post(
        &base,
        &fx.rete,
        json!({"kind": "telepathy", "title": "Tipo sconosciuto"}),
    );
    assert_eq!(r.expect(422)["errors"][0]["field"], "kind");
    let r = app.post(
        &base,
        &fx.rete,
        json!({"kind": "target_employers", "title": "Imprese bersaglio", "starts_on": "2027-03-01", "ends_on": "2027-02-01"}),
    );
    let body = r.expect(422);
    assert_eq!(body["errors"][0]["field"], "ends_on");
    assert_eq!(body["errors"][0]["code"], "before_starts_on");
    let r = app.post(
        &base,
        &fx.rete,
        json!({"kind": "labour_needs_analysis", "title": "Fabbisogni", "description": "d".repeat(4001)}),
    );
    assert_eq!(r.expect(422)["errors"][0]["field"], "description");

    let id = s(&create(&w, &fx, &fx.rete)["id"]);
    // A merge patch: absent fields stay, null clears, the changed fields are recorded.
    let p = app
        .patch(
            &action_url(&id),
            &fx.rete,
            json!({"kind": "worker_aggregation", "description": null, "ends_on": "2099-12-31"}),
        )
        .expect(200);
    assert_eq!(p["kind"], "worker_aggregation");
    assert!(p["description"].is_null());
    assert_eq!(p["title"], "Outplacement Tessitura Orobica");
    let edit = p["history"].as_array().unwrap().last().unwrap();
    assert_eq!(edit["action"], "update");
    assert!(s(&edit["reason"]).contains("kind"), "{edit}");
    let r = app.patch(
        &action_url(&id),
        &fx.rete,
        json!({"starts_on": "2100-01-01"}),
    );
    assert_eq!(r.expect(422)["errors"][0]["field"], "ends_on");
    // Without If-Match: 428; with a stale one: 412; validation comes first.
    let r = app.with_headers(
        "PATCH",
        &action_url(&id),
        &fx.rete,
        &[],
        Some(&json!({"title": "Nuovo titolo"})),
    );
    assert_eq!(r.problem(428), "precondition_required");
    let r = app.with_headers(
        "PATCH",
        &action_url(&id),
        &fx.rete,
        &[("If-Match", "\"stale\"")],
        Some(&json!({"title": "x"})),
    );
    assert_eq!(r.expect(422)["errors"][0]["field"], "title");
    let r = app.with_headers(
        "PATCH",
        &action_url(&id),
        &fx.rete,
        &[("If-Match", "\"stale\"")],
        Some(&json!({"title": "Nuovo titolo"})),
    );
    assert_eq!(r.problem(412), "precondition_failed");
    // Members read, only those who manage edit.
    let r = app.patch(&action_url(&id), &w.op1, json!({"title": "Nuovo titolo"}));
    assert_eq!(r.status, 403, "{}", r.text);
}

#[test]
fn participants_are_active_members_and_target_employers_are_employers() {
    let w = World::new();
    let app = &w.app;
    let fx = partnership(&w);
    let id = s(&create(&w, &fx, &fx.rete)["id"]);
    let parts = format!("{}/participants", action_url(&id));
    // A membership of another network, and a withdrawn one, are refused by name.
    let pact = s(&app
        .post(
            "/api/v1/networks",
            &w.coord,
            json!({"kind": "territorial_pact", "name": "Patto"}),
        )
        .expect(201)["id"]);
    let elsewhere = s(&app
        .post(
            &format!("/api/v1/networks/{pact}/members"),
            &w.coord,
            json!({"organization_id": w.agency3}),
        )
        .expect(201)["id"]);
    for m in [elsewhere.as_str(), "no-such-membership"] {
        let r = app
            .post(&parts, &fx.rete, json!({"member_id": m}))
            .expect(422);
        assert_eq!(r["errors"][0]["field"], "member_id");
        assert_eq!(r["errors"][0]["code"], "not_an_active_member");
    }
    app.post(
        &format!("/api/v1/members/{}/withdraw", fx.m_comune),
        &fx.rete,
        json!({"reason": "Recesso"}),
    )
    .expect(200);
    let r = app
        .post(&parts, &fx.rete, json!({"member_id": fx.m_comune}))
        .expect(422);
    assert_eq!(r["errors"][0]["code"], "not_an_active_member");
    let a = app
        .post(&parts, &fx.rete, json!({"member_id": fx.m_agency1}))
        .expect(201);
    let p = &a["participants"][0];
    assert_eq!(p["member_id"], fx.m_agency1.as_str());
    assert_eq!(p["organization"]["id"], w.agency1.as_str());
    assert_eq!(p["organization_kind"], "accredited_agency");
    assert_eq!(names(&p["allowed_actions"]), vec!["delete"]);
    let twice = app.post(&parts, &fx.rete, json!({"member_id": fx.m_agency1}));
    assert_eq!(twice.problem(409), "duplicate");
    // Only those who manage the action choose who takes part.
    let r = app.post(&parts, &w.op1, json!({"member_id": fx.m_agency2}));
    assert_eq!(r.status, 403, "{}", r.text);

    // Target employers: organizations of kind employer of the district.
    let employer = s(&app
        .post(
            "/api/v1/organizations",
            &w.admin,
            json!({"district_id": w.district_id, "name": "Tessitura Orobica srl", "kind": "employer"}),
        )
        .expect(201)["id"]);
    let emps = format!("{}/employers", action_url(&id));
    let r = app
        .post(&emps, &fx.rete, json!({"organization_id": w.agency2}))
        .expect(422);
    assert_eq!(r["errors"][0]["field"], "organization_id");
    assert_eq!(r["errors"][0]["code"], "not_an_employer");
    let r = app
        .post(&emps, &fx.rete, json!({"organization_id": "nobody"}))
        .expect(422);
    assert_eq!(r["errors"][0]["code"], "unknown");
    let a = app
        .post(&emps, &fx.rete, json!({"organization_id": employer}))
        .expect(201);
    assert_eq!(
        a["target_employers"][0]["organization"]["name"],
        "Tessitura Orobica srl"
    );
    assert_eq!(
        app.post(&emps, &fx.rete, json!({"organization_id": employer}))
            .problem(409),
        "duplicate"
    );
    let a = delete(&w, &fx.rete, &format!("{emps}/{employer}")).expect(200);
    assert!(a["target_employers"].as_array().unwrap().is_empty());
    let _ = delete(&w, &fx.rete, &format!("{emps}/{employer}")).problem(404);
    let a = delete(&w, &fx.rete, &format!("{parts}/{}", fx.m_agency1)).expect(200);
    assert!(a["participants"].as_array().unwrap().is_empty());
    // With no participating agency, no case can be a beneficiary.
    let c = case_for(&w, "Bonfanti", &w.agency1);
    let r = app
        .post(
            &format!("{}/beneficiaries", action_url(&id)),
            &w.coord,
            json!({"case_id": c}),
        )
        .expect(422);
    assert_eq!(r["errors"][0]["code"], "agency_not_participating");
    let r = app
        .post(
            &format!("{}/beneficiaries", action_url(&id)),
            &w.coord,
            json!({"case_id": "no-such-case"}),
        )
        .expect(422);
    assert_eq!(r["errors"][0]["code"], "unknown");
}

#[test]
fn the_demo_partnership_runs_an_outplacement_action_with_five_beneficiaries() {
    let app = common::TestApp::demo();
    let coord = app.login("coordinatore@demo.test");
    let nets = app
        .get("/api/v1/networks?kind=territorial_partnership", &coord)
        .expect(200);
    let part = &nets["items"][0];
    assert_eq!(part["status"], "active");
    assert_eq!(part["compliance"]["compliant"], true, "{part}");
    let list = app
        .get(
            &format!("/api/v1/networks/{}/collective-actions", s(&part["id"])),
            &coord,
        )
        .expect(200);
    let a = &list["items"][0];
    assert_eq!(a["kind"], "outplacement");
    assert_eq!(a["status"], "running");
    assert_eq!(a["participants"].as_array().unwrap().len(), 2);
    assert_eq!(a["target_employers"].as_array().unwrap().len(), 2);
    // Five beneficiaries, two hired; one still employed at the six-month check, the other's
    // check not yet due.
    assert_eq!(counts(&a["results"]), [5, 2, 1, 0, 1, 0], "{a}");
    // The agency's operator reads its own five (a logged read).
    let op1 = app.login("operatore1@demo.test");
    let own = app
        .get(
            &format!("/api/v1/collective-actions/{}/beneficiaries", s(&a["id"])),
            &op1,
        )
        .expect(200);
    assert_eq!(own["items"].as_array().unwrap().len(), 5);
}
