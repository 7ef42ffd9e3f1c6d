//! The territory's networks over HTTP: a partnership that fails its activation with reasons
//! and is fixed by adding members; adhesions at any time with the history kept; a withdrawal
//! that breaks a rule; resources pledged in the open with their totals; who sees and manages
//! what; the district's table as a network holding its meetings; the migration that makes it.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, today, World};
use common::Resp;
use serde_json::{json, Value};
use sistema_lavoro::store::{self, DbConn};

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

fn url(id: &str) -> String {
    format!("/api/v1/networks/{id}")
}

fn etag(w: &World, token: &str, path: &str) -> String {
    w.app.get(path, token).header("etag").unwrap().to_string()
}

/// A state move with the record's current `ETag`.
fn act(w: &World, token: &str, path: &str, action: &str, body: Option<Value>) -> Resp {
    let tag = etag(w, token, path);
    w.app.with_headers(
        "POST",
        &format!("{path}/{action}"),
        token,
        &[("If-Match", &tag)],
        body.as_ref(),
    )
}

fn create(w: &World, token: &str, body: Value) -> Value {
    w.app.post("/api/v1/networks", token, body).expect(201)
}

fn join(w: &World, token: &str, network: &str, organization: &str) -> Value {
    w.app
        .post(
            &format!("{}/members", url(network)),
            token,
            json!({"organization_id": organization}),
        )
        .expect(201)
}

fn unmet(n: &Value) -> Vec<String> {
    n["compliance"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["met"] == false)
        .map(|r| s(&r["rule"]))
        .collect()
}

fn names(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v.as_array().unwrap().iter().map(s).collect();
    out.sort();
    out
}

