//! GraphQL over HTTP (graphql-over-http spec): POST with `application/json`, GET for
//! queries, `application/graphql-response+json` or `application/json` answers, GraphiQL
//! for browsers. Requests that cannot execute (unreadable body, syntax, validation, depth
//! or complexity limits) answer 400 whatever the media type, so clients get a clear 4xx.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::parser::types::OperationType;
use async_graphql::{ServerError, Variables};
use serde::Deserialize;

use super::{authenticate, rate_headers, read_body, Authed, BodyError};
use crate::auth::ratelimit::Decision;
use crate::auth::session;
use crate::domain::validation;
use crate::error::AppError;
use crate::state::AppState;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Media {
    GraphqlResponse,
    Json,
}

impl Media {
    fn content_type(self) -> &'static str {
        match self {
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        }
    }
}

/// What the client accepts: graphql-response+json when it says so, JSON for `*/*`,
/// `application/*`, `application/json` or no Accept header; otherwise nothing (406).
fn negotiate(req: &HttpRequest) -> Option<Media> {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return Some(Media::Json);
    };
    if accept.trim().is_empty() {
        return Some(Media::Json);
    }
    let mut json = false;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        if refused {
            continue;
        }
        match media.as_str() {
            GRAPHQL_RESPONSE => return Some(Media::GraphqlResponse),
            JSON | "application/*" | "*/*" => json = true,
            _ => {}
        }
    }
    json.then_some(Media::Json)
}

/// GraphiQL's scripts come from the unpkg CDN at exact versions, each pinned by its
/// Subresource Integrity hash (of the npm package's file), and the page's policy allows no
/// other script: this page shares the console's origin and cookies, so a changed file on
/// the CDN must not run here.
const GRAPHIQL_HEAD: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Loupe · GraphiQL</title>
<link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css" integrity="sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM" crossorigin="anonymous">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL from unpkg.com… (add an Authorization: Bearer header in its Headers pane)</div>
<script src="https://unpkg.com/react@18.3.1/umd/react.production.min.js" integrity="sha384-DGyLxAyjq0f9SPpVevD6IgztCFlnMF6oW/XQGmfe+IsZ8TqEiDrcHkMLKI6fiB/Z" crossorigin="anonymous"></script>
<script src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js" integrity="sha384-gTGxhz21lVGYNMcdJOyq01Edg0jhn/c22nsx0kyqP0TxaV5WVdsSH1fSDUf5YJj1" crossorigin="anonymous"></script>
<script src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js" integrity="sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie" crossorigin="anonymous"></script>
"#;

/// The one inline script, allowed by its hash.
const GRAPHIQL_INIT: &str = "ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, { fetcher: GraphiQL.createFetcher({ url: '/graphql' }) }));";

fn graphiql() -> HttpResponse {
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(GRAPHIQL_INIT));
    let csp = format!(
        "default-src 'none'; script-src https://unpkg.com 'sha256-{hash}'; style-src https://unpkg.com 'unsafe-inline'; \
         img-src 'self' data: https://unpkg.com; font-src https://unpkg.com data:; connect-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, csp))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(format!(
            "{GRAPHIQL_HEAD}<script>{GRAPHIQL_INIT}</script>\n</body>\n</html>\n"
        ))
}

fn wants_html(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.to_ascii_lowercase().contains("text/html"))
}

fn error_body(message: &str, code: &str, field: Option<&str>) -> serde_json::Value {
    let mut ext = serde_json::json!({ "code": code });
    if let Some(field) = field {
        ext["field"] = field.into();
    }
    serde_json::json!({ "errors": [{ "message": message, "extensions": ext }] })
}

fn respond(
    status: StatusCode,
    media: Media,
    rate: Option<&Decision>,
    body: Vec<u8>,
) -> HttpResponse {
    let mut resp = HttpResponse::build(status);
    resp.insert_header((header::CONTENT_TYPE, media.content_type()));
    if let Some(rate) = rate {
        rate_headers(&mut resp, rate);
    }
    resp.body(body)
}

fn respond_error(err: AppError, media: Media, rate: Option<&Decision>) -> HttpResponse {
    respond_error_challenge(
        err,
        media,
        rate,
        "Bearer realm=\"loupe\", error=\"invalid_token\"",
    )
}

