//! Embeds libtorch's folder as an rpath so sentiment's binaries and tests find libtorch_cpu.so
//! without LD_LIBRARY_PATH. Crates whose binaries link this one need the same line (see lib.rs).
pub fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    if let Ok(libtorch) = std::env::var("LIBTORCH") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{libtorch}/lib");
    }
}
