//! GraphQL over HTTP: media types, GET, GraphiQL, and clear 4xx answers for bad requests.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

async fn post(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let resp = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("req");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn media_types_get_and_graphiql() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;

    let resp = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .header(
            "Accept",
            "application/graphql-response+json, application/json;q=0.9",
        )
        .json(
            &json!({"query": "query Q { viewer { organization { name } } }", "operationName": "Q"}),
        )
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("application/graphql-response+json"));
    assert_eq!(
        resp.json::<Value>().await.expect("json")["data"]["viewer"]["organization"]["name"],
        "Default"
    );

    let resp = app.gql_raw(&token, "{ __typename }", json!({})).await;
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("application/json"));

    let get = app
        .http
        .get(app.url("/graphql"))
        .query(&[
            ("query", "query($id: ID!) { site(id: $id) { name } }"),
            ("variables", r#"{"id":"1"}"#),
        ])
        .bearer_auth(&token)
        .send()
        .await
        .expect("req");
    assert_eq!(get.status(), StatusCode::OK);
    assert_eq!(
        get.json::<Value>().await.expect("json")["data"]["site"]["name"],
        "Default site"
    );

    let get_mutation = app
        .http
        .get(app.url("/graphql"))
        .query(&[("query", "mutation { acceptDataProcessingAgreement { id } }")])
        .bearer_auth(&token)
        .send()
        .await
        .expect("req");
    assert_eq!(get_mutation.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(get_mutation.headers()["allow"], "POST");

    let html = app
        .http
        .get(app.url("/graphql"))
        .header("Accept", "text/html")
        .send()
        .await
        .expect("req");
    assert_eq!(html.status(), StatusCode::OK);
    assert!(html
        .text()
        .await
        .expect("text")
        .to_lowercase()
        .contains("graphiql"));

    let not_acceptable = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .header("Accept", "text/plain")
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .expect("req");
    assert_eq!(not_acceptable.status(), StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn bad_requests_get_clear_4xx_answers() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;

    let (s, b) = post(&app, &token, "application/json", b"{\"query\": ".to_vec()).await;
    assert_eq!(
        (s, error_code(&b)),
        (StatusCode::BAD_REQUEST, "BAD_USER_INPUT"),
        "malformed JSON: {b}"
    );

    let (s, b) = post(
        &app,
        &token,
        "application/json",
        br#"{"variables": {}}"#.to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "no query: {b}");

    let (s, b) = app.gql(&token, "{ viewer { role ", json!({})).await;
    assert_eq!(
        (s, error_code(&b)),
        (StatusCode::BAD_REQUEST, "BAD_USER_INPUT"),
        "malformed GraphQL: {b}"
    );
    assert!(
        b.get("data").is_none(),
        "a request that never ran has no data entry: {b}"
    );

    let (s, b) = app.gql(&token, "{ noSuchField }", json!({})).await;
    assert_eq!(
        (s, error_code(&b)),
        (StatusCode::BAD_REQUEST, "BAD_USER_INPUT"),
        "unknown field: {b}"
    );

    let (s, _) = post(
        &app,
        &token,
        "text/plain",
        br#"{"query": "{ __typename }"}"#.to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let huge = json!({"query": format!("{{ __typename }} # {}", "x".repeat(300 * 1024))})
        .to_string()
        .into_bytes();
    let (s, b) = post(&app, &token, "application/json", huge).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{b}");
    assert_eq!(error_code(&b), "BAD_USER_INPUT");

    let deep = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
        "ofType { ".repeat(14),
        "} ".repeat(14)
    );
    let (s, b) = app.gql(&token, &deep, json!({})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "too deep: {b}");
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("deep"),
        "{b}"
    );

    let wide = format!(
        "{{ {} }}",
        (0..60)
            .map(|i| format!("s{i}: sites(first: 100) {{ edges {{ node {{ id name }} }} }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let (s, b) = app.gql(&token, &wide, json!({})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "too complex: {b}");
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("complex"),
        "{b}"
    );

    let (s, b) = app
        .gql(&token, "{ sites(first: 101) { totalCount } }", json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(error_code(&b), "BAD_USER_INPUT");
    assert_eq!(b["errors"][0]["extensions"]["field"], "first");

    let (_, b) = app
        .gql(
            &token,
            r#"{ sites(after: "bm90LWEtY3Vyc29y") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&b), "BAD_USER_INPUT");
    assert_eq!(b["errors"][0]["extensions"]["field"], "after");

    let (s, b) = app
        .gql(
            &token,
            "query($id: ID!) { site(id: $id) { id } }",
            json!({"id": {"nested": true}}),
        )
        .await;
    assert!(
        s.is_client_error() || error_code(&b) == "BAD_USER_INPUT",
        "bad variable: {s} {b}"
    );
}

/// The introspection query GraphiQL and code generators send must fit the limits.
#[tokio::test]
async fn full_introspection_query_is_accepted() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let type_ref = "kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";
    let query = format!(
        "query IntrospectionQuery {{ __schema {{ queryType {{ name }} mutationType {{ name }} subscriptionType {{ name }} \
         types {{ ...FullType }} directives {{ name description locations args {{ ...InputValue }} }} }} }} \
         fragment FullType on __Type {{ kind name description fields(includeDeprecated: true) {{ name description \
         args {{ ...InputValue }} type {{ ...TypeRef }} isDeprecated deprecationReason }} inputFields {{ ...InputValue }} \
         interfaces {{ ...TypeRef }} enumValues(includeDeprecated: true) {{ name description isDeprecated deprecationReason }} \
         possibleTypes {{ ...TypeRef }} }} \
         fragment InputValue on __InputValue {{ name description type {{ ...TypeRef }} defaultValue }} \
         fragment TypeRef on __Type {{ {type_ref} }}"
    );
    let (status, body) = app.gql(&token, &query, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["data"]["__schema"]["types"]
        .as_array()
        .is_some_and(|t| !t.is_empty()));
}