fn respond_error_challenge(
    err: AppError,
    media: Media,
    rate: Option<&Decision>,
    challenge: &'static str,
) -> HttpResponse {
    err.log_if_internal();
    let body = error_body(&err.public_message(), err.code(), err.field());
    let mut resp = HttpResponse::build(
        StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    );
    resp.insert_header((header::CONTENT_TYPE, media.content_type()));
    if matches!(err, AppError::Unauthenticated(_)) {
        resp.insert_header((header::WWW_AUTHENTICATE, challenge));
    }
    if let Some(rate) = rate {
        rate_headers(&mut resp, rate);
    }
    if let Some(secs) = err.retry_after() {
        resp.insert_header((header::RETRY_AFTER, secs.to_string()));
    }
    resp.body(body.to_string())
}

fn bad_request(message: impl Into<String>) -> AppError {
    AppError::BadInput {
        field: None,
        message: message.into(),
    }
}

/// Who is asking: an authenticated caller, or nobody yet (then `denied` is the 401 to
/// answer unless the document only asks what anyone may: see [`ANONYMOUS_FIELDS`]).
enum Caller {
    Authed(Authed),
    Refused(HttpResponse, Option<Decision>),
    Anonymous { denied: HttpResponse },
}

impl Caller {
    fn rate(&self) -> Option<Decision> {
        match self {
            Caller::Authed(a) => Some(a.rate),
            Caller::Refused(_, rate) => *rate,
            Caller::Anonymous { .. } => None,
        }
    }
}

async fn caller(req: &HttpRequest, state: &AppState, media: Media) -> Caller {
    match authenticate(req, state).await {
        Ok(a) => Caller::Authed(a),
        Err((err, rate)) => {
            let anonymous_ok = matches!(err, AppError::Unauthenticated(_))
                && !req.headers().contains_key(header::AUTHORIZATION);
            // RFC 6750 §3.1: no error code when the request carried no credentials at all.
            let challenge = if req.headers().contains_key(header::AUTHORIZATION) {
                "Bearer realm=\"loupe\", error=\"invalid_token\""
            } else {
                "Bearer realm=\"loupe\""
            };
            let denied = respond_error_challenge(err, media, rate.as_ref(), challenge);
            if anonymous_ok {
                Caller::Anonymous { denied }
            } else {
                Caller::Refused(denied, rate)
            }
        }
    }
}

/// Root fields anyone may use without credentials: reading an invite, signing in,
/// accepting an invite (which creates the account).
const ANONYMOUS_FIELDS: [(OperationType, &str); 3] = [
    (OperationType::Query, "invite"),
    (OperationType::Mutation, "signIn"),
    (OperationType::Mutation, "acceptInvite"),
];

/// `Ok(())` when the request only asks for [`ANONYMOUS_FIELDS`]. A mutation must come
/// from this site and carry an `X-CSRF-Token` header (which a cross-site form cannot send).
fn anonymous_allowed(
    req: &HttpRequest,
    request: &async_graphql::Request,
) -> Result<(), Option<AppError>> {
    use async_graphql::parser::types::Selection;
    let doc = async_graphql::parser::parse_query(&request.query).map_err(|_| None)?;
    let op = match request.operation_name.as_deref() {
        Some(name) => doc
            .operations
            .iter()
            .find(|(n, _)| n.map(|n| n.as_str()) == Some(name)),
        None => doc.operations.iter().next(),
    }
    .ok_or(None)?
    .1;
    let ty = op.node.ty;
    let all_open = op
        .node
        .selection_set
        .node
        .items
        .iter()
        .all(|item| match &item.node {
            Selection::Field(f) => ANONYMOUS_FIELDS
                .iter()
                .any(|(t, name)| *t == ty && f.node.name.node.as_str() == *name),
            _ => false,
        });
    // One sign-in (or acceptance) per request: a document of many aliased ones would try many
    // passwords in one go.
    if !all_open || (ty == OperationType::Mutation && op.node.selection_set.node.items.len() != 1) {
        return Err(None);
    }
    if ty == OperationType::Mutation
        && (super::cross_site(req) || !req.headers().contains_key(session::CSRF_HEADER))
    {
        return Err(Some(super::cross_site_error()));
    }
    Ok(())
}

/// The caller's principal and rate decision, or the answer that ends the request.
fn admit(
    caller: Caller,
    req: &HttpRequest,
    request: &async_graphql::Request,
    media: Media,
) -> Result<Option<Authed>, Box<HttpResponse>> {
    match caller {
        Caller::Authed(a) => Ok(Some(a)),
        Caller::Refused(resp, _) => Err(Box::new(resp)),
        Caller::Anonymous { denied } => match anonymous_allowed(req, request) {
            Ok(()) => Ok(None),
            Err(None) => Err(Box::new(denied)),
            Err(Some(e)) => Err(Box::new(respond_error(e, media, None))),
        },
    }
}

