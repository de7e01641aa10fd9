//! The runtime's and the SDK's own messages (`tracing`), as Lambda's advanced logging controls set
//! them. The rule's results are JSON lines of their own (`log.rs`).
//!
//! lambda_runtime's `init_default_subscriber` filters with `EnvFilter`, which brings a regex engine
//! into the package for span-field filters nobody sets here. `Targets` reads the same
//! `target=level` directives without one (docs/benchmarks.md, "What each change bought").

use std::str::FromStr;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// When neither variable says otherwise, as lambda_runtime does.
const DEFAULT_LEVEL: LevelFilter = LevelFilter::INFO;

/// Installs the subscriber: the level from `AWS_LAMBDA_LOG_LEVEL`, else the directives of
/// `RUST_LOG`, else INFO; JSON lines when `AWS_LAMBDA_LOG_FORMAT` is `JSON`.
pub fn init() {
    let directives = std::env::var("AWS_LAMBDA_LOG_LEVEL")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_default();
    let json = std::env::var("AWS_LAMBDA_LOG_FORMAT").is_ok_and(|format| format.eq_ignore_ascii_case("json"));
    let filter = filter_of(&directives);
    let format = tracing_subscriber::fmt().with_target(false).without_time();
    // `try_init`: a subscriber already installed (a test's) is kept, never a panic.
    let _ = if json {
        format
            .json()
            .with_writer(std::io::stdout)
            .finish()
            .with(filter)
            .try_init()
    } else {
        format
            .with_writer(std::io::stdout)
            .finish()
            .with(filter)
            .try_init()
    };
}

/// The filter for Lambda's level or `RUST_LOG`'s directives (`info`, `aws_smithy_runtime=debug,warn`).
/// Lambda's FATAL is tracing's ERROR; directives that do not parse fall back to INFO, so a typo
/// never silences the runtime's errors.
pub fn filter_of(directives: &str) -> Targets {
    let directives = directives.trim();
    if directives.eq_ignore_ascii_case("fatal") {
        return Targets::new().with_default(LevelFilter::ERROR);
    }
    match Targets::from_str(directives) {
        Ok(targets) if !directives.is_empty() => match targets.default_level() {
            Some(_) => targets,
            None => targets.with_default(DEFAULT_LEVEL),
        },
        _ => Targets::new().with_default(DEFAULT_LEVEL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    fn enabled(filter: &Targets, target: &str, level: Level) -> bool {
        filter.would_enable(target, &level)
    }

    #[test]
    fn unset_or_unparsable_means_info() {
        for directives in ["", "  ", "loud", "aws_smithy_runtime=verbose"] {
            let filter = filter_of(directives);
            assert!(enabled(&filter, "lambda_runtime", Level::INFO), "{directives:?}");
            assert!(
                !enabled(&filter, "lambda_runtime", Level::DEBUG),
                "{directives:?}"
            );
        }
    }

    #[test]
    fn lambda_levels_set_the_default() {
        let debug = filter_of("DEBUG");
        assert!(enabled(&debug, "aws_smithy_runtime", Level::DEBUG));
        assert!(!enabled(&debug, "aws_smithy_runtime", Level::TRACE));
        let fatal = filter_of("FATAL");
        assert!(enabled(&fatal, "lambda_runtime", Level::ERROR));
        assert!(!enabled(&fatal, "lambda_runtime", Level::WARN));
    }

    #[test]
    fn per_target_directives_keep_info_for_the_rest() {
        let filter = filter_of("aws_smithy_runtime=trace");
        assert!(enabled(
            &filter,
            "aws_smithy_runtime::client::orchestrator",
            Level::TRACE
        ));
        assert!(enabled(&filter, "lambda_runtime", Level::INFO));
        assert!(!enabled(&filter, "lambda_runtime", Level::DEBUG));
        let quiet = filter_of("warn,aws_config=debug");
        assert!(!enabled(&quiet, "lambda_runtime", Level::INFO));
        assert!(enabled(&quiet, "aws_config::imds", Level::DEBUG));
    }
}
