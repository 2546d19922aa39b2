//! Vouchers and their redemptions. Uses are counted by conditional update,
//! so that a usage limit holds under concurrent checkouts.

use crate::entity::{voucher, voucher_redemption};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use souk_domain::paging::{Page, PageRequest};

/// The fields staff set.
#[derive(Debug, Clone)]
pub struct VoucherFields {
    pub code: String,
    pub kind: String,
    pub value: i64,
    pub min_subtotal: Option<i64>,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub active: bool,
}

/// The voucher with this (upper-cased) code.
pub async fn find_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<voucher::Model>, DbErr> {
    voucher::Entity::find()
        .filter(voucher::Column::Code.eq(code))
        .one(db)
        .await
}

/// The voucher with this id.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<voucher::Model>, DbErr> {
    voucher::Entity::find_by_id(id).one(db).await
}

/// Vouchers, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    page: PageRequest,
) -> Result<Page<voucher::Model>, DbErr> {
    super::paged(
        db,
        voucher::Entity::find().order_by_desc(voucher::Column::Id),
        page,
    )
    .await
}

/// Inserts a voucher; a taken code is a unique violation.
pub async fn insert(
    db: &impl ConnectionTrait,
    fields: VoucherFields,
) -> Result<voucher::Model, DbErr> {
    let now = Utc::now();
    let mut row = voucher::ActiveModel {
        used_count: Set(0),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut row, fields);
    row.updated_at = Set(now);
    row.insert(db).await
}

/// Replaces a voucher's fields.
pub async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    fields: VoucherFields,
) -> Result<Option<voucher::Model>, DbErr> {
    let Some(found) = find(db, id).await? else {
        return Ok(None);
    };
    let mut row: voucher::ActiveModel = found.into();
    apply(&mut row, fields);
    row.updated_at = Set(Utc::now());
    row.update(db).await.map(Some)
}

fn apply(row: &mut voucher::ActiveModel, f: VoucherFields) {
    row.code = Set(f.code);
    row.kind = Set(f.kind);
    row.value = Set(f.value);
    row.min_subtotal = Set(f.min_subtotal);
    row.usage_limit = Set(f.usage_limit);
    row.per_customer_limit = Set(f.per_customer_limit);
    row.starts_at = Set(f.starts_at);
    row.ends_at = Set(f.ends_at);
    row.active = Set(f.active);
}

/// Counts one use if the limit allows it; `false` when it is used up.
pub async fn take_use(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let result = voucher::Entity::update_many()
        .col_expr(
            voucher::Column::UsedCount,
            Expr::col(voucher::Column::UsedCount).add(1),
        )
        .filter(voucher::Column::Id.eq(id))
        .filter(
            Condition::any()
                .add(voucher::Column::UsageLimit.is_null())
                .add(
                    Expr::col(voucher::Column::UsedCount)
                        .lt(Expr::col(voucher::Column::UsageLimit)),
                ),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// How many live uses a customer has of a voucher.
pub async fn uses_by(
    db: &impl ConnectionTrait,
    voucher_id: i64,
    user_id: i64,
) -> Result<u64, DbErr> {
    voucher_redemption::Entity::find()
        .filter(voucher_redemption::Column::VoucherId.eq(voucher_id))
        .filter(voucher_redemption::Column::UserId.eq(user_id))
        .filter(voucher_redemption::Column::ReleasedAt.is_null())
        .count(db)
        .await
}

/// Records which order used the voucher, and for how much.
pub async fn record_use(
    db: &impl ConnectionTrait,
    voucher_id: i64,
    order_id: i64,
    user_id: i64,
    discount: i64,
) -> Result<(), DbErr> {
    voucher_redemption::ActiveModel {
        voucher_id: Set(voucher_id),
        order_id: Set(order_id),
        user_id: Set(Some(user_id)),
        discount: Set(discount),
        created_at: Set(Utc::now()),
        released_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Gives back the use an order made, once: the redemption is released by
/// conditional update and only then is the count lowered.
pub async fn give_back(db: &impl ConnectionTrait, order_id: i64) -> Result<(), DbErr> {
    let Some(redemption) = voucher_redemption::Entity::find()
        .filter(voucher_redemption::Column::OrderId.eq(order_id))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let released = voucher_redemption::Entity::update_many()
        .col_expr(
            voucher_redemption::Column::ReleasedAt,
            Expr::value(Utc::now()),
        )
        .filter(voucher_redemption::Column::Id.eq(redemption.id))
        .filter(voucher_redemption::Column::ReleasedAt.is_null())
        .exec(db)
        .await?;
    if released.rows_affected == 1 {
        voucher::Entity::update_many()
            .col_expr(
                voucher::Column::UsedCount,
                Expr::col(voucher::Column::UsedCount).sub(1),
            )
            .filter(voucher::Column::Id.eq(redemption.voucher_id))
            .filter(voucher::Column::UsedCount.gt(0))
            .exec(db)
            .await?;
    }
    Ok(())
}
