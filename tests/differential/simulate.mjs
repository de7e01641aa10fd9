// The independent judge: decides every case of a decision file (`delivery-guard decide --cases`
// format, docs/decide.md) with @cloud-copilot/iam-simulate, and prints one JSON line per case:
// {"name", "decision": "Allow"|"ExplicitDeny"|"ImplicitDeny"} or {"name", "refused": [messages]}
// when the simulator's validation refuses a policy or request. Test-only: iam-simulate is
// AGPL-3.0-or-later and is never bundled, linked or shipped (tests/differential/README.md).
//
// The request context AWS fills in from the caller is set here as AWS sets it (IAM User Guide,
// "AWS global condition context keys"): aws:PrincipalArn, aws:PrincipalAccount and
// aws:PrincipalIsAWSService=false for an IAM principal; aws:PrincipalServiceName and
// aws:PrincipalIsAWSService=true for a service principal. RCPFullAWSAccess is left implicit, as the
// simulator adds it to every level itself. What the simulator has no notion of is translated into
// what AWS does with it: SCPs do not apply to the management account's principals, RCPs not to its
// resources nor to AWS managed keys (AWS Organizations User Guide, SCPs and RCPs, "not restricted").

import { readFileSync } from 'node:fs'
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate'

const DECISIONS = {
  Allowed: 'Allow',
  ExplicitlyDenied: 'ExplicitDeny',
  ImplicitlyDenied: 'ImplicitDeny'
}

function isFullAccessRcp(document) {
  const statements = [document.Statement].flat()
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      s.Principal === '*' &&
      [s.Action].flat().includes('*') &&
      [s.Resource].flat().includes('*') &&
      s.Condition === undefined
  )
}

function values(value) {
  return Array.isArray(value) ? value.map(String) : String(value)
}

function simulation(file, testCase) {
  const policy = (name) => {
    if (!(name in file.policies)) throw new Error(`case ${testCase.name}: no policy named ${name}`)
    return file.policies[name]
  }
  const named = (name) => ({ name, policy: policy(name) })
  const service = testCase.principal.startsWith('service:') ? testCase.principal.slice('service:'.length) : null
  const anonymous = testCase.principal === 'anonymous'
  const principalAccount = service || anonymous ? null : testCase.principal.split(':')[4]
  const resourceAccount = testCase.resource_account ?? principalAccount ?? ''
  const context = {}
  for (const [key, value] of Object.entries(testCase.context ?? {})) context[key] = values(value)
  const has = (key) => Object.keys(context).some((k) => k.toLowerCase() === key.toLowerCase())
  const fill = (key, value) => {
    if (!has(key)) context[key] = value
  }
  if (service) {
    fill('aws:PrincipalServiceName', service)
    fill('aws:PrincipalIsAWSService', 'true')
  } else if (!anonymous) {
    fill('aws:PrincipalArn', testCase.principal)
    fill('aws:PrincipalAccount', principalAccount)
    fill('aws:PrincipalIsAWSService', 'false')
  }
  const management = testCase.management_account
  const scpsApply = !service && !anonymous && principalAccount !== management && !testCase.principal.includes(':role/aws-service-role/')
  const rcpsApply = resourceAccount !== management && !testCase.aws_managed_key
  const levels = (list, kind) =>
    (list ?? []).map((level, index) => ({
      orgIdentifier: `${kind}-level-${index}`,
      // RCPFullAWSAccess is implicit in the simulator, at every level.
      policies: level.filter((name) => kind !== 'rcp' || !isFullAccessRcp(policy(name))).map(named)
    }))
  return {
    request: {
      principal: anonymous ? anonymousPrincipal : service ?? testCase.principal,
      action: testCase.action,
      resource: { resource: testCase.resource, accountId: resourceAccount },
      contextVariables: context
    },
    identityPolicies: (testCase.identity ?? []).map(named),
    serviceControlPolicies: scpsApply ? levels(testCase.scps, 'scp') : [],
    resourceControlPolicies: rcpsApply ? levels(testCase.rcps, 'rcp') : [],
    resourcePolicy: testCase.resource_policy ? policy(testCase.resource_policy) : undefined,
    permissionBoundaryPolicies: testCase.boundary ? [named(testCase.boundary)] : undefined
  }
}

/** The levels of RCPs that lack RCPFullAWSAccess: Organizations attaches it everywhere, undetachable. */
function rcpLevelsWithoutFullAccess(file, testCase) {
  return (testCase.rcps ?? []).filter((level) => !level.some((name) => isFullAccessRcp(file.policies[name] ?? {}))).length
}

async function decide(file, testCase) {
  if (rcpLevelsWithoutFullAccess(file, testCase) > 0) {
    return { name: testCase.name, refused: ['an RCP level without RCPFullAWSAccess, which Organizations attaches to every level and will not detach'] }
  }
  const result = await runSimulation(simulation(file, testCase), {})
  if (result.resultType === 'error') {
    const errors = result.errors
    const messages = [
      ...(errors.identityPolicyErrors ?? []).flatMap((e) => e.errors.map((m) => `identity policy ${e.name}: ${m.message}`)),
      ...(errors.seviceControlPolicyErrors ?? errors.serviceControlPolicyErrors ?? []).flatMap((e) => e.errors.map((m) => `SCP ${e.name}: ${m.message}`)),
      ...(errors.resourceControlPolicyErrors ?? []).flatMap((e) => e.errors.map((m) => `RCP ${e.name}: ${m.message}`)),
      ...(errors.resourcePolicyErrors ?? []).map((m) => `resource policy: ${m.message}`),
      ...(errors.permissionBoundaryErrors ?? []).flatMap((e) => e.errors.map((m) => `boundary ${e.name}: ${m.message}`)),
      ...(errors.message ? [errors.message] : [])
    ]
    return { name: testCase.name, refused: messages.length ? messages : [JSON.stringify(errors)] }
  }
  return { name: testCase.name, decision: DECISIONS[result.overallResult] ?? result.overallResult }
}

const file = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const lines = []
for (const testCase of file.cases) {
  try {
    lines.push(JSON.stringify(await decide(file, testCase)))
  } catch (error) {
    lines.push(JSON.stringify({ name: testCase.name, refused: [`simulator error: ${error.message}`] }))
  }
}
process.stdout.write(lines.join('\n') + '\n')
