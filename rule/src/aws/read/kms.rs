//! KMS reads for the channel's key: state and deletion date, and the key policy.

use super::sdk_error::unreadable;
use aws_sdk_kms::Client;
use delivery_guard_core::snapshot::Observed;
use delivery_guard_core::snapshot::probes::KeyMetadata;
use delivery_guard_core::timestamp::Timestamp;

/// KMS reads of the delivery key.
#[derive(Clone, Debug)]
pub struct KmsReader {
    client: Client,
}

impl KmsReader {
    /// Reads with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// `DescribeKey`, by key ARN, key ID or alias (an ID or alias resolves in the caller's account).
    pub async fn metadata(&self, key_arn: &str) -> Observed<KeyMetadata> {
        match self.client.describe_key().key_id(key_arn).send().await {
            Ok(out) => match out.key_metadata() {
                Some(m) => Observed::Read(KeyMetadata {
                    arn: m.arn().map(str::to_owned),
                    key_state: m.key_state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
                    deletion_date: m
                        .deletion_date()
                        .and_then(|d| d.to_millis().ok())
                        .map(Timestamp::from_epoch_millis),
                    key_manager: m.key_manager().map(|k| k.as_str().to_owned()),
                }),
                None => Observed::Unreadable(super::sdk_error::incomplete("DescribeKey", "no KeyMetadata")),
            },
            Err(err) => Observed::Unreadable(unreadable("DescribeKey", &err)),
        }
    }

    /// Only the key's own account can read it.
    pub async fn policy(&self, key_arn: &str) -> Observed<String> {
        match self
            .client
            .get_key_policy()
            .key_id(key_arn)
            .policy_name("default")
            .send()
            .await
        {
            Ok(out) => match out.policy() {
                Some(policy) => Observed::Read(policy.to_owned()),
                None => Observed::Unreadable(super::sdk_error::incomplete("GetKeyPolicy", "no Policy")),
            },
            Err(err) => Observed::Unreadable(unreadable("GetKeyPolicy", &err)),
        }
    }
}
