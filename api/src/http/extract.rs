//! Extractors: the signed-in user (and role gates), validated JSON bodies, pagination.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::problem::{flatten_validation, ApiError};
use super::AppState;
use crate::domain::Role;
use crate::security::TokenError;

/// Largest request body accepted anywhere; [`body_limit`] gives each route its own, lower one.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The largest body a route accepts, by its resource (the path segment after `/api/v1/`;
/// `path` may be a request path or an OpenAPI path template). Each is well above the longest
/// body its operations can validly take, even with every text at its maximum length written
/// as JSON `\u` escapes; published as each operation's `413` response in openapi.yaml.
pub fn body_limit(path: &str) -> usize {
    let rest = path.strip_prefix("/api/v1/").unwrap_or(path);
    match rest.split('/').next().unwrap_or("") {
        // Credentials and refresh tokens only.
        "auth" => 8 * 1024,
        // Names, e-mail addresses, scopes.
        "integration-clients" | "users" => 16 * 1024,
        // A URL of up to 2000 characters and a list of event types.
        "webhooks" | "webhook-deliveries" => 32 * 1024,
        // Up to 500 ISTAT codes.
        "districts" => 64 * 1024,
        // Meetings: up to 100 participants, agenda decisions with reasons.
        "meetings" => MAX_BODY_BYTES,
        // Persons, referrals, cases, activations, catalogue: texts of up to 4000 characters.
        _ => 128 * 1024,
    }
}

/// The caller, from a valid Bearer access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// The user's id, or `client:<id>` for an integration client.
    pub id: String,
    pub role: Role,
    pub organization_id: Option<String>,
    pub district_id: Option<String>,
    /// Integration clients only: what they were granted.
    pub scopes: Option<Vec<String>>,
}

impl AuthUser {
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }

    /// The caller's district, required for every workflow record.
    pub fn district(&self) -> Result<&str, ApiError> {
        self.district_id
            .as_deref()
            .ok_or_else(|| ApiError::Forbidden("your account is not attached to a district".into()))
    }

    pub fn organization(&self) -> Result<&str, ApiError> {
        self.organization_id.as_deref().ok_or_else(|| {
            ApiError::Forbidden("your account is not attached to an organization".into())
        })
    }
}

fn bearer(req: &HttpRequest) -> Result<&str, ApiError> {
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::Unauthenticated(
                "unauthenticated",
                "an Authorization: Bearer token is required".into(),
            )
        })?;
    let value = header.to_str().map_err(|_| {
        ApiError::Unauthenticated(
            "invalid_token",
            "the Authorization header is not text".into(),
        )
    })?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err(ApiError::Unauthenticated(
            "invalid_token",
            "the Authorization header must be 'Bearer <token>'".into(),
        )),
    }
}

/// What the token claims, checked for signature, expiry and scope but not yet against the
/// database: `(state, user, credential stamp)`.
type Claimed = (web::Data<AppState>, AuthUser, Option<String>);

fn claimed(req: &HttpRequest) -> Result<Claimed, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("app state missing".into()))?
        .clone();
    let invalid =
        || ApiError::Unauthenticated("invalid_token", "the access token is not valid".into());
    let claims = state.keys.verify(bearer(req)?).map_err(|e| match e {
        TokenError::Expired => ApiError::Unauthenticated(
            "token_expired",
            "the access token has expired; refresh it".into(),
        ),
        TokenError::Invalid => invalid(),
    })?;
    let role = Role::parse(&claims.role).ok_or_else(invalid)?;
    if let Some(scopes) = &claims.scp {
        check_scope(req, scopes)?;
    }
    let user = AuthUser {
        id: claims.sub,
        role,
        organization_id: claims.org,
        district_id: claims.dst,
        scopes: claims.scp,
    };
    Ok((state, user, claims.cst))
}

/// The claimed user, once the database confirms the grant still holds.
async fn confirmed(
    state: web::Data<AppState>,
    user: AuthUser,
    stamp: Option<String>,
) -> Result<AuthUser, ApiError> {
    state
        .db(move |conn| grant_is_current(conn, &user, stamp.as_deref()).map(|()| user))
        .await
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<AuthUser, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let claimed = claimed(req);
        Box::pin(async move {
            let (state, user, stamp) = claimed?;
            confirmed(state, user, stamp).await
        })
    }
}

