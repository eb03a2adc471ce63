//! A sync's state in a SQLite file.

use super::store::{
    Change, Managed, ManagedState, SyncLock, SyncStore, check_changes, check_flow_id, store_error,
};
use crate::error::{Error, Result};
use crate::lock;
use futures::future::BoxFuture;
use rusqlite::{Connection, TransactionBehavior, params};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The schema this version writes (SQLite's `user_version`).
const SCHEMA_VERSION: i64 = 1;

/// SQLite's `application_id` of a sync state file: "GFsy".
const APPLICATION_ID: i64 = 0x4746_7379;

/// How long a write waits for another connection's transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

const SCHEMA: &str = "
CREATE TABLE managed (
    flow_id          TEXT    NOT NULL,
    crm_prospect_id  TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    flow_instance_id TEXT,
    adopted          INTEGER NOT NULL DEFAULT 0,
    last_result      TEXT,
    updated_at       TEXT    NOT NULL,
    PRIMARY KEY (flow_id, crm_prospect_id)
) WITHOUT ROWID;
";

const UPSERT: &str = "
INSERT INTO managed
    (flow_id, crm_prospect_id, state, flow_instance_id, adopted, last_result, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (flow_id, crm_prospect_id) DO UPDATE SET
    state = excluded.state,
    flow_instance_id = excluded.flow_instance_id,
    adopted = excluded.adopted,
    last_result = excluded.last_result,
    updated_at = excluded.updated_at
";

/// A [`SyncStore`] in a SQLite file (cargo feature `sqlite`, default): the
/// store for syncs that run on one machine, by any number of processes.
///
/// [`open`](SqliteStore::open) creates the file and its schema if absent.
/// Every flow's managed prospects live in one table, `managed`, keyed by
/// `(flow_id, crm_prospect_id)`, with one column per field of [`Managed`]
/// (the state by its [name](ManagedState::as_str)); the schema's version is
/// SQLite's `user_version` (1), and a file written by a newer version is
/// refused rather than misread.
///
/// - **Durability**: the file is in WAL mode with `synchronous=FULL`:
///   once [`apply`](SyncStore::apply) returns, its transaction is on disk
///   (the WAL is synced at every commit), so neither a crash of the process
///   nor one of the machine loses it. (`NORMAL` would be faster but may
///   lose the latest transactions to a power cut, and a sync that forgets
///   what it sent to Gong could enrol a prospect twice.)
/// - **Several processes**: processes of one machine may share the file;
///   writers take turns (each [`apply`](SyncStore::apply) is one
///   `BEGIN IMMEDIATE` transaction) and wait up to 30 s for one another,
///   readers never wait. WAL needs shared memory: keep the file on a
///   local file system, not a network share.
/// - **Locks**: [`lock`](SyncStore::lock) takes an OS advisory lock
///   (`flock`) on a file of its own per flow, in the directory
///   `<file>-locks` beside the database (e.g. `sync.db-locks/17.lock`).
///   It conflicts with every other holder, another process or another
///   task (or store) of this one, and the OS releases it when the holder
///   dies, however it dies. The lock files stay; each names its holder
///   (`pid 4242 on host-a`) while held.
/// - **The runtime**: the SQLite work runs on tokio's blocking threads
///   (`spawn_blocking`), never on the async runtime's own; the methods must
///   be called inside a tokio runtime. Clones share one connection.
///
/// ```no_run
/// use gong_flows::{Change, Managed, ManagedState, SqliteStore, SyncStore};
///
/// # async fn demo() -> gong_flows::Result<()> {
/// let store = SqliteStore::open("/var/lib/gong-sync/state.db")?;
/// let _lock = store.lock("1695493301223590792").await?;
/// let managed = store.load("1695493301223590792").await?;
/// store
///     .apply(
///         "1695493301223590792",
///         vec![Change::Put(Managed::new("0035g00000AbCdE", ManagedState::Assigning))],
///     )
///     .await?;
/// # let _ = managed;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    locks: PathBuf,
    shown: String,
    connection: Mutex<Connection>,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the state file at `path`, creating it and its schema if
    /// absent (not its directory).
    ///
    /// Fails with [`Error::Store`] when the file cannot be opened or
    /// created, is not a SQLite database, is another program's database,
    /// or was written by a newer version of this crate (a newer schema).
    /// Opening does brief blocking file I/O, like [`std::fs::File::open`].
    ///
    /// ```
    /// use gong_flows::SqliteStore;
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let store = SqliteStore::open(dir.path().join("sync.db"))?;
    /// assert!(store.path().ends_with("sync.db"));
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let given = path.as_ref();
        let path = std::path::absolute(given).unwrap_or_else(|_| given.to_owned());
        let shown = format!("sqlite:{}", path.display());
        let fail = |what: &str, e: &dyn fmt::Display| store_error(&shown, format!("{what}: {e}"));
        // SQLite creates the file, not its directory: say which is missing.
        if let Some(dir) = given
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
        {
            let why = format!(
                "the directory {} does not exist: create it, or choose another path",
                dir.display()
            );
            return Err(fail("cannot open", &why));
        }
        let connection = Connection::open(&path).map_err(|e| fail("cannot open", &e))?;
        connection
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| fail("cannot set the busy timeout", &e))?;
        // Switching a new file to WAL needs it alone for a moment; SQLite
        // answers "busy" at once (not after the busy timeout) to those who
        // try together, so they try again.
        let mode: String = when_not_busy(|| {
            connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        })
        .map_err(|e| fail("cannot open", &e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(store_error(
                &shown,
                format!(
                    "cannot use WAL mode (journal mode stays {mode:?}): is this a network share?"
                ),
            ));
        }
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| fail("cannot set synchronous=FULL", &e))?;
        let mut connection = connection;
        let mut tries = 0;
        let migrated = loop {
            match migrate(&mut connection) {
                Err(Migrate::Sqlite(e)) if is_busy(&e) && tries < BUSY_TRIES => {
                    tries += 1;
                    std::thread::sleep(BUSY_PAUSE);
                }
                other => break other,
            }
        };
        migrated.map_err(|e| match e {
            Migrate::Sqlite(e) => fail("cannot read or create the schema", &e),
            Migrate::Refused(why) => store_error(&shown, why),
        })?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "sync".to_owned());
        let locks = path.with_file_name(format!("{file_name}-locks"));
        Ok(Self {
            inner: Arc::new(Inner {
                path,
                locks,
                shown,
                connection: Mutex::new(connection),
            }),
        })
    }

    /// The database file (made absolute).
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The lock file of a flow, `<file>-locks/<flow id>.lock` (the id
    /// made safe as a file name: letters other than lower-case ASCII ones,
    /// digits, `-` and `_` are `%XX`-encoded).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let store = gong_flows::SqliteStore::open(dir.path().join("sync.db"))?;
    /// assert!(store.lock_file("17").ends_with("sync.db-locks/17.lock"));
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn lock_file(&self, flow_id: &str) -> PathBuf {
        self.inner
            .locks
            .join(format!("{}.lock", file_name(flow_id)))
    }

    /// Runs `work` on the connection on a blocking thread.
    async fn with_connection<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let inner = Arc::clone(&self.inner);
        let shown = self.inner.shown.clone();
        tokio::task::spawn_blocking(move || {
            let mut connection = inner.connection.lock().unwrap_or_else(|e| e.into_inner());
            work(&mut connection)
        })
        .await
        .map_err(|e| store_error(&shown, format!("the database task failed: {e}")))?
    }
}

