//! Rights and retention: GDPR lookup and deletion, purges, the audit log. (What is
//! derived from a request and scrubbed before storage is the visitor's side:
//! `domain::visitor`.)

pub mod audit;
pub mod gdpr;
pub mod purge;
