//! Values with rules, parsed once at the edge (parse, don't validate).

use crate::error::FieldError;
use crate::text;

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
                text!(
                    "deve essere un indirizzo e-mail valido",
                    "must be a valid e-mail address"
                ),
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
            text!(
                "deve avere almeno 10 caratteri",
                "must be at least 10 characters"
            ),
        ))
    } else if pw.len() > 256 {
        Err(FieldError::new(
            field,
            "length",
            text!(
                "deve avere al massimo 256 byte",
                "must be at most 256 bytes"
            ),
        ))
    } else if pw.chars().any(|c| c.is_control()) {
        Err(FieldError::new(
            field,
            "control_characters",
            text!(
                "non può contenere caratteri di controllo",
                "must not contain control characters"
            ),
        ))
    } else if classes < 3 {
        Err(FieldError::new(
            field,
            "weak_password",
            text!(
                "deve combinare almeno tre tra: minuscole, maiuscole, cifre, simboli",
                "must mix at least three of: lower case, upper case, digits, symbols"
            ),
        ))
    } else if is_common_password(pw) {
        Err(FieldError::new(
            field,
            "common_password",
            text!(
                "è tra le password più usate (o è quella pubblica della demo): scegline una meno prevedibile",
                "is one of the most used passwords (or the demo's public one): choose a less predictable one"
            ),
        ))
    } else {
        Ok(())
    }
}

/// The demo users' password, published in the README: never acceptable as a new password.
pub const DEMO_PASSWORD: &str = "Demo-2026!";

/// Common passwords, lower case (zxcvbn's list; see the file's header).
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

fn common_passwords() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    })
}

/// Whether `pw`, ignoring case, is a common password, one followed only by digits and
/// symbols (`Password2026!`), or the demo's.
pub fn is_common_password(pw: &str) -> bool {
    let lower = pw.to_lowercase();
    if lower == DEMO_PASSWORD.to_lowercase() {
        return true;
    }
    let set = common_passwords();
    if set.contains(lower.as_str()) {
        return true;
    }
    let stem = lower.trim_end_matches(|c: char| !c.is_alphabetic());
    stem.chars().count() >= 4 && set.contains(stem)
}

/// Money in euro cents: never negative, never a float.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema,
)]
#[serde(transparent)]
#[schema(value_type = i64, minimum = 0, example = 150000)]
pub struct Cents(i64);

impl Cents {
    pub fn parse(field: &str, v: i64) -> Result<Cents, FieldError> {
        if v < 0 {
            Err(FieldError::new(
                field,
                "range",
                text!("non può essere negativo", "must not be negative"),
            ))
        } else if v > 100_000_000_000 {
            Err(FieldError::new(
                field,
                "range",
                text!(
                    "deve essere al massimo 1.000.000.000,00 euro",
                    "must be at most 1,000,000,000.00 euro"
                ),
            ))
        } else {
            Ok(Cents(v))
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }

    pub const ZERO: Cents = Cents(0);

    /// The sum, or `None` past the largest amount.
    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }

    /// The difference, never below zero.
    pub fn saturating_sub(self, other: Cents) -> Cents {
        Cents((self.0 - other.0).max(0))
    }
}

/// How storage reads an amount back: a negative one was not written by this program.
impl TryFrom<i64> for Cents {
    type Error = crate::error::UnknownValue;
    fn try_from(v: i64) -> Result<Cents, Self::Error> {
        if v < 0 {
            Err(crate::error::UnknownValue {
                of: "Cents",
                value: v.to_string(),
            })
        } else {
            Ok(Cents(v))
        }
    }
}

impl From<Cents> for i64 {
    fn from(c: Cents) -> i64 {
        c.0
    }
}

impl std::fmt::Display for Cents {
    /// Italian style: `6.000,00 €`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let euros = self.0 / 100;
        let cents = self.0 % 100;
        let digits = euros.to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(ch);
        }
        write!(f, "{grouped},{cents:02} €")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_demo_passwords_are_refused() {
        for pw in [
            "Password12",
            "Qwerty1234",
            "PASSWORD12",
            "Demo-2026!",
            "demo-2026!",
            "Password2026!",
            "Football-99",
        ] {
            assert_eq!(
                check_password("password", pw).map_err(|e| e.code),
                Err("common_password".to_string()),
                "{pw}"
            );
        }
        assert!(check_password("password", "Sicura-2026!").is_ok());
        assert!(check_password("password", "Bergamo-Lavoro-7").is_ok());
        let control = check_password("password", "Sicura-2026!\u{7}").map_err(|e| e.code);
        assert_eq!(control, Err("control_characters".to_string()));
    }

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
    fn cents_print_the_italian_way() {
        assert_eq!(Cents(600_000).to_string(), "6.000,00 €");
        assert_eq!(Cents(150_005).to_string(), "1.500,05 €");
        assert_eq!(Cents(99).to_string(), "0,99 €");
        assert_eq!(Cents(12_345_678_900).to_string(), "123.456.789,00 €");
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

/// What a `kept` field says when a merge patch sets it to `null`; the body parser turns it into
/// the field rule `not_clearable`.
pub const NOT_CLEARABLE: &str = "not_clearable";

/// For fields of a change (`PATCH`, JSON Merge Patch) that cannot be emptied: absent is `None`
/// (unchanged), a value is `Some(value)`, and `null` — which in a merge patch would clear it —
/// is refused instead of ignored. Use with `#[serde(default, deserialize_with = "kept")]`.
pub fn kept<'de, T, D>(de: D) -> Result<Option<T>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    use serde::de::Error as _;
    use serde::Deserialize;
    match Option::<T>::deserialize(de)? {
        Some(v) => Ok(Some(v)),
        None => Err(D::Error::custom(NOT_CLEARABLE)),
    }
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
