"""An Organization shaped as AWS Control Tower leaves it, built with real calls in the emulator: the
rule must judge Control Tower's own pipeline, and never tell its users to do what the landing zone
forbids.

What is Control Tower's, with the page each shape comes from:
- In every enrolled account, the recorder `aws-controltower-BaselineConfigRecorder` and the channel
  `aws-controltower-BaselineConfigDeliveryChannel`, recording with the role
  `aws-controltower-ConfigRecorderRole` (AWS Control Tower User Guide, "Resources created in
  enrolled accounts"). Its baseline attaches the AWS managed policy `AWS_ConfigRole`, which moto does
  not load; that policy grants reads for recording and no write to another account's bucket, so
  the role here has none, and Config delivers as its service principal (the documented retry).
- One log archive bucket `aws-controltower-logs-<log archive>-<home Region>`, the key prefix the
  Organization's ID, and the bucket policy of "Amazon S3 bucket policy in the audit account": TLS
  only, GetBucketAcl and ListBucket for the services with no condition, Config's PutObject under
  `<org ID>/AWSLogs/*/*` conditioned on `aws:SourceOrgID`.
- The mandatory SCP of "Disallow Configuration Changes to AWS Config" (GRCONFIGENABLED) and of
  "Disallow Changes to Bucket Policy for AWS Control Tower Created Amazon S3 Buckets in Log
  Archive" on every registered OU (AWS Control Tower Controls Reference, "Mandatory controls"),
  exempting `AWSControlTowerExecution`, a role in every enrolled account.

Ours, deployed beside it as the `examples/control-tower` stacks do: the audit role in every
account (a StackSet in AWS), the log archive reader in the log archive account, the Organization
reader in the management account. What Control Tower's status would say (a delivery that fails,
once its key is disabled) is declared in the override file, as everywhere else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .harness import Emulator
from .organization import AUDIT_ROLE, EXTERNAL_ID, audit_role_trust, organization_trail
from .scenarios import (CONFIG_TRUST, MANAGEMENT, ORG_READER_ROLE, Account, attach_scp, failing_since,
                        reader_role)

HOME_REGION = "us-east-1"
RECORDER = "aws-controltower-BaselineConfigRecorder"
CHANNEL = "aws-controltower-BaselineConfigDeliveryChannel"
RECORDER_ROLE = "aws-controltower-ConfigRecorderRole"
EXECUTION_ROLE = "AWSControlTowerExecution"
READER_ROLE_NAME = "ConfigDeliveryGuardReader"

# The mandatory controls' SCP statements this fixture carries (Controls Reference, "Mandatory controls").
GUARDRAILS = {"Version": "2012-10-17", "Statement": [
    {"Sid": "GRCONFIGENABLED", "Effect": "Deny", "Resource": ["*"],
     "Action": ["config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel",
                "config:DeleteRetentionConfiguration", "config:PutConfigurationRecorder",
                "config:PutDeliveryChannel", "config:PutRetentionConfiguration",
                "config:StopConfigurationRecorder"],
     "Condition": {"ArnNotLike": {"aws:PrincipalARN": f"arn:aws:iam::*:role/{EXECUTION_ROLE}"}}},
    {"Sid": "GRAUDITBUCKETPOLICYCHANGESPROHIBITED", "Effect": "Deny",
     "Action": ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"], "Resource": ["arn:aws:s3:::aws-controltower*"],
     "Condition": {"ArnNotLike": {"aws:PrincipalARN": f"arn:aws:iam::*:role/{EXECUTION_ROLE}"}}},
]}


def log_archive_bucket(log_archive: str) -> str:
    return f"aws-controltower-logs-{log_archive}-{HOME_REGION}"


def bucket_policy(bucket: str, organization: str) -> dict:
    """Control Tower's log archive bucket policy, Config's and the TLS statements."""
    services = {"Service": ["cloudtrail.amazonaws.com", "config.amazonaws.com"]}
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "AllowSSLRequestsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "AWSBucketPermissionsCheck", "Effect": "Allow", "Principal": services,
         "Action": "s3:GetBucketAcl", "Resource": [f"arn:aws:s3:::{bucket}"]},
        {"Sid": "AWSConfigBucketExistenceCheck", "Effect": "Allow", "Principal": services,
         "Action": "s3:ListBucket", "Resource": [f"arn:aws:s3:::{bucket}"]},
        {"Sid": "AWSBucketDeliveryForConfig", "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": [f"arn:aws:s3:::{bucket}/{organization}/AWSLogs/*/*"],
         "Condition": {"StringEquals": {"aws:SourceOrgID": organization}}},
    ]}


@dataclass
class LandingZone:
    emulator: Emulator
    organization: str
    log_archive: str
    audit: str
    accounts: dict[str, str] = field(default_factory=dict)  # name -> account ID
    ous: dict[str, str] = field(default_factory=dict)

    @property
    def bucket(self) -> str:
        return log_archive_bucket(self.log_archive)

    @property
    def reader_role(self) -> str:
        return f"arn:aws:iam::{self.log_archive}:role/{READER_ROLE_NAME}"

    def parameters(self, mode: str, **extra: str) -> dict[str, str]:
        """What the control-tower example's rule is given: Control Tower's bucket and prefix."""
        return {"Mode": mode, "AuditRoleName": AUDIT_ROLE, "AuditRoleExternalId": EXTERNAL_ID,
                "OrganizationReadRoleArn": ORG_READER_ROLE,
                "LogArchiveReadRoleArn": self.reader_role, "ExpectedBucket": self.bucket,
                "ExpectedKeyPrefix": self.organization, "LandingZone": "control-tower", **extra}

    def put_bucket_policy(self, policy: dict) -> None:
        """As AWSControlTowerExecution would (the SCP exempts it; moto does not enforce SCPs)."""
        Account(self.emulator, self.log_archive).client("s3").put_bucket_policy(
            Bucket=self.bucket, Policy=json.dumps(policy))

    def restore_bucket_policy(self) -> None:
        self.put_bucket_policy(bucket_policy(self.bucket, self.organization))


def enroll(acct: Account, bucket: str, organization: str, key_arn: str | None = None) -> None:
    """What Control Tower's baseline deploys in an enrolled account, in one Region."""
    iam = acct.client("iam")
    try:
        iam.create_role(RoleName=RECORDER_ROLE, AssumeRolePolicyDocument=json.dumps(CONFIG_TRUST))
        iam.create_role(RoleName=EXECUTION_ROLE, AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"AWS": f"arn:aws:iam::{MANAGEMENT}:root"}}]}))
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    config = acct.client("config")
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": RECORDER, "roleARN": f"arn:aws:iam::{acct.account}:role/{RECORDER_ROLE}",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": acct.region == HOME_REGION}})
    channel = {"name": CHANNEL, "s3BucketName": bucket, "s3KeyPrefix": organization,
               "configSnapshotDeliveryProperties": {"deliveryFrequency": "TwentyFour_Hours"}}
    if key_arn:
        channel["s3KmsKeyArn"] = key_arn
    config.put_delivery_channel(DeliveryChannel=channel)
    config.start_configuration_recorder(ConfigurationRecorderName=RECORDER)


