//! A sync's state in this process's memory, for tests and fixtures.

use super::store::{Change, Managed, SyncLock, SyncStore, check_changes, check_flow_id};
use crate::error::{Error, Result};
use futures::future::BoxFuture;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

/// A [`SyncStore`] in this process's memory: for tests, fixtures and
/// dry runs. Its state goes with the process.
///
/// Clones share one state, and the flow locks are honoured between them:
/// a clone's [`lock`](SyncStore::lock) fails with [`Error::SyncLocked`]
/// while another clone (or the same store) holds the flow.
///
/// ```
/// use gong_flows::{Change, Managed, ManagedState, MemoryStore, SyncStore};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> gong_flows::Result<()> {
/// let store = MemoryStore::new();
/// let other = store.clone();
/// let lock = store.lock("17").await?;
/// assert!(matches!(other.lock("17").await, Err(gong_flows::Error::SyncLocked { .. })));
///
/// store
///     .apply("17", vec![Change::Put(Managed::new("0035g00000AbCdE", ManagedState::Member))])
///     .await?;
/// assert_eq!(other.load("17").await?.len(), 1);
/// drop(lock);
/// other.lock("17").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    flows: HashMap<String, HashMap<String, Managed>>,
    locked: HashSet<String>,
}

/// Unlocks its flow when dropped.
#[derive(Debug)]
struct MemoryGuard {
    inner: Arc<Mutex<Inner>>,
    flow_id: String,
}

impl Drop for MemoryGuard {
    fn drop(&mut self) {
        lock(&self.inner).locked.remove(&self.flow_id);
    }
}

fn lock(inner: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    inner.lock().unwrap_or_else(|e| e.into_inner())
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl SyncStore for MemoryStore {
    fn lock<'a>(&'a self, flow_id: &'a str) -> BoxFuture<'a, Result<SyncLock>> {
        Box::pin(async move {
            check_flow_id(flow_id)?;
            if !lock(&self.inner).locked.insert(flow_id.to_owned()) {
                return Err(Error::SyncLocked {
                    flow_id: flow_id.to_owned(),
                    holder: Some("another task of this process".to_owned()),
                });
            }
            Ok(SyncLock::new(MemoryGuard {
                inner: Arc::clone(&self.inner),
                flow_id: flow_id.to_owned(),
            }))
        })
    }

    fn load<'a>(&'a self, flow_id: &'a str) -> BoxFuture<'a, Result<Vec<Managed>>> {
        Box::pin(async move {
            check_flow_id(flow_id)?;
            Ok(lock(&self.inner)
                .flows
                .get(flow_id)
                .map(|flow| flow.values().cloned().collect())
                .unwrap_or_default())
        })
    }

    fn apply<'a>(&'a self, flow_id: &'a str, changes: Vec<Change>) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            check_flow_id(flow_id)?;
            check_changes(&changes)?;
            let mut inner = lock(&self.inner);
            let flow = inner.flows.entry(flow_id.to_owned()).or_default();
            for change in changes {
                match change {
                    Change::Put(managed) => {
                        flow.insert(managed.crm_prospect_id.clone(), managed);
                    }
                    Change::Remove(id) => {
                        flow.remove(&id);
                    }
                }
            }
            if flow.is_empty() {
                inner.flows.remove(flow_id);
            }
            Ok(())
        })
    }

    fn describe(&self) -> String {
        "memory".to_owned()
    }
}
