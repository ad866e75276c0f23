//! The one error type of the API. Its message is always safe to show to a client;
//! internal causes are logged with their whole chain and never sent.
//!
//! `AppError` deliberately does not implement `Display`: that keeps async-graphql's
//! blanket `From<T: Display>` away, so `?` in a resolver always goes through the
//! conversion in `graphql/error.rs` and never loses `extensions.code`. The HTTP adapter
//! (`http/error.rs`) turns it into `{"error": code, "message": text}`. This file knows
//! neither web framework.

#[derive(Debug)]
pub enum AppError {
    NotFound,
    Unauthenticated(String),
    /// The password was right; the account's second factor is needed too.
    TwoFactorRequired,
    Forbidden(String),
    /// A request made with a session cookie without the session's CSRF token, or from
    /// another site: 403 `CSRF`.
    Csrf(String),
    BadInput {
        field: Option<String>,
        message: String,
    },
    PlanRequired(String),
    DpaRequired(String),
    Conflict(String),
    /// A feature switched off for this site (e.g. `IDENTIFY_DISABLED`): 403.
    FeatureDisabled {
        code: &'static str,
        message: String,
    },
    PayloadTooLarge(String),
    RateLimited {
        retry_after_secs: u64,
    },
    /// The body did not arrive in time: 408.
    RequestTimeout(String),
    /// Loupe cannot serve this now (database unreachable or too slow, over capacity):
    /// 503 with `Retry-After`. Nothing of the request was stored.
    Unavailable(String),
    Internal(anyhow::Error),
}

/// Seconds a client is told to wait after a 503.
pub const UNAVAILABLE_RETRY_SECS: u64 = 2;

impl AppError {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadInput {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn forbidden_role(needed: &str) -> Self {
        AppError::Forbidden(format!(
            "this operation needs an API key with role {needed}"
        ))
    }

    /// Over capacity (the memory budget for data in flight is spent): shed at once.
    pub fn at_capacity() -> Self {
        AppError::Unavailable("the server is at capacity; retry shortly".into())
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(err.into())
    }

    /// Stable, user-visible code (`extensions.code` in GraphQL).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "NOT_FOUND",
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::TwoFactorRequired => "TWO_FACTOR_REQUIRED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::Csrf(_) => "CSRF",
            AppError::BadInput { .. } => "BAD_USER_INPUT",
            AppError::PlanRequired(_) => "PLAN_REQUIRED",
            AppError::DpaRequired(_) => "DPA_REQUIRED",
            AppError::Conflict(_) => "CONFLICT",
            AppError::FeatureDisabled { code, .. } => code,
            AppError::PayloadTooLarge(_) => "PAYLOAD_TOO_LARGE",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::RequestTimeout(_) => "REQUEST_TIMEOUT",
            AppError::Unavailable(_) => "UNAVAILABLE",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// The HTTP status that goes with the code.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthenticated(_) | AppError::TwoFactorRequired => 401,
            AppError::Forbidden(_)
            | AppError::Csrf(_)
            | AppError::PlanRequired(_)
            | AppError::DpaRequired(_)
            | AppError::FeatureDisabled { .. } => 403,
            AppError::BadInput { .. } => 400,
            AppError::Conflict(_) => 409,
            AppError::PayloadTooLarge(_) => 413,
            AppError::RateLimited { .. } => 429,
            AppError::RequestTimeout(_) => 408,
            AppError::Unavailable(_) => 503,
            AppError::Internal(_) => 500,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::BadInput { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// The message a client sees. Logs the cause of internal errors as a side effect
    /// of being turned into a response, which happens exactly once per error.
    pub fn public_message(&self) -> String {
        match self {
            AppError::NotFound => "not found".to_owned(),
            AppError::TwoFactorRequired => {
                "enter the code from your authenticator app, or a recovery code".to_owned()
            }
            AppError::Unauthenticated(m)
            | AppError::Forbidden(m)
            | AppError::Csrf(m)
            | AppError::PlanRequired(m)
            | AppError::DpaRequired(m)
            | AppError::Conflict(m)
            | AppError::PayloadTooLarge(m)
            | AppError::RequestTimeout(m)
            | AppError::Unavailable(m) => m.clone(),
            AppError::BadInput { message, .. } | AppError::FeatureDisabled { message, .. } => {
                message.clone()
            }
            AppError::RateLimited { retry_after_secs } => {
                format!("rate limit exceeded; retry in {retry_after_secs} s")
            }
            AppError::Internal(_) => "internal error".to_owned(),
        }
    }

    /// Seconds to put in `Retry-After`, for answers that invite a retry.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            AppError::Unavailable(_) => Some(UNAVAILABLE_RETRY_SECS),
            _ => None,
        }
    }

    pub fn log_if_internal(&self) {
        if let AppError::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        if db_unavailable(&err) {
            tracing::warn!(error = %err, "database unavailable");
            AppError::Unavailable("the database is unavailable; retry shortly".into())
        } else {
            AppError::Internal(err.into())
        }
    }
}

/// Whether a database error means "not reachable now" (connection refused or lost, pool
/// exhausted, statement cancelled by a timeout, server shutting down, SQLite busy) rather
/// than a fault in the request or in Loupe.
pub fn db_unavailable(err: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    let sqlx = match err {
        // Acquiring or opening a connection failed: whatever the cause, nothing ran.
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    match sqlx {
        Sqlx::Io(_)
        | Sqlx::Tls(_)
        | Sqlx::Protocol(_)
        | Sqlx::PoolTimedOut
        | Sqlx::PoolClosed
        | Sqlx::WorkerCrashed => true,
        Sqlx::Database(db) => {
            let code = db.code();
            let code = code.as_deref().unwrap_or("");
            // PostgreSQL: 08 connection exception, 53 insufficient resources, 57 operator
            // intervention (query_canceled by statement_timeout, admin_shutdown…).
            // SQLite: 5 BUSY, 6 LOCKED (and their extended codes).
            code.starts_with("08")
                || code.starts_with("53")
                || code.starts_with("57")
                || matches!(code, "5" | "6" | "261" | "262" | "517" | "773")
        }
        _ => false,
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// For start-up and CLI paths that report with anyhow.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            AppError::Internal(cause) => cause,
            other => anyhow::anyhow!(other.public_message()),
        }
    }
}
