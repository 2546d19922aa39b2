//! Wishlists: the products (and, when chosen, the variant) an account
//! keeps for later. `variant_key` is the variant's id or 0 for the product
//! as a whole, so that one unique index holds both kinds (a NULL would
//! never clash). `waiting` marks an entry whose variant (or product) is
//! sold out: when it is back in stock the account gets one e-mail.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000020_wishlists"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("wishlist_items")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(big_integer("product_id"))
                .col(big_integer_null("variant_id"))
                .col(big_integer("variant_key"))
                .col(boolean("waiting").default(false))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "fk_wishlist_items_user",
                    ("wishlist_items", "user_id"),
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_wishlist_items_product",
                    ("wishlist_items", "product_id"),
                    "products",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_wishlist_items_variant",
                    ("wishlist_items", "variant_id"),
                    "variants",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_wishlist_items_entry",
            "wishlist_items",
            &["user_id", "product_id", "variant_key"],
            true,
        ))
        .await?;
        m.create_index(index(
            "ix_wishlist_items_waiting",
            "wishlist_items",
            &["waiting", "product_id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("wishlist_items").to_owned())
            .await
    }
}
