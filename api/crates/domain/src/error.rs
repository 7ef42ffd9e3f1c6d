//! The one error type outside HTTP, and its stable codes.
//!
//! Every layer returns [`Error`]; the HTTP crate turns it into `application/problem+json` in
//! one place, with the status each [`ErrorCode`] has there. The codes are published in the
//! OpenAPI document (`ProblemCode`); a test fails when one is never produced or not published.

use serde::Serialize;
use utoipa::ToSchema;

crate::string_enum! {
    /// Stable machine code of a problem (`code`, and the last part of `type`); what each
    /// means is [`ErrorCode::meaning`].
    ErrorCode {
        MalformedBody => "malformed_body",
        BadParameter => "bad_parameter",
        Unauthenticated => "unauthenticated",
        InvalidToken => "invalid_token",
        TokenExpired => "token_expired",
        TokenRevoked => "token_revoked",
        InvalidCredentials => "invalid_credentials",
        InvalidRefreshToken => "invalid_refresh_token",
        SessionRevoked => "session_revoked",
        RefreshTokenExpired => "refresh_token_expired",
        RefreshTokenReused => "refresh_token_reused",
        AccountDisabled => "account_disabled",
        InvalidClient => "invalid_client",
        Forbidden => "forbidden",
        NotFound => "not_found",
        MethodNotAllowed => "method_not_allowed",
        InvalidTransition => "invalid_transition",
        PreconditionFailed => "precondition_failed",
        PreconditionRequired => "precondition_required",
        RateLimited => "rate_limited",
        IdempotencyKeyReused => "idempotency_key_reused",
        IdempotencyInProgress => "idempotency_in_progress",
        PayloadTooLarge => "payload_too_large",
        UnsupportedMediaType => "unsupported_media_type",
        ValidationFailed => "validation_failed",
        Duplicate => "duplicate",
        ConcurrentUpdate => "concurrent_update",
        NotEligible => "not_eligible",
        NoThreshold => "no_threshold",
        ThresholdExceeded => "threshold_exceeded",
        ActivationsOpen => "activations_open",
        ActivationsRunning => "activations_running",
        OverlappingThreshold => "overlapping_threshold",
        CapBelowUse => "cap_below_use",
        MeetingAlreadyOpen => "meeting_already_open",
        Unavailable => "unavailable",
        InternalError => "internal_error",
    }
}

impl ErrorCode {
    /// The meaning of the code, as published in the OpenAPI document.
    pub fn meaning(self) -> &'static str {
        use ErrorCode as C;
        match self {
            C::MalformedBody => "the body is not valid JSON, not an object, or not UTF-8",
            C::BadParameter => "a path or query parameter, or a header, cannot be parsed",
            C::Unauthenticated => "no `Authorization: Bearer` token was sent",
            C::InvalidToken => "the access token is malformed, wrongly signed or not for this API",
            C::TokenExpired => "the access token has expired: refresh it",
            C::TokenRevoked => "the access token was ended early: the account or client it grants was disabled or changed",
            C::InvalidCredentials => "wrong e-mail or password",
            C::InvalidRefreshToken => "the refresh token is unknown or malformed",
            C::SessionRevoked => "the session was ended (signed out, or the account was changed): sign in again",
            C::RefreshTokenExpired => "the refresh token has expired: sign in again",
            C::RefreshTokenReused => "the refresh token was already used (a replay): the session is ended",
            C::AccountDisabled => "the account is disabled",
            C::InvalidClient => "unknown client, wrong secret or revoked client",
            C::Forbidden => "the caller's role or scopes do not allow the operation",
            C::NotFound => "the resource does not exist, or is not visible to the caller",
            C::MethodNotAllowed => "the path exists, the method does not (see `Allow`)",
            C::InvalidTransition => "the action is not allowed from the resource's current state (`current_state`)",
            C::PreconditionFailed => "`If-Match` names another version than the current one (the current `ETag` is sent)",
            C::PreconditionRequired => "the edit needs `If-Match` with the `ETag` that was read",
            C::RateLimited => "too many requests: wait `Retry-After` seconds",
            C::IdempotencyKeyReused => "the `Idempotency-Key` was used with another request body",
            C::IdempotencyInProgress => "a request with this `Idempotency-Key` is still running",
            C::PayloadTooLarge => "the body is larger than the operation's limit",
            C::UnsupportedMediaType => "the body's content type is not accepted",
            C::ValidationFailed => "invalid fields, every one listed in `errors`",
            C::Duplicate => "a record with the same unique values exists (`existing_id` when it may be shown)",
            C::ConcurrentUpdate => "someone changed the record between the read and the write: reload and retry",
            C::NotEligible => "the person does not meet the measure's rules",
            C::NoThreshold => "the agency has no threshold for the measure and period",
            C::ThresholdExceeded => "the amount does not fit what is left of the threshold",
            C::ActivationsOpen => "measures are still proposed, approved or running on the case",
            C::ActivationsRunning => "measures are running on the case",
            C::OverlappingThreshold => "another threshold of the agency covers the same measure and dates",
            C::CapBelowUse => "the cap would fall below what is already reserved and spent",
            C::MeetingAlreadyOpen => "another meeting of the district is open",
            C::Unavailable => "the database or another service the request needs is unreachable: retry later",
            C::InternalError => "a bug or infrastructure failure; the detail is logged, never returned",
        }
    }
}