# name, OU ("" = the root), enrolled
ACCOUNTS = [
    ("log-archive", "Security", True),
    ("audit", "Security", True),
    ("workload-1", "Workloads", True),
    ("workload-2", "Workloads", True),
    ("workload-stopped", "Workloads", True),
    ("workload-keyed", "Workloads", True),
    ("not-enrolled", "Unregistered", False),
]


def build(emulator: Emulator, regions: list[str]) -> LandingZone:
    """The landing zone: Organization, OUs, shared accounts, Control Tower's pipeline in every
    enrolled account and Region, its SCP on the registered OUs, and our roles beside it."""
    org = Account(emulator, MANAGEMENT).client("organizations")
    organization = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root = org.list_roots()["Roots"][0]["Id"]
    ous = {name: org.create_organizational_unit(ParentId=root, Name=name)["OrganizationalUnit"]["Id"]
           for name in ("Security", "Workloads", "Unregistered")}
    accounts = {}
    for name, ou, _ in ACCOUNTS:
        account = org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ous[ou])
        accounts[name] = account
    for registered in ("Security", "Workloads"):
        attach_scp(org, ous[registered], f"aws-guardrails-{registered.lower()}", GUARDRAILS)

    zone = LandingZone(emulator, organization, accounts["log-archive"], accounts["audit"], accounts, ous)
    archive = Account(emulator, zone.log_archive, HOME_REGION)
    archive.client("s3").create_bucket(Bucket=zone.bucket)
    zone.restore_bucket_policy()

    organization_trail(emulator)  # Control Tower's is an organization trail too
    reader_role(emulator, ORG_READER_ROLE, [zone.audit])
    reader_role(emulator, zone.reader_role, [zone.audit])
    for name, _, enrolled in ACCOUNTS:
        account = accounts[name]
        Account(emulator, account).client("iam").create_role(
            RoleName=AUDIT_ROLE, AssumeRolePolicyDocument=json.dumps(audit_role_trust(zone.audit)))
        if enrolled:
            for region in regions:
                enroll(Account(emulator, account, region), zone.bucket, organization)
    for region in regions:
        Account(emulator, accounts["workload-stopped"], region).client("config").stop_configuration_recorder(
            ConfigurationRecorderName=RECORDER)
    disable_landing_zone_key(zone, accounts["workload-keyed"], regions)
    return zone


def disable_landing_zone_key(zone: LandingZone, member: str, regions: list[str]) -> str:
    """The landing zone encrypts with a KMS key (in the management account, as Control Tower requires:
    "Optionally configure AWS KMS keys"), and the key is disabled: Control Tower's channel in `member`
    names it, and Config's status says the deliveries fail. Returns the key's ARN."""
    management = Account(zone.emulator, MANAGEMENT, HOME_REGION)
    policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MANAGEMENT}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "AllowConfigToUseKMSKey", "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}]}
    key = management.client("kms").create_key(Description="Control Tower", Policy=json.dumps(policy))["KeyMetadata"]
    management.client("kms").disable_key(KeyId=key["KeyId"])
    for region in regions:
        acct = Account(zone.emulator, member, region)
        acct.client("config").put_delivery_channel(DeliveryChannel={
            "name": CHANNEL, "s3BucketName": zone.bucket, "s3KeyPrefix": zone.organization,
            "s3KmsKeyArn": key["Arn"]})
        acct.override(failing_since("KMS.DisabledException", f"{key['Arn']} is disabled."))
    return key["Arn"]
