//! A survey's summary, its responses and its export address: the survey's computed fields.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, Result, SimpleObject};

use super::node::question;
use super::{Question, ResponseFilterInput, Survey};
use crate::domain::surveys::store::{self};
use crate::domain::surveys::summary::{self, ResponseFilter};
use crate::error::AppError;
use crate::graphql::loaders::{QuestionsOfSurvey, ResponseCountsOfSurvey};

#[derive(SimpleObject)]
pub struct ChoiceCount {
    pub choice: String,
    pub count: u64,
}

#[derive(SimpleObject)]
pub struct ValueCount {
    pub value: i32,
    pub count: u64,
}

/// Net Promoter Score: % promoters (9–10) − % detractors (0–6).
#[derive(SimpleObject)]
pub struct NpsSummary {
    /// −100 to 100; null without answers.
    pub score: Option<f64>,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

#[derive(SimpleObject)]
pub struct QuestionSummary {
    pub question: Question,
    pub answered: u64,
    /// Responses in the filter without an answer to this question.
    pub skipped: u64,
    /// Every option with its count, in option order (choice questions).
    pub choices: Vec<ChoiceCount>,
    /// Answers with "other" text (choice questions).
    pub other: u64,
    /// Count per scale value, every value included (NPS, RATING).
    pub distribution: Vec<ValueCount>,
    pub average: Option<f64>,
    pub nps: Option<NpsSummary>,
    /// Text answers received (SHORT_TEXT, LONG_TEXT, EMAIL); null for other types.
    pub text_answers: Option<u64>,
    /// Sentiment of the answers (SHORT_TEXT, LONG_TEXT); null for other types.
    pub sentiment: Option<SentimentSummary>,
}

/// Scored answers by label, and the text answers without a score (answered before
/// sentiment was enabled, empty, or still queued).
#[derive(SimpleObject)]
pub struct SentimentSummary {
    pub positive: u64,
    pub neutral: u64,
    pub negative: u64,
    pub unscored: u64,
}

impl From<summary::SentimentCounts> for SentimentSummary {
    fn from(c: summary::SentimentCounts) -> Self {
        SentimentSummary {
            positive: c.positive,
            neutral: c.neutral,
            negative: c.negative,
            unscored: c.unscored,
        }
    }
}

/// How many of the filtered responses carry a tag.
#[derive(SimpleObject)]
pub struct TagCount {
    pub tag: String,
    pub count: u64,
}

#[derive(SimpleObject)]
pub struct SurveySummary {
    pub responses: u64,
    pub complete: u64,
    pub questions: Vec<QuestionSummary>,
    /// The distribution over every text question of the survey.
    pub sentiment: SentimentSummary,
    /// Responses per tag, most used first.
    pub tags: Vec<TagCount>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

#[async_graphql::ComplexObject]
impl Survey {
    /// Where to download every response (streamed by the REST API with a bearer token).
    /// Plan SCALE, like the export itself.
    async fn export_url(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "ExportFormat::Csv")] format: ExportFormat,
    ) -> Result<String> {
        crate::domain::surveys::export::allowed(&crate::graphql::principal(ctx)?.org)?;
        let format = match format {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
        };
        Ok(format!(
            "/v1/sites/{}/surveys/{}/responses/export?format={format}",
            self.site_id.as_str(),
            self.raw_id
        ))
    }

    /// How many responses the survey has (partial ones included); one grouped query for a
    /// whole list of surveys.
    async fn response_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.counts(ctx).await?.0)
    }

    /// How many of its responses are complete.
    async fn complete_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.counts(ctx).await?.1)
    }

    /// Per-question numbers over the responses the filter keeps, computed in the database.
    async fn summary(
        &self,
        ctx: &Context<'_>,
        filter: Option<ResponseFilterInput>,
    ) -> Result<SurveySummary> {
        let principal = crate::graphql::principal(ctx)?;
        if principal.org_id() != self.organization_id {
            return Err(AppError::NotFound.into());
        }
        let db = crate::graphql::db(ctx);
        let questions = ctx
            .data_unchecked::<DataLoader<QuestionsOfSurvey>>()
            .load_one(self.raw_id)
            .await?
            .unwrap_or_default()
            .iter()
            .map(store::to_question)
            .collect::<Result<Vec<_>, AppError>>()?;
        let filter: ResponseFilter = filter.unwrap_or_default().try_into()?;
        let s = summary::compute(db, self.raw_id, questions, &filter).await?;
        Ok(SurveySummary {
            tags: s
                .tags
                .into_iter()
                .map(|(tag, count)| TagCount { tag, count })
                .collect(),
            sentiment: s.sentiment.into(),
            responses: s.responses,
            complete: s.complete,
            questions: s
                .questions
                .into_iter()
                .enumerate()
                .map(|(i, q)| QuestionSummary {
                    question: question(q.question, i),
                    answered: q.answered,
                    skipped: q.skipped,
                    choices: q
                        .choices
                        .into_iter()
                        .map(|(choice, count)| ChoiceCount { choice, count })
                        .collect(),
                    other: q.other,
                    distribution: q
                        .distribution
                        .into_iter()
                        .map(|(value, count)| ValueCount { value, count })
                        .collect(),
                    average: q.average,
                    text_answers: q.text_answers,
                    sentiment: q.sentiment.map(Into::into),
                    nps: q.nps.map(|n| NpsSummary {
                        score: n.score,
                        promoters: n.promoters,
                        passives: n.passives,
                        detractors: n.detractors,
                    }),
                })
                .collect(),
        })
    }
}

impl Survey {
    async fn counts(&self, ctx: &Context<'_>) -> Result<(i64, i64)> {
        Ok(ctx
            .data_unchecked::<DataLoader<ResponseCountsOfSurvey>>()
            .load_one(self.raw_id)
            .await?
            .unwrap_or((0, 0)))
    }
}
