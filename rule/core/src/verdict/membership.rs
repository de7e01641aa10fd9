//! Organization mode's trust boundary. An organization rule's Lambda permission admits
//! `config.amazonaws.com` from any account, and the event's rule parameters are the invoking
//! account's to choose, so an account outside the Organization can point its own Config rule at the
//! function, name a role it created that trusts the function, and name our reader roles. Only an
//! account of the function's own Organization is judged; for any other nothing is read, with our
//! roles or its own, and nothing is reported (docs/threat-model.md, "Confused deputy").

use crate::snapshot::Observed;

/// Whether the invoking account may be judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// It is in the function's Organization.
    Member,
    /// It is not: judge nothing, report nothing.
    Outsider(String),
    /// One of the two Organizations could not be read: said, never assumed either way.
    Unverified(String),
}

/// Compares the Organization the member's credentials see (`DescribeOrganization` as its audit
/// role) with the function's own.
pub fn membership(
    account_id: &str,
    own: &Observed<Option<String>>,
    member: &Observed<Option<String>>,
) -> Membership {
    let (own, member) = match (own, member) {
        (Observed::Read(own), Observed::Read(member)) => (own, member),
        (Observed::Unreadable(why), _) => {
            return Membership::Unverified(format!(
                "the function's own Organization could not be read ({}), so account {account_id} cannot be confirmed a member",
                why.brief()
            ));
        }
        (_, Observed::Unreadable(why)) => {
            return Membership::Unverified(format!(
                "account {account_id}'s Organization could not be read ({}), so it cannot be confirmed a member",
                why.brief()
            ));
        }
    };
    match (own, member) {
        (Some(own), Some(member)) if own == member => Membership::Member,
        (None, _) => Membership::Outsider(format!(
            "the function's account is in no Organization, so organization mode judges no account (account {account_id} invoked it)"
        )),
        (Some(own), Some(other)) => Membership::Outsider(format!(
            "account {account_id} belongs to Organization {other}, not to the function's {own}"
        )),
        (Some(own), None) => Membership::Outsider(format!(
            "account {account_id} is in no Organization, not in the function's {own}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{FailureKind, Unreadable};

    fn read(id: Option<&str>) -> Observed<Option<String>> {
        Observed::Read(id.map(str::to_owned))
    }

    #[test]
    fn only_an_account_of_the_functions_own_organization_is_a_member() {
        let ours = read(Some("o-ours"));
        assert_eq!(membership("1", &ours, &read(Some("o-ours"))), Membership::Member);
        assert!(matches!(
            membership("1", &ours, &read(Some("o-theirs"))),
            Membership::Outsider(why) if why.contains("o-theirs")
        ));
        assert!(matches!(
            membership("1", &ours, &read(None)),
            Membership::Outsider(_)
        ));
        assert!(matches!(
            membership("1", &read(None), &read(None)),
            Membership::Outsider(_)
        ));
    }

    #[test]
    fn an_unread_organization_is_unverified_never_a_member() {
        let denied = Observed::Unreadable(Unreadable {
            call: "DescribeOrganization".into(),
            kind: FailureKind::AccessDenied,
            code: Some("AccessDenied".into()),
            message: "no".into(),
        });
        assert!(matches!(
            membership("1", &denied, &read(Some("o-ours"))),
            Membership::Unverified(_)
        ));
        assert!(matches!(
            membership("1", &read(Some("o-ours")), &denied),
            Membership::Unverified(_)
        ));
    }
}
