//! GraphQL adapter of [`AppError`]: its message, with `extensions.code` (and
//! `extensions.field` for bad input, `extensions.retryAfter` in seconds when a retry is invited).

use crate::error::AppError;

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        err.log_if_internal();
        let code = err.code();
        let field = err.field().map(str::to_owned);
        let retry_after = err.retry_after();
        use async_graphql::ErrorExtensions;
        async_graphql::Error::new(err.public_message()).extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(field) = &field {
                ext.set("field", field.as_str());
            }
            if let Some(secs) = retry_after {
                ext.set("retryAfter", secs);
            }
        })
    }
}
