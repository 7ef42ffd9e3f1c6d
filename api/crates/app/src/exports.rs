//! Exports of lists to CSV (for Italian Excel) and XLSX, without blocking (ModI's
//! non-blocking pattern): `POST /exports` checks the caller may read the list with those
//! filters and answers at once; a job pages through the very list use case the `GET` route runs
//! — same filters, same visibility, same read logging — writing each page to a file as it
//! comes, so memory stays flat whatever the rows; `GET /exports/{id}` tells the progress and
//! then where the file is; files are deleted when their time (24 hours) runs out.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sistema_lavoro_domain::actor::Actor;
use sistema_lavoro_domain::clock::Now;
use sistema_lavoro_domain::error::ErrorCode;
use sistema_lavoro_domain::exports::{
    ExportFormat, ExportList, ExportState, EXPORT_MAX_ROWS, EXPORT_TTL_HOURS,
};
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::ids::{ExportId, NetworkId, PlanAxisId, PlanId};
use sistema_lavoro_domain::opportunities::OpportunityStatus;
use sistema_lavoro_domain::{text, Error};
use sistema_lavoro_store::audit_log::{self, EventContext, NewEvent};
use sistema_lavoro_store::exports::Export;
use sistema_lavoro_store::{new_id, DbConn};
use utoipa::ToSchema;

use crate::workflow::cases::CaseQuery;
use crate::workflow::catalogue::ThresholdQuery;
use crate::workflow::networks::MembersQuery;
use crate::workflow::opportunities::BoardFilter;
use crate::workflow::persons::PersonQuery;
use crate::workflow::referrals::ReferralQuery;
use crate::workflow::{self as wf, PageRequest};
use crate::xlsx::{Cell, SheetStream};
use crate::{csv, Ctx};

/// What to export: the list and its filters, as its `GET` route takes them.
#[derive(Debug, Clone)]
pub enum ExportQuery {
    Referrals(ReferralQuery),
    Cases(CaseQuery),
    /// The activations of the cases the filters select.
    Activations(CaseQuery),
    Persons(PersonQuery),
    Thresholds(ThresholdQuery),
    Opportunities(BoardFilter, Vec<OpportunityStatus>),
    NetworkMembers(NetworkId, MembersQuery),
    PlanActions(PlanId, Option<PlanAxisId>),
}

impl ExportQuery {
    pub fn list(&self) -> ExportList {
        match self {
            Self::Referrals(_) => ExportList::Referrals,
            Self::Cases(_) => ExportList::Cases,
            Self::Activations(_) => ExportList::Activations,
            Self::Persons(_) => ExportList::Persons,
            Self::Thresholds(_) => ExportList::Thresholds,
            Self::Opportunities(..) => ExportList::Opportunities,
            Self::NetworkMembers(..) => ExportList::NetworkMembers,
            Self::PlanActions(..) => ExportList::PlanActions,
        }
    }
}

/// The schema of an export's filters: an object whose members are the list's query
/// parameters, each a string, a number or a boolean.
pub struct ExportFilters;

impl utoipa::PartialSchema for ExportFilters {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder};
        ObjectBuilder::new()
            .description(Some(
                "The list's query parameters by name (a string, a number or a boolean each), \
                 e.g. `{\"status\": \"in_charge\", \"overdue\": true}`",
            ))
            .additional_properties(Some(
                AdditionalProperties::<utoipa::openapi::schema::Schema>::FreeForm(true),
            ))
            .max_properties(Some(20))
            .into()
    }
}

impl utoipa::ToSchema for ExportFilters {}

/// `POST /exports`: a list, a format and the list's filters.
#[derive(Debug, Clone, Deserialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
pub struct ExportInput {
    pub list: ExportList,
    pub format: ExportFormat,
    /// The list's query parameters (those of its `GET` route, without `limit` and `after`),
    /// e.g. `{"status": "in_charge", "overdue": true}` for `cases`; `network_members` needs
    /// `network_id`, `plan_actions` needs `plan_id`.
    #[serde(default)]
    #[schema(value_type = ExportFilters)]
    pub filters: serde_json::Map<String, Value>,
}

