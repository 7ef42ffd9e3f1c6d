//! `/exports`: a list taken into a CSV or XLSX file without holding the request (ModI's
//! non-blocking pattern: `202 Accepted` + `Location`, then `303 See Other` to the file).

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::Value;
use sistema_lavoro_app::exports::{self as wf, ExportInput, ExportOut, ExportQuery};
use sistema_lavoro_domain::exports::{ExportList, ExportState};
use sistema_lavoro_domain::ids::{ExportId, NetworkId, PlanAxisId, PlanId};
use sistema_lavoro_domain::opportunities::OpportunityStatus;
use sistema_lavoro_domain::{text, Actor, Error, FieldError};

use crate::extract::{
    permitted, Anyone, Caller, Permit, ReadCases, ReadNetworks, ReadOpportunities, ReadPersons,
    ReadPlans, ReadReferrals, ThresholdReaders, ValidJson,
};
use crate::params::{parse_query, path_id};
use crate::problem::{ApiError, Problem};
use crate::workflow::{cases, catalogue, networks, opportunities, persons, referrals};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create).service(read).service(file);
}

/// The parameter a list's path names (`/networks/{id}/members`), among its filters.
#[derive(Debug, Deserialize)]
struct NetworkFilter {
    network_id: String,
}

#[derive(Debug, Deserialize)]
struct PlanActionFilters {
    plan_id: String,
    axis_id: Option<PlanAxisId>,
}

/// The filters as a query string, so they are read exactly as the list's `GET` route reads
/// its parameters (same types, same limits, same refused characters).
fn query_string(filters: &serde_json::Map<String, Value>) -> Result<String, Error> {
    let mut qs = form_urlencoded::Serializer::new(String::new());
    let mut errors = Vec::new();
    for (k, v) in filters {
        match v {
            Value::Null => {}
            Value::String(s) => {
                qs.append_pair(k, s);
            }
            Value::Bool(_) | Value::Number(_) => {
                qs.append_pair(k, &v.to_string());
            }
            _ => errors.push(FieldError::new(
                k,
                "type",
                text!(
                    "deve essere un testo, un numero o un booleano",
                    "must be a string, a number or a boolean"
                ),
            )),
        }
    }
    if errors.is_empty() {
        Ok(qs.finish())
    } else {
        Err(Error::Validation(errors))
    }
}

/// Checks the keys against the list's parameters, then parses them as the route does.
fn parse<T: serde::de::DeserializeOwned>(
    filters: &serde_json::Map<String, Value>,
    names: &[&str],
) -> Result<T, Error> {
    let unknown: Vec<FieldError> = filters
        .keys()
        .filter(|k| !names.contains(&k.as_str()))
        .map(|k| {
            FieldError::new(
                k,
                "unknown_filter",
                text!(
                    "non è un filtro di questo elenco (ammessi: {})",
                    "is not a filter of this list (allowed: {})",
                    names.join(", ")
                ),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(Error::Validation(unknown));
    }
    parse_query(&query_string(filters)?)
}

/// What the export reads, and whether the caller's role or scopes may read that list.
fn query_of(
    actor: &Actor,
    list: ExportList,
    f: &serde_json::Map<String, Value>,
) -> Result<ExportQuery, Error> {
    fn may<P: Permit>(actor: &Actor) -> Result<(), Error> {
        permitted::<P>(actor)
    }
    Ok(match list {
        ExportList::Referrals => {
            may::<ReadReferrals>(actor)?;
            let p: referrals::ReferralParams = parse(f, referrals::ReferralParams::NAMES)?;
            ExportQuery::Referrals(p.query())
        }
        ExportList::Cases | ExportList::Activations => {
            may::<ReadCases>(actor)?;
            let p: cases::CaseParams = parse(f, cases::CaseParams::NAMES)?;
            if list == ExportList::Cases {
                ExportQuery::Cases(p.query())
            } else {
                ExportQuery::Activations(p.query())
            }
        }
        ExportList::Persons => {
            may::<ReadPersons>(actor)?;
            let p: persons::PersonParams = parse(f, persons::PersonParams::NAMES)?;
            ExportQuery::Persons(p.query())
        }
        ExportList::Thresholds => {
            may::<ThresholdReaders>(actor)?;
            let p: catalogue::ThresholdParams = parse(f, catalogue::ThresholdParams::NAMES)?;
            ExportQuery::Thresholds(p.query())
        }
        ExportList::Opportunities => {
            may::<ReadOpportunities>(actor)?;
            let mut names = opportunities::BoardParams::NAMES.to_vec();
            names.push("status");
            let board: opportunities::BoardParams = parse(f, &names)?;
            let status: opportunities::StatusParams = parse(f, &names)?;
            let status: Vec<OpportunityStatus> = status.status.into_iter().collect();
            ExportQuery::Opportunities(board.filter()?, status)
        }
        ExportList::NetworkMembers => {
            may::<ReadNetworks>(actor)?;
            let mut names = networks::MemberParams::NAMES.to_vec();
            names.push("network_id");
            let n: NetworkFilter = parse(f, &names)?;
            let p: networks::MemberParams = parse(f, &names)?;
            let id = path_id::<NetworkId>("network_id", n.network_id)?;
            ExportQuery::NetworkMembers(id, p.query())
        }
        ExportList::PlanActions => {
            may::<ReadPlans>(actor)?;
            let p: PlanActionFilters = parse(f, &["plan_id", "axis_id"])?;
            let id = path_id::<PlanId>("plan_id", p.plan_id)?;
            ExportQuery::PlanActions(id, p.axis_id)
        }
    })
}

/// Export a list to CSV or XLSX; answers at once, the file follows.
///
/// Starts an export of one of the lists — `referrals`, `cases` (with `follow_up_due_by` or
/// `check_due_by` for the follow-ups and outcome checks due), `activations` (of the cases the
/// filters select), `persons`, `thresholds`, `opportunities`, `network_members`,
/// `plan_actions` — with the filters of its `GET` route (`filters`, a JSON object; a filter the
/// list does not have is refused with `422 unknown_filter`) and the caller's visibility: the
/// same rows the list would page through, every read logged as the list logs it. The caller
/// must be allowed that list (role, or client scope): `403` otherwise, `404` for a network or
/// plan it does not see. Answers `202 Accepted` with `Location: /api/v1/exports/{id}`; poll it.
/// CSV is for Italian Excel (UTF-8 with BOM, `;`, dates `gg/mm/aaaa`, decimal comma); XLSX has
/// typed cells (dates, euros), a frozen header and filters; headers and labels are in the
/// caller's language. Cells that start with `=`, `+`, `-`, `@`, tab or carriage return begin
/// with `'`. The export is audited (who, list, filters with searches masked, rows).
#[utoipa::path(tag = "exports", request_body = ExportInput,
    responses((status = 202, body = ExportOut,
        headers(("Location" = String, description = "The export to poll")))),
    security(("bearer" = []), ("client_credentials" = [])))]
