//! The memory budget for request data in flight: bodies as read, inflated recording
//! batches, prepared chunks waiting for their group commit. Each request reserves what it
//! holds before it holds it; when the budget is spent the request is refused at once
//! (503 with `Retry-After`) instead of queueing, so resident memory stays bounded under
//! any load. An eighth of the budget is kept for small requests (up to 64 KiB: answers,
//! identify calls, GraphQL, ordinary recording batches), so a flood of large uploads
//! cannot shut out everyone else.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Reservations are counted in KiB (a semaphore permit each).
const UNIT: usize = 1024;
/// A reservation up to this size may use the whole budget; a bigger one leaves the
/// small requests' share free.
const SMALL: usize = 64 * UNIT;

pub struct MemoryBudget {
    units: Arc<Semaphore>,
    total: usize,
    /// Units a large reservation must leave free.
    reserved_for_small: usize,
}

impl MemoryBudget {
    pub fn new(bytes: usize) -> MemoryBudget {
        let units = (bytes / UNIT).clamp(1, Semaphore::MAX_PERMITS);
        MemoryBudget {
            units: Arc::new(Semaphore::new(units)),
            total: units,
            reserved_for_small: units / 8,
        }
    }

    /// Reserves `bytes`, or `None` when the budget cannot hold them now.
    pub fn reserve(&self, bytes: usize) -> Option<Reservation> {
        let mut r = Reservation {
            units: self.units.clone(),
            held: None,
            count: 0,
            reserved_for_small: self.reserved_for_small,
        };
        r.grow_to(bytes).then_some(r)
    }

    /// Bytes reserved right now (for `/metrics`).
    pub fn in_use(&self) -> usize {
        (self.total - self.units.available_permits()) * UNIT
    }

    pub fn capacity(&self) -> usize {
        self.total * UNIT
    }
}

/// Bytes held against the budget; given back when dropped.
pub struct Reservation {
    units: Arc<Semaphore>,
    held: Option<OwnedSemaphorePermit>,
    count: usize,
    reserved_for_small: usize,
}

impl Reservation {
    fn units_for(bytes: usize) -> usize {
        bytes.div_ceil(UNIT).max(1)
    }

    /// Holds at least `bytes` in all; false (holding what it held) when the budget is spent.
    pub fn grow_to(&mut self, bytes: usize) -> bool {
        let want = Self::units_for(bytes);
        if want <= self.count {
            return true;
        }
        let Ok(more) = u32::try_from(want - self.count) else {
            return false;
        };
        if want > SMALL / UNIT
            && self.units.available_permits() < more as usize + self.reserved_for_small
        {
            return false;
        }
        match self.units.clone().try_acquire_many_owned(more) {
            Ok(permit) => {
                match &mut self.held {
                    Some(held) => held.merge(permit),
                    None => self.held = Some(permit),
                }
                self.count = want;
                true
            }
            Err(_) => false,
        }
    }

    /// Gives back everything beyond `bytes`.
    pub fn shrink_to(&mut self, bytes: usize) {
        let keep = Self::units_for(bytes);
        if keep < self.count {
            if let Some(held) = &mut self.held {
                drop(held.split(self.count - keep));
            }
            self.count = keep;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_reservations_leave_the_small_share() {
        let budget = MemoryBudget::new(800 * UNIT);
        let big = budget.reserve(650 * UNIT).expect("fits");
        assert!(
            budget.reserve(100 * UNIT).is_none(),
            "would eat the small share"
        );
        let small: Vec<_> = (0..2).filter_map(|_| budget.reserve(60 * UNIT)).collect();
        assert_eq!(small.len(), 2, "small requests still get in");
        drop(big);
    }

    #[test]
    fn reservations_are_bounded_and_given_back() {
        let budget = MemoryBudget::new(10 * UNIT);
        let mut a = budget.reserve(4 * UNIT).expect("fits");
        assert!(budget.reserve(7 * UNIT).is_none());
        assert!(a.grow_to(6 * UNIT));
        assert!(!a.grow_to(11 * UNIT));
        assert_eq!(budget.in_use(), 6 * UNIT);
        a.shrink_to(100);
        assert_eq!(budget.in_use(), UNIT);
        let b = budget.reserve(9 * UNIT).expect("fits after shrinking");
        drop(a);
        drop(b);
        assert_eq!(budget.in_use(), 0);
    }
}