#[test]
fn a_partnership_fails_activation_with_reasons_until_its_members_make_it_compliant() {
    let w = World::new();
    let app = &w.app;
    let n = create(
        &w,
        &w.coord,
        json!({"kind": "territorial_partnership", "name": "Partenariato Valle",
               "objectives": ["outplacement", "reinsertion", "outplacement"], "objectives_other": "Marketing dei lavoratori"}),
    );
    let id = s(&n["id"]);
    assert_eq!(n["status"], "forming");
    assert_eq!(n["accepts_join_requests"], true);
    assert_eq!(names(&n["objectives"]), vec!["outplacement", "reinsertion"]);
    assert_eq!(unmet(&n), vec!["min_members", "agency_in_charge"]);
    let blocked = &n["blocked_actions"].as_array().unwrap();
    assert!(blocked
        .iter()
        .any(|b| b["action"] == "activate" && b["code"] == "not_compliant"));

    // Activation is refused with every rule and its reason, in the caller's language.
    let refused = act(&w, &w.coord, &url(&id), "activate", None).expect(409);
    assert_eq!(refused["code"], "network_not_compliant");
    let reasons = refused["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 2);
    assert_eq!(
        reasons[0]["message"],
        "nessun aderente attivo: ne servono almeno 3"
    );
    let en = app.call_in(
        "en",
        "POST",
        &format!("{}/activate", url(&id)),
        Some(&w.coord),
        None,
    );
    assert_eq!(en.status, 409, "{}", en.text);
    assert!(s(&en.json()["reasons"][0]["message"]).contains("active members"));

    // Three members, but the agency has no case in charge yet.
    join(&w, &w.coord, &id, &w.agency1);
    join(&w, &w.coord, &id, &org(&w, "CPI Bergamo"));
    join(
        &w,
        &w.coord,
        &id,
        &org(&w, "Servizio Sociale Comune di Bergamo"),
    );
    let n = app.get(&url(&id), &w.coord).expect(200);
    assert_eq!(n["member_count"], 3);
    assert_eq!(unmet(&n), vec!["agency_in_charge"]);
    act(&w, &w.coord, &url(&id), "activate", None).expect(409);
    // Once agency 1 takes a person in charge, the partnership meets the rules.
    let case = w.case_for_agency1("Partner");
    w.take_charge(&case);
    let c = app
        .get(&format!("{}/compliance", url(&id)), &w.coord)
        .expect(200);
    assert_eq!(c["compliant"], true, "{c}");
    let n = act(
        &w,
        &w.coord,
        &url(&id),
        "activate",
        Some(json!({"reason": "Tre aderenti"})),
    )
    .expect(200);
    assert_eq!(n["status"], "active");
    assert!(names(&n["allowed_actions"]).contains(&"suspend".to_string()));

    // Suspend (reason required), resume, close (reason required): each move is recorded.
    act(&w, &w.coord, &url(&id), "suspend", Some(json!({}))).expect(422);
    let n = act(
        &w,
        &w.coord,
        &url(&id),
        "suspend",
        Some(json!({"reason": "Bando sospeso"})),
    )
    .expect(200);
    assert_eq!(n["status"], "suspended");
    act(
        &w,
        &w.coord,
        &url(&id),
        "suspend",
        Some(json!({"reason": "ancora"})),
    )
    .expect(409);
    let n = act(&w, &w.coord, &url(&id), "resume", None).expect(200);
    assert_eq!(n["status"], "active");
    let n = act(
        &w,
        &w.coord,
        &url(&id),
        "close",
        Some(json!({"reason": "Progetto concluso"})),
    )
    .expect(200);
    assert_eq!(n["status"], "closed");
    let p = app.patch(&url(&id), &w.coord, json!({"name": "Nuovo nome"}));
    assert_eq!(p.status, 409, "{}", p.text);
    let again = app.post(
        &format!("{}/members", url(&id)),
        &w.coord,
        json!({"organization_id": w.agency2}),
    );
    assert_eq!(again.status, 409);
    // The history has every move with who and why.
    let pool = store::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let moves = store::audit::history(&mut conn, "network", std::slice::from_ref(&id)).unwrap();
    let actions: Vec<(String, Option<String>)> = moves
        .iter()
        .map(|m| (m.action.clone(), m.reason.clone()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("create".into(), None),
            ("activate".into(), Some("Tre aderenti".into())),
            ("suspend".into(), Some("Bando sospeso".into())),
            ("resume".into(), None),
            ("close".into(), Some("Progetto concluso".into())),
        ]
    );
    assert!(moves.iter().all(|m| m.actor_id.is_some()));
    drop(conn);
}

#[test]
fn members_join_at_any_time_leave_with_the_history_kept_and_a_withdrawal_can_break_a_rule() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let agenzia = org(&w, "Agenzia Sociale Lavoro & Società");
    let bergamo = org(&w, "Comune di Bergamo");
    // A network coordinator starts networks its organization coordinates, and no other.
    let other = app.post(
        "/api/v1/networks",
        &rete,
        json!({"kind": "territorial_pact", "name": "Patto", "coordinating_organization_id": w.agency1}),
    );
    assert_eq!(other.status, 403, "{}", other.text);
    let pact = create(
        &w,
        &rete,
        json!({"kind": "territorial_pact", "name": "Patto territoriale per il lavoro"}),
    );
    let id = s(&pact["id"]);
    assert_eq!(pact["coordinating_organization"]["id"], agenzia.as_str());
    assert_eq!(unmet(&pact), vec!["coordinator_member"]);
    let members = format!("{}/members", url(&id));
    // The coordinator joins; a municipality joined last spring by its council's act.
    let coordinator = app
        .post(
            &members,
            &rete,
            json!({"organization_id": agenzia, "role": "coordinator"}),
        )
        .expect(201);
    assert_eq!(coordinator["joined_on"], today().to_string());
    let spring = today() - chrono::Duration::days(200);
    let m = app
        .post(
            &members,
            &rete,
            json!({"organization_id": bergamo, "joined_on": spring.to_string(),
                   "approval_act": {"number": "45/2026", "date": spring.to_string()}}),
        )
        .expect(201);
    assert_eq!(m["approval_act"]["number"], "45/2026");
    assert_eq!(m["organization_kind"], "municipality");
    // Not twice while a member.
    let twice = app.post(&members, &rete, json!({"organization_id": bergamo}));
    assert_eq!(twice.status, 409);
    assert_eq!(twice.json()["code"], "already_member");
    assert_eq!(twice.json()["existing_id"], m["id"]);
    // Nor an organization of another district, nor an unknown one.
    let unknown = app.post(&members, &rete, json!({"organization_id": "nessuno"}));
    assert_eq!(unknown.status, 422);
    assert_eq!(unknown.json()["errors"][0]["field"], "organization_id");
    let n = act(&w, &rete, &url(&id), "activate", None).expect(200);
    assert_eq!(n["status"], "active");
    assert_eq!(n["compliance"]["compliant"], true);

    // Who was a member on a date: before the coordinator joined, only the municipality.
    let yesterday = today() - chrono::Duration::days(1);
    let then = app
        .get(&format!("{members}?on={yesterday}"), &rete)
        .expect(200);
    assert_eq!(then["items"].as_array().unwrap().len(), 1);
    assert_eq!(then["items"][0]["organization"]["id"], bergamo.as_str());
    let before = spring - chrono::Duration::days(1);
    let none = app
        .get(&format!("{members}?on={before}"), &rete)
        .expect(200);
    assert!(none["items"].as_array().unwrap().is_empty());

    // The coordinator withdraws: allowed, and the pact is flagged not compliant with why.
    let mpath = format!("/api/v1/members/{}", s(&coordinator["id"]));
    let withdraw = |body: Value| {
        app.with_headers(
            "POST",
            &format!("{mpath}/withdraw"),
            &rete,
            &[],
            Some(&body),
        )
    };
    withdraw(json!({})).expect(422);
    let future = today() + chrono::Duration::days(3);
    withdraw(json!({"reason": "x", "withdrawn_on": future.to_string()})).expect(422);
    let gone = withdraw(json!({"reason": "Cambio di sede"})).expect(200);
    assert_eq!(gone["withdrawn_on"], today().to_string());
    assert_eq!(gone["active"], false);
    assert!(gone["allowed_actions"].as_array().unwrap().is_empty());
    withdraw(json!({"reason": "di nuovo"})).expect(409);
    // The network coordinator's organization no longer belongs, but still coordinates.
    let n = app.get(&url(&id), &rete).expect(200);
    assert_eq!(n["status"], "active");
    assert_eq!(n["compliance"]["compliant"], false);
    assert_eq!(unmet(&n), vec!["coordinator_member"]);
    assert!(s(&n["compliance"]["reasons"][0]["message"]).contains("non è tra gli aderenti"));
    // Today only the municipality; the whole history has both.
    let now = app.get(&members, &rete).expect(200);
    assert_eq!(now["items"].as_array().unwrap().len(), 1);
    let all = app
        .get(&format!("{members}?include=history"), &rete)
        .expect(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    // It may adhere again: a new membership, the old one kept.
    app.post(&members, &rete, json!({"organization_id": agenzia}))
        .expect(201);
    let all = app
        .get(&format!("{members}?include=history"), &rete)
        .expect(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    assert_eq!(
        app.get(&url(&id), &rete).expect(200)["compliance"]["compliant"],
        true
    );
    app.get(&format!("{members}?on=ieri"), &rete).expect(422);
}

#[test]
fn members_pledge_their_own_resources_in_the_open_with_totals() {
    let w = World::new();
    let app = &w.app;
    let bergamo = org(&w, "Comune di Bergamo");
    let n = create(
        &w,
        &w.coord,
        json!({"kind": "inclusion_pact", "name": "Forum per l'inclusione"}),
    );
    let id = s(&n["id"]);
    join(&w, &w.coord, &id, &w.agency1);
    join(&w, &w.coord, &id, &bergamo);
    let resources = format!("{}/resources", url(&id));
    // Agency 1's operator pledges for its own organization (the default)…
    let training = app
        .post(
            &resources,
            &w.op1,
            json!({"kind": "training", "hours": 40, "description": "Corso di italiano",
                   "valid_from": "2027-01-01", "valid_to": "2027-06-30"}),
        )
        .expect(201);
    assert_eq!(training["status"], "pledged");
    assert_eq!(training["organization"]["id"], w.agency1.as_str());
    // …never for another member.
    let theirs = app.post(
        &resources,
        &w.op1,
        json!({"organization_id": bergamo, "kind": "funding", "amount_cents": 100}),
    );
    assert_eq!(theirs.status, 403, "{}", theirs.text);
    // Exactly one of amount and hours; a period in order; members only.
    let both = app.post(
        &resources,
        &w.coord,
        json!({"organization_id": bergamo, "kind": "funding", "amount_cents": 100, "hours": 2}),
    );
    assert_eq!(both.status, 422);
    let fields: Vec<String> = both.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| s(&e["field"]))
        .collect();
    assert_eq!(fields, vec!["amount_cents", "hours"]);
    let neither = app.post(
        &resources,
        &w.coord,
        json!({"organization_id": bergamo, "kind": "funding"}),
    );
    assert_eq!(neither.status, 422);
    let backwards = app.post(
        &resources,
        &w.coord,
        json!({"organization_id": bergamo, "kind": "funding",
        "amount_cents": 5, "valid_from": "2027-02-01", "valid_to": "2027-01-01"}),
    );
    assert_eq!(backwards.json()["errors"][0]["field"], "valid_to");
    let outsider = app.post(
        &resources,
        &w.coord,
        json!({"organization_id": w.agency2, "kind": "funding", "amount_cents": 5}),
    );
    assert_eq!(outsider.json()["errors"][0]["code"], "not_a_member");
    // The coordinator records the municipality's pledges.
    let fund = app
        .post(
            &resources,
            &w.coord,
            json!({"organization_id": bergamo, "kind": "income_support", "amount_cents": 2_000_000}),
        )
        .expect(201);
    let premises = app
        .post(
            &resources,
            &w.coord,
            json!({"organization_id": bergamo, "kind": "premises", "hours": 10}),
        )
        .expect(201);
    // pledged → available → used; used is final.
    let rpath = |r: &Value| format!("/api/v1/resources/{}", s(&r["id"]));
    let moved = |token: &str, r: &Value, action: &str| {
        app.call("POST", &format!("{}/{action}", rpath(r)), Some(token), None)
    };
    assert_eq!(moved(&w.op1, &fund, "make-available").status, 403);
    assert_eq!(moved(&w.coord, &fund, "use").status, 409);
    let f = moved(&w.coord, &fund, "make-available").expect(200);
    assert_eq!(f["status"], "available");
    assert!(names(&f["allowed_actions"]).contains(&"use".to_string()));
    assert_eq!(moved(&w.coord, &fund, "use").expect(200)["status"], "used");
    assert_eq!(moved(&w.coord, &fund, "withdraw").status, 409);
    // The operator withdraws its own pledge: listed, no longer counted.
    let t = moved(&w.op1, &training, "withdraw").expect(200);
    assert_eq!(t["status"], "withdrawn");
    let _ = premises;

    // Totals per network, per member, per kind; every member reads them.
    let list = app.get(&resources, &w.op1).expect(200);
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    let totals = &list["totals"];
    assert_eq!(totals["network"]["amount_cents"], 2_000_000);
    assert_eq!(totals["network"]["hours"], 10);
    assert_eq!(totals["network"]["count"], 2);
    assert_eq!(totals["by_member"].as_array().unwrap().len(), 1);
    assert_eq!(
        totals["by_member"][0]["organization"]["id"],
        bergamo.as_str()
    );
    let kinds: Vec<String> = totals["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| s(&k["kind"]))
        .collect();
    assert_eq!(kinds, vec!["income_support", "premises"]);
    // The observatory sees the totals only; an agency that is not a member sees nothing.
    let figures = app.get(&resources, &w.observer).expect(200);
    assert!(figures["items"].as_array().unwrap().is_empty());
    assert_eq!(figures["totals"]["network"]["count"], 2);
    assert_eq!(app.get(&resources, &w.op2).status, 404);
    assert_eq!(moved(&w.op2, &premises, "make-available").status, 404);
    assert_eq!(moved(&w.observer, &premises, "make-available").status, 403);
}

#[test]
fn each_role_sees_and_manages_what_the_policy_says() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let bergamo = org(&w, "Comune di Bergamo");
    // The coordinator's partnership, with agency 1 as a member; the social agency's pact.
    let part = s(&create(
        &w,
        &w.coord,
        json!({"kind": "territorial_partnership", "name": "Partenariato"}),
    )["id"]);
    join(&w, &w.coord, &part, &w.agency1);
    let pact = s(&create(
        &w,
        &rete,
        json!({"kind": "territorial_pact", "name": "Patto"}),
    )["id"]);
    app.post(
        &format!("{}/members", url(&pact)),
        &rete,
        json!({"organization_id": bergamo}),
    )
    .expect(201);

    let ids = |token: &str| -> Vec<String> {
        let l = app.get("/api/v1/networks", token).expect(200);
        l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| s(&n["id"]))
            .collect()
    };
    // The coordinator and the observatory see all three (the table too).
    assert_eq!(ids(&w.coord).len(), 3);
    assert_eq!(ids(&w.observer).len(), 3);
    // The network coordinator: only the pact its organization coordinates.
    assert_eq!(ids(&rete), vec![pact.clone()]);
    assert_eq!(app.get(&url(&part), &rete).status, 404);
    // Agency 1's operator: the table and the partnership it belongs to, read-only.
    let mine = ids(&w.op1);
    assert_eq!(mine.len(), 2);
    assert!(mine.contains(&part));
    let n = app.get(&url(&part), &w.op1).expect(200);
    assert_eq!(
        names(&n["allowed_actions"]),
        vec!["add_resource", "add_shared_response"]
    );
    assert_eq!(
        app.patch(&url(&part), &w.op1, json!({"name": "Mio"}))
            .status,
        403
    );
    assert_eq!(app.get(&url(&pact), &w.op1).status, 404);
    app.get(&format!("{}/members", url(&part)), &w.op1)
        .expect(200);
    // Not a member: the social worker sees none of them.
    assert!(ids(&w.social).is_empty());
    assert_eq!(app.get(&url(&part), &w.social).status, 404);
    // The observatory: figures, never the member list, never a change.
    let figures = app.get(&url(&part), &w.observer).expect(200);
    assert!(figures["allowed_actions"].as_array().unwrap().is_empty());
    assert_eq!(
        app.get(&format!("{}/members", url(&part)), &w.observer)
            .status,
        403
    );
    assert_eq!(
        app.post(
            "/api/v1/networks",
            &w.observer,
            json!({"kind": "territorial_pact", "name": "Patto"})
        )
        .status,
        403
    );
    // The administrator keeps accounts, not networks.
    assert_eq!(app.get("/api/v1/networks", &w.admin).status, 403);
    assert_eq!(app.get(&url(&pact), &w.admin).status, 404);
    // The network coordinator manages its pact and nothing else of the district.
    let p = app
        .patch(
            &url(&pact),
            &rete,
            json!({"purpose": "Inclusione lavorativa"}),
        )
        .expect(200);
    assert_eq!(p["purpose"], "Inclusione lavorativa");
    let moved = app.patch(
        &url(&pact),
        &rete,
        json!({"coordinating_organization_id": w.agency1}),
    );
    assert_eq!(moved.status, 403);
    for path in [
        "/api/v1/persons",
        "/api/v1/referrals",
        "/api/v1/cases",
        "/api/v1/meetings",
    ] {
        assert_eq!(app.get(path, &rete).status, 403, "{path}");
    }
    // The coordinator manages every network of the district, the pact included.
    let n = app.get(&url(&pact), &w.coord).expect(200);
    assert!(names(&n["allowed_actions"]).contains(&"add_member".to_string()));
}

