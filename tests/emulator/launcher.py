"""The project's local AWS emulator: moto in server mode, plus what moto lacks for this rule.

moto (pinned in tests/requirements.txt) serves every AWS call as it is. On top of its state this
launcher adds, in one WSGI layer:

- DescribeDeliveryChannelStatus (moto raises NotImplementedError): what Config says is declared by
  each scenario as a timeline of delivery attempts, never derived from the state the probes read, so
  status and probes can disagree and lag as they do in AWS:
  {"delivery_timeline": [{"at": "now-25h", "status": "Failure", "code": "NoSuchBucket",
                          "message": "...", "parts": ["snapshot", "history"]}, ...],
   "elapsed": "24h"}
  The last attempt up to now gives lastStatus and lastAttemptTime; the last success
  lastSuccessfulTime; the last failure lastErrorCode and lastErrorMessage (kept after a later
  success, as Config's documented sample shows); nextDeliveryTime is one delivery period after the
  last attempt. Relative times ("now-6h") are fixed points counted from when the account-region's
  declarations were first read as they are, so an unchanged declaration says the same run after
  run. Attempts in the future are not visible yet; "elapsed" moves the scenario's clock on (one
  period later, the attempt then due is visible). No timeline: one success ten minutes ago.
- ListConfigurationRecorders (absent from moto): the customer-managed recorders moto holds (PAID),
  plus service-linked (INTERNAL) recorders declared in the override file.
- PutEvaluations (moto stores nothing outside TestMode): validated as Config does (at most 100
  evaluations, annotation 1..256 characters, no INSUFFICIENT_DATA, AWS::::Account) and recorded, so
  tests can assert on exactly what Config received. A result token the emulator issued for a rule
  (POST /_guard/result-token, as Config issues one when it invokes the rule) also stores the results
  as that rule's, newest OrderingTimestamp wins.
- GetComplianceDetailsByConfigRule (absent from moto): the stored results of a rule that moto holds
  or that a token was issued for (else NoSuchConfigRuleException), filtered by ComplianceTypes, paged
  by Limit and NextToken.
- Security Hub's workflow: BatchUpdateFindings (absent from moto) sets Workflow.Status and Note of
  existing findings; BatchImportFindings leaves both of an existing finding as they were (AWS does;
  moto overwrote them).
- StartConfigRulesEvaluation (absent from moto): recorded (GET /_guard/rule-evaluations-started) for a
  rule that exists; Config would then invoke the rule, which the caller of the emulator does.
- An override file, read again whenever it changes, to declare the delivery timeline, set any
  delivery or recorder status field, error code or time ("now-72h") on top of it, declare
  service-linked recorders, make PutEvaluations list the first N evaluations as FailedEvaluations,
  and inject faults into any operation:
  {"faults": [{"operation": "DescribeDeliveryChannelStatus" or "*", "fault": FAULT,
               "first": N (the first N calls) or "fraction": 0.3 (of calls), "delay_ms": 1500}]}
  with FAULT one of throttle, access_denied, server_error, malformed, dropped, slow, incomplete
  (a well-formed answer left incomplete: emulator/incomplete.py, "variant" picks how), for every
  operation the rule calls, keyed by the caller's account and signing region, and answered in the
  service's own protocol: awsJson (Config, Organizations, KMS, EventBridge), restJson (Security Hub,
  Account), query XML (STS, IAM) and S3's REST-XML (HeadBucket, GetBucketPolicy,
  GetObjectLockConfiguration, GetBucketEncryption; throttling as 503 SlowDown).

- S3's bucket owner condition (moto ignores it): a request carrying x-amz-expected-bucket-owner for
  a bucket another account owns is refused with 403 AccessDenied, as S3 refuses it (S3 User Guide,
  "Verifying bucket ownership with bucket owner condition"); a bucket that does not exist is left
  to moto's 404.
- KMS across accounts (moto keeps each account's keys apart and answers NotFoundException for
  another account's key ARN, which would read as "the key does not exist"): a KMS call naming a
  key or alias ARN of another account than the caller's is refused with AccessDeniedException, as
  KMS refuses a caller the key policy does not name (AWS KMS Developer Guide, "Allowing users in
  other accounts to use a KMS key"). No scenario's key policy grants another account's role.
- STS AssumeRole, strict for chosen role names: moto lets anyone assume any role, even one that does
  not exist. For the names given by --strict-roles or in the override file's
  {"_global": {"strict_roles": [...]}}, the role must exist in the target account, its trust policy
  must allow sts:AssumeRole to the caller (its role, its account or "*"), and if the trust requires
  an sts:ExternalId the request must carry it; otherwise AccessDenied, as STS answers.
- Account Management ListRegions (absent from moto): the 17 regions enabled by default in every
  account plus opt-in regions marked DISABLED, or {"_global": {"enabled_regions": {ACCOUNT: [...]}}}.
  Calls an account signs for an opt-in Region it has not enabled are refused as AWS refuses them
  (UnrecognizedClientException, InvalidClientTokenId, InvalidAccessKeyId).
- Organizations ListAccounts and DescribeAccount: moto's accounts with the states declared in
  {"_global": {"account_states": {ACCOUNT: "PENDING_CLOSURE"}}} (moto closes straight to SUSPENDED).
- CloudTrail organization trails: AWS shows the management account's organization trail in every
  member account (DescribeTrails with shadow trails; GetTrailStatus and GetEventSelectors by its
  ARN); moto keeps it in the management account only. Whether it logs, and what it selects, is what
  the management account set on it. A trail whose selectors were never set answers with CloudTrail's
  default, every read and write management event (moto answers with none).

Control endpoints (loopback only): GET /_guard/health, GET /_guard/evaluations, POST /_guard/reset,
POST /_guard/reset-faults, GET /_guard/faults (calls seen per fault entry), POST /_guard/result-token
{"account", "region", "rule"}, GET /_guard/rule-evaluations-started, GET /_guard/requests (AWS calls
served, per service and operation), GET /_guard/in-flight (the most requests in flight at once, per
operation),
POST /_guard/latency {"ms": N} (change the added latency).

Usage: python launcher.py [--port 0] [--port-file FILE] [--overrides FILE] [--latency-ms N]
                          [--strict-roles NAME,NAME]
(--latency-ms adds N ms before every AWS response, as a network round trip would; `make bench`.)
Prints "emulator listening on http://127.0.0.1:PORT" once it accepts connections.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import re
import socket
import signal
import sys
import threading
import time
import urllib.parse
from typing import Any, Callable, Iterable

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

try:  # run as a script (make emulator) or imported as the package's module
    from emulator import incomplete
except ImportError:  # pragma: no cover
    import incomplete  # type: ignore[no-redef]
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

CONFIG_TARGET = "StarlingDoveService."
# The awsJson1_1 services whose operations take injected faults.
JSON_TARGETS = {
    CONFIG_TARGET: "config",
    "AWSOrganizationsV20161128.": "organizations",
    "TrentService.": "kms",
    "AWSEvents.": "events",
    "CloudTrail_20131101.": "cloudtrail",
    "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.": "cloudtrail",
}
# The restJson operations the rule calls, by (signing name, method, path).
REST_JSON_OPERATIONS = {
    ("securityhub", "POST", "/findings"): "GetFindings",
    ("securityhub", "POST", "/findings/import"): "BatchImportFindings",
    ("securityhub", "PATCH", "/findings/batchupdate"): "BatchUpdateFindings",
    ("account", "POST", "/listRegions"): "ListRegions",
}
# restJson services throttle with 429 and their own code.
REST_JSON_THROTTLE = {"securityhub": "TooManyRequestsException", "account": "TooManyRequestsException"}
# (code, status) per fault and protocol, as each protocol's services answer it.
ERROR_CODES = {
    "throttle": {"json": ("ThrottlingException", 400), "rest-json": ("ThrottlingException", 429),
                 "query": ("Throttling", 400), "rest-xml": ("SlowDown", 503)},
    "access_denied": {"json": ("AccessDeniedException", 400), "rest-json": ("AccessDeniedException", 403),
                      "query": ("AccessDenied", 403), "rest-xml": ("AccessDenied", 403)},
    "server_error": {"json": ("InternalFailure", 500), "rest-json": ("InternalServerException", 500),
                     "query": ("InternalFailure", 500), "rest-xml": ("InternalError", 500)},
}
COMPLIANCE_TYPES = {"COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"}
FREQUENCY_HOURS = {
    "One_Hour": 1,
    "Three_Hours": 3,
    "Six_Hours": 6,
    "Twelve_Hours": 12,
    "TwentyFour_Hours": 24,
}
# A healthy channel last delivered this long ago.
HEALTHY_DELIVERY_AGE_S = 10 * 60
# The timeline of a scenario that declares none: one successful delivery ten minutes ago.
HEALTHY_TIMELINE = [{"at": "now-10m", "status": "Success"}]
FAULTS = ("throttle", "access_denied", "server_error", "malformed", "dropped", "slow", "incomplete")
RELATIVE_TIME = re.compile(r"^now(?:([+-])(\d+(?:\.\d+)?)([smhd]))?$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_REGIONS = [
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
    "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
]
OPT_IN_REGIONS = ["af-south-1", "ap-east-1", "eu-south-1", "me-south-1"]


class ConfigError(Exception):
    """An error response in Config's awsJson1_1 shape."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status

    def response(self) -> Response:
        body = json.dumps({"__type": self.code, "message": self.message})
        return Response(
            body,
            status=self.status,
            content_type="application/x-amz-json-1.1",
            headers={"x-amzn-ErrorType": self.code},
        )


