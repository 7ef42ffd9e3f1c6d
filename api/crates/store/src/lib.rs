//! Storage: the diesel schema, typed rows and every query of the product, written once over
//! embedded SQLite (default) and PostgreSQL (scale).
//!
//! Every query is written against [`DbConn`], a diesel `MultiConnection`; the backend is
//! chosen by the URL at start. Only connection setup, migrations and the `BEGIN IMMEDIATE`
//! of SQLite write transactions look at the variant. Nothing above this crate depends on
//! diesel: queries return the domain's [`Error`].

pub mod activations;
pub mod agreements;
pub mod audit;
pub mod audit_log;
pub mod backup;
pub mod cases;
pub mod clients;
pub mod collective;
pub mod counts;
mod direct;
pub mod districts;
pub mod documents;
pub mod events;
pub mod exports;
pub mod follow_ups;
pub mod idempotency;
pub mod measures;
pub mod meetings;
pub mod monitoring;
pub mod network_meetings;
pub mod networks;
pub mod notifications;
pub mod opportunities;
pub mod organizations;
pub mod persons;
pub mod plans;
pub mod privacy;
pub mod privacy_registers;
pub mod projects;
pub mod referrals;
pub mod related;
pub mod reports;
pub mod responses;
pub mod schema;
pub mod service_pacts;
pub mod signin_throttle;
mod sqlite_setup;
pub mod subject_rights;
pub mod thresholds;
pub mod tokens;
pub mod types;
pub mod users;
pub mod webhooks;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use sistema_lavoro_domain::{text, Error, ErrorCode};

pub use sqlite_setup::settings_of_new_connection as sqlite_settings_of_new_connection;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations =
    embed_migrations!("../../../migrations/postgres");

/// What every query returns.
pub type Result<T> = std::result::Result<T, Error>;

/// A database failure in the domain's terms: a missing row is `404`, a unique violation
/// `409 duplicate`, a serialization failure `409 concurrent_update`, the rest internal.
pub fn db_error(e: diesel::result::Error) -> Error {
    use diesel::result::{DatabaseErrorKind, Error as E};
    match e {
        E::NotFound => Error::NotFound,
        E::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Error::conflict(
            ErrorCode::Duplicate,
            text!(
                "esiste già un elemento con gli stessi valori univoci",
                "a record with the same unique values exists"
            ),
        ),
        E::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => Error::conflict(
            ErrorCode::ConcurrentUpdate,
            text!(
                "una modifica contemporanea è stata salvata prima; riprovare",
                "a concurrent change won; retry"
            ),
        ),
        // The freeze of a restricted person (GDPR art. 18), raised by the triggers of
        // migration 000023 on both backends.
        E::DatabaseError(_, info) if info.message().contains("person_restricted") => {
            Error::conflict(
                ErrorCode::PersonRestricted,
                text!(
                    "il trattamento dei dati della persona è limitato (art. 18 GDPR): nessuna \
                     modifica finché la limitazione non è revocata",
                    "the processing of the person's data is restricted (GDPR art. 18): nothing \
                     changes until the restriction is lifted"
                ),
            )
        }
        other => Error::Internal(format!("database: {other}")),
    }
}

/// `.db()` on a diesel result: the same result in the domain's terms.
pub(crate) trait Db<T> {
    fn db(self) -> Result<T>;
}

impl<T> Db<T> for diesel::QueryResult<T> {
    fn db(self) -> Result<T> {
        self.map_err(db_error)
    }
}

/// A connection to either backend; every query in `store` takes `&mut DbConn`.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<ConnectionManager<DbConn>>;
pub type PooledConn = PooledConnection<ConnectionManager<DbConn>>;

/// Which database a URL points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreSetupError {
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("cannot create the data folder {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error("migration failed: {0}")]
    Migration(String),
}

/// Per-connection SQLite settings; the order matters (busy timeout before anything can block).
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> std::result::Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            for pragma in [
                "PRAGMA busy_timeout = 10000;",
                "PRAGMA synchronous = FULL;",
                "PRAGMA foreign_keys = ON;",
            ] {
                c.batch_execute(pragma)
                    .map_err(diesel::r2d2::Error::QueryError)?;
            }
        }
        Ok(())
    }
}

/// Strips the optional `sqlite://` prefix diesel does not understand.
fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// A new folder for the database, `0700`.
fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// The SQLite database readable by this account only: created `0600` before SQLite opens it
/// (SQLite gives its `-wal` and `-shm` the database's mode), and the files of an older
/// install tightened to `0600`.
fn private_files(path: &str) -> std::io::Result<()> {
    if path == ":memory:" || path.starts_with("file:") || path.is_empty() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)?;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let file = format!("{path}{suffix}");
            if std::path::Path::new(&file).exists() {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(())
}

