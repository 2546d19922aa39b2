//! One migration set for SQLite and PostgreSQL. Backend-specific statements
//! (full-text search) are chosen inside a migration by the backend it runs
//! on; everything else is portable SeaQuery.

mod m20261122_000001_foundation;
mod m20261122_000002_orders;
mod m20261122_000003_jobs_and_vouchers;
mod m20261122_000004_password_resets;
mod m20261122_000005_payments;
mod m20261122_000007_web_sessions;
mod m20261122_000008_payment_references;
mod m20261202_000009_seller_applications;
mod m20261202_000010_fulfilments_and_commissions;
mod m20261202_000011_ledger_and_payouts;
mod m20261203_000012_seller_shipping;
mod m20261203_000013_seller_list_indexes;
mod m20261203_000014_ledger_release_dates;
mod m20261204_000015_one_open_payment;
mod m20261207_000016_seller_balances;
mod m20261208_000017_reviews;
mod m20261208_000018_product_photos;
mod m20261208_000020_wishlists;

use sea_orm_migration::prelude::*;

/// All migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_orders::Migration),
            Box::new(m20261122_000003_jobs_and_vouchers::Migration),
            Box::new(m20261122_000004_password_resets::Migration),
            Box::new(m20261122_000005_payments::Migration),
            Box::new(m20261122_000007_web_sessions::Migration),
            Box::new(m20261122_000008_payment_references::Migration),
            Box::new(m20261202_000009_seller_applications::Migration),
            Box::new(m20261202_000010_fulfilments_and_commissions::Migration),
            Box::new(m20261202_000011_ledger_and_payouts::Migration),
            Box::new(m20261203_000012_seller_shipping::Migration),
            Box::new(m20261203_000013_seller_list_indexes::Migration),
            Box::new(m20261203_000014_ledger_release_dates::Migration),
            Box::new(m20261204_000015_one_open_payment::Migration),
            Box::new(m20261207_000016_seller_balances::Migration),
            Box::new(m20261208_000017_reviews::Migration),
            Box::new(m20261208_000018_product_photos::Migration),
            Box::new(m20261208_000020_wishlists::Migration),
        ]
    }
}

/// A foreign key from `from` (table, column) to `to`'s `id`.
fn fk(
    name: &str,
    from: (&'static str, &'static str),
    to: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to, "id")
        .on_delete(on_delete)
        .to_owned()
}

/// An index over `columns` of `table`.
fn index(
    name: &str,
    table: &'static str,
    columns: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    if unique {
        index.unique();
    }
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}

/// Applies every pending migration.
pub async fn migrate(db: &crate::Db) -> Result<(), crate::DbError> {
    Migrator::up(db.conn(), None).await?;
    Ok(())
}
