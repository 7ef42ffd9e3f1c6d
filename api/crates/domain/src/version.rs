//! Optimistic concurrency: a record's version (its `ETag`) and what a caller expects it to be
//! (`If-Match`), checked by the use case inside its write transaction — passed explicitly,
//! never through hidden state.

use chrono::NaiveDateTime;

use crate::Error;

/// A record's version: its `updated_at` in Unix microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub i64);

impl Version {
    pub fn of(updated_at: NaiveDateTime) -> Version {
        Version(updated_at.and_utc().timestamp_micros())
    }

    /// The strong `ETag`: the quoted number.
    pub fn etag(self) -> String {
        format!("\"{}\"", self.0)
    }
}

/// The version a caller expects the record it changes to be at.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Expected {
    /// Nothing expected: an action sent without `If-Match` (its state machine refuses stale
    /// moves anyway).
    #[default]
    Any,
    /// An edit without `If-Match`: refused with `428` once the record is known visible.
    Missing,
    /// `If-Match: <etag>, …` (or `*`).
    Tags(Vec<String>),
}

impl Expected {
    /// From an `If-Match` header; `required` for edits.
    pub fn from_if_match(header: Option<&str>, required: bool) -> Expected {
        let tags: Vec<String> = header
            .map(|h| {
                h.split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        match (tags.is_empty(), required) {
            (false, _) => Expected::Tags(tags),
            (true, true) => Expected::Missing,
            (true, false) => Expected::Any,
        }
    }

    /// Checked after visibility, so a missing header never reveals a hidden record.
    pub fn check(&self, current: Version) -> Result<(), Error> {
        match self {
            Expected::Any => Ok(()),
            Expected::Missing => Err(Error::PreconditionRequired),
            Expected::Tags(tags) => {
                let etag = current.etag();
                if tags.iter().any(|t| t == "*" || *t == etag) {
                    Ok(())
                } else {
                    Err(Error::PreconditionFailed(etag))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_is_checked_against_the_current_version() {
        let v = Version(1_763_805_600_123_456);
        assert_eq!(v.etag(), "\"1763805600123456\"");
        assert!(Expected::Any.check(v).is_ok());
        assert!(Expected::from_if_match(Some("\"1763805600123456\""), true)
            .check(v)
            .is_ok());
        assert!(
            Expected::from_if_match(Some("\"1\", \"1763805600123456\""), true)
                .check(v)
                .is_ok()
        );
        assert!(matches!(
            Expected::from_if_match(Some("\"1\""), true).check(v),
            Err(Error::PreconditionFailed(e)) if e == v.etag()
        ));
        assert!(matches!(
            Expected::from_if_match(None, true).check(v),
            Err(Error::PreconditionRequired)
        ));
        assert!(Expected::from_if_match(None, false).check(v).is_ok());
    }
}
