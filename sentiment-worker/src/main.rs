fn main() -> std::process::ExitCode {
    sentiment_worker::main()
}
