"""Real pipelines, healthy and broken, built in the emulator with boto3 the way a user's account is.

Each scenario lives in its own account. What moto models (buckets, keys, recorders, channels, IAM
roles) is created and broken for real; what moto cannot derive (a delivery that fails because the
recorder role lost s3:PutObject, a delivery three days old) is set through the launcher's override
file, and says so.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from typing import Any, Callable

import boto3

from .harness import REGION, Emulator

SERVICE_LINKED_ROLE = "arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
RULE_ROLE = "ConfigDeliveryGuardRule"
# What a live run passes on from its environment to boto3 and the rule.
AMBIENT_CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                       "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")


def credentials(emulator: Emulator, account: str) -> dict[str, str]:
    """Credentials of a role in `account`, from the emulator's STS: moto attributes them to that account.
    Against a sandbox (`emulator.live`), the caller's own credentials, from its environment."""
    if getattr(emulator, "live", False):
        return {k: v for k, v in os.environ.items() if k in AMBIENT_CREDENTIALS}
    deploy_function_role(emulator, account)
    sts = boto3.client(
        "sts", endpoint_url=emulator.url, region_name=REGION,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{RULE_ROLE}", RoleSessionName="delivery-guard")[
        "Credentials"
    ]
    return {
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }


LAMBDA_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def deploy_function_role(emulator: Emulator, account: str) -> None:
    """The rule's function role in `account`, trusting Lambda, as the Terraform module deploys it
    (created by the account itself: moto's x-moto-account-id). The emulator's AssumeRole is strict
    for it: the harness's own credentials stand for the Lambda service, and a role that is gone or
    no longer trusts Lambda is refused. An existing role is left as it is; once per account until
    the emulator is reset."""
    deployed = getattr(emulator, "function_roles", None)
    if deployed is not None and account in deployed:
        return
    iam = boto3.client("iam", endpoint_url=emulator.url, region_name=REGION,
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    iam.meta.events.register("before-sign.iam.*",
                             lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
    try:
        iam.create_role(RoleName=RULE_ROLE, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    if deployed is not None:
        deployed.add(account)


def rule_env(emulator: Emulator, account: str, region: str = REGION) -> dict[str, str]:
    """The environment the rule runs with in `account`: its credentials, region and the endpoint
    (none for AWS itself)."""
    endpoint = {"AWS_ENDPOINT_URL": emulator.url} if emulator.url else {}
    return {**credentials(emulator, account), "AWS_REGION": region, **endpoint}


def bucket_policy(bucket: str, account: str) -> dict:
    """The bucket policy of the AWS Config Developer Guide (reference section 8.1)."""
    config = {"Service": "config.amazonaws.com"}
    source = {"StringEquals": {"AWS:SourceAccount": account}}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AWSConfigBucketPermissionsCheck", "Effect": "Allow", "Principal": config,
             "Action": "s3:GetBucketAcl", "Resource": f"arn:aws:s3:::{bucket}", "Condition": source},
            {"Sid": "AWSConfigBucketExistenceCheck", "Effect": "Allow", "Principal": config,
             "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}", "Condition": source},
            {"Sid": "AWSConfigBucketDelivery", "Effect": "Allow", "Principal": config, "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{account}/Config/*",
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "AWS:SourceAccount": account}}},
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        ],
    }


