//! Slows brute force on the token endpoint: after `max_failures` failed attempts for one
//! client id within the window, further attempts are refused until the window ends.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

struct Failures {
    first: Instant,
    count: u32,
}

pub struct LoginThrottle {
    max_failures: u32,
    window: Duration,
    state: Mutex<HashMap<String, Failures>>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::new(10, Duration::from_secs(600))
    }
}

impl LoginThrottle {
    pub fn new(max_failures: u32, window: Duration) -> Self {
        LoginThrottle { max_failures, window, state: Mutex::new(HashMap::new()) }
    }

    /// `Some(seconds to wait)` while the client id is locked out.
    pub fn locked_for(&self, client_id: &str) -> Option<u64> {
        let now = Instant::now();
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let f = state.get(client_id)?;
        let elapsed = now.duration_since(f.first);
        (f.count >= self.max_failures && elapsed < self.window)
            .then(|| (self.window - elapsed).as_secs().max(1))
    }

    pub fn record_failure(&self, client_id: &str) {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.len() > 100_000 {
            let window = self.window;
            state.retain(|_, f| now.duration_since(f.first) < window);
        }
        let f = state
            .entry(client_id.to_owned())
            .or_insert(Failures { first: now, count: 0 });
        if now.duration_since(f.first) >= self.window {
            *f = Failures { first: now, count: 0 };
        }
        f.count += 1;
    }

    pub fn record_success(&self, client_id: &str) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).remove(client_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_too_many_failures() {
        let t = LoginThrottle::new(3, Duration::from_secs(60));
        for _ in 0..2 {
            t.record_failure("a");
        }
        assert_eq!(t.locked_for("a"), None);
        t.record_failure("a");
        assert!(t.locked_for("a").is_some());
        assert_eq!(t.locked_for("b"), None);
        t.record_success("a");
        assert_eq!(t.locked_for("a"), None);
    }
}
