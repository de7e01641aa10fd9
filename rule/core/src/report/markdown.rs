//! A summary for pipelines: Markdown for a CI job summary or a pull-request comment. The counts, what
//! changed since the baseline, the root causes and the failing accounts, cut to fit GitHub's 64 KB
//! comment limit however large the Organization (the JSON report keeps everything).

use crate::exceptions::days_left;
use crate::report::Report;
use crate::report::changes::Changes;
use crate::report::saved::TOOL;
use crate::verdict::{AccountVerdict, Cluster, Compliance};
use std::fmt::Write;

/// GitHub refuses comments over 65,536 characters; this leaves room for a wrapper's own words.
pub const MAX_BYTES: usize = 60_000;
/// Root causes listed before "and N more".
const CAUSES_SHOWN: usize = 25;
/// Account-regions named per list of changes before "and N more".
const PLACES_SHOWN: usize = 20;

/// The page, at most [`MAX_BYTES`].
pub fn markdown(report: &Report<'_>) -> String {
    let s = report.summary;
    let mut out = String::new();
    let headline = if s.accounts == 0 {
        "no account was judged".to_owned()
    } else if s.failing + s.unverified == 0 {
        format!("every one of {} account(s) delivering", s.accounts)
    } else {
        format!(
            "{} of {} account(s) failing, {} unverified",
            s.failing, s.accounts, s.unverified
        )
    };
    let _ = writeln!(out, "## AWS Config delivery: {headline}\n");
    if let Some(scan) = report.scan {
        let _ = writeln!(
            out,
            "{TOOL} {} scanned {} ({}) in {} at {}.\n",
            text(&scan.version),
            text(&scan.scope),
            text(scan.organization_id.as_deref().unwrap_or("no Organization")),
            text(&scan.regions.join(", ")),
            scan.generated
        );
    }
    let _ = writeln!(
        out,
        "| verdict | accounts |\n| --- | ---: |\n| compliant | {} |\n| failing | {} |\n| unverified | {} |\n| accepted (failing under an exception) | {} |\n| **account-regions judged** | {} |\n",
        s.compliant, s.failing, s.unverified, s.accepted, s.account_regions
    );
    if let Some(changes) = report.changes {
        write_changes(&mut out, changes);
    }
    write_causes(&mut out, report.clusters);
    write_failing_accounts(&mut out, report.accounts);
    write_accepted_accounts(&mut out, report.accounts);
    out
}

/// The accounts failing only under an exception, apart, with the days each has left.
fn write_accepted_accounts(out: &mut String, accounts: &[&AccountVerdict]) {
    let accepted: Vec<&&AccountVerdict> = accounts.iter().filter(|a| a.is_accepted()).collect();
    if accepted.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n### Accepted ({})\n\n| account | name | days left | accepted |\n| --- | --- | ---: | --- |",
        accepted.len()
    );
    for account in accepted {
        let observed = account.regions.iter().map(|r| r.observed_at).max();
        let left = match (observed, account.accepted_until()) {
            (Some(at), Some(until)) => days_left(at, until).to_string(),
            _ => String::new(),
        };
        let row = format!(
            "| `{}` | {} | {left} | {} |\n",
            account.account.id,
            text(&account.account.name),
            text(account.verdict.annotation.as_deref().unwrap_or(""))
        );
        if out.len() + row.len() > MAX_BYTES {
            return;
        }
        out.push_str(&row);
    }
}

fn write_changes(out: &mut String, changes: &Changes) {
    let _ = writeln!(
        out,
        "### Since the baseline of {}\n\n**{} new failure(s)**, {} fixed, {} still failing, {} not judged now, \
{} compliant now but unverified.\n",
        text(&changes.baseline_generated),
        changes.new_failures.len(),
        changes.fixed.len(),
        changes.still_failing.len(),
        changes.not_judged_now.len(),
        changes.unverified_now.len()
    );
    for (title, places) in [
        ("New failures", &changes.new_failures),
        ("Fixed", &changes.fixed),
        (
            "Compliant now, but what failed could not be evaluated",
            &changes.unverified_now,
        ),
    ] {
        if places.is_empty() {
            continue;
        }
        let named: Vec<String> = places
            .iter()
            .take(PLACES_SHOWN)
            .map(|p| format!("`{} {}` {}", p.account_id, p.region, text(&p.check)))
            .collect();
        let more = places.len().saturating_sub(PLACES_SHOWN);
        let _ = write!(out, "- {title}: {}", named.join(", "));
        if more > 0 {
            let _ = write!(out, " and {more} more");
        }
        out.push('\n');
    }
    for cause in changes.root_causes.iter().take(PLACES_SHOWN) {
        let _ = writeln!(
            out,
            "- Root cause {}: `{}` {} ({} → {} account-regions)",
            cause.trend,
            cause.check,
            text(&cause.cause),
            cause.before,
            cause.now
        );
    }
    out.push('\n');
}

