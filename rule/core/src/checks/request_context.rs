//! The request context of each write Config makes to deliver, written down once with a source for
//! every key: what a bucket, key, topic, SCP or RCP condition can see. Every probe builds its
//! requests from this table; a key the documentation does not settle is **unknown**, and a policy
//! whose decision turns on it is "unverified: depends on <key>", never a pass and never a break.
//! `docs/verdicts.md` shows the table (generated: `make docs`).

/// A value the judged pipeline gives a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// The recorder's account.
    Account,
    /// The recorder's ARN, as a pattern over its account and Region (`arn:aws:config:<region>:<account>:*`).
    ConfigArn,
    /// The account's Organization; absent when it is in none.
    Organization,
    /// The writing role's ARN.
    RoleArn,
    /// The writing role's account.
    RoleAccount,
    /// S3 in the recorder's Region, calling KMS for the writer (`s3.<region>.amazonaws.com`).
    S3InRegion,
    /// The server-side encryption S3 would use: `aws:kms` with a channel key, else `AES256`.
    Encryption,
    /// The channel's KMS key.
    ChannelKey,
    /// A fixed value.
    Literal(&'static str),
}

/// Whether a key is in the request, and with what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Documented present, with this value.
    Present(Value),
    /// Documented absent.
    Absent,
    /// Not documented: absent, or one of these values.
    Unknown(&'static [Value]),
}

/// One key of a write's request context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The condition key.
    pub name: &'static str,
    /// When Config writes as its service principal (the service-linked role, or the retry).
    pub as_service: Presence,
    /// When a customer-managed recorder role writes.
    pub as_role: Presence,
    /// Where that comes from.
    pub source: &'static str,
}

/// One write Config makes to deliver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Write {
    /// What it is, for messages.
    pub name: &'static str,
    /// The IAM action.
    pub action: &'static str,
    /// Its request context.
    pub keys: &'static [Key],
    /// Whether delivery fails when it is denied (a denied ListBucket only makes noise in CloudTrail).
    pub breaks_delivery: bool,
}

const IAM_KEYS: &str = "IAM User Guide, \"AWS global condition context keys\"";

const SOURCE_ACCOUNT: Key = Key {
    name: "aws:SourceAccount",
    as_service: Presence::Present(Value::Account),
    as_role: Presence::Absent,
    source: "Config's documented bucket, key and topic policies condition the service principal on it (Config Developer Guide, permissions pages); a role's own request carries none (IAM User Guide: set for service-to-service requests)",
};
const SOURCE_ARN: Key = Key {
    name: "aws:SourceArn",
    as_service: Presence::Present(Value::ConfigArn),
    as_role: Presence::Absent,
    source: "Config Developer Guide, \"Permissions for the Amazon S3 Bucket\": ArnLike aws:SourceArn arn:aws:config:<region>:<account>:* as an alternative; IAM User Guide: set for service-to-service requests only",
};
const SOURCE_ORG_ID_PUT: Key = Key {
    name: "aws:SourceOrgID",
    as_service: Presence::Present(Value::Organization),
    as_role: Presence::Absent,
    source: "AWS Control Tower User Guide, \"Amazon S3 bucket policy in the audit account\": Config's PutObject conditioned on aws:SourceOrgID; IAM User Guide: present where the source account is in an Organization",
};
const SOURCE_ORG_ID_OTHER: Key = Key {
    name: "aws:SourceOrgID",
    as_service: Presence::Unknown(&[Value::Organization]),
    as_role: Presence::Absent,
    source: "undocumented for Config's GetBucketAcl, ListBucket and KMS calls: the Config Developer Guide says organization conditions do not work for service-principal delivery, Control Tower uses aws:SourceOrgID on PutObject only",
};
const PRINCIPAL_IS_SERVICE: Key = Key {
    name: "aws:PrincipalIsAWSService",
    as_service: Presence::Present(Value::Literal("true")),
    as_role: Presence::Present(Value::Literal("false")),
    source: IAM_KEYS,
};
const PRINCIPAL_ORG_ID: Key = Key {
    name: "aws:PrincipalOrgID",
    as_service: Presence::Absent,
    as_role: Presence::Present(Value::Organization),
    source: "IAM User Guide, \"AWS global condition context keys\": present for a principal of an account in an Organization, never for a service principal",
};
const PRINCIPAL_ARN: Key = Key {
    name: "aws:PrincipalArn",
    as_service: Presence::Absent,
    as_role: Presence::Present(Value::RoleArn),
    source: IAM_KEYS,
};
const PRINCIPAL_ACCOUNT: Key = Key {
    name: "aws:PrincipalAccount",
    as_service: Presence::Absent,
    as_role: Presence::Present(Value::RoleAccount),
    source: IAM_KEYS,
};
const SECURE_TRANSPORT: Key = Key {
    name: "aws:SecureTransport",
    as_service: Presence::Present(Value::Literal("true")),
    as_role: Presence::Present(Value::Literal("true")),
    source: "AWS's data-perimeter examples and every Config bucket policy AWS publishes deny non-TLS requests without exempting Config: its writes use TLS",
};
const SOURCE_VPCE: Key = Key {
    name: "aws:SourceVpce",
    as_service: Presence::Absent,
    as_role: Presence::Absent,
    source: "IAM User Guide, \"AWS global condition context keys\": present only for a request through a VPC endpoint; Config writes from AWS's network",
};
const SOURCE_VPC: Key = Key {
    name: "aws:SourceVpc",
    as_service: Presence::Absent,
    as_role: Presence::Absent,
    source: "IAM User Guide, \"AWS global condition context keys\": present only for a request through a VPC endpoint",
};
const SOURCE_IP: Key = Key {
    name: "aws:SourceIp",
    as_service: Presence::Absent,
    as_role: Presence::Unknown(&[Value::Literal("0.0.0.0")]),
    source: "IAM User Guide, \"AWS global condition context keys\": a service calling as itself carries no aws:SourceIp; for a role's session used by Config the key holds an address of AWS's the documentation does not give",
};
const ACL: Key = Key {
    name: "s3:x-amz-acl",
    as_service: Presence::Present(Value::Literal("bucket-owner-full-control")),
    as_role: Presence::Present(Value::Literal("bucket-owner-full-control")),
    source: "AWS Config Developer Guide, \"Permissions for the Amazon S3 Bucket\": the documented PutObject statement requires bucket-owner-full-control",
};
const SSE: Key = Key {
    name: "s3:x-amz-server-side-encryption",
    as_service: Presence::Unknown(&[Value::Encryption]),
    as_role: Presence::Unknown(&[Value::Encryption]),
    source: "undocumented: with a channel KMS key Config encrypts with SSE-KMS (likely aws:kms), without one the header is likely absent; no AWS page says which headers Config sends",
};
const SSE_KEY: Key = Key {
    name: "s3:x-amz-server-side-encryption-aws-kms-key-id",
    as_service: Presence::Unknown(&[Value::ChannelKey]),
    as_role: Presence::Unknown(&[Value::ChannelKey]),
    source: "undocumented, as the encryption header",
};
const VIA_SERVICE: Key = Key {
    name: "kms:ViaService",
    as_service: Presence::Unknown(&[Value::S3InRegion]),
    as_role: Presence::Present(Value::S3InRegion),
    source: "AWS KMS Developer Guide, \"kms:ViaService\": set when an AWS service calls KMS on a principal's behalf (S3 for the role's SSE-KMS write); undocumented for Config's service principal calling KMS",
};
const CALLER_ACCOUNT: Key = Key {
    name: "kms:CallerAccount",
    as_service: Presence::Unknown(&[Value::Account]),
    as_role: Presence::Present(Value::RoleAccount),
    source: "AWS KMS Developer Guide, \"kms:CallerAccount\": the caller's account for an IAM principal; undocumented for a service principal",
};

