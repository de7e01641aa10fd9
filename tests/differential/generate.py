"""Delivery-shaped requests and policies, generated from a seed: the requests Config's delivery makes
(and a stranger's), against bucket, key, topic, SCP and RCP statements over the condition keys
perimeter policies use, with wildcards, Not* elements, ...IfExists and Null operators. Deterministic
for a seed: `make test` runs a few thousand with a fixed seed, `make fuzz` many more.
"""

from __future__ import annotations

import random
from typing import Any

MEMBER, STRANGER, ARCHIVE, MANAGEMENT = "111111111111", "333333333333", "999999999999", "100000000000"
ORG, OTHER_ORG = "o-abc123def4", "o-zzzzzzzzzz"
BUCKET = "arn:aws:s3:::o-abc123def4-config-logs"
KEY = f"arn:aws:kms:us-east-1:{ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TOPIC = f"arn:aws:sns:us-east-1:{ARCHIVE}:config-delivery"
VPCE = "vpce-0a1b2c3d"
RCP_FULL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
FULL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

ACTIONS = {
    "s3:PutObject": f"{BUCKET}/AWSLogs/{MEMBER}/Config/us-east-1/2026/1/1/ConfigSnapshot/x.json.gz",
    "s3:GetBucketAcl": BUCKET,
    "s3:ListBucket": BUCKET,
    "kms:GenerateDataKey": KEY,
    "kms:Decrypt": KEY,
    "sns:Publish": TOPIC,
}
PRINCIPALS = [
    "service:config.amazonaws.com",
    f"arn:aws:iam::{MEMBER}:role/config-recorder",
    f"arn:aws:iam::{ARCHIVE}:role/config-recorder",
    f"arn:aws:iam::{STRANGER}:role/intruder",
    f"arn:aws:iam::{MANAGEMENT}:role/operator",
]
# Condition keys and the values a policy or a request may give them.
KEYS = {
    "aws:SourceAccount": [MEMBER, STRANGER],
    "aws:SourceArn": [f"arn:aws:config:us-east-1:{MEMBER}:*", f"arn:aws:config:us-east-1:{STRANGER}:*"],
    "aws:SourceOrgID": [ORG, OTHER_ORG],
    "aws:PrincipalOrgID": [ORG, OTHER_ORG],
    "aws:PrincipalIsAWSService": ["true", "false"],
    "aws:SecureTransport": ["true", "false"],
    "aws:SourceVpce": [VPCE, "vpce-ffff"],
    "s3:x-amz-acl": ["bucket-owner-full-control", "private"],
    "s3:x-amz-server-side-encryption": ["aws:kms", "AES256"],
    "kms:ViaService": ["s3.us-east-1.amazonaws.com", "sns.us-east-1.amazonaws.com"],
    "kms:CallerAccount": [MEMBER, ARCHIVE],
}
ARN_KEYS = {"aws:SourceArn"}
BOOL_KEYS = {"aws:PrincipalIsAWSService", "aws:SecureTransport"}
STRING_OPERATORS = ["StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "StringEqualsIgnoreCase"]
ARN_OPERATORS = ["ArnLike", "ArnNotLike", "ArnEquals"]


def _value(rng: random.Random, key: str, operator: str) -> Any:
    values = KEYS[key]
    if operator.startswith(("ArnLike", "ArnNotLike")) and rng.random() < 0.4:
        # A wildcard within one of the six components, as ARN patterns are written (IAM User Guide,
        # condition operators: each component is matched separately).
        parts = rng.choice(values).split(":")
        place = rng.choice([3, 4, 5])
        parts[place] = "*" if rng.random() < 0.5 else parts[place][:2] + "*"
        return ":".join(parts)
    if operator.startswith(("StringLike", "StringNotLike")) and rng.random() < 0.4:
        value = rng.choice(values)
        return value[: max(1, len(value) // 2)] + "*"
    if rng.random() < 0.2:
        return rng.sample(values, 2)
    return rng.choice(values)


def _condition(rng: random.Random) -> dict[str, Any]:
    conditions: dict[str, Any] = {}
    for _ in range(rng.choice([0, 1, 1, 2])):
        key = rng.choice(list(KEYS))
        if rng.random() < 0.15:
            operator, value = "Null", rng.choice(["true", "false"])
        elif key in BOOL_KEYS:
            operator, value = "Bool", rng.choice(KEYS[key])
        else:
            operator = rng.choice(ARN_OPERATORS if key in ARN_KEYS else STRING_OPERATORS)
            value = _value(rng, key, operator)
        if operator != "Null" and rng.random() < 0.25:
            operator += "IfExists"
        conditions.setdefault(operator, {})[key] = value
    return conditions


def _principal(rng: random.Random) -> tuple[str, Any]:
    element = "NotPrincipal" if rng.random() < 0.08 else "Principal"
    choice = rng.random()
    if choice < 0.35:
        value: Any = {"Service": "config.amazonaws.com"}
    elif choice < 0.6:
        value = "*"
    elif choice < 0.75:
        value = {"AWS": f"arn:aws:iam::{rng.choice([MEMBER, ARCHIVE])}:root"}
    elif choice < 0.9:
        value = {"AWS": rng.choice([p for p in PRINCIPALS if p.startswith("arn:")])}
    else:
        value = {"Service": "events.amazonaws.com"}
    return element, value


def _action(rng: random.Random, action: str) -> tuple[str, Any]:
    element = "NotAction" if rng.random() < 0.1 else "Action"
    service = action.split(":")[0]
    pick = rng.random()
    if pick < 0.5:
        value: Any = action
    elif pick < 0.75:
        value = f"{service}:*"
    elif pick < 0.85:
        value = "*"
    else:
        value = rng.choice([a for a in ACTIONS if a != action])
    return element, value


def _resource(rng: random.Random, resource: str) -> tuple[str, Any]:
    element = "NotResource" if rng.random() < 0.08 else "Resource"
    pick = rng.random()
    if pick < 0.4:
        value: Any = resource
    elif pick < 0.7:
        value = "*"
    elif pick < 0.85:
        value = resource.rsplit("/", 1)[0] + "/*" if "/" in resource else resource + "*"
    else:
        value = f"{BUCKET}/AWSLogs/{STRANGER}/*"
    return element, value


def statement(rng: random.Random, action: str, resource: str, *, principal: bool, effect: str | None = None) -> dict:
    found: dict[str, Any] = {"Effect": effect or rng.choice(["Allow", "Allow", "Deny"])}
    if principal:
        element, value = _principal(rng)
        # NotPrincipal belongs with Deny; now and then with Allow, which both evaluators must refuse.
        if element == "NotPrincipal" and found["Effect"] == "Allow" and rng.random() < 0.8:
            element = "Principal"
        found[element] = value
    element, value = _action(rng, action)
    found[element] = value
    element, value = _resource(rng, resource)
    found[element] = value
    condition = _condition(rng)
    if condition:
        found["Condition"] = condition
    return found


def document(statements: list[dict], version: str = "2012-10-17") -> dict:
    return {"Version": version, "Statement": statements}


# The service-specific keys AWS puts in a request, by action: a key another action's request never
# carries is left out, as AWS leaves it out (Service Authorization Reference, each action's keys).
ACTION_KEYS = {
    "s3:PutObject": {"s3:x-amz-acl", "s3:x-amz-server-side-encryption"},
    "kms:GenerateDataKey": {"kms:ViaService", "kms:CallerAccount"},
    "kms:Decrypt": {"kms:ViaService", "kms:CallerAccount"},
}


def _context(rng: random.Random, principal: str, action: str) -> dict[str, Any]:
    context: dict[str, Any] = {}
    service = principal.startswith("service:")
    for key in KEYS:
        if key in ("aws:PrincipalIsAWSService",):
            continue  # AWS sets it from the principal; the translation does too
        if ":" in key and not key.startswith("aws:") and key not in ACTION_KEYS.get(action, set()):
            continue
        if key == "kms:CallerAccount":
            if not service:  # AWS sets it to the caller's account (AWS KMS Developer Guide, kms:CallerAccount)
                context[key] = principal.split(":")[4]
            continue
        present = rng.random() < (0.7 if service and key.startswith("aws:Source") and key != "aws:SourceVpce" else 0.35)
        if key == "aws:PrincipalOrgID" and service:
            present = False  # absent for service principals (IAM User Guide, global condition keys)
        if present:
            context[key] = rng.choice(KEYS[key])
    return context


def case(rng: random.Random, number: int, policies: dict[str, Any]) -> dict[str, Any]:
    principal = rng.choice(PRINCIPALS)
    action = rng.choice(list(ACTIONS))
    resource = ACTIONS[action]
    service = principal.startswith("service:")
    name = f"generated {number}"
    found: dict[str, Any] = {"name": name, "principal": principal, "action": action, "resource": resource,
                             "resource_account": ARCHIVE, "context": _context(rng, principal, action)}
    if rng.random() < 0.85:
        policies[f"{name} resource"] = document([statement(rng, action, resource, principal=True)
                                                for _ in range(rng.randint(1, 3))])
        found["resource_policy"] = f"{name} resource"
    if action.startswith("kms:"):
        found["kms_key"] = True
    if not service:
        policies[f"{name} identity"] = document([statement(rng, action, resource, principal=False)
                                                for _ in range(rng.randint(1, 2))])
        found["identity"] = [f"{name} identity"]
        if rng.random() < 0.4:
            policies[f"{name} scp"] = document([statement(rng, action, resource, principal=False, effect="Deny")])
            found["scps"] = [["FullAWSAccess"], ["FullAWSAccess", f"{name} scp"]]
    if rng.random() < 0.3:
        rcp = statement(rng, action, resource, principal=False, effect="Deny")
        rcp["Principal"] = "*"
        if rng.random() < 0.1:
            rcp["Effect"] = "Allow"  # AWS refuses an RCP Allow: both should refuse it
        policies[f"{name} rcp"] = document([rcp])
        found["rcps"] = [["RCPFullAWSAccess"], ["RCPFullAWSAccess", f"{name} rcp"]]
    if rng.random() < 0.1:
        found["management_account"] = MANAGEMENT
    return found


def generated(seed: int, count: int) -> dict[str, Any]:
    """A decision file of `count` generated cases."""
    rng = random.Random(seed)
    policies: dict[str, Any] = {"FullAWSAccess": FULL, "RCPFullAWSAccess": RCP_FULL}
    cases = [case(rng, number, policies) for number in range(count)]
    return {"policies": policies, "cases": cases}
