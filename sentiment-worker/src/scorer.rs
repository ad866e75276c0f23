//! The model on a thread of its own (tch tensors are not `Sync`), fed batches by the queue
//! loop through a channel.

use std::path::PathBuf;

use api::domain::surveys::sentiment::is_blank;
use api::jobs::sentiment::Stored;
use tokio::sync::{mpsc, oneshot};

type Request = (Vec<String>, oneshot::Sender<anyhow::Result<Vec<Stored>>>);

/// Handle to the model thread.
#[derive(Clone)]
pub struct Scorer {
    tx: mpsc::Sender<Request>,
    dir: Option<PathBuf>,
}

impl Scorer {
    /// Starts the model thread and waits until the model is loaded (from `dir`, or
    /// `LOUPE_SENTIMENT_MODEL`, or the default model).
    pub async fn start(dir: Option<PathBuf>) -> anyhow::Result<Scorer> {
        let (tx, mut rx) = mpsc::channel::<Request>(4);
        let (ready_tx, ready_rx) = oneshot::channel::<anyhow::Result<()>>();
        let model_dir = dir.clone();
        std::thread::Builder::new()
            .name("sentiment".into())
            .spawn(move || {
                let loaded = match &model_dir {
                    Some(d) => sentiment::Model::load(d),
                    None => sentiment::Model::load_default(),
                };
                let model = match loaded {
                    Ok(m) => {
                        let _ = ready_tx.send(Ok(()));
                        m
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                while let Some((texts, reply)) = rx.blocking_recv() {
                    // libtorch errors often surface as panics in tch: a batch that panics
                    // fails alone, and the thread keeps its model for the next one.
                    let scored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        score_texts(&model, &texts)
                    }))
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("the model panicked on this batch")));
                    let _ = reply.send(scored);
                }
            })?;
        ready_rx
            .await
            .map_err(|_| anyhow::anyhow!("the sentiment thread stopped while loading"))??;
        Ok(Scorer { tx, dir })
    }
}

impl api::jobs::sentiment::Scorer for Scorer {
    async fn score(&self, texts: Vec<String>) -> anyhow::Result<Vec<Stored>> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send((texts, reply))
            .await
            .map_err(|_| anyhow::anyhow!("the sentiment thread has stopped"))?;
        rx.await
            .map_err(|_| anyhow::anyhow!("the sentiment thread has stopped"))?
    }

    fn stopped(&self) -> bool {
        self.tx.is_closed()
    }

    async fn restart(&self) -> anyhow::Result<Scorer> {
        Scorer::start(self.dir.clone()).await
    }
}

/// Scores what can be scored; blank texts (the domain's rule) get no score.
fn score_texts(model: &sentiment::Model, texts: &[String]) -> anyhow::Result<Vec<Stored>> {
    let scorable: Vec<&str> = texts
        .iter()
        .map(String::as_str)
        .filter(|t| !is_blank(t))
        .collect();
    let mut scores = model.score_batch(&scorable)?.into_iter();
    texts
        .iter()
        .map(|t| {
            if is_blank(t) {
                return Ok(None);
            }
            let s = scores
                .next()
                .ok_or_else(|| anyhow::anyhow!("the model returned too few scores"))?;
            Ok(Some((s.label.as_str(), f64::from(s.score))))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use api::domain::surveys::sentiment::Label;

    /// The server decides what is queued with the domain's rule, the model crate documents
    /// its own: they must agree on every character.
    #[test]
    fn blank_means_the_same_to_the_server_and_the_model() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = c.to_string();
            assert_eq!(
                super::is_blank(&text),
                sentiment::is_blank(&text),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn the_model_labels_are_the_stored_labels() {
        for l in [
            sentiment::Label::Negative,
            sentiment::Label::Neutral,
            sentiment::Label::Positive,
        ] {
            assert_eq!(
                Label::parse(l.as_str()).map(|s| s.as_str()),
                Some(l.as_str())
            );
        }
    }
}
