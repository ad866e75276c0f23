//! Test server handle: starts the real `loupe` binary on a free port with a fresh database
//! (SQLite in a temp dir, or a new PostgreSQL database when `TEST_DATABASE_URL` is set),
//! and kills it on drop.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};

pub const JWT_SECRET: &str = "test-signing-secret-0123456789abcdef0123456789";
pub const BIN: &str = env!("CARGO_BIN_EXE_loupe-e2e");

#[derive(Clone, Debug)]
pub struct Creds {
    pub client_id: String,
    pub client_secret: String,
}

/// A fresh database for one test; a PostgreSQL one is dropped afterwards.
pub struct TestDb {
    pub url: String,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn fresh(dir: &Path) -> TestDb {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin) if !admin.trim().is_empty() => {
                let name = format!("loupe_t_{}", uuid::Uuid::new_v4().simple());
                let conn = Database::connect(&admin)
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                let _ = conn.close().await;
                TestDb {
                    url: with_db_name(&admin, &name),
                    pg: Some((admin, name)),
                }
            }
            _ => TestDb {
                url: format!("sqlite://{}?mode=rwc", dir.join("loupe.db").display()),
                pg: None,
            },
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(conn) = Database::connect(&admin).await {
                        let _ = conn
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}

fn with_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// A running server process.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// Everything the server printed on stdout before it was listening.
    pub stdout: Vec<String>,
}

impl Server {
    pub fn start(data_dir: &Path, db_url: &str, env: &[(&str, &str)]) -> Server {
        Self::start_args(data_dir, db_url, env, &["serve"])
    }

    pub fn start_args(
        data_dir: &Path,
        db_url: &str,
        env: &[(&str, &str)],
        args: &[&str],
    ) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env("LOUPE_BIND", "127.0.0.1:0")
            .env("LOUPE_DATA_DIR", data_dir)
            .env("DATABASE_URL", db_url)
            .env("LOUPE_JWT_SECRET", JWT_SECRET)
            .env("LOUPE_WORKERS", "2")
            .env(
                "RUST_LOG",
                std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::piped())
            .stdin(Stdio::null());
        // `TEST_CHUNK_STORE=file`: every server keeps recording chunks in a file store in its
        // data directory, so any suite can be run against an object store too.
        if std::env::var("TEST_CHUNK_STORE").is_ok_and(|v| v == "file") {
            cmd.env(
                "LOUPE_CHUNK_STORE",
                format!("file://{}", data_dir.join("chunks").display()),
            );
        }
        for (k, v) in env {
            if v.is_empty() {
                cmd.env_remove(k);
            } else {
                cmd.env(k, v);
            }
        }
        if std::env::var_os("TEST_LOG").is_none()
            && !env.iter().any(|(k, _)| *k == "CAPTURE_STDERR")
        {
            cmd.stderr(Stdio::null());
        } else if env.iter().any(|(k, _)| *k == "CAPTURE_STDERR") {
            cmd.stderr(Stdio::piped());
        }
        #[allow(clippy::zombie_processes)] // killed and waited for by `Server::stop` on drop
        let mut child = cmd.spawn().expect("start loupe");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let mut lines = Vec::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    if let Some(base) = line.strip_prefix("Loupe listening on ") {
                        return Server {
                            base: base.trim().to_owned(),
                            child,
                            stdout: lines,
                        };
                    }
                    lines.push(line);
                }
                Err(_) => {
                    let _ = child.kill();
                    panic!("loupe did not start; stdout so far: {lines:#?}");
                }
            }
        }
    }

    pub fn credentials(&self) -> Option<Creds> {
        let find = |label: &str| {
            self.stdout
                .iter()
                .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_owned()))
        };
        Some(Creds {
            client_id: find("client id:")?,
            client_secret: find("client secret:")?,
        })
    }

    /// The first-start setup link's path (`/setup?token=…`), if this start printed one.
    pub fn setup_path(&self) -> Option<String> {
        self.stdout
            .iter()
            .find_map(|l| l.find("/setup?token=").map(|i| l[i..].trim().to_owned()))
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// An HTTP client that never reuses a connection the server may be closing: idle
/// connections are dropped after 2 s, before the server's 5 s keep-alive ends them (a
/// request sent on a connection at the moment the server closes it fails with
/// "IncompleteMessage" on a busy machine).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(2))
        .build()
        .expect("http client")
}

