//! The check and parameter tables in docs/ are generated from the code's tables; this fails when a
//! committed file is stale. `DELIVERY_GUARD_WRITE_DOCS=1` (what `make docs` sets) writes them instead.

use delivery_guard_core::report::catalogue_docs::{
    REQUEST_CONTEXT_MARKERS, checks_markdown, parameters_markdown, request_context_markdown,
};
use std::path::Path;

/// The repository's root.
fn repo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `relative` (from the repository's root) holds `generated`, or is written with it under `make docs`.
fn fresh_at(relative: &str, generated: &str) -> Result<(), String> {
    let path = repo().join(relative);
    if std::env::var_os("DELIVERY_GUARD_WRITE_DOCS").is_some() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        return std::fs::write(&path, generated).map_err(|e| format!("cannot write {}: {e}", path.display()));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == generated {
        Ok(())
    } else {
        Err(format!("{relative} is stale: run `make docs` and commit it"))
    }
}

fn fresh(file: &str, generated: &str) -> Result<(), String> {
    fresh_at(&format!("docs/{file}"), generated)
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

/// The Terraform modules read nothing outside their own folder, so each keeps a copy of the
/// repository's reviewed documents it renders: equal to the source, or `make docs` writes it.
#[test]
fn the_modules_copies_of_the_reviewed_documents_are_current() {
    let mut copies = vec![(
        "terraform/modules/permissions/breaking-calls.json".to_owned(),
        "terraform/modules/alerts/policies/breaking-calls.json".to_owned(),
    )];
    for template in [
        "deny-config-tampering",
        "deny-log-archive-tampering",
        "deny-role-tampering",
        "deny-watchdog-tampering",
        "ownership-tag-policy",
        "rcp-log-archive-perimeter",
    ] {
        copies.push((
            format!("scp-policies/{template}.json"),
            format!("terraform/modules/guardrails/policies/templates/{template}.json"),
        ));
    }
    // The modules that call the permissions catalogue carry it as a submodule.
    for caller in ["audit-role", "rule", "member-stackset"] {
        for file in [
            "main.tf",
            "variables.tf",
            "outputs.tf",
            "versions.tf",
            "breaking-calls.json",
        ] {
            copies.push((
                format!("terraform/modules/permissions/{file}"),
                format!("terraform/modules/{caller}/modules/permissions/{file}"),
            ));
        }
    }
    // The member stack set's regional template renders the alerts module's patterns and policies.
    for file in [
        "main.tf",
        "variables.tf",
        "outputs.tf",
        "versions.tf",
        "breaking-calls.json",
    ] {
        copies.push((
            format!("terraform/modules/alerts/policies/{file}"),
            format!("terraform/modules/member-stackset/modules/alert-policies/{file}"),
        ));
    }
    for (source, copy) in copies {
        let text = std::fs::read_to_string(repo().join(&source)).unwrap();
        fresh_at(&copy, &text).unwrap();
    }
}
