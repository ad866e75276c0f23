//! Console accounts and sessions over HTTP, as the console (and an attacker's page) would
//! send them: the setup link, cookies and their flags, CSRF, sign-in throttling, two-factor,
//! invites and roles, members across organizations, the audit log, the console's pages.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::TestApp;

const PASSWORD: &str = "correct horse battery staple";

/// A browser's session: its cookies as the server set them.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    pub csrf: String,
    pub set_cookies: Vec<String>,
}

fn cookie_value(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies.iter().find_map(|c| {
        let first = c.split(';').next()?;
        let (k, v) = first.split_once('=')?;
        (k.trim() == name).then(|| v.trim().to_owned())
    })
}

/// POSTs a GraphQL document without credentials, as the console's sign-in page does.
pub async fn anonymous(
    app: &TestApp,
    query: &str,
    variables: Value,
) -> (StatusCode, Value, Vec<String>) {
    let resp = app
        .http
        .post(app.url("/graphql"))
        .header("X-CSRF-Token", "1")
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("graphql");
    let status = resp.status();
    let cookies = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    (status, resp.json().await.expect("json"), cookies)
}

fn session_from(cookies: Vec<String>) -> Session {
    Session {
        token: cookie_value(&cookies, "loupe_session").expect("session cookie"),
        csrf: cookie_value(&cookies, "loupe_csrf").expect("csrf cookie"),
        set_cookies: cookies,
    }
}

impl Session {
    pub fn cookie(&self) -> String {
        format!("loupe_session={}; loupe_csrf={}", self.token, self.csrf)
    }

    pub async fn gql(&self, app: &TestApp, query: &str, variables: Value) -> (StatusCode, Value) {
        let resp = app
            .http
            .post(app.url("/graphql"))
            .header("Cookie", self.cookie())
            .header("X-CSRF-Token", &self.csrf)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("graphql");
        let status = resp.status();
        (status, resp.json().await.expect("json"))
    }
}

fn code(b: &Value) -> &str {
    b["errors"][0]["extensions"]["code"].as_str().unwrap_or("")
}

fn token_of(url: &str) -> String {
    url.rsplit(['=', '/']).next().expect("token").to_owned()
}

const ACCEPT: &str = "mutation($i: AcceptInviteInput!) { acceptInvite(input: $i) { account { id email } organization { id role } } }";
const SIGN_IN: &str =
    "mutation($i: SignInInput!) { signIn(input: $i) { account { id } organization { id role } } }";

/// Creates the owner account through the setup link and returns its session.
pub async fn owner(app: &TestApp) -> Session {
    let token = token_of(&app.setup_url());
    let (_, b, cookies) = anonymous(
        app,
        ACCEPT,
        json!({"i": {"token": token, "email": "Owner@Shop.example", "name": "Olive", "password": PASSWORD}}),
    )
    .await;
    assert_eq!(
        b["data"]["acceptInvite"]["organization"]["role"], "ADMIN",
        "{b}"
    );
    session_from(cookies)
}

async fn sign_in(
    app: &TestApp,
    email: &str,
    password: &str,
    code: Option<&str>,
) -> (Value, Option<Session>) {
    let (_, b, cookies) = anonymous(
        app,
        SIGN_IN,
        json!({"i": {"email": email, "password": password, "twoFactorCode": code}}),
    )
    .await;
    let session = cookie_value(&cookies, "loupe_session").map(|_| session_from(cookies));
    (b, session)
}

