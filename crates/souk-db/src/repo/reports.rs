//! Figures for the staff dashboard, computed by the database.

use super::raw;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

/// Statuses whose orders do not count as sales.
/// `?, ?, ...` for `n` values.
fn marks(n: usize) -> String {
    vec!["?"; n.max(1)].join(", ")
}

/// One day's sales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySales {
    /// The day in UTC, as `YYYY-MM-DD`.
    pub day: String,
    pub orders: i64,
    /// The sum of the orders' totals, in minor units.
    pub revenue: i64,
}

/// Sales per day (UTC) of the orders placed since `from` in one of the
/// `sales` statuses, oldest day first; days without sales are left out.
pub async fn sales_by_day(
    db: &impl ConnectionTrait,
    from: DateTime<Utc>,
    sales: &[&str],
) -> Result<Vec<DaySales>, DbErr> {
    let backend = db.get_database_backend();
    let day = match backend {
        DbBackend::Postgres => "to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        _ => "substr(placed_at, 1, 10)",
    };
    let sql = format!(
        "SELECT {day} AS day, COUNT(*) AS orders, CAST(COALESCE(SUM(total), 0) AS BIGINT) AS revenue \
         FROM orders WHERE placed_at >= ? AND status IN ({}) \
         GROUP BY {day} ORDER BY day",
        marks(sales.len())
    );
    let mut values = vec![Value::from(from)];
    values.extend(sales.iter().map(|s| Value::from(*s)));
    let rows = db.query_all_raw(raw(backend, &sql, values)).await?;
    rows.iter()
        .map(|row| {
            Ok(DaySales {
                day: row.try_get("", "day")?,
                orders: row.try_get("", "orders")?,
                revenue: row.try_get("", "revenue")?,
            })
        })
        .collect()
}

/// How many orders there are in each status, most first.
pub async fn orders_by_status(db: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let sql = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY n DESC, status";
    let rows = db.query_all_raw(raw(backend, sql, Vec::new())).await?;
    rows.iter()
        .map(|row| Ok((row.try_get("", "status")?, row.try_get("", "n")?)))
        .collect()
}

/// A variant that is running out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowStock {
    pub product_id: i64,
    pub product_name: String,
    pub variant_id: i64,
    pub sku: String,
    /// Units that can still be sold: on hand less reserved.
    pub available: i64,
}

/// Up to `limit` variants of products on sale with at most `threshold`
/// units available, fewest first: every product's, or one seller's.
pub async fn low_stock(
    db: &impl ConnectionTrait,
    seller_id: Option<i64>,
    threshold: i64,
    limit: u64,
) -> Result<Vec<LowStock>, DbErr> {
    let backend = db.get_database_backend();
    let whose = if seller_id.is_some() {
        "AND p.seller_id = ? "
    } else {
        ""
    };
    let sql = format!(
        "SELECT p.id AS product_id, p.name AS product_name, v.id AS variant_id, v.sku AS sku, \
         v.stock_on_hand - v.stock_reserved AS available \
         FROM variants v JOIN products p ON p.id = v.product_id \
         WHERE p.status = 'active' {whose}AND v.stock_on_hand - v.stock_reserved <= ? \
         ORDER BY available, p.name, v.sku LIMIT ?"
    );
    let mut values: Vec<Value> = seller_id.into_iter().map(Value::from).collect();
    values.extend([Value::from(threshold), Value::from(limit as i64)]);
    let rows = db.query_all_raw(raw(backend, &sql, values)).await?;
    rows.iter()
        .map(|row| {
            Ok(LowStock {
                product_id: row.try_get("", "product_id")?,
                product_name: row.try_get("", "product_name")?,
                variant_id: row.try_get("", "variant_id")?,
                sku: row.try_get("", "sku")?,
                available: row.try_get("", "available")?,
            })
        })
        .collect()
}

/// What a customer has ordered: how many orders and their totals' sum,
/// in minor units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CustomerOrders {
    pub orders: i64,
    pub spent: i64,
}

/// [`CustomerOrders`] of each of `user_ids` that has ordered; only orders
/// in one of the `sales` statuses count towards `spent`.
pub async fn customer_orders(
    db: &impl ConnectionTrait,
    user_ids: &[i64],
    sales: &[&str],
) -> Result<Vec<(i64, CustomerOrders)>, DbErr> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT user_id, COUNT(*) AS orders, \
         CAST(COALESCE(SUM(CASE WHEN status IN ({}) THEN total ELSE 0 END), 0) AS BIGINT) AS spent \
         FROM orders WHERE user_id IN ({}) GROUP BY user_id",
        marks(sales.len()),
        marks(user_ids.len())
    );
    let values = sales
        .iter()
        .map(|s| Value::from(*s))
        .chain(user_ids.iter().map(|id| Value::from(*id)))
        .collect();
    let rows = db.query_all_raw(raw(backend, &sql, values)).await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("", "user_id")?,
                CustomerOrders {
                    orders: row.try_get("", "orders")?,
                    spent: row.try_get("", "spent")?,
                },
            ))
        })
        .collect()
}
