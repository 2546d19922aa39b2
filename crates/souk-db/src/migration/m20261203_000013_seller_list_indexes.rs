//! Indexes for a seller with many orders: its parcels by time (the seller's
//! order list, one parcel per order) and its ledger by time, so that a page
//! and a count read only the index.

use sea_orm_migration::prelude::*;

use super::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000013_seller_list_indexes"
    }
}

const INDEXES: [(&str, &str, &[&str]); 2] = [
    (
        "ix_fulfilments_seller_time",
        "fulfilments",
        &["seller_id", "created_at", "order_id"],
    ),
    (
        "ix_seller_ledger_seller_time",
        "seller_ledger",
        &["seller_id", "created_at", "id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            m.create_index(index(name, table, columns, false)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
