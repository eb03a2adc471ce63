//! A sync's state in Redis.

use super::store::{
    Change, LostFlag, Managed, Release, SyncLock, SyncStore, check_changes, check_flow_id,
    store_error,
};
use crate::error::{Error, Result};
use futures::future::BoxFuture;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Renews a lease that is still ours.
const RENEW: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
";

/// Deletes a lease that is still ours.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// The shortest lease [`RedisSyncStoreBuilder::lock_ttl`] accepts.
const MIN_TTL: Duration = Duration::from_secs(1);

/// Configures a [`RedisSyncStore`].
#[derive(Clone)]
#[must_use]
pub struct RedisSyncStoreBuilder {
    redis_url: String,
    namespace: String,
    lock_ttl: Duration,
    timeout: Duration,
}

impl fmt::Debug for RedisSyncStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry Redis' password.
        f.debug_struct("RedisSyncStoreBuilder")
            .field("url", &crate::client::redact_userinfo(&self.redis_url))
            .field("namespace", &self.namespace)
            .field("lock_ttl", &self.lock_ttl)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl RedisSyncStoreBuilder {
    /// How long a lock outlives a holder that stops renewing it, e.g. one
    /// that crashed (default 30 s, at least 1 s). While the guard lives,
    /// a background task renews the lease every third of this.
    pub fn lock_ttl(mut self, ttl: Duration) -> Self {
        self.lock_ttl = ttl;
        self
    }

    /// The longest a Redis connection or command may take (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Checks the settings. The connection is opened on first use (and
    /// reopened after a failure), so this needs no runtime and no Redis.
    pub fn build(self) -> Result<RedisSyncStore> {
        let config = |setting: &str, reason: String| Error::Config {
            setting: setting.to_owned(),
            reason,
        };
        let shown = crate::client::redact_userinfo(&self.redis_url);
        let client = redis::Client::open(self.redis_url.as_str()).map_err(|e| {
            config(
                "sync store URL",
                format!("{shown:?} is not a Redis URL: {e}"),
            )
        })?;
        let namespace = self.namespace;
        if namespace.is_empty()
            || namespace.len() > 200
            || namespace
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '{' || c == '}')
        {
            return Err(config(
                "sync store namespace",
                format!("{namespace:?} must be 1 to 200 characters without spaces or braces"),
            ));
        }
        if self.lock_ttl < MIN_TTL {
            return Err(config(
                "sync lock ttl",
                format!("must be at least 1s, got {:?}", self.lock_ttl),
            ));
        }
        if self.timeout.is_zero() {
            return Err(config(
                "sync store timeout",
                "must be more than zero".to_owned(),
            ));
        }
        let manager_config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(1)
            .set_max_delay(self.timeout);
        Ok(RedisSyncStore {
            inner: Arc::new(Shared {
                described: format!("redis:{shown} namespace {namespace}"),
                shown_url: shown,
                namespace,
                lock_ttl: self.lock_ttl,
                timeout: self.timeout,
                client,
                manager_config,
                manager: Mutex::new(None),
            }),
        })
    }
}