def key_policy(account: str) -> dict:
    """The key policy of the AWS Config Developer Guide (reference section 8.2)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "EnableRootAccess", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "AWSConfigKMSPolicy", "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
             "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
             "Condition": {"StringEquals": {"AWS:SourceAccount": account}}},
        ],
    }


class Account:
    """boto3 clients acting inside one emulated account."""

    def __init__(self, emulator: Emulator, account: str, region: str = REGION):
        if getattr(emulator, "live", False):  # a sandbox: the caller's own credentials
            self.session = boto3.Session(region_name=region)
        else:
            env = credentials(emulator, account)
            self.session = boto3.Session(
                aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                aws_session_token=env["AWS_SESSION_TOKEN"],
                region_name=region,
            )
        self.emulator, self.account, self.region = emulator, account, region

    def client(self, service: str):
        return self.session.client(service, endpoint_url=self.emulator.url or None)

    @property
    def bucket(self) -> str:
        # A sandbox run names everything it creates with its own prefix.
        return f"{getattr(self.emulator, 'prefix', '')}config-logs-{self.account}-{self.region}"

    def pipeline(self, role_arn: str | None = None, recorder: bool = True, channel: bool = True) -> dict[str, str]:
        """A complete pipeline: bucket and KMS key with the policies AWS documents for Config,
        recorder (service-linked role by default), channel."""
        s3 = self.client("s3")
        if self.region == "us-east-1":
            s3.create_bucket(Bucket=self.bucket)
        else:  # S3 wants the region named everywhere else
            s3.create_bucket(Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": self.region})
        s3.put_bucket_policy(Bucket=self.bucket, Policy=json.dumps(bucket_policy(self.bucket, self.account)))
        prefix = getattr(self.emulator, "prefix", "")  # a sandbox run finds its keys by this tag
        tags = [{"TagKey": "config-delivery-guard-conformance", "TagValue": prefix}] if prefix else []
        key = self.client("kms").create_key(
            Description="AWS Config delivery", Policy=json.dumps(key_policy(self.account)), Tags=tags
        )["KeyMetadata"]
        key_arn = key["Arn"]
        config = self.client("config")
        if recorder:
            config.put_configuration_recorder(
                ConfigurationRecorder={
                    "name": "default",
                    "roleARN": role_arn or SERVICE_LINKED_ROLE.format(account=self.account),
                    "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
                }
            )
        if recorder and channel:
            config.put_delivery_channel(
                DeliveryChannel={
                    "name": "default",
                    "s3BucketName": self.bucket,
                    "s3KmsKeyArn": key_arn,
                    "configSnapshotDeliveryProperties": {"deliveryFrequency": "TwentyFour_Hours"},
                }
            )
        if recorder and channel:  # Config refuses to start a recorder without a channel
            config.start_configuration_recorder(ConfigurationRecorderName="default")
        return {"bucket": self.bucket, "key_arn": key_arn, "key_id": key["KeyId"]}

    def override(self, values: dict) -> None:
        self.emulator.set_overrides(self.account, self.region, values)


def healthy(acct: Account) -> None:
    acct.pipeline()


def recorder_stopped(acct: Account) -> None:
    acct.pipeline()
    acct.client("config").stop_configuration_recorder(ConfigurationRecorderName="default")


def no_delivery_channel(acct: Account) -> None:
    acct.pipeline(channel=False)


def role_lost_put_object(acct: Account) -> None:
    """A customer-managed recorder role whose policy no longer allows s3:PutObject.

    The role and its policy are real IAM objects in the emulator; moto cannot evaluate them into a
    delivery status, so the failure Config reports is set in the override file.
    """
    iam = acct.client("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    role = iam.create_role(RoleName="config-recorder", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    policy = {  # s3:PutObject removed: only the ACL check remains
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetBucketAcl", "Resource": f"arn:aws:s3:::{acct.bucket}"}],
    }
    iam.put_role_policy(RoleName="config-recorder", PolicyName="delivery", PolicyDocument=json.dumps(policy))
    acct.pipeline(role_arn=role["Arn"])
    # Config's own account of it: the snapshot six hours ago went through; history writes since fail.
    acct.override({"delivery_timeline": [
        {"at": "now-6h", "status": "Success"},
        {"at": "now-10m", "status": "Failure", "code": "InsufficientDeliveryPolicyException",
         "message": "unable to write to bucket", "parts": ["history"]},
    ]})


def failing_since(code: str, message: str, failed: str = "now-6h", succeeded: str = "now-30h") -> dict:
    """A timeline: deliveries succeeded until `succeeded`, the attempt at `failed` failed with `code`."""
    return {"delivery_timeline": [
        {"at": succeeded, "status": "Success"},
        {"at": failed, "status": "Failure", "code": code, "message": message},
    ]}


def delivered_after_repair(code: str) -> dict:
    """The timeline once repaired: the attempt six hours ago failed with `code`, the delivery after
    the repair, five minutes ago, succeeded (Config keeps the old error code on record)."""
    return {"delivery_timeline": [
        {"at": "now-6h", "status": "Failure", "code": code, "message": "before the repair"},
        {"at": "now-5m", "status": "Success"},
    ]}


def bucket_deleted(acct: Account) -> None:
    acct.pipeline()
    acct.client("s3").delete_bucket(Bucket=acct.bucket)
    acct.override(failing_since("NoSuchBucket", "The specified bucket does not exist"))


def kms_key_disabled(acct: Account) -> None:
    # By key ID: moto 5.2.5's DisableKey does not resolve key ARNs.
    key = acct.pipeline()
    acct.client("kms").disable_key(KeyId=key["key_id"])
    acct.override(failing_since("KMS.DisabledException", f"{key['key_arn']} is disabled."))


def delivery_stale(acct: Account) -> None:
    """The last delivery, three days ago, succeeded; none was attempted since."""
    acct.pipeline()
    acct.override({"delivery_timeline": [{"at": "now-72h", "status": "Success"}]})


def bucket_deleted_after_last_delivery(acct: Account) -> None:
    """Config's status still says Success (the last delivery went through), but the bucket has been
    deleted since: the next delivery will fail. Status and probes disagree; the probes are right."""
    acct.pipeline()
    acct.client("s3").delete_bucket(Bucket=acct.bucket)
    acct.override({"delivery_timeline": [{"at": "now-2h", "status": "Success"}]})


def failure_outside_what_is_read(acct: Account) -> None:
    """Config says the last deliveries failed with AccessDenied, yet every probe passes: the cause is
    outside what the rule reads (an S3 Access Point or VPC endpoint policy, a bucket-level setting
    Config meets but the probes do not model). The verdict keeps the error code and says so."""
    acct.pipeline()
    acct.override(failing_since("AccessDenied", "Access Denied", failed="now-2h"))


def status_lags_repair(acct: Account) -> None:
    """The bucket was deleted and re-created with the policy AWS documents; Config's status still
    shows the failed attempt until its next delivery, one period later (the timeline declares it)."""
    acct.pipeline()
    acct.override({"delivery_timeline": [
        {"at": "now-49h", "status": "Success"},
        {"at": "now-25h", "status": "Failure", "code": "NoSuchBucket", "message": "The specified bucket does not exist"},
        {"at": "now-1h", "status": "Failure", "code": "NoSuchBucket", "message": "The specified bucket does not exist"},
        {"at": "now+23h", "status": "Success"},
    ]})


def success_too_old_after_successful_attempt(acct: Account) -> None:
    """The last attempt says Success ten minutes ago, but the last successful delivery Config records
    is three days old: a success status is not trusted against an old lastSuccessfulTime."""
    acct.pipeline()
    fields = {"lastStatus": "Success", "lastAttemptTime": "now-10m", "lastSuccessfulTime": "now-72h",
              "nextDeliveryTime": "now+23h"}
    acct.override({"delivery_status": {"snapshot": fields, "history": fields}})


def upper_case_success(acct: Account) -> None:
    """Status strings as the AWS CLI samples show them: SUCCESS, NOT_APPLICABLE."""
    acct.pipeline()
    acct.override(
        {
            "delivery_status": {
                "snapshot": {"lastStatus": "SUCCESS"},
                "history": {"lastStatus": "SUCCESS"},
                "stream": {"lastStatus": "NOT_APPLICABLE"},
            },
            "recorder_status": {"lastStatus": "SUCCESS"},
        }
    )


def upper_case_failure(acct: Account) -> None:
    acct.pipeline()
    acct.override(
        {
            "delivery_status": {
                "snapshot": {"lastStatus": "FAILURE", "lastErrorCode": "NoSuchBucket", "lastSuccessfulTime": "now-2d"},
            }
        }
    )


def service_linked_only(acct: Account) -> None:
    """Security Hub's INTERNAL recorder, and no customer-managed recorder or channel."""
    acct.client("s3").create_bucket(Bucket=acct.bucket)
    acct.override(
        {
            "service_linked_recorders": [
                {"name": "AWSConfigurationRecorderForSecurityHub", "servicePrincipal": "securityhub.amazonaws.com"}
            ]
        }
    )


