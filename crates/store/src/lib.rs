//! All SQL of stadtradar. One `Db` enum over native SQLite and PostgreSQL pools; the same query
//! text runs on either through [`on_db!`]. Engine differences (full-text search) stay in this
//! crate, each behind one function.

pub mod accounts;
pub mod audit;
pub mod branding;
pub mod comments;
pub mod demo;
pub mod editing;
pub mod events;
pub mod ideas;
pub mod import;
pub mod mail;
pub mod moderation;
pub mod newsletter;
pub mod notifications;
pub mod offers;
pub mod participation;
pub mod programme;
pub mod radar;
pub mod search;
pub mod settings;
pub mod strategy;
pub mod taxonomy;
pub mod windows;
pub mod writer;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// Runs the same block on whichever pool is in use; `$pool` is bound to the native pool.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool, ..) => $body,
            $crate::Db::Pg($pool, ..) => $body,
        }
    };
}

#[derive(Clone, Debug)]
pub enum Db {
    /// The pool, this process's write gate (see [`Db::write_gate`]), event hub and group-commit
    /// writer (see [`writer`]).
    Sqlite(
        SqlitePool,
        WriteGate,
        std::sync::Arc<events::Hub>,
        writer::Writer,
    ),
    /// The pool, this process's event hub and group-commit writer.
    Pg(PgPool, std::sync::Arc<events::Hub>, writer::Writer),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?}: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("invalid data in the database: {0}")]
    Invalid(String),
    /// The batch of the group-commit writer failed; every write of it shares the error.
    #[error("write batch: {0}")]
    Batch(std::sync::Arc<StoreError>),
    #[error("the writer of this process has stopped")]
    WriterGone,
    /// A concurrent change got in the way of a write, which changed nothing; trying again helps.
    #[error("a concurrent change got in the way: {0}")]
    Conflict(&'static str),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The statement that opens a write transaction. SQLite's plain (deferred) `BEGIN` takes the
/// write lock only at the first write, and when another connection holds it then, the upgrade
/// fails at once with SQLITE_BUSY (waiting could deadlock) instead of waiting `busy_timeout`:
/// concurrent editors would lose writes. `BEGIN IMMEDIATE` takes the lock up front, so writers
/// queue. PostgreSQL locks rows as it goes.
pub(crate) trait WritePool {
    const BEGIN: &'static str;
    const BATCH_LOCK: Option<&'static str>;
}

impl WritePool for SqlitePool {
    const BEGIN: &'static str = "BEGIN IMMEDIATE";
    /// The write gate and `BEGIN IMMEDIATE` serialise every writer already.
    const BATCH_LOCK: Option<&'static str> = None;
}

impl WritePool for PgPool {
    const BEGIN: &'static str = "BEGIN";
    const BATCH_LOCK: Option<&'static str> = Some(PG_BATCH_LOCK);
}

/// A transaction-scoped advisory lock (key: "stadtradar write batch"), released at commit.
const PG_BATCH_LOCK: &str = "SELECT pg_advisory_xact_lock(7301880144)";

pub(crate) fn begin_sql<P: WritePool>(_: &P) -> &'static str {
    P::BEGIN
}

/// The statement that makes the group-commit writers of several instances take turns
/// ([`writer`]), if the engine needs one.
pub(crate) fn batch_lock_sql<P: WritePool>(_: &P) -> Option<&'static str> {
    P::BATCH_LOCK
}

/// SQLite has one writer. Write transactions of this process queue here, in order, instead of
/// in SQLite's busy handler, which sleeps in steps of up to 100 ms and so gave concurrent saves
/// a long latency tail. Other processes (the command line) still meet `BEGIN IMMEDIATE` and
/// `busy_timeout`.
pub type WriteGate = std::sync::Arc<tokio::sync::Mutex<()>>;

/// Which engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Db {
    /// Connects to `sqlite://path` (file and folder created when missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("cache_size", "-32000")
                .pragma("temp_store", "memory");
            let path = opts.get_filename();
            if let Some(parent) = path.parent()
                && !parent.as_os_str().is_empty()
                && path.to_string_lossy() != ":memory:"
            {
                std::fs::create_dir_all(parent)
                    .map_err(|e| StoreError::Folder(parent.display().to_string(), e))?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite(
                pool,
                WriteGate::default(),
                Default::default(),
                Default::default(),
            ))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Db::Pg(pool, Default::default(), Default::default()))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }

    /// Held for the length of a write transaction on SQLite; nothing on PostgreSQL.
    pub(crate) async fn write_gate(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self {
            Db::Sqlite(_, gate, ..) => Some(gate.lock().await),
            Db::Pg(..) => None,
        }
    }

    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(..) => Engine::Sqlite,
            Db::Pg(..) => Engine::Postgres,
        }
    }

    /// Runs the embedded migrations, then fills the search columns they added to existing rows.
    /// On PostgreSQL sqlx holds an advisory lock meanwhile, so several instances may start at
    /// once.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(p, ..) => sqlx::migrate!("migrations/sqlite").run(p).await?,
            Db::Pg(p, ..) => sqlx::migrate!("migrations/postgres").run(p).await?,
        }
        // What SQL cannot compute: the stemmed search texts of rows older than their column.
        self.fill_search_texts().await
    }

    /// Is the database reachable?
    pub async fn ping(&self) -> Result<()> {
        on_db!(self, p => {
            sqlx::query("SELECT 1").execute(p).await?;
        });
        Ok(())
    }

    /// This process's end of the event bus.
    pub fn hub(&self) -> &events::Hub {
        match self {
            Db::Sqlite(_, _, hub, _) | Db::Pg(_, hub, _) => hub,
        }
    }

    pub async fn close(&self) {
        on_db!(self, p => p.close().await)
    }
}

