//! DataLoaders: a relation that a list can ask for is loaded once for the whole list (one
//! batched query), never once per item. Keys carry the site, and the objects holding them
//! were already checked against the caller's organization.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use serde_json::Value;

use crate::domain::segments;

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
            let users = segments::users_of_visitors(&self.db, site, &visitors).await?;
            out.extend(users.into_iter().map(|(v, user)| ((site, v), user)));
        }
        Ok(out)
    }
}
