"""An Organization in the emulator: a management account, an audit (delegated administrator)
account, and members in several OUs with real pipelines in two regions, healthy and broken, one
member without the audit role and one whose Config reads are throttled.

Every member but one has the audit role, trusted only by the rule's Lambda role in the audit account
with an external ID; the launcher enforces that role's existence, trust and external ID (its strict
roles), which moto alone does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

from .harness import Emulator
from .scenarios import (CONFIG_TRUST, MANAGEMENT, ORG_READER_ROLE, RULE_ROLE, Account, attach_scp, bucket_policy,
                        failing_since, reader_role)

AUDIT_ROLE = "ConfigDeliveryAudit"
EXTERNAL_ID = "delivery-guard-test-external-id"
REGIONS = ["us-east-1", "eu-west-1"]
THROTTLED_OPERATIONS = ["DescribeDeliveryChannelStatus", "DescribeConfigurationRecorders"]
ORGANIZATION_TRAIL = "organization-trail"


@dataclass
class Member:
    name: str
    ou: str
    story: str
    expected: str  # the account's verdict: COMPLIANT or NON_COMPLIANT
    expected_text: str  # a part of the account's annotation
    unverified: bool = False  # failing only because it could not be read
    account: str = ""
    failing_regions: list[str] = field(default_factory=list)


def healthy(regions: dict[str, Account]) -> None:
    for acct in regions.values():
        acct.pipeline()


def bucket_deleted_in_eu(regions: dict[str, Account]) -> None:
    healthy(regions)
    eu = regions["eu-west-1"]
    s3 = eu.client("s3")
    s3.delete_bucket_policy(Bucket=eu.bucket)
    s3.delete_bucket(Bucket=eu.bucket)
    eu.override(failing_since("NoSuchBucket", "The specified bucket does not exist"))


def kms_disabled_everywhere(regions: dict[str, Account]) -> None:
    for acct in regions.values():
        key = acct.pipeline()
        acct.client("kms").disable_key(KeyId=key["key_id"])
        acct.override(failing_since("KMS.DisabledException", f"{key['key_arn']} is disabled."))


def recorder_stopped_in_us(regions: dict[str, Account]) -> None:
    healthy(regions)
    regions["us-east-1"].client("config").stop_configuration_recorder(ConfigurationRecorderName="default")


def config_off(regions: dict[str, Account]) -> None:
    """Config never set up: an organization rule cannot even be deployed here; the watchdog sees it."""


def stale_in_eu(regions: dict[str, Account]) -> None:
    healthy(regions)
    regions["eu-west-1"].override({"delivery_timeline": [{"at": "now-72h", "status": "Success"}]})


def bucket_denies_config_in_us(regions: dict[str, Account]) -> None:
    healthy(regions)
    us = regions["us-east-1"]
    policy = bucket_policy(us.bucket, us.account)
    policy["Statement"].append({"Sid": "NoConfig", "Effect": "Deny", "Principal": {"Service": "config.amazonaws.com"},
                                "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{us.bucket}/*"})
    us.client("s3").put_bucket_policy(Bucket=us.bucket, Policy=json.dumps(policy))


def throttled(regions: dict[str, Account]) -> None:
    """Healthy, but the first two calls of two Config reads are throttled in every run."""
    healthy(regions)
    for acct in regions.values():
        acct.override({"faults": [{"operation": op, "fault": "throttle", "first": 2} for op in THROTTLED_OPERATIONS]})


RECORDER_ROLE = "config-recorder"
# An SCP as a security team might roll out to an OU, not knowing some members record with a
# customer-managed role of this name: it denies that role the writes Config delivers with.
DENY_RECORDER_WRITES = {"Version": "2012-10-17", "Statement": [{
    "Sid": "NoRecorderWrites", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "*",
    "Condition": {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::*:role/{RECORDER_ROLE}"}}}]}


def recorder_role_denied_by_scp(regions: dict[str, Account]) -> None:
    """A customer-managed recorder role whose own policy allows delivery; `deny_recorder_role_writes`
    attaches the SCP that denies it, and Config reports AccessDenied in every Region."""
    first = next(iter(regions.values()))
    iam = first.client("iam")
    role = iam.create_role(RoleName=RECORDER_ROLE, AssumeRolePolicyDocument=json.dumps(CONFIG_TRUST))["Role"]
    grants = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
        "s3:PutObject", "s3:PutObjectAcl", "s3:GetBucketAcl", "kms:GenerateDataKey", "kms:Decrypt"]}]}
    iam.put_role_policy(RoleName=RECORDER_ROLE, PolicyName="delivery", PolicyDocument=json.dumps(grants))
    for acct in regions.values():
        acct.pipeline(role_arn=role["Arn"])
        acct.override(failing_since("AccessDenied", "Access Denied"))


def deny_recorder_role_writes(emulator: Emulator, ou_name: str) -> str:
    """Attaches DENY_RECORDER_WRITES to the OU of that name (directly under the root); returns its ID."""
    org = Account(emulator, MANAGEMENT).client("organizations")
    root = org.list_roots()["Roots"][0]["Id"]
    units = org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]
    ou = next(unit["Id"] for unit in units if unit["Name"] == ou_name)
    attach_scp(org, ou, "deny-recorder-writes", DENY_RECORDER_WRITES)
    return ou


SETUPS: dict[str, Callable[[dict[str, Account]], None]] = {
    "healthy": healthy,
    "bucket-deleted-in-eu": bucket_deleted_in_eu,
    "kms-disabled": kms_disabled_everywhere,
    "recorder-stopped-in-us": recorder_stopped_in_us,
    "config-off": config_off,
    "stale-in-eu": stale_in_eu,
    "bucket-denies-config-in-us": bucket_denies_config_in_us,
    "throttled": throttled,
    "no-audit-role": healthy,
    "recorder-role-denied-by-scp": recorder_role_denied_by_scp,
}


def members() -> list[Member]:
    """21 accounts in four OUs (the management account in the root); 13 healthy, one throttled,
    six broken, one without the audit role."""
    ok = ("COMPLIANT", "delivery pipeline healthy in 2 region(s)")
    plan = [
        Member("management", "", "healthy", *ok),
        Member("audit", "security", "healthy", *ok),
        Member("log-archive", "security", "healthy", *ok),
    ]
    plan += [Member(f"prod-{i}", "prod", "healthy", *ok) for i in range(1, 6)]
    plan += [Member(f"dev-{i}", "workloads", "healthy", *ok) for i in range(1, 4)]
    plan += [Member(f"sandbox-{i}", "sandbox", "healthy", *ok) for i in range(1, 2)]
    plan += [
        Member("prod-throttled", "prod", "throttled", *ok),
        Member("prod-bucket-gone", "prod", "bucket-deleted-in-eu", "NON_COMPLIANT",
               "failing in eu-west-1 (1 of 2 regions)", failing_regions=["eu-west-1"]),
        Member("prod-kms-off", "prod", "kms-disabled", "NON_COMPLIANT",
               "failing in eu-west-1, us-east-1 (2 of 2 regions)", failing_regions=REGIONS),
        Member("dev-stopped", "workloads", "recorder-stopped-in-us", "NON_COMPLIANT",
               "failing in us-east-1 (1 of 2 regions)", failing_regions=["us-east-1"]),
        Member("dev-stale", "workloads", "stale-in-eu", "NON_COMPLIANT",
               "failing in eu-west-1 (1 of 2 regions)", failing_regions=["eu-west-1"]),
        Member("sandbox-off", "sandbox", "config-off", "NON_COMPLIANT",
               "AWS Config is off in all 2 regions checked", failing_regions=REGIONS),
        Member("sandbox-denied", "sandbox", "bucket-denies-config-in-us", "NON_COMPLIANT",
               "failing in us-east-1 (1 of 2 regions)", failing_regions=["us-east-1"]),
        Member("sandbox-no-role", "sandbox", "no-audit-role", "NON_COMPLIANT",
               "cannot assume the audit role", unverified=True, failing_regions=REGIONS),
        Member("dev-healthy-late", "workloads", "healthy", *ok),
    ]
    return plan


def members_sharing_a_cause() -> list[Member]:
    """`members()` and four more, in two OUs under "workloads", that record with a customer-managed
    role one SCP on "workloads" denies: one root cause breaking four accounts in both Regions."""
    denied = ("recorder-role-denied-by-scp", "NON_COMPLIANT", "failing in eu-west-1, us-east-1 (2 of 2 regions)")
    return members() + [
        Member("payments-1", "workloads", *denied, failing_regions=REGIONS),
        Member("payments-2", "workloads", *denied, failing_regions=REGIONS),
        Member("payments-3", "prod", *denied, failing_regions=REGIONS),
        Member("payments-4", "prod", *denied, failing_regions=REGIONS),
    ]


@dataclass
class Organization:
    emulator: Emulator
    members: list[Member]

    @property
    def audit(self) -> str:
        """Where the rule runs: the audit account, or the management account when there is none."""
        return next((m.account for m in self.members if m.name == "audit"), MANAGEMENT)

    def by_name(self, name: str) -> Member:
        return next(m for m in self.members if m.name == name)

    def expected(self) -> dict[str, str]:
        return {m.account: m.expected for m in self.members}

    def parameters(self, mode: str, **extra: str) -> dict[str, str]:
        params = {"Mode": mode, "AuditRoleName": AUDIT_ROLE, "AuditRoleExternalId": EXTERNAL_ID,
                  "OrganizationReadRoleArn": ORG_READER_ROLE}
        params.update(extra)
        return params


def audit_role_trust(audit_account: str) -> dict:
    """The audit role trusts only the rule's Lambda role, with the external ID."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{audit_account}:role/{RULE_ROLE}"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
        }],
    }


