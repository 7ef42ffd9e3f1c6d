//! The inclusion pact's answers by area (seed 003): working groups — one active per response
//! area, also when two creations race — with members joining and leaving, the shared
//! responses members offer for their own organization (`offered → available → withdrawn`),
//! filtered and paged, and a case's operator proposing one to the person, which the offering
//! member sees only as a count.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Barrier};

use common::world::{s, today, World};
use common::Resp;
use serde_json::{json, Value};

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

fn join(w: &World, token: &str, network: &str, organization: &str) -> String {
    s(&w.app
        .post(
            &format!("/api/v1/networks/{network}/members"),
            token,
            json!({"organization_id": organization}),
        )
        .expect(201)["id"])
}

/// The social agency's inclusion pact (its network coordinator `rete@demo.test`) with the
/// agency itself, the Comune di Bergamo and agency 1 as members.
struct Forum {
    id: String,
    rete: String,
    agenzia: String,
    bergamo: String,
    a1: String,
}

fn forum(w: &World) -> Forum {
    let rete = w.app.login("rete@demo.test");
    let id = s(&w
        .app
        .post(
            "/api/v1/networks",
            &rete,
            json!({"kind": "inclusion_pact", "name": "Patto per l'inclusione sociale"}),
        )
        .expect(201)["id"]);
    let agenzia = join(w, &rete, &id, &org(w, "Agenzia Sociale Lavoro & Società"));
    let bergamo = join(w, &rete, &id, &org(w, "Comune di Bergamo"));
    let a1 = join(w, &rete, &id, &w.agency1);
    Forum {
        id,
        rete,
        agenzia,
        bergamo,
        a1,
    }
}

fn fields(r: Resp) -> Vec<String> {
    let p = r.expect(422);
    let mut out: Vec<String> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", s(&e["field"]), s(&e["code"])))
        .collect();
    out.sort();
    out
}

fn names(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| match a {
            Value::String(x) => x.clone(),
            o => s(&o["action"]),
        })
        .collect()
}

fn post(w: &World, token: &str, path: &str, body: Option<Value>) -> Resp {
    w.app.call("POST", path, Some(token), body.as_ref())
}

fn patch(w: &World, token: &str, path: &str, etag: &str, body: Value) -> Resp {
    w.app
        .with_headers("PATCH", path, token, &[("If-Match", etag)], Some(&body))
}

fn group(w: &World, f: &Forum, area: &str) -> Resp {
    w.app.post(
        &format!("/api/v1/networks/{}/working-groups", f.id),
        &f.rete,
        json!({"area": area}),
    )
}

fn housing_desk(member: &str) -> Value {
    json!({"member_id": member, "area": "housing", "title": "Sportello casa",
           "who_may_use": "Residenti in emergenza abitativa",
           "how_to_access": "Martedì 9–12 in Piazza Matteotti, su invio dell'operatore",
           "capacity": 10})
}

