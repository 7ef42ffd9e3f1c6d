//! The one place the domain's [`Error`] becomes RFC 9457 `application/problem+json`: the
//! HTTP status of each stable code, the headers some carry, the body.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use sistema_lavoro_domain::{Error, ErrorCode, FieldError};
use utoipa::ToSchema;

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
    pub code: ErrorCode,
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

/// The HTTP status of each code: the compiler sees that none is missing.
pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode as C;
    match code {
        C::MalformedBody | C::BadParameter => StatusCode::BAD_REQUEST,
        C::Unauthenticated
        | C::InvalidToken
        | C::TokenExpired
        | C::TokenRevoked
        | C::InvalidCredentials
        | C::InvalidRefreshToken
        | C::SessionRevoked
        | C::RefreshTokenExpired
        | C::RefreshTokenReused
        | C::AccountDisabled
        | C::InvalidClient => StatusCode::UNAUTHORIZED,
        C::Forbidden => StatusCode::FORBIDDEN,
        C::NotFound => StatusCode::NOT_FOUND,
        C::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        C::InvalidTransition
        | C::IdempotencyInProgress
        | C::Duplicate
        | C::ConcurrentUpdate
        | C::NotEligible
        | C::NoThreshold
        | C::ThresholdExceeded
        | C::ActivationsOpen
        | C::ActivationsRunning
        | C::OverlappingThreshold
        | C::CapBelowUse
        | C::MeetingAlreadyOpen => StatusCode::CONFLICT,
        C::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        C::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
        C::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        C::IdempotencyKeyReused | C::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
        C::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        C::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        C::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        C::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn title(code: ErrorCode) -> &'static str {
    use ErrorCode as C;
    match status_of(code).as_u16() {
        400 if code == C::MalformedBody => "Malformed request body",
        400 => "Invalid parameter",
        401 => "Authentication required",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 if code == C::InvalidTransition => "Action not allowed in the current state",
        409 => "Conflict",
        412 => "Precondition failed",
        413 => "Request body too large",
        415 => "Unsupported media type",
        422 if code == C::IdempotencyKeyReused => "Idempotency key reused",
        422 => "Validation failed",
        428 => "Precondition required",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Internal server error",
    }
}

/// The problem document of an error.
pub fn problem(e: &Error) -> Problem {
    let mut errors = match e {
        Error::Validation(list) => list.clone(),
        _ => vec![],
    };
    errors.sort();
    errors.dedup();
    let code = e.code();
    Problem {
        type_: format!("urn:sistema-lavoro:problem:{code}"),
        title: title(code).into(),
        status: status_of(code).as_u16(),
        detail: e.detail(),
        code,
        errors,
        current_state: match e {
            Error::InvalidTransition { from, .. } => Some(from.clone()),
            _ => None,
        },
        existing_id: match e {
            Error::Conflict { existing_id, .. } => existing_id.clone(),
            _ => None,
        },
    }
}

/// The domain's error, as HTTP answers it.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError(Error::Internal(format!("blocking task: {e}")))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(self.0.code())
    }

    fn error_response(&self) -> HttpResponse {
        if let Error::Internal(detail) = &self.0 {
            log::error!("internal error: {detail}");
        }
        let mut builder = HttpResponse::build(self.status_code());
        builder.content_type("application/problem+json");
        match &self.0 {
            Error::Unauthenticated(..) => {
                builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Error::MethodNotAllowed(allowed) => {
                builder.insert_header((header::ALLOW, allowed.join(", ")));
            }
            Error::RateLimited(secs) => {
                builder.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            Error::PreconditionFailed(current) => {
                builder.insert_header((header::ETAG, current.clone()));
            }
            _ => {}
        }
        let body = serde_json::to_string(&problem(&self.0))
            .unwrap_or_else(|_| String::from("{\"status\":500}"));
        builder.body(body)
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
    fn every_code_has_a_status_and_a_problem_with_its_type() {
        for code in ErrorCode::ALL {
            let status = status_of(*code).as_u16();
            assert!((400..600).contains(&status), "{code}");
            assert!(!title(*code).is_empty());
        }
        let cases = [
            (Error::MalformedBody("x".into()), 400),
            (Error::unauthenticated(ErrorCode::TokenExpired, "x"), 401),
            (Error::Forbidden("x".into()), 403),
            (Error::NotFound, 404),
            (Error::MethodNotAllowed(vec!["GET".into()]), 405),
            (Error::conflict(ErrorCode::Duplicate, "x"), 409),
            (Error::PayloadTooLarge(10), 413),
            (Error::PreconditionFailed("\"1\"".into()), 412),
            (Error::PreconditionRequired, 428),
            (Error::RateLimited(3), 429),
            (Error::IdempotencyMismatch("x".into()), 422),
            (Error::UnsupportedMediaType("text/plain".into()), 415),
            (Error::validation("a", "required", "is required"), 422),
            (Error::Unavailable("x".into()), 503),
            (Error::Internal("secret sql".into()), 500),
        ];
        for (err, status) in cases {
            let p = problem(&err);
            assert_eq!(p.status, status, "{err:?}");
            assert_eq!(p.type_, format!("urn:sistema-lavoro:problem:{}", p.code));
            assert!(!p.detail.contains("secret sql"));
        }
    }
}
