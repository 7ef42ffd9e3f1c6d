//! Sign-in: login, refresh (rotating, replay-detecting), logout, and who am I.

use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::extract::{AuthUser, ValidJson};
use super::problem::{ApiError, Problem};
use super::AppState;
use crate::security::{self, token_hash};
use crate::store::districts::District;
use crate::store::organizations::Organization;
use crate::store::tokens::{NewRefreshToken, RefreshToken};
use crate::store::users::User;
use crate::store::{new_id, now, write_tx, DbConn};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(me);
}

/// Credentials of a user.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"email": "coordinatore@demo.test", "password": "Demo-2026!"}))]
pub struct LoginRequest {
    /// E-mail address of the account.
    #[validate(length(min = 3, max = 254))]
    #[schema(min_length = 3, max_length = 254)]
    pub email: String,
    /// Password.
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub password: String,
}

/// A refresh token, to rotate or to revoke.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RefreshRequest {
    /// The refresh token returned by login or by the previous refresh.
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub refresh_token: String,
}

/// Tokens issued at login and refresh.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Short-lived JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Single-use token to get the next pair; reusing a spent one revokes the whole session.
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    pub refresh_expires_in: i64,
}

/// A reference to an organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationRef {
    pub id: String,
    /// Name (denominazione).
    pub name: String,
    /// Kind of organization.
    pub kind: crate::domain::OrganizationKind,
}

/// A reference to a district (Ambito territoriale).
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictRef {
    pub id: String,
    pub name: String,
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    /// Full name (nome e cognome).
    pub full_name: String,
    pub role: crate::domain::Role,
    /// The user's organization (ente), if any.
    pub organization: Option<OrganizationRef>,
    /// The user's district (Ambito), if any.
    pub district: Option<DistrictRef>,
}

fn bad_credentials() -> ApiError {
    ApiError::Unauthenticated("invalid_credentials", "e-mail or password is wrong".into())
}

fn issue_pair(
    conn: &mut DbConn,
    state: &AppState,
    user: &User,
    family_id: &str,
) -> Result<TokenResponse, ApiError> {
    let access = state
        .keys
        .issue(
            &user.id,
            &user.role,
            user.organization_id.as_deref(),
            user.district_id.as_deref(),
            &security::credential_stamp(&user.password_hash),
        )
        .map_err(ApiError::Internal)?;
    let refresh_plain = security::new_refresh_token();
    let at = now();
    RefreshToken::insert(
        conn,
        &NewRefreshToken {
            id: new_id(),
            user_id: &user.id,
            family_id,
            token_hash: &token_hash(&refresh_plain),
            expires_at: at + chrono::Duration::seconds(state.keys.refresh_ttl_secs),
            created_at: at,
        },
    )?;
    Ok(TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: state.keys.access_ttl_secs,
        refresh_token: refresh_plain,
        refresh_expires_in: state.keys.refresh_ttl_secs,
    })
}

/// Sign in with e-mail and password.
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
    let email = email.trim().to_lowercase();
    // Throttle guessing per account and per address, before spending time on a hash.
    let keys = [
        format!("email:{email}"),
        format!(
            "ip:{}",
            req.peer_addr()
                .map(|a| a.ip().to_string())
                .unwrap_or_default()
        ),
    ];
    state
        .login_throttle
        .check(&keys)
        .map_err(ApiError::RateLimited)?;
    let st = state.clone();
    let user = state
        .db(move |conn| Ok(User::find_by_email(conn, &email)?))
        .await?;
    // Verify even for unknown accounts, so timing does not reveal which e-mails exist.
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| security::dummy_hash().to_string());
    let ok = web::block(move || security::verify_password(&password, &hash)).await?;
    let user = match user {
        Some(u) if ok && u.active => u,
        _ => {
            state.login_throttle.failed(&keys);
            return Err(bad_credentials());
        }
    };
    state.login_throttle.succeeded(&keys[0]);
    let tokens = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                User::touch_login(conn, &user.id, now())?;
                issue_pair(conn, &st, &user, &new_id())
            })
        })
        .await?;
    Ok(web::Json(tokens))
}

