//! Rights and retention: GDPR lookup and deletion, purges and the retention sweep (each
//! written to the audit log, `domain::audit`). What is derived from a request and scrubbed
//! before storage is the visitor's side: `domain::visitor`.

pub mod gdpr;
pub mod purge;
