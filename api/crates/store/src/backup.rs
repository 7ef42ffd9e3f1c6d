//! Backup and restore of an SQLite database file: a consistent copy taken while the server
//! writes (`VACUUM INTO`, one read transaction: the copy is the database as of one commit),
//! and a restore into a database that holds nothing yet. Documents are rows of `documents`
//! (their bytes in a `BLOB`), so they travel with the file.

use std::io::Write;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, QueryableByName, RunQueryDsl};

use crate::{sqlite_path, Backend};

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Refused(String),
    #[error("{what}: {detail}")]
    Failed { what: String, detail: String },
}

fn failed(what: impl Into<String>) -> impl FnOnce(String) -> BackupError {
    let what = what.into();
    move |detail| BackupError::Failed { what, detail }
}

/// What a backup copied.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub bytes: u64,
    pub documents: i64,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn open(path: &str) -> Result<SqliteConnection, BackupError> {
    crate::sqlite_setup::install();
    let mut c = SqliteConnection::establish(path)
        .map_err(|e| failed(format!("cannot open {path}"))(e.to_string()))?;
    c.batch_execute("PRAGMA busy_timeout = 10000;")
        .map_err(|e| failed("cannot set up the connection")(e.to_string()))?;
    Ok(c)
}

fn sqlite_only(database_url: &str) -> Result<&str, BackupError> {
    match Backend::of_url(database_url) {
        Backend::Sqlite => Ok(sqlite_path(database_url)),
        Backend::Postgres => Err(BackupError::Refused(POSTGRES_GUIDANCE.into())),
    }
}

/// What `backup` and `restore` say on PostgreSQL: its own tools do it better.
pub const POSTGRES_GUIDANCE: &str = "DATABASE_URL is PostgreSQL: back up and restore with \
PostgreSQL's own tools, e.g.\n  pg_dump --format=custom --file=sistema-lavoro.dump \"$DATABASE_URL\"\n  \
pg_restore --no-owner --exit-on-error --dbname=\"$NEW_DATABASE_URL\" sistema-lavoro.dump\n\
(see \"Backup and restore\" in README.md)";

/// Creates `to` (refusing one that exists), readable by its owner only, empty.
fn create_private(to: &Path) -> Result<std::fs::File, BackupError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(to).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => BackupError::Refused(format!(
            "{} already exists: a backup never overwrites a file; choose a new name",
            to.display()
        )),
        _ => failed(format!("cannot create {}", to.display()))(e.to_string()),
    })
}

/// Copies the database of `database_url` into the new file `to` while others keep writing:
/// the copy holds every transaction committed before it started and none after.
pub fn backup(database_url: &str, to: &Path) -> Result<BackupReport, BackupError> {
    let from = sqlite_only(database_url)?;
    if !Path::new(from).exists() {
        return Err(BackupError::Refused(format!("{from} does not exist")));
    }
    let to_text = to
        .to_str()
        .ok_or_else(|| BackupError::Refused("the backup's path is not valid UTF-8".into()))?;
    // Created here (0600, and never over an existing file); `VACUUM INTO` fills an empty file.
    drop(create_private(to)?);
    let run = || -> Result<BackupReport, BackupError> {
        let mut c = open(from)?;
        diesel::sql_query("VACUUM INTO ?")
            .bind::<diesel::sql_types::Text, _>(to_text)
            .execute(&mut c)
            .map_err(|e| failed("the backup failed")(e.to_string()))?;
        drop(c);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(to)
            .map_err(|e| failed("cannot reopen the backup")(e.to_string()))?;
        file.sync_all()
            .map_err(|e| failed("cannot write the backup to disk")(e.to_string()))?;
        let bytes = file.metadata().map(|m| m.len()).unwrap_or_default();
        let mut copy = open(to_text)?;
        let documents = count(&mut copy, "documents")?;
        Ok(BackupReport { bytes, documents })
    };
    run().inspect_err(|_| {
        let _ = std::fs::remove_file(to);
    })
}

fn count(c: &mut SqliteConnection, table: &str) -> Result<i64, BackupError> {
    diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM \"{}\"",
        table.replace('"', "\"\"")
    ))
    .get_result::<Count>(c)
    .map(|r| r.n)
    .map_err(|e| failed(format!("cannot count {table}"))(e.to_string()))
}

