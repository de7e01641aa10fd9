"""Data-perimeter policies platform teams deploy, on an otherwise healthy pipeline (the service-linked
recorder, the bucket and key AWS documents, Config's status saying Success): each scenario adds one
perimeter statement to the bucket or key policy and states the verdict AWS's documentation
supports, with its source. The rule must find it from the policy and the request Config sends
(rule/core/src/checks/request_context.rs): a break is latent, a key AWS leaves undocumented is
"unverified: depends on <key>" (COMPLIANT unless StrictProbes), never a pass nor a break.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

from emulator.scenarios import Account, bucket_policy, key_policy

VPCE = "vpce-0a1b2c3d4e5f60718"
ORG = "o-abc123def4"
OFFICE = "203.0.113.0/24"
SERVICE_EXEMPT = {"Bool": {"aws:PrincipalIsAWSService": "false"}}


@dataclass(frozen=True)
class Perimeter:
    name: str
    account: str
    story: str
    # "bucket" or "key": whose policy gets the statements.
    on: str
    statements: Callable[[Account], list[dict]]
    expected_compliance: str
    expected_check: str | None
    annotation_has: tuple[str, ...]
    source: str


def deny(sid: str, action: str, resource: Callable[[Account], list[str]], condition: dict):
    return lambda acct: [{"Sid": sid, "Effect": "Deny", "Principal": "*", "Action": action,
                          "Resource": resource(acct), "Condition": condition}]


def bucket_arns(acct: Account) -> list[str]:
    return [f"arn:aws:s3:::{acct.bucket}", f"arn:aws:s3:::{acct.bucket}/*"]


def objects(acct: Account) -> list[str]:
    return [f"arn:aws:s3:::{acct.bucket}/*"]


def every_key(acct: Account) -> list[str]:
    return ["*"]


def apply(perimeter: Perimeter, acct: Account) -> None:
    """The healthy pipeline with the perimeter's statements added to its bucket or key policy."""
    created = acct.pipeline()
    added = perimeter.statements(acct)
    if perimeter.on == "bucket":
        policy = bucket_policy(acct.bucket, acct.account)
        policy["Statement"] += added
        acct.client("s3").put_bucket_policy(Bucket=acct.bucket, Policy=json.dumps(policy))
    else:
        policy = key_policy(acct.account)
        policy["Statement"] += added
        acct.client("kms").put_key_policy(KeyId=created["key_id"], PolicyName="default", Policy=json.dumps(policy))


DATA_PERIMETER_EXAMPLES = ("AWS data perimeter policy examples (aws-samples/data-perimeter-policy-examples), "
                           "resource-based policies: the service exemption is aws:PrincipalIsAWSService = false")
GLOBAL_KEYS = "IAM User Guide, \"AWS global condition context keys\""