/// A signed token stays good only while what it grants does: an account disabled, given
/// another role, organization or district, or a new password, and a client revoked, given a
/// new secret, other scopes or another organization, end their tokens at the next request
/// (`401 token_revoked`), on every instance, without waiting for them to expire.
fn grant_is_current(
    conn: &mut crate::store::DbConn,
    user: &AuthUser,
    stamp: Option<&str>,
) -> Result<(), ApiError> {
    use crate::security::credential_stamp;
    use diesel::prelude::*;
    let revoked = || {
        ApiError::Unauthenticated(
            "token_revoked",
            "this token was revoked: the account or client was disabled or changed; sign in again"
                .into(),
        )
    };
    let stamped = |hash: &str| stamp.is_some_and(|s| s == credential_stamp(hash));
    if let Some(client) = user.id.strip_prefix("client:") {
        use crate::store::schema::integration_clients as c;
        let row: Option<(bool, String, String, String)> = c::table
            .find(client)
            .select((c::active, c::organization_id, c::scopes, c::secret_hash))
            .first(conn)
            .optional()?;
        let Some((active, org, scopes, secret_hash)) = row else {
            return Err(revoked());
        };
        let granted: Vec<String> = serde_json::from_str(&scopes).unwrap_or_default();
        let scopes_held = user
            .scopes
            .as_deref()
            .unwrap_or_default()
            .iter()
            .all(|s| granted.contains(s));
        let current = active
            && scopes_held
            && user.organization_id.as_deref() == Some(org.as_str())
            && stamped(&secret_hash);
        return if current { Ok(()) } else { Err(revoked()) };
    }
    use crate::store::schema::users as u;
    /// Active, role, organization, district, password hash.
    type Grant = (bool, String, Option<String>, Option<String>, String);
    let row: Option<Grant> = u::table
        .find(&user.id)
        .select((
            u::active,
            u::role,
            u::organization_id,
            u::district_id,
            u::password_hash,
        ))
        .first(conn)
        .optional()?;
    match row {
        Some((true, role, org, district, hash))
            if role == user.role.as_str()
                && org == user.organization_id
                && district == user.district_id
                && stamped(&hash) =>
        {
            Ok(())
        }
        _ => Err(revoked()),
    }
}

/// The scope an integration client needs for a request, by resource and method; `None`:
/// any granted scope will do (catalogue and reference data); `Some("")`: never for clients.
pub fn required_scope(method: &actix_web::http::Method, path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix("/api/v1/").unwrap_or(path);
    let resource = rest.split('/').next().unwrap_or("");
    let read = method == actix_web::http::Method::GET;
    match resource {
        "referrals" | "persons" => Some(if read {
            "referrals:read"
        } else {
            "referrals:write"
        }),
        "cases" | "activations" => Some(if read { "cases:read" } else { "cases:write" }),
        "webhooks" | "webhook-deliveries" => Some("webhooks:manage"),
        "me" | "measures" | "thresholds" | "municipalities" | "organizations" | "health"
            if read =>
        {
            None
        }
        _ => Some(""),
    }
}

fn check_scope(req: &HttpRequest, scopes: &[String]) -> Result<(), ApiError> {
    match required_scope(req.method(), req.path()) {
        None if !scopes.is_empty() => Ok(()),
        Some(s) if !s.is_empty() && scopes.iter().any(|g| g == s) => Ok(()),
        Some("") | None => Err(ApiError::Forbidden(
            "integration clients may not use this operation".into(),
        )),
        Some(s) => Err(ApiError::Forbidden(format!(
            "this client lacks the {s} scope"
        ))),
    }
}

/// A set of roles allowed to call an operation.
pub trait RoleSet {
    const ROLES: &'static [Role];
}

/// The caller, known to hold one of `R::ROLES` (else `403`).
#[derive(Debug)]
pub struct Authorized<R: RoleSet>(pub AuthUser, PhantomData<R>);

impl<R: RoleSet> std::ops::Deref for Authorized<R> {
    type Target = AuthUser;
    fn deref(&self) -> &AuthUser {
        &self.0
    }
}

impl<R: RoleSet> FromRequest for Authorized<R> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // The role is checked on the token's claims before anything else is awaited, so a
        // caller without the role gets 403 before the body is looked at.
        let claimed = claimed(req).and_then(|(state, user, stamp)| {
            if R::ROLES.contains(&user.role) {
                Ok((state, user, stamp))
            } else {
                Err(ApiError::Forbidden(format!(
                    "the {} role may not do this",
                    user.role.as_str()
                )))
            }
        });
        Box::pin(async move {
            let (state, user, stamp) = claimed?;
            Ok(Authorized(
                confirmed(state, user, stamp).await?,
                PhantomData,
            ))
        })
    }
}

