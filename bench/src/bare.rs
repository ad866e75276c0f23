//! The baseline for `bench/load.sh`: a bare actix-web + async-graphql server answering
//! `{ viewer { organization { name } } }` from constants, with no authentication, rate
//! limiting, database or metrics. Usage: `bare-graphql <addr> <workers>`.

use actix_web::{web, App, HttpServer};
use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};
use async_graphql_actix_web::{GraphQLRequest, GraphQLResponse};

struct Query;

#[Object]
impl Query {
    async fn viewer(&self) -> Viewer {
        Viewer
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