/// The keys every write's context has an entry for, then the write's own.
macro_rules! keys {
    ($($own:expr),* $(,)?) => {
        [
            SOURCE_ACCOUNT,
            SOURCE_ARN,
            PRINCIPAL_IS_SERVICE,
            PRINCIPAL_ORG_ID,
            PRINCIPAL_ARN,
            PRINCIPAL_ACCOUNT,
            SECURE_TRANSPORT,
            SOURCE_VPCE,
            SOURCE_VPC,
            SOURCE_IP,
            $($own),*
        ]
    };
}

const PUT_KEYS: [Key; 14] = keys!(SOURCE_ORG_ID_PUT, ACL, SSE, SSE_KEY);
const BUCKET_KEYS: [Key; 11] = keys!(SOURCE_ORG_ID_OTHER);
const KMS_KEYS_OF_WRITE: [Key; 13] = keys!(SOURCE_ORG_ID_OTHER, VIA_SERVICE, CALLER_ACCOUNT);

/// Every write Config makes to deliver, with its request context.
pub const WRITES: [Write; 7] = [
    Write {
        name: "snapshot PutObject",
        action: "s3:PutObject",
        keys: &PUT_KEYS,
        breaks_delivery: true,
    },
    Write {
        name: "history PutObject",
        action: "s3:PutObject",
        keys: &PUT_KEYS,
        breaks_delivery: true,
    },
    Write {
        name: "GetBucketAcl",
        action: "s3:GetBucketAcl",
        keys: &BUCKET_KEYS,
        breaks_delivery: true,
    },
    Write {
        name: "ListBucket",
        action: "s3:ListBucket",
        keys: &BUCKET_KEYS,
        breaks_delivery: false,
    },
    Write {
        name: "GenerateDataKey",
        action: "kms:GenerateDataKey",
        keys: &KMS_KEYS_OF_WRITE,
        breaks_delivery: true,
    },
    Write {
        name: "Decrypt",
        action: "kms:Decrypt",
        keys: &KMS_KEYS_OF_WRITE,
        breaks_delivery: true,
    },
    Write {
        name: "SNS Publish",
        action: "sns:Publish",
        keys: &BUCKET_KEYS,
        breaks_delivery: false,
    },
];

