//! Italian tax codes (*codice fiscale*): parsing, *omocodia*, and cross-checks with personal data.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Text};
use crate::municipality::{self, Municipality};
use crate::text;

/// A valid tax code, normalised (no spaces, upper case): either a personal 16-character
/// code or an 11-digit temporary one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaxCode(String);

/// What a personal tax code encodes, with *omocodia* letters decoded back to digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Decoded {
    /// `'M'` or `'F'`.
    pub gender: char,
    pub day: u32,
    pub month: u32,
    /// The last two digits of the birth year: the code does not record the century.
    pub year: u32,
    pub belfiore: &'static str,
}

/// A difference between a tax code and the personal data it should encode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// `first_name`, `last_name`, `birth_date` or `gender`.
    pub field: &'static str,
    /// Always `tax_code_mismatch`.
    pub code: &'static str,
    pub message: Text,
}

/// Why a tax code was refused; `code()` is the stable machine code for the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaxCodeError {
    Required,
    Length {
        found: usize,
    },
    /// `position` is 1-based, as a person counts the characters.
    Format {
        position: usize,
        expected: Expected,
        found: char,
    },
    Month {
        found: char,
    },
    /// `encoded` is the day as written (41–71 for women); `year` has two digits.
    Day {
        encoded: u32,
        month: u32,
        year: u32,
    },
    Municipality {
        code: String,
    },
    Checksum {
        expected: char,
        found: char,
    },
}

/// The kind of character a position of the code must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Letter,
    /// A digit, or its *omocodia* letter.
    DigitOrOmocodia,
    /// Temporary codes are digits only.
    Digit,
}

// Letters that stand for 0..=9 when the Agenzia delle Entrate reissues a code that
// collides with an existing one (omocodia).
const OMOCODIA: [u8; 10] = *b"LMNPQRSTUV";
// 0-based positions that may carry an omocodia letter.
const OMOCODIA_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];
const MONTHS: [u8; 12] = *b"ABCDEHLMPRST";
const MESI: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
// Value of each character in an odd (1-based) position, indexed by digit or by letter;
// from the 1976 decree (DM 23/12/1976) that defines the check character.
const ODD_VALUES: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/// Characters a pasted tax code may carry between its characters; dropped by [`TaxCode::parse`].
const SEPARATORS: [char; 5] = [' ', '\t', '\n', '\r', '\u{a0}'];

/// The shape of a tax code as the API accepts it (an ECMA-262 regular expression, published
/// as the `pattern` of `tax_code` in openapi.yaml): 11 digits, or the 16 characters of a
/// personal code (letters, digits or their *omocodia* letters, the month letter), either case,
/// with [`SEPARATORS`] anywhere. A test checks it against the parser.
pub const TAX_CODE_PATTERN: &str = r"^[ \t\n\r\u00a0]*(?:(?:[0-9][ \t\n\r\u00a0]*){11}|(?:[A-Za-z][ \t\n\r\u00a0]*){6}(?:[0-9LMNP-Vlmnp-v][ \t\n\r\u00a0]*){2}[ABCDEHLMPRSTabcdehlmprst][ \t\n\r\u00a0]*(?:[0-9LMNP-Vlmnp-v][ \t\n\r\u00a0]*){2}[A-Za-z][ \t\n\r\u00a0]*(?:[0-9LMNP-Vlmnp-v][ \t\n\r\u00a0]*){3}[A-Za-z][ \t\n\r\u00a0]*)$";

impl TaxCode {
    /// Parses user input: spaces, tabs, line breaks and no-break spaces anywhere are
    /// dropped and letters upper-cased, since codes are often pasted as `rssmra 85t10 a562s`.
    /// What it accepts is exactly [`TAX_CODE_PATTERN`] followed by the check character and
    /// date rules, which no pattern can state.
    pub fn parse(input: &str) -> Result<TaxCode, TaxCodeError> {
        let code: String = input
            .chars()
            .filter(|c| !SEPARATORS.contains(c))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.is_empty() {
            return Err(TaxCodeError::Required);
        }
        let chars: Vec<char> = code.chars().collect();
        match chars.len() {
            11 => parse_temporary(&chars)?,
            16 => parse_personal(&chars)?,
            found => return Err(TaxCodeError::Length { found }),
        }
        Ok(TaxCode(code))
    }

