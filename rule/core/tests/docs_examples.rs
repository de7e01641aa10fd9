//! The examples the docs show are run, so they stay true.

use delivery_guard_core::policy::decision_file::{decide_file, render_table};
use std::path::Path;

#[test]
fn docs_decide_example_holds_and_prints_what_docs_decide_md_shows() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
    let cases = std::fs::read_to_string(docs.join("examples/decide-cases.json")).unwrap();
    let outcomes = decide_file(&cases).unwrap();
    assert_eq!(outcomes.len(), 5);
    assert!(outcomes.iter().all(|o| o.holds));
    let page = std::fs::read_to_string(docs.join("decide.md")).unwrap();
    assert!(
        page.contains(&render_table(&outcomes)),
        "docs/decide.md shows other output"
    );
}
