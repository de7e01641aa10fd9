//! What the CLI says when its first call cannot be made at all: one line that says what to do next,
//! the SDK's own account of it only with `-v` (an on-call engineer needs the first, a bug report
//! the second).

use delivery_guard_core::snapshot::{FailureKind, Unreadable};
use std::sync::atomic::{AtomicBool, Ordering};

static VERBOSE: AtomicBool = AtomicBool::new(false);

/// `-v`: errors carry the SDK's details.
pub(super) fn set_verbose(verbose: bool) {
    VERBOSE.store(verbose, Ordering::Relaxed);
}

/// The SDK appends its error's Debug form in parentheses: useful in a bug report, noise on a terminal.
const DEBUG_DUMPS: [&str; 5] = [
    " (DispatchFailure(",
    " (ServiceError(",
    " (TimeoutError(",
    " (ResponseError(",
    " (ConstructionFailure(",
];

/// The message without the SDK's Debug dump.
pub(super) fn without_debug(message: &str) -> &str {
    DEBUG_DUMPS
        .iter()
        .filter_map(|dump| message.find(dump))
        .min()
        .map_or(message, |at| &message[..at])
}

/// Why the credentials chain found nothing, as the SDK words it.
fn no_credentials(why: &Unreadable) -> bool {
    let message = why.message.to_ascii_lowercase();
    [
        "loading credentials",
        "no credentials",
        "no providers in chain",
        "credentials provider",
        "provided credentials",
    ]
    .iter()
    .any(|words| message.contains(words))
}

/// The likeliest cause of a failed connection, from the SDK's message.
fn connection_cause(message: &str) -> &'static str {
    let lower = message.to_ascii_lowercase();
    [
        ("connection refused", "connection refused"),
        ("dns error", "the host name does not resolve"),
        ("failed to lookup address", "the host name does not resolve"),
        ("no route to host", "no route to the host"),
        ("timed out", "no answer in time"),
        ("certificate", "the TLS certificate was refused"),
    ]
    .iter()
    .find(|(words, _)| lower.contains(words))
    .map_or("no connection", |(_, cause)| cause)
}

/// One line for `what` failing on `why`; `endpoint` is where the call went.
pub(super) fn explain(what: &str, why: &Unreadable, endpoint: &str) -> String {
    let line = if no_credentials(why) {
        format!(
            "{what}: no AWS credentials: set AWS_PROFILE (after `aws sso login` for an SSO profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is attached"
        )
    } else if why.kind == FailureKind::Network || why.kind == FailureKind::Timeout {
        format!(
            "{what}: cannot reach {endpoint}: {}; check AWS_ENDPOINT_URL, the Region and the network",
            connection_cause(&why.message)
        )
    } else {
        format!(
            "{what}: {} {}: {}",
            why.call,
            why.kind.describe(),
            without_debug(&why.message)
        )
    };
    if VERBOSE.load(Ordering::Relaxed) {
        format!("{line}\n  details: {}", why.message)
    } else {
        format!("{line} (-v for details)")
    }
}

/// Where an STS call goes: the endpoint the environment names, or the Region's.
pub(super) fn sts_endpoint(region: Option<&str>) -> String {
    std::env::var("AWS_ENDPOINT_URL_STS")
        .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
        .unwrap_or_else(|_| format!("https://sts.{}.amazonaws.com", region.unwrap_or("us-east-1")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unreadable(kind: FailureKind, message: &str) -> Unreadable {
        Unreadable {
            call: "GetCallerIdentity".into(),
            kind,
            code: None,
            message: message.into(),
        }
    }

    #[test]
    fn no_credentials_says_how_to_give_some() {
        let why = unreadable(
            FailureKind::AccessDenied,
            "dispatch failure: other: an error occurred while loading credentials: failed to load IMDS session token (DispatchFailure(DispatchFailure { source: ConnectorError { .. } }))",
        );
        let line = explain(
            "cannot tell which account this is",
            &why,
            "https://sts.us-east-1.amazonaws.com",
        );
        assert!(line.contains("no AWS credentials: set AWS_PROFILE"), "{line}");
        assert!(!line.contains("DispatchFailure"), "{line}");
    }

    #[test]
    fn a_refused_connection_names_the_endpoint_and_the_cause() {
        let why = unreadable(
            FailureKind::Network,
            "dispatch failure: io error: client error (Connect): tcp connect error: Connection refused (os error 111) (DispatchFailure(DispatchFailure { source: ConnectorError { kind: Io } }))",
        );
        let line = explain("cannot tell which account this is", &why, "http://127.0.0.1:9");
        assert!(
            line.starts_with(
                "cannot tell which account this is: cannot reach http://127.0.0.1:9: connection refused;"
            ),
            "{line}"
        );
        assert!(!line.contains("ConnectorError"), "{line}");
    }

    #[test]
    fn other_failures_keep_the_sdks_words_without_its_debug_dump() {
        assert_eq!(
            without_debug("service error: AccessDenied: nope (ServiceError(ServiceError { source: x }))"),
            "service error: AccessDenied: nope"
        );
        assert_eq!(without_debug("plain"), "plain");
    }
}
