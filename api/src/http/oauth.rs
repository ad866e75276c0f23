//! `POST /oauth/token`: the OAuth 2.0 client credentials grant (RFC 6749 §4.4), with
//! errors as in §5.2. Credentials come in the form body or with HTTP Basic (§2.3.1).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use chrono::Utc;

use super::{read_body, BodyError};
use crate::domain::api_keys::{self, ClientAuthError};
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

fn invalid_request(description: &str) -> HttpResponse {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

fn invalid_client(description: &str) -> HttpResponse {
    oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description)
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
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| ())?;
    let decoded = String::from_utf8(decoded).map_err(|_| ())?;
    let (id, secret) = decoded.split_once(':').ok_or(())?;
    Ok(Some((id.to_owned(), secret.to_owned())))
}

pub async fn token(req: HttpRequest, payload: web::Payload, state: web::Data<AppState>) -> HttpResponse {
    if super::content_type(&req).as_deref() != Some("application/x-www-form-urlencoded") {
        return invalid_request("send the parameters as application/x-www-form-urlencoded");
    }
    let body = match read_body(&req, payload, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(BodyError::TooLarge(_)) => return invalid_request("request body too large"),
        Err(BodyError::Read) => return invalid_request("could not read the request body"),
    };
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return invalid_request("the body is not valid form encoding");
    };
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in &pairs {
        if seen.contains(&name.as_str()) {
            return invalid_request(&format!("parameter `{name}` is given more than once"));
        }
        seen.push(name);
    }
    let param = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());

    let Some(grant_type) = param("grant_type") else {
        return invalid_request("the `grant_type` parameter is required");
    };
    let basic = match basic_credentials(&req) {
        Ok(b) => b,
        Err(()) => return invalid_client("malformed Authorization header; use HTTP Basic with client id and secret"),
    };
    let body_creds = match (param("client_id"), param("client_secret")) {
        (Some(id), Some(secret)) => Some((id.to_owned(), secret.to_owned())),
        (None, None) => None,
        (Some(_), None) if basic.is_none() => return invalid_client("`client_secret` is missing"),
        (None, Some(_)) if basic.is_none() => return invalid_client("`client_id` is missing"),
        _ => return invalid_request("use one client authentication method: HTTP Basic or the request body"),
    };
    let (client_id, secret) = match (basic, body_creds) {
        (Some(_), Some(_)) => {
            return invalid_request("use one client authentication method: HTTP Basic or the request body")
        }
        (Some(c), None) | (None, Some(c)) => c,
        (None, None) => return invalid_client("client authentication is required (HTTP Basic or client_id and client_secret)"),
    };
    if grant_type != "client_credentials" {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only the client_credentials grant is supported",
        );
    }

    let auth = &state.auth;
    if let Some(wait) = auth.throttle.locked_for(&client_id) {
        let mut resp = oauth_error(
            StatusCode::TOO_MANY_REQUESTS,
            "temporarily_unavailable",
            &format!("too many failed attempts for this client; retry in {wait} s"),
        );
        resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(wait));
        return resp;
    }
    let key = match api_keys::authenticate_client(&state.db, &client_id, &secret).await {
        Ok(key) => key,
        Err(ClientAuthError::BadCredentials) => {
            auth.throttle.record_failure(&client_id);
            return invalid_client("client authentication failed");
        }
        Err(ClientAuthError::Expired(at)) => {
            return invalid_client(&format!("the API key expired on {}; create a new key", at.format("%Y-%m-%d")))
        }
        Err(ClientAuthError::Revoked(at)) => {
            return invalid_client(&format!("the API key was revoked on {}", at.format("%Y-%m-%d")))
        }
        Err(ClientAuthError::Internal(e)) => {
            e.log_if_internal();
            return oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "internal error");
        }
    };
    auth.throttle.record_success(&client_id);

    let now = Utc::now();
    let ttl = chrono::TimeDelta::from_std(auth.token_ttl).unwrap_or(chrono::TimeDelta::hours(1));
    let expires = (now + ttl).min(key.expires_at);
    let token = match auth.jwt.issue(&key, now, expires) {
        Ok(t) => t,
        Err(e) => {
            crate::error::AppError::Internal(e).log_if_internal();
            return oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "internal error");
        }
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