macro_rules! role_set {
    ($name:ident: $($role:ident),+) => {
        #[derive(Debug)]
        pub struct $name;
        impl RoleSet for $name { const ROLES: &'static [Role] = &[$(Role::$role),+]; }
    };
}

role_set!(AdminOnly: Admin);
role_set!(CoordinatorOnly: Coordinator);
role_set!(AdminOrCoordinator: Admin, Coordinator);
role_set!(ReferrerOnly: Referrer);
role_set!(Casework: Coordinator, AgencyOperator);
role_set!(AgencyOnly: AgencyOperator);
role_set!(WorkflowRoles: Coordinator, Referrer, AgencyOperator);
role_set!(ReferralRoles: Coordinator, Referrer);

/// A JSON body, parsed (type errors name the field) and validated (all field errors at once).
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// Parses a body already read into bytes; shared by `ValidJson` and tests.
pub fn parse_json<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::MalformedBody(format!("the body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::MalformedBody(
            "the body must be a JSON object".into(),
        ));
    }
    let parsed: T = serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner().to_string();
        let (code, message) = if inner.starts_with("missing field") {
            let name = inner.split('`').nth(1).unwrap_or("");
            return ApiError::Validation(vec![super::problem::FieldError::new(
                if field == "." {
                    name.to_string()
                } else {
                    format!("{field}.{name}")
                },
                "required",
                "is required",
            )]);
        } else if inner.starts_with("unknown variant") {
            (
                "enum",
                inner.split(" at line").next().unwrap_or(&inner).to_string(),
            )
        } else {
            (
                "type",
                inner.split(" at line").next().unwrap_or(&inner).to_string(),
            )
        };
        ApiError::Validation(vec![super::problem::FieldError::new(
            if field == "." {
                "body".to_string()
            } else {
                field
            },
            code,
            message,
        )])
    })?;
    parsed
        .validate()
        .map_err(|e| ApiError::Validation(flatten_validation(&e)))?;
    Ok(parsed)
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if !is_json(req) {
            let ct = req
                .headers()
                .get(actix_web::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_string();
            return Box::pin(async move {
                Err(ApiError::UnsupportedMediaType(format!(
                    "{ct}; send Content-Type: application/json"
                )))
            });
        }
        let mut payload = payload.take();
        let limit = body_limit(req.path());
        Box::pin(async move {
            use futures_util::StreamExt;
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| match e {
                    PayloadError::Overflow => ApiError::PayloadTooLarge(limit),
                    other => ApiError::MalformedBody(format!("cannot read the body: {other}")),
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge(limit));
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(ValidJson)
        })
    }
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        ApiError::BadParameter(format!("invalid query parameter: {err}")).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _| {
        ApiError::BadParameter(format!("invalid path parameter: {err}")).into()
    })
}

/// Pagination of every list: `limit` (1–200, default 50) and the cursor `after`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 200 (larger values are capped at 200). Default 50.
    #[param(minimum = 1, example = 50)]
    pub limit: Option<i64>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(50),
            Some(n) if n < 1 => Err(ApiError::BadParameter("limit must be at least 1".into())),
            Some(n) => Ok(n.min(200)),
        }
    }
}

/// One page of a list, sorted stably; `next` is the cursor for the following page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Cursor for the next page (pass it as `after`), or null on the last page.
    pub next: Option<String>,
}

impl<T: ToSchema> Page<T> {
    /// Builds a page from `limit + 1` rows fetched: the extra row only says there is more.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        limit: i64,
        cursor: impl Fn(&R) -> String,
        map: impl Fn(R) -> T,
    ) -> Page<T> {
        let more = rows.len() as i64 > limit;
        if more {
            rows.truncate(limit as usize);
        }
        let next = if more { rows.last().map(&cursor) } else { None };
        Page {
            items: rows.into_iter().map(map).collect(),
            next,
        }
    }
}

/// Lists that are sorted by something other than the id carry it in the cursor.
pub fn parse_cursor(after: &Option<String>) -> Option<&str> {
    after.as_deref().filter(|s| !s.is_empty())
}

/// An optional JSON body (actions with an optional reason): an empty body means `T::default()`.
#[derive(Debug)]
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Validate + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let empty = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "0")
            || (req
                .headers()
                .get(actix_web::http::header::CONTENT_TYPE)
                .is_none()
                && req
                    .headers()
                    .get(actix_web::http::header::TRANSFER_ENCODING)
                    .is_none());
        if empty {
            return Box::pin(async { Ok(OptionalJson(T::default())) });
        }
        let json = is_json(req);
        let mut payload = payload.take();
        let limit = body_limit(req.path());
        Box::pin(async move {
            use futures_util::StreamExt;
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk
                    .map_err(|e| ApiError::MalformedBody(format!("cannot read the body: {e}")))?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge(limit));
                }
                body.extend_from_slice(&chunk);
            }
            let text = std::str::from_utf8(&body)
                .map_err(|_| ApiError::MalformedBody("the body is not valid UTF-8".into()))?
                .trim();
            if text.is_empty() || text == "null" {
                return Ok(OptionalJson(T::default()));
            }
            if !json {
                return Err(ApiError::UnsupportedMediaType(
                    "send Content-Type: application/json".into(),
                ));
            }
            parse_json(&body).map(OptionalJson)
        })
    }
}
