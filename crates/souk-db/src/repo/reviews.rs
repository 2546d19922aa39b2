//! Reviews: written once per account and product, moderated by staff,
//! answered once; each product keeps the count, sum and average of its
//! published ratings in step.

use super::raw;
use crate::entity::{product, review};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, FromQueryResult, JoinType, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use souk_domain::paging::{Page, PageRequest};
use souk_domain::reviews::{RatingSummary, ReviewSort, ReviewStatus};

/// A review as its author writes it.
#[derive(Debug, Clone)]
pub struct ReviewText {
    pub rating: i16,
    pub title: String,
    pub body: String,
}

/// Whether `user_id` has an order line of `product_id` in a parcel that was
/// delivered.
pub async fn has_received(
    db: &impl ConnectionTrait,
    user_id: i64,
    product_id: i64,
) -> Result<bool, DbErr> {
    let sql = "SELECT 1 FROM orders o \
               JOIN order_items i ON i.order_id = o.id \
               JOIN fulfilments f ON f.order_id = o.id \
                AND (f.seller_id = i.seller_id OR (f.seller_id IS NULL AND i.seller_id IS NULL)) \
               WHERE o.user_id = ? AND i.product_id = ? AND f.status = 'delivered' LIMIT 1";
    let found = db
        .query_one_raw(raw(
            db.get_database_backend(),
            sql,
            vec![user_id.into(), product_id.into()],
        ))
        .await?;
    Ok(found.is_some())
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<review::Model>, DbErr> {
    review::Entity::find_by_id(id).one(db).await
}

/// The review `user_id` wrote of `product_id`, if any.
pub async fn find_by_author(
    db: &impl ConnectionTrait,
    product_id: i64,
    user_id: i64,
) -> Result<Option<review::Model>, DbErr> {
    review::Entity::find()
        .filter(review::Column::ProductId.eq(product_id))
        .filter(review::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// Adds a review; a second one by the same author of the same product
/// breaks the unique index (`ux_reviews_product_user`).
pub async fn insert(
    db: &impl ConnectionTrait,
    product_id: i64,
    user_id: i64,
    author_name: String,
    text: ReviewText,
    status: ReviewStatus,
    at: DateTime<Utc>,
) -> Result<review::Model, DbErr> {
    review::ActiveModel {
        product_id: Set(product_id),
        user_id: Set(user_id),
        author_name: Set(author_name),
        rating: Set(text.rating),
        title: Set(text.title),
        body: Set(text.body),
        status: Set(status.as_str().to_owned()),
        reply: Set(None),
        replied_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Replaces a review's rating and words, and its status.
pub async fn rewrite(
    db: &impl ConnectionTrait,
    id: i64,
    text: ReviewText,
    status: ReviewStatus,
    at: DateTime<Utc>,
) -> Result<review::Model, DbErr> {
    review::ActiveModel {
        id: Set(id),
        rating: Set(text.rating),
        title: Set(text.title),
        body: Set(text.body),
        status: Set(status.as_str().to_owned()),
        updated_at: Set(at),
        ..Default::default()
    }
    .update(db)
    .await
}

pub async fn set_status(
    db: &impl ConnectionTrait,
    id: i64,
    status: ReviewStatus,
) -> Result<(), DbErr> {
    review::Entity::update_many()
        .col_expr(review::Column::Status, Expr::value(status.as_str()))
        .filter(review::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Sets the reply of a review that has none; false if it already had one.
pub async fn set_reply(
    db: &impl ConnectionTrait,
    id: i64,
    reply: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = review::Entity::update_many()
        .col_expr(review::Column::Reply, Expr::value(reply))
        .col_expr(review::Column::RepliedAt, Expr::value(at))
        .filter(review::Column::Id.eq(id))
        .filter(review::Column::Reply.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// How many published reviews of a product give each rating.
pub async fn rating_counts(
    db: &impl ConnectionTrait,
    product_id: i64,
) -> Result<RatingSummary, DbErr> {
    let rows: Vec<(i16, i64)> = review::Entity::find()
        .select_only()
        .column(review::Column::Rating)
        .column_as(review::Column::Id.count(), "n")
        .filter(review::Column::ProductId.eq(product_id))
        .filter(review::Column::Status.eq(ReviewStatus::Published.as_str()))
        .group_by(review::Column::Rating)
        .into_tuple()
        .all(db)
        .await?;
    Ok(RatingSummary::from_counts(rows.into_iter().map(
        |(stars, n)| (i64::from(stars), u64::try_from(n).unwrap_or(0)),
    )))
}

/// Counts a product's published ratings again into its kept columns.
pub async fn recount(db: &impl ConnectionTrait, product_id: i64) -> Result<RatingSummary, DbErr> {
    let summary = rating_counts(db, product_id).await?;
    product::Entity::update_many()
        .col_expr(
            product::Column::ReviewCount,
            Expr::value(i32::try_from(summary.count()).unwrap_or(i32::MAX)),
        )
        .col_expr(
            product::Column::RatingSum,
            Expr::value(i64::try_from(summary.sum()).unwrap_or(i64::MAX)),
        )
        .col_expr(product::Column::RatingScore, Expr::value(summary.score()))
        .filter(product::Column::Id.eq(product_id))
        .exec(db)
        .await?;
    Ok(summary)
}

/// One page of a product's published reviews; `total` is the product's kept
/// count.
pub async fn published_page(
    db: &impl ConnectionTrait,
    product_id: i64,
    sort: ReviewSort,
    page: PageRequest,
    total: u64,
) -> Result<Page<review::Model>, DbErr> {
    let query = review::Entity::find()
        .filter(review::Column::ProductId.eq(product_id))
        .filter(review::Column::Status.eq(ReviewStatus::Published.as_str()));
    let query = match sort {
        ReviewSort::Newest => query
            .order_by(review::Column::CreatedAt, Order::Desc)
            .order_by(review::Column::Id, Order::Desc),
        ReviewSort::Oldest => query
            .order_by(review::Column::CreatedAt, Order::Asc)
            .order_by(review::Column::Id, Order::Asc),
        ReviewSort::Highest => query
            .order_by(review::Column::Rating, Order::Desc)
            .order_by(review::Column::CreatedAt, Order::Desc)
            .order_by(review::Column::Id, Order::Desc),
        ReviewSort::Lowest => query
            .order_by(review::Column::Rating, Order::Asc)
            .order_by(review::Column::CreatedAt, Order::Desc)
            .order_by(review::Column::Id, Order::Desc),
    };
    let items = query
        .limit(page.per_page)
        .offset(page.offset())
        .all(db)
        .await?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

/// A review with the product it is of, for staff and sellers.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ReviewWithProduct {
    #[sea_orm(nested)]
    pub review: review::Model,
    pub product_name: String,
    pub product_slug: String,
    pub seller_id: Option<i64>,
}

/// Whose products' reviews a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewsOf {
    /// Every product's.
    All,
    /// One seller's products'.
    Seller(i64),
}

/// One page of reviews, newest first, in one status or any.
pub async fn list(
    db: &impl ConnectionTrait,
    of: ReviewsOf,
    status: Option<ReviewStatus>,
    page: PageRequest,
) -> Result<Page<ReviewWithProduct>, DbErr> {
    let mut condition = Condition::all();
    if let Some(status) = status {
        condition = condition.add(review::Column::Status.eq(status.as_str()));
    }
    if let ReviewsOf::Seller(seller_id) = of {
        condition = condition.add(product::Column::SellerId.eq(seller_id));
    }
    let query = review::Entity::find()
        .join(JoinType::InnerJoin, review_product())
        .filter(condition);
    let total = query.clone().count(db).await?;
    let items = with_product_columns(query)
        .order_by(review::Column::CreatedAt, Order::Desc)
        .order_by(review::Column::Id, Order::Desc)
        .limit(page.per_page)
        .offset(page.offset())
        .into_model::<ReviewWithProduct>()
        .all(db)
        .await?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

/// The review with this id and its product.
pub async fn find_with_product(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<ReviewWithProduct>, DbErr> {
    with_product_columns(review::Entity::find_by_id(id).join(JoinType::InnerJoin, review_product()))
        .into_model::<ReviewWithProduct>()
        .one(db)
        .await
}

/// Every review `user_id` wrote, oldest first, with its product.
pub async fn written_by(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<ReviewWithProduct>, DbErr> {
    with_product_columns(
        review::Entity::find()
            .join(JoinType::InnerJoin, review_product())
            .filter(review::Column::UserId.eq(user_id)),
    )
    .order_by(review::Column::CreatedAt, Order::Asc)
    .order_by(review::Column::Id, Order::Asc)
    .into_model::<ReviewWithProduct>()
    .all(db)
    .await
}

/// The products `user_id` reviewed (whose ratings change when the account
/// goes).
pub async fn products_reviewed_by(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<i64>, DbErr> {
    review::Entity::find()
        .select_only()
        .column(review::Column::ProductId)
        .filter(review::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await
}

/// Reads a review query (joined with its product) as [`ReviewWithProduct`]
/// rows: the review's columns and the product's name, slug and seller.
fn with_product_columns(query: sea_orm::Select<review::Entity>) -> sea_orm::Select<review::Entity> {
    query
        .select_only()
        .columns(all_review_columns())
        .column_as(product::Column::Name, "product_name")
        .column_as(product::Column::Slug, "product_slug")
        .column_as(product::Column::SellerId, "seller_id")
}

fn review_product() -> sea_orm::RelationDef {
    review::Entity::belongs_to(product::Entity)
        .from(review::Column::ProductId)
        .to(product::Column::Id)
        .into()
}

fn all_review_columns() -> [review::Column; 12] {
    use review::Column::*;
    [
        Id, ProductId, UserId, AuthorName, Rating, Title, Body, Status, Reply, RepliedAt,
        CreatedAt, UpdatedAt,
    ]
}
