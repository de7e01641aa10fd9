"""Who writes rests on what was established (docs/verdicts.md, "Every check says whether it ran"):
the bucket's owner is read with ExpectedBucketOwner, never taken from the parameters; a bucket's
default key named by alias is resolved in the owner's account; a standalone account has no SCPs.
Each through the real Lambda binary against the emulator."""

from __future__ import annotations

from emulator.scenarios import READER_ROLE, Account, config_event, reader_role, rule_env, seed

REGION = "us-east-1"


def evaluate(emulator, lambda_runtime, account: str, token: str, **parameters: str) -> dict:
    result = lambda_runtime.invoke(config_event(account, token=token, parameters=parameters or None),
                                   rule_env(emulator, account))
    assert result.ok, result.stderr + result.function_logs
    [evaluation] = [e for c in emulator.put_evaluation_calls() if c["resultToken"] == token for e in c["evaluations"]]
    return evaluation


def test_a_log_archive_reader_does_not_make_the_accounts_own_bucket_the_log_archives(emulator, lambda_runtime):
    # The account delivers to its own bucket with a role that lost s3:PutObject; the parameters
    # also name a log-archive reader (as an Organization-wide deployment does). The bucket is the
    # account's: the role's own denial is the cause, not a cross-account retry as Config's service
    # principal (which the bucket policy would admit).
    scenario = seed(emulator, "role-lost-put-object")
    reader_role(emulator, READER_ROLE, [scenario.account])
    evaluation = evaluate(emulator, lambda_runtime, scenario.account, "own-bucket",
                          LogArchiveReadRoleArn=READER_ROLE)
    annotation = evaluation["Annotation"]
    assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
    assert "cause: recorder role config-recorder cannot s3:PutObject" in annotation, annotation
    assert "retry" not in annotation and "no probe finds the cause" not in annotation, annotation


def test_a_bucket_default_key_named_by_alias_is_resolved_and_probed(emulator, lambda_runtime):
    scenario = seed(emulator, "bucket-default-key-disabled")
    account = Account(emulator, scenario.account, REGION)
    kms = account.client("kms")
    [key] = [k for k in kms.list_keys()["Keys"]
             if kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"]
    kms.create_alias(AliasName="alias/config-default", TargetKeyId=key["KeyId"])
    account.client("s3").put_bucket_encryption(
        Bucket=account.bucket,
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/config-default"}}]},
    )
    evaluation = evaluate(emulator, lambda_runtime, scenario.account, "alias-key")
    assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
    assert f"KMS key {key['KeyArn']} is Disabled" in evaluation["Annotation"], evaluation


def test_a_standalone_accounts_customer_role_has_no_scps_to_verify(emulator, lambda_runtime):
    # Not in an Organization: Organizations answers AWSOrganizationsNotInUseException, which means
    # no SCP applies (read evidence), not "unverified".
    scenario = seed(emulator, "role-lost-put-object")
    evaluation = evaluate(emulator, lambda_runtime, scenario.account, "standalone", StrictProbes="true")
    assert "SCPs" not in evaluation["Annotation"], evaluation
    assert "unverified" not in evaluation["Annotation"], evaluation