/// An export: its progress, then its file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExportOut {
    pub id: String,
    pub list: ExportList,
    pub format: ExportFormat,
    /// The filters applied (texts searched for are masked as `***`).
    #[schema(value_type = ExportFilters)]
    pub filters: Value,
    pub state: ExportState,
    /// Rows written so far (all of them once `done`).
    pub rows_done: i64,
    /// Why it failed (`failed` only): a code.
    pub error: Option<String>,
    /// Where the file is (`done` only).
    pub file_url: Option<String>,
    /// The file's name (`done` only), e.g. `segnalazioni-2026-12-03.csv`.
    pub file_name: Option<String>,
    /// The file's size in bytes (`done` only).
    pub bytes: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// After this instant the file is deleted and `GET` answers `410`.
    pub expires_at: DateTime<Utc>,
}

fn utc(at: chrono::NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(at, Utc)
}

fn out(e: Export) -> ExportOut {
    let done = e.state == ExportState::Done;
    ExportOut {
        file_url: done.then(|| format!("/api/v1/exports/{}/file", e.id.as_str())),
        file_name: if done { e.file_name } else { None },
        bytes: if done { e.bytes } else { None },
        id: e.id.into_inner(),
        list: e.list,
        format: e.format,
        filters: serde_json::from_str(&e.filters).unwrap_or(Value::Null),
        state: e.state,
        rows_done: e.rows_done,
        error: e.error,
        created_at: utc(e.created_at),
        finished_at: e.finished_at.map(utc),
        expires_at: utc(e.expires_at),
    }
}

/// The filters as kept and audited: a free-text search (a name, a tax code) is masked.
pub fn masked(filters: &serde_json::Map<String, Value>) -> Value {
    let mut m = filters.clone();
    for key in ["q", "tax_code"] {
        if let Some(v) = m.get_mut(key) {
            *v = Value::String("***".into());
        }
    }
    Value::Object(m)
}

/// The job a created export leaves to run.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: ExportId,
    pub query: ExportQuery,
    pub format: ExportFormat,
    pub actor: Actor,
    pub now: Now,
    pub lang: Lang,
    pub context: EventContext,
}

/// Checks the caller may read the list with these filters (by reading its first row), then
/// records the export as `queued`.
pub fn create(
    conn: &mut DbConn,
    cx: &Ctx,
    query: ExportQuery,
    format: ExportFormat,
    filters: Value,
) -> Result<(ExportOut, Job), Error> {
    let district = cx.actor.district()?.clone();
    fetch(conn, cx, &query, &PageRequest::first(1))?;
    let e = Export {
        id: new_id(),
        district_id: district,
        requested_by: cx.actor.id.clone(),
        list: query.list(),
        format,
        filters: filters.to_string(),
        state: ExportState::Queued,
        rows_done: 0,
        error: None,
        file_name: None,
        bytes: None,
        created_at: cx.now.at,
        finished_at: None,
        expires_at: cx.now.at + Duration::hours(EXPORT_TTL_HOURS),
    };
    Export::insert(conn, &e)?;
    let job = Job {
        id: e.id.clone(),
        query,
        format,
        actor: cx.actor.clone(),
        now: cx.now,
        lang: cx.lang,
        context: audit_log::current(),
    };
    Ok((out(e), job))
}

/// The caller's own export (anyone else's does not exist for them); `410` once expired.
fn own(conn: &mut DbConn, cx: &Ctx, id: &ExportId) -> Result<Export, Error> {
    let e = Export::find(conn, id)?
        .filter(|e| e.requested_by == cx.actor.id)
        .ok_or(Error::NotFound)?;
    if e.expires_at <= cx.now.at {
        return Err(Error::Conflict {
            code: ErrorCode::ExportExpired,
            detail: text!(
                "l'esportazione è scaduta e il file è stato cancellato: avviane una nuova",
                "the export has expired and its file was deleted: start a new one"
            ),
            existing_id: None,
        });
    }
    Ok(e)
}

