//! libtorch's rpath for `loupe-sentiment-e2e`, which links the sentiment crate (sentiment/build.rs),
//! and whether the browser test can run here: without Chromium and the npm packages it is
//! compiled as ignored, so the run's summary counts it as skipped (with the reason) instead
//! of a pass. Under CI=true it always runs, and fails if something is missing. Likewise
//! the webhook tests and their receiver's npm packages (tests/webhooks), and the Redis
//! cluster tests (`redis-server` and `redis-cli`) and the rolling restart (`haproxy`).
#[path = "../sentiment/build.rs"]
mod rpath;

fn main() {
    rpath::main();
    println!("cargo::rustc-check-cfg=cfg(browser_ready)");
    println!("cargo::rustc-check-cfg=cfg(webhooks_ready)");
    println!("cargo::rustc-check-cfg=cfg(redis_ready)");
    println!("cargo::rustc-check-cfg=cfg(haproxy_ready)");
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-changed=webhooks/node_modules");
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rerun-if-env-changed=CHROMIUM");
    println!("cargo:rerun-if-changed=browser/node_modules");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = std::path::Path::new("browser/node_modules/playwright-core").exists()
        && std::path::Path::new("browser/node_modules/@rrweb/record").exists()
        && std::path::Path::new("browser/node_modules/axe-core").exists()
        && std::path::Path::new(&chromium).exists();
    let ci = std::env::var("CI").as_deref() == Ok("true");
    if ready || ci {
        println!("cargo:rustc-cfg=browser_ready");
    }
    // The webhook tests' receiver verifies signatures with npm's `standardwebhooks`.
    if ci || std::path::Path::new("webhooks/node_modules/standardwebhooks").exists() {
        println!("cargo:rustc-cfg=webhooks_ready");
    }
    // The cluster tests start their own redis-server (Debian's `redis-server` package).
    let on_path = |bin: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()))
    };
    if ci || (on_path("redis-server") && on_path("redis-cli")) {
        println!("cargo:rustc-cfg=redis_ready");
    }
    // The rolling-restart test puts the nodes behind Debian's `haproxy`.
    if ci || on_path("haproxy") || std::path::Path::new("/usr/sbin/haproxy").is_file() {
        println!("cargo:rustc-cfg=haproxy_ready");
    }
}
