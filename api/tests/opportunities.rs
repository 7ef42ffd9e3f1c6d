//! Opportunities over HTTP (seed 002): members publish their own, everyone in the district
//! reads what is published beside the open measures and granted projects; the coordinator
//! withdraws with a reason; the clock expires what passed its deadline; wrong values refused
//! naming the field with nothing written; matching on cases and referrals with reasons, a
//! proposal and its answer in the case's timeline; the public JSON, RSS and iCalendar feeds
//! read back by real parsers, cacheable by ETag; the flyer and the bulletin.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;

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

/// A forming network of the social agency with agency 1 as a member: agency 1 may publish.
fn agency1_joins(w: &World) -> String {
    let rete = w.app.login("rete@demo.test");
    let id = s(&w
        .app
        .post(
            "/api/v1/networks",
            &rete,
            json!({"kind": "inclusion_pact", "name": "Patto per l'inclusione sociale"}),
        )
        .expect(201)["id"]);
    w.app
        .post(
            &format!("/api/v1/networks/{id}/members"),
            &rete,
            json!({"organization_id": w.agency1}),
        )
        .expect(201);
    id
}

fn course(extra: Value) -> Value {
    let mut body = json!({"kind": "training_course", "area": "training",
        "title": "Corso per addetto alla logistica",
        "description": "80 ore in aula e 40 in azienda.",
        "min_age": 18, "employment_statuses": ["unemployed"], "municipality_code": "016024",
        "starts_on": (today() + chrono::Duration::days(20)).to_string(),
        "ends_on": (today() + chrono::Duration::days(60)).to_string(),
        "apply_by": (today() + chrono::Duration::days(10)).to_string(),
        "how_to_apply": "Colloquio su appuntamento", "contact": "orientamento@cfp.example"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
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

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| s(&i["id"]))
        .collect()
}

fn tagged(w: &World, token: &str, method: &str, path: &str, body: Option<Value>) -> Resp {
    // A move (`…/publish`) is made at the version of the resource it moves.
    let resource = path
        .strip_suffix("/publish")
        .or_else(|| path.strip_suffix("/withdraw"))
        .unwrap_or(path);
    let tag = w
        .app
        .get(resource, &w.coord)
        .header("etag")
        .unwrap()
        .to_string();
    w.app
        .with_headers(method, path, token, &[("If-Match", &tag)], body.as_ref())
}

fn bytes(w: &World, path: &str, headers: &[(&str, &str)]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut req = ureq::get(&w.app.url(path));
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let r = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = r.status();
    let hs = r
        .headers_names()
        .into_iter()
        .map(|n| {
            let v = r.header(&n).unwrap_or_default().to_string();
            (n, v)
        })
        .collect();
    let mut out = Vec::new();
    r.into_reader().read_to_end(&mut out).unwrap();
    (status, hs, out)
}

fn header<'a>(hs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    hs.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn members_publish_their_own_and_every_role_of_the_district_reads_what_is_published() {
    let w = World::new();
    let app = &w.app;
    // The social service is a member of no network: it may not publish.
    let code = app
        .post("/api/v1/opportunities", &w.social, course(json!({})))
        .problem(403);
    assert_eq!(code, "forbidden");
    agency1_joins(&w);

    // A draft without how to apply nor a contact; publishing asks for both.
    let draft = app
        .post(
            "/api/v1/opportunities",
            &w.op1,
            course(json!({"how_to_apply": null, "contact": null})),
        )
        .expect(201);
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["source"], "published");
    assert_eq!(draft["organization_id"], json!(w.agency1));
    assert_eq!(draft["municipality"]["name"], "Bergamo");
    assert!(s(&draft["who_for"]).starts_with("Per persone di almeno 18 anni"));
    let url = format!("/api/v1/opportunities/{}", s(&draft["id"]));
    assert!(draft["allowed_actions"]
        .as_array()
        .unwrap()
        .contains(&json!("publish")));
    assert_eq!(
        fields(tagged(&w, &w.op1, "POST", &format!("{url}/publish"), None)),
        vec![
            "contact:required_to_publish",
            "how_to_apply:required_to_publish"
        ]
    );
    // Others of the district do not see a draft.
    app.get(&url, &w.op2).expect(404);
    assert!(!ids(&app.get("/api/v1/opportunities", &w.op2).expect(200)).contains(&s(&draft["id"])));
    app.get(&url, &w.coord).expect(200);

    tagged(
        &w,
        &w.op1,
        "PATCH",
        &url,
        Some(json!({"how_to_apply": "Colloquio su appuntamento", "contact": "selezione@orobica.example"})),
    )
    .expect(200);
    let published = tagged(&w, &w.op1, "POST", &format!("{url}/publish"), None).expect(200);
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].is_string());

    // Every role of the district reads it, with the open measures beside it.
    for token in [&w.op2, &w.social, &w.observer, &w.coord] {
        let board = app
            .get("/api/v1/opportunities?limit=200", token)
            .expect(200);
        assert!(ids(&board).contains(&s(&draft["id"])));
        let sources: Vec<Value> = board["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["source"].clone())
            .collect();
        assert!(sources.contains(&json!("measure")), "{sources:?}");
    }
    app.get("/api/v1/opportunities", &w.admin).problem(403);
    // Another agency may not change it, nor publish for agency 1.
    assert_eq!(
        tagged(&w, &w.op2, "PATCH", &url, Some(json!({"title": "Altro"}))).problem(403),
        "forbidden"
    );
    app.post(
        "/api/v1/opportunities",
        &w.op2,
        course(json!({"organization_id": w.agency1})),
    )
    .problem(403);
    app.post(
        "/api/v1/opportunities",
        &w.op1,
        course(json!({"organization_id": w.agency2})),
    )
    .problem(403);
    // The coordinator publishes for any organization of the district.
    let cciaa = org(&w, "Camera di Commercio di Bergamo");
    let job_day = app
        .post(
            "/api/v1/opportunities",
            &w.coord,
            json!({"kind": "event", "area": "work_placement", "organization_id": cciaa,
                "title": "Job day", "description": "Trenta imprese incontrano chi cerca lavoro",
                "starts_on": (today() + chrono::Duration::days(5)).to_string(),
                "how_to_apply": "Ingresso libero", "contact": "jobday@cciaa.example", "publish": true}),
        )
        .expect(201);
    assert_eq!(job_day["status"], "published");
    assert_eq!(job_day["publisher"], "Camera di Commercio di Bergamo");

    // Only the coordinator withdraws, with a reason; the territory no longer sees it.
    assert_eq!(
        tagged(
            &w,
            &w.op1,
            "POST",
            &format!("{url}/withdraw"),
            Some(json!({"reason": "annullato"}))
        )
        .problem(403),
        "forbidden"
    );
    let public = format!("/api/v1/public/opportunities/{}", s(&draft["id"]));
    app.get(&public, "").expect(200);
    let gone = tagged(
        &w,
        &w.coord,
        "POST",
        &format!("{url}/withdraw"),
        Some(json!({"reason": "Corso annullato dall'ente"})),
    )
    .expect(200);
    assert_eq!(gone["status"], "withdrawn");
    assert_eq!(gone["withdrawal_reason"], "Corso annullato dall'ente");
    app.get(&public, "").expect(404);
    // The publisher still sees it, with the reason; another agency does not.
    assert_eq!(app.get(&url, &w.op1).expect(200)["status"], "withdrawn");
    app.get(&url, &w.op2).expect(404);
    assert_eq!(
        tagged(
            &w,
            &w.coord,
            "POST",
            &format!("{url}/withdraw"),
            Some(json!({"reason": "ancora"}))
        )
        .problem(409),
        "invalid_transition"
    );
}

