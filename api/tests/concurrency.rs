//! A threshold is never overspent: concurrent approvals from many threads, and from two
//! server processes sharing one database, reserve at most the cap. Two processes delivering
//! webhooks from one database send each event once.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};

use common::receiver::Receiver;
use common::world::{s, today, World};
use serde_json::json;

const AMOUNT: i64 = 100_000; // the DUL default of the test world
const CAP: i64 = 500_000; // agency 1's DUL threshold: room for five

/// `n` cases at agency 1, taken in charge, each with a proposed DUL activation.
fn activations(w: &World, n: usize) -> Vec<String> {
    let names = [
        "Bassi", "Conti", "Dante", "Fabbri", "Galli", "Lodi", "Marchi", "Neri", "Pace", "Rota",
    ];
    let refs: Vec<String> = names[..n].iter().map(|name| w.submitted(name)).collect();
    let m = w.open_meeting();
    for r in &refs {
        w.app.post(&format!("/api/v1/meetings/{m}/decisions"), &w.coord, json!({
            "referral_id": r, "decision": "accept", "agency_id": w.agency1, "measure_ids": [w.dul]
        })).expect(200);
    }
    w.close_meeting(&m);
    refs.iter()
        .map(|r| {
            let case = s(&w
                .app
                .get(&format!("/api/v1/referrals/{r}"), &w.coord)
                .expect(200)["case"]["id"]);
            w.take_charge(&case);
            w.activation(&case)
        })
        .collect()
}