/// The product's tables of an SQLite database (the migration log aside).
fn tables(c: &mut SqliteConnection) -> Result<Vec<String>, BackupError> {
    diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load::<Name>(c)
    .map(|rows| rows.into_iter().map(|r| r.name).collect())
    .map_err(|e| failed("cannot list the tables")(e.to_string()))
}

/// The first table holding a row, if any: a database with none is empty (fresh, or only
/// migrated) and may be restored into.
fn first_non_empty(path: &str) -> Result<Option<(String, i64)>, BackupError> {
    let mut c = open(path)?;
    for t in tables(&mut c)? {
        let n = count(&mut c, &t)?;
        if n > 0 {
            return Ok(Some((t, n)));
        }
    }
    Ok(None)
}

/// Replaces the configured database, which must hold no row, with the backup `from`: the
/// backup is checked (`PRAGMA integrity_check`, a Sistema Lavoro schema) on a private copy
/// beside the database, brought up to this version's migrations, then moved into place.
/// Run it with the server stopped.
pub fn restore(database_url: &str, from: &Path) -> Result<BackupReport, BackupError> {
    let target = sqlite_only(database_url)?;
    if !from.is_file() {
        return Err(BackupError::Refused(format!(
            "{} is not a file",
            from.display()
        )));
    }
    let target_path = PathBuf::from(target);
    if target_path.exists() {
        if let Some((table, n)) = first_non_empty(target)? {
            return Err(BackupError::Refused(format!(
                "the configured database {target} is not empty ({table} holds {n} row(s)): \
                 restore only into a new database — point DATABASE_URL to a file that does \
                 not exist yet, or move this one away first"
            )));
        }
    }
    if let Some(parent) = target_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| failed(format!("cannot create {}", parent.display()))(e.to_string()))?;
    }
    let staging = PathBuf::from(format!("{target}.restoring"));
    // A staging copy left by an interrupted restore is ours to replace.
    let _ = std::fs::remove_file(&staging);
    let run = || -> Result<BackupReport, BackupError> {
        let mut out = create_private(&staging)?;
        let mut input = std::fs::File::open(from)
            .map_err(|e| failed(format!("cannot read {}", from.display()))(e.to_string()))?;
        let bytes = std::io::copy(&mut input, &mut out)
            .map_err(|e| failed("cannot copy the backup")(e.to_string()))?;
        out.flush()
            .and_then(|_| out.sync_all())
            .map_err(|e| failed("cannot write the copy to disk")(e.to_string()))?;
        drop(out);
        let staging_text = staging.to_string_lossy().into_owned();
        let documents = {
            let mut c = open(&staging_text)?;
            let check: Vec<Name> =
                diesel::sql_query("SELECT integrity_check AS name FROM pragma_integrity_check")
                    .load(&mut c)
                    .map_err(|_| {
                        BackupError::Refused(format!(
                            "{} is not an SQLite database",
                            from.display()
                        ))
                    })?;
            if check.len() != 1 || check.first().is_none_or(|r| r.name != "ok") {
                return Err(BackupError::Refused(format!(
                    "{} is damaged: {}",
                    from.display(),
                    check
                        .iter()
                        .map(|r| r.name.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                )));
            }
            let has_log: Vec<Name> = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE name = '__diesel_schema_migrations'",
            )
            .load(&mut c)
            .map_err(|e| failed("cannot read the backup's schema")(e.to_string()))?;
            if has_log.is_empty() {
                return Err(BackupError::Refused(format!(
                    "{} is not a Sistema Lavoro backup (no migration log)",
                    from.display()
                )));
            }
            count(&mut c, "documents")?
        };
        // An older backup gets this version's migrations before anyone serves it.
        {
            let pool = crate::connect(&staging_text, 1)
                .map_err(|e| failed("cannot migrate the restored database")(e.to_string()))?;
            let mut c = pool
                .get()
                .map_err(|e| failed("cannot migrate the restored database")(e.to_string()))?;
            if let crate::DbConn::Sqlite(c) = &mut *c {
                c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
                    .map_err(|e| {
                        failed("cannot checkpoint the restored database")(e.to_string())
                    })?;
            }
        }
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{staging_text}{suffix}"));
            let _ = std::fs::remove_file(format!("{target}{suffix}"));
        }
        std::fs::rename(&staging, &target_path).map_err(|e| {
            failed(format!("cannot move the restored database to {target}"))(e.to_string())
        })?;
        Ok(BackupReport { bytes, documents })
    };
    run().inspect_err(|_| {
        let _ = std::fs::remove_file(&staging);
    })
}
