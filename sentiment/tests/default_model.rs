//! The default model (scripts/setup assembles it in .cache/sentiment-model).
#![allow(clippy::expect_used)] // tests: a failed expectation is the report

use sentiment::{Label, Model, Score};

fn model() -> Model {
    match Model::load_default() {
        Ok(model) => model,
        Err(e) => panic!("{e:#}\n(run scripts/setup first)"),
    }
}

fn score(model: &Model, text: &str) -> Score {
    let mut scores = model.score_batch(&[text]).expect("scoring one text");
    assert_eq!(scores.len(), 1);
    scores.remove(0)
}

#[test]
fn clear_answers_get_the_expected_label() {
    let model = model();
    let cases = [
        ("I love this product, it works perfectly!", Label::Positive),
        (
            "Great support, they fixed my problem in minutes. Thank you!",
            Label::Positive,
        ),
        ("This is terrible, I want a refund.", Label::Negative),
        (
            "The app keeps crashing and nobody answers my emails.",
            Label::Negative,
        ),
        (
            "The meeting is scheduled for Tuesday at 3pm.",
            Label::Neutral,
        ),
        ("I found it through a friend.", Label::Neutral),
    ];
    let texts: Vec<&str> = cases.iter().map(|(t, _)| *t).collect();
    let scores = model.score_batch(&texts).expect("scoring");
    for ((text, expected), got) in cases.iter().zip(&scores) {
        assert_eq!(got.label, *expected, "{text:?} scored {got:?}");
        assert!(
            got.score > 1.0 / 3.0 && got.score <= 1.0,
            "{text:?} scored {got:?}"
        );
    }
}

#[test]
fn batched_scores_equal_one_at_a_time_scores() {
    let model = model();
    let long = "The onboarding was long and some steps were unclear, but support answered quickly \
                and in the end everything worked as described, which I appreciated. "
        .repeat(12);
    let texts = [
        "ok",
        "Love it!",
        long.as_str(),
        "Too slow.",
        "The new dashboard is much easier to read than the old one, thanks.",
        "",
        "Meh",
        "I waited two weeks for a reply and the problem is still not fixed, very disappointing.",
    ];
    let batched = model.score_batch(&texts).expect("scoring the batch");
    assert_eq!(batched.len(), texts.len());
    for (text, together) in texts.iter().zip(&batched) {
        let alone = score(&model, text);
        assert_eq!(alone.label, together.label, "{text:?}");
        assert!(
            (alone.score - together.score).abs() < 1e-4,
            "{text:?}: alone {alone:?}, in a batch {together:?}"
        );
    }
}

/// Texts within a few word pieces of each other share one forward pass (padding under 10%),
/// so the shorter ones really are padded: only the attention mask keeps their scores as alone.
#[test]
fn padded_texts_in_one_pass_score_as_alone() {
    let model = model();
    let texts = [
        "The checkout was quick and the delivery arrived a day early, great",
        "The checkout was quick and the delivery arrived a day early, really great",
        "The checkout was quick and the delivery arrived a day early, really really great",
        "The checkout was slow and the delivery arrived a week late, bad",
        "The checkout was slow and the delivery arrived a week late, very bad",
        "The checkout was slow and the delivery arrived a week late, very very bad",
        "The checkout was fine and the delivery arrived on the day promised",
        "The checkout was fine and the delivery arrived on the day promised, ok",
        "The checkout was fine and the delivery arrived on the day that was promised",
        "Support was friendly and fixed my billing problem within an hour, thanks",
    ];
    let lens: Vec<usize> = texts
        .iter()
        .map(|t| t.split(|c: char| c.is_whitespace() || c == ',').count())
        .collect();
    assert!(
        lens.iter().max() > lens.iter().min(),
        "the texts must differ in length so that some are padded"
    );
    let batched = model.score_batch(&texts).expect("scoring the batch");
    for (text, together) in texts.iter().zip(&batched) {
        let alone = score(&model, text);
        assert_eq!(alone.label, together.label, "{text:?}");
        assert!(
            (alone.score - together.score).abs() < 1e-4,
            "{text:?}: alone {alone:?}, padded in a batch {together:?}"
        );
    }
}

#[test]
fn more_texts_than_a_batch_come_back_in_order() {
    let model = model();
    let texts: Vec<String> = (0..sentiment::MAX_BATCH * 2 + 5)
        .map(|i| {
            if i % 2 == 0 {
                format!("I love it, great work{}", "!".repeat(i % 3))
            } else {
                format!(
                    "Answer {i}: awful, it broke again and I lost my data {}",
                    "again ".repeat(i)
                )
            }
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let scores = model.score_batch(&refs).expect("scoring");
    assert_eq!(scores.len(), texts.len());
    for (i, s) in scores.iter().enumerate() {
        let expected = if i % 2 == 0 {
            Label::Positive
        } else {
            Label::Negative
        };
        assert_eq!(s.label, expected, "{:?} scored {s:?}", texts[i]);
    }
}

#[test]
fn very_long_text_is_truncated_without_error() {
    let model = model();
    assert_eq!(model.max_tokens(), 128);
    let long: String = "The service was fine but the invoices were confusing. ".repeat(200);
    assert!(long.len() >= 10_000);
    let one = score(&model, &long);
    assert!((0.0..=1.0).contains(&one.score));
    // Only the first max_tokens tokens count: more text after them changes nothing.
    let longer =
        format!("{long} Absolutely the worst experience of my life, I hate everything about it!");
    let two = score(&model, &longer);
    assert_eq!(one.label, two.label);
    assert!((one.score - two.score).abs() < 1e-6, "{one:?} vs {two:?}");
}

#[test]
fn empty_input_gives_no_scores() {
    assert!(model()
        .score_batch(&[])
        .expect("scoring nothing")
        .is_empty());
}