def bucket_denies_config(acct: Account) -> None:
    """Someone appended an explicit Deny for config.amazonaws.com; the next delivery will fail."""
    acct.pipeline()
    policy = bucket_policy(acct.bucket, acct.account)
    policy["Statement"].append(
        {"Sid": "DenyConfigWrites", "Effect": "Deny", "Principal": {"Service": "config.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{acct.bucket}/*"}
    )
    acct.client("s3").put_bucket_policy(Bucket=acct.bucket, Policy=json.dumps(policy))


def bucket_grants_other_account(acct: Account) -> None:
    """The bucket policy was rewritten for another account only."""
    acct.pipeline()
    policy = bucket_policy(acct.bucket, "123412341234")
    acct.client("s3").put_bucket_policy(Bucket=acct.bucket, Policy=json.dumps(policy))


def key_pending_deletion(acct: Account) -> None:
    """Deletion scheduled; deliveries have not failed yet (Config's status still says Success)."""
    key_id = acct.pipeline()["key_id"]
    acct.client("kms").schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    acct.override({"delivery_timeline": [{"at": "now-1h", "status": "Success"}]})


def key_policy_without_generate_data_key(acct: Account) -> None:
    key_id = acct.pipeline()["key_id"]
    policy = key_policy(acct.account)
    policy["Statement"][1]["Action"] = ["kms:Decrypt"]
    acct.client("kms").put_key_policy(KeyId=key_id, PolicyName="default", Policy=json.dumps(policy))


def object_lock_retention(acct: Account) -> None:
    """Object Lock default retention on the delivery bucket: unsupported by Config."""
    s3 = acct.client("s3")
    acct.pipeline()
    s3.delete_bucket_policy(Bucket=acct.bucket)
    s3.delete_bucket(Bucket=acct.bucket)
    s3.create_bucket(Bucket=acct.bucket, ObjectLockEnabledForBucket=True)
    s3.put_bucket_policy(Bucket=acct.bucket, Policy=json.dumps(bucket_policy(acct.bucket, acct.account)))
    s3.put_object_lock_configuration(
        Bucket=acct.bucket,
        ObjectLockConfiguration={"ObjectLockEnabled": "Enabled",
                                 "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}},
    )


def reader_without_get_bucket_policy(acct: Account) -> None:
    """A healthy pipeline, but the rule may not read the bucket policy (AccessDenied, as S3 says it)."""
    acct.pipeline()
    acct.override({"faults": [{"operation": "GetBucketPolicy", "fault": "access_denied"}]})


def bucket_default_key_disabled(acct: Account) -> None:
    """No key on the channel: S3 encrypts with the bucket's default SSE-KMS key, which was disabled."""
    acct.pipeline()
    config = acct.client("config")
    channel = config.describe_delivery_channels()["DeliveryChannels"][0]
    channel.pop("s3KmsKeyArn", None)
    config.put_delivery_channel(DeliveryChannel=channel)
    kms = acct.client("kms")
    key = kms.create_key(Description="bucket default", Policy=json.dumps(key_policy(acct.account)))["KeyMetadata"]
    acct.client("s3").put_bucket_encryption(
        Bucket=acct.bucket,
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["Arn"]}, "BucketKeyEnabled": True}]},
    )
    kms.disable_key(KeyId=key["KeyId"])