/// What the values resolve to for one pipeline.
#[derive(Debug, Clone, Copy)]
pub struct Pipeline<'a> {
    /// The recorder's account.
    pub account: &'a str,
    /// The recorder's Region.
    pub region: &'a str,
    /// The account's Organization, when it is in one and that was read.
    pub organization: Option<&'a str>,
    /// The writing role, when a role writes.
    pub role: Option<(&'a str, &'a str)>,
    /// The channel's KMS key.
    pub channel_key: Option<&'a str>,
}

impl Value {
    /// The value for this pipeline; None when it has none (no Organization, no channel key).
    pub fn resolve(self, pipeline: &Pipeline<'_>) -> Option<String> {
        let (account, region) = (pipeline.account, pipeline.region);
        match self {
            Self::Account => Some(account.to_owned()),
            Self::ConfigArn => Some(format!("arn:aws:config:{region}:{account}:*")),
            Self::Organization => pipeline.organization.map(str::to_owned),
            Self::RoleArn => pipeline.role.map(|(arn, _)| arn.to_owned()),
            Self::RoleAccount => pipeline.role.map(|(_, account)| account.to_owned()),
            Self::S3InRegion => Some(format!("s3.{region}.amazonaws.com")),
            Self::Encryption => Some(
                if pipeline.channel_key.is_some() {
                    "aws:kms"
                } else {
                    "AES256"
                }
                .to_owned(),
            ),
            Self::ChannelKey => pipeline.channel_key.map(str::to_owned),
            Self::Literal(value) => Some(value.to_owned()),
        }
    }

    /// How the docs show it.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Account => "the recorder's account",
            Self::ConfigArn => "`arn:aws:config:<region>:<account>:*`",
            Self::Organization => "the account's Organization",
            Self::RoleArn => "the role's ARN",
            Self::RoleAccount => "the role's account",
            Self::S3InRegion => "`s3.<region>.amazonaws.com`",
            Self::Encryption => "`aws:kms` (channel key) or `AES256`",
            Self::ChannelKey => "the channel's key",
            Self::Literal(value) => value,
        }
    }
}

/// One request's context for the writer: the keys documented present with their values, and the
/// unknown keys with the values they may take besides being absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// Documented present.
    pub present: Vec<(&'static str, String)>,
    /// Not documented: absent, or one of these.
    pub unknown: Vec<(&'static str, Vec<String>)>,
}

/// The request context of `write` for this pipeline, as its service principal or as its role.
pub fn context(write: &Write, pipeline: &Pipeline<'_>, as_service: bool) -> Context {
    let mut found = Context::default();
    for key in write.keys {
        let presence = if as_service { key.as_service } else { key.as_role };
        match presence {
            Presence::Present(value) => {
                if let Some(value) = value.resolve(pipeline) {
                    found.present.push((key.name, value));
                }
            }
            Presence::Absent => {}
            Presence::Unknown(values) => {
                let values: Vec<String> = values.iter().filter_map(|v| v.resolve(pipeline)).collect();
                if !values.is_empty() {
                    found.unknown.push((key.name, values));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline() -> Pipeline<'static> {
        Pipeline {
            account: "111111111111",
            region: "eu-west-1",
            organization: Some("o-abc123"),
            role: None,
            channel_key: Some("arn:aws:kms:eu-west-1:222222222222:key/k"),
        }
    }

    #[test]
    fn every_key_of_every_write_names_its_source() {
        for write in &WRITES {
            for key in write.keys {
                assert!(!key.source.is_empty(), "{} {}", write.name, key.name);
            }
            let names: Vec<&str> = write.keys.iter().map(|k| k.name).collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "{}: a key twice", write.name);
        }
    }

    #[test]
    fn the_service_principal_carries_its_source_and_no_principal_keys() {
        let put = context(&WRITES[0], &pipeline(), true);
        let present: Vec<&str> = put.present.iter().map(|(k, _)| *k).collect();
        assert!(present.contains(&"aws:SourceAccount") && present.contains(&"aws:SourceOrgID"));
        assert!(!present.contains(&"aws:PrincipalOrgID") && !present.contains(&"aws:SourceVpce"));
        let unknown: Vec<&str> = put.unknown.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            unknown,
            [
                "s3:x-amz-server-side-encryption",
                "s3:x-amz-server-side-encryption-aws-kms-key-id"
            ]
        );
        let acl = context(&WRITES[2], &pipeline(), true);
        assert_eq!(acl.unknown, [("aws:SourceOrgID", vec!["o-abc123".to_owned()])]);
    }

    #[test]
    fn a_role_carries_its_own_keys_and_kms_sees_s3() {
        let with_role = Pipeline {
            role: Some(("arn:aws:iam::111111111111:role/r", "111111111111")),
            ..pipeline()
        };
        let kms = context(&WRITES[4], &with_role, false);
        assert!(
            kms.present
                .contains(&("kms:ViaService", "s3.eu-west-1.amazonaws.com".to_owned()))
        );
        assert!(
            kms.present
                .contains(&("aws:PrincipalOrgID", "o-abc123".to_owned()))
        );
        assert!(!kms.present.iter().any(|(k, _)| *k == "aws:SourceAccount"));
    }
}
