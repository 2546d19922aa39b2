//! Product photos: several per product, in order, each with alt text and
//! optionally tied to one of the product's variants. The picture itself
//! lives in the file store under its content hash; the row says where it
//! is shown and what it is.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000018_product_photos"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("product_photos")
                .col(big_pk_auto("id"))
                .col(big_integer("product_id"))
                .col(big_integer_null("variant_id"))
                .col(integer("position"))
                .col(string_len("alt", 300))
                .col(string_len("hash", 64))
                .col(string_len("format", 8))
                .col(integer("width"))
                .col(integer("height"))
                .col(big_integer("byte_size"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "fk_product_photos_product",
                    ("product_photos", "product_id"),
                    "products",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_product_photos_variant",
                    ("product_photos", "variant_id"),
                    "variants",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_product_photos_product",
            "product_photos",
            &["product_id", "position"],
            false,
        ))
        .await?;
        m.create_index(index(
            "ix_product_photos_hash",
            "product_photos",
            &["hash"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("product_photos").to_owned())
            .await
    }
}
