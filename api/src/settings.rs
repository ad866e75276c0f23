//! Command line and configuration: every flag has an environment fallback.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "loupe",
    version,
    about = "Loupe: privacy-first behaviour analytics and surveys"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// Directory for the SQLite database and the generated JWT secret (created if missing).
    #[arg(long, env = "LOUPE_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// Database URL (`sqlite://…` or `postgres://…`); default: `<data dir>/loupe.db`.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Redis shared by several nodes (`redis://[:password@]host:6379/0`; TLS is not built in):
    /// the exact per-key rate limit, revocation markers, and change announcements so every
    /// node drops cached copies at once (`loupe admin` announces its changes there too).
    /// Unset: nothing is shared but the database.
    #[arg(long, env = "LOUPE_REDIS_URL", global = true, hide_env_values = true)]
    pub redis_url: Option<String>,
    /// Where recording chunks are kept: `db` (the `recording_chunk` table), `file:///path`
    /// or `s3://bucket/prefix` (endpoint, region and credentials from `AWS_ENDPOINT_URL`,
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`).
    #[arg(long, env = "LOUPE_CHUNK_STORE", default_value = "db", global = true)]
    pub chunk_store: String,
    /// The sentiment worker binary (`serve` starts it as a child; `worker` and `sentiment` run
    /// it). Default: `loupe-sentiment` beside this executable.
    #[arg(long, env = "LOUPE_SENTIMENT_BIN", global = true)]
    pub sentiment_bin: Option<PathBuf>,
    /// Log format on stderr.
    #[arg(long, env = "LOUPE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve(Box<ServeOpts>),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Instance operator commands: organizations, sites, API keys, plans.
    Admin(AdminArgs),
    /// Score sentiment jobs only (no HTTP server); several may share a PostgreSQL queue.
    Worker(WorkerArgs),
    /// Print the sentiment of each text with the configured model, for a quick check.
    Sentiment(SentimentArgs),
    /// Print the GraphQL schema (SDL), which the console's typed operations are generated from.
    Schema,
}

#[derive(Debug, Clone, Args)]
pub struct WorkerArgs {
    /// Most answers claimed and scored in one round (the model splits them into
    /// length-sorted batches; more at once means less padding).
    #[arg(long, env = "LOUPE_SENTIMENT_JOBS", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=2048))]
    pub jobs: u64,
    /// How often (ms) to look for jobs written by other processes.
    #[arg(long, env = "LOUPE_SENTIMENT_POLL_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(10..))]
    pub poll_ms: u64,
    /// Run as `serve`'s child: a byte on stdin means jobs are waiting; stdin closed means stop.
    #[arg(long, hide = true)]
    pub supervised: bool,
}

impl WorkerArgs {
    pub fn opts(&self) -> crate::jobs::sentiment::WorkerOpts {
        crate::jobs::sentiment::WorkerOpts {
            batch: self.jobs,
            poll: std::time::Duration::from_millis(self.poll_ms),
            ..Default::default()
        }
    }
}

/// Webhook delivery (see the README's Webhooks section).
#[derive(Debug, Clone, Args)]
pub struct WebhookArgs {
    /// Allow webhook endpoints on loopback, private and link-local addresses (refused by
    /// default: no server-side request forgery).
    #[arg(long, env = "LOUPE_WEBHOOK_ALLOW_PRIVATE", default_value_t = false)]
    pub webhook_allow_private: bool,
    /// How long (ms) one delivery attempt may take before it counts as failed.
    #[arg(long, env = "LOUPE_WEBHOOK_TIMEOUT_MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(100..=60_000))]
    pub webhook_timeout_ms: u64,
    /// The first retry's delay (ms); each further one doubles it (with jitter), up to an hour.
    #[arg(long, env = "LOUPE_WEBHOOK_RETRY_BASE_MS", default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(10..))]
    pub webhook_retry_base_ms: u64,
    /// How long (s) an event is retried before it is given up.
    #[arg(long, env = "LOUPE_WEBHOOK_MAX_AGE_SECS", default_value_t = 86_400, value_parser = clap::value_parser!(u64).range(1..))]
    pub webhook_max_age_secs: u64,
    /// Consecutive failed attempts after which an endpoint is disabled.
    #[arg(long, env = "LOUPE_WEBHOOK_DISABLE_AFTER", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub webhook_disable_after: u32,
    /// Requests in flight to one endpoint at once (sent in event order).
    #[arg(long, env = "LOUPE_WEBHOOK_CONCURRENCY", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub webhook_concurrency: u32,
    /// How often (ms) the delivery worker looks for events written by other processes
    /// and for retries falling due (this process's own events wake it at once).
    #[arg(long, env = "LOUPE_WEBHOOK_POLL_MS", default_value_t = 250, value_parser = clap::value_parser!(u64).range(10..))]
    pub webhook_poll_ms: u64,
}

impl WebhookArgs {
    pub fn policy(&self) -> crate::domain::webhooks::Policy {
        use std::time::Duration;
        crate::domain::webhooks::Policy {
            allow_private: self.webhook_allow_private,
            timeout: Duration::from_millis(self.webhook_timeout_ms),
            retry_base: Duration::from_millis(self.webhook_retry_base_ms),
            max_age: Duration::from_secs(self.webhook_max_age_secs),
            disable_after: self.webhook_disable_after,
            concurrency: self.webhook_concurrency as usize,
            poll: Duration::from_millis(self.webhook_poll_ms),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct SentimentArgs {
    /// Texts to score.
    #[arg(required = true)]
    pub texts: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeOpts {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "LOUPE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// HMAC secret for access tokens (at least 32 bytes); default: generated once into `<data dir>/jwt_secret`.
    #[arg(long, env = "LOUPE_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Access token lifetime in seconds.
    #[arg(long, env = "LOUPE_TOKEN_TTL", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(60..=86_400))]
    pub token_ttl: u64,
    /// Console sessions end after this many minutes without a request.
    #[arg(long, env = "LOUPE_SESSION_IDLE_MINUTES", default_value_t = 720, value_parser = clap::value_parser!(u64).range(1..=43_200))]
    pub session_idle_minutes: u64,
    /// Console sessions end this many hours after sign-in, used or not.
    #[arg(long, env = "LOUPE_SESSION_MAX_HOURS", default_value_t = 168, value_parser = clap::value_parser!(u64).range(1..=2_160))]
    pub session_max_hours: u64,
    /// Requests per minute per API key (and per console account), across GraphQL and REST.
    #[arg(long, env = "LOUPE_RATE_LIMIT", default_value_t = 3000, value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit: u32,
    /// How long (ms) a key's revocation state and organization are cached between database reads; 0 reads on every request.
    #[arg(long, env = "LOUPE_AUTH_CACHE_MS", default_value_t = 1000)]
    pub auth_cache_ms: u64,
    /// How often (ms) recordings older than their site's retention are deleted.
    #[arg(long, env = "LOUPE_RETENTION_INTERVAL_MS", default_value_t = 3_600_000, value_parser = clap::value_parser!(u64).range(100..))]
    pub retention_interval_ms: u64,
    /// How often (ms) the chunk janitor deletes objects no chunk row names (with an object
    /// store).
    #[arg(long, env = "LOUPE_CHUNK_JANITOR_MS", default_value_t = 600_000, value_parser = clap::value_parser!(u64).range(100..))]
    pub chunk_janitor_ms: u64,
    /// How old (seconds) an object must be before the janitor may delete it unnamed: older
    /// than any write still between its object and its commit.
    #[arg(long, env = "LOUPE_CHUNK_ORPHAN_AGE_SECS", default_value_t = 3600)]
    pub chunk_orphan_age_secs: u64,
    /// How often (ms) the heatmap cell increments staged by ingestion are folded into the
    /// aggregates (queries read both, so this changes no answer).
    #[arg(long, env = "LOUPE_HEATMAP_ROLLUP_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(100..))]
    pub heatmap_rollup_ms: u64,
    /// On SIGTERM, how long (ms) `/readyz` answers 503 `DRAINING` while requests are still
    /// served, before the node stops accepting connections: a load balancer's health
    /// checks take it out of rotation first. Set it above the checks' interval × fall.
    #[arg(long, env = "LOUPE_DRAIN_MS", default_value_t = 0)]
    pub drain_ms: u64,
    /// Largest accepted request body in bytes.
    #[arg(long, env = "LOUPE_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,
    /// Deepest accepted GraphQL selection.
    /// (Introspection as GraphiQL sends it nests about 13 deep.)
    #[arg(long, env = "LOUPE_GRAPHQL_MAX_DEPTH", default_value_t = 16)]
    pub graphql_max_depth: usize,
    /// Largest accepted GraphQL query complexity (a list field counts `first` times its children).
    #[arg(long, env = "LOUPE_GRAPHQL_MAX_COMPLEXITY", default_value_t = 5000)]
    pub graphql_max_complexity: usize,
    /// Header set by a trusted proxy with the visitor's ISO country code (e.g. `CF-IPCountry`); unset: no country is recorded.
    #[arg(long, env = "LOUPE_COUNTRY_HEADER")]
    pub country_header: Option<String>,
    /// Proxies or load balancers in front of Loupe whose `X-Forwarded-For` is believed:
    /// comma-separated addresses or CIDR ranges (`127.0.0.1,10.0.0.0/8`). Used only to key
    /// the sign-in throttles by the caller's address rather than the balancer's; never
    /// stored. Unset: the connecting address is the caller.
    #[arg(long, env = "LOUPE_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
    /// Serve the console's files from this folder (a `web/console/dist` being worked on)
    /// instead of the copy built into the binary.
    #[arg(long, env = "LOUPE_CONSOLE_DIR")]
    pub console_dir: Option<std::path::PathBuf>,
    /// HTTP worker threads (default: one per CPU core).
    #[arg(long, env = "LOUPE_WORKERS")]
    pub workers: Option<usize>,
    /// How often (ms) to look whether another process on the same database (the CLI,
    /// another node) changed keys, plans, sites or surveys, so cached copies are dropped;
    /// 0 turns it off (changes made elsewhere then show once the caches expire).
    #[arg(long, env = "LOUPE_CHANGES_POLL_MS", default_value_t = 200)]
    pub changes_poll_ms: u64,
    /// Loupe's address as browsers reach it (`https://loupe.example.com`), used in the
    /// tag snippet and link-survey URLs; default: `http://` + the bound address.
    #[arg(long, env = "LOUPE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Memory (MiB) that request data in flight may hold: bodies, inflated recording
    /// batches, chunks waiting to be written. Past it, requests get 503 with Retry-After
    /// before their body is read.
    #[arg(long, env = "LOUPE_MEMORY_BUDGET_MIB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(16..=65_536))]
    pub memory_budget_mib: u64,
    /// Longest wait (ms) for a request's answer before it is given up with 503 (a frozen
    /// or unreachable database). Streamed bodies (exports) are not cut once they start.
    #[arg(long, env = "LOUPE_REQUEST_TIMEOUT_MS", default_value_t = 8000, value_parser = clap::value_parser!(u64).range(100..))]
    pub request_timeout_ms: u64,
    /// Longest time (ms) a client may take to send its request head or its body (408 past it).
    #[arg(long, env = "LOUPE_CLIENT_TIMEOUT_MS", default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(100..))]
    pub client_timeout_ms: u64,
    /// Most open client connections (all workers together); more wait in the listen backlog.
    #[arg(long, env = "LOUPE_MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: u64,
    /// Identify calls' group writers on PostgreSQL, each committing on its own connection
    /// (SQLite has one writer whatever this says).
    #[arg(long, env = "LOUPE_IDENTIFY_WRITERS", default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=16))]
    pub identify_writers: u64,
    /// Start and supervise a sentiment worker process (`loupe-sentiment`) once answers wait
    /// to be scored (turn off when separate `loupe worker`s score).
    #[arg(long, env = "LOUPE_SENTIMENT_WORKER", default_value_t = true, action = clap::ArgAction::Set)]
    pub sentiment_worker: bool,
    #[command(flatten)]
    pub worker: WorkerArgs,
    #[command(flatten)]
    pub webhooks: WebhookArgs,
}

