//! The audit log's chain and readers: sealing batches of rows into a hash chain, verifying it,
//! archiving old rows to a verified file, and the DPO's list and export.
//!
//! A seal covers the rows written after the previous seal: `hash = sha256(prev_hash ||
//! canonical rows)`, so the request path stays one plain `INSERT` and the hashing runs on the
//! clock-driven worker ([`seal`] each tick) and before every verification. On PostgreSQL the
//! sealer holds the exclusive side of the lock each row's `seq` default takes shared, so it never
//! seals a range that a slower transaction fills in later (see the migration `000021`).

use std::io::Write;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sistema_lavoro_domain::policy::{self, AuditScope};
use sistema_lavoro_domain::{text, Error, FieldError, Now};
use sistema_lavoro_store::audit_log::{self, AuditEvent, Filter, NewEvent, NewSeal, Seal};
use sistema_lavoro_store::{utc, write_tx, DbConn};
use utoipa::ToSchema;

use crate::workflow::plan_export::Export;
use crate::workflow::{Page, PageRequest};
use crate::xlsx::{self, Cell, Sheet};
use crate::Ctx;

/// The hash before the first seal.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Most rows one seal covers.
const SEAL_BATCH: i64 = 5_000;

/// Most rows one export holds.
pub const EXPORT_MAX_ROWS: i64 = 10_000;

fn field(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        Some(s) => {
            out.extend_from_slice(s.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(s.as_bytes());
        }
        None => out.push(b'-'),
    }
    out.push(b'|');
}

/// A row as the chain hashes it: every column, length-prefixed, `-` for null.
pub fn canonical(e: &AuditEvent) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    field(&mut out, Some(&e.seq.to_string()));
    field(&mut out, Some(&e.id));
    field(
        &mut out,
        Some(&e.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()),
    );
    for v in [
        &e.actor_id,
        &e.actor_role,
        &e.district_id,
        &e.client_address,
        &e.request_id,
    ] {
        field(&mut out, v.as_deref());
    }
    field(&mut out, Some(&e.action));
    for v in [&e.entity_type, &e.entity_id, &e.person_id, &e.detail] {
        field(&mut out, v.as_deref());
    }
    out.push(b'\n');
    out
}

fn chain_hash<'a>(prev: &str, rows: impl IntoIterator<Item = &'a AuditEvent>) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    for r in rows {
        h.update(canonical(r));
    }
    hex::encode(h.finalize())
}

/// Where the chain that is in the database starts: after the last archive, or the genesis.
fn start(conn: &mut DbConn) -> Result<(i64, String), Error> {
    Ok(match audit_log::last_archive(conn)? {
        Some(a) => (a.up_to_seq, a.seal_hash),
        None => (0, GENESIS.to_string()),
    })
}

/// Seals every row not sealed yet, a batch per transaction. Returns the rows sealed.
pub fn seal(conn: &mut DbConn, now: Now) -> Result<usize, Error> {
    let mut sealed = 0;
    loop {
        // Nothing new: no lock taken (the worker asks every tick).
        let sealed_to = match audit_log::last_seal(conn)? {
            Some(s) => s.last_seq,
            None => start(conn)?.0,
        };
        if audit_log::max_seq(conn)?.is_none_or(|m| m <= sealed_to) {
            return Ok(sealed);
        }
        let n = write_tx(conn, |conn| {
            // A transaction that drew a number is still open: the next tick seals.
            if !audit_log::lock_for_sealing(conn)? {
                return Ok(0);
            }
            let (after, prev) = match audit_log::last_seal(conn)? {
                Some(s) => (s.last_seq, s.hash),
                None => start(conn)?,
            };
            let Some(max) = audit_log::max_seq(conn)? else {
                return Ok(0);
            };
            let rows = audit_log::events_in(conn, after, max, SEAL_BATCH)?;
            let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
                return Ok(0);
            };
            let hash = chain_hash(&prev, &rows);
            audit_log::insert_seal(
                conn,
                &NewSeal {
                    first_seq: first.seq,
                    last_seq: last.seq,
                    row_count: rows.len() as i64,
                    prev_hash: &prev,
                    hash: &hash,
                    sealed_at: now.at,
                },
            )?;
            log::info!(target: "audit", "sealed audit rows up to {}: {hash}", last.seq);
            Ok(rows.len())
        })?;
        if n == 0 {
            return Ok(sealed);
        }
        sealed += n;
    }
}