#[test]
fn the_district_table_is_a_network_that_holds_its_meetings() {
    let w = World::new();
    let app = &w.app;
    let tables = app
        .get("/api/v1/networks?kind=coordination_table", &w.coord)
        .expect(200);
    let table = &tables["items"][0];
    assert_eq!(tables["items"].as_array().unwrap().len(), 1);
    let table_id = s(&table["id"]);
    assert_eq!(table_id, format!("table-{}", w.district_id));
    assert_eq!(table["status"], "active");
    assert_eq!(
        table["coordinating_organization"]["name"],
        "Ufficio di Piano Ambito 1 – Bergamo"
    );
    assert_eq!(table["compliance"]["compliant"], true, "{table}");
    let members = app
        .get(&format!("{}/members", url(&table_id)), &w.coord)
        .expect(200);
    assert_eq!(
        members["items"].as_array().unwrap().len(),
        5,
        "UdP, CPI, three agencies"
    );
    // Only one table per district, and it is not closed.
    let second = app.post(
        "/api/v1/networks",
        &w.coord,
        json!({"kind": "coordination_table", "name": "Altro tavolo"}),
    );
    assert_eq!(second.status, 422);
    act(
        &w,
        &w.coord,
        &url(&table_id),
        "close",
        Some(json!({"reason": "no"})),
    )
    .expect(403);
    // Meetings are the table's: listed without network_id, and with it.
    let m = w.open_meeting();
    let meeting = app
        .get(&format!("/api/v1/meetings/{m}"), &w.coord)
        .expect(200);
    assert_eq!(meeting["network_id"], table_id.as_str());
    let listed = app.get("/api/v1/meetings", &w.coord).expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let by_table = app
        .get(&format!("/api/v1/meetings?network_id={table_id}"), &w.coord)
        .expect(200);
    assert_eq!(by_table["items"].as_array().unwrap().len(), 1);
    let pact = s(&create(
        &w,
        &w.coord,
        json!({"kind": "territorial_pact", "name": "Patto"}),
    )["id"]);
    let none = app
        .get(&format!("/api/v1/meetings?network_id={pact}"), &w.coord)
        .expect(200);
    assert!(none["items"].as_array().unwrap().is_empty());
    // A new district gets its own table.
    let d = app
        .post(
            "/api/v1/districts",
            &w.admin,
            json!({"code": "AMBITO-2", "name": "Ambito 2 – Dalmine"}),
        )
        .expect(201);
    let pool = store::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let t = store::networks::Network::table_of(&mut conn, &s(&d["id"]).into())
        .unwrap()
        .unwrap();
    assert_eq!(t.name, "Tavolo Sistema Lavoro – Ambito 2 – Dalmine");
}

