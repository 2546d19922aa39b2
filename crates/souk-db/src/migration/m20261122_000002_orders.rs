//! Carts, shipping methods, orders with their lines and history, and
//! idempotency keys.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000002_orders"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("carts")
                .col(big_pk_auto("id"))
                // A guest cart is found by the SHA-256 of its token; a
                // customer's by the user. One cart per customer.
                .col(string_null("token_hash").unique_key())
                .col(big_integer_null("user_id").unique_key())
                // Bumped by every checkout, so one cart content becomes at
                // most one order.
                .col(big_integer("generation").default(0))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "fk_carts_user",
                    ("carts", "user_id"),
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("cart_items")
                .col(big_pk_auto("id"))
                .col(big_integer("cart_id"))
                .col(big_integer("variant_id"))
                .col(big_integer("quantity").check(Expr::col("quantity").gt(0)))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "fk_cart_items_cart",
                    ("cart_items", "cart_id"),
                    "carts",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_cart_items_variant",
                    ("cart_items", "variant_id"),
                    "variants",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_cart_items_cart_variant",
            "cart_items",
            &["cart_id", "variant_id"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("shipping_methods")
                .col(big_pk_auto("id"))
                .col(string("name"))
                .col(big_integer("price"))
                .col(string_len("currency", 3))
                .col(big_integer_null("free_above"))
                .col(boolean("active"))
                .col(integer("position"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("orders")
                .col(big_pk_auto("id"))
                // What URLs and clients use: random, reveals nothing.
                .col(string_uniq("public_id"))
                // What people read out on the phone: random, short.
                .col(string_uniq("number"))
                .col(big_integer_null("user_id"))
                .col(string("email"))
                .col(string("status"))
                .col(string("payment_status"))
                .col(string("payment_method"))
                .col(string_len("currency", 3))
                .col(big_integer("subtotal"))
                .col(big_integer("shipping_total"))
                .col(big_integer("discount_total"))
                .col(big_integer("tax_total"))
                .col(big_integer("total"))
                .col(text("shipping_address"))
                .col(big_integer_null("shipping_method_id"))
                .col(string("shipping_method_name"))
                .col(string_null("voucher_code"))
                .col(big_integer_null("cart_id"))
                .col(big_integer_null("cart_generation"))
                .col(timestamp_with_time_zone("placed_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "fk_orders_user",
                    ("orders", "user_id"),
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "fk_orders_shipping_method",
                    ("orders", "shipping_method_id"),
                    "shipping_methods",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_orders_cart_generation",
            "orders",
            &["cart_id", "cart_generation"],
            true,
        ))
        .await?;
        m.create_index(index(
            "ix_orders_user",
            "orders",
            &["user_id", "placed_at"],
            false,
        ))
        .await?;
        m.create_index(index(
            "ix_orders_status",
            "orders",
            &["status", "placed_at"],
            false,
        ))
        .await?;
        m.create_index(index("ix_orders_placed", "orders", &["placed_at"], false))
            .await?;
        m.create_index(index("ix_orders_email", "orders", &["email"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("order_items")
                .col(big_pk_auto("id"))
                .col(big_integer("order_id"))
                .col(big_integer_null("variant_id"))
                .col(big_integer_null("product_id"))
                .col(big_integer_null("seller_id"))
                .col(string("product_name"))
                .col(string("sku"))
                .col(text("options"))
                .col(big_integer("unit_price"))
                .col(big_integer("quantity"))
                .col(big_integer("line_total"))
                .foreign_key(&mut fk(
                    "fk_order_items_order",
                    ("order_items", "order_id"),
                    "orders",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_order_items_variant",
                    ("order_items", "variant_id"),
                    "variants",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "fk_order_items_product",
                    ("order_items", "product_id"),
                    "products",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "fk_order_items_seller",
                    ("order_items", "seller_id"),
                    "sellers",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_order_items_order",
            "order_items",
            &["order_id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "ix_order_items_seller",
            "order_items",
            &["seller_id", "order_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("order_events")
                .col(big_pk_auto("id"))
                .col(big_integer("order_id"))
                .col(string("status"))
                .col(string("actor_kind"))
                .col(big_integer_null("actor_id"))
                .col(text_null("note"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "fk_order_events_order",
                    ("order_events", "order_id"),
                    "orders",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_order_events_order",
            "order_events",
            &["order_id", "id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("idempotency_keys")
                .col(big_pk_auto("id"))
                // Whose key: a user, or a guest cart.
                .col(string("scope"))
                .col(string("key"))
                .col(string("request_hash"))
                .col(big_integer_null("order_id"))
                .col(integer_null("response_status"))
                .col(text_null("response_body"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("completed_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_idempotency_keys_scope_key",
            "idempotency_keys",
            &["scope", "key"],
            true,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "idempotency_keys",
            "order_events",
            "order_items",
            "orders",
            "shipping_methods",
            "cart_items",
            "carts",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
