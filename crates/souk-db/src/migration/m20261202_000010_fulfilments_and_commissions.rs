//! Split fulfilment and commissions. An order has one fulfilment per seller
//! whose lines it holds (`seller_id` null: the shop's own); the lines of a
//! fulfilment are the order's lines of that seller. Staff keep commission
//! rules; every seller's line gets a frozen commission line at checkout.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000010_fulfilments_and_commissions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("fulfilments")
                .col(big_pk_auto("id"))
                .col(big_integer("order_id"))
                .col(big_integer_null("seller_id"))
                .col(string("status"))
                .col(string("shipping_method_name"))
                .col(big_integer("shipping_total"))
                .col(big_integer("subtotal"))
                .col(string("currency"))
                .col(string_null("carrier"))
                .col(string_null("tracking_number"))
                .col(timestamp_with_time_zone_null("shipped_at"))
                .col(timestamp_with_time_zone_null("delivered_at"))
                .col(timestamp_with_time_zone_null("cancelled_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "fk_fulfilments_order",
                    ("fulfilments", "order_id"),
                    "orders",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_fulfilments_seller",
                    ("fulfilments", "seller_id"),
                    "sellers",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_fulfilments_order_seller",
            "fulfilments",
            &["order_id", "seller_id"],
            true,
        ))
        .await?;
        m.create_index(index(
            "ix_fulfilments_seller_status",
            "fulfilments",
            &["seller_id", "status", "id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("commission_rules")
                .col(big_pk_auto("id"))
                .col(string("scope"))
                .col(big_integer_null("seller_id"))
                .col(big_integer_null("category_id"))
                // The scope with its ids ("seller:3"), unique: one rule per scope.
                .col(string_uniq("scope_key"))
                .col(integer("basis_points"))
                .col(big_integer("fixed_per_unit"))
                .col(big_integer_null("min_per_line"))
                .col(big_integer_null("max_per_line"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "fk_commission_rules_seller",
                    ("commission_rules", "seller_id"),
                    "sellers",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_commission_rules_category",
                    ("commission_rules", "category_id"),
                    "categories",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("commission_lines")
                .col(big_pk_auto("id"))
                .col(big_integer("order_id"))
                .col(big_integer_uniq("order_item_id"))
                .col(big_integer("seller_id"))
                .col(big_integer_null("rule_id"))
                .col(string("rule_scope"))
                .col(integer("basis_points"))
                .col(big_integer("fixed_per_unit"))
                .col(big_integer_null("min_per_line"))
                .col(big_integer_null("max_per_line"))
                // What the buyer pays for the line: its total less its
                // share of the order's discount.
                .col(big_integer("line_amount"))
                .col(big_integer("discount_share"))
                .col(big_integer("amount"))
                .col(string("currency"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "fk_commission_lines_order",
                    ("commission_lines", "order_id"),
                    "orders",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_commission_lines_item",
                    ("commission_lines", "order_item_id"),
                    "order_items",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_commission_lines_seller",
                    ("commission_lines", "seller_id"),
                    "sellers",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "fk_commission_lines_rule",
                    ("commission_lines", "rule_id"),
                    "commission_rules",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_commission_lines_order",
            "commission_lines",
            &["order_id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "ix_commission_lines_seller",
            "commission_lines",
            &["seller_id", "id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["commission_lines", "commission_rules", "fulfilments"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
