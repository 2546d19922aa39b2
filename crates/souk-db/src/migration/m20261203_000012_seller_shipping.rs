//! Sellers' own shipping methods: a method with a `seller_id` is that
//! seller's; without one it is the shop's. A seller with no active method
//! of its own ships with the shop's.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000012_seller_shipping"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("shipping_methods")
                .add_column(big_integer_null("seller_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "shipping_methods_seller",
            "shipping_methods",
            &["seller_id", "position"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("shipping_methods_seller")
                .table("shipping_methods")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("shipping_methods")
                .drop_column("seller_id")
                .to_owned(),
        )
        .await
    }
}
