//! Builds the application: database, first-start bootstrap, auth, schema, HTTP server.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::{Server, Service};
use actix_web::{web, App, HttpServer};
use anyhow::{bail, Context};
use futures_util::FutureExt;
use sea_orm::DatabaseConnection;
use tokio::signal::unix::{signal, SignalKind};

use crate::auth::{
    cache::KeyCache, jwt::JwtKeys, ratelimit::RateLimiter, secrets, throttle::LoginThrottle, Auth,
};
use crate::domain::bootstrap::{self, FirstStart};
use crate::domain::surveys::ingest::Ingest;
use crate::graphql::{build_schema, schema::SchemaLimits};
use crate::http::{self, metrics};
use crate::metrics::Metrics;
use crate::settings::{GlobalOpts, ServeOpts};
use crate::state::AppState;

pub struct Application {
    server: Server,
    addr: SocketAddr,
    db: DatabaseConnection,
    /// Loupe's address as browsers reach it (`LOUPE_PUBLIC_URL`, or the bound address).
    public_url: crate::domain::tag::PublicUrl,
    /// The sentiment worker process, when this server starts one.
    sentiment: Option<crate::jobs::sentiment_child::Supervisor>,
    /// Set when this start created the first organization: its one-time credentials.
    pub first_start: Option<FirstStart>,
}

impl Application {
    pub async fn build(global: &GlobalOpts, opts: &ServeOpts) -> anyhow::Result<Self> {
        fs::create_dir_all(&global.data_dir)
            .with_context(|| format!("creating data directory {}", global.data_dir.display()))?;
        let clustered = global
            .redis_url
            .as_deref()
            .is_some_and(|u| !u.trim().is_empty());
        if clustered && opts.jwt_secret.as_deref().is_none_or(str::is_empty) {
            bail!(
                "LOUPE_JWT_SECRET is required with LOUPE_REDIS_URL: every node of a cluster must \
                 sign and check access tokens with the same secret (a secret generated into each \
                 node's data directory would make the nodes refuse each other's tokens)"
            );
        }
        let jwt_secret = jwt_secret(&global.data_dir, opts.jwt_secret.as_deref())?;
        crate::domain::recordings::chunks::install(
            crate::domain::recordings::chunks::ChunkStore::from_url(&global.chunk_store)?,
        );
        // Bind first: if the port is taken, fail before the first start creates the
        // one-time credentials that could then never be shown.
        let listener =
            TcpListener::bind(opts.bind).with_context(|| format!("binding {}", opts.bind))?;
        let addr = listener.local_addr()?;
        let db = crate::db::connect_and_migrate(&global.database_url()).await?;
        let first_start = bootstrap::first_start(&db)
            .await
            .map_err(|e| e.into_anyhow())?;

        let metrics = Arc::new(Metrics::new()?);
        // Caches forget what this process changes at once, and everything when another
        // process on the same database (the CLI, another node) changed something; with
        // Redis, what another node changed at once too.
        let changes = crate::changes::Changes::default();
        let cluster = match global.redis_url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(url) => Some(
                crate::cluster::Cluster::start(
                    url,
                    db.clone(),
                    changes.clone(),
                    metrics.registry(),
                )
                .await?,
            ),
            None => None,
        };
        let auth = Arc::new(Auth {
            jwt: JwtKeys::new(&jwt_secret),
            keys: KeyCache::new(Duration::from_millis(opts.auth_cache_ms)),
            throttle: LoginThrottle::default(),
            proxies: crate::auth::proxies::TrustedProxies::parse(&opts.trusted_proxies)?,
            limiter: RateLimiter::per_minute(opts.rate_limit),
            cluster,
            token_ttl: Duration::from_secs(opts.token_ttl),
            sessions: crate::auth::session::Lifetimes {
                idle: Duration::from_secs(opts.session_idle_minutes * 60),
                absolute: Duration::from_secs(opts.session_max_hours * 3600),
            },
            hashing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
        });
        let subject_key = crate::domain::audit::SubjectKey::derive(&jwt_secret);
        let limits = SchemaLimits {
            max_depth: opts.graphql_max_depth,
            max_complexity: opts.graphql_max_complexity,
        };
        let public_url = crate::domain::tag::PublicUrl::new(opts.public_url.as_deref(), addr)?;
        let ingest = Ingest::start(db.clone(), Duration::from_millis(opts.auth_cache_ms));
        changes.listen(auth.clone());
        changes.listen(ingest.clone());
        changes.listen(crate::domain::webhooks::outbox::SUBSCRIPTIONS.clone());
        if opts.changes_poll_ms > 0 {
            changes.follow(db.clone(), Duration::from_millis(opts.changes_poll_ms));
        }
        let sentiment = if opts.sentiment_worker {
            start_sentiment_worker(db.clone(), global, &opts.worker)?
        } else {
            None
        };
        let webhook_policy = opts.webhooks.policy();
        crate::domain::webhooks::configure(webhook_policy);
        crate::jobs::webhooks::start(db.clone(), public_url.clone(), webhook_policy)?;
        crate::jobs::retention::start(
            db.clone(),
            metrics.clone(),
            Duration::from_millis(opts.retention_interval_ms),
        );
        crate::jobs::heatmaps::start(db.clone(), Duration::from_millis(opts.heatmap_rollup_ms));
        crate::jobs::chunk_janitor::start(
            db.clone(),
            Duration::from_millis(opts.chunk_janitor_ms),
            Duration::from_secs(opts.chunk_orphan_age_secs),
        );
        let draining = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let state = web::Data::new(AppState {
            db: db.clone(),
            schema: build_schema(
                db.clone(),
                auth.clone(),
                ingest.clone(),
                subject_key.clone(),
                public_url.clone(),
                changes.clone(),
                &limits,
            ),
            subject_key,
            ingest,
            recordings: crate::domain::recordings::writer::RecordingWriter::start(db.clone()),
            identify: crate::domain::people::writer::IdentifyWriter::start(
                db.clone(),
                usize::try_from(opts.identify_writers).unwrap_or(4),
            ),
            auth,
            metrics: metrics.clone(),
            max_body_bytes: opts.max_body_bytes,
            budget: Arc::new(crate::budget::MemoryBudget::new(
                usize::try_from(opts.memory_budget_mib).unwrap_or(256) * 1024 * 1024,
            )),
            body_timeout: Duration::from_millis(opts.client_timeout_ms),
            country_header: opts.country_header.clone().filter(|h| !h.trim().is_empty()),
            public_url: public_url.clone(),
            changes,
            console_dir: opts.console_dir.clone(),
            draining: draining.clone(),
        });

