//! What each check concluded: passed on read evidence, failed with findings, or not evaluated and
//! why. Only a pass may resolve a finding, call a region fixed or announce a recovery, and only
//! this module makes one: [`Passed`] has no public constructor, so code that resolves a finding
//! for a check that did not run does not compile.

use super::{CheckId, CheckSet, Finding};
use serde::de::Deserializer;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Why a check was not evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotEvaluated {
    /// Evidence it needs could not be read (or parsed); says what.
    Unread(String),
    /// An answer it needs came back well-formed but incomplete or inconsistent; says what.
    Incomplete(String),
    /// Another check's failure made it moot (no channel: no delivery to judge).
    Moot(CheckId),
    /// This invocation does not look at it: another mode's check, or a probe that is off.
    NotApplicable(&'static str),
    /// Nothing decided it: a check no area ran. Treated as unread.
    NotRun,
}

impl NotEvaluated {
    /// Whether this leaves the account-region unconfirmed: a recovery needs every check that
    /// applies to have passed.
    pub const fn leaves_unconfirmed(&self) -> bool {
        !matches!(self, Self::NotApplicable(_))
    }

    fn parse(text: &str) -> Self {
        let rest = |prefix: &str| text.strip_prefix(prefix).map(str::to_owned);
        if let Some(what) = rest("unread: ") {
            Self::Unread(what)
        } else if let Some(what) = rest("incomplete: ") {
            Self::Incomplete(what)
        } else if let Some(check) = text
            .strip_prefix("moot: ")
            .and_then(|t| t.strip_suffix(" fails"))
            .and_then(CheckId::from_id)
        {
            Self::Moot(check)
        } else if text.starts_with("not applicable: ") {
            // A saved scan's reason, read back: kept as unread, so it can never count as passed.
            Self::Unread(text.to_owned())
        } else {
            Self::NotRun
        }
    }
}

impl fmt::Display for NotEvaluated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unread(what) => write!(f, "unread: {what}"),
            Self::Incomplete(what) => write!(f, "incomplete: {what}"),
            Self::Moot(check) => write!(f, "moot: {} fails", check.id()),
            Self::NotApplicable(why) => write!(f, "not applicable: {why}"),
            Self::NotRun => f.write_str("not run"),
        }
    }
}

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Evaluated on read evidence (the catalogue's `passes_on`) and found nothing.
    Passed(Passed),
    /// It has findings.
    Failed,
    /// Not evaluated, and why.
    NotEvaluated(NotEvaluated),
}

/// Proof that a check passed: made only by the checks (and by reading back a saved record of
/// them), never from a check ID alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passed(CheckId);

impl Passed {
    /// The check that passed.
    pub const fn check(self) -> CheckId {
        self.0
    }
}

/// The checks that passed in one account-region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassedChecks(CheckSet);

impl PassedChecks {
    /// The proof that `check` passed, if it did.
    pub const fn get(&self, check: CheckId) -> Option<Passed> {
        if self.0.contains(check) {
            Some(Passed(check))
        } else {
            None
        }
    }

    /// Every check that passed, in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = Passed> + '_ {
        self.0.iter().map(Passed)
    }

    /// How many passed.
    pub const fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none did.
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Every check's outcome in one account-region: the passed ones as a set, the failed ones are
/// those with findings, the rest not evaluated with why. A sweep of 17,000 account-regions keeps
/// 17,000 of these, so the usual case (everything passed) holds no heap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcomes {
    passed: PassedChecks,
    not_evaluated: Vec<(CheckId, NotEvaluated)>,
}

impl Outcomes {
    /// Nothing passed: an account-region judged without a snapshot (its audit role, its Regions,
    /// the deadline), or a verdict made by hand. Every check without a finding is not evaluated.
    pub fn none_passed(findings: &[Finding], why: &NotEvaluated) -> Self {
        let failed: CheckSet = findings.iter().map(|f| f.check).collect();
        Self {
            passed: PassedChecks::default(),
            not_evaluated: CheckId::ALL
                .into_iter()
                .filter(|c| !failed.contains(*c))
                .map(|c| (c, why.clone()))
                .collect(),
        }
    }

    /// The checks that passed.
    pub const fn passed(&self) -> &PassedChecks {
        &self.passed
    }

