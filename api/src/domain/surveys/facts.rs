//! A response's summary facts (`response.facts`): the items it counts for in a survey
//! summary, as a JSON array of strings in byte order. The SQL definition
//! ([`migration::facts_update_sql`]) recomputes them from the stored answers, choices,
//! labels and tags; [`of_answers`] builds the same items for a response being written,
//! before it has rows to read them from.
//!
//! Items: `a:<q>` (a non-number answer) or `a:<q>:<n>`, `o:<q>` ("other" text),
//! `s:<q>:<label>`, `c:<q>:<choice>`, `t:<tag>`.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::answers::{AnswerValue, CheckedAnswer};
use crate::error::{AppError, AppResult};

/// One parsed item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    Answer(i64, Option<i32>),
    Other(i64),
    Label(i64, &'a str),
    Choice(i64, &'a str),
    Tag(&'a str),
}

impl<'a> Item<'a> {
    /// `None` for an item this version does not know (it is then not counted).
    pub fn parse(item: &'a str) -> Option<Item<'a>> {
        let (kind, rest) = item.split_once(':')?;
        if kind == "t" {
            return Some(Item::Tag(rest));
        }
        let (q, value) = match rest.split_once(':') {
            Some((q, v)) => (q, Some(v)),
            None => (rest, None),
        };
        let q: i64 = q.parse().ok()?;
        Some(match (kind, value) {
            ("a", None) => Item::Answer(q, None),
            ("a", Some(n)) => Item::Answer(q, Some(n.parse().ok()?)),
            ("o", None) => Item::Other(q),
            ("s", Some(label)) => Item::Label(q, label),
            ("c", Some(choice)) => Item::Choice(q, choice),
            _ => return None,
        })
    }
}

/// The facts of a new response with these answers (no labels or tags yet).
pub fn of_answers(answers: &[CheckedAnswer]) -> String {
    let mut items: Vec<String> = Vec::with_capacity(answers.len() + 2);
    for a in answers {
        let q = a.question_id;
        match &a.value {
            AnswerValue::Text(_) => items.push(format!("a:{q}")),
            AnswerValue::Number(n) => items.push(format!("a:{q}:{n}")),
            AnswerValue::Choices { selected, other } => {
                items.push(format!("a:{q}"));
                if other.is_some() {
                    items.push(format!("o:{q}"));
                }
                items.extend(selected.iter().map(|c| format!("c:{q}:{c}")));
            }
        }
    }
    items.sort_unstable();
    // A Vec<String> always serializes.
    serde_json::to_string(&items).unwrap_or_else(|_| "[]".to_owned())
}

/// Recomputes the facts of these responses from their stored rows; call it in the
/// transaction that changed their answers, labels or tags.
pub async fn refresh(db: &impl ConnectionTrait, response_ids: &[i64]) -> AppResult<()> {
    let backend = db.get_database_backend();
    let mut ids = response_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(500) {
        // Ids are integers: inlined, so one statement serves both placeholder styles.
        let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let list = list.join(",");
        if backend == DbBackend::Postgres {
            // Lock the rows first, in id order: a concurrent writer of the same response
            // (two workers labelling its two answers) commits before the UPDATE below
            // takes its snapshot, so the facts it computes include that writer's change.
            db.execute(Statement::from_string(
                backend,
                format!("SELECT id FROM response WHERE id IN ({list}) ORDER BY id FOR UPDATE"),
            ))
            .await
            .map_err(AppError::from)?;
        }
        let sql = migration::facts_update_sql(backend, &format!("id IN ({list})"));
        db.execute(Statement::from_string(backend, sql))
            .await
            .map_err(AppError::from)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_parse() {
        assert_eq!(Item::parse("a:12"), Some(Item::Answer(12, None)));
        assert_eq!(Item::parse("a:12:-3"), Some(Item::Answer(12, Some(-3))));
        assert_eq!(Item::parse("o:7"), Some(Item::Other(7)));
        assert_eq!(
            Item::parse("s:7:POSITIVE"),
            Some(Item::Label(7, "POSITIVE"))
        );
        assert_eq!(Item::parse("c:7:a:b"), Some(Item::Choice(7, "a:b")));
        assert_eq!(Item::parse("t:vip:x"), Some(Item::Tag("vip:x")));
        assert_eq!(Item::parse("c:7:"), Some(Item::Choice(7, "")));
        for bad in ["", "a", "a:x", "a:1:x", "o:1:2", "s:1", "z:1", "c:1"] {
            assert_eq!(Item::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn new_response_items_are_sorted() {
        let answers = vec![
            CheckedAnswer {
                question_id: 20,
                value: AnswerValue::Choices {
                    selected: vec!["Team".into(), "Pro, \"x\"".into()],
                    other: Some("mine".into()),
                },
                comment: None,
            },
            CheckedAnswer {
                question_id: 3,
                value: AnswerValue::Number(10),
                comment: None,
            },
            CheckedAnswer {
                question_id: 4,
                value: AnswerValue::Text("hi".into()),
                comment: None,
            },
        ];
        assert_eq!(
            of_answers(&answers),
            r#"["a:20","a:3:10","a:4","c:20:Pro, \"x\"","c:20:Team","o:20"]"#
        );
    }
}
