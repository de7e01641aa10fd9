//! One API call to decide: who, what, on which resource, with which request context.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An IAM role or user (for a role session, the role's ARN, as `aws:PrincipalArn` gives it).
    Aws {
        arn: String,
        account: String,
    },
    /// An AWS service principal such as `config.amazonaws.com`.
    Service(String),
    Anonymous,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub principal: Principal,
    pub action: String,
    pub resource: String,
    /// The account that owns the resource: same- vs cross-account evaluation depends on it.
    pub resource_account: String,
    /// Condition keys, lower-cased; each may hold several values.
    context: BTreeMap<String, Vec<String>>,
}

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
                    .with("aws:PrincipalAccount", &account);
            }
            Principal::Service(name) => request = request.with("aws:PrincipalServiceName", &name),
            Principal::Anonymous => {}
        }
        request
    }

    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.context
            .entry(key.to_ascii_lowercase())
            .or_default()
            .push(value.to_owned());
        self
    }

    pub fn context(&self, key: &str) -> Option<&[String]> {
        self.context.get(&key.to_ascii_lowercase()).map(Vec::as_slice)
    }

    pub fn principal_account(&self) -> Option<&str> {
        match &self.principal {
            Principal::Aws { account, .. } => Some(account),
            Principal::Service(_) | Principal::Anonymous => None,
        }
    }
}
