//! Webhooks: a site's endpoints (URL, events, signing secrets), the outbox of events
//! (written in the same transaction as the data that caused them) and the deliveries the
//! worker makes of them, one per event and endpoint.

use sea_orm_migration::prelude::*;

use crate::{id_column, timestamp, timestamp_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Site {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum WebhookEndpoint {
    Table,
    Id,
    OrganizationId,
    SiteId,
    Url,
    Description,
    Events,
    Format,
    Enabled,
    Secret,
    PreviousSecret,
    PreviousSecretUntil,
    ConsecutiveFailures,
    DisabledReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookEvent {
    Table,
    Id,
    SiteId,
    EventType,
    SubjectIds,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    EndpointId,
    SiteId,
    MsgId,
    EventType,
    SubjectId,
    EventAt,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastStatusCode,
    LastError,
    LastLatencyMs,
    ResponseExcerpt,
    CreatedAt,
    FinishedAt,
}

fn text<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

fn text_null<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).text().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoint::Table)
                    .col(id_column(WebhookEndpoint::Id))
                    .col(
                        ColumnDef::new(WebhookEndpoint::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookEndpoint::SiteId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(text(WebhookEndpoint::Url))
                    .col(text_null(WebhookEndpoint::Description))
                    .col(text(WebhookEndpoint::Events))
                    .col(text(WebhookEndpoint::Format))
                    .col(
                        ColumnDef::new(WebhookEndpoint::Enabled)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(text(WebhookEndpoint::Secret))
                    .col(text_null(WebhookEndpoint::PreviousSecret))
                    .col(timestamp_null(WebhookEndpoint::PreviousSecretUntil))
                    .col(
                        ColumnDef::new(WebhookEndpoint::ConsecutiveFailures)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(text_null(WebhookEndpoint::DisabledReason))
                    .col(timestamp(WebhookEndpoint::CreatedAt))
                    .col(timestamp(WebhookEndpoint::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookEndpoint::Table, WebhookEndpoint::SiteId)
                            .to(Site::Table, Site::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_endpoint_site")
                    .table(WebhookEndpoint::Table)
                    .col(WebhookEndpoint::SiteId)
                    .to_owned(),
            )
            .await?;
        // The outbox proper: what happened, one row per site and kind per commit (the
        // request path writes one small row whatever the number of endpoints); the
        // worker turns it into deliveries.
        manager
            .create_table(
                Table::create()
                    .table(WebhookEvent::Table)
                    .col(id_column(WebhookEvent::Id))
                    .col(
                        ColumnDef::new(WebhookEvent::SiteId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(text(WebhookEvent::EventType))
                    .col(text(WebhookEvent::SubjectIds))
                    .col(timestamp(WebhookEvent::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDelivery::Table)
                    .col(id_column(WebhookDelivery::Id))
                    .col(
                        ColumnDef::new(WebhookDelivery::EndpointId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDelivery::SiteId)
                            .big_integer()
                            .not_null(),
                    )
                    // 128 random bits: unique without an index (whose random inserts
                    // would cost every write).
                    .col(text(WebhookDelivery::MsgId))
                    .col(text(WebhookDelivery::EventType))
                    .col(
                        ColumnDef::new(WebhookDelivery::SubjectId)
                            .big_integer()
                            .null(),
                    )
                    .col(timestamp(WebhookDelivery::EventAt))
                    .col(text_null(WebhookDelivery::Payload))
                    .col(text(WebhookDelivery::Status))
                    .col(
                        ColumnDef::new(WebhookDelivery::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(timestamp(WebhookDelivery::NextAttemptAt))
                    .col(timestamp_null(WebhookDelivery::LockedUntil))
                    .col(
                        ColumnDef::new(WebhookDelivery::LastStatusCode)
                            .integer()
                            .null(),
                    )
                    .col(text_null(WebhookDelivery::LastError))
                    .col(
                        ColumnDef::new(WebhookDelivery::LastLatencyMs)
                            .integer()
                            .null(),
                    )
                    .col(text_null(WebhookDelivery::ResponseExcerpt))
                    .col(timestamp(WebhookDelivery::CreatedAt))
                    .col(timestamp_null(WebhookDelivery::FinishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDelivery::Table, WebhookDelivery::EndpointId)
                            .to(WebhookEndpoint::Table, WebhookEndpoint::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            // The worker's claim walks this index in order and stops at its limit.
            (
                "idx_webhook_delivery_due",
                vec![
                    WebhookDelivery::Status,
                    WebhookDelivery::NextAttemptAt,
                    WebhookDelivery::Id,
                ],
            ),
            (
                "idx_webhook_delivery_endpoint",
                vec![WebhookDelivery::EndpointId, WebhookDelivery::Id],
            ),
            (
                "idx_webhook_delivery_subject",
                vec![WebhookDelivery::SubjectId],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(WebhookDelivery::Table);
            for c in cols {
                index.col(c);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDelivery::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WebhookEvent::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WebhookEndpoint::Table).to_owned())
            .await
    }
}
