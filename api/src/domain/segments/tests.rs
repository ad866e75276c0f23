//! Table-driven checks of every operator on every type, dates and time zones, and rule
//! validation errors with their paths. The database side is covered by the property test
//! in `tests/api/segments_property.rs`, which checks both evaluators agree.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};

use super::eval::{AnswerFact, AttrValue, Profile, ResponseFact};
use super::rule::{compile, AttrKind, Catalog};
use crate::domain::surveys::definition::QuestionType;
use crate::error::AppError;

fn catalog() -> Catalog {
    let mut c = Catalog::default();
    for (name, id, kind) in [
        ("plan", 1, AttrKind::String),
        ("spend", 2, AttrKind::Number),
        ("trial", 3, AttrKind::Boolean),
        ("customer_since", 4, AttrKind::Date),
        ("nickname", 5, AttrKind::String),
    ] {
        c.attributes.insert(name.into(), (id, kind));
    }
    c.questions.insert(10, (QuestionType::Nps, vec![]));
    c.questions.insert(
        11,
        (
            QuestionType::MultipleChoice,
            vec!["Price".into(), "Speed".into()],
        ),
    );
    c.questions.insert(12, (QuestionType::LongText, vec![]));
    c.questions.insert(13, (QuestionType::Statement, vec![]));
    c.surveys = vec![7, 8];
    c
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0)
        .single()
        .expect("valid")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("rfc3339")
        .with_timezone(&Utc)
}

fn text(s: &str) -> AttrValue {
    AttrValue::Text {
        raw: s.into(),
        folded: s.to_lowercase(),
    }
}

fn profile() -> Profile {
    Profile {
        id: 1,
        identified: true,
        device: Some("mobile".into()),
        country: Some("FR".into()),
        first_seen: at("2025-01-10T08:00:00Z"),
        last_seen: at("2025-06-15T11:00:00Z"),
        sessions: 4,
        attributes: vec![
            (1, text("Pro Team")),
            (2, AttrValue::Number(250.5)),
            (3, AttrValue::Bool(false)),
            // 2024-03-01 00:30 in Paris is still 2024-02-29 in UTC.
            (4, AttrValue::Time(at("2024-03-01T00:30:00+01:00"))),
        ],
        responses: vec![
            ResponseFact {
                survey_id: 7,
                at: at("2025-06-01T10:00:00Z"),
                complete: true,
            },
            ResponseFact {
                survey_id: 8,
                at: at("2025-01-01T10:00:00Z"),
                complete: false,
            },
        ],
        answers: vec![
            AnswerFact {
                question_id: 10,
                number: Some(5),
                ..Default::default()
            },
            AnswerFact {
                question_id: 11,
                choices: vec!["Price".into()],
                ..Default::default()
            },
            AnswerFact {
                question_id: 12,
                text: Some("Too slow at checkout".into()),
                sentiment: Some("NEGATIVE".into()),
                ..Default::default()
            },
        ],
    }
}

fn check(rule: Value, p: &Profile) -> bool {
    let r = compile(&rule, &catalog(), "rule").unwrap_or_else(|e| panic!("{rule}: {e:?}"));
    r.matches(p, now())
}

fn attr(name: &str, op: &str, value: Value) -> Value {
    json!({"attribute": name, "operator": op, "value": value})
}

