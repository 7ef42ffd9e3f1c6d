//! Path and query parameters, bounded and parsed with every field error at once: an id longer
//! than any id, a `limit` past its maximum, a number that is not one, a query text too long
//! — each a `422` naming the parameter and the rule, like a body field. The OpenAPI document
//! publishes the same bounds (`openapi::publish`), read from here.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use sistema_lavoro_domain::{Error, FieldError};

use crate::problem::ApiError;

/// No id is longer (UUIDs are 36 characters; the demo's fixed ids shorter).
pub const PATH_ID_MAX_LEN: usize = sistema_lavoro_domain::ids::MAX_LEN;
/// An `ETag` is a quoted number; a list of a few is still short.
pub const IF_MATCH_MAX_LEN: usize = 100;
/// The largest page a list answers (`limit`).
pub const PAGE_MAX_LIMIT: i64 = 200;

/// The longest value each query parameter takes.
pub fn query_max_len(name: &str) -> usize {
    match name {
        "q" => 100,
        "tax_code" => 16,
        "from" | "to" | "on" => 10,
        n if n == "after" || n.ends_with("_id") => PATH_ID_MAX_LEN,
        _ => 200,
    }
}

/// A path id, refused (`422`) when no id could be that long; any other string is looked up
/// (an unknown id is a `404`).
pub fn path_id<T: From<String>>(name: &str, raw: String) -> Result<T, Error> {
    if let Some(e) = sistema_lavoro_domain::values::check_raw_text(name, name, &raw) {
        return Err(Error::Validation(vec![e]));
    }
    if raw.chars().count() > PATH_ID_MAX_LEN {
        return Err(Error::validation(
            name,
            "length",
            sistema_lavoro_domain::text!(
                "deve avere al massimo {PATH_ID_MAX_LEN} caratteri",
                "must be at most {PATH_ID_MAX_LEN} characters"
            ),
        ));
    }
    Ok(T::from(raw))
}

/// A query string deserialized into `T`, with its parameters bounded
/// ([`query_max_len`]) and a value that does not parse named as its field (`422`).
#[derive(Debug)]
pub struct ValidQuery<T>(pub T);

impl<T> ValidQuery<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for ValidQuery<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Parses a query string (`a=1&b=x`) into `T`.
pub fn parse_query<T: DeserializeOwned>(qs: &str) -> Result<T, Error> {
    let mut errors: Vec<FieldError> = form_urlencoded::parse(qs.as_bytes())
        .filter(|(k, v)| v.chars().count() > query_max_len(k))
        .map(|(k, _)| {
            FieldError::new(
                k.as_ref(),
                "length",
                sistema_lavoro_domain::text!(
                    "deve avere al massimo {} caratteri",
                    "must be at most {} characters",
                    query_max_len(&k)
                ),
            )
        })
        .collect();
    // No control character (a NUL breaks PostgreSQL) and no date outside 1900–2200, in any
    // parameter.
    errors.extend(
        form_urlencoded::parse(qs.as_bytes())
            .filter_map(|(k, v)| sistema_lavoro_domain::values::check_raw_text(&k, &k, &v)),
    );
    if !errors.is_empty() {
        errors.sort();
        errors.dedup();
        return Err(Error::Validation(errors));
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(qs.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let message = e.inner().to_string();
        let field = if field == "." || field.is_empty() {
            // serde names a missing or unknown field in its message, not its path.
            message.split('`').nth(1).unwrap_or("query").to_string()
        } else {
            field
        };
        let code = if message.starts_with("missing field") {
            "required"
        } else {
            "invalid"
        };
        Error::validation(&field, code, crate::problem::serde_text(&message))
    })
}

impl<T: DeserializeOwned> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            parse_query(req.query_string())
                .map(ValidQuery)
                .map_err(ApiError),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Q {
        limit: Option<i64>,
        #[allow(dead_code)]
        q: Option<String>,
    }

    fn fields(e: Error) -> Vec<(String, String)> {
        match e {
            Error::Validation(list) => list
                .into_iter()
                .map(|f| (f.field.clone(), f.code.clone()))
                .collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_number_too_large_or_not_a_number_is_named() {
        let e = parse_query::<Q>("limit=99999999999999999999").expect_err("too large");
        assert_eq!(fields(e), vec![("limit".into(), "invalid".into())]);
        let e = parse_query::<Q>("limit=abc").expect_err("not a number");
        assert_eq!(fields(e), vec![("limit".into(), "invalid".into())]);
        assert_eq!(
            parse_query::<Q>("limit=5").ok().and_then(|q| q.limit),
            Some(5)
        );
    }

    #[test]
    fn a_query_text_too_long_is_refused_with_its_name() {
        let long = "a".repeat(101);
        let e = parse_query::<Q>(&format!("q={long}")).expect_err("too long");
        assert_eq!(fields(e), vec![("q".into(), "length".into())]);
    }

    #[test]
    fn an_id_longer_than_any_id_is_refused() {
        assert!(path_id::<String>("id", "x".repeat(65)).is_err());
        assert_eq!(
            path_id::<String>("id", "abc".into()).ok().as_deref(),
            Some("abc")
        );
    }
}