#[test]
fn the_forum_runs_one_working_group_per_area_with_members_joining_and_leaving() {
    let w = World::new();
    let app = &w.app;
    let f = forum(&w);

    // A group on an area; the name defaults from the area.
    let g = group(&w, &f, "housing").expect(201);
    let gid = s(&g["id"]);
    assert_eq!(g["name"], "Gruppo di lavoro Casa");
    assert_eq!(g["status"], "active");
    assert_eq!(
        names(&g, "allowed_actions"),
        vec!["edit", "add_member", "close"]
    );
    let named = app
        .post(
            &format!("/api/v1/networks/{}/working-groups", f.id),
            &f.rete,
            json!({"area": "microcredit", "name": "Credito e lavoro", "purpose": "Una linea di microcredito"}),
        )
        .expect(201);
    assert_eq!(named["name"], "Credito e lavoro");
    assert_eq!(named["purpose"], "Una linea di microcredito");

    // One active group per area: the second is refused, naming the first.
    let again = group(&w, &f, "housing").expect(409);
    assert_eq!(again["code"], "working_group_exists");
    assert_eq!(again["existing_id"], gid.as_str());

    // Validation names the field.
    let bad = fields(app.post(
        &format!("/api/v1/networks/{}/working-groups", f.id),
        &f.rete,
        json!({"area": "sport", "name": "X"}),
    ));
    assert!(bad.iter().any(|e| e.starts_with("area:")), "{bad:?}");
    assert_eq!(
        fields(app.post(
            &format!("/api/v1/networks/{}/working-groups", f.id),
            &f.rete,
            json!({"name": "Gruppo"}),
        )),
        vec!["area:required"]
    );

    // Members: active memberships of the network only, once at a time.
    let members = format!("/api/v1/working-groups/{gid}/members");
    let g = app
        .post(&members, &f.rete, json!({"member_id": f.bergamo}))
        .expect(201);
    assert_eq!(g["member_count"], 1);
    assert_eq!(g["members"][0]["organization"]["name"], "Comune di Bergamo");
    assert_eq!(g["members"][0]["joined_on"], today().to_string());
    assert_eq!(names(&g["members"][0], "allowed_actions"), vec!["leave"]);
    let twice = app
        .post(&members, &f.rete, json!({"member_id": f.bergamo}))
        .expect(409);
    assert_eq!(twice["code"], "already_member");
    assert_eq!(twice["existing_id"], g["members"][0]["id"]);
    assert_eq!(
        fields(app.post(&members, &f.rete, json!({"member_id": "nessuno"}))),
        vec!["member_id:not_a_member"]
    );
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    assert_eq!(
        fields(app.post(
            &members,
            &f.rete,
            json!({"member_id": f.a1, "joined_on": tomorrow})
        )),
        vec!["joined_on:future"]
    );
    // A withdrawn member no longer joins groups.
    w.app
        .post(
            &format!("/api/v1/members/{}/withdraw", f.agenzia),
            &f.rete,
            json!({"reason": "Prova"}),
        )
        .expect(200);
    assert_eq!(
        fields(app.post(&members, &f.rete, json!({"member_id": f.agenzia}))),
        vec!["member_id:not_a_member"]
    );
    let g = app
        .post(&members, &f.rete, json!({"member_id": f.a1}))
        .expect(201);
    assert_eq!(g["member_count"], 2);

    // Leaving keeps the history; not twice, not before joining, only members of the group.
    let leave = |m: &str| format!("/api/v1/working-groups/{gid}/members/{m}/leave");
    let yesterday = (today() - chrono::Duration::days(1)).to_string();
    assert_eq!(
        fields(post(
            &w,
            &f.rete,
            &leave(&f.bergamo),
            Some(json!({"left_on": yesterday}))
        )),
        vec!["left_on:before_joined_on"]
    );
    let g = post(&w, &f.rete, &leave(&f.bergamo), None).expect(200);
    assert_eq!(g["member_count"], 1);
    let left = g["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["member_id"] == f.bergamo.as_str())
        .unwrap();
    assert_eq!(left["left_on"], today().to_string());
    assert_eq!(left["active"], false);
    assert_eq!(names(left, "blocked_actions"), vec!["leave"]);
    post(&w, &f.rete, &leave(&f.bergamo), None).expect(409);
    post(&w, &f.rete, &leave(&f.agenzia), None).expect(404);
    // It may join again later: a new participation.
    let g = app
        .post(&members, &f.rete, json!({"member_id": f.bergamo}))
        .expect(201);
    assert_eq!(g["members"].as_array().unwrap().len(), 3);

    // Edits with If-Match; a stale one is refused.
    let path = format!("/api/v1/working-groups/{gid}");
    let read = app.get(&path, &f.rete);
    let etag = read.header("etag").unwrap().to_string();
    let edited = patch(
        &w,
        &f.rete,
        &path,
        &etag,
        json!({"purpose": "Sportelli casa ed emergenza abitativa"}),
    )
    .expect(200);
    assert_eq!(edited["purpose"], "Sportelli casa ed emergenza abitativa");
    patch(&w, &f.rete, &path, &etag, json!({"name": "Casa"})).expect(412);
    assert_eq!(
        fields(patch(&w, &f.rete, &path, "*", json!({"name": "C"}))),
        vec!["name:length"]
    );

    // A member reads the groups, does not change them; the observatory sees figures only.
    let list = app
        .get(&format!("/api/v1/networks/{}/working-groups", f.id), &w.op1)
        .expect(200);
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let as_member = app.get(&path, &w.op1).expect(200);
    assert!(names(&as_member, "allowed_actions").is_empty());
    group_as(&w, &w.op1, &f.id, "transport").expect(403);
    app.post(&members, &w.op1, json!({"member_id": f.a1}))
        .expect(403);
    app.get(
        &format!("/api/v1/networks/{}/working-groups", f.id),
        &w.observer,
    )
    .expect(403);
    app.get(&path, &w.observer).expect(404);
    app.get(&path, &w.op2).expect(404);

    // Closing ends every participation; the area may then get a new group.
    let closed = post(
        &w,
        &f.rete,
        &format!("{path}/close"),
        Some(json!({"reason": "Obiettivi raggiunti"})),
    )
    .expect(200);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closed_on"], today().to_string());
    assert_eq!(closed["close_reason"], "Obiettivi raggiunti");
    assert_eq!(closed["member_count"], 0);
    assert!(closed["members"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["left_on"] == today().to_string()));
    assert_eq!(
        names(&closed, "blocked_actions"),
        vec!["edit", "add_member", "close"]
    );
    post(&w, &f.rete, &format!("{path}/close"), None).expect(409);
    patch(&w, &f.rete, &path, "*", json!({"name": "Casa"})).expect(409);
    app.post(&members, &f.rete, json!({"member_id": f.a1}))
        .expect(409);
    group(&w, &f, "housing").expect(201);

    // Who moved what, when and why, in the audit trail.
    let pool = sistema_lavoro::store::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    use diesel::prelude::*;
    use sistema_lavoro::store::schema::state_changes as sc;
    let moves: Vec<(String, Option<String>)> = sc::table
        .filter(sc::entity_id.eq(&gid))
        .order((sc::at, sc::id))
        .select((sc::action, sc::reason))
        .load(&mut *conn)
        .unwrap();
    let actions: Vec<&str> = moves.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(actions.first(), Some(&"create"), "{actions:?}");
    assert_eq!(actions.last(), Some(&"close"), "{actions:?}");
    assert_eq!(
        moves.last().unwrap().1.as_deref(),
        Some("Obiettivi raggiunti")
    );
    let joins: i64 = sc::table
        .filter(sc::entity_type.eq("group_member"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(joins, 6, "three joins, one leave, two ended by the close");

    // A closed network changes no group.
    let net = format!("/api/v1/networks/{}", f.id);
    post(
        &w,
        &f.rete,
        &format!("{net}/close"),
        Some(json!({"reason": "Fine"})),
    )
    .expect(200);
    group(&w, &f, "culture").expect(409);
    let g = app
        .get(
            &format!("/api/v1/working-groups/{}", named["id"].as_str().unwrap()),
            &f.rete,
        )
        .expect(200);
    assert!(names(&g, "allowed_actions").is_empty());
    assert_eq!(
        names(&g, "blocked_actions"),
        vec!["edit", "add_member", "close"]
    );
}

fn group_as(w: &World, token: &str, network: &str, area: &str) -> Resp {
    w.app.post(
        &format!("/api/v1/networks/{network}/working-groups"),
        token,
        json!({"area": area}),
    )
}

#[test]
fn two_groups_on_one_area_at_once_one_wins() {
    let w = World::new();
    let f = forum(&w);
    for round in 0..3 {
        let area = ["transport", "culture", "training"][round];
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let url = w
                    .app
                    .url(&format!("/api/v1/networks/{}/working-groups", f.id));
                let token = f.rete.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    match ureq::post(&url)
                        .set("Authorization", &format!("Bearer {token}"))
                        .send_json(json!({"area": area}))
                    {
                        Ok(r) => (r.status(), String::new()),
                        Err(ureq::Error::Status(code, r)) => {
                            let body: Value = r.into_json().unwrap_or_default();
                            (code, body["code"].as_str().unwrap_or_default().to_string())
                        }
                        Err(e) => panic!("transport: {e}"),
                    }
                })
            })
            .collect();
        let mut got: Vec<(u16, String)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                (201, String::new()),
                (409, "working_group_exists".to_string())
            ]
        );
    }
    let list = w
        .app
        .get(
            &format!("/api/v1/networks/{}/working-groups", f.id),
            &f.rete,
        )
        .expect(200);
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
}

