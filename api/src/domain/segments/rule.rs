//! Segment rules: parsed and checked once from their JSON form into a [`Rule`] tree that
//! both evaluators read — [`super::eval`] in memory for one visitor, [`super::sql`] as a
//! database filter. Every check that depends on types happens here, at save time, so the
//! evaluators never meet a value of the wrong type.
//!
//! JSON form (the same in GraphQL, storage and the README):
//! ```json
//! {"and": [
//!   {"attribute": "spend", "operator": "GT", "value": 100},
//!   {"or": [
//!     {"visit": "DEVICE", "operator": "EQUALS", "value": "mobile"},
//!     {"responded": {"survey_id": 3, "within_days": 30}},
//!     {"answer": {"question_id": 9, "operator": "LTE", "value": 6}},
//!     {"sentiment": {"question_id": 12, "value": "NEGATIVE"}}
//!   ]}
//! ]}
//! ```

use std::collections::HashMap;

use chrono::{DateTime, Days, TimeDelta, Utc};
use serde_json::{Map, Value};

pub use crate::domain::people::attributes::{fold, parse_time, trunc, AttrKind};
use crate::domain::surveys::definition::QuestionType;
use crate::domain::surveys::sentiment;
use crate::error::{AppError, AppResult};

pub const MAX_DEPTH: usize = 5;
pub const MAX_CONDITIONS: usize = 50;
pub const MAX_LIST: usize = 100;
pub const MAX_DAYS: i64 = 36_500;

