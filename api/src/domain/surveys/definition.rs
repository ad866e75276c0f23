//! What a survey asks: questions by type, their settings, and their logic. Pure rules,
//! shared by GraphQL authoring, the public endpoints and stored-definition loading.

use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

pub const MAX_QUESTIONS: usize = 100;
pub const MAX_OPTIONS: usize = 50;
pub const MAX_PROMPT_CHARS: usize = 1000;
pub const MAX_OPTION_CHARS: usize = 200;
pub const MAX_RULES_PER_QUESTION: usize = 20;
pub const MAX_KEY_CHARS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuestionType {
    ShortText,
    LongText,
    SingleChoice,
    MultipleChoice,
    Nps,
    Rating,
    Email,
    Statement,
}

impl QuestionType {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::ShortText => "SHORT_TEXT",
            QuestionType::LongText => "LONG_TEXT",
            QuestionType::SingleChoice => "SINGLE_CHOICE",
            QuestionType::MultipleChoice => "MULTIPLE_CHOICE",
            QuestionType::Nps => "NPS",
            QuestionType::Rating => "RATING",
            QuestionType::Email => "EMAIL",
            QuestionType::Statement => "STATEMENT",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }

    pub fn is_text(self) -> bool {
        matches!(self, QuestionType::ShortText | QuestionType::LongText)
    }

    pub fn is_choice(self) -> bool {
        matches!(
            self,
            QuestionType::SingleChoice | QuestionType::MultipleChoice
        )
    }

    pub fn is_scale(self) -> bool {
        matches!(self, QuestionType::Nps | QuestionType::Rating)
    }

    /// Longest accepted text answer.
    pub fn max_text_chars(self) -> usize {
        match self {
            QuestionType::LongText => 5000,
            QuestionType::Email => 254,
            _ => 500,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Operator {
    Equals,
    OneOf,
    Contains,
    LessThan,
    GreaterThan,
    Answered,
    Skipped,
    Always,
}

/// "If the answer matches `condition`, go to `go_to` (a question key) or end."
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogicRule {
    pub operator: Operator,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    /// Key of a later question; `None` ends the survey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub go_to: Option<String>,
}

/// Per-type settings, stored as JSON beside the question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_other: bool,
    /// RATING: 5 or 7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_max: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_label: Option<String>,
    /// RATING: STARS, EMOJI or NUMBERS; choices: LIST or DROPDOWN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_style: Option<String>,
}

/// A question as authored; `key` is unique within its survey and names it in logic.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionDef {
    pub key: String,
    pub kind: QuestionType,
    pub prompt: String,
    pub required: bool,
    pub config: QuestionConfig,
    pub logic: Vec<LogicRule>,
}

impl QuestionDef {
    /// Lowest and highest accepted number for NPS and RATING.
    pub fn scale(&self) -> Option<(i32, i32)> {
        match self.kind {
            QuestionType::Nps => Some((0, 10)),
            QuestionType::Rating => Some((1, self.config.scale_max.unwrap_or(5))),
            _ => None,
        }
    }
}

fn bad(field: String, message: impl Into<String>) -> AppError {
    AppError::BadInput {
        field: Some(field),
        message: message.into(),
    }
}

fn text(field: &str, value: &str, max: usize) -> AppResult<String> {
    super::super::validation::name(field, value, max)
}

