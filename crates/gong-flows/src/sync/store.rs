//! What a sync remembers between runs, and the trait of the stores that
//! keep it.

use crate::error::{Error, Result};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// One prospect a sync manages in one flow.
///
/// Gong's API cannot list a flow's members, so a sync remembers every
/// prospect it put in (or took over), with what it last knew of it.
/// Records serialise as camelCase JSON (the form `RedisSyncStore` keeps):
///
/// ```
/// use gong_flows::{Managed, ManagedState};
///
/// let mut managed = Managed::new("0035g00000AbCdE", ManagedState::Assigning);
/// managed.updated_at = "2024-05-01T02:00:00.000Z".into();
/// assert_eq!(
///     serde_json::to_string(&managed)?,
///     r#"{"crmProspectId":"0035g00000AbCdE","state":"assigning","flowInstanceId":null,"adopted":false,"lastResult":null,"updatedAt":"2024-05-01T02:00:00.000Z"}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Managed {
    /// The prospect's CRM id (the key: one record per prospect and flow).
    pub crm_prospect_id: String,
    /// Where the sync stands with it.
    pub state: ManagedState,
    /// The flow instance the sync created (or adopted), once known.
    pub flow_instance_id: Option<String>,
    /// Found already in the flow and taken over (only with the sync's
    /// adopt option).
    pub adopted: bool,
    /// The last outcome, in words (e.g. Gong's refusal), for reports.
    pub last_result: Option<String>,
    /// When this record last changed (RFC 3339 UTC, milliseconds, e.g.
    /// `2024-05-01T02:00:00.000Z`).
    pub updated_at: String,
}

impl Managed {
    /// A record in `state`, changed now, with no instance, not adopted and
    /// no last result.
    ///
    /// ```
    /// use gong_flows::{Managed, ManagedState};
    ///
    /// let managed = Managed::new("0035g00000AbCdE", ManagedState::Member);
    /// assert_eq!(managed.crm_prospect_id, "0035g00000AbCdE");
    /// assert_eq!(managed.flow_instance_id, None);
    /// assert!(managed.updated_at.ends_with('Z'));
    /// ```
    pub fn new(crm_prospect_id: impl Into<String>, state: ManagedState) -> Self {
        Self {
            crm_prospect_id: crm_prospect_id.into(),
            state,
            flow_instance_id: None,
            adopted: false,
            last_result: None,
            updated_at: Self::now(),
        }
    }

    /// The current time as [`updated_at`](Managed::updated_at) holds it:
    /// RFC 3339, UTC, milliseconds (`2024-05-01T02:00:00.000Z`), so that
    /// the text sorts as the time does.
    ///
    /// ```
    /// let now = gong_flows::Managed::now();
    /// assert_eq!(now.len(), "2024-05-01T02:00:00.000Z".len());
    /// ```
    pub fn now() -> String {
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }

    /// Sets [`updated_at`](Managed::updated_at) to [`now`](Managed::now).
    pub fn touch(&mut self) {
        self.updated_at = Self::now();
    }
}

/// Where a sync stands with one managed prospect.
///
/// Serialises as its lower camelCase name ([`as_str`](ManagedState::as_str)),
/// which is also what `Display` shows and what `SqliteStore` keeps.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ManagedState {
    /// An assign carrying it was (or may have been) sent; the outcome is
    /// not yet known. Written before the call: a crash leaves this, and
    /// the next run settles it by a look-up.
    Assigning,
    /// In the flow, put there (or adopted) by the sync.
    Member,
    /// Its managed instance finished the flow; not enrolled again unless
    /// asked.
    Finished,
    /// An unassign carrying it was (or may have been) sent; the outcome is
    /// not yet known.
    Unassigning,
    /// Removed from the flow outside the sync (by a rep, say) while still
    /// listed; not put back unless asked.
    Removed,
}

impl ManagedState {
    /// Every state, in the order of a prospect's life.
    pub const ALL: [ManagedState; 5] = [
        ManagedState::Assigning,
        ManagedState::Member,
        ManagedState::Finished,
        ManagedState::Unassigning,
        ManagedState::Removed,
    ];

    /// The state's name as stored and serialised: `assigning`, `member`,
    /// `finished`, `unassigning` or `removed`.
    ///
    /// ```
    /// use gong_flows::ManagedState;
    ///
    /// assert_eq!(ManagedState::Unassigning.as_str(), "unassigning");
    /// assert_eq!(ManagedState::from_name("member"), Some(ManagedState::Member));
    /// assert_eq!(ManagedState::from_name("Member"), None);
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ManagedState::Assigning => "assigning",
            ManagedState::Member => "member",
            ManagedState::Finished => "finished",
            ManagedState::Unassigning => "unassigning",
            ManagedState::Removed => "removed",
        }
    }

    /// The state [`as_str`](ManagedState::as_str) names, if any (exact,
    /// case-sensitive).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == name)
    }
}

