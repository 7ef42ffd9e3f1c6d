//! Meetings of every network over HTTP: a forum session of the inclusion pact with its members
//! attending, topics and action items followed up at the next session; one open meeting per
//! network (not per district), also when two opens race; who runs and who reads them; the
//! minutes frozen at close as Markdown, HTML and a PDF read back with its accents and page
//! numbers; each member's copy of the table's minutes with the persons it does not follow by
//! initials only.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;
use std::sync::{Arc, Barrier};

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

fn join(w: &World, token: &str, network: &str, organization: &str, role: &str) -> String {
    s(&w.app
        .post(
            &format!("/api/v1/networks/{network}/members"),
            token,
            json!({"organization_id": organization, "role": role}),
        )
        .expect(201)["id"])
}

/// An inclusion pact coordinated by the social agency (the network coordinator's), with the
/// agency, the Comune di Bergamo and agency 1 as members: (network, rete's token, agency's
/// membership, Bergamo's membership, agency 1's membership).
fn inclusion_pact(w: &World) -> (String, String, String, String, String) {
    let rete = w.app.login("rete@demo.test");
    let n = w
        .app
        .post(
            "/api/v1/networks",
            &rete,
            json!({"kind": "inclusion_pact", "name": "Patto per l'inclusione sociale"}),
        )
        .expect(201);
    let id = s(&n["id"]);
    let agenzia = join(
        w,
        &rete,
        &id,
        &org(w, "Agenzia Sociale Lavoro & Società"),
        "coordinator",
    );
    let bergamo = join(w, &rete, &id, &org(w, "Comune di Bergamo"), "member");
    let a1 = join(w, &rete, &id, &w.agency1, "member");
    (id, rete, agenzia, bergamo, a1)
}

fn post_meeting(w: &World, token: &str, body: Value) -> Resp {
    w.app
        .call("POST", "/api/v1/meetings", Some(token), Some(&body))
}

fn act(w: &World, token: &str, meeting: &str, action: &str) -> Resp {
    w.app.call(
        "POST",
        &format!("/api/v1/meetings/{meeting}/{action}"),
        Some(token),
        None,
    )
}

/// A change with `If-Match: *` (any version).
fn patch_tagged(w: &World, token: &str, path: &str, body: Value) -> Resp {
    w.app
        .with_headers("PATCH", path, token, &[("If-Match", "*")], Some(&body))
}

fn bytes(w: &World, token: &str, path: &str) -> (String, Vec<u8>) {
    let r = ureq::get(&w.app.url(path))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let ct = r.header("content-type").unwrap_or_default().to_string();
    let mut out = Vec::new();
    r.into_reader().read_to_end(&mut out).unwrap();
    (ct, out)
}

fn pdf_text(pdf: &[u8]) -> (usize, String) {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    (pages.len(), doc.extract_text(&pages).unwrap())
}