/// What a verification found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    pub seals: usize,
    pub rows: i64,
    /// Rows written after the last seal (none right after [`seal`]).
    pub unsealed: i64,
    /// The hash of the last seal: keep it elsewhere to detect a truncated chain.
    pub head: String,
    /// Each break of the chain, in words; empty when it holds.
    pub problems: Vec<String>,
}

impl Verification {
    pub fn holds(&self) -> bool {
        self.problems.is_empty()
    }
}

/// `GET /audit/verification`: what [`verify`] found, for the DPO.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerificationOut {
    /// Whether the chain holds: no row or seal edited, removed or added.
    pub holds: bool,
    /// Seals checked.
    pub seals: usize,
    /// Rows the seals cover.
    pub rows: i64,
    /// Rows written since the last seal (sealed within a minute by the worker).
    pub unsealed: i64,
    /// The hash of the last seal: keep it elsewhere to detect a truncated chain later.
    pub head: String,
    /// Each break of the chain, in words (seal numbers and sequence numbers, never data).
    pub problems: Vec<String>,
    pub checked_at: chrono::DateTime<chrono::Utc>,
}

/// Verifies the chain for the DPO; the verification is itself an event of the log.
pub fn verify_for(conn: &mut DbConn, cx: &Ctx) -> Result<VerificationOut, Error> {
    policy::may_verify_audit(cx.actor)?;
    let v = verify(conn)?;
    audit_log::record(
        conn,
        cx.now.at,
        &[NewEvent {
            action: "verify",
            entity_type: Some("audit_event".into()),
            detail: Some(format!(
                "{} seals, {} rows, {}",
                v.seals,
                v.rows,
                if v.holds() { "holds" } else { "broken" }
            )),
            ..Default::default()
        }],
    )?;
    Ok(VerificationOut {
        holds: v.holds(),
        seals: v.seals,
        rows: v.rows,
        unsealed: v.unsealed,
        head: v.head,
        problems: v.problems,
        checked_at: utc(cx.now.at),
    })
}

/// Checks every seal against the rows it covers (an edited row changes the hash, a removed or
/// added one the count) and against the previous seal (a removed or edited seal breaks the link).
pub fn verify(conn: &mut DbConn) -> Result<Verification, Error> {
    let (mut after, mut prev) = start(conn)?;
    let mut v = Verification::default();
    let before = audit_log::count_up_to(conn, after)?;
    if before > 0 {
        v.problems.push(format!(
            "{before} rows at or before the archived seq {after}"
        ));
    }
    for s in audit_log::seals(conn)? {
        check_seal(conn, &s, after, &prev, &mut v)?;
        after = s.last_seq;
        prev = s.hash;
        v.seals += 1;
    }
    v.unsealed = audit_log::count_up_to(conn, i64::MAX)? - audit_log::count_up_to(conn, after)?;
    v.head = prev;
    Ok(v)
}

