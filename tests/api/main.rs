//! End-to-end tests: the real server over HTTP, a fresh database per test.
//! SQLite by default; PostgreSQL when `TEST_DATABASE_URL` is set.
#![allow(clippy::expect_used)] // tests: a failed expectation is the report

mod helpers;
mod s3;

mod accounts;
mod admin_cli;
mod bootstrap;
mod browser;
mod browser_tag;
mod chunk_store;
mod cluster_chunks;
mod cluster_haproxy;
mod cluster_redis;
mod cluster_start;
mod console;
mod graphql_http;
mod heatmaps;
mod heatmaps_tag;
mod oauth;
mod ops;
mod privacy;
mod queries;
mod rate_limit;
mod recordings;
mod reliability;
mod response_links;
mod response_tags;
mod rest;
mod roles;
mod segments;
mod segments_property;
mod sentiment;
mod sites;
mod summary_facts;
mod surveys;
mod tag;
mod tenancy;
mod tokens;
mod webhooks;
mod widgets;
