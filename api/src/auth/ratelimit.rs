//! Per-key request limits: a fixed one-minute window that starts with a key's first
//! request. State is in this process's memory; with Redis (`crate::cluster`) the same
//! window is kept there, shared by every node, and this one is the fallback.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets (at least 1).
    pub reset_secs: u64,
}

struct Window {
    started: Instant,
    count: u32,
}

pub struct RateLimiter {
    limit: u32,
    period: Duration,
    windows: Mutex<HashMap<i64, Window>>,
}

impl RateLimiter {
    pub fn per_minute(limit: u32) -> Self {
        RateLimiter {
            limit,
            period: Duration::from_secs(60),
            windows: Mutex::new(HashMap::new()),
        }
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    pub fn check(&self, key_id: i64) -> Decision {
        self.check_at(key_id, Instant::now())
    }

    fn check_at(&self, key_id: i64, now: Instant) -> Decision {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > 100_000 {
            // Bounded memory: forget windows that have ended.
            let period = self.period;
            windows.retain(|_, w| now.duration_since(w.started) < period);
        }
        let window = windows.entry(key_id).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(window.started) >= self.period {
            *window = Window {
                started: now,
                count: 0,
            };
        }
        let elapsed = now.duration_since(window.started);
        let reset_secs = (self.period - elapsed).as_secs_f64().ceil().max(1.0) as u64;
        if window.count >= self.limit {
            return Decision {
                allowed: false,
                limit: self.limit,
                remaining: 0,
                reset_secs,
            };
        }
        window.count += 1;
        Decision {
            allowed: true,
            limit: self.limit,
            remaining: self.limit - window.count,
            reset_secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key_and_resets_after_the_window() {
        let rl = RateLimiter::per_minute(3);
        let t0 = Instant::now();
        for remaining in [2, 1, 0] {
            let d = rl.check_at(1, t0);
            assert!(d.allowed);
            assert_eq!(d.remaining, remaining);
        }
        let denied = rl.check_at(1, t0 + Duration::from_secs(10));
        assert!(!denied.allowed);
        assert_eq!(denied.reset_secs, 50);
        assert!(rl.check_at(2, t0).allowed, "other keys are independent");
        let later = rl.check_at(1, t0 + Duration::from_secs(60));
        assert!(later.allowed);
        assert_eq!(later.remaining, 2);
    }
}
