//! sea-orm entities, one file per table. Domain rules live in `api::domain`, not here.

pub mod account;
pub mod account_session;
pub mod answer;
pub mod answer_choice;
pub mod api_key;
pub mod audit_log;
pub mod heatmap_cell;
pub mod heatmap_element;
pub mod heatmap_page;
pub mod heatmap_recording;
pub mod invite;
pub mod membership;
pub mod organization;
pub mod question;
pub mod recording;
pub mod recording_chunk;
pub mod response;
pub mod response_tag;
pub mod segment;
pub mod sentiment_job;
pub mod site;
pub mod site_user;
pub mod survey;
pub mod survey_display;
pub mod user_attribute;
pub mod user_attribute_def;
pub mod visitor_link;
pub mod webhook_delivery;
pub mod webhook_endpoint;
pub mod webhook_event;

pub mod prelude {
    pub use super::answer::Entity as Answer;
    pub use super::answer_choice::Entity as AnswerChoice;
    pub use super::api_key::Entity as ApiKey;
    pub use super::organization::Entity as Organization;
    pub use super::question::Entity as Question;
    pub use super::response::Entity as Response;
    pub use super::site::Entity as Site;
    pub use super::survey::Entity as Survey;
}