impl Default for ServeOpts {
    fn default() -> Self {
        // Parse an empty command line so defaults and environment fallbacks apply.
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            serve: ServeOpts,
        }
        Only::parse_from(["loupe"]).serve
    }
}

#[derive(Debug, Args)]
pub struct AdminArgs {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: AdminCommand,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an organization.
    CreateOrg {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value_t = PlanArg::Basic)]
        plan: PlanArg,
    },
    /// List organizations.
    ListOrgs,
    /// Change an organization's plan.
    SetPlan {
        #[arg(long)]
        org: i64,
        #[arg(long, value_enum)]
        plan: PlanArg,
    },
    /// Create a site in an organization.
    CreateSite {
        #[arg(long)]
        org: i64,
        #[arg(long)]
        name: String,
        /// Allowed domain (repeatable), e.g. `example.com` or `*.example.com`.
        #[arg(long = "domain")]
        domains: Vec<String>,
    },
    /// Give a person a console account in an organization. With `--password-stdin` the
    /// account is created (or, if it exists, joins) at once; otherwise an invite link for
    /// that email is printed (valid 7 days, once).
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        org: i64,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
        /// The console's address, for the printed link.
        #[arg(
            long,
            env = "LOUPE_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
    /// Turn a console account off (every organization) and end its sessions, or back on.
    DisableUser {
        #[arg(long)]
        email: String,
        /// Turn it back on instead.
        #[arg(long)]
        enable: bool,
    },
    /// Create an API key; prints its client id and secret once.
    CreateKey {
        #[arg(long)]
        org: i64,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long, default_value = "operator key")]
        name: String,
    },
    /// List an organization's API keys (never their secrets).
    ListKeys {
        #[arg(long)]
        org: i64,
    },
    /// Revoke an API key by id; its tokens stop working.
    RevokeKey {
        #[arg(long)]
        id: i64,
    },
    /// Move recording chunks kept in the database to an object store, batch by batch
    /// (object first, then the row): safe to stop and run again.
    MoveChunks {
        /// The store (`file:///path`, `s3://bucket/prefix`), as `LOUPE_CHUNK_STORE` will name it.
        #[arg(long)]
        to: String,
        /// Chunks per batch.
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=10_000))]
        batch: u64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum PlanArg {
    Basic,
    Plus,
    Business,
    Scale,
}

impl From<PlanArg> for entity::organization::Plan {
    fn from(p: PlanArg) -> Self {
        use entity::organization::Plan;
        match p {
            PlanArg::Basic => Plan::Basic,
            PlanArg::Plus => Plan::Plus,
            PlanArg::Business => Plan::Business,
            PlanArg::Scale => Plan::Scale,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum RoleArg {
    Read,
    Write,
    Admin,
}

impl From<RoleArg> for entity::api_key::Role {
    fn from(r: RoleArg) -> Self {
        use entity::api_key::Role;
        match r {
            RoleArg::Read => Role::Read,
            RoleArg::Write => Role::Write,
            RoleArg::Admin => Role::Admin,
        }
    }
}

impl GlobalOpts {
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("loupe.db").display()
            ),
        }
    }
}
