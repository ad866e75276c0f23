//! The shared survey-logic vectors (`tests/vectors/survey-logic.json`): the browser tag's
//! port (`web/sdk/src/surveys/logic.ts`) runs the same file, so both sides accept the
//! same answers, walk the same paths and refuse with the same field and message.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::answers::{check_response, path, AnswerValue, Question, SubmittedAnswer};
use super::definition::{LogicRule, QuestionConfig, QuestionDef, QuestionType};
use crate::error::AppError;

const VECTORS: &str = include_str!("../../../../tests/vectors/survey-logic.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Vectors {
    #[serde(rename = "$comment", default)]
    _comment: Value,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    questions: Vec<WireQuestion>,
    answers: Vec<WireAnswer>,
    complete: bool,
    expect: Expect,
}

/// A question as `GET /v1/sites/{site}/widgets` sends it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireQuestion {
    id: i64,
    key: String,
    #[serde(rename = "type")]
    kind: QuestionType,
    prompt: String,
    required: bool,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    allow_other: bool,
    scale: Option<(i32, i32)>,
    low_label: Option<String>,
    high_label: Option<String>,
    display_style: Option<String>,
    #[serde(default)]
    logic: Vec<LogicRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireAnswer {
    question_id: i64,
    #[serde(default)]
    value: Value,
    other: Option<String>,
    comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    ok: bool,
    path: Option<Vec<String>>,
    field: Option<String>,
    message: Option<String>,
}

fn question(w: WireQuestion) -> Question {
    let scale_max = match (w.kind, w.scale) {
        (QuestionType::Rating, Some((1, max))) => Some(max),
        (QuestionType::Rating, other) => panic!("question {}: rating scale {other:?}", w.id),
        _ => None,
    };
    Question {
        id: w.id,
        def: QuestionDef {
            key: w.key,
            kind: w.kind,
            prompt: w.prompt,
            required: w.required,
            config: QuestionConfig {
                options: w.options,
                allow_other: w.allow_other,
                scale_max,
                low_label: w.low_label,
                high_label: w.high_label,
                display_style: w.display_style,
            },
            logic: w.logic,
        },
    }
}

#[test]
fn shared_vectors_hold() {
    let vectors: Vectors = serde_json::from_str(VECTORS).expect("vectors parse");
    assert!(vectors.cases.len() >= 40, "{} cases", vectors.cases.len());
    let mut names = std::collections::HashSet::new();
    for case in vectors.cases {
        let name = case.name;
        assert!(names.insert(name.clone()), "{name}: name used twice");
        let questions: Vec<Question> = case.questions.into_iter().map(question).collect();
        let answers: Vec<SubmittedAnswer> = case
            .answers
            .into_iter()
            .map(|a| SubmittedAnswer {
                question_id: a.question_id,
                value: a.value,
                other: a.other,
                comment: a.comment,
            })
            .collect();
        let got = check_response(&questions, &answers, case.complete);
        match (got, case.expect) {
            (
                Ok(checked),
                Expect {
                    ok: true,
                    path: Some(want),
                    field: None,
                    message: None,
                },
            ) => {
                let values: HashMap<i64, AnswerValue> = checked
                    .into_iter()
                    .map(|a| (a.question_id, a.value))
                    .collect();
                let keys: Vec<&str> = path(&questions, &values, case.complete)
                    .into_iter()
                    .map(|i| questions[i].def.key.as_str())
                    .collect();
                assert_eq!(keys, want, "{name}: path");
            }
            (
                Err(AppError::BadInput { field, message }),
                Expect {
                    ok: false,
                    path: None,
                    field: want_field,
                    message: Some(want_message),
                },
            ) => {
                assert_eq!(field, want_field, "{name}: field");
                assert_eq!(message, want_message, "{name}: message");
            }
            (got, want) => panic!(
                "{name}: got {got:?}, want ok={} path={:?} field={:?} message={:?}",
                want.ok, want.path, want.field, want.message
            ),
        }
    }
}
