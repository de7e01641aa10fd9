//! Status strings as AWS sends them, normalised.
//!
//! The model says `Success|Failure|Not_Applicable` (delivery) and `Pending|Success|Failure|NotApplicable`
//! (recorder), but CLI samples and AWS's own checker show upper case, and the SDK maps `SUCCESS` to an
//! unknown variant. So compare case-insensitively and ignore the underscore.

/// A delivery or recorder status, compared case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// `Success`, any casing.
    Success,
    /// `Failure`, any casing.
    Failure,
    /// `Not_Applicable`: nothing to deliver (no SNS topic).
    NotApplicable,
    /// `Pending`.
    Pending,
    /// Anything Config does not document, kept as sent.
    Other(String),
}

impl Status {
    /// Reads a status string as AWS sent it.
    pub fn parse(raw: &str) -> Self {
        let folded: String = raw
            .chars()
            .filter(|c| *c != '_' && *c != '-' && !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        match folded.as_str() {
            "success" => Self::Success,
            "failure" | "failed" => Self::Failure,
            "notapplicable" => Self::NotApplicable,
            "pending" => Self::Pending,
            _ => Self::Other(raw.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_casing_aws_is_known_to_send_is_understood() {
        for raw in ["Success", "SUCCESS", "success"] {
            assert_eq!(Status::parse(raw), Status::Success, "{raw}");
        }
        for raw in ["Failure", "FAILURE"] {
            assert_eq!(Status::parse(raw), Status::Failure, "{raw}");
        }
        for raw in ["Not_Applicable", "NOT_APPLICABLE", "NotApplicable"] {
            assert_eq!(Status::parse(raw), Status::NotApplicable, "{raw}");
        }
        assert_eq!(Status::parse("PENDING"), Status::Pending);
    }

    #[test]
    fn unknown_values_are_kept_verbatim() {
        assert_eq!(Status::parse("Degraded"), Status::Other("Degraded".into()));
    }
}