#[test]
fn the_migration_makes_each_district_s_table_a_network_holding_its_meetings() {
    use diesel_migrations::MigrationHarness;
    let w = World::new();
    let m = w.open_meeting();
    let pool = store::connect(&w.app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    // Back to before networks existed, and forward again.
    match &mut *conn {
        DbConn::Sqlite(c) => c.revert_last_migration(store::SQLITE_MIGRATIONS).map(drop),
        DbConn::Pg(c) => c
            .revert_last_migration(store::POSTGRES_MIGRATIONS)
            .map(drop),
    }
    .unwrap();
    match &mut *conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(store::SQLITE_MIGRATIONS).map(drop),
        DbConn::Pg(c) => c
            .run_pending_migrations(store::POSTGRES_MIGRATIONS)
            .map(drop),
    }
    .unwrap();
    drop(conn);
    let table = format!("table-{}", w.district_id);
    let n = w.app.get(&url(&table), &w.coord).expect(200);
    assert_eq!(n["kind"], "coordination_table");
    assert_eq!(n["compliance"]["compliant"], true, "{n}");
    assert_eq!(n["member_count"], 5);
    let meeting = w
        .app
        .get(&format!("/api/v1/meetings/{m}"), &w.coord)
        .expect(200);
    assert_eq!(meeting["network_id"], table.as_str());
    assert_eq!(
        w.app.get("/api/v1/meetings", &w.coord).expect(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_demo_has_one_network_of_each_named_kind_with_the_forums_signed_conventions() {
    let app = common::TestApp::demo();
    let rete = app.login("rete@demo.test");
    let nets = app.get("/api/v1/networks?limit=100", &rete).expect(200);
    let mut names: Vec<String> = nets["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| s(&n["name"]))
        .collect();
    let all = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), all, "a network is seeded twice: {names:?}");
    let forums = app
        .get("/api/v1/networks?kind=inclusion_pact", &rete)
        .expect(200);
    assert_eq!(forums["items"].as_array().unwrap().len(), 1);
    let forum = s(&forums["items"][0]["id"]);
    let agreements = app
        .get(&format!("/api/v1/networks/{forum}/agreements"), &rete)
        .expect(200);
    let signed: Vec<&Value> = agreements["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "signed" && a["document_ids"].as_array().unwrap().len() == 1)
        .collect();
    assert_eq!(signed.len(), 2);
}
