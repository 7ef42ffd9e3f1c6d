//! The one error type outside HTTP, and its stable codes.
//!
//! Every layer returns [`Error`]; the HTTP crate turns it into `application/problem+json` in
//! one place, with the status each [`ErrorCode`] has there. The codes are published in the
//! OpenAPI document (`ProblemCode`); a test fails when one is never produced or not published.

use crate::i18n::{action_verb, entity_label, state_label, Lang, Text};
use crate::text;
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
        IdempotencyReplayUnavailable => "idempotency_replay_unavailable",
        PayloadTooLarge => "payload_too_large",
        RequestTimeout => "request_timeout",
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
        OpenReferralExists => "open_referral_exists",
        NetworkNotCompliant => "network_not_compliant",
        AlreadyMember => "already_member",
        NotAPartnership => "not_a_partnership",
        WorkingGroupExists => "working_group_exists",
        GrantExceeded => "grant_exceeded",
        NoticeMissing => "notice_missing",
        ExportNotReady => "export_not_ready",
        ExportExpired => "export_expired",
        PersonRestricted => "person_restricted",
        PersonAnonymised => "person_anonymised",
        ApproverIsRequester => "approver_is_requester",
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
            C::IdempotencyReplayUnavailable => "the request with this `Idempotency-Key` already ran, and its answer is not kept (it held a secret shown once, and no record can be read again in its place): `Location` names what it created, if anything",
            C::PayloadTooLarge => "the body is larger than the operation's limit",
            C::RequestTimeout => "the request body did not arrive in time; the connection is closed",
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
            C::MeetingAlreadyOpen => "another meeting of the same network is open",
            C::OpenReferralExists => "the person already has a referral open at the table (`existing_id` when the caller may see it): add to it, or send `duplicate_reason`",
            C::NetworkNotCompliant => "the network does not meet the rules of its kind (every rule, met or not, in `reasons`)",
            C::AlreadyMember => "the organization is already an active member of the network (`existing_id` is its membership), or the member already in the working group",
            C::NotAPartnership => "collective actions belong to territorial partnerships (kind `territorial_partnership`) only",
            C::WorkingGroupExists => "the network already has an active working group on this response area (`existing_id` names it when known): close it first",
            C::GrantExceeded => "the thresholds of a project's measures would exceed what was granted plus the co-financing",
            C::NoticeMissing => "the person has not been given the privacy notice (informativa) for referrals and cases: record it (`POST /persons/{id}/consents`), or, as the coordinator, send `notice_override_reason`",
            C::ExportNotReady => "the export is still running, or it failed: `GET /exports/{id}` says which",
            C::ExportExpired => "the export's file was deleted when its time ran out (`expires_at`): start a new export",
            C::PersonRestricted => "the person's processing is restricted (GDPR art. 18): her record, referrals, cases, activations, follow-ups, documents and consents are frozen until the DPO or the coordinator lifts the restriction",
            C::PersonAnonymised => "the person was anonymised (GDPR art. 17): the record holds statistics only and can no longer change",
            C::ApproverIsRequester => "an anonymisation is approved or rejected by a different person from the one who requested it",
            C::Unavailable => "the database or another service the request needs is unreachable: retry later",
            C::InternalError => "a bug or infrastructure failure; the detail is logged, never returned",
        }
    }
}