pub async fn post(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return not_acceptable();
    };
    let caller = caller(&req, &state, media).await;
    let rate = caller.rate();
    let rate = rate.as_ref();
    match super::content_type(&req).as_deref() {
        Some(JSON) => {}
        other => {
            let err = bad_request(format!(
                "unsupported Content-Type {}: send application/json",
                other.unwrap_or("(none)")
            ));
            let mut resp = respond_error(err, media, rate);
            *resp.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
            return resp;
        }
    }
    let body = match read_body(&req, payload, state.max_body_bytes).await {
        Ok(body) => body,
        Err(BodyError::TooLarge(limit)) => {
            let err = bad_request(format!("request body is larger than {limit} bytes"));
            let mut resp = respond_error(err, media, rate);
            *resp.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return resp;
        }
        Err(e @ (BodyError::Read | BodyError::Timeout | BodyError::Busy)) => {
            return respond_error(e.into_app(), media, rate)
        }
    };
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return respond_error(
                bad_request(format!("the body is not a GraphQL request in JSON: {e}")),
                media,
                rate,
            )
        }
    };
    let authed = match admit(caller, &req, &request, media) {
        Ok(a) => a,
        Err(resp) => return *resp,
    };
    execute(
        &state,
        authed,
        super::request_meta(&req, &state),
        request,
        media,
    )
    .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

pub async fn get(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let params = web::Query::<GetParams>::from_query(req.query_string()).ok();
    let query = params.as_ref().and_then(|p| p.query.clone());
    if query.is_none() && wants_html(&req) {
        return graphiql();
    }
    let Some(media) = negotiate(&req) else {
        return not_acceptable();
    };
    let caller = caller(&req, &state, media).await;
    let rate = caller.rate();
    let rate = rate.as_ref();
    let Some(params) = params else {
        return respond_error(bad_request("invalid query string"), media, rate);
    };
    let Some(query) = query else {
        return respond_error(
            bad_request("the `query` parameter is required"),
            media,
            rate,
        );
    };
    if let Err(e) = check_nesting(&query) {
        return respond_error(e, media, rate);
    }
    // Mutations only over POST (GET must be safe).
    match async_graphql::parser::parse_query(&query) {
        Ok(doc) => {
            let op = match params.operation_name.as_deref() {
                Some(name) => doc
                    .operations
                    .iter()
                    .find(|(n, _)| n.map(|n| n.as_str()) == Some(name)),
                None => doc.operations.iter().next(),
            };
            if op.is_some_and(|(_, op)| op.node.ty == OperationType::Mutation) {
                let mut resp =
                    respond_error(bad_request("mutations must be sent with POST"), media, rate);
                *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
                resp.headers_mut()
                    .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
                return resp;
            }
        }
        Err(e) => return respond_error(bad_request(e.to_string()), media, rate),
    }
    let mut request = async_graphql::Request::new(query);
    if let Some(name) = params.operation_name.clone() {
        request = request.operation_name(name);
    }
    if let Some(vars) = params.variables.as_deref() {
        match serde_json::from_str::<serde_json::Value>(vars) {
            Ok(v @ serde_json::Value::Object(_)) => {
                request = request.variables(Variables::from_json(v))
            }
            Ok(serde_json::Value::Null) => {}
            _ => {
                return respond_error(
                    bad_request("`variables` must be a JSON object"),
                    media,
                    rate,
                )
            }
        }
    }
    if params
        .extensions
        .as_deref()
        .is_some_and(|e| serde_json::from_str::<serde_json::Value>(e).is_err())
    {
        return respond_error(bad_request("`extensions` must be JSON"), media, rate);
    }
    let authed = match admit(caller, &req, &request, media) {
        Ok(a) => a,
        Err(resp) => return *resp,
    };
    execute(
        &state,
        authed,
        super::request_meta(&req, &state),
        request,
        media,
    )
    .await
}

/// Deepest nesting of `{`, `[` and `(` a document may have. The parser recurses once per
/// level, so this is checked on the raw text first; the selection depth limit
/// (`LOUPE_GRAPHQL_MAX_DEPTH`) applies afterwards.
pub const MAX_DOCUMENT_NESTING: usize = 64;

