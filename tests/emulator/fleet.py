"""A large Organization's scan made from a real one: each account of a saved scan copied with its ID
rewritten everywhere (ARNs included) and its Regions' verdicts spread over more Regions. For the HTML
report's test and benchmark at 1,000 accounts x 17 Regions, which the emulator cannot seed quickly;
the verdicts stay the rule's own."""

from __future__ import annotations

import json

SEVENTEEN_REGIONS = ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
                     "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2",
                     "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"]


def fleet_of(report: dict, accounts: int, regions: list[str]) -> dict:
    """`accounts` accounts in `regions`, each a copy of one of the scan's accounts."""
    template = report["accounts"]
    fleet = []
    for n in range(accounts):
        source = template[n % len(template)]
        account_id = f"{500000000000 + n:012d}"
        copy = json.loads(json.dumps(source).replace(source["account"]["id"], account_id))
        copy["account"]["name"] = f"{source['account']['name']}-{n}"
        by_region = {j["region"]: j for j in copy["judgements"]}
        if "*" not in by_region:
            scanned = sorted(by_region)
            copy["judgements"] = [
                json.loads(json.dumps(by_region[scanned[i % len(scanned)]]).replace(scanned[i % len(scanned)], region))
                for i, region in enumerate(regions)]
        fleet.append(copy)
    return {"scan": {**report["scan"], "regions": regions}, "accounts": fleet}
