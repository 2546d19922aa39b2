//! One migration set for SQLite and PostgreSQL. Backend-specific statements
//! (full-text search) are chosen inside a migration by the backend it runs
//! on; everything else is portable SeaQuery.

mod m20261122_000001_foundation;
mod m20261122_000002_orders;

use sea_orm_migration::prelude::*;

/// All migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_orders::Migration),
        ]
    }
}

/// Applies every pending migration.
pub async fn migrate(db: &crate::Db) -> Result<(), crate::DbError> {
    Migrator::up(db.conn(), None).await?;
    Ok(())
}
