//! Policy JSON to the model. Every shape the grammar allows is accepted; anything else is an
//! error that names the statement, never a silently dropped statement (a lost Deny would allow).

use super::model::*;
use serde_json::{Map, Value};

/// A policy the parser cannot read, with the statement it could not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy{}: {message}", statement.as_ref().map(|s| format!(" {s}")).unwrap_or_default())]
pub struct PolicyError {
    /// `statement 2 (DenyInsecureTransport)`, or None for the document itself.
    pub statement: Option<String>,
    /// What is wrong, naming the statement.
    pub message: String,
}

pub const VERSION_2012: &str = "2012-10-17";
const VERSION_2008: &str = "2008-10-17";

/// Parses a policy document's text.
pub fn parse_policy(text: &str) -> Result<Policy, PolicyError> {
    let value: Value = serde_json::from_str(text).map_err(|e| doc_error(format!("not JSON: {e}")))?;
    parse_policy_value(&value)
}

/// Parses a policy document already read as JSON.
pub fn parse_policy_value(value: &Value) -> Result<Policy, PolicyError> {
    let Value::Object(doc) = value else {
        return Err(doc_error("a policy must be a JSON object".to_owned()));
    };
    if let Some(unknown) = doc
        .keys()
        .find(|k| !["Version", "Id", "Statement"].contains(&k.as_str()))
    {
        return Err(doc_error(format!("unknown element '{unknown}'")));
    }
    let variables = match doc.get("Version") {
        None => false,
        Some(Value::String(v)) if v == VERSION_2012 => true,
        Some(Value::String(v)) if v == VERSION_2008 => false,
        Some(other) => {
            return Err(doc_error(format!(
                "Version must be {VERSION_2012} or {VERSION_2008}, got {other}"
            )));
        }
    };
    let id = match doc.get("Id") {
        None => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(other) => return Err(doc_error(format!("Id must be a string, got {other}"))),
    };
    let statements = match doc.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        Some(other) => {
            return Err(doc_error(format!(
                "Statement must be an object or a list, got {other}"
            )));
        }
        None => return Err(doc_error("Statement is missing".to_owned())),
    };
    let statements = statements
        .into_iter()
        .enumerate()
        .map(|(index, value)| parse_statement(index, value))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Policy {
        id,
        statements,
        variables,
    })
}

fn doc_error(message: String) -> PolicyError {
    PolicyError {
        statement: None,
        message,
    }
}

/// Long on purpose: one block per statement element (Sid, Effect, Principal/NotPrincipal,
/// Action/NotAction, Resource/NotResource, Condition) in the grammar's order.
fn parse_statement(index: usize, value: &Value) -> Result<Statement, PolicyError> {
    let Value::Object(map) = value else {
        return Err(PolicyError {
            statement: Some(format!("statement {index}")),
            message: "must be an object".into(),
        });
    };
    let sid = match map.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(PolicyError {
                statement: Some(format!("statement {index}")),
                message: "Sid must be a string".into(),
            });
        }
    };
    let label = match &sid {
        Some(sid) if !sid.is_empty() => format!("statement {index} ({sid})"),
        _ => format!("statement {index}"),
    };
    let fail = |message: String| PolicyError {
        statement: Some(label.clone()),
        message,
    };
    const KNOWN: [&str; 10] = [
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "Id",
    ];
    if let Some(unknown) = map.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(fail(format!("unknown element '{unknown}'")));
    }
    let effect = match map.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(other) => return Err(fail(format!("Effect must be \"Allow\" or \"Deny\", got {other}"))),
        None => return Err(fail("Effect is missing".into())),
    };
    let principal = match either(map, "Principal", "NotPrincipal").map_err(&fail)? {
        None => None,
        Some((negated, value)) => {
            let entries = principals(value).map_err(&fail)?;
            Some(if negated {
                Matcher::AllBut(entries)
            } else {
                Matcher::Only(entries)
            })
        }
    };
    let action = match either(map, "Action", "NotAction").map_err(&fail)? {
        None => return Err(fail("needs Action or NotAction".into())),
        Some((negated, value)) => {
            let actions = strings(value, "Action").map_err(&fail)?;
            if let Some(bad) = actions.iter().find(|a| *a != "*" && !a.contains(':')) {
                return Err(fail(format!("action '{bad}' is not service:Action")));
            }
            if negated {
                Matcher::AllBut(actions)
            } else {
                Matcher::Only(actions)
            }
        }
    };
    let resource = match either(map, "Resource", "NotResource").map_err(&fail)? {
        None => None,
        Some((negated, value)) => {
            let resources = strings(value, "Resource").map_err(&fail)?;
            Some(if negated {
                Matcher::AllBut(resources)
            } else {
                Matcher::Only(resources)
            })
        }
    };
    let conditions = match map.get("Condition") {
        None => Vec::new(),
        Some(Value::Object(block)) => conditions(block).map_err(&fail)?,
        Some(other) => return Err(fail(format!("Condition must be an object, got {other}"))),
    };
    Ok(Statement {
        index,
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

/// At most one of the positive and negated element; which one, and its value.
fn either<'a>(
    map: &'a Map<String, Value>,
    positive: &str,
    negated: &str,
) -> Result<Option<(bool, &'a Value)>, String> {
    match (map.get(positive), map.get(negated)) {
        (Some(_), Some(_)) => Err(format!("has both {positive} and {negated}")),
        (Some(value), None) => Ok(Some((false, value))),
        (None, Some(value)) => Ok(Some((true, value))),
        (None, None) => Ok(None),
    }
}

fn strings(value: &Value, element: &str) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!("{element} entries must be strings, got {other}")),
            })
            .collect(),
        other => Err(format!(
            "{element} must be a string or a non-empty list of strings, got {other}"
        )),
    }
}