/// `GET /exports/{id}`.
pub fn read(conn: &mut DbConn, cx: &Ctx, id: &ExportId) -> Result<ExportOut, Error> {
    own(conn, cx, id).map(out)
}

/// `GET /exports/{id}/file`: the finished file's path, name and type.
pub fn file(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ExportId,
    dir: &Path,
) -> Result<(PathBuf, String, ExportFormat), Error> {
    let e = own(conn, cx, id)?;
    let name = match (&e.state, &e.file_name) {
        (ExportState::Done, Some(n)) => n.clone(),
        _ => {
            return Err(Error::Conflict {
                code: ErrorCode::ExportNotReady,
                detail: text!(
                    "l'esportazione non è pronta (stato: {})",
                    "the export is not ready (state: {})",
                    e.state.as_str()
                ),
                existing_id: None,
            })
        }
    };
    audit_log::record(
        conn,
        cx.now.at,
        &[NewEvent {
            action: "download",
            entity_type: Some("export".into()),
            entity_id: Some(e.id.as_str().into()),
            detail: Some(format!("{} {}", e.list.as_str(), e.format.as_str())),
            ..Default::default()
        }],
    )?;
    Ok((dir.join(e.id.as_str()), name, e.format))
}

/// One page of the list, each item as JSON (what the columns read).
fn fetch(
    conn: &mut DbConn,
    cx: &Ctx,
    q: &ExportQuery,
    page: &PageRequest,
) -> Result<(Vec<Value>, Option<String>), Error> {
    fn row<T: Serialize>(item: &T) -> Result<Value, Error> {
        serde_json::to_value(item).map_err(|e| Error::Internal(format!("export row: {e}")))
    }
    fn json<T: Serialize + utoipa::ToSchema>(
        p: wf::Page<T>,
    ) -> Result<(Vec<Value>, Option<String>), Error> {
        let items = p.items.iter().map(row).collect::<Result<Vec<_>, _>>()?;
        Ok((items, p.next))
    }
    match q {
        ExportQuery::Referrals(f) => json(wf::referrals::list(conn, cx, f.clone(), page)?),
        ExportQuery::Cases(f) => json(wf::cases::list(conn, cx, f.clone(), page)?),
        ExportQuery::Activations(f) => {
            let cases = wf::cases::list(conn, cx, f.clone(), page)?;
            let mut rows = Vec::new();
            for c in &cases.items {
                let case = row(c)?;
                let id = c.id.clone().into();
                for a in wf::activations::of_case(conn, cx, &id)? {
                    rows.push(serde_json::json!({"case": case, "activation": row(&a)?}));
                }
            }
            Ok((rows, cases.next))
        }
        ExportQuery::Persons(f) => json(wf::persons::list(conn, cx, f.clone(), page)?),
        ExportQuery::Thresholds(f) => {
            json(wf::catalogue::list_thresholds(conn, cx, f.clone(), page)?)
        }
        ExportQuery::Opportunities(f, s) => json(wf::opportunities::list(conn, cx, f, s, page)?),
        ExportQuery::NetworkMembers(n, f) => json(wf::networks::members(conn, cx, n, *f, page)?),
        ExportQuery::PlanActions(p, axis) => {
            json(wf::plans::actions(conn, cx, p, axis.clone(), page)?)
        }
    }
}

