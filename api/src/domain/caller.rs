//! Who may do what: every permission rule — the role an action needs and the plan a
//! feature needs — in one table, checked by GraphQL resolvers, REST handlers and domain
//! functions alike. Roles are ordered READ < WRITE < ADMIN.

use entity::api_key::Role;
use entity::organization::{self, Plan};

use crate::auth::Principal;
use crate::error::AppResult;

/// Something a caller does that not every role may do. Reading needs no check beyond
/// being a caller of the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Create sites and change their settings (domains, Identify, the tag, privacy).
    ManageSites,
    /// Create and revoke API keys, accept the data-processing agreement.
    ManageOrganization,
    /// Create, change, duplicate and (de)activate surveys and polls.
    AuthorSurveys,
    /// Create, change and delete segments.
    ManageSegments,
    /// Tag and untag survey responses.
    TagResponses,
    /// Delete recordings.
    DeleteRecordings,
    /// Look up, export and delete a person's data; purge URLs and time ranges.
    HandlePersonalData,
    /// Add, change and delete webhook endpoints, rotate their secrets, (re)send events.
    ManageWebhooks,
}

impl Action {
    /// The least role that may do it.
    pub fn role(self) -> Role {
        match self {
            Action::AuthorSurveys | Action::ManageSegments | Action::TagResponses => Role::Write,
            Action::ManageSites
            | Action::ManageOrganization
            | Action::DeleteRecordings
            | Action::HandlePersonalData
            | Action::ManageWebhooks => Role::Admin,
        }
    }
}

/// A feature that only some plans include.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    IdentifyApi,
    Sentiment,
    ResponseExport,
    PersonalData,
}

impl Feature {
    /// The plans that include it, and its name in the error.
    pub fn plans(self) -> (&'static [Plan], &'static str) {
        match self {
            Feature::IdentifyApi => (&[Plan::Business, Plan::Scale], "the Identify API"),
            Feature::Sentiment => (&[Plan::Scale], "Sentiment analysis"),
            Feature::ResponseExport => (&[Plan::Scale], "Response export"),
            Feature::PersonalData => (&[Plan::Scale], "personal data lookup and deletion"),
        }
    }
}

/// `FORBIDDEN` unless the caller's role may do `action`.
pub fn may(caller: &Principal, action: Action) -> AppResult<()> {
    caller.require(action.role())
}

/// `PLAN_REQUIRED` unless the organization's plan includes `feature`.
pub fn has(org: &organization::Model, feature: Feature) -> AppResult<()> {
    let (plans, name) = feature.plans();
    super::organizations::require_plan(org, plans, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table() {
        assert_eq!(Action::AuthorSurveys.role(), Role::Write);
        assert_eq!(Action::ManageSegments.role(), Role::Write);
        assert_eq!(Action::TagResponses.role(), Role::Write);
        for a in [
            Action::ManageSites,
            Action::ManageOrganization,
            Action::DeleteRecordings,
            Action::HandlePersonalData,
            Action::ManageWebhooks,
        ] {
            assert_eq!(a.role(), Role::Admin, "{a:?}");
        }
        assert_eq!(Feature::Sentiment.plans().0, &[Plan::Scale]);
        assert_eq!(
            Feature::IdentifyApi.plans().0,
            &[Plan::Business, Plan::Scale]
        );
    }
}
