//! The API's one error type and the one place it becomes RFC 9457 `application/problem+json`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field, in the caller's terms.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `tax_code`, `person.first_name`, `needs[1]`.
    #[schema(example = "tax_code")]
    pub field: String,
    /// Stable machine code of the rule that failed, e.g. `required`, `checksum`, `length`.
    #[schema(example = "checksum")]
    pub code: String,
    /// Human-readable explanation.
    #[schema(example = "the check character should be 'S'")]
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// RFC 9457 problem details, as every error of this API is returned.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:sistema-lavoro:problem:validation_failed",
    "title": "Validation failed",
    "status": 422,
    "detail": "1 field is invalid",
    "code": "validation_failed",
    "errors": [{"field": "tax_code", "code": "checksum", "message": "the check character should be 'S'"}]
}))]
pub struct Problem {
    /// URI identifying the problem type: `urn:sistema-lavoro:problem:<code>`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Short summary of the problem type.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// Explanation specific to this occurrence.
    pub detail: String,
    /// Stable machine code (the last part of `type`).
    pub code: String,
    /// Invalid fields, all at once (validation errors only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `409` on a state transition: the resource's current state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_state: Option<String>,
    /// For `409 duplicate`: the id of the record that already exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<String>,
}

/// Everything that can go wrong in a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not valid JSON or does not fit the schema's types.
    #[error("{0}")]
    MalformedBody(String),
    /// A path or query parameter cannot be parsed.
    #[error("{0}")]
    BadParameter(String),
    #[error("missing or invalid credentials: {0}")]
    Unauthenticated(&'static str, String),
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed(Vec<String>),
    #[error("{detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        existing_id: Option<String>,
    },
    /// An action that the resource's current state does not allow.
    #[error("cannot {action} a {entity} that is {from}")]
    InvalidTransition {
        entity: &'static str,
        action: &'static str,
        from: String,
    },
    /// `If-Match` names another version than the current one (carried here).
    #[error("the resource has changed since you read it (current ETag {0}); reload it and retry")]
    PreconditionFailed(String),
    #[error("this edit needs an If-Match header with the ETag of the version you read")]
    PreconditionRequired,
    #[error("too many requests; retry in {0} seconds")]
    RateLimited(u64),
    #[error("{0}")]
    IdempotencyMismatch(String),
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("unsupported content type: {0}")]
    UnsupportedMediaType(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("the service is unavailable: {0}")]
    Unavailable(String),
    /// A bug or infrastructure failure; the detail is logged, never returned.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn validation(field: &str, code: &str, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::Conflict {
            code,
            detail: detail.into(),
            existing_id: None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedBody(_) => "malformed_body",
            ApiError::BadParameter(_) => "bad_parameter",
            ApiError::Unauthenticated(code, _) => code,
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::Conflict { code, .. } => code,
            ApiError::InvalidTransition { .. } => "invalid_transition",
            ApiError::PreconditionFailed(_) => "precondition_failed",
            ApiError::PreconditionRequired => "precondition_required",
            ApiError::RateLimited(_) => "rate_limited",
            ApiError::IdempotencyMismatch(_) => "idempotency_key_reused",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::Validation(_) => "validation_failed",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::MalformedBody(_) => "Malformed request body",
            ApiError::BadParameter(_) => "Invalid parameter",
            ApiError::Unauthenticated(..) => "Authentication required",
            ApiError::Forbidden(_) => "Forbidden",
            ApiError::NotFound => "Not found",
            ApiError::MethodNotAllowed(_) => "Method not allowed",
            ApiError::Conflict { .. } => "Conflict",
            ApiError::InvalidTransition { .. } => "Action not allowed in the current state",
            ApiError::PreconditionFailed(_) => "Precondition failed",
            ApiError::PreconditionRequired => "Precondition required",
            ApiError::RateLimited(_) => "Too many requests",
            ApiError::IdempotencyMismatch(_) => "Idempotency key reused",
            ApiError::PayloadTooLarge(_) => "Request body too large",
            ApiError::UnsupportedMediaType(_) => "Unsupported media type",
            ApiError::Validation(_) => "Validation failed",
            ApiError::Unavailable(_) => "Service unavailable",
            ApiError::Internal(_) => "Internal server error",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::NotFound => "the resource does not exist or is not visible to you".into(),
            ApiError::Validation(errors) => match errors.len() {
                1 => format!("{}: {}", errors[0].field, errors[0].message),
                n => format!("{n} fields are invalid"),
            },
            ApiError::Internal(_) => "an unexpected error occurred; it has been logged".into(),
            ApiError::Unauthenticated(_, d) => d.clone(),
            ApiError::MethodNotAllowed(allowed) => {
                format!("allowed methods: {}", allowed.join(", "))
            }
            other => other.to_string(),
        }
    }

    pub fn problem(&self) -> Problem {
        let mut errors = match self {
            ApiError::Validation(e) => e.clone(),
            _ => vec![],
        };
        errors.sort();
        errors.dedup();
        Problem {
            type_: format!("urn:sistema-lavoro:problem:{}", self.code()),
            title: self.title().into(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code: self.code().into(),
            errors,
            current_state: match self {
                ApiError::InvalidTransition { from, .. } => Some(from.clone()),
                _ => None,
            },
            existing_id: match self {
                ApiError::Conflict { existing_id, .. } => existing_id.clone(),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MalformedBody(_) | ApiError::BadParameter(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated(..) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } | ApiError::InvalidTransition { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::IdempotencyMismatch(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(detail) = self {
            log::error!("internal error: {detail}");
        }
        let mut builder = HttpResponse::build(self.status_code());
        builder.content_type("application/problem+json");
        match self {
            ApiError::Unauthenticated(..) => {
                builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::MethodNotAllowed(allowed) => {
                builder.insert_header((header::ALLOW, allowed.join(", ")));
            }
            ApiError::RateLimited(secs) => {
                builder.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            ApiError::PreconditionFailed(current) => {
                builder.insert_header((header::ETAG, current.clone()));
            }
            _ => {}
        }
        let body = serde_json::to_string(&self.problem())
            .unwrap_or_else(|_| String::from("{\"status\":500}"));
        builder.body(body)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                ApiError::conflict("duplicate", "a record with the same unique values exists")
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                ApiError::conflict("concurrent_update", "a concurrent change won; retry")
            }
            other => ApiError::Internal(format!("database: {other}")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        ApiError::Unavailable(format!("database connection: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(format!("blocking task: {e}"))
    }
}

/// Flattens validator's nested error maps into sorted `field` paths (`a.b[1].c`).
pub fn flatten_validation(errors: &validator::ValidationErrors) -> Vec<FieldError> {
    fn walk(prefix: &str, errors: &validator::ValidationErrors, out: &mut Vec<FieldError>) {
        use validator::ValidationErrorsKind as K;
        for (field, kind) in errors.errors() {
            let path = if prefix.is_empty() {
                field.to_string()
            } else {
                format!("{prefix}.{field}")
            };
            match kind {
                K::Field(list) => {
                    for e in list {
                        let message = e
                            .message
                            .as_ref()
                            .map(|m| m.to_string())
                            .unwrap_or_else(|| default_message(e));
                        out.push(FieldError::new(path.clone(), e.code.to_string(), message));
                    }
                }
                K::Struct(inner) => walk(&path, inner, out),
                K::List(items) => {
                    for (i, inner) in items {
                        walk(&format!("{path}[{i}]"), inner, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk("", errors, &mut out);
    out.sort();
    out
}

fn default_message(e: &validator::ValidationError) -> String {
    let p = |k: &str| e.params.get(k).map(|v| v.to_string());
    let unit = if e.params.get("value").is_some_and(|v| v.is_array()) {
        "items"
    } else {
        "characters"
    };
    match e.code.as_ref() {
        "length" => match (p("equal"), p("min"), p("max")) {
            (Some(n), _, _) => format!("must be exactly {n} {unit}"),
            (None, Some(min), Some(max)) => format!("must be between {min} and {max} {unit}"),
            (None, Some(min), None) => format!("must be at least {min} {unit}"),
            (None, None, Some(max)) => format!("must be at most {max} {unit}"),
            _ => "has the wrong length".into(),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".into(),
        },
        "email" => "must be a valid e-mail address".into(),
        "required" => "is required".into(),
        other => format!("is invalid ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_maps_to_a_problem_with_its_status_and_code() {
        let cases = [
            (ApiError::MalformedBody("x".into()), 400),
            (ApiError::BadParameter("x".into()), 400),
            (ApiError::Unauthenticated("token_expired", "x".into()), 401),
            (ApiError::Forbidden("x".into()), 403),
            (ApiError::NotFound, 404),
            (ApiError::MethodNotAllowed(vec!["GET".into()]), 405),
            (ApiError::conflict("duplicate", "x"), 409),
            (
                ApiError::InvalidTransition {
                    entity: "referral",
                    action: "submit",
                    from: "accepted".into(),
                },
                409,
            ),
            (ApiError::PayloadTooLarge(10), 413),
            (ApiError::PreconditionFailed("\"1\"".into()), 412),
            (ApiError::PreconditionRequired, 428),
            (ApiError::RateLimited(3), 429),
            (ApiError::IdempotencyMismatch("x".into()), 422),
            (ApiError::UnsupportedMediaType("text/plain".into()), 415),
            (ApiError::validation("a", "required", "is required"), 422),
            (ApiError::Unavailable("x".into()), 503),
            (ApiError::Internal("secret sql".into()), 500),
        ];
        for (err, status) in cases {
            let p = err.problem();
            assert_eq!(p.status, status, "{err:?}");
            assert_eq!(p.type_, format!("urn:sistema-lavoro:problem:{}", p.code));
            assert!(!p.detail.contains("secret sql"));
        }
    }

    #[test]
    fn invalid_transition_names_both_states() {
        let e = ApiError::InvalidTransition {
            entity: "referral",
            action: "submit",
            from: "accepted".into(),
        };
        let p = e.problem();
        assert!(p.detail.contains("submit") && p.detail.contains("accepted"));
        assert_eq!(p.current_state.as_deref(), Some("accepted"));
    }
}
