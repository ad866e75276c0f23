//! A small in-process cache whose entries are reused for a fixed time, for rows that
//! many requests read and few change (API keys, sites, surveys, webhook subscriptions).
//! Every change made through this process forgets the entry at once ([`crate::changes`]);
//! other processes learn of it within their change poll, and the time bound covers the
//! rest.
//!
//! - A load that started before something was forgotten does not put its result back:
//!   it may have read the row before the change committed.
//! - Concurrent misses of one key wait for a single load (when an entry expires under
//!   load, one query instead of one per request).
//! - Bounded: past `max` entries, expired ones go, and if that is not enough, all.
//! - A zero time turns caching off: every read loads.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

pub struct Expiring<K, V> {
    ttl: Duration,
    max: usize,
    entries: RwLock<HashMap<K, (Instant, V)>>,
    /// Bumped by every forget: a load that started before one keeps its result to itself.
    generation: AtomicU64,
    /// One gate per key being loaded; whoever holds it loads, the others wait for it.
    loading: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K: Hash + Eq + Clone, V: Clone> Expiring<K, V> {
    pub fn new(ttl: Duration, max: usize) -> Self {
        Expiring {
            ttl,
            max,
            entries: RwLock::new(HashMap::new()),
            generation: AtomicU64::new(0),
            loading: Mutex::new(HashMap::new()),
        }
    }

    /// The entry for `key` if it is younger than the time bound.
    pub fn get(&self, key: &K) -> Option<V> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
        match entries.get(key) {
            Some((at, v)) if at.elapsed() < self.ttl => Some(v.clone()),
            _ => None,
        }
    }

    /// Where loads stand: pass it to [`Expiring::insert_loaded`] with what was loaded
    /// after reading it.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps `value`, loaded after [`Expiring::generation`] gave `since`, unless something
    /// was forgotten in between.
    pub fn insert_loaded(&self, key: K, value: V, since: u64) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        // Checked under the write lock: a forget takes it too, after bumping.
        if self.generation() != since {
            return;
        }
        if entries.len() >= self.max {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= self.max {
                entries.clear();
            }
        }
        entries.insert(key, (Instant::now(), value));
    }

    /// The entry for `key`, or what `load` gives (kept when it is `Ok`). While one caller
    /// loads a key, the others wait for it and take its result.
    pub async fn get_or_load<E, F, Fut>(&self, key: &K, load: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some(v) = self.get(key) {
            return Ok(v);
        }
        if self.ttl.is_zero() {
            return load().await;
        }
        let gate = Gate::enter(&self.loading, key);
        let _turn = gate.lock.lock().await;
        if let Some(v) = self.get(key) {
            return Ok(v);
        }
        let since = self.generation();
        let value = load().await?;
        self.insert_loaded(key.clone(), value.clone(), since);
        Ok(value)
    }

    /// Forgets `key`.
    pub fn remove(&self, key: &K) {
        self.forget(|entries| {
            entries.remove(key);
        });
    }

    /// Forgets the entries `keep` refuses.
    pub fn retain(&self, mut keep: impl FnMut(&K, &V) -> bool) {
        self.forget(|entries| entries.retain(|k, (_, v)| keep(k, v)));
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.forget(HashMap::clear);
    }

    fn forget(&self, change: impl FnOnce(&mut HashMap<K, (Instant, V)>)) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        change(&mut self.entries.write().unwrap_or_else(|p| p.into_inner()));
    }
}

/// A caller's hold on a key's gate; the last one out removes it, cancelled or not.
struct Gate<'a, K: Hash + Eq + Clone> {
    gates: &'a Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
    key: &'a K,
    lock: Arc<tokio::sync::Mutex<()>>,
}

impl<'a, K: Hash + Eq + Clone> Gate<'a, K> {
    fn enter(gates: &'a Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>, key: &'a K) -> Self {
        let lock = gates
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(key.clone())
            .or_default()
            .clone();
        Gate { gates, key, lock }
    }
}

impl<K: Hash + Eq + Clone> Drop for Gate<'_, K> {
    fn drop(&mut self) {
        let mut gates = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        // Held by the map and by this caller only: nobody else waits on it.
        if Arc::strong_count(&self.lock) == 2 {
            gates.remove(self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn cache(ttl_ms: u64, max: usize) -> Arc<Expiring<i64, String>> {
        Arc::new(Expiring::new(Duration::from_millis(ttl_ms), max))
    }

    #[tokio::test]
    async fn concurrent_misses_load_once_and_share_the_result() {
        let c = cache(60_000, 10);
        let loads = Arc::new(AtomicUsize::new(0));
        let mut tasks = vec![];
        for _ in 0..20 {
            let (c, loads) = (c.clone(), loads.clone());
            tasks.push(tokio::spawn(async move {
                c.get_or_load(&1, || async {
                    loads.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Ok::<_, ()>("one".to_string())
                })
                .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.expect("task"), Ok("one".to_string()));
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        assert!(c.loading.lock().expect("gates").is_empty());
    }

    #[tokio::test]
    async fn a_load_that_raced_a_forget_is_not_kept() {
        let c = cache(60_000, 10);
        let since = c.generation();
        c.remove(&1);
        c.insert_loaded(1, "stale".into(), since);
        assert_eq!(c.get(&1), None);
        c.insert_loaded(1, "fresh".into(), c.generation());
        assert_eq!(c.get(&1).as_deref(), Some("fresh"));
        c.retain(|k, _| *k != 1);
        assert_eq!(c.get(&1), None);
    }

    #[tokio::test]
    async fn failures_are_not_kept_and_a_cancelled_load_leaves_no_gate() {
        let c = cache(60_000, 10);
        let failed: Result<String, &str> = c.get_or_load(&1, || async { Err("down") }).await;
        assert_eq!(failed, Err("down"));
        assert_eq!(c.get(&1), None);
        let slow = c.get_or_load(&2, || async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok::<_, ()>("never".to_string())
        });
        assert!(tokio::time::timeout(Duration::from_millis(10), slow)
            .await
            .is_err());
        assert!(c.loading.lock().expect("gates").is_empty());
    }

    #[tokio::test]
    async fn entries_expire_stay_bounded_and_zero_turns_it_off() {
        let c = cache(30, 3);
        for k in 0..10 {
            c.insert_loaded(k, k.to_string(), c.generation());
        }
        assert!(c.entries.read().expect("entries").len() <= 3);
        assert_eq!(c.get(&9).as_deref(), Some("9"));
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(c.get(&9), None);
        let off = cache(0, 3);
        off.insert_loaded(1, "x".into(), off.generation());
        assert_eq!(off.get(&1), None);
        let loaded: Result<String, ()> = off.get_or_load(&1, || async { Ok("y".into()) }).await;
        assert_eq!(loaded.as_deref(), Ok("y"));
    }
}