impl fmt::Display for ManagedState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change to a flow's managed set, for [`SyncStore::apply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Adds the record, or replaces the one with the same CRM id.
    Put(Managed),
    /// Forgets the prospect with this CRM id (nothing if there is none).
    Remove(String),
}

impl Change {
    /// The CRM id the change is about.
    ///
    /// ```
    /// use gong_flows::{Change, Managed, ManagedState};
    ///
    /// let put = Change::Put(Managed::new("a", ManagedState::Member));
    /// assert_eq!(put.crm_prospect_id(), "a");
    /// assert_eq!(Change::Remove("b".into()).crm_prospect_id(), "b");
    /// ```
    pub fn crm_prospect_id(&self) -> &str {
        match self {
            Change::Put(managed) => &managed.crm_prospect_id,
            Change::Remove(id) => id,
        }
    }
}

/// Where a sync keeps what it manages. Implement it to keep the state in
/// your own database.
///
/// This crate has three: [`MemoryStore`](crate::MemoryStore) (in-process,
/// for tests), `SqliteStore` (cargo feature `sqlite`, default: a file, for
/// one machine) and `RedisSyncStore` (cargo feature `redis`: for processes
/// on several machines).
///
/// A sync takes the flow's [`lock`](SyncStore::lock) for its whole run,
/// [`load`](SyncStore::load)s the managed set, and records each step with
/// [`apply`](SyncStore::apply) *before* the call to Gong that it prepares
/// (e.g. [`ManagedState::Assigning`]) and again once the outcome is known.
///
/// ```
/// use futures::future::BoxFuture;
/// use gong_flows::{Change, Managed, Result, SyncLock, SyncStore};
/// use std::collections::HashMap;
/// use std::sync::{Arc, Mutex};
///
/// /// A store that keeps one flow's state in a map (a real one would use a
/// /// transaction of its database in `apply`).
/// #[derive(Debug, Default)]
/// struct MapStore {
///     records: Mutex<HashMap<(String, String), Managed>>,
///     locked: Arc<Mutex<Vec<String>>>,
/// }
///
/// /// Unlocks the flow when dropped.
/// struct Unlock(Arc<Mutex<Vec<String>>>, String);
///
/// impl Drop for Unlock {
///     fn drop(&mut self) {
///         self.0.lock().unwrap().retain(|flow| *flow != self.1);
///     }
/// }
///
/// impl SyncStore for MapStore {
///     fn lock<'a>(&'a self, flow_id: &'a str) -> BoxFuture<'a, Result<SyncLock>> {
///         Box::pin(async move {
///             let mut locked = self.locked.lock().unwrap();
///             if locked.iter().any(|flow| flow == flow_id) {
///                 return Err(gong_flows::Error::SyncLocked {
///                     flow_id: flow_id.to_owned(),
///                     holder: None,
///                 });
///             }
///             locked.push(flow_id.to_owned());
///             Ok(SyncLock::new(Unlock(self.locked.clone(), flow_id.to_owned())))
///         })
///     }
///
///     fn load<'a>(&'a self, flow_id: &'a str) -> BoxFuture<'a, Result<Vec<Managed>>> {
///         Box::pin(async move {
///             let records = self.records.lock().unwrap();
///             Ok(records
///                 .iter()
///                 .filter(|((flow, _), _)| flow == flow_id)
///                 .map(|(_, managed)| managed.clone())
///                 .collect())
///         })
///     }
///
///     fn apply<'a>(&'a self, flow_id: &'a str, changes: Vec<Change>) -> BoxFuture<'a, Result<()>> {
///         Box::pin(async move {
///             let mut records = self.records.lock().unwrap();
///             for change in changes {
///                 let key = (flow_id.to_owned(), change.crm_prospect_id().to_owned());
///                 match change {
///                     Change::Put(managed) => records.insert(key, managed),
///                     Change::Remove(_) => records.remove(&key),
///                 };
///             }
///             Ok(())
///         })
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<()> {
/// let store = MapStore::default();
/// let lock = store.lock("17").await?;
/// assert!(store.lock("17").await.is_err());
/// drop(lock);
/// store.lock("17").await?;
/// # Ok(()) }
/// ```
pub trait SyncStore: Send + Sync + fmt::Debug {
    /// Takes the flow's exclusive lock, without waiting: another holder
    /// (another process, or another task of this one) makes it fail with
    /// [`Error::SyncLocked`], naming the holder when the store knows it.
    ///
    /// The lock is held until the returned guard is dropped (or
    /// [released](SyncLock::release)); a process that dies releases it
    /// (an OS file lock) or its lease expires (Redis).
    fn lock<'a>(&'a self, flow_id: &'a str) -> BoxFuture<'a, Result<SyncLock>>;

    /// Every managed prospect of the flow, in any order; none for a flow
    /// the store has never seen.
    fn load<'a>(&'a self, flow_id: &'a str) -> BoxFuture<'a, Result<Vec<Managed>>>;

    /// Applies the changes in order, atomically: all or none (one
    /// transaction). Once it returns `Ok`, the changes survive a crash of
    /// this process.
    fn apply<'a>(&'a self, flow_id: &'a str, changes: Vec<Change>) -> BoxFuture<'a, Result<()>>;

    /// The store, for messages and logs (`sqlite:/var/lib/sync.db`,
    /// `redis:redis://***@host:6379/0 namespace acme`): never with a
    /// password. The default is the type's name.
    fn describe(&self) -> String {
        std::any::type_name::<Self>().to_owned()
    }
}

/// A held flow lock, from [`SyncStore::lock`]: the lock is released when
/// this is dropped (or [released](SyncLock::release)).
///
/// An opaque guard: [`SyncLock::new`] wraps a custom store's own guard,
/// whose `Drop` releases its lock.
///
/// ```
/// use gong_flows::SyncLock;
///
/// struct MyGuard; // e.g. a database advisory lock, unlocked in `Drop`
/// let lock = SyncLock::new(MyGuard);
/// assert!(!lock.is_lost());
/// ```
#[must_use = "the lock is released as soon as this is dropped"]
pub struct SyncLock {
    held: Held,
}

/// What a [`SyncLock`] holds.
pub(crate) enum Held {
    /// A custom store's guard.
    Custom(Box<dyn Any + Send + Sync>),
    /// A guard whose release is asynchronous (a Redis lease).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    Releasing(Box<dyn Release>),
}

/// A guard that knows when it lost its lock and can be released before it
/// is dropped.
pub(crate) trait Release: Send + Sync {
    /// Whether the lock is known to be lost (a lease that expired).
    fn is_lost(&self) -> bool;
    /// Releases the lock and waits until it is released.
    fn release(self: Box<Self>) -> BoxFuture<'static, Result<()>>;
    /// What kind of lock, for `Debug`.
    fn kind(&self) -> &'static str;
}

impl SyncLock {
    /// Wraps a custom store's guard: dropping the `SyncLock` drops it.
    pub fn new<G: Send + Sync + 'static>(guard: G) -> Self {
        Self {
            held: Held::Custom(Box::new(guard)),
        }
    }

    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn releasing(guard: impl Release + 'static) -> Self {
        Self {
            held: Held::Releasing(Box::new(guard)),
        }
    }

    /// Whether the store knows the lock to be lost while this guard lived:
    /// a Redis lease that could not be renewed in time and expired, or was
    /// taken over. A sync should stop writing when it is. Locks that cannot
    /// be lost (file locks, custom guards) always answer `false`.
    pub fn is_lost(&self) -> bool {
        match &self.held {
            Held::Custom(_) => false,
            Held::Releasing(guard) => guard.is_lost(),
        }
    }

    /// Releases the lock and waits until it is free for others. Dropping
    /// the guard releases it too, but a Redis lease is then deleted by a
    /// background task, which a process that exits at once may never run
    /// (the lease then lingers until it expires): call this before exiting.
    pub async fn release(self) -> Result<()> {
        match self.held {
            Held::Custom(guard) => {
                drop(guard);
                Ok(())
            }
            Held::Releasing(guard) => guard.release().await,
        }
    }
}

