"""`make conformance`: the scenarios as a portable statement of what AWS does. Each is seeded, the
rule is run on it through the CLI (`delivery-guard check`), and its verdict compared with the one
the scenario expects.

Two targets:
- the emulator (default): started here; every scenario, including those that declare what Config
  would say (status timelines, service-linked recorders, faults) or need an Organization;
- a sandbox (`--live`): AWS itself (`--endpoint aws`) or any endpoint URL. Only the portable
  scenarios run (real calls in one account, judged on what the service itself says). It needs the
  environment variable DELIVERY_GUARD_CONFORMANCE_ACCOUNT to name the account the credentials act
  in, refuses an account in an Organization unless --allow-organization-member, and one that already
  has a configuration recorder in the Region; everything it creates carries a unique prefix (or tag)
  and is deleted after each scenario, at the end, and on interrupt (KMS keys: scheduled for deletion
  after 7 days, the shortest AWS allows).

It ends with the assumptions only AWS can confirm (docs/testing.md), each confirmed, refuted or
untested by this run, and exits 1 if any verdict differed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from .harness import REGION, Emulator, run_cli
from .scenarios import SCENARIOS, Account, rule_env, seed

ACCOUNT_VARIABLE = "DELIVERY_GUARD_CONFORMANCE_ACCOUNT"
TAG = "config-delivery-guard-conformance"
MODEL_CASING = {"Success", "Failure", "Not_Applicable", "Pending", "NotApplicable"}


class Refused(Exception):
    """The sandbox is not one this suite may touch."""


class NotPortable(Exception):
    """A scenario declared something only the emulator can be told."""


@dataclass
class Sandbox:
    """A real account (or any endpoint) as the scenarios' target: no declarations, its own prefix."""

    url: str | None
    account: str
    prefix: str
    region: str = REGION
    live: bool = True
    statuses: set[str] = field(default_factory=set)

    def set_overrides(self, *_: Any) -> None:
        raise NotPortable("declares what AWS would say; only the emulator can be told")

    def set_global(self, *_: Any) -> None:
        raise NotPortable("declares emulator-wide state")


@dataclass
class Outcome:
    name: str
    expected: str
    got: str
    ok: bool


def judge(target: Any, scenario: Any) -> Outcome:
    args = ["check", "--format", "json"]
    if scenario.parameters:
        args += ["--parameters", json.dumps(scenario.parameters)]
    result = run_cli(args, rule_env(target, scenario.account), timeout=120)
    expected = f"{scenario.expected_compliance} {scenario.expected_check or '(no finding)'}"
    try:
        [verdict] = json.loads(result.stdout)["results"]
    except (ValueError, KeyError):
        return Outcome(scenario.name, expected, f"no verdict: {result.stderr.strip()[-300:]}", False)
    checks = [f["check"] for f in verdict["findings"]]
    found = scenario.expected_check in checks if scenario.expected_check else checks == []
    got = f"{verdict['compliance']} {', '.join(checks) or '(no finding)'}"
    return Outcome(scenario.name, expected, got, verdict["compliance"] == scenario.expected_compliance and found)


# --- The emulator ------------------------------------------------------------------------------------


def run_emulator(names: list[str]) -> tuple[list[Outcome], dict[str, str]]:
    emulator = Emulator().start()
    try:
        outcomes = []
        for name in names:
            emulator.reset()
            outcomes.append(judge(emulator, seed(emulator, name)))
    finally:
        emulator.stop()
    untested = "emulated: the emulator is built on this assumption, so its run is no evidence"
    return outcomes, {name: untested for name in ASSUMPTIONS}


# --- A sandbox ---------------------------------------------------------------------------------------


def admit(sandbox: Sandbox, allow_organization_member: bool) -> None:
    """Refuses anything but the named, Organization-free account with no recorder of its own."""
    named = os.environ.get(ACCOUNT_VARIABLE, "")
    if not re.fullmatch(r"\d{12}", named):
        raise Refused(f"set {ACCOUNT_VARIABLE} to the 12-digit ID of the sandbox account these credentials act in")
    probe = Account(sandbox, named, sandbox.region)
    actual = probe.client("sts").get_caller_identity()["Account"]
    if actual != named:
        raise Refused(f"the credentials act in {actual}, not in {named} ({ACCOUNT_VARIABLE})")
    sandbox.account = actual
    if not allow_organization_member:
        organizations = probe.client("organizations")
        try:
            organizations.describe_organization()
            raise Refused(f"{actual} is in an Organization (its SCPs and RCPs could change every verdict); "
                          "pass --allow-organization-member to run anyway")
        except organizations.exceptions.AWSOrganizationsNotInUseException:
            pass
    if probe.client("config").describe_configuration_recorders()["ConfigurationRecorders"]:
        raise Refused(f"{actual} already has a configuration recorder in {sandbox.region}; "
                      "the suite creates its own and would replace it")


