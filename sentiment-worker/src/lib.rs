//! `loupe-sentiment`: the process that owns the sentiment model.
//!
//! libtorch maps about 50 MB of code and allocates about 45 MB in its static initialisers as
//! soon as it is loaded, model or not, so it lives here and not in `loupe`:
//! - `loupe-sentiment worker` drains the durable queue with `api::jobs::sentiment::run`;
//!   `loupe serve` starts it as a supervised child once answers wait (see
//!   `api::jobs::sentiment_child`), `loupe worker` becomes it, and several may share a
//!   PostgreSQL queue.
//! - `loupe-sentiment sentiment "text" …` prints one `LABEL score text` line per text.
//!
//! It reads the same command line and environment as `loupe` (`api::settings::Cli`).

use std::io::Write;
use std::process::ExitCode;

use api::settings::{Cli, Command, GlobalOpts, SentimentArgs, WorkerArgs};
use clap::Parser;

mod scorer;

pub use scorer::Scorer;

/// The exit status that tells the supervisor the model cannot be loaded.
const EXIT_NO_MODEL: u8 = 78;
const _: () = assert!(EXIT_NO_MODEL as i32 == api::jobs::sentiment_child::EXIT_NO_MODEL);

/// The model could not be loaded: restarting will not help.
#[derive(Debug)]
struct NoModel(anyhow::Error);

impl std::fmt::Display for NoModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the sentiment model was not loaded: {:#}", self.0)
    }
}

impl std::error::Error for NoModel {}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    api::telemetry::init(cli.global.log_format);
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| {
            rt.block_on(async {
                match &cli.command {
                    Some(Command::Worker(args)) => worker(&cli.global, args).await,
                    Some(Command::Sentiment(args)) => sentiment(args).await,
                    _ => anyhow::bail!(
                        "loupe-sentiment runs `worker` or `sentiment`; the server is `loupe`"
                    ),
                }
            })
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.is::<NoModel>() {
                ExitCode::from(EXIT_NO_MODEL)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Scores sentiment jobs until stopped (a signal, or stdin closed when supervised).
async fn worker(global: &GlobalOpts, args: &WorkerArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&global.data_dir)?;
    let db = api::db::connect_and_migrate(&global.database_url()).await?;
    let parent_gone = supervised_stdin(args.supervised);
    let work = async {
        let scorer = Scorer::start(None).await.map_err(NoModel)?;
        if !args.supervised {
            println!("Loupe sentiment worker running");
        }
        tracing::info!("sentiment worker running");
        api::jobs::sentiment::run(db.clone(), scorer, args.opts()).await;
        anyhow::Ok(())
    };
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        done = work => done?,
        _ = parent_gone => {}
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    db.close().await?;
    Ok(())
}

/// When supervised: each byte on stdin wakes the queue loop, and the returned future
/// completes when stdin closes (the server stopped or died). Otherwise it never completes.
/// A plain thread reads stdin, so a blocked read never holds up the runtime's shutdown.
async fn supervised_stdin(supervised: bool) {
    if supervised {
        let (closed, rx) = tokio::sync::oneshot::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("supervisor-pipe".into())
            .spawn(move || {
                use std::io::Read;
                let mut stdin = std::io::stdin().lock();
                let mut buf = [0u8; 64];
                while let Ok(1..) = stdin.read(&mut buf) {
                    api::domain::surveys::sentiment::wake();
                }
                drop(closed);
            });
        match spawned {
            Ok(_) => {
                let _ = rx.await;
                return;
            }
            Err(e) => tracing::error!(error = %e, "cannot watch stdin; polling only"),
        }
    }
    std::future::pending().await
}

/// Prints `LABEL score text` per text (`-` for blank text).
async fn sentiment(args: &SentimentArgs) -> anyhow::Result<()> {
    use api::jobs::sentiment::Scorer as _;
    let scorer = Scorer::start(None).await.map_err(NoModel)?;
    let scores = scorer.score(args.texts.clone()).await?;
    let mut out = std::io::stdout().lock();
    for (text, s) in args.texts.iter().zip(scores) {
        match s {
            Some((label, score)) => writeln!(out, "{label}\t{score:.3}\t{text}")?,
            None => writeln!(out, "-\t-\t{text}")?,
        }
    }
    Ok(())
}
