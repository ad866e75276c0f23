//! The baseline for `bench/load.sh` and `bench/peer.sh`: a bare actix-web + async-graphql
//! server answering `{ viewer { organization { name } } }` and
//! `{ survey(id) { name questions { id type prompt } } }` from constants, with no
//! authentication, rate limiting, database or metrics. Usage: `bare-graphql <addr> <workers>`.

use actix_web::{web, App, HttpServer};
use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};
use async_graphql_actix_web::{GraphQLRequest, GraphQLResponse};

struct Query;

#[Object]
impl Query {
    async fn viewer(&self) -> Viewer {
        Viewer
    }

    /// Loupe's three-question survey shape, for `bench/peer.sh questions`.
    async fn survey(&self, id: async_graphql::ID) -> Survey {
        Survey(id)
    }
}

struct Survey(async_graphql::ID);

#[Object]
impl Survey {
    async fn id(&self) -> &async_graphql::ID {
        &self.0
    }
    async fn name(&self) -> &str {
        "Checkout feedback"
    }
    async fn questions(&self) -> Vec<Question> {
        [
            ("NPS", "How likely are you to recommend us?"),
            ("SINGLE_CHOICE", "Which plan are you on?"),
            ("SHORT_TEXT", "What could we do better?"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (kind, prompt))| Question {
            id: async_graphql::ID::from((i + 1).to_string()),
            kind,
            prompt,
        })
        .collect()
    }
}

struct Question {
    id: async_graphql::ID,
    kind: &'static str,
    prompt: &'static str,
}

#[Object]
impl Question {
    async fn id(&self) -> &async_graphql::ID {
        &self.id
    }
    #[graphql(name = "type")]
    async fn kind(&self) -> &str {
        self.kind
    }
    async fn prompt(&self) -> &str {
        self.prompt
    }
}

struct Viewer;

#[Object]
impl Viewer {
    async fn organization(&self) -> Organization {
        Organization
    }
}

struct Organization;

#[Object]
impl Organization {
    async fn name(&self) -> &str {
        "Default"
    }
}

type BareSchema = Schema<Query, EmptyMutation, EmptySubscription>;

async fn graphql(schema: web::Data<BareSchema>, request: GraphQLRequest) -> GraphQLResponse {
    schema.execute(request.into_inner()).await.into()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8090".into());
    let workers: usize = args.next().and_then(|w| w.parse().ok()).unwrap_or(1);
    let schema = Schema::build(Query, EmptyMutation, EmptySubscription).finish();
    println!("bare-graphql listening on http://{addr}");
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(schema.clone()))
            .route("/graphql", web::post().to(graphql))
    })
    .workers(workers)
    .bind(addr)?
    .run()
    .await
}