/// What a rule may refer to on one site.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    /// Attribute name → (id, type).
    pub attributes: HashMap<String, (i64, AttrKind)>,
    /// Question id → (type, options), for questions of the site's surveys.
    pub questions: HashMap<i64, (QuestionType, Vec<String>)>,
    /// Survey ids of the site.
    pub surveys: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StrTest {
    Eq(String),
    Ne(String),
    Contains(String),
    NotContains(String),
    StartsWith(String),
    EndsWith(String),
    In(Box<[String]>),
    NotIn(Box<[String]>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum NumTest {
    Eq(f64),
    Ne(f64),
    Gt(f64),
    Gte(f64),
    Lt(f64),
    Lte(f64),
    Between(f64, f64),
}

/// A bound of a time range: the instant and whether it is included.
pub type Bound = Option<(DateTime<Utc>, bool)>;

#[derive(Debug, Clone, PartialEq)]
pub enum TimeTest {
    /// Absolute range (BEFORE, AFTER, BETWEEN).
    Range { lo: Bound, hi: Bound },
    /// `now - n days <= t <= now`.
    WithinLastDays(i64),
    /// `t < now - n days`.
    MoreThanDaysAgo(i64),
}

impl TimeTest {
    /// The range this test means at `now`.
    pub fn bounds(&self, now: DateTime<Utc>) -> (Bound, Bound) {
        match self {
            TimeTest::Range { lo, hi } => (*lo, *hi),
            TimeTest::WithinLastDays(n) => {
                (Some((now - TimeDelta::days(*n), true)), Some((now, true)))
            }
            TimeTest::MoreThanDaysAgo(n) => (None, Some((now - TimeDelta::days(*n), false))),
        }
    }
}

/// A test on a value that may be absent.
#[derive(Debug, Clone, PartialEq)]
pub enum Check<T> {
    IsSet,
    IsNotSet,
    /// The value is present and passes the test (negative tests too: NOT_EQUALS never
    /// matches an absent value).
    Is(T),
}

#[derive(Debug, Clone, PartialEq)]
pub enum AttrTest {
    Str(StrTest),
    Num(NumTest),
    Bool(bool),
    Time(TimeTest),
}

#[derive(Debug, Clone, PartialEq)]
pub enum AnswerTest {
    Answered,
    Num(NumTest),
    /// A choice selected: equal to one of these (one value for EQUALS).
    Choice(Box<[String]>),
    /// Text answer, case-sensitive.
    TextEquals(String),
    TextContains(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Leaf {
    Attr {
        id: i64,
        check: Check<AttrTest>,
    },
    Device(Check<StrTest>),
    Country(Check<StrTest>),
    FirstSeen(TimeTest),
    LastSeen(TimeTest),
    Sessions(NumTest),
    Responded {
        survey_id: Option<i64>,
        within_days: Option<i64>,
    },
    Answer {
        question_id: i64,
        test: AnswerTest,
    },
    Sentiment {
        question_id: Option<i64>,
        label: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    And(Box<[Node]>),
    Or(Box<[Node]>),
    Leaf(Leaf),
}

/// A checked rule, ready for either evaluator.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub root: Node,
    /// Whether evaluating needs the visitor's responses and answers.
    pub uses_interactions: bool,
    /// Questions whose answers the in-memory evaluator needs.
    pub questions: Vec<i64>,
    pub conditions: usize,
}

fn bad(path: &str, msg: impl Into<String>) -> AppError {
    AppError::bad_input(path, msg)
}

/// Survey and question ids a rule mentions, so the caller can load just those.
pub fn referenced(v: &Value) -> (Vec<i64>, Vec<i64>) {
    fn walk(v: &Value, surveys: &mut Vec<i64>, questions: &mut Vec<i64>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    match (k.as_str(), x.as_i64()) {
                        ("survey_id", Some(id)) => surveys.push(id),
                        ("question_id", Some(id)) => questions.push(id),
                        _ => walk(x, surveys, questions),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, surveys, questions)),
            _ => {}
        }
    }
    let (mut s, mut q) = (vec![], vec![]);
    walk(v, &mut s, &mut q);
    s.sort_unstable();
    s.dedup();
    q.sort_unstable();
    q.dedup();
    (s, q)
}

struct Parser<'a> {
    catalog: &'a Catalog,
    conditions: usize,
    uses_interactions: bool,
    questions: Vec<i64>,
}

/// Parses and checks a rule. Errors are `BAD_USER_INPUT` with the JSON path of the
/// offending condition under `root` (e.g. `rule.and[1].or[0].value`).
pub fn compile(v: &Value, catalog: &Catalog, root: &str) -> AppResult<Rule> {
    let mut p = Parser {
        catalog,
        conditions: 0,
        uses_interactions: false,
        questions: vec![],
    };
    let node = p.node(v, root, 1)?;
    let root = match node {
        leaf @ Node::Leaf(_) => Node::And(Box::new([leaf])),
        group => group,
    };
    p.questions.sort_unstable();
    p.questions.dedup();
    Ok(Rule {
        root,
        uses_interactions: p.uses_interactions,
        questions: p.questions,
        conditions: p.conditions,
    })
}

const GROUP_KEYS: [&str; 2] = ["and", "or"];

impl Parser<'_> {
    fn node(&mut self, v: &Value, path: &str, depth: usize) -> AppResult<Node> {
        let Some(obj) = v.as_object() else {
            return Err(bad(path, "a condition or group must be a JSON object"));
        };
        for key in GROUP_KEYS {
            if let Some(children) = obj.get(key) {
                if obj.len() != 1 {
                    return Err(bad(path, format!("a group has only the key `{key}`")));
                }
                if depth > MAX_DEPTH {
                    return Err(bad(path, format!("groups nest at most {MAX_DEPTH} deep")));
                }
                let path = format!("{path}.{key}");
                let Some(items) = children.as_array() else {
                    return Err(bad(&path, "a group holds a list of conditions"));
                };
                if items.is_empty() {
                    return Err(bad(&path, "a group needs at least one condition"));
                }
                let mut nodes = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    nodes.push(self.node(item, &format!("{path}[{i}]"), depth + 1)?);
                }
                let nodes = nodes.into_boxed_slice();
                return Ok(if key == "and" {
                    Node::And(nodes)
                } else {
                    Node::Or(nodes)
                });
            }
        }
        self.conditions += 1;
        if self.conditions > MAX_CONDITIONS {
            return Err(bad(
                path,
                format!("a rule has at most {MAX_CONDITIONS} conditions"),
            ));
        }
        self.leaf(obj, path).map(Node::Leaf)
    }

    fn leaf(&mut self, obj: &Map<String, Value>, path: &str) -> AppResult<Leaf> {
        if let Some(name) = obj.get("attribute") {
            only(obj, path, &["attribute", "operator", "value"])?;
            let name = name
                .as_str()
                .ok_or_else(|| bad(&format!("{path}.attribute"), "the attribute is a name"))?;
            let Some(&(id, kind)) = self.catalog.attributes.get(name) else {
                return Err(bad(
                    &format!("{path}.attribute"),
                    format!("unknown attribute {name:?}: no visitor of this site has sent it"),
                ));
            };
            let op = operator(obj, path)?;
            let value = obj.get("value");
            let check = match op {
                "IS_SET" => Check::IsSet,
                "IS_NOT_SET" => Check::IsNotSet,
                _ => Check::Is(match kind {
                    AttrKind::String => AttrTest::Str(str_test(op, value, path, kind, fold)?),
                    AttrKind::Number => AttrTest::Num(num_test(op, value, path, kind)?),
                    AttrKind::Boolean => AttrTest::Bool(match op {
                        "IS_TRUE" => true,
                        "IS_FALSE" => false,
                        _ => return Err(op_error(path, op, kind.as_str(), BOOL_OPS)),
                    }),
                    AttrKind::Date => AttrTest::Time(time_test(op, value, path, kind.as_str())?),
                }),
            };
            return Ok(Leaf::Attr { id, check });
        }
        if let Some(fact) = obj.get("visit") {
            only(obj, path, &["visit", "operator", "value"])?;
            let fact = fact.as_str().unwrap_or_default();
            let op = operator(obj, path)?;
            let value = obj.get("value");
            let presence = |test: &dyn Fn() -> AppResult<StrTest>| -> AppResult<Check<StrTest>> {
                Ok(match op {
                    "IS_SET" => Check::IsSet,
                    "IS_NOT_SET" => Check::IsNotSet,
                    "EQUALS" | "NOT_EQUALS" | "IN" | "NOT_IN" => Check::Is(test()?),
                    _ => return Err(op_error(path, op, "this visit fact", FACT_STR_OPS)),
                })
            };
            return match fact {
                "DEVICE" => Ok(Leaf::Device(presence(&|| {
                    let t = str_test(op, value, path, AttrKind::String, |s| {
                        s.trim().to_ascii_lowercase()
                    })?;
                    each_value(
                        &t,
                        path,
                        |d| crate::domain::visitor::agent::DEVICES.contains(&d),
                        "a device is desktop, mobile or tablet",
                    )?;
                    Ok(t)
                })?)),
                "COUNTRY" => Ok(Leaf::Country(presence(&|| {
                    let t = str_test(op, value, path, AttrKind::String, |s| {
                        s.trim().to_ascii_uppercase()
                    })?;
                    each_value(
                        &t,
                        path,
                        |c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()),
                        "a country is a two-letter ISO 3166 code",
                    )?;
                    Ok(t)
                })?)),
                "FIRST_SEEN" => Ok(Leaf::FirstSeen(time_test(op, value, path, "a visit date")?)),
                "LAST_SEEN" => Ok(Leaf::LastSeen(time_test(op, value, path, "a visit date")?)),
                "SESSIONS" => Ok(Leaf::Sessions(num_test(op, value, path, AttrKind::Number)?)),
                _ => Err(bad(
                    &format!("{path}.visit"),
                    "a visit fact is DEVICE, COUNTRY, FIRST_SEEN, LAST_SEEN or SESSIONS",
                )),
            };
        }
        if let Some(inner) = obj.get("responded") {
            only(obj, path, &["responded"])?;
            let path = format!("{path}.responded");
            let inner = inner.as_object().ok_or_else(|| bad(&path, "an object"))?;
            only(inner, &path, &["survey_id", "within_days"])?;
            let survey_id = self.survey(inner.get("survey_id"), &path)?;
            let within_days = days(
                inner.get("within_days"),
                &format!("{path}.within_days"),
                true,
            )?;
            self.uses_interactions = true;
            return Ok(Leaf::Responded {
                survey_id,
                within_days,
            });
        }
        if let Some(inner) = obj.get("answer") {
            only(obj, path, &["answer"])?;
            let path = format!("{path}.answer");
            let inner = inner.as_object().ok_or_else(|| bad(&path, "an object"))?;
            only(inner, &path, &["question_id", "operator", "value"])?;
            let (question_id, kind, options) = self.question(inner.get("question_id"), &path)?;
            let op = operator(inner, &path)?;
            let value = inner.get("value");
            use QuestionType as Q;
            let test = match (kind, op) {
                (Q::Statement, _) => {
                    return Err(bad(
                        &format!("{path}.question_id"),
                        "a statement has no answers",
                    ))
                }
                (_, "ANSWERED") => AnswerTest::Answered,
                (Q::Nps | Q::Rating, _) => {
                    AnswerTest::Num(num_test(op, value, &path, AttrKind::Number)?)
                }
                (Q::SingleChoice | Q::MultipleChoice, "EQUALS" | "IN") => {
                    let t = str_test(op, value, &path, AttrKind::String, |s| s.to_owned())?;
                    let values: Box<[String]> = match t {
                        StrTest::Eq(v) => Box::new([v]),
                        StrTest::In(v) => v,
                        _ => Box::new([]),
                    };
                    if let Some(v) = values.iter().find(|v| !options.contains(v)) {
                        return Err(bad(
                            &format!("{path}.value"),
                            format!("{v:?} is not an option of question {question_id}"),
                        ));
                    }
                    AnswerTest::Choice(values)
                }
                (Q::SingleChoice | Q::MultipleChoice, _) => {
                    return Err(op_error(
                        &path,
                        op,
                        "a choice question",
                        "EQUALS, IN, ANSWERED",
                    ))
                }
                (Q::ShortText | Q::LongText | Q::Email, "EQUALS") => {
                    AnswerTest::TextEquals(text_value(value, &path)?)
                }
                (Q::ShortText | Q::LongText | Q::Email, "CONTAINS") => {
                    AnswerTest::TextContains(text_value(value, &path)?)
                }
                (Q::ShortText | Q::LongText | Q::Email, _) => {
                    return Err(op_error(
                        &path,
                        op,
                        "a text question",
                        "EQUALS, CONTAINS, ANSWERED",
                    ))
                }
            };
            self.uses_interactions = true;
            self.questions.push(question_id);
            return Ok(Leaf::Answer { question_id, test });
        }
        if let Some(inner) = obj.get("sentiment") {
            only(obj, path, &["sentiment"])?;
            let path = format!("{path}.sentiment");
            let inner = inner.as_object().ok_or_else(|| bad(&path, "an object"))?;
            only(inner, &path, &["question_id", "value"])?;
            let question_id = match inner.get("question_id") {
                None | Some(Value::Null) => None,
                q => {
                    let (id, kind, _) = self.question(q, &path)?;
                    if !kind.is_text() {
                        return Err(bad(
                            &format!("{path}.question_id"),
                            "sentiment is scored on short and long text answers only",
                        ));
                    }
                    self.questions.push(id);
                    Some(id)
                }
            };
            let label = match inner.get("value").and_then(Value::as_str) {
                Some(l) if sentiment::Label::parse(l).is_some() => l.to_owned(),
                _ => {
                    return Err(bad(
                        &format!("{path}.value"),
                        "sentiment is POSITIVE, NEUTRAL or NEGATIVE",
                    ))
                }
            };
            self.uses_interactions = true;
            return Ok(Leaf::Sentiment { question_id, label });
        }
        Err(bad(
            path,
            "a condition has one of the keys attribute, visit, responded, answer, sentiment (or a group: and, or)",
        ))
    }

    fn survey(&self, v: Option<&Value>, path: &str) -> AppResult<Option<i64>> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(v) => match v.as_i64() {
                Some(id) if self.catalog.surveys.contains(&id) => Ok(Some(id)),
                _ => Err(bad(
                    &format!("{path}.survey_id"),
                    "no such survey on this site",
                )),
            },
        }
    }

    fn question(
        &self,
        v: Option<&Value>,
        path: &str,
    ) -> AppResult<(i64, QuestionType, Vec<String>)> {
        let field = format!("{path}.question_id");
        let id = v
            .and_then(Value::as_i64)
            .ok_or_else(|| bad(&field, "a question id is required"))?;
        let (kind, options) = self
            .catalog
            .questions
            .get(&id)
            .ok_or_else(|| bad(&field, "no such question on this site"))?;
        Ok((id, *kind, options.clone()))
    }
}

