//! Operations commands: `rotate-secrets-key`, `backup --to FILE`, `restore --from FILE`.
//! Each takes its configuration from the environment, like `serve`.

use std::path::Path;

use crate::app::sealed;
use crate::app::security::SecretBox;
use crate::config::Config;
use crate::store;

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// Seals every sealed value again under `SECRETS_KEY`, opening those sealed under
/// `SECRETS_KEY_PREVIOUS`, while the server keeps running (README, "Keys").
pub fn rotate_secrets_key(_args: &[String]) -> Result<String, String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let keys = SecretBox::from_config(&config);
    let pool = store::connect(&config.database_url, 1).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let done = sealed::rotate(&mut conn, &keys, sealed::BATCH).map_err(|e| e.to_string())?;
    Ok(format!(
        "every sealed value is now under key {} ({} webhook signing secret(s) and {} \
         person(s)' notes sealed again); SECRETS_KEY_PREVIOUS may now be removed",
        keys.key_id().unwrap_or("?"),
        done.webhook_secrets,
        done.person_notes
    ))
}

/// A consistent copy of the SQLite database, taken while the server serves.
pub fn backup(args: &[String]) -> Result<String, String> {
    let to = flag(args, "--to").ok_or("--to FILE is required")?;
    let database_url = database_url()?;
    let r = store::backup::backup(&database_url, Path::new(&to)).map_err(|e| e.to_string())?;
    Ok(format!(
        "backup written to {to} ({} bytes, {} document(s) included)",
        r.bytes, r.documents
    ))
}

/// Restores a backup into the configured database, which must hold nothing yet.
pub fn restore(args: &[String]) -> Result<String, String> {
    let from = flag(args, "--from").ok_or("--from FILE is required")?;
    let database_url = database_url()?;
    let r = store::backup::restore(&database_url, Path::new(&from)).map_err(|e| e.to_string())?;
    Ok(format!(
        "restored {from} into {database_url} ({} bytes, {} document(s)); start the server",
        r.bytes, r.documents
    ))
}

/// The database to back up or restore into: `DATABASE_URL`, else the default under
/// `DATA_DIR` (as `serve` picks it), without needing the server's secrets.
fn database_url() -> Result<String, String> {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
    Ok(var("DATABASE_URL").unwrap_or_else(|| {
        Path::new(&var("DATA_DIR").unwrap_or_else(|| crate::config::DEFAULT_DATA_DIR.into()))
            .join("sistema-lavoro.db")
            .to_string_lossy()
            .into_owned()
    }))
}