/// A [`SyncStore`] in Redis (cargo feature `redis`): for syncs whose runs
/// may start on several machines.
///
/// - **Data**: one hash per flow, `gong-flows:sync:{<namespace>}:<flow id>`,
///   field the CRM id, value the [`Managed`] record as JSON (camelCase).
///   The hashes never expire: persist Redis (AOF or RDB) as you would any
///   state you cannot rebuild. [`apply`](SyncStore::apply) is one
///   `MULTI`/`EXEC` transaction (an `HSET` of the records put, an `HDEL`
///   of those removed, the changes' order kept by letting a prospect's last
///   change win): other clients see all of it or none of it, and a
///   connection lost before `EXEC` leaves nothing applied.
/// - **Locks**: [`lock`](SyncStore::lock) is a lease,
///   `SET gong-flows:sync-lock:{<namespace>}:<flow id> <token> NX PX <ttl>`,
///   renewed by a background task every third of the ttl while the guard
///   lives and deleted (only if still ours) when it is dropped or
///   [released](SyncLock::release). A holder that crashes stops renewing,
///   and its lease expires after the ttl ([`lock_ttl`], default 30 s). The
///   lease names its holder (`pid 4242 on host-a`) for the others'
///   [`Error::SyncLocked`]. A lease that could not be renewed in time
///   shows as [`SyncLock::is_lost`].
/// - **Secrets**: the URL's password never appears in `Debug`, in
///   [`describe`](SyncStore::describe) or in errors.
///
/// The namespace (one per company or tenant) keeps syncs of different
/// companies on one Redis apart; its keys share one Redis Cluster slot.
///
/// ```no_run
/// use gong_flows::{RedisSyncStore, SyncStore};
/// use std::time::Duration;
///
/// # async fn demo() -> gong_flows::Result<()> {
/// let store = RedisSyncStore::builder("redis://:PASSWORD@10.0.0.5:6379/0", "acme")
///     .lock_ttl(Duration::from_secs(60))
///     .build()?;
/// assert_eq!(store.describe(), "redis:redis://***@10.0.0.5:6379/0 namespace acme");
/// let lock = store.lock("1695493301223590792").await?;
/// let managed = store.load("1695493301223590792").await?;
/// // ... plan, apply, call Gong, apply ...
/// lock.release().await?;
/// # let _ = managed;
/// # Ok(()) }
/// ```
///
/// [`lock_ttl`]: RedisSyncStoreBuilder::lock_ttl
#[derive(Clone)]
pub struct RedisSyncStore {
    inner: Arc<Shared>,
}

struct Shared {
    shown_url: String,
    described: String,
    namespace: String,
    lock_ttl: Duration,
    timeout: Duration,
    client: redis::Client,
    manager_config: ConnectionManagerConfig,
    /// Made on first use, inside the runtime it needs.
    manager: Mutex<Option<ConnectionManager>>,
}

impl fmt::Debug for RedisSyncStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisSyncStore")
            .field("url", &self.inner.shown_url)
            .field("namespace", &self.inner.namespace)
            .field("lock_ttl", &self.inner.lock_ttl)
            .finish_non_exhaustive()
    }
}

impl RedisSyncStore {
    /// Starts configuring a store on the Redis at `redis_url`
    /// (`redis://[:PASSWORD@]HOST:PORT/DB`), its keys in `namespace`.
    pub fn builder(
        redis_url: impl Into<String>,
        namespace: impl Into<String>,
    ) -> RedisSyncStoreBuilder {
        RedisSyncStoreBuilder {
            redis_url: redis_url.into(),
            namespace: namespace.into(),
            lock_ttl: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
        }
    }

    /// A store with the default settings: `builder(redis_url, namespace).build()`.
    ///
    /// ```
    /// let store = gong_flows::RedisSyncStore::open("redis://127.0.0.1:6379/0", "acme")?;
    /// assert_eq!(store.data_key("17"), "gong-flows:sync:{acme}:17");
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn open(redis_url: impl Into<String>, namespace: impl Into<String>) -> Result<Self> {
        Self::builder(redis_url, namespace).build()
    }

    /// The key namespace.
    pub fn namespace(&self) -> &str {
        &self.inner.namespace
    }

    /// The hash that holds a flow's records.
    pub fn data_key(&self, flow_id: &str) -> String {
        format!("gong-flows:sync:{{{}}}:{flow_id}", self.inner.namespace)
    }

    /// The key of a flow's lock lease.
    pub fn lock_key(&self, flow_id: &str) -> String {
        format!(
            "gong-flows:sync-lock:{{{}}}:{flow_id}",
            self.inner.namespace
        )
    }
}

impl Shared {
    fn error(&self, what: impl fmt::Display) -> Error {
        store_error(&self.described, what)
    }

    /// The connection manager (it reconnects by itself after a failure).
    fn connection(&self) -> Result<ConnectionManager> {
        let mut manager = self.manager.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(manager) = &*manager {
            return Ok(manager.clone());
        }
        let made = ConnectionManager::new_lazy_with_config(
            self.client.clone(),
            self.manager_config.clone(),
        )
        .map_err(|e| self.error(format!("cannot connect: {e}")))?;
        *manager = Some(made.clone());
        Ok(made)
    }

