"""Answers that parse but are incomplete or inconsistent: the emulator's `incomplete` fault.

An `unparseable` answer (the launcher's `malformed`) is easy to refuse; the harder fault is a
well-formed answer that lacks what it must hold: a status without `lastStatus`, a page that repeats
its token, an account without its state, fewer PutEvents entries than were sent. Each operation the
rule calls that can answer so has its variants here, applied to the answer moto (or the launcher)
gave, so the rest of the answer stays real:

    {"faults": [{"operation": "ListAccounts", "fault": "incomplete", "variant": "repeated-token"}]}

Without "variant", an operation's first variant is used. The rule must end every one of them in
"cannot verify": never healthy, never a resolved finding, never a recovery (docs/verdicts.md,
"Faults").
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

# A page token the emulator hands out and recognises: a request carrying it is served moto's first
# page again, so the listing repeats itself (A, A, ...) as a misbehaving endpoint would.
REPEAT = "emulator-repeat"
# The first page of a rule that then vanishes carries this token; a request carrying it is refused
# with NoSuchConfigRuleException.
VANISH = "emulator-vanish"

Json = dict[str, Any]


def _first(items: list[Any]) -> Any:
    if not items:
        raise ValueError("the answer holds nothing to leave incomplete")
    return items[0]


def _drop(key: str, *path: str) -> Callable[[Json], Json]:
    """Removes `key` from the first item of the list at `path` (or from the object itself)."""

    def apply(body: Json) -> Json:
        target: Any = body
        for step in path:
            target = target[step]
            if isinstance(target, list):
                target = _first(target)
        target.pop(key, None)
        return body

    return apply


def _set(key: str, value: Any, *path: str) -> Callable[[Json], Json]:
    def apply(body: Json) -> Json:
        target: Any = body
        for step in path:
            target = target[step]
            if isinstance(target, list):
                target = _first(target)
        target[key] = value
        return body

    return apply


def _repeated_token(token_key: str = "NextToken") -> Callable[[Json], Json]:
    return _set(token_key, REPEAT)


def _future_success(body: Json) -> Json:
    info = _first(body["DeliveryChannelsStatus"])["configSnapshotDeliveryInfo"]
    info["lastSuccessfulTime"] = info.get("lastSuccessfulTime", 0) + 2 * 86400 + 10**6
    return body


def _short_entries(body: Json) -> Json:
    body["Entries"] = body.get("Entries", [])[:-1]
    return body


def _half(key: str) -> Callable[[Json], Json]:
    def apply(body: Json) -> Json:
        items = body.get(key, [])
        body[key] = items[: len(items) // 2]
        return body

    return apply


# awsJson and restJson operations: variants over the decoded answer.
JSON_VARIANTS: dict[str, dict[str, Callable[[Json], Json]]] = {
    "DescribeDeliveryChannelStatus": {
        "no-last-status": _drop("lastStatus", "DeliveryChannelsStatus", "configSnapshotDeliveryInfo"),
        "no-snapshot-info": _drop("configSnapshotDeliveryInfo", "DeliveryChannelsStatus"),
        "future-success": _future_success,
        "no-entry": lambda body: {**body, "DeliveryChannelsStatus": []},
    },
    "DescribeConfigurationRecorders": {
        "no-role-arn": _drop("roleARN", "ConfigurationRecorders"),
    },
    "DescribeConfigurationRecorderStatus": {
        "no-entry": lambda body: {**body, "ConfigurationRecordersStatus": []},
    },
    "ListConfigurationRecorders": {"repeated-token": _repeated_token()},
    "GetComplianceDetailsByConfigRule": {
        "no-qualifier": _drop("EvaluationResultQualifier", "EvaluationResults", "EvaluationResultIdentifier"),
        "vanishes": _set("NextToken", VANISH),
        "repeated-token": _repeated_token(),
    },
    "ListAccounts": {
        "repeated-token": _repeated_token(),
        "no-state": lambda body: _drop("Status", "Accounts")(_drop("State", "Accounts")(body)),
        "empty": lambda body: {**body, "Accounts": []},
        "no-id": _drop("Id", "Accounts"),
        "half": _half("Accounts"),
    },
    "ListPoliciesForTarget": {
        "no-id": _drop("Id", "Policies"),
        "repeated-token": _repeated_token(),
    },
    "ListAccountsForParent": {"no-id": _drop("Id", "Accounts"), "repeated-token": _repeated_token()},
    "ListOrganizationalUnitsForParent": {"repeated-token": _repeated_token()},
    "DescribeOrganization": {"no-organization": lambda body: {}},
    "DescribeAccount": {"no-state": lambda body: _drop("Status", "Account")(_drop("State", "Account")(body))},
    "PutEvents": {
        "short-entries": _short_entries,
        "failed-count": _set("FailedEntryCount", 1),
        "no-event-id": _drop("EventId", "Entries"),
    },
    "GetFindings": {"no-id": _drop("Id", "Findings"), "repeated-token": _repeated_token()},
    "BatchImportFindings": {"no-failed-count": _drop("FailedCount")},
    "DescribeKey": {"no-metadata": lambda body: {}},
    "GetKeyPolicy": {"no-policy": lambda body: {}},
    "DescribeTrails": {"no-arn": _drop("TrailARN", "trailList")},
}


def _xml_sub(pattern: str, replacement: str) -> Callable[[str], str]:
    def apply(body: str) -> str:
        changed, count = re.subn(pattern, replacement, body, count=1, flags=re.S)
        if not count:
            raise ValueError(f"the answer holds no {pattern!r} to leave incomplete")
        return changed

    return apply


# Query-XML operations (IAM, STS): variants over the answer's text.
XML_VARIANTS: dict[str, dict[str, Callable[[str], str]]] = {
    "ListRolePolicies": {
        "truncated-no-marker": _xml_sub(r"<IsTruncated>false</IsTruncated>", "<IsTruncated>true</IsTruncated>"),
    },
    "ListAttachedRolePolicies": {
        "no-arn": _xml_sub(r"<PolicyArn>[^<]*</PolicyArn>", ""),
        "truncated-no-marker": _xml_sub(r"<IsTruncated>false</IsTruncated>", "<IsTruncated>true</IsTruncated>"),
    },
    "GetPolicy": {"no-default-version": _xml_sub(r"<DefaultVersionId>[^<]*</DefaultVersionId>", "")},
    "GetCallerIdentity": {"no-account": _xml_sub(r"<Account>[^<]*</Account>", "")},
}


def variants() -> dict[str, list[str]]:
    """Every operation with an incomplete answer, and its variants."""
    every = {op: list(v) for op, v in JSON_VARIANTS.items()}
    every.update({op: list(v) for op, v in XML_VARIANTS.items()})
    return every


def request_token(operation: str, request_body: bytes) -> str | None:
    """The NextToken a JSON request carries, if it is one the emulator handed out."""
    if operation not in JSON_VARIANTS:
        return None
    try:
        token = json.loads(request_body or b"{}").get("NextToken")
    except ValueError:
        return None
    return token if token in (REPEAT, VANISH) else None


def strip_token(request_body: bytes) -> bytes:
    """The request without the emulator's token: moto serves its first page again."""
    body = json.loads(request_body or b"{}")
    body.pop("NextToken", None)
    return json.dumps(body).encode()


def transform(operation: str, variant: str | None, body: bytes) -> bytes:
    """The answer `body` of `operation`, left incomplete as `variant` says."""
    if operation in JSON_VARIANTS:
        table = JSON_VARIANTS[operation]
        chosen = table[variant or next(iter(table))]
        return json.dumps(chosen(json.loads(body or b"{}"))).encode()
    if operation in XML_VARIANTS:
        table = XML_VARIANTS[operation]
        chosen = table[variant or next(iter(table))]
        return chosen(body.decode()).encode()
    raise ValueError(f"no incomplete answer is defined for {operation}; see emulator/incomplete.py")