/// Fires every approval at once (one thread each, released together) at the given servers.
fn race(bases: &[String], token: &str, ids: &[String]) -> Vec<(u16, String)> {
    let barrier = Arc::new(Barrier::new(ids.len()));
    let handles: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let url = format!("{}/api/v1/activations/{id}/approve", bases[i % bases.len()]);
            let token = token.to_string();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let r = ureq::post(&url)
                    .set("Authorization", &format!("Bearer {token}"))
                    .call();
                match r {
                    Ok(resp) => (resp.status(), String::new()),
                    Err(ureq::Error::Status(code, resp)) => {
                        let body: serde_json::Value = resp.into_json().unwrap_or_default();
                        (code, body["code"].as_str().unwrap_or_default().to_string())
                    }
                    Err(e) => panic!("transport: {e}"),
                }
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn check(w: &World, results: &[(u16, String)]) {
    let ok = results.iter().filter(|(s, _)| *s == 200).count() as i64;
    let refused = results
        .iter()
        .filter(|(s, c)| *s == 409 && c == "threshold_exceeded")
        .count();
    assert_eq!(
        ok as usize + refused,
        results.len(),
        "only approvals and threshold refusals: {results:?}"
    );
    assert_eq!(
        ok,
        CAP / AMOUNT,
        "exactly as many approvals as fit: {results:?}"
    );
    let t = w.threshold(&w.dul_threshold_1);
    assert_eq!(t["reserved_cents"].as_i64().unwrap(), ok * AMOUNT);
    assert!(t["reserved_cents"].as_i64().unwrap() + t["spent_cents"].as_i64().unwrap() <= CAP);
    assert_eq!(t["remaining_cents"].as_i64().unwrap(), CAP - ok * AMOUNT);
}

#[test]
fn concurrent_approvals_from_many_threads_never_overspend_a_threshold() {
    let w = World::new();
    let ids = activations(&w, 9);
    let results = race(std::slice::from_ref(&w.app.base), &w.op1, &ids);
    check(&w, &results);
}

/// A fresh data folder for a second server process, removed when dropped.
fn data_dir(tag: &str) -> common::TempDir {
    let dir = common::TempDir(
        std::env::temp_dir().join(format!("{tag}-{}", uuid::Uuid::new_v4().simple())),
    );
    std::fs::create_dir_all(&dir.0).unwrap();
    dir
}

/// The coordinator's subscription to `referral.submitted`, delivered to `rx`.
fn subscribe_submissions(w: &World, rx: &Receiver) -> serde_json::Value {
    w.app
        .post(
            "/api/v1/webhooks",
            &w.coord,
            json!({"url": rx.url, "event_types": ["referral.submitted"]}),
        )
        .expect(201)
}

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The real binary, as a separate process, over the same database.
fn second_process(w: &World, data_dir: &std::path::Path, env: &[(&str, &str)]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_sistema-lavoro"))
        .arg("serve")
        .env("DATABASE_URL", &w.app.db.url)
        .env("PORT", port.to_string())
        .env(
            "JWT_SECRET",
            String::from_utf8(w.app.config.jwt_secret.clone()).unwrap(),
        )
        .env(
            "SECRETS_KEY",
            sistema_lavoro::config::Config::TEST_SECRETS_KEY,
        )
        .env("DATA_DIR", data_dir)
        .env("STATIC_DIR", data_dir.join("no-spa"))
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child, format!("http://127.0.0.1:{port}"));
    for _ in 0..200 {
        if ureq::get(&format!("{}/api/v1/health", server.1))
            .call()
            .is_ok()
        {
            return server;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the second server process did not start");
}

#[test]
fn concurrent_approvals_through_two_server_processes_never_overspend_a_threshold() {
    let w = World::new();
    let ids = activations(&w, 9);
    let dir = data_dir("sl-proc");
    let other = second_process(&w, &dir.0, &[]);
    let results = race(&[w.app.base.clone(), other.1.clone()], &w.op1, &ids);
    check(&w, &results);
    // And cancelling one frees exactly its amount, seen by both processes.
    let approved = ids
        .iter()
        .zip(&results)
        .find(|(_, r)| r.0 == 200)
        .map(|(id, _)| id.clone())
        .unwrap();
    let r = ureq::post(&format!("{}/api/v1/activations/{approved}/cancel", other.1))
        .set("Authorization", &format!("Bearer {}", w.op1))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    let t = w.threshold(&w.dul_threshold_1);
    assert_eq!(t["remaining_cents"].as_i64().unwrap(), AMOUNT);
    let _ = today();
}

#[test]
fn two_server_processes_deliver_each_webhook_event_exactly_once() {
    let w = World::new();
    let dir = data_dir("sl-hooks");
    // This test's server polls every 100 ms; the second process every 10 ms, so both are
    // claiming while the events arrive.
    let other = second_process(
        &w,
        &dir.0,
        &[
            ("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1"),
            ("WEBHOOK_POLL_MS", "10"),
        ],
    );
    let rx = Receiver::start(0);
    let sub = subscribe_submissions(&w, &rx);
    let names = [
        "Bassi", "Conti", "Dante", "Fabbri", "Galli", "Lodi", "Marchi", "Neri", "Pace", "Rota",
        "Sala", "Testa",
    ];
    for name in names {
        w.submitted(name);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while rx.got.lock().unwrap().len() < names.len() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    // Give a duplicate, if any, the time to arrive: several polls of both workers.
    std::thread::sleep(std::time::Duration::from_millis(600));
    let got = rx.got.lock().unwrap().clone();
    let mut ids: Vec<String> = got
        .iter()
        .map(|r| r.header("X-Event-Id").unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), names.len(), "every event arrived");
    assert_eq!(got.len(), names.len(), "and none twice: {ids:?}");
    // The delivery log, read through either process, agrees: one attempt each.
    let log: serde_json::Value = ureq::get(&format!(
        "{}/api/v1/webhooks/{}/deliveries?limit=100",
        other.1,
        s(&sub["id"])
    ))
    .set("Authorization", &format!("Bearer {}", w.coord))
    .call()
    .unwrap()
    .into_json()
    .unwrap();
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), names.len());
    for d in items {
        assert_eq!(d["status"], "delivered", "{d}");
        assert_eq!(d["attempts"], 1, "{d}");
    }
}

