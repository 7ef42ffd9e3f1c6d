//! `/meetings`: the monthly table's sessions, agenda, decisions, closing and minutes.

use crate::params::{path_id, ValidQuery};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use serde::Deserialize;
use sistema_lavoro_app::workflow::meetings::agenda::{self as items, AgendaInput};
use sistema_lavoro_app::workflow::meetings::decisions::{self, DecisionInput};
use sistema_lavoro_app::workflow::meetings::minutes::MinutesFormat;
use sistema_lavoro_app::workflow::meetings::view::{self, Agenda};
use sistema_lavoro_app::workflow::meetings::{
    self as wf, close as closing, minutes as verbale, MeetingInput, MeetingOut, MeetingPatch,
    MeetingQuery,
};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::{AgendaItemId, MeetingId};
use sistema_lavoro_domain::states::MeetingStatus;
use utoipa::IntoParams;

use crate::extract::{
    Caller, CoordinatorOnly, Hidden, HoldMeetings, MeetingReaders, PageQuery, ValidJson,
};
use crate::precondition::{IdempotencyKey, IfMatch, RequireIfMatch};
use crate::problem::{ApiError, Problem};
use crate::respond::{Created, Listed, Tagged};
use crate::AppState;
use sistema_lavoro_app::workflow::meetings::network::{
    self as nm, ActionItemInput, ActionItemList, ActionItemOut, ActionItemPatch,
};
use sistema_lavoro_domain::ids::ActionItemId;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(open)
        .service(agenda)
        .service(add_item)
        .service(remove_item)
        .service(decide)
        .service(close)
        .service(minutes)
        .service(list_action_items)
        .service(read_action_item)
        .service(add_action_item)
        .service(update_action_item);
}

/// Filters of the meeting list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingParams {
    pub status: Option<MeetingStatus>,
    /// The network whose sessions are listed (default: the district's Tavolo Sistema Lavoro).
    #[param(value_type = Option<String>)]
    pub network_id: Option<sistema_lavoro_domain::ids::NetworkId>,
}

/// A network's meetings, sorted by id (default: the district's table).
///
/// Pages through the sessions (sedute) of the Tavolo Sistema Lavoro of the coordinator's
/// district — or, with `network_id`, of that network — optionally in one state (`planned`,
/// `open`, `closed`), with agenda and decision counts. The table's: coordinator (Ufficio di
/// Piano) only (agencies and referrers learn the decisions through their cases and referrals).
/// Another network's: those who manage it and the users of its member organizations; a network
/// you do not see lists nothing.
#[utoipa::path(tag = "meetings", params(PageQuery, MeetingParams),
    responses((status = 200, body = Page<MeetingOut>)), security(("bearer" = [])))]
#[get("/meetings")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller<MeetingReaders>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<MeetingParams>,
) -> Result<Listed<MeetingOut>, ApiError> {
    let page = pq.request()?;
    let q = MeetingQuery {
        status: q.status,
        network_id: q.network_id.clone(),
    };
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::list(conn, cx, q, &page))
            .await?,
    ))
}

/// Plan a meeting.
///
/// Creates a `planned` session (seduta) of a network: the district's table (tavolo) by default
/// — coordinator only — or, with `network_id`, a forum session, assembly, stakeholder
/// consultation or working-group meeting of a network you manage (the coordinator; a network
/// coordinator for the networks its organization coordinates), with title, date, place, the
/// members attending and the topics. `422` for invalid fields (every one named at once: an
/// attendee that is not an active member of the network, a name too long), `403` for a
/// network you only belong to, `409` for a closed network.
#[utoipa::path(tag = "meetings", request_body = MeetingInput, params(IdempotencyKey),
    responses((status = 201, body = MeetingOut)), security(("bearer" = [])))]
#[post("/meetings")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller<HoldMeetings>,
    body: ValidJson<MeetingInput>,
) -> Result<Created<MeetingOut>, ApiError> {
    let m = state
        .run(caller, move |conn, cx| wf::create(conn, cx, body.0))
        .await?;
    Ok(Created(format!("/api/v1/meetings/{}", m.id), m))
}