    /// Computes the personal code of a person born in Italy or abroad (`belfiore` of the
    /// municipality or country). `None` when a name has no Latin letters or the gender is
    /// neither `F` nor `M`. Used by demo data and by forms that suggest the code.
    pub fn compose(
        last_name: &str,
        first_name: &str,
        birth_date: NaiveDate,
        gender: char,
        belfiore: &str,
    ) -> Option<TaxCode> {
        use chrono::Datelike;
        let day = match gender {
            'M' => birth_date.day(),
            'F' => birth_date.day() + 40,
            _ => return None,
        };
        let month = *MONTHS.get(birth_date.month0() as usize)? as char;
        let mut code = format!(
            "{}{}{:02}{}{:02}{}",
            encode_last_name(last_name)?,
            encode_first_name(first_name)?,
            birth_date.year() % 100,
            month,
            day,
            belfiore.to_uppercase()
        );
        if code.len() != 15 {
            return None;
        }
        code.push(check_character(code.as_bytes()) as char);
        TaxCode::parse(&code).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An 11-digit temporary code (*codice fiscale numerico provvisorio*), which encodes
    /// no personal data.
    pub fn is_temporary(&self) -> bool {
        self.0.len() == 11
    }

    /// Whether the code carries omocodia letters in place of digits.
    pub fn is_omocodic(&self) -> bool {
        !self.is_temporary()
            && OMOCODIA_POSITIONS
                .iter()
                .any(|&i| self.0.as_bytes()[i].is_ascii_uppercase())
    }

    /// Gender, birth day, month, two-digit year and birthplace; `None` for temporary codes.
    pub fn decoded(&self) -> Option<Decoded> {
        if self.is_temporary() {
            return None;
        }
        let digits = decode_omocodia(self.0.as_bytes());
        let encoded_day = number(&digits[9..11]);
        let (gender, day) = if encoded_day > 40 {
            ('F', encoded_day - 40)
        } else {
            ('M', encoded_day)
        };
        let month = month_number(digits[8])?;
        let belfiore = municipality::by_belfiore(std::str::from_utf8(&digits[11..15]).ok()?)?;
        Some(Decoded {
            gender,
            day,
            month,
            year: number(&digits[6..8]),
            belfiore: belfiore.belfiore,
        })
    }

    /// The birth dates the code can stand for: the same day in 19xx and 20xx, when it
    /// exists in that year (29 February 1900 does not).
    pub fn birth_date_candidates(&self) -> Vec<NaiveDate> {
        self.decoded()
            .map(|d| {
                [1900, 2000]
                    .iter()
                    .filter_map(|century| {
                        NaiveDate::from_ymd_opt(century + d.year as i32, d.month, d.day)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The Belfiore code of the birthplace (omocodia decoded); `None` for temporary codes.
    pub fn belfiore(&self) -> Option<&str> {
        self.decoded().map(|d| d.belfiore)
    }

    /// The birthplace: a municipality (possibly former) or a foreign country.
    pub fn birthplace(&self) -> Option<&'static Municipality> {
        self.decoded()
            .and_then(|d| municipality::by_belfiore(d.belfiore))
    }

    /// Where the code disagrees with a person's data, so a form can flag a typo in either.
    /// Temporary codes encode nothing and never mismatch. Checks are skipped for a name
    /// with no Latin letters and a gender other than `M`/`F`, which the code cannot
    /// express.
    pub fn mismatches(
        &self,
        first_name: &str,
        last_name: &str,
        birth_date: NaiveDate,
        gender: char,
    ) -> Vec<Mismatch> {
        let Some(decoded) = self.decoded() else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mismatch = |field, message| Mismatch {
            field,
            code: "tax_code_mismatch",
            message,
        };

        let surname_part = &self.0[0..3];
        if let Some(expected) = encode_last_name(last_name) {
            if expected != surname_part {
                let name = last_name.trim();
                found.push(mismatch(
                    "last_name",
                    text!(
                        "il cognome '{name}' non corrisponde al codice fiscale \
                         (il codice riporta '{surname_part}', il cognome dà '{expected}')",
                        "last name '{name}' does not match the tax code \
                         (it encodes '{surname_part}', the last name gives '{expected}')"
                    ),
                ));
            }
        }

        let name_part = &self.0[3..6];
        if let Some(expected) = encode_first_name(first_name) {
            if expected != name_part {
                let name = first_name.trim();
                found.push(mismatch(
                    "first_name",
                    text!(
                        "il nome '{name}' non corrisponde al codice fiscale \
                         (il codice riporta '{name_part}', il nome dà '{expected}')",
                        "first name '{name}' does not match the tax code \
                         (it encodes '{name_part}', the first name gives '{expected}')"
                    ),
                ));
            }
        }

        let same_date = birth_date.day() == decoded.day
            && birth_date.month() == decoded.month
            && birth_date.year().rem_euclid(100) as u32 == decoded.year;
        if !same_date {
            let (d, m, y) = (decoded.day, decoded.month, decoded.year);
            let given = birth_date.format("%d/%m/%Y");
            found.push(mismatch(
                "birth_date",
                text!(
                    "la data di nascita {given} non corrisponde al codice fiscale \
                     (il codice riporta {d:02}/{m:02}/{y:02})",
                    "birth date {birth_date} does not match the tax code \
                     (it encodes {d:02}/{m:02}/{y:02})"
                ),
            ));
        }

        let gender = gender.to_ascii_uppercase();
        if matches!(gender, 'M' | 'F') && gender != decoded.gender {
            let encoded = decoded.gender;
            found.push(mismatch(
                "gender",
                text!(
                    "il sesso {gender} non corrisponde al codice fiscale (il codice riporta \
                     {encoded})",
                    "gender {gender} does not match the tax code (it encodes {encoded})"
                ),
            ));
        }
        found
    }
}

/// The three letters a last name contributes to a tax code: its first three consonants,
/// then vowels, then `X`. `None` if the name has no Latin letters to encode.
pub fn encode_last_name(last_name: &str) -> Option<String> {
    let (consonants, vowels) = split_letters(last_name)?;
    Some(pad(consonants.into_iter().chain(vowels)))
}

/// The three letters a first name contributes: with four or more consonants the 1st, 3rd
/// and 4th, otherwise as for last names. `None` if the name has no Latin letters.
pub fn encode_first_name(first_name: &str) -> Option<String> {
    let (consonants, vowels) = split_letters(first_name)?;
    if consonants.len() >= 4 {
        return Some(
            [consonants[0], consonants[2], consonants[3]]
                .iter()
                .collect(),
        );
    }
    Some(pad(consonants.into_iter().chain(vowels)))
}

fn split_letters(name: &str) -> Option<(Vec<char>, Vec<char>)> {
    // Accents, apostrophes, spaces and hyphens carry no letter of their own: "D'Amico"
    // and "Dell'Acqua Mühl" encode as "DAMICO" and "DELLACQUAMUHL".
    let letters: Vec<char> = name
        .chars()
        .filter_map(municipality::fold_letter)
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if letters.is_empty() {
        return None;
    }
    Some(letters.into_iter().partition(|c| !"AEIOU".contains(*c)))
}

fn pad(letters: impl Iterator<Item = char>) -> String {
    letters.chain(std::iter::repeat('X')).take(3).collect()
}

impl TaxCodeError {
    pub fn code(&self) -> &'static str {
        match self {
            TaxCodeError::Required => "required",
            TaxCodeError::Length { .. } => "length",
            TaxCodeError::Format { .. } => "format",
            TaxCodeError::Month { .. } => "month",
            TaxCodeError::Day { .. } => "day",
            TaxCodeError::Municipality { .. } => "municipality",
            TaxCodeError::Checksum { .. } => "checksum",
        }
    }

    /// Why, in both languages.
    pub fn text(&self) -> Text {
        match self {
            TaxCodeError::Required => text!(
                "il codice fiscale è obbligatorio",
                "the tax code is required"
            ),
            TaxCodeError::Length { found } => text!(
                "il codice fiscale ha 16 caratteri (o 11 cifre se provvisorio); questo ne ha \
                 {found}",
                "a tax code has 16 characters (or 11 digits if temporary); this one has {found}"
            ),
            TaxCodeError::Format {
                position,
                expected,
                found,
            } => {
                let (atteso, expected) = match expected {
                    Expected::Letter => ("una lettera", "a letter"),
                    Expected::Digit => ("una cifra", "a digit"),
                    Expected::DigitOrOmocodia => (
                        "una cifra (o una delle lettere L M N P Q R S T U V che sostituiscono \
                         le cifre in un codice omocodico)",
                        "a digit (or one of the letters L M N P Q R S T U V that replace \
                         digits in an omocodic code)",
                    ),
                };
                text!(
                    "il carattere {position} dovrebbe essere {atteso}, invece è '{found}'",
                    "character {position} should be {expected}, found '{found}'"
                )
            }
            TaxCodeError::Month { found } => text!(
                "il carattere 9 indica il mese di nascita e dovrebbe essere una tra \
                 A B C D E H L M P R S T, invece è '{found}'",
                "character 9 is the birth month and should be one of \
                 A B C D E H L M P R S T, found '{found}'"
            ),
            TaxCodeError::Day {
                encoded,
                month,
                year,
            } => {
                let day = match encoded {
                    1..=31 => *encoded,
                    41..=71 => encoded - 40,
                    _ => {
                        return text!(
                            "il giorno di nascita è '{encoded:02}': dovrebbe essere tra 01 e 31 \
                             per gli uomini o tra 41 e 71 per le donne",
                            "the birth day is '{encoded:02}': it should be 01–31 for men \
                             or 41–71 for women"
                        )
                    }
                };
                let i = (*month as usize).saturating_sub(1) % 12;
                let (mese, month_name) = (MESI[i], MONTH_NAMES[i]);
                if *month == 2 && day == 29 {
                    text!(
                        "la data di nascita è il 29 {mese}, \
                         ma né il 19{year:02} né il 20{year:02} sono bisestili",
                        "the birth date is 29 {month_name}, \
                         but neither 19{year:02} nor 20{year:02} is a leap year"
                    )
                } else {
                    text!(
                        "la data di nascita è il {day} {mese}, che non esiste",
                        "the birth date is {day} {month_name}, which does not exist"
                    )
                }
            }
            TaxCodeError::Municipality { code } => text!(
                "i caratteri 12–15 indicano il luogo di nascita e '{code}' non è il codice \
                 di un comune italiano né di uno Stato estero",
                "characters 12–15 are the birthplace, and '{code}' is not the code of \
                 an Italian municipality or a foreign country"
            ),
            TaxCodeError::Checksum { expected, found } => text!(
                "il carattere di controllo dovrebbe essere '{expected}', invece è '{found}': \
                 probabilmente uno dei caratteri è stato digitato male",
                "the check character should be '{expected}', found '{found}': \
                 one of the characters is probably mistyped"
            ),
        }
    }

    /// Why, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.text().get(lang).to_string()
    }
}

impl fmt::Display for TaxCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for TaxCodeError {}

fn parse_temporary(chars: &[char]) -> Result<(), TaxCodeError> {
    let mut digits = [0u32; 11];
    for (i, (&c, digit)) in chars.iter().zip(digits.iter_mut()).enumerate() {
        *digit = c.to_digit(10).ok_or(TaxCodeError::Format {
            position: i + 1,
            expected: Expected::Digit,
            found: c,
        })?;
    }
    // The partita IVA algorithm (DPR 633/1972): digits in even 1-based positions are
    // doubled, with 9 subtracted from two-digit results.
    let sum: u32 = digits[..10]
        .iter()
        .enumerate()
        .map(|(i, &d)| match (i % 2, d * 2) {
            (0, _) => d,
            (_, doubled) if doubled > 9 => doubled - 9,
            (_, doubled) => doubled,
        })
        .sum();
    let expected = (10 - sum % 10) % 10;
    if digits[10] != expected {
        return Err(TaxCodeError::Checksum {
            expected: digit_char(expected),
            found: chars[10],
        });
    }
    Ok(())
}

fn parse_personal(chars: &[char]) -> Result<(), TaxCodeError> {
    for (i, &c) in chars.iter().enumerate() {
        let expected = if OMOCODIA_POSITIONS.contains(&i) {
            Expected::DigitOrOmocodia
        } else {
            Expected::Letter
        };
        let ok = match expected {
            Expected::DigitOrOmocodia => {
                c.is_ascii_digit() || (c.is_ascii() && OMOCODIA.contains(&(c as u8)))
            }
            _ => c.is_ascii_uppercase(),
        };
        if !ok {
            return Err(TaxCodeError::Format {
                position: i + 1,
                expected,
                found: c,
            });
        }
    }
    // Every character is ASCII from here on.
    let bytes: Vec<u8> = chars.iter().map(|&c| c as u8).collect();
    // Any subset of positions is accepted: the Agenzia replaces from the right, but codes
    // issued by hand do not always follow that order and are still valid.
    let digits = decode_omocodia(&bytes);

    let month = month_number(bytes[8]).ok_or(TaxCodeError::Month { found: chars[8] })?;
    let encoded = number(&digits[9..11]);
    let year = number(&digits[6..8]);
    let day_exists = |day| {
        [1900, 2000]
            .iter()
            .any(|century| NaiveDate::from_ymd_opt(century + year as i32, month, day).is_some())
    };
    let day_ok = match encoded {
        1..=31 => day_exists(encoded),
        41..=71 => day_exists(encoded - 40),
        _ => false,
    };
    if !day_ok {
        return Err(TaxCodeError::Day {
            encoded,
            month,
            year,
        });
    }

    let belfiore: String = digits[11..15].iter().map(|&b| b as char).collect();
    if municipality::by_belfiore(&belfiore).is_none() {
        return Err(TaxCodeError::Municipality { code: belfiore });
    }

    // Computed on the code as written, omocodia letters included.
    let expected = check_character(&bytes[..15]);
    if bytes[15] != expected {
        return Err(TaxCodeError::Checksum {
            expected: expected as char,
            found: chars[15],
        });
    }
    Ok(())
}

fn check_character(first15: &[u8]) -> u8 {
    let sum: u32 = first15
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let index = if b.is_ascii_digit() {
                b - b'0'
            } else {
                b - b'A'
            } as usize;
            // 0-based even indexes are the decree's odd positions.
            if i % 2 == 0 {
                ODD_VALUES[index]
            } else {
                index as u32
            }
        })
        .sum();
    b'A' + (sum % 26) as u8
}

fn decode_omocodia(code: &[u8]) -> Vec<u8> {
    let mut digits = code.to_vec();
    for &i in &OMOCODIA_POSITIONS {
        if let Some(value) = OMOCODIA.iter().position(|&l| l == digits[i]) {
            digits[i] = b'0' + value as u8;
        }
    }
    digits
}

fn month_number(letter: u8) -> Option<u32> {
    MONTHS
        .iter()
        .position(|&m| m == letter)
        .map(|i| i as u32 + 1)
}

fn number(ascii_digits: &[u8]) -> u32 {
    ascii_digits
        .iter()
        .fold(0, |n, &b| n * 10 + u32::from(b.wrapping_sub(b'0')))
}

fn digit_char(digit: u32) -> char {
    char::from_digit(digit, 10).unwrap_or('?')
}

impl fmt::Display for TaxCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for TaxCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for TaxCode {
    type Err = TaxCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TaxCode::parse(s)
    }
}

