//! Sign-in throttling that slows guessing down without locking the owner out. Failures are
//! counted in the database (every instance sees them) per account, per account and address,
//! and per address; past a threshold each further attempt of that key must wait, twice as
//! long after each failure, up to a cap. An account attacked from many addresses is slowed,
//! never locked: its owner signs in after a short wait. One address failing on many accounts
//! (a municipality's proxy) is slowed only far beyond what its users mistype.

use chrono::NaiveDateTime;
use sistema_lavoro_domain::Error;
use sistema_lavoro_store::signin_throttle::{self, Failures};
use sistema_lavoro_store::DbConn;

/// Failures count within this window from their first one.
pub const WINDOW_SECS: i64 = 15 * 60;
/// The longest wait for one account from anywhere, or for one address.
pub const MAX_WAIT_SECS: i64 = 60;
/// The longest wait for one account from one address (that address is the guesser's).
pub const MAX_PAIR_WAIT_SECS: i64 = WINDOW_SECS;

/// When attempts start to wait.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Failures of one account (from anywhere, and from one address); 0 turns throttling off.
    pub per_account: u32,
    /// Failures from one address, whatever the account.
    pub per_address: u32,
}

/// The counters one attempt touches.
#[derive(Debug, Clone)]
pub struct Keys {
    account: String,
    pair: String,
    address: String,
}

impl Keys {
    /// For the e-mail typed (compared trimmed and lower-case) from the client's `address`.
    pub fn new(email: &str, address: &str) -> Keys {
        let email = email.trim().to_lowercase();
        Keys {
            account: format!("account:{email}"),
            pair: format!("pair:{email}|{address}"),
            address: format!("address:{address}"),
        }
    }

    fn all(&self) -> Vec<String> {
        vec![
            self.account.clone(),
            self.pair.clone(),
            self.address.clone(),
        ]
    }
}

/// Seconds to wait after the last failure once `count` reached `threshold`: 2, 4, 8, … up
/// to `cap`; none below the threshold.
pub fn wait_after(count: u32, threshold: u32, cap: i64) -> i64 {
    if threshold == 0 || count < threshold {
        return 0;
    }
    let doublings = (count - threshold).min(30);
    (2_i64 << doublings).min(cap)
}

/// Seconds until an attempt with these counters may run (0: now).
pub fn seconds_to_wait(
    limits: Limits,
    now: NaiveDateTime,
    account: Option<Failures>,
    pair: Option<Failures>,
    address: Option<Failures>,
) -> i64 {
    let left = |f: Option<Failures>, threshold: u32, cap: i64| {
        f.map_or(0, |f| {
            let allowed =
                f.last_failure_at + chrono::Duration::seconds(wait_after(f.count, threshold, cap));
            let ms = (allowed - now).num_milliseconds();
            if ms <= 0 {
                0
            } else {
                (ms + 999) / 1000
            }
        })
    };
    left(account, limits.per_account, MAX_WAIT_SECS)
        .max(left(pair, limits.per_account, MAX_PAIR_WAIT_SECS))
        .max(left(address, limits.per_address, MAX_WAIT_SECS))
}

fn since(now: NaiveDateTime) -> NaiveDateTime {
    now - chrono::Duration::seconds(WINDOW_SECS)
}

/// `429` with the seconds to wait when this attempt must wait; checked before any password
/// is hashed. An attempt refused here is not counted.
pub fn check(
    conn: &mut DbConn,
    now: NaiveDateTime,
    keys: &Keys,
    limits: Limits,
) -> Result<(), Error> {
    if limits.per_account == 0 {
        return Ok(());
    }
    let rows = signin_throttle::read(conn, &keys.all(), since(now))?;
    let of = |k: &str| rows.iter().find(|(key, _)| key == k).map(|(_, f)| *f);
    let wait = seconds_to_wait(
        limits,
        now,
        of(&keys.account),
        of(&keys.pair),
        of(&keys.address),
    );
    if wait > 0 {
        return Err(Error::RateLimited(u64::try_from(wait).unwrap_or(1)));
    }
    Ok(())
}

/// A wrong password (or unknown account): one more failure on every key.
pub fn failed(conn: &mut DbConn, now: NaiveDateTime, keys: &Keys) -> Result<(), Error> {
    signin_throttle::add_failure(conn, &keys.all(), now, since(now))
}

/// The right password: the account's counters start again (the address's stay: other
/// accounts may be guessed from it).
pub fn succeeded(conn: &mut DbConn, keys: &Keys) -> Result<(), Error> {
    signin_throttle::clear(conn, &[keys.account.clone(), keys.pair.clone()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap() {
        assert_eq!(wait_after(9, 10, 60), 0);
        assert_eq!(wait_after(10, 10, 60), 2);
        assert_eq!(wait_after(11, 10, 60), 4);
        assert_eq!(wait_after(13, 10, 60), 16);
        assert_eq!(wait_after(20, 10, 60), 60);
        assert_eq!(wait_after(u32::MAX, 10, 60), 60);
        assert_eq!(wait_after(50, 0, 60), 0);
    }
}