/// Why the schema could not be made ready.
enum Migrate {
    Sqlite(rusqlite::Error),
    Refused(String),
}

impl From<rusqlite::Error> for Migrate {
    fn from(e: rusqlite::Error) -> Self {
        Migrate::Sqlite(e)
    }
}

/// Creates the schema in an empty file, checks it in any other: in one
/// transaction, so that two processes creating one file at once agree.
fn migrate(connection: &mut Connection) -> std::result::Result<(), Migrate> {
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let application: i64 = tx.pragma_query_value(None, "application_id", |row| row.get(0))?;
    if application != 0 && application != APPLICATION_ID {
        return Err(Migrate::Refused(format!(
            "is not a gong-flows sync state file (SQLite application id {application:#x})"
        )));
    }
    match version {
        0 => {
            let objects: i64 = tx.query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
                [],
                |row| row.get(0),
            )?;
            if objects > 0 {
                return Err(Migrate::Refused(
                    "is another program's SQLite database, not a gong-flows sync state file"
                        .to_owned(),
                ));
            }
            tx.execute_batch(SCHEMA)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        SCHEMA_VERSION => {}
        newer if newer > SCHEMA_VERSION => {
            return Err(Migrate::Refused(format!(
                "was written by a newer version of gong-flows (schema {newer}; this one reads \
                 schema {SCHEMA_VERSION}): upgrade it"
            )));
        }
        other => {
            return Err(Migrate::Refused(format!("has an unknown schema {other}")));
        }
    }
    tx.commit()?;
    Ok(())
}

