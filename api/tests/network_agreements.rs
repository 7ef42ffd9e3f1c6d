//! Around a network: anyone asks to join it without an account (the public list, the form's
//! limits, the honeypot, the rate limit, the privacy notice's version), its coordinators accept
//! (organization and membership made, invitation to the next meeting, an e-mail) or decline,
//! the worker deletes what the retention period says; agreements drafted, signed with their
//! text, renewed, terminated and expired by the clock; network documents seen by members only.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::world::{s, today, World};
use common::{Resp, TestApp};
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

fn public(app: &TestApp, method: &str, path: &str, body: Option<&Value>) -> Resp {
    app.call(method, path, None, body)
}

fn version(app: &TestApp) -> String {
    s(
        &public(app, "GET", "/api/v1/public/networks", None).expect(200)["privacy_notice"]
            ["version"],
    )
}

fn ask(app: &TestApp, network: &str, body: Value) -> Resp {
    public(
        app,
        "POST",
        &format!("/api/v1/public/networks/{network}/join-requests"),
        Some(&body),
    )
}

fn request(app: &TestApp, name: &str, email: &str) -> Value {
    json!({"name": name, "organization": "Comune di Alzano Lombardo", "capacity": "councillor",
           "email": email, "message": "Vorrei partecipare.", "privacy_notice_version": version(app)})
}

/// The social agency's pact (its network coordinator `rete@demo.test`).
fn pact(w: &World, rete: &str) -> String {
    s(&w.app
        .post(
            "/api/v1/networks",
            rete,
            json!({"kind": "territorial_pact", "name": "Patto territoriale per il lavoro",
                   "purpose": "Inclusione lavorativa", "objectives": ["job_creation"]}),
        )
        .expect(201)["id"])
}