/// How a column reads its value from an item.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Date,
    /// An instant, as its day in Italy.
    Day,
    Euros,
    Bool,
    /// A code, shown by its label in the SPA's vocabulary (`status.case` …).
    Label(&'static str),
    /// A list of codes, their labels joined.
    Labels(&'static str),
}

struct Col {
    it: &'static str,
    en: &'static str,
    /// JSON pointer into the item.
    path: &'static str,
    kind: Kind,
    width: f64,
}

const fn col(it: &'static str, en: &'static str, path: &'static str, kind: Kind) -> Col {
    Col {
        it,
        en,
        path,
        kind,
        width: 16.0,
    }
}

const fn wide(it: &'static str, en: &'static str, path: &'static str, kind: Kind) -> Col {
    Col {
        it,
        en,
        path,
        kind,
        width: 32.0,
    }
}

use Kind::*;

const REFERRALS: &[Col] = &[
    col("Codice segnalazione", "Referral id", "/id", Text),
    col("Cognome", "Last name", "/person/last_name", Text),
    col("Nome", "First name", "/person/first_name", Text),
    col("Codice fiscale", "Tax code", "/person/tax_code", Text),
    col("Data di nascita", "Birth date", "/person/birth_date", Date),
    wide(
        "Ente segnalante",
        "Referring organization",
        "/organization/name",
        Text,
    ),
    col("Canale di invio", "Channel", "/source", Label("source")),
    wide("Bisogni", "Needs", "/needs", Labels("need")),
    col("Urgenza", "Urgency", "/urgency", Label("status.urgency")),
    col("Stato", "Status", "/status", Label("status.referral")),
    col("Inviata il", "Submitted on", "/submitted_at", Day),
    col("Presa in carico", "Case", "/case/id", Text),
    wide("Motivo", "Reason", "/reason", Text),
    col("Creata il", "Created on", "/created_at", Day),
];

const CASES: &[Col] = &[
    col("Codice presa in carico", "Case id", "/id", Text),
    col("Cognome", "Last name", "/person/last_name", Text),
    col("Nome", "First name", "/person/first_name", Text),
    col("Codice fiscale", "Tax code", "/person/tax_code", Text),
    wide("Ente", "Agency", "/agency/name", Text),
    col("Stato", "Status", "/status", Label("status.case")),
    col(
        "Primo colloquio",
        "First meeting",
        "/first_meeting_date",
        Date,
    ),
    col(
        "Prossima verifica",
        "Next follow-up",
        "/next_due_date",
        Date,
    ),
    col("In ritardo", "Overdue", "/overdue", Bool),
    col("Esito", "Outcome", "/outcome", Label("outcome")),
    col("Chiusa il", "Closed on", "/closed_at", Day),
    col("Segnalazione", "Referral", "/referral_id", Text),
    col("Creata il", "Created on", "/created_at", Day),
];

const ACTIVATIONS: &[Col] = &[
    col(
        "Codice misura attivata",
        "Activation id",
        "/activation/id",
        Text,
    ),
    col("Presa in carico", "Case", "/case/id", Text),
    col("Cognome", "Last name", "/case/person/last_name", Text),
    col("Nome", "First name", "/case/person/first_name", Text),
    col("Codice fiscale", "Tax code", "/case/person/tax_code", Text),
    wide("Ente", "Agency", "/case/agency/name", Text),
    col(
        "Codice misura",
        "Measure code",
        "/activation/measure_code",
        Text,
    ),
    wide("Misura", "Measure", "/activation/measure_name", Text),
    col(
        "Stato",
        "Status",
        "/activation/status",
        Label("status.activation"),
    ),
    col("Importo", "Amount", "/activation/amount_cents", Euros),
    col("Speso", "Spent", "/activation/spent_cents", Euros),
    col("Creata il", "Created on", "/activation/created_at", Day),
];

const PERSONS: &[Col] = &[
    col("Codice persona", "Person id", "/id", Text),
    col("Cognome", "Last name", "/last_name", Text),
    col("Nome", "First name", "/first_name", Text),
    col("Codice fiscale", "Tax code", "/tax_code", Text),
    col("Data di nascita", "Birth date", "/birth_date", Date),
    col("Sesso", "Gender", "/gender", Text),
    col("Comune di residenza", "Residence", "/residence/name", Text),
    col("Cittadinanza", "Citizenship", "/citizenship", Text),
    wide("E-mail", "E-mail", "/email", Text),
    col("Telefono", "Phone", "/phone", Text),
    wide("Indirizzo", "Address", "/address", Text),
    col(
        "Condizione occupazionale",
        "Employment status",
        "/employment_status",
        Label("employment"),
    ),
    col(
        "Titolo di studio",
        "Education",
        "/education_level",
        Label("education"),
    ),
    col("Cluster", "Cluster", "/cluster", Label("cluster")),
    col("Dati limitati", "Restricted", "/restricted", Bool),
];

const THRESHOLDS: &[Col] = &[
    wide("Ente", "Agency", "/agency_name", Text),
    col("Misura", "Measure", "/measure_code", Text),
    col("Dal", "From", "/period_start", Date),
    col("Al", "To", "/period_end", Date),
    col("Soglia", "Cap", "/cap_cents", Euros),
    col("Riservato", "Reserved", "/reserved_cents", Euros),
    col("Speso", "Spent", "/spent_cents", Euros),
    col("Disponibile", "Remaining", "/remaining_cents", Euros),
];

const OPPORTUNITIES: &[Col] = &[
    wide("Titolo", "Title", "/title", Text),
    col("Tipo", "Kind", "/kind_label", Text),
    wide("Pubblicata da", "Publisher", "/publisher", Text),
    col("Comune", "Municipality", "/municipality/name", Text),
    col("Dal", "From", "/starts_on", Date),
    col("Al", "To", "/ends_on", Date),
    col("Candidature entro", "Apply by", "/apply_by", Date),
    col("Stato", "Status", "/status", Text),
    wide("Contatti", "Contact", "/contact", Text),
    col("Pubblicata il", "Published on", "/published_at", Day),
];

const MEMBERS: &[Col] = &[
    wide("Organizzazione", "Organization", "/organization/name", Text),
    col("Tipo", "Kind", "/organization_kind", Label("orgKind")),
    col("Ruolo", "Role", "/role", Text),
    col("Aderente dal", "Member since", "/joined_on", Date),
    col("Uscita il", "Withdrawn on", "/withdrawn_on", Date),
    col("Attiva", "Active", "/active", Bool),
];

const PLAN_ACTIONS: &[Col] = &[
    wide("Azione", "Action", "/title", Text),
    col("Asse", "Axis", "/axis_id", Text),
    col("Stato", "Status", "/status", Text),
    col("Inizio", "Start", "/start_date", Date),
    col("Fine", "End", "/end_date", Date),
    col("Fonte", "Funding", "/funding_source", Text),
    col("Budget", "Budget", "/budget_cents", Euros),
    wide(
        "Dipartimento",
        "Department",
        "/responsible_department",
        Text,
    ),
    wide(
        "Ente responsabile",
        "Responsible organization",
        "/responsible_organization/name",
        Text,
    ),
    col("In ritardo", "Late", "/late", Bool),
];

fn columns(list: ExportList) -> &'static [Col] {
    match list {
        ExportList::Referrals => REFERRALS,
        ExportList::Cases => CASES,
        ExportList::Activations => ACTIVATIONS,
        ExportList::Persons => PERSONS,
        ExportList::Thresholds => THRESHOLDS,
        ExportList::Opportunities => OPPORTUNITIES,
        ExportList::NetworkMembers => MEMBERS,
        ExportList::PlanActions => PLAN_ACTIONS,
    }
}