fn write_causes(out: &mut String, clusters: &[Cluster]) {
    if clusters.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### Root causes ({}, largest first)\n\n| # | account-regions | accounts | cause | OU | fix |\n| ---: | ---: | ---: | --- | --- | --- |",
        clusters.len()
    );
    for (index, cluster) in clusters.iter().take(CAUSES_SHOWN).enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | `{}` {} | {} | {} |",
            index + 1,
            cluster.members.len(),
            cluster.accounts,
            cluster.check.id(),
            text(&cluster.cause),
            text(&cluster.ous.join(", ")),
            text(cluster.finding.remediation)
        );
    }
    if clusters.len() > CAUSES_SHOWN {
        let _ = writeln!(
            out,
            "\n_and {} more root causes: see the JSON report._",
            clusters.len() - CAUSES_SHOWN
        );
    }
    out.push('\n');
}

fn write_failing_accounts(out: &mut String, accounts: &[&AccountVerdict]) {
    let failing: Vec<&&AccountVerdict> = accounts
        .iter()
        .filter(|a| a.verdict.compliance == Compliance::NonCompliant && !a.is_accepted())
        .collect();
    if failing.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### Failing accounts ({})\n\n| account | name | OU | why |\n| --- | --- | --- | --- |",
        failing.len()
    );
    // The closing line must fit too: rows stop where the budget ends.
    let closing_room = 120;
    for (shown, account) in failing.iter().enumerate() {
        let row = format!(
            "| `{}` | {} | {} | {} |\n",
            account.account.id,
            text(&account.account.name),
            text(account.account.ou.as_deref().unwrap_or("")),
            text(account.verdict.annotation.as_deref().unwrap_or(""))
        );
        if out.len() + row.len() + closing_room > MAX_BYTES {
            let _ = writeln!(
                out,
                "\n_and {} more failing accounts: see the JSON report._",
                failing.len() - shown
            );
            return;
        }
        out.push_str(&row);
    }
}

/// Text from AWS in a table cell: no line breaks, and nothing Markdown or HTML would act on.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{CheckId, Finding};
    use crate::snapshot::OrgAccount;
    use crate::timestamp::Timestamp;
    use crate::verdict::{RegionVerdict, clusters, summarize};

    fn fleet(accounts: usize, regions: usize) -> Vec<AccountVerdict> {
        (0..accounts)
            .map(|n| {
                let id = format!("{:012}", 100_000_000_000_u64 + n as u64);
                let judged = (0..regions)
                    .map(|r| {
                        let findings = vec![
                            Finding::new(CheckId::KeyDisabled, format!("key of {id} disabled | <b>"))
                                .with("key", format!("arn:aws:kms:r{r}:{id}:key/1")),
                        ];
                        RegionVerdict::new(
                            &id,
                            &format!("region-{r}"),
                            Timestamp::from_epoch_millis(0),
                            findings,
                        )
                    })
                    .collect();
                let mut account = OrgAccount::unnamed(&id);
                account.ou = Some("Root/prod".to_owned());
                AccountVerdict::new(account, judged)
            })
            .collect()
    }

    #[test]
    fn a_thousand_failing_accounts_in_seventeen_regions_fit_a_pull_request_comment() {
        let fleet = fleet(1_000, 17);
        let accounts: Vec<&AccountVerdict> = fleet.iter().collect();
        let summary = summarize(accounts.iter().copied());
        let causes = clusters(&accounts);
        let page = markdown(&Report {
            accounts: &accounts,
            summary: &summary,
            clusters: &causes,
            scan: None,
            changes: None,
        });
        assert!(page.len() <= MAX_BYTES, "{} bytes", page.len());
        assert!(page.starts_with("## AWS Config delivery: 1000 of 1000 account(s) failing"));
        assert!(page.contains("_and 17000 more root causes") || page.contains("more root causes"));
        assert!(
            page.contains("more failing accounts: see the JSON report._"),
            "the cut is said"
        );
        assert!(
            page.contains("key of 100000000000 disabled \\| \\<b\\>"),
            "cells are escaped"
        );
        assert!(!page.contains("<b>"));
    }

    #[test]
    fn a_healthy_fleet_says_so_in_one_line() {
        let accounts = [AccountVerdict::new(
            OrgAccount::unnamed("111111111111"),
            vec![RegionVerdict::new(
                "111111111111",
                "a",
                Timestamp::from_epoch_millis(0),
                vec![],
            )],
        )];
        let refs: Vec<&AccountVerdict> = accounts.iter().collect();
        let summary = summarize(refs.iter().copied());
        let page = markdown(&Report {
            accounts: &refs,
            summary: &summary,
            clusters: &[],
            scan: None,
            changes: None,
        });
        assert!(page.starts_with("## AWS Config delivery: every one of 1 account(s) delivering"));
        assert!(!page.contains("Failing accounts"));
        let nothing = markdown(&Report {
            accounts: &[],
            summary: &summarize([]),
            clusters: &[],
            scan: None,
            changes: None,
        });
        assert!(
            nothing.starts_with("## AWS Config delivery: no account was judged"),
            "absence is not a pass"
        );
    }
}
