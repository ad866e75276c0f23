fn main() -> std::process::ExitCode {
    api::cli::main()
}

/// mimalloc gives freed memory back to the system within moments; with glibc's allocator a
/// burst of large bodies (inflated recording batches) left hundreds of MiB resident long
/// after the load was gone.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
