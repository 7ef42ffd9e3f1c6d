//! Configuration from environment variables, with the defaults documented in the README.

use std::path::PathBuf;

use sha2::Digest;

#[derive(Clone, Debug)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub database_url: String,
    pub jwt_secret: Vec<u8>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    /// Seconds during which a just-used refresh token is accepted again (a page reloaded while
    /// its refresh was in flight never stored the new one); later reuse is a replay.
    pub refresh_reuse_grace_secs: i64,
    pub cors_origins: Vec<String>,
    pub static_dir: PathBuf,
    /// `DATA_DIR` (default `data`): generated secrets and the embedded database; `0700`.
    pub data_dir: PathBuf,
    pub overdue_days: i64,
    pub production: bool,
    pub workers: usize,
    pub db_pool_size: u32,
    /// Hosts webhooks may be delivered to over plain http or on private addresses.
    pub webhook_allowed_hosts: Vec<String>,
    pub webhook_poll_ms: u64,
    pub webhook_max_attempts: i32,
    pub webhook_backoff_secs: i64,
    /// Whether this instance runs the delivery worker (`WEBHOOK_WORKER`, default on). Several
    /// instances may run it: each delivery is claimed by one.
    pub webhook_worker: bool,
    /// How long one delivery attempt may take before it counts as failed.
    pub webhook_timeout_secs: u64,
    /// Requests per minute per user or client (0: no limit).
    pub rate_limit_per_minute: u32,
    /// Failed sign-ins of one account (from anywhere, and from one address) in 15 minutes
    /// after which each further attempt waits, longer after every failure (`LOGIN_MAX_FAILURES`,
    /// default 10; 0: no throttling).
    pub login_max_failures: u32,
    /// Failed sign-ins from one address, whatever the account, after which attempts from it
    /// wait (`LOGIN_MAX_FAILURES_PER_ADDRESS`, default 100: many users sit behind one proxy).
    pub login_max_failures_per_address: u32,
    /// The reverse proxies whose `X-Forwarded-For` tells the client's address
    /// (`TRUSTED_PROXIES`: addresses or CIDR ranges, comma-separated; default none, so the
    /// address is the connection's).
    pub trusted_proxies: Vec<Cidr>,
    /// Seconds a client may take to send a request's head and body (`REQUEST_TIMEOUT_SECS`,
    /// default 30); a slower one gets `408` and the connection is closed.
    pub request_timeout_secs: u64,
    /// Key sealing the secrets the server reads back (webhook signing secrets): SHA-256 of
    /// `SECRETS_KEY`, or of a key generated once into `DATA_DIR/secrets-key`.
    pub secrets_key: [u8; 32],
    /// While keys are rotated: the key before `SECRETS_KEY` (`SECRETS_KEY_PREVIOUS`, hashed
    /// the same way), which opens what it sealed and seals nothing (see `rotate-secrets-key`).
    pub secrets_key_previous: Option<[u8; 32]>,
    /// Where notification e-mails go out (`SMTP_URL`): `smtp://host:port` (STARTTLS when the
    /// server offers it) or `smtps://host:port`, credentials allowed in the userinfo. Without
    /// it only the in-app inbox works.
    pub smtp_url: Option<String>,
    /// The `From` of notification e-mails (`SMTP_FROM`).
    pub smtp_from: String,
    /// The SPA's public base URL (`PUBLIC_URL`), for the links in e-mails.
    pub public_url: String,
    /// Whether this instance runs the notification worker (`NOTIFICATION_WORKER`, default on):
    /// it raises what falls due and sends e-mails; several instances may run it.
    pub notification_worker: bool,
    pub mail_poll_ms: u64,
    pub mail_max_attempts: i32,
    pub mail_backoff_secs: i64,
    /// Days after which declined and still pending requests to join a network are deleted by
    /// the worker (`JOIN_REQUEST_RETENTION_DAYS`, default 90; 0 keeps them).
    pub join_request_retention_days: i64,
    /// Requests to join a network one address may send in 15 minutes
    /// (`JOIN_REQUESTS_PER_ADDRESS`, default 5; 0: no limit).
    pub join_requests_per_address: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} must be {1}, got {2:?}")]
    Invalid(&'static str, &'static str, String),
    #[error("JWT_SECRET is required when APP_ENV=production (at least 32 characters)")]
    MissingSecret,
    #[error("SECRETS_KEY is required when APP_ENV=production (at least 32 characters)")]
    MissingSecretsKey,
    #[error("cannot read or write the generated secret at {0}: {1}")]
    SecretFile(String, std::io::Error),
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse_var<T: std::str::FromStr>(
    name: &'static str,
    default: T,
    what: &'static str,
) -> Result<T, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| ConfigError::Invalid(name, what, v)),
    }
}

