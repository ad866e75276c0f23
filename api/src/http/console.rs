//! The console (`web/console/dist/`, built from TypeScript and committed) at `/`: hashed
//! assets under `/assets/` cached for a year, and `index.html` for every other page path
//! (the console routes in the browser), with a strict Content-Security-Policy.

use std::borrow::Cow;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::state::AppState;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/console_files.rs"));
}

/// Scripts and styles only from Loupe itself; inline styles are allowed because the
/// session replayer writes the recorded page's styles into its sandboxed frame.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-src 'self' blob:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Paths that belong to the API, never to the console.
const API_PREFIXES: [&str; 7] = [
    "/v1/", "/graphql", "/oauth/", "/s/", "/healthz", "/readyz", "/metrics",
];

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "application/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A file of the console by its path under the root, from the folder given at start or
/// from the binary.
fn file(state: &AppState, rel: &str) -> Option<Cow<'static, [u8]>> {
    if rel
        .split('/')
        .any(|seg| seg.is_empty() || seg == ".." || seg.starts_with('.'))
    {
        return None;
    }
    match &state.console_dir {
        Some(dir) => std::fs::read(dir.join(rel)).ok().map(Cow::Owned),
        None => embedded::FILES
            .iter()
            .find(|(name, _)| *name == rel)
            .map(|(_, bytes)| Cow::Borrowed(*bytes)),
    }
}

fn secure_headers(resp: &mut actix_web::HttpResponseBuilder) {
    resp.insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"));
}

/// `GET /assets/{file}`: content-hashed names, so cached for a year.
pub async fn asset(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let rel = req.path().trim_start_matches('/');
    match file(&state, rel) {
        Some(bytes) => {
            let mut resp = HttpResponse::Ok();
            secure_headers(&mut resp);
            resp.insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
                .content_type(content_type(rel))
                .body(bytes.into_owned())
        }
        None => super::not_found().await,
    }
}

/// Whether a request that matched no endpoint is a console page: a GET or HEAD for a path
/// outside the API, from a browser (which asks for HTML) or for `/` itself.
pub fn is_page(req: &HttpRequest) -> bool {
    let path = req.path();
    let method = req.method();
    let html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    (method == actix_web::http::Method::GET || method == actix_web::http::Method::HEAD)
        && !API_PREFIXES.iter().any(|p| path.starts_with(p))
        && (html || path == "/")
}

/// `index.html` for a console route; its scripts are served from `/assets/`.
pub async fn page(state: &AppState) -> HttpResponse {
    let Some(index) = file(state, "index.html") else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("The console is not built: run `npm ci && npm run build` in web/console.");
    };
    let mut resp = HttpResponse::Ok();
    secure_headers(&mut resp);
    resp.insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .content_type("text/html; charset=utf-8")
        .body(index.into_owned())
}
