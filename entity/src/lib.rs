//! sea-orm entities, one file per table. Domain rules live in `api::domain`, not here.

pub mod api_key;
pub mod organization;
pub mod site;

pub mod prelude {
    pub use super::api_key::Entity as ApiKey;
    pub use super::organization::Entity as Organization;
    pub use super::site::Entity as Site;
}