def settle(sandbox: Sandbox, seconds: float) -> None:
    """Lets Config deliver once (DeliverConfigSnapshot, then polling), and notes the statuses' casing."""
    config = Account(sandbox, sandbox.account, sandbox.region).client("config")
    channels = config.describe_delivery_channels()["DeliveryChannels"]
    recorders = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
    if channels and any(r.get("recording") for r in recorders) and seconds > 0:
        try:
            config.deliver_config_snapshot(deliveryChannelName=channels[0]["name"])
        except Exception as err:  # noqa: BLE001 (an endpoint without it still delivers on its period)
            print(f"  DeliverConfigSnapshot: {err}")
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            status = config.describe_delivery_channel_status()["DeliveryChannelsStatus"]
            if status and status[0].get("configSnapshotDeliveryInfo", {}).get("lastAttemptTime"):
                break
            time.sleep(15)
    for status in config.describe_delivery_channel_status().get("DeliveryChannelsStatus", []) if channels else []:
        for part in ("configSnapshotDeliveryInfo", "configHistoryDeliveryInfo", "configStreamDeliveryInfo"):
            if status.get(part, {}).get("lastStatus"):
                sandbox.statuses.add(status[part]["lastStatus"])


def clean(sandbox: Sandbox) -> list[str]:
    """Deletes what the run created: the recorder and channel, the prefixed buckets, the tagged keys."""
    account = Account(sandbox, sandbox.account, sandbox.region)
    config, s3, kms = account.client("config"), account.client("s3"), account.client("kms")
    removed = []
    recorders = config.describe_configuration_recorders()["ConfigurationRecorders"]
    for recorder in recorders:  # Config deletes no channel while a recorder runs
        config.stop_configuration_recorder(ConfigurationRecorderName=recorder["name"])
    for channel in config.describe_delivery_channels()["DeliveryChannels"]:
        config.delete_delivery_channel(DeliveryChannelName=channel["name"])
        removed.append(f"delivery channel {channel['name']}")
    for recorder in recorders:
        config.delete_configuration_recorder(ConfigurationRecorderName=recorder["name"])
        removed.append(f"recorder {recorder['name']}")
    for bucket in s3.list_buckets()["Buckets"]:
        if not bucket["Name"].startswith(sandbox.prefix):
            continue
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket["Name"]):
            for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
                s3.delete_object(Bucket=bucket["Name"], Key=version["Key"], VersionId=version["VersionId"],
                                 BypassGovernanceRetention=True)
        s3.delete_bucket(Bucket=bucket["Name"])
        removed.append(f"bucket {bucket['Name']}")
    for key in kms.list_keys()["Keys"]:
        try:
            tags = kms.list_resource_tags(KeyId=key["KeyId"]).get("Tags", [])
            state = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"]
        except kms.exceptions.ClientError:  # a key this run did not make and may not read
            continue
        if {"TagKey": TAG, "TagValue": sandbox.prefix} in tags and state != "PendingDeletion":
            kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
            removed.append(f"key {key['KeyId']} (deletion in 7 days)")
    return removed


def put_evaluation_for_another_account(sandbox: Sandbox) -> str:
    config = Account(sandbox, sandbox.account, sandbox.region).client("config")
    other = "123456789012" if sandbox.account != "123456789012" else "210987654321"
    try:
        answer = config.put_evaluations(
            Evaluations=[{"ComplianceResourceType": "AWS::::Account", "ComplianceResourceId": other,
                          "ComplianceType": "NOT_APPLICABLE", "Annotation": "conformance probe",
                          "OrderingTimestamp": time.time()}],
            ResultToken="conformance", TestMode=True)
    except Exception as err:  # noqa: BLE001 (the answer is the finding)
        return f"refuted: PutEvaluations (test mode) for {other} from {sandbox.account}: {err}"
    if answer.get("FailedEvaluations"):
        return f"refuted: Config refused it: {answer['FailedEvaluations']}"
    return f"confirmed (test mode): Config accepts an evaluation naming {other} from {sandbox.account}"


