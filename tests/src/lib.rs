//! Helpers the end-to-end tests share that are worth unit tests of their own.

pub mod json_schema;
