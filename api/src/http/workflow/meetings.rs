//! `/meetings`: the monthly table's sessions, agenda, decisions, closing and minutes.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{created, page};
use crate::domain::states::MeetingStatus;
use crate::http::extract::{AuthUser, Authorized, CoordinatorOnly, Page, PageQuery, ValidJson};
use crate::http::problem::ApiError;
use crate::http::AppState;
use crate::store::meetings::Meeting;
use crate::workflow::meetings::{
    self as wf, Agenda, AgendaInput, DecisionInput, MeetingInput, MeetingOut, MeetingPatch,
};

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
        .service(minutes);
}

/// Filters of the meeting list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingQuery {
    pub status: Option<MeetingStatus>,
}

/// The district's meetings (coordinator), sorted by id.
#[utoipa::path(tag = "meetings", params(PageQuery, MeetingQuery), responses((status = 200, body = Page<MeetingOut>)))]
#[get("/meetings")]
pub async fn list(
    state: web::Data<AppState>,
    user: Authorized<CoordinatorOnly>,
    pq: web::Query<PageQuery>,
    q: web::Query<MeetingQuery>,
) -> Result<web::Json<Page<MeetingOut>>, ApiError> {
    let limit = pq.limit()?;
    let after = pq.after.clone();
    let status = q.status.map(|s| s.as_str().to_string());
    let user = user.0;
    let page = state
        .db(move |conn| {
            let rows = Meeting::list(
                conn,
                user.district()?,
                status.as_deref(),
                after.as_deref(),
                limit,
            )?;
            page(rows, limit, |m| m.id.clone(), |m| wf::out(conn, m))
        })
        .await?;
    Ok(web::Json(page))
}

/// Plan a meeting.
#[utoipa::path(tag = "meetings", request_body = MeetingInput, responses((status = 201, body = MeetingOut)))]
#[post("/meetings")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ValidJson<MeetingInput>,
) -> Result<HttpResponse, ApiError> {
    let m = state
        .db(move |conn| wf::create(conn, &user, body.0))
        .await?;
    Ok(created(format!("/api/v1/meetings/{}", m.id), m))
}

/// One meeting.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Meeting id")), responses((status = 200, body = MeetingOut)))]
#[get("/meetings/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<MeetingOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db(move |conn| {
                let m = wf::visible(conn, &user, &id)?;
                wf::out(conn, m)
            })
            .await?,
    ))
}

/// Change date, place, title or participants (until closed).
#[utoipa::path(tag = "meetings", request_body = MeetingPatch, params(("id" = String, Path, description = "Meeting id")), responses((status = 200, body = MeetingOut)))]
#[patch("/meetings/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<MeetingPatch>,
    im: crate::http::precondition::RequireIfMatch,
) -> Result<web::Json<MeetingOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| wf::update(conn, &user, &id, body.0))
            .await?,
    ))
}

/// Open the meeting: every submitted (or previously deferred) referral goes on the agenda
/// and becomes `scheduled`. One meeting open at a time per district.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Meeting id")), responses((status = 200, body = MeetingOut)))]
#[post("/meetings/{id}/open")]
pub async fn open(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<MeetingOut>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| wf::open(conn, &user, &id))
            .await?,
    ))
}

/// The agenda (ordine del giorno) with each item's referral or case and its decision.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Meeting id")), responses((status = 200, body = Agenda)))]
#[get("/meetings/{id}/agenda")]
pub async fn agenda(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Agenda>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state.db(move |conn| wf::agenda(conn, &user, &id)).await?,
    ))
}

/// Add a waiting referral, or an open case to review, to an open meeting's agenda.
#[utoipa::path(tag = "meetings", request_body = AgendaInput, params(("id" = String, Path, description = "Meeting id")), responses((status = 200, body = Agenda)))]
#[post("/meetings/{id}/agenda")]
pub async fn add_item(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<AgendaInput>,
) -> Result<web::Json<Agenda>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db(move |conn| wf::add_item(conn, &user, &id, body.0))
            .await?,
    ))
}

/// Remove an item from an open meeting's agenda; a referral goes back to `submitted`.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Meeting id"), ("item_id" = String, Path, description = "Agenda item id")), responses((status = 200, body = Agenda)))]
#[delete("/meetings/{id}/agenda/{item_id}")]
pub async fn remove_item(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Agenda>, ApiError> {
    let (id, item) = path.into_inner();
    Ok(web::Json(
        state
            .db(move |conn| wf::remove_item(conn, &user, &id, &item))
            .await?,
    ))
}

/// Record (or replace) the decision on an agenda item. Nothing is applied until the meeting
/// closes.
#[utoipa::path(tag = "meetings", request_body = DecisionInput, params(("id" = String, Path, description = "Meeting id")), responses((status = 200, body = Agenda)))]
#[post("/meetings/{id}/decisions")]
pub async fn decide(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: ValidJson<DecisionInput>,
) -> Result<web::Json<Agenda>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db(move |conn| wf::decide(conn, &user, &id, body.0))
            .await?,
    ))
}

/// Close the meeting: every decision is applied in one transaction (cases created with their
/// proposed measures, referrals moved; referrals left undecided are deferred) and the minutes
/// are frozen. If anything fails, nothing is applied.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Meeting id")), responses((status = 200, body = MeetingOut)))]
#[post("/meetings/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    im: crate::http::precondition::IfMatch,
) -> Result<web::Json<MeetingOut>, ApiError> {
    let id = id.into_inner();
    let days = state.config.overdue_days;
    Ok(web::Json(
        state
            .db_if(im.on(&id), move |conn| wf::close(conn, &user, &id, days))
            .await?,
    ))
}

/// Format of the minutes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MinutesQuery {
    /// `markdown` (default) or `html` (printable page).
    pub format: Option<MinutesFormat>,
}

crate::string_enum! {
    /// Format of the minutes.
    MinutesFormat { Markdown => "markdown", Html => "html" }
}

/// The minutes (verbale), in Italian: date, participants, each decision with its reason.
/// Frozen when the meeting closes; before that, a draft.
#[utoipa::path(tag = "meetings", params(("id" = String, Path, description = "Meeting id"), MinutesQuery),
    responses((status = 200, description = "The minutes", content(
        (String = "text/markdown"), (String = "text/html")))))]
#[get("/meetings/{id}/minutes")]
pub async fn minutes(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    q: web::Query<MinutesQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (md, html) = state
        .db(move |conn| wf::get_minutes(conn, &user, &id))
        .await?;
    Ok(match q.format.unwrap_or(MinutesFormat::Markdown) {
        MinutesFormat::Markdown => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(md),
        MinutesFormat::Html => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(html),
    })
}
