//! The durable job table, and vouchers with their redemptions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000003_jobs_and_vouchers"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("jobs")
                .col(big_pk_auto("id"))
                .col(string("kind"))
                .col(text("payload"))
                // queued, running, done or failed.
                .col(string("status"))
                .col(integer("attempts"))
                .col(integer("max_attempts"))
                .col(timestamp_with_time_zone("run_at"))
                .col(timestamp_with_time_zone_null("locked_at"))
                .col(string_null("locked_by"))
                .col(text_null("last_error"))
                // Makes a scheduled run happen once however many nodes fire it.
                .col(string_null("unique_key").unique_key())
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_jobs_due",
            "jobs",
            &["status", "run_at", "id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("vouchers")
                .col(big_pk_auto("id"))
                // Stored upper-case: codes are case-insensitive.
                .col(string_uniq("code"))
                // percent, fixed or free_shipping.
                .col(string("kind"))
                .col(big_integer("value"))
                .col(big_integer_null("min_subtotal"))
                .col(integer_null("usage_limit"))
                .col(integer_null("per_customer_limit"))
                .col(
                    integer("used_count")
                        .default(0)
                        .check(Expr::col("used_count").gte(0)),
                )
                .col(timestamp_with_time_zone_null("starts_at"))
                .col(timestamp_with_time_zone_null("ends_at"))
                .col(boolean("active"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("voucher_redemptions")
                .col(big_pk_auto("id"))
                .col(big_integer("voucher_id"))
                .col(big_integer("order_id").unique_key())
                .col(big_integer_null("user_id"))
                .col(big_integer("discount"))
                .col(timestamp_with_time_zone("created_at"))
                // Set when the order was cancelled or expired: the use is given back.
                .col(timestamp_with_time_zone_null("released_at"))
                .foreign_key(&mut fk(
                    "fk_redemptions_voucher",
                    ("voucher_redemptions", "voucher_id"),
                    "vouchers",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_redemptions_order",
                    ("voucher_redemptions", "order_id"),
                    "orders",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_redemptions_voucher_user",
            "voucher_redemptions",
            &["voucher_id", "user_id"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["voucher_redemptions", "vouchers", "jobs"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
