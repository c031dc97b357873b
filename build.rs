//! Records the target triple, so that `kubecred --version` names the exact build
//! (`x86_64-unknown-linux-musl`, `aarch64-unknown-linux-musl`, ...).

fn main() {
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=KUBECRED_TARGET={target}");
    println!("cargo:rerun-if-changed=build.rs");
}