fn check_seal(
    conn: &mut DbConn,
    s: &Seal,
    after: i64,
    prev: &str,
    v: &mut Verification,
) -> Result<(), Error> {
    if s.prev_hash != prev {
        v.problems.push(format!(
            "seal {} does not follow the previous one (a seal was removed or changed)",
            s.seq
        ));
    }
    let mut h = Sha256::new();
    h.update(s.prev_hash.as_bytes());
    let (mut count, mut from, mut first) = (0i64, after, None);
    loop {
        let rows = audit_log::events_in(conn, from, s.last_seq, SEAL_BATCH)?;
        let Some(last) = rows.last() else { break };
        from = last.seq;
        first = first.or(rows.first().map(|r| r.seq));
        count += rows.len() as i64;
        for r in &rows {
            h.update(canonical(r));
        }
    }
    v.rows += count;
    if count != s.row_count {
        v.problems.push(format!(
            "seal {} covers {} rows up to seq {}, {count} found (rows removed or added)",
            s.seq, s.row_count, s.last_seq
        ));
    } else if first != Some(s.first_seq) {
        v.problems
            .push(format!("seal {} starts at a different row", s.seq));
    }
    if hex::encode(h.finalize()) != s.hash {
        v.problems.push(format!(
            "seal {}: the rows up to seq {} were changed",
            s.seq, s.last_seq
        ));
    }
    Ok(())
}

/// An archive file: the rows and seals that left the database, and where their chain starts.
#[derive(Debug, Serialize, Deserialize)]
pub struct ArchiveFile {
    /// `sistema-lavoro-audit-archive/1`.
    pub format: String,
    pub prev_hash: String,
    pub seals: Vec<SealOut>,
    pub events: Vec<EventRow>,
}

/// A seal as archived.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SealOut {
    pub seq: i64,
    pub first_seq: i64,
    pub last_seq: i64,
    pub row_count: i64,
    pub prev_hash: String,
    pub hash: String,
    pub sealed_at: NaiveDateTime,
}

/// A row as archived (every column).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventRow {
    pub seq: i64,
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub district_id: Option<String>,
    pub client_address: Option<String>,
    pub request_id: Option<String>,
    pub action: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub person_id: Option<String>,
    pub detail: Option<String>,
}

impl From<EventRow> for AuditEvent {
    fn from(r: EventRow) -> AuditEvent {
        AuditEvent {
            seq: r.seq,
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_role: r.actor_role,
            district_id: r.district_id,
            client_address: r.client_address,
            request_id: r.request_id,
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            person_id: r.person_id,
            detail: r.detail,
        }
    }
}

impl From<&AuditEvent> for EventRow {
    fn from(r: &AuditEvent) -> EventRow {
        let r = r.clone();
        EventRow {
            seq: r.seq,
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_role: r.actor_role,
            district_id: r.district_id,
            client_address: r.client_address,
            request_id: r.request_id,
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            person_id: r.person_id,
            detail: r.detail,
        }
    }
}

fn seal_out(s: &Seal) -> SealOut {
    SealOut {
        seq: s.seq,
        first_seq: s.first_seq,
        last_seq: s.last_seq,
        row_count: s.row_count,
        prev_hash: s.prev_hash.clone(),
        hash: s.hash.clone(),
        sealed_at: s.sealed_at,
    }
}

/// Checks an archive file's chain: each seal follows the previous one and hashes its rows.
pub fn verify_file(f: &ArchiveFile) -> Result<(), String> {
    let mut prev = f.prev_hash.clone();
    let mut rows = f.events.iter().peekable();
    for s in &f.seals {
        if s.prev_hash != prev {
            return Err(format!("seal {} does not follow the previous one", s.seq));
        }
        let mut mine = Vec::new();
        while let Some(r) = rows.next_if(|r| r.seq <= s.last_seq) {
            mine.push(AuditEvent::from(r.clone()));
        }
        if mine.len() as i64 != s.row_count || chain_hash(&prev, &mine) != s.hash {
            return Err(format!("seal {} does not match its rows", s.seq));
        }
        prev = s.hash.clone();
    }
    if rows.next().is_some() {
        return Err("rows after the last seal".into());
    }
    Ok(())
}

/// What an archive did.
#[derive(Debug, Clone, Serialize)]
pub struct Archived {
    pub rows: usize,
    pub up_to_seq: i64,
    pub file_sha256: String,
}

