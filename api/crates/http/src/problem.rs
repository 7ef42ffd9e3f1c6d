//! The one place the domain's [`Error`] becomes RFC 9457 `application/problem+json`: the
//! HTTP status of each stable code, the headers some carry, the body — its `title`, `detail`
//! and field messages in the caller's language (Italian by default, English with
//! `Accept-Language: en`); `code`s are the same in every language.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use sistema_lavoro_domain::i18n::{Lang, Text};
use sistema_lavoro_domain::{text, Error, ErrorCode};
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
    /// For `409 duplicate` and `409 already_member`: the id of the record that already exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<String>,
    /// For `409 network_not_compliant`: every rule of the network's kind, met or not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<sistema_lavoro_domain::networks::RuleOut>,
}

/// One invalid field, in the caller's terms.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
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
        | C::ApproverIsRequester => StatusCode::CONFLICT,
        C::ExportExpired => StatusCode::GONE,
        C::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        C::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
        C::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        C::IdempotencyKeyReused | C::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
        C::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        C::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        C::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        C::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        C::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The problem document of an error, told in `lang`.
pub fn problem(e: &Error, lang: Lang) -> Problem {
    let mut errors = match e {
        Error::Validation(list) => list.clone(),
        _ => vec![],
    };
    errors.sort();
    errors.dedup();
    let code = e.code();
    Problem {
        type_: format!("urn:sistema-lavoro:problem:{code}"),
        title: code.title().get(lang).to_string(),
        status: status_of(code).as_u16(),
        detail: e.detail(lang),
        code,
        errors: errors
            .into_iter()
            .map(|f| FieldError {
                message: f.message.get(lang).to_string(),
                field: f.field,
                code: f.code,
            })
            .collect(),
        current_state: match e {
            Error::InvalidTransition { from, .. } => Some(from.clone()),
            _ => None,
        },
        existing_id: match e {
            Error::Conflict { existing_id, .. } => existing_id.clone(),
            _ => None,
        },
        reasons: match e {
            Error::NotCompliant(rules) => rules.iter().map(|r| r.render(lang)).collect(),
            _ => Vec::new(),
        },
    }
}

/// The domain's error, as HTTP answers it, in the language of the request it answers.
#[derive(Debug)]
pub struct ApiError {
    pub error: Error,
    /// The caller's language, where the request was at hand (extractors,
    /// [`crate::state::AppState::run`]); otherwise [`in_callers_language`] tells the answer
    /// in the request's language on its way out.
    pub lang: Option<Lang>,
}

/// `ApiError(e)`: an error raised where the request is not at hand (a middleware, the
/// default service, a `?` on a domain error); its answer is told in the request's language
/// by [`in_callers_language`]. [`ApiError::of`] where the request is at hand.
#[allow(non_snake_case)]
pub fn ApiError(error: Error) -> ApiError {
    ApiError { error, lang: None }
}

impl ApiError {
    pub fn new(error: Error, lang: Lang) -> ApiError {
        ApiError {
            error,
            lang: Some(lang),
        }
    }

    /// The error, in the language of `req` (`Accept-Language`).
    pub fn of(req: &HttpRequest, error: Error) -> ApiError {
        ApiError::new(error, lang_of(req))
    }

    /// The same error, told in `lang`.
    pub fn in_lang(self, lang: Lang) -> ApiError {
        ApiError::new(self.error, lang)
    }
}

/// An error answered before its language was known, kept with the answer until
/// [`in_callers_language`] tells it.
#[derive(Debug, Clone)]
struct Untold(Error);

/// Tells every problem answered without the caller's language in it (rate limits,
/// idempotency, unknown paths and methods, a `?` in a handler) in the request's
/// `Accept-Language`: registered around the middleware that answer for themselves.
pub async fn in_callers_language<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let lang = lang_of(req.request());
    // (The request must not be cloned while it is routed.)
    let res = next.call(req).await?.map_into_boxed_body();
    let Some(Untold(error)) = res.response().extensions().get::<Untold>().cloned() else {
        return Ok(res);
    };
    let (http_req, untold) = res.into_parts();
    let mut told = ApiError::new(error, lang).render();
    // What the middleware added on the way (rate-limit figures, `Cache-Control`…) stays.
    let own: Vec<header::HeaderName> = told.headers().keys().cloned().collect();
    for (name, value) in untold.headers() {
        if !own.contains(name) {
            told.headers_mut().append(name.clone(), value.clone());
        }
    }
    Ok(ServiceResponse::new(http_req, told))
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
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
        status_of(self.error.code())
    }

    fn error_response(&self) -> HttpResponse {
        if let Error::Internal(detail) = &self.error {
            log::error!("internal error: {detail}");
        }
        self.render()
    }
}