/// The SPA's vocabulary, so a spreadsheet says what the screens say.
fn vocabulary(lang: Lang) -> &'static Value {
    static IT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    static EN: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let (cell, raw) = match lang {
        Lang::It => (&IT, include_str!("../../../../web/src/i18n/it.json")),
        Lang::En => (&EN, include_str!("../../../../web/src/i18n/en.json")),
    };
    cell.get_or_init(|| serde_json::from_str(raw).unwrap_or(Value::Null))
}

fn label(lang: Lang, group: &str, code: &str) -> String {
    let mut v = vocabulary(lang);
    for part in group.split('.').chain(std::iter::once(code)) {
        v = &v[part];
    }
    v.as_str().unwrap_or(code).to_string()
}

fn cell(item: &Value, c: &Col, lang: Lang) -> Cell {
    let v = match item.pointer(c.path) {
        None | Some(Value::Null) => return Cell::Empty,
        Some(v) => v,
    };
    match c.kind {
        Text => match v {
            Value::String(s) => Cell::Text(s.clone()),
            other => Cell::Text(other.to_string()),
        },
        Date => v
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .map_or(Cell::Empty, Cell::Date),
        Day => v
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map_or(Cell::Empty, |t| {
                Cell::Date(t.with_timezone(&chrono_tz::Europe::Rome).date_naive())
            }),
        Euros => v.as_i64().map_or(Cell::Empty, Cell::Euros),
        Bool => match (v.as_bool(), lang) {
            (Some(true), Lang::It) => Cell::Text("Sì".into()),
            (Some(false), Lang::It) => Cell::Text("No".into()),
            (Some(true), Lang::En) => Cell::Text("Yes".into()),
            (Some(false), Lang::En) => Cell::Text("No".into()),
            (None, _) => Cell::Empty,
        },
        Label(group) => v
            .as_str()
            .map_or(Cell::Empty, |s| Cell::Text(label(lang, group, s))),
        Labels(group) => Cell::Text(
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(|s| label(lang, group, s))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        ),
    }
}

