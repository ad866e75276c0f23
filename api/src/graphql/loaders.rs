//! DataLoaders: a relation that a list can ask for is loaded once for the whole list (one
//! batched query), never once per item. Keys carry the site, and the objects holding them
//! were already checked against the caller's organization.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use serde_json::Value;

use crate::domain::pagination::{Page, PageArgs};
use crate::domain::people;
use crate::domain::surveys::responses::{self, ResponseView};
use crate::domain::surveys::store;

/// The identified user behind a site's visitor: `(user id, attributes)`.
pub struct UserOfVisitor {
    pub db: DatabaseConnection,
}

impl Loader<(i64, String)> for UserOfVisitor {
    type Value = (String, Value);
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[(i64, String)],
    ) -> Result<HashMap<(i64, String), Self::Value>, Self::Error> {
        let mut by_site: HashMap<i64, Vec<String>> = HashMap::new();
        for (site, visitor) in keys {
            by_site.entry(*site).or_default().push(visitor.clone());
        }
        let mut out = HashMap::with_capacity(keys.len());
        for (site, visitors) in by_site {
            let users = people::users_of_visitors(&self.db, site, &visitors).await?;
            out.extend(users.into_iter().map(|(v, user)| ((site, v), user)));
        }
        Ok(out)
    }
}

/// One page of responses per identified person: `(site, profile, first, after)`. Keys of
/// one list share `first` and `after`, so a list of users costs one batch.
pub struct ResponsesOfProfile {
    pub db: DatabaseConnection,
}

pub type ProfilePageKey = (i64, i64, u64, Option<i64>);

impl Loader<ProfilePageKey> for ResponsesOfProfile {
    type Value = std::sync::Arc<Page<ResponseView>>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[ProfilePageKey],
    ) -> Result<HashMap<ProfilePageKey, Self::Value>, Self::Error> {
        let mut groups: HashMap<(i64, u64, Option<i64>), Vec<i64>> = HashMap::new();
        for (site, profile, first, after) in keys {
            groups
                .entry((*site, *first, *after))
                .or_default()
                .push(*profile);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for ((site, first, after), profiles) in groups {
            let pages =
                responses::of_profiles(&self.db, site, &profiles, PageArgs { first, after })
                    .await?;
            for (profile, page) in pages {
                out.insert((site, profile, first, after), std::sync::Arc::new(page));
            }
        }
        Ok(out)
    }
}

/// A survey's current questions, in order (the survey was checked by its holder).
pub struct QuestionsOfSurvey {
    pub db: DatabaseConnection,
}

impl Loader<i64> for QuestionsOfSurvey {
    type Value = std::sync::Arc<Vec<entity::question::Model>>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let mut by_survey: HashMap<i64, Vec<entity::question::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for q in store::questions_of(&self.db, keys).await? {
            by_survey.entry(q.survey_id).or_default().push(q);
        }
        Ok(by_survey
            .into_iter()
            .map(|(k, qs)| (k, std::sync::Arc::new(qs)))
            .collect())
    }
}

/// The recording of a site's session: `(site, session id)` → the recording, so a page of
/// responses asking for `recording` costs one query per site.
pub struct RecordingOfSession {
    pub db: DatabaseConnection,
}

impl Loader<(i64, String)> for RecordingOfSession {
    type Value = entity::recording::Model;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[(i64, String)],
    ) -> Result<HashMap<(i64, String), Self::Value>, Self::Error> {
        let mut by_site: HashMap<i64, Vec<String>> = HashMap::new();
        for (site, session) in keys {
            by_site.entry(*site).or_default().push(session.clone());
        }
        let mut out = HashMap::with_capacity(keys.len());
        for (site, sessions) in by_site {
            let found = crate::domain::recordings::of_sessions(&self.db, site, &sessions).await?;
            out.extend(found.into_iter().map(|(s, r)| ((site, s), r)));
        }
        Ok(out)
    }
}

/// A response's tags, alphabetically (responses were checked by their holder).
pub struct TagsOfResponse {
    pub db: DatabaseConnection,
}

impl Loader<i64> for TagsOfResponse {
    type Value = Vec<String>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        Ok(crate::domain::surveys::tags::of_responses(&self.db, keys).await?)
    }
}

/// Responses per survey, all and complete: `survey id` → `(responses, complete)`, one
/// grouped query for a whole list of surveys.
pub struct ResponseCountsOfSurvey {
    pub db: DatabaseConnection,
}

impl Loader<i64> for ResponseCountsOfSurvey {
    type Value = (i64, i64);
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        Ok(responses::counts_of(&self.db, keys).await?)
    }
}