impl ErrorCode {
    /// The problem's `title`: a short summary of the code, in both languages.
    pub fn title(self) -> Text {
        use ErrorCode as C;
        match self {
            C::MalformedBody => text!("Corpo della richiesta non valido", "Malformed request body"),
            C::BadParameter => text!("Parametro non valido", "Invalid parameter"),
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
            | C::InvalidClient => text!("Autenticazione necessaria", "Authentication required"),
            C::Forbidden => text!("Operazione non consentita", "Forbidden"),
            C::NotFound => text!("Risorsa non trovata", "Not found"),
            C::MethodNotAllowed => text!("Metodo non consentito", "Method not allowed"),
            C::InvalidTransition => text!(
                "Azione non consentita nello stato attuale",
                "Action not allowed in the current state"
            ),
            C::IdempotencyInProgress
            | C::IdempotencyReplayUnavailable
            | C::Duplicate
            | C::ConcurrentUpdate
            | C::NotEligible
            | C::NoThreshold
            | C::ThresholdExceeded
            | C::ActivationsOpen
            | C::ActivationsRunning
            | C::OverlappingThreshold
            | C::CapBelowUse
            | C::MeetingAlreadyOpen
            | C::OpenReferralExists
            | C::NetworkNotCompliant
            | C::AlreadyMember
            | C::NotAPartnership
            | C::WorkingGroupExists
            | C::GrantExceeded
            | C::NoticeMissing
            | C::ExportNotReady
            | C::PersonRestricted
            | C::PersonAnonymised
            | C::ApproverIsRequester => text!("Conflitto", "Conflict"),
            C::ExportExpired => text!("Non più disponibile", "Gone"),
            C::PreconditionFailed => text!("Precondizione non soddisfatta", "Precondition failed"),
            C::PreconditionRequired => text!("Precondizione richiesta", "Precondition required"),
            C::RateLimited => text!("Troppe richieste", "Too many requests"),
            C::IdempotencyKeyReused => {
                text!("Chiave di idempotenza già usata", "Idempotency key reused")
            }
            C::PayloadTooLarge => text!(
                "Corpo della richiesta troppo grande",
                "Request body too large"
            ),
            C::RequestTimeout => text!("Richiesta troppo lenta", "Request timeout"),
            C::UnsupportedMediaType => {
                text!("Tipo di contenuto non supportato", "Unsupported media type")
            }
            C::ValidationFailed => text!("Validazione non riuscita", "Validation failed"),
            C::Unavailable => text!("Servizio non disponibile", "Service unavailable"),
            C::InternalError => text!("Errore interno del server", "Internal server error"),
        }
    }
}

/// One rule of a network's kind, met or not, with its reason in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCheck {
    /// `min_members`, `agency_in_charge`, `coordinator_member`, `planning_office_coordinates`,
    /// `agency_member`.
    pub rule: &'static str,
    pub met: bool,
    pub message: Text,
}

/// A rule as responses carry it, in the caller's language.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct RuleOut {
    /// Which rule: `min_members`, `agency_in_charge`, `coordinator_member`,
    /// `planning_office_coordinates`, `agency_member`.
    #[schema(example = "min_members")]
    pub rule: String,
    /// Whether the network meets it now.
    pub met: bool,
    /// Explanation, e.g. "2 aderenti attivi: ne servono almeno 3".
    pub message: String,
}

impl RuleCheck {
    pub fn render(&self, lang: Lang) -> RuleOut {
        RuleOut {
            rule: self.rule.to_string(),
            met: self.met,
            message: self.message.get(lang).to_string(),
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

/// One invalid field, in the caller's terms: its `message` is written in both languages and
/// told in the caller's (the HTTP crate writes it out).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `tax_code`, `person.first_name`, `needs[1]`.
    pub field: String,
    /// Stable machine code of the rule that failed, e.g. `required`, `checksum`, `length`:
    /// the same in every language.
    pub code: String,
    pub message: Text,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: Text) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message,
        }
    }

    /// `is required`, the most common message.
    pub fn required(field: impl Into<String>) -> Self {
        FieldError::new(
            field,
            "required",
            Text::new("campo obbligatorio", "is required"),
        )
    }
}

