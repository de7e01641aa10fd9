"""The real `delivery-guard` CLI against the emulator: check, collect, offline evaluate, exit codes."""

from __future__ import annotations

import json

import pytest

from emulator.harness import run_cli
from emulator.scenarios import SCENARIOS, rule_env, seed


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_scenario_gives_the_cli_the_lambda_s_verdict(emulator, name):
    """The same scenarios as tests/e2e/test_lambda.py, through `delivery-guard check`."""
    scenario = seed(emulator, name)
    args = ["check", "--format", "json"]
    if scenario.parameters:
        args += ["--parameters", json.dumps(scenario.parameters)]
    result = run_cli(args, rule_env(emulator, scenario.account))
    assert result.returncode == (0 if scenario.expected_compliance == "COMPLIANT" else 1), result.stderr
    [verdict] = json.loads(result.stdout)["results"]
    assert verdict["compliance"] == scenario.expected_compliance, verdict
    checks = [f["check"] for f in verdict["findings"]]
    if scenario.expected_check is None:
        assert checks == [], checks
    else:
        assert scenario.expected_check in checks, checks
    for words in scenario.annotation_has:
        assert words in verdict["annotation"], verdict["annotation"]


def test_check_healthy_exits_zero_with_a_table(emulator):
    scenario = seed(emulator, "healthy")
    result = run_cli(["check"], rule_env(emulator, scenario.account))
    assert result.returncode == 0, result.stderr
    assert "111111111111  us-east-1  COMPLIANT" in result.stdout
    assert "1 account-region(s): 1 compliant, 0 non-compliant" in result.stdout


def test_check_broken_exits_one_and_names_the_cause(emulator):
    scenario = seed(emulator, "kms-key-disabled")
    result = run_cli(["check"], rule_env(emulator, scenario.account))
    assert result.returncode == 1, result.stderr
    assert "snapshot delivery failing: KMS.DisabledException" in result.stdout
    assert "fix:" in result.stdout


def test_check_several_regions_as_json(emulator):
    scenario = seed(emulator, "healthy")
    result = run_cli(
        ["check", "--regions", "us-east-1,eu-west-1", "--format", "json"], rule_env(emulator, scenario.account)
    )
    assert result.returncode == 1, result.stderr
    output = json.loads(result.stdout)
    assert [r["region"] for r in output["results"]] == ["us-east-1", "eu-west-1"]
    assert [r["compliance"] for r in output["results"]] == ["COMPLIANT", "NON_COMPLIANT"]
    assert output["summary"] == {"account_regions": 2, "compliant": 1, "non_compliant": 1}
    assert output["results"][1]["findings"][0]["check"] == "recorder.missing"


def test_collect_then_evaluate_offline_gives_the_same_verdict(emulator, tmp_path):
    scenario = seed(emulator, "delivery-stale")
    env = rule_env(emulator, scenario.account)
    snapshot = tmp_path / "snapshot.json"
    collected = run_cli(["collect", "--output", str(snapshot)], env)
    assert collected.returncode == 0, collected.stderr
    online = json.loads(run_cli(["check", "--format", "json"], env).stdout)
    # No credentials, no endpoint: evaluate touches no network.
    offline = run_cli(["evaluate", "--snapshot", str(snapshot), "--format", "json"], {})
    assert offline.returncode == 1, offline.stderr
    offline = json.loads(offline.stdout)
    assert offline["results"][0]["findings"][0]["check"] == "channel.delivery-stale"
    assert offline["results"][0]["compliance"] == online["results"][0]["compliance"]


def test_usage_errors_exit_two_with_a_clear_message(emulator, tmp_path):
    env = rule_env(emulator, "111111111111")
    bad_parameters = run_cli(["check", "--parameters", '{"MaxDeliveryAgeHours": "x"}'], env)
    assert bad_parameters.returncode == 2
    assert "invalid rule parameter MaxDeliveryAgeHours" in bad_parameters.stderr
    not_a_snapshot = tmp_path / "x.json"
    not_a_snapshot.write_text('{"hello": 1}')
    result = run_cli(["evaluate", "--snapshot", str(not_a_snapshot)], {})
    assert result.returncode == 2
    assert "is not a delivery-guard snapshot (" in result.stderr
    assert "): `delivery-guard collect --output snapshot.json` writes one" in result.stderr
    assert run_cli(["frobnicate"], {}).returncode == 2


