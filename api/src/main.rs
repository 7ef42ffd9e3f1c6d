//! `sistema-lavoro`: serve the API (and the SPA), migrate, create users, print the OpenAPI.

use std::process::ExitCode;

use std::sync::Arc;

use sistema_lavoro::app::integration::worker;
use sistema_lavoro::app::sealed;
use sistema_lavoro::app::security::{self, SecretBox};
use sistema_lavoro::app::{admin, audit};
use sistema_lavoro::config::Config;
use sistema_lavoro::domain::{Clock, Role, SystemClock};
use sistema_lavoro::http::{self, AppState};
use sistema_lavoro::{demo, ops, store};

const USAGE: &str = "usage: sistema-lavoro <command>

commands:
  serve [--demo]     migrate, optionally load the demo data, and serve API, docs and SPA
  migrate            apply pending database migrations and exit
  create-user --email E --name N --role R [--organization ID] [--district ID]
                     create an account; the password is read from SL_PASSWORD
  openapi [--json]   print the OpenAPI document (YAML by default)
  rotate-secrets-key seal every sealed value again under SECRETS_KEY, opening those sealed
                     under SECRETS_KEY_PREVIOUS; safe while the server runs
  backup --to FILE   SQLite: a consistent copy of the database (documents included), taken
                     while the server runs; never overwrites FILE (PostgreSQL: pg_dump)
  restore --from FILE
                     SQLite: restore a backup into the configured database, which must be
                     empty (stop the server first; PostgreSQL: pg_restore)
  verify-audit       seal the audit log's new rows and verify its hash chain;
                     exits non-zero on any edited or removed row
  archive-audit --before DATE --to FILE
                     move the audit rows older than DATE (past AUDIT_RETENTION_DAYS,
                     default 3650) to FILE, verified, then delete them from the database

configuration: environment variables, see README.md";

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(args.iter().any(|a| a == "--demo")),
        Some("migrate") => migrate(),
        Some("create-user") => create_user(&args[1..]),
        Some("openapi") => print_openapi(args.iter().any(|a| a == "--json")),
        Some("rotate-secrets-key") => report(ops::rotate_secrets_key(&args[1..])),
        Some("backup") => report(ops::backup(&args[1..])),
        Some("restore") => report(ops::restore(&args[1..])),
        Some("verify-audit") => verify_audit(),
        Some("archive-audit") => archive_audit(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The data folder (generated secrets, the embedded database) readable by this account
/// only; the database files themselves are made `0600` when the store opens them.
fn secure_data_dir(config: &Config) -> Result<(), String> {
    sistema_lavoro::app::config::secure_dir(&config.data_dir)
        .map_err(|e| format!("cannot restrict {}: {e}", config.data_dir.display()))
}

/// Prints what an operations command did.
fn report(result: Result<String, String>) -> Result<(), String> {
    result.map(|done| println!("{done}"))
}

fn config_and_pool() -> Result<(Config, store::DbPool), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    secure_data_dir(&config)?;
    let pool =
        store::connect(&config.database_url, config.db_pool_size).map_err(|e| e.to_string())?;
    Ok((config, pool))
}

fn serve(with_demo: bool) -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    if with_demo && config.production {
        // The demo's accounts and their password are published in the README.
        return Err(
            "--demo is refused with APP_ENV=production: the demo users' password is \
                    public; create real accounts with `create-user` instead"
                .into(),
        );
    }
    secure_data_dir(&config)?;
    let pool =
        store::connect(&config.database_url, config.db_pool_size).map_err(|e| e.to_string())?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        let sealer = SecretBox::from_config(&config);
        let n = sealed::seal_clear(&mut conn, &sealer).map_err(|e| e.to_string())?;
        if n.webhook_secrets > 0 {
            log::info!(
                "sealed {} webhook signing secret(s) stored in clear by an older version",
                n.webhook_secrets
            );
        }
        if n.person_notes > 0 {
            log::info!(
                "sealed the special-category notes of {} person(s) stored in clear by an older version",
                n.person_notes
            );
        }
    }
    if with_demo {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        if demo::load(&mut conn).map_err(|e| e.to_string())? {
            log::info!("demo data loaded (the demo users and their password: see README.md)");
        }
    }
    let addr = format!("{}:{}", config.host, config.port);
    let listener =
        std::net::TcpListener::bind(&addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    log::info!(
        "Sistema Lavoro on http://{addr} (docs: http://{addr}/docs/, database: {})",
        store::Backend::of_url(&config.database_url).name()
    );
    let _worker = config.webhook_worker.then(|| {
        worker::spawn(
            pool.clone(),
            worker::WorkerSettings::from_config(&config),
            clock.clone(),
        )
    });
    if config.smtp_url.is_none() {
        log::info!("SMTP_URL is not set: notifications go to the in-app inbox only, no e-mail");
    }
    let _mail_worker = config.notification_worker.then(|| {
        sistema_lavoro::app::notifications::mail::spawn(
            pool.clone(),
            sistema_lavoro::app::notifications::mail::MailSettings::from_config(&config),
            clock.clone(),
        )
    });
    let state = AppState::new(pool, config, clock);
    actix_web::rt::System::new()
        .block_on(async move { http::server(state, listener)?.await })
        .map_err(|e| e.to_string())
}

