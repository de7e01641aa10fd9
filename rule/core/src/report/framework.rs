//! A saved scan seen through one compliance framework: for each of its controls the catalogue maps
//! checks to, the accounts and account-Regions passing, failing and not evaluated
//! (`delivery-guard report --framework`), in Markdown or as one HTML page.
//!
//! A control passes in an account-Region only when a mapped check passed on read evidence and no
//! other mapped check failed or went unread: absence is not a pass.

use crate::checks::requirements::{Framework, controls};
use crate::checks::{CheckId, NotEvaluated, Outcome};
use crate::report::html::{STYLE, escape};
use crate::report::saved::ScanInfo;
use crate::verdict::{AccountVerdict, RegionVerdict};
use std::fmt::Write as _;

/// One control's result in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ControlOutcome {
    /// A mapped check passed on read evidence, and none failed or went unread.
    Passing,
    /// A mapped check failed.
    Failing,
    /// No mapped check failed, but one was not evaluated (or none passed).
    NotEvaluated,
}

/// Places counted by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Passing.
    pub passing: usize,
    /// Failing.
    pub failing: usize,
    /// Not evaluated.
    pub not_evaluated: usize,
}

impl Tally {
    fn add(&mut self, outcome: ControlOutcome) {
        match outcome {
            ControlOutcome::Passing => self.passing += 1,
            ControlOutcome::Failing => self.failing += 1,
            ControlOutcome::NotEvaluated => self.not_evaluated += 1,
        }
    }
}

/// An account that does not pass a control, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// The account, with its name when known.
    pub account: String,
    /// Failing or not evaluated.
    pub outcome: ControlOutcome,
    /// The Regions and checks behind it (`eu-west-1: bucket.policy-denies-delivery`).
    pub why: Vec<String>,
}

/// One control of the framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlView {
    /// The control (`3.3`, `AU-9`).
    pub control: &'static str,
    /// The checks mapped to it, in catalogue order.
    pub checks: Vec<CheckId>,
    /// Accounts: failing if any Region fails, not evaluated if any is, else passing.
    pub accounts: Tally,
    /// Account-Regions.
    pub regions: Tally,
    /// The accounts that do not pass, failing first.
    pub exceptions: Vec<Exception>,
}

/// Every control of `framework` the catalogue maps, over the scan's accounts.
pub fn framework_view(framework: Framework, accounts: &[AccountVerdict]) -> Vec<ControlView> {
    controls(framework)
        .into_iter()
        .map(|(control, checks)| {
            let mut view = ControlView {
                control,
                checks: checks.clone(),
                accounts: Tally::default(),
                regions: Tally::default(),
                exceptions: Vec::new(),
            };
            for account in accounts {
                let mut worst = ControlOutcome::Passing;
                let mut held_back = HeldBack::default();
                for region in &account.regions {
                    let outcome = region_outcome(region, &checks, &mut held_back);
                    view.regions.add(outcome);
                    worst = worst.max(outcome);
                }
                let mut why = held_back.lines(worst);
                if account.regions.is_empty() {
                    worst = ControlOutcome::NotEvaluated;
                    why.push("no Region judged".to_owned());
                }
                view.accounts.add(worst);
                if worst != ControlOutcome::Passing {
                    view.exceptions.push(Exception {
                        account: account_label(account),
                        outcome: worst,
                        why,
                    });
                }
            }
            view.exceptions
                .sort_by_key(|e| e.outcome == ControlOutcome::NotEvaluated);
            view
        })
        .collect()
}

/// What kept a control from passing in one account, gathered over its Regions so that one reason
/// shared by many checks and Regions is said once.
#[derive(Default)]
struct HeldBack {
    /// Each failed check, with its Regions.
    failed: Vec<(CheckId, Vec<String>)>,
    /// Each reason a check was not evaluated, with the checks and Regions it covers.
    unread: Vec<(String, Vec<CheckId>, Vec<String>)>,
}

