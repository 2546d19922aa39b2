//! Orders, their lines and their history. Status changes are conditional
//! on the status the caller saw, so two staff members cannot both move
//! one order.

use crate::entity::{fulfilment, order, order_event, order_item};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr,
    EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use souk_domain::paging::{Page, PageRequest};

/// Inserts an order row.
pub async fn insert(
    db: &impl ConnectionTrait,
    row: order::ActiveModel,
) -> Result<order::Model, DbErr> {
    row.insert(db).await
}

/// Inserts the lines of an order and returns them as stored, in the
/// order given.
pub async fn insert_items(
    db: &impl ConnectionTrait,
    items: Vec<order_item::ActiveModel>,
) -> Result<Vec<order_item::Model>, DbErr> {
    let mut stored = order_item::Entity::insert_many(items)
        .exec_with_returning(db)
        .await?;
    stored.sort_unstable_by_key(|i| i.id);
    Ok(stored)
}

/// Records a step of an order's history.
pub async fn record_event(
    db: &impl ConnectionTrait,
    order_id: i64,
    status: &str,
    actor_kind: &str,
    actor_id: Option<i64>,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    order_event::ActiveModel {
        order_id: Set(order_id),
        status: Set(status.to_owned()),
        actor_kind: Set(actor_kind.to_owned()),
        actor_id: Set(actor_id),
        note: Set(note.map(str::to_owned)),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The order with this public id.
pub async fn find(
    db: &impl ConnectionTrait,
    public_id: &str,
) -> Result<Option<order::Model>, DbErr> {
    order::Entity::find()
        .filter(order::Column::PublicId.eq(public_id))
        .one(db)
        .await
}

/// The order with this internal id.
pub async fn find_by_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<order::Model>, DbErr> {
    order::Entity::find_by_id(id).one(db).await
}

/// The lines of an order.
pub async fn items(
    db: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Vec<order_item::Model>, DbErr> {
    order_item::Entity::find()
        .filter(order_item::Column::OrderId.eq(order_id))
        .order_by_asc(order_item::Column::Id)
        .all(db)
        .await
}

/// The history of an order, oldest first.
pub async fn events(
    db: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Vec<order_event::Model>, DbErr> {
    order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(order_id))
        .order_by_asc(order_event::Column::Id)
        .all(db)
        .await
}

/// Moves an order from `from` to `to` if it is still in `from`; `false`
/// if something else moved it first.
pub async fn transition(
    db: &impl ConnectionTrait,
    order_id: i64,
    from: &str,
    to: &str,
    payment_status: Option<&str>,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(to))
        .col_expr(order::Column::UpdatedAt, Expr::value(at));
    if let Some(payment_status) = payment_status {
        update = update.col_expr(order::Column::PaymentStatus, Expr::value(payment_status));
    }
    let result = update
        .filter(order::Column::Id.eq(order_id))
        .filter(order::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Which orders staff want to see.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub user_id: Option<i64>,
    pub status: Option<String>,
    pub placed_from: Option<DateTime<Utc>>,
    pub placed_to: Option<DateTime<Utc>>,
    pub email: Option<String>,
    pub number: Option<String>,
    /// Only orders with at least one line of this seller.
    pub seller_id: Option<i64>,
}

/// One page of orders, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &OrderFilter,
    page: PageRequest,
) -> Result<Page<order::Model>, DbErr> {
    let mut condition = Condition::all();
    if let Some(user_id) = filter.user_id {
        condition = condition.add(order::Column::UserId.eq(user_id));
    }
    if let Some(status) = &filter.status {
        condition = condition.add(order::Column::Status.eq(status.as_str()));
    }
    if let Some(from) = filter.placed_from {
        condition = condition.add(order::Column::PlacedAt.gte(from));
    }
    if let Some(to) = filter.placed_to {
        condition = condition.add(order::Column::PlacedAt.lt(to));
    }
    if let Some(email) = &filter.email {
        condition = condition.add(order::Column::Email.eq(email.as_str()));
    }
    if let Some(number) = &filter.number {
        condition = condition.add(order::Column::Number.eq(number.as_str()));
    }
    if let Some(seller_id) = filter.seller_id {
        condition = condition.add(
            order::Column::Id.in_subquery(
                Query::select()
                    .column(order_item::Column::OrderId)
                    .from(order_item::Entity)
                    .and_where(order_item::Column::SellerId.eq(seller_id))
                    .to_owned(),
            ),
        );
    }
    let query = order::Entity::find().filter(condition);
    let query = query
        .order_by_desc(order::Column::PlacedAt)
        .order_by_desc(order::Column::Id);
    super::paged(db, query, page).await
}

/// A page of the orders that hold the seller's lines, newest first, each
/// with the seller's parcel of it. The page is found in the seller's
/// parcels (one per order) through their index alone, however deep it is,
/// before any order row is read; the orders and parcels come in one read.
///
/// The page's size and offset are written into the statement as numbers,
/// not bound: PostgreSQL then keeps one generic plan of the join per page
/// instead of planning it again on every call (a bound LIMIT makes every
/// custom plan look cheaper than the generic one), which took three times
/// as long as running it.
pub async fn seller_orders(
    db: &impl ConnectionTrait,
    seller_id: i64,
    page: PageRequest,
) -> Result<Vec<(order::Model, fulfilment::Model)>, DbErr> {
    // sea-query numbers a custom expression's values on PostgreSQL only.
    let placeholder = match db.get_database_backend() {
        DbBackend::Postgres => "$1",
        _ => "?",
    };
    let page_of_parcels = Expr::cust_with_values(
        format!(
            "\"orders\".\"id\" IN (SELECT \"order_id\" FROM \"fulfilments\" \
             WHERE \"seller_id\" = {placeholder} ORDER BY \"created_at\" DESC, \"order_id\" DESC \
             LIMIT {} OFFSET {})",
            page.per_page,
            page.offset()
        ),
        [seller_id],
    );
    let parcel: sea_orm::RelationDef = order::Entity::belongs_to(fulfilment::Entity)
        .from(order::Column::Id)
        .to(fulfilment::Column::OrderId)
        .into();
    let rows = order::Entity::find()
        .join(JoinType::InnerJoin, parcel)
        .select_also(fulfilment::Entity)
        .filter(fulfilment::Column::SellerId.eq(seller_id))
        .filter(page_of_parcels)
        .order_by_desc(order::Column::PlacedAt)
        .order_by_desc(order::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(order, parcel)| Some((order, parcel?)))
        .collect())
}

/// How many orders hold the seller's lines (it has one parcel in each).
pub async fn count_seller_orders(db: &impl ConnectionTrait, seller_id: i64) -> Result<u64, DbErr> {
    fulfilment::Entity::find()
        .filter(fulfilment::Column::SellerId.eq(seller_id))
        .count(db)
        .await
}

/// The lines of several orders, optionally only one seller's.
pub async fn items_of(
    db: &impl ConnectionTrait,
    order_ids: &[i64],
    seller_id: Option<i64>,
) -> Result<Vec<order_item::Model>, DbErr> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = order_item::Entity::find()
        .filter(order_item::Column::OrderId.is_in(order_ids.iter().copied()));
    if let Some(seller_id) = seller_id {
        query = query.filter(order_item::Column::SellerId.eq(seller_id));
    }
    query.order_by_asc(order_item::Column::Id).all(db).await
}

/// Whether an order number is taken.
pub async fn number_taken(db: &impl ConnectionTrait, number: &str) -> Result<bool, DbErr> {
    Ok(order::Entity::find()
        .filter(order::Column::Number.eq(number))
        .count(db)
        .await?
        > 0)
}

/// Sets an order's payment status.
pub async fn set_payment_status(
    db: &impl ConnectionTrait,
    order_id: i64,
    payment_status: &str,
) -> Result<(), DbErr> {
    order::Entity::update_many()
        .col_expr(order::Column::PaymentStatus, Expr::value(payment_status))
        .col_expr(order::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(order::Column::Id.eq(order_id))
        .exec(db)
        .await?;
    Ok(())
}
