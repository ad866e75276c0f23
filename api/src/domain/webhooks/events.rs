//! The events a site's endpoints may subscribe to, and the shapes of their bodies.

use entity::webhook_endpoint;

/// The events an endpoint may subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    ResponseCreated,
    ResponseCompleted,
    SentimentScored,
    RecordingStarted,
    Test,
}

impl EventType {
    pub const ALL: [EventType; 5] = [
        EventType::ResponseCreated,
        EventType::ResponseCompleted,
        EventType::SentimentScored,
        EventType::RecordingStarted,
        EventType::Test,
    ];

    /// The events about a response.
    pub const RESPONSE: [EventType; 3] = [
        EventType::ResponseCreated,
        EventType::ResponseCompleted,
        EventType::SentimentScored,
    ];

    /// The name in payloads (`type`) and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ResponseCreated => "survey_response.created",
            EventType::ResponseCompleted => "survey_response.completed",
            EventType::SentimentScored => "survey_response.sentiment_scored",
            EventType::RecordingStarted => "recording.started",
            EventType::Test => "test",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// The body's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{"type", "timestamp", "data"}` per Standard Webhooks.
    Standard,
    /// A Slack incoming-webhook message (`{"text", "blocks"}`) for response events.
    Slack,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Standard => "STANDARD",
            Format::Slack => "SLACK",
        }
    }

    pub fn of(e: &webhook_endpoint::Model) -> Format {
        if e.format == "SLACK" {
            Format::Slack
        } else {
            Format::Standard
        }
    }
}

/// The events an endpoint is subscribed to.
pub fn events_of(e: &webhook_endpoint::Model) -> Vec<EventType> {
    serde_json::from_str::<Vec<String>>(&e.events)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| EventType::parse(s))
        .collect()
}

/// Something that happened on a site, for the outbox.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    pub site_id: i64,
    pub kind: EventType,
    /// The response or recording.
    pub subject_id: i64,
}