#[test]
fn a_client_reads_with_opportunities_read_and_publishes_only_with_the_write_scope() {
    let w = World::new();
    agency1_joins(&w);
    let client = |scopes: &[&str]| {
        let c = w
            .app
            .post(
                "/api/v1/integration-clients",
                &w.admin,
                json!({"name": format!("Gestionale {}", scopes.join(" ")), "organization_id": w.agency1, "scopes": scopes}),
            )
            .expect(201);
        let form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            s(&c["client_id"]),
            s(&c["client_secret"])
        );
        let t = w
            .app
            .raw(
                "POST",
                "/api/v1/auth/token",
                &[("Content-Type", "application/x-www-form-urlencoded")],
                form.as_bytes(),
            )
            .expect(200);
        s(&t["access_token"])
    };
    let reader = client(&["opportunities:read"]);
    let writer = client(&["opportunities:write"]);
    let other = client(&["cases:read"]);
    w.app.get("/api/v1/opportunities", &reader).expect(200);
    w.app.get("/api/v1/opportunities", &other).problem(403);
    w.app
        .post("/api/v1/opportunities", &reader, course(json!({})))
        .problem(403);
    let o = w
        .app
        .post(
            "/api/v1/opportunities",
            &writer,
            course(json!({"publish": true})),
        )
        .expect(201);
    assert_eq!(o["status"], "published");
    assert_eq!(o["organization_id"], json!(w.agency1));
}

