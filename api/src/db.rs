//! Database connection: SQLite (default, embedded) or PostgreSQL, chosen by the URL.

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

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

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
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
    Database::connect(opts)
        .await
        .with_context(|| format!("connecting to the database ({})", redact_url(url)))
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
