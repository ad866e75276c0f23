//! `loupe serve`'s sentiment worker: the `loupe-sentiment` binary as a supervised child.
//!
//! The model and libtorch (about 100 MB mapped and allocated as soon as libtorch loads) stay
//! out of the server process. The child is started when the first job is waiting, so a server
//! that never scores never pays for the model; it is restarted with backoff if it dies, and
//! stopped with the server.
//!
//! The child's stdin is the only channel: the server writes a byte whenever it queues jobs
//! (the child wakes at once instead of at its next poll), and the child exits when stdin
//! closes, which also happens when the server is killed, so no worker outlives its server.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;

use crate::domain::surveys::sentiment;

/// The exit status with which the worker says its model cannot be loaded (`EX_CONFIG`):
/// restarting would not help, answers stay queued until an operator fixes it.
pub const EXIT_NO_MODEL: i32 = 78;

/// The first pause before a restart; it doubles after each early exit, up to [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// A child that ran this long before it died starts again after [`MIN_BACKOFF`].
const HEALTHY_RUN: Duration = Duration::from_secs(60);
/// How long a stopping child may take to finish its round before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// The worker binary that goes with the running one: `configured`, else the file beside this
/// executable named like it with `-sentiment` after `loupe` (`loupe` → `loupe-sentiment`;
/// the test build's `loupe-e2e` → `loupe-sentiment-e2e`).
pub fn program(configured: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(p) = configured.filter(|p| !p.as_os_str().is_empty()) {
        return Ok(p.to_path_buf());
    }
    let exe = std::env::current_exe()?;
    Ok(sibling(&exe))
}

fn sibling(exe: &Path) -> PathBuf {
    let name = exe.file_name().and_then(|n| n.to_str()).unwrap_or("loupe");
    let suffix = name.strip_prefix("loupe").unwrap_or("");
    exe.with_file_name(format!("loupe-sentiment{suffix}"))
}

/// How to start the child.
#[derive(Debug, Clone)]
pub struct Spec {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
}

/// The running supervisor; [`Supervisor::stop`] stops the child (dropping it does too).
pub struct Supervisor {
    stop: watch::Sender<bool>,
    done: tokio::task::JoinHandle<()>,
}

impl Supervisor {
    /// Supervises `spec` for the life of the server, starting it once jobs are waiting
    /// (polled every `poll`, or at once when this process queues jobs).
    pub fn start(db: DatabaseConnection, spec: Spec, poll: Duration) -> Supervisor {
        let (stop, stopped) = watch::channel(false);
        let done = tokio::spawn(supervise(db, spec, poll, stopped));
        Supervisor { stop, done }
    }

    /// Closes the child's stdin, waits for it to finish its round (a few seconds at most),
    /// then kills it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.done.await;
    }
}

async fn supervise(
    db: DatabaseConnection,
    spec: Spec,
    poll: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let mut backoff = MIN_BACKOFF;
    loop {
        // Until there is work, the model is not worth its memory.
        loop {
            match sentiment::pending(&db).await {
                Ok(0) => {}
                Ok(_) => break,
                Err(e) => e.log_if_internal(),
            }
            tokio::select! {
                () = sentiment::wait(poll) => {}
                _ = stop.changed() => return,
            }
        }
        let started = Instant::now();
        match run_once(&spec, &mut stop).await {
            Ended::Stopped => return,
            Ended::NoModel => {
                tracing::error!(
                    program = %spec.program.display(),
                    "the sentiment worker could not load its model: answers stay queued (see LOUPE_SENTIMENT_MODEL)"
                );
                return;
            }
            Ended::Exited(status) => tracing::error!(
                program = %spec.program.display(),
                %status,
                "the sentiment worker stopped; restarting it"
            ),
            Ended::NotStarted(e) => tracing::error!(
                program = %spec.program.display(),
                error = %e,
                "the sentiment worker could not be started (set LOUPE_SENTIMENT_BIN, or \
                 LOUPE_SENTIMENT_WORKER=false where workers run separately); answers stay queued"
            ),
        }
        if started.elapsed() >= HEALTHY_RUN {
            backoff = MIN_BACKOFF;
        }
        tokio::select! {
            () = tokio::time::sleep(backoff) => {}
            _ = stop.changed() => return,
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

enum Ended {
    Stopped,
    NoModel,
    Exited(std::process::ExitStatus),
    NotStarted(std::io::Error),
}

async fn run_once(spec: &Spec, stop: &mut watch::Receiver<bool>) -> Ended {
    let mut cmd = tokio::process::Command::new(&spec.program);
    cmd.args(&spec.args)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .kill_on_drop(true);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Ended::NotStarted(e),
    };
    tracing::info!(pid = child.id(), "sentiment worker started");
    let mut stdin = child.stdin.take();
    loop {
        tokio::select! {
            status = child.wait() => {
                return match status {
                    Ok(s) if s.code() == Some(EXIT_NO_MODEL) => Ended::NoModel,
                    Ok(s) => Ended::Exited(s),
                    Err(e) => Ended::NotStarted(e),
                };
            }
            // Jobs queued by this process: wake the child now.
            () = sentiment::wait(Duration::from_secs(3600)) => {
                if let Some(pipe) = stdin.as_mut() {
                    // A child too busy to read finds the wake-ups already in its pipe.
                    let _ = tokio::time::timeout(Duration::from_secs(1), pipe.write_all(b"\n")).await;
                }
            }
            _ = stop.changed() => {
                drop(stdin.take());
                if tokio::time::timeout(STOP_GRACE, child.wait()).await.is_err() {
                    let _ = child.kill().await;
                }
                return Ended::Stopped;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_binary_is_named_after_the_running_one() {
        for (exe, worker) in [
            ("/opt/loupe/bin/loupe", "/opt/loupe/bin/loupe-sentiment"),
            ("/t/debug/loupe-e2e", "/t/debug/loupe-sentiment-e2e"),
            ("/usr/bin/other", "/usr/bin/loupe-sentiment"),
        ] {
            assert_eq!(sibling(Path::new(exe)), PathBuf::from(worker), "{exe}");
        }
    }

    #[test]
    fn a_configured_program_wins() -> anyhow::Result<()> {
        assert_eq!(
            program(Some(Path::new("/x/worker")))?,
            PathBuf::from("/x/worker")
        );
        Ok(())
    }
}