def organization_trail(emulator: Emulator) -> str:
    """A multi-Region organization trail logging every management event, as most Organizations
    have (AWS Control Tower creates one): the event path sees every member. Returns its ARN."""
    management = Account(emulator, MANAGEMENT, "us-east-1")
    bucket = f"organization-trail-{MANAGEMENT}"
    management.client("s3").create_bucket(Bucket=bucket)
    cloudtrail = management.client("cloudtrail")
    trail = cloudtrail.create_trail(Name=ORGANIZATION_TRAIL, S3BucketName=bucket,
                                    IsMultiRegionTrail=True, IsOrganizationTrail=True)
    cloudtrail.start_logging(Name=ORGANIZATION_TRAIL)
    return trail["TrailARN"]


def build(emulator: Emulator, plan: list[Member] | None = None, regions: list[str] | None = None) -> Organization:
    """Creates the Organization, its OUs, accounts, audit roles and pipelines (`members()` in
    REGIONS unless told otherwise)."""
    org = Account(emulator, MANAGEMENT).client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ous = {}
    for name in ("security", "workloads", "sandbox"):
        ous[name] = org.create_organizational_unit(ParentId=root, Name=name)["OrganizationalUnit"]["Id"]
    ous["prod"] = org.create_organizational_unit(ParentId=ous["workloads"], Name="prod")["OrganizationalUnit"]["Id"]

    plan = members() if plan is None else plan
    regions = REGIONS if regions is None else regions
    for member in plan:
        if member.name == "management":
            member.account = MANAGEMENT
            continue
        status = org.create_account(Email=f"{member.name}@example.com", AccountName=member.name)["CreateAccountStatus"]
        member.account = status["AccountId"]
        org.move_account(AccountId=member.account, SourceParentId=root, DestinationParentId=ous[member.ou])

    # The rule's Lambda runs in the audit account, or in the management account when there is none.
    audit = next((m.account for m in plan if m.name == "audit"), MANAGEMENT)
    reader_role(emulator, ORG_READER_ROLE, sorted({audit, MANAGEMENT}))
    organization_trail(emulator)
    for member in plan:
        if member.story != "no-audit-role":
            Account(emulator, member.account).client("iam").create_role(
                RoleName=AUDIT_ROLE, AssumeRolePolicyDocument=json.dumps(audit_role_trust(audit))
            )
        SETUPS[member.story]({region: Account(emulator, member.account, region) for region in regions})
    return Organization(emulator, plan)
