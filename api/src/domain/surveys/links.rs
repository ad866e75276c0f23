//! Link surveys: a survey with distribution `LINK` is answered on Loupe's own page at
//! `/s/{token}`, with an unguessable token, answers prefilled from the URL and hidden
//! fields recorded with the response.

use std::collections::BTreeMap;

use base64::Engine;
use entity::survey::{self, Distribution, Status};
use rand::RngCore;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::domain::validation;
use crate::error::{AppError, AppResult};

pub const MAX_HIDDEN_FIELDS: usize = 20;
pub const MAX_HIDDEN_NAME_CHARS: usize = 50;
pub const MAX_HIDDEN_VALUE_CHARS: usize = 500;
/// 128 random bits, base64url: 22 characters.
const TOKEN_BYTES: usize = 16;
const TOKEN_CHARS: usize = 22;

pub fn new_token() -> String {
    let mut buf = [0u8; TOKEN_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

fn plausible_token(token: &str) -> bool {
    token.len() == TOKEN_CHARS
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks the hidden-field names an author declares: at most 20, each 1–50 letters,
/// digits, `_` or `-`, no repeats.
pub fn hidden_field_names(names: &[String]) -> AppResult<Vec<String>> {
    if names.len() > MAX_HIDDEN_FIELDS {
        return Err(AppError::bad_input(
            "hiddenFields",
            format!("at most {MAX_HIDDEN_FIELDS} hidden fields"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        let n = n.trim();
        let ok = (1..=MAX_HIDDEN_NAME_CHARS).contains(&n.len())
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok {
            return Err(AppError::bad_input(
                format!("hiddenFields[{i}]"),
                format!(
                    "a hidden field name is 1–{MAX_HIDDEN_NAME_CHARS} letters, digits, '_' or '-'"
                ),
            ));
        }
        if out.iter().any(|o| o == n) {
            return Err(AppError::bad_input(
                format!("hiddenFields[{i}]"),
                format!("{n:?} is listed twice"),
            ));
        }
        out.push(n.to_owned());
    }
    Ok(out)
}

pub fn declared_hidden_fields(survey: &survey::Model) -> Vec<String> {
    serde_json::from_str(&survey.hidden_fields).unwrap_or_default()
}

/// The hidden-field values of a submission, as JSON to store: only the survey's declared
/// names, string values of at most 500 characters; anything else is refused.
pub fn hidden_values(survey: &survey::Model, given: &Value) -> AppResult<Option<String>> {
    let map = match given {
        Value::Null => return Ok(None),
        Value::Object(m) => m,
        _ => {
            return Err(AppError::bad_input(
                "hidden",
                "hidden is an object of field name → text",
            ))
        }
    };
    let declared = declared_hidden_fields(survey);
    let mut out = BTreeMap::new();
    for (name, v) in map {
        let field = format!("hidden.{name}");
        if !declared.iter().any(|d| d == name) {
            return Err(AppError::bad_input(
                field,
                format!("{name:?} is not a hidden field of this survey"),
            ));
        }
        let text = match v {
            Value::String(s) => s.trim(),
            Value::Null => continue,
            _ => return Err(AppError::bad_input(field, "a hidden field's value is text")),
        };
        validation::text(&field, text)?;
        if text.chars().count() > MAX_HIDDEN_VALUE_CHARS {
            return Err(AppError::bad_input(
                field,
                format!("at most {MAX_HIDDEN_VALUE_CHARS} characters"),
            ));
        }
        out.insert(name.clone(), text.to_owned());
    }
    if out.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(&out)
        .map(Some)
        .map_err(AppError::internal)
}

/// The link survey behind a token, if it is open for answers. A token of the wrong shape,
/// an unknown or rotated token, a survey no longer distributed by link or not `ACTIVE`:
/// not found, all alike.
pub async fn open_survey(db: &impl ConnectionTrait, token: &str) -> AppResult<survey::Model> {
    if !plausible_token(token) {
        return Err(AppError::NotFound);
    }
    survey::Entity::find()
        .filter(survey::Column::LinkToken.eq(token))
        .filter(survey::Column::Distribution.eq(Distribution::Link))
        .filter(survey::Column::Status.eq(Status::Active))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t = new_token();
        assert!(plausible_token(&t), "{t}");
        assert_ne!(t, new_token());
        assert!(!plausible_token("short"));
        assert!(!plausible_token("aaaaaaaaaaaaaaaaaaaaa/"));
    }

    #[test]
    fn names() {
        assert!(hidden_field_names(&["plan".into(), "utm_source".into()]).is_ok());
        assert!(hidden_field_names(&["a b".into()]).is_err());
        assert!(hidden_field_names(&["x".into(), "x".into()]).is_err());
    }
}