const STRING_OPS: &str = "EQUALS, NOT_EQUALS, CONTAINS, NOT_CONTAINS, STARTS_WITH, ENDS_WITH, IN, NOT_IN, IS_SET, IS_NOT_SET";
const NUMBER_OPS: &str = "EQ, NEQ, GT, GTE, LT, LTE, BETWEEN, IS_SET, IS_NOT_SET";
const BOOL_OPS: &str = "IS_TRUE, IS_FALSE, IS_SET, IS_NOT_SET";
const DATE_OPS: &str =
    "BEFORE, AFTER, BETWEEN, WITHIN_LAST_DAYS, MORE_THAN_DAYS_AGO, IS_SET, IS_NOT_SET";
const FACT_STR_OPS: &str = "EQUALS, NOT_EQUALS, IN, NOT_IN, IS_SET, IS_NOT_SET";

fn only(obj: &Map<String, Value>, path: &str, keys: &[&str]) -> AppResult<()> {
    match obj.keys().find(|k| !keys.contains(&k.as_str())) {
        Some(k) => Err(bad(&format!("{path}.{k}"), format!("unexpected key {k:?}"))),
        None => Ok(()),
    }
}

fn operator<'a>(obj: &'a Map<String, Value>, path: &str) -> AppResult<&'a str> {
    obj.get("operator")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(&format!("{path}.operator"), "an operator is required"))
}