MANAGEMENT = "100000000000"
ORG_READER_ROLE = f"arn:aws:iam::{MANAGEMENT}:role/ConfigDeliveryGuardOrgReader"


def reader_role(emulator: Emulator, role_arn: str, rule_accounts: list[str]) -> None:
    """Creates a read-only role the rule assumes (strict in the emulator), trusting only the rule's
    own role in each of `rule_accounts`, as the Terraform modules deploy it."""
    account, name = role_arn.split(":")[4], role_arn.rsplit("/", 1)[-1]
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": [f"arn:aws:iam::{a}:role/{RULE_ROLE}" for a in rule_accounts]},
    }]}
    iam = Account(emulator, account).client("iam")
    try:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    except iam.exceptions.EntityAlreadyExistsException:
        iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust))


CONFIG_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
                "Action": "sts:AssumeRole"}]}


def member_in_ou(acct: Account, name: str, rcps: bool = False) -> tuple[Any, str, str]:
    """A real Organization in the emulator with one member account in OU "workloads": the
    management account's Organizations client, the OU and the member's ID (Organizations assigns it)."""
    org = Account(acct.emulator, MANAGEMENT, acct.region).client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    if rcps:
        org.enable_policy_type(RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
    ou = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]["Id"]
    member_id = org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]["AccountId"]
    org.move_account(AccountId=member_id, SourceParentId=root, DestinationParentId=ou)
    reader_role(acct.emulator, ORG_READER_ROLE, [member_id])
    return org, ou, member_id


