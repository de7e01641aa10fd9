"""Our IAM evaluator judged by an independent one: every case of a decision file (`delivery-guard
decide --cases`, docs/decide.md) decided by both, the project's evaluator through the CLI and
@cloud-copilot/iam-simulate through simulate.mjs (test-only, AGPL-3.0: README.md here), and each
disagreement either fixed in our evaluator or recorded in adjudications.json with the decision AWS's
documentation supports and the quoted source. Used by tests/differential (the corpus, the guardrail
proofs, generated cases) and tests/terraform/test_policies.py (the modules' rendered policies).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ADJUDICATIONS = HERE / "adjudications.json"
CORPUS = REPO / "rule" / "core" / "tests" / "policy-corpus"
PROOFS = REPO / "scp-policies"
# The corpus names its fields for the Rust test; the decision file for the CLI.
CORPUS_FIELDS = {"resource": "resource_policy", "resource_arn": "resource", "scp": "scps", "rcp": "rcps"}
# The services RCPs restrict (rule/core/src/policy/decide.rs, RCP_SERVICES, read from there).
RCP_SERVICES = set(re.findall(r'"([a-z0-9-]+)"', re.search(r"const RCP_SERVICES: \[&str; \d+\] = \[(.*?)\];",
                   (REPO / "rule/core/src/policy/decide.rs").read_text(), re.S).group(1)))
FULL_AWS_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def delivery_guard() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    binary = target / "debug" / "delivery-guard"
    if not binary.exists():
        raise FileNotFoundError(f"{binary}: run `cargo build --bins` first")
    return binary


def installed() -> None:
    """The simulator, installed by `make differential-deps` (npm ci from the committed lock file)."""
    if not (HERE / "node_modules" / "@cloud-copilot" / "iam-simulate").exists():
        raise FileNotFoundError("tests/differential/node_modules is missing: run `make differential-deps`")


def _write(decision_file: dict[str, Any]) -> Path:
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, dir=os.environ.get("TMPDIR"))
    with handle:
        json.dump(decision_file, handle)
    return Path(handle.name)


def ours(decision_file: dict[str, Any]) -> dict[str, str]:
    """Case name -> the project's decision (Allow, ExplicitDeny, ImplicitDeny, Refused)."""
    path = _write({**decision_file, "cases": [{k: v for k, v in c.items() if k != "expect"}
                                              for c in decision_file["cases"]]})
    try:
        done = subprocess.run([delivery_guard(), "decide", "--cases", path, "--format", "json"],
                              capture_output=True, text=True, timeout=300)
    finally:
        path.unlink(missing_ok=True)
    if done.returncode not in (0, 1) or not done.stdout.strip().startswith("["):
        raise RuntimeError(f"delivery-guard decide failed: {done.stderr[:2000]}")
    return {o["name"]: o["decision"] for o in json.loads(done.stdout)}


def peer(decision_file: dict[str, Any]) -> dict[str, str]:
    """Case name -> iam-simulate's decision, "Refused" where its validation refuses the case."""
    installed()
    path = _write(decision_file)
    try:
        done = subprocess.run(["node", HERE / "simulate.mjs", path], capture_output=True, text=True, timeout=600,
                              cwd=HERE)
    finally:
        path.unlink(missing_ok=True)
    if done.returncode:
        raise RuntimeError(f"simulate.mjs failed: {done.stderr[:2000]}")
    decided = {}
    for line in done.stdout.splitlines():
        if line.strip():
            answer = json.loads(line)
            decided[answer["name"]] = answer.get("decision") or "Refused"
    return decided


@dataclass
class Adjudication:
    """One recorded disagreement: where it arises, both decisions, and which AWS's documentation
    supports, with the quoted source."""

    id: str
    when: str
    ours: list[str]
    peer: list[str]
    supported: str
    source: str
    quote: str
    cases: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)


def adjudications() -> list[Adjudication]:
    entries = json.loads(ADJUDICATIONS.read_text())["adjudications"]
    return [Adjudication(**entry) for entry in entries]


def features(decision_file: dict[str, Any], case: dict[str, Any]) -> set[str]:
    """What a generated case is made of, for adjudications that name a shape rather than a case."""
    found = set()
    policies = [decision_file["policies"][n] for n in
                [*case.get("identity", []), *([case["resource_policy"]] if case.get("resource_policy") else []),
                 *[n for level in case.get("scps", []) for n in level], *[n for level in case.get("rcps", []) for n in level]]]
    text = json.dumps(policies)
    if '"2008-10-17"' in text and "${" in text:
        found.add("version-2008-with-variables")
    statements = [s for p in policies for s in ([p.get("Statement")] if isinstance(p.get("Statement"), dict) else p.get("Statement", []))]
    if any(s.get("Effect") == "Allow" and "NotPrincipal" in s for s in statements):
        found.add("not-principal-allow")
    account = case["principal"].split(":")[4] if case["principal"].startswith("arn:") else None
    for s in statements:
        named = s.get("NotPrincipal", {})
        named = named.get("AWS", []) if isinstance(named, dict) else []
        named = [named] if isinstance(named, str) else named
        if s.get("Effect") == "Deny" and account and any(n in (account, f"arn:aws:iam::{account}:root") for n in named) \
                and case["principal"] not in named:
            found.add("not-principal-names-the-account-root")
    if case["principal"].startswith("service:") and case.get("scps"):
        found.add("service-principal-under-scps")
    if case.get("rcps") and case["action"].split(":")[0].lower() not in RCP_SERVICES:
        found.add("rcp-on-a-service-rcps-do-not-cover")
    return found


