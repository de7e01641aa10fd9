//! An SDK error becomes data: which call, what kind of failure, the service's code and message.

use aws_sdk_config::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use delivery_guard_core::snapshot::{FailureKind, Unreadable};

const ACCESS_DENIED: [&str; 5] = [
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
];
const THROTTLED: [&str; 6] = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
];

/// An SDK error as data: the call, its class and the service's message.
pub fn unreadable<E>(call: &str, err: &SdkError<E, HttpResponse>) -> Unreadable
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let status = err.raw_response().map(|r| r.status().as_u16());
    let (kind, code, message) = match err {
        SdkError::ServiceError(service) => {
            let inner = service.err();
            let code = inner.code().map(str::to_owned);
            let kind = classify(code.as_deref(), status);
            let message = inner
                .message()
                .map_or_else(|| DisplayErrorContext(err).to_string(), str::to_owned);
            (kind, code, message)
        }
        SdkError::TimeoutError(_) => (FailureKind::Timeout, None, DisplayErrorContext(err).to_string()),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => {
            (FailureKind::Timeout, None, DisplayErrorContext(err).to_string())
        }
        // A role the call acts through could not be assumed (missing, not trusting the caller, or
        // STS throttled past its retries): the STS error is inside the context.
        SdkError::DispatchFailure(_) if credentials_failed(err) => {
            let context = DisplayErrorContext(err).to_string();
            let throttled = THROTTLED
                .iter()
                .any(|code| context.contains(&format!("({code})")));
            let kind = if throttled {
                FailureKind::Throttled
            } else {
                FailureKind::AccessDenied
            };
            (kind, None, context)
        }
        SdkError::DispatchFailure(_) => (FailureKind::Network, None, DisplayErrorContext(err).to_string()),
        SdkError::ResponseError(_) => {
            let kind = match status {
                Some(s) if s >= 500 => FailureKind::ServerError,
                _ => FailureKind::MalformedResponse,
            };
            (kind, None, DisplayErrorContext(err).to_string())
        }
        // ConstructionFailure and future variants: the request never left.
        _ => (FailureKind::Rejected, None, DisplayErrorContext(err).to_string()),
    };
    Unreadable {
        call: call.to_owned(),
        kind,
        code,
        message: one_line(&message),
    }
}

/// Whether the error comes from loading the credentials, not from the call itself.
fn credentials_failed(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(cause) = next {
        if cause.is::<aws_credential_types::provider::error::CredentialsError>() {
            return true;
        }
        next = cause.source();
    }
    false
}

/// The HTTP status, for the errors S3 sends without a code (HeadBucket's 403 and 404, a 405).
pub fn status_of<E>(err: &SdkError<E, HttpResponse>) -> Option<u16> {
    err.raw_response().map(|r| r.status().as_u16())
}

/// An answer that parsed but lacks what it must hold: a fault like a 500, never an empty answer.
pub fn incomplete(call: &str, what: &str) -> Unreadable {
    Unreadable {
        call: call.to_owned(),
        kind: FailureKind::Incomplete,
        code: None,
        message: what.to_owned(),
    }
}

fn classify(code: Option<&str>, status: Option<u16>) -> FailureKind {
    match (code, status) {
        (Some(code), _) if ACCESS_DENIED.contains(&code) => FailureKind::AccessDenied,
        (Some(code), _) if THROTTLED.contains(&code) => FailureKind::Throttled,
        (_, Some(403)) => FailureKind::AccessDenied,
        (_, Some(429)) => FailureKind::Throttled,
        (_, Some(s)) if s >= 500 => FailureKind::ServerError,
        _ => FailureKind::Rejected,
    }
}

/// Log lines and annotations are single-line; bodies and SDK context may not be.
fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 500 {
        flat.chars().take(500).collect::<String>() + "..."
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_win_over_status() {
        assert_eq!(
            classify(Some("AccessDeniedException"), Some(400)),
            FailureKind::AccessDenied
        );
        assert_eq!(
            classify(Some("ThrottlingException"), Some(400)),
            FailureKind::Throttled
        );
        assert_eq!(classify(None, Some(403)), FailureKind::AccessDenied);
        assert_eq!(
            classify(Some("InternalFailure"), Some(500)),
            FailureKind::ServerError
        );
        assert_eq!(
            classify(Some("ValidationException"), Some(400)),
            FailureKind::Rejected
        );
    }

    #[test]
    fn messages_are_flattened_and_bounded() {
        assert_eq!(one_line("a\n  b\tc"), "a b c");
        assert_eq!(one_line(&"x".repeat(900)).len(), 503);
    }
}