/// Everything that can go wrong, in every layer. What people are told is written in both
/// languages ([`Text`]) and chosen by [`Error::detail`]; `Display` is for logs (English).
#[derive(Debug, Clone)]
pub enum Error {
    /// The body is not valid JSON or does not fit the schema's types.
    MalformedBody(Text),
    /// A path or query parameter cannot be parsed.
    BadParameter(Text),
    /// No, or no longer, a valid credential; the code says which.
    Unauthenticated(ErrorCode, Text),
    Forbidden(Text),
    NotFound,
    MethodNotAllowed(Vec<String>),
    /// A rule of the resource other than its state machine; the code names it.
    Conflict {
        code: ErrorCode,
        detail: Text,
        existing_id: Option<String>,
    },
    /// An action that the resource's current state does not allow.
    InvalidTransition {
        entity: &'static str,
        action: &'static str,
        from: String,
    },
    /// `If-Match` names another version than the current one (carried here).
    PreconditionFailed(String),
    PreconditionRequired,
    RateLimited(u64),
    IdempotencyMismatch(Text),
    PayloadTooLarge(usize),
    /// The request body did not arrive within the server's deadline.
    RequestTimeout,
    UnsupportedMediaType(Text),
    Validation(Vec<FieldError>),
    /// A network does not meet the rules of its kind: every rule checked, met or not.
    NotCompliant(Vec<RuleCheck>),
    Unavailable(Text),
    /// A bug or infrastructure failure; the detail is logged, never returned.
    Internal(String),
}

impl Error {
    pub fn validation(field: &str, code: &str, message: Text) -> Error {
        Error::Validation(vec![FieldError::new(field, code, message)])
    }