/// The control-character rule ([`validation::text`]) for every string a request carries:
/// variables (named by path) and string literals in the document, raw or escaped.
fn check_text(request: &async_graphql::Request) -> Result<(), AppError> {
    use async_graphql::Value;
    fn walk(v: &Value, path: &str) -> Result<(), AppError> {
        match v {
            Value::String(s) => validation::text(path, s),
            Value::List(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| walk(v, &format!("{path}.{i}"))),
            Value::Object(map) => map
                .iter()
                .try_for_each(|(k, v)| walk(v, &format!("{path}.{k}"))),
            _ => Ok(()),
        }
    }
    for (name, value) in request.variables.iter() {
        walk(value, &format!("variables.{name}"))?;
    }
    let query = &request.query;
    let escaped = query.match_indices("\\u").any(|(i, _)| {
        query
            .get(i + 2..i + 6)
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32)
            .is_some_and(validation::forbidden_char)
    });
    if escaped || query.chars().any(validation::forbidden_char) {
        return Err(AppError::bad_input(
            "query",
            "string values must not contain control characters (U+0000–U+001F other than tab and line breaks, U+007F)",
        ));
    }
    Ok(())
}

fn check_nesting(query: &str) -> Result<(), AppError> {
    match crate::domain::nesting::graphql_within(query, MAX_DOCUMENT_NESTING) {
        Some(_) => Ok(()),
        None => Err(bad_request(format!(
            "the document nests brackets deeper than {MAX_DOCUMENT_NESTING} levels"
        ))),
    }
}

async fn execute(
    state: &AppState,
    authed: Option<Authed>,
    meta: session::RequestMeta,
    request: async_graphql::Request,
    media: Media,
) -> HttpResponse {
    let rate = authed.as_ref().map(|a| a.rate);
    if let Err(e) = check_nesting(&request.query).and_then(|()| check_text(&request)) {
        return respond_error(e, media, rate.as_ref());
    }
    let depth = std::sync::Arc::new(crate::graphql::AnswerDepth::default());
    let mut request = request.data(depth.clone()).data(meta);
    if let Some(authed) = authed {
        request = request.data(authed.principal);
    }
    let mut response = state.schema.execute(request).await;
    // Headers set by resolvers (the session cookies of signIn, signOut…).
    let set_headers: Vec<(String, Vec<u8>)> = response
        .http_headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.as_bytes().to_vec()))
        .collect();
    // Errors raised before execution (syntax, validation, limits) carry no code; ours
    // always do. A response with no data and only such errors is a bad request.
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| code_of(e).is_none());
    for err in &mut response.errors {
        if code_of(err).is_none() {
            err.extensions
                .get_or_insert_with(Default::default)
                .set("code", "BAD_USER_INPUT");
        }
    }
    // The database was unreachable for some part of the answer: 503, so that clients and
    // load balancers retry instead of trusting a partial answer.
    let unavailable = response
        .errors
        .iter()
        .any(|e| code_of(e).is_some_and(|c| *c == async_graphql::Value::from("UNAVAILABLE")));
    // A deep answer (recorded pages) is written and dropped on a stack sized for it.
    let encoded = crate::domain::nesting::with_stack_for(depth.get(), move || {
        // A request that never executed has no `data` entry at all (graphql-over-http).
        if request_error {
            serde_json::to_vec(&serde_json::json!({ "errors": response.errors }))
        } else {
            serde_json::to_vec(&response)
        }
    });
    let status = if request_error {
        StatusCode::BAD_REQUEST
    } else if unavailable {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    match encoded {
        Ok(body) => {
            let mut resp = respond(status, media, rate.as_ref(), body);
            for (name, value) in set_headers {
                if let (Ok(n), Ok(v)) = (
                    header::HeaderName::from_bytes(name.as_bytes()),
                    header::HeaderValue::from_bytes(&value),
                ) {
                    resp.headers_mut().append(n, v);
                }
            }
            if resp.headers().contains_key(header::SET_COOKIE) {
                resp.headers_mut().insert(
                    header::CACHE_CONTROL,
                    header::HeaderValue::from_static("no-store"),
                );
            }
            if unavailable {
                resp.headers_mut().insert(
                    header::RETRY_AFTER,
                    header::HeaderValue::from(crate::error::UNAVAILABLE_RETRY_SECS),
                );
            }
            resp
        }
        Err(e) => respond_error(AppError::internal(e), media, rate.as_ref()),
    }
}

fn code_of(err: &ServerError) -> Option<&async_graphql::Value> {
    err.extensions.as_ref().and_then(|x| x.get("code"))
}

fn not_acceptable() -> HttpResponse {
    HttpResponse::NotAcceptable().json(serde_json::json!({
        "error": "NOT_ACCEPTABLE",
        "message": "accept application/graphql-response+json or application/json",
    }))
}