/// A flow id as a file name: lower-case letters, digits, `-` and `_` as
/// they are, every other byte as `%XX` (upper-case letters too, for file
/// systems that ignore case), so that distinct ids never share a file; a
/// very long id is cut and ends in `~` and a hash of the whole.
fn file_name(flow_id: &str) -> String {
    let mut name = String::with_capacity(flow_id.len());
    for byte in flow_id.bytes() {
        if byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-' || byte == b'_' {
            name.push(char::from(byte));
        } else {
            name.push_str(&format!("%{byte:02X}"));
        }
    }
    if name.len() <= 150 {
        return name;
    }
    // FNV-1a: stable across versions and platforms. A collision of two
    // cut names would only make two flows wait for each other.
    let hash = flow_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let mut cut = 100;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}~{hash:016x}", &name[..cut])
}

fn sqlite_error(shown: &str, what: &str, e: rusqlite::Error) -> Error {
    store_error(shown, format!("{what}: {e}"))
}

impl SyncStore for SqliteStore {
    fn lock<'a>(&'a self, flow_id: &'a str) -> BoxFuture<'a, Result<SyncLock>> {
        Box::pin(async move {
            check_flow_id(flow_id)?;
            let dir = self.inner.locks.clone();
            let path = self.lock_file(flow_id);
            let shown = self.inner.shown.clone();
            let flow = flow_id.to_owned();
            tokio::task::spawn_blocking(move || {
                let io = |e: std::io::Error| {
                    store_error(&shown, format!("cannot lock {}: {e}", path.display()))
                };
                std::fs::create_dir_all(&dir).map_err(io)?;
                match lock::try_lock(&path).map_err(io)? {
                    Some(held) => Ok(SyncLock::new(held)),
                    None => Err(Error::SyncLocked {
                        flow_id: flow,
                        holder: lock::holder(&path),
                    }),
                }
            })
            .await
            .map_err(|e| store_error(&self.inner.shown, format!("the lock task failed: {e}")))?
        })
    }

    fn load<'a>(&'a self, flow_id: &'a str) -> BoxFuture<'a, Result<Vec<Managed>>> {
        Box::pin(async move {
            check_flow_id(flow_id)?;
            let flow = flow_id.to_owned();
            let shown = self.inner.shown.clone();
            self.with_connection(move |connection| {
                let fail = |e| sqlite_error(&shown, "cannot read", e);
                let mut statement = connection
                    .prepare_cached(
                        "SELECT crm_prospect_id, state, flow_instance_id, adopted, last_result, \
                         updated_at FROM managed WHERE flow_id = ?1",
                    )
                    .map_err(fail)?;
                let rows = statement
                    .query_map([&flow], |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, Option<String>>(2)?,
                            row.get::<_, bool>(3)?,
                            row.get::<_, Option<String>>(4)?,
                            row.get::<_, String>(5)?,
                        ))
                    })
                    .map_err(fail)?;
                let mut managed = Vec::new();
                for row in rows {
                    let (
                        crm_prospect_id,
                        state,
                        flow_instance_id,
                        adopted,
                        last_result,
                        updated_at,
                    ) = row.map_err(fail)?;
                    let Some(state) = ManagedState::from_name(&state) else {
                        return Err(store_error(
                            &shown,
                            format!(
                                "prospect {crm_prospect_id} of flow {flow} has an unknown state \
                                 {state:?} (written by a newer version?)"
                            ),
                        ));
                    };
                    managed.push(Managed {
                        crm_prospect_id,
                        state,
                        flow_instance_id,
                        adopted,
                        last_result,
                        updated_at,
                    });
                }
                Ok(managed)
            })
            .await
        })
    }

    fn apply<'a>(&'a self, flow_id: &'a str, changes: Vec<Change>) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            check_flow_id(flow_id)?;
            check_changes(&changes)?;
            if changes.is_empty() {
                return Ok(());
            }
            let flow = flow_id.to_owned();
            let shown = self.inner.shown.clone();
            self.with_connection(move |connection| {
                let fail = |e| sqlite_error(&shown, "cannot write", e);
                let tx = connection
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(fail)?;
                {
                    let mut upsert = tx.prepare_cached(UPSERT).map_err(fail)?;
                    let mut delete = tx
                        .prepare_cached(
                            "DELETE FROM managed WHERE flow_id = ?1 AND crm_prospect_id = ?2",
                        )
                        .map_err(fail)?;
                    for change in &changes {
                        match change {
                            Change::Put(m) => upsert.execute(params![
                                flow,
                                m.crm_prospect_id,
                                m.state.as_str(),
                                m.flow_instance_id,
                                m.adopted,
                                m.last_result,
                                m.updated_at,
                            ]),
                            Change::Remove(id) => delete.execute(params![flow, id]),
                        }
                        .map_err(fail)?;
                    }
                }
                // Dropped uncommitted on any error above: rolled back.
                tx.commit().map_err(fail)
            })
            .await
        })
    }

    fn describe(&self) -> String {
        self.inner.shown.clone()
    }
}

