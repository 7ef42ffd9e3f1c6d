//! Notifications: each kind reaches its recipients and no one else, each person reads and
//! marks only their own, and e-mails follow each person's preferences — sent to a real SMTP
//! server (Python's aiosmtpd, started here on 127.0.0.1), parsed back by Python's e-mail
//! package, once each even with two workers, retried when the server is down.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::world::{s, today, World};
use serde_json::{json, Value};
use sistema_lavoro::app::notifications::mail;
use sistema_lavoro::domain::ids::UserId;
use sistema_lavoro::domain::notifications::EmailStatus;
use sistema_lavoro::domain::Clock;
use sistema_lavoro::store::notifications::EmailRow;

// ---------------------------------------------------------------------------------------------
// An SMTP server on 127.0.0.1.

/// The Python with aiosmtpd: `SMTP_TEST_PYTHON`, else the venv `scripts/ensure-aiosmtpd.sh`
/// makes under the target folder.
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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[derive(Debug, Clone)]
struct Mail {
    rcpt: Vec<String>,
    to: String,
    subject: String,
    body: String,
}

struct Smtp {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl Smtp {
    fn start() -> Smtp {
        Smtp::start_on(free_port())
    }

    fn start_on(port: u16) -> Smtp {
        let py = python();
        let ok = Command::new(&py)
            .args(["-c", "import aiosmtpd"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            ok,
            "aiosmtpd is missing for {py}: run `bash scripts/ensure-aiosmtpd.sh` (scripts/test.sh does) \
             or set SMTP_TEST_PYTHON to a Python that has it"
        );
        let dir = std::env::temp_dir().join(format!("sl-smtp-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = Command::new(&py)
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
        assert_eq!(line.trim(), "READY", "the SMTP server did not start");
        Smtp { child, dir, port }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn messages(&self) -> Vec<Mail> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| {
                let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
                Mail {
                    rcpt: v["rcpt"].as_array().unwrap().iter().map(s).collect(),
                    to: s(&v["to"]),
                    subject: s(&v["subject"]),
                    body: s(&v["body"]),
                }
            })
            .collect()
    }

    fn to(&self, address: &str) -> Vec<Mail> {
        self.messages()
            .into_iter()
            .filter(|m| m.rcpt.iter().any(|r| r == address))
            .collect()
    }

    /// Waits until `address` got at least `n` messages.
    fn wait_for(&self, address: &str, n: usize) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.to(address);
            if got.len() >= n || Instant::now() > deadline {
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

// ---------------------------------------------------------------------------------------------
// Helpers over the API.

fn inbox(w: &World, token: &str) -> Vec<Value> {
    w.app
        .get("/api/v1/notifications?limit=200", token)
        .expect(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn kinds(w: &World, token: &str) -> Vec<String> {
    let mut k: Vec<String> = inbox(w, token).iter().map(|n| s(&n["kind"])).collect();
    k.sort();
    k
}

fn unread(w: &World, token: &str) -> i64 {
    w.app
        .get("/api/v1/notifications/unread-count", token)
        .expect(200)["unread"]
        .as_i64()
        .unwrap()
}

/// `PUT /me/notification-preferences` at the version just read.
fn put_prefs(w: &World, token: &str, body: Value) -> common::Resp {
    let read = w.app.get("/api/v1/me/notification-preferences", token);
    let etag = read.header("etag").unwrap().to_string();
    w.app.with_headers(
        "PUT",
        "/api/v1/me/notification-preferences",
        token,
        &[("If-Match", &etag)],
        Some(&body),
    )
}

fn user_id(w: &World, token: &str) -> UserId {
    UserId::from(s(&w.app.get("/api/v1/me", token).expect(200)["id"]))
}

fn emails_of(w: &World, user: &UserId) -> Vec<EmailRow> {
    let pool = sistema_lavoro::store::connect(&w.app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    EmailRow::of_user(&mut conn, user).unwrap()
}

fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A meeting deciding: `accept` (agency 1, DUL), `reject` and `request_info`, one referral each
/// (of persons "Anna Rossi", "Anna Verdi", "Anna Bianchi"). Returns (meeting, accepted case).
fn decide_three(w: &World) -> (String, String) {
    decide_three_of(w, ["Rossi", "Verdi", "Bianchi"])
}

/// As [`decide_three`], for persons of the given surnames.
fn decide_three_of(w: &World, last: [&str; 3]) -> (String, String) {
    let accept = w.submitted(last[0]);
    let reject = w.submitted(last[1]);
    let info = w.submitted(last[2]);
    let m = w.open_meeting();
    let decide = |body: Value| {
        w.app
            .post(&format!("/api/v1/meetings/{m}/decisions"), &w.coord, body)
            .expect(200);
    };
    decide(
        json!({"referral_id": accept, "decision": "accept", "agency_id": w.agency1, "measure_ids": [w.dul]}),
    );
    decide(
        json!({"referral_id": reject, "decision": "reject", "reason": "Requisiti non presenti"}),
    );
    decide(json!({"referral_id": info, "decision": "request_info", "reason": "Allegare il CV"}));
    w.close_meeting(&m);
    let r = w
        .app
        .get(&format!("/api/v1/referrals/{accept}"), &w.coord)
        .expect(200);
    (m, s(&r["case"]["id"]))
}

/// The tax code the World gives "Anna <last>".
fn tax_code_of(last: &str) -> String {
    common::world::tax_code(last, "Anna", "1990-05-12", 'F')
}

// ---------------------------------------------------------------------------------------------
// Who gets what.

#[test]
fn each_kind_reaches_its_recipients_and_no_one_else() {
    let w = World::new();
    for t in [&w.coord, &w.social, &w.op1, &w.op2, &w.pass] {
        assert!(inbox(&w, t).is_empty());
    }
    let (m, case) = decide_three(&w);
    // The referrer hears of each decision; asking for information is its own kind.
    assert_eq!(
        kinds(&w, &w.social),
        ["info_requested", "referral_decided", "referral_decided"]
    );
    // Agency 1's operator: the case assigned, and the minutes (its case came from this table).
    assert_eq!(kinds(&w, &w.op1), ["case_assigned", "minutes_published"]);
    // The coordinator: the meeting scheduled (once per meeting opened) and its minutes.
    let coord = kinds(&w, &w.coord);
    assert!(
        coord.contains(&"meeting_scheduled".to_string()),
        "{coord:?}"
    );
    assert!(
        coord.contains(&"minutes_published".to_string()),
        "{coord:?}"
    );
    // No one else.
    for t in [&w.op2, &w.op3, &w.pass, &w.cpi, &w.observer, &w.admin] {
        assert!(inbox(&w, t).is_empty(), "{:?}", inbox(&w, t));
    }
    // Italian by default, English on request; a first name and an initial, never a surname.
    let assigned = inbox(&w, &w.op1)
        .into_iter()
        .find(|n| n["kind"] == "case_assigned")
        .unwrap();
    assert_eq!(assigned["title"], "Nuovo caso assegnato");
    assert!(s(&assigned["text"]).contains("Anna R."), "{assigned}");
    assert!(!s(&assigned["text"]).contains("Rossi"));
    assert_eq!(assigned["link"], format!("/cases/{case}"));
    assert!(assigned.get("read_at").is_none());
    let minutes = inbox(&w, &w.coord)
        .into_iter()
        .find(|n| n["kind"] == "minutes_published")
        .unwrap();
    assert_eq!(minutes["link"], format!("/meetings/{m}"));
    let en = w
        .app
        .call_in("en", "GET", "/api/v1/notifications", Some(&w.op1), None)
        .expect(200);
    let en_titles: Vec<String> = en["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| s(&n["title"]))
        .collect();
    assert!(
        en_titles.contains(&"New case assigned".to_string()),
        "{en_titles:?}"
    );

    // A threshold falling under 10%: agency 1 and the coordinator, not agency 2.
    w.take_charge(&case);
    let a = w.activation(&case);
    w.app
        .patch(
            &format!("/api/v1/activations/{a}"),
            &w.op1,
            json!({"amount_cents": 460000}),
        )
        .expect(200);
    w.app
        .call(
            "POST",
            &format!("/api/v1/activations/{a}/approve"),
            Some(&w.op1),
            None,
        )
        .expect(200);
    let low: Vec<Value> = inbox(&w, &w.op1)
        .into_iter()
        .filter(|n| n["kind"] == "threshold_low")
        .collect();
    assert_eq!(low.len(), 1);
    assert!(
        s(&low[0]["text"]).contains("DUL") && s(&low[0]["text"]).contains("8%"),
        "{}",
        low[0]
    );
    assert!(kinds(&w, &w.coord).contains(&"threshold_low".to_string()));
    assert!(!kinds(&w, &w.op2).contains(&"threshold_low".to_string()));

    // A follow-up falling overdue, by the clock: the case's operator, once.
    w.app
        .post(
            &format!("/api/v1/cases/{case}/follow-ups"),
            &w.op1,
            json!({"kind": "call", "date": today().to_string(), "note": "Sentito al telefono",
                "next_due_date": (today() + chrono::Duration::days(3)).to_string()}),
        )
        .expect(201);
    std::thread::sleep(Duration::from_millis(400));
    assert!(!kinds(&w, &w.op1).contains(&"follow_up_overdue".to_string()));
    w.app.clock.advance(chrono::Duration::days(4));
    wait_until("the overdue follow-up", || {
        kinds(&w, &w.op1).contains(&"follow_up_overdue".to_string())
    });
    std::thread::sleep(Duration::from_millis(500));
    let overdue: Vec<Value> = inbox(&w, &w.op1)
        .into_iter()
        .filter(|n| n["kind"] == "follow_up_overdue")
        .collect();
    assert_eq!(overdue.len(), 1, "raised once, not at every tick");
    assert!(!kinds(&w, &w.op2).contains(&"follow_up_overdue".to_string()));
    assert!(!kinds(&w, &w.coord).contains(&"follow_up_overdue".to_string()));

    // An outcome check falling due, months after the close: the case's operator.
    w.app
        .call(
            "POST",
            &format!("/api/v1/activations/{a}/start"),
            Some(&w.op1),
            None,
        )
        .expect(200);
    w.app
        .post(
            &format!("/api/v1/activations/{a}/complete"),
            &w.op1,
            json!({"spent_cents": 400000}),
        )
        .expect(200);
    w.app.post(&format!("/api/v1/cases/{case}/close"), &w.op1,
        json!({"outcome": "hired", "hired": {"contract_type": "permanent", "hours_per_week": 38, "employer": "Officine Orobiche"}}))
        .expect(200);
    w.app.clock.advance(chrono::Duration::days(95));
    wait_until("the outcome check", || {
        kinds(&w, &w.op1).contains(&"outcome_check_due".to_string())
    });
    assert!(!kinds(&w, &w.op2).contains(&"outcome_check_due".to_string()));
    assert!(!kinds(&w, &w.coord).contains(&"outcome_check_due".to_string()));
}

#[test]
fn each_person_reads_and_marks_only_their_own() {
    let w = World::new();
    decide_three(&w);
    let mine = inbox(&w, &w.social);
    assert_eq!(mine.len(), 3);
    assert_eq!(unread(&w, &w.social), 3);
    // Newest first, paged by cursor.
    let ids: Vec<String> = mine.iter().map(|n| s(&n["id"])).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(ids, sorted);
    let first = w
        .app
        .get("/api/v1/notifications?limit=2", &w.social)
        .expect(200);
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let next = s(&first["next"]);
    let rest = w
        .app
        .get(
            &format!("/api/v1/notifications?limit=2&after={next}"),
            &w.social,
        )
        .expect(200);
    assert_eq!(rest["items"][0]["id"], ids[2].as_str());
    assert!(rest["next"].is_null());

    // Someone else's notification does not exist for you.
    let one = &ids[0];
    w.app
        .call(
            "POST",
            &format!("/api/v1/notifications/{one}/read"),
            Some(&w.op1),
            None,
        )
        .problem(404);
    w.app
        .call(
            "POST",
            &format!("/api/v1/notifications/{one}/read"),
            Some(&w.pass),
            None,
        )
        .problem(404);
    assert_eq!(unread(&w, &w.social), 3);
    // Yours: marked, and marking again changes nothing.
    let read = w
        .app
        .call(
            "POST",
            &format!("/api/v1/notifications/{one}/read"),
            Some(&w.social),
            None,
        )
        .expect(200);
    let at = s(&read["read_at"]);
    let again = w
        .app
        .call(
            "POST",
            &format!("/api/v1/notifications/{one}/read"),
            Some(&w.social),
            None,
        )
        .expect(200);
    assert_eq!(s(&again["read_at"]), at);
    assert_eq!(unread(&w, &w.social), 2);
    let unread_items = w
        .app
        .get("/api/v1/notifications?unread=true", &w.social)
        .expect(200);
    let unread_ids: Vec<String> = unread_items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| s(&n["id"]))
        .collect();
    assert_eq!(unread_ids, ids[1..].to_vec());
    // Mark all: yours only.
    let before_op1 = unread(&w, &w.op1);
    assert!(before_op1 > 0);
    let all = w
        .app
        .call(
            "POST",
            "/api/v1/notifications/read-all",
            Some(&w.social),
            None,
        )
        .expect(200);
    assert_eq!(all["unread"], 0);
    assert_eq!(unread(&w, &w.social), 0);
    assert_eq!(unread(&w, &w.op1), before_op1);
    // A bad filter value names the parameter; an unknown id is 404.
    w.app
        .get("/api/v1/notifications?unread=maybe", &w.social)
        .problem(422);
    w.app
        .call(
            "POST",
            "/api/v1/notifications/nope/read",
            Some(&w.social),
            None,
        )
        .problem(404);
}

#[test]
fn preferences_are_per_person_and_kind() {
    let w = World::new();
    let p = w
        .app
        .get("/api/v1/me/notification-preferences", &w.op1)
        .expect(200);
    let list = p["preferences"].as_array().unwrap();
    assert_eq!(
        list.len(),
        sistema_lavoro::domain::notifications::NotificationKind::ALL.len()
    );
    assert!(list.iter().all(|x| x["mode"] == "immediate"));
    // What a GET gives can be sent back whole (the SPA's form does): every kind, one each.
    put_prefs(&w, &w.op1, json!({"preferences": list})).expect(200);
    let spec = w.app.call("GET", "/api/v1/openapi.json", None, None).json();
    let bound = spec["components"]["schemas"]["Preferences"]["properties"]["preferences"]
        ["maxItems"]
        .as_u64()
        .unwrap();
    assert!(
        bound as usize >= list.len(),
        "the published bound holds every kind"
    );
    let set = put_prefs(&w, &w.op1, json!({
        "preferences": [{"kind": "case_assigned", "mode": "daily_digest"}, {"kind": "threshold_low", "mode": "off"}]
    })).expect(200);
    let mode = |v: &Value, k: &str| {
        v["preferences"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["kind"] == k)
            .unwrap()["mode"]
            .clone()
    };
    assert_eq!(mode(&set, "case_assigned"), "daily_digest");
    assert_eq!(mode(&set, "threshold_low"), "off");
    assert_eq!(mode(&set, "meeting_scheduled"), "immediate");
    let read = w
        .app
        .get("/api/v1/me/notification-preferences", &w.op1)
        .expect(200);
    assert_eq!(mode(&read, "case_assigned"), "daily_digest");
    // Someone else's are their own.
    let other = w
        .app
        .get("/api/v1/me/notification-preferences", &w.op2)
        .expect(200);
    assert_eq!(mode(&other, "case_assigned"), "immediate");
    // A kind twice, or an unknown mode, is refused naming the field.
    let dup = put_prefs(
        &w,
        &w.op1,
        json!({
            "preferences": [{"kind": "case_assigned", "mode": "off"}, {"kind": "case_assigned", "mode": "immediate"}]
        }),
    );
    let v = dup.json();
    assert_eq!(v["status"], 422, "{v}");
    assert_eq!(v["errors"][0]["field"], "preferences[1].kind", "{v}");
    put_prefs(
        &w,
        &w.op1,
        json!({
            "preferences": [{"kind": "case_assigned", "mode": "sometimes"}]
        }),
    )
    .problem(422);
    // Without If-Match, or at a stale version, it is refused.
    w.app
        .call(
            "PUT",
            "/api/v1/me/notification-preferences",
            Some(&w.op1),
            Some(&json!({"preferences": []})),
        )
        .problem(428);
    let stale = w.app.with_headers(
        "PUT",
        "/api/v1/me/notification-preferences",
        &w.op1,
        &[("If-Match", "\"1\"")],
        Some(&json!({"preferences": []})),
    );
    assert_eq!(stale.status, 412);
    // Leaving a kind out puts it back to immediate.
    let reset = put_prefs(&w, &w.op1, json!({"preferences": []})).expect(200);
    assert_eq!(mode(&reset, "case_assigned"), "immediate");
}

// ---------------------------------------------------------------------------------------------
// E-mail.

#[test]
fn emails_follow_preferences_and_carry_no_surname_or_tax_code() {
    let smtp = Smtp::start();
    let url = smtp.url();
    let w = World::with(|c| c.smtp_url = Some(url));
    // The social worker: decisions by digest, information requests not by e-mail.
    put_prefs(&w, &w.social, json!({
        "preferences": [{"kind": "referral_decided", "mode": "daily_digest"}, {"kind": "info_requested", "mode": "off"}]
    })).expect(200);
    let (_, case) = decide_three(&w);
    // Immediate: the agency's operator gets the case at once, in Italian, with the link.
    let op1 = smtp.wait_for("operatore1@demo.test", 2);
    let assigned = op1
        .iter()
        .find(|m| m.subject.contains("Nuovo caso assegnato"))
        .unwrap_or_else(|| panic!("{op1:?}"));
    assert_eq!(assigned.subject, "[Sistema Lavoro] Nuovo caso assegnato");
    assert!(
        assigned.to.contains("operatore1@demo.test"),
        "{}",
        assigned.to
    );
    assert!(assigned.body.contains("Anna R."), "{}", assigned.body);
    assert!(
        assigned
            .body
            .contains(&format!("http://localhost:8080/cases/{case}")),
        "{}",
        assigned.body
    );
    for m in smtp.messages() {
        for secret in ["Rossi", "Verdi", "Bianchi"] {
            assert!(
                !m.body.contains(secret) && !m.subject.contains(secret),
                "{m:?}"
            );
        }
        for last in ["Rossi", "Verdi", "Bianchi"] {
            assert!(!m.body.contains(&tax_code_of(last)), "{m:?}");
        }
    }
    // Off and digest: nothing for the social worker now, though the inbox has all three.
    std::thread::sleep(Duration::from_millis(800));
    assert!(smtp.to("assistente.sociale@demo.test").is_empty());
    assert_eq!(inbox(&w, &w.social).len(), 3);
    let social = user_id(&w, &w.social);
    assert!(emails_of(&w, &social).is_empty());
    // At 07:30 Rome time: one digest with the day's two decisions (not the request, that is off).
    let now = w.app.clock.read();
    let cut = mail::digest_time(now.today);
    let target = if now.at < cut {
        cut
    } else {
        mail::digest_time(now.today + chrono::Duration::days(1))
    } + chrono::Duration::minutes(1);
    w.app.clock.advance(target - now.at);
    let digest = smtp.wait_for("assistente.sociale@demo.test", 1);
    assert_eq!(digest.len(), 1);
    let d = &digest[0];
    assert!(
        d.subject.starts_with("[Sistema Lavoro] Riepilogo del "),
        "{}",
        d.subject
    );
    assert!(d.subject.ends_with(": 2 notifiche"), "{}", d.subject);
    assert_eq!(
        d.body.matches("Segnalazione decisa").count(),
        2,
        "{}",
        d.body
    );
    assert!(
        d.body.contains("Anna R.") && d.body.contains("Anna V."),
        "{}",
        d.body
    );
    assert!(
        !d.body.contains("Anna B."),
        "the request for information is off: {}",
        d.body
    );
    // Further ticks make no second digest.
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(smtp.to("assistente.sociale@demo.test").len(), 1);
    let rows = emails_of(&w, &social);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, EmailStatus::Sent);
}

#[test]
fn two_workers_send_each_email_once() {
    let smtp = Smtp::start();
    let url = smtp.url();
    let w = World::with(|c| c.smtp_url = Some(url));
    // A second instance's worker on the same database and clock, polling faster.
    let mut config = w.app.config.clone();
    config.mail_poll_ms = 10;
    let pool = sistema_lavoro::store::connect(&w.app.db.url, 2).unwrap();
    let _second = mail::spawn(
        pool,
        mail::MailSettings::from_config(&config),
        w.app.clock.clone(),
    );
    for names in [
        ["Rossi", "Verdi", "Bianchi"],
        ["Neri", "Galli", "Conti"],
        ["Longo", "Costa", "Greco"],
    ] {
        decide_three_of(&w, names);
    }
    let op1 = user_id(&w, &w.op1);
    wait_until("every e-mail of operator 1 sent", || {
        let rows = emails_of(&w, &op1);
        !rows.is_empty() && rows.iter().all(|r| r.status == EmailStatus::Sent)
    });
    let rows = emails_of(&w, &op1);
    // Three cases and three sets of minutes.
    assert_eq!(rows.len(), 6);
    std::thread::sleep(Duration::from_millis(500));
    let got = smtp.to("operatore1@demo.test");
    assert_eq!(got.len(), rows.len(), "each e-mail once: {got:?}");
    let mut bodies: Vec<&str> = got.iter().map(|m| m.body.as_str()).collect();
    bodies.sort_unstable();
    bodies.dedup();
    assert_eq!(bodies.len(), 6);
    assert!(rows.iter().all(|r| r.attempts == 1));
}

#[test]
fn a_failing_smtp_server_is_recorded_and_retried_later() {
    let port = free_port();
    let w = World::with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_max_attempts = 10;
    });
    // Nobody listens on the port: the first attempts fail and are recorded.
    let m = w
        .app
        .post(
            "/api/v1/meetings",
            &w.coord,
            json!({"scheduled_for": today().to_string(), "participants": ["Chiara Colombo"]}),
        )
        .expect(201);
    let coord = user_id(&w, &w.coord);
    wait_until("a failed attempt", || {
        emails_of(&w, &coord)
            .first()
            .is_some_and(|r| r.attempts >= 1)
    });
    let row = emails_of(&w, &coord).remove(0);
    assert_eq!(
        row.status,
        EmailStatus::Pending,
        "retried later, not given up"
    );
    assert!(row.next_attempt_at > row.created_at);
    let error = row.last_error.clone().unwrap();
    assert!(error.starts_with("smtp "), "{error}");
    assert!(!error.contains('@'), "no address in the error: {error}");
    // The server comes up: a later attempt delivers it, once.
    let smtp = Smtp::start_on(port);
    let got = smtp.wait_for("coordinatore@demo.test", 1);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].subject, "[Sistema Lavoro] Tavolo convocato");
    assert!(got[0].body.contains(&format!("/meetings/{}", s(&m["id"]))));
    wait_until("the row settled", || {
        emails_of(&w, &coord)[0].status == EmailStatus::Sent
    });
    let row = emails_of(&w, &coord).remove(0);
    assert!(row.attempts >= 2);
    assert!(row.sent_at.is_some());
}