/// Exchange a refresh token for a new pair. Each refresh token works once; presenting a spent
/// one revokes every token of that session (it was probably stolen).
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
    body: ValidJson<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let hash = token_hash(&body.0.refresh_token);
    let st = state.clone();
    let outcome = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let invalid = || {
                    ApiError::Unauthenticated(
                        "invalid_refresh_token",
                        "the refresh token is not valid".into(),
                    )
                };
                let token = RefreshToken::find_by_hash(conn, &hash)?.ok_or_else(invalid)?;
                let at = now();
                let ended = || {
                    ApiError::Unauthenticated(
                        "session_revoked",
                        "this session was ended: signed out, or the account was disabled or \
                         changed by an administrator; sign in again"
                            .into(),
                    )
                };
                if token.revoked_at.is_some() && token.used_at.is_none() {
                    return Err(ended());
                }
                if token.expires_at < at {
                    return Err(ApiError::Unauthenticated(
                        "refresh_token_expired",
                        "the refresh token has expired; sign in again".into(),
                    ));
                }
                let fresh = token.used_at.is_none() && RefreshToken::consume(conn, &token.id, at)?;
                if !fresh {
                    // Used already (re-read: a concurrent request may have just used it). A
                    // moment ago, by the same client retrying (a page reloaded while its
                    // refresh was in flight): a new pair in the same session. Later: a replay,
                    // which ends the session; say so after the transaction commits.
                    let used = RefreshToken::find_by_hash(conn, &hash)?.ok_or_else(invalid)?;
                    let grace = chrono::Duration::seconds(st.config.refresh_reuse_grace_secs);
                    let retried =
                        used.revoked_at.is_none() && used.used_at.is_some_and(|u| at - u <= grace);
                    if !retried {
                        RefreshToken::revoke_family(conn, &token.family_id, at)?;
                        return Ok(Err(ApiError::Unauthenticated(
                            "refresh_token_reused",
                            "this refresh token was already used; sign in again".into(),
                        )));
                    }
                }
                let user = User::find(conn, &token.user_id)?;
                if !user.active {
                    return Err(ended());
                }
                issue_pair(conn, &st, &user, &token.family_id).map(Ok)
            })
        })
        .await?;
    outcome.map(web::Json)
}

/// Sign out: revokes the refresh token's whole session. Idempotent.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out")),
    security(())
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: ValidJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let hash = token_hash(&body.0.refresh_token);
    state
        .db(move |conn| {
            if let Some(t) = RefreshToken::find_by_hash(conn, &hash)? {
                RefreshToken::revoke_family(conn, &t.family_id, now())?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user, with organization and district.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "Missing, invalid or expired token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Me>, ApiError> {
    let me = state
        .db(move |conn| {
            let u = User::find(conn, &user.id).map_err(|_| {
                ApiError::Unauthenticated("invalid_token", "the account no longer exists".into())
            })?;
            if !u.active {
                return Err(ApiError::Unauthenticated(
                    "account_disabled",
                    "the account is disabled".into(),
                ));
            }
            me_of(conn, u)
        })
        .await?;
    Ok(web::Json(me))
}

pub fn me_of(conn: &mut DbConn, u: User) -> Result<Me, ApiError> {
    let organization = match &u.organization_id {
        Some(id) => {
            let o = Organization::find(conn, id)?;
            Some(OrganizationRef {
                id: o.id,
                name: o.name,
                kind: crate::domain::OrganizationKind::from_db(&o.kind)?,
            })
        }
        None => None,
    };
    let district = match &u.district_id {
        Some(id) => {
            let d = District::find(conn, id)?;
            Some(DistrictRef {
                id: d.id,
                name: d.name,
            })
        }
        None => None,
    };
    Ok(Me {
        id: u.id,
        email: u.email,
        full_name: u.full_name,
        role: crate::domain::Role::from_db(&u.role)?,
        organization,
        district,
    })
}