    /// Runs a command (or a transaction) within the timeout.
    async fn run<T: redis::FromRedisValue>(
        &self,
        what: &str,
        timeout: Duration,
        query: impl AsyncFnOnce(&mut ConnectionManager) -> redis::RedisResult<T>,
    ) -> Result<T> {
        let mut connection = self.connection()?;
        match tokio::time::timeout(timeout, query(&mut connection)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(self.error(format!("cannot {what}: {e}"))),
            Err(_) => Err(self.error(format!("cannot {what}: no answer within {timeout:?}"))),
        }
    }

    /// Renews the lease if it is still ours: `Ok(false)` if it is not.
    async fn renew(&self, key: &str, value: &str) -> Result<bool> {
        let ttl_ms = self.lock_ttl.as_millis().to_string();
        let timeout = self.timeout.min(self.lock_ttl / 3);
        let renewed: i64 = self
            .run("renew the lock", timeout, async |c| {
                redis::Script::new(RENEW)
                    .key(key)
                    .arg(value)
                    .arg(&ttl_ms)
                    .invoke_async(c)
                    .await
            })
            .await?;
        Ok(renewed == 1)
    }

    /// Deletes the lease if it is still ours.
    async fn release(&self, key: &str, value: &str) -> Result<()> {
        let _: i64 = self
            .run("release the lock", self.timeout, async |c| {
                redis::Script::new(RELEASE)
                    .key(key)
                    .arg(value)
                    .invoke_async(c)
                    .await
            })
            .await?;
        Ok(())
    }
}

/// A lease and its renewal task. Dropping it stops the task, which then
/// deletes the lease.
struct Lease {
    shared: Arc<Shared>,
    key: String,
    value: String,
    lost: LostFlag,
    /// Dropped with the lease: tells the task to release.
    _stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Release for Lease {
    fn is_lost(&self) -> bool {
        self.lost.get()
    }

    fn release(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        let Lease {
            shared,
            key,
            value,
            _stop: stop,
            task,
            ..
        } = *self;
        Box::pin(async move {
            // The task stops here (a renewal in flight is dropped) before it
            // hears of the release; the lease is deleted now, not in the
            // background.
            task.abort();
            let _ = task.await;
            drop(stop);
            shared.release(&key, &value).await
        })
    }

    fn kind(&self) -> &'static str {
        "redis"
    }
}

/// Renews the lease every third of its ttl until the guard goes, then
/// deletes it.
async fn keep_lease(
    shared: Arc<Shared>,
    key: String,
    value: String,
    lost: LostFlag,
    mut stop: oneshot::Receiver<()>,
) {
    let every = shared.lock_ttl / 3;
    let mut renewed = Instant::now();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            () = tokio::time::sleep(every), if !lost.get() => {
                match shared.renew(&key, &value).await {
                    Ok(true) => renewed = Instant::now(),
                    Ok(false) => {
                        lost.set();
                        tracing::warn!(key = %key, "sync lock lost: the lease expired or was taken over");
                    }
                    Err(error) => {
                        if renewed.elapsed() >= shared.lock_ttl {
                            lost.set();
                            tracing::warn!(key = %key, %error, "sync lock lost: the lease could not be renewed in time");
                        } else {
                            tracing::debug!(key = %key, %error, "could not renew the sync lock; trying again");
                        }
                    }
                }
            }
        }
    }
    if let Err(error) = shared.release(&key, &value).await {
        tracing::warn!(key = %key, %error, "could not release the sync lock; it expires by itself");
    }
}