#[test]
fn every_operator_on_every_type() {
    let p = profile();
    let cases: Vec<(Value, bool)> = vec![
        // strings: case-insensitive
        (attr("plan", "EQUALS", json!("pro team")), true),
        (attr("plan", "EQUALS", json!("Pro")), false),
        (attr("plan", "NOT_EQUALS", json!("basic")), true),
        (attr("plan", "NOT_EQUALS", json!("PRO TEAM")), false),
        (attr("plan", "CONTAINS", json!("TEAM")), true),
        (attr("plan", "CONTAINS", json!("solo")), false),
        (attr("plan", "NOT_CONTAINS", json!("solo")), true),
        (attr("plan", "NOT_CONTAINS", json!("team")), false),
        (attr("plan", "STARTS_WITH", json!("pro")), true),
        (attr("plan", "STARTS_WITH", json!("team")), false),
        (attr("plan", "ENDS_WITH", json!("TEAM")), true),
        (attr("plan", "ENDS_WITH", json!("pro")), false),
        (attr("plan", "IN", json!(["basic", "pro team"])), true),
        (attr("plan", "IN", json!(["basic"])), false),
        (attr("plan", "NOT_IN", json!(["basic"])), true),
        (attr("plan", "NOT_IN", json!(["PRO team"])), false),
        (attr("plan", "IS_SET", Value::Null), true),
        (attr("plan", "IS_NOT_SET", Value::Null), false),
        // absent values: only IS_NOT_SET matches, negative operators do not
        (attr("nickname", "IS_NOT_SET", Value::Null), true),
        (attr("nickname", "IS_SET", Value::Null), false),
        (attr("nickname", "NOT_EQUALS", json!("x")), false),
        (attr("nickname", "NOT_IN", json!(["x"])), false),
        (attr("nickname", "NOT_CONTAINS", json!("x")), false),
        // numbers
        (attr("spend", "EQ", json!(250.5)), true),
        (attr("spend", "EQ", json!(250)), false),
        (attr("spend", "NEQ", json!(250)), true),
        (attr("spend", "GT", json!(250)), true),
        (attr("spend", "GT", json!(250.5)), false),
        (attr("spend", "GTE", json!(250.5)), true),
        (attr("spend", "LT", json!(251)), true),
        (attr("spend", "LT", json!(250.5)), false),
        (attr("spend", "LTE", json!(250.5)), true),
        (attr("spend", "BETWEEN", json!([250.5, 300])), true),
        (attr("spend", "BETWEEN", json!([100, 250.4])), false),
        (attr("spend", "IS_SET", Value::Null), true),
        (attr("spend", "IS_NOT_SET", Value::Null), false),
        // booleans
        (attr("trial", "IS_FALSE", Value::Null), true),
        (attr("trial", "IS_TRUE", Value::Null), false),
        (attr("trial", "IS_SET", Value::Null), true),
        (attr("trial", "IS_NOT_SET", Value::Null), false),
        // dates (customer_since = 2024-02-29T23:30:00Z)
        (attr("customer_since", "BEFORE", json!("2024-03-01")), true),
        (attr("customer_since", "BEFORE", json!("2024-02-29")), false),
        (attr("customer_since", "AFTER", json!("2024-02-28")), true),
        // a date alone is its whole day: not after the day it falls on
        (attr("customer_since", "AFTER", json!("2024-02-29")), false),
        (
            attr("customer_since", "AFTER", json!("2024-02-29T23:00:00Z")),
            true,
        ),
        (
            attr(
                "customer_since",
                "AFTER",
                json!("2024-03-01T00:00:00+01:00"),
            ),
            true,
        ),
        (
            attr(
                "customer_since",
                "BEFORE",
                json!("2024-03-01T00:30:00+01:00"),
            ),
            false,
        ),
        (
            attr(
                "customer_since",
                "BETWEEN",
                json!(["2024-02-29", "2024-02-29"]),
            ),
            true,
        ),
        (
            attr(
                "customer_since",
                "BETWEEN",
                json!(["2024-03-01", "2024-12-31"]),
            ),
            false,
        ),
        (
            attr(
                "customer_since",
                "BETWEEN",
                json!(["2024-02-29T23:30:00Z", "2024-02-29T23:30:00Z"]),
            ),
            true,
        ),
        (attr("customer_since", "WITHIN_LAST_DAYS", json!(500)), true),
        (
            attr("customer_since", "WITHIN_LAST_DAYS", json!(400)),
            false,
        ),
        (
            attr("customer_since", "MORE_THAN_DAYS_AGO", json!(400)),
            true,
        ),
        (
            attr("customer_since", "MORE_THAN_DAYS_AGO", json!(500)),
            false,
        ),
        (attr("customer_since", "IS_SET", Value::Null), true),
        (attr("customer_since", "IS_NOT_SET", Value::Null), false),
        // visit facts
        (
            json!({"visit": "DEVICE", "operator": "EQUALS", "value": "Mobile"}),
            true,
        ),
        (
            json!({"visit": "DEVICE", "operator": "IN", "value": ["desktop", "tablet"]}),
            false,
        ),
        (
            json!({"visit": "COUNTRY", "operator": "EQUALS", "value": "fr"}),
            true,
        ),
        (
            json!({"visit": "COUNTRY", "operator": "NOT_IN", "value": ["DE", "FR"]}),
            false,
        ),
        (json!({"visit": "COUNTRY", "operator": "IS_SET"}), true),
        (
            json!({"visit": "FIRST_SEEN", "operator": "BEFORE", "value": "2025-02-01"}),
            true,
        ),
        (
            json!({"visit": "LAST_SEEN", "operator": "WITHIN_LAST_DAYS", "value": 1}),
            true,
        ),
        (
            json!({"visit": "LAST_SEEN", "operator": "MORE_THAN_DAYS_AGO", "value": 1}),
            false,
        ),
        (
            json!({"visit": "SESSIONS", "operator": "GTE", "value": 4}),
            true,
        ),
        (
            json!({"visit": "SESSIONS", "operator": "GT", "value": 4}),
            false,
        ),
        // survey interactions
        (
            json!({"responded": {"survey_id": 7, "within_days": 30}}),
            true,
        ),
        (
            json!({"responded": {"survey_id": 7, "within_days": 7}}),
            false,
        ),
        (json!({"responded": {"survey_id": 8}}), false), // partial responses do not count
        (json!({"responded": {}}), true),
        (
            json!({"answer": {"question_id": 10, "operator": "LTE", "value": 6}}),
            true,
        ),
        (
            json!({"answer": {"question_id": 10, "operator": "GTE", "value": 9}}),
            false,
        ),
        (
            json!({"answer": {"question_id": 11, "operator": "EQUALS", "value": "Price"}}),
            true,
        ),
        (
            json!({"answer": {"question_id": 11, "operator": "IN", "value": ["Speed"]}}),
            false,
        ),
        (
            json!({"answer": {"question_id": 12, "operator": "CONTAINS", "value": "slow"}}),
            true,
        ),
        (
            json!({"answer": {"question_id": 12, "operator": "CONTAINS", "value": "Slow"}}),
            false,
        ),
        (
            json!({"answer": {"question_id": 12, "operator": "ANSWERED"}}),
            true,
        ),
        (
            json!({"sentiment": {"question_id": 12, "value": "NEGATIVE"}}),
            true,
        ),
        (json!({"sentiment": {"value": "POSITIVE"}}), false),
        // groups
        (
            json!({"and": [attr("spend", "GT", json!(100)), {"or": [attr("trial", "IS_TRUE", Value::Null), {"visit": "COUNTRY", "operator": "EQUALS", "value": "FR"}]}]}),
            true,
        ),
        (
            json!({"or": [attr("spend", "GT", json!(1000)), attr("trial", "IS_TRUE", Value::Null)]}),
            false,
        ),
    ];
    for (rule, expected) in cases {
        assert_eq!(check(rule.clone(), &p), expected, "{rule}");
    }
}

