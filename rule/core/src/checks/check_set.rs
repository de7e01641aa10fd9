//! A set of checks as one word: a region verdict keeps the checks that passed until its findings
//! are published, and a sweep of 17,000 account-regions keeps 17,000 of them (a `BTreeSet` was
//! about 400 bytes of heap each; docs/benchmarks.md).

use super::CheckId;

/// Checks, by their place in the catalogue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckSet(u64);

// Every check has a bit.
const _: () = assert!(CheckId::ALL.len() <= u64::BITS as usize);

impl CheckSet {
    /// No checks.
    pub const fn new() -> Self {
        Self(0)
    }

    const fn bit(check: CheckId) -> u64 {
        1 << check as u32
    }

    /// Adds a check.
    pub fn insert(&mut self, check: CheckId) {
        self.0 |= Self::bit(check);
    }

    /// Whether the check is in the set.
    pub const fn contains(&self, check: CheckId) -> bool {
        self.0 & Self::bit(check) != 0
    }

    /// The checks in this set and not in `other`.
    #[must_use]
    pub const fn difference(&self, other: &Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// How many checks.
    pub const fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether there are none.
    pub const fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The checks, in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = CheckId> + '_ {
        CheckId::ALL.into_iter().filter(|check| self.contains(*check))
    }
}

impl Extend<CheckId> for CheckSet {
    fn extend<I: IntoIterator<Item = CheckId>>(&mut self, checks: I) {
        for check in checks {
            self.insert(check);
        }
    }
}

impl FromIterator<CheckId> for CheckSet {
    fn from_iter<I: IntoIterator<Item = CheckId>>(checks: I) -> Self {
        let mut set = Self::new();
        set.extend(checks);
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_every_check_and_only_those_added() {
        let all: CheckSet = CheckId::ALL.into_iter().collect();
        assert_eq!(all.len(), CheckId::ALL.len());
        assert_eq!(all.iter().collect::<Vec<_>>(), CheckId::ALL.to_vec());
        for check in CheckId::ALL {
            let one: CheckSet = [check].into_iter().collect();
            assert!(one.contains(check));
            assert_eq!(one.len(), 1);
            assert!(all.difference(&one).iter().all(|other| other != check));
            assert_eq!(all.difference(&one).len(), CheckId::ALL.len() - 1);
        }
        assert!(CheckSet::new().is_empty());
        assert!(all.difference(&all).is_empty());
    }
}