/// One meeting.
///
/// Reads one session (seduta) with its state, attendees, topics, counts, `ETag` and the
/// actions possible now. The table's: coordinator of the district only; another network's:
/// those who manage it and its members' users. Anyone else answers `404`.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingOut)), security(("bearer" = [])))]
#[get("/meetings/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<Hidden<MeetingReaders>>,
    id: web::Path<String>,
) -> Result<Tagged<MeetingOut>, ApiError> {
    let id = path_id::<MeetingId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read(conn, cx, &id))
            .await?,
    ))
}

/// Change date, place, title or participants (until closed).
///
/// Absent fields stay as they are; the changed ones are recorded in the history. Those who run
/// the meeting's network (the table: the coordinator), with `If-Match` (`412` when stale);
/// `409` once the meeting is closed and its minutes (verbale) frozen.
#[utoipa::path(tag = "meetings", request_body = MeetingPatch,
    params(("id" = String, Path, description = "Meeting id"), RequireIfMatch),
    responses((status = 200, body = MeetingOut)), security(("bearer" = [])))]
#[patch("/meetings/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller<HoldMeetings>,
    id: web::Path<String>,
    body: ValidJson<MeetingPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<MeetingOut>, ApiError> {
    let id = path_id::<MeetingId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Open the meeting: at the table, every submitted (or previously deferred) referral goes on
/// the agenda and becomes `scheduled`. One meeting open at a time per network.
///
/// Moves a `planned` meeting to `open` and records the transition; decisions and action items
/// can then be recorded. Those who run the meeting's network; `409 meeting_already_open` while
/// another meeting of the same network is open, `409` when the meeting is not `planned`.
#[utoipa::path(tag = "meetings",
    params(("id" = String, Path, description = "Meeting id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = MeetingOut)), security(("bearer" = [])))]
#[post("/meetings/{id}/open")]
pub async fn open(
    state: web::Data<AppState>,
    caller: Caller<HoldMeetings>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<Tagged<MeetingOut>, ApiError> {
    let id = path_id::<MeetingId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| items::open(conn, cx, &id, &im.0))
            .await?,
    ))
}

/// The agenda (ordine del giorno) with each item's referral or case and its decision; for a
/// referral, the person's eligibility for each active measure.
///
/// Read-only view that the table works from: each item (a segnalazione to decide or a case to
/// review) with the decision recorded so far (esito del tavolo). Coordinator of the district
/// only; anyone else answers `404`.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, body = Agenda)), security(("bearer" = [])))]
#[get("/meetings/{id}/agenda")]
pub async fn agenda(
    state: web::Data<AppState>,
    caller: Caller<Hidden<CoordinatorOnly>>,
    id: web::Path<String>,
) -> Result<web::Json<Agenda>, ApiError> {
    let id = path_id::<MeetingId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| view::read(conn, cx, &id))
            .await?,
    ))
}

/// Add a waiting referral, or an open case to review, to an open meeting's agenda.
///
/// Give exactly one of `referral_id` (a `submitted` or `deferred` referral, which becomes
/// `scheduled`) and `case_id` (an open case of the district, e.g. to reassign it); returns the
/// updated agenda. Coordinator only; `422` for an unknown id or both/neither given.
#[utoipa::path(tag = "meetings", request_body = AgendaInput,
    params(("id" = String, Path, description = "Meeting id"), IdempotencyKey),
    responses((status = 200, body = Agenda),
        (status = 409, description = "The meeting is not open, or the case is already on the agenda", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/meetings/{id}/agenda")]
pub async fn add_item(
    state: web::Data<AppState>,
    caller: Caller<CoordinatorOnly>,
    id: web::Path<String>,
    body: ValidJson<AgendaInput>,
) -> Result<web::Json<Agenda>, ApiError> {
    let id = path_id::<MeetingId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                items::add_item(conn, cx, &id, body.0)
            })
            .await?,
    ))
}

