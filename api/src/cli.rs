//! The `loupe` command line: `serve` (default), `migrate`, `admin …`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use serde_json::json;

use crate::domain::pagination::{PageArgs, MAX_PAGE_SIZE};
use crate::domain::recordings::chunks;
use crate::domain::{accounts, api_keys, organizations, sites};
use crate::settings::{AdminArgs, AdminCommand, Cli, Command, GlobalOpts, ServeOpts};
use crate::startup::Application;

pub fn main() -> ExitCode {
    let cli = Cli::parse_from(with_default_subcommand(std::env::args_os().collect()));
    crate::telemetry::init(cli.global.log_format);
    let command = cli
        .command
        .unwrap_or_else(|| Command::Serve(Box::default()));
    let result = actix_web::rt::System::new().block_on(async move {
        match command {
            Command::Serve(opts) => serve(&cli.global, &opts).await,
            Command::Migrate => migrate(&cli.global).await,
            Command::Admin(args) => admin(&cli.global, args).await,
            Command::Worker(_) | Command::Sentiment(_) => exec_sentiment(&cli.global),
            Command::Schema => {
                print!("{}", crate::graphql::schema::sdl());
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `loupe --bind …` means `loupe serve --bind …`: insert `serve` when the first
/// argument is neither a subcommand nor a request for help or the version.
fn with_default_subcommand(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    const KNOWN: &[&str] = &[
        "serve",
        "migrate",
        "admin",
        "worker",
        "sentiment",
        "schema",
        "help",
        "-h",
        "--help",
        "-V",
        "--version",
    ];
    let first = args.get(1).and_then(|a| a.to_str()).unwrap_or("");
    let explicit = KNOWN.contains(&first)
        || args.iter().skip(1).any(|a| {
            a.to_str().is_some_and(|a| {
                [
                    "serve",
                    "migrate",
                    "admin",
                    "worker",
                    "sentiment",
                    "schema",
                    "help",
                ]
                .contains(&a)
            })
        });
    if !explicit {
        args.insert(1.min(args.len()), "serve".into());
    }
    args
}

async fn serve(global: &GlobalOpts, opts: &ServeOpts) -> anyhow::Result<()> {
    let app = Application::build(global, opts).await?;
    let base = format!("http://{}", app.addr());
    let mut out = std::io::stdout().lock();
    if let Some(first) = &app.first_start {
        // Behind a balancer or proxy the link must name the address browsers reach.
        writeln!(out, "{}", first.banner(app.public_url()))?;
    }
    writeln!(out, "Loupe listening on {base}")?;
    out.flush()?;
    drop(out);
    tracing::info!(addr = %app.addr(), "listening");
    app.run().await
}

/// `loupe worker …` and `loupe sentiment …` run the model, which lives in its own binary
/// (`loupe-sentiment`, so the server never maps libtorch): this process becomes that one,
/// with the same arguments.
fn exec_sentiment(global: &GlobalOpts) -> anyhow::Result<()> {
    use std::os::unix::process::CommandExt;
    let program = crate::jobs::sentiment_child::program(global.sentiment_bin.as_deref())?;
    let e = std::process::Command::new(&program)
        .args(std::env::args_os().skip(1))
        .exec();
    anyhow::bail!(
        "cannot run the sentiment worker {}: {e} (install loupe-sentiment beside loupe, or set LOUPE_SENTIMENT_BIN)",
        program.display()
    )
}

async fn migrate(global: &GlobalOpts) -> anyhow::Result<()> {
    std::fs::create_dir_all(&global.data_dir)?;
    let db = crate::db::connect_and_migrate(&global.database_url()).await?;
    db.close().await?;
    println!("migrations applied");
    Ok(())
}

fn print(json_mode: bool, value: serde_json::Value, text: String) {
    if json_mode {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

async fn admin(global: &GlobalOpts, args: AdminArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&global.data_dir)?;
    chunks::install(chunks::ChunkStore::from_url(&global.chunk_store)?);
    let db = crate::db::connect_and_migrate(&global.database_url()).await?;
    let j = args.json;
    // No cache lives in this process; recording a change bumps the database counter that
    // running servers follow, and with Redis announces it (and marks revoked keys) there.
    let changes = crate::changes::Changes::default();
    if let Some(url) = global.redis_url.as_deref().filter(|u| !u.trim().is_empty()) {
        let metrics = crate::metrics::Metrics::new()?;
        crate::cluster::Cluster::start(url, db.clone(), changes.clone(), metrics.registry())
            .await?;
    }
    let result: crate::error::AppResult<()> = async {
        match args.command {
            AdminCommand::CreateOrg { name, plan } => {
                let org = organizations::create(&db, &name, plan.into()).await?;
                let plan = organizations::plan_name(org.plan);
                print(j, json!({"id": org.id, "name": org.name, "plan": plan}), format!("organization {} \"{}\" on plan {plan}", org.id, org.name));
            }
            AdminCommand::ListOrgs => {
                let orgs = organizations::list(&db).await?;
                let rows: Vec<_> = orgs
                    .iter()
                    .map(|o| json!({"id": o.id, "name": o.name, "plan": organizations::plan_name(o.plan), "dpa_accepted_at": o.dpa_accepted_at}))
                    .collect();
                let text = orgs.iter().map(|o| format!("{}\t{}\t{}", o.id, organizations::plan_name(o.plan), o.name)).collect::<Vec<_>>().join("\n");
                print(j, json!(rows), text);
            }
            AdminCommand::SetPlan { org, plan } => {
                let org = organizations::set_plan(&db, &changes, org, plan.into()).await?;
                let plan = organizations::plan_name(org.plan);
                print(j, json!({"id": org.id, "plan": plan}), format!("organization {} is now on plan {plan}", org.id));
            }
            AdminCommand::CreateSite { org, name, domains } => {
                organizations::get(&db, org).await?;
                let site = sites::create(&db, org, sites::NewSite { name, allowed_domains: domains, retention_days: None }).await?;
                print(j, json!({"id": site.id, "organization_id": org, "name": site.name}), format!("site {} \"{}\" in organization {org}", site.id, site.name));
            }
            AdminCommand::CreateKey { org, role, name } => {
                organizations::get(&db, org).await?;
                let created = api_keys::create(&db, org, &name, role.into()).await?;
                let k = &created.key;
                let role = crate::auth::role_name(k.role);
                print(
                    j,
                    json!({"id": k.id, "organization_id": org, "role": role, "client_id": k.client_id, "client_secret": created.secret, "expires_at": k.expires_at}),
                    format!(
                        "API key {} ({role}) for organization {org}, expires {}\nSave the secret now; it is shown only this once:\n  client id:     {}\n  client secret: {}",
                        k.id, k.expires_at.format("%Y-%m-%d"), k.client_id, created.secret
                    ),
                );
            }
            AdminCommand::ListKeys { org } => {
                organizations::get(&db, org).await?;
                let mut rows = Vec::new();
                let mut after = None;
                loop {
                    let page = api_keys::list(&db, org, PageArgs { first: MAX_PAGE_SIZE, after }).await?;
                    for (_, k) in &page.items {
                        rows.push(json!({
                            "id": k.id, "name": k.name, "role": crate::auth::role_name(k.role), "client_id": k.client_id,
                            "created_at": k.created_at, "expires_at": k.expires_at, "revoked_at": k.revoked_at, "last_used_at": k.last_used_at,
                        }));
                    }
                    if !page.has_next_page {
                        break;
                    }
                    after = page.items.last().map(|(_, k)| k.id);
                }
                let text = rows
                    .iter()
                    .map(|r| format!("{}\t{}\t{}\t{}\texpires {}\t{}", r["id"], r["role"].as_str().unwrap_or(""), r["client_id"].as_str().unwrap_or(""), r["name"].as_str().unwrap_or(""), r["expires_at"].as_str().unwrap_or(""), if r["revoked_at"].is_null() { "active" } else { "revoked" }))
                    .collect::<Vec<_>>()
                    .join("\n");
                print(j, json!(rows), text);
            }
            AdminCommand::CreateUser { email, org, role, name, password_stdin, public_url } => {
                organizations::get(&db, org).await?;
                let email = accounts::email("email", &email)?;
                let role_name = crate::auth::role_name(role.into());
                if password_stdin {
                    let mut password = String::new();
                    std::io::stdin().read_line(&mut password).map_err(crate::error::AppError::internal)?;
                    let password = password.trim_end_matches(['\r', '\n']);
                    let hashing = std::sync::Arc::new(tokio::sync::Semaphore::new(1));
                    let account = match accounts::by_email(&db, &email).await? {
                        Some(a) => a,
                        None => {
                            let name = accounts::display_name(name.as_deref())?;
                            accounts::check_password(password, &email, name.as_deref())?;
                            let hash = accounts::hash_password(&hashing, password).await?;
                            accounts::insert(&db, &email, name.as_deref(), hash).await?
                        }
                    };
                    accounts::add_membership(&db, account.id, org, role.into()).await?;
                    print(j, json!({"account_id": account.id, "email": account.email, "organization_id": org, "role": role_name}), format!("account {} <{}> is {role_name} in organization {org}", account.id, account.email));
                } else {
                    let created = accounts::invites::create(&db, org, Some(&email), role.into(), false, crate::domain::audit::By::LOUPE).await?;
                    let url = format!("{}{}", public_url.trim_end_matches('/'), accounts::invites::path(&created));
                    print(j, json!({"invite_id": created.invite.id, "email": email, "organization_id": org, "role": role_name, "url": url, "expires_at": created.invite.expires_at}), format!("Invite for {email} ({role_name}) in organization {org}, valid 7 days, shown only this once:\n  {url}"));
                }
            }
            AdminCommand::DisableUser { email, enable } => {
                let account = accounts::by_email(&db, &email).await?.ok_or(crate::error::AppError::NotFound)?;
                accounts::set_disabled(&db, &account, !enable).await?;
                print(j, json!({"account_id": account.id, "disabled": !enable}), format!("account {} <{}> {}", account.id, account.email, if enable { "enabled" } else { "disabled; its sessions ended" }));
            }
            AdminCommand::MoveChunks { to, batch } => {
                let store = chunks::ChunkStore::from_url(&to).map_err(crate::error::AppError::internal)?;
                let moved = chunks::move_to(&db, &store, batch).await?;
                print(j, json!({"moved": moved, "to": store.describe()}), format!("{moved} recording chunks moved to {}", store.describe()));
            }
            AdminCommand::RevokeKey { id } => {
                let k = api_keys::revoke_any(&db, &changes, id).await?;
                print(j, json!({"id": k.id, "revoked_at": k.revoked_at}), format!("API key {} revoked", k.id));
            }
        }
        Ok(())
    }
    .await;
    db.close().await?;
    result.map_err(|e| e.into_anyhow())
}