fn op_error(path: &str, op: &str, what: &str, valid: &str) -> AppError {
    bad(
        &format!("{path}.operator"),
        format!("operator {op:?} does not apply to {what}; use one of {valid}"),
    )
}

fn wrong_value(path: &str, expected: &str) -> AppError {
    bad(
        &format!("{path}.value"),
        format!("the value must be {expected}"),
    )
}

fn text_value(v: Option<&Value>, path: &str) -> AppResult<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= 1000 => Ok(s.clone()),
        _ => Err(wrong_value(path, "a string of 1–1000 characters")),
    }
}

fn str_test(
    op: &str,
    v: Option<&Value>,
    path: &str,
    kind: AttrKind,
    norm: impl Fn(&str) -> String,
) -> AppResult<StrTest> {
    let one = || -> AppResult<String> {
        match v {
            Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= 100 => Ok(norm(s)),
            _ => Err(wrong_value(path, "a string of 1–100 characters")),
        }
    };
    let list = || -> AppResult<Box<[String]>> {
        match v.and_then(Value::as_array) {
            Some(items) if !items.is_empty() && items.len() <= MAX_LIST => items
                .iter()
                .map(|i| match i {
                    Value::String(s) if s.chars().count() <= 100 => Ok(norm(s)),
                    _ => Err(wrong_value(path, "a list of strings")),
                })
                .collect(),
            _ => Err(wrong_value(
                path,
                &format!("a list of 1–{MAX_LIST} strings"),
            )),
        }
    };
    Ok(match op {
        "EQUALS" => StrTest::Eq(one()?),
        "NOT_EQUALS" => StrTest::Ne(one()?),
        "CONTAINS" => StrTest::Contains(one()?),
        "NOT_CONTAINS" => StrTest::NotContains(one()?),
        "STARTS_WITH" => StrTest::StartsWith(one()?),
        "ENDS_WITH" => StrTest::EndsWith(one()?),
        "IN" => StrTest::In(list()?),
        "NOT_IN" => StrTest::NotIn(list()?),
        _ => return Err(op_error(path, op, kind.as_str(), STRING_OPS)),
    })
}

