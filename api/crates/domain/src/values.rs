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

/// A password acceptable for a new account: long enough, not a common one, not all one class
/// of character.
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
    } else if is_common_password(pw) {
        Err(FieldError::new(
            field,
            "common_password",
            text!(
                "è tra le password più usate (o è quella pubblica della demo): scegline una meno prevedibile",
                "is one of the most used passwords (or the demo's public one): choose a less predictable one"
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
        assert!(check_password("p", "Treviglio-2026!").is_ok());
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

// ------------------------------------------------------------------ raw input, at the edge

/// The earliest and latest year a date sent to the API may name (birth dates, meetings,
/// thresholds, due dates, query filters): anything outside is a typo or an attack — a date
/// before 4714 BC is not even storable on PostgreSQL.
pub const YEAR_MIN: i32 = 1900;
/// See [`YEAR_MIN`].
pub const YEAR_MAX: i32 = 2200;

/// The longest list a request body may carry (a district's ISTAT codes, at most 500, are the
/// longest legitimate one).
pub const LIST_MAX_ITEMS: usize = 500;

/// A control character that no text field takes: C0 but tab, line feed and carriage return
/// (multi-line texts keep `\n`, `\t` and `\r\n`), DEL and C1. NUL is among them (PostgreSQL
/// cannot store it in text).
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// An invisible formatting character (Unicode category Cf) or a line break, which a name
/// never holds: zero-width spaces and joiners, bidi embeddings, overrides and isolates (a
/// right-to-left override makes `Rossi` print as something else), the soft hyphen, the BOM.
pub fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
        || c.is_control()
}

/// Whether a field holds a name (`name`, `first_name`, `full_name`, …): names refuse format
/// characters and line breaks.
pub fn is_name_field(key: &str) -> bool {
    key == "name" || key.ends_with("_name")
}

/// Whether a field holds a secret, kept exactly as typed (never trimmed).
pub fn is_secret_field(key: &str) -> bool {
    key.contains("password") || key.contains("secret") || key.contains("token")
}

/// The year a text names when it is written as an ISO date or date-time (`YYYY-MM-DD…`,
/// signed or with more digits, as chrono reads them); `None` for any other text.
pub fn iso_year(s: &str) -> Option<i64> {
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'-') => (-1, &s[1..]),
        Some(b'+') => (1, &s[1..]),
        _ => (1, s),
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let tail = rest.get(digits..)?.as_bytes();
    let shaped = digits >= 4
        && tail.len() >= 6
        && tail[0] == b'-'
        && tail[1..3].iter().all(u8::is_ascii_digit)
        && tail[3] == b'-'
        && tail[4..6].iter().all(u8::is_ascii_digit)
        && (tail.len() == 6 || matches!(tail[6], b'T' | b't' | b' '));
    if !shaped {
        return None;
    }
    // More digits than any i64 holds is still a year out of range.
    Some(rest[..digits].parse::<i64>().map_or(i64::MAX, |y| sign * y))
}

/// What is wrong with one text value sent in field `field` (a body field or a query or path
/// parameter), every rule that every text obeys: no control character, no format character
/// in a name, a date within [`YEAR_MIN`]–[`YEAR_MAX`].
pub fn check_raw_text(field: &str, key: &str, s: &str) -> Option<FieldError> {
    if let Some(c) = s.chars().find(|c| is_forbidden_control(*c)) {
        let code = format!("U+{:04X}", u32::from(c));
        return Some(FieldError::new(
            field,
            "control_character",
            text!(
                "contiene un carattere di controllo ({code}) non ammesso",
                "contains a control character ({code}) that is not allowed"
            ),
        ));
    }
    if is_name_field(key) {
        if let Some(c) = s.chars().find(|c| is_format_char(*c)) {
            let code = format!("U+{:04X}", u32::from(c));
            return Some(FieldError::new(
                field,
                "format_character",
                text!(
                    "un nome non può contenere caratteri invisibili, di formato o a capo ({code})",
                    "a name cannot hold invisible, formatting or line-break characters ({code})"
                ),
            ));
        }
    }
    if let Some(year) = iso_year(s) {
        if year < i64::from(YEAR_MIN) || year > i64::from(YEAR_MAX) {
            return Some(FieldError::new(
                field,
                "range",
                text!(
                    "la data deve cadere tra il {YEAR_MIN} e il {YEAR_MAX}",
                    "the date must fall between {YEAR_MIN} and {YEAR_MAX}"
                ),
            ));
        }
    }
    None
}

/// Normalises a JSON body before it is parsed and validated, and lists what no field may hold:
/// texts trimmed (so a whitespace-only text fails `required` and `min`; secrets stay as typed),
/// lists of texts without repeats (the first of each kept) and at most [`LIST_MAX_ITEMS`] long,
/// then [`check_raw_text`] on every text, each error naming its field (`a.b[2].c`).
pub fn normalise_body(value: &mut serde_json::Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    walk(value, "", "", &mut errors);
    errors
}

fn walk(value: &mut serde_json::Value, path: &str, key: &str, errors: &mut Vec<FieldError>) {
    use serde_json::Value;
    let field = if path.is_empty() { "body" } else { path };
    match value {
        Value::String(s) => {
            if !is_secret_field(key) {
                let trimmed = s.trim();
                if trimmed.len() != s.len() {
                    *s = trimmed.to_string();
                }
            }
            errors.extend(check_raw_text(field, key, s));
        }
        Value::Array(items) => {
            if items.len() > LIST_MAX_ITEMS {
                errors.push(FieldError::new(
                    field,
                    "length",
                    text!(
                        "può avere al massimo {LIST_MAX_ITEMS} elementi",
                        "may have at most {LIST_MAX_ITEMS} items"
                    ),
                ));
                return;
            }
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &format!("{field}[{i}]"), key, errors);
            }
            if items.iter().all(Value::is_string) {
                let mut seen = std::collections::HashSet::new();
                items.retain(|v| seen.insert(v.as_str().map(str::to_string)));
            }
        }
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(v, &p, k, errors);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod raw_input_tests {
    use super::*;

    fn codes(v: serde_json::Value) -> (serde_json::Value, Vec<(String, String)>) {
        let mut v = v;
        let e = normalise_body(&mut v);
        (v, e.into_iter().map(|f| (f.field, f.code)).collect())
    }

    #[test]
    fn nul_and_control_characters_are_refused_with_their_field() {
        let (_, e) = codes(serde_json::json!({"a": {"b": ["x", "y\u{0}"]}, "note": "ok\r\n\tok"}));
        assert_eq!(e, vec![("a.b[1]".into(), "control_character".into())]);
    }

    #[test]
    fn names_refuse_format_characters_and_line_breaks() {
        let (_, e) = codes(
            serde_json::json!({"first_name": "Ma\u{202E}rio", "last_name": "Ro\nssi",
            "reason": "ok \u{200B}"}),
        );
        assert_eq!(
            e,
            vec![
                ("first_name".into(), "format_character".into()),
                ("last_name".into(), "format_character".into())
            ]
        );
    }

    #[test]
    fn dates_outside_the_years_are_refused_and_texts_trimmed_and_deduplicated() {
        let (v, e) = codes(
            serde_json::json!({"on": "-4800-01-01", "to": "2201-01-01T00:00:00Z",
            "from": "2026-01-01", "q": "  x  ", "password": " p ", "g": ["a", "b", "a"]}),
        );
        assert_eq!(
            e,
            vec![("on".into(), "range".into()), ("to".into(), "range".into())]
        );
        assert_eq!(v["q"], "x");
        assert_eq!(v["password"], " p ");
        assert_eq!(v["g"], serde_json::json!(["a", "b"]));
        assert_eq!(iso_year("99999999999999999999999-01-01"), Some(i64::MAX));
        assert_eq!(iso_year("2026-13"), None);
        assert_eq!(iso_year("Via Roma 1"), None);
    }
}