/// Where the rows go: a CSV or an XLSX file, written as they come.
enum Sink {
    Csv(BufWriter<File>),
    Xlsx(Box<SheetStream<BufWriter<File>>>),
}

impl Sink {
    fn open(
        path: &Path,
        format: ExportFormat,
        title: &str,
        cols: &[Col],
        lang: Lang,
    ) -> Result<Sink, Error> {
        let file = private_file(path)?;
        let w = BufWriter::new(file);
        let header: Vec<String> = cols
            .iter()
            .map(|c| match lang {
                Lang::It => c.it.to_string(),
                Lang::En => c.en.to_string(),
            })
            .collect();
        Ok(match format {
            ExportFormat::Csv => {
                let mut w = w;
                let mut head = String::from(csv::BOM);
                csv::line(&mut head, header.into_iter().map(Cell::Text));
                w.write_all(head.as_bytes()).map_err(io)?;
                Sink::Csv(w)
            }
            ExportFormat::Xlsx => {
                let widths: Vec<f64> = cols.iter().map(|c| c.width).collect();
                Sink::Xlsx(Box::new(SheetStream::new(
                    w, title, title, &header, &widths,
                )?))
            }
        })
    }

    fn row(&mut self, cells: Vec<Cell>) -> Result<(), Error> {
        match self {
            Sink::Csv(w) => {
                let mut line = String::new();
                csv::line(&mut line, cells);
                w.write_all(line.as_bytes()).map_err(io)
            }
            Sink::Xlsx(s) => s.row(&cells),
        }
    }

    fn finish(self) -> Result<(), Error> {
        let mut w = match self {
            Sink::Csv(w) => w,
            Sink::Xlsx(s) => s.finish()?,
        };
        w.flush().map_err(io)?;
        w.get_ref().sync_all().map_err(io)
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Internal(format!("export file: {e}"))
}

/// A new file only its owner reads (`0600`), in a folder only the server reads (`0700`).
fn private_file(path: &Path) -> Result<File, Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
        }
    }
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(io)
}

