//! The `loupe` entry point, built inside the test crate so end-to-end tests can start
//! the real server as a process (`CARGO_BIN_EXE_loupe-e2e`).
fn main() -> std::process::ExitCode {
    api::cli::main()
}
