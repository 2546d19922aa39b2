//! Sellers apply and are reviewed: a seller's contact e-mail and payout
//! details, the reason of the last decision and when it was taken. Sellers
//! that were `active` are `approved` (the statuses of
//! `souk_domain::marketplace::SellerStatus`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000009_seller_applications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for mut column in [
            string("contact_email").default("").to_owned(),
            text("payout_details").default("").to_owned(),
            string_null("decision_reason"),
            timestamp_with_time_zone_null("decided_at"),
        ] {
            m.alter_table(
                Table::alter()
                    .table("sellers")
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        m.exec_stmt(
            Query::update()
                .table("sellers")
                .value("status", "approved")
                .and_where(Expr::col("status").eq("active"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.exec_stmt(
            Query::update()
                .table("sellers")
                .value("status", "active")
                .and_where(Expr::col("status").eq("approved"))
                .to_owned(),
        )
        .await?;
        for column in [
            "decided_at",
            "decision_reason",
            "payout_details",
            "contact_email",
        ] {
            m.alter_table(
                Table::alter()
                    .table("sellers")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