/// Runs an export to its end: pages through the list, writes the file under `dir`, records
/// progress after each page, audits the export (who, which list, which filters, how many
/// rows). A failure leaves the export `failed` and no file.
pub fn run(conn: &mut DbConn, job: &Job, dir: &Path) {
    let context = job.context.clone();
    audit_log::with_context(context, || {
        let at = job.now.at;
        if let Err(e) = write(conn, job, dir) {
            let _ = std::fs::remove_file(dir.join(job.id.as_str()));
            let code = e.code().as_str();
            if matches!(e, Error::Internal(_)) {
                log::error!("export {} failed: {e}", job.id.as_str());
            }
            if let Err(e) = Export::fail(conn, &job.id, code, at) {
                log::error!("export {}: cannot record the failure: {e}", job.id.as_str());
            }
        }
    })
}

fn write(conn: &mut DbConn, job: &Job, dir: &Path) -> Result<(), Error> {
    let cx = Ctx::new(&job.actor, job.now, job.lang);
    let list = job.query.list();
    let cols = columns(list);
    let title = list.label(job.lang);
    let path = dir.join(job.id.as_str());
    let mut sink = Sink::open(&path, job.format, title, cols, job.lang)?;
    let mut page = PageRequest::first(200);
    let mut rows: usize = 0;
    loop {
        let (items, next) = fetch(conn, &cx, &job.query, &page)?;
        for item in &items {
            sink.row(cols.iter().map(|c| cell(item, c, job.lang)).collect())?;
        }
        rows += items.len();
        if rows > EXPORT_MAX_ROWS {
            return Err(Error::validation(
                "filters",
                "too_many_rows",
                text!(
                    "l'elenco supera {} righe: restringi i filtri",
                    "the list exceeds {} rows: narrow the filters",
                    EXPORT_MAX_ROWS
                ),
            ));
        }
        Export::progress(conn, &job.id, rows as i64)?;
        match next {
            Some(after) => page.after = Some(after),
            None => break,
        }
    }
    sink.finish()?;
    let bytes = std::fs::metadata(&path).map_err(io)?.len() as i64;
    let slug: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let name = format!(
        "{}-{}.{}",
        slug.trim_matches('-'),
        job.now.today,
        job.format.extension()
    );
    let filters = Export::find(conn, &job.id)?
        .map(|e| e.filters)
        .unwrap_or_default();
    audit_log::record(
        conn,
        job.now.at,
        &[NewEvent {
            action: "export",
            entity_type: Some(list.as_str().into()),
            entity_id: Some(job.id.as_str().into()),
            detail: Some(format!(
                "{}, filters {filters}, {rows} rows",
                job.format.as_str()
            )),
            ..Default::default()
        }],
    )?;
    Export::finish(conn, &job.id, rows as i64, &name, bytes, job.now.at)?;
    Ok(())
}

/// Deletes the files and records of exports whose time ran out; returns how many.
pub fn expire(conn: &mut DbConn, now: Now, dir: &Path) -> Result<usize, Error> {
    let mut n = 0;
    loop {
        let due = Export::expired(conn, now.at, 100)?;
        if due.is_empty() {
            return Ok(n);
        }
        for e in due {
            match std::fs::remove_file(dir.join(e.id.as_str())) {
                Ok(()) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(io(err)),
            }
            Export::delete(conn, &e.id)?;
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_the_spa_vocabulary() {
        assert_eq!(label(Lang::It, "status.case", "in_charge"), "In carico");
        assert_eq!(label(Lang::It, "outcome", "hired"), "Assunzione");
        assert_eq!(label(Lang::It, "source", "unknown_code"), "unknown_code");
    }

    #[test]
    fn searches_are_masked_in_what_is_kept() {
        let mut m = serde_json::Map::new();
        m.insert("q".into(), Value::String("Rossi".into()));
        m.insert("status".into(), Value::String("closed".into()));
        let v = masked(&m);
        assert_eq!(v["q"], "***");
        assert_eq!(v["status"], "closed");
    }
}