#[post("/exports")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller<Anyone>,
    body: ValidJson<ExportInput>,
) -> Result<HttpResponse, ApiError> {
    let lang = caller.lang;
    let input = body.0;
    let query = query_of(&caller.actor, input.list, &input.filters)
        .map_err(|e| ApiError::new(e.under("filters"), lang))?;
    let filters = wf::masked(&input.filters);
    let format = input.format;
    let (out, job) = state
        .run(caller, move |conn, cx| {
            wf::create(conn, cx, query, format, filters)
        })
        .await?;
    let pool = state.pool.clone();
    let dir = sistema_lavoro_app::config::exports_dir(&state.config);
    let spawned = std::thread::Builder::new()
        .name(format!("export-{}", out.id))
        .spawn(move || match pool.get() {
            Ok(mut conn) => wf::run(&mut conn, &job, &dir),
            Err(e) => log::error!("export {}: no database connection: {e}", job.id.as_str()),
        });
    if let Err(e) = spawned {
        log::error!("export {}: cannot start: {e}", out.id);
    }
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/exports/{}", out.id)))
        .insert_header((header::RETRY_AFTER, "1"))
        .json(out))
}

/// An export you started: its progress, then `303` to its file.
///
/// `200` with the state and the rows written while it is `queued` or `running` (poll again
/// after `Retry-After` seconds), or once it `failed` (`error` says why); `303 See Other` with
/// `Location` to the file once `done`. Only whoever started it sees it (`404` for anyone
/// else); `410 export_expired` once its time (24 hours) is over and the file deleted.
#[utoipa::path(tag = "exports", params(("id" = String, Path, description = "Export id")),
    responses((status = 200, body = ExportOut),
        (status = 303, body = ExportOut, description = "Done: `Location` is the file",
            headers(("Location" = String, description = "The file"))),
        (status = 410, description = "Expired: the file was deleted (`export_expired`)", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/exports/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<Anyone>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id::<ExportId>("id", id.into_inner())?;
    let out: ExportOut = state
        .run(caller, move |conn, cx| wf::read(conn, cx, &id))
        .await?;
    Ok(match (&out.state, &out.file_url) {
        (ExportState::Done, Some(url)) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, url.clone()))
            .json(out),
        (ExportState::Queued | ExportState::Running, _) => HttpResponse::Ok()
            .insert_header((header::RETRY_AFTER, "1"))
            .json(out),
        _ => HttpResponse::Ok().json(out),
    })
}

/// The file of a finished export (its download is logged).
///
/// The CSV or XLSX file, as an attachment named after the list and the day. `409
/// export_not_ready` while it runs or when it failed, `410 export_expired` after its time,
/// `404` for anyone but whoever started it.
#[utoipa::path(tag = "exports", operation_id = "exports_file",
    params(("id" = String, Path, description = "Export id")),
    responses((status = 200, description = "The file", content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 409, description = "Still running, or failed (`export_not_ready`)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired: the file was deleted (`export_expired`)", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("client_credentials" = [])))]
#[get("/exports/{id}/file")]
pub async fn file(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller<Anyone>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let lang = caller.lang;
    let id = path_id::<ExportId>("id", id.into_inner())?;
    let dir = sistema_lavoro_app::config::exports_dir(&state.config);
    let (path, name, format) = state
        .run(caller, move |conn, cx| wf::file(conn, cx, &id, &dir))
        .await?;
    let opened = actix_files::NamedFile::open(&path).map_err(|e| {
        ApiError::new(
            Error::Internal(format!("export file {}: {e}", path.display())),
            lang,
        )
    })?;
    let mime: actix_web::mime::Mime = format
        .content_type()
        .parse()
        .unwrap_or(actix_web::mime::APPLICATION_OCTET_STREAM);
    let mut res = opened
        .set_content_type(mime)
        .disable_content_disposition()
        .use_etag(false)
        .use_last_modified(false)
        .into_response(&req);
    let headers = res.headers_mut();
    if let Ok(v) = header::HeaderValue::from_str(&crate::workflow::documents::disposition(&name)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}