impl HeldBack {
    fn failed(&mut self, check: CheckId, region: &str) {
        match self.failed.iter_mut().find(|(c, _)| *c == check) {
            Some((_, regions)) => push_new(regions, region.to_owned()),
            None => self.failed.push((check, vec![region.to_owned()])),
        }
    }

    fn unread(&mut self, check: Option<CheckId>, why: String, region: &str) {
        let at = match self.unread.iter().position(|(w, _, _)| *w == why) {
            Some(at) => at,
            None => {
                self.unread.push((why, Vec::new(), Vec::new()));
                self.unread.len() - 1
            }
        };
        if let Some((_, checks, regions)) = self.unread.get_mut(at) {
            if let Some(check) = check {
                push_new(checks, check);
            }
            push_new(regions, region.to_owned());
        }
    }

    /// Failing: the failed checks; not evaluated: the reasons.
    fn lines(&self, outcome: ControlOutcome) -> Vec<String> {
        match outcome {
            ControlOutcome::Passing => Vec::new(),
            ControlOutcome::Failing => self
                .failed
                .iter()
                .map(|(check, regions)| format!("{} ({})", check.id(), regions.join(", ")))
                .collect(),
            ControlOutcome::NotEvaluated => self
                .unread
                .iter()
                .map(|(why, checks, regions)| {
                    let what = match checks.as_slice() {
                        [] => "no mapped check".to_owned(),
                        [one] => one.id().to_owned(),
                        many => format!("{} checks", many.len()),
                    };
                    format!("{what} not evaluated in {}: {why}", regions.join(", "))
                })
                .collect(),
        }
    }
}

fn push_new<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The control's outcome in one account-Region; what held it back goes to `held_back`.
fn region_outcome(region: &RegionVerdict, checks: &[CheckId], held_back: &mut HeldBack) -> ControlOutcome {
    let mut failed = false;
    let mut unread = false;
    let mut passed_any = false;
    for &check in checks {
        match region.outcomes.of(check, &region.findings) {
            Outcome::Passed(_) => passed_any = true,
            Outcome::Failed => {
                failed = true;
                held_back.failed(check, &region.region);
            }
            Outcome::NotEvaluated(why) if !does_not_apply(&why) => {
                unread = true;
                held_back.unread(Some(check), why.to_string(), &region.region);
            }
            Outcome::NotEvaluated(_) => {}
        }
    }
    if failed {
        ControlOutcome::Failing
    } else if unread {
        ControlOutcome::NotEvaluated
    } else if passed_any {
        ControlOutcome::Passing
    } else {
        held_back.unread(None, "none applies in this mode".to_owned(), &region.region);
        ControlOutcome::NotEvaluated
    }
}

/// A check this invocation does not look at neither passes nor holds the control back. A saved
/// scan reads it back as unread with its reason, which still says so.
fn does_not_apply(why: &NotEvaluated) -> bool {
    match why {
        NotEvaluated::NotApplicable(_) => true,
        NotEvaluated::Unread(text) => text.starts_with("not applicable: "),
        NotEvaluated::Incomplete(_) | NotEvaluated::Moot(_) | NotEvaluated::NotRun => false,
    }
}

fn account_label(account: &AccountVerdict) -> String {
    if account.account.name.is_empty() {
        account.account.id.clone()
    } else {
        format!("{} ({})", account.account.id, account.account.name)
    }
}

fn sources(checks: &[CheckId], framework: Framework, control: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for check in checks {
        for requirement in check.requirements() {
            if requirement.framework != framework || requirement.control != control {
                continue;
            }
            let line = requirement.source.describe();
            if !out.contains(&line) {
                out.push(line);
            }
        }
    }
    out
}

fn scan_line(scan: Option<&ScanInfo>) -> String {
    scan.map_or_else(String::new, |scan| {
        format!(
            "Scan of {} ({}), {}, {} {}.",
            scan.organization_id
                .as_deref()
                .unwrap_or("accounts outside an Organization"),
            scan.scope,
            scan.generated,
            scan.tool,
            scan.version
        )
    })
}

