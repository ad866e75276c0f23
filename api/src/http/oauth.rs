//! `POST /oauth/token`: the OAuth 2.0 client credentials grant (RFC 6749 §4.4), with
//! errors as in §5.2. Credentials come in the form body or with HTTP Basic (§2.3.1).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use chrono::Utc;

use super::{read_body, BodyError};
use crate::auth::throttle::Refused;
use crate::domain::api_keys::{self, ClientAuthError};
use crate::error::AppError;
use crate::state::AppState;

const MAX_FORM_BYTES: usize = 8 * 1024;

fn oauth_error(status: StatusCode, error: &str, description: &str) -> HttpResponse {
    let mut resp = HttpResponse::build(status);
    resp.insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"));
    if status == StatusCode::UNAUTHORIZED {
        resp.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"loupe\""));
    }
    resp.json(serde_json::json!({ "error": error, "error_description": description }))
}

/// 503 `temporarily_unavailable` (RFC 6749 §5.2's code for an overloaded or unreachable
/// server) with `Retry-After`.
fn temporarily_unavailable(description: &str) -> HttpResponse {
    let mut resp = oauth_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "temporarily_unavailable",
        description,
    );
    resp.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from(crate::error::UNAVAILABLE_RETRY_SECS),
    );
    resp
}

/// An internal failure: `temporarily_unavailable` when the database is unreachable,
/// `server_error` otherwise (the cause is logged, never sent).
fn server_error(err: AppError) -> HttpResponse {
    if let AppError::Unavailable(m) = &err {
        return temporarily_unavailable(m);
    }
    err.log_if_internal();
    oauth_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "server_error",
        "internal error",
    )
}

fn invalid_request(description: &str) -> HttpResponse {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

fn invalid_client(description: &str) -> HttpResponse {
    oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description)
}

/// Undoes the form encoding that RFC 6749 §2.3.1 applies to Basic credentials.
fn form_decode(part: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={part}"))
        .ok()?
        .pop()
        .map(|(_, v)| v)
}

/// `Some((id, secret))` for a well-formed Basic header, `Err` for a malformed one.
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, ()> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?.trim();
    let (scheme, encoded) = value.split_once(' ').ok_or(())?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(());
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| ())?;
    let decoded = String::from_utf8(decoded).map_err(|_| ())?;
    let (id, secret) = decoded.split_once(':').ok_or(())?;
    Ok(Some((
        form_decode(id).ok_or(())?,
        form_decode(secret).ok_or(())?,
    )))
}

pub async fn token(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    if super::content_type(&req).as_deref() != Some("application/x-www-form-urlencoded") {
        return invalid_request("send the parameters as application/x-www-form-urlencoded");
    }
    let body = match read_body(&req, payload, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(BodyError::TooLarge(_)) => return invalid_request("request body too large"),
        Err(BodyError::Read) => return invalid_request("could not read the request body"),
        Err(BodyError::Timeout) => {
            return oauth_error(
                StatusCode::REQUEST_TIMEOUT,
                "invalid_request",
                "the request body did not arrive in time",
            )
        }
        Err(BodyError::Busy) => {
            return temporarily_unavailable("the server is at capacity; retry shortly")
        }
    };
    let Ok(mut pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return invalid_request("the body is not valid form encoding");
    };
    // Parameters sent without a value are treated as omitted (RFC 6749 §3.1).
    pairs.retain(|(_, v)| !v.is_empty());
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in &pairs {
        if seen.contains(&name.as_str()) {
            return invalid_request(&format!("parameter `{name}` is given more than once"));
        }
        seen.push(name);
    }
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };

    let Some(grant_type) = param("grant_type") else {
        return invalid_request("the `grant_type` parameter is required");
    };
    let basic = match basic_credentials(&req) {
        Ok(b) => b,
        Err(()) => {
            return invalid_client(
                "malformed Authorization header; use HTTP Basic with client id and secret",
            )
        }
    };
    let body_creds = match (param("client_id"), param("client_secret")) {
        (Some(id), Some(secret)) => Some((id.to_owned(), secret.to_owned())),
        (None, None) => None,
        // Some clients repeat the Basic client id in the body; that is one method.
        (Some(id), None) if basic.as_ref().is_some_and(|(b, _)| b == id) => None,
        (Some(_), None) if basic.is_none() => return invalid_client("`client_secret` is missing"),
        (None, Some(_)) if basic.is_none() => return invalid_client("`client_id` is missing"),
        _ => {
            return invalid_request(
                "use one client authentication method: HTTP Basic or the request body",
            )
        }
    };
    let (client_id, secret) = match (basic, body_creds) {
        (Some(_), Some(_)) => {
            return invalid_request(
                "use one client authentication method: HTTP Basic or the request body",
            )
        }
        (Some(c), None) | (None, Some(c)) => c,
        (None, None) => {
            return invalid_client(
                "client authentication is required (HTTP Basic or client_id and client_secret)",
            )
        }
    };
    if grant_type != "client_credentials" {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only the client_credentials grant is supported",
        );
    }

    let auth = &state.auth;
    let key = auth
        .throttle
        .key(&client_id, super::caller_address(&req, auth));
    let attempt = match auth.throttle.begin(key).await {
        Ok(attempt) => attempt,
        Err(Refused::Locked(wait)) => {
            let mut resp = invalid_client(&format!(
                "too many failed attempts for this client; retry in {wait} s"
            ));
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(wait));
            return resp;
        }
        Err(Refused::Busy) => {
            return temporarily_unavailable("too many token requests at once; retry shortly")
        }
    };
    let result = api_keys::authenticate_client(&state.db, &client_id, &secret, &auth.hashing).await;
    // Only a wrong secret is a failed attempt; server errors and busy answers are not.
    match &result {
        Ok(_) | Err(ClientAuthError::Expired(_) | ClientAuthError::Revoked(_)) => {
            attempt.succeeded()
        }
        Err(ClientAuthError::BadCredentials) => attempt.failed(),
        Err(ClientAuthError::Busy | ClientAuthError::Internal(_)) => drop(attempt),
    }
    let key = match result {
        Ok(key) => key,
        Err(ClientAuthError::BadCredentials) => {
            return invalid_client("client authentication failed")
        }
        Err(ClientAuthError::Expired(at)) => {
            return invalid_client(&format!(
                "the API key expired on {}; create a new key",
                at.format("%Y-%m-%d")
            ))
        }
        Err(ClientAuthError::Revoked(at)) => {
            return invalid_client(&format!(
                "the API key was revoked on {}",
                at.format("%Y-%m-%d")
            ))
        }
        Err(ClientAuthError::Busy) => {
            return temporarily_unavailable("too many token requests at once; retry shortly")
        }
        Err(ClientAuthError::Internal(e)) => return server_error(e),
    };

    let now = Utc::now();
    let ttl = chrono::TimeDelta::from_std(auth.token_ttl).unwrap_or(chrono::TimeDelta::hours(1));
    let expires = (now + ttl).min(key.expires_at);
    let token = match auth.jwt.issue(&key, now, expires) {
        Ok(t) => t,
        Err(e) => return server_error(AppError::Internal(e)),
    };
    if let Err(e) = api_keys::touch(&state.db, key).await {
        e.log_if_internal();
    }
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(serde_json::json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": (expires - now).num_seconds(),
        }))
}
