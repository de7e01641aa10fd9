//! Release binaries are linked as position-dependent executables (`-no-pie`).
//!
//! A PIE is relocated by the dynamic loader at every start: 39,217 relative relocations for
//! `bootstrap`, each a write into `.data.rel.ro` (vtables, the SDK's static tables), so the loader
//! reads 0.9 MB of relocation entries and copies every page it writes. That was about a quarter
//! of the Lambda's cold start (docs/benchmarks.md). Linked at a fixed address, the linker resolves
//! the pointers and the section is a read-only file mapping like `.rodata`. Heap, stack and shared
//! libraries are still randomized; the code is compiled position-independent as before, so only
//! the link changes. Debug and test builds keep the default.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let release = std::env::var("PROFILE").is_ok_and(|profile| profile == "release");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if release && linux {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
