//! A submitted response against its survey: each answer typed and checked for its
//! question, and the set of answers checked to follow a valid path through the logic.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::definition::{LogicRule, Operator, QuestionDef, QuestionType};
use crate::error::{AppError, AppResult};

pub const MAX_COMMENT_CHARS: usize = 1000;

/// A question as stored: its id and definition, in survey order.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: i64,
    pub def: QuestionDef,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AnswerValue {
    Text(String),
    Number(i32),
    Choices {
        selected: Vec<String>,
        other: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct SubmittedAnswer {
    pub question_id: i64,
    pub value: Value,
    pub other: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedAnswer {
    pub question_id: i64,
    pub value: AnswerValue,
    pub comment: Option<String>,
}

fn reject(q: &Question, message: impl std::fmt::Display) -> AppError {
    AppError::BadInput {
        field: Some(format!("answers.{}", q.id)),
        message: format!("question {} ({:?}): {message}", q.id, q.def.prompt),
    }
}

/// The typed value of one answer; `None` when it counts as skipped (null, blank text,
/// nothing selected).
pub fn parse_answer(
    def: &QuestionDef,
    value: &Value,
    other: Option<&str>,
) -> Result<Option<AnswerValue>, String> {
    let other = other.map(str::trim).filter(|o| !o.is_empty());
    if other.is_some() && !(def.kind.is_choice() && def.config.allow_other) {
        return Err("this question has no \"other\" answer".into());
    }
    match def.kind {
        QuestionType::Statement => match value {
            Value::Null => Ok(None),
            _ => Err("a statement takes no answer".into()),
        },
        QuestionType::ShortText | QuestionType::LongText | QuestionType::Email => {
            let text = match value {
                Value::Null => return Ok(None),
                Value::String(s) => s.trim(),
                _ => return Err("the answer must be text".into()),
            };
            // Only whitespace or invisible characters (zero-width spaces, BOMs): no answer.
            if super::sentiment::is_blank(text) {
                return Ok(None);
            }
            let max = def.kind.max_text_chars();
            if text.chars().count() > max {
                return Err(format!("text too long (at most {max} characters)"));
            }
            if text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
            {
                return Err("text contains control characters".into());
            }
            if def.kind == QuestionType::Email && !is_email(text) {
                return Err(format!("{text:?} is not a valid email address"));
            }
            Ok(Some(AnswerValue::Text(text.to_owned())))
        }
        QuestionType::Nps | QuestionType::Rating => {
            let Some((low, high)) = def.scale() else {
                return Err("not a scale".into());
            };
            let n = match value {
                Value::Null => return Ok(None),
                Value::Number(n) => n.as_i64(),
                _ => None,
            };
            match n {
                Some(n) if (i64::from(low)..=i64::from(high)).contains(&n) => {
                    Ok(Some(AnswerValue::Number(n as i32)))
                }
                _ => Err(format!(
                    "{} answer must be a whole number from {low} to {high}",
                    def.kind.as_str()
                )),
            }
        }
        QuestionType::SingleChoice | QuestionType::MultipleChoice => {
            let picked: Vec<&str> = match (def.kind, value) {
                (_, Value::Null) => vec![],
                (QuestionType::SingleChoice, Value::String(s)) => vec![s.as_str()],
                (QuestionType::MultipleChoice, Value::Array(items)) => {
                    let mut picked = Vec::with_capacity(items.len());
                    for item in items {
                        match item {
                            Value::String(s) => picked.push(s.as_str()),
                            _ => return Err("choices must be text".into()),
                        }
                    }
                    picked
                }
                (QuestionType::SingleChoice, _) => {
                    return Err("the answer must be one option".into())
                }
                _ => return Err("the answer must be a list of options".into()),
            };
            let mut selected: Vec<String> = Vec::with_capacity(picked.len());
            for p in picked {
                let Some(option) = def.config.options.iter().find(|o| o.as_str() == p.trim())
                else {
                    return Err(format!("choice {p:?} is not offered"));
                };
                if selected.contains(option) {
                    return Err(format!("choice {p:?} is selected twice"));
                }
                selected.push(option.clone());
            }
            if def.kind == QuestionType::SingleChoice
                && selected.len() + usize::from(other.is_some()) > 1
            {
                return Err("pick one option or \"other\", not both".into());
            }
            if let Some(o) = other {
                if o.chars().count() > MAX_COMMENT_CHARS {
                    return Err(format!(
                        "\"other\" text too long (at most {MAX_COMMENT_CHARS} characters)"
                    ));
                }
            }
            if selected.is_empty() && other.is_none() {
                return Ok(None);
            }
            Ok(Some(AnswerValue::Choices {
                selected,
                other: other.map(str::to_owned),
            }))
        }
    }
}

/// A pragmatic address check: one `@`, a plausible local part and a dotted domain.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && domain.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Whether a logic rule matches an answer (or its absence).
pub fn rule_matches(rule: &LogicRule, answer: Option<&AnswerValue>) -> bool {
    use Operator::*;
    match (rule.operator, answer) {
        (Always, _) => true,
        (Answered, a) => a.is_some(),
        (Skipped, a) => a.is_none(),
        (_, None) => false,
        (Equals, Some(AnswerValue::Text(t))) => rule
            .value
            .as_deref()
            .is_some_and(|v| t.eq_ignore_ascii_case(v.trim())),
        (Equals, Some(AnswerValue::Choices { selected, .. })) => rule
            .value
            .as_deref()
            .is_some_and(|v| selected.iter().any(|s| s == v.trim())),
        (Equals, Some(AnswerValue::Number(n))) => rule.number.is_some_and(|x| f64::from(*n) == x),
        (OneOf, Some(AnswerValue::Choices { selected, .. })) => selected
            .iter()
            .any(|s| rule.values.iter().any(|v| v.trim() == s)),
        (OneOf, Some(AnswerValue::Number(n))) => rule
            .values
            .iter()
            .any(|v| v.trim().parse::<f64>().is_ok_and(|x| x == f64::from(*n))),
        (Contains, Some(AnswerValue::Text(t))) => rule
            .value
            .as_deref()
            .is_some_and(|v| t.to_lowercase().contains(&v.trim().to_lowercase())),
        (LessThan, Some(AnswerValue::Number(n))) => rule.number.is_some_and(|x| f64::from(*n) < x),
        (GreaterThan, Some(AnswerValue::Number(n))) => {
            rule.number.is_some_and(|x| f64::from(*n) > x)
        }
        _ => false,
    }
}

/// The questions (by index) a visitor is led through by these answers: from the first,
/// each question's first matching rule jumps forward to its `go_to` or ends the survey
/// (no `go_to`); no matching rule, or a jump to a key that is not later in the survey (a
/// stored rule whose target was archived), goes on to the next question. A partial
/// response's path stops at its last answer once every answer has been met on the way;
/// an answer off the path keeps the walk going to the end. The browser tag walks the same
/// path (`web/sdk/src/surveys/logic.ts`); `tests/vectors/survey-logic.json` holds both to it.
pub fn path(
    questions: &[Question],
    answers: &HashMap<i64, AnswerValue>,
    complete: bool,
) -> Vec<usize> {
    let mut unmet: HashSet<i64> = answers.keys().copied().collect();
    let mut visited = Vec::new();
    let mut i = 0;
    while i < questions.len() {
        if !complete && unmet.is_empty() {
            break; // a partial response ends at its last answer
        }
        let q = &questions[i];
        visited.push(i);
        unmet.remove(&q.id);
        match next_index(questions, i, answers.get(&q.id)) {
            Some(next) => i = next,
            None => break,
        }
    }
    visited
}

/// Where the visitor goes after question `index` given its answer: `None` ends the survey.
pub fn next_index(
    questions: &[Question],
    index: usize,
    answer: Option<&AnswerValue>,
) -> Option<usize> {
    let jump = questions[index]
        .def
        .logic
        .iter()
        .find(|r| rule_matches(r, answer));
    let next = match jump.map(|rule| &rule.go_to) {
        Some(None) => return None,
        Some(Some(key)) => match questions.iter().position(|t| t.def.key == *key) {
            Some(t) if t > index => t,
            _ => index + 1, // a stored rule whose target was archived: fall through
        },
        None => index + 1,
    };
    (next < questions.len()).then_some(next)
}

/// Checks every answer for its question and the whole for a valid path: answers only
/// to questions on the path the earlier answers lead to, and every required question on
/// that path answered — up to the end for a complete response, up to the last answer
/// for a partial one.
pub fn check_response(
    questions: &[Question],
    answers: &[SubmittedAnswer],
    complete: bool,
) -> AppResult<Vec<CheckedAnswer>> {
    let by_id: HashMap<i64, usize> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id, i))
        .collect();
    let mut typed: HashMap<i64, CheckedAnswer> = HashMap::with_capacity(answers.len());
    for a in answers {
        let Some(&index) = by_id.get(&a.question_id) else {
            return Err(AppError::BadInput {
                field: Some(format!("answers.{}", a.question_id)),
                message: format!("question {} is not part of this survey", a.question_id),
            });
        };
        let q = &questions[index];
        if typed.contains_key(&q.id) {
            return Err(reject(q, "answered twice"));
        }
        let comment = a
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS) {
            return Err(reject(
                q,
                format!("comment too long (at most {MAX_COMMENT_CHARS} characters)"),
            ));
        }
        if let Some(value) =
            parse_answer(&q.def, &a.value, a.other.as_deref()).map_err(|m| reject(q, m))?
        {
            typed.insert(
                q.id,
                CheckedAnswer {
                    question_id: q.id,
                    value,
                    comment: comment.map(str::to_owned),
                },
            );
        }
    }

    let values: HashMap<i64, AnswerValue> =
        typed.iter().map(|(id, a)| (*id, a.value.clone())).collect();
    let visited = path(questions, &values, complete);
    if let Some(&i) = visited
        .iter()
        .find(|&&i| questions[i].def.required && !values.contains_key(&questions[i].id))
    {
        return Err(reject(&questions[i], "missing required answer"));
    }
    let on_path: HashSet<i64> = visited.iter().map(|&i| questions[i].id).collect();
    let remaining: HashSet<i64> = values
        .keys()
        .copied()
        .filter(|id| !on_path.contains(id))
        .collect();
    if let Some(off) = questions.iter().find(|q| remaining.contains(&q.id)) {
        return Err(reject(
            off,
            "invalid path: the earlier answers do not lead to this question",
        ));
    }
    let mut out: Vec<CheckedAnswer> = typed.into_values().collect();
    out.sort_by_key(|a| by_id.get(&a.question_id).copied());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::definition::QuestionConfig;
    use super::*;

    fn q(id: i64, key: &str, kind: QuestionType, required: bool) -> Question {
        let mut config = QuestionConfig::default();
        if kind.is_choice() {
            config.options = vec!["Red".into(), "Green".into(), "Blue".into()];
        }
        Question {
            id,
            def: QuestionDef {
                key: key.into(),
                kind,
                prompt: format!("Q{id}"),
                required,
                config,
                logic: vec![],
            },
        }
    }

    fn rule(operator: Operator, number: Option<f64>, go_to: Option<&str>) -> LogicRule {
        LogicRule {
            operator,
            value: None,
            values: vec![],
            number,
            go_to: go_to.map(str::to_owned),
        }
    }

    fn ans(id: i64, value: Value) -> SubmittedAnswer {
        SubmittedAnswer {
            question_id: id,
            value,
            other: None,
            comment: None,
        }
    }

    #[test]
    fn each_type_accepts_and_rejects() {
        type Case = (
            QuestionType,
            Value,
            Result<Option<AnswerValue>, &'static str>,
        );
        let cases: Vec<Case> = vec![
            (
                QuestionType::Nps,
                json!(0),
                Ok(Some(AnswerValue::Number(0))),
            ),
            (
                QuestionType::Nps,
                json!(10),
                Ok(Some(AnswerValue::Number(10))),
            ),
            (QuestionType::Nps, json!(11), Err("from 0 to 10")),
            (QuestionType::Nps, json!(-1), Err("from 0 to 10")),
            (QuestionType::Nps, json!(7.5), Err("whole number")),
            (QuestionType::Nps, json!("7"), Err("whole number")),
            (
                QuestionType::Rating,
                json!(5),
                Ok(Some(AnswerValue::Number(5))),
            ),
            (QuestionType::Rating, json!(6), Err("from 1 to 5")),
            (QuestionType::Rating, json!(0), Err("from 1 to 5")),
            (
                QuestionType::ShortText,
                json!("  hi "),
                Ok(Some(AnswerValue::Text("hi".into()))),
            ),
            (QuestionType::ShortText, json!("   "), Ok(None)),
            (QuestionType::LongText, json!("\u{200B}\u{FEFF} "), Ok(None)),
            (
                QuestionType::ShortText,
                json!("x".repeat(501)),
                Err("too long"),
            ),
            (
                QuestionType::LongText,
                json!("x".repeat(5000)),
                Ok(Some(AnswerValue::Text("x".repeat(5000)))),
            ),
            (QuestionType::ShortText, json!(3), Err("must be text")),
            (
                QuestionType::Email,
                json!("a.b+c@example.co.uk"),
                Ok(Some(AnswerValue::Text("a.b+c@example.co.uk".into()))),
            ),
            (
                QuestionType::Email,
                json!("not-an-email"),
                Err("not a valid email"),
            ),
            (QuestionType::Email, json!("a@b"), Err("not a valid email")),
            (
                QuestionType::Email,
                json!("a b@c.de"),
                Err("not a valid email"),
            ),
            (
                QuestionType::SingleChoice,
                json!("Red"),
                Ok(Some(AnswerValue::Choices {
                    selected: vec!["Red".into()],
                    other: None,
                })),
            ),
            (
                QuestionType::SingleChoice,
                json!("Pink"),
                Err("not offered"),
            ),
            (
                QuestionType::SingleChoice,
                json!(["Red"]),
                Err("one option"),
            ),
            (
                QuestionType::MultipleChoice,
                json!(["Red", "Blue"]),
                Ok(Some(AnswerValue::Choices {
                    selected: vec!["Red".into(), "Blue".into()],
                    other: None,
                })),
            ),
            (
                QuestionType::MultipleChoice,
                json!(["Red", "Red"]),
                Err("twice"),
            ),
            (QuestionType::MultipleChoice, json!([]), Ok(None)),
            (
                QuestionType::MultipleChoice,
                json!("Red"),
                Err("list of options"),
            ),
            (QuestionType::Statement, json!(null), Ok(None)),
            (QuestionType::Statement, json!("x"), Err("no answer")),
        ];
        for (kind, value, want) in cases {
            let got = parse_answer(&q(1, "q", kind, false).def, &value, None);
            match (&got, &want) {
                (Ok(g), Ok(w)) => assert_eq!(g, w, "{kind:?} {value}"),
                (Err(g), Err(w)) => assert!(g.contains(w), "{kind:?} {value}: {g}"),
                _ => panic!("{kind:?} {value}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn other_text_only_where_allowed() {
        let mut choice = q(1, "q", QuestionType::MultipleChoice, false);
        assert!(parse_answer(&choice.def, &json!([]), Some("Teal")).is_err());
        choice.def.config.allow_other = true;
        assert_eq!(
            parse_answer(&choice.def, &json!(["Red"]), Some(" Teal ")),
            Ok(Some(AnswerValue::Choices {
                selected: vec!["Red".into()],
                other: Some("Teal".into())
            }))
        );
        let mut single = q(1, "q", QuestionType::SingleChoice, false);
        single.def.config.allow_other = true;
        assert!(
            parse_answer(&single.def, &json!("Red"), Some("Teal")).is_err(),
            "one or the other"
        );
        assert!(parse_answer(
            &q(1, "q", QuestionType::Nps, false).def,
            &json!(3),
            Some("x")
        )
        .is_err());
    }

    /// q1 NPS (required): ≤ 6 → q2 (why?), else → q3; q2 ends the survey; q3 required.
    fn nps_flow() -> Vec<Question> {
        let mut q1 = q(1, "score", QuestionType::Nps, true);
        q1.def.logic = vec![
            rule(Operator::LessThan, Some(7.0), Some("why")),
            rule(Operator::Always, None, Some("love")),
        ];
        let mut q2 = q(2, "why", QuestionType::LongText, false);
        q2.def.logic = vec![rule(Operator::Always, None, None)];
        let q3 = q(3, "love", QuestionType::ShortText, true);
        vec![q1, q2, q3]
    }

    #[test]
    fn paths_through_logic() {
        let flow = nps_flow();
        // Detractor path: q1 → q2 → end.
        assert!(check_response(&flow, &[ans(1, json!(3)), ans(2, json!("slow"))], true).is_ok());
        assert!(
            check_response(&flow, &[ans(1, json!(3))], true).is_ok(),
            "q2 optional, then end"
        );
        // Promoter path: q1 → q3 (required).
        assert!(check_response(&flow, &[ans(1, json!(9)), ans(3, json!("speed"))], true).is_ok());
        let err =
            check_response(&flow, &[ans(1, json!(9))], true).expect_err("q3 required on path");
        assert!(
            matches!(&err, AppError::BadInput { message, .. } if message.contains("missing required")),
            "{err:?}"
        );
        // Answers off the path.
        let err = check_response(
            &flow,
            &[ans(1, json!(9)), ans(2, json!("x")), ans(3, json!("y"))],
            true,
        )
        .expect_err("q2 off path");
        assert!(
            matches!(&err, AppError::BadInput { field: Some(f), message } if f == "answers.2" && message.contains("invalid path")),
            "{err:?}"
        );
        let err = check_response(&flow, &[ans(1, json!(2)), ans(3, json!("y"))], true)
            .expect_err("q3 off path");
        assert!(matches!(&err, AppError::BadInput { field: Some(f), .. } if f == "answers.3"));
        // Missing the first required answer.
        assert!(check_response(&flow, &[ans(3, json!("y"))], true).is_err());
        // Unknown question and duplicates.
        assert!(check_response(&flow, &[ans(1, json!(9)), ans(99, json!("x"))], false).is_err());
        assert!(check_response(&flow, &[ans(1, json!(9)), ans(1, json!(8))], false).is_err());
    }

    #[test]
    fn partial_responses_stop_at_their_last_answer() {
        let flow = nps_flow();
        assert!(
            check_response(&flow, &[ans(1, json!(9))], false).is_ok(),
            "q3 not reached yet"
        );
        assert!(check_response(&flow, &[], false).is_ok());
        assert!(
            check_response(&flow, &[ans(3, json!("y"))], false).is_err(),
            "skipping required q1"
        );
        assert!(
            check_response(&flow, &[ans(1, json!(9)), ans(2, json!("x"))], false).is_err(),
            "still off path"
        );
    }

    #[test]
    fn conditions_by_type() {
        let text = AnswerValue::Text("The app is Slow".into());
        let contains = LogicRule {
            operator: Operator::Contains,
            value: Some("slow".into()),
            values: vec![],
            number: None,
            go_to: None,
        };
        assert!(rule_matches(&contains, Some(&text)));
        assert!(!rule_matches(&contains, None));
        let choices = AnswerValue::Choices {
            selected: vec!["Red".into(), "Blue".into()],
            other: None,
        };
        let one_of = LogicRule {
            operator: Operator::OneOf,
            value: None,
            values: vec!["Blue".into(), "Green".into()],
            number: None,
            go_to: None,
        };
        assert!(rule_matches(&one_of, Some(&choices)));
        let eq = LogicRule {
            operator: Operator::Equals,
            value: Some("Green".into()),
            values: vec![],
            number: None,
            go_to: None,
        };
        assert!(!rule_matches(&eq, Some(&choices)));
        assert!(rule_matches(
            &rule(Operator::GreaterThan, Some(8.0), None),
            Some(&AnswerValue::Number(9))
        ));
        assert!(!rule_matches(
            &rule(Operator::GreaterThan, Some(9.0), None),
            Some(&AnswerValue::Number(9))
        ));
        assert!(rule_matches(&rule(Operator::Skipped, None, None), None));
        assert!(rule_matches(
            &rule(Operator::Answered, None, None),
            Some(&AnswerValue::Number(1))
        ));
    }
}
