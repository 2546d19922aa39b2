//! The provider's own identifiers: a payment's (Stripe's PaymentIntent
//! `pi_...`) with the client secret its payment page needs, and a
//! refund's (`re_...`). Nullable: manual and testpay payments have none,
//! and a Stripe payment gets its reference when the job that creates the
//! intent has run.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000008_payment_references"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for (table, column) in [
            ("payments", "provider_ref"),
            ("payments", "client_secret"),
            ("refunds", "provider_ref"),
        ] {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(string_null(column))
                    .to_owned(),
            )
            .await?;
        }
        // Both backends let any number of rows have no reference.
        m.create_index(index(
            "ux_payments_provider_ref",
            "payments",
            &["provider", "provider_ref"],
            true,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ux_payments_provider_ref")
                .table("payments")
                .to_owned(),
        )
        .await?;
        for (table, column) in [
            ("refunds", "provider_ref"),
            ("payments", "client_secret"),
            ("payments", "provider_ref"),
        ] {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