impl TryFrom<String> for TaxCode {
    type Error = TaxCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        TaxCode::parse(&value)
    }
}

impl Serialize for TaxCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Deserializing validates, so a `TaxCode` field can never hold an invalid code. Request
/// bodies that need per-field errors should take a `String` and call [`TaxCode::parse`].
impl<'de> Deserialize<'de> for TaxCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        TaxCode::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn compose_builds_the_code_that_parses_back() {
        let d = chrono::NaiveDate::from_ymd_opt(1985, 12, 10).expect("date");
        let code = super::TaxCode::compose("Rossi", "Mario", d, 'M', "A562").expect("code");
        assert_eq!(code.as_str(), "RSSMRA85T10A562S");
        assert!(code.mismatches("Mario", "Rossi", d, 'M').is_empty());
        assert!(super::TaxCode::compose("Rossi", "Maria", d, 'X', "A562").is_none());
    }

    use super::*;

    fn parse(code: &str) -> TaxCode {
        TaxCode::parse(code).unwrap_or_else(|e| panic!("{code} should be valid: {e}"))
    }

    /// The published pattern and the parser agree on the shape of a code: the pattern matches
    /// exactly the inputs the parser refuses for no reason other than the check character, the
    /// encoded day or the place (rules no pattern states).
    #[test]
    fn published_pattern_is_the_parsers_shape() {
        let re = regex::Regex::new(TAX_CODE_PATTERN).expect("the pattern compiles");
        let shaped = |s: &str| {
            !matches!(
                TaxCode::parse(s),
                Err(TaxCodeError::Required
                    | TaxCodeError::Length { .. }
                    | TaxCodeError::Format { .. }
                    | TaxCodeError::Month { .. })
            )
        };
        let probes = [
            'a', 'Z', 'A', 'B', 'F', 'l', 'V', 'W', 'u', '0', '9', '-', '.', ' ', '\t', '\n', '\r',
            '\u{a0}', '\u{2003}', '\u{1c}', 'é', 'ß', 'ı', 'K',
        ];
        let mut inputs: Vec<String> = vec![String::new(), " ".into(), "\u{a0}".into()];
        for base in [
            "RSSMRA85T10A562S",
            "rssmra 85t10 a562s",
            "12345678903",
            "RSSMRALRTMMAPMNZ",
        ] {
            let chars: Vec<char> = base.chars().collect();
            inputs.push(base.into());
            for i in 0..=chars.len() {
                for &p in &probes {
                    let mut replaced = chars.clone();
                    if i < chars.len() {
                        replaced[i] = p;
                        inputs.push(replaced.iter().collect());
                    }
                    let mut inserted = chars.clone();
                    inserted.insert(i, p);
                    inputs.push(inserted.iter().collect());
                }
                inputs.push(chars[..i].iter().collect());
            }
        }
        let mut checked = 0;
        for input in &inputs {
            assert_eq!(
                re.is_match(input),
                shaped(input),
                "pattern and parser disagree on {input:?} ({:?})",
                TaxCode::parse(input).err()
            );
            checked += 1;
        }
        assert!(checked > 1000, "only {checked} inputs");
    }

    fn error(code: &str) -> TaxCodeError {
        match TaxCode::parse(code) {
            Ok(_) => panic!("{code} should be refused"),
            Err(e) => e,
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn parses_the_well_known_example_code() {
        let code = parse("RSSMRA85T10A562S");
        assert_eq!(code.as_str(), "RSSMRA85T10A562S");
        assert!(!code.is_temporary());
        assert!(!code.is_omocodic());
        assert_eq!(
            code.decoded(),
            Some(Decoded {
                gender: 'M',
                day: 10,
                month: 12,
                year: 85,
                belfiore: "A562",
            })
        );
        assert_eq!(code.belfiore(), Some("A562"));
        assert_eq!(
            code.birthplace().map(|m| m.name),
            Some("San Giuliano Terme")
        );
    }

    #[test]
    fn normalises_case_and_spaces() {
        assert_eq!(parse("  rssmra 85t10 a562s\t").as_str(), "RSSMRA85T10A562S");
        assert_eq!(
            "rssmra85t10a562s".parse::<TaxCode>(),
            Ok(parse("RSSMRA85T10A562S"))
        );
    }

    #[test]
    fn accepts_real_codes_computed_independently() {
        // Cross-checked with the python-codicefiscale reference implementation.
        for code in [
            "BNCGLI92B69A794R", // woman, 29 Feb 1992, Bergamo
            "FRRNNA78D70A794Q", // woman, 30 Apr 1978
            "FOXLUX00T71F205R", // woman, 31 Dec 2000, Milano; short names padded with X
            "DMCGFR70A01H501U", // D'Amico Gianfranco, Roma
            "DLLMGR04H55Z112H", // born in Germany
            "ZTRYSA99C45Z243X", // born in Turkey
            "REXGUO20B29A002D", // born 1920 in a municipality abolished in 1928
            "VRDGPP01A01A794S",
        ] {
            parse(code);
        }
    }

    #[test]
    fn women_have_forty_added_to_the_day() {
        let code = parse("BNCGLI92B69A794R");
        let decoded = code.decoded().expect("personal code");
        assert_eq!((decoded.gender, decoded.day, decoded.month), ('F', 29, 2));
        assert_eq!(parse("FOXLUX00T71F205R").decoded().map(|d| d.day), Some(31));
        assert_eq!(parse("DLLMGR04H55Z112H").decoded().map(|d| d.day), Some(15));
    }

    #[test]
    fn birth_date_candidates_cover_both_centuries() {
        assert_eq!(
            parse("RSSMRA85T10A562S").birth_date_candidates(),
            vec![date(1985, 12, 10), date(2085, 12, 10)]
        );
        // 1900 was not a leap year, 2000 was.
        let leap = parse("REXGUO00B29F205Q");
        assert_eq!(leap.birth_date_candidates(), vec![date(2000, 2, 29)]);
        assert!(parse("00743110157").birth_date_candidates().is_empty());
    }

    #[test]
    fn omocodic_variants_decode_to_the_same_person() {
        let original = parse("RSSMRA85T10A562S").decoded();
        // One, two and all seven digits replaced.
        for code in ["RSSMRA85T10A56NH", "RSSMRA85T10A5S2E", "RSSMRAURTMLARSNL"] {
            let code = parse(code);
            assert!(code.is_omocodic(), "{code}");
            assert_eq!(code.decoded(), original, "{code}");
            assert_eq!(code.belfiore(), Some("A562"));
        }
        let woman = parse("DLLMGRLQHRRZMMNV");
        assert_eq!(woman.decoded(), parse("DLLMGR04H55Z112H").decoded());
    }

    #[test]
    fn omocodic_check_character_is_computed_on_the_letters() {
        // Same digits decoded, but the check character of the plain code is refused.
        assert_eq!(
            error("RSSMRA85T10A56NS"),
            TaxCodeError::Checksum {
                expected: 'H',
                found: 'S'
            }
        );
    }

    #[test]
    fn required_when_empty_or_blank() {
        assert_eq!(error(""), TaxCodeError::Required);
        assert_eq!(error(" \t "), TaxCodeError::Required);
        assert_eq!(error("").code(), "required");
        assert_eq!(error("").message(Lang::En), "the tax code is required");
    }

    #[test]
    fn length_other_than_16_or_11() {
        assert_eq!(error("RSSMRA85T10A562"), TaxCodeError::Length { found: 15 });
        assert_eq!(
            error("RSSMRA85T10A562SS"),
            TaxCodeError::Length { found: 17 }
        );
        assert_eq!(error("0123456789"), TaxCodeError::Length { found: 10 });
        let e = error("RSSMRA85T10A562");
        assert_eq!(e.code(), "length");
        assert_eq!(
            e.message(Lang::En),
            "a tax code has 16 characters (or 11 digits if temporary); this one has 15"
        );
    }

    #[test]
    fn format_names_the_position_and_what_belongs_there() {
        let e = error("RSSMR485T10A562S");
        assert_eq!(
            e,
            TaxCodeError::Format {
                position: 6,
                expected: Expected::Letter,
                found: '4'
            }
        );
        assert_eq!(e.code(), "format");
        assert_eq!(
            e.message(Lang::En),
            "character 6 should be a letter, found '4'"
        );

        let e = error("RSSMRA8AT10A562S");
        assert_eq!(
            e,
            TaxCodeError::Format {
                position: 8,
                expected: Expected::DigitOrOmocodia,
                found: 'A'
            }
        );
        assert!(e
            .message(Lang::En)
            .starts_with("character 8 should be a digit (or one of"));

        assert_eq!(
            error("RSSMRA85T10A562-"),
            TaxCodeError::Format {
                position: 16,
                expected: Expected::Letter,
                found: '-'
            }
        );
        assert_eq!(
            error("RSSMRÀ85T10A562S"),
            TaxCodeError::Format {
                position: 6,
                expected: Expected::Letter,
                found: 'À'
            }
        );
        assert_eq!(
            error("0074311015A"),
            TaxCodeError::Format {
                position: 11,
                expected: Expected::Digit,
                found: 'A'
            }
        );
        assert_eq!(
            error("0074311015A").message(Lang::En),
            "character 11 should be a digit, found 'A'"
        );
    }

    #[test]
    fn month_letter_must_be_one_of_the_twelve() {
        let e = error("RSSMRA85F10A562S");
        assert_eq!(e, TaxCodeError::Month { found: 'F' });
        assert_eq!(e.code(), "month");
        assert_eq!(
            e.message(Lang::En),
            "character 9 is the birth month and should be one of A B C D E H L M P R S T, found 'F'"
        );
    }

    #[test]
    fn day_outside_the_ranges_for_men_and_women() {
        for (code, encoded) in [
            ("RSSMRA85T00A562S", 0),
            ("RSSMRA85T32A562S", 32),
            ("RSSMRA85T40A562S", 40),
            ("RSSMRA85T72A562S", 72),
            ("RSSMRA85T85A562S", 85),
        ] {
            let e = error(code);
            assert_eq!(
                e,
                TaxCodeError::Day {
                    encoded,
                    month: 12,
                    year: 85
                }
            );
            assert_eq!(e.code(), "day");
            assert_eq!(
                e.message(Lang::En),
                format!(
                    "the birth day is '{encoded:02}': it should be 01–31 for men or 41–71 for women"
                )
            );
        }
    }

    #[test]
    fn day_must_exist_in_its_month() {
        assert_eq!(
            error("RSSMRA85B30A562S").message(Lang::En),
            "the birth date is 30 February, which does not exist"
        );
        assert_eq!(
            error("RSSMRA85D31A562S").message(Lang::En),
            "the birth date is 31 April, which does not exist"
        );
        assert_eq!(
            error("RSSMRA85D71A562S").message(Lang::En),
            "the birth date is 31 April, which does not exist"
        );
        assert_eq!(error("RSSMRA85B70A562S").code(), "day");
    }

    #[test]
    fn february_29_needs_a_leap_year_in_either_century() {
        let e = error("RSSMRA85B29A562S");
        assert_eq!(
            e,
            TaxCodeError::Day {
                encoded: 29,
                month: 2,
                year: 85
            }
        );
        assert_eq!(
            e.message(Lang::En),
            "the birth date is 29 February, but neither 1985 nor 2085 is a leap year"
        );
        parse("BNCGLI92B69A794R");
        parse("REXGUO00B29F205Q");
        parse("REXGUO20B29A002D");
    }

    #[test]
    fn unknown_birthplace_is_a_municipality_error() {
        let e = error("RSSMRA85T10Z999S");
        assert_eq!(
            e,
            TaxCodeError::Municipality {
                code: "Z999".to_string()
            }
        );
        assert_eq!(e.code(), "municipality");
        assert_eq!(
            e.message(Lang::En),
            "characters 12–15 are the birthplace, and 'Z999' is not the code of an Italian \
             municipality or a foreign country"
        );
        // Omocodia letters are decoded before the lookup.
        assert_eq!(
            error("RSSMRA85T10ZVVVS"),
            TaxCodeError::Municipality {
                code: "Z999".to_string()
            }
        );
    }

    #[test]
    fn wrong_check_character_names_the_right_one() {
        let e = error("RSSMRA85T10A562T");
        assert_eq!(
            e,
            TaxCodeError::Checksum {
                expected: 'S',
                found: 'T'
            }
        );
        assert_eq!(e.code(), "checksum");
        assert_eq!(
            e.message(Lang::En),
            "the check character should be 'S', found 'T': one of the characters is probably \
             mistyped"
        );
        assert_eq!(e.to_string(), e.message(Lang::En));
        // A swapped pair of letters keeps the format valid but changes the check.
        assert_eq!(error("SRSMRA85T10A562S").code(), "checksum");
    }

    #[test]
    fn temporary_codes_use_the_partita_iva_check_digit() {
        for code in ["00743110157", "01234567897", "12345678903", "80000000010"] {
            let code = parse(code);
            assert!(code.is_temporary());
            assert!(!code.is_omocodic());
            assert_eq!(code.decoded(), None);
            assert_eq!(code.belfiore(), None);
            assert_eq!(code.birthplace(), None);
        }
        let e = error("01234567890");
        assert_eq!(
            e,
            TaxCodeError::Checksum {
                expected: '7',
                found: '0'
            }
        );
        assert_eq!(error("00743110158").code(), "checksum");
    }

    #[test]
    fn every_error_code_is_distinct_snake_case() {
        let errors = [
            error(""),
            error("ABC"),
            error("RSSMR485T10A562S"),
            error("RSSMRA85F10A562S"),
            error("RSSMRA85T32A562S"),
            error("RSSMRA85T10Z999S"),
            error("RSSMRA85T10A562T"),
        ];
        let codes: Vec<_> = errors.iter().map(TaxCodeError::code).collect();
        assert_eq!(
            codes,
            [
                "required",
                "length",
                "format",
                "month",
                "day",
                "municipality",
                "checksum"
            ]
        );
    }

    #[test]
    fn encodes_last_names() {
        assert_eq!(encode_last_name("Rossi").as_deref(), Some("RSS"));
        assert_eq!(encode_last_name("Bianchi").as_deref(), Some("BNC"));
        assert_eq!(encode_last_name("D'Amico").as_deref(), Some("DMC"));
        assert_eq!(encode_last_name("Dell'Acqua Mühl").as_deref(), Some("DLL"));
        assert_eq!(encode_last_name("Öztürk").as_deref(), Some("ZTR"));
        assert_eq!(encode_last_name("Fo").as_deref(), Some("FOX"));
        assert_eq!(encode_last_name("Re").as_deref(), Some("REX"));
        assert_eq!(encode_last_name("Poe").as_deref(), Some("POE"));
        assert_eq!(encode_last_name("  "), None);
        assert_eq!(encode_last_name("Жанна"), None);
    }

    #[test]
    fn encodes_first_names_taking_1st_3rd_4th_of_four_consonants() {
        assert_eq!(encode_first_name("Mario").as_deref(), Some("MRA"));
        assert_eq!(encode_first_name("Gianfranco").as_deref(), Some("GFR"));
        assert_eq!(encode_first_name("Maria Grazia").as_deref(), Some("MGR"));
        assert_eq!(encode_first_name("Giuseppe").as_deref(), Some("GPP"));
        assert_eq!(encode_first_name("Ugo").as_deref(), Some("GUO"));
        assert_eq!(encode_first_name("Lu").as_deref(), Some("LUX"));
        assert_eq!(encode_first_name("Ayşe").as_deref(), Some("YSA"));
        assert_eq!(encode_first_name("José-Luis").as_deref(), Some("JLS"));
    }

    #[test]
    fn matching_personal_data_has_no_mismatches() {
        let code = parse("RSSMRA85T10A562S");
        assert!(code
            .mismatches("Mario", "Rossi", date(1985, 12, 10), 'M')
            .is_empty());
        assert!(code
            .mismatches(" mario ", "ROSSI", date(1985, 12, 10), 'm')
            .is_empty());
        let omocodic = parse("RSSMRAURTMLARSNL");
        assert!(omocodic
            .mismatches("Mario", "Rossi", date(1985, 12, 10), 'M')
            .is_empty());
        assert!(parse("DLLMGR04H55Z112H")
            .mismatches("Maria Grazia", "Dell'Acqua Mühl", date(2004, 6, 15), 'F')
            .is_empty());
    }

    #[test]
    fn mismatches_name_each_field_with_a_clear_message() {
        let code = parse("RSSMRA85T10A562S");
        let found: Vec<(&str, &str, String)> = code
            .mismatches("Marco", "Bianchi", date(1990, 5, 12), 'F')
            .into_iter()
            .map(|m| (m.field, m.code, m.message.get(Lang::En).to_string()))
            .collect();
        let mismatch = |field, message: &str| (field, "tax_code_mismatch", message.to_string());
        assert_eq!(
            found,
            vec![
                mismatch(
                    "last_name",
                    "last name 'Bianchi' does not match the tax code (it encodes \
                     'RSS', the last name gives 'BNC')"
                ),
                mismatch(
                    "first_name",
                    "first name 'Marco' does not match the tax code (it encodes \
                     'MRA', the first name gives 'MRC')"
                ),
                mismatch(
                    "birth_date",
                    "birth date 1990-05-12 does not match the tax code (it encodes \
                     10/12/85)"
                ),
                mismatch(
                    "gender",
                    "gender F does not match the tax code (it encodes M)"
                ),
            ]
        );
        let it = code.mismatches("Marco", "Rossi", date(1985, 12, 10), 'M');
        assert_eq!(
            it[0].message.get(Lang::It),
            "il nome 'Marco' non corrisponde al codice fiscale (il codice riporta 'MRA', \
             il nome dà 'MRC')"
        );
    }

    #[test]
    fn birth_date_mismatch_catches_the_wrong_century_digits_only_modulo_100() {
        let code = parse("RSSMRA85T10A562S");
        // The code cannot tell 1985 from 2085: both match.
        assert!(code
            .mismatches("Mario", "Rossi", date(2085, 12, 10), 'M')
            .is_empty());
        let found = code.mismatches("Mario", "Rossi", date(1985, 10, 12), 'M');
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "birth_date");
    }

    #[test]
    fn mismatches_skip_what_the_code_cannot_express() {
        let code = parse("RSSMRA85T10A562S");
        assert!(code
            .mismatches("Марио", "Росси", date(1985, 12, 10), 'X')
            .is_empty());
        assert!(parse("00743110157")
            .mismatches("Mario", "Rossi", date(1985, 12, 10), 'M')
            .is_empty());
    }

    #[test]
    fn serializes_as_a_string_and_validates_when_deserialized() {
        let code = parse("RSSMRA85T10A562S");
        assert_eq!(
            serde_json::to_string(&code).ok().as_deref(),
            Some("\"RSSMRA85T10A562S\"")
        );
        let back: TaxCode = serde_json::from_str("\"rssmra85t10a562s\"").expect("valid code");
        assert_eq!(back, code);
        let err = serde_json::from_str::<TaxCode>("\"RSSMRA85T10A562T\"")
            .expect_err("bad check character");
        assert!(err.to_string().contains("check character should be 'S'"));
        assert_eq!(code.to_string(), "RSSMRA85T10A562S");
        assert_eq!(
            TaxCode::try_from("00743110157".to_string()).map(|c| c.is_temporary()),
            Ok(true)
        );
    }
}
