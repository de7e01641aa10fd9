//! The check and parameter tables in docs/ are generated from the code's tables; this fails when a
//! committed file is stale. `DELIVERY_GUARD_WRITE_DOCS=1` (what `make docs` sets) writes them instead.

use delivery_guard_core::report::catalogue_docs::{
    REQUEST_CONTEXT_MARKERS, checks_markdown, parameters_markdown, request_context_markdown,
};
use std::path::Path;

fn fresh(file: &str, generated: &str) -> Result<(), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs")
        .join(file);
    if std::env::var_os("DELIVERY_GUARD_WRITE_DOCS").is_some() {
        return std::fs::write(&path, generated).map_err(|e| format!("cannot write {}: {e}", path.display()));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == generated {
        Ok(())
    } else {
        Err(format!("docs/{file} is stale: run `make docs` and commit it"))
    }
}

#[test]
fn docs_checks_md_is_generated_from_the_catalogue() {
    fresh("checks.md", &checks_markdown()).unwrap();
}

#[test]
fn docs_parameters_md_is_generated_from_the_parameter_table() {
    fresh("parameters.md", &parameters_markdown()).unwrap();
}

#[test]
fn docs_verdicts_md_carries_the_request_context_table_of_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/verdicts.md");
    let committed = std::fs::read_to_string(&path).unwrap();
    let (start, end) = REQUEST_CONTEXT_MARKERS;
    let (before, rest) = committed
        .split_once(start)
        .expect("docs/verdicts.md lacks the start marker");
    let (_, after) = rest
        .split_once(end)
        .expect("docs/verdicts.md lacks the end marker");
    let generated = format!("{before}{start}\n\n{}{end}{after}", request_context_markdown());
    fresh("verdicts.md", &generated).unwrap();
}