        let workers = opts
            .workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        let request_timeout = Duration::from_millis(opts.request_timeout_ms);
        let client_timeout = Duration::from_millis(opts.client_timeout_ms);
        let max_connections = usize::try_from(opts.max_connections)
            .unwrap_or(4096)
            .div_ceil(workers)
            .max(1);
        let server = HttpServer::new(move || {
            let metrics = metrics.clone();
            App::new()
                .app_data(state.clone())
                .wrap_fn(move |req, srv| {
                    let started = Instant::now();
                    let method = metrics::method_label(req.method());
                    let metrics = metrics.clone();
                    // A request whose answer does not start within the deadline (a frozen
                    // or unreachable database) is given up with 503; dropping the handler
                    // rolls back whatever it had begun.
                    // Control characters in query strings are refused for every endpoint
                    // (GraphQL checks its own parameters and answers in its own shape).
                    let refused = if req.path() == "/graphql" {
                        None
                    } else {
                        crate::domain::validation::query_string(req.query_string()).err()
                    };
                    let call = match refused {
                        Some(err) => Err(req.error_response(crate::http::RestError(err))),
                        None => Ok(srv.call(req)),
                    };
                    async move {
                        let call = match call {
                            Ok(call) => call,
                            Err(refused) => return Ok(refused),
                        };
                        match tokio::time::timeout(request_timeout, call).await {
                            Ok(res) => res,
                            Err(_) => {
                                tracing::warn!("request deadline passed");
                                Err(crate::http::RestError(crate::error::AppError::Unavailable(
                                    "the request took too long; retry shortly".into(),
                                ))
                                .into())
                            }
                        }
                    }
                    .map(move |res| {
                        if let Ok(res) = &res {
                            let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".to_owned());
                            let status = res.status().as_u16();
                            let elapsed = started.elapsed();
                            metrics.observe(&route, method, status, elapsed);
                            tracing::debug!(%method, %route, status, latency_us = elapsed.as_micros() as u64, "request");
                        }
                        res
                    })
                })
                .configure(http::configure)
        })
        .workers(workers)
        .max_connections(max_connections)
        .client_request_timeout(client_timeout)
        .client_disconnect_timeout(Duration::from_secs(1))
        .shutdown_timeout(30)
        .disable_signals()
        .listen(listener)?
        .run();
        // Our own handlers, installed before we report that we are listening, so a
        // SIGTERM that arrives right after start-up still drains gracefully.
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        let handle = server.handle();
        let drain = Duration::from_millis(opts.drain_ms);
        actix_web::rt::spawn(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
            if !drain.is_zero() {
                // Out of the load balancer's rotation first, still serving meanwhile.
                tracing::info!(
                    ms = drain.as_millis() as u64,
                    "shutdown signal received; readiness now fails"
                );
                draining.store(true, std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(drain).await;
            }
            tracing::info!("draining in-flight requests");
            handle.stop(true).await;
        });
        Ok(Application {
            server,
            addr,
            db,
            public_url,
            sentiment,
            first_start,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Loupe's address as browsers reach it: where the setup link and first query point.
    pub fn public_url(&self) -> &str {
        self.public_url.as_str()
    }

    /// Serves until SIGTERM/SIGINT, then drains in-flight requests and closes the database.
    pub async fn run(self) -> anyhow::Result<()> {
        self.server.await?;
        if let Some(worker) = self.sentiment {
            worker.stop().await;
        }
        tracing::info!("server stopped; closing the database");
        self.db.close().await?;
        Ok(())
    }
}

/// The token signing secret: configured, or generated once into the data dir (0600).
fn jwt_secret(data_dir: &Path, configured: Option<&str>) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = configured.filter(|s| !s.is_empty()) {
        if secret.len() < 32 {
            bail!("LOUPE_JWT_SECRET must be at least 32 bytes long");
        }
        return Ok(secret.as_bytes().to_vec());
    }
    let path = data_dir.join("jwt_secret");
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
    {
        Ok(mut file) => {
            let secret = secrets::random_hex(32);
            file.write_all(secret.as_bytes())?;
            file.sync_all()?;
            tracing::info!(path = %path.display(), "generated a JWT signing secret");
            Ok(secret.into_bytes())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = fs::metadata(&path)?;
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(path = %path.display(), "JWT secret file was readable by others; setting mode 0600");
                fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
            }
            let secret = fs::read_to_string(&path)?.trim().to_owned();
            if secret.len() < 32 {
                bail!(
                    "{} holds fewer than 32 bytes; delete it to generate a new one",
                    path.display()
                );
            }
            Ok(secret.into_bytes())
        }
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

/// The sentiment worker as a child process (`loupe-sentiment worker`), started once jobs
/// wait: the model and libtorch stay out of the server. It gets this server's database and
/// worker settings; an in-memory SQLite database cannot be shared with it.
fn start_sentiment_worker(
    db: DatabaseConnection,
    global: &GlobalOpts,
    worker: &crate::settings::WorkerArgs,
) -> anyhow::Result<Option<crate::jobs::sentiment_child::Supervisor>> {
    use crate::jobs::sentiment_child::{program, Spec, Supervisor};
    let url = global.database_url();
    if url.contains(":memory:") || url.contains("mode=memory") {
        tracing::warn!("an in-memory database has no sentiment worker: answers stay queued");
        return Ok(None);
    }
    let log_format = match global.log_format {
        crate::settings::LogFormat::Text => "text",
        crate::settings::LogFormat::Json => "json",
    };
    let spec = Spec {
        program: program(global.sentiment_bin.as_deref())?,
        args: [
            "worker".to_owned(),
            "--supervised".to_owned(),
            format!("--jobs={}", worker.jobs),
            format!("--poll-ms={}", worker.poll_ms),
        ]
        .into_iter()
        .map(Into::into)
        .collect(),
        env: vec![
            ("DATABASE_URL".into(), url.into()),
            ("LOUPE_DATA_DIR".into(), global.data_dir.clone().into()),
            ("LOUPE_LOG_FORMAT".into(), log_format.into()),
        ],
    };
    Ok(Some(Supervisor::start(
        db,
        spec,
        std::time::Duration::from_millis(worker.poll_ms),
    )))
}
