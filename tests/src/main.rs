//! The `loupe` entry point, built inside the test crate so end-to-end tests can start
//! the real server as a process (`CARGO_BIN_EXE_loupe-e2e`).
fn main() -> std::process::ExitCode {
    api::cli::main()
}

/// mimalloc gives freed memory back to the system within moments; with glibc's allocator a
/// burst of large bodies (inflated recording batches) left hundreds of MiB resident long
/// after the load was gone.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
