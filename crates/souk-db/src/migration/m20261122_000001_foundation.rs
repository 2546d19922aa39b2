//! Accounts, sellers, the catalogue with stock, and full-text search.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000001_foundation"
    }
}

fn id() -> ColumnDef {
    big_pk_auto("id")
}

fn created_at() -> ColumnDef {
    timestamp_with_time_zone("created_at")
}

fn updated_at() -> ColumnDef {
    timestamp_with_time_zone("updated_at")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("settings")
                .col(string("key").primary_key())
                .col(text("value"))
                .col(updated_at())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("users")
                .col(id())
                .col(string_uniq("email"))
                .col(string("password_hash"))
                .col(string("name"))
                .col(string_null("phone"))
                .col(string("role"))
                .col(timestamp_with_time_zone_null("email_verified_at"))
                .col(timestamp_with_time_zone_null("disabled_at"))
                .col(created_at())
                .col(updated_at())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("sellers")
                .col(id())
                .col(big_integer_null("user_id").unique_key())
                .col(string("name"))
                .col(string_uniq("slug"))
                .col(text("description"))
                .col(string("status"))
                .col(created_at())
                .col(updated_at())
                .foreign_key(&mut fk(
                    "fk_sellers_user",
                    ("sellers", "user_id"),
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("refresh_tokens")
                .col(id())
                .col(big_integer("user_id"))
                .col(string("family"))
                .col(string_uniq("token_hash"))
                .col(created_at())
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk(
                    "fk_refresh_tokens_user",
                    ("refresh_tokens", "user_id"),
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_refresh_tokens_family",
            "refresh_tokens",
            &["family"],
            false,
        ))
        .await?;
        m.create_index(index(
            "ix_refresh_tokens_user",
            "refresh_tokens",
            &["user_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("login_throttles")
                .col(string("key").primary_key())
                .col(integer("failures"))
                .col(timestamp_with_time_zone("window_started_at"))
                .col(timestamp_with_time_zone_null("blocked_until"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("addresses")
                .col(id())
                .col(big_integer("user_id"))
                .col(string("full_name"))
                .col(string_null("company"))
                .col(string("line1"))
                .col(string_null("line2"))
                .col(string("city"))
                .col(string_null("region"))
                .col(string("postal_code"))
                .col(string_len("country", 2))
                .col(string_null("phone"))
                .col(boolean("is_default"))
                .col(created_at())
                .col(updated_at())
                .foreign_key(&mut fk(
                    "fk_addresses_user",
                    ("addresses", "user_id"),
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_addresses_user", "addresses", &["user_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("categories")
                .col(id())
                .col(big_integer_null("parent_id"))
                .col(string("name"))
                .col(string_uniq("slug"))
                .col(text("description"))
                .col(integer("position"))
                .col(created_at())
                .col(updated_at())
                .foreign_key(&mut fk(
                    "fk_categories_parent",
                    ("categories", "parent_id"),
                    "categories",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_categories_parent",
            "categories",
            &["parent_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("products")
                .col(id())
                .col(big_integer_null("seller_id"))
                .col(big_integer_null("category_id"))
                .col(string("name"))
                .col(string_uniq("slug"))
                .col(text("description"))
                .col(string("status"))
                .col(string_len("currency", 3))
                // Denormalised from the variants in the same transaction that
                // changes them, so that listings filter and sort on one table.
                .col(big_integer("min_price"))
                .col(big_integer("max_price"))
                .col(boolean("in_stock"))
                .col(big_integer("units_sold").default(0))
                .col(created_at())
                .col(updated_at())
                .foreign_key(&mut fk(
                    "fk_products_seller",
                    ("products", "seller_id"),
                    "sellers",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "fk_products_category",
                    ("products", "category_id"),
                    "categories",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        for (name, columns) in [
            (
                "ix_products_status_created",
                &["status", "created_at", "id"][..],
            ),
            ("ix_products_status_price", &["status", "min_price", "id"]),
            ("ix_products_status_name", &["status", "name", "id"]),
            ("ix_products_status_sold", &["status", "units_sold", "id"]),
            (
                "ix_products_category",
                &["category_id", "status", "created_at"],
            ),
            ("ix_products_seller", &["seller_id", "status"]),
        ] {
            m.create_index(index(name, "products", columns, false))
                .await?;
        }

        m.create_table(
            Table::create()
                .table("variants")
                .col(id())
                .col(big_integer("product_id"))
                .col(string_uniq("sku"))
                .col(text("options"))
                .col(big_integer("price"))
                .col(string_len("currency", 3))
                .col(big_integer("stock_on_hand").check(Expr::col("stock_on_hand").gte(0)))
                .col(
                    big_integer("stock_reserved")
                        .default(0)
                        .check(Expr::col("stock_reserved").gte(0)),
                )
                .col(integer("position"))
                .col(created_at())
                .col(updated_at())
                .foreign_key(&mut fk(
                    "fk_variants_product",
                    ("variants", "product_id"),
                    "products",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_variants_product",
            "variants",
            &["product_id", "position"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("stock_movements")
                .col(id())
                .col(big_integer("variant_id"))
                .col(big_integer("delta"))
                .col(big_integer("stock_after"))
                .col(string("reason"))
                .col(big_integer_null("actor_id"))
                .col(created_at())
                .foreign_key(&mut fk(
                    "fk_stock_movements_variant",
                    ("stock_movements", "variant_id"),
                    "variants",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_stock_movements_actor",
                    ("stock_movements", "actor_id"),
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_stock_movements_variant",
            "stock_movements",
            &["variant_id", "created_at"],
            false,
        ))
        .await?;

        let db = m.get_connection();
        let statements: &[&str] = match m.get_database_backend() {
            DbBackend::Sqlite => &[
                "CREATE VIRTUAL TABLE products_fts USING fts5(name, description, \
                 content='products', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
                "CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN \
                 INSERT INTO products_fts(rowid, name, description) VALUES (new.id, new.name, new.description); END",
                "CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN \
                 INSERT INTO products_fts(products_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description); END",
                "CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description ON products BEGIN \
                 INSERT INTO products_fts(products_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description); \
                 INSERT INTO products_fts(rowid, name, description) VALUES (new.id, new.name, new.description); END",
            ],
            _ => &[
                "ALTER TABLE products ADD COLUMN search tsvector GENERATED ALWAYS AS (\
                 setweight(to_tsvector('english', coalesce(name, '')), 'A') || \
                 setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED",
                "CREATE INDEX ix_products_search ON products USING gin (search)",
            ],
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Sqlite {
            m.get_connection()
                .execute_unprepared("DROP TABLE IF EXISTS products_fts")
                .await?;
        }
        for table in [
            "stock_movements",
            "variants",
            "products",
            "categories",
            "addresses",
            "login_throttles",
            "refresh_tokens",
            "sellers",
            "users",
            "settings",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
