//! Test harness: a real server on a free port over a fresh database of the backend chosen by
//! `TEST_DATABASE` (`sqlite`, the default, or `postgres`), driven over real HTTP.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::mpsc;
use std::thread;

use diesel::pg::PgConnection;
use diesel::{Connection, RunQueryDsl};
use serde_json::{json, Value};
use sistema_lavoro::config::Config;
use sistema_lavoro::http::{server, AppState};
use sistema_lavoro::store;

pub mod receiver;
pub mod world;

pub const PASSWORD: &str = "Demo-2026!";

pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

pub fn use_postgres() -> bool {
    std::env::var("TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// A fresh, empty database that disappears with the value.
pub struct TestDb {
    pub url: String,
    pub pg_name: Option<String>,
    _dir: Option<TempDir>,
}

pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TestDb {
    pub fn new() -> TestDb {
        if use_postgres() {
            TestDb::postgres()
        } else {
            TestDb::sqlite()
        }
    }

    pub fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("sl-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        TestDb {
            url: dir.join("test.db").to_string_lossy().into_owned(),
            pg_name: None,
            _dir: Some(TempDir(dir)),
        }
    }

    /// The same database under a second name that owns nothing: another server started on
    /// it while the first still runs (the original removes it when dropped).
    pub fn alias(&self) -> TestDb {
        TestDb {
            url: self.url.clone(),
            pg_name: None,
            _dir: None,
        }
    }

    pub fn postgres() -> TestDb {
        let name = format!("sl_test_{}", uuid::Uuid::new_v4().simple());
        let admin = postgres_admin_url();
        let mut conn = PgConnection::establish(&format!("{admin}/postgres"))
            .expect("PostgreSQL must be reachable for TEST_DATABASE=postgres");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .unwrap();
        TestDb {
            url: format!("{admin}/{name}"),
            pg_name: Some(name),
            _dir: None,
        }
    }
}

impl TestDb {
    /// Another handle on `other`'s database (for a second server over it); dropping it
    /// removes nothing.
    pub fn shared(other: &TestDb) -> TestDb {
        TestDb {
            url: other.url.clone(),
            pg_name: None,
            _dir: None,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut conn) =
                PgConnection::establish(&format!("{}/postgres", postgres_admin_url()))
            {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

/// A response, whatever its status.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Asserts the status, and that errors are problem+json with a matching `status`.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        let body = self.json();
        if status >= 400 {
            assert_eq!(
                self.content_type, "application/problem+json",
                "{}",
                self.text
            );
            assert_eq!(body["status"], status);
            assert!(
                body["code"].is_string() && body["title"].is_string() && body["detail"].is_string()
            );
        }
        body
    }

    /// The `code` of a problem response with this status.
    #[track_caller]
    pub fn problem(self, status: u16) -> String {
        self.expect(status)["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

pub struct TestApp {
    pub base: String,
    /// The server's clock: tests move it forward instead of waiting.
    pub clock: std::sync::Arc<sistema_lavoro::domain::ShiftedClock>,
    worker: Option<sistema_lavoro::integration::worker::Worker>,
    mail_worker: Option<sistema_lavoro::app::notifications::mail::MailWorker>,
    pub db: TestDb,
    pub config: Config,
    stop: Option<mpsc::Sender<()>>,
    handle: Option<thread::JoinHandle<()>>,
}

impl TestApp {
    /// A server over an empty (migrated) database.
    pub fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {})
    }

    /// A server over the demo data.
    pub fn demo() -> TestApp {
        let app = TestApp::spawn();
        let pool = store::connect(&app.db.url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        sistema_lavoro::demo::load(&mut conn).unwrap();
        app
    }

    /// A server over the demo district, organizations and users only (no workflow records).
    pub fn base() -> TestApp {
        TestApp::base_with(|_| {})
    }

    /// `base`, with the configuration adjusted first.
    pub fn base_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let app = TestApp::spawn_with(tweak);
        let pool = store::connect(&app.db.url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        sistema_lavoro::demo::load_with(&mut conn, false).unwrap();
        app
    }

    pub fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let db = TestDb::new();
        let mut config = Config::for_database(&db.url);
        tweak(&mut config);
        TestApp::start(db, config)
    }

    pub fn start(db: TestDb, config: Config) -> TestApp {
        let pool = store::connect(&config.database_url, config.db_pool_size).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = mpsc::channel::<()>();
        let clock = std::sync::Arc::new(sistema_lavoro::domain::ShiftedClock::new());
        let worker = config.webhook_worker.then(|| {
            sistema_lavoro::integration::worker::spawn(
                pool.clone(),
                sistema_lavoro::integration::worker::WorkerSettings::from_config(&config),
                clock.clone(),
            )
        });
        let mail_worker = config.notification_worker.then(|| {
            sistema_lavoro::app::notifications::mail::spawn(
                pool.clone(),
                sistema_lavoro::app::notifications::mail::MailSettings::from_config(&config),
                clock.clone(),
            )
        });
        let state = AppState::new(pool, config.clone(), clock.clone());
        let handle = thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let srv = server(state, listener).unwrap();
                let h = srv.handle();
                actix_web::rt::spawn(async move {
                    // Wait for the stop signal without blocking the runtime.
                    loop {
                        if rx.try_recv().is_ok() {
                            break;
                        }
                        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
                    }
                    h.stop(false).await;
                });
                let _ = srv.await;
            })
        });
        TestApp {
            clock,
            worker,
            mail_worker,
            base: format!("http://127.0.0.1:{port}"),
            db,
            config,
            stop: Some(tx),
            handle: Some(handle),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Resp {
        let mut req = ureq::request(method, &self.url(path));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        let result = match body {
            Some(b) => req.send_json(b.clone()),
            None => req.call(),
        };
        to_resp(result)
    }

    /// As [`TestApp::call`], asking for answers in `lang` (`Accept-Language`): problem texts
    /// and reasons are Italian without it, English with `en`.
    pub fn call_in(
        &self,
        lang: &str,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Resp {
        let mut req = ureq::request(method, &self.url(path)).set("Accept-Language", lang);
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        to_resp(match body {
            Some(b) => req.send_json(b.clone()),
            None => req.call(),
        })
    }

    /// A raw request: any content type, any body.
    pub fn raw(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        let mut req = ureq::request(method, &self.url(path));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        to_resp(req.send_bytes(body))
    }

    pub fn get(&self, path: &str, token: &str) -> Resp {
        self.call("GET", path, Some(token), None)
    }

    pub fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        self.call("POST", path, Some(token), Some(&body))
    }

    /// An edit as a well-behaved client makes it: read the resource, send its `ETag` back.
    pub fn patch(&self, path: &str, token: &str, body: Value) -> Resp {
        let current = self.get(path, token);
        let mut req = ureq::request("PATCH", &self.url(path))
            .set("Authorization", &format!("Bearer {token}"));
        if let Some(etag) = current.header("etag") {
            req = req.set("If-Match", etag);
        }
        to_resp(req.send_json(body))
    }

    /// A request with extra headers and a JSON body.
    pub fn with_headers(
        &self,
        method: &str,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Resp {
        let mut req =
            ureq::request(method, &self.url(path)).set("Authorization", &format!("Bearer {token}"));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        to_resp(match body {
            Some(b) => req.send_json(b.clone()),
            None => req.call(),
        })
    }

    /// Signs in and returns the access token.
    pub fn login(&self, email: &str) -> String {
        self.login_full(email, PASSWORD)["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn login_full(&self, email: &str, password: &str) -> Value {
        self.call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&json!({"email": email, "password": password})),
        )
        .expect(200)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.worker.take();
        self.mail_worker.take();
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn to_resp(result: Result<ureq::Response, ureq::Error>) -> Resp {
    let resp = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    };
    let status = resp.status();
    let content_type = resp.content_type().to_string();
    let headers = resp
        .headers_names()
        .into_iter()
        .filter_map(|n| resp.header(&n).map(|v| (n.clone(), v.to_string())))
        .collect();
    let text = resp.into_string().unwrap_or_default();
    Resp {
        status,
        content_type,
        headers,
        text,
    }
}
