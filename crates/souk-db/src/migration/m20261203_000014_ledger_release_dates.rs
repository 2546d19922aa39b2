//! Each ledger entry carries when its money is released (`releases_at`):
//! its parcel's release date, copied onto the entry when the parcel is
//! delivered or closed (unset until then), or, for an entry of no parcel,
//! the moment it was made. A seller's balance is then a sum over its
//! unsettled entries that one index answers, with no join to the parcels.
//! A seller's sales of a period (the dashboard's 30 days) are read from an
//! index of their own.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000014_ledger_release_dates"
    }
}

/// The index the balance was read through, replaced by one that holds
/// every column the balance sums.
const OWED: &str = "ix_seller_ledger_owed";
const RELEASED: &str = "ix_seller_ledger_released";
const SALES: &str = "ix_seller_ledger_sales";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("seller_ledger")
                .add_column(timestamp_with_time_zone_null("releases_at"))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE seller_ledger SET releases_at = \
             (SELECT f.funds_release_at FROM fulfilments f WHERE f.id = seller_ledger.fulfilment_id) \
             WHERE fulfilment_id IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE seller_ledger SET releases_at = created_at WHERE fulfilment_id IS NULL",
        )
        .await?;
        db.execute_unprepared(&format!("DROP INDEX IF EXISTS {OWED}"))
            .await?;
        m.create_index(index(
            RELEASED,
            "seller_ledger",
            &[
                "seller_id",
                "settled_by",
                "currency",
                "releases_at",
                "amount",
            ],
            false,
        ))
        .await?;
        m.create_index(index(
            SALES,
            "seller_ledger",
            &[
                "seller_id",
                "kind",
                "created_at",
                "currency",
                "order_id",
                "amount",
            ],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in [SALES, RELEASED] {
            m.get_connection()
                .execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        m.create_index(index(
            OWED,
            "seller_ledger",
            &["seller_id", "settled_by", "currency"],
            false,
        ))
        .await?;
        m.alter_table(
            Table::alter()
                .table("seller_ledger")
                .drop_column("releases_at")
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