    /// The checks not evaluated, with why, in catalogue order.
    pub fn not_evaluated(&self) -> &[(CheckId, NotEvaluated)] {
        &self.not_evaluated
    }

    /// The outcome of one check, given the region's findings.
    pub fn of(&self, check: CheckId, findings: &[Finding]) -> Outcome {
        if let Some(passed) = self.passed.get(check) {
            return Outcome::Passed(passed);
        }
        if findings.iter().any(|f| f.check == check) {
            return Outcome::Failed;
        }
        let why = self.not_evaluated.iter().find(|(c, _)| *c == check);
        Outcome::NotEvaluated(why.map_or(NotEvaluated::NotRun, |(_, why)| why.clone()))
    }

    /// The checks not evaluated in a way that leaves the region unconfirmed (unread, incomplete,
    /// moot, not run): a COMPLIANT verdict with any of these is not a confirmed recovery.
    pub fn unconfirmed(&self) -> impl Iterator<Item = &(CheckId, NotEvaluated)> {
        self.not_evaluated
            .iter()
            .filter(|(_, why)| why.leaves_unconfirmed())
    }

    fn shrink_to_fit(&mut self) {
        self.not_evaluated.shrink_to_fit();
    }

    /// Reads back what `serialize` wrote; `findings` are the region's. A record without outcomes
    /// (saved before they existed) passes nothing.
    pub fn from_record(record: Option<BTreeMap<String, String>>, findings: &[Finding]) -> Self {
        let Some(record) = record else {
            return Self::none_passed(
                findings,
                &NotEvaluated::Unread("saved before outcomes were recorded".into()),
            );
        };
        let failed: CheckSet = findings.iter().map(|f| f.check).collect();
        let mut not_evaluated = Vec::new();
        let mut named = CheckSet::new();
        for (id, why) in &record {
            // An unknown check ID in a record is not a pass of anything.
            if let Some(check) = CheckId::from_id(id) {
                named.insert(check);
                not_evaluated.push((check, NotEvaluated::parse(why)));
            }
        }
        let passed = CheckId::ALL
            .into_iter()
            .filter(|c| !failed.contains(*c) && !named.contains(*c))
            .collect();
        not_evaluated.sort_by_key(|(check, _)| *check);
        Self {
            passed: PassedChecks(passed),
            not_evaluated,
        }
    }
}

/// Written as the map of checks not evaluated (check ID to why); a check neither in it nor failing
/// passed. Passed checks are the many, so they are the ones left implicit.
impl Serialize for Outcomes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.not_evaluated.len()))?;
        for (check, why) in &self.not_evaluated {
            map.serialize_entry(check.id(), &why.to_string())?;
        }
        map.end()
    }
}

/// The map `serialize` writes, before the region's findings are known.
pub(crate) fn read_record<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<BTreeMap<String, String>>, D::Error> {
    Option::<BTreeMap<String, String>>::deserialize(deserializer)
}

/// How the checks record their outcomes while they run. A finding fails its check; a check that
/// is not evaluated stays so even if another part of it passed; a check that no part decided is
/// "not run". Failed outranks not evaluated, which outranks passed.
#[derive(Debug)]
pub(crate) struct Record {
    pub(crate) findings: Vec<Finding>,
    states: [State; CheckId::ALL.len()],
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Unset,
    Passed,
    NotEvaluated(NotEvaluated),
}

impl Record {
    pub(crate) fn new() -> Self {
        Self {
            findings: Vec::new(),
            states: std::array::from_fn(|_| State::Unset),
        }
    }

    fn state(&mut self, check: CheckId) -> Option<&mut State> {
        self.states.get_mut(check as usize)
    }

