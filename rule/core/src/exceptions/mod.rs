//! Accepted exceptions that expire: a failure someone owns and has accepted until a date stays a
//! failure on the record (NON_COMPLIANT, its finding SUPPRESSED in Security Hub with the note), but
//! raises no health event or alarm, and reports show it apart with the days left. When it expires it
//! is active again. An exception that matches nothing, names an unknown check, runs past the cap or
//! has expired is reported as such, and a document that cannot be read changes nothing.

mod apply;
mod document;

pub use apply::{
    Accepted, ExceptionReport, accept_region, accepted_annotation, annotate_account, apply_exceptions,
    exception_reports,
};
pub use document::{
    CheckPattern, DEFAULT_MAX_DAYS, Exception, Exceptions, ExceptionsError, Standing, days_left,
    parse_exceptions,
};

/// How an accepted failure's annotation starts: the alerts module's compliance pattern leaves it out.
pub const ACCEPTED_PREFIX: &str = "accepted until ";
