//! What a finding observed, by name, as a short list sorted by name.
//!
//! A sweep keeps every account-region's findings until its report is written: 17,000 of them for
//! 1,000 accounts in 17 Regions. A `BTreeMap<String, String>` spent a 540-byte node and a heap
//! key per finding for its three or four entries; the names are the checks' own `&'static str`
//! (a saved report's are read back owned), so a sorted list holds the same in about a quarter of
//! the heap (docs/benchmarks.md). Serialized as a map in name order, as before.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Named observations, at most one per name, in name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence(Vec<(Cow<'static, str>, Box<str>)>);

impl Evidence {
    /// No evidence.
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    /// Sets the observation of a name, replacing any earlier one.
    pub fn insert(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        let name = name.into();
        let value = value.into().into_boxed_str();
        match self
            .0
            .binary_search_by(|(known, _)| known.as_ref().cmp(name.as_ref()))
        {
            Ok(at) => {
                if let Some(entry) = self.0.get_mut(at) {
                    entry.1 = value;
                }
            }
            Err(at) => self.0.insert(at, (name, value)),
        }
    }

    /// The observation of a name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(known, _)| known.as_ref().cmp(name))
            .ok()
            .and_then(|at| self.0.get(at))
            .map(|(_, value)| value.as_ref())
    }

    /// Whether the name was observed.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// How many observations.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Name and value, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(name, value)| (name.as_ref(), value.as_ref()))
    }
}

impl Serialize for Evidence {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// A saved report's evidence, read back (`delivery-guard report`, `--baseline`).
impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let saved = BTreeMap::<String, String>::deserialize(deserializer)?;
        Ok(Self(
            saved
                .into_iter()
                .map(|(name, value)| (Cow::Owned(name), value.into_boxed_str()))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_one_value_per_name_in_name_order() {
        let mut evidence = Evidence::new();
        evidence.insert("resource", "arn:aws:s3:::b");
        evidence.insert("action", "s3:PutObject");
        evidence.insert("denied_by", "first");
        evidence.insert("denied_by", "second");
        assert_eq!(evidence.len(), 3);
        assert_eq!(evidence.get("denied_by"), Some("second"));
        assert_eq!(evidence.get("bucket"), None);
        assert!(evidence.contains_key("action"));
        let names: Vec<&str> = evidence.iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["action", "denied_by", "resource"]);
    }

    #[test]
    fn serializes_as_a_map_and_reads_back_the_same() {
        let mut evidence = Evidence::new();
        evidence.insert("trails", "");
        evidence.insert("region", "eu-west-1");
        let json = serde_json::to_string(&evidence).unwrap();
        assert_eq!(json, r#"{"region":"eu-west-1","trails":""}"#);
        let read: Evidence = serde_json::from_str(&json).unwrap();
        assert_eq!(read, evidence);
        assert!(serde_json::from_str::<Evidence>("[1]").is_err());
    }
}