#[test]
fn a_forum_session_records_who_attended_its_topics_and_action_items_followed_up_at_the_next() {
    let w = World::new();
    let app = &w.app;
    let (pact, rete, _agenzia, bergamo, a1) = inclusion_pact(&w);
    let day = today().to_string();

    // Members must be active members of the network, each once; the table's kind is the
    // table's only — every field that does not fit named at once.
    let table_member = s(&app
        .get("/api/v1/networks?kind=coordination_table", &w.coord)
        .expect(200)["items"][0]["id"]);
    let bad = post_meeting(
        &w,
        &rete,
        json!({
            "network_id": pact, "scheduled_for": day, "kind": "monthly_table",
        }),
    )
    .expect(422);
    assert_eq!(bad["errors"][0]["field"], "kind");
    let bad = post_meeting(&w, &rete, json!({
        "network_id": pact, "scheduled_for": day,
        "attendees": [{"member_id": bergamo}, {"member_id": bergamo}, {"member_id": table_member}],
    }))
    .expect(422);
    let fields: Vec<String> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| s(&e["field"]))
        .collect();
    assert_eq!(
        fields,
        vec!["attendees[1].member_id", "attendees[2].member_id"]
    );
    // A name too long is refused with the body's rules, before anything is looked up — on a
    // PATCH before its If-Match (a stale one here), so the caller learns what to fix.
    let long = json!({"network_id": pact, "scheduled_for": day,
        "attendees": [{"member_id": a1, "people": ["x".repeat(201)]}]});
    let bad = post_meeting(&w, &rete, long.clone()).expect(422);
    assert_eq!(bad["errors"][0]["field"], "attendees[0].people");
    let r = w.app.with_headers(
        "PATCH",
        "/api/v1/meetings/nessuna",
        &w.coord,
        &[
            ("If-Match", "\"0\""),
            ("Content-Type", "application/merge-patch+json"),
        ],
        Some(&json!({"attendees": [{"member_id": a1, "people": ["x".repeat(201)]}]})),
    );
    assert_eq!(r.expect(422)["errors"][0]["field"], "attendees[0].people");
    // An unknown network is a field error, not a 500; a member's user may not plan one.
    let unknown = post_meeting(
        &w,
        &rete,
        json!({"network_id": "nope", "scheduled_for": day}),
    )
    .expect(422);
    assert_eq!(unknown["errors"][0]["field"], "network_id");
    post_meeting(
        &w,
        &w.op1,
        json!({"network_id": pact, "scheduled_for": day}),
    )
    .expect(403);

    let m = post_meeting(&w, &rete, json!({
        "network_id": pact, "scheduled_for": day, "location": "Sala consiliare",
        "attendees": [
            {"member_id": bergamo, "people": ["Anna Rota", "Luca Bassi"], "attendance": "present"},
            {"member_id": a1, "people": ["Marta Riva"], "attendance": "excused"}
        ],
        "topics": [
            {"title": "Sportello casa", "notes": "Verifica dell’attività: città, perché, è, più, così, però — 1.000 €, «Patto»"},
            {"title": "Microcredito"}
        ]
    }))
    .expect(201);
    let id = s(&m["id"]);
    assert_eq!(m["kind"], "forum_session");
    assert_eq!(m["network_id"], pact.as_str());
    assert!(s(&m["title"]).starts_with("Seduta del Forum – Patto per l'inclusione sociale"));
    assert_eq!(
        m["attendees"][0]["organization"]["name"],
        "Comune di Bergamo"
    );
    assert_eq!(m["attendees"][1]["attendance"], "excused");
    assert_eq!(m["topics"][1]["title"], "Microcredito");
    let allowed: Vec<String> = m["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(s)
        .collect();
    assert!(allowed.contains(&"open".to_string()));
    assert!(
        !allowed.contains(&"add_agenda_item".to_string()),
        "referrals are the table's"
    );

    // A member's user reads the meeting (no actions), and may not change it; an organization
    // that is not a member does not see it.
    let read = app
        .get(&format!("/api/v1/meetings/{id}"), &w.op1)
        .expect(200);
    assert_eq!(read["allowed_actions"], json!([]));
    let listed = app
        .get(&format!("/api/v1/meetings?network_id={pact}"), &w.op1)
        .expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    app.get(&format!("/api/v1/meetings/{id}"), &w.cpi)
        .expect(404);
    app.get(&format!("/api/v1/meetings/{id}"), &w.observer)
        .expect(404);
    let none = app
        .get(&format!("/api/v1/meetings?network_id={pact}"), &w.cpi)
        .expect(200);
    assert_eq!(none["items"], json!([]));
    act(&w, &w.op1, &id, "open").expect(403);

    // Action items only while open.
    let items = format!("/api/v1/meetings/{id}/action-items");
    app.post(&items, &rete, json!({"title": "Mappare gli sportelli"}))
        .expect(409);
    act(&w, &rete, &id, "open").expect(200);
    // Referrals and case reviews are the table's business.
    let r = w.submitted("Forum");
    app.post(
        &format!("/api/v1/meetings/{id}/agenda"),
        &w.coord,
        json!({"referral_id": r}),
    )
    .expect(409);
    let owner_bad = app
        .post(
            &items,
            &rete,
            json!({"title": "Impegno", "owner_member_id": table_member}),
        )
        .expect(422);
    assert_eq!(owner_bad["errors"][0]["field"], "owner_member_id");
    app.post(&items, &w.op1, json!({"title": "Impegno"}))
        .expect(403);
    let due = (today() + chrono::Duration::days(30)).to_string();
    let first = app
        .post(
            &items,
            &rete,
            json!({"title": "Mappare gli sportelli casa dei Comuni", "owner_member_id": bergamo, "due_on": due}),
        )
        .expect(201);
    assert_eq!(first["owner"]["name"], "Comune di Bergamo");
    assert_eq!(first["status"], "open");
    let second = app
        .post(
            &items,
            &w.coord,
            json!({"title": "Proporre una linea di microcredito"}),
        )
        .expect(201);
    let list = app.get(&items, &w.op1).expect(200);
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert_eq!(list["follow_up"], json!([]));
    assert_eq!(
        list["items"][0]["allowed_actions"],
        json!([]),
        "members read"
    );

    // Closed: the minutes are frozen with attendees, topics and action items.
    act(&w, &rete, &id, "close").expect(200);
    let md = app
        .call(
            "GET",
            &format!("/api/v1/meetings/{id}/minutes"),
            Some(&w.op1),
            None,
        )
        .text;
    assert!(md.starts_with("# Verbale – Seduta del Forum"), "{md}");
    // The members attending are listed; the table's text participants section is not.
    assert!(!md.contains("## Partecipanti"), "{md}");
    for expected in [
        "- **Rete:** Patto per l'inclusione sociale",
        "- **Tipo di seduta:** Seduta del Forum",
        "## Aderenti presenti",
        "- Comune di Bergamo: Anna Rota, Luca Bassi — presente",
        "- Agenzia Lavoro Orobica: Marta Riva — assente giustificato",
        "## Ordine del giorno",
        "1. Sportello casa — Verifica dell’attività",
        "## Impegni assunti",
        "Mappare gli sportelli casa dei Comuni — a cura di Comune di Bergamo",
        "## Impegni delle sedute precedenti",
        "_Nessun impegno aperto da seguire._",
    ] {
        assert!(md.contains(expected), "{expected} not in {md}");
    }
    assert!(
        !md.contains("## Decisioni"),
        "no decisions outside the table"
    );
    let html = app
        .call(
            "GET",
            &format!("/api/v1/meetings/{id}/minutes?format=html"),
            Some(&rete),
            None,
        )
        .text;
    assert!(html.contains("<h2>Aderenti presenti</h2>"), "{html}");
    // The PDF: the embedded font prints the accents, €, ’ and «», the page is numbered.
    let (ct, pdf) = bytes(
        &w,
        &w.op1,
        &format!("/api/v1/meetings/{id}/minutes?format=pdf"),
    );
    assert_eq!(ct, "application/pdf");
    let (pages, text) = pdf_text(&pdf);
    assert!(text.contains("Verbale – Seduta del Forum"), "{text}");
    assert!(
        text.contains("città, perché, è, più, così, però — 1.000 €, «Patto»"),
        "{text}"
    );
    assert!(text.contains("dell’attività"), "{text}");
    assert!(text.contains(&format!("Pagina 1 di {pages}")), "{text}");
    assert!(String::from_utf8_lossy(&pdf).contains("/FontFile2"));

    // The next session follows up the open items of the previous one.
    let next =
        post_meeting(&w, &rete, json!({"network_id": pact, "scheduled_for": due})).expect(201);
    let next_id = s(&next["id"]);
    let follow = app
        .get(&format!("/api/v1/meetings/{next_id}/action-items"), &rete)
        .expect(200);
    let titles: Vec<String> = follow["follow_up"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| s(&a["title"]))
        .collect();
    assert_eq!(
        titles,
        vec![
            "Mappare gli sportelli casa dei Comuni",
            "Proporre una linea di microcredito"
        ]
    );
    // open → done | dropped, once; dropping needs a reason; If-Match is required.
    let a = format!("/api/v1/action-items/{}", s(&first["id"]));
    app.with_headers("PATCH", &a, &rete, &[], Some(&json!({"status": "done"})))
        .expect(428);
    // Its version is read from the item itself; a stale one is refused.
    let read = app.get(&a, &rete);
    assert_eq!(read.json()["id"], first["id"]);
    let tag = read.header("etag").unwrap().to_string();
    app.get(&a, &w.op2).expect(404);
    app.with_headers(
        "PATCH",
        &a,
        &rete,
        &[("If-Match", "\"stale\"")],
        Some(&json!({"title": "Altro"})),
    )
    .expect(412);
    let retitled = app
        .with_headers(
            "PATCH",
            &a,
            &rete,
            &[("If-Match", &tag)],
            Some(&json!({"title": "Mappare gli sportelli casa dei Comuni"})),
        )
        .expect(200);
    assert_eq!(retitled["title"], "Mappare gli sportelli casa dei Comuni");
    patch_tagged(&w, &w.op1, &a, json!({"status": "done"})).expect(403);
    let done = patch_tagged(
        &w,
        &rete,
        &a,
        json!({"status": "done", "reason": "Mappa condivisa"}),
    )
    .expect(200);
    assert_eq!(done["status"], "done");
    assert_eq!(done["status_reason"], "Mappa condivisa");
    patch_tagged(
        &w,
        &rete,
        &a,
        json!({"status": "dropped", "reason": "Non più utile"}),
    )
    .expect(409);
    patch_tagged(&w, &rete, &a, json!({"title": "Altro"})).expect(409);
    let b = format!("/api/v1/action-items/{}", s(&second["id"]));
    let no_reason = patch_tagged(&w, &rete, &b, json!({"status": "dropped"})).expect(422);
    assert_eq!(no_reason["errors"][0]["field"], "reason");
    let moved = patch_tagged(
        &w,
        &w.coord,
        &b,
        json!({"due_on": due, "title": "Linea di microcredito"}),
    )
    .expect(200);
    assert_eq!(moved["title"], "Linea di microcredito");
    let follow = app
        .get(&format!("/api/v1/meetings/{next_id}/action-items"), &rete)
        .expect(200);
    assert_eq!(follow["follow_up"].as_array().unwrap().len(), 1);
    // The draft minutes of the next session list what it follows up.
    let draft = app
        .call(
            "GET",
            &format!("/api/v1/meetings/{next_id}/minutes"),
            Some(&rete),
            None,
        )
        .text;
    assert!(draft.starts_with("# Bozza di verbale"), "{draft}");
    assert!(draft.contains("- Linea di microcredito"), "{draft}");
    assert!(
        !draft.contains("Mappare gli sportelli"),
        "done is not followed up"
    );
}

