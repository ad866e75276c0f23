//! Database connection: SQLite (default, embedded) or PostgreSQL, chosen by the URL.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, TransactionTrait,
};

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// Connects and applies pending migrations. Several nodes starting at once on one
/// database migrate one at a time: the first applies what is pending, the others wait for
/// it and then find nothing to do.
pub async fn connect_and_migrate(url: &str) -> anyhow::Result<DatabaseConnection> {
    let db = connect(url).await?;
    let lock = MigrationLock::acquire(&db, url).await?;
    Migrator::up(&db, None)
        .await
        .context("applying database migrations")?;
    lock.release().await?;
    Ok(db)
}

/// Held while migrating. PostgreSQL: a transaction-scoped advisory lock on one pooled
/// connection (the migrations run on others). SQLite: an exclusive lock on a file beside
/// the database, since its own locks are per statement and two processes could both find
/// a migration pending.
enum MigrationLock {
    Postgres(DatabaseTransaction),
    Sqlite(std::fs::File),
    None,
}

/// The advisory lock key of migrations (`domain::bootstrap` uses the next one).
const MIGRATION_LOCK: i64 = 7_422_000;

impl MigrationLock {
    async fn acquire(db: &DatabaseConnection, url: &str) -> anyhow::Result<MigrationLock> {
        if db.get_database_backend() == DbBackend::Postgres {
            let txn = db.begin().await?;
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                .await
                .context("waiting for another node's migrations")?;
            return Ok(MigrationLock::Postgres(txn));
        }
        let Some(path) = sqlite_path(url) else {
            return Ok(MigrationLock::None);
        };
        let lock = std::path::PathBuf::from(format!("{path}.migrate-lock"));
        let file = tokio::task::spawn_blocking(move || -> anyhow::Result<std::fs::File> {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock)
                .with_context(|| format!("opening {}", lock.display()))?;
            file.lock()
                .with_context(|| format!("locking {}", lock.display()))?;
            Ok(file)
        })
        .await??;
        Ok(MigrationLock::Sqlite(file))
    }

    async fn release(self) -> anyhow::Result<()> {
        match self {
            MigrationLock::Postgres(txn) => txn.commit().await?,
            // Closing the file releases its lock.
            MigrationLock::Sqlite(file) => drop(file),
            MigrationLock::None => {}
        }
        Ok(())
    }
}

/// The file of a SQLite URL (`sqlite://path?mode=rwc`), none for an in-memory database.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| path.to_owned())
}

/// Statements this process has run (`loupe_db_statements_total` in `/metrics`): operators
/// see the load, and tests catch a query per list item (N+1).
pub static STATEMENTS: AtomicU64 = AtomicU64::new(0);

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        // An unreachable database answers 503 within seconds rather than holding requests.
        .connect_timeout(Duration::from_secs(2))
        .acquire_timeout(Duration::from_secs(2));
    if is_sqlite(url) {
        // An in-memory database exists per connection, so it must be exactly one.
        let max = if url.contains(":memory:") { 1 } else { 8 };
        opts.max_connections(max).min_connections(1);
        opts.map_sqlx_sqlite_opts(|o| {
            // WAL for concurrent readers; FULL sync so a 2xx answer survives power loss.
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    } else {
        opts.max_connections(16).min_connections(1);
    }
    let mut db = Database::connect(opts)
        .await
        .with_context(|| format!("connecting to the database ({})", redact_url(url)))?;
    db.set_metric_callback(|_| {
        STATEMENTS.fetch_add(1, Ordering::Relaxed);
    });
    Ok(db)
}

/// The URL without its password, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Whose turn it is at SQLite's single write lock among the group writers (responses,
/// recordings, identify). Without it a writer that finds the lock taken polls for it with
/// SQLite's busy handler, which sleeps 1, 2, 5, 10 … 100 ms between tries, and a busy
/// neighbour that takes the lock again at once starves it (response submissions waited
/// 80–340 ms beside recording batches); this queue hands the turn over in arrival order.
static SQLITE_GROUP_WRITERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Waits for this group writer's turn on SQLite (hold the guard for the whole group,
/// retries included); `None` on PostgreSQL, where writers run side by side.
pub async fn group_writer_turn(
    db: &DatabaseConnection,
) -> Option<tokio::sync::MutexGuard<'static, ()>> {
    if db.get_database_backend() == DbBackend::Sqlite {
        Some(SQLITE_GROUP_WRITERS.lock().await)
    } else {
        None
    }
}

/// Begins a transaction that will write. On SQLite the write lock is taken at once (a
/// deferred transaction that reads first cannot upgrade its lock while another writer is
/// busy, and fails instead of waiting); PostgreSQL locks rows as it goes.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // Any write statement takes the lock, even one that changes no row.
        txn.execute_unprepared("UPDATE site SET id = id WHERE id = -1")
            .await?;
    }
    Ok(txn)
}
