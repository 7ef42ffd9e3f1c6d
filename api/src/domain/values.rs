//! Values with rules, parsed once at the edge (parse, don't validate).

use crate::http::problem::FieldError;

/// A normalised (trimmed, lower-case) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Email, FieldError> {
        let s = raw.trim().to_lowercase();
        let valid = s.len() <= 254
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !s.chars().any(|c| c.is_whitespace())
                    && s.matches('@').count() == 1
            });
        if valid {
            Ok(Email(s))
        } else {
            Err(FieldError::new(
                field,
                "email",
                "must be a valid e-mail address",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A password acceptable for a new account: long enough, not all one class of character.
pub fn check_password(field: &str, pw: &str) -> Result<(), FieldError> {
    let classes = [
        pw.chars().any(|c| c.is_lowercase()),
        pw.chars().any(|c| c.is_uppercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if pw.chars().count() < 10 {
        Err(FieldError::new(
            field,
            "length",
            "must be at least 10 characters",
        ))
    } else if pw.len() > 256 {
        Err(FieldError::new(
            field,
            "length",
            "must be at most 256 bytes",
        ))
    } else if classes < 3 {
        Err(FieldError::new(
            field,
            "weak_password",
            "must mix at least three of: lower case, upper case, digits, symbols",
        ))
    } else {
        Ok(())
    }
}

/// Money in euro cents: never negative, never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cents(i64);

impl Cents {
    pub fn parse(field: &str, v: i64) -> Result<Cents, FieldError> {
        if v < 0 {
            Err(FieldError::new(field, "range", "must not be negative"))
        } else if v > 100_000_000_000 {
            Err(FieldError::new(
                field,
                "range",
                "must be at most 1,000,000,000.00 euro",
            ))
        } else {
            Ok(Cents(v))
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse("email", " Mario.Rossi@Example.IT ").map(Email::into_inner),
            Ok("mario.rossi@example.it".to_string())
        );
        for bad in ["", "a", "a@b", "@b.it", "a b@c.it", "a@@b.it", "a@.it"] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_length_and_variety() {
        assert!(check_password("p", "Demo-2026!").is_ok());
        assert_eq!(
            check_password("p", "short1!").map_err(|e| e.code),
            Err("length".into())
        );
        assert_eq!(
            check_password("p", "alllowercaseletters").map_err(|e| e.code),
            Err("weak_password".into())
        );
    }

    #[test]
    fn cents_refuse_negative_amounts() {
        assert!(Cents::parse("amount_cents", -1).is_err());
        assert_eq!(
            Cents::parse("amount_cents", 150_000).map(Cents::get),
            Ok(150_000)
        );
    }
}

/// For fields of a change (`PATCH`) that may be emptied: absent is `None` (unchanged), `null`
/// is `Some(None)` (cleared), a value is `Some(Some(value))`. Use with
/// `#[serde(default, deserialize_with = "clearable")]`.
pub fn clearable<'de, T, D>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    use serde::Deserialize;
    Option::<T>::deserialize(de).map(Some)
}

#[cfg(test)]
mod clearable_tests {
    #[derive(serde::Deserialize)]
    struct Change {
        #[serde(default, deserialize_with = "super::clearable")]
        email: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_are_three_different_things() {
        let parse = |s: &str| serde_json::from_str::<Change>(s).expect("valid").email;
        assert_eq!(parse("{}"), None);
        assert_eq!(parse(r#"{"email": null}"#), Some(None));
        assert_eq!(parse(r#"{"email": "a@b.it"}"#), Some(Some("a@b.it".into())));
    }
}