/// Archives the rows older than `before` (whole seals only) to `to`, which must not exist:
/// seals, verifies the chain, writes the file, reads it back and verifies it, then removes the
/// rows and their seals in one transaction through the archive gate.
pub fn archive(
    conn: &mut DbConn,
    now: Now,
    before: NaiveDate,
    to: &std::path::Path,
) -> Result<Archived, Error> {
    let broken = |what: String| Error::Internal(what);
    seal(conn, now)?;
    let check = verify(conn)?;
    if !check.holds() {
        return Err(broken(format!(
            "the audit chain does not verify: {}",
            check.problems.join("; ")
        )));
    }
    let cutoff = before.and_hms_opt(0, 0, 0).unwrap_or_default();
    let (after, prev) = start(conn)?;
    // Whole seals whose rows are all older than the cutoff.
    let mut chosen = Vec::new();
    for s in audit_log::seals(conn)? {
        let rows = audit_log::events_in(conn, s.first_seq - 1, s.last_seq, i64::MAX)?;
        if rows.iter().any(|r| r.at >= cutoff) {
            break;
        }
        chosen.push((s, rows));
    }
    let Some((last, _)) = chosen.last() else {
        return Ok(Archived {
            rows: 0,
            up_to_seq: after,
            file_sha256: String::new(),
        });
    };
    let (up_to, head) = (last.last_seq, last.hash.clone());
    let file = ArchiveFile {
        format: "sistema-lavoro-audit-archive/1".into(),
        prev_hash: prev,
        seals: chosen.iter().map(|(s, _)| seal_out(s)).collect(),
        events: chosen
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(EventRow::from))
            .collect(),
    };
    let io = |e: std::io::Error| broken(format!("{}: {e}", to.display()));
    let bytes = serde_json::to_vec_pretty(&file).map_err(|e| broken(e.to_string()))?;
    {
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(to)
            .map_err(io)?;
        out.write_all(&bytes).map_err(io)?;
        out.sync_all().map_err(io)?;
    }
    let back = std::fs::read(to).map_err(io)?;
    let parsed: ArchiveFile = serde_json::from_slice(&back).map_err(|e| broken(e.to_string()))?;
    verify_file(&parsed).map_err(broken)?;
    if parsed.seals.last().map(|s| s.hash.as_str()) != Some(head.as_str()) {
        return Err(broken("the archive read back ends elsewhere".into()));
    }
    let sha = hex::encode(Sha256::digest(&back));
    // Waits (without queueing on the lock, see `lock_for_sealing`) for open writers to end.
    let mut tries = 0;
    let rows = loop {
        let done = write_tx(conn, |conn| match audit_log::lock_for_sealing(conn)? {
            true => audit_log::remove_archived(
                conn,
                up_to,
                &head,
                parsed.events.len() as i64,
                &sha,
                now.at,
            )
            .map(Some),
            false => Ok(None),
        })?;
        match done {
            Some(rows) => break rows,
            None if tries < 600 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            None => {
                return Err(Error::Unavailable(text!(
                    "il registro degli accessi è occupato da una scrittura lunga; riprovare",
                    "the audit log is held by a long write; try again"
                )))
            }
        }
    };
    Ok(Archived {
        rows,
        up_to_seq: up_to,
        file_sha256: sha,
    })
}

// ------------------------------------------------------------- the DPO's reading

/// One event of the audit log (registro degli accessi).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventOut {
    /// The event's id.
    pub id: String,
    /// Its place in the log (increasing; the hash chain is in this order).
    pub seq: i64,
    /// When it happened (UTC).
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who: a user id, `client:<id>` for an integration client, null for a failed sign-in of
    /// an unknown e-mail.
    pub actor_id: Option<String>,
    /// The role the actor acted in.
    pub actor_role: Option<String>,
    /// The district the actor belongs to.
    pub district_id: Option<String>,
    /// The client's address, as the server derived it.
    pub client_address: Option<String>,
    /// The request's `X-Request-Id`.
    pub request_id: Option<String>,
    /// What: `read`, `list`, `search`, `lookup`, `export`, `download`, `create`, `change`,
    /// `denied`, `sign_in`, `sign_in_failed`.
    pub action: String,
    /// The kind of record (`person`, `case`, `referral`, `document`, `session`…).
    pub entity_type: Option<String>,
    /// The record's id.
    pub entity_id: Option<String>,
    /// The person the event concerns, if any.
    pub person_id: Option<String>,
    /// More about it: the transition (`submit: draft → submitted`), the refused error code,
    /// the export's format, the hash of an unknown sign-in e-mail. Never personal data in clear.
    pub detail: Option<String>,
}