/// Pauses between tries of a step SQLite answered "busy" to at once.
const BUSY_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);
/// Tries of such a step: the busy timeout's worth of pauses.
const BUSY_TRIES: u32 = (BUSY_TIMEOUT.as_millis() / BUSY_PAUSE.as_millis()) as u32;

/// Whether SQLite refused a step because another connection held the
/// file.
fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Runs `step` until SQLite stops answering "busy", for at most the busy
/// timeout.
fn when_not_busy<T>(mut step: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let mut tries = 0;
    loop {
        match step() {
            Err(e) if is_busy(&e) && tries < BUSY_TRIES => {
                tries += 1;
                std::thread::sleep(BUSY_PAUSE);
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_ids_make_distinct_safe_file_names() {
        assert_eq!(file_name("1695493301223590792"), "1695493301223590792");
        assert_eq!(file_name("ab-c_d"), "ab-c_d");
        assert_eq!(file_name("Ab"), "%41b");
        assert_ne!(file_name("Ab"), file_name("ab"));
        assert_eq!(file_name("../x"), "%2E%2E%2Fx");
        assert_eq!(file_name("%41b"), "%2541b");
        assert_eq!(file_name("é"), "%C3%A9");
        let long = "x".repeat(200);
        let cut = file_name(&long);
        assert!(cut.len() < 130, "{cut}");
        assert!(
            cut.starts_with(&"x".repeat(100)) && cut.contains('~'),
            "{cut}"
        );
        assert_ne!(cut, file_name(&format!("{long}y")));
        assert_eq!(cut, file_name(&long), "stable");
    }

    #[test]
    fn the_schema_is_created_once_and_a_newer_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        SqliteStore::open(&path).unwrap();
        SqliteStore::open(&path).expect("reopens its own file");
        let connection = Connection::open(&path).unwrap();
        let version: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let mode: String = connection
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(connection);
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, Error::Store { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("newer version") && text.contains("schema 2"),
            "{text}"
        );
        assert!(text.starts_with("sync state: sqlite:"), "{text}");
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        let connection = Connection::open(&path).unwrap();
        connection.execute_batch("CREATE TABLE t (x);").unwrap();
        drop(connection);
        let err = SqliteStore::open(&path).unwrap_err().to_string();
        assert!(err.contains("another program's"), "{err}");
        let path = dir.path().join("app.db");
        let connection = Connection::open(&path).unwrap();
        connection.pragma_update(None, "application_id", 7).unwrap();
        drop(connection);
        let err = SqliteStore::open(&path).unwrap_err().to_string();
        assert!(err.contains("application id 0x7"), "{err}");
        let path = dir.path().join("text.db");
        std::fs::write(
            &path,
            "not a database, just text that is long enough ".repeat(20),
        )
        .unwrap();
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, Error::Store { .. }), "{err:?}");
    }
}