/// Remove an item from an open meeting's agenda; a referral goes back to `submitted`.
///
/// The referral then waits for the next meeting (the transition is recorded), and any decision
/// recorded on the item goes with it; returns the updated agenda. Coordinator only; `404` for
/// an item not on this meeting's agenda.
#[utoipa::path(tag = "meetings",
    params(("id" = String, Path, description = "Meeting id"), ("item_id" = String, Path, description = "Agenda item id")),
    responses((status = 200, body = Agenda),
        (status = 409, description = "The meeting is not open", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/meetings/{id}/agenda/{item_id}")]
pub async fn remove_item(
    state: web::Data<AppState>,
    caller: Caller<CoordinatorOnly>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Agenda>, ApiError> {
    let (id, item) = path.into_inner();
    let (id, item) = (
        path_id::<MeetingId>("id", id)?,
        path_id::<AgendaItemId>("item_id", item)?,
    );
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                items::remove_item(conn, cx, &id, &item)
            })
            .await?,
    ))
}

/// Record (or replace) the decision on an agenda item. Nothing is applied until the meeting
/// closes.
///
/// For a referral (segnalazione): `accept` with the accredited agency and the measures to
/// propose, `reject`, `redirect`, `defer` or `request_info`; for a case review: `reassign` to
/// another agency or `confirm`. A reason (motivazione) is required except for `accept` and
/// `confirm`. Coordinator only; every field that does not fit is named at once in a `422`.
#[utoipa::path(tag = "meetings", request_body = DecisionInput,
    params(("id" = String, Path, description = "Meeting id"), IdempotencyKey),
    responses((status = 200, body = Agenda),
        (status = 409, description = "The meeting is not open, or the case has running measures", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/meetings/{id}/decisions")]
pub async fn decide(
    state: web::Data<AppState>,
    caller: Caller<CoordinatorOnly>,
    id: web::Path<String>,
    body: ValidJson<DecisionInput>,
) -> Result<web::Json<Agenda>, ApiError> {
    let id = path_id::<MeetingId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| {
                decisions::decide(conn, cx, &id, body.0)
            })
            .await?,
    ))
}

/// Close the meeting: every decision is applied in one transaction (cases created with their
/// proposed measures, referrals moved; referrals left undecided are deferred) and the minutes
/// are frozen. If anything fails, nothing is applied.
///
/// Every transition is recorded; `referral.decided` goes to each referring organization and
/// `case.assigned` to the agency and the referrer of each new or reassigned case (presa in
/// carico). Another network's meeting freezes its minutes with the members attending, the topics
/// and the action items. Those who run the meeting's network, optional `If-Match`; `409` when
/// the meeting is not `open`.
#[utoipa::path(tag = "meetings",
    params(("id" = String, Path, description = "Meeting id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = MeetingOut)), security(("bearer" = [])))]
#[post("/meetings/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    caller: Caller<HoldMeetings>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<Tagged<MeetingOut>, ApiError> {
    let id = path_id::<MeetingId>("id", id.into_inner())?;
    let days = state.config.overdue_days;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                closing::close(conn, cx, &id, &im.0, days)
            })
            .await?,
    ))
}

/// Format of the minutes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MinutesQuery {
    /// `markdown` (default), `html` (printable page) or `pdf`.
    pub format: Option<MinutesFormat>,
}

/// The minutes (verbale), in Italian: date, participants, members attending, topics, each
/// decision with its reason, action items. Frozen when the meeting closes; before that, a
/// draft.
///
/// Returns the verbale as Markdown (default), with `format=html` as a printable HTML page, with
/// `format=pdf` as a PDF (A4, embedded font, numbered pages). The table's: the coordinator reads
/// them whole; once frozen, the users of a member organization of the table read their copy,
/// with in full the persons their organization follows or referred and the others by initials
/// only. Another network's: those who manage it and its members' users. Anyone else `404`.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Meeting id"), MinutesQuery),
    responses((status = 200, description = "The minutes", content(
        (String = "text/markdown"), (String = "text/html"), (String = "application/pdf")))),
    security(("bearer" = [])))]
