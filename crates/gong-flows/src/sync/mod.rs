//! Syncs: a flow's membership kept equal to a CRM list, run after run.
//!
//! Gong cannot list a flow's members, so a sync remembers what it put in
//! the flow, in a [`SyncStore`].

mod flow;
mod memory;
mod plan;
#[cfg(feature = "redis")]
mod redis;
mod report;
#[cfg(feature = "sqlite")]
mod sqlite;
mod store;

pub use flow::SyncFlow;
pub use memory::MemoryStore;
pub use plan::{Forgotten, LeftAlone, LeftAloneReason, MaxRemovals, Removal, SyncPlan};
#[cfg(feature = "redis")]
pub use redis::{RedisSyncStore, RedisSyncStoreBuilder};
pub use report::{NotRemoved, SyncReport};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;
pub use store::{Change, Managed, ManagedState, SyncLock, SyncStore};
