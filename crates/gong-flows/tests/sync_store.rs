//! The sync state stores: what every `SyncStore` promises (the same checks
//! run on each), then what each adds: `MemoryStore`'s shared clones;
//! `SqliteStore`'s file shared by several stores and processes, its OS
//! locks and its durability across a killed process; `RedisSyncStore`
//! against a real `redis-server` on a free loopback port, its leases and
//! its transactions.
//!
//! Some tests need a second process: they run this test binary again,
//! as the ignored test `child_process` with `GONG_FLOWS_SYNC_CHILD` set,
//! and kill it with SIGKILL (as a crash would). No assertion is about
//! time; timeouts only stop a hung test.

#[cfg(feature = "redis")]
#[path = "support/redis_server.rs"]
mod redis_server;

use gong_flows::{Change, Error, Managed, ManagedState, MemoryStore, SyncStore};
#[cfg(any(feature = "sqlite", feature = "redis"))]
use std::time::Duration;

/// Long enough for a loaded machine; only a hung test reaches it.
#[cfg(any(feature = "sqlite", feature = "redis"))]
const HANG_GUARD: Duration = Duration::from_secs(60);

fn record(id: &str, state: ManagedState) -> Managed {
    Managed::new(id, state)
}

async fn sorted(store: &dyn SyncStore, flow: &str) -> Vec<Managed> {
    let mut managed = store.load(flow).await.unwrap();
    managed.sort_by(|a, b| a.crm_prospect_id.cmp(&b.crm_prospect_id));
    managed
}

fn ids(managed: &[Managed]) -> Vec<&str> {
    managed.iter().map(|m| m.crm_prospect_id.as_str()).collect()
}

