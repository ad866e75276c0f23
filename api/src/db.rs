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

/// Connects and applies pending migrations.
pub async fn connect_and_migrate(url: &str) -> anyhow::Result<DatabaseConnection> {
    let db = connect(url).await?;
    Migrator::up(&db, None)
        .await
        .context("applying database migrations")?;
    Ok(db)
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