const LEGEND: &str = "A control passes in an account-Region when a mapped check passed on evidence that was read and none failed or went unread; an account passes when every Region does. Mappings marked ours are this tool's, with the reason; published ones come from Security Hub's Config.1.";

/// The view as Markdown.
pub fn framework_markdown(framework: Framework, scan: Option<&ScanInfo>, view: &[ControlView]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: AWS Config delivery evidence\n", framework.title());
    let line = scan_line(scan);
    if !line.is_empty() {
        let _ = writeln!(out, "{line}\n");
    }
    let _ = writeln!(out, "{LEGEND}\n");
    out.push_str(
        "| control | accounts passing | failing | not evaluated | account-Regions passing | failing | not evaluated |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for control in view {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            control.control,
            control.accounts.passing,
            control.accounts.failing,
            control.accounts.not_evaluated,
            control.regions.passing,
            control.regions.failing,
            control.regions.not_evaluated
        );
    }
    for control in view {
        let _ = writeln!(out, "\n## {}\n", control.control);
        let checks: Vec<String> = control.checks.iter().map(|c| format!("`{}`", c.id())).collect();
        let _ = writeln!(out, "Checks: {}.\n", checks.join(", "));
        for source in sources(&control.checks, framework, control.control) {
            let _ = writeln!(out, "- {source}");
        }
        if control.exceptions.is_empty() {
            out.push_str("\nEvery account passes.\n");
            continue;
        }
        out.push_str("\n| account | outcome | why |\n| --- | --- | --- |\n");
        for exception in &control.exceptions {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                exception.account,
                outcome_name(exception.outcome),
                exception.why.join("; ").replace('|', "\\|")
            );
        }
    }
    out
}

/// The view as one self-contained HTML page (the scan report's style, no script).
pub fn framework_html(framework: Framework, scan: Option<&ScanInfo>, view: &[ControlView]) -> String {
    let mut page = String::with_capacity(4096);
    let title = escape(framework.title());
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}: AWS Config delivery evidence</title><style>{STYLE}</style></head><body class=\"framework-page\">\n\
<header><h1>{title}: AWS Config delivery evidence</h1><p class=\"scan\">{}</p><p>{}</p></header>\n<main>\n",
        escape(&scan_line(scan)),
        escape(LEGEND)
    );
    page.push_str(
        "<table class=\"framework\"><thead><tr><th scope=\"col\">control</th>\
<th scope=\"col\">accounts passing</th><th scope=\"col\">failing</th><th scope=\"col\">not evaluated</th>\
<th scope=\"col\">account-Regions passing</th><th scope=\"col\">failing</th><th scope=\"col\">not evaluated</th></tr></thead><tbody>\n",
    );
    for control in view {
        let _ = writeln!(
            page,
            "<tr><th scope=\"row\"><a href=\"#control-{id}\">{control}</a></th><td class=\"compliant\">{}</td><td class=\"failing\">{}</td><td class=\"unverified\">{}</td>\
<td class=\"compliant\">{}</td><td class=\"failing\">{}</td><td class=\"unverified\">{}</td></tr>",
            control.accounts.passing,
            control.accounts.failing,
            control.accounts.not_evaluated,
            control.regions.passing,
            control.regions.failing,
            control.regions.not_evaluated,
            id = anchor(control.control),
            control = escape(control.control),
        );
    }
    page.push_str("</tbody></table>\n");
    for control in view {
        let _ = write!(
            page,
            "<section id=\"control-{}\"><h2>{}</h2><p>Checks: {}</p><ul>",
            anchor(control.control),
            escape(control.control),
            control
                .checks
                .iter()
                .map(|c| format!("<code>{}</code>", escape(c.id())))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for source in sources(&control.checks, framework, control.control) {
            let _ = write!(page, "<li>{}</li>", escape(&source));
        }
        page.push_str("</ul>");
        if control.exceptions.is_empty() {
            page.push_str("<p class=\"compliant\">Every account passes.</p></section>\n");
            continue;
        }
        page.push_str("<table><thead><tr><th scope=\"col\">account</th><th scope=\"col\">outcome</th><th scope=\"col\">why</th></tr></thead><tbody>");
        for exception in &control.exceptions {
            let class = match exception.outcome {
                ControlOutcome::Failing => "failing",
                ControlOutcome::NotEvaluated | ControlOutcome::Passing => "unverified",
            };
            let _ = write!(
                page,
                "<tr><td>{}</td><td class=\"{class}\">{}</td><td>{}</td></tr>",
                escape(&exception.account),
                outcome_name(exception.outcome),
                escape(&exception.why.join("; "))
            );
        }
        page.push_str("</tbody></table></section>\n");
    }
    page.push_str("</main></body></html>\n");
    page
}