/// `1`/`true`/`on`/`yes` or `0`/`false`/`off`/`no`, any case.
fn flag_var(name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(v) => match v.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "on" | "yes" => Ok(true),
            "0" | "false" | "off" | "no" => Ok(false),
            _ => Err(ConfigError::Invalid(name, "on or off", v)),
        },
    }
}

fn list_var(name: &str) -> Vec<String> {
    var(name)
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// An address range (`10.0.0.0/8`, `fd00::/8`) or one address (`192.0.2.7`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    net: std::net::IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Cidr {
    type Err = ();
    fn from_str(s: &str) -> Result<Cidr, ()> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let net: std::net::IpAddr = addr.parse().map_err(|_| ())?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().map_err(|_| ())?,
            None => max,
        };
        if prefix > max {
            return Err(());
        }
        Ok(Cidr { net, prefix })
    }
}

impl Cidr {
    /// Whether `ip` lies in the range (an IPv4-mapped IPv6 address counts as its IPv4 one).
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        let ip = match ip {
            std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map(std::net::IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        let bits = |a: std::net::IpAddr| -> u128 {
            match a {
                std::net::IpAddr::V4(v4) => u128::from(u32::from(v4)) << 96,
                std::net::IpAddr::V6(v6) => u128::from(v6),
            }
        };
        if ip.is_ipv4() != self.net.is_ipv4() {
            return false;
        }
        let mask = if self.prefix == 0 {
            0
        } else {
            u128::MAX << (128 - u32::from(self.prefix))
        };
        bits(ip) & mask == bits(self.net) & mask
    }
}

fn cidr_list_var(name: &'static str) -> Result<Vec<Cidr>, ConfigError> {
    list_var(name)
        .into_iter()
        .map(|v| {
            v.parse()
                .map_err(|_| ConfigError::Invalid(name, "addresses or CIDR ranges", v))
        })
        .collect()
}

/// Creates `dir` if missing and makes it `0700` (only this account may list or open what
/// it holds: the database, the generated secrets).
pub fn secure_dir(dir: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

pub const DEFAULT_DATA_DIR: &str = "data";

/// Where exports write their files: `DATA_DIR/exports` (`0700`, files `0600`).
pub fn exports_dir(c: &Config) -> PathBuf {
    c.data_dir.join("exports")
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let production = var("APP_ENV").is_some_and(|v| v == "production");
        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        let database_url = var("DATABASE_URL").unwrap_or_else(|| {
            data_dir
                .join("sistema-lavoro.db")
                .to_string_lossy()
                .into_owned()
        });
        let jwt_secret = match var("JWT_SECRET") {
            Some(s) if s.len() >= 32 => s.into_bytes(),
            Some(s) => {
                return Err(ConfigError::Invalid(
                    "JWT_SECRET",
                    "at least 32 characters",
                    format!("{} characters", s.len()),
                ))
            }
            None if production => return Err(ConfigError::MissingSecret),
            None => generated_secret(&data_dir, "jwt-secret")?,
        };
        let secrets_key_text = match var("SECRETS_KEY") {
            Some(s) if s.len() >= 32 => s.into_bytes(),
            Some(s) => {
                return Err(ConfigError::Invalid(
                    "SECRETS_KEY",
                    "at least 32 characters",
                    format!("{} characters", s.len()),
                ))
            }
            None if production => return Err(ConfigError::MissingSecretsKey),
            None => generated_secret(&data_dir, "secrets-key")?,
        };
        let secrets_key: [u8; 32] = sha2::Sha256::digest(&secrets_key_text).into();
        let secrets_key_previous = match var("SECRETS_KEY_PREVIOUS") {
            Some(s) if s.len() >= 32 => Some(sha2::Sha256::digest(s.as_bytes()).into()),
            Some(s) => {
                return Err(ConfigError::Invalid(
                    "SECRETS_KEY_PREVIOUS",
                    "at least 32 characters",
                    format!("{} characters", s.len()),
                ))
            }
            None => None,
        };
        let access_ttl_secs = parse_var("ACCESS_TOKEN_TTL", 900, "seconds (integer)")?;
        let refresh_ttl_secs = parse_var("REFRESH_TOKEN_TTL", 1_209_600, "seconds (integer)")?;
        if access_ttl_secs <= 0 || refresh_ttl_secs <= 0 {
            return Err(ConfigError::Invalid(
                "ACCESS_TOKEN_TTL/REFRESH_TOKEN_TTL",
                "positive",
                format!("{access_ttl_secs}/{refresh_ttl_secs}"),
            ));
        }
        Ok(Config {
            host: var("HOST").unwrap_or_else(|| "127.0.0.1".into()),
            port: parse_var("PORT", 8080, "a port number")?,
            database_url,
            jwt_secret,
            jwt_issuer: var("JWT_ISSUER").unwrap_or_else(|| "sistema-lavoro".into()),
            jwt_audience: var("JWT_AUDIENCE").unwrap_or_else(|| "sistema-lavoro-api".into()),
            access_ttl_secs,
            refresh_ttl_secs,
            refresh_reuse_grace_secs: parse_var(
                "REFRESH_REUSE_GRACE_SECS",
                10,
                "seconds (integer)",
            )?,
            cors_origins: list_var("CORS_ORIGINS"),
            static_dir: PathBuf::from(var("STATIC_DIR").unwrap_or_else(|| "web/dist".into())),
            data_dir: data_dir.clone(),
            overdue_days: parse_var("OVERDUE_DAYS", 30, "days (integer)")?,
            production,
            workers: parse_var("WORKERS", 2, "a number of worker threads")?,
            db_pool_size: parse_var("DB_POOL_SIZE", 8, "a pool size")?,
            webhook_allowed_hosts: list_var("WEBHOOK_ALLOWED_HOSTS"),
            webhook_poll_ms: parse_var("WEBHOOK_POLL_MS", 1000, "milliseconds (integer)")?,
            webhook_max_attempts: parse_var("WEBHOOK_MAX_ATTEMPTS", 8, "a number of attempts")?,
            webhook_backoff_secs: parse_var("WEBHOOK_BACKOFF_SECS", 30, "seconds (integer)")?,
            webhook_worker: flag_var("WEBHOOK_WORKER", true)?,
            webhook_timeout_secs: parse_var("WEBHOOK_TIMEOUT_SECS", 10, "seconds (integer)")?,
            rate_limit_per_minute: parse_var(
                "RATE_LIMIT_PER_MINUTE",
                600,
                "requests per minute (integer)",
            )?,
            login_max_failures: parse_var("LOGIN_MAX_FAILURES", 10, "a number of failures")?,
            login_max_failures_per_address: parse_var(
                "LOGIN_MAX_FAILURES_PER_ADDRESS",
                100,
                "a number of failures",
            )?,
            trusted_proxies: cidr_list_var("TRUSTED_PROXIES")?,
            request_timeout_secs: parse_var("REQUEST_TIMEOUT_SECS", 30, "seconds (integer)")?,
            secrets_key,
            secrets_key_previous,
            smtp_url: var("SMTP_URL"),
            smtp_from: var("SMTP_FROM")
                .unwrap_or_else(|| "Sistema Lavoro <noreply@sistema-lavoro.invalid>".into()),
            public_url: var("PUBLIC_URL")
                .unwrap_or_else(|| "http://localhost:8080".into())
                .trim_end_matches('/')
                .to_string(),
            notification_worker: flag_var("NOTIFICATION_WORKER", true)?,
            mail_poll_ms: parse_var("MAIL_POLL_MS", 5000, "milliseconds (integer)")?,
            mail_max_attempts: parse_var("MAIL_MAX_ATTEMPTS", 8, "a number of attempts")?,
            mail_backoff_secs: parse_var("MAIL_BACKOFF_SECS", 60, "seconds (integer)")?,
            join_request_retention_days: parse_var(
                "JOIN_REQUEST_RETENTION_DAYS",
                90,
                "days (integer)",
            )?,
            join_requests_per_address: parse_var(
                "JOIN_REQUESTS_PER_ADDRESS",
                5,
                "a number of requests",
            )?,
        })
    }

    /// The `SECRETS_KEY` of [`Config::for_database`], for processes that share its database.
    pub const TEST_SECRETS_KEY: &'static str = "test-secrets-key-test-secrets-key-0001";

    /// A configuration for tests and tools: explicit database, fixed secret, no static files.
    pub fn for_database(database_url: &str) -> Config {
        Config {
            host: "127.0.0.1".into(),
            port: 0,
            database_url: database_url.into(),
            jwt_secret: b"test-secret-test-secret-test-secret!".to_vec(),
            jwt_issuer: "sistema-lavoro".into(),
            jwt_audience: "sistema-lavoro-api".into(),
            access_ttl_secs: 900,
            refresh_ttl_secs: 1_209_600,
            // Tests see replays at once; the grace period is tested on its own.
            refresh_reuse_grace_secs: 0,
            cors_origins: vec![],
            static_dir: PathBuf::from("web/dist"),
            data_dir: PathBuf::from(DEFAULT_DATA_DIR),
            overdue_days: 30,
            production: false,
            workers: 1,
            db_pool_size: 4,
            webhook_allowed_hosts: vec!["127.0.0.1".into(), "localhost".into()],
            webhook_poll_ms: 100,
            webhook_max_attempts: 3,
            webhook_backoff_secs: 1,
            webhook_worker: true,
            webhook_timeout_secs: 10,
            rate_limit_per_minute: 0,
            login_max_failures: 10,
            login_max_failures_per_address: 100,
            trusted_proxies: vec![],
            request_timeout_secs: 30,
            secrets_key: sha2::Sha256::digest(Config::TEST_SECRETS_KEY).into(),
            secrets_key_previous: None,
            smtp_url: None,
            smtp_from: "Sistema Lavoro <noreply@sistema-lavoro.test>".into(),
            public_url: "http://localhost:8080".into(),
            notification_worker: true,
            mail_poll_ms: 100,
            mail_max_attempts: 3,
            mail_backoff_secs: 1,
            join_request_retention_days: 90,
            // Tests send many requests from 127.0.0.1; the limit is tested on its own.
            join_requests_per_address: 0,
        }
    }
}

/// For the embedded default: a random secret made once and kept beside the database, so
/// tokens survive restarts without any configuration.
fn generated_secret(data_dir: &std::path::Path, file: &str) -> Result<Vec<u8>, ConfigError> {
    let path = data_dir.join(file);
    let err = |e| ConfigError::SecretFile(path.display().to_string(), e);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if existing.trim().len() >= 32 {
            return Ok(existing.trim().as_bytes().to_vec());
        }
    }
    secure_dir(data_dir).map_err(err)?;
    let secret = hex::encode(rand::random::<[u8; 32]>());
    std::fs::write(&path, &secret).map_err(err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(err)?;
    }
    Ok(secret.into_bytes())
}