/// Opens the pool, creating the SQLite file (and folder) if needed, and runs migrations.
pub fn connect(url: &str, max_size: u32) -> std::result::Result<DbPool, StoreSetupError> {
    let backend = Backend::of_url(url);
    let manager_url = match backend {
        Backend::Postgres => {
            // The multi connection hides the real error behind "Invalid connection url":
            // connect once directly so a wrong host or database is reported as such.
            PgConnection::establish(url).map_err(|e| StoreSetupError::Connect(e.to_string()))?;
            url.to_string()
        }
        Backend::Sqlite => {
            sqlite_setup::install();
            let path = sqlite_path(url);
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() && !parent.exists() {
                    private_dir(parent)
                        .map_err(|e| StoreSetupError::DataDir(parent.display().to_string(), e))?;
                }
            }
            private_files(path).map_err(|e| StoreSetupError::DataDir(path.to_string(), e))?;
            // WAL is a property of the file: set it once, before concurrent connections race.
            let mut c = SqliteConnection::establish(path)
                .map_err(|e| StoreSetupError::Connect(e.to_string()))?;
            c.batch_execute("PRAGMA busy_timeout = 10000;")
                .and_then(|_| c.batch_execute("PRAGMA journal_mode = WAL;"))
                .map_err(|e| StoreSetupError::Connect(e.to_string()))?;
            private_files(path).map_err(|e| StoreSetupError::DataDir(path.to_string(), e))?;
            path.to_string()
        }
    };
    let pool = Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        // A broken connection fails its query and is dropped; no `SELECT 1` per checkout.
        .test_on_check_out(false)
        .connection_customizer(Box::new(SqlitePragmas))
        .build(ConnectionManager::<DbConn>::new(manager_url))
        .map_err(|e| StoreSetupError::Connect(e.to_string()))?;
    let mut conn = pool
        .get()
        .map_err(|e| StoreSetupError::Connect(e.to_string()))?;
    migrate(&mut conn)?;
    Ok(pool)
}

/// Applies every pending migration of the connection's backend.
pub fn migrate(conn: &mut DbConn) -> std::result::Result<Vec<String>, StoreSetupError> {
    let done = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| StoreSetupError::Migration(e.to_string()))?;
    Ok(done.iter().map(|v| v.to_string()).collect())
}

pub fn backend(conn: &DbConn) -> Backend {
    match conn {
        DbConn::Sqlite(_) => Backend::Sqlite,
        DbConn::Pg(_) => Backend::Postgres,
    }
}

/// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite (so two writers queue on the
/// busy timeout instead of failing on lock upgrade), a plain `BEGIN` on PostgreSQL. Everything
/// `f` writes commits together, or nothing does.
pub fn write_tx<T, F>(conn: &mut DbConn, f: F) -> Result<T>
where
    F: FnOnce(&mut DbConn) -> Result<T>,
{
    type Tm = <DbConn as Connection>::TransactionManager;
    let outermost = Tm::transaction_manager_status_mut(conn)
        .transaction_depth()
        .db()?
        .is_none();
    match conn {
        // Nested calls become savepoints; only the outermost needs the write lock up front.
        DbConn::Sqlite(c) if outermost => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE").db()?
        }
        _ => Tm::begin_transaction(conn).db()?,
    }
    match f(conn) {
        Ok(value) => {
            if let Err(e) = Tm::commit_transaction(conn) {
                let _ = Tm::rollback_transaction(conn);
                return Err(db_error(e));
            }
            Ok(value)
        }
        Err(e) => {
            Tm::rollback_transaction(conn).db()?;
            Err(e)
        }
    }
}

/// Whether the database answers.
pub fn ping(conn: &mut DbConn) -> Result<()> {
    use diesel::RunQueryDsl;
    diesel::sql_query("SELECT 1").execute(conn).map(drop).db()
}

/// A new time-ordered opaque id (UUIDv7): ordering by id is ordering by creation. Any kind
/// of id (`let id: CaseId = new_id();`) or a plain `String`.
pub fn new_id<T: From<String>>() -> T {
    T::from(uuid::Uuid::now_v7().to_string())
}

/// Converts a stored UTC timestamp to the API's RFC 3339 type.
pub fn utc(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    t.and_utc()
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_prefix(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 1);
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// How many migrations each backend has (the folders must stay in step).
pub const SQLITE_MIGRATIONS_COUNT: usize = 25;