def resolve_time(value: Any, now: float) -> float | None:
    """Epoch seconds from a number or a relative "now-72h" string."""
    if value is None or isinstance(value, (int, float)):
        return value
    match = RELATIVE_TIME.match(str(value).strip())
    if not match:
        raise ValueError(f"override time {value!r} is neither epoch seconds nor now[+-]N[smhd]")
    sign, amount, unit = match.groups()
    if not sign:
        return now
    delta = float(amount) * UNIT_SECONDS[unit]
    return now + delta if sign == "+" else now - delta


class Overrides:
    """The override file, read again whenever it changes, so tests can change it between calls."""

    def __init__(self, path: str | None):
        self.path = path
        self.lock = threading.Lock()
        self.seen: tuple[int, int, int] | None = None
        self.data: dict[str, Any] = {}
        self.anchors: dict[tuple[str, str], tuple[str, float]] = {}

    def current(self) -> dict[str, Any]:
        if not self.path:
            return {}
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return {}
        # Tests replace the file atomically; a new inode or mtime means new contents.
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        with self.lock:
            if stamp != self.seen:
                with open(self.path, encoding="utf-8") as handle:
                    self.data = json.load(handle)
                self.seen = stamp
            return self.data

    def for_account_region(self, account: str, region: str) -> dict[str, Any]:
        return self.current().get(account, {}).get(region, {})

    def anchor(self, account: str, region: str) -> float:
        """When this account-region's declarations were first seen as they are: relative times
        ("now-6h") are points in time from then on, as AWS's are, so an unchanged declaration
        gives the same times run after run."""
        section = json.dumps(self.for_account_region(account, region), sort_keys=True)
        with self.lock:
            seen = self.anchors.get((account, region))
            if seen is None or seen[0] != section:
                seen = (section, time.time())
                self.anchors[(account, region)] = seen
            return seen[1]

    def global_section(self) -> dict[str, Any]:
        return self.current().get("_global", {})