impl ApiError {
    /// The answer: status, the headers the error carries, the problem in its language.
    fn render(&self) -> HttpResponse {
        let lang = self.lang.unwrap_or_default();
        let mut builder = HttpResponse::build(self.status_code());
        builder.content_type("application/problem+json");
        builder.insert_header((header::CONTENT_LANGUAGE, lang_tag(lang)));
        match &self.error {
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
            // The rest of a body too slow to wait for is not read: the connection ends.
            Error::RequestTimeout => {
                builder.force_close();
            }
            _ => {}
        }
        let body = serde_json::to_string(&problem(&self.error, lang))
            .unwrap_or_else(|_| String::from("{\"status\":500}"));
        let mut res = builder.body(body);
        if self.lang.is_none() {
            res.extensions_mut().insert(Untold(self.error.clone()));
        }
        res
    }
}

/// What serde says of a value that does not fit (its messages are English), in both
/// languages: the English as serde wrote it, the Italian written from its parts.
pub fn serde_text(message: &str) -> Text {
    let en = message.to_string();
    Text::owned(serde_italian(message), en)
}

fn serde_italian(m: &str) -> String {
    fn ticked(s: &str) -> Vec<&str> {
        s.split('`').skip(1).step_by(2).collect()
    }
    fn list(s: &str) -> String {
        let names = ticked(s);
        match names.as_slice() {
            [] => "nessuno".into(),
            [one] => format!("`{one}`"),
            [init @ .., last] => format!(
                "{} o `{last}`",
                init.iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    fn expected(e: &str) -> String {
        let e = e.trim();
        match e {
            "a string" | "a borrowed string" | "string" => "un testo".into(),
            "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "un numero intero".into(),
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => {
                "un numero intero non negativo".into()
            }
            "f32" | "f64" => "un numero".into(),
            "a boolean" => "vero o falso (true o false)".into(),
            "a sequence" => "un elenco".into(),
            "a map" => "un oggetto".into(),
            "a character" | "a char" => "un carattere".into(),
            "a formatted date string" => "una data nel formato AAAA-MM-GG".into(),
            e if e.starts_with("struct ") || e.starts_with("a map") => "un oggetto".into(),
            e if e.contains("date and time") => "una data e ora (RFC 3339)".into(),
            e if e.contains("variant") => "uno dei valori ammessi".into(),
            _ => "un valore di altro tipo".into(),
        }
    }
    fn unexpected(u: &str) -> String {
        let u = u.trim();
        if let Some(rest) = u.strip_prefix("string ") {
            format!("il testo {rest}")
        } else if let Some(rest) = u.strip_prefix("integer ") {
            format!("il numero {rest}")
        } else if let Some(rest) = u.strip_prefix("floating point ") {
            format!("il numero decimale {rest}")
        } else if let Some(rest) = u.strip_prefix("boolean ") {
            format!("il valore {rest}")
        } else {
            match u {
                "null" => "null".into(),
                "sequence" => "un elenco".into(),
                "map" => "un oggetto".into(),
                other => other.to_string(),
            }
        }
    }
    let split = |rest: &str| -> (String, String) {
        match rest.rsplit_once(", expected ") {
            Some((u, e)) => (unexpected(u), expected(e)),
            None => (unexpected(rest), "un valore di altro tipo".into()),
        }
    };
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        let (u, e) = split(rest);
        format!("tipo non valido: ricevuto {u}, atteso {e}")
    } else if let Some(rest) = m.strip_prefix("invalid value: ") {
        let (u, e) = split(rest);
        format!("valore non valido: ricevuto {u}, atteso {e}")
    } else if let Some(rest) = m.strip_prefix("invalid length ") {
        let (n, e) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!("lunghezza non valida ({n}), attesa: {}", e.trim())
    } else if let Some(rest) = m.strip_prefix("unknown variant ") {
        let (given, allowed) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!(
            "valore {given} non ammesso; valori ammessi: {}",
            list(allowed)
        )
    } else if let Some(rest) = m.strip_prefix("unknown field ") {
        let (given, allowed) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!(
            "campo {given} non previsto; campi ammessi: {}",
            list(allowed)
        )
    } else if let Some(rest) = m.strip_prefix("duplicate field ") {
        format!("campo {rest} ripetuto")
    } else if m.starts_with("missing field") {
        "campo obbligatorio".into()
    } else if let Some(n) = m
        .strip_prefix("must be at most ")
        .and_then(|r| r.strip_suffix(" characters"))
    {
        format!("deve avere al massimo {n} caratteri")
    } else {
        // The standard library's, for a number that does not parse.
        let number = match m {
            "invalid digit found in string" => Some("non è un numero intero valido"),
            "cannot parse integer from empty string" => Some("è vuoto: atteso un numero intero"),
            "number too large to fit in target type" => Some("è un numero troppo grande"),
            "number too small to fit in target type" => Some("è un numero troppo piccolo"),
            "invalid float literal" => Some("non è un numero valido"),
            "provided string was not `true` or `false`" => Some("deve essere true o false"),
            _ => None,
        };
        if let Some(why) = number {
            return why.into();
        }
        // chrono's messages for a date or time that does not parse.
        let why = match m {
            "input contains invalid characters" => "contiene caratteri non validi",
            "premature end of input" => "è incompleta",
            "trailing input" => "contiene caratteri in eccesso",
            "input is out of range" => "è fuori dall'intervallo ammesso",
            "input is not enough for unique date and time" => "è incompleta",
            "no possible date and time matching input" => "non esiste",
            "bad or unsupported format string" => "ha un formato non supportato",
            _ => return "valore non valido".into(),
        };
        format!("data non valida: {why} (formato AAAA-MM-GG)")
    }
}

/// The caller's language, from `Accept-Language` (Italian by default).
pub fn lang_of(req: &HttpRequest) -> Lang {
    Lang::from_accept_language(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The language of a problem, as `Content-Language` names it.
fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "it",
        Lang::En => "en",
    }
}

/// Flattens validator's nested error maps into sorted `field` paths (`a.b[1].c`), each
/// message in both languages.
pub fn flatten_validation(
    errors: &validator::ValidationErrors,
) -> Vec<sistema_lavoro_domain::FieldError> {
    use sistema_lavoro_domain::FieldError as Invalid;
    fn walk(prefix: &str, errors: &validator::ValidationErrors, out: &mut Vec<Invalid>) {
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
                        // A rule's own `message` would be one language only: the messages
                        // are these, written in both.
                        out.push(Invalid::new(
                            path.clone(),
                            e.code.to_string(),
                            default_message(e),
                        ));
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

fn default_message(e: &validator::ValidationError) -> Text {
    let p = |k: &str| e.params.get(k).map(|v| v.to_string());
    let items = e.params.get("value").is_some_and(|v| v.is_array());
    let (unita, unit) = if items {
        ("elementi", "items")
    } else {
        ("caratteri", "characters")
    };
    match e.code.as_ref() {
        "length" => match (p("equal"), p("min"), p("max")) {
            (Some(n), _, _) => text!(
                "deve avere esattamente {n} {unita}",
                "must be exactly {n} {unit}"
            ),
            (None, Some(min), Some(max)) => text!(
                "deve avere da {min} a {max} {unita}",
                "must be between {min} and {max} {unit}"
            ),
            // "At least 1 character": it must not be empty.
            (None, Some(min), None) if min == "1" && !items => {
                text!("non può essere vuoto", "must be at least 1 characters")
            }
            (None, Some(min), None) if min == "1" => {
                text!("deve avere almeno un elemento", "must be at least 1 items")
            }
            (None, Some(min), None) => text!(
                "deve avere almeno {min} {unita}",
                "must be at least {min} {unit}"
            ),
            (None, None, Some(max)) => text!(
                "deve avere al massimo {max} {unita}",
                "must be at most {max} {unit}"
            ),
            _ => text!("ha una lunghezza non valida", "has the wrong length"),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => text!(
                "deve essere compreso tra {min} e {max}",
                "must be between {min} and {max}"
            ),
            (Some(min), None) => text!("deve essere almeno {min}", "must be at least {min}"),
            (None, Some(max)) => text!("deve essere al massimo {max}", "must be at most {max}"),
            _ => text!("è fuori dall'intervallo ammesso", "is out of range"),
        },
        "email" => text!(
            "deve essere un indirizzo e-mail valido",
            "must be a valid e-mail address"
        ),
        "required" => text!("campo obbligatorio", "is required"),
        other => text!("non è valido ({other})", "is invalid ({other})"),
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
            for lang in [Lang::It, Lang::En] {
                assert!(!code.title().get(lang).is_empty());
            }
        }
        let cases = [
            (Error::MalformedBody(text!("x", "x")), 400),
            (
                Error::unauthenticated(ErrorCode::TokenExpired, text!("x", "x")),
                401,
            ),
            (Error::Forbidden(text!("x", "x")), 403),
            (Error::NotFound, 404),
            (Error::MethodNotAllowed(vec!["GET".into()]), 405),
            (Error::conflict(ErrorCode::Duplicate, text!("x", "x")), 409),
            (Error::PayloadTooLarge(10), 413),
            (Error::RequestTimeout, 408),
            (Error::PreconditionFailed("\"1\"".into()), 412),
            (Error::PreconditionRequired, 428),
            (Error::RateLimited(3), 429),
            (Error::IdempotencyMismatch(text!("x", "x")), 422),
            (
                Error::UnsupportedMediaType(text!("text/plain", "text/plain")),
                415,
            ),
            (
                Error::validation("a", "required", text!("obbligatorio", "is required")),
                422,
            ),
            (Error::Unavailable(text!("x", "x")), 503),
            (Error::Internal("secret sql".into()), 500),
        ];
        for (err, status) in cases {
            for lang in [Lang::It, Lang::En] {
                let p = problem(&err, lang);
                assert_eq!(p.status, status, "{err:?}");
                assert_eq!(p.type_, format!("urn:sistema-lavoro:problem:{}", p.code));
                assert!(!p.detail.contains("secret sql"));
            }
        }
    }

    #[test]
    fn a_problem_reads_in_the_callers_language_with_the_same_codes() {
        let e = Error::Validation(vec![sistema_lavoro_domain::FieldError::new(
            "email",
            "email",
            text!(
                "deve essere un indirizzo e-mail valido",
                "must be a valid e-mail address"
            ),
        )]);
        let (it, en) = (problem(&e, Lang::It), problem(&e, Lang::En));
        assert_eq!(it.title, "Validazione non riuscita");
        assert_eq!(en.title, "Validation failed");
        assert_eq!(it.detail, "email: deve essere un indirizzo e-mail valido");
        assert_eq!(en.detail, "email: must be a valid e-mail address");
        assert_eq!((it.code, &it.errors[0].code), (en.code, &en.errors[0].code));
    }

    #[test]
    fn serde_messages_get_an_italian_text() {
        let cases = [
            (
                "unknown variant `X`, expected `F` or `M`",
                "valore `X` non ammesso; valori ammessi: `F` o `M`",
            ),
            (
                "unknown variant `x`, expected one of `low`, `normal`, `high`",
                "valore `x` non ammesso; valori ammessi: `low`, `normal` o `high`",
            ),
            (
                "invalid type: string \"a\", expected i64",
                "tipo non valido: ricevuto il testo \"a\", atteso un numero intero",
            ),
            (
                "invalid type: integer `3`, expected a string",
                "tipo non valido: ricevuto il numero `3`, atteso un testo",
            ),
            (
                "input contains invalid characters",
                "data non valida: contiene caratteri non validi (formato AAAA-MM-GG)",
            ),
            ("something else", "valore non valido"),
        ];
        for (en, it) in cases {
            let t = serde_text(en);
            assert_eq!(t.get(Lang::En), en);
            assert_eq!(t.get(Lang::It), it);
        }
    }

    #[test]
    fn validator_messages_are_written_in_both_languages() {
        let mut e = validator::ValidationError::new("length");
        e.add_param("max".into(), &200);
        e.add_param("value".into(), &"x");
        let t = default_message(&e);
        assert_eq!(t.get(Lang::It), "deve avere al massimo 200 caratteri");
        assert_eq!(t.get(Lang::En), "must be at most 200 characters");
        let t = default_message(&validator::ValidationError::new("email"));
        assert_eq!(t.get(Lang::It), "deve essere un indirizzo e-mail valido");
    }
}
