//! Slows brute force on the token endpoint. Attempts are counted per client id and
//! caller (the peer address, kept only as a keyed hash in memory), so a stranger who
//! knows a client id cannot lock its owner out. An attempt is counted before the secret
//! is checked, so a burst of parallel guesses cannot slip past the limit; a success
//! clears the count.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// More keys than this means someone is spraying ids: old entries are dropped.
const MAX_TRACKED: usize = 100_000;

struct Attempts {
    first: Instant,
    count: u32,
}

pub struct LoginThrottle {
    max_attempts: u32,
    window: Duration,
    hasher: RandomState,
    state: Mutex<HashMap<u64, Attempts>>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::new(10, Duration::from_secs(600))
    }
}

impl LoginThrottle {
    pub fn new(max_attempts: u32, window: Duration) -> Self {
        LoginThrottle {
            max_attempts,
            window,
            hasher: RandomState::new(),
            state: Mutex::new(HashMap::new()),
        }
    }

    /// The key under which attempts are counted: a per-process keyed hash, so neither
    /// the client id nor the address is kept in clear.
    pub fn key(&self, client_id: &str, peer: Option<std::net::IpAddr>) -> u64 {
        self.hasher.hash_one((client_id, peer))
    }

    /// Counts an attempt, or refuses it with the seconds to wait.
    pub fn begin(&self, key: u64) -> Result<(), u64> {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.len() >= MAX_TRACKED {
            let window = self.window;
            state.retain(|_, a| now.duration_since(a.first) < window);
            if state.len() >= MAX_TRACKED {
                tracing::warn!("token throttle table full; forgetting failed attempts");
                state.clear();
            }
        }
        let a = state.entry(key).or_insert(Attempts {
            first: now,
            count: 0,
        });
        if now.duration_since(a.first) >= self.window {
            *a = Attempts {
                first: now,
                count: 0,
            };
        }
        if a.count >= self.max_attempts {
            return Err((self.window - now.duration_since(a.first)).as_secs().max(1));
        }
        a.count += 1;
        Ok(())
    }

    pub fn succeeded(&self, key: u64) {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_after_too_many_attempts_per_client_and_caller() {
        let t = LoginThrottle::new(3, Duration::from_secs(60));
        let here = t.key("lpk_a", Some([10, 0, 0, 1].into()));
        let there = t.key("lpk_a", Some([10, 0, 0, 2].into()));
        for _ in 0..3 {
            assert!(t.begin(here).is_ok());
        }
        assert!(t.begin(here).is_err());
        assert!(t.begin(there).is_ok(), "another caller is not locked out");
        t.succeeded(here);
        assert!(t.begin(here).is_ok());
    }
}
