//! The `loupe-sentiment` entry point, built inside the test crate beside `loupe-e2e`, which
//! starts it as its sentiment worker (the one binary of this crate that links libtorch).
fn main() -> std::process::ExitCode {
    sentiment_worker::main()
}
