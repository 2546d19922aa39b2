//! An order has at most one open (pending) payment attempt: a shopper who
//! tries again after a declined or abandoned card pays through the one
//! that is open, or through a new one once none is, so that two attempts
//! can never both take the order's money. A partial unique index holds
//! it on every node, whatever the order of their requests.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000015_one_open_payment"
    }
}

const ONE_OPEN: &str = "ux_payments_one_open";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The same statement on SQLite and PostgreSQL; sea-query's index
        // builder has no WHERE clause.
        m.get_connection()
            .execute_unprepared(&format!(
                "CREATE UNIQUE INDEX {ONE_OPEN} ON payments (order_id) WHERE status = 'pending'"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(&format!("DROP INDEX IF EXISTS {ONE_OPEN}"))
            .await?;
        Ok(())
    }
}
