//! Sellers' money. Every sale, commission, shipping charge, refund and
//! payout is an entry in `seller_ledger`, never changed afterwards except
//! for the payout that settles it (`settled_by`, set once). A payout is
//! unique per seller, currency and run, so two nodes running the payout
//! job at once make one. Fulfilments learn their share of the order's
//! discount and what the seller bears of it, what has been refunded of
//! them and when their money is released; a refund may name the
//! fulfilment it is for.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000011_ledger_and_payouts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for mut column in [
            big_integer("discount").default(0).to_owned(),
            big_integer("seller_discount").default(0).to_owned(),
            big_integer("refunded_total").default(0).to_owned(),
            timestamp_with_time_zone_null("funds_release_at"),
        ] {
            m.alter_table(
                Table::alter()
                    .table("fulfilments")
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table("refunds")
                .add_column(big_integer_null("fulfilment_id"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("payouts")
                .col(big_pk_auto("id"))
                .col(big_integer("seller_id"))
                .col(string("currency"))
                .col(big_integer("amount"))
                .col(string("status"))
                // The run that made it: the day of a scheduled run, or a
                // staff run's moment. One payout per seller, currency, run.
                .col(string("run_key"))
                .col(string_null("reference"))
                .col(string_null("failure_reason"))
                .col(big_integer_null("decided_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .foreign_key(&mut fk(
                    "fk_payouts_seller",
                    ("payouts", "seller_id"),
                    "sellers",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_payouts_seller_currency_run",
            "payouts",
            &["seller_id", "currency", "run_key"],
            true,
        ))
        .await?;
        m.create_index(index(
            "ix_payouts_status",
            "payouts",
            &["status", "id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("seller_ledger")
                .col(big_pk_auto("id"))
                .col(big_integer("seller_id"))
                .col(string("currency"))
                .col(string("kind"))
                .col(big_integer("amount"))
                .col(big_integer_null("order_id"))
                .col(big_integer_null("fulfilment_id"))
                .col(big_integer_null("refund_id"))
                // The payout this entry is, or whose failure it returns.
                .col(big_integer_null("payout_ref"))
                // The payout that settled it; null while it is owed.
                .col(big_integer_null("settled_by"))
                .col(string("memo"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "fk_seller_ledger_seller",
                    ("seller_ledger", "seller_id"),
                    "sellers",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "fk_seller_ledger_fulfilment",
                    ("seller_ledger", "fulfilment_id"),
                    "fulfilments",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "fk_seller_ledger_settled_by",
                    ("seller_ledger", "settled_by"),
                    "payouts",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        for (name, columns) in [
            ("ix_seller_ledger_seller", &["seller_id", "id"][..]),
            (
                "ix_seller_ledger_owed",
                &["seller_id", "settled_by", "currency"][..],
            ),
            ("ix_seller_ledger_fulfilment", &["fulfilment_id"][..]),
        ] {
            m.create_index(index(name, "seller_ledger", columns, false))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["seller_ledger", "payouts"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table("refunds")
                .drop_column("fulfilment_id")
                .to_owned(),
        )
        .await?;
        for column in [
            "funds_release_at",
            "refunded_total",
            "seller_discount",
            "discount",
        ] {
            m.alter_table(
                Table::alter()
                    .table("fulfilments")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