fn principals(value: &Value) -> Result<Vec<PrincipalEntry>, String> {
    let map = match value {
        Value::String(s) if s == "*" => return Ok(vec![PrincipalEntry::Anyone]),
        Value::Object(map) => map,
        other => return Err(format!("Principal must be \"*\" or an object, got {other}")),
    };
    let mut entries = Vec::new();
    for (kind, values) in map {
        for text in strings(values, "Principal")? {
            entries.push(match kind.as_str() {
                "AWS" => aws_principal(&text)?,
                "Service" => PrincipalEntry::Service(text),
                "Federated" => PrincipalEntry::Federated(text),
                "CanonicalUser" => PrincipalEntry::CanonicalUser(text),
                other => return Err(format!("unknown principal type '{other}'")),
            });
        }
    }
    Ok(entries)
}

fn aws_principal(text: &str) -> Result<PrincipalEntry, String> {
    if text == "*" {
        return Ok(PrincipalEntry::Anyone);
    }
    if crate::aws_names::is_account_id(text) {
        return Ok(PrincipalEntry::Account(text.to_owned()));
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "iam", "", account, "root"] if crate::aws_names::is_account_id(account) => {
            Ok(PrincipalEntry::Account((*account).to_owned()))
        }
        ["arn", _, "iam" | "sts", "", account, _] if crate::aws_names::is_account_id(account) => {
            Ok(PrincipalEntry::Arn(text.to_owned()))
        }
        _ => Err(format!(
            "AWS principal '{text}' is neither an account ID nor an IAM ARN"
        )),
    }
}