fn pending(w: &World, token: &str, network: &str) -> Vec<Value> {
    w.app
        .get(&format!("/api/v1/networks/{network}/join-requests"), token)
        .expect(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn fields(r: Resp) -> Vec<String> {
    let p = r.expect(422);
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", s(&e["field"]), s(&e["code"])))
        .collect()
}

#[test]
fn anyone_asks_to_join_and_the_coordinators_accept_or_decline() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let id = pact(&w, &rete);
    let closed = s(&app
        .post(
            "/api/v1/networks",
            &rete,
            json!({"kind": "territorial_pact", "name": "Patto riservato", "accepts_join_requests": false}),
        )
        .expect(201)["id"]);

    // The public list: what each network is for, with the privacy notice; no sign-in.
    let list = public(app, "GET", "/api/v1/public/networks", None).expect(200);
    let items = list["items"].as_array().unwrap();
    let mine = items.iter().find(|n| n["id"] == id.as_str()).unwrap();
    assert_eq!(mine["purpose"], "Inclusione lavorativa");
    assert_eq!(
        mine["coordinating_organization_name"],
        "Agenzia Sociale Lavoro & Società"
    );
    assert!(!s(&mine["district_name"]).is_empty());
    assert!(items.iter().all(|n| n["id"] != closed.as_str()));
    assert!(s(&list["privacy_notice"]["text"]).contains("dati personali"));

    // A request: 202, nothing of it echoed.
    let r = ask(
        app,
        &id,
        request(app, "Maria Bianchi", "maria.bianchi@example.it"),
    );
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.json(), json!({"status": "received"}));
    assert!(!r.text.contains("Bianchi"));

    // Field rules, every one named.
    let v = version(app);
    let bad = fields(ask(
        app,
        &id,
        json!({"name": "X", "privacy_notice_version": v}),
    ));
    assert_eq!(bad, vec!["email:contact_required"]);
    let bad = fields(ask(
        app,
        &id,
        json!({"name": "X", "email": "not-an-address", "phone": "12", "privacy_notice_version": "2020-01-01"}),
    ));
    assert_eq!(
        bad,
        vec![
            "email:email",
            "phone:phone",
            "privacy_notice_version:outdated"
        ]
    );
    let long = "x".repeat(201);
    assert_eq!(
        ask(
            app,
            &id,
            json!({"name": long, "phone": "+39 035 123456", "privacy_notice_version": v})
        )
        .status,
        422
    );
    assert_eq!(
        ask(app, &id, json!({"name": "X", "phone": "035 123456", "message": "m".repeat(2001), "privacy_notice_version": v}))
            .status,
        422
    );
    // Unknown networks and those not taking requests are not there.
    ask(app, &closed, request(app, "Luca Neri", "luca@example.it")).problem(404);
    ask(
        app,
        "01a00000-0000-7000-8000-000000000000",
        request(app, "L", "l@example.it"),
    )
    .problem(404);
    // The honeypot: the same answer, nothing stored.
    let mut bot = request(app, "Bot", "bot@example.it");
    bot["website"] = json!("http://spam.example");
    assert_eq!(
        ask(app, &id, bot).expect(202),
        json!({"status": "received"})
    );

    // Only those who manage the network see the requests.
    let seen = pending(&w, &rete, &id);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["name"], "Maria Bianchi");
    assert_eq!(seen[0]["privacy_notice_version"], v.as_str());
    assert_eq!(seen[0]["allowed_actions"], json!(["accept", "decline"]));
    assert_eq!(pending(&w, &w.coord, &id).len(), 1);
    for t in [&w.op1, &w.observer, &w.social] {
        app.get(&format!("/api/v1/networks/{id}/join-requests"), t)
            .problem(404);
    }
    let rid = s(&seen[0]["id"]);
    app.post(
        &format!("/api/v1/join-requests/{rid}/accept"),
        &w.op1,
        json!({}),
    )
    .problem(404);

    // Accepting needs an organization, existing or made from the request.
    let missing = fields(app.post(
        &format!("/api/v1/join-requests/{rid}/accept"),
        &rete,
        json!({}),
    ));
    assert_eq!(missing, vec!["kind:required"]);
    let done = app
        .post(
            &format!("/api/v1/join-requests/{rid}/accept"),
            &rete,
            json!({"kind": "municipality"}),
        )
        .expect(200);
    assert_eq!(done["status"], "accepted");
    assert_eq!(done["allowed_actions"], json!([]));
    assert_eq!(
        done["invited_meeting_id"],
        Value::Null,
        "no meeting is planned"
    );
    let member = s(&done["member_id"]);
    let members = app
        .get(&format!("/api/v1/networks/{id}/members"), &rete)
        .expect(200);
    let m = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == member.as_str())
        .unwrap()
        .clone();
    assert_eq!(m["organization"]["name"], "Comune di Alzano Lombardo");
    assert_eq!(m["organization_kind"], "municipality");
    app.post(
        &format!("/api/v1/join-requests/{rid}/accept"),
        &rete,
        json!({"kind": "municipality"}),
    )
    .problem(409);

    // Declined with a reason; kept until the retention period.
    ask(app, &id, request(app, "Paolo Verdi", "paolo@example.it")).expect(202);
    let second = s(&pending(&w, &rete, &id)[0]["id"]);
    fields(app.post(
        &format!("/api/v1/join-requests/{second}/decline"),
        &rete,
        json!({"reason": ""}),
    ));
    let declined = app
        .post(
            &format!("/api/v1/join-requests/{second}/decline"),
            &rete,
            json!({"reason": "Non è un soggetto del territorio"}),
        )
        .expect(200);
    assert_eq!(declined["status"], "declined");
    app.post(
        &format!("/api/v1/join-requests/{second}/decline"),
        &rete,
        json!({"reason": "x"}),
    )
    .problem(409);
    let listed = |status: &str| {
        app.get(
            &format!("/api/v1/networks/{id}/join-requests?status={status}"),
            &rete,
        )
        .expect(200)["items"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!((listed("accepted"), listed("declined")), (1, 1));
    ask(app, &id, request(app, "Anna Gialli", "anna@example.it")).expect(202);
    assert_eq!(listed("pending"), 1);

    // The worker deletes declined and stale pending requests after 90 days; accepted stay.
    app.clock.advance(chrono::Duration::days(89));
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!((listed("pending"), listed("declined")), (1, 1));
    app.clock.advance(chrono::Duration::days(2));
    let deadline = Instant::now() + Duration::from_secs(10);
    while (listed("pending"), listed("declined")) != (0, 0) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        (listed("pending"), listed("declined"), listed("accepted")),
        (0, 0, 1)
    );
}

