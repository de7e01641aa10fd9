"""Our IAM evaluator judged by an independent one (judge.py): the policy corpus, the guardrail
proofs and generated delivery-shaped cases, each decided by both; a disagreement that is neither
fixed nor recorded in adjudications.json fails. The figures go to the test session's summary."""

from __future__ import annotations

import os

import pytest

from differential import generate, judge

SEED = int(os.environ.get("DIFFERENTIAL_SEED", "7"))
CASES = int(os.environ.get("DIFFERENTIAL_CASES", "3000"))


def record(verdict: judge.Verdict) -> None:
    judge.record_figures(verdict.summary())


@pytest.mark.parametrize("label,decision_file", judge.corpus_files(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_corpus_agrees_or_is_adjudicated(label, decision_file):
    verdict = judge.compare(label, decision_file)
    record(verdict)
    assert verdict.unrecorded == [], "\n".join(verdict.unrecorded)


def test_the_guardrail_proofs_agree():
    verdict = judge.compare("guardrail proofs", judge.proofs_file())
    record(verdict)
    assert verdict.unrecorded == [], "\n".join(verdict.unrecorded)
    assert len(verdict.ours) >= 50


def test_generated_delivery_cases_agree_or_are_adjudicated():
    verdict = judge.compare(f"generated (seed {SEED})", generate.generated(SEED, CASES))
    record(verdict)
    assert verdict.unrecorded == [], "\n".join(verdict.unrecorded[:40])
    decided = [n for n in verdict.ours if "Refused" not in (verdict.ours[n], verdict.peer[n])]
    assert len(decided) > CASES // 2, "most generated cases are decided by both"


def test_every_adjudication_of_a_named_case_still_disagrees():
    """A recorded disagreement that no longer happens (a fix, a new peer version) is removed, not kept."""
    named = {case for a in judge.adjudications() for case in a.cases}
    seen = set()
    for label, decision_file in judge.corpus_files():
        verdict = judge.compare(label, decision_file)
        seen |= {f"{label}: {name}" for name, _, _, a in verdict.disagreements if a is not None}
    assert named - seen == set(), named - seen


def test_an_unrecorded_disagreement_fails():
    """The judge can fail: without its adjudications the corpus's known disagreements are unrecorded."""
    label, decision_file = next(f for f in judge.corpus_files() if f[0] == "corpus/identity-and-grammar")
    verdict = judge.compare(label, decision_file, recorded=[])
    assert len(verdict.unrecorded) >= 2, verdict.unrecorded


RCP_FULL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


def test_both_refuse_what_aws_refuses():
    bucket = "arn:aws:s3:::logs/AWSLogs/111111111111/Config/x"
    def rcp(statement):
        return {"Version": "2012-10-17", "Statement": [statement]}
    policies = {
        "RCPFullAWSAccess": RCP_FULL,
        "rcp-allow": rcp({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}),
        "rcp-everything": rcp({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}),
        "rcp-not-action": rcp({"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject", "Resource": "*"}),
        "bucket": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
                                                           "Action": "s3:PutObject", "Resource": "*"}]},
    }
    cases = [{"name": name, "principal": "service:config.amazonaws.com", "action": "s3:PutObject", "resource": bucket,
              "resource_account": "999999999999", "resource_policy": "bucket",
              "rcps": [["RCPFullAWSAccess"], ["RCPFullAWSAccess", name]]}
             for name in ("rcp-allow", "rcp-everything", "rcp-not-action")]
    verdict = judge.compare("refusals", {"policies": policies, "cases": cases}, recorded=[])
    assert verdict.ours == {c["name"]: "Refused" for c in cases}, verdict.ours
    assert verdict.peer == verdict.ours, verdict.peer