fn each_value(t: &StrTest, path: &str, ok: impl Fn(&str) -> bool, msg: &str) -> AppResult<()> {
    let all: &[String] = match t {
        StrTest::Eq(v) | StrTest::Ne(v) => std::slice::from_ref(v),
        StrTest::In(v) | StrTest::NotIn(v) => v,
        _ => &[],
    };
    if all.iter().all(|v| ok(v)) {
        Ok(())
    } else {
        Err(wrong_value(path, msg))
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64().filter(|n| n.is_finite())
}

fn num_test(op: &str, v: Option<&Value>, path: &str, kind: AttrKind) -> AppResult<NumTest> {
    let one = || {
        v.and_then(number)
            .ok_or_else(|| wrong_value(path, "a number"))
    };
    Ok(match op {
        "EQ" => NumTest::Eq(one()?),
        "NEQ" => NumTest::Ne(one()?),
        "GT" => NumTest::Gt(one()?),
        "GTE" => NumTest::Gte(one()?),
        "LT" => NumTest::Lt(one()?),
        "LTE" => NumTest::Lte(one()?),
        "BETWEEN" => {
            let pair = v.and_then(Value::as_array).filter(|a| a.len() == 2);
            let (lo, hi) = pair
                .and_then(|a| Some((number(&a[0])?, number(&a[1])?)))
                .ok_or_else(|| wrong_value(path, "a list [low, high] of two numbers"))?;
            if lo > hi {
                return Err(wrong_value(path, "[low, high] with low ≤ high"));
            }
            NumTest::Between(lo, hi)
        }
        _ => {
            let what = if kind == AttrKind::Number {
                "NUMBER"
            } else {
                kind.as_str()
            };
            return Err(op_error(path, op, what, NUMBER_OPS));
        }
    })
}

fn days(v: Option<&Value>, path: &str, optional: bool) -> AppResult<Option<i64>> {
    match v {
        None | Some(Value::Null) if optional => Ok(None),
        Some(v) => match v.as_i64() {
            Some(n) if (0..=MAX_DAYS).contains(&n) => Ok(Some(n)),
            _ => Err(bad(
                path,
                format!("a whole number of days from 0 to {MAX_DAYS}"),
            )),
        },
        None => Err(bad(path, "a number of days is required")),
    }
}

fn time_test(op: &str, v: Option<&Value>, path: &str, what: &str) -> AppResult<TimeTest> {
    let one = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .and_then(parse_time)
            .ok_or_else(|| {
                wrong_value(
                    path,
                    "an ISO 8601 date (2025-01-31) or date-time (2025-01-31T09:00:00Z)",
                )
            })
    };
    let next_day = |t: DateTime<Utc>| t.checked_add_days(Days::new(1)).unwrap_or(t);
    Ok(match op {
        // A date alone covers its whole day: BEFORE it means before it starts, AFTER it
        // means after it ends.
        "BEFORE" => {
            let (t, _) = one(v)?;
            TimeTest::Range {
                lo: None,
                hi: Some((t, false)),
            }
        }
        "AFTER" => match one(v)? {
            (t, true) => TimeTest::Range {
                lo: Some((next_day(t), true)),
                hi: None,
            },
            (t, false) => TimeTest::Range {
                lo: Some((t, false)),
                hi: None,
            },
        },
        "BETWEEN" => {
            let pair = v
                .and_then(Value::as_array)
                .filter(|a| a.len() == 2)
                .ok_or_else(|| {
                    wrong_value(
                        path,
                        "a list [from, to] of two ISO 8601 dates or date-times",
                    )
                })?;
            let (lo, _) = one(pair.first())?;
            let hi = match one(pair.get(1))? {
                (t, true) => (next_day(t), false),
                (t, false) => (t, true),
            };
            if lo > hi.0 {
                return Err(wrong_value(path, "[from, to] with from ≤ to"));
            }
            TimeTest::Range {
                lo: Some((lo, true)),
                hi: Some(hi),
            }
        }
        "WITHIN_LAST_DAYS" => {
            TimeTest::WithinLastDays(days(v, &format!("{path}.value"), false)?.unwrap_or(0))
        }
        "MORE_THAN_DAYS_AGO" => {
            TimeTest::MoreThanDaysAgo(days(v, &format!("{path}.value"), false)?.unwrap_or(0))
        }
        _ => return Err(op_error(path, op, what, DATE_OPS)),
    })
}