class Emulator:
    def __init__(self, overrides: Overrides, latency_ms: float = 0, strict_roles: Iterable[str] = ()):
        self.latency_s = latency_ms / 1000
        self.strict_roles = set(strict_roles)
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.overrides = overrides
        self.lock = threading.Lock()
        self.put_calls: list[dict[str, Any]] = []
        self.failed_so_far: dict[tuple[str, str], int] = {}
        self.fault_calls: dict[tuple[str, str, int], int] = {}
        self.random = random.Random(7)  # fractions are reproducible run to run
        # Issued result tokens -> (account, region, rule); each rule's stored results.
        self.tokens: dict[str, tuple[str, str, str]] = {}
        self.results: dict[tuple[str, str, str], dict[tuple[str, str], dict[str, Any]]] = {}
        self.started: list[dict[str, Any]] = []
        self.requests: dict[str, int] = {}
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.handlers: dict[str, Callable[[Request, str, str, dict[str, Any]], Response]] = {
            "DescribeDeliveryChannelStatus": self.describe_delivery_channel_status,
            "ListConfigurationRecorders": self.list_configuration_recorders,
            "PutEvaluations": self.put_evaluations,
            "GetComplianceDetailsByConfigRule": self.get_compliance_details_by_config_rule,
            "StartConfigRulesEvaluation": self.start_config_rules_evaluation,
        }

    # --- WSGI -----------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        if request.path.startswith("/_guard/"):
            return self.control(request)(environ, start_response)
        target = request.headers.get("X-Amz-Target", "")
        called = operation_of(request, target)
        # Requests in flight per operation, from arrival to answer: the most ever seen proves the
        # rule's concurrency bound (GET /_guard/in-flight).
        key = f"{called[1]}:{called[2]}" if called else "other"
        with self.lock:
            self.in_flight[key] = self.in_flight.get(key, 0) + 1
            self.max_in_flight[key] = max(self.max_in_flight.get(key, 0), self.in_flight[key])
        try:
            return self.serve(request, environ, start_response, target, called)
        finally:
            with self.lock:
                self.in_flight[key] -= 1

    def serve(
        self,
        request: Request,
        environ: dict[str, Any],
        start_response: Callable,
        target: str,
        called: tuple[str, str, str] | None,
    ) -> Iterable[bytes]:
        if self.latency_s:
            time.sleep(self.latency_s)
        self.count_request(request, target)
        account, region = self.caller(request)
        if called is not None:
            protocol, service, operation = called
            fault = self.fault_for(account, region, operation)
            if fault is not None and fault["fault"] == "incomplete":
                return self.incomplete_answer(fault, operation, environ, target, called)(environ, start_response)
            injected = self.inject(fault, protocol, service, operation, environ) if fault is not None else None
            if injected is not None:
                return injected(environ, start_response)
            if service == "sts":
                denied = self.strict_assume_role(query_form(request), request)
                if denied is not None:
                    return denied(environ, start_response)
        return self.dispatch(request, environ, start_response, target, called)

    def dispatch(
        self,
        request: Request,
        environ: dict[str, Any],
        start_response: Callable,
        target: str,
        called: tuple[str, str, str] | None,
    ) -> Iterable[bytes]:
        """The answer AWS would give, once faults are out of the way: moto's, or the launcher's."""
        authorization = request.headers.get("Authorization", "")
        account, region = self.caller(request)
        refused = expected_owner_refused(request) or cross_account_key_refused(request, environ, target, account)
        if refused is not None:
            return refused(environ, start_response)
        if "/account/aws4_request" in authorization and request.path == "/listRegions":
            return self.list_regions(account, json.loads(request.get_data() or b"{}"))(environ, start_response)
        if target in ("AWSOrganizationsV20161128.ListAccounts", "AWSOrganizationsV20161128.DescribeAccount"):
            return self.patched_account_states(environ)(environ, start_response)
        if called is not None and self.region_not_enabled(account, region):
            return region_not_enabled(called[0])(environ, start_response)
        if called == ("rest-json", "securityhub", "BatchUpdateFindings"):
            return self.batch_update_findings(account, region, json.loads(request.get_data() or b"{}"))(environ, start_response)
        if called == ("rest-json", "securityhub", "BatchImportFindings"):
            return self.import_keeping_workflow(environ, account, region, json.loads(request.get_data() or b"{}"))(environ, start_response)
        if target.startswith(CONFIG_TARGET):
            operation = target[len(CONFIG_TARGET):]
            handler = self.handlers.get(operation)
            if handler or operation == "DescribeConfigurationRecorderStatus":
                try:
                    if handler:
                        body = json.loads(request.get_data() or b"{}")
                        response = handler(request, account, region, body)
                    else:
                        response = self.patched_recorder_status(environ, account, region)
                except ConfigError as err:
                    response = err.response()
                return response(environ, start_response)
        return self.moto(environ, start_response)

    def control(self, request: Request) -> Response:
        if request.path == "/_guard/health":
            return json_response({"ok": True})
        if request.path == "/_guard/evaluations" and request.method == "GET":
            with self.lock:
                return json_response({"calls": self.put_calls})
        if request.path == "/_guard/result-token" and request.method == "POST":
            asked = json.loads(request.get_data() or b"{}")
            token = f"emulator-token-{len(self.tokens) + 1}-{asked['rule']}"
            with self.lock:
                self.tokens[token] = (asked["account"], asked["region"], asked["rule"])
            return json_response({"token": token})
        if request.path == "/_guard/rule-evaluations-started" and request.method == "GET":
            with self.lock:
                return json_response({"started": self.started})
        if request.path == "/_guard/requests" and request.method == "GET":
            with self.lock:
                return json_response({"requests": dict(self.requests)})
        if request.path == "/_guard/in-flight" and request.method == "GET":
            with self.lock:  # the most requests in flight at once, per operation
                return json_response({"max": dict(self.max_in_flight)})
        if request.path == "/_guard/latency" and request.method == "POST":
            # Seed fast, then measure with the round trip: `make bench` sets it between the two.
            self.latency_s = float(json.loads(request.get_data() or b"{}").get("ms", 0)) / 1000
            return json_response({"latency_ms": self.latency_s * 1000})
        if request.path == "/_guard/faults" and request.method == "GET":
            with self.lock:  # calls seen per fault entry, to prove a fault was hit
                seen = [{"account": a, "region": r, "entry": i, "calls": n} for (a, r, i), n in self.fault_calls.items()]
            return json_response({"faults": seen})
        if request.path == "/_guard/reset-faults" and request.method == "POST":
            with self.lock:  # the "first N calls" of every fault count again
                self.fault_calls.clear()
            return json_response({"reset": True})
        if request.path == "/_guard/reset" and request.method == "POST":
            from moto.moto_api._internal import moto_api_backend

            moto_api_backend.reset()
            with self.overrides.lock:
                self.overrides.anchors.clear()
            with self.lock:
                self.put_calls.clear()
                self.failed_so_far.clear()
                self.fault_calls.clear()
                self.tokens.clear()
                self.results.clear()
                self.started.clear()
                self.requests.clear()
                self.max_in_flight.clear()
            return json_response({"reset": True})
        return json_response({"error": f"no control endpoint {request.method} {request.path}"}, 404)

    # --- Security Hub: the workflow is the customer's -------------------------------------------

    def import_keeping_workflow(self, environ: dict[str, Any], account: str, region: str, body: dict[str, Any]) -> Response:
        """moto's BatchImportFindings, except that an existing finding keeps its Workflow and Note:
        after a finding is created, BatchImportFindings cannot update them (Security Hub API
        Reference, BatchImportFindings); moto overwrites them. Security Hub's own resets apply: a
        NOTIFIED or RESOLVED finding is NEW again when its RecordState goes from ARCHIVED to ACTIVE
        or its Compliance.Status from PASSED to WARNING, FAILED or NOT_AVAILABLE (API Reference,
        Workflow)."""
        from moto.securityhub.models import securityhub_backends

        findings = securityhub_backends[account][region].findings
        ids = {f.get("Id") for f in body.get("Findings", [])}
        before = {f.id: {k: f.data.get(k) for k in ("Workflow", "Note", "RecordState", "Compliance")} for f in findings if f.id in ids}
        response = Response.from_app(self.moto, environ)
        for finding in findings:
            old = before.get(finding.id)
            if old is None:
                continue
            for key in ("Workflow", "Note"):
                finding.data.pop(key, None)
                if old[key] is not None:
                    finding.data[key] = old[key]
            status = (old["Workflow"] or {}).get("Status")
            reopened = old["RecordState"] == "ARCHIVED" and finding.data.get("RecordState") == "ACTIVE"
            failing_again = (old["Compliance"] or {}).get("Status") == "PASSED" and (finding.data.get("Compliance") or {}).get("Status") in ("WARNING", "FAILED", "NOT_AVAILABLE")
            if status in ("NOTIFIED", "RESOLVED") and (reopened or failing_again):
                finding.data["Workflow"] = {"Status": "NEW"}
        return response

    def batch_update_findings(self, account: str, region: str, body: dict[str, Any]) -> Response:
        """BatchUpdateFindings (absent from moto): Workflow.Status and Note of existing findings."""
        from moto.securityhub.models import securityhub_backends

        findings = {f.id: f for f in securityhub_backends[account][region].findings}
        processed, unprocessed = [], []
        for identifier in body.get("FindingIdentifiers", []):
            finding = findings.get(identifier.get("Id"))
            if finding is None or finding.data.get("ProductArn") != identifier.get("ProductArn"):
                unprocessed.append({"FindingIdentifier": identifier, "ErrorCode": "FindingNotFound",
                                    "ErrorMessage": "Finding Not Found"})
                continue
            if "Workflow" in body:
                finding.data["Workflow"] = {"Status": body["Workflow"]["Status"]}
            if "Note" in body:
                finding.data["Note"] = {**body["Note"], "UpdatedAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
            processed.append(identifier)
        return json_response({"ProcessedFindings": processed, "UnprocessedFindings": unprocessed})

    # --- STS AssumeRole and Account ListRegions -------------------------------------------------

    def strict_assume_role(self, form: dict[str, str], request: Request) -> Response | None:
        """AccessDenied for a strict role that is missing or whose external ID does not match."""
        if form.get("Action") != "AssumeRole":
            return None
        role_arn = form.get("RoleArn", "")
        parts = role_arn.split(":", 5)
        if len(parts) != 6 or not parts[5].startswith("role/"):
            return None
        account, name = parts[4], parts[5].rsplit("/", 1)[-1]
        if name not in self.strict_roles | set(self.overrides.global_section().get("strict_roles", [])):
            return None
        from moto.iam.models import iam_backends

        role = next((r for r in iam_backends[account]["global"].roles.values() if r.name == name), None)
        caller, _ = self.caller(request)
        caller_role = self.caller_role(request, caller)
        who = caller_role.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") if caller_role else f"arn:aws:iam::{caller}:root"
        message = f"User: {who} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
        if role is None:
            return sts_access_denied(message)
        trust = json.loads(role.assume_role_policy_document) if isinstance(role.assume_role_policy_document, str) else role.assume_role_policy_document
        from moto.core.models import DEFAULT_ACCOUNT_ID

        # The harness's own credentials (moto's default account, no role) stand for the Lambda
        # service assuming a function's role.
        service = "lambda.amazonaws.com" if caller_role is None and caller == DEFAULT_ACCOUNT_ID else None
        if not trust_allows(trust, caller, caller_role, service):
            return sts_access_denied(message)
        wanted = required_external_ids(trust)
        if wanted and form.get("ExternalId") not in wanted:
            return sts_access_denied(message)
        return None

    @staticmethod
    def caller_role(request: Request, account: str) -> str | None:
        """The role ARN behind the request's credentials, when they came from AssumeRole."""
        from moto.sts.models import sts_backends

        match = re.search(r"Credential=([^/]+)/", request.headers.get("Authorization", ""))
        if match is None:
            return None
        assumed = sts_backends[account]["aws"].get_assumed_role_from_access_key(match.group(1))
        return assumed.role_arn if assumed else None

    def patched_account_states(self, environ: dict[str, Any]) -> Response:
        """moto's ListAccounts with the states declared in {"_global": {"account_states": {ID: STATE}}}:
        moto closes an account straight to SUSPENDED, AWS passes through PENDING_CLOSURE first."""
        response = Response.from_app(self.moto, environ)
        declared = self.overrides.global_section().get("account_states", {})
        if not declared or response.status_code != 200:
            return response
        data = json.loads(response.get_data())
        for account in data.get("Accounts", []) + ([data["Account"]] if "Account" in data else []):
            if account.get("Id") in declared:
                state = declared[account["Id"]]
                # The older Status knows ACTIVE, SUSPENDED and PENDING_CLOSURE; CLOSED reads SUSPENDED.
                account["State"] = state
                account["Status"] = state if state in ("ACTIVE", "PENDING_CLOSURE") else "SUSPENDED"
        return json_response(data)

    def enabled_regions(self, account: str) -> list[str]:
        return self.overrides.global_section().get("enabled_regions", {}).get(account, DEFAULT_REGIONS)

    def region_not_enabled(self, account: str, region: str) -> bool:
        """An opt-in Region the account has not enabled: AWS refuses the account's credentials there."""
        return region in OPT_IN_REGIONS and region not in self.enabled_regions(account)

    def list_regions(self, account: str, body: dict[str, Any]) -> Response:
        enabled = self.enabled_regions(account)
        regions = [
            {"RegionName": name, "RegionOptStatus": "ENABLED_BY_DEFAULT" if name in DEFAULT_REGIONS else "ENABLED"}
            for name in enabled
        ] + [{"RegionName": name, "RegionOptStatus": "DISABLED"} for name in OPT_IN_REGIONS if name not in enabled]
        wanted = body.get("RegionOptStatusContains")
        if wanted:
            regions = [r for r in regions if r["RegionOptStatus"] in wanted]
        return Response(json.dumps({"Regions": regions}), status=200, content_type="application/json")

    # --- Fault injection ----------------------------------------------------------------------------

    def fault_for(self, account: str, region: str, operation: str) -> dict[str, Any] | None:
        """The first configured fault that applies to this call, counting calls per fault entry."""
        faults = self.overrides.for_account_region(account, region).get("faults", [])
        for index, fault in enumerate(faults):
            if fault.get("operation") not in (operation, "*"):
                continue
            if fault.get("fault") not in FAULTS:
                raise ValueError(f"unknown fault {fault.get('fault')!r}; use one of {', '.join(FAULTS)}")
            with self.lock:
                key = (account, region, index)
                seen = self.fault_calls.get(key, 0)
                self.fault_calls[key] = seen + 1
                if "first" in fault:
                    hit = seen < int(fault["first"])
                elif "fraction" in fault:
                    hit = self.random.random() < float(fault["fraction"])
                else:
                    hit = True
            if hit:
                return fault
        return None

    def incomplete_answer(
        self, fault: dict[str, Any], operation: str, environ: dict[str, Any], target: str,
        called: tuple[str, str, str] | None,
    ) -> Response:
        """The real answer, left incomplete as emulator/incomplete.py's variant says."""
        body = Request(environ).get_data()
        token = incomplete.request_token(operation, body)
        if token == incomplete.VANISH:
            return ConfigError("NoSuchConfigRuleException", "The ConfigRule provided in the request is invalid.").response()
        if token == incomplete.REPEAT:
            body = incomplete.strip_token(body)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        request = Request(environ)
        response = Response.from_app(lambda e, sr: self.dispatch(request, e, sr, target, called), environ)
        if response.status_code >= 300:
            return response
        response.set_data(incomplete.transform(operation, fault.get("variant"), response.get_data()))
        return response

    @staticmethod
    def inject(
        fault: dict[str, Any], protocol: str, service: str, operation: str, environ: dict[str, Any]
    ) -> Response | None:
        """The faulty response in the service's own protocol (awsJson, restJson, query XML, S3's
        REST-XML), or None to serve the call normally (after a delay, for slow)."""
        kind = fault["fault"]
        if kind == "dropped":
            connection = environ.get("werkzeug.socket")
            if connection is not None:
                connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            return Response(b"", status=500)
        if kind == "slow":
            time.sleep(float(fault.get("delay_ms", 1000)) / 1000)
            return None
        if kind == "malformed":
            xml = protocol in ("query", "rest-xml")
            return Response("<html>not what the service sends", status=200,
                            content_type="text/xml" if xml else "application/x-amz-json-1.1")
        code, status = ERROR_CODES[kind][protocol]
        if kind == "throttle" and service in REST_JSON_THROTTLE:
            code, status = REST_JSON_THROTTLE[service], 429
        message = {
            "throttle": "Rate exceeded",
            "access_denied": f"User is not authorized to perform: {service}:{operation} (injected)",
            "server_error": "injected internal failure",
        }[kind]
        if protocol == "query":
            return sts_error(code, message, status)
        if protocol == "rest-xml":
            return s3_error(code, message, status, with_body=environ.get("REQUEST_METHOD") != "HEAD")
        return json_error(code, message, status)

    @staticmethod
    def caller(request: Request) -> tuple[str, str]:
        """The account and region moto would attribute this request to."""
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.iam.models import get_account_id_from

        auth = request.headers.get("Authorization", "")
        match = re.search(r"Credential=([^/]+)/[^/]+/([^/]+)/", auth)
        region = match.group(2) if match else "us-east-1"
        if "x-moto-account-id" in request.headers:
            return request.headers["x-moto-account-id"], region
        account = get_account_id_from(match.group(1)) if match else DEFAULT_ACCOUNT_ID
        return account, region

    # --- DescribeDeliveryChannelStatus ----------------------------------------------------------

    def describe_delivery_channel_status(
        self, request: Request, account: str, region: str, body: dict[str, Any]
    ) -> Response:
        from moto.config.models import config_backends

        backend = config_backends[account][region]
        names = body.get("DeliveryChannelNames") or list(backend.delivery_channels)
        declared = self.overrides.for_account_region(account, region)
        override = declared.get("delivery_status", {})
        anchor = self.overrides.anchor(account, region)
        statuses = []
        for name in names:
            channel = backend.delivery_channels.get(name)
            if channel is None:
                raise ConfigError("NoSuchDeliveryChannelException", f"Cannot find delivery channel with specified name '{name}'.")
            status = declared_status(channel, declared.get("delivery_timeline", HEALTHY_TIMELINE),
                                     declared.get("elapsed"), anchor, time.time())
            for part in ("snapshot", "history", "stream"):
                key = f"config{part.capitalize()}DeliveryInfo"
                for field, value in override.get(part, {}).items():
                    if value is None:  # null removes a field
                        status[key].pop(field, None)
                    else:
                        status[key][field] = resolve_time(value, anchor) if field.endswith("Time") else value
            statuses.append({"name": name, **status})
        return json_response({"DeliveryChannelsStatus": statuses})

    # --- ListConfigurationRecorders and recorder status -------------------------------------------

    def list_configuration_recorders(
        self, request: Request, account: str, region: str, body: dict[str, Any]
    ) -> Response:
        from moto.config.models import config_backends

        backend = config_backends[account][region]
        summaries = [
            {
                "arn": recorder_arn(account, region, name),
                "name": name,
                "recordingScope": "PAID",
            }
            for name in backend.recorders
        ]
        override = self.overrides.for_account_region(account, region)
        for linked in override.get("service_linked_recorders", []):
            summaries.append(
                {
                    "arn": recorder_arn(account, region, linked["name"]),
                    "name": linked["name"],
                    "servicePrincipal": linked["servicePrincipal"],
                    "recordingScope": "INTERNAL",
                }
            )
        for wanted in body.get("Filters", []):
            if wanted.get("filterName") == "recordingScope":
                summaries = [s for s in summaries if s["recordingScope"] in wanted.get("filterValue", [])]
        return json_response({"ConfigurationRecorderSummaries": summaries})

    def patched_recorder_status(self, environ: dict[str, Any], account: str, region: str) -> Response:
        """moto's answer, with the override file's recorder_status fields applied."""
        response = Response.from_app(self.moto, environ)
        override = self.overrides.for_account_region(account, region).get("recorder_status")
        if not override or response.status_code != 200:
            return response
        data = json.loads(response.get_data())
        anchor = self.overrides.anchor(account, region)
        for status in data.get("ConfigurationRecordersStatus", []):
            for field, value in override.items():
                status[field] = resolve_time(value, anchor) if field.endswith("Time") else value
        return json_response(data)

    # --- PutEvaluations ---------------------------------------------------------------------------

    def put_evaluations(self, request: Request, account: str, region: str, body: dict[str, Any]) -> Response:
        evaluations = body.get("Evaluations") or []
        token = body.get("ResultToken")
        if not token:
            raise ConfigError("InvalidResultTokenException", "The result token is invalid.")
        if len(evaluations) > 100:
            raise ConfigError(
                "ValidationException",
                f"1 validation error detected: Value at 'evaluations' failed to satisfy constraint: "
                f"Member must have length less than or equal to 100 (got {len(evaluations)})",
            )
        for evaluation in evaluations:
            validate_evaluation(evaluation)
        fail_first = self.overrides.for_account_region(account, region).get("put_evaluations", {}).get("fail_first", 0)
        with self.lock:
            already = self.failed_so_far.get((account, region), 0)
            to_fail = max(0, min(fail_first - already, len(evaluations)))
            self.failed_so_far[(account, region)] = already + to_fail
            failed = evaluations[:to_fail]
            self.put_calls.append(
                {
                    "account": account,
                    "region": region,
                    "resultToken": token,
                    "testMode": bool(body.get("TestMode", False)),
                    "evaluations": evaluations,
                    "failedEvaluations": failed,
                }
            )
            rule = self.tokens.get(token)
            if rule is not None and not body.get("TestMode", False):
                stored = self.results.setdefault(rule, {})
                now = time.time()
                for evaluation in evaluations[to_fail:]:
                    key = (evaluation["ComplianceResourceType"], evaluation["ComplianceResourceId"])
                    ordering = float(evaluation["OrderingTimestamp"])
                    if key in stored and stored[key]["OrderingTimestamp"] > ordering:
                        continue  # Config keeps the newest result
                    stored[key] = {**evaluation, "OrderingTimestamp": ordering, "ResultRecordedTime": now}
        return json_response({"FailedEvaluations": failed})

    # --- GetComplianceDetailsByConfigRule, StartConfigRulesEvaluation ---------------------------

    def rule_exists(self, account: str, region: str, rule: str) -> bool:
        from moto.config.models import config_backends

        with self.lock:
            issued = any(issued == (account, region, rule) for issued in self.tokens.values())
        return issued or rule in config_backends[account][region].config_rules

    def get_compliance_details_by_config_rule(
        self, request: Request, account: str, region: str, body: dict[str, Any]
    ) -> Response:
        rule = body.get("ConfigRuleName", "")
        if not self.rule_exists(account, region, rule):
            raise ConfigError("NoSuchConfigRuleException", f"The ConfigRule '{rule}' provided in the request is invalid.")
        wanted = set(body.get("ComplianceTypes") or COMPLIANCE_TYPES)
        limit = int(body.get("Limit") or 100)
        if not 0 <= limit <= 100:
            raise ConfigError("InvalidLimitException", "The limit must be from 0 to 100.")
        limit = limit or 100
        start = int(body.get("NextToken") or 0)
        with self.lock:
            stored = sorted(self.results.get((account, region, rule), {}).items())
        matching = [result for _, result in stored if result["ComplianceType"] in wanted]
        page = matching[start : start + limit]
        results = [
            {
                "EvaluationResultIdentifier": {
                    "EvaluationResultQualifier": {
                        "ConfigRuleName": rule,
                        "ResourceType": result["ComplianceResourceType"],
                        "ResourceId": result["ComplianceResourceId"],
                        "EvaluationMode": "DETECTIVE",
                    },
                    "OrderingTimestamp": result["OrderingTimestamp"],
                },
                "ComplianceType": result["ComplianceType"],
                "ResultRecordedTime": result["ResultRecordedTime"],
                "ConfigRuleInvokedTime": result["ResultRecordedTime"],
                **({"Annotation": result["Annotation"]} if result.get("Annotation") else {}),
            }
            for result in page
        ]
        answer: dict[str, Any] = {"EvaluationResults": results}
        if start + limit < len(matching):
            answer["NextToken"] = str(start + limit)
        return json_response(answer)

    def start_config_rules_evaluation(
        self, request: Request, account: str, region: str, body: dict[str, Any]
    ) -> Response:
        rules = body.get("ConfigRuleNames") or []
        for rule in rules:
            if not self.rule_exists(account, region, rule):
                raise ConfigError("NoSuchConfigRuleException", f"The ConfigRule '{rule}' provided in the request is invalid.")
        with self.lock:
            self.started.append({"account": account, "region": region, "rules": rules, "at": time.time()})
        return json_response({})

    def count_request(self, request: Request, target: str) -> None:
        """AWS calls served, by service and operation: what the cost model's request counts rest on."""
        authorization = request.headers.get("Authorization", "")
        match = re.search(r"/[a-z0-9-]+/([a-z0-9-]+)/aws4_request", authorization)
        if match is None:
            return
        service = match.group(1)
        if "." in target:
            operation = target.rsplit(".", 1)[1]
        elif service == "s3":
            operation = s3_operation_of(request) or request.method
        else:
            body = request.get_data()
            request.environ["wsgi.input"] = io.BytesIO(body)  # moto reads the body again
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            operation = form.get("Action", [request.method])[0]
        key = f"{service}:{operation}"
        with self.lock:
            self.requests[key] = self.requests.get(key, 0) + 1


S3_SUBRESOURCES = {
    "policy": "BucketPolicy",
    "object-lock": "ObjectLockConfiguration",
    "acl": "BucketAcl",
    "encryption": "BucketEncryption",
}


def s3_operation_of(request: Request) -> str | None:
    """The S3 bucket operation a signed request makes (the ones the rule's probes call), or None."""
    if "/s3/aws4_request" not in request.headers.get("Authorization", ""):
        return None
    if request.method == "HEAD" and request.path.strip("/").count("/") == 0:
        return "HeadBucket"
    for subresource, name in S3_SUBRESOURCES.items():
        if subresource in request.args:
            return ("Get" if request.method == "GET" else "Put") + name
    return None


def expected_owner_refused(request: Request) -> Response | None:
    """403 for an S3 request whose x-amz-expected-bucket-owner is not the bucket's owner."""
    expected = request.headers.get("x-amz-expected-bucket-owner")
    if not expected or "/s3/aws4_request" not in request.headers.get("Authorization", ""):
        return None
    from moto.s3.models import s3_backends

    bucket = request.path.strip("/").split("/", 1)[0]  # path-style: the SDK's form for an IP endpoint
    owner = s3_backends.bucket_accounts.get(bucket)
    if owner is None or owner[1] == expected:
        return None
    return s3_error("AccessDenied", "Access Denied", 403, with_body=request.method != "HEAD")


def cross_account_key_refused(request: Request, environ: dict[str, Any], target: str, account: str) -> Response | None:
    """AccessDeniedException for a KMS call on another account's key (see the module's docstring)."""
    if not target.startswith("TrentService."):
        return None
    body = request.get_data()
    # moto reads the body again, from the environ it is handed (a copy, on the incomplete-answer path)
    for env in (request.environ, environ):
        env["wsgi.input"] = io.BytesIO(body)
        env["CONTENT_LENGTH"] = str(len(body))
    try:
        key = json.loads(body or b"{}").get("KeyId", "")
    except ValueError:
        return None
    parts = key.split(":") if isinstance(key, str) and key.startswith("arn:") else []
    if len(parts) < 6 or parts[4] == account:
        return None
    operation = target.split(".", 1)[1]
    return json_error("AccessDeniedException", f"User: arn:aws:sts::{account}:assumed-role/caller is not authorized "
                      f"to perform: kms:{operation} on resource: {key} because no resource-based policy allows the "
                      f"kms:{operation} action", 400)


def s3_error(code: str, message: str, status: int, with_body: bool = True) -> Response:
    """An error in S3's REST-XML; HEAD answers carry no body."""
    body = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return Response(body if with_body else "", status=status, content_type="application/xml")


def query_form(request: Request) -> dict[str, str]:
    """A query-protocol request's form, leaving the body for moto to read again."""
    body = request.get_data()
    request.environ["wsgi.input"] = io.BytesIO(body)
    return {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8", "replace")).items()}


def operation_of(request: Request, target: str) -> tuple[str, str, str] | None:
    """(protocol, service, operation) of a signed AWS request the rule can make, or None."""
    authorization = request.headers.get("Authorization", "")
    match = re.search(r"/[a-z0-9-]+/([a-z0-9-]+)/aws4_request", authorization)
    if match is None:
        return None
    service = match.group(1)
    for prefix, name in JSON_TARGETS.items():
        if target.startswith(prefix):
            return "json", name, target[len(prefix):]
    if service in ("sts", "iam"):
        return "query", service, query_form(request).get("Action", "")
    if service == "s3":
        operation = s3_operation_of(request)
        return ("rest-xml", "s3", operation) if operation else None
    for (name, method, path), operation in REST_JSON_OPERATIONS.items():
        if service == name and request.method == method and request.path.rstrip("/") == path:
            return "rest-json", service, operation
    return None


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def trust_allows(trust: dict[str, Any], account: str, role_arn: str | None, service: str | None = None) -> bool:
    """Whether a trust policy lets this caller assume the role: an Allow of sts:AssumeRole for "*",
    the caller's account (ID or root), the caller's role, or the service the caller stands for.
    Conditions other than sts:ExternalId (checked separately) are not modelled."""
    names = {"*", account, f"arn:aws:iam::{account}:root"} | ({role_arn} if role_arn else set())
    for statement in as_list(trust.get("Statement")):
        if statement.get("Effect") != "Allow":
            continue
        if not {"sts:AssumeRole", "sts:*", "*"} & set(as_list(statement.get("Action"))):
            continue
        principal = statement.get("Principal")
        if principal == "*" or (isinstance(principal, dict) and names & set(as_list(principal.get("AWS")))):
            return True
        if service and isinstance(principal, dict) and service in as_list(principal.get("Service")):
            return True
    return False


def required_external_ids(trust: dict[str, Any]) -> set[str]:
    """The sts:ExternalId values the trust policy's Allow statements require, if any."""
    statements = trust.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    wanted: set[str] = set()
    for statement in statements:
        for operator, conditions in statement.get("Condition", {}).items():
            if operator.startswith("StringEquals"):
                for key, value in conditions.items():
                    if key.lower() == "sts:externalid":
                        wanted.update([value] if isinstance(value, str) else value)
    return wanted


def region_not_enabled(protocol: str) -> Response:
    """What a service in an opt-in Region the account has not enabled answers its credentials."""
    code, message = "UnrecognizedClientException", "The security token included in the request is invalid."
    if protocol in ("query", "rest-xml"):
        code = "InvalidClientTokenId" if protocol == "query" else "InvalidAccessKeyId"
        return sts_error(code, message, 403) if protocol == "query" else s3_error(code, message, 403)
    return json_error(code, message, 403 if protocol == "rest-json" else 400)


def sts_access_denied(message: str) -> Response:
    return sts_error("AccessDenied", message, 403)


def sts_error(code: str, message: str, status: int) -> Response:
    """An error in STS's query-protocol XML."""
    kind = "Receiver" if status >= 500 else "Sender"
    body = (
        f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>{kind}</Type>'
        f"<Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
    )
    return Response(body, status=status, content_type="text/xml")


def json_error(code: str, message: str, status: int) -> Response:
    """An error in the awsJson1_1 shape Config and Organizations use."""
    return ConfigError(code, message, status).response()


def validate_evaluation(evaluation: dict[str, Any]) -> None:
    for field in ("ComplianceResourceType", "ComplianceResourceId", "ComplianceType", "OrderingTimestamp"):
        if field not in evaluation:
            raise ConfigError("ValidationException", f"Evaluation is missing {field}")
    if evaluation["ComplianceType"] not in COMPLIANCE_TYPES:
        raise ConfigError(
            "InvalidParameterValueException",
            f"The compliance type {evaluation['ComplianceType']} is not valid for PutEvaluations.",
        )
    if evaluation["ComplianceResourceType"] == "AWS::Account":
        raise ConfigError("InvalidParameterValueException", "Resource type AWS::Account is not valid; use AWS::::Account.")
    annotation = evaluation.get("Annotation")
    if annotation is not None and not 1 <= len(annotation.encode("utf-16-le")) // 2 <= 256:
        raise ConfigError(
            "ValidationException",
            "1 validation error detected: Value at 'evaluations.1.member.annotation' failed to satisfy "
            "constraint: Member must have length less than or equal to 256",
        )


def declared_status(
    channel: Any, timeline: list[dict[str, Any]], elapsed: Any, anchor: float, now: float
) -> dict[str, Any]:
    """What Config says of the channel's deliveries, read from the scenario's declared timeline of
    delivery attempts (relative times count from `anchor`, when it was declared), never from the
    state the probes see: a deleted bucket fails no delivery here unless the scenario says so.
    `elapsed` ("24h") moves the scenario's clock on: attempts up to then are visible, and every
    time is reported that much earlier, as seen from the reader's now."""
    shift = duration_seconds(elapsed)
    scenario_now = now + shift
    properties = channel.config_snapshot_delivery_properties
    frequency = getattr(properties, "delivery_frequency", None) or "TwentyFour_Hours"
    period = FREQUENCY_HOURS.get(frequency, 24) * 3600
    status: dict[str, Any] = {}
    for part in ("snapshot", "history"):
        attempts = sorted(
            (resolve_time(attempt["at"], anchor), attempt)
            for attempt in timeline
            if part in attempt.get("parts", ("snapshot", "history"))
        )
        seen = [(at - shift, attempt) for at, attempt in attempts if at <= scenario_now]
        info: dict[str, Any] = {}
        if seen:
            at, last = seen[-1]
            info = {"lastStatus": last["status"], "lastAttemptTime": at, "nextDeliveryTime": at + period}
            successes = [t for t, a in seen if a["status"].lower() == "success"]
            if successes:
                info["lastSuccessfulTime"] = successes[-1]
            # Config keeps the last error after a later success (its documented sample shows both).
            failures = [a for _, a in seen if a["status"].lower() == "failure"]
            if failures:
                info["lastErrorCode"] = failures[-1].get("code", "InternalError")
                info["lastErrorMessage"] = failures[-1].get("message", "")
        status[f"config{part.capitalize()}DeliveryInfo"] = info
    stream = {"lastStatus": "Success" if channel.sns_topic_arn else "Not_Applicable"}
    if channel.sns_topic_arn:
        stream["lastStatusChangeTime"] = anchor - HEALTHY_DELIVERY_AGE_S
    status["configStreamDeliveryInfo"] = stream
    return status


def duration_seconds(value: Any) -> float:
    """Seconds from "24h", "90m" or a number; 0 for None."""
    if value is None or isinstance(value, (int, float)):
        return float(value or 0)
    match = re.match(r"^(\d+(?:\.\d+)?)([smhd])$", str(value).strip())
    if not match:
        raise ValueError(f"override duration {value!r} is not N[smhd]")
    return float(match.group(1)) * UNIT_SECONDS[match.group(2)]


def recorder_arn(account: str, region: str, name: str) -> str:
    suffix = hashlib.sha256(f"{account}/{region}/{name}".encode()).hexdigest()[:12]
    return f"arn:aws:config:{region}:{account}:configuration-recorder/{name}/{suffix}"


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/x-amz-json-1.1")


def show_organization_trails_to_members() -> None:
    """Members see the Organization's trail as AWS shows it; see the module docstring."""
    from moto.cloudtrail.exceptions import TrailNotFoundException
    from moto.cloudtrail.models import CloudTrailBackend, Trail, cloudtrail_backends
    from moto.organizations.models import organizations_backends

    own_describe_trails = CloudTrailBackend.describe_trails
    own_get_trail = CloudTrailBackend.get_trail

    def organization_trails(backend: CloudTrailBackend) -> list[Any]:
        management = organizations_backends.master_accounts.get(backend.account_id)
        if management is None or management[0] == backend.account_id:
            return []
        return [
            trail
            for regional in cloudtrail_backends[management[0]].values()
            for trail in regional.trails.values()
            if trail.is_org_trail and (trail.is_multi_region or trail.region_name == backend.region_name)
        ]

    def describe_trails(self: CloudTrailBackend, include_shadow_trails: bool) -> list[Any]:
        trails = list(own_describe_trails(self, include_shadow_trails))
        return trails + organization_trails(self) if include_shadow_trails else trails

    def get_trail(self: CloudTrailBackend, name_or_arn: str) -> Any:
        try:
            return own_get_trail(self, name_or_arn)
        except TrailNotFoundException:
            found = [t for t in organization_trails(self) if t.arn == name_or_arn]
            if found:
                return found[0]
            raise

    own_get_event_selectors = Trail.get_event_selectors

    def get_event_selectors(self: Trail) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        basic, advanced = own_get_event_selectors(self)
        if not basic and not advanced:
            basic = [{"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": []}]
        return basic, advanced

    Trail.get_event_selectors = get_event_selectors  # type: ignore[method-assign]
    CloudTrailBackend.describe_trails = describe_trails  # type: ignore[method-assign]
    CloudTrailBackend.get_trail = get_trail  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", help="write the chosen port here once listening")
    parser.add_argument("--overrides", help="JSON override file, read again whenever it changes")
    parser.add_argument("--latency-ms", type=float, default=0, help="added before every AWS response")
    parser.add_argument("--strict-roles", default="", help="comma-separated role names AssumeRole is strict for")
    args = parser.parse_args(argv)

    strict = [name for name in args.strict_roles.split(",") if name]
    show_organization_trails_to_members()
    emulator = Emulator(Overrides(args.overrides), latency_ms=args.latency_ms, strict_roles=strict)
    # Loopback only: the emulator holds fake credentials and accepts anything signed.
    server = make_server("127.0.0.1", args.port, emulator, threaded=True, request_handler=MotoRequestHandler)
    port = server.server_port
    if args.port_file:
        with open(args.port_file + ".tmp", "w", encoding="utf-8") as handle:
            handle.write(str(port))
        os.replace(args.port_file + ".tmp", args.port_file)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"emulator listening on http://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
