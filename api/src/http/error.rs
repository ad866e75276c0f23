//! HTTP adapter of [`AppError`]: `{"error": code, "message": text}` (plus `field`) with
//! the matching status, and `Retry-After` where a retry is invited.

use actix_web::http::StatusCode;

use crate::error::AppError;

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
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
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
        if let Some(secs) = self.0.retry_after() {
            resp.insert_header(("Retry-After", secs.to_string()));
        }
        resp.json(body)
    }
}