/// Invites `email` with `role` as `by` and accepts it: the new member's session.
async fn member(app: &TestApp, by: &Session, email: &str, role: &str) -> Session {
    let (_, b) = by
        .gql(
            app,
            "mutation($i: CreateInviteInput!) { createInvite(input: $i) { url invite { id role email } } }",
            json!({"i": {"email": email, "role": role}}),
        )
        .await;
    let url = b["data"]["createInvite"]["url"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"));
    assert!(
        url.starts_with(&app.base) && url.contains("/invite/"),
        "{url}"
    );
    let (_, b, cookies) = anonymous(
        app,
        ACCEPT,
        json!({"i": {"token": token_of(url), "email": email, "password": PASSWORD}}),
    )
    .await;
    assert_eq!(
        b["data"]["acceptInvite"]["organization"]["role"], role,
        "{b}"
    );
    session_from(cookies)
}

#[tokio::test]
async fn the_setup_link_creates_the_owner_once_with_a_strong_password_and_signs_in() {
    let app = TestApp::spawn().await;
    let token = token_of(&app.setup_url());
    let (_, b, _) = anonymous(
        &app,
        "query($t: String!) { invite(token: $t) { organizationName role setup } }",
        json!({"t": token}),
    )
    .await;
    assert_eq!(
        b["data"]["invite"],
        json!({"organizationName": "Default", "role": "ADMIN", "setup": true})
    );
    let (_, b, _) = anonymous(&app, "{ invite(token: \"nope\") { role } }", json!({})).await;
    assert!(b["data"]["invite"].is_null(), "{b}");

    for weak in ["short", "password1234", "shopshopshop"] {
        let (_, b, cookies) = anonymous(
            &app,
            ACCEPT,
            json!({"i": {"token": token, "email": "owner@shop.example", "password": weak}}),
        )
        .await;
        assert_eq!(code(&b), "BAD_USER_INPUT", "{weak}: {b}");
        assert_eq!(b["errors"][0]["extensions"]["field"], "password");
        assert!(cookies.is_empty());
    }
    let (_, b, cookies) = anonymous(
        &app,
        ACCEPT,
        json!({"i": {"token": token, "email": "Owner@Shop.example", "password": PASSWORD}}),
    )
    .await;
    assert_eq!(
        b["data"]["acceptInvite"]["account"]["email"], "owner@shop.example",
        "{b}"
    );
    let s = session_from(cookies);
    let session_cookie = s
        .set_cookies
        .iter()
        .find(|c| c.starts_with("loupe_session="))
        .expect("cookie");
    assert!(
        session_cookie.contains("HttpOnly")
            && session_cookie.contains("SameSite=Lax")
            && session_cookie.contains("Path=/"),
        "{session_cookie}"
    );
    assert!(
        !session_cookie.contains("Secure"),
        "plain http: {session_cookie}"
    );
    let csrf_cookie = s
        .set_cookies
        .iter()
        .find(|c| c.starts_with("loupe_csrf="))
        .expect("cookie");
    assert!(
        !csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"),
        "{csrf_cookie}"
    );

    // Used once.
    let (_, b, _) = anonymous(
        &app,
        ACCEPT,
        json!({"i": {"token": token, "email": "x@shop.example", "password": PASSWORD}}),
    )
    .await;
    assert_eq!(code(&b), "NOT_FOUND", "{b}");

    let (status, b) = s.gql(&app, "{ viewer { role apiKey { id } account { email name twoFactorEnabled sessions { current device } } organizations { name role } } }", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let v = &b["data"]["viewer"];
    assert_eq!(v["role"], "ADMIN", "{b}");
    assert!(v["apiKey"].is_null());
    assert_eq!(v["account"]["email"], "owner@shop.example");
    assert_eq!(v["account"]["sessions"][0]["current"], true);
    assert_eq!(
        v["organizations"],
        json!([{"name": "Default", "role": "ADMIN"}])
    );

    // Behind a proxy that says HTTPS, the cookies are Secure.
    let resp = app
        .http
        .post(app.url("/graphql"))
        .header("X-CSRF-Token", "1")
        .header("X-Forwarded-Proto", "https")
        .json(&json!({"query": SIGN_IN, "variables": {"i": {"email": "owner@shop.example", "password": PASSWORD}}}))
        .send()
        .await
        .expect("sign in");
    let cookies: Vec<String> = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    assert!(
        cookies.len() == 2 && cookies.iter().all(|c| c.contains("; Secure")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn requests_with_the_cookie_need_the_csrf_token_and_this_site() {
    let app = TestApp::spawn().await;
    let s = owner(&app).await;
    let post = |headers: Vec<(&'static str, String)>| {
        let mut req = app
            .http
            .post(app.url("/graphql"))
            .header("Cookie", s.cookie())
            .json(&json!({"query": "mutation { createSite(input: {name: \"x\", allowedDomains: [\"x.example\"]}) { id } }"}));
        for (k, v) in headers {
            req = req.header(k, v);
        }
        req.send()
    };
    for (what, headers) in [
        ("no token", vec![]),
        ("wrong token", vec![("X-CSRF-Token", "0".repeat(40))]),
        (
            "another origin",
            vec![
                ("X-CSRF-Token", s.csrf.clone()),
                ("Origin", "http://evil.example".into()),
            ],
        ),
        (
            "a cross-site fetch",
            vec![
                ("X-CSRF-Token", s.csrf.clone()),
                ("Sec-Fetch-Site", "cross-site".into()),
            ],
        ),
    ] {
        let resp = post(headers).await.expect("post");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{what}");
        let b: Value = resp.json().await.expect("json");
        assert_eq!(code(&b), "CSRF", "{what}: {b}");
    }
    // A form post from another site cannot even be GraphQL (JSON only).
    let resp = app
        .http
        .post(app.url("/graphql"))
        .header("Cookie", s.cookie())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", "http://evil.example")
        .body("query=mutation{signOutEverywhere}")
        .send()
        .await
        .expect("post");
    assert!(resp.status().is_client_error(), "{}", resp.status());
    // The same origin with the token works, and so does REST.
    let host = app.base.trim_start_matches("http://").to_owned();
    let resp = post(vec![
        ("X-CSRF-Token", s.csrf.clone()),
        ("Origin", format!("http://{host}")),
        ("Sec-Fetch-Site", "same-origin".into()),
    ])
    .await
    .expect("post");
    let b: Value = resp.json().await.expect("json");
    assert!(b["data"]["createSite"]["id"].is_string(), "{b}");
    let resp = app
        .http
        .get(app.url("/v1/sites/1/surveys"))
        .header("Cookie", s.cookie())
        .header("X-CSRF-Token", &s.csrf)
        .send()
        .await
        .expect("rest");
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = app
        .http
        .get(app.url("/v1/sites/1/surveys"))
        .header("Cookie", s.cookie())
        .send()
        .await
        .expect("rest");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // Signing in without the header (a cross-site form) is refused too.
    let resp = app
        .http
        .post(app.url("/graphql"))
        .json(&json!({"query": SIGN_IN, "variables": {"i": {"email": "owner@shop.example", "password": PASSWORD}}}))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // Anonymous callers reach only the sign-in operations.
    let (status, _, _) = anonymous(&app, "{ viewer { role } }", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = anonymous(&app, "mutation { invite: signOut }", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn each_sign_in_gets_a_new_session_and_signing_out_ends_them() {
    let app = TestApp::spawn().await;
    let first = owner(&app).await;
    let (_, second) = sign_in(&app, "OWNER@shop.example", PASSWORD, None).await;
    let second = second.expect("signed in");
    let (_, third) = sign_in(&app, "owner@shop.example", PASSWORD, None).await;
    let third = third.expect("signed in");
    assert_ne!(first.token, second.token);
    assert_ne!(second.token, third.token);
    let (_, b) = third
        .gql(
            &app,
            "{ viewer { account { sessions { id current } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        b["data"]["viewer"]["account"]["sessions"]
            .as_array()
            .map(Vec::len),
        Some(3),
        "{b}"
    );

    let (_, b) = second.gql(&app, "mutation { signOut }", json!({})).await;
    assert_eq!(b["data"]["signOut"], true, "{b}");
    let (status, b) = second.gql(&app, "{ viewer { role } }", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{b}");
    let (status, _) = first.gql(&app, "{ viewer { role } }", json!({})).await;
    assert_eq!(status, StatusCode::OK);

    let (_, b) = third
        .gql(&app, "mutation { signOutEverywhere }", json!({}))
        .await;
    assert_eq!(b["data"]["signOutEverywhere"], true, "{b}");
    for s in [&first, &third] {
        let (status, _) = s.gql(&app, "{ viewer { role } }", json!({})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    // A password change ends the other sessions and keeps this one.
    let (_, a) = sign_in(&app, "owner@shop.example", PASSWORD, None).await;
    let (_, b) = sign_in(&app, "owner@shop.example", PASSWORD, None).await;
    let (a, b) = (a.expect("a"), b.expect("b"));
    let new = "another long passphrase, 2026";
    let (_, r) = a.gql(&app, "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }", json!({"c": "wrong", "n": new})).await;
    assert_eq!(
        r["errors"][0]["extensions"]["field"], "currentPassword",
        "{r}"
    );
    let (_, r) = a.gql(&app, "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }", json!({"c": PASSWORD, "n": new})).await;
    assert_eq!(r["data"]["changePassword"], true, "{r}");
    assert_eq!(
        b.gql(&app, "{ viewer { role } }", json!({})).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        a.gql(&app, "{ viewer { role } }", json!({})).await.0,
        StatusCode::OK
    );
    assert!(sign_in(&app, "owner@shop.example", PASSWORD, None)
        .await
        .1
        .is_none());
    assert!(sign_in(&app, "owner@shop.example", new, None)
        .await
        .1
        .is_some());
}

#[tokio::test]
async fn sign_in_is_throttled_per_email_and_address() {
    let app = TestApp::spawn().await;
    owner(&app).await;
    for _ in 0..10 {
        let (b, s) = sign_in(&app, "owner@shop.example", "not the password", None).await;
        assert_eq!(code(&b), "UNAUTHENTICATED", "{b}");
        assert!(s.is_none());
    }
    let (b, s) = sign_in(&app, "owner@shop.example", PASSWORD, None).await;
    assert_eq!(code(&b), "RATE_LIMITED", "{b}");
    assert!(
        b["errors"][0]["extensions"]["retryAfter"]
            .as_u64()
            .is_some_and(|s| s > 0),
        "{b}"
    );
    assert!(s.is_none());
    // Unknown emails answer like wrong passwords.
    let (b, _) = sign_in(&app, "nobody@shop.example", PASSWORD, None).await;
    assert_eq!(b["errors"][0]["message"], "wrong email or password");
}

fn totp_code(secret: &str, at: u64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .expect("base32");
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes)
        .expect("totp")
        .generate(at)
}

#[tokio::test]
async fn two_factor_needs_a_fresh_code_or_a_recovery_code_once() {
    let app = TestApp::spawn().await;
    let s = owner(&app).await;
    let (_, b) = s
        .gql(
            &app,
            "mutation { startTwoFactor { secret otpauthUri } }",
            json!({}),
        )
        .await;
    let secret = b["data"]["startTwoFactor"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{b}"))
        .to_owned();
    assert!(
        b["data"]["startTwoFactor"]["otpauthUri"]
            .as_str()
            .is_some_and(|u| u.starts_with("otpauth://totp/Loupe%3Aowner%40shop.example?secret=")),
        "{b}"
    );
    let now = chrono::Utc::now().timestamp() as u64;
    let (_, b) = s
        .gql(
            &app,
            "mutation($c: String!) { confirmTwoFactor(code: $c) }",
            json!({"c": "000000"}),
        )
        .await;
    assert_eq!(code(&b), "BAD_USER_INPUT", "{b}");
    // A code one step back: sign-in below uses the current one (a code is never reused).
    let (_, b) = s
        .gql(
            &app,
            "mutation($c: String!) { confirmTwoFactor(code: $c) }",
            json!({"c": totp_code(&secret, now - 30)}),
        )
        .await;
    let recovery: Vec<String> = serde_json::from_value(b["data"]["confirmTwoFactor"].clone())
        .unwrap_or_else(|_| panic!("{b}"));
    assert_eq!(recovery.len(), 10);

    let (b, none) = sign_in(&app, "owner@shop.example", PASSWORD, None).await;
    assert_eq!(code(&b), "TWO_FACTOR_REQUIRED", "{b}");
    assert!(none.is_none());
    let (b, none) = sign_in(&app, "owner@shop.example", PASSWORD, Some("123456")).await;
    assert_eq!(code(&b), "UNAUTHENTICATED", "{b}");
    assert!(none.is_none());
    let current = totp_code(&secret, now);
    assert!(
        sign_in(&app, "owner@shop.example", PASSWORD, Some(&current))
            .await
            .1
            .is_some()
    );
    let (b, again) = sign_in(&app, "owner@shop.example", PASSWORD, Some(&current)).await;
    assert!(again.is_none(), "a code is accepted once: {b}");
    assert!(sign_in(
        &app,
        "owner@shop.example",
        PASSWORD,
        Some(&recovery[3].to_uppercase())
    )
    .await
    .1
    .is_some());
    assert!(
        sign_in(&app, "owner@shop.example", PASSWORD, Some(&recovery[3]))
            .await
            .1
            .is_none()
    );
    // The wrong password never reaches the code.
    let (b, _) = sign_in(
        &app,
        "owner@shop.example",
        "nope nope nope",
        Some(&recovery[4]),
    )
    .await;
    assert_eq!(code(&b), "UNAUTHENTICATED");

    let (_, b) = s
        .gql(
            &app,
            "mutation { disableTwoFactor(password: \"wrong\") }",
            json!({}),
        )
        .await;
    assert_eq!(code(&b), "BAD_USER_INPUT", "{b}");
    let (_, b) = s
        .gql(
            &app,
            "mutation($p: String!) { disableTwoFactor(password: $p) }",
            json!({"p": PASSWORD}),
        )
        .await;
    assert_eq!(b["data"]["disableTwoFactor"], true, "{b}");
    assert!(sign_in(&app, "owner@shop.example", PASSWORD, None)
        .await
        .1
        .is_some());
}

#[tokio::test]
async fn members_act_with_their_role_only_in_their_organization() {
    let app = TestApp::spawn().await;
    let admin = owner(&app).await;
    let reader = member(&app, &admin, "reader@shop.example", "READ").await;
    let writer = member(&app, &admin, "writer@shop.example", "WRITE").await;

    // READ reads, and is refused every change.
    let (_, b) = reader.gql(&app, "{ viewer { role organization { sites { edges { node { id } } } members { account { email } role } } } }", json!({})).await;
    assert_eq!(b["data"]["viewer"]["role"], "READ", "{b}");
    assert_eq!(
        b["data"]["viewer"]["organization"]["members"]
            .as_array()
            .map(Vec::len),
        Some(3),
        "{b}"
    );
    for m in [
        "mutation { createSite(input: {name: \"x\", allowedDomains: [\"x.example\"]}) { id } }",
        "mutation { createInvite(input: {role: ADMIN}) { url } }",
        "mutation { createSurvey(input: {siteId: \"1\", name: \"s\", questions: [{type: NPS, prompt: \"q\"}]}) { id } }",
        "mutation { removeMember(accountId: \"1\") }",
    ] {
        let (_, b) = reader.gql(&app, m, json!({})).await;
        assert_eq!(code(&b), "FORBIDDEN", "{m}: {b}");
    }
    let (_, b) = reader
        .gql(
            &app,
            "{ viewer { organization { invites { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&b), "FORBIDDEN", "{b}");
    let (_, b) = writer
        .gql(
            &app,
            "mutation { createInvite(input: {role: READ}) { url } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&b), "FORBIDDEN", "{b}");

    // An invite for another address cannot be taken by someone else.
    let (_, b) = admin.gql(&app, "mutation { createInvite(input: {email: \"new@shop.example\", role: WRITE}) { url invite { id } } }", json!({})).await;
    let url = b["data"]["createInvite"]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let (_, b, _) = anonymous(&app, ACCEPT, json!({"i": {"token": token_of(&url), "email": "thief@shop.example", "password": PASSWORD}})).await;
    assert_eq!(b["errors"][0]["extensions"]["field"], "email", "{b}");
    let invite_id = {
        let (_, b) = admin
            .gql(
                &app,
                "{ viewer { organization { invites { id email role } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            b["data"]["viewer"]["organization"]["invites"][0]["email"], "new@shop.example",
            "{b}"
        );
        b["data"]["viewer"]["organization"]["invites"][0]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    let (_, b) = admin
        .gql(
            &app,
            "mutation($id: ID!) { revokeInvite(id: $id) }",
            json!({"id": invite_id}),
        )
        .await;
    assert_eq!(b["data"]["revokeInvite"], true, "{b}");
    let (_, b, _) = anonymous(
        &app,
        ACCEPT,
        json!({"i": {"token": token_of(&url), "email": "new@shop.example", "password": PASSWORD}}),
    )
    .await;
    assert_eq!(code(&b), "NOT_FOUND", "{b}");

    // Another organization: its member sees none of organization 1's objects, and
    // organization 1's ADMIN cannot touch its members.
    let (org2, site2, _) = app.other_org("SCALE").await;
    let out = create_user(&app, "other@else.example", org2, "ADMIN").await;
    assert!(out.contains("ADMIN in organization"), "{out}");
    let (_, other) = sign_in(&app, "other@else.example", PASSWORD, None).await;
    let other = other.expect("signed in");
    let (_, b) = other
        .gql(&app, "{ site(id: \"1\") { id } }", json!({}))
        .await;
    assert_eq!(code(&b), "NOT_FOUND", "{b}");
    let other_id = {
        let (_, b) = other
            .gql(&app, "{ viewer { account { id } } }", json!({}))
            .await;
        b["data"]["viewer"]["account"]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    for m in [
        "mutation($a: ID!) { removeMember(accountId: $a) }",
        "mutation($a: ID!) { updateMember(accountId: $a, input: {role: READ}) { role } }",
    ] {
        let (_, b) = admin.gql(&app, m, json!({"a": other_id})).await;
        assert_eq!(code(&b), "NOT_FOUND", "{m}: {b}");
    }
    let (_, b) = admin
        .gql(
            &app,
            &format!("{{ site(id: \"{site2}\") {{ id }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(code(&b), "NOT_FOUND", "{b}");
    let (_, b) = admin
        .gql(
            &app,
            "mutation($o: ID!) { switchOrganization(organizationId: $o) { id } }",
            json!({"o": org2.to_string()}),
        )
        .await;
    assert_eq!(code(&b), "NOT_FOUND", "{b}");

    // The last active ADMIN stays; turning a member off ends their sessions.
    let admin_id = {
        let (_, b) = admin
            .gql(&app, "{ viewer { account { id } } }", json!({}))
            .await;
        b["data"]["viewer"]["account"]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    for m in [
        "mutation($a: ID!) { removeMember(accountId: $a) }",
        "mutation($a: ID!) { updateMember(accountId: $a, input: {role: WRITE}) { role } }",
        "mutation($a: ID!) { updateMember(accountId: $a, input: {disabled: true}) { role } }",
    ] {
        let (_, b) = admin.gql(&app, m, json!({"a": admin_id})).await;
        assert_eq!(code(&b), "CONFLICT", "{m}: {b}");
    }
    let writer_id = {
        let (_, b) = writer
            .gql(&app, "{ viewer { account { id } } }", json!({}))
            .await;
        b["data"]["viewer"]["account"]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    let (_, b) = admin.gql(&app, "mutation($a: ID!) { updateMember(accountId: $a, input: {disabled: true}) { disabled } }", json!({"a": writer_id})).await;
    assert_eq!(b["data"]["updateMember"]["disabled"], true, "{b}");
    assert_eq!(
        writer.gql(&app, "{ viewer { role } }", json!({})).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (b, none) = sign_in(&app, "writer@shop.example", PASSWORD, None).await;
    assert!(none.is_none(), "{b}");

    // Every account action is in the audit log, with the account.
    let (_, b) = admin
        .gql(
            &app,
            "{ auditLog(first: 50) { edges { node { action accountId apiKeyId } } } }",
            json!({}),
        )
        .await;
    let actions: Vec<&str> = b["data"]["auditLog"]["edges"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|n| n["node"]["action"].as_str())
                .collect()
        })
        .unwrap_or_default();
    for a in [
        "INVITE_ACCEPTED",
        "SIGN_IN",
        "INVITE_CREATED",
        "INVITE_REVOKED",
        "MEMBER_UPDATED",
    ] {
        assert!(actions.contains(&a), "{a} missing in {actions:?}");
    }
    assert!(
        b["data"]["auditLog"]["edges"][0]["node"]["accountId"].is_string(),
        "{b}"
    );
}

/// `loupe admin create-user … --password-stdin` with [`PASSWORD`].
async fn create_user(app: &TestApp, email: &str, org: i64, role: &str) -> String {
    use tokio::io::AsyncWriteExt;
    let mut child = tokio::process::Command::new(crate::helpers::BIN)
        .args([
            "admin",
            "create-user",
            "--email",
            email,
            "--org",
            &org.to_string(),
            "--role",
            role,
            "--password-stdin",
        ])
        .env("LOUPE_DATA_DIR", app.dir.path())
        .env("DATABASE_URL", &app.db.url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run loupe admin");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .await
        .expect("write");
    drop(stdin);
    let out = child.wait_with_output().await.expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn operators_create_users_or_invite_links_and_disable_accounts() {
    let app = TestApp::spawn().await;
    create_user(&app, "ops@shop.example", 1, "WRITE").await;
    let (_, s) = sign_in(&app, "ops@shop.example", PASSWORD, None).await;
    let s = s.expect("signed in");
    let (_, b) = s.gql(&app, "{ viewer { role } }", json!({})).await;
    assert_eq!(b["data"]["viewer"]["role"], "WRITE");

    let link = app
        .admin_cli(&[
            "create-user",
            "--email",
            "later@shop.example",
            "--org",
            "1",
            "--role",
            "READ",
            "--public-url",
            "https://loupe.shop.example",
        ])
        .await
        .expect("invite");
    let url = link["url"].as_str().expect("url");
    assert!(
        url.starts_with("https://loupe.shop.example/invite/"),
        "{url}"
    );
    let (_, b, _) = anonymous(
        &app,
        "query($t: String!) { invite(token: $t) { email role setup } }",
        json!({"t": token_of(url)}),
    )
    .await;
    assert_eq!(
        b["data"]["invite"],
        json!({"email": "later@shop.example", "role": "READ", "setup": false})
    );

    let out = app
        .admin_cli(&["disable-user", "--email", "ops@shop.example"])
        .await
        .expect("disable");
    assert_eq!(out["disabled"], true);
    assert_eq!(
        s.gql(&app, "{ viewer { role } }", json!({})).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert!(sign_in(&app, "ops@shop.example", PASSWORD, None)
        .await
        .1
        .is_none());
    app.admin_cli(&["disable-user", "--email", "ops@shop.example", "--enable"])
        .await
        .expect("enable");
    assert!(sign_in(&app, "ops@shop.example", PASSWORD, None)
        .await
        .1
        .is_some());
}

#[tokio::test]
async fn sessions_share_the_per_caller_rate_limit_by_account() {
    let app = TestApp::spawn_with(&[("LOUPE_RATE_LIMIT", "5")]).await;
    let s = owner(&app).await;
    let (_, other) = sign_in(&app, "owner@shop.example", PASSWORD, None).await;
    let other = other.expect("signed in");
    for i in 0..5 {
        let who = if i % 2 == 0 { &s } else { &other };
        assert_eq!(
            who.gql(&app, "{ viewer { role } }", json!({})).await.0,
            StatusCode::OK,
            "request {i}"
        );
    }
    let resp = app
        .http
        .post(app.url("/graphql"))
        .header("Cookie", other.cookie())
        .header("X-CSRF-Token", &other.csrf)
        .json(&json!({"query": "{ viewer { role } }"}))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    // An API key of the same organization has its own budget.
    let token = app.admin_token().await;
    assert_eq!(
        app.gql(&token, "{ viewer { role } }", json!({})).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_console_is_served_at_the_root_with_a_strict_policy() {
    let app = TestApp::spawn().await;
    for path in ["/", "/sites/1/surveys", "/setup?token=x"] {
        let resp = app
            .http
            .get(app.url(path))
            .header("Accept", "text/html")
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        let csp = resp.headers()["content-security-policy"]
            .to_str()
            .expect("csp")
            .to_owned();
        for part in [
            "default-src 'self'",
            "script-src 'self';",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(part), "{part} in {csp}");
        }
        assert_eq!(resp.headers()["x-frame-options"], "DENY");
        let html = resp.text().await.expect("html");
        assert!(
            html.contains("<script type=\"module\"") && !html.contains("<script>"),
            "no inline script: {html}"
        );
        let asset = html
            .split("src=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("entry script")
            .to_owned();
        let resp = app.http.get(app.url(&asset)).send().await.expect("asset");
        assert_eq!(resp.status(), StatusCode::OK, "{asset}");
        assert!(resp.headers()["cache-control"]
            .to_str()
            .is_ok_and(|c| c.contains("immutable")));
        assert!(resp.headers()["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("application/javascript")));
    }
    // API paths and clients that do not ask for HTML keep their JSON 404s.
    for (path, accept) in [
        ("/v1/nope", "text/html"),
        ("/nope", "application/json"),
        ("/assets/nope.js", "*/*"),
        ("/assets/../Cargo.toml", "*/*"),
    ] {
        let resp = app
            .http
            .get(app.url(path))
            .header("Accept", accept)
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn an_invite_link_never_signs_in_to_an_existing_account() {
    let app = TestApp::spawn().await;
    let admin = owner(&app).await;
    let (_, b) = admin
        .gql(
            &app,
            "mutation { createInvite(input: {role: READ}) { url } }",
            json!({}),
        )
        .await;
    let url = b["data"]["createInvite"]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    // The owner's own email: no session, no change to the owner's ADMIN membership.
    let (_, b, cookies) = anonymous(&app, ACCEPT, json!({"i": {"token": token_of(&url), "email": "owner@shop.example", "password": PASSWORD}})).await;
    assert_eq!(code(&b), "CONFLICT", "{b}");
    assert!(cookies.is_empty());
    // A weak password fails the same way whether the email has an account or not.
    for email in ["owner@shop.example", "nobody@shop.example"] {
        let (_, b, _) = anonymous(
            &app,
            ACCEPT,
            json!({"i": {"token": token_of(&url), "email": email, "password": "password1234"}}),
        )
        .await;
        assert_eq!(
            b["errors"][0]["extensions"]["field"], "password",
            "{email}: {b}"
        );
    }
    let (_, b) = admin.gql(&app, "{ viewer { role } }", json!({})).await;
    assert_eq!(b["data"]["viewer"]["role"], "ADMIN");
    // Already a member: joining with the link is refused and the role stays.
    let (_, b) = admin
        .gql(
            &app,
            "mutation($t: String!) { joinOrganization(token: $t) { role } }",
            json!({"t": token_of(&url)}),
        )
        .await;
    assert_eq!(code(&b), "CONFLICT", "{b}");
    assert_eq!(
        admin.gql(&app, "{ viewer { role } }", json!({})).await.1["data"]["viewer"]["role"],
        "ADMIN"
    );

    // Someone with an account elsewhere signs in (second factor and throttle apply), then joins.
    let (org2, _, _) = app.other_org("SCALE").await;
    create_user(&app, "guest@else.example", org2, "ADMIN").await;
    let (_, guest) = sign_in(&app, "guest@else.example", PASSWORD, None).await;
    let guest = guest.expect("signed in");
    let (_, b) = guest
        .gql(
            &app,
            "mutation($t: String!) { joinOrganization(token: $t) { id name role } }",
            json!({"t": token_of(&url)}),
        )
        .await;
    assert_eq!(
        b["data"]["joinOrganization"],
        json!({"id": "1", "name": "Default", "role": "READ"}),
        "{b}"
    );
    let (_, b) = guest
        .gql(
            &app,
            "{ viewer { role organization { id } organizations { id role } } }",
            json!({}),
        )
        .await;
    assert_eq!(b["data"]["viewer"]["organization"]["id"], "1", "{b}");
    assert_eq!(b["data"]["viewer"]["role"], "READ");
    assert_eq!(
        b["data"]["viewer"]["organizations"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let (_, b) = guest
        .gql(
            &app,
            "mutation($t: String!) { joinOrganization(token: $t) { id } }",
            json!({"t": token_of(&url)}),
        )
        .await;
    assert_eq!(code(&b), "NOT_FOUND", "used once: {b}");
    // An invite bound to another address cannot be joined.
    let (_, b) = admin
        .gql(
            &app,
            "mutation { createInvite(input: {email: \"x@shop.example\", role: WRITE}) { url } }",
            json!({}),
        )
        .await;
    let bound = b["data"]["createInvite"]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let (_, b) = guest
        .gql(
            &app,
            "mutation($t: String!) { joinOrganization(token: $t) { id } }",
            json!({"t": token_of(&bound)}),
        )
        .await;
    assert_eq!(code(&b), "FORBIDDEN", "{b}");
}

#[tokio::test]
async fn one_code_sent_many_times_at_once_signs_in_once() {
    let app = TestApp::spawn().await;
    let s = owner(&app).await;
    let (_, b) = s
        .gql(&app, "mutation { startTwoFactor { secret } }", json!({}))
        .await;
    let secret = b["data"]["startTwoFactor"]["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let now = chrono::Utc::now().timestamp() as u64;
    let (_, b) = s
        .gql(
            &app,
            "mutation($c: String!) { confirmTwoFactor(code: $c) }",
            json!({"c": totp_code(&secret, now - 30)}),
        )
        .await;
    let recovery: Vec<String> = serde_json::from_value(b["data"]["confirmTwoFactor"].clone())
        .unwrap_or_else(|_| panic!("{b}"));
    for code in [totp_code(&secret, now), recovery[0].clone()] {
        let tries = (0..6).map(|_| sign_in(&app, "owner@shop.example", PASSWORD, Some(&code)));
        let sessions = futures_util::future::join_all(tries).await;
        let ok = sessions.iter().filter(|(_, s)| s.is_some()).count();
        assert_eq!(ok, 1, "{code}: {sessions:?}");
    }
}

#[tokio::test]
async fn anonymous_documents_hold_one_sign_in_and_the_setup_link_ends_with_an_admin() {
    let app = TestApp::spawn().await;
    let setup = token_of(&app.setup_url());
    let (status, _, _) = anonymous(
        &app,
        "mutation { a: signIn(input: {email: \"a@x.example\", password: \"p\"}) { account { id } } b: signIn(input: {email: \"b@x.example\", password: \"p\"}) { account { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The operator creates the owner from the command line: the printed setup link dies.
    create_user(&app, "ops@shop.example", 1, "ADMIN").await;
    let (_, b, _) = anonymous(
        &app,
        "query($t: String!) { invite(token: $t) { role } }",
        json!({"t": setup}),
    )
    .await;
    assert!(b["data"]["invite"].is_null(), "{b}");
    // GraphiQL's scripts are pinned by their hashes and nothing else may run there.
    let resp = app
        .http
        .get(app.url("/graphql"))
        .header("Accept", "text/html")
        .send()
        .await
        .expect("graphiql");
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(
        csp.contains("script-src https://unpkg.com 'sha256-") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    let html = resp.text().await.expect("html");
    assert_eq!(html.matches("integrity=\"sha384-").count(), 4, "{html}");
}
