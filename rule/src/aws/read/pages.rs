//! Hand-written page loops. The SDK's paginators stop silently when a service repeats its token
//! and cannot tell a short answer from a complete one; here a repeated token (A, B, A), a token
//! past the cap, or a truncated page without its marker is an incomplete answer, never the end.

use super::sdk_error::incomplete;
use delivery_guard_core::snapshot::Unreadable;
use std::collections::HashSet;

/// Pages of one listing: the tokens seen and how many pages came.
#[derive(Debug)]
pub struct Pages {
    call: &'static str,
    max_pages: usize,
    pages: usize,
    seen: HashSet<String>,
}

impl Pages {
    /// A listing of `call` that may take at most `max_pages` pages.
    pub fn new(call: &'static str, max_pages: usize) -> Self {
        Self {
            call,
            max_pages,
            pages: 0,
            seen: HashSet::new(),
        }
    }

    /// After a page with `next_token` (NextToken): the token to ask for next, or None at the end.
    pub fn next(&mut self, next_token: Option<&str>) -> Result<Option<String>, Unreadable> {
        self.pages += 1;
        let Some(token) = next_token.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if !self.seen.insert(token.to_owned()) {
            return Err(incomplete(
                self.call,
                &format!(
                    "page {} repeats an earlier page's token: the listing is not complete",
                    self.pages
                ),
            ));
        }
        if self.pages >= self.max_pages {
            return Err(incomplete(
                self.call,
                &format!("still paginating after {} pages", self.max_pages),
            ));
        }
        Ok(Some(token.to_owned()))
    }

    /// IAM's form: `IsTruncated` says whether more pages follow, `Marker` where they start.
    pub fn next_marker(
        &mut self,
        is_truncated: bool,
        marker: Option<&str>,
    ) -> Result<Option<String>, Unreadable> {
        if !is_truncated {
            self.pages += 1;
            return Ok(None);
        }
        match marker.filter(|m| !m.is_empty()) {
            Some(marker) => self.next(Some(marker)),
            None => Err(incomplete(self.call, "IsTruncated without a Marker")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_token_is_incomplete_not_the_end() {
        let mut pages = Pages::new("ListAccounts", 10);
        assert_eq!(pages.next(Some("A")).unwrap().as_deref(), Some("A"));
        assert_eq!(pages.next(Some("B")).unwrap().as_deref(), Some("B"));
        let err = pages.next(Some("A")).unwrap_err();
        assert_eq!(err.call, "ListAccounts");
        assert!(err.message.contains("repeats"), "{}", err.message);
    }

    #[test]
    fn the_cap_and_a_missing_marker_are_incomplete() {
        let mut pages = Pages::new("GetFindings", 2);
        assert!(pages.next(Some("1")).unwrap().is_some());
        assert!(pages.next(Some("2")).is_err());
        let mut pages = Pages::new("ListRolePolicies", 5);
        assert!(pages.next_marker(true, None).is_err());
        assert_eq!(pages.next_marker(false, Some("ignored")).unwrap(), None);
        assert_eq!(pages.next(Some("")).unwrap(), None);
    }
}