def attach_scp(org: Any, target: str, name: str, document: dict) -> None:
    policy = org.create_policy(Content=json.dumps(document), Description="", Name=name,
                               Type="SERVICE_CONTROL_POLICY")["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=policy, TargetId=target)


def scp_denies_recorder_role(acct: Account) -> str:
    """A member account whose customer-managed recorder role may write, but an SCP on its OU denies
    s3:PutObject to that role. The member account's ID is returned so the scenario runs there."""
    org, ou, member_id = member_in_ou(acct, "member")
    attach_scp(org, ou, "deny-recorder-writes", {"Version": "2012-10-17", "Statement": [
        {"Sid": "NoRecorderWrites", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "*",
         "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/config-recorder"}}}]})
    member = Account(acct.emulator, member_id, acct.region)
    iam = member.client("iam")
    role = iam.create_role(RoleName="config-recorder", AssumeRolePolicyDocument=json.dumps(CONFIG_TRUST))["Role"]
    grants = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*",
              "Action": ["s3:PutObject", "s3:PutObjectAcl", "s3:GetBucketAcl", "kms:GenerateDataKey", "kms:Decrypt"]}]}
    iam.put_role_policy(RoleName="config-recorder", PolicyName="delivery", PolicyDocument=json.dumps(grants))
    member.pipeline(role_arn=role["Arn"])
    return member_id


# The Organization a copied RCP names instead of ours.
COPIED_ORG_ID = "o-c0p1edf0rm"


def rcp_requires_source_org_id(acct: Account) -> str:
    """An RCP on the root denies S3 to AWS services unless aws:SourceOrgID is another Organization's
    (a policy copied from elsewhere): Config, which sends its account's Organization, is refused by
    the member's own bucket. The member's DescribeOrganization gives the rule the real ID."""
    org = Account(acct.emulator, MANAGEMENT, acct.region).client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    org.enable_policy_type(RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
    member_id = org.create_account(Email="logs@example.com", AccountName="logs")["CreateAccountStatus"]["AccountId"]
    rcp = {"Version": "2012-10-17", "Statement": [{"Sid": "ServicesFromOurOrgOnly", "Effect": "Deny", "Principal": "*",
           "Action": "s3:*", "Resource": "*",
           "Condition": {"StringNotEqualsIfExists": {"aws:SourceOrgID": COPIED_ORG_ID},
                         "Bool": {"aws:PrincipalIsAWSService": "true"}}}]}
    policy = org.create_policy(Content=json.dumps(rcp), Description="", Name="services-from-our-org",
                               Type="RESOURCE_CONTROL_POLICY")["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=policy, TargetId=root)
    reader_role(acct.emulator, ORG_READER_ROLE, [member_id])
    Account(acct.emulator, member_id, acct.region).pipeline()
    return member_id


def customer_role_in_organization(acct: Account) -> str:
    """A healthy member whose customer-managed recorder role (an inline and a managed policy) delivers
    under SCPs and RCPs that allow it: every probe the rule has is called, and passes."""
    org, ou, member_id = member_in_ou(acct, "probed", rcps=True)
    attach_scp(org, ou, "no-new-vpcs", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "ec2:CreateVpc", "Resource": "*"}]})
    member = Account(acct.emulator, member_id, acct.region)
    iam = member.client("iam")
    role = iam.create_role(RoleName="config-recorder", AssumeRolePolicyDocument=json.dumps(CONFIG_TRUST))["Role"]
    s3_grants = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*",
                 "Action": ["s3:PutObject", "s3:PutObjectAcl", "s3:GetBucketAcl"]}]}
    iam.put_role_policy(RoleName="config-recorder", PolicyName="delivery", PolicyDocument=json.dumps(s3_grants))
    kms_grants = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*",
                  "Action": ["kms:GenerateDataKey", "kms:Decrypt"]}]}
    managed = iam.create_policy(PolicyName="config-delivery-kms", PolicyDocument=json.dumps(kms_grants))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="config-recorder", PolicyArn=managed)
    member.pipeline(role_arn=role["Arn"])
    return member_id


LOG_ARCHIVE = "999999999999"
READER_ROLE = f"arn:aws:iam::{LOG_ARCHIVE}:role/ConfigDeliveryGuardReader"


