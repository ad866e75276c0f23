//! Business rules, shared by GraphQL resolvers, HTTP handlers and the CLI. Nothing here
//! knows about actix-web or async-graphql.

pub mod api_keys;
pub mod bootstrap;
pub mod organizations;
pub mod pagination;
pub mod sites;
pub mod validation;
