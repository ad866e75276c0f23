//! Group commit for new responses. Handlers queue checked responses; one writer task
//! takes whatever is queued (up to a batch) and commits it in a single transaction, so
//! durable commits cost one disk flush per batch instead of one per request. A handler
//! answers only after its batch committed.
//!
//! Also a short-lived cache of accepting surveys and their questions, so a submission
//! does not re-read its survey definition from the database every time, and one of any
//! survey with its question rows for the API's `survey(id)` reads. Every change of a
//! survey is announced ([`crate::changes`]), and both caches forget it at once.

use std::sync::Arc;
use std::time::Duration;

use entity::{question, survey};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tokio::sync::{mpsc, oneshot};

use super::answers::Question;
use super::store;
use super::writes::{self, NewResponse};
use crate::cache::Expiring;
use crate::error::{AppError, AppResult};

/// Responses committed together at most.
pub const MAX_BATCH: usize = 256;
/// Group commits in flight at once on PostgreSQL, each on its own connection: while one
/// waits for its flush, the next group is written. SQLite has a single writer anyway.
const POSTGRES_WRITERS: usize = 4;
const QUEUE: usize = 4096;

struct Job {
    row: NewResponse,
    reply: oneshot::Sender<AppResult<i64>>,
}

type Definition = (survey::Model, Arc<Vec<Question>>);

/// A survey of any status and its current question rows, as `survey(id)` reads them.
pub type Stored = Arc<(survey::Model, Vec<question::Model>)>;

/// Entries a cache holds at most (bounded memory).
const CACHE_MAX: usize = 10_000;

pub struct Ingest {
    queue: mpsc::Sender<Job>,
    surveys: Expiring<(i64, i64), Definition>,
    sites: Expiring<i64, entity::site::Model>,
    stored: Expiring<i64, Stored>,
}

impl Ingest {
    /// Starts the writer task on the current runtime. `ttl` bounds how long a survey
    /// definition (status, questions) is reused; changes made through this instance
    /// invalidate it at once.
    pub fn start(db: DatabaseConnection, ttl: Duration) -> Arc<Ingest> {
        let (queue, rx) = mpsc::channel(QUEUE);
        let writers = match db.get_database_backend() {
            sea_orm::DbBackend::Postgres => POSTGRES_WRITERS,
            _ => 1,
        };
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        for _ in 0..writers {
            tokio::spawn(writer(db.clone(), rx.clone()));
        }
        Arc::new(Ingest {
            queue,
            surveys: Expiring::new(ttl, CACHE_MAX),
            sites: Expiring::new(ttl, CACHE_MAX),
            stored: Expiring::new(ttl, CACHE_MAX),
        })
    }

    /// Queues a checked response and waits until it is committed.
    pub async fn write(&self, row: NewResponse) -> AppResult<i64> {
        let (reply, done) = oneshot::channel();
        self.queue
            .send(Job { row, reply })
            .await
            .map_err(|_| AppError::internal(anyhow::anyhow!("response writer stopped")))?;
        done.await
            .map_err(|_| AppError::internal(anyhow::anyhow!("response writer dropped a job")))?
    }

    /// The accepting survey `survey_id` of `site_id` with its current questions.
    pub async fn survey(
        &self,
        db: &DatabaseConnection,
        site_id: i64,
        survey_id: i64,
    ) -> AppResult<(survey::Model, Arc<Vec<Question>>)> {
        self.surveys
            .get_or_load(&(site_id, survey_id), || async {
                let survey = writes::accepting_survey(db, site_id, survey_id).await?;
                let questions = store::questions(db, survey.id)
                    .await?
                    .iter()
                    .map(store::to_question)
                    .collect::<AppResult<Vec<_>>>()?;
                Ok((survey, Arc::new(questions)))
            })
            .await
    }

    /// A site by id for the public endpoints (allowed domains, cool-down), cached like
    /// survey definitions.
    pub async fn site(
        &self,
        db: &DatabaseConnection,
        site_id: i64,
    ) -> AppResult<entity::site::Model> {
        use sea_orm::EntityTrait;
        self.sites
            .get_or_load(&site_id, || async {
                entity::site::Entity::find_by_id(site_id)
                    .one(db)
                    .await?
                    .ok_or(AppError::NotFound)
            })
            .await
    }

    /// Survey `survey_id` of organization `org_id` (any status) with its current question
    /// rows; another organization's survey is `NotFound`, as if it did not exist.
    pub async fn stored(
        &self,
        db: &DatabaseConnection,
        org_id: i64,
        survey_id: i64,
    ) -> AppResult<Stored> {
        let def = self
            .stored
            .get_or_load(&survey_id, || async {
                let survey = store::get(db, org_id, survey_id).await?;
                let questions = store::questions(db, survey.id).await?;
                Ok::<Stored, AppError>(Arc::new((survey, questions)))
            })
            .await?;
        // Loaded by another organization's request, or cached from one.
        if def.0.organization_id == org_id {
            Ok(def)
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Forget a site's cached settings (after it changed).
    pub fn invalidate_site(&self, site_id: i64) {
        self.sites.remove(&site_id);
    }

    /// Forget a survey's cached definition (after it changed).
    pub fn invalidate(&self, survey_id: i64) {
        self.surveys.retain(|(_, id), _| *id != survey_id);
        self.stored.remove(&survey_id);
    }
}

impl crate::changes::Forget for Ingest {
    fn forget(&self, change: crate::changes::Change) {
        use crate::changes::Change;
        match change {
            Change::Site(id) => self.invalidate_site(id),
            Change::Survey(id) => self.invalidate(id),
            Change::Key(_) | Change::Organization(_) => {}
        }
    }

    fn forget_all(&self) {
        self.surveys.clear();
        self.sites.clear();
        self.stored.clear();
    }
}

/// One writer: takes what is queued (up to a batch) while no other writer is taking,
/// then commits it. New responses are independent rows (completions of partial responses
/// do not come through here), so groups may commit in any order.
async fn writer(db: DatabaseConnection, rx: Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>) {
    let mut jobs: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    loop {
        {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else { return };
            jobs.push(first);
            while jobs.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
        }
        let _turn = crate::db::group_writer_turn(&db).await;
        crate::domain::webhooks::outbox::note_commit(jobs.len());
        let rows: Vec<&NewResponse> = jobs.iter().map(|j| &j.row).collect();
        match writes::write_batch(&db, &rows).await {
            Ok(ids) => {
                for (job, id) in jobs.drain(..).zip(ids) {
                    let _ = job.reply.send(Ok(id));
                }
            }
            Err(e) if jobs.len() == 1 => {
                if let Some(job) = jobs.pop() {
                    let _ = job.reply.send(Err(e));
                }
            }
            Err(e) => {
                // One bad row must not fail its neighbours: write each on its own.
                e.log_if_internal();
                for job in jobs.drain(..) {
                    let result = writes::write_batch(&db, &[&job.row]).await.and_then(|ids| {
                        ids.into_iter()
                            .next()
                            .ok_or_else(|| AppError::internal(anyhow::anyhow!("no id written")))
                    });
                    let _ = job.reply.send(result);
                }
            }
        }
    }
}