    /// The same error, its fields named inside `prefix` (`profile_value` →
    /// `service_pact.profile_value`) when a body is checked as part of a larger one.
    pub fn under(self, prefix: &str) -> Error {
        match self {
            Error::Validation(fields) => Error::Validation(
                fields
                    .into_iter()
                    .map(|mut f| {
                        f.field = format!("{prefix}.{}", f.field);
                        f
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    pub fn conflict(code: ErrorCode, detail: Text) -> Error {
        Error::Conflict {
            code,
            detail,
            existing_id: None,
        }
    }

    pub fn unauthenticated(code: ErrorCode, detail: Text) -> Error {
        Error::Unauthenticated(code, detail)
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
            Error::RequestTimeout => ErrorCode::RequestTimeout,
            Error::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Error::Validation(_) => ErrorCode::ValidationFailed,
            Error::NotCompliant(_) => ErrorCode::NetworkNotCompliant,
            Error::Unavailable(_) => ErrorCode::Unavailable,
            Error::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// What the caller is told, in `lang`; internal details never leave the server.
    pub fn detail(&self, lang: Lang) -> String {
        let t = match self {
            Error::MalformedBody(t)
            | Error::BadParameter(t)
            | Error::Unauthenticated(_, t)
            | Error::Forbidden(t)
            | Error::Conflict { detail: t, .. }
            | Error::IdempotencyMismatch(t) => return t.get(lang).to_string(),
            Error::NotFound => text!(
                "la risorsa richiesta non esiste o non è visibile con il profilo in uso",
                "the resource does not exist or is not visible to you"
            ),
            Error::MethodNotAllowed(allowed) => {
                let allowed = allowed.join(", ");
                text!("metodi consentiti: {allowed}", "allowed methods: {allowed}")
            }
            Error::InvalidTransition {
                entity,
                action,
                from,
            } => {
                let key = entity.replace(' ', "_");
                let (verb, what) = (action_verb(action), entity_label(&key, Lang::It));
                let state = state_label(&key, from, Lang::It);
                text!(
                    "non è possibile {verb} {what} perché è {state}",
                    "cannot {action} a {entity} that is {from}"
                )
            }
            Error::PreconditionFailed(etag) => text!(
                "la risorsa è stata modificata dopo la lettura (ETag attuale {etag}); \
                 ricaricarla e riprovare",
                "the resource has changed since you read it (current ETag {etag}); reload it \
                 and retry"
            ),
            Error::PreconditionRequired => text!(
                "questa modifica richiede l'intestazione If-Match con l'ETag della versione letta",
                "this edit needs an If-Match header with the ETag of the version you read"
            ),
            Error::RateLimited(secs) => text!(
                "troppe richieste; riprovare tra {secs} secondi",
                "too many requests; retry in {secs} seconds"
            ),
            Error::PayloadTooLarge(bytes) => text!(
                "il corpo della richiesta supera il limite di {bytes} byte",
                "the request body is larger than {bytes} bytes"
            ),
            Error::RequestTimeout => text!(
                "il corpo della richiesta non è arrivato in tempo",
                "the request body did not arrive in time"
            ),
            Error::UnsupportedMediaType(t) => t.map(|lang, s| match lang {
                Lang::It => format!("tipo di contenuto non accettato: {s}"),
                Lang::En => format!("unsupported content type: {s}"),
            }),
            Error::Validation(errors) => match errors.as_slice() {
                [one] => one.message.map(|_, m| format!("{}: {m}", one.field)),
                many => {
                    let n = many.len();
                    match n {
                        1 => text!("1 campo non è valido", "1 field is invalid"),
                        n => text!("{n} campi non sono validi", "{n} fields are invalid"),
                    }
                }
            },
            Error::NotCompliant(rules) => {
                let unmet: Vec<&RuleCheck> = rules.iter().filter(|r| !r.met).collect();
                let list = |lang: Lang| {
                    unmet
                        .iter()
                        .map(|r| r.message.get(lang).to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                let (it, en) = (list(Lang::It), list(Lang::En));
                text!(
                    "la rete non rispetta le regole del suo tipo: {it}",
                    "the network does not meet the rules of its kind: {en}"
                )
            }
            Error::Unavailable(t) => t.map(|lang, s| match lang {
                Lang::It => format!("il servizio non è disponibile: {s}"),
                Lang::En => format!("the service is unavailable: {s}"),
            }),
            Error::Internal(_) => text!(
                "si è verificato un errore imprevisto; è stato registrato e verrà esaminato",
                "an unexpected error occurred; it has been logged"
            ),
        };
        t.get(lang).to_string()
    }
}

/// For logs: the English detail, and what `Internal` keeps from the caller.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Internal(detail) => write!(f, "internal error: {detail}"),
            Error::Unauthenticated(_, t) => write!(f, "missing or invalid credentials: {t}"),
            other => f.write_str(&other.detail(Lang::En)),
        }
    }
}

impl std::error::Error for Error {}

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
    fn every_code_has_an_italian_and_an_english_title() {
        for code in ErrorCode::ALL {
            let t = code.title();
            let (it, en) = (t.get(Lang::It), t.get(Lang::En));
            assert!(!it.is_empty() && !en.is_empty(), "{code}");
            // The Italian is written, not the English copied (all titles differ).
            assert_ne!(it, en, "{code}");
        }
        assert_eq!(
            ErrorCode::ValidationFailed.title().get(Lang::It),
            "Validazione non riuscita"
        );
        assert_eq!(
            ErrorCode::ValidationFailed.title().get(Lang::En),
            "Validation failed"
        );
    }

    #[test]
    fn details_read_in_both_languages() {
        let one = Error::Validation(vec![FieldError::required("first_name")]);
        assert_eq!(one.detail(Lang::It), "first_name: campo obbligatorio");
        assert_eq!(one.detail(Lang::En), "first_name: is required");
        let three = Error::Validation(vec![
            FieldError::required("a"),
            FieldError::required("b"),
            FieldError::required("c"),
        ]);
        assert_eq!(three.detail(Lang::It), "3 campi non sono validi");
        assert_eq!(three.detail(Lang::En), "3 fields are invalid");
        assert_eq!(
            Error::NotFound.detail(Lang::En),
            "the resource does not exist or is not visible to you"
        );
        assert!(Error::NotFound.detail(Lang::It).starts_with("la risorsa"));
    }

    #[test]
    fn internal_details_are_never_told() {
        let e = Error::Internal("secret sql".into());
        for lang in [Lang::It, Lang::En] {
            assert!(!e.detail(lang).contains("secret"));
        }
        assert_eq!(e.code(), ErrorCode::InternalError);
    }

    #[test]
    fn invalid_transition_names_both_states() {
        let e = Error::InvalidTransition {
            entity: "referral",
            action: "submit",
            from: "accepted".into(),
        };
        let en = e.detail(Lang::En);
        assert!(en.contains("submit") && en.contains("accepted"), "{en}");
        assert_eq!(
            e.detail(Lang::It),
            "non è possibile inviare la segnalazione perché è accolta"
        );
    }
}