const fn outcome_name(outcome: ControlOutcome) -> &'static str {
    match outcome {
        ControlOutcome::Passing => "passing",
        ControlOutcome::Failing => "failing",
        ControlOutcome::NotEvaluated => "not evaluated",
    }
}

fn anchor(control: &str) -> String {
    control
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{Finding, NotEvaluated, Outcomes};
    use crate::snapshot::OrgAccount;
    use crate::timestamp::Timestamp;

    fn region(account: &str, name: &str, findings: Vec<Finding>, outcomes: Outcomes) -> RegionVerdict {
        let mut verdict = RegionVerdict::new(
            account,
            name,
            Timestamp::from_epoch_millis(1_700_000_000_000),
            findings,
        );
        verdict.outcomes = outcomes;
        verdict
    }

    #[test]
    fn a_control_fails_where_a_mapped_check_fails_and_is_not_evaluated_where_one_went_unread() {
        let policy = Finding::new(CheckId::BucketPolicyDeniesDelivery, "bucket policy denies");
        let failing = region(
            "111111111111",
            "eu-west-1",
            vec![policy.clone()],
            Outcomes::none_passed(&[policy], &NotEvaluated::Unread("x".into())),
        );
        let unread = region(
            "222222222222",
            "eu-west-1",
            Vec::new(),
            Outcomes::none_passed(&[], &NotEvaluated::Unread("GetBucketPolicy: AccessDenied".into())),
        );
        let accounts = vec![
            AccountVerdict::new(OrgAccount::unnamed("111111111111"), vec![failing]),
            AccountVerdict::new(OrgAccount::unnamed("222222222222"), vec![unread]),
        ];
        let view = framework_view(Framework::Nist80053R5, &accounts);
        let au9 = view.iter().find(|c| c.control == "AU-9").unwrap();
        assert_eq!(
            au9.accounts,
            Tally {
                passing: 0,
                failing: 1,
                not_evaluated: 1
            }
        );
        assert_eq!(au9.exceptions[0].outcome, ControlOutcome::Failing);
        assert!(au9.exceptions[0].why[0].contains("bucket.policy-denies-delivery"));
        assert!(
            au9.exceptions[1].why[0].contains("AccessDenied"),
            "{:?}",
            au9.exceptions[1]
        );
        // Nothing passed anywhere: no control may count a pass.
        assert!(
            view.iter()
                .all(|c| c.accounts.passing == 0 && c.regions.passing == 0)
        );
    }

    #[test]
    fn the_page_and_the_markdown_show_every_mapped_control() {
        let view = framework_view(Framework::CisAws300, &[]);
        let controls: Vec<&str> = view.iter().map(|c| c.control).collect();
        assert_eq!(controls, ["3.1", "3.3"]);
        let markdown = framework_markdown(Framework::CisAws300, None, &view);
        assert!(markdown.contains("| 3.3 | 0 | 0 | 0 |"), "{markdown}");
        assert!(markdown.contains("published: Security Hub User Guide"));
        let page = framework_html(Framework::CisAws300, None, &view);
        assert!(page.contains("id=\"control-3-3\"") && page.contains("CIS AWS Foundations Benchmark v3.0.0"));
    }
}
