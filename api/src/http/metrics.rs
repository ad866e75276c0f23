//! `GET /metrics` (Prometheus text) and the request method labels; the metrics themselves
//! live in `crate::metrics`.

use actix_web::{web, HttpResponse};

use crate::state::AppState;

/// A fixed set of method labels, so clients cannot mint new series with made-up methods.
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

pub async fn render(state: web::Data<AppState>) -> HttpResponse {
    state
        .metrics
        .budget(state.budget.in_use(), state.budget.capacity());
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
