//! The caller's inbox over HTTP: notifications, the unread count, marking read, and how the
//! caller wants to be e-mailed about each kind.

use actix_web::{get, post, put, web};
use serde::Deserialize;
use sistema_lavoro_app::notifications::inbox::{self, NotificationOut, Preferences, UnreadCount};
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::ids::NotificationId;
use utoipa::IntoParams;

use super::extract::{Caller, PageQuery, People, ValidJson};
use super::params::{path_id, ValidQuery};
use super::precondition::RequireIfMatch;
use super::problem::ApiError;
use super::respond::{Listed, Tagged};
use super::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_notifications)
        .service(unread_count)
        .service(mark_all_read)
        .service(mark_read)
        .service(get_preferences)
        .service(set_preferences);
}

/// Filter of the inbox.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// `true`: only the notifications not yet marked read.
    pub unread: Option<bool>,
}

/// Your notifications, newest first.
///
/// Pages through the caller's own notifications (notifiche): a referral decided or information
/// requested (to its referrer), a case assigned (to the agency's operators), a follow-up
/// overdue or an outcome check due (to the case's operator), a meeting scheduled or its minutes
/// published (to the coordinators and the agencies with cases on its agenda), a threshold under
/// 10% (to the agency and the coordinators). Title and text are in the caller's language; the
/// unread count is at `GET /notifications/unread-count`. People only, never integration clients.
#[utoipa::path(tag = "notifications", params(NotificationQuery, PageQuery),
    responses((status = 200, body = Page<NotificationOut>)), security(("bearer" = [])))]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    caller: Caller<People>,
    q: ValidQuery<NotificationQuery>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<NotificationOut>, ApiError> {
    let unread = q.into_inner().unread.unwrap_or(false);
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| inbox::list(conn, cx, unread, &page))
            .await?,
    ))
}

/// How many of your notifications are unread.
///
/// The number the bell in the header shows; cheap enough to poll every minute.
#[utoipa::path(tag = "notifications",
    responses((status = 200, body = UnreadCount)), security(("bearer" = [])))]
#[get("/notifications/unread-count")]
pub async fn unread_count(
    state: web::Data<AppState>,
    caller: Caller<People>,
) -> Result<web::Json<UnreadCount>, ApiError> {
    Ok(web::Json(state.run(caller, inbox::unread_count).await?))
}

/// Mark one of your notifications read.
///
/// Sets `read_at` (marking it again changes nothing) and answers the notification. Another
/// person's notification is `404`, as if it did not exist.
#[utoipa::path(tag = "notifications",
    params(("id" = String, Path, description = "Notification id")),
    responses((status = 200, body = NotificationOut)), security(("bearer" = [])))]
#[post("/notifications/{id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    caller: Caller<People>,
    id: web::Path<String>,
) -> Result<web::Json<NotificationOut>, ApiError> {
    let id = path_id::<NotificationId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| inbox::mark_read(conn, cx, &id))
            .await?,
    ))
}

/// Mark all your notifications read.
///
/// Marks every unread notification of the caller read and answers the unread count (`0`).
#[utoipa::path(tag = "notifications",
    responses((status = 200, body = UnreadCount)), security(("bearer" = [])))]
#[post("/notifications/read-all")]
pub async fn mark_all_read(
    state: web::Data<AppState>,
    caller: Caller<People>,
) -> Result<web::Json<UnreadCount>, ApiError> {
    Ok(web::Json(state.run(caller, inbox::mark_all_read).await?))
}

/// How you are e-mailed about each kind of notification.
///
/// One entry per kind: `immediate` (one e-mail at once, the default), `daily_digest` (one
/// e-mail at 07:30 Europe/Rome with the notifications since the previous one) or `off` (no
/// e-mail). The inbox always has every notification. E-mails go out only when the server has
/// an SMTP server configured. The `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "notifications",
    responses((status = 200, body = Preferences)), security(("bearer" = [])))]
#[get("/me/notification-preferences")]
pub async fn get_preferences(
    state: web::Data<AppState>,
    caller: Caller<People>,
) -> Result<Tagged<Preferences>, ApiError> {
    Ok(Tagged(state.run(caller, inbox::preferences).await?))
}

/// Set how you are e-mailed about each kind of notification.
///
/// Replaces the caller's preferences: each kind listed gets its mode, a kind left out goes
/// back to `immediate`; a kind listed twice is `422`. Send the `ETag` of the read as `If-Match`
/// (`412` when they changed since). Answers the preferences of every kind.
#[utoipa::path(tag = "notifications", request_body = Preferences, params(RequireIfMatch),
    responses((status = 200, body = Preferences)), security(("bearer" = [])))]
#[put("/me/notification-preferences")]
pub async fn set_preferences(
    state: web::Data<AppState>,
    caller: Caller<People>,
    body: ValidJson<Preferences>,
    im: RequireIfMatch,
) -> Result<Tagged<Preferences>, ApiError> {
    let input = body.0;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                inbox::set_preferences(conn, cx, &im.0, input)
            })
            .await?,
    ))
}