#[test]
fn members_offer_shared_responses_for_their_own_organization_and_coordinators_make_them_available()
{
    let w = World::new();
    let app = &w.app;
    let f = forum(&w);
    let list = format!("/api/v1/networks/{}/shared-responses", f.id);

    // Every field rule at once, each named.
    let bad = fields(app.post(
        &list,
        &f.rete,
        json!({"member_id": f.bergamo, "area": "housing", "title": "S", "who_may_use": "",
               "how_to_access": "x", "capacity": 0}),
    ));
    assert_eq!(
        bad,
        vec![
            "capacity:range",
            "how_to_access:length",
            "title:length",
            "who_may_use:length"
        ]
    );
    assert_eq!(
        fields(app.post(
            &list,
            &f.rete,
            json!({"member_id": f.bergamo, "area": "housing", "title": "Sportello", "who_may_use": "Tutti"}),
        )),
        vec!["how_to_access:required"]
    );
    let mut dates = housing_desk(&f.bergamo);
    dates["valid_from"] = json!("2027-06-01");
    dates["valid_to"] = json!("2027-05-31");
    assert_eq!(
        fields(app.post(&list, &f.rete, dates)),
        vec!["valid_to:before_valid_from"]
    );
    assert_eq!(
        fields(app.post(&list, &f.rete, housing_desk("nessuno"))),
        vec!["member_id:not_a_member"]
    );

    // Those who manage the network record any member's offer.
    let desk = app
        .post(&list, &f.rete, housing_desk(&f.bergamo))
        .expect(201);
    let desk_id = s(&desk["id"]);
    assert_eq!(desk["status"], "offered");
    assert_eq!(desk["organization"]["name"], "Comune di Bergamo");
    assert_eq!(desk["proposal_count"], 0);
    assert_eq!(
        names(&desk, "allowed_actions"),
        vec!["edit", "make_available", "withdraw"]
    );

    // A member's users offer for their own organization only (the default member).
    let mut course = json!({"area": "training", "title": "Corso di carrellista",
        "who_may_use": "Persone disoccupate dell'Ambito", "how_to_access": "Iscrizione all'agenzia"});
    let own = app.post(&list, &w.op1, course.clone()).expect(201);
    assert_eq!(own["member_id"], f.a1.as_str());
    assert_eq!(names(&own, "allowed_actions"), vec!["edit", "withdraw"]);
    course["member_id"] = json!(f.bergamo);
    app.post(&list, &w.op1, course).expect(403);
    // Not a member: not seen at all; the observatory: figures only.
    app.post(&list, &w.op2, housing_desk(&f.bergamo))
        .expect(404);
    app.post(&list, &w.observer, housing_desk(&f.bergamo))
        .expect(403);
    app.get(&list, &w.observer).expect(403);
    app.get(&format!("/api/v1/shared-responses/{desk_id}"), &w.observer)
        .expect(404);

    // Only the coordinators make an offer available; the member edits and withdraws its own.
    let own_path = format!("/api/v1/shared-responses/{}", s(&own["id"]));
    post(&w, &w.op1, &format!("{own_path}/make-available"), None).expect(403);
    let desk_path = format!("/api/v1/shared-responses/{desk_id}");
    post(&w, &w.op1, &format!("{desk_path}/withdraw"), None).expect(403);
    patch(&w, &w.op1, &desk_path, "*", json!({"capacity": 5})).expect(403);
    let edited = patch(
        &w,
        &w.op1,
        &own_path,
        "*",
        json!({"capacity": 12, "description": "Con patentino"}),
    )
    .expect(200);
    assert_eq!(edited["capacity"], 12);
    assert_eq!(
        fields(patch(
            &w,
            &w.op1,
            &own_path,
            "*",
            json!({"capacity": 0, "title": "C"})
        )),
        vec!["capacity:range", "title:length"]
    );
    let cleared = patch(&w, &w.op1, &own_path, "*", json!({"capacity": null})).expect(200);
    assert!(cleared["capacity"].is_null());
    patch(&w, &w.op1, &own_path, "*", json!({"capacity": 12})).expect(200);
    assert_eq!(
        fields(patch(
            &w,
            &w.op1,
            &own_path,
            "*",
            json!({"valid_from": "2027-06-01", "valid_to": "2027-01-01"})
        )),
        vec!["valid_to:before_valid_from"]
    );
    let etag = app
        .get(&desk_path, &f.rete)
        .header("etag")
        .unwrap()
        .to_string();
    let available = w
        .app
        .with_headers(
            "POST",
            &format!("{desk_path}/make-available"),
            &f.rete,
            &[("If-Match", etag.as_str())],
            None,
        )
        .expect(200);
    assert_eq!(available["status"], "available");
    assert_eq!(names(&available, "blocked_actions"), vec!["make_available"]);
    w.app
        .with_headers(
            "POST",
            &format!("{desk_path}/make-available"),
            &f.rete,
            &[("If-Match", etag.as_str())],
            None,
        )
        .expect(412);
    post(&w, &f.rete, &format!("{desk_path}/make-available"), None).expect(409);

    let withdrawn = post(
        &w,
        &w.op1,
        &format!("{own_path}/withdraw"),
        Some(json!({"reason": "Corso sospeso"})),
    )
    .expect(200);
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["withdrawal_reason"], "Corso sospeso");
    post(&w, &w.op1, &format!("{own_path}/withdraw"), None).expect(409);
    patch(&w, &w.op1, &own_path, "*", json!({"capacity": 3})).expect(409);

    // Lists filter by area and state, a page at a time.
    for i in 0..3 {
        let mut b = housing_desk(&f.bergamo);
        b["title"] = json!(format!("Sportello casa {i}"));
        app.post(&list, &f.rete, b).expect(201);
    }
    let ids = |q: &str| -> Vec<String> {
        app.get(&format!("{list}{q}"), &w.op1).expect(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| s(&r["id"]))
            .collect()
    };
    assert_eq!(ids("").len(), 5);
    assert_eq!(ids("?area=housing").len(), 4);
    assert_eq!(ids("?area=training"), vec![s(&own["id"])]);
    assert_eq!(ids("?status=available"), vec![desk_id.clone()]);
    assert_eq!(ids("?area=housing&status=offered").len(), 3);
    assert!(ids("?area=culture").is_empty());
    assert_eq!(
        fields(app.get(&format!("{list}?area=sport"), &w.op1)),
        vec!["area:invalid"]
    );
    let first = app.get(&format!("{list}?limit=2"), &w.op1).expect(200);
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let next = s(&first["next"]);
    let second = app
        .get(&format!("{list}?limit=2&after={next}"), &w.op1)
        .expect(200);
    let mut all: Vec<String> = [&first, &second]
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap().iter().map(|r| s(&r["id"])))
        .collect();
    let third = app
        .get(
            &format!("{list}?limit=2&after={}", s(&second["next"])),
            &w.op1,
        )
        .expect(200);
    assert!(third["next"].is_null());
    all.extend(
        third["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| s(&r["id"])),
    );
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);
    assert_eq!(all.len(), 5);
}