/// What every store promises, on flows named `<prefix>-…`.
async fn conformance(store: &dyn SyncStore, prefix: &str) {
    let flow = format!("{prefix}-1");
    let other_flow = format!("{prefix}-2");
    assert!(store.load(&flow).await.unwrap().is_empty(), "a new flow");
    store.apply(&flow, vec![]).await.unwrap();

    // Every field and every state round-trips.
    let mut full = record("0035g00000AbCdE", ManagedState::Member);
    full.flow_instance_id = Some("8812".into());
    full.adopted = true;
    full.last_result = Some("refused: Prospect is \"opted out\"\nsecond line, é".into());
    full.updated_at = "2024-05-01T02:00:00.123Z".into();
    let mut puts = vec![Change::Put(full.clone())];
    for (i, state) in ManagedState::ALL.into_iter().enumerate() {
        puts.push(Change::Put(record(&format!("p{i}"), state)));
    }
    store.apply(&flow, puts.clone()).await.unwrap();
    let loaded = sorted(store, &flow).await;
    let mut expected: Vec<Managed> = puts
        .into_iter()
        .map(|c| match c {
            Change::Put(m) => m,
            Change::Remove(_) => unreachable!(),
        })
        .collect();
    expected.sort_by(|a, b| a.crm_prospect_id.cmp(&b.crm_prospect_id));
    assert_eq!(loaded, expected);

    // Replace, remove, remove what is absent; a later change of the same
    // prospect in one batch wins.
    let mut replaced = full.clone();
    replaced.state = ManagedState::Unassigning;
    replaced.flow_instance_id = None;
    replaced.last_result = None;
    store
        .apply(
            &flow,
            vec![
                Change::Put(replaced.clone()),
                Change::Remove("p0".into()),
                Change::Remove("never-there".into()),
                Change::Put(record("x", ManagedState::Assigning)),
                Change::Remove("x".into()),
                Change::Remove("p1".into()),
                Change::Put(record("p1", ManagedState::Finished)),
            ],
        )
        .await
        .unwrap();
    let loaded = sorted(store, &flow).await;
    assert_eq!(ids(&loaded), ["0035g00000AbCdE", "p1", "p2", "p3", "p4"]);
    assert_eq!(loaded[0], replaced);
    assert_eq!(loaded[1].state, ManagedState::Finished);

    // Flows are apart.
    store
        .apply(
            &other_flow,
            vec![Change::Put(record("p2", ManagedState::Assigning))],
        )
        .await
        .unwrap();
    assert_eq!(sorted(store, &other_flow).await.len(), 1);
    assert_eq!(sorted(store, &flow).await[2].state, ManagedState::Finished);

    // Bad input is refused before anything is written.
    let err = store.load("").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    let err = store
        .apply(
            &flow,
            vec![
                Change::Remove("p2".into()),
                Change::Put(record("", ManagedState::Member)),
            ],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(sorted(store, &flow).await.len(), 5, "nothing applied");

    // The lock: exclusive per flow, free again once dropped.
    let lock = store.lock(&flow).await.unwrap();
    assert!(!lock.is_lost());
    match store.lock(&flow).await {
        Err(Error::SyncLocked { flow_id, .. }) => assert_eq!(flow_id, flow),
        other => panic!("expected SyncLocked, got {other:?}"),
    }
    let other_lock = store.lock(&other_flow).await.expect("another flow is free");
    // Released and awaited: free at once (dropping it frees it too, at
    // once for file and memory locks, moments later for a Redis lease).
    lock.release().await.unwrap();
    let lock = store.lock(&flow).await.expect("free once released");
    lock.release().await.unwrap();
    other_lock.release().await.unwrap();
    let err = store.lock("two words").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
}

#[test]
fn stores_are_shareable_trait_objects_and_locks_cross_tasks() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<gong_flows::SyncLock>();
    send_sync::<MemoryStore>();
    #[cfg(feature = "sqlite")]
    send_sync::<gong_flows::SqliteStore>();
    #[cfg(feature = "redis")]
    send_sync::<gong_flows::RedisSyncStore>();
    let stores: Vec<std::sync::Arc<dyn SyncStore>> = vec![std::sync::Arc::new(MemoryStore::new())];
    assert_eq!(stores[0].describe(), "memory");
    // The trait's default description is the type's name.
    #[derive(Debug)]
    struct Custom;
    impl SyncStore for Custom {
        fn lock<'a>(
            &'a self,
            _: &'a str,
        ) -> futures::future::BoxFuture<'a, gong_flows::Result<gong_flows::SyncLock>> {
            Box::pin(async { Ok(gong_flows::SyncLock::new(())) })
        }
        fn load<'a>(
            &'a self,
            _: &'a str,
        ) -> futures::future::BoxFuture<'a, gong_flows::Result<Vec<Managed>>> {
            Box::pin(async { Ok(vec![]) })
        }
        fn apply<'a>(
            &'a self,
            _: &'a str,
            _: Vec<Change>,
        ) -> futures::future::BoxFuture<'a, gong_flows::Result<()>> {
            Box::pin(async { Ok(()) })
        }
    }
    assert!(
        Custom.describe().ends_with("Custom"),
        "{}",
        Custom.describe()
    );
}

#[tokio::test]
async fn memory_store_keeps_every_promise() {
    conformance(&MemoryStore::new(), "mem").await;
}

#[tokio::test]
async fn memory_store_clones_share_state_and_locks() {
    let store = MemoryStore::new();
    let clone = store.clone();
    store
        .apply("17", vec![Change::Put(record("a", ManagedState::Member))])
        .await
        .unwrap();
    assert_eq!(ids(&sorted(&clone, "17").await), ["a"]);
    let lock = clone.lock("17").await.unwrap();
    let err = store.lock("17").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "flow 17 is being synced by another process (another task of this process)"
    );
    drop(lock);
    let _held = store.lock("17").await.unwrap();
    // A separate store shares nothing.
    let separate = MemoryStore::new();
    assert!(separate.load("17").await.unwrap().is_empty());
    let _held = separate.lock("17").await.unwrap();
    assert_eq!(store.describe(), "memory");
}

// ---------------------------------------------------------------------
// A second process: this binary again, running `child_process`.

/// The child's role, its arguments separated by `|`.
#[cfg(any(feature = "sqlite", feature = "redis"))]
const CHILD_ENV: &str = "GONG_FLOWS_SYNC_CHILD";
/// What the child prints once it has done its part.
#[cfg(any(feature = "sqlite", feature = "redis"))]
const READY: &str = "GONG_FLOWS_SYNC_CHILD_READY";