fn conditions(block: &Map<String, Value>) -> Result<Vec<Condition>, String> {
    let mut parsed = Vec::new();
    for (operator_text, keys) in block {
        let operator = operator(operator_text)?;
        let Value::Object(keys) = keys else {
            return Err(format!("condition {operator_text} must map keys to values"));
        };
        for (key, values) in keys {
            let values = match values {
                Value::Array(items) => items.iter().map(scalar).collect::<Option<Vec<_>>>(),
                single => scalar(single).map(|v| vec![v]),
            }
            .ok_or_else(|| {
                format!("condition {operator_text} {key}: values must be strings, numbers or booleans")
            })?;
            if operator.base == BaseOperator::Null
                && values
                    .iter()
                    .any(|v| !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false"))
            {
                return Err(format!("condition Null {key}: values must be true or false"));
            }
            parsed.push(Condition {
                operator,
                key: key.to_ascii_lowercase(),
                values,
            });
        }
    }
    Ok(parsed)
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn operator(text: &str) -> Result<Operator, String> {
    let (set, rest) = if let Some(rest) = text.strip_prefix("ForAnyValue:") {
        (SetQualifier::ForAnyValue, rest)
    } else if let Some(rest) = text.strip_prefix("ForAllValues:") {
        (SetQualifier::ForAllValues, rest)
    } else {
        (SetQualifier::Single, text)
    };
    let (if_exists, name) = match rest.strip_suffix("IfExists") {
        Some(name) => (true, name),
        None => (false, rest),
    };
    let base = BaseOperator::ALL
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(op, _)| *op)
        .ok_or_else(|| format!("unknown condition operator '{text}'"))?;
    if base == BaseOperator::Null && (if_exists || set != SetQualifier::Single) {
        return Err(format!(
            "condition operator '{text}' is not valid: Null takes no qualifier"
        ));
    }
    Ok(Operator { base, if_exists, set })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_statement_and_string_elements() {
        let policy = parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#,
        )
        .unwrap();
        assert!(policy.variables);
        assert_eq!(policy.statements.len(), 1);
        assert_eq!(
            policy.statements[0].action,
            Matcher::Only(vec!["s3:GetObject".into()])
        );
    }

    #[test]
    fn principals_of_every_kind() {
        let policy = parse_policy(
            r#"{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["111122223333","arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:role/r"],"Service":"config.amazonaws.com","Federated":"cognito-identity.amazonaws.com"},
            "NotAction":["s3:*"],"NotResource":"arn:aws:s3:::b/*"}]}"#,
        )
        .unwrap();
        let Some(Matcher::AllBut(entries)) = &policy.statements[0].principal else {
            panic!()
        };
        assert_eq!(entries[0], PrincipalEntry::Account("111122223333".into()));
        assert_eq!(entries[1], PrincipalEntry::Account("111122223333".into()));
        assert_eq!(
            entries[2],
            PrincipalEntry::Arn("arn:aws:iam::111122223333:role/r".into())
        );
        assert!(!policy.variables, "no Version: policy variables are literal text");
    }

    #[test]
    fn conditions_with_qualifiers_and_scalars() {
        let policy = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
            "ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*","b"]},"Bool":{"aws:SecureTransport":false},
            "NumericLessThan":{"s3:max-keys":10}}}]}"#,
        )
        .unwrap();
        let conditions = &policy.statements[0].conditions;
        assert_eq!(conditions.len(), 3);
        let tags = conditions.iter().find(|c| c.key == "aws:tagkeys").unwrap();
        assert_eq!(tags.operator.set, SetQualifier::ForAnyValue);
        assert!(tags.operator.if_exists);
        assert_eq!(
            conditions
                .iter()
                .find(|c| c.key == "aws:securetransport")
                .unwrap()
                .values,
            ["false"]
        );
    }

    #[test]
    fn errors_name_the_statement_and_never_drop_it() {
        let cases = [
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"*"},{"Sid":"X","Effect":"deny","Action":"*"}]}"#,
                "statement 1 (X)",
            ),
            (
                r#"{"Statement":[{"Effect":"Deny","Action":"*","Condition":{"StringEqualz":{"a":"b"}}}]}"#,
                "unknown condition operator",
            ),
            (
                r#"{"Statement":[{"Effect":"Deny","Resource":"*"}]}"#,
                "needs Action or NotAction",
            ),
            (
                r#"{"Statement":[{"Effect":"Deny","Action":"s3GetObject"}]}"#,
                "is not service:Action",
            ),
            (
                r#"{"Statement":[{"Effect":"Deny","Action":"*","Principal":{"AWS":"bob"}}]}"#,
                "neither an account ID",
            ),
            (
                r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","NotResource":"*"}]}"#,
                "both Resource and NotResource",
            ),
            (
                r#"{"Statement":[{"Effect":"Deny","Action":[]}]}"#,
                "non-empty list",
            ),
            (r#"{"Version":"2020-01-01","Statement":[]}"#, "Version must be"),
            (
                r#"{"Statement":[{"Effect":"Deny","Action":"*","Condition":{"NullIfExists":{"a":"true"}}}]}"#,
                "Null takes no qualifier",
            ),
            (
                r#"{"Statement":[{"Effect":"Deny","Action":"*","Condition":{"Null":{"a":"maybe"}}}]}"#,
                "true or false",
            ),
            (
                r#"{"Statement":[{"Effect":"Deny","Action":"*","Extra":1}]}"#,
                "unknown element 'Extra'",
            ),
            (r#"[1]"#, "must be a JSON object"),
            (r#"{"Statement":[{"Effect":"Deny","Action":"*"#, "not JSON"),
        ];
        for (text, expected) in cases {
            let err = parse_policy(text).unwrap_err().to_string();
            assert!(err.contains(expected), "{text}: {err}");
        }
    }
}
