//! The browser tag's files (`web/sdk/dist/`, built from TypeScript and committed), built
//! into the binary and served under `/v1/` with an ETag.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// Name, contents. The names are the URLs under `/v1/`.
const FILES: [(&str, &[u8]); 4] = [
    ("loupe.js", include_bytes!("../../../web/sdk/dist/loupe.js")),
    (
        "loupe-recorder.js",
        include_bytes!("../../../web/sdk/dist/loupe-recorder.js"),
    ),
    (
        "loupe-surveys.js",
        include_bytes!("../../../web/sdk/dist/loupe-surveys.js"),
    ),
    (
        "loupe-link.js",
        include_bytes!("../../../web/sdk/dist/loupe-link.js"),
    ),
];

fn etags() -> &'static [String; 4] {
    static TAGS: OnceLock<[String; 4]> = OnceLock::new();
    TAGS.get_or_init(|| {
        FILES.map(|(_, bytes)| format!("\"{}\"", hex::encode(&Sha256::digest(bytes)[..12])))
    })
}

/// `GET /v1/{name}.js`. Unversioned URLs, so a short max-age and revalidation by ETag;
/// any origin may load them (they hold no data).
pub async fn file(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let name = path.into_inner();
    let Some(i) = FILES.iter().position(|(n, _)| *n == name) else {
        return HttpResponse::NotFound()
            .json(serde_json::json!({"error": "NOT_FOUND", "message": "no such file"}));
    };
    let etag = &etags()[i];
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut resp = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    resp.insert_header((header::ETAG, etag.as_str()))
        .insert_header((
            header::CACHE_CONTROL,
            "public, max-age=300, stale-while-revalidate=86400",
        ))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CROSS_ORIGIN_RESOURCE_POLICY, "cross-origin"));
    if fresh {
        resp.finish()
    } else {
        resp.content_type("application/javascript; charset=utf-8")
            .body(FILES[i].1)
    }
}