/// A child process that did its part and now waits to be killed; killed
/// (SIGKILL) on drop in any case.
#[cfg(any(feature = "sqlite", feature = "redis"))]
struct ChildProcess {
    child: std::process::Child,
}

#[cfg(any(feature = "sqlite", feature = "redis"))]
impl ChildProcess {
    /// Starts this binary as `child_process` with `role`, and waits for it
    /// to say it is ready.
    fn start(role: &[&str]) -> ChildProcess {
        use std::io::BufRead as _;
        use std::process::{Command, Stdio};
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "child_process",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, role.join("|"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting the child");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // After libtest's "test child_process ... " on the same line.
                if line.trim_end().ends_with(READY) {
                    let _ = tx.send(());
                    break;
                }
            }
        });
        let mut process = ChildProcess { child };
        if rx.recv_timeout(HANG_GUARD).is_err() {
            let status = process.child.try_wait();
            panic!("the child never got ready ({role:?}): {status:?}");
        }
        process
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, as a crash; returns once the process is gone.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(any(feature = "sqlite", feature = "redis"))]
impl Drop for ChildProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Not a test: the second process of the tests above (run only by them).
#[cfg(any(feature = "sqlite", feature = "redis"))]
#[test]
#[ignore = "the child process of other tests; runs only when they start it"]
fn child_process() {
    let Ok(role) = std::env::var(CHILD_ENV) else {
        eprintln!("child_process: run by other tests only");
        return;
    };
    let args: Vec<&str> = role.split('|').collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        // Whatever the role holds lives until the process is killed.
        let _held: Box<dyn std::any::Any> = match args[..] {
            #[cfg(feature = "sqlite")]
            ["sqlite-lock", db, flow] => {
                let store = gong_flows::SqliteStore::open(db).unwrap();
                Box::new((store.lock(flow).await.unwrap(), store))
            }
            #[cfg(feature = "sqlite")]
            ["sqlite-apply", db, flow, id] => {
                let store = gong_flows::SqliteStore::open(db).unwrap();
                store
                    .apply(flow, vec![Change::Put(record(id, ManagedState::Assigning))])
                    .await
                    .unwrap();
                Box::new(store)
            }
            #[cfg(feature = "redis")]
            ["redis-lock", url, namespace, flow, ttl_ms] => {
                let store = gong_flows::RedisSyncStore::builder(url, namespace)
                    .lock_ttl(Duration::from_millis(ttl_ms.parse().unwrap()))
                    .build()
                    .unwrap();
                Box::new((store.lock(flow).await.unwrap(), store))
            }
            _ => panic!("unknown child role {role:?}"),
        };
        println!("{READY}");
        // Killed long before this; the bound only spares an orphan.
        tokio::time::sleep(HANG_GUARD * 2).await;
    });
}