impl From<AuditEvent> for AuditEventOut {
    fn from(e: AuditEvent) -> AuditEventOut {
        AuditEventOut {
            id: e.id,
            seq: e.seq,
            at: utc(e.at),
            actor_id: e.actor_id,
            actor_role: e.actor_role,
            district_id: e.district_id,
            client_address: e.client_address,
            request_id: e.request_id,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            person_id: e.person_id,
            detail: e.detail,
        }
    }
}

/// The filters of `GET /audit`.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub person_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

fn filter(scope: AuditScope, q: AuditQuery) -> Result<Filter, Error> {
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if t < f {
            return Err(Error::Validation(vec![FieldError::new(
                "to",
                "range",
                text!("non può precedere from", "cannot be before from"),
            )]));
        }
    }
    let day = |d: NaiveDate| d.and_hms_opt(0, 0, 0);
    Ok(Filter {
        district_id: Some(scope.district_id.to_string()),
        or_none: scope.with_unassigned,
        actor_id: q.actor,
        entity_type: q.entity_type,
        entity_id: q.entity_id,
        person_id: q.person_id,
        action: q.action,
        from: q.from.and_then(day),
        // `to` is a whole day: up to its end.
        to: q.to.and_then(|d| d.succ_opt()).and_then(day),
    })
}

fn cursor(after: Option<&str>) -> Result<Option<i64>, Error> {
    after
        .map(|a| {
            a.parse::<i64>().map_err(|_| {
                Error::Validation(vec![FieldError::new(
                    "after",
                    "format",
                    text!(
                        "non è un cursore di questa lista",
                        "is not a cursor of this list"
                    ),
                )])
            })
        })
        .transpose()
}

/// `GET /audit`: the log, newest first, as the reader may see it.
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    q: AuditQuery,
    page: &PageRequest,
) -> Result<Page<AuditEventOut>, Error> {
    let f = filter(policy::may_read_audit(cx.actor)?, q)?;
    let rows = audit_log::page(conn, &f, cursor(page.after())?, page.limit + 1)?;
    Page::of(
        rows,
        page.limit,
        |e| e.seq.to_string(),
        |e| Ok(AuditEventOut::from(e)),
    )
}

/// The export's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

const HEADER: [&str; 13] = [
    "seq",
    "id",
    "at",
    "actor_id",
    "actor_role",
    "district_id",
    "client_address",
    "request_id",
    "action",
    "entity_type",
    "entity_id",
    "person_id",
    "detail",
];

