//! Reviews from verified buyers: one per account and product, with a
//! status staff moderate and one reply from the seller (or the shop). Each
//! product keeps the count and sum of its published ratings, and their
//! average in hundredths, for cards and for sorting a listing by rating.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000017_reviews"
    }
}

const INDEXES: [(&str, &str, &[&str], bool); 4] = [
    (
        "ux_reviews_product_user",
        "reviews",
        &["product_id", "user_id"],
        true,
    ),
    (
        "ix_reviews_product_status_time",
        "reviews",
        &["product_id", "status", "created_at", "id"],
        false,
    ),
    (
        "ix_reviews_status_time",
        "reviews",
        &["status", "created_at", "id"],
        false,
    ),
    (
        "ix_products_status_rating",
        "products",
        &["status", "rating_score", "review_count", "id"],
        false,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("reviews")
                .col(big_pk_auto("id"))
                .col(big_integer("product_id"))
                .col(big_integer("user_id"))
                .col(string("author_name"))
                .col(small_integer("rating"))
                .col(string("title"))
                .col(text("body"))
                .col(string("status"))
                .col(text_null("reply"))
                .col(timestamp_with_time_zone_null("replied_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "fk_reviews_product",
                    ("reviews", "product_id"),
                    "products",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_reviews_user",
                    ("reviews", "user_id"),
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        // One column per statement: SQLite alters one column at a time.
        for mut column in [
            integer("review_count").default(0).to_owned(),
            big_integer("rating_sum").default(0).to_owned(),
            integer("rating_score").default(0).to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table("products")
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        for (name, table, columns, unique) in INDEXES {
            m.create_index(index(name, table, columns, unique)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_products_status_rating")
                .table("products")
                .to_owned(),
        )
        .await?;
        for column in ["rating_score", "rating_sum", "review_count"] {
            m.alter_table(
                Table::alter()
                    .table("products")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table("reviews").to_owned())
            .await
    }
}