impl fmt::Debug for SyncLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.held {
            Held::Custom(_) => "custom",
            Held::Releasing(guard) => guard.kind(),
        };
        f.debug_struct("SyncLock")
            .field("kind", &kind)
            .field("lost", &self.is_lost())
            .finish()
    }
}

/// A flag a lease's renewal task sets when the lease is lost.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) struct LostFlag(Arc<AtomicBool>);

#[cfg_attr(not(feature = "redis"), allow(dead_code))]
impl LostFlag {
    pub(crate) fn set(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub(crate) fn get(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Checks a flow id the way every store does: [`crate::check_id`]'s rules.
pub(crate) fn check_flow_id(flow_id: &str) -> Result<()> {
    crate::check_id("flow_id", flow_id)
}

/// Checks every change's CRM id before anything is written.
pub(crate) fn check_changes(changes: &[Change]) -> Result<()> {
    for change in changes {
        if change.crm_prospect_id().is_empty() {
            return Err(Error::invalid(
                "crm_prospect_id",
                "",
                "is empty: a managed prospect needs its CRM id",
            ));
        }
    }
    Ok(())
}

/// A [`Error::Store`] naming the store.
#[cfg_attr(not(any(feature = "sqlite", feature = "redis")), allow(dead_code))]
pub(crate) fn store_error(store: &str, what: impl fmt::Display) -> Error {
    Error::Store {
        message: format!("{store}: {what}"),
    }
}