#[test]
fn the_clock_expires_an_opportunity_the_day_after_its_deadline() {
    let w = World::new();
    agency1_joins(&w);
    let o = w
        .app
        .post(
            "/api/v1/opportunities",
            &w.op1,
            course(json!({"apply_by": (today() + chrono::Duration::days(2)).to_string(), "publish": true})),
        )
        .expect(201);
    let url = format!("/api/v1/opportunities/{}", s(&o["id"]));
    assert_eq!(
        o["last_day"],
        json!((today() + chrono::Duration::days(2)).to_string())
    );
    // On its last day it is still open.
    w.app.clock.advance(chrono::Duration::days(2));
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert_eq!(w.app.get(&url, &w.coord).expect(200)["status"], "published");
    w.app.clock.advance(chrono::Duration::days(1));
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let got = w.app.get(&url, &w.coord).expect(200);
        if got["status"] == "expired" {
            assert_eq!(
                got["expired_on"],
                json!((today() + chrono::Duration::days(3)).to_string())
            );
            break;
        }
        assert!(std::time::Instant::now() < until, "not expired: {got}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Others no longer see it; the territory neither.
    w.app.get(&url, &w.op2).expect(404);
    let public = w.app.get("/api/v1/public/opportunities", "").expect(200);
    assert!(!ids(&public).contains(&s(&o["id"])));
}

#[test]
fn wrong_values_are_refused_naming_the_field_and_nothing_is_written() {
    let w = World::new();
    agency1_joins(&w);
    let app = &w.app;
    let before = ids(&app
        .get("/api/v1/opportunities?limit=200", &w.coord)
        .expect(200));
    let d = |n: i64| (today() + chrono::Duration::days(n)).to_string();
    for (body, want) in [
        (
            course(json!({"min_age": 30, "max_age": 20})),
            vec!["max_age:below_min"],
        ),
        (
            course(json!({"starts_on": d(10), "ends_on": d(5), "apply_by": d(4)})),
            vec!["ends_on:before_start"],
        ),
        (
            course(json!({"ends_on": d(30), "apply_by": d(40)})),
            vec!["apply_by:after_end"],
        ),
        (
            course(json!({"municipality_code": "999999"})),
            vec!["municipality_code:unknown"],
        ),
        (
            course(json!({"municipality_code": "16024"})),
            vec!["municipality_code:pattern"],
        ),
        (
            course(json!({"shared_response_id": "0193-nessuna"})),
            vec!["shared_response_id:not_a_service"],
        ),
        (
            course(json!({"kind": "service", "shared_response_id": "0193-nessuna"})),
            vec!["shared_response_id:unknown"],
        ),
        (
            course(
                json!({"apply_by": d(-1), "starts_on": d(-10), "ends_on": d(5), "publish": true}),
            ),
            vec!["apply_by:passed"],
        ),
    ] {
        assert_eq!(
            fields(app.post("/api/v1/opportunities", &w.op1, body.clone())),
            want,
            "{body}"
        );
    }
    for (body, field) in [
        (course(json!({"kind": "lavoretto"})), "kind"),
        (course(json!({"area": "ovunque"})), "area"),
        (course(json!({"title": "x"})), "title"),
        (course(json!({"min_age": 5})), "min_age"),
    ] {
        let p = app.post("/api/v1/opportunities", &w.op1, body).expect(422);
        assert_eq!(p["errors"][0]["field"], field, "{p}");
    }
    // A published one cannot lose what publishing asks.
    let o = app
        .post(
            "/api/v1/opportunities",
            &w.op1,
            course(json!({"publish": true})),
        )
        .expect(201);
    let url = format!("/api/v1/opportunities/{}", s(&o["id"]));
    assert_eq!(
        fields(tagged(
            &w,
            &w.op1,
            "PATCH",
            &url,
            Some(json!({"contact": null}))
        )),
        vec!["contact:required_to_publish"]
    );
    // A malformed code is refused before the version is looked at.
    assert_eq!(
        fields(w.app.with_headers(
            "PATCH",
            &url,
            &w.op1,
            &[("If-Match", "\"1\"")],
            Some(&json!({"municipality_code": "BG"}))
        )),
        vec!["municipality_code:pattern"]
    );
    assert_eq!(
        app.get(&url, &w.op1).expect(200)["contact"],
        "orientamento@cfp.example"
    );
    let mut after = ids(&app
        .get("/api/v1/opportunities?limit=200", &w.coord)
        .expect(200));
    after.retain(|i| *i != s(&o["id"]));
    assert_eq!(after, before);
    // Measures and projects are edited where they live.
    tagged(
        &w,
        &w.coord,
        "PATCH",
        &format!("/api/v1/opportunities/{}", w.dul),
        Some(json!({"title": "Altro"})),
    )
    .expect(404);
}

#[test]
fn matching_tells_what_fits_a_case_with_reasons_and_a_proposal_and_its_answer_reach_the_timeline() {
    let w = World::new();
    agency1_joins(&w);
    let app = &w.app;
    let case = w.case_for_agency1("Rossi");
    w.take_charge(&case);
    let fits = app
        .post(
            "/api/v1/opportunities",
            &w.op1,
            course(json!({"publish": true})),
        )
        .expect(201);
    let too_young = app
        .post(
            "/api/v1/opportunities",
            &w.op1,
            course(
                json!({"title": "Tirocinio per giovanissimi", "kind": "internship",
                "area": "work_placement", "min_age": 16, "max_age": 19, "publish": true}),
            ),
        )
        .expect(201);
    let m = app
        .get(&format!("/api/v1/cases/{case}/opportunities"), &w.op1)
        .expect(200);
    let got: Vec<String> = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| s(&i["opportunity"]["id"]))
        .collect();
    assert!(got.contains(&s(&fits["id"])), "{m}");
    assert!(
        got.contains(&w.dul),
        "the DUL fits an unemployed adult: {m}"
    );
    assert!(!got.contains(&s(&too_young["id"])));
    let all = app
        .get(
            &format!("/api/v1/cases/{case}/opportunities?all=true"),
            &w.op1,
        )
        .expect(200);
    let young = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["opportunity"]["id"] == too_young["id"])
        .unwrap();
    assert_eq!(young["eligible"], false);
    let age = young["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "age")
        .unwrap();
    assert_eq!(age["met"], false);
    assert!(
        s(&age["message"]).contains("superiore al massimo di 19"),
        "{age}"
    );
    // Fitting items come first.
    assert_eq!(all["items"][0]["eligible"], true);

    // Whoever works the case proposes one, once; the person's answer is recorded.
    let url = format!("/api/v1/cases/{case}/opportunity-proposals");
    let p = app
        .post(
            &url,
            &w.op1,
            json!({"opportunity_id": fits["id"], "note": "Proposto al colloquio"}),
        )
        .expect(201);
    assert_eq!(p["source"], "published");
    assert_eq!(p["title"], fits["title"]);
    let twice = app
        .post(&url, &w.op1, json!({"opportunity_id": fits["id"]}))
        .expect(409);
    assert_eq!(twice["code"], "duplicate");
    assert_eq!(twice["existing_id"], p["id"]);
    app.post(&url, &w.op1, json!({"opportunity_id": w.dul}))
        .expect(201);
    assert_eq!(
        fields(app.post(&url, &w.op1, json!({"opportunity_id": "nessuna"}))),
        vec!["opportunity_id:unknown"]
    );
    // The coordinator supervises, does not propose; another agency does not see the case.
    app.post(&url, &w.coord, json!({"opportunity_id": too_young["id"]}))
        .problem(403);
    app.post(&url, &w.op2, json!({"opportunity_id": too_young["id"]}))
        .expect(404);
    let answer = format!("/api/v1/opportunity-proposals/{}/answer", s(&p["id"]));
    assert_eq!(
        fields(app.post(
            &answer,
            &w.op1,
            json!({"answer": "accepted", "answered_on": (today() + chrono::Duration::days(1)).to_string()})
        )),
        vec!["answered_on:future"]
    );
    let a = app
        .post(
            &answer,
            &w.op1,
            json!({"answer": "accepted", "result": "Iscritto al corso"}),
        )
        .expect(200);
    assert_eq!(a["answer"], "accepted");
    assert_eq!(a["result"], "Iscritto al corso");
    app.post(&answer, &w.op2, json!({"answer": "declined"}))
        .expect(404);
    let listed = app.get(&url, &w.coord).expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
    let m = app
        .get(&format!("/api/v1/cases/{case}/opportunities"), &w.op1)
        .expect(200);
    let proposed = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["opportunity"]["id"] == fits["id"])
        .unwrap();
    assert_eq!(proposed["proposal_id"], p["id"]);

    let timeline = app
        .get(&format!("/api/v1/cases/{case}/timeline"), &w.op1)
        .expect(200);
    let entries: Vec<(String, String, String)> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "opportunity_proposal" && e["ref_id"] == p["id"])
        .map(|e| (s(&e["action"]), s(&e["to"]), s(&e["note"])))
        .collect();
    assert_eq!(
        entries,
        vec![
            (
                "propose".into(),
                "proposed".into(),
                "Proposto al colloquio".into()
            ),
            (
                "answer".into(),
                "accepted".into(),
                "Iscritto al corso".into()
            ),
        ]
    );

    // The referrer reads what fits the person of its referral.
    let c = app
        .get(&format!("/api/v1/cases/{case}"), &w.coord)
        .expect(200);
    let referral = s(&c["referral_id"]);
    let r = app
        .get(
            &format!("/api/v1/referrals/{referral}/opportunities"),
            &w.social,
        )
        .expect(200);
    assert!(r["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["opportunity"]["id"] == fits["id"]));
    app.get(
        &format!("/api/v1/referrals/{referral}/opportunities"),
        &w.op2,
    )
    .expect(404);
}

#[test]
fn the_public_feeds_validate_carry_no_draft_and_are_cacheable() {
    let w = World::new();
    agency1_joins(&w);
    let app = &w.app;
    let d = |n: i64| (today() + chrono::Duration::days(n)).to_string();
    let published = app
        .post(
            "/api/v1/opportunities",
            &w.op1,
            course(json!({"title": "Corso; logistica, & magazzino <base>", "publish": true})),
        )
        .expect(201);
    let event = app
        .post(
            "/api/v1/opportunities",
            &w.op1,
            json!({"kind": "event", "area": "work_placement", "title": "Job day del territorio",
                "description": "Colloqui brevi con trenta imprese", "municipality_code": "016024",
                "place_note": "Polo fieristico", "starts_on": d(7), "ends_on": d(8),
                "how_to_apply": "Ingresso libero", "contact": "jobday@cciaa.example", "publish": true}),
        )
        .expect(201);
    let draft = app
        .post(
            "/api/v1/opportunities",
            &w.op1,
            course(json!({"title": "Bozza riservata"})),
        )
        .expect(201);

    // JSON: cacheable, revalidated by ETag.
    let (status, hs, body) = bytes(&w, "/api/v1/public/opportunities", &[]);
    assert_eq!(status, 200);
    assert_eq!(header(&hs, "cache-control"), Some("public, max-age=300"));
    let etag = header(&hs, "etag").unwrap().to_string();
    let list: Value = serde_json::from_slice(&body).unwrap();
    let got = ids(&list);
    assert!(got.contains(&s(&published["id"])) && got.contains(&s(&event["id"])));
    assert!(!got.contains(&s(&draft["id"])));
    assert!(got.contains(&w.dul), "open measures are told too");
    let text = String::from_utf8_lossy(&body);
    assert!(!text.contains("operatore1@demo.test") && !text.contains("created_by"));
    let (status, _, body) = bytes(
        &w,
        "/api/v1/public/opportunities",
        &[("If-None-Match", &etag)],
    );
    assert_eq!((status, body.len()), (304, 0));
    // Filters: area and municipality.
    let training = app
        .get("/api/v1/public/opportunities?area=training", "")
        .expect(200);
    assert_eq!(ids(&training), vec![s(&published["id"])]);
    let elsewhere = app
        .get("/api/v1/public/opportunities?municipality=016115", "")
        .expect(200);
    assert!(!ids(&elsewhere).contains(&s(&published["id"])));
    assert!(
        ids(&elsewhere).contains(&w.dul),
        "016115 is of the district"
    );
    app.get("/api/v1/public/opportunities?municipality=12", "")
        .expect(422);

    // RSS, read back by a real parser.
    let (status, hs, body) = bytes(&w, "/api/v1/public/opportunities.rss", &[]);
    assert_eq!(status, 200);
    assert!(header(&hs, "content-type")
        .unwrap()
        .starts_with("application/rss+xml"));
    let feed = feed_rs::parser::parse(body.as_slice()).unwrap();
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert!(
        titles.contains(&"Corso; logistica, & magazzino <base>".to_string()),
        "{titles:?}"
    );
    assert!(!titles.contains(&"Bozza riservata".to_string()));
    assert!(feed
        .entries
        .iter()
        .all(|e| !e.links.is_empty() && e.published.is_some()));

    // iCalendar: the event on its days, each deadline as an all-day entry.
    let (status, hs, body) = bytes(&w, "/api/v1/public/opportunities.ics", &[]);
    assert_eq!(status, 200);
    assert!(header(&hs, "content-type")
        .unwrap()
        .starts_with("text/calendar"));
    let raw = String::from_utf8(body).unwrap();
    assert!(
        raw.lines().all(|l| l.len() <= 76),
        "lines fold at 75 octets"
    );
    let unfolded = icalendar::parser::unfold(&raw);
    let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
    let events: Vec<(String, String, String)> = cal
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let p = |n: &str| {
                c.find_prop(n)
                    .map(|p| p.val.to_string())
                    .unwrap_or_default()
            };
            (p("SUMMARY"), p("DTSTART"), p("DTEND"))
        })
        .collect();
    let day = |n: i64| {
        (today() + chrono::Duration::days(n))
            .format("%Y%m%d")
            .to_string()
    };
    assert!(
        events.contains(&("Job day del territorio".into(), day(7), day(9))),
        "{events:?}"
    );
    assert!(
        events.contains(&(
            "Scadenza: Corso; logistica, & magazzino <base>".into(),
            day(10),
            day(11)
        )),
        "{events:?}"
    );
    assert!(!events.iter().any(|e| e.0.contains("Bozza")));

    // A flyer per item, a bulletin per month.
    let (status, hs, pdf) = bytes(
        &w,
        &format!("/api/v1/public/opportunities/{}/flyer.pdf", s(&event["id"])),
        &[],
    );
    assert_eq!(status, 200);
    assert_eq!(header(&hs, "content-type"), Some("application/pdf"));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert_eq!(pages.len(), 1);
    let text = doc.extract_text(&pages).unwrap();
    assert!(
        text.contains("Job day del territorio") && text.contains("Polo fieristico"),
        "{text}"
    );
    let (status, hs, _) = bytes(
        &w,
        &format!("/api/v1/public/opportunities/{}/flyer.pdf", s(&draft["id"])),
        &[],
    );
    assert_eq!(status, 404);
    assert_eq!(
        header(&hs, "cache-control"),
        Some("no-store"),
        "an error is never cached, public path or not"
    );
    let month = today().format("%Y-%m").to_string();
    let html = app.get(&format!("/api/v1/public/bulletin.html?month={month}"), "");
    assert_eq!(html.status, 200);
    assert!(html.text.contains("Job day del territorio"));
    assert!(html
        .text
        .contains("Corso; logistica, &amp; magazzino &lt;base&gt;"));
    assert!(!html.text.contains("Bozza riservata"));
    let (status, _, pdf) = bytes(
        &w,
        &format!("/api/v1/public/bulletin.pdf?month={month}"),
        &[],
    );
    assert_eq!(status, 200);
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert!(doc
        .extract_text(&pages)
        .unwrap()
        .contains("Novità del mese"));
    assert_eq!(
        app.get("/api/v1/public/bulletin.pdf?month=2026-13", "")
            .expect(422)["errors"][0]["field"],
        "month"
    );
}