pub struct TestApp {
    /// Kept so the server lives as long as the test (killed on drop).
    _server: Server,
    pub base: String,
    pub http: reqwest::Client,
    /// The bootstrap ADMIN key of organization 1 ("Default", SCALE).
    pub admin: Creds,
    pub db: TestDb,
    pub dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(&[]).await
    }

    pub async fn spawn_with(env: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = TestDb::fresh(dir.path()).await;
        let server = Server::start(dir.path(), &db.url, env);
        let admin = server
            .credentials()
            .expect("first start prints credentials");
        TestApp {
            base: server.base.clone(),
            _server: server,
            http: client(),
            admin,
            db,
            dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The first-start setup link, absolute.
    pub fn setup_url(&self) -> String {
        let path = self
            ._server
            .setup_path()
            .expect("first start prints a setup link");
        format!("{}{}", self.base, path)
    }

    /// The server process (to read a piped stderr, or stop it early).
    pub fn server(&mut self) -> &mut Server {
        &mut self._server
    }

    /// Kills the server and starts a new one on the same data directory and database.
    pub fn restart(&mut self, env: &[(&str, &str)]) {
        self._server.stop();
        let server = Server::start(self.dir.path(), &self.db.url, env);
        self.base = server.base.clone();
        self._server = server;
    }

    /// Another node on the same database and signing secret (its own data directory), as
    /// behind a load balancer; killed on drop.
    pub fn node(&self, env: &[(&str, &str)]) -> Server {
        let dir = self
            .dir
            .path()
            .join(format!("node-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("node data dir");
        Server::start(&dir, &self.db.url, env)
    }

    pub async fn token_response(&self, creds: &Creds) -> reqwest::Response {
        self.http
            .post(self.url("/oauth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &creds.client_id),
                ("client_secret", &creds.client_secret),
            ])
            .send()
            .await
            .expect("token request")
    }

    pub async fn token(&self, creds: &Creds) -> String {
        let resp = self.token_response(creds).await;
        assert_eq!(resp.status(), StatusCode::OK, "token request failed");
        let body: Value = resp.json().await.expect("token json");
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.token(&self.admin.clone()).await
    }

    pub async fn gql_raw(&self, token: &str, query: &str, variables: Value) -> reqwest::Response {
        self.http
            .post(self.url("/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("graphql request")
    }

    pub async fn gql(&self, token: &str, query: &str, variables: Value) -> (StatusCode, Value) {
        let resp = self.gql_raw(token, query, variables).await;
        let status = resp.status();
        (status, resp.json().await.expect("graphql json"))
    }

    /// Runs `loupe admin --json …` against this test's database.
    pub async fn admin_cli(&self, args: &[&str]) -> Result<Value, String> {
        let out = tokio::process::Command::new(BIN)
            .arg("admin")
            .arg("--json")
            .args(args)
            .env("LOUPE_DATA_DIR", self.dir.path())
            .env("DATABASE_URL", &self.db.url)
            .env("RUST_LOG", "warn")
            .output()
            .await
            .expect("run loupe admin");
        if out.status.success() {
            serde_json::from_slice(&out.stdout).map_err(|e| format!("bad json: {e}"))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// A new organization with one site and an ADMIN key.
    pub async fn other_org(&self, plan: &str) -> (i64, i64, Creds) {
        let org = self
            .admin_cli(&["create-org", "--name", "Other", "--plan", plan])
            .await
            .expect("create org");
        let org_id = org["id"].as_i64().expect("org id");
        let site = self
            .admin_cli(&[
                "create-site",
                "--org",
                &org_id.to_string(),
                "--name",
                "Other site",
            ])
            .await
            .expect("create site");
        let creds = self.create_key(org_id, "ADMIN").await;
        (org_id, site["id"].as_i64().expect("site id"), creds)
    }

    pub async fn create_key(&self, org_id: i64, role: &str) -> Creds {
        let key = self
            .admin_cli(&["create-key", "--org", &org_id.to_string(), "--role", role])
            .await
            .expect("create key");
        Creds {
            client_id: key["client_id"].as_str().expect("client_id").to_owned(),
            client_secret: key["client_secret"]
                .as_str()
                .expect("client_secret")
                .to_owned(),
        }
    }

    /// Creates a survey from `input` (a `CreateSurveyInput`; `siteId` defaults to site 1) and
    /// activates it: its id and its question ids in order.
    pub async fn active_survey(&self, token: &str, mut input: Value) -> (String, Vec<i64>) {
        if input.get("siteId").is_none() {
            input["siteId"] = json!("1");
        }
        let (_, b) = self
            .gql(
                token,
                "mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { id questions { id } } }",
                json!({ "input": input }),
            )
            .await;
        let s = &b["data"]["createSurvey"];
        let id = s["id"].as_str().unwrap_or_else(|| panic!("{b}")).to_owned();
        let questions = s["questions"]
            .as_array()
            .unwrap_or_else(|| panic!("{b}"))
            .iter()
            .map(|q| {
                q["id"]
                    .as_str()
                    .and_then(|i| i.parse().ok())
                    .expect("question id")
            })
            .collect();
        let (_, b) = self
            .gql(
                token,
                "mutation($id: ID!) { setSurveyStatus(id: $id, status: ACTIVE) { status } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(b["data"]["setSurveyStatus"]["status"], "ACTIVE", "{b}");
        (id, questions)
    }

    /// Accepts the data-processing agreement and switches the Identify API on for `site`.
    pub async fn enable_identify(&self, token: &str, site: i64) {
        let (_, b) = self
            .gql(
                token,
                "mutation { acceptDataProcessingAgreement { id } }",
                json!({}),
            )
            .await;
        assert!(b["errors"].is_null(), "{b}");
        let (_, b) = self
            .gql(
                token,
                "mutation($id: ID!) { updateSite(id: $id, input: {identifyEnabled: true}) { identifyEnabled } }",
                json!({"id": site.to_string()}),
            )
            .await;
        assert_eq!(b["data"]["updateSite"]["identifyEnabled"], true, "{b}");
    }

    /// The `/metrics` text.
    pub async fn metrics(&self) -> String {
        self.http
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text")
    }

    pub async fn db_conn(&self) -> DatabaseConnection {
        Database::connect(&self.db.url)
            .await
            .expect("connect test db")
    }
}

/// `errors[0].extensions.code` of a GraphQL answer.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<none>")
}