/// Checks a whole survey definition and normalises it (trimmed texts, default keys,
/// per-type settings cleared where they do not apply).
pub fn validate(mut questions: Vec<QuestionDef>) -> AppResult<Vec<QuestionDef>> {
    if questions.len() > MAX_QUESTIONS {
        return Err(bad(
            "questions".into(),
            format!("at most {MAX_QUESTIONS} questions"),
        ));
    }
    for (i, q) in questions.iter_mut().enumerate() {
        if q.key.trim().is_empty() {
            q.key = format!("q{}", i + 1);
        }
    }
    let keys: Vec<String> = questions.iter().map(|q| q.key.trim().to_owned()).collect();
    for (i, q) in questions.iter_mut().enumerate() {
        let at = |f: &str| format!("questions[{i}].{f}");
        q.key = q.key.trim().to_owned();
        if q.key.chars().count() > MAX_KEY_CHARS
            || !q
                .key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(bad(
                at("key"),
                format!("key must be 1–{MAX_KEY_CHARS} letters, digits, '_' or '-'"),
            ));
        }
        if keys[..i].contains(&q.key) {
            return Err(bad(at("key"), format!("key {:?} is used twice", q.key)));
        }
        q.prompt = text(&at("prompt"), &q.prompt, MAX_PROMPT_CHARS)?;
        let c = &mut q.config;
        if q.kind.is_choice() {
            if c.options.is_empty() || c.options.len() > MAX_OPTIONS {
                return Err(bad(
                    at("options"),
                    format!("a choice question needs 1–{MAX_OPTIONS} options"),
                ));
            }
            let mut seen: Vec<String> = Vec::new();
            for (j, o) in c.options.iter().enumerate() {
                let o = text(&format!("questions[{i}].options[{j}]"), o, MAX_OPTION_CHARS)?;
                if seen.contains(&o) {
                    return Err(bad(at("options"), format!("option {o:?} is listed twice")));
                }
                seen.push(o);
            }
            c.options = seen;
        } else if !c.options.is_empty() || c.allow_other {
            return Err(bad(
                at("options"),
                format!("{} questions take no options", q.kind.as_str()),
            ));
        }
        match q.kind {
            QuestionType::Rating => {
                let max = c.scale_max.unwrap_or(5);
                if max != 5 && max != 7 {
                    return Err(bad(
                        at("scaleMax"),
                        "a rating goes from 1 to 5 or from 1 to 7",
                    ));
                }
                c.scale_max = Some(max);
                if let Some(style) = &c.display_style {
                    if !["STARS", "EMOJI", "NUMBERS"].contains(&style.as_str()) {
                        return Err(bad(
                            at("displayStyle"),
                            "rating style is STARS, EMOJI or NUMBERS",
                        ));
                    }
                }
            }
            _ if c.scale_max.is_some() => {
                return Err(bad(
                    at("scaleMax"),
                    "only RATING questions have a scale maximum",
                ));
            }
            _ => {}
        }
        if q.kind.is_choice() {
            if let Some(style) = &c.display_style {
                if !["LIST", "DROPDOWN"].contains(&style.as_str()) {
                    return Err(bad(at("displayStyle"), "choice style is LIST or DROPDOWN"));
                }
            }
        } else if q.kind != QuestionType::Rating && c.display_style.is_some() {
            return Err(bad(
                at("displayStyle"),
                format!("{} questions have no display style", q.kind.as_str()),
            ));
        }
        for (label, value) in [
            ("lowLabel", &mut c.low_label),
            ("highLabel", &mut c.high_label),
        ] {
            if let Some(v) = value {
                if !q.kind.is_scale() {
                    return Err(bad(
                        at(label),
                        "only NPS and RATING questions have scale labels",
                    ));
                }
                *v = text(&at(label), v, MAX_OPTION_CHARS)?;
            }
        }
        if q.kind == QuestionType::Statement && q.required {
            q.required = false; // nothing to answer
        }
        if q.logic.len() > MAX_RULES_PER_QUESTION {
            return Err(bad(
                at("logic"),
                format!("at most {MAX_RULES_PER_QUESTION} rules per question"),
            ));
        }
        for (r, rule) in q.logic.iter().enumerate() {
            validate_rule(q, rule, &keys, i)
                .map_err(|m| bad(format!("questions[{i}].logic[{r}]"), m))?;
        }
    }
    Ok(questions)
}