#[test]
fn a_case_operator_proposes_an_available_response_and_the_offering_member_sees_only_a_count() {
    let w = World::new();
    let app = &w.app;
    let f = forum(&w);
    let case = w.case_for_agency1("Rossi");
    let list = format!("/api/v1/networks/{}/shared-responses", f.id);
    // The social agency's own offer: rete is its user.
    let mut group = housing_desk(&f.agenzia);
    group["area"] = json!("relational_life");
    group["title"] = json!("Gruppi di mutuo aiuto");
    let offer = app.post(&list, &f.rete, group).expect(201);
    let rid = s(&offer["id"]);
    let proposals = format!("/api/v1/cases/{case}/shared-response-proposals");

    // The case offers the action to the agency that works it, not to the coordinator.
    let c = app
        .get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200);
    assert!(names(&c, "allowed_actions").contains(&"add_shared_response_proposal".to_string()));
    let c = app
        .get(&format!("/api/v1/cases/{case}"), &w.coord)
        .expect(200);
    assert!(!names(&c, "allowed_actions").contains(&"add_shared_response_proposal".to_string()));

    // Only available responses, of a network the operator reads, are proposed.
    assert_eq!(
        fields(app.post(&proposals, &w.op1, json!({"shared_response_id": rid}))),
        vec!["shared_response_id:not_available"]
    );
    assert_eq!(
        fields(app.post(&proposals, &w.op1, json!({"shared_response_id": "nessuna"}))),
        vec!["shared_response_id:unknown"]
    );
    assert_eq!(
        fields(app.post(&proposals, &w.op1, json!({"note": "x"}))),
        vec!["shared_response_id:required"]
    );
    post(
        &w,
        &f.rete,
        &format!("/api/v1/shared-responses/{rid}/make-available"),
        None,
    )
    .expect(200);

    // A response of a network agency 1 is not a member of: unknown to it.
    let other = s(&app
        .post(
            "/api/v1/networks",
            &f.rete,
            json!({"kind": "inclusion_pact", "name": "Altro patto"}),
        )
        .expect(201)["id"]);
    let ag = join(
        &w,
        &f.rete,
        &other,
        &org(&w, "Agenzia Sociale Lavoro & Società"),
    );
    let elsewhere = app
        .post(
            &format!("/api/v1/networks/{other}/shared-responses"),
            &f.rete,
            housing_desk(&ag),
        )
        .expect(201);
    post(
        &w,
        &f.rete,
        &format!(
            "/api/v1/shared-responses/{}/make-available",
            s(&elsewhere["id"])
        ),
        None,
    )
    .expect(200);
    assert_eq!(
        fields(app.post(
            &proposals,
            &w.op1,
            json!({"shared_response_id": elsewhere["id"]})
        )),
        vec!["shared_response_id:unknown"]
    );

    // An expired one is not proposed either.
    let mut old = housing_desk(&f.bergamo);
    old["valid_from"] = json!("2020-01-01");
    old["valid_to"] = json!("2020-12-31");
    let old = app.post(&list, &f.rete, old).expect(201);
    post(
        &w,
        &f.rete,
        &format!("/api/v1/shared-responses/{}/make-available", s(&old["id"])),
        None,
    )
    .expect(200);
    assert_eq!(
        fields(app.post(&proposals, &w.op1, json!({"shared_response_id": old["id"]}))),
        vec!["shared_response_id:not_available"]
    );

    // Who may not: the coordinator supervises (403), another agency does not see the case (404).
    app.post(&proposals, &w.coord, json!({"shared_response_id": rid}))
        .expect(403);
    app.post(&proposals, &w.op2, json!({"shared_response_id": rid}))
        .expect(404);

    // Proposed once, with a note; a second time is a duplicate naming the first.
    let p = app
        .post(
            &proposals,
            &w.op1,
            json!({"shared_response_id": rid, "note": "Interessata al gruppo del giovedì"}),
        )
        .expect(201);
    assert_eq!(p["shared_response"]["title"], "Gruppi di mutuo aiuto");
    assert_eq!(
        p["shared_response"]["organization"]["name"],
        "Agenzia Sociale Lavoro & Società"
    );
    assert_eq!(p["note"], "Interessata al gruppo del giovedì");
    let twice = app
        .post(&proposals, &w.op1, json!({"shared_response_id": rid}))
        .expect(409);
    assert_eq!(twice["code"], "duplicate");
    assert_eq!(twice["existing_id"], p["id"]);

    // The case's readers list them; the offering member sees a count and nothing personal.
    let listed = app.get(&proposals, &w.op1).expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let by_coord = app.get(&proposals, &w.coord).expect(200);
    assert_eq!(by_coord["items"][0]["id"], p["id"]);
    app.get(&proposals, &w.op2).expect(404);
    app.get(&proposals, &f.rete).expect(404);
    let seen = app
        .get(&format!("/api/v1/shared-responses/{rid}"), &f.rete)
        .expect(200);
    assert_eq!(seen["proposal_count"], 1);
    assert!(!seen.to_string().contains("Rossi"));
    assert!(!seen.to_string().contains(&case));

    // A withdrawn response stays on the case's list, and is not proposed again elsewhere.
    post(
        &w,
        &f.rete,
        &format!("/api/v1/shared-responses/{rid}/withdraw"),
        None,
    )
    .expect(200);
    let listed = app.get(&proposals, &w.op1).expect(200);
    assert_eq!(listed["items"][0]["shared_response"]["status"], "withdrawn");
    let other_case = w.case_for_agency1("Bianchi");
    assert_eq!(
        fields(app.post(
            &format!("/api/v1/cases/{other_case}/shared-response-proposals"),
            &w.op1,
            json!({"shared_response_id": rid})
        )),
        vec!["shared_response_id:not_available"]
    );

    // A closed case takes no proposal.
    let act = w.activation(&other_case);
    post(
        &w,
        &w.op1,
        &format!("/api/v1/activations/{act}/cancel"),
        None,
    )
    .expect(200);
    post(
        &w,
        &w.op1,
        &format!("/api/v1/cases/{other_case}/close"),
        Some(json!({"outcome": "dropped_out"})),
    )
    .expect(200);
    let closed = app
        .post(
            &format!("/api/v1/cases/{other_case}/shared-response-proposals"),
            &w.op1,
            json!({"shared_response_id": desk(&w, &f)}),
        )
        .expect(409);
    assert_eq!(closed["code"], "invalid_transition");
}

/// An available housing desk of the Comune di Bergamo: its id.
fn desk(w: &World, f: &Forum) -> String {
    let d = w
        .app
        .post(
            &format!("/api/v1/networks/{}/shared-responses", f.id),
            &f.rete,
            housing_desk(&f.bergamo),
        )
        .expect(201);
    let id = s(&d["id"]);
    post(
        w,
        &f.rete,
        &format!("/api/v1/shared-responses/{id}/make-available"),
        None,
    )
    .expect(200);
    id
}