fn migrate() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    secure_data_dir(&config)?;
    let pool = store::connect(&config.database_url, 1).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let done = store::migrate(&mut conn).map_err(|e| e.to_string())?;
    println!(
        "database is up to date ({} pending migrations applied at connect)",
        done.len()
    );
    Ok(())
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn create_user(args: &[String]) -> Result<(), String> {
    let email = flag(args, "--email").ok_or("--email is required")?;
    let name = flag(args, "--name").ok_or("--name is required")?;
    let role = flag(args, "--role").ok_or("--role is required")?;
    let role = Role::parse(&role).ok_or_else(|| {
        format!(
            "--role must be one of {}",
            Role::ALL
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let password = std::env::var("SL_PASSWORD").map_err(|_| "set the password in SL_PASSWORD")?;
    sistema_lavoro::domain::values::check_password("SL_PASSWORD", &password)
        .map_err(|e| format!("{}: {}", e.field, e.message))?;
    let (_, pool) = config_and_pool()?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let hash = security::hash_password(&password)?;
    let user = admin::insert_user(
        &mut conn,
        SystemClock.read().at,
        admin::CreateUser {
            email,
            full_name: name,
            password: String::new(),
            role,
            organization_id: flag(args, "--organization").map(Into::into),
            district_id: flag(args, "--district").map(Into::into),
        },
        hash,
    )
    .map_err(|e| match e {
        sistema_lavoro::domain::Error::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    })?;
    println!("created user {} ({})", user.email, user.id);
    Ok(())
}

fn print_openapi(json: bool) -> Result<(), String> {
    if json {
        let doc = http::openapi_value();
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", http::yaml()?);
    }
    Ok(())
}

/// `verify-audit`: seals what is new, then checks the whole chain.
fn verify_audit() -> Result<(), String> {
    let (_, pool) = config_and_pool()?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let now = SystemClock.read();
    audit::seal(&mut conn, now).map_err(|e| e.to_string())?;
    let v = audit::verify(&mut conn).map_err(|e| e.to_string())?;
    println!(
        "audit log: {} rows in {} seals, {} not sealed; head {}",
        v.rows, v.seals, v.unsealed, v.head
    );
    if v.holds() {
        println!("the chain verifies");
        Ok(())
    } else {
        for p in &v.problems {
            println!("BROKEN: {p}");
        }
        Err(format!(
            "the audit chain does not verify ({} problems)",
            v.problems.len()
        ))
    }
}

/// `archive-audit --before DATE --to FILE`: only rows past their own retention period leave.
fn archive_audit(args: &[String]) -> Result<(), String> {
    let before = flag(args, "--before").ok_or("--before DATE is required")?;
    let before = chrono::NaiveDate::parse_from_str(&before, "%Y-%m-%d")
        .map_err(|_| format!("--before: {before:?} is not a date (YYYY-MM-DD)"))?;
    let to = flag(args, "--to").ok_or("--to FILE is required")?;
    let days: i64 = match std::env::var("AUDIT_RETENTION_DAYS") {
        Ok(v) => v
            .parse()
            .map_err(|_| format!("AUDIT_RETENTION_DAYS: {v:?} is not a number of days"))?,
        Err(_) => 3650,
    };
    let now = SystemClock.read();
    // The newest row archived is from the day before `--before`: it must be `days` old.
    let latest = now.today - chrono::Duration::days(days) + chrono::Duration::days(1);
    if before > latest {
        return Err(format!(
            "--before {before} is inside the retention period ({days} days): at most {latest}"
        ));
    }
    let (_, pool) = config_and_pool()?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let done = audit::archive(&mut conn, now, before, std::path::Path::new(&to))
        .map_err(|e| e.to_string())?;
    if done.rows == 0 {
        println!("no sealed audit rows before {before}: nothing archived");
    } else {
        println!(
            "archived {} audit rows (up to seq {}) to {to}, sha256 {}; removed from the database",
            done.rows, done.up_to_seq, done.file_sha256
        );
    }
    Ok(())
}