@dataclass
class Verdict:
    """Both decisions of one decision file, compared."""

    label: str
    ours: dict[str, str]
    peer: dict[str, str]
    disagreements: list[tuple[str, str, str, Adjudication | None]]

    @property
    def agreed(self) -> int:
        return sum(1 for name in self.ours if self.ours[name] == self.peer.get(name))

    @property
    def unrecorded(self) -> list[str]:
        return [f"{self.label}: {name}: ours {o}, peer {p}" for name, o, p, a in self.disagreements if a is None]

    def summary(self) -> str:
        decided = [n for n in self.ours if self.ours[n] != "Refused" and self.peer.get(n) != "Refused"]
        agreed = sum(1 for n in decided if self.ours[n] == self.peer.get(n))
        refused = sum(1 for n in self.ours if "Refused" in (self.ours[n], self.peer.get(n)))
        return (f"{self.label}: {len(self.ours)} case(s), both decided {len(decided)}, agreed {agreed}; "
                f"refused by either {refused}; disagreements {len(self.disagreements)} "
                f"({len(self.unrecorded)} not adjudicated)")


def compare(label: str, decision_file: dict[str, Any], recorded: list[Adjudication] | None = None) -> Verdict:
    recorded = adjudications() if recorded is None else recorded
    mine, theirs = ours(decision_file), peer(decision_file)
    by_name = {c["name"]: c for c in decision_file["cases"]}
    disagreements = []
    for name, decision in mine.items():
        other = theirs.get(name, "missing")
        if decision == other:
            continue
        case_features = features(decision_file, by_name[name])
        match = next((a for a in recorded if decision in a.ours and other in a.peer and
                      (f"{label}: {name}" in a.cases or set(a.features) & case_features)), None)
        disagreements.append((name, decision, other, match))
    return Verdict(label, mine, theirs, disagreements)


def corpus_files() -> list[tuple[str, dict[str, Any]]]:
    """Each file of the policy corpus as a decision file, labelled `corpus/<file>`."""
    files = []
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_text())
        cases = [{CORPUS_FIELDS.get(k, k): v for k, v in case.items() if k != "source"} for case in data["cases"]]
        files.append((f"corpus/{path.stem}", {"policies": data["policies"], "cases": cases}))
    return files


def render(template: str, values: dict[str, str]) -> dict[str, Any]:
    """`${name}` placeholders replaced, as Terraform's templatefile does (rule/core/tests/scp_policies.rs)."""
    for name, value in values.items():
        template = template.replace("${" + name + "}", value)
    if "${" in template:
        raise ValueError(f"a placeholder has no value: {re.findall(r'[$][{][^}]*[}]', template)}")
    return json.loads(template)


def proofs_file() -> dict[str, Any]:
    """scp-policies/proofs.json as a decision file: FullAWSAccess at the root, the SCP beside it on the
    account's OU, an identity policy that allows everything, the resource in the principal's account."""
    proofs = json.loads((PROOFS / "proofs.json").read_text())
    templates = sorted(path.stem for path in PROOFS.glob("deny-*.json"))
    policies: dict[str, Any] = {"FullAWSAccess": FULL_AWS_ACCESS}
    for name in templates:
        policies[name] = render((PROOFS / f"{name}.json").read_text(), proofs["values"])
    cases = []
    for number, proof in enumerate(proofs["cases"]):
        scps = templates if proof["scp"] == "all" else [proof["scp"]]
        principal = proofs["principals"].get(proof["principal"], proof["principal"])
        found = {"name": f"{number} {proof['scp']} {proof['principal']} {proof['action']}",
                 "principal": principal, "action": proof["action"], "resource": proof["resource"],
                 "context": proof.get("context", {}), "identity": ["FullAWSAccess"],
                 "scps": [["FullAWSAccess"], ["FullAWSAccess", *scps]], "expect": proof["expect"]}
        if proof["action"].startswith("kms:"):
            # A key's policy must allow or delegate to the account (AWS KMS Developer Guide, "Key
            # policies"): the proofs' keys delegate to their own account, as scp_policies.rs does.
            account = principal.split(":")[4]
            policies[f"key policy of {account}"] = {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*",
                "Resource": "*"}]}
            found |= {"resource_policy": f"key policy of {account}", "kms_key": True}
        cases.append(found)
    return {"policies": policies, "cases": cases}


def figures_path() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "differential-figures.txt"


def record_figures(line: str) -> None:
    """One line of agreement figures, printed in the session's summary (tests/conftest.py)."""
    path = figures_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
