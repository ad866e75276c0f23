//! The one error type of the API. Its message is always safe to show to a client;
//! internal causes are logged with their whole chain and never sent.
//!
//! `AppError` deliberately does not implement `Display`: that keeps async-graphql's
//! blanket `From<T: Display>` away, so `?` in a resolver always goes through
//! [`From<AppError> for async_graphql::Error`] and never loses `extensions.code`.

use actix_web::http::StatusCode;

#[derive(Debug)]
pub enum AppError {
    NotFound,
    Unauthenticated(String),
    Forbidden(String),
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
    Internal(anyhow::Error),
}

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

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(err.into())
    }

    /// Stable, user-visible code (`extensions.code` in GraphQL).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "NOT_FOUND",
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::BadInput { .. } => "BAD_USER_INPUT",
            AppError::PlanRequired(_) => "PLAN_REQUIRED",
            AppError::DpaRequired(_) => "DPA_REQUIRED",
            AppError::Conflict(_) => "CONFLICT",
            AppError::FeatureDisabled { code, .. } => code,
            AppError::PayloadTooLarge(_) => "PAYLOAD_TOO_LARGE",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_)
            | AppError::PlanRequired(_)
            | AppError::DpaRequired(_)
            | AppError::FeatureDisabled { .. } => StatusCode::FORBIDDEN,
            AppError::BadInput { .. } => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
            AppError::Unauthenticated(m)
            | AppError::Forbidden(m)
            | AppError::PlanRequired(m)
            | AppError::DpaRequired(m)
            | AppError::Conflict(m)
            | AppError::PayloadTooLarge(m) => m.clone(),
            AppError::BadInput { message, .. } | AppError::FeatureDisabled { message, .. } => {
                message.clone()
            }
            AppError::RateLimited { retry_after_secs } => {
                format!("rate limit exceeded; retry in {retry_after_secs} s")
            }
            AppError::Internal(_) => "internal error".to_owned(),
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
        AppError::Internal(err.into())
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

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        err.log_if_internal();
        let code = err.code();
        let field = err.field().map(str::to_owned);
        use async_graphql::ErrorExtensions;
        async_graphql::Error::new(err.public_message()).extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(field) = &field {
                ext.set("field", field.as_str());
            }
        })
    }
}

/// REST adapter: `{"error": code, "message": text}` with the matching status.
#[derive(Debug)]
pub struct RestError(pub AppError);

impl From<AppError> for RestError {
    fn from(err: AppError) -> Self {
        RestError(err)
    }
}

impl std::fmt::Display for RestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.code())
    }
}

impl actix_web::ResponseError for RestError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        self.0.log_if_internal();
        let mut body = serde_json::json!({
            "error": self.0.code(),
            "message": self.0.public_message(),
        });
        if let Some(field) = self.0.field() {
            body["field"] = field.into();
        }
        let mut resp = actix_web::HttpResponse::build(self.status_code());
        if let AppError::RateLimited { retry_after_secs } = &self.0 {
            resp.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        resp.json(body)
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
