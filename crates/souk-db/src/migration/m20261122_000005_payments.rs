//! Payments of orders, the provider events that moved them (each taking
//! effect once), and refunds.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000005_payments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("payments")
                .col(big_pk_auto("id"))
                .col(string_uniq("public_id"))
                .col(big_integer("order_id"))
                // testpay, stripe, or manual (bank transfer and cash marked paid by staff).
                .col(string("provider"))
                // pending, succeeded or failed.
                .col(string("status"))
                .col(big_integer("amount"))
                .col(string_len("currency", 3))
                .col(big_integer("captured_amount").default(0))
                .col(
                    big_integer("refunded_amount")
                        .default(0)
                        .check(Expr::col("refunded_amount").lte(Expr::col("captured_amount"))),
                )
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "fk_payments_order",
                    ("payments", "order_id"),
                    "orders",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_payments_order", "payments", &["order_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("payment_events")
                .col(big_pk_auto("id"))
                .col(string("provider"))
                .col(string("event_id"))
                .col(string("kind"))
                .col(big_integer_null("payment_id"))
                .col(timestamp_with_time_zone("received_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_payment_events_provider_event",
            "payment_events",
            &["provider", "event_id"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("refunds")
                .col(big_pk_auto("id"))
                .col(big_integer("order_id"))
                .col(big_integer("payment_id"))
                .col(big_integer("amount"))
                .col(string("reason"))
                .col(big_integer_null("actor_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "fk_refunds_order",
                    ("refunds", "order_id"),
                    "orders",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_refunds_payment",
                    ("refunds", "payment_id"),
                    "payments",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_refunds_order", "refunds", &["order_id"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["refunds", "payment_events", "payments"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