#[test]
fn anonymous_visitors_never_match_attribute_conditions() {
    let mut p = profile();
    p.identified = false;
    assert!(!check(attr("spend", "GT", json!(0)), &p));
    assert!(!check(attr("nickname", "IS_NOT_SET", Value::Null), &p));
    // visit facts and interactions still apply
    assert!(check(
        json!({"visit": "COUNTRY", "operator": "EQUALS", "value": "FR"}),
        &p
    ));
}

fn error(rule: Value) -> (String, String) {
    match compile(&rule, &catalog(), "rule") {
        Err(AppError::BadInput { field, message }) => (field.unwrap_or_default(), message),
        other => panic!("{rule}: expected BAD_USER_INPUT, got {other:?}"),
    }
}

#[test]
fn invalid_rules_name_the_offending_path() {
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"and": [attr("unknown", "EQUALS", json!("x"))]}),
            "rule.and[0].attribute",
        ),
        (
            json!({"and": [attr("spend", "CONTAINS", json!("x"))]}),
            "rule.and[0].operator",
        ),
        (
            json!({"and": [attr("plan", "GT", json!(1))]}),
            "rule.and[0].operator",
        ),
        (
            json!({"and": [attr("trial", "EQUALS", json!(true))]}),
            "rule.and[0].operator",
        ),
        (
            json!({"and": [attr("spend", "GT", json!("100"))]}),
            "rule.and[0].value",
        ),
        (
            json!({"and": [attr("plan", "EQUALS", json!(3))]}),
            "rule.and[0].value",
        ),
        (
            json!({"and": [attr("plan", "IN", json!([]))]}),
            "rule.and[0].value",
        ),
        (
            json!({"and": [attr("spend", "BETWEEN", json!([5, 1]))]}),
            "rule.and[0].value",
        ),
        (
            json!({"and": [attr("customer_since", "BEFORE", json!("last week"))]}),
            "rule.and[0].value",
        ),
        (
            json!({"and": [attr("customer_since", "WITHIN_LAST_DAYS", json!(-1))]}),
            "rule.and[0].value",
        ),
        (
            json!({"or": [{"and": [attr("spend", "GT", json!(1)), {"visit": "DEVICE", "operator": "EQUALS", "value": "watch"}]}]}),
            "rule.or[0].and[1].value",
        ),
        (json!({"and": []}), "rule.and"),
        (json!({"and": [{"xor": []}]}), "rule.and[0]"),
        (json!({"and": [42]}), "rule.and[0]"),
        (
            json!({"and": [attr("spend", "GT", json!(1))], "or": []}),
            "rule",
        ),
        (
            json!({"and": [{"answer": {"question_id": 99, "operator": "ANSWERED"}}]}),
            "rule.and[0].answer.question_id",
        ),
        (
            json!({"and": [{"answer": {"question_id": 13, "operator": "ANSWERED"}}]}),
            "rule.and[0].answer.question_id",
        ),
        (
            json!({"and": [{"answer": {"question_id": 10, "operator": "CONTAINS", "value": "x"}}]}),
            "rule.and[0].answer.operator",
        ),
        (
            json!({"and": [{"answer": {"question_id": 11, "operator": "EQUALS", "value": "Color"}}]}),
            "rule.and[0].answer.value",
        ),
        (
            json!({"and": [{"responded": {"survey_id": 99}}]}),
            "rule.and[0].responded.survey_id",
        ),
        (
            json!({"and": [{"sentiment": {"question_id": 10, "value": "NEGATIVE"}}]}),
            "rule.and[0].sentiment.question_id",
        ),
        (
            json!({"and": [{"sentiment": {"value": "ANGRY"}}]}),
            "rule.and[0].sentiment.value",
        ),
    ];
    for (rule, path) in cases {
        assert_eq!(error(rule.clone()).0, path, "{rule}");
    }
}

#[test]
fn depth_and_size_limits() {
    let leaf = attr("spend", "GT", json!(1));
    let mut deep = leaf.clone();
    for _ in 0..5 {
        deep = json!({"and": [deep]});
    }
    assert!(
        compile(&deep, &catalog(), "rule").is_ok(),
        "five levels are allowed"
    );
    let too_deep = json!({"or": [deep]});
    assert_eq!(error(too_deep).0, "rule.or[0].and[0].and[0].and[0].and[0]");
    let fifty = json!({"and": vec![leaf.clone(); 50]});
    assert!(compile(&fifty, &catalog(), "rule").is_ok());
    let fifty_one = json!({"and": vec![leaf; 51]});
    assert_eq!(error(fifty_one).0, "rule.and[50]");
}
