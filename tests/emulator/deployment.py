"""The rule as it is deployed, in the emulator: its Lambda function and periodic Config rule (so
DescribeConfigRules, GetComplianceDetailsByConfigRule and StartConfigRulesEvaluation see a real rule),
an EventBridge rule that captures the health-change events in an SQS queue, and the CloudTrail events
EventBridge would deliver to the function.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from .scenarios import Account

RULE_NAME = "config-delivery-pipeline"
FUNCTION_NAME = "config-delivery-guard"
HEALTH_SOURCE = "config-delivery-guard"


def deploy_rule(account: Account, parameters: dict[str, str], name: str = RULE_NAME) -> str:
    """The function and the periodic custom rule that invokes it; returns the rule's name."""
    iam = account.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                     "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName=f"{FUNCTION_NAME}-function", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("bootstrap", "#!/bin/sh\n")  # the emulator never runs it; the tests run the real one
    function = account.client("lambda").create_function(
        FunctionName=FUNCTION_NAME, Runtime="provided.al2023", Role=role["Arn"], Handler="bootstrap",
        Code={"ZipFile": package.getvalue()}, Architectures=["x86_64"],
    )
    account.client("config").put_config_rule(ConfigRule={
        "ConfigRuleName": name,
        "Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": function["FunctionArn"],
                   "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ScheduledNotification",
                                      "MaximumExecutionFrequency": "One_Hour"}]},
        "InputParameters": json.dumps(parameters),
        "MaximumExecutionFrequency": "One_Hour",
    })
    return name


def capture_health_events(account: Account) -> str:
    """An EventBridge rule on the default bus sending the rule's health-change events to a queue."""
    sqs = account.client("sqs")
    queue_url = sqs.create_queue(QueueName="delivery-health")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events = account.client("events")
    events.put_rule(Name="delivery-health", EventPattern=json.dumps({"source": [HEALTH_SOURCE]}))
    events.put_targets(Rule="delivery-health", Targets=[{"Id": "queue", "Arn": queue_arn}])
    return queue_url


def received_events(account: Account, queue_url: str) -> list[dict[str, Any]]:
    """Every event the queue holds now, removed from it."""
    sqs = account.client("sqs")
    events = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return events
        for message in messages:
            events.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def cloudtrail_event(account: str, region: str, source: str, name: str, request: dict[str, Any] | None = None,
                     when: str = "2026-11-26T10:00:00Z", error: str | None = None) -> dict[str, Any]:
    """An "AWS API Call via CloudTrail" event as EventBridge delivers it (AWS Config Developer Guide,
    monitor-config-with-cloudwatchevents; CloudTrail record contents)."""
    detail: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "AssumedRole", "accountId": account,
                         "arn": f"arn:aws:sts::{account}:assumed-role/operator/someone"},
        "eventTime": when,
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": "192.0.2.10",
        "userAgent": "aws-cli/2.17",
        "requestParameters": request or {},
        "responseElements": None,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account,
    }
    if error:
        detail["errorCode"] = error
        detail["errorMessage"] = "denied"
    return {
        "version": "0",
        "id": "0f7c7a2e-2d0e-4b57-9d5a-0c1f8a1b2c3d",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws." + source.split(".")[0],
        "account": account,
        "time": when,
        "region": region,
        "resources": [],
        "detail": detail,
    }
