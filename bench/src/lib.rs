//! Shared pieces of the benchmarks: the segment rules and visitor profiles that the
//! in-memory bench (`benches/segment_eval.rs`), the allocation test (`tests/no_alloc.rs`)
//! and the SQL bench (`src/segment_sql.rs`) all use, so their figures are about the same
//! rules and the same data.

pub mod rrweb_fixtures;
pub mod segment_fixtures;
