//! `GET /v1/opt-out` and `GET /v1/opt-in`: Loupe's own opt-out cookie.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

use super::OPT_OUT_COOKIE;

/// Two years, like most consent cookies.
const OPT_OUT_MAX_AGE_SECS: i64 = 2 * 365 * 24 * 3600;

/// `GET /v1/opt-out`: sets the opt-out cookie for Loupe's domain. From then on this
/// browser is treated like `DNT: 1` by every site on this Loupe: no recording, no
/// identify, answers kept without a visitor id.
pub async fn opt_out(req: HttpRequest) -> HttpResponse {
    opt_cookie(&req, true)
}

/// `GET /v1/opt-in`: clears the opt-out cookie.
pub async fn opt_in(req: HttpRequest) -> HttpResponse {
    opt_cookie(&req, false)
}

fn opt_cookie(req: &HttpRequest, out: bool) -> HttpResponse {
    // Cross-site (a page embedding Loupe) cookies need `SameSite=None; Secure`, which
    // browsers accept only over HTTPS; over plain HTTP (development) fall back to Lax.
    let https = req.connection_info().scheme() == "https";
    let attrs = if https {
        "Path=/; HttpOnly; SameSite=None; Secure"
    } else {
        "Path=/; HttpOnly; SameSite=Lax"
    };
    let cookie = if out {
        format!("{OPT_OUT_COOKIE}=1; Max-Age={OPT_OUT_MAX_AGE_SECS}; {attrs}")
    } else {
        format!("{OPT_OUT_COOKIE}=; Max-Age=0; {attrs}")
    };
    let mut resp = HttpResponse::Ok();
    resp.insert_header((header::CACHE_CONTROL, "no-store"));
    if let Ok(v) = header::HeaderValue::from_str(&cookie) {
        resp.insert_header((header::SET_COOKIE, v));
    }
    resp.json(json!({ "opted_out": out }))
}
