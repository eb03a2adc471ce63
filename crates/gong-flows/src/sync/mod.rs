//! Syncs: a flow's membership kept equal to a CRM list, run after run.
//!
//! Gong cannot list a flow's members, so a sync remembers what it put in
//! the flow, in a [`SyncStore`]: [`SqliteStore`] (a file; feature
//! `sqlite`, default), `RedisSyncStore` (feature `redis`, for workers on
//! several machines), [`MemoryStore`] (tests), or your own.
//!
//! [`Client::sync`](crate::Client::sync) → [`SyncFlow::plan`] →
//! [`SyncPlan::apply`] (or [`start`](SyncPlan::start) for progress, cancel
//! and abort) → [`SyncReport`].
//!
//! # The rules
//!
//! - **It removes only what it put in.** A prospect is *managed* when the
//!   sync created its instance, or found it already in the flow and
//!   [adopted](SyncFlow::adopt) it (off by default). A prospect a rep added
//!   by hand is left alone when listed and never removed when not.
//! - **No second round of outreach.** A listed prospect whose managed
//!   instance finished the flow is not enrolled again unless
//!   [`re_enroll_finished`](SyncFlow::re_enroll_finished).
//! - **Outside removals stand.** A listed prospect removed from the flow
//!   outside the sync (by a rep) is reported as
//!   [`RemovedOutside`](LeftAloneReason::RemovedOutside) and not put back
//!   unless [`restore_removed`](SyncFlow::restore_removed).
//! - **Checked against Gong first.** The plan looks up by CRM id every
//!   listed prospect and every one the sync has in the flow (≈ 1 call per
//!   200), and by instance id the listed ones whose own instance is no
//!   longer open (finished, or removed?). A re-run with nothing to do
//!   makes only those reads. Records of finished and removed prospects are
//!   kept while they are unlisted (not looked up), so that a prospect who
//!   comes back to the list is not enrolled a second time.
//! - **Another's instance is never taken for its own.** A record whose
//!   assign may have been sent claims only an instance created since it
//!   was written; an instance a rep created meanwhile (even between the
//!   plan and the call) is left alone, and never removed.
//! - **Guardrails.** A plan whose removals exceed
//!   [`max_removals`](SyncFlow::max_removals) (default 10 % of the
//!   prospects the sync has in the flow, rounded up) is refused with [`Error::SyncGuard`](crate::Error::SyncGuard)
//!   before anything is written, and so is an empty list while the sync
//!   manages prospects (unless a limit was set explicitly): a truncated or
//!   empty export must not empty a flow. Removing a prospect starts the
//!   flow's cool-off period for it; the plan says so.
//! - **State that survives a crash.** Each write is recorded before it is
//!   sent (`assigning`, `unassigning`) and settled once its answer is in,
//!   one store transaction per settled chunk. A crash, a kill -9 or a lost
//!   answer leaves records in flight; the next run's look-ups settle them,
//!   so nobody is assigned twice. One sync of a flow runs at a time: the
//!   plan holds the store's lock until the apply ends (or the plan is
//!   dropped); another is refused with
//!   [`Error::SyncLocked`](crate::Error::SyncLocked). A store that fails,
//!   or a lock lost, stops the sync and makes its report an `Err`.
//! - **Removals first, then assigns**, on the job driver: the client's
//!   pacing, retries, daily quota (a sync that does not fit is refused
//!   whole under [`OverQuota::Refuse`](crate::OverQuota::Refuse); with
//!   `RunWhatFits` it runs what fits and the next run carries on from the
//!   state) and reconciliation of lost answers all apply.
//!
//! ```no_run
//! # async fn demo(client: gong_flows::Client, segment: Vec<String>) -> gong_flows::Result<()> {
//! use gong_flows::{MaxRemovals, SqliteStore};
//!
//! let plan = client
//!     .sync("1695493301223590792", "owner@example.com")
//!     .prospects(segment)
//!     .store(SqliteStore::open("segment-sync.db")?)
//!     .max_removals(MaxRemovals::Percent(20.0))
//!     .plan()
//!     .await?;
//! println!("{plan}");
//! let report = plan.apply().await?;
//! assert!(report.is_in_step());
//! # Ok(()) }
//! ```

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