def run_sandbox(sandbox: Sandbox, names: list[str], settle_s: float) -> tuple[list[Outcome], dict[str, str]]:
    iam = Account(sandbox, sandbox.account, sandbox.region).client("iam")
    try:  # the recorders use Config's service-linked role, which a new account may not have yet
        iam.create_service_linked_role(AWSServiceName="config.amazonaws.com")
    except iam.exceptions.InvalidInputException:
        pass  # it exists
    outcomes = []
    for name in names:
        if not SCENARIOS[name].portable:
            continue
        print(f"- {name}")
        try:
            scenario = seed(sandbox, name, account=sandbox.account)
            settle(sandbox, settle_s)
            outcomes.append(judge(sandbox, scenario))
        except NotPortable as err:
            outcomes.append(Outcome(name, "portable", f"not portable: {err}", False))
        finally:
            for what in clean(sandbox):
                print(f"  deleted {what}")
    casing = sandbox.statuses
    if not casing:
        status = "untested: no delivery status was recorded in this run"
    elif casing <= MODEL_CASING:
        status = f"confirmed: Config sent the model's casing ({', '.join(sorted(casing))})"
    else:
        status = f"refuted: Config sent {', '.join(sorted(casing - MODEL_CASING))} (the rule accepts any casing)"
    return outcomes, {
        "status casing": status,
        "aws:SourceOrgID on each delivery call": "untested: needs CloudTrail data events on the bucket and key",
        "the cross-account retry as config.amazonaws.com": "untested: needs a bucket in a second account",
        "PutEvaluations for another account's ID": put_evaluation_for_another_account(sandbox),
    }


def interrupted(*_: Any) -> None:
    """SIGTERM as Ctrl-C: the run stops and deletes what it created."""
    raise KeyboardInterrupt


ASSUMPTIONS = ["status casing", "aws:SourceOrgID on each delivery call",
               "the cross-account retry as config.amazonaws.com", "PutEvaluations for another account's ID"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--live", action="store_true", help="run in a sandbox account, not the emulator")
    parser.add_argument("--endpoint", default="aws", help="with --live: 'aws' (AWS itself) or an endpoint URL")
    parser.add_argument("--allow-organization-member", action="store_true")
    parser.add_argument("--settle", type=float, default=600, help="with --live: seconds to wait for a delivery")
    parser.add_argument("--scenarios", default="", help="comma-separated names (default: every scenario)")
    args = parser.parse_args(argv)
    names = [n for n in args.scenarios.split(",") if n] or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")

    if not args.live:
        print(f"conformance against the emulator: {len(names)} scenario(s)")
        outcomes, assumptions = run_emulator(names)
    else:
        url = None if args.endpoint == "aws" else args.endpoint
        sandbox = Sandbox(url=url, account="", prefix=f"dg-conf-{secrets.token_hex(4)}-")
        signal.signal(signal.SIGTERM, interrupted)
        try:
            admit(sandbox, args.allow_organization_member)
        except Refused as err:
            print(f"refused: {err}", file=sys.stderr)
            return 2
        print(f"conformance in sandbox {sandbox.account} ({args.endpoint}), prefix {sandbox.prefix}")
        try:
            outcomes, assumptions = run_sandbox(sandbox, names, args.settle)
        except KeyboardInterrupt:
            for what in clean(sandbox):
                print(f"deleted {what}")
            print("interrupted; what the run created is deleted", file=sys.stderr)
            return 130
    width = max(len(o.name) for o in outcomes) if outcomes else 0
    for outcome in outcomes:
        mark = "PASS" if outcome.ok else "FAIL"
        print(f"{mark}  {outcome.name:<{width}}  expected {outcome.expected}; got {outcome.got}")
    failed = [o for o in outcomes if not o.ok]
    print(f"{len(outcomes) - len(failed)} of {len(outcomes)} scenario(s) as expected")
    print("assumptions only AWS can confirm:")
    for name, verdict in assumptions.items():
        print(f"  {name}: {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
