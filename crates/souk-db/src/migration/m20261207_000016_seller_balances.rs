//! What each seller is owed, kept as a sum per seller and currency
//! (`seller_balances.owed`: every ledger entry no payout settled), changed
//! in the transaction that adds or settles entries. A balance then reads one
//! row and the entries released but not yet paid out, instead of summing
//! every unsettled entry on each request. Filled from the ledger here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000016_seller_balances"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("seller_balances")
                .col(big_integer("seller_id"))
                .col(string("currency"))
                .col(big_integer("owed"))
                .primary_key(Index::create().col("seller_id").col("currency"))
                .foreign_key(&mut fk(
                    "fk_seller_balances_seller",
                    ("seller_balances", "seller_id"),
                    "sellers",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO seller_balances (seller_id, currency, owed) \
                 SELECT seller_id, currency, SUM(amount) FROM seller_ledger \
                 WHERE settled_by IS NULL GROUP BY seller_id, currency",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("seller_balances").to_owned())
            .await
    }
}