#[test]
fn one_meeting_is_open_per_network_not_per_district_also_when_two_opens_race() {
    let w = World::new();
    let (pact, rete, ..) = inclusion_pact(&w);
    let day = today().to_string();
    let plan = || {
        s(
            &post_meeting(&w, &rete, json!({"network_id": pact, "scheduled_for": day})).expect(201)
                ["id"],
        )
    };
    let (a, b) = (plan(), plan());
    // The table's meeting is open: the pact's may open too.
    let table = w.open_meeting();
    act(&w, &rete, &a, "open").expect(200);
    let other = act(&w, &rete, &b, "open").expect(409);
    assert_eq!(other["code"], "meeting_already_open");
    // Checked in the transaction first, so the answer names the meeting to close.
    assert!(s(&other["detail"]).contains(&a), "{}", other["detail"]);
    let read = w
        .app
        .get(&format!("/api/v1/meetings/{b}"), &rete)
        .expect(200);
    let blocked = read["blocked_actions"].as_array().unwrap();
    assert!(blocked
        .iter()
        .any(|x| x["action"] == "open" && x["code"] == "another_meeting_open"));
    act(&w, &rete, &a, "close").expect(200);
    w.close_meeting(&table);

    // Two opens at once: one wins, the other is told another meeting is open.
    let (c, d) = (plan(), plan());
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = [c, d]
        .into_iter()
        .map(|id| {
            let url = w.app.url(&format!("/api/v1/meetings/{id}/open"));
            let token = rete.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                match ureq::post(&url)
                    .set("Authorization", &format!("Bearer {token}"))
                    .call()
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
            (200, String::new()),
            (409, "meeting_already_open".to_string())
        ]
    );
    let open = w
        .app
        .get(
            &format!("/api/v1/meetings?network_id={pact}&status=open"),
            &rete,
        )
        .expect(200);
    assert_eq!(open["items"].as_array().unwrap().len(), 1);
}