/// Helpers for tests that run one body on both engines.
pub mod testing {
    use super::*;

    /// A fresh, migrated SQLite database in a file of its own, opened as `serve` opens it
    /// (several connections, WAL). Call it again with the returned path for a second handle on
    /// the same file, as a second process would have; remove the file when done.
    pub async fn sqlite_file(path: Option<&std::path::Path>) -> (Db, std::path::PathBuf) {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => std::env::temp_dir().join(format!(
                "stadtradar-test-{}-{}.db",
                std::process::id(),
                N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            )),
        };
        let db = match Db::connect(&format!("sqlite://{}", path.display())).await {
            Ok(db) => db,
            Err(e) => panic!("SQLite file {} failed: {e}", path.display()),
        };
        if let Err(e) = db.migrate().await {
            panic!("migrations failed on SQLite: {e}");
        }
        (db, path)
    }

    /// Removes a database file of [`sqlite_file`] with its WAL files.
    pub fn remove_sqlite_file(path: &std::path::Path) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    /// A fresh, migrated in-memory SQLite database.
    pub async fn sqlite() -> Db {
        let opts = SqliteConnectOptions::from_str("sqlite::memory:")
            .map(|o| o.foreign_keys(true))
            .unwrap_or_else(|_| SqliteConnectOptions::new());
        let pool = match SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
        {
            Ok(p) => p,
            Err(e) => panic!("in-memory SQLite failed: {e}"),
        };
        let db = Db::Sqlite(
            pool,
            WriteGate::default(),
            Default::default(),
            Default::default(),
        );
        if let Err(e) = db.migrate().await {
            panic!("migrations failed on SQLite: {e}");
        }
        db
    }

    /// Holds back the group-commit writer of `db` (and of every other instance on the same
    /// database) until [`WritesHeld::release`]: on SQLite by taking the process's write gate, on
    /// PostgreSQL by holding the writers' advisory lock from a connection of its own. Writes
    /// handed to the writer meanwhile queue, so a test can make them one batch.
    pub async fn hold_writes(db: &Db) -> WritesHeld {
        match db {
            Db::Sqlite(_, gate, ..) => WritesHeld::Sqlite(gate.clone().lock_owned().await),
            Db::Pg(p, ..) => {
                let mut conn = match p.acquire().await {
                    Ok(c) => c,
                    Err(e) => panic!("no connection to hold the writers: {e}"),
                };
                let lock = PG_BATCH_LOCK.replace("pg_advisory_xact_lock", "pg_advisory_lock");
                if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(lock))
                    .execute(&mut *conn)
                    .await
                {
                    panic!("cannot take the writers' lock: {e}");
                }
                WritesHeld::Pg(conn)
            }
        }
    }

    /// The totals of measure `measure_id` counted afresh from its ratings and its guests'
    /// ratings (a scan, for tests of the totals the triggers keep).
    pub async fn rating_recount(db: &Db, measure_id: i64) -> domain::participation::RatingTotals {
        let sql = "SELECT value FROM ratings WHERE measure_id = $1 UNION ALL SELECT value FROM guest_ratings WHERE measure_id = $1";
        let values: Vec<i64> = match db {
            Db::Sqlite(p, ..) => sqlx::query_scalar(sql).bind(measure_id).fetch_all(p).await,
            Db::Pg(p, ..) => sqlx::query_scalar(sql).bind(measure_id).fetch_all(p).await,
        }
        .unwrap_or_else(|e| panic!("recounting the ratings failed: {e}"));
        let mut t = domain::participation::RatingTotals::default();
        for v in values {
            t.count += 1;
            t.total += v;
            t.by_value[(v - 1) as usize] += 1;
        }
        t
    }

    /// See [`hold_writes`].
    pub enum WritesHeld {
        Sqlite(tokio::sync::OwnedMutexGuard<()>),
        Pg(sqlx::pool::PoolConnection<sqlx::Postgres>),
    }

    impl WritesHeld {
        /// Lets the writers go on.
        pub async fn release(self) {
            if let WritesHeld::Pg(mut conn) = self {
                let unlock = PG_BATCH_LOCK.replace("pg_advisory_xact_lock", "pg_advisory_unlock");
                if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(unlock))
                    .execute(&mut *conn)
                    .await
                {
                    panic!("cannot release the writers' lock: {e}");
                }
            }
        }
    }

    /// The PostgreSQL URL for tests (`STADTRADAR_TEST_PG_URL`), if any.
    pub fn pg_url() -> Option<String> {
        std::env::var("STADTRADAR_TEST_PG_URL")
            .ok()
            .filter(|u| !u.is_empty())
    }

    /// A fresh, migrated PostgreSQL schema of its own on the test server, or `None` (with a
    /// message) when no server is configured. Each call creates a new database so tests can run
    /// in parallel.
    pub async fn postgres(name: &str) -> Option<Db> {
        let url = postgres_database(name).await?;
        let db = match Db::connect(&url).await {
            Ok(d) => d,
            Err(e) => panic!("cannot connect to {url}: {e}"),
        };
        if let Err(e) = db.migrate().await {
            panic!("migrations failed on PostgreSQL: {e}");
        }
        Some(db)
    }

    /// Two pools on one fresh PostgreSQL database, as two app instances behind a load balancer
    /// have; `None` without a test server.
    pub async fn postgres_pair(name: &str) -> Option<(Db, Db)> {
        let url = postgres_database(name).await?;
        let a = match Db::connect(&url).await {
            Ok(d) => d,
            Err(e) => panic!("cannot connect to {url}: {e}"),
        };
        if let Err(e) = a.migrate().await {
            panic!("migrations failed on PostgreSQL: {e}");
        }
        let b = match Db::connect(&url).await {
            Ok(d) => d,
            Err(e) => panic!("cannot connect to {url}: {e}"),
        };
        Some((a, b))
    }

    /// A fresh, empty PostgreSQL database on the test server for a test that starts the server
    /// process itself (it migrates); its URL, or `None` without a test server.
    pub async fn postgres_url(name: &str) -> Option<String> {
        postgres_database(name).await
    }

    /// Creates a fresh database for a test and returns its URL.
    async fn postgres_database(name: &str) -> Option<String> {
        let Some(url) = pg_url() else {
            // Written past the test harness's output capture, once per test binary, so that a
            // plain `cargo test` says what it did not run.
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "note: PostgreSQL halves of the storage tests skipped (first: {name}); \
                     set STADTRADAR_TEST_PG_URL=postgres://… to run them"
                );
            });
            return None;
        };
        let admin = match PgPoolOptions::new().max_connections(1).connect(&url).await {
            Ok(p) => p,
            Err(e) => panic!("STADTRADAR_TEST_PG_URL is set but PostgreSQL is unreachable: {e}"),
        };
        // Once per test process: the databases of test runs whose process is gone (the tests do
        // not drop their own, so that a failed one can be looked at until the next run). A
        // database someone is connected to is left alone (the drop fails without FORCE).
        static SWEPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        // (Only where running processes show in /proc.)
        if std::path::Path::new("/proc/self").exists()
            && !SWEPT.swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT datname FROM pg_database WHERE datname LIKE 'sr\\_test\\_%'",
            )
            .fetch_all(&admin)
            .await
            .unwrap_or_default();
            for old in names {
                let pid = old.rsplit('_').next().and_then(|p| p.parse::<u32>().ok());
                let gone = pid.is_some_and(|pid| {
                    pid != std::process::id()
                        && !std::path::Path::new(&format!("/proc/{pid}")).exists()
                });
                if gone {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {old}"
                    )))
                    .execute(&admin)
                    .await;
                }
            }
        }
        let db_name = format!("sr_test_{}_{}", sanitise(name), std::process::id());
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"
        )))
        .execute(&admin)
        .await;
        if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db_name}")))
            .execute(&admin)
            .await
        {
            panic!("cannot create test database {db_name}: {e}");
        }
        admin.close().await;
        let test_url = match url.rfind('/') {
            Some(i) if !url[..i].ends_with('/') => format!("{}/{db_name}", &url[..i]),
            _ => format!("{}/{db_name}", url.trim_end_matches('/')),
        };
        Some(test_url)
    }

    fn sanitise(name: &str) -> String {
        let s: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let n = s.chars().count();
        s.chars().skip(n.saturating_sub(40)).collect()
    }
}

/// Expands a test body into one SQLite test and one PostgreSQL test:
/// `db_test!(name, |db| async move { … });`
#[macro_export]
macro_rules! db_test {
    // Bodies that run tasks at the same time: a multi-threaded runtime, and on SQLite a file
    // database with a pool of several connections (as `serve` opens it), not one in memory.
    (concurrent $name:ident, |$db:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let ($db, path) = $crate::testing::sqlite_file(None).await;
                let pool = $db.clone();
                $body.await;
                pool.close().await;
                $crate::testing::remove_sqlite_file(&path);
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some($db) =
                    $crate::testing::postgres(concat!(module_path!(), "_", stringify!($name))).await
                {
                    let pool = $db.clone();
                    $body.await;
                    pool.close().await;
                }
            }
        }
    };
    ($name:ident, |$db:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let $db = $crate::testing::sqlite().await;
                $body.await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some($db) =
                    $crate::testing::postgres(concat!(module_path!(), "_", stringify!($name))).await
                {
                    let pool = $db.clone();
                    $body.await;
                    pool.close().await;
                }
            }
        }
    };
}
