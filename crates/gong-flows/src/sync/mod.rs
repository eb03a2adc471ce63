//! Syncs: a flow's membership kept equal to a CRM list, run after run.
//!
//! Gong cannot list a flow's members, so a sync remembers what it put in
//! the flow, in a [`SyncStore`].

mod memory;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "sqlite")]
mod sqlite;
mod store;

pub use memory::MemoryStore;
#[cfg(feature = "redis")]
pub use redis::{RedisSyncStore, RedisSyncStoreBuilder};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;
pub use store::{Change, Managed, ManagedState, SyncLock, SyncStore};
