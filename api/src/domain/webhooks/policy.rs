//! What the operator decided about delivery (`loupe serve` flags), set once at start-up.

use std::sync::OnceLock;
use std::time::Duration;

/// What the operator decided about delivery (`loupe serve` flags).
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub allow_private: bool,
    pub timeout: Duration,
    pub retry_base: Duration,
    pub max_age: Duration,
    pub disable_after: u32,
    pub concurrency: usize,
    /// How often the worker looks for work written by other processes or falling due.
    pub poll: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            allow_private: false,
            timeout: Duration::from_secs(10),
            retry_base: Duration::from_secs(5),
            max_age: Duration::from_secs(86_400),
            disable_after: 100,
            concurrency: 8,
            poll: Duration::from_millis(250),
        }
    }
}

static POLICY: OnceLock<Policy> = OnceLock::new();

/// Set once at start-up; the defaults otherwise.
pub fn configure(policy: Policy) {
    let _ = POLICY.set(policy);
}

pub fn policy() -> Policy {
    POLICY.get().copied().unwrap_or_default()
}
