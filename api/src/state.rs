use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::Auth;
use crate::graphql::LoupeSchema;
use crate::metrics::Metrics;

/// Shared by every worker; cheap to clone (all `Arc`s inside).
pub struct AppState {
    pub db: DatabaseConnection,
    pub auth: Arc<Auth>,
    pub schema: LoupeSchema,
    pub metrics: Arc<Metrics>,
    pub ingest: Arc<crate::domain::surveys::ingest::Ingest>,
    pub recordings: Arc<crate::domain::recordings::writer::RecordingWriter>,
    pub identify: Arc<crate::domain::people::writer::IdentifyWriter>,
    pub max_body_bytes: usize,
    /// Keys the audit log's hashes of data subjects (derived from the signing secret).
    pub subject_key: crate::domain::audit::SubjectKey,
    /// Memory for request data in flight (see [`crate::budget`]).
    pub budget: Arc<crate::budget::MemoryBudget>,
    /// How long a client may take to send its body.
    pub body_timeout: std::time::Duration,
    /// Trusted proxy header carrying the visitor's country (`CF-IPCountry`, …).
    pub country_header: Option<String>,
    /// Loupe's address as browsers reach it.
    pub public_url: crate::domain::tag::PublicUrl,
    /// Where domain functions announce changes to cached data.
    pub changes: crate::changes::Changes,
    /// Serve the console from this folder instead of the copy built into the binary.
    pub console_dir: Option<std::path::PathBuf>,
    /// Set on SIGTERM: `/readyz` answers 503 while in-flight and new requests still run.
    pub draining: Arc<std::sync::atomic::AtomicBool>,
}