#[test]
fn an_accepted_requester_is_invited_to_the_next_meeting_of_an_existing_organization() {
    let w = World::new();
    let app = &w.app;
    let table = format!("table-{}", w.district_id);
    let tag = app
        .get(&format!("/api/v1/networks/{table}"), &w.coord)
        .header("etag")
        .unwrap()
        .to_string();
    app.with_headers(
        "PATCH",
        &format!("/api/v1/networks/{table}"),
        &w.coord,
        &[("If-Match", &tag)],
        Some(&json!({"accepts_join_requests": true})),
    )
    .expect(200);
    let next = today() + chrono::Duration::days(7);
    let meeting = s(&app
        .post(
            "/api/v1/meetings",
            &w.coord,
            json!({"scheduled_for": next.to_string(), "participants": ["Chiara Colombo"]}),
        )
        .expect(201)["id"]);
    let mut body = request(app, "Giulia Rota", "giulia@example.it");
    body["capacity"] = json!("organization");
    body["organization"] = json!("Cooperativa Sociale Il Ponte");
    ask(app, &table, body).expect(202);
    let rid = s(&pending(&w, &w.coord, &table)[0]["id"]);
    // An organization of another district, or none, is refused.
    fields(app.post(
        &format!("/api/v1/join-requests/{rid}/accept"),
        &w.coord,
        json!({"organization_id": "01a00000-0000-7000-8000-000000000000"}),
    ));
    // Agency 2 is already at the table: no second membership, the invitation is recorded.
    let done = app
        .post(
            &format!("/api/v1/join-requests/{rid}/accept"),
            &w.coord,
            json!({"organization_id": w.agency2}),
        )
        .expect(200);
    assert_eq!(done["organization_id"], w.agency2.as_str());
    assert_eq!(done["invited_meeting_id"], meeting.as_str());
    assert!(done["invited_at"].is_string());
    assert_eq!(
        done["notified_at"],
        Value::Null,
        "no SMTP server configured"
    );
}

#[test]
fn requests_to_join_are_limited_per_address() {
    let w = World::with(|c| c.join_requests_per_address = 2);
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let id = pact(&w, &rete);
    ask(app, &id, request(app, "Uno", "uno@example.it")).expect(202);
    ask(app, &id, request(app, "Due", "due@example.it")).expect(202);
    let r = ask(app, &id, request(app, "Tre", "tre@example.it"));
    assert_eq!(r.status, 429, "{}", r.text);
    assert_eq!(r.content_type, "application/problem+json");
    assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() > 0);
    assert_eq!(pending(&w, &rete, &id).len(), 2);
}

// ------------------------------------------------------------------ agreements

const BOUNDARY: &str = "----sl-test-boundary-agreements";

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n".to_vec()
}

