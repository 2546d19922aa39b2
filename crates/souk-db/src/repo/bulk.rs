//! Fast loading of many rows at once, for the demo shop and the benchmark
//! data: the generated catalogue, and a seller's years of orders. Rows
//! carry their ids so that variants can refer to products (and an order's
//! parts to the order) without a round trip per row.

use super::raw;
use crate::entity::{
    commission_line, fulfilment, ledger_entry, order, order_event, order_item, payout, product,
    stock_movement, variant,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter,
};

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

/// Every row of one order: what a copy of it needs.
#[derive(Debug, Clone)]
pub struct OrderRows {
    pub order: order::Model,
    pub items: Vec<order_item::Model>,
    pub events: Vec<order_event::Model>,
    pub fulfilments: Vec<fulfilment::Model>,
    pub commission_lines: Vec<commission_line::Model>,
    pub ledger_entries: Vec<ledger_entry::Model>,
}

/// The rows of order `order_id`, or None.
pub async fn order_rows(
    db: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Option<OrderRows>, DbErr> {
    let Some(order) = order::Entity::find_by_id(order_id).one(db).await? else {
        return Ok(None);
    };
    Ok(Some(OrderRows {
        order,
        items: order_item::Entity::find()
            .filter(order_item::Column::OrderId.eq(order_id))
            .all(db)
            .await?,
        events: order_event::Entity::find()
            .filter(order_event::Column::OrderId.eq(order_id))
            .all(db)
            .await?,
        fulfilments: fulfilment::Entity::find()
            .filter(fulfilment::Column::OrderId.eq(order_id))
            .all(db)
            .await?,
        commission_lines: commission_line::Entity::find()
            .filter(commission_line::Column::OrderId.eq(order_id))
            .all(db)
            .await?,
        ledger_entries: ledger_entry::Entity::find()
            .filter(ledger_entry::Column::OrderId.eq(order_id))
            .all(db)
            .await?,
    }))
}

/// Inserts whole orders whose rows carry their ids, parents first.
pub async fn insert_orders(db: &impl ConnectionTrait, orders: Vec<OrderRows>) -> Result<(), DbErr> {
    let (mut heads, mut items, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let (mut parcels, mut commissions, mut entries) = (Vec::new(), Vec::new(), Vec::new());
    for rows in orders {
        heads.push(row(rows.order));
        items.extend(rows.items.into_iter().map(row));
        events.extend(rows.events.into_iter().map(row));
        parcels.extend(rows.fulfilments.into_iter().map(row));
        commissions.extend(rows.commission_lines.into_iter().map(row));
        entries.extend(rows.ledger_entries.into_iter().map(row));
    }
    for chunk in chunks(heads, 200) {
        order::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in chunks(items, 500) {
        order_item::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in chunks(events, 1000) {
        order_event::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in chunks(parcels, 200) {
        fulfilment::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in chunks(commissions, 500) {
        commission_line::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in chunks(entries, 500) {
        ledger_entry::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Inserts payouts and their ledger entries, rows that carry their ids.
pub async fn insert_payouts(
    db: &impl ConnectionTrait,
    payouts: Vec<payout::Model>,
    entries: Vec<ledger_entry::Model>,
) -> Result<(), DbErr> {
    for chunk in chunks(payouts.into_iter().map(row).collect(), 500) {
        payout::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in chunks(entries.into_iter().map(row).collect(), 500) {
        ledger_entry::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// A model as a row to insert with every column set, its id included.
fn row<A: ActiveModelTrait, M: IntoActiveModel<A>>(model: M) -> A {
    model.into_active_model().reset_all()
}

/// The tables a whole order writes to.
const ORDER_TABLES: &str =
    "orders, order_items, order_events, fulfilments, commission_lines, seller_ledger, payouts";

/// Refreshes PostgreSQL's statistics of the tables a whole order writes
/// to. Between batches of a bulk load this matters: the foreign key checks
/// of a session keep the plan made when the tables were nearly empty (a
/// scan of the whole table) until statistics change. SQLite needs nothing.
pub async fn analyse_order_tables(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    on_postgres(db, &format!("ANALYZE {ORDER_TABLES}")).await
}

/// After a bulk load, has PostgreSQL vacuum the tables a whole order
/// writes to, as its autovacuum does to a shop's tables in time: their
/// indexes answer alone (index-only scans) once the visibility map is set.
/// SQLite needs nothing.
pub async fn vacuum_order_tables(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    on_postgres(db, &format!("VACUUM (ANALYZE) {ORDER_TABLES}")).await
}

/// Runs `sql` on PostgreSQL; does nothing on SQLite.
async fn on_postgres(db: &impl ConnectionTrait, sql: &str) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

/// After rows were inserted with explicit ids, moves PostgreSQL's identity
/// sequences past them (SQLite needs nothing).
pub async fn reset_id_sequences(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in [
        "products",
        "variants",
        "stock_movements",
        "orders",
        "order_items",
        "order_events",
        "fulfilments",
        "commission_lines",
        "seller_ledger",
        "payouts",
    ] {
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
