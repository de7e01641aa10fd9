//! The policy grammar as data.

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The policy's `Id`.
    pub id: Option<String>,
    /// Its statements, in order.
    pub statements: Vec<Statement>,
    /// Version 2012-10-17: `${...}` policy variables are substituted; otherwise they are literal.
    pub variables: bool,
}

/// A statement's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    /// Allow.
    Allow,
    /// Deny.
    Deny,
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Position in the policy, for explanations when there is no Sid.
    pub index: usize,
    /// The statement's `Sid`.
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: Effect,
    /// None in identity policies, SCPs and boundaries (which name no principal).
    pub principal: Option<Matcher<PrincipalEntry>>,
    /// `Action` or `NotAction`.
    pub action: Matcher<String>,
    /// None when the statement has neither Resource nor NotResource (allowed in SCPs and trust policies).
    pub resource: Option<Matcher<String>>,
    /// Every condition; all must hold.
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// The Sid, or the statement's position.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => format!("statement {} ({sid})", self.index),
            _ => format!("statement {}", self.index),
        }
    }
}

/// `Action` vs `NotAction`, `Resource` vs `NotResource`, `Principal` vs `NotPrincipal`.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher<T> {
    Only(Vec<T>),
    AllBut(Vec<T>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalEntry {
    /// `"*"` or `{"AWS": "*"}`.
    Anyone,
    /// An account ID or `arn:<partition>:iam::<account>:root`: the account delegates to its IAM policies.
    Account(String),
    /// A role, user or session ARN.
    Arn(String),
    Service(String),
    Federated(String),
    CanonicalUser(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: Operator,
    /// Lower-cased: condition keys are case-insensitive.
    pub key: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub base: BaseOperator,
    pub if_exists: bool,
    pub set: SetQualifier,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    Single,
    ForAnyValue,
    ForAllValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

impl BaseOperator {
    pub const ALL: [(Self, &'static str); 27] = [
        (Self::StringEquals, "StringEquals"),
        (Self::StringNotEquals, "StringNotEquals"),
        (Self::StringEqualsIgnoreCase, "StringEqualsIgnoreCase"),
        (Self::StringNotEqualsIgnoreCase, "StringNotEqualsIgnoreCase"),
        (Self::StringLike, "StringLike"),
        (Self::StringNotLike, "StringNotLike"),
        (Self::NumericEquals, "NumericEquals"),
        (Self::NumericNotEquals, "NumericNotEquals"),
        (Self::NumericLessThan, "NumericLessThan"),
        (Self::NumericLessThanEquals, "NumericLessThanEquals"),
        (Self::NumericGreaterThan, "NumericGreaterThan"),
        (Self::NumericGreaterThanEquals, "NumericGreaterThanEquals"),
        (Self::DateEquals, "DateEquals"),
        (Self::DateNotEquals, "DateNotEquals"),
        (Self::DateLessThan, "DateLessThan"),
        (Self::DateLessThanEquals, "DateLessThanEquals"),
        (Self::DateGreaterThan, "DateGreaterThan"),
        (Self::DateGreaterThanEquals, "DateGreaterThanEquals"),
        (Self::Bool, "Bool"),
        (Self::BinaryEquals, "BinaryEquals"),
        (Self::IpAddress, "IpAddress"),
        (Self::NotIpAddress, "NotIpAddress"),
        (Self::ArnEquals, "ArnEquals"),
        (Self::ArnLike, "ArnLike"),
        (Self::ArnNotEquals, "ArnNotEquals"),
        (Self::ArnNotLike, "ArnNotLike"),
        (Self::Null, "Null"),
    ];

    /// The negated operators are true when the key is absent, and per value mean "matches none".
    pub const fn is_negated(self) -> bool {
        matches!(
            self,
            Self::StringNotEquals
                | Self::StringNotEqualsIgnoreCase
                | Self::StringNotLike
                | Self::NumericNotEquals
                | Self::DateNotEquals
                | Self::NotIpAddress
                | Self::ArnNotEquals
                | Self::ArnNotLike
        )
    }
}
