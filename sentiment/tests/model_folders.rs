//! Loading Hugging Face style folders (random tiny DistilBERT written by the test) and broken
//! folders; needs no downloaded model.
#![allow(clippy::expect_used)] // tests: a failed expectation is the report

use std::fs;
use std::path::Path;

use sentiment::tools::{write_random_distilbert, RandomDistilBert};
use sentiment::{Label, Model};

fn tiny(dir: &Path, labels: &[&str], logits: Option<Vec<f32>>) -> Model {
    let spec = RandomDistilBert {
        classifier_bias: logits,
        ..RandomDistilBert::tiny(labels)
    };
    write_random_distilbert(dir, &spec).expect("writing the model");
    Model::load(dir).unwrap_or_else(|e| panic!("{e:#}"))
}

fn error_of(dir: &Path) -> String {
    match Model::load(dir) {
        Ok(_) => panic!("{} loaded", dir.display()),
        Err(e) => format!("{e:#}"),
    }
}

const TEXTS: [&str; 3] = ["it is good", "this is bad, slow", "great"];

#[test]
fn a_random_distilbert_folder_loads_and_scores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = tiny(dir.path(), &["NEGATIVE", "POSITIVE"], None);
    assert_eq!(model.max_tokens(), 512);
    let scores = model.score_batch(&TEXTS).expect("scoring");
    assert_eq!(scores.len(), TEXTS.len());
    for s in &scores {
        assert!((0.5..=1.0).contains(&s.score), "{s:?}");
    }
    // DistilBERT's attention mask path: padding does not change a text's score either.
    for (text, together) in TEXTS.iter().zip(&scores) {
        let alone = model.score_batch(&[text]).expect("scoring")[0];
        assert_eq!(alone.label, together.label);
        assert!(
            (alone.score - together.score).abs() < 1e-4,
            "{alone:?} vs {together:?}"
        );
    }
}

#[test]
fn a_two_label_model_is_neutral_below_the_threshold() {
    let cases: [(Vec<f32>, Label, f32); 4] = [
        (vec![0.0, 0.0], Label::Neutral, 0.5),
        (vec![0.0, 1.0], Label::Neutral, 0.731_058_6),
        (vec![0.0, 3.0], Label::Positive, 0.952_574_1),
        (vec![2.0, -1.0], Label::Negative, 0.952_574_1),
    ];
    for (logits, label, p) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let model = tiny(dir.path(), &["negative", "positive"], Some(logits.clone()));
        for s in model.score_batch(&TEXTS).expect("scoring") {
            assert_eq!(s.label, label, "logits {logits:?}");
            assert!((s.score - p).abs() < 1e-5, "logits {logits:?}: {s:?}");
        }
    }
}

#[test]
fn three_label_names_map_in_any_case_and_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = tiny(
        dir.path(),
        &["Positive", "neu", "NEG"],
        Some(vec![0.0, 0.0, 4.0]),
    );
    let scores = model.score_batch(&TEXTS).expect("scoring");
    assert!(
        scores
            .iter()
            .all(|s| s.label == Label::Negative && s.score > 0.9),
        "{scores:?}"
    );
}

#[test]
fn folders_with_missing_files_fail_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    assert!(error_of(&missing).contains("does not exist"));

    // A default-model folder whose encoder files were never linked in.
    let default_kind = dir.path().join("default");
    fs::create_dir(&default_kind).expect("mkdir");
    fs::write(default_kind.join("head.safetensors"), b"").expect("write");
    fs::write(
        default_kind.join("head.json"),
        r#"{"labels": ["NEGATIVE", "NEUTRAL", "POSITIVE"]}"#,
    )
    .expect("write");
    let e = error_of(&default_kind);
    assert!(
        e.contains("config.json, vocab.txt, model.safetensors") && e.contains("scripts/setup"),
        "{e}"
    );

    // A Hugging Face folder without its vocabulary.
    let hf = dir.path().join("hf");
    write_random_distilbert(&hf, &RandomDistilBert::tiny(&["NEGATIVE", "POSITIVE"]))
        .expect("write");
    fs::remove_file(hf.join("vocab.txt")).expect("rm");
    let e = error_of(&hf);
    assert!(e.contains("lacks vocab.txt"), "{e}");

    // Weights that do not belong to the architecture in config.json.
    let wrong = dir.path().join("wrong");
    write_random_distilbert(&wrong, &RandomDistilBert::tiny(&["NEGATIVE", "POSITIVE"]))
        .expect("write");
    let config = fs::read_to_string(wrong.join("config.json")).expect("read");
    fs::write(
        wrong.join("config.json"),
        config.replace("\"n_layers\": 2", "\"n_layers\": 3"),
    )
    .expect("write");
    let e = error_of(&wrong);
    assert!(e.contains("distilbert.transformer.layer.2"), "{e}");
}

#[test]
fn unsupported_checkpoints_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_random_distilbert(dir.path(), &RandomDistilBert::tiny(&["joy", "anger"])).expect("write");
    let e = error_of(dir.path());
    assert!(
        e.contains("\"joy\"") && e.contains("not a sentiment"),
        "{e}"
    );

    let other = dir.path().join("gpt2");
    write_random_distilbert(&other, &RandomDistilBert::tiny(&["NEGATIVE", "POSITIVE"]))
        .expect("write");
    let config = fs::read_to_string(other.join("config.json")).expect("read");
    fs::write(
        other.join("config.json"),
        config.replace("\"distilbert\"", "\"gpt2\""),
    )
    .expect("write");
    let e = error_of(&other);
    assert!(e.contains("model_type \"gpt2\" is not supported"), "{e}");
}