fn validate_rule(
    q: &QuestionDef,
    rule: &LogicRule,
    keys: &[String],
    index: usize,
) -> Result<(), String> {
    use Operator::*;
    let kind = q.kind;
    let fits = match rule.operator {
        Always => true,
        Answered | Skipped => kind != QuestionType::Statement,
        Equals => {
            kind.is_text() || kind.is_choice() || kind.is_scale() || kind == QuestionType::Email
        }
        OneOf => kind.is_choice() || kind.is_scale(),
        Contains => kind.is_text() || kind == QuestionType::Email,
        LessThan | GreaterThan => kind.is_scale(),
    };
    if !fits {
        return Err(format!(
            "{:?} does not apply to {} questions",
            rule.operator,
            kind.as_str()
        ));
    }
    match rule.operator {
        Equals if kind.is_scale() => {
            rule.number.ok_or("EQUALS on a scale needs `number`")?;
        }
        Equals | Contains => {
            let v = rule
                .value
                .as_deref()
                .filter(|v| !v.trim().is_empty())
                .ok_or("this condition needs `value`")?;
            if kind.is_choice() && !q.config.options.iter().any(|o| o == v.trim()) {
                return Err(format!("{v:?} is not one of the question's options"));
            }
        }
        OneOf if kind.is_choice() => {
            if rule.values.is_empty() {
                return Err("ONE_OF needs `values`".into());
            }
            if let Some(v) = rule
                .values
                .iter()
                .find(|v| !q.config.options.iter().any(|o| o == v.trim()))
            {
                return Err(format!("{v:?} is not one of the question's options"));
            }
        }
        OneOf
            if rule.values.is_empty()
                || rule.values.iter().any(|v| v.trim().parse::<f64>().is_err()) =>
        {
            return Err("ONE_OF on a scale needs numeric `values`".into());
        }
        LessThan | GreaterThan => {
            rule.number.ok_or("this condition needs `number`")?;
        }
        _ => {}
    }
    if let Some(target) = &rule.go_to {
        match keys.iter().position(|k| k == target.trim()) {
            Some(t) if t > index => {}
            Some(_) => {
                return Err(format!(
                    "logic may only jump forward; {target:?} is not after this question"
                ))
            }
            None => return Err(format!("no question has key {target:?}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(kind: QuestionType) -> QuestionDef {
        let mut config = QuestionConfig::default();
        if kind.is_choice() {
            config.options = vec!["A".into(), "B".into()];
        }
        QuestionDef {
            key: String::new(),
            kind,
            prompt: "Why?".into(),
            required: false,
            config,
            logic: vec![],
        }
    }

    fn field_of(err: AppError) -> String {
        match err {
            AppError::BadInput { field, .. } => field.unwrap_or_default(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn normalises_keys_and_settings() {
        let mut rating = def(QuestionType::Rating);
        rating.config.display_style = Some("STARS".into());
        let mut statement = def(QuestionType::Statement);
        statement.required = true;
        let out = validate(vec![def(QuestionType::Nps), rating, statement]).expect("valid");
        assert_eq!(
            out.iter().map(|q| q.key.as_str()).collect::<Vec<_>>(),
            ["q1", "q2", "q3"]
        );
        assert_eq!(out[1].config.scale_max, Some(5));
        assert!(!out[2].required, "statements are never required");
    }

    #[test]
    fn rejects_bad_definitions_naming_the_field() {
        let mut no_options = def(QuestionType::SingleChoice);
        no_options.config.options.clear();
        let mut dup = def(QuestionType::MultipleChoice);
        dup.config.options = vec!["A".into(), " A".into()];
        let mut options_on_text = def(QuestionType::ShortText);
        options_on_text.config.options = vec!["A".into()];
        let mut rating9 = def(QuestionType::Rating);
        rating9.config.scale_max = Some(9);
        let mut scale_on_nps = def(QuestionType::Nps);
        scale_on_nps.config.scale_max = Some(5);
        let mut labels_on_text = def(QuestionType::ShortText);
        labels_on_text.config.low_label = Some("low".into());
        let mut blank = def(QuestionType::Nps);
        blank.prompt = " ".into();
        let cases: Vec<(Vec<QuestionDef>, &str)> = vec![
            (vec![no_options], "questions[0].options"),
            (vec![dup], "questions[0].options"),
            (vec![options_on_text], "questions[0].options"),
            (vec![rating9], "questions[0].scaleMax"),
            (vec![scale_on_nps], "questions[0].scaleMax"),
            (vec![labels_on_text], "questions[0].lowLabel"),
            (vec![def(QuestionType::Nps), blank], "questions[1].prompt"),
        ];
        for (questions, field) in cases {
            assert_eq!(field_of(validate(questions).expect_err(field)), field);
        }
    }

    #[test]
    fn logic_must_fit_the_type_and_jump_forward() {
        let rule = |operator, go_to: Option<&str>| LogicRule {
            operator,
            value: None,
            values: vec![],
            number: Some(6.0),
            go_to: go_to.map(str::to_owned),
        };
        let with = |kind, r: LogicRule| {
            let mut first = def(kind);
            first.key = "a".into();
            first.logic = vec![r];
            let mut second = def(QuestionType::ShortText);
            second.key = "b".into();
            validate(vec![first, second])
        };
        assert!(with(QuestionType::Nps, rule(Operator::LessThan, Some("b"))).is_ok());
        assert!(with(QuestionType::Nps, rule(Operator::Always, None)).is_ok());
        assert_eq!(
            field_of(
                with(QuestionType::ShortText, rule(Operator::LessThan, Some("b")))
                    .expect_err("type")
            ),
            "questions[0].logic[0]"
        );
        assert!(
            with(QuestionType::Nps, rule(Operator::LessThan, Some("a"))).is_err(),
            "backwards"
        );
        assert!(
            with(QuestionType::Nps, rule(Operator::LessThan, Some("zzz"))).is_err(),
            "unknown key"
        );
        let choice_rule = LogicRule {
            operator: Operator::Equals,
            value: Some("C".into()),
            values: vec![],
            number: None,
            go_to: None,
        };
        assert!(
            with(QuestionType::SingleChoice, choice_rule).is_err(),
            "option not offered"
        );
        assert!(with(QuestionType::Statement, rule(Operator::Answered, None)).is_err());
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let mut a = def(QuestionType::Nps);
        a.key = "x".into();
        let mut b = def(QuestionType::Nps);
        b.key = "x".into();
        assert_eq!(
            field_of(validate(vec![a, b]).expect_err("dup")),
            "questions[1].key"
        );
    }
}