def central_bucket(acct: Account) -> None:
    """Bucket and key in a separate log-archive account, readable through the reader role."""
    archive = Account(acct.emulator, LOG_ARCHIVE, acct.region)
    reader_role(acct.emulator, READER_ROLE, [acct.account])
    bucket = f"central-config-logs-{acct.account}"
    s3 = archive.client("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(bucket_policy(bucket, acct.account)))
    policy = key_policy(acct.account)
    policy["Statement"][0]["Principal"]["AWS"] = f"arn:aws:iam::{LOG_ARCHIVE}:root"
    key = archive.client("kms").create_key(Description="central", Policy=json.dumps(policy))["KeyMetadata"]
    config = acct.client("config")
    config.put_configuration_recorder(
        ConfigurationRecorder={"name": "default", "roleARN": SERVICE_LINKED_ROLE.format(account=acct.account),
                               "recordingGroup": {"allSupported": True}}
    )
    config.put_delivery_channel(
        DeliveryChannel={"name": "default", "s3BucketName": bucket, "s3KmsKeyArn": key["Arn"]}
    )
    config.start_configuration_recorder(ConfigurationRecorderName="default")


@dataclass(frozen=True)
class Scenario:
    name: str
    account: str
    story: str
    seed: Callable[[Account], str | None]
    expected_compliance: str
    expected_check: str | None
    parameters: dict | None = None
    # Words the annotation Config receives must carry (the error code kept, the cause said).
    annotation_has: tuple[str, ...] = ()
    # Seeded with real calls only, in one account, and judged on what AWS itself would say: the
    # scenarios `make conformance` can run in a sandbox account.
    portable: bool = False


SCENARIOS = {
    s.name: s
    for s in [
        Scenario("healthy", "111111111111", "everything works", healthy, "COMPLIANT", None, portable=True),
        Scenario(
            "role-lost-put-object", "222222222222", "recorder role lost s3:PutObject",
            role_lost_put_object, "NON_COMPLIANT", "channel.history-delivery-failure",
        ),
        Scenario(
            "bucket-deleted", "333333333333", "the log bucket was deleted",
            bucket_deleted, "NON_COMPLIANT", "channel.snapshot-delivery-failure",
        ),
        Scenario(
            "kms-key-disabled", "444444444444", "the delivery KMS key was disabled",
            kms_key_disabled, "NON_COMPLIANT", "channel.snapshot-delivery-failure",
        ),
        Scenario(
            "delivery-stale", "555555555555", "nothing delivered for three days",
            delivery_stale, "NON_COMPLIANT", "channel.delivery-stale",
        ),
        Scenario(
            "recorder-stopped", "666666666666", "someone stopped the recorder",
            recorder_stopped, "NON_COMPLIANT", "recorder.not-recording",
            portable=True,
        ),
        Scenario(
            "no-delivery-channel", "777777777777", "the delivery channel was never created",
            no_delivery_channel, "NON_COMPLIANT", "channel.missing",
            portable=True,
        ),
        Scenario(
            "upper-case-success", "888888888888", "statuses in upper case (SUCCESS)",
            upper_case_success, "COMPLIANT", None,
        ),
        Scenario(
            "upper-case-failure", "888888888889", "statuses in upper case (FAILURE)",
            upper_case_failure, "NON_COMPLIANT", "channel.snapshot-delivery-failure",
        ),
        Scenario(
            "service-linked-only", "999999999990", "only Security Hub's service-linked recorder",
            service_linked_only, "NON_COMPLIANT", "recorder.service-linked-only",
        ),
        Scenario(
            "bucket-denies-config", "101010101010", "bucket policy explicitly denies Config (latent)",
            bucket_denies_config, "NON_COMPLIANT", "bucket.policy-denies-delivery",
            portable=True,
        ),
        Scenario(
            "bucket-grants-other-account", "101010101011", "bucket policy grants another account only",
            bucket_grants_other_account, "NON_COMPLIANT", "bucket.policy-denies-delivery",
            portable=True,
        ),
        Scenario(
            "key-pending-deletion", "101010101012", "KMS key scheduled for deletion (latent)",
            key_pending_deletion, "NON_COMPLIANT", "key.pending-deletion",
        ),
        Scenario(
            "key-policy-no-generate-data-key", "101010101013", "key policy lacks kms:GenerateDataKey",
            key_policy_without_generate_data_key, "NON_COMPLIANT", "key.policy-denies-delivery",
            portable=True,
        ),
        Scenario(
            "object-lock-retention", "101010101014", "Object Lock default retention on the bucket",
            object_lock_retention, "NON_COMPLIANT", "bucket.object-lock-retention",
            portable=True,
        ),
        Scenario(
            "bucket-default-key-disabled", "101010101017", "the bucket's default SSE-KMS key was disabled",
            bucket_default_key_disabled, "NON_COMPLIANT", "key.disabled",
        ),
        Scenario(
            "bucket-deleted-after-last-delivery", "101010101018",
            "status says Success, but the bucket is gone since the last delivery (latent)",
            bucket_deleted_after_last_delivery, "NON_COMPLIANT", "bucket.missing",
            annotation_has=("latent: ",),
        ),
        Scenario(
            "failure-outside-what-is-read", "101010101019",
            "status says Failure (AccessDenied) while every probe passes",
            failure_outside_what_is_read, "NON_COMPLIANT", "channel.snapshot-delivery-failure",
            annotation_has=("AccessDenied", "no probe finds the cause"),
        ),
        Scenario(
            "status-lags-repair", "101010101020",
            "repaired, but the status shows the failed attempt until the next delivery",
            status_lags_repair, "NON_COMPLIANT", "channel.snapshot-delivery-failure",
            annotation_has=("NoSuchBucket", "no probe finds the cause"),
        ),
        Scenario(
            "success-too-old", "101010101021",
            "the last attempt succeeded, but the last success on record is three days old",
            success_too_old_after_successful_attempt, "NON_COMPLIANT", "channel.delivery-stale",
        ),
        Scenario(
            "reader-without-get-bucket-policy", "101010101015", "the rule may not read the bucket policy",
            reader_without_get_bucket_policy, "COMPLIANT", "probe.unverified",
        ),
        Scenario(
            "central-bucket", "101010101016", "bucket and key in the log-archive account, read via a role",
            central_bucket, "COMPLIANT", None, {"LogArchiveReadRoleArn": READER_ROLE},
        ),
        Scenario(
            "scp-denies-recorder-role", "(assigned)", "an SCP on the OU denies the recorder role s3:PutObject",
            scp_denies_recorder_role, "NON_COMPLIANT", "organization.scp-denies-delivery",
            {"OrganizationReadRoleArn": ORG_READER_ROLE},
        ),
        Scenario(
            "customer-role-in-organization", "(assigned)", "a customer-managed role under SCPs and RCPs that allow it",
            customer_role_in_organization, "COMPLIANT", None, {"OrganizationReadRoleArn": ORG_READER_ROLE},
        ),
        Scenario(
            "rcp-requires-source-org-id", "(assigned)", "an RCP demands another Organization's aws:SourceOrgID of AWS services",
            rcp_requires_source_org_id, "NON_COMPLIANT", "organization.rcp-denies-delivery",
            {"OrganizationReadRoleArn": ORG_READER_ROLE},
        ),
    ]
}

DEMO = [
    "healthy",
    "role-lost-put-object",
    "bucket-deleted",
    "kms-key-disabled",
    "delivery-stale",
    "recorder-stopped",
    "bucket-denies-config",
    "key-pending-deletion",
]


def seed(emulator: Emulator, name: str, account: str | None = None) -> Scenario:
    """Builds the scenario (in `account` when given: a sandbox's own); a seed that had to use
    another account (one Organizations created) returns it, and the scenario runs there."""
    scenario = SCENARIOS[name] if account is None else replace(SCENARIOS[name], account=account)
    # "(assigned)": Organizations will name the account; the seed starts from the management account.
    start = scenario.account if scenario.account.isdigit() else MANAGEMENT
    elsewhere = scenario.seed(Account(emulator, start))
    return replace(scenario, account=elsewhere) if elsewhere else scenario


def config_event(
    account: str,
    token: str = "result-token",
    parameters: dict | None = None,
    left_scope: bool | None = None,
    when: str = "2026-01-01T00:00:00.000Z",
) -> dict:
    """A periodic Config custom-rule invocation, as Config sends it."""
    invoking = {
        "awsAccountId": account,
        "notificationCreationTime": when,
        "messageType": "ScheduledNotification",
        "recordVersion": "1.0",
    }
    event = {
        "invokingEvent": json.dumps(invoking),
        "resultToken": token,
        "executionRoleArn": SERVICE_LINKED_ROLE.format(account=account),
        "configRuleArn": f"arn:aws:config:{REGION}:{account}:config-rule/config-rule-abc123",
        "configRuleName": "config-delivery-pipeline",
        "configRuleId": "config-rule-abc123",
        "accountId": account,
        "version": "1.0",
    }
    if parameters is not None:
        event["ruleParameters"] = json.dumps(parameters)
    if left_scope is not None:
        event["eventLeftScope"] = left_scope
    return event
