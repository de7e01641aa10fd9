//! The rule as Config holds it: its results (GetComplianceDetailsByConfigRule, a free read), which
//! delta reporting compares a run's evaluations with, and its parameters (DescribeConfigRules), which
//! the event-driven path judges with.

use super::pages::Pages;
use super::sdk_error::{incomplete, unreadable};
use aws_sdk_config::Client;
use aws_sdk_config::types::ComplianceType;
use delivery_guard_core::outbound::delta::StoredResult;
use delivery_guard_core::snapshot::{FailureKind, Unreadable};
use delivery_guard_core::timestamp::Timestamp;
use serde_json::{Map, Value};

/// 100 results a page; a 10,000-account Organization is 100 pages. A bound keeps a misbehaving
/// endpoint from looping forever.
const MAX_PAGES: usize = 500;
const CALL: &str = "GetComplianceDetailsByConfigRule";

/// The results Config holds for a rule, every page. A result without its qualifier, a repeated
/// token or a rule that vanishes after the first page makes the listing incomplete: an error,
/// never a partial list (delta reporting and the roster would take the missing ones as gone).
pub async fn stored_results(client: &Client, rule_name: &str) -> Result<Vec<StoredResult>, Unreadable> {
    let mut results = Vec::new();
    let mut pages = Pages::new(CALL, MAX_PAGES);
    let mut next_token: Option<String> = None;
    loop {
        let first = next_token.is_none();
        let page = client
            .get_compliance_details_by_config_rule()
            .config_rule_name(rule_name)
            .set_compliance_types(Some(vec![
                ComplianceType::Compliant,
                ComplianceType::NonCompliant,
                ComplianceType::NotApplicable,
            ]))
            .limit(100)
            .set_next_token(next_token.take())
            .send()
            .await;
        let page = match page {
            Ok(page) => page,
            Err(err) => match unreadable(CALL, &err) {
                // A rule that does not exist holds no results (a test invocation, a deleted rule);
                // one that stops existing halfway leaves the listing incomplete.
                why if first && why.code.as_deref() == Some("NoSuchConfigRuleException") => {
                    return Ok(results);
                }
                why if why.code.as_deref() == Some("NoSuchConfigRuleException") => {
                    return Err(incomplete(
                        CALL,
                        &format!(
                            "the rule vanished after {} result(s): {}",
                            results.len(),
                            why.message
                        ),
                    ));
                }
                why => return Err(why),
            },
        };
        for result in page.evaluation_results() {
            results.push(stored_result(result)?);
        }
        match pages.next(page.next_token())? {
            Some(token) => next_token = Some(token),
            None => return Ok(results),
        }
    }
}

fn stored_result(result: &aws_sdk_config::types::EvaluationResult) -> Result<StoredResult, Unreadable> {
    let identifier = result.evaluation_result_identifier();
    let qualifier = identifier.and_then(|i| i.evaluation_result_qualifier());
    let (Some(resource_type), Some(resource_id)) = (
        qualifier.and_then(|q| q.resource_type()),
        qualifier.and_then(|q| q.resource_id()),
    ) else {
        return Err(incomplete(CALL, "a result without its resource type or ID"));
    };
    Ok(StoredResult {
        resource_type: resource_type.to_owned(),
        resource_id: resource_id.to_owned(),
        compliance: result
            .compliance_type()
            .map_or_else(String::new, |c| c.as_str().to_owned()),
        annotation: result.annotation().map(str::to_owned),
        // Without a time the result is due for its refresh.
        ordering_timestamp: identifier
            .and_then(|i| i.ordering_timestamp())
            .and_then(|t| t.to_millis().ok())
            .map_or(Timestamp::from_epoch_millis(0), Timestamp::from_epoch_millis),
    })
}

/// The rule's InputParameters, as the rule receives them in `ruleParameters`.
pub async fn rule_parameters(client: &Client, rule_name: &str) -> Result<Map<String, Value>, Unreadable> {
    const DESCRIBE: &str = "DescribeConfigRules";
    let output = client
        .describe_config_rules()
        .config_rule_names(rule_name)
        .send()
        .await
        .map_err(|err| unreadable(DESCRIBE, &err))?;
    let malformed = |message: String| Unreadable {
        call: DESCRIBE.to_owned(),
        kind: FailureKind::MalformedResponse,
        code: None,
        message,
    };
    let rule = output
        .config_rules()
        .iter()
        .find(|r| r.config_rule_name() == Some(rule_name))
        .ok_or_else(|| malformed(format!("the answer holds no rule named {rule_name}")))?;
    match rule.input_parameters().map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(Map::new()),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) | Err(_) => Err(malformed("InputParameters is not a JSON object".to_owned())),
        },
    }
}