#[get("/meetings/{id}/minutes")]
pub async fn minutes(
    state: web::Data<AppState>,
    caller: Caller<Hidden<MeetingReaders>>,
    id: web::Path<String>,
    q: ValidQuery<MinutesQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id::<MeetingId>("id", id.into_inner())?;
    let (md, html) = state
        .run(caller, move |conn, cx| {
            let minutes = verbale::read(conn, cx, &id)?;
            // The minutes name persons: each read is in the audit log.
            sistema_lavoro_app::audit::record_read(conn, cx, "minutes", id.as_str())?;
            Ok(minutes)
        })
        .await?;
    Ok(match q.format.unwrap_or(MinutesFormat::Markdown) {
        MinutesFormat::Pdf => HttpResponse::Ok()
            .content_type("application/pdf")
            .body(verbale::pdf(&md)),
        MinutesFormat::Markdown => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(md),
        MinutesFormat::Html => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(html),
    })
}

/// The action items (impegni) of a meeting, and the open ones it follows up.
///
/// `items`: recorded at this meeting; `follow_up`: still open, recorded at earlier meetings of
/// the same network — what the meeting goes through first. Those who run the network's meetings
/// and its members' users (the table's: the coordinator); anyone else `404`.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, body = ActionItemList)), security(("bearer" = [])))]
#[get("/meetings/{id}/action-items")]
pub async fn list_action_items(
    state: web::Data<AppState>,
    caller: Caller<Hidden<MeetingReaders>>,
    id: web::Path<String>,
) -> Result<web::Json<ActionItemList>, ApiError> {
    let id = path_id::<MeetingId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| nm::action_items(conn, cx, &id))
            .await?,
    ))
}

/// Read one action item, with its `ETag`.
///
/// The version to send back in `If-Match` when changing it. Those who read its meeting (those
/// who run the network's meetings and its members' users); anyone else `404`.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Action item id")),
    responses((status = 200, body = ActionItemOut)), security(("bearer" = [])))]
#[get("/action-items/{id}")]
pub async fn read_action_item(
    state: web::Data<AppState>,
    caller: Caller<Hidden<MeetingReaders>>,
    id: web::Path<String>,
) -> Result<Tagged<ActionItemOut>, ApiError> {
    let id = path_id::<ActionItemId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| nm::action_item(conn, cx, &id))
            .await?,
    ))
}

/// Record an action item (impegno) at an open meeting.
///
/// A title, the member responsible (an active membership of the meeting's network) and a due
/// date; `open` until done or dropped. Those who run the meeting's network; `409` unless the
/// meeting is open, `422` for an owner that is not an active member.
#[utoipa::path(tag = "meetings", request_body = ActionItemInput,
    params(("id" = String, Path, description = "Meeting id"), IdempotencyKey),
    responses((status = 201, body = ActionItemOut)), security(("bearer" = [])))]
#[post("/meetings/{id}/action-items")]
pub async fn add_action_item(
    state: web::Data<AppState>,
    caller: Caller<HoldMeetings>,
    id: web::Path<String>,
    body: ValidJson<ActionItemInput>,
) -> Result<Created<ActionItemOut>, ApiError> {
    let id = path_id::<MeetingId>("id", id.into_inner())?;
    let a = state
        .run(caller, move |conn, cx| {
            nm::add_action_item(conn, cx, &id, body.0)
        })
        .await?;
    Ok(Created(
        format!("/api/v1/meetings/{}/action-items", a.meeting_id),
        a,
    ))
}

/// Change an action item, or mark it `done` or `dropped`.
///
/// While open: title, owner, due date. `status`: `done` or `dropped` from `open` only (`409`
/// otherwise), with a `reason` (required to drop). Every change is recorded. Those who run the
/// network's meetings, with `If-Match` (`412` when stale).
#[utoipa::path(tag = "meetings", request_body = ActionItemPatch,
    params(("id" = String, Path, description = "Action item id"), RequireIfMatch),
    responses((status = 200, body = ActionItemOut)), security(("bearer" = [])))]
#[patch("/action-items/{id}")]
pub async fn update_action_item(
    state: web::Data<AppState>,
    caller: Caller<HoldMeetings>,
    id: web::Path<String>,
    body: ValidJson<ActionItemPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<ActionItemOut>, ApiError> {
    let id = path_id::<ActionItemId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                nm::update_action_item(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}