/// A stored value this program did not write (a bug or a foreign edit of the database).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {of} value {value:?}")]
pub struct UnknownValue {
    pub of: &'static str,
    pub value: String,
}

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

/// Everything that can go wrong, in every layer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The body is not valid JSON or does not fit the schema's types.
    #[error("{0}")]
    MalformedBody(String),
    /// A path or query parameter cannot be parsed.
    #[error("{0}")]
    BadParameter(String),
    /// No, or no longer, a valid credential; the code says which.
    #[error("missing or invalid credentials: {1}")]
    Unauthenticated(ErrorCode, String),
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed(Vec<String>),
    /// A rule of the resource other than its state machine; the code names it.
    #[error("{detail}")]
    Conflict {
        code: ErrorCode,
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

impl Error {
    pub fn validation(field: &str, code: &str, message: impl Into<String>) -> Error {
        Error::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn conflict(code: ErrorCode, detail: impl Into<String>) -> Error {
        Error::Conflict {
            code,
            detail: detail.into(),
            existing_id: None,
        }
    }

    pub fn unauthenticated(code: ErrorCode, detail: impl Into<String>) -> Error {
        Error::Unauthenticated(code, detail.into())
    }

    /// Not found, or not visible to the caller: the same answer.
    pub fn hidden() -> Error {
        Error::NotFound
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::MalformedBody(_) => ErrorCode::MalformedBody,
            Error::BadParameter(_) => ErrorCode::BadParameter,
            Error::Unauthenticated(code, _) => *code,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::NotFound => ErrorCode::NotFound,
            Error::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Error::Conflict { code, .. } => *code,
            Error::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Error::PreconditionFailed(_) => ErrorCode::PreconditionFailed,
            Error::PreconditionRequired => ErrorCode::PreconditionRequired,
            Error::RateLimited(_) => ErrorCode::RateLimited,
            Error::IdempotencyMismatch(_) => ErrorCode::IdempotencyKeyReused,
            Error::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Error::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Error::Validation(_) => ErrorCode::ValidationFailed,
            Error::Unavailable(_) => ErrorCode::Unavailable,
            Error::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// What the caller is told; internal details never leave the server.
    pub fn detail(&self) -> String {
        match self {
            Error::NotFound => "the resource does not exist or is not visible to you".into(),
            Error::Validation(errors) => match errors.as_slice() {
                [one] => format!("{}: {}", one.field, one.message),
                many => format!("{} fields are invalid", many.len()),
            },
            Error::Internal(_) => "an unexpected error occurred; it has been logged".into(),
            Error::Unauthenticated(_, d) => d.clone(),
            Error::MethodNotAllowed(allowed) => {
                format!("allowed methods: {}", allowed.join(", "))
            }
            other => other.to_string(),
        }
    }
}

impl From<UnknownValue> for Error {
    fn from(e: UnknownValue) -> Self {
        Error::Internal(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_meaning_and_round_trips() {
        for code in ErrorCode::ALL {
            assert!(!code.meaning().is_empty());
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
        }
    }

    #[test]
    fn internal_details_are_never_told() {
        let e = Error::Internal("secret sql".into());
        assert!(!e.detail().contains("secret"));
        assert_eq!(e.code(), ErrorCode::InternalError);
    }

    #[test]
    fn invalid_transition_names_both_states() {
        let e = Error::InvalidTransition {
            entity: "referral",
            action: "submit",
            from: "accepted".into(),
        };
        assert!(e.detail().contains("submit") && e.detail().contains("accepted"));
    }
}