#[test]
fn each_member_reads_its_copy_of_the_tables_minutes_with_the_persons_it_does_not_follow_by_initials(
) {
    let w = World::new();
    let app = &w.app;
    let r1 = w.submitted("Verdi");
    let r2 = w.submitted("Neri");
    let m = w.open_meeting();
    for (r, agency) in [(&r1, &w.agency1), (&r2, &w.agency2)] {
        app.post(
            &format!("/api/v1/meetings/{m}/decisions"),
            &w.coord,
            json!({"referral_id": r, "decision": "accept", "agency_id": agency, "measure_ids": [w.dul]}),
        )
        .expect(200);
    }
    let minutes = format!("/api/v1/meetings/{m}/minutes");
    // Before the close there is no member's copy.
    app.get(&minutes, &w.op1).expect(404);
    w.close_meeting(&m);
    let person = |r: &str| {
        let p = &app
            .get(&format!("/api/v1/referrals/{r}"), &w.coord)
            .expect(200)["person"];
        (s(&p["last_name"]), s(&p["first_name"]), s(&p["tax_code"]))
    };
    let (l1, f1, t1) = person(&r1);
    let (l2, f2, t2) = person(&r2);
    let full1 = format!("{l1} {f1} ({t1})");
    let full2 = format!("{l2} {f2} ({t2})");
    let initials = |l: &str, f: &str| {
        format!(
            "{}. {}.",
            l.chars().next().unwrap(),
            f.chars().next().unwrap()
        )
    };
    let text = |token: &str| app.call("GET", &minutes, Some(token), None);
    // The table's frozen minutes hold everything.
    let all = text(&w.coord);
    assert_eq!(all.status, 200);
    assert!(
        all.text.contains(&full1) && all.text.contains(&full2),
        "{}",
        all.text
    );
    // Agency 1 follows the first person only; agency 3 neither; both are table members.
    let a1 = text(&w.op1);
    assert_eq!(a1.status, 200, "{}", a1.text);
    assert!(a1.text.contains(&full1), "{}", a1.text);
    assert!(
        !a1.text.contains(&full2) && !a1.text.contains(&t2),
        "{}",
        a1.text
    );
    assert!(a1.text.contains(&initials(&l2, &f2)), "{}", a1.text);
    assert!(a1.text.contains("Copia per l'aderente"), "{}", a1.text);
    let a3 = text(&w.op3);
    assert_eq!(a3.status, 200);
    assert!(
        !a3.text.contains(&t1) && !a3.text.contains(&t2),
        "{}",
        a3.text
    );
    // The social service referred both (it is not seated at the table): not its copy.
    text(&w.social).expect(404);
    text(&w.observer).expect(404);
    // The HTML copy too.
    let html = app
        .call("GET", &format!("{minutes}?format=html"), Some(&w.op1), None)
        .text;
    assert!(html.contains(&t1) && !html.contains(&t2), "{html}");
    // The table's meeting stays the coordinator's otherwise.
    app.get(&format!("/api/v1/meetings/{m}"), &w.op1)
        .expect(404);
}