    /// A finding: its check failed.
    pub(crate) fn fail(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// The check found nothing on the evidence it read.
    pub(crate) fn pass(&mut self, check: CheckId) {
        if let Some(state) = self.state(check)
            && *state == State::Unset
        {
            *state = State::Passed;
        }
    }

    pub(crate) fn pass_all(&mut self, checks: &[CheckId]) {
        for check in checks {
            self.pass(*check);
        }
    }

    /// The check was not evaluated; the first reason given stays.
    pub(crate) fn skip(&mut self, check: CheckId, why: NotEvaluated) {
        if let Some(state) = self.state(check)
            && !matches!(state, State::NotEvaluated(_))
        {
            *state = State::NotEvaluated(why);
        }
    }

    pub(crate) fn skip_all(&mut self, checks: &[CheckId], why: &NotEvaluated) {
        for check in checks {
            self.skip(*check, why.clone());
        }
    }

    pub(crate) fn has_finding(&self, check: CheckId) -> bool {
        self.findings.iter().any(|f| f.check == check)
    }

    /// Whether some part of the checks already said this check was not evaluated.
    pub(crate) fn is_skipped(&self, check: CheckId) -> bool {
        matches!(self.states.get(check as usize), Some(State::NotEvaluated(_)))
    }

    /// The findings and each check's outcome.
    pub(crate) fn finish(self) -> (Vec<Finding>, Outcomes) {
        let failed: CheckSet = self.findings.iter().map(|f| f.check).collect();
        let mut passed = CheckSet::new();
        let mut not_evaluated = Vec::new();
        for (check, state) in CheckId::ALL.into_iter().zip(self.states) {
            if failed.contains(check) {
                continue;
            }
            match state {
                State::Passed => passed.insert(check),
                State::NotEvaluated(why) => not_evaluated.push((check, why)),
                State::Unset => not_evaluated.push((check, NotEvaluated::NotRun)),
            }
        }
        let mut outcomes = Outcomes {
            passed: PassedChecks(passed),
            not_evaluated,
        };
        outcomes.shrink_to_fit();
        (self.findings, outcomes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_outranks_not_evaluated_which_outranks_passed() {
        let mut record = Record::new();
        record.pass(CheckId::KeyDisabled);
        record.skip(CheckId::KeyDisabled, NotEvaluated::Unread("DescribeKey".into()));
        record.pass(CheckId::KeyDisabled);
        record.skip(
            CheckId::BucketMissing,
            NotEvaluated::Moot(CheckId::ChannelMissing),
        );
        record.pass(CheckId::ChannelMissing);
        record.fail(Finding::new(CheckId::ChannelMissing, "no channel"));
        record.pass(CheckId::RecorderMissing);
        let (findings, outcomes) = record.finish();
        assert_eq!(outcomes.of(CheckId::ChannelMissing, &findings), Outcome::Failed);
        assert!(outcomes.passed().get(CheckId::KeyDisabled).is_none());
        assert!(outcomes.passed().get(CheckId::RecorderMissing).is_some());
        assert_eq!(
            outcomes.of(CheckId::DeliveryStale, &findings),
            Outcome::NotEvaluated(NotEvaluated::NotRun),
            "a check nothing decided is not run, never passed"
        );
        assert_eq!(outcomes.passed().len(), 1);
    }

    #[test]
    fn a_record_reads_back_the_same_and_an_old_one_passes_nothing() {
        let mut record = Record::new();
        for check in CheckId::ALL {
            record.pass(check);
        }
        record.skip(CheckId::KeyDisabled, NotEvaluated::Unread("KMS key state".into()));
        record.skip(
            CheckId::EventPathBlind,
            NotEvaluated::NotApplicable("account mode"),
        );
        record.skip(
            CheckId::DeliveryStale,
            NotEvaluated::Moot(CheckId::SnapshotDeliveryFailure),
        );
        record.fail(Finding::new(CheckId::SnapshotDeliveryFailure, "failing"));
        let (findings, outcomes) = record.finish();
        let json = serde_json::to_value(&outcomes).unwrap();
        let map: BTreeMap<String, String> = serde_json::from_value(json).unwrap();
        let read = Outcomes::from_record(Some(map), &findings);
        assert_eq!(read.passed(), outcomes.passed());
        assert_eq!(
            read.of(CheckId::DeliveryStale, &findings),
            Outcome::NotEvaluated(NotEvaluated::Moot(CheckId::SnapshotDeliveryFailure))
        );
        assert!(
            read.passed().get(CheckId::EventPathBlind).is_none(),
            "a reason read back never becomes a pass"
        );
        let old = Outcomes::from_record(None, &findings);
        assert!(old.passed().is_empty());
    }
}
