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

    /// Whether there is a limit at all (`RATE_LIMIT_PER_MINUTE=0`: none).
    pub fn enabled(&self) -> bool {
        self.per_minute > 0
    }

    /// Takes one token. `Ok` with what is left, or `Err` with the quota (nothing left) when
    /// the bucket is empty: wait `reset_secs`.
    pub fn take(&self, who: &str) -> Result<Quota, Quota> {
        let cap = f64::from(self.per_minute.max(1));
        let rate = cap / 60.0;
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (tokens, at)| *tokens < cap && at.elapsed().as_secs() < 120);
        }
        let entry = map.entry(who.to_string()).or_insert((cap, Instant::now()));
        let refill = entry.1.elapsed().as_secs_f64() * rate;
        entry.0 = (entry.0 + refill).min(cap);
        entry.1 = Instant::now();
        let quota = |tokens: f64, wait: f64| Quota {
            limit: self.per_minute,
            remaining: tokens.max(0.0).floor() as u32,
            reset_secs: wait.ceil().max(1.0) as u64,
        };
        if entry.0 >= 1.0 {
            entry.0 -= 1.0;
            // Seconds until the bucket is full again.
            Ok(quota(entry.0, (cap - entry.0) / rate))
        } else {
            Err(quota(0.0, (1.0 - entry.0) / rate))
        }
    }
}

/// What a caller has left of its limit (`X-RateLimit-*` headers, ModI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Requests per minute.
    pub limit: u32,
    /// Requests left now.
    pub remaining: u32,
    /// Seconds until the quota is whole again (on a `429`: until the next request is allowed).
    pub reset_secs: u64,
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