impl SyncStore for RedisSyncStore {
    fn lock<'a>(&'a self, flow_id: &'a str) -> BoxFuture<'a, Result<SyncLock>> {
        Box::pin(async move {
            check_flow_id(flow_id)?;
            let shared = &self.inner;
            let key = self.lock_key(flow_id);
            let value = format!(
                "{:032x} {}",
                rand::random::<u128>(),
                crate::lock::this_process()
            );
            let ttl_ms = u64::try_from(shared.lock_ttl.as_millis()).unwrap_or(u64::MAX);
            let set: Option<String> = shared
                .run("take the lock", shared.timeout, async |c| {
                    redis::cmd("SET")
                        .arg(&key)
                        .arg(&value)
                        .arg("NX")
                        .arg("PX")
                        .arg(ttl_ms)
                        .query_async(c)
                        .await
                })
                .await?;
            if set.is_none() {
                let held: Option<String> = shared
                    .run("read the lock", shared.timeout, async |c| {
                        redis::cmd("GET").arg(&key).query_async(c).await
                    })
                    .await?;
                let holder = held
                    .as_deref()
                    .and_then(|held| held.split_once(' '))
                    .map(|(_, holder)| holder.chars().filter(|c| !c.is_control()).collect())
                    .filter(|holder: &String| !holder.is_empty());
                return Err(Error::SyncLocked {
                    flow_id: flow_id.to_owned(),
                    holder,
                });
            }
            let lost = LostFlag::default();
            let (stop_tx, stop_rx) = oneshot::channel();
            let task = tokio::spawn(keep_lease(
                Arc::clone(shared),
                key.clone(),
                value.clone(),
                lost.clone(),
                stop_rx,
            ));
            Ok(SyncLock::releasing(Lease {
                shared: Arc::clone(shared),
                key,
                value,
                lost,
                _stop: stop_tx,
                task,
            }))
        })
    }

    fn load<'a>(&'a self, flow_id: &'a str) -> BoxFuture<'a, Result<Vec<Managed>>> {
        Box::pin(async move {
            check_flow_id(flow_id)?;
            let key = self.data_key(flow_id);
            let fields: Vec<(String, String)> = self
                .inner
                .run("read", self.inner.timeout, async |c| {
                    redis::cmd("HGETALL").arg(&key).query_async(c).await
                })
                .await?;
            fields
                .into_iter()
                .map(|(field, json)| {
                    let managed: Managed = serde_json::from_str(&json).map_err(|e| {
                        self.inner.error(format!(
                            "prospect {field} of flow {flow_id} is not a readable record: {e}"
                        ))
                    })?;
                    if managed.crm_prospect_id != field {
                        return Err(self.inner.error(format!(
                            "prospect {field} of flow {flow_id} holds the record of {}",
                            managed.crm_prospect_id
                        )));
                    }
                    Ok(managed)
                })
                .collect()
        })
    }

    fn apply<'a>(&'a self, flow_id: &'a str, changes: Vec<Change>) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            check_flow_id(flow_id)?;
            check_changes(&changes)?;
            // A prospect's last change wins: one HSET and one HDEL, disjoint.
            let mut last: BTreeMap<String, Option<Managed>> = BTreeMap::new();
            for change in changes {
                match change {
                    Change::Put(managed) => {
                        last.insert(managed.crm_prospect_id.clone(), Some(managed));
                    }
                    Change::Remove(id) => {
                        last.insert(id, None);
                    }
                }
            }
            if last.is_empty() {
                return Ok(());
            }
            let key = self.data_key(flow_id);
            let mut pipe = redis::pipe();
            pipe.atomic();
            let mut puts = Vec::new();
            let mut removes = Vec::new();
            for (id, managed) in last {
                match managed {
                    Some(managed) => {
                        let json = serde_json::to_string(&managed)
                            .map_err(|e| self.inner.error(format!("cannot encode {id}: {e}")))?;
                        puts.push((id, json));
                    }
                    None => removes.push(id),
                }
            }
            if !puts.is_empty() {
                pipe.cmd("HSET").arg(&key).arg(&puts).ignore();
            }
            if !removes.is_empty() {
                pipe.cmd("HDEL").arg(&key).arg(&removes).ignore();
            }
            self.inner
                .run("write", self.inner.timeout, async |c| {
                    pipe.query_async::<()>(c).await
                })
                .await
        })
    }

    fn describe(&self) -> String {
        self.inner.described.clone()
    }
}