#[test]
fn a_delivery_claimed_by_a_process_that_dies_is_delivered_by_another() {
    // Only separate processes deliver here: this test's own server runs no worker.
    let w = World::with(|c| c.webhook_worker = false);
    let dir = data_dir("sl-crash");
    let env = [
        ("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1"),
        ("WEBHOOK_POLL_MS", "20"),
        ("WEBHOOK_TIMEOUT_SECS", "2"),
    ];
    // The subscriber hangs on the first request it gets.
    let rx = Receiver::holding(1);
    let sub = subscribe_submissions(&w, &rx);
    let first = second_process(&w, &dir.0, &env);
    w.submitted("Bassi");
    let wait = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !done() {
            assert!(std::time::Instant::now() < deadline, "timed out: {what}");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    };
    wait("the first process posts the event", &|| {
        !rx.held.lock().unwrap().is_empty()
    });
    // It dies in the middle of the attempt: nothing recorded, the claim still held.
    drop(first);
    let second = second_process(&w, &dir.0, &env);
    wait("another process delivers it once the claim lapses", &|| {
        !rx.got.lock().unwrap().is_empty()
    });
    let held = rx.held.lock().unwrap()[0].clone();
    let got = rx.got.lock().unwrap()[0].clone();
    assert_eq!(got.header("X-Event-Id"), held.header("X-Event-Id"));
    assert_eq!(got.body, held.body, "the same event, byte for byte");
    let deliveries = || -> serde_json::Value {
        ureq::get(&format!(
            "{}/api/v1/webhooks/{}/deliveries",
            second.1,
            s(&sub["id"])
        ))
        .set("Authorization", &format!("Bearer {}", w.coord))
        .call()
        .unwrap()
        .into_json()
        .unwrap()
    };
    // The receiver has the request before the sender has its answer: the sender records the
    // delivery a moment later.
    wait("the second process records the delivery", &|| {
        deliveries()["items"][0]["status"] == "delivered"
    });
    let log = deliveries();
    assert_eq!(log["items"].as_array().unwrap().len(), 1);
    assert_eq!(log["items"][0]["status"], "delivered");
    assert_eq!(
        log["items"][0]["attempts"], 1,
        "the dead attempt left no trace"
    );
}

/// Follow-ups written at the same moment on one case each move its due date; the day counts
/// the overdue figure sums stay exactly what counting the cases gives (on PostgreSQL a save
/// that lost the race for the due date it read fails instead of shifting a count twice).
#[test]
fn concurrent_follow_ups_keep_the_due_counts_exact() {
    let w = World::new();
    let case = w.case_for_agency1("Ferri");
    w.take_charge(&case);
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let url = format!("{}/api/v1/cases/{case}/follow-ups", w.app.base);
            let token = w.op1.clone();
            let barrier = barrier.clone();
            let due = today() - chrono::Duration::days(i as i64 + 1);
            std::thread::spawn(move || {
                barrier.wait();
                let r = ureq::post(&url)
                    .set("Authorization", &format!("Bearer {token}"))
                    .send_json(json!({"kind": "call", "date": (today() - chrono::Duration::days(30)).to_string(),
                        "note": "Sentito", "next_due_date": due.to_string()}));
                match r {
                    Ok(resp) => resp.status(),
                    Err(ureq::Error::Status(code, _)) => code,
                    Err(e) => panic!("transport: {e}"),
                }
            })
        })
        .collect();
    let codes: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(codes.iter().all(|c| *c == 201 || *c == 409), "{codes:?}");
    assert!(codes.contains(&201));
    #[derive(diesel::QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::Text)]
        key: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    use diesel::RunQueryDsl;
    let pool = sistema_lavoro::store::connect(&w.app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let mut counted = |sql: &str| -> Vec<Count> {
        let mut rows: Vec<Count> = diesel::sql_query(sql).load(&mut *conn).unwrap();
        rows.sort();
        rows
    };
    let real = counted(
        "SELECT CAST(next_due_date AS TEXT) AS key, COUNT(*) AS count FROM cases \
         WHERE status IN ('assigned', 'in_charge', 'active', 'monitoring') \
         AND next_due_date IS NOT NULL GROUP BY next_due_date",
    );
    let kept =
        counted("SELECT CAST(due_date AS TEXT) AS key, count FROM due_counts WHERE count <> 0");
    assert_eq!(kept, real);
    let summary = w.app.get("/api/v1/reports/summary", &w.coord).expect(200);
    assert_eq!(summary["overdue_cases"], 1, "the one case, overdue once");
}
