//! Fast loading of many catalogue rows at once, for the demo shop and the
//! benchmark catalogue. Rows carry their ids so that variants can refer to
//! products without a round trip per product.

use super::raw;
use crate::entity::{product, stock_movement, variant};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait};

/// The next free id of a table (one more than the largest).
pub async fn next_id(db: &impl ConnectionTrait, table: &str) -> Result<i64, DbErr> {
    // `table` is one of this crate's own table names, never user input.
    let row = db
        .query_one_raw(raw(
            db.get_database_backend(),
            &format!("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM {table}"),
            vec![],
        ))
        .await?;
    match row {
        Some(row) => row.try_get::<i64>("", "next"),
        None => Ok(1),
    }
}

/// Inserts products, variants and stock movements that carry their ids,
/// in batches small enough for every backend's parameter limit.
pub async fn insert_catalogue(
    db: &impl ConnectionTrait,
    products: Vec<product::ActiveModel>,
    variants: Vec<variant::ActiveModel>,
    movements: Vec<stock_movement::ActiveModel>,
) -> Result<(), DbErr> {
    for chunk in chunks(products, 500) {
        product::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in chunks(variants, 1000) {
        variant::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in chunks(movements, 1000) {
        stock_movement::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// After rows were inserted with explicit ids, moves PostgreSQL's identity
/// sequences past them (SQLite needs nothing).
pub async fn reset_id_sequences(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in ["products", "variants", "stock_movements"] {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

fn chunks<T>(rows: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::with_capacity(rows.len() / size + 1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        out.push(rows.by_ref().take(size).collect());
    }
    out
}