PERIMETERS = {p.name: p for p in [
    Perimeter("tls-only", "202020202001", "the classic TLS-only deny", "bucket",
              deny("DenyInsecure", "s3:*", bucket_arns, {"Bool": {"aws:SecureTransport": "false"}}),
              "COMPLIANT", None, ("delivery pipeline healthy",),
              "AWS Config Developer Guide, \"Permissions for the Amazon S3 Bucket\", and every Config bucket policy AWS publishes: Config's writes use TLS"),
    Perimeter("acl-enforced", "202020202002", "uploads must grant the bucket owner full control", "bucket",
              deny("RequireOwnerControl", "s3:PutObject", objects,
                   {"StringNotEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}),
              "COMPLIANT", None, ("delivery pipeline healthy",),
              "AWS Config Developer Guide, \"Permissions for the Amazon S3 Bucket\": Config's PutObject carries s3:x-amz-acl bucket-owner-full-control"),
    Perimeter("deny-unencrypted-uploads", "202020202003", "the classic deny of uploads not sent with SSE-KMS", "bucket",
              deny("DenyIncorrectEncryptionHeader", "s3:PutObject", objects,
                   {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}),
              "COMPLIANT", "probe.unverified", ("depends on s3:x-amz-server-side-encryption",),
              "none found: AWS does not document the encryption headers of Config's PutObject (request_context: unknown)"),
    Perimeter("deny-missing-encryption-header", "202020202004", "a Null deny of uploads without an encryption header", "bucket",
              deny("DenyUnencryptedObjectUploads", "s3:PutObject", objects,
                   {"Null": {"s3:x-amz-server-side-encryption": "true"}}),
              "COMPLIANT", "probe.unverified", ("depends on s3:x-amz-server-side-encryption",),
              "none found: the header's presence on Config's writes is undocumented"),
    Perimeter("vpce-only", "202020202005", "a bucket reachable only through one VPC endpoint", "bucket",
              deny("OnlyThroughOurEndpoint", "s3:*", bucket_arns, {"StringNotEquals": {"aws:SourceVpce": VPCE}}),
              "NON_COMPLIANT", "bucket.policy-denies-delivery", ("latent: config.amazonaws.com cannot s3:PutObject",),
              f"{GLOBAL_KEYS}: aws:SourceVpce is present only for a request through a VPC endpoint; a negated operator on an absent key is true (IAM User Guide, condition operators)"),
    Perimeter("vpce-only-services-exempt", "202020202006", "the same, exempting AWS services", "bucket",
              deny("OnlyThroughOurEndpoint", "s3:*", bucket_arns,
                   {"StringNotEquals": {"aws:SourceVpce": VPCE}, **SERVICE_EXEMPT}),
              "COMPLIANT", None, ("delivery pipeline healthy",), DATA_PERIMETER_EXAMPLES),
    Perimeter("organization-only", "202020202007", "a bucket for principals of the Organization only", "bucket",
              deny("OnlyOurOrganization", "s3:*", bucket_arns, {"StringNotEquals": {"aws:PrincipalOrgID": ORG}}),
              "NON_COMPLIANT", "bucket.policy-denies-delivery", ("latent: config.amazonaws.com cannot",),
              f"{GLOBAL_KEYS}: aws:PrincipalOrgID is absent for service principals"),
    Perimeter("organization-only-services-exempt", "202020202008", "the same, exempting AWS services", "bucket",
              deny("OnlyOurOrganization", "s3:*", bucket_arns,
                   {"StringNotEquals": {"aws:PrincipalOrgID": ORG}, **SERVICE_EXEMPT}),
              "COMPLIANT", None, ("delivery pipeline healthy",), DATA_PERIMETER_EXAMPLES),
    Perimeter("source-ip-only", "202020202009", "a bucket for the office network only", "bucket",
              deny("OnlyFromTheOffice", "s3:*", bucket_arns, {"NotIpAddress": {"aws:SourceIp": OFFICE}}),
              "NON_COMPLIANT", "bucket.policy-denies-delivery", ("latent: config.amazonaws.com cannot",),
              f"{GLOBAL_KEYS}: a service principal calling as itself carries no aws:SourceIp; NotIpAddress on an absent key is true"),
    Perimeter("source-ip-only-services-exempt", "202020202010", "the same, exempting AWS services", "bucket",
              deny("OnlyFromTheOffice", "s3:*", bucket_arns, {"NotIpAddress": {"aws:SourceIp": OFFICE}, **SERVICE_EXEMPT}),
              "COMPLIANT", None, ("delivery pipeline healthy",), DATA_PERIMETER_EXAMPLES),
    Perimeter("key-via-s3-only", "202020202011", "a key usable only through S3 (kms:ViaService)", "key",
              deny("OnlyThroughS3", "kms:*", every_key,
                   {"StringNotEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}, **SERVICE_EXEMPT}),
              "COMPLIANT", None, ("delivery pipeline healthy",),
              "AWS KMS Developer Guide, kms:ViaService; the statement exempts AWS services, so Config's own calls pass whatever kms:ViaService they carry"),
    Perimeter("key-via-s3-only-no-exemption", "202020202012", "the same without the service exemption", "key",
              deny("OnlyThroughS3", "kms:*", every_key,
                   {"StringNotEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}),
              "COMPLIANT", "probe.unverified", ("depends on kms:ViaService",),
              "AWS KMS Developer Guide, kms:ViaService: documented for a service calling KMS on a principal's behalf, not for Config's service principal calling KMS itself (request_context: unknown)"),
]}
