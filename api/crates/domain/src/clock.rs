//! Time, injected: every use case asks a [`Clock`], so tests can move it (overdue cases,
//! outcome checks falling due) without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

/// What "now" and "today" are.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now in UTC, to the microsecond (what both databases store).
    fn now(&self) -> DateTime<Utc>;

    /// Now, and today in the district's time zone (Europe/Rome), read once.
    fn read(&self) -> Now {
        Now::at(self.now())
    }
}

/// One reading of the clock: a use case reads it once, so all it writes carries one time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// UTC, as stored.
    pub at: NaiveDateTime,
    /// The day in Europe/Rome: what "today" means to the district's users.
    pub today: NaiveDate,
}

impl Now {
    pub fn at(t: DateTime<Utc>) -> Now {
        let t = truncate_to_micros(t);
        Now {
            at: t.naive_utc(),
            today: t.with_timezone(&chrono_tz::Europe::Rome).date_naive(),
        }
    }

    pub fn utc(&self) -> DateTime<Utc> {
        self.at.and_utc()
    }
}

fn truncate_to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    let extra = i64::from(t.timestamp_subsec_nanos() % 1000);
    t - Duration::nanoseconds(extra)
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        truncate_to_micros(Utc::now())
    }
}

/// The machine's clock moved by an offset that tests advance: time still flows (so versions
/// and ordering stay strict), but days can pass at once.
#[derive(Debug, Default)]
pub struct ShiftedClock {
    offset_micros: AtomicI64,
}

impl ShiftedClock {
    pub fn new() -> ShiftedClock {
        ShiftedClock::default()
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let micros = by.num_microseconds().unwrap_or(i64::MAX);
        self.offset_micros.fetch_add(micros, Ordering::SeqCst);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        truncate_to_micros(
            Utc::now() + Duration::microseconds(self.offset_micros.load(Ordering::SeqCst)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_day_in_rome() {
        let late = DateTime::parse_from_rfc3339("2026-06-30T23:30:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(Now::at(late).today.to_string(), "2026-07-01");
        let winter = DateTime::parse_from_rfc3339("2026-12-31T22:59:59Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(Now::at(winter).today.to_string(), "2026-12-31");
    }

    #[test]
    fn a_shifted_clock_moves_by_days() {
        let clock = ShiftedClock::new();
        let before = clock.read().today;
        clock.advance(Duration::days(31));
        assert_eq!(clock.read().today - before, Duration::days(31));
    }
}
