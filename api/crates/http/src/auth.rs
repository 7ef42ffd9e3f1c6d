//! Sign-in: login, refresh (rotating, replay-detecting), logout, and who am I.

use actix_web::{get, post, web, HttpResponse};
use sistema_lavoro_app::audit;
use sistema_lavoro_app::sessions::{self, LoginRequest, Me, RefreshRequest, TokenResponse};
use sistema_lavoro_app::signin;
use sistema_lavoro_domain::ErrorCode;

use super::extract::{lang_of, Anyone, Caller, Origin, ValidJson};
use super::problem::{ApiError, Problem};
use super::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(me);
}

/// Sign in with e-mail and password.
///
/// Opens a session and returns a short-lived access token (JWT, for `Authorization: Bearer`)
/// and a single-use refresh token. Needs no token. Wrong credentials and disabled accounts
/// answer the same `401`. Guessing is slowed, never locked: after repeated failures of an
/// account (from anywhere or from one address) or from one address (whatever the account)
/// within 15 minutes, each further attempt must wait a little longer and meanwhile answers
/// `429` with `Retry-After`. The client's address is the connection's, or the one a trusted
/// proxy (`TRUSTED_PROXIES`) puts in `X-Forwarded-For`.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong e-mail or password, or account disabled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: ValidJson<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let LoginRequest { email, password } = body.0;
    let lang = lang_of(&req);
    // Guessing is slowed per account, per account and address and per address (counted in
    // the database, for every instance), before any time is spent on a hash.
    let keys = signin::Keys::new(
        &email,
        &crate::limits::client_addr(&req, &state.config.trusted_proxies),
    );
    let limits = signin::Limits {
        per_account: state.config.login_max_failures,
        per_address: state.config.login_max_failures_per_address,
    };
    let k = keys.clone();
    let typed = email.clone();
    let account = state
        .public_in(lang, move |conn, now| {
            signin::check(conn, now.at, &k, limits)?;
            sessions::account(conn, &email)
        })
        .await?;
    let origin = Origin::of(&req);
    let context = audit::sign_in_context(
        account.as_ref(),
        origin.client_address.clone(),
        origin.request_id.clone(),
    );
    // The slow hash runs without holding a database connection.
    let checked = web::block(move || sessions::check_password(account, &password))
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?;
    let user = match checked {
        Ok(u) => u,
        Err(e) => {
            if e.code() == ErrorCode::InvalidCredentials && limits.per_account > 0 {
                let k = keys.clone();
                state
                    .public_in(lang, move |conn, now| signin::failed(conn, now.at, &k))
                    .await?;
            }
            // The failure is in the audit log before the answer leaves.
            state
                .public_in(lang, move |conn, now| {
                    audit::record_sign_in(conn, &context, now.at, false, &typed)
                })
                .await?;
            return Err(ApiError::new(e, lang));
        }
    };
    let st = state.clone();
    let tokens = state
        .public_in(lang, move |conn, now| {
            signin::succeeded(conn, &keys)?;
            let tokens = sessions::open_session(conn, &st.keys, now, &user)?;
            audit::record_sign_in(conn, &context, now.at, true, &typed)?;
            Ok(tokens)
        })
        .await?;
    Ok(web::Json(tokens))
}

/// Exchange a refresh token for a new pair. Each refresh token works once; presenting a spent
/// one revokes every token of that session (it was probably stolen).
///
/// Needs no access token: the refresh token is the credential. A spent token presented again
/// within a short grace period (the same client retrying) is not treated as theft; an unknown,
/// expired, revoked or reused token answers `401` and the user must sign in again.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: ValidJson<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let st = state.clone();
    let grace = state.config.refresh_reuse_grace_secs;
    Ok(web::Json(
        state
            .public_in(lang_of(&req), move |conn, now| {
                sessions::refresh(conn, &st.keys, now, grace, &body.0.refresh_token)
            })
            .await?,
    ))
}

/// Sign out: revokes the refresh token's whole session. Idempotent.
///
/// Needs no access token: send the refresh token of the session to end. Always answers `204`,
/// even for an unknown or already revoked token, so it tells nothing about which tokens exist.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out")),
    security(())
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: ValidJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    state
        .public_in(lang_of(&req), move |conn, now| {
            sessions::logout(conn, now, &body.0.refresh_token)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user, with organization and district.
///
/// Returns the caller's account: name, e-mail, role, organization (ente) and district (Ambito
/// territoriale). Any valid access token may call it; `401` when the token is missing,
/// invalid or expired, or the account was disabled or changed since the token was issued.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "Missing, invalid or expired token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []), ("client_credentials" = []))
)]
#[get("/me")]
pub async fn me(
    state: web::Data<AppState>,
    caller: Caller<Anyone>,
) -> Result<web::Json<Me>, ApiError> {
    Ok(web::Json(
        state
            .run(caller, |conn, cx| sessions::me(conn, cx.actor))
            .await?,
    ))
}