fn upload(app: &TestApp, token: &str, path: &str, name: &str, data: &[u8]) -> Resp {
    let mut b = Vec::new();
    write!(
        b,
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .unwrap();
    b.extend_from_slice(data);
    write!(b, "\r\n--{BOUNDARY}--\r\n").unwrap();
    let auth = format!("Bearer {token}");
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    app.raw(
        "POST",
        path,
        &[
            ("Authorization", auth.as_str()),
            ("Content-Type", ct.as_str()),
        ],
        &b,
    )
}

fn act(w: &World, token: &str, id: &str, action: &str, body: Option<Value>) -> Resp {
    let path = format!("/api/v1/agreements/{id}");
    let tag = w.app.get(&path, token).header("etag").unwrap().to_string();
    w.app.with_headers(
        "POST",
        &format!("{path}/{action}"),
        token,
        &[("If-Match", &tag)],
        body.as_ref(),
    )
}

#[test]
fn an_agreement_is_signed_with_its_text_renewed_terminated_and_expires_by_the_clock() {
    let w = World::new();
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let id = pact(&w, &rete);
    let join = |o: &str| {
        s(&app
            .post(
                &format!("/api/v1/networks/{id}/members"),
                &rete,
                json!({"organization_id": o}),
            )
            .expect(201)["id"])
    };
    let (bergamo, agency) = (join(&org(&w, "Comune di Bergamo")), join(&w.agency1));
    let year = today().format("%Y").to_string().parse::<i32>().unwrap();
    let until = format!("{}-12-31", year + 1);
    let body = json!({"kind": "convention", "subject": "Convenzione per lo sportello lavoro",
        "party_member_ids": [bergamo, agency], "valid_from": today().to_string(), "valid_until": until});
    let url = format!("/api/v1/networks/{id}/agreements");
    // Parties are active memberships of this network; dates in order.
    let wrong = fields(app.post(
        &url,
        &rete,
        json!({"kind": "protocol", "subject": "Protocollo", "party_member_ids": [bergamo, "nope"],
               "valid_from": "2027-05-01", "valid_until": "2027-01-01"}),
    ));
    assert_eq!(
        wrong,
        vec![
            "party_member_ids[1]:not_a_member",
            "valid_until:before_valid_from"
        ]
    );
    let a = app.post(&url, &rete, body.clone()).expect(201);
    let aid = s(&a["id"]);
    assert_eq!(a["status"], "draft");
    assert_eq!(
        a["allowed_actions"],
        json!(["edit", "sign", "upload_document"])
    );
    // Members read it; those who manage it change it.
    let listed = app.get(&url, &w.op1).expect(200);
    assert_eq!(listed["items"][0]["id"], aid.as_str());
    assert_eq!(listed["items"][0]["allowed_actions"], json!([]));
    app.get(&url, &w.observer).problem(403);
    app.get(&url, &w.op2).problem(404);
    app.post(&url, &w.op1, body.clone()).problem(403);
    let tag = app
        .get(&format!("/api/v1/agreements/{aid}"), &rete)
        .header("etag")
        .unwrap()
        .to_string();
    let edited = app
        .with_headers(
            "PATCH",
            &format!("/api/v1/agreements/{aid}"),
            &rete,
            &[("If-Match", &tag)],
            Some(&json!({"subject": "Convenzione per lo sportello lavoro e casa"})),
        )
        .expect(200);
    assert_eq!(
        edited["subject"],
        "Convenzione per lo sportello lavoro e casa"
    );

    // The signed text: in the document store, with the network's documents, members only.
    let doc = upload(
        app,
        &rete,
        &format!("/api/v1/agreements/{aid}/documents"),
        "convenzione.pdf",
        &pdf(),
    )
    .expect(201);
    assert_eq!(doc["agreement_id"], aid.as_str());
    assert_eq!(doc["network_id"], id.as_str());
    assert_eq!(s(&doc["sha256"]).len(), 64);
    let did = s(&doc["id"]);
    upload(
        app,
        &w.op1,
        &format!("/api/v1/agreements/{aid}/documents"),
        "x.pdf",
        &pdf(),
    )
    .problem(403);
    upload(
        app,
        &rete,
        &format!("/api/v1/agreements/{aid}/documents"),
        "x.txt",
        b"plain text",
    )
    .problem(415);
    let statute = upload(
        app,
        &rete,
        &format!("/api/v1/networks/{id}/documents"),
        "statuto.pdf",
        &pdf(),
    )
    .expect(201);
    let docs = app
        .get(&format!("/api/v1/networks/{id}/documents"), &w.op1)
        .expect(200);
    assert_eq!(docs["items"].as_array().unwrap().len(), 2);
    for t in [&w.observer, &w.op2, &w.social] {
        app.get(&format!("/api/v1/networks/{id}/documents"), t)
            .problem(404);
        app.get(&format!("/api/v1/documents/{did}"), t).problem(404);
    }
    let download = app.get(&format!("/api/v1/documents/{did}"), &w.op1);
    assert_eq!(download.status, 200);
    assert_eq!(download.content_type, "application/pdf");
    assert_eq!(
        app.get(&format!("/api/v1/agreements/{aid}"), &rete)
            .expect(200)["document_ids"],
        json!([did])
    );
    assert_eq!(
        app.get(&format!("/api/v1/agreements/{aid}/documents"), &w.op1)
            .expect(200)["items"][0]["id"],
        did.as_str()
    );

    // An approval act must be one of the network's documents.
    let alzano = s(&app
        .post(
            "/api/v1/organizations",
            &w.admin,
            json!({"name": "Comune di Nembro", "kind": "municipality", "district_id": w.district_id}),
        )
        .expect(201)["id"]);
    let member = |doc: &str| {
        app.post(
            &format!("/api/v1/networks/{id}/members"),
            &rete,
            json!({"organization_id": alzano, "approval_act": {"number": "12/2026", "date": today().to_string(), "document_id": doc}}),
        )
    };
    assert_eq!(
        fields(member("01a00000-0000-7000-8000-000000000000")),
        vec!["approval_act.document_id:unknown"]
    );
    member(&s(&statute["id"])).expect(201);

    // Signed: not in the future, once; then no more edits.
    let future = (today() + chrono::Duration::days(1)).to_string();
    fields(act(
        &w,
        &rete,
        &aid,
        "sign",
        Some(json!({"signed_on": future})),
    ));
    let signed = act(&w, &rete, &aid, "sign", None).expect(200);
    assert_eq!(signed["status"], "signed");
    assert_eq!(signed["signed_on"], today().to_string());
    assert_eq!(
        signed["allowed_actions"],
        json!(["terminate", "upload_document"])
    );
    act(&w, &rete, &aid, "sign", None).problem(409);
    let tag = app
        .get(&format!("/api/v1/agreements/{aid}"), &rete)
        .header("etag")
        .unwrap()
        .to_string();
    app.with_headers(
        "PATCH",
        &format!("/api/v1/agreements/{aid}"),
        &rete,
        &[("If-Match", &tag)],
        Some(&json!({"subject": "Altro"})),
    )
    .problem(409);

    // A renewal names a signed (or expired) agreement of the same network.
    let draft = app
        .post(&url, &rete, json!({"kind": "protocol", "subject": "Protocollo d'intesa", "party_member_ids": [bergamo]}))
        .expect(201);
    let mut renewal = body.clone();
    renewal["renews_agreement_id"] = draft["id"].clone();
    assert_eq!(
        fields(app.post(&url, &rete, renewal.clone())),
        vec!["renews_agreement_id:unknown"]
    );
    renewal["renews_agreement_id"] = json!(aid);
    let renewed = app.post(&url, &rete, renewal).expect(201);
    assert_eq!(renewed["renews_agreement_id"], aid.as_str());

    // Terminated with a reason, from signed only.
    let pid = s(&draft["id"]);
    act(
        &w,
        &rete,
        &pid,
        "terminate",
        Some(json!({"reason": "Superato"})),
    )
    .problem(409);
    act(&w, &rete, &pid, "sign", None).expect(200);
    let ended = act(
        &w,
        &rete,
        &pid,
        "terminate",
        Some(json!({"reason": "Superato dalla convenzione"})),
    )
    .expect(200);
    assert_eq!(ended["status"], "terminated");
    assert_eq!(ended["termination_reason"], "Superato dalla convenzione");

    // Past valid_until, by the clock, the convention reads expired and is not terminated.
    let days =
        (chrono::NaiveDate::parse_from_str(&until, "%Y-%m-%d").unwrap() - today()).num_days();
    app.clock.advance(chrono::Duration::days(days));
    assert_eq!(
        app.get(&format!("/api/v1/agreements/{aid}"), &rete)
            .expect(200)["status"],
        "signed"
    );
    app.clock.advance(chrono::Duration::days(1));
    let expired = app
        .get(&format!("/api/v1/agreements/{aid}"), &rete)
        .expect(200);
    assert_eq!(expired["status"], "expired");
    assert_eq!(expired["allowed_actions"], json!([]));
    act(&w, &rete, &aid, "terminate", Some(json!({"reason": "x"}))).problem(409);
}

// ------------------------------------------------------------------ e-mail

fn python() -> String {
    if let Ok(p) = std::env::var("SMTP_TEST_PYTHON") {
        return p;
    }
    let mut candidates = vec![];
    if let Ok(t) = std::env::var("CARGO_TARGET_DIR") {
        candidates.push(PathBuf::from(t).join("smtp-venv/bin/python"));
    }
    candidates
        .push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/smtp-venv/bin/python"));
    for c in candidates {
        if c.exists() {
            return c.to_string_lossy().into_owned();
        }
    }
    "python3".into()
}

struct Smtp {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl Smtp {
    fn start() -> Smtp {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("sl-smtp-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = Command::new(python())
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py"))
            .arg(port.to_string())
            .arg(&dir)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "READY",
            "the SMTP server did not start (aiosmtpd?)"
        );
        Smtp { child, dir, port }
    }

    fn wait_for(&self, address: &str) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got: Vec<Value> = std::fs::read_dir(&self.dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
                .filter(|v: &Value| v["rcpt"].as_array().unwrap().iter().any(|r| r == address))
                .collect();
            if !got.is_empty() || Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn the_requester_is_written_to_once_when_accepted() {
    let smtp = Smtp::start();
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let w = World::with(|c| c.smtp_url = Some(url));
    let app = &w.app;
    let rete = app.login("rete@demo.test");
    let id = pact(&w, &rete);
    ask(
        app,
        &id,
        request(app, "Maria Bianchi", "maria.bianchi@example.it"),
    )
    .expect(202);
    let rid = s(&pending(&w, &rete, &id)[0]["id"]);
    app.post(
        &format!("/api/v1/join-requests/{rid}/accept"),
        &rete,
        json!({"kind": "municipality"}),
    )
    .expect(200);
    let mails = smtp.wait_for("maria.bianchi@example.it");
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(s(&mails[0]["subject"]).contains("Patto territoriale per il lavoro"));
    assert!(s(&mails[0]["body"]).contains("Gentile Maria Bianchi"));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        smtp.wait_for("maria.bianchi@example.it").len(),
        1,
        "sent once"
    );
    let accepted = app
        .get(
            &format!("/api/v1/networks/{id}/join-requests?status=accepted"),
            &rete,
        )
        .expect(200);
    assert!(accepted["items"][0]["notified_at"].is_string());
}