// ---------------------------------------------------------------------

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use gong_flows::SqliteStore;
    use std::path::Path;

    fn temp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[tokio::test]
    async fn sqlite_store_keeps_every_promise() {
        let dir = temp();
        let store = SqliteStore::open(dir.path().join("state.db")).unwrap();
        conformance(&store, "sqlite").await;
        assert!(
            store.describe().starts_with("sqlite:/"),
            "{}",
            store.describe()
        );
        assert!(store.describe().ends_with("state.db"));
    }

    #[tokio::test]
    async fn the_state_survives_reopening() {
        let dir = temp();
        let path = dir.path().join("state.db");
        let store = SqliteStore::open(&path).unwrap();
        store
            .apply("17", vec![Change::Put(record("a", ManagedState::Member))])
            .await
            .unwrap();
        drop(store);
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(ids(&sorted(&store, "17").await), ["a"]);
    }

    #[tokio::test]
    async fn two_stores_on_one_file_exclude_each_other_and_name_the_holder() {
        let dir = temp();
        let path = dir.path().join("state.db");
        let one = SqliteStore::open(&path).unwrap();
        let two = SqliteStore::open(&path).unwrap();
        let lock = one.lock("17").await.unwrap();
        let err = two.lock("17").await.unwrap_err();
        match &err {
            Error::SyncLocked {
                flow_id,
                holder: Some(holder),
            } => {
                assert_eq!(flow_id, "17");
                assert!(
                    holder.starts_with(&format!("pid {}", std::process::id())),
                    "{holder}"
                );
            }
            other => panic!("expected SyncLocked with a holder, got {other:?}"),
        }
        assert!(
            err.to_string().starts_with(&format!(
                "flow 17 is being synced by another process (pid {}",
                std::process::id()
            )),
            "{err}"
        );
        // Also a clone, or the same store from another task.
        let clone = one.clone();
        let err = tokio::spawn(async move { clone.lock("17").await.map(drop) })
            .await
            .unwrap();
        assert!(matches!(err, Err(Error::SyncLocked { .. })), "{err:?}");
        let _held = two.lock("18").await.expect("another flow");
        assert!(one.lock_file("17").exists());
        drop(lock);
        let _held = two.lock("17").await.expect("free once dropped");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_applies_from_two_stores_lose_nothing() {
        let dir = temp();
        let path = dir.path().join("state.db");
        // Opening a new file from several threads at once agrees on one schema.
        let opened: Vec<SqliteStore> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| SqliteStore::open(&path)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap().unwrap())
                .collect()
        });
        let stores = &opened[..2];
        const TASKS: usize = 4;
        const BATCHES: usize = 25;
        const PER_BATCH: usize = 8;
        let mut tasks = Vec::new();
        for (s, store) in stores.iter().enumerate() {
            for t in 0..TASKS {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    for b in 0..BATCHES {
                        let changes = (0..PER_BATCH)
                            .map(|i| {
                                Change::Put(record(
                                    &format!("s{s}t{t}b{b}i{i}"),
                                    ManagedState::Member,
                                ))
                            })
                            .collect();
                        store.apply("17", changes).await?;
                    }
                    // And one shared prospect, written by everyone.
                    store
                        .apply(
                            "17",
                            vec![Change::Put(record("shared", ManagedState::Assigning))],
                        )
                        .await
                }));
            }
        }
        for task in tasks {
            tokio::time::timeout(HANG_GUARD, task)
                .await
                .expect("hung")
                .unwrap()
                .expect("no 'database is locked' under contention");
        }
        let loaded = opened[3].load("17").await.unwrap();
        assert_eq!(loaded.len(), 2 * TASKS * BATCHES * PER_BATCH + 1);
    }

    #[tokio::test]
    async fn a_failed_apply_changes_nothing() {
        let dir = temp();
        let path = dir.path().join("state.db");
        let store = SqliteStore::open(&path).unwrap();
        store
            .apply(
                "17",
                vec![
                    Change::Put(record("keep", ManagedState::Member)),
                    Change::Put(record("also", ManagedState::Member)),
                ],
            )
            .await
            .unwrap();
        // A trigger (the test's, not the store's) makes one write fail
        // half-way through the transaction.
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "CREATE TRIGGER poison BEFORE INSERT ON managed
                 WHEN NEW.crm_prospect_id = 'poison'
                 BEGIN SELECT RAISE(ABORT, 'poisoned'); END;",
            )
            .unwrap();
        drop(connection);
        let err = store
            .apply(
                "17",
                vec![
                    Change::Remove("keep".into()),
                    Change::Put(record("new", ManagedState::Assigning)),
                    Change::Put(record("poison", ManagedState::Assigning)),
                    Change::Remove("also".into()),
                ],
            )
            .await
            .unwrap_err();
        match &err {
            Error::Store { message } => assert!(message.contains("poisoned"), "{message}"),
            other => panic!("expected Store, got {other:?}"),
        }
        assert!(!err.is_retryable() && !err.may_have_been_sent());
        assert_eq!(ids(&sorted(&store, "17").await), ["also", "keep"]);
        // The store is still usable after the rollback.
        store
            .apply("17", vec![Change::Remove("keep".into())])
            .await
            .unwrap();
        assert_eq!(ids(&sorted(&store, "17").await), ["also"]);
    }

    #[tokio::test]
    async fn an_unknown_state_is_an_error_not_a_guess() {
        let dir = temp();
        let path = dir.path().join("state.db");
        let store = SqliteStore::open(&path).unwrap();
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute(
                "INSERT INTO managed (flow_id, crm_prospect_id, state, adopted, updated_at)
                 VALUES ('17', 'a', 'paused', 0, '2024-05-01T02:00:00.000Z')",
                [],
            )
            .unwrap();
        let err = store.load("17").await.unwrap_err().to_string();
        assert!(err.contains("unknown state \"paused\""), "{err}");
    }

    #[tokio::test]
    async fn a_missing_directory_is_a_store_error() {
        let dir = temp();
        let err = SqliteStore::open(dir.path().join("no/such/state.db")).unwrap_err();
        assert!(matches!(err, Error::Store { .. }), "{err:?}");
        assert!(err.to_string().starts_with("sync state: sqlite:"), "{err}");
    }

    fn db(dir: &Path) -> String {
        dir.join("state.db").to_str().unwrap().to_owned()
    }

    #[tokio::test]
    async fn another_process_holds_the_lock_until_it_is_killed() {
        let dir = temp();
        let path = db(dir.path());
        let store = SqliteStore::open(&path).unwrap();
        let mut child = ChildProcess::start(&["sqlite-lock", &path, "17"]);
        match store.lock("17").await {
            Err(Error::SyncLocked {
                flow_id,
                holder: Some(holder),
            }) => {
                assert_eq!(flow_id, "17");
                assert!(
                    holder.starts_with(&format!("pid {} ", child.pid())),
                    "{holder}"
                );
            }
            other => panic!("expected SyncLocked naming the child, got {other:?}"),
        }
        let _held = store.lock("18").await.expect("only flow 17 is held");
        child.kill();
        // The OS released the dead process's lock.
        let _held = store.lock("17").await.expect("free once the holder died");
    }

    #[tokio::test]
    async fn a_committed_apply_survives_a_killed_process() {
        let dir = temp();
        let path = db(dir.path());
        SqliteStore::open(&path).unwrap();
        let mut child = ChildProcess::start(&["sqlite-apply", &path, "17", "from-child"]);
        // Killed right after its apply returned, its connection still open.
        child.kill();
        let store = SqliteStore::open(&path).unwrap();
        let loaded = store.load("17").await.unwrap();
        assert_eq!(ids(&loaded), ["from-child"]);
        assert_eq!(loaded[0].state, ManagedState::Assigning);
    }
}

