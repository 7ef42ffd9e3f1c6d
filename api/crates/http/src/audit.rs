//! The audit log over HTTP: the DPO's (and the coordinator's) search and export.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use sistema_lavoro_app::audit::{self, AuditEventOut, AuditQuery, ExportFormat, VerificationOut};
use sistema_lavoro_app::workflow::Page;
use utoipa::{IntoParams, ToSchema};

use super::extract::{Caller, PageQuery, ReadAudit, VerifyAudit};
use super::params::ValidQuery;
use super::problem::ApiError;
use super::respond::Listed;
use super::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit)
        .service(export_audit)
        .service(verify_audit);
}

/// Filters of the audit log; every one given must match.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Who acted: a user id, or `client:<id>` for an integration client.
    #[param(max_length = 200)]
    pub actor: Option<String>,
    /// The kind of record: `person`, `case`, `referral`, `document`, `minutes`, `user`…
    #[param(max_length = 200)]
    pub entity_type: Option<String>,
    /// The record's id (with or without `entity_type`).
    #[param(max_length = 64)]
    pub entity_id: Option<String>,
    /// Events concerning this person: reads, lookups and changes of the person's record.
    #[param(max_length = 64)]
    pub person_id: Option<String>,
    /// What happened: `read`, `list`, `search`, `lookup`, `export`, `download`, `create`,
    /// `change`, `denied`, `sign_in`, `sign_in_failed`.
    #[param(max_length = 200)]
    pub action: Option<String>,
    /// From this day (UTC, inclusive).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<NaiveDate>,
    /// Up to this day (UTC, inclusive).
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<NaiveDate>,
}

impl From<AuditFilter> for AuditQuery {
    fn from(f: AuditFilter) -> AuditQuery {
        AuditQuery {
            actor: f.actor,
            entity_type: f.entity_type,
            entity_id: f.entity_id,
            person_id: f.person_id,
            action: f.action,
            from: f.from,
            to: f.to,
        }
    }
}

/// The audit log (registro degli accessi), newest first.
///
/// Every read of personal data (a person's record, lists and searches returning persons, the
/// tax-code lookup, the minutes, document downloads), every change, every refused
/// authorization and every sign-in, with who, when, from which address and in which request.
/// The DPO (`privacy_officer`) reads the events of its district and those of no district
/// (failed sign-ins of unknown e-mails); the coordinator those of its district. Anyone else
/// `403`. The log is append-only and sealed by a hash chain (`sistema-lavoro verify-audit`).
#[utoipa::path(tag = "audit", params(AuditFilter, PageQuery),
    responses((status = 200, body = Page<AuditEventOut>)), security(("bearer" = [])))]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    caller: Caller<ReadAudit>,
    q: ValidQuery<AuditFilter>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<AuditEventOut>, ApiError> {
    let query = AuditQuery::from(q.into_inner());
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| audit::list(conn, cx, query, &page))
            .await?,
    ))
}

/// Format of an export of the audit log.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuditExportFormat {
    /// Comma-separated values, UTF-8, one header row.
    Csv,
    /// An Excel workbook (XLSX).
    Xlsx,
}

/// The export's format, with the list's filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditExportQuery {
    /// `csv` (default) or `xlsx`.
    pub format: Option<AuditExportFormat>,
}

/// Export the audit log as CSV or XLSX.
///
/// The events the same filters select in `GET /audit`, newest first, at most 10,000 (narrow
/// the dates for more). The export is itself recorded in the log (action `export`). Same
/// readers as the list.
#[utoipa::path(tag = "audit", params(AuditExportQuery, AuditFilter),
    responses((status = 200, description = "The events", content(
        (String = "text/csv"),
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))),
    security(("bearer" = [])))]
#[get("/audit/export")]
pub async fn export_audit(
    state: web::Data<AppState>,
    caller: Caller<ReadAudit>,
    f: ValidQuery<AuditExportQuery>,
    q: ValidQuery<AuditFilter>,
) -> Result<HttpResponse, ApiError> {
    let (format, content_type) = match f.format.unwrap_or(AuditExportFormat::Csv) {
        AuditExportFormat::Csv => (ExportFormat::Csv, "text/csv; charset=utf-8"),
        AuditExportFormat::Xlsx => (ExportFormat::Xlsx, sistema_lavoro_app::xlsx::CONTENT_TYPE),
    };
    let query = AuditQuery::from(q.into_inner());
    let export = state
        .run(caller, move |conn, cx| {
            audit::export(conn, cx, query, format)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            super::workflow::documents::disposition(&export.file_name),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(export.bytes))
}

/// Verify the audit log's hash chain (the DPO).
///
/// Checks every seal against the rows it covers and against the seal before it, as
/// `sistema-lavoro verify-audit` does: `holds` is false, and `problems` says where, when a row or
/// a seal was edited, removed or added. Rows of the last minute may still be `unsealed`. Keep
/// `head` elsewhere: a later head that does not follow it reveals a truncated chain. The DPO
/// only (`403` otherwise); the verification is itself logged.
#[utoipa::path(tag = "audit", responses((status = 200, body = VerificationOut)),
    security(("bearer" = [])))]
#[get("/audit/verification")]
pub async fn verify_audit(
    state: web::Data<AppState>,
    caller: Caller<VerifyAudit>,
) -> Result<web::Json<VerificationOut>, ApiError> {
    Ok(web::Json(state.run(caller, audit::verify_for).await?))
}
