"""The roles the rule assumes are strict in the emulator, as in STS: a reader role that is missing or
does not trust the rule's own role is refused, and the rule says what it could not read instead of
judging without it."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from emulator.harness import REGION, run_cli
from emulator.scenarios import LOG_ARCHIVE, MANAGEMENT, RULE_ROLE, Account, credentials, rule_env, seed

ELSEWHERE = "arn:aws:iam::123412341234:role/ConfigDeliveryGuardRule"


def break_role(emulator, account: str, name: str, how: str) -> None:
    iam = Account(emulator, account).client("iam")
    if how == "missing":
        iam.delete_role(RoleName=name)
    else:  # trusts the rule's role in another account only
        trust = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ELSEWHERE}}]}
        iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust))


def check(emulator, scenario, strict: bool = False) -> tuple[int, dict]:
    parameters = {**scenario.parameters, **({"StrictProbes": "true"} if strict else {})}
    result = run_cli(["check", "--format", "json", "--parameters", json.dumps(parameters)],
                     rule_env(emulator, scenario.account))
    [verdict] = json.loads(result.stdout)["results"]
    return result.returncode, verdict


@pytest.mark.parametrize("how", ["missing", "wrong-trust"])
def test_an_unassumable_log_archive_reader_leaves_the_bucket_unverified(emulator, how):
    scenario = seed(emulator, "central-bucket")
    code, verdict = check(emulator, scenario)
    assert (code, verdict["findings"]) == (0, []), "the reader role works as seeded"

    break_role(emulator, LOG_ARCHIVE, "ConfigDeliveryGuardReader", how)
    code, verdict = check(emulator, scenario)
    unverified = [f for f in verdict["findings"] if f["check"] == "probe.unverified"]
    assert unverified, verdict["findings"]
    assert all("access denied" in f["message"] for f in unverified), unverified
    assert all("not authorized to perform: sts:AssumeRole" in f["evidence"]["message"] for f in unverified), unverified
    assert "unverified" in verdict["annotation"]
    # Only read evidence fails or passes: with StrictProbes the unread bucket fails the account.
    code, verdict = check(emulator, scenario, strict=True)
    assert code == 1 and verdict["compliance"] == "NON_COMPLIANT", verdict


@pytest.mark.parametrize("how", ["missing", "wrong-trust"])
def test_an_unassumable_organization_reader_leaves_scps_unevaluated(emulator, how):
    scenario = seed(emulator, "scp-denies-recorder-role")
    code, verdict = check(emulator, scenario)
    assert "organization.scp-denies-delivery" in [f["check"] for f in verdict["findings"]]

    break_role(emulator, MANAGEMENT, "ConfigDeliveryGuardOrgReader", how)
    code, verdict = check(emulator, scenario)
    checks = [f["check"] for f in verdict["findings"]]
    assert "organization.scp-denies-delivery" not in checks, "SCPs were read without the reader role"
    assert "probe.unverified" in checks, verdict["findings"]
    code, verdict = check(emulator, scenario, strict=True)
    assert verdict["compliance"] == "NON_COMPLIANT", verdict


def test_the_function_role_must_exist_and_trust_lambda(emulator):
    account = "141414141414"
    assert credentials(emulator, account)["AWS_ACCESS_KEY_ID"], "deployed, it can be assumed"
    lambda_service = boto3.client("sts", endpoint_url=emulator.url, region_name=REGION,
                                  aws_access_key_id="testing", aws_secret_access_key="testing")
    with pytest.raises(ClientError, match="AccessDenied"):
        lambda_service.assume_role(RoleArn=f"arn:aws:iam::151515151515:role/{RULE_ROLE}", RoleSessionName="lambda")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]}
    Account(emulator, account).client("iam").update_assume_role_policy(RoleName=RULE_ROLE, PolicyDocument=json.dumps(trust))
    with pytest.raises(ClientError, match="AccessDenied"):
        credentials(emulator, account)