// ---------------------------------------------------------------------

#[cfg(feature = "redis")]
mod redis_store {
    use super::redis_server::RedisServer;
    use super::*;
    use gong_flows::RedisSyncStore;

    fn store(redis: &RedisServer, namespace: &str) -> RedisSyncStore {
        RedisSyncStore::open(redis.url(), namespace).unwrap()
    }

    fn with_ttl(redis: &RedisServer, namespace: &str, ttl: Duration) -> RedisSyncStore {
        RedisSyncStore::builder(redis.url(), namespace)
            .lock_ttl(ttl)
            .build()
            .unwrap()
    }

    async fn raw(redis: &RedisServer) -> redis::aio::MultiplexedConnection {
        redis::Client::open(redis.url())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap()
    }

    /// Tries to lock until it works (hang guard only).
    async fn lock_eventually(store: &RedisSyncStore, flow: &str) -> gong_flows::SyncLock {
        let deadline = tokio::time::Instant::now() + HANG_GUARD;
        loop {
            match store.lock(flow).await {
                Ok(lock) => return lock,
                Err(Error::SyncLocked { .. }) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await
                }
                Err(other) => panic!("never free: {other:?}"),
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn redis_store_keeps_every_promise() {
        let Some(redis) = RedisServer::start("redis_store_keeps_every_promise") else {
            return;
        };
        let store = store(&redis, "acme");
        conformance(&store, "redis").await;
        // The layout is as documented: one hash per flow, JSON values.
        let mut connection = raw(&redis).await;
        let json: String = redis::cmd("HGET")
            .arg("gong-flows:sync:{acme}:redis-1")
            .arg("p1")
            .query_async(&mut connection)
            .await
            .unwrap();
        let managed: Managed = serde_json::from_str(&json).unwrap();
        assert_eq!(managed.state, ManagedState::Finished);
        assert!(json.contains("\"crmProspectId\":\"p1\""), "{json}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn namespaces_are_apart_and_a_second_store_is_locked_out() {
        let Some(redis) = RedisServer::start("namespaces_are_apart") else {
            return;
        };
        let one = store(&redis, "acme");
        let two = store(&redis, "acme");
        let other = store(&redis, "globex");
        one.apply("17", vec![Change::Put(record("a", ManagedState::Member))])
            .await
            .unwrap();
        assert_eq!(two.load("17").await.unwrap().len(), 1);
        assert!(other.load("17").await.unwrap().is_empty());
        let lock = one.lock("17").await.unwrap();
        match two.lock("17").await {
            Err(Error::SyncLocked {
                flow_id,
                holder: Some(holder),
            }) => {
                assert_eq!(flow_id, "17");
                assert!(
                    holder.starts_with(&format!("pid {}", std::process::id())),
                    "{holder}"
                );
            }
            other => panic!("expected SyncLocked with a holder, got {other:?}"),
        }
        let _other_lock = other.lock("17").await.expect("another namespace");
        lock.release().await.unwrap();
        // Released and awaited: free at once.
        let _held = two.lock("17").await.expect("released");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dropping_the_guard_frees_the_lock_long_before_its_ttl() {
        let Some(redis) = RedisServer::start("dropping_the_guard_frees_the_lock") else {
            return;
        };
        let ttl = Duration::from_secs(600);
        let one = with_ttl(&redis, "acme", ttl);
        let two = with_ttl(&redis, "acme", ttl);
        let lock = one.lock("17").await.unwrap();
        assert!(matches!(
            two.lock("17").await,
            Err(Error::SyncLocked { .. })
        ));
        let mut connection = raw(&redis).await;
        let pttl: i64 = redis::cmd("PTTL")
            .arg(one.lock_key("17"))
            .query_async(&mut connection)
            .await
            .unwrap();
        assert!(
            pttl > 0 && pttl <= 600_000,
            "a lease, not a forever key: {pttl}"
        );
        drop(lock);
        // Deleted in the background, within moments (the hang guard is a
        // tenth of the ttl).
        let _held = lock_eventually(&two, "17").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_lease_is_renewed_while_the_guard_lives() {
        let Some(redis) = RedisServer::start("the_lease_is_renewed") else {
            return;
        };
        let one = with_ttl(&redis, "acme", Duration::from_secs(1));
        let two = with_ttl(&redis, "acme", Duration::from_secs(1));
        let lock = one.lock("17").await.unwrap();
        let mut connection = raw(&redis).await;
        let pttl = async |connection: &mut redis::aio::MultiplexedConnection| -> i64 {
            redis::cmd("PTTL")
                .arg(one.lock_key("17"))
                .query_async(connection)
                .await
                .unwrap()
        };
        // The remaining time falls, then rises again: a renewal.
        let mut lowest = pttl(&mut connection).await;
        let deadline = tokio::time::Instant::now() + HANG_GUARD;
        loop {
            assert!(tokio::time::Instant::now() < deadline, "never renewed");
            let now = pttl(&mut connection).await;
            assert!(now > 0, "the lease expired while its guard lived: {now}");
            if now > lowest + 100 {
                break;
            }
            lowest = lowest.min(now);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(matches!(
            two.lock("17").await,
            Err(Error::SyncLocked { .. })
        ));
        assert!(!lock.is_lost());
        lock.release().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_leaked_guard_of_a_dead_runtime_expires_after_its_ttl() {
        let Some(redis) = RedisServer::start("a_leaked_guard_expires") else {
            return;
        };
        let ttl = Duration::from_secs(1);
        let url = redis.url();
        // The holder: its own runtime, as another process would have. Its
        // guard is leaked, then its runtime (and the renewal task) dies.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async {
                let store = RedisSyncStore::builder(url, "acme")
                    .lock_ttl(ttl)
                    .build()
                    .unwrap();
                std::mem::forget(store.lock("17").await.unwrap());
            });
            drop(runtime);
        })
        .join()
        .unwrap();
        let two = with_ttl(&redis, "acme", ttl);
        let mut connection = raw(&redis).await;
        let exists: bool = redis::cmd("EXISTS")
            .arg(two.lock_key("17"))
            .query_async(&mut connection)
            .await
            .unwrap();
        let pttl: i64 = redis::cmd("PTTL")
            .arg(two.lock_key("17"))
            .query_async(&mut connection)
            .await
            .unwrap();
        // Left behind, with an expiry (unless it expired already: -2).
        assert!(!exists || pttl > 0, "exists {exists}, pttl {pttl}");
        let _held = lock_eventually(&two, "17").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_killed_holder_process_is_locked_out_until_its_lease_expires() {
        let Some(redis) = RedisServer::start("a_killed_holder_process") else {
            return;
        };
        let url = redis.url();
        let mut child = ChildProcess::start(&["redis-lock", &url, "acme", "17", "2000"]);
        let store = with_ttl(&redis, "acme", Duration::from_secs(2));
        match store.lock("17").await {
            Err(Error::SyncLocked {
                holder: Some(holder),
                ..
            }) => assert!(
                holder.starts_with(&format!("pid {} ", child.pid())),
                "{holder}"
            ),
            other => panic!("expected SyncLocked naming the child, got {other:?}"),
        }
        child.kill();
        let _held = lock_eventually(&store, "17").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lease_taken_away_shows_as_lost() {
        let Some(redis) = RedisServer::start("a_lease_taken_away") else {
            return;
        };
        let store = with_ttl(&redis, "acme", Duration::from_secs(1));
        let lock = store.lock("17").await.unwrap();
        let mut connection = raw(&redis).await;
        // As if it had expired and another process had taken it.
        let () = redis::cmd("SET")
            .arg(store.lock_key("17"))
            .arg("someone-else pid 1 on elsewhere")
            .query_async(&mut connection)
            .await
            .unwrap();
        let deadline = tokio::time::Instant::now() + HANG_GUARD;
        while !lock.is_lost() {
            assert!(tokio::time::Instant::now() < deadline, "never noticed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(format!("{lock:?}").contains("lost: true"), "{lock:?}");
        // Releasing a lost lease leaves the new holder's alone.
        lock.release().await.unwrap();
        let held: String = redis::cmd("GET")
            .arg(store.lock_key("17"))
            .query_async(&mut connection)
            .await
            .unwrap();
        assert_eq!(held, "someone-else pid 1 on elsewhere");
        match store.lock("17").await {
            Err(Error::SyncLocked { holder, .. }) => {
                assert_eq!(holder.as_deref(), Some("pid 1 on elsewhere"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn another_client_sees_an_apply_whole_or_not_at_all() {
        let Some(redis) = RedisServer::start("another_client_sees_an_apply_whole") else {
            return;
        };
        let store = store(&redis, "acme");
        const N: usize = 5_000;
        let old: Vec<Change> = (0..N)
            .map(|i| Change::Put(record(&format!("old{i}"), ManagedState::Member)))
            .collect();
        store.apply("17", old).await.unwrap();
        let key = store.data_key("17");
        // One transaction: remove every old record and put as many new ones.
        let mut swap: Vec<Change> = (0..N).map(|i| Change::Remove(format!("old{i}"))).collect();
        swap.extend(
            (0..N).map(|i| Change::Put(record(&format!("new{i}"), ManagedState::Assigning))),
        );
        let watcher = async {
            let mut connection = raw(&redis).await;
            let mut seen = Vec::new();
            loop {
                let (len, first_old, last_new): (usize, bool, bool) = redis::pipe()
                    .atomic()
                    .cmd("HLEN")
                    .arg(&key)
                    .cmd("HEXISTS")
                    .arg(&key)
                    .arg("old0")
                    .cmd("HEXISTS")
                    .arg(&key)
                    .arg(format!("new{}", N - 1))
                    .query_async(&mut connection)
                    .await
                    .unwrap();
                seen.push((len, first_old, last_new));
                if last_new && !first_old {
                    return seen;
                }
                tokio::task::yield_now().await;
            }
        };
        let (applied, seen) = tokio::time::timeout(HANG_GUARD, async {
            tokio::join!(store.apply("17", swap), watcher)
        })
        .await
        .expect("hung");
        applied.unwrap();
        assert!(
            seen.iter()
                .all(|s| *s == (N, true, false) || *s == (N, false, true)),
            "a partial apply was visible: {:?}",
            seen.iter()
                .find(|s| **s != (N, true, false) && **s != (N, false, true))
        );
        let loaded = store.load("17").await.unwrap();
        assert_eq!(loaded.len(), N);
        assert!(loaded.iter().all(|m| m.crm_prospect_id.starts_with("new")));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn unreadable_data_and_a_dead_server_are_store_errors() {
        let Some(mut redis) = RedisServer::start("unreadable_data_and_a_dead_server") else {
            return;
        };
        let store = RedisSyncStore::builder(redis.url(), "acme")
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        let mut connection = raw(&redis).await;
        let () = redis::cmd("HSET")
            .arg(store.data_key("17"))
            .arg("a")
            .arg("{not json")
            .query_async(&mut connection)
            .await
            .unwrap();
        let err = store.load("17").await.unwrap_err().to_string();
        assert!(
            err.contains("prospect a of flow 17 is not a readable record"),
            "{err}"
        );
        // A key of another type: both the read and the write fail.
        let () = redis::cmd("SET")
            .arg(store.data_key("18"))
            .arg("a string")
            .query_async(&mut connection)
            .await
            .unwrap();
        let err = store.load("18").await.unwrap_err();
        assert!(matches!(err, Error::Store { .. }), "{err:?}");
        let err = store
            .apply("18", vec![Change::Put(record("a", ManagedState::Member))])
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Store { .. }), "{err:?}");
        redis.kill();
        for err in [
            store.load("17").await.unwrap_err(),
            store
                .apply("17", vec![Change::Remove("a".into())])
                .await
                .unwrap_err(),
            store.lock("17").await.unwrap_err(),
        ] {
            assert!(matches!(err, Error::Store { .. }), "{err:?}");
            assert!(
                err.to_string()
                    .starts_with("sync state: redis:redis://127.0.0.1:"),
                "{err}"
            );
        }
    }

    #[test]
    fn bad_settings_are_refused_and_the_password_is_never_shown() {
        let config = |result: gong_flows::Result<RedisSyncStore>| match result {
            Err(Error::Config { setting, .. }) => setting,
            other => panic!("expected Config, got {other:?}"),
        };
        assert_eq!(
            config(RedisSyncStore::open("http://nope", "acme")),
            "sync store URL"
        );
        for namespace in ["", "has space", "{acme}"] {
            assert_eq!(
                config(RedisSyncStore::open("redis://127.0.0.1/0", namespace)),
                "sync store namespace"
            );
        }
        assert_eq!(
            config(
                RedisSyncStore::builder("redis://127.0.0.1/0", "acme")
                    .lock_ttl(Duration::from_millis(999))
                    .build()
            ),
            "sync lock ttl"
        );
        let secret = "hunter2secret";
        let builder = RedisSyncStore::builder(format!("redis://:{secret}@127.0.0.1:1/0"), "acme");
        assert!(!format!("{builder:?}").contains(secret));
        let store = builder.build().unwrap();
        assert!(!format!("{store:?}").contains(secret));
        assert_eq!(
            store.describe(),
            "redis:redis://***@127.0.0.1:1/0 namespace acme"
        );
        let err = RedisSyncStore::open(format!("redis://:{secret}@127.0.0.1:notaport/0"), "acme")
            .unwrap_err();
        assert!(!err.to_string().contains(secret), "{err}");
        // Nothing listens on port 1: the connection error hides the password too.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = runtime.block_on(store.load("17")).unwrap_err();
        assert!(matches!(err, Error::Store { .. }), "{err:?}");
        assert!(!err.to_string().contains(secret), "{err}");
        assert!(!format!("{err:?}").contains(secret), "{err:?}");
    }
}
