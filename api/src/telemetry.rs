//! Structured logs on stderr. Loupe never logs IP addresses, user agents, secrets or tokens:
//! there is no access-log middleware that would, and request logs carry only method,
//! route pattern, status and latency.

use tracing_subscriber::{fmt, EnvFilter};

use crate::settings::LogFormat;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    use std::io::IsTerminal;
    // Colours only for a terminal: piped logs stay plain text for whoever reads them.
    let builder = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    // A second init (tests, embedding) is harmless: keep the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