fn cells(e: &AuditEvent) -> Vec<Option<String>> {
    vec![
        Some(e.seq.to_string()),
        Some(e.id.clone()),
        Some(utc(e.at).to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
        e.actor_id.clone(),
        e.actor_role.clone(),
        e.district_id.clone(),
        e.client_address.clone(),
        e.request_id.clone(),
        Some(e.action.clone()),
        e.entity_type.clone(),
        e.entity_id.clone(),
        e.person_id.clone(),
        e.detail.clone(),
    ]
}

/// A CSV field: quoted when needed; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a
/// spreadsheet never reads it as a formula.
fn csv_field(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '-', '@']) {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// `GET /audit/export`: the filtered log (newest first, at most [`EXPORT_MAX_ROWS`]) as CSV or
/// XLSX; the export is itself an event of the log.
pub fn export(
    conn: &mut DbConn,
    cx: &Ctx,
    q: AuditQuery,
    format: ExportFormat,
) -> Result<Export, Error> {
    let f = filter(policy::may_read_audit(cx.actor)?, q)?;
    let rows = audit_log::page(conn, &f, None, EXPORT_MAX_ROWS)?;
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Xlsx => "xlsx",
    };
    audit_log::record(
        conn,
        cx.now.at,
        &[NewEvent {
            action: "export",
            entity_type: Some("audit_event".into()),
            detail: Some(format!("{ext}, {} rows", rows.len())),
            ..Default::default()
        }],
    )?;
    let bytes = match format {
        ExportFormat::Csv => {
            let mut out = HEADER.join(",");
            out.push_str("\r\n");
            for r in &rows {
                let line: Vec<String> = cells(r)
                    .iter()
                    .map(|c| csv_field(c.as_deref().unwrap_or("")))
                    .collect();
                out.push_str(&line.join(","));
                out.push_str("\r\n");
            }
            out.into_bytes()
        }
        ExportFormat::Xlsx => xlsx::workbook(
            "Registro degli accessi",
            &[Sheet {
                name: "Registro".into(),
                header: HEADER.iter().map(|h| h.to_string()).collect(),
                widths: vec![10.0, 38.0, 28.0, 38.0, 16.0, 38.0, 16.0, 34.0, 14.0],
                rows: rows
                    .iter()
                    .map(|r| cells(r).into_iter().map(Cell::from).collect())
                    .collect(),
            }],
        )?,
    };
    Ok(Export {
        bytes,
        file_name: format!("registro-accessi-{}.{ext}", cx.now.today),
    })
}

/// Writes a refused authorization (`403`, or `404` where the policy hides the record) in this
/// thread's request context; never fails the request it is about.
pub fn record_denied(conn: &mut DbConn, at: NaiveDateTime, code: &str, path: Option<&str>) {
    let e = NewEvent {
        action: "denied",
        entity_type: None,
        entity_id: None,
        person_id: None,
        detail: Some(match path {
            Some(p) => format!("{code} {p}"),
            None => code.to_string(),
        }),
    };
    if let Err(err) = audit_log::record(conn, at, &[e]) {
        log::warn!(target: "audit", "cannot log a refused authorization: {err}");
    }
}

/// The context of a sign-in: the account's, when the e-mail matched one.
pub fn sign_in_context(
    account: Option<&sistema_lavoro_store::users::User>,
    client_address: Option<String>,
    request_id: Option<String>,
) -> audit_log::EventContext {
    audit_log::EventContext {
        actor_id: account.map(|u| u.id.to_string()),
        actor_role: account.map(|u| u.role.as_str().to_string()),
        district_id: account.and_then(|u| u.district_id.as_ref().map(|d| d.to_string())),
        client_address,
        request_id,
    }
}

/// A sign-in, successful or not. A failure for an e-mail that matches no account is recorded
/// with the e-mail's SHA-256 (trimmed, lower case), never the e-mail.
pub fn record_sign_in(
    conn: &mut DbConn,
    ctx: &audit_log::EventContext,
    at: NaiveDateTime,
    ok: bool,
    email: &str,
) -> Result<(), Error> {
    let detail = match (ok, &ctx.actor_id) {
        (false, None) => Some(format!(
            "email_sha256:{}",
            hex::encode(Sha256::digest(email.trim().to_lowercase().as_bytes()))
        )),
        _ => None,
    };
    audit_log::record_as(
        conn,
        ctx,
        at,
        &[NewEvent {
            action: if ok { "sign_in" } else { "sign_in_failed" },
            entity_type: Some("user".into()),
            entity_id: ctx.actor_id.clone(),
            person_id: None,
            detail,
        }],
    )
}

/// Records a read of a record holding personal data that is not a person's own record (the
/// minutes with names), in this thread's request context.
pub fn record_read(
    conn: &mut DbConn,
    cx: &Ctx,
    entity_type: &str,
    entity_id: &str,
) -> Result<(), Error> {
    audit_log::record(
        conn,
        cx.now.at,
        &[NewEvent {
            action: "read",
            entity_type: Some(entity_type.into()),
            entity_id: Some(entity_id.into()),
            ..Default::default()
        }],
    )
}
