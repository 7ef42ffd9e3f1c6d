//! Counters that keep a caller from flooding the service: a token bucket per caller (user,
//! client, or address), and failed sign-ins per e-mail and per address. Per instance.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Token buckets per caller (user or client; the address when anonymous), per instance.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token; `Err(seconds)` to wait when the bucket is empty.
    /// Whether there is a limit at all (`RATE_LIMIT_PER_MINUTE=0`: none).
    pub fn enabled(&self) -> bool {
        self.per_minute > 0
    }

    pub fn take(&self, who: &str) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let cap = f64::from(self.per_minute);
        let rate = cap / 60.0;
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (tokens, at)| *tokens < cap && at.elapsed().as_secs() < 120);
        }
        let entry = map.entry(who.to_string()).or_insert((cap, Instant::now()));
        let refill = entry.1.elapsed().as_secs_f64() * rate;
        entry.0 = (entry.0 + refill).min(cap);
        entry.1 = Instant::now();
        if entry.0 >= 1.0 {
            entry.0 -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - entry.0) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// Failed sign-ins per e-mail and per address in a 15-minute window.
pub struct LoginThrottle {
    max: u32,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginThrottle {
    pub fn new(max: u32) -> LoginThrottle {
        LoginThrottle {
            max,
            failures: Mutex::new(HashMap::new()),
        }
    }

    const WINDOW_SECS: u64 = 15 * 60;

    /// `Err(seconds)` when any of `keys` has too many recent failures.
    pub fn check(&self, keys: &[String]) -> Result<(), u64> {
        if self.max == 0 {
            return Ok(());
        }
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = 0;
        for k in keys {
            if let Some(list) = map.get_mut(k) {
                list.retain(|t| t.elapsed().as_secs() < Self::WINDOW_SECS);
                if list.len() as u32 >= self.max {
                    let oldest = list.first().map(|t| t.elapsed().as_secs()).unwrap_or(0);
                    wait = wait.max(Self::WINDOW_SECS.saturating_sub(oldest).max(1));
                }
            }
        }
        if wait > 0 {
            Err(wait)
        } else {
            Ok(())
        }
    }

    pub fn failed(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for k in keys {
            map.entry(k.clone()).or_default().push(Instant::now());
        }
    }

    pub fn succeeded(&self, email_key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(email_key);
    }
}