@pytest.mark.parametrize("args, says", [
    (["check", "--parameters", "{ExpectedBucket: x}"],
     "--parameters is not JSON (key must be a string at line 1 column 2): pass an object, such as --parameters '{\"ExpectedBucket\":\"my-config-logs\""),
    (["check", "--parameters", '["x"]'], "--parameters must be a JSON object of parameter names to values, such as --parameters '{"),
    (["check", "--parameters", '{"MaxDeliveryAgeHours": "x"}'],
     "--parameters: invalid rule parameter MaxDeliveryAgeHours: 'x' is not"),
    (["check", "--parameters", '{"MaxDeliveryAgeHours": "x"}'], "(every parameter and its values: docs/parameters.md)"),
    (["cost", "--format", "html"], "--format html: cost prints table or json (--format table or --format json)"),
    (["kpi", "--history", "/dev/null"], "holds no verdict lines (events verdict, account-verdict or tamper-verdict): pass the rule function's log, a CloudWatch Logs export of its log group or the output of `aws logs filter-log-events --log-group-name /aws/lambda/<function>` (docs/cli.md)"),
])
def test_a_refused_input_says_what_to_pass_instead(args, says):
    """Messages an on-call engineer meets: each says what went wrong and what to do next, in one line."""
    result = run_cli(args, {"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"})
    assert result.returncode == 2, result.stderr
    assert says in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_no_region_is_a_usage_error(emulator):
    env = rule_env(emulator, "111111111111")
    del env["AWS_REGION"]
    result = run_cli(["check"], env)
    assert result.returncode == 2
    assert "no region" in result.stderr


def test_unreachable_endpoint_is_a_runtime_error_said_in_one_line(emulator):
    env = {**rule_env(emulator, "111111111111"), "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    result = run_cli(["check"], env)
    assert result.returncode == 2
    assert result.stderr.strip() == ("delivery-guard: cannot tell which account this is: cannot reach http://127.0.0.1:9: "
                                     "connection refused; check AWS_ENDPOINT_URL, the Region and the network (-v for details)")
    verbose = run_cli(["check", "-v"], env)
    assert verbose.returncode == 2 and "details: dispatch failure" in verbose.stderr, verbose.stderr


def test_no_credentials_says_how_to_give_some(emulator):
    env = {"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": emulator.url, "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
    result = run_cli(["check"], env)
    assert result.returncode == 2
    assert "no AWS credentials: set AWS_PROFILE" in result.stderr, result.stderr
    assert "DispatchFailure" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_help_gives_the_exit_statuses():
    result = run_cli(["--help"], {})
    assert result.returncode == 0
    assert "Exit status: 0 every account-region judged is compliant; 1 any is not" in result.stdout


def test_a_region_list_with_a_typo_is_a_usage_error(emulator):
    result = run_cli(["check", "--regions", "us-east-1,all"], rule_env(emulator, "111111111111"))
    assert result.returncode == 2
    assert "'all' is not an AWS region name" in result.stderr


def test_check_names_the_root_cause_and_its_evidence(emulator):
    scenario = seed(emulator, "bucket-denies-config")
    result = run_cli(["check", "--format", "json"], rule_env(emulator, scenario.account))
    assert result.returncode == 1, result.stderr
    [judgement] = json.loads(result.stdout)["results"]
    [finding] = [f for f in judgement["findings"] if f["check"] == "bucket.policy-denies-delivery"]
    assert finding["message"].startswith("latent: config.amazonaws.com cannot s3:PutObject")
    assert finding["evidence"]["denied_by"] == "bucket policy statement 4 (DenyConfigWrites)"


def test_check_reads_a_central_bucket_through_the_reader_role(emulator):
    scenario = seed(emulator, "central-bucket")
    parameters = json.dumps(scenario.parameters)
    result = run_cli(["check", "--parameters", parameters, "--format", "json"], rule_env(emulator, scenario.account))
    assert result.returncode == 0, result.stdout + result.stderr
    collected = run_cli(["collect", "--parameters", parameters], rule_env(emulator, scenario.account))
    [snapshot] = json.loads(collected.stdout)
    bucket = snapshot["probes"]["bucket"]
    assert bucket["read_as"] == scenario.parameters["LogArchiveReadRoleArn"]
    assert bucket["owner_account"] == "999999999999"
    assert "read" in bucket["policy"]


def test_check_walks_the_scps_with_the_organization_reader_role(emulator):
    scenario = seed(emulator, "scp-denies-recorder-role")
    env = rule_env(emulator, scenario.account)
    result = run_cli(["check", "--parameters", json.dumps(scenario.parameters), "--format", "json"], env)
    assert result.returncode == 1, result.stderr
    [judgement] = json.loads(result.stdout)["results"]
    checks = [f["check"] for f in judgement["findings"]]
    assert checks == ["organization.scp-denies-delivery"], judgement["findings"]
