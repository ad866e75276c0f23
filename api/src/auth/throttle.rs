//! Slows brute force on the token endpoint. Failed attempts (a wrong secret, nothing
//! else) are counted per client id and caller (the peer address, kept only as a keyed hash
//! in memory), so a stranger who knows a client id cannot lock its owner out. Attempts in
//! flight count against the limit too, so a burst of parallel guesses cannot slip past it:
//! an attempt that would pass the limit waits for those in flight to finish, and goes on
//! if they succeeded. A success clears the count; a server error or a busy answer counts
//! as nothing.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// More keys than this means someone is spraying ids: old entries are dropped.
const MAX_TRACKED: usize = 100_000;
/// Longest wait for attempts in flight before answering "busy".
const MAX_WAIT: Duration = Duration::from_secs(5);

struct Attempts {
    /// When the first failure of the current window happened.
    first_failure: Instant,
    failed: u32,
    in_flight: u32,
    settled: Arc<Notify>,
}

pub struct LoginThrottle {
    max_attempts: u32,
    window: Duration,
    hasher: RandomState,
    state: Mutex<HashMap<u64, Attempts>>,
}

/// Why an attempt may not go on now.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Too many failures: locked for this many seconds.
    Locked(u64),
    /// Attempts in flight did not settle in time.
    Busy,
}

/// How an attempt ended.
#[derive(Clone, Copy)]
enum Outcome {
    Failed,
    Succeeded,
    Neither,
}

/// One attempt in flight; counts as neither success nor failure unless told.
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    key: u64,
    outcome: Outcome,
}

impl Attempt<'_> {
    /// The secret was wrong.
    pub fn failed(mut self) {
        self.outcome = Outcome::Failed;
    }

    /// The secret was right.
    pub fn succeeded(mut self) {
        self.outcome = Outcome::Succeeded;
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        self.throttle.settle(self.key, self.outcome);
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::new(10, Duration::from_secs(600))
    }
}

impl LoginThrottle {
    /// [`Self::begin`] with the refusal as the API's error: `RATE_LIMITED` with the wait
    /// when locked, `UNAVAILABLE` when attempts in flight did not settle in time.
    pub async fn attempt(&self, key: u64) -> crate::error::AppResult<Attempt<'_>> {
        self.begin(key).await.map_err(|r| match r {
            Refused::Locked(wait) => crate::error::AppError::RateLimited {
                retry_after_secs: wait,
            },
            Refused::Busy => crate::error::AppError::Unavailable(
                "too many attempts at once; retry shortly".into(),
            ),
        })
    }

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

    /// Starts an attempt, waiting while attempts in flight could still push the count
    /// past the limit.
    pub async fn begin(&self, key: u64) -> Result<Attempt<'_>, Refused> {
        let deadline = tokio::time::Instant::now() + MAX_WAIT;
        loop {
            let settled = {
                let now = Instant::now();
                let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                if state.len() >= MAX_TRACKED {
                    let window = self.window;
                    state.retain(|_, a| {
                        a.in_flight > 0 || now.duration_since(a.first_failure) < window
                    });
                    if state.len() >= MAX_TRACKED {
                        tracing::warn!("token throttle table full; forgetting failed attempts");
                        state.retain(|_, a| a.in_flight > 0);
                    }
                }
                let a = state.entry(key).or_insert_with(|| Attempts {
                    first_failure: now,
                    failed: 0,
                    in_flight: 0,
                    settled: Arc::new(Notify::new()),
                });
                if a.failed > 0 && now.duration_since(a.first_failure) >= self.window {
                    a.failed = 0;
                }
                if a.failed >= self.max_attempts {
                    let left = self
                        .window
                        .saturating_sub(now.duration_since(a.first_failure));
                    return Err(Refused::Locked(left.as_secs().max(1)));
                }
                if a.failed + a.in_flight < self.max_attempts {
                    a.in_flight += 1;
                    return Ok(Attempt {
                        throttle: self,
                        key,
                        outcome: Outcome::Neither,
                    });
                }
                a.settled.clone()
            };
            // Registered before the lock is released would be ideal; `notify_waiters`
            // only wakes futures that exist, so poll once after creating it.
            let notified = settled.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.could_start(key) {
                continue;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(Refused::Busy);
            }
        }
    }

    /// Whether an attempt for `key` would start now (rechecked after registering a waiter).
    fn could_start(&self, key: u64) -> bool {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.get(&key).is_none_or(|a| {
            a.failed >= self.max_attempts || a.failed + a.in_flight < self.max_attempts
        })
    }

    fn settle(&self, key: u64, outcome: Outcome) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some(a) = state.get_mut(&key) else {
            return;
        };
        a.in_flight = a.in_flight.saturating_sub(1);
        match outcome {
            Outcome::Failed => {
                if a.failed == 0 {
                    a.first_failure = Instant::now();
                }
                a.failed += 1;
            }
            Outcome::Succeeded => a.failed = 0,
            Outcome::Neither => {}
        }
        a.settled.notify_waiters();
        if a.failed == 0 && a.in_flight == 0 {
            state.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_after_too_many_failures_per_client_and_caller() {
        let t = LoginThrottle::new(3, Duration::from_secs(60));
        let here = t.key("lpk_a", Some([10, 0, 0, 1].into()));
        let there = t.key("lpk_a", Some([10, 0, 0, 2].into()));
        for _ in 0..3 {
            t.begin(here).await.expect("allowed").failed();
        }
        assert!(matches!(t.begin(here).await, Err(Refused::Locked(_))));
        assert!(
            t.begin(there).await.is_ok(),
            "another caller is not locked out"
        );
    }

    #[tokio::test]
    async fn only_a_wrong_secret_counts() {
        let t = LoginThrottle::new(2, Duration::from_secs(60));
        let k = t.key("lpk_a", None);
        for _ in 0..10 {
            // Server errors and busy answers: neither success nor failure.
            drop(t.begin(k).await.expect("allowed"));
        }
        t.begin(k).await.expect("allowed").failed();
        t.begin(k).await.expect("allowed").succeeded();
        t.begin(k).await.expect("allowed").failed();
        assert!(t.begin(k).await.is_ok(), "a success cleared the count");
    }

    #[tokio::test]
    async fn parallel_attempts_wait_for_those_in_flight() {
        let t = Arc::new(LoginThrottle::new(2, Duration::from_secs(60)));
        let k = t.key("lpk_a", None);
        let a = t.begin(k).await.expect("first");
        let b = t.begin(k).await.expect("second");
        let waiting = {
            let t = t.clone();
            tokio::spawn(async move { t.begin(k).await.map(Attempt::succeeded).is_ok() })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            !waiting.is_finished(),
            "a third attempt waits while two are in flight"
        );
        a.succeeded();
        b.succeeded();
        assert!(waiting.await.unwrap_or(false), "then goes on");
    }
}
