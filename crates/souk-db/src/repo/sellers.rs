//! Marketplace sellers: applications, decisions and shop profiles.

use crate::entity::seller;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use souk_domain::paging::{Page, PageRequest};

/// A seller's own words and details, as it gives them.
#[derive(Debug, Clone, Copy)]
pub struct SellerProfile<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    pub contact_email: &'a str,
    pub payout_details: &'a str,
}

/// Stores a seller run by `user_id` (None: a seller without an account).
pub async fn insert_seller(
    db: &impl ConnectionTrait,
    user_id: Option<i64>,
    profile: SellerProfile<'_>,
    status: &str,
    now: DateTime<Utc>,
) -> Result<seller::Model, DbErr> {
    seller::ActiveModel {
        user_id: Set(user_id),
        name: Set(profile.name.to_owned()),
        slug: Set(profile.slug.to_owned()),
        description: Set(profile.description.to_owned()),
        contact_email: Set(profile.contact_email.to_owned()),
        payout_details: Set(profile.payout_details.to_owned()),
        status: Set(status.to_owned()),
        decision_reason: Set(None),
        decided_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Replaces a seller's profile; false when there is no such seller.
pub async fn update_profile(
    db: &impl ConnectionTrait,
    id: i64,
    profile: SellerProfile<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = seller::Entity::update_many()
        .col_expr(seller::Column::Name, Expr::value(profile.name))
        .col_expr(seller::Column::Slug, Expr::value(profile.slug))
        .col_expr(
            seller::Column::Description,
            Expr::value(profile.description),
        )
        .col_expr(
            seller::Column::ContactEmail,
            Expr::value(profile.contact_email),
        )
        .col_expr(
            seller::Column::PayoutDetails,
            Expr::value(profile.payout_details),
        )
        .col_expr(seller::Column::UpdatedAt, Expr::value(now))
        .filter(seller::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Moves a seller from status `from` to `to` with the decision's reason;
/// false when it is no longer in `from` (someone decided meanwhile).
pub async fn decide(
    db: &impl ConnectionTrait,
    id: i64,
    from: &str,
    to: &str,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = seller::Entity::update_many()
        .col_expr(seller::Column::Status, Expr::value(to))
        .col_expr(seller::Column::DecisionReason, Expr::value(reason))
        .col_expr(seller::Column::DecidedAt, Expr::value(now))
        .col_expr(seller::Column::UpdatedAt, Expr::value(now))
        .filter(seller::Column::Id.eq(id))
        .filter(seller::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The seller with this id or slug.
pub async fn find_seller(
    db: &impl ConnectionTrait,
    id_or_slug: &str,
) -> Result<Option<seller::Model>, DbErr> {
    let by = match id_or_slug.parse::<i64>() {
        Ok(id) => seller::Column::Id.eq(id),
        Err(_) => seller::Column::Slug.eq(id_or_slug),
    };
    seller::Entity::find().filter(by).one(db).await
}

/// The seller that a user account runs, if any.
pub async fn find_seller_of_user(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<seller::Model>, DbErr> {
    seller::Entity::find()
        .filter(seller::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// Whether a seller other than `except` has this slug.
pub async fn slug_taken(
    db: &impl ConnectionTrait,
    slug: &str,
    except: Option<i64>,
) -> Result<bool, DbErr> {
    let mut query = seller::Entity::find().filter(seller::Column::Slug.eq(slug));
    if let Some(id) = except {
        query = query.filter(seller::Column::Id.ne(id));
    }
    Ok(query.one(db).await?.is_some())
}

/// Sellers by id, for showing who sells a product.
pub async fn sellers_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<seller::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    seller::Entity::find()
        .filter(seller::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// One page of sellers in `status` (every status for None): applications
/// waiting for review first, oldest first, so the queue is worked in order.
pub async fn list_sellers(
    db: &impl ConnectionTrait,
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<seller::Model>, DbErr> {
    let mut query = seller::Entity::find();
    if let Some(status) = status {
        query = query.filter(seller::Column::Status.eq(status));
    }
    let query = query
        .order_by_desc(Expr::col(seller::Column::Status).eq(Expr::value("pending")))
        .order_by_asc(seller::Column::Id);
    super::paged(db, query, page).await
}

/// A seller's name with the id of its newest ledger entry (0 when it has
/// none), in one read: what a seller's order list needs besides the page.
pub async fn name_and_latest_entry(
    db: &impl ConnectionTrait,
    seller_id: i64,
) -> Result<Option<(String, i64)>, DbErr> {
    let sql = "SELECT s.name AS name, \
               CAST(COALESCE((SELECT MAX(l.id) FROM seller_ledger l WHERE l.seller_id = s.id), 0) AS BIGINT) AS latest \
               FROM sellers s WHERE s.id = ?";
    let row = db
        .query_one_raw(super::raw(
            db.get_database_backend(),
            sql,
            vec![sea_orm::Value::from(seller_id)],
        ))
        .await?;
    row.map(|row| Ok((row.try_get("", "name")?, row.try_get("", "latest")?)))
        .transpose()
}
