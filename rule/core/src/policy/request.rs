//! One API call to decide: who, what, on which resource, with which request context.

use std::collections::BTreeMap;

/// Who makes a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An IAM role or user (for a role session, the role's ARN, as `aws:PrincipalArn` gives it).
    Aws {
        /// The ARN.
        arn: String,
        /// The principal's account.
        account: String,
    },
    /// An AWS service principal such as `config.amazonaws.com`.
    Service(String),
    /// No credentials.
    Anonymous,
}

/// One API request, as the evaluator decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Who makes it.
    pub principal: Principal,
    /// The IAM action, `s3:PutObject`.
    pub action: String,
    /// The resource ARN.
    pub resource: String,
    /// The account that owns the resource: same- vs cross-account evaluation depends on it.
    pub resource_account: String,
    /// Condition keys, lower-cased; each may hold several values.
    context: BTreeMap<String, Vec<String>>,
}

/// Context keys `Request::new` derives from the principal, lower-cased.
const PRINCIPAL_KEYS: [&str; 4] = [
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalservicename",
    "aws:principalisawsservice",
];

impl Request {
    /// Fills the context keys AWS sets for every request by this principal.
    pub fn new(principal: Principal, action: &str, resource: &str, resource_account: &str) -> Self {
        let mut request = Self {
            principal: principal.clone(),
            action: action.to_owned(),
            resource: resource.to_owned(),
            resource_account: resource_account.to_owned(),
            context: BTreeMap::new(),
        };
        match principal {
            Principal::Aws { arn, account } => {
                request = request
                    .with("aws:PrincipalArn", &arn)
                    .with("aws:PrincipalAccount", &account)
                    .with("aws:PrincipalIsAWSService", "false");
            }
            Principal::Service(name) => {
                request = request
                    .with("aws:PrincipalServiceName", &name)
                    .with("aws:PrincipalIsAWSService", "true");
            }
            Principal::Anonymous => {}
        }
        request
    }

    /// The same request made by another principal: the keys AWS derives from the principal follow it.
    pub fn as_principal(self, principal: Principal) -> Self {
        let mut request = Self::new(principal, &self.action, &self.resource, &self.resource_account);
        for (key, values) in self.context {
            if !PRINCIPAL_KEYS.contains(&key.as_str()) {
                request.context.insert(key, values);
            }
        }
        request
    }

    /// Adds a value of a context key.
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.context
            .entry(key.to_ascii_lowercase())
            .or_default()
            .push(value.to_owned());
        self
    }

    /// The values of a context key (case-insensitive).
    pub fn context(&self, key: &str) -> Option<&[String]> {
        self.context.get(&key.to_ascii_lowercase()).map(Vec::as_slice)
    }

    /// The principal's account, for an IAM principal.
    pub fn principal_account(&self) -> Option<&str> {
        match &self.principal {
            Principal::Aws { account, .. } => Some(account),
            Principal::Service(_) | Principal::Anonymous => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_made_by_another_principal_carries_that_principals_keys_only() {
        let role = Principal::Aws {
            arn: "arn:aws:iam::111111111111:role/r".to_owned(),
            account: "111111111111".to_owned(),
        };
        let request = Request::new(role, "s3:PutObject", "arn:aws:s3:::b/k", "222222222222")
            .with("s3:x-amz-acl", "bucket-owner-full-control")
            .as_principal(Principal::Service("config.amazonaws.com".to_owned()));
        assert_eq!(
            request.context("aws:PrincipalIsAWSService"),
            Some(&["true".to_owned()][..])
        );
        assert_eq!(request.context("aws:PrincipalArn"), None);
        assert_eq!(
            request.context("aws:PrincipalServiceName"),
            Some(&["config.amazonaws.com".to_owned()][..])
        );
        assert_eq!(
            request.context("s3:x-amz-acl"),
            Some(&["bucket-owner-full-control".to_owned()][..])
        );
        assert_eq!(request.resource_account, "222222222222");
    }
}
