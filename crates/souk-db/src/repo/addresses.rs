//! A customer's address book. Every query is scoped by the owner, so that
//! another customer's address is simply not found.

use crate::entity::address;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use souk_domain::address::PostalAddress;

/// The owner's addresses, default first.
pub async fn list(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<address::Model>, DbErr> {
    address::Entity::find()
        .filter(address::Column::UserId.eq(user_id))
        .order_by_desc(address::Column::IsDefault)
        .order_by_asc(address::Column::Id)
        .all(db)
        .await
}

/// One of the owner's addresses.
pub async fn get(
    db: &impl ConnectionTrait,
    user_id: i64,
    id: i64,
) -> Result<Option<address::Model>, DbErr> {
    address::Entity::find_by_id(id)
        .filter(address::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// How many addresses the owner has.
pub async fn count(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    address::Entity::find()
        .filter(address::Column::UserId.eq(user_id))
        .count(db)
        .await
}

/// Adds an address; if it is the default, the others stop being one.
pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: i64,
    address: PostalAddress,
    is_default: bool,
) -> Result<address::Model, DbErr> {
    if is_default {
        clear_default(db, user_id).await?;
    }
    let now = Utc::now();
    let mut row = address::ActiveModel {
        user_id: Set(user_id),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut row, address, is_default);
    row.updated_at = Set(now);
    row.insert(db).await
}

/// Replaces the fields of one of the owner's addresses.
pub async fn update(
    db: &impl ConnectionTrait,
    user_id: i64,
    id: i64,
    address: PostalAddress,
    is_default: bool,
) -> Result<Option<address::Model>, DbErr> {
    let Some(found) = get(db, user_id, id).await? else {
        return Ok(None);
    };
    if is_default {
        clear_default(db, user_id).await?;
    }
    let mut row: address::ActiveModel = found.into();
    apply(&mut row, address, is_default);
    row.updated_at = Set(Utc::now());
    row.update(db).await.map(Some)
}

/// Deletes one of the owner's addresses; `false` if there was none.
pub async fn delete(db: &impl ConnectionTrait, user_id: i64, id: i64) -> Result<bool, DbErr> {
    let result = address::Entity::delete_many()
        .filter(address::Column::Id.eq(id))
        .filter(address::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

async fn clear_default(db: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    address::Entity::update_many()
        .col_expr(address::Column::IsDefault, Expr::value(false))
        .filter(address::Column::UserId.eq(user_id))
        .filter(address::Column::IsDefault.eq(true))
        .exec(db)
        .await?;
    Ok(())
}

fn apply(row: &mut address::ActiveModel, a: PostalAddress, is_default: bool) {
    row.full_name = Set(a.full_name);
    row.company = Set(a.company);
    row.line1 = Set(a.line1);
    row.line2 = Set(a.line2);
    row.city = Set(a.city);
    row.region = Set(a.region);
    row.postal_code = Set(a.postal_code);
    row.country = Set(a.country);
    row.phone = Set(a.phone);
    row.is_default = Set(is_default);
}
