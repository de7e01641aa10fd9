//! Wildcards (`*`, `?`) and policy variables (`${aws:username}`, `${key, 'default'}`, `${*}`).

use super::request::Request;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Char(char),
    AnyRun,
    AnyOne,
}

/// The pattern with variables substituted; None if a variable has no single value (no match).
fn compile(pattern: &str, request: Option<&Request>) -> Option<Vec<Piece>> {
    let mut pieces = Vec::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if let (Some(request), Some(body)) = (request, rest.strip_prefix("${"))
            && let Some(end) = body.find('}')
        {
            let (inside, after) = body.split_at(end);
            pieces.extend(variable(inside.trim(), request)?.chars().map(Piece::Char));
            rest = after.get(1..).unwrap_or("");
            continue;
        }
        pieces.push(match c {
            '*' => Piece::AnyRun,
            '?' => Piece::AnyOne,
            other => Piece::Char(other),
        });
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    Some(pieces)
}

fn variable(inside: &str, request: &Request) -> Option<String> {
    match inside {
        "*" | "?" | "$" => return Some(inside.to_owned()),
        _ => {}
    }
    let (key, default) = match inside.split_once(',') {
        Some((key, default)) => {
            let default = default
                .trim()
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''));
            (key.trim(), default)
        }
        None => (inside, None),
    };
    match request.context(key) {
        Some([single]) => Some(single.clone()),
        Some(_) => None,
        None => default.map(str::to_owned),
    }
}

fn glob(pieces: &[Piece], text: &str, ignore_case: bool) -> bool {
    let text: Vec<char> = text.chars().collect();
    let same = |a: char, b: char| {
        if ignore_case {
            a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    // Iterative matcher with one backtrack point: linear in practice, no recursion depth.
    let (mut p, mut t) = (0_usize, 0_usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match (pieces.get(p), text.get(t)) {
            (Some(Piece::AnyRun), _) => {
                star = Some((p, t));
                p += 1;
            }
            (Some(Piece::AnyOne), Some(_)) => {
                p += 1;
                t += 1;
            }
            (Some(Piece::Char(pc)), Some(tc)) if same(*pc, *tc) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pieces
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|piece| *piece == Piece::AnyRun))
}

/// Actions: case-insensitive, no variables.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    compile(pattern, None).is_some_and(|pieces| glob(&pieces, action, true))
}

/// Resources and string conditions: case-sensitive, with variables when the policy enables them.
pub fn like(pattern: &str, text: &str, request: &Request, variables: bool) -> bool {
    compile(pattern, variables.then_some(request)).is_some_and(|pieces| glob(&pieces, text, false))
}

/// The pattern with its variables resolved, for exact comparisons (StringEquals and friends).
pub fn resolve(pattern: &str, request: &Request, variables: bool) -> Option<String> {
    if !variables {
        return Some(pattern.to_owned());
    }
    let pieces = compile(pattern, Some(request))?;
    Some(
        pieces
            .into_iter()
            .map(|p| match p {
                Piece::Char(c) => c,
                Piece::AnyRun => '*',
                Piece::AnyOne => '?',
            })
            .collect(),
    )
}

/// ArnLike/ArnEquals: the six colon-separated parts are compared one by one.
pub fn arn_like(pattern: &str, arn: &str, request: &Request, variables: bool) -> bool {
    let pattern_parts: Vec<&str> = pattern.splitn(6, ':').collect();
    let arn_parts: Vec<&str> = arn.splitn(6, ':').collect();
    pattern_parts.len() == 6
        && arn_parts.len() == 6
        && pattern_parts
            .iter()
            .zip(&arn_parts)
            .all(|(p, a)| like(p, a, request, variables))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::request::Principal;

    fn request() -> Request {
        Request::new(
            Principal::Anonymous,
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            "111122223333",
        )
        .with("aws:username", "alice")
        .with("aws:TagKeys", "a")
        .with("aws:TagKeys", "b")
    }

    #[test]
    fn wildcards() {
        assert!(action_matches("s3:*", "s3:PutObject"));
        assert!(action_matches("S3:put*", "s3:PutObject"));
        assert!(action_matches("*", "kms:Decrypt"));
        assert!(action_matches("kms:?enerateDataKey", "kms:GenerateDataKey"));
        assert!(!action_matches("s3:Get*", "s3:PutObject"));
        assert!(!action_matches("s3:GetObject", "s3:GetObjectAcl"));
        let r = request();
        assert!(like(
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/AWSLogs/1/Config/x",
            &r,
            true
        ));
        assert!(
            !like("arn:aws:s3:::B/*", "arn:aws:s3:::b/x", &r, true),
            "resources are case-sensitive"
        );
        assert!(like("*a*b*c*", "xxaxxbxxc", &r, false));
        assert!(!like("*a*b*c*", "xxaxxcxxb", &r, false));
        assert!(like("", "", &r, false));
        assert!(!like("", "x", &r, false));
    }

    #[test]
    fn variables_substitute_only_when_enabled() {
        let r = request();
        assert!(like(
            "arn:aws:s3:::b/${aws:username}/*",
            "arn:aws:s3:::b/alice/x",
            &r,
            true
        ));
        assert!(!like(
            "arn:aws:s3:::b/${aws:username}/*",
            "arn:aws:s3:::b/alice/x",
            &r,
            false
        ));
        assert!(like("home/${aws:userid, 'nobody'}", "home/nobody", &r, true));
        assert!(
            !like("home/${aws:userid}", "home/", &r, true),
            "unresolved variable never matches"
        );
        assert!(
            !like("${aws:TagKeys}", "a", &r, true),
            "multi-valued key cannot be substituted"
        );
        assert!(like("literal${*}star", "literal*star", &r, true));
        assert!(
            !like("literal${*}star", "literalXstar", &r, true),
            "a substituted asterisk is literal"
        );
    }

    #[test]
    fn arn_parts_are_matched_separately() {
        let r = request();
        assert!(arn_like(
            "arn:aws:config:*:111122223333:*",
            "arn:aws:config:us-east-1:111122223333:config-rule/x",
            &r,
            true
        ));
        assert!(!arn_like(
            "arn:aws:config:*:111122223333:*",
            "arn:aws:config:us-east-1:999999999999:x",
            &r,
            true
        ));
        assert!(
            !arn_like("arn:aws:*", "arn:aws:config:us-east-1:1:x", &r, true),
            "pattern needs six parts"
        );
    }
}
