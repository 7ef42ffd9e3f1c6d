//! Optimistic concurrency and safe retries, declared by the operations that take them: an
//! optional `If-Match` on actions, a required one on edits, `Idempotency-Key` on creations.
//! Each is an extractor the handler names and a header parameter its OpenAPI entry lists.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use sistema_lavoro_domain::{Error, Expected};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};
use utoipa::IntoParams;

use super::problem::ApiError;

fn if_match(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The `If-Match` sent, refused (`400`) past the length the document gives it: no list of
/// the versions we hand out is that long.
fn expected(req: &HttpRequest, required: bool) -> Result<Expected, ApiError> {
    let sent = if_match(req);
    let max = crate::params::IF_MATCH_MAX_LEN;
    if sent.as_deref().is_some_and(|s| s.chars().count() > max) {
        return Err(ApiError::of(
            req,
            Error::BadParameter(sistema_lavoro_domain::text!(
                "If-Match deve avere al massimo {} caratteri",
                "If-Match must be at most {} characters",
                max
            )),
        ));
    }
    Ok(Expected::from_if_match(sent.as_deref(), required))
}

fn header(name: &str, required: bool, description: &str, schema: ObjectBuilder) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(if required {
            Required::True
        } else {
            Required::False
        })
        .description(Some(description))
        .schema(Some(schema.schema_type(Type::String)))
        .build()
}

/// An optional `If-Match` (actions: their state machine already refuses stale moves).
#[derive(Debug, Clone)]
pub struct IfMatch(pub Expected);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(expected(req, false).map(IfMatch))
    }
}

impl IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![header(
            "If-Match",
            false,
            "Optional: the `ETag` of the version you read; `412` if it changed since",
            ObjectBuilder::new(),
        )]
    }
}

/// A required `If-Match` (edits): `428` without it, once the resource is known visible.
#[derive(Debug, Clone)]
pub struct RequireIfMatch(pub Expected);

impl FromRequest for RequireIfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(expected(req, true).map(RequireIfMatch))
    }
}

impl IntoParams for RequireIfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![header(
            "If-Match",
            true,
            "The `ETag` of the version you read (quoted Unix microseconds of `updated_at`), or `*`",
            ObjectBuilder::new(),
        )]
    }
}

/// `Idempotency-Key` of a creating `POST` (replayed by the idempotency middleware): listed in
/// the operation's parameters.
#[derive(Debug, Clone, Copy)]
pub struct IdempotencyKey;

impl IntoParams for IdempotencyKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![header(
            "Idempotency-Key",
            false,
            "Makes retries safe: the same key and body replay the first response for 24 hours",
            ObjectBuilder::new()
                .min_length(Some(1))
                .max_length(Some(255))
                .pattern(Some("^[!-~]+$")),
        )]
    }
}
