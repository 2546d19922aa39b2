//! Categories, products and variants: listing with filters and search,
//! detail, and the writes staff make.

use super::raw;
use crate::entity::{category, product, seller, variant};
use crate::search;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Order};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, ExprTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use souk_domain::catalogue::ListingSort;
use souk_domain::paging::{Page, PageRequest};

/// Every category, parents and children alike, in display order.
pub async fn all_categories(db: &impl ConnectionTrait) -> Result<Vec<category::Model>, DbErr> {
    category::Entity::find()
        .order_by_asc(category::Column::Position)
        .order_by_asc(category::Column::Name)
        .all(db)
        .await
}

/// The category with this id or slug.
pub async fn find_category(
    db: &impl ConnectionTrait,
    id_or_slug: &str,
) -> Result<Option<category::Model>, DbErr> {
    let by = match id_or_slug.parse::<i64>() {
        Ok(id) => category::Column::Id.eq(id),
        Err(_) => category::Column::Slug.eq(id_or_slug),
    };
    category::Entity::find().filter(by).one(db).await
}

/// The fields of a category that staff set.
#[derive(Debug, Clone)]
pub struct CategoryFields {
    pub parent_id: Option<i64>,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub position: i32,
}

/// Inserts a category.
pub async fn insert_category(
    db: &impl ConnectionTrait,
    fields: CategoryFields,
) -> Result<category::Model, DbErr> {
    let now = Utc::now();
    category::ActiveModel {
        parent_id: Set(fields.parent_id),
        name: Set(fields.name),
        slug: Set(fields.slug),
        description: Set(fields.description),
        position: Set(fields.position),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Replaces a category's fields.
pub async fn update_category(
    db: &impl ConnectionTrait,
    id: i64,
    fields: CategoryFields,
) -> Result<Option<category::Model>, DbErr> {
    let Some(found) = category::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut row: category::ActiveModel = found.into();
    row.parent_id = Set(fields.parent_id);
    row.name = Set(fields.name);
    row.slug = Set(fields.slug);
    row.description = Set(fields.description);
    row.position = Set(fields.position);
    row.updated_at = Set(Utc::now());
    row.update(db).await.map(Some)
}

/// Deletes a category; its products become uncategorised. `false` if there
/// was none.
pub async fn delete_category(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(category::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Whether a category has children.
pub async fn category_has_children(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(category::Entity::find()
        .filter(category::Column::ParentId.eq(id))
        .count(db)
        .await?
        > 0)
}

/// What a listing shows of a product.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ProductSummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub status: String,
    pub seller_id: Option<i64>,
    pub category_id: Option<i64>,
    pub currency: String,
    pub min_price: i64,
    pub max_price: i64,
    pub in_stock: bool,
    pub review_count: i32,
    pub rating_score: i32,
    pub created_at: DateTime<Utc>,
}

/// Which products a listing shows, in which order.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Words that must all appear in the name or description.
    pub text: Option<String>,
    /// Only products in one of these categories.
    pub category_ids: Option<Vec<i64>>,
    /// Lowest variant price at least this.
    pub min_price: Option<i64>,
    /// Lowest variant price at most this.
    pub max_price: Option<i64>,
    /// Only products with (`true`) or without (`false`) available stock.
    pub in_stock: Option<bool>,
    /// Only this seller's products.
    pub seller_id: Option<i64>,
    /// Only the shop's own products and those of sellers in this status
    /// (`None`: whoever sells them).
    pub seller_status: Option<&'static str>,
    /// Only products in this status (`None`: any).
    pub status: Option<&'static str>,
    /// The order; `None` means relevance with a text query, newest without.
    pub sort: Option<ListingSort>,
    /// Option values (name, value) that one variant must all have.
    pub options: Vec<(String, String)>,
}

/// One page of products matching `filter`, and how many match in all.
/// With `known_total`, the total is taken as given instead of counted.
pub async fn list_products(
    db: &impl ConnectionTrait,
    filter: &ProductFilter,
    page: PageRequest,
    known_total: Option<u64>,
) -> Result<Page<ProductSummary>, DbErr> {
    let backend = db.get_database_backend();
    let mut condition = Condition::all();
    if let Some(status) = filter.status {
        condition = condition.add(product::Column::Status.eq(status));
    }
    if let Some(ids) = &filter.category_ids {
        condition = condition.add(product::Column::CategoryId.is_in(ids.iter().copied()));
    }
    if let Some(min) = filter.min_price {
        condition = condition.add(product::Column::MinPrice.gte(min));
    }
    if let Some(max) = filter.max_price {
        condition = condition.add(product::Column::MinPrice.lte(max));
    }
    if let Some(in_stock) = filter.in_stock {
        condition = condition.add(product::Column::InStock.eq(in_stock));
    }
    if let Some(seller) = filter.seller_id {
        condition = condition.add(product::Column::SellerId.eq(seller));
    }
    if let Some(status) = filter.seller_status {
        let sellers_in_status = sea_orm::sea_query::Query::select()
            .column(seller::Column::Id)
            .from(seller::Entity)
            .and_where(seller::Column::Status.eq(status))
            .to_owned();
        condition = condition.add(
            Condition::any()
                .add(product::Column::SellerId.is_null())
                .add(product::Column::SellerId.in_subquery(sellers_in_status)),
        );
    }
    if !filter.options.is_empty() {
        condition = condition.add(has_variant_with(backend, &filter.options));
    }
    let words = filter
        .text
        .as_deref()
        .map(search::words)
        .unwrap_or_default();
    let sort = filter.sort.unwrap_or(if words.is_empty() {
        ListingSort::Newest
    } else {
        ListingSort::Relevance
    });

    let mut count = product::Entity::find().filter(condition.clone());
    let mut select = product::Entity::find()
        .select_only()
        .columns([
            product::Column::Id,
            product::Column::Slug,
            product::Column::Name,
            product::Column::Status,
            product::Column::SellerId,
            product::Column::CategoryId,
            product::Column::Currency,
            product::Column::MinPrice,
            product::Column::MaxPrice,
            product::Column::InStock,
            product::Column::ReviewCount,
            product::Column::RatingScore,
            product::Column::CreatedAt,
        ])
        .filter(condition);
    if !words.is_empty() {
        search::restrict(backend, QueryTrait::query(&mut count), &words, false);
        search::restrict(
            backend,
            QueryTrait::query(&mut select),
            &words,
            sort == ListingSort::Relevance,
        );
    }
    let select = match sort {
        ListingSort::PriceAsc => select
            .order_by(product::Column::MinPrice, Order::Asc)
            .order_by(product::Column::Id, Order::Asc),
        ListingSort::PriceDesc => select
            .order_by(product::Column::MinPrice, Order::Desc)
            .order_by(product::Column::Id, Order::Desc),
        ListingSort::Name => select
            .order_by(product::Column::Name, Order::Asc)
            .order_by(product::Column::Id, Order::Asc),
        ListingSort::Popular => select
            .order_by(product::Column::UnitsSold, Order::Desc)
            .order_by(product::Column::Id, Order::Desc),
        ListingSort::Rating => select
            .order_by(product::Column::RatingScore, Order::Desc)
            .order_by(product::Column::ReviewCount, Order::Desc)
            .order_by(product::Column::Id, Order::Desc),
        // Relevance was ordered by the search itself; newest breaks ties.
        ListingSort::Newest | ListingSort::Relevance => select
            .order_by(product::Column::CreatedAt, Order::Desc)
            .order_by(product::Column::Id, Order::Desc),
    };
    let items = select
        .limit(page.per_page)
        .offset(page.offset())
        .into_model::<ProductSummary>()
        .all(db)
        .await?;
    // A short first page is the whole result: no need to count.
    let total = if page.page == 1 && (items.len() as u64) < page.per_page {
        items.len() as u64
    } else if let Some(total) = known_total {
        total
    } else {
        count.count(db).await?
    };
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

/// `EXISTS` a variant of the product with all these option values. Options
/// are stored as compact JSON, so `"size":"M"` appears in the text exactly
/// when the variant has that value (quotes inside values are escaped).
fn has_variant_with(backend: sea_orm::DbBackend, options: &[(String, String)]) -> Expr {
    use sea_orm::sea_query::{Alias, Func, Query};
    let find = match backend {
        sea_orm::DbBackend::Postgres => "strpos",
        _ => "instr",
    };
    let v = Alias::new("v");
    let mut query = Query::select();
    query
        .expr(Expr::val(1))
        .from_as(variant::Entity, v.clone())
        .and_where(
            Expr::col((v.clone(), variant::Column::ProductId))
                .equals((product::Entity, product::Column::Id)),
        );
    for (name, value) in options {
        let pair = format!(
            "{}:{}",
            serde_json::Value::from(name.as_str()),
            serde_json::Value::from(value.as_str())
        );
        query.and_where(
            Expr::expr(
                Func::cust(Alias::new(find))
                    .arg(Expr::col((v.clone(), variant::Column::Options)))
                    .arg(pair),
            )
            .gt(0),
        );
    }
    Expr::exists(query)
}

/// Every distinct option set of the variants of active products in these
/// categories (`None`: in any), as stored (compact JSON objects), at most
/// 5,000.
pub async fn option_sets(
    db: &impl ConnectionTrait,
    category_ids: Option<&[i64]>,
) -> Result<Vec<String>, DbErr> {
    let (within, values) = match category_ids {
        Some([]) => return Ok(Vec::new()),
        Some(ids) => (
            format!(
                " AND p.category_id IN ({})",
                vec!["?"; ids.len()].join(", ")
            ),
            ids.iter().map(|id| sea_orm::Value::from(*id)).collect(),
        ),
        None => (String::new(), Vec::new()),
    };
    let sql = format!(
        "SELECT DISTINCT v.options FROM variants v JOIN products p ON p.id = v.product_id \
         WHERE p.status = 'active'{within} LIMIT 5000"
    );
    let rows = db
        .query_all_raw(raw(db.get_database_backend(), &sql, values))
        .await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect()
}

/// The product with this id or slug (slugs always contain a letter, so a
/// number is an id).
pub async fn find_product(
    db: &impl ConnectionTrait,
    id_or_slug: &str,
) -> Result<Option<product::Model>, DbErr> {
    let by = match id_or_slug.parse::<i64>() {
        Ok(id) => product::Column::Id.eq(id),
        Err(_) => product::Column::Slug.eq(id_or_slug),
    };
    product::Entity::find().filter(by).one(db).await
}

/// A product with the names of its category and seller, in one query.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ProductWithRefs {
    #[sea_orm(nested)]
    pub product: product::Model,
    pub category_slug: Option<String>,
    pub category_name: Option<String>,
    pub seller_slug: Option<String>,
    pub seller_name: Option<String>,
    pub seller_status: Option<String>,
}

/// The product with this id or slug, with its category and seller.
pub async fn find_product_with_refs(
    db: &impl ConnectionTrait,
    id_or_slug: &str,
) -> Result<Option<ProductWithRefs>, DbErr> {
    let (condition, value): (&str, sea_orm::Value) = match id_or_slug.parse::<i64>() {
        Ok(id) => ("p.id = ?", id.into()),
        Err(_) => ("p.slug = ?", id_or_slug.into()),
    };
    let sql = format!(
        "SELECT p.id, p.seller_id, p.category_id, p.name, p.slug, p.description, p.status, p.currency, \
                p.min_price, p.max_price, p.in_stock, p.units_sold, p.review_count, p.rating_sum, p.rating_score, \
                p.created_at, p.updated_at, \
                c.slug AS category_slug, c.name AS category_name, s.slug AS seller_slug, s.name AS seller_name, s.status AS seller_status \
         FROM products p \
         LEFT JOIN categories c ON c.id = p.category_id \
         LEFT JOIN sellers s ON s.id = p.seller_id \
         WHERE {condition}"
    );
    ProductWithRefs::find_by_statement(raw(db.get_database_backend(), &sql, vec![value]))
        .one(db)
        .await
}

/// The variants of a product, in display order.
pub async fn variants_of(
    db: &impl ConnectionTrait,
    product_id: i64,
) -> Result<Vec<variant::Model>, DbErr> {
    variant::Entity::find()
        .filter(variant::Column::ProductId.eq(product_id))
        .order_by_asc(variant::Column::Position)
        .order_by_asc(variant::Column::Id)
        .all(db)
        .await
}

/// The variant with this id.
pub async fn find_variant(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<variant::Model>, DbErr> {
    variant::Entity::find_by_id(id).one(db).await
}

/// Whether a slug is taken by a product other than `except`.
pub async fn product_slug_taken(
    db: &impl ConnectionTrait,
    slug: &str,
    except: Option<i64>,
) -> Result<bool, DbErr> {
    let mut query = product::Entity::find().filter(product::Column::Slug.eq(slug));
    if let Some(id) = except {
        query = query.filter(product::Column::Id.ne(id));
    }
    Ok(query.count(db).await? > 0)
}

/// The fields of a product that staff or its seller set.
#[derive(Debug, Clone)]
pub struct ProductFields {
    pub seller_id: Option<i64>,
    pub category_id: Option<i64>,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub status: &'static str,
    pub currency: String,
}

/// The fields of a new variant.
#[derive(Debug, Clone)]
pub struct VariantFields {
    pub sku: String,
    /// JSON object, keys sorted.
    pub options: String,
    pub price: i64,
    pub position: i32,
}

/// Inserts a product without variants; call [`refresh_product_summary`]
/// once its variants are in.
pub async fn insert_product(
    db: &impl ConnectionTrait,
    fields: ProductFields,
    created_at: DateTime<Utc>,
) -> Result<product::Model, DbErr> {
    product::ActiveModel {
        seller_id: Set(fields.seller_id),
        category_id: Set(fields.category_id),
        name: Set(fields.name),
        slug: Set(fields.slug),
        description: Set(fields.description),
        status: Set(fields.status.to_owned()),
        currency: Set(fields.currency),
        min_price: Set(0),
        max_price: Set(0),
        in_stock: Set(false),
        units_sold: Set(0),
        review_count: Set(0),
        rating_sum: Set(0),
        rating_score: Set(0),
        created_at: Set(created_at),
        updated_at: Set(created_at),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Replaces a product's own fields (not its variants).
pub async fn update_product(
    db: &impl ConnectionTrait,
    id: i64,
    fields: ProductFields,
) -> Result<Option<product::Model>, DbErr> {
    let Some(found) = product::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut row: product::ActiveModel = found.into();
    row.seller_id = Set(fields.seller_id);
    row.category_id = Set(fields.category_id);
    row.name = Set(fields.name);
    row.slug = Set(fields.slug);
    row.description = Set(fields.description);
    row.status = Set(fields.status.to_owned());
    row.currency = Set(fields.currency);
    row.updated_at = Set(Utc::now());
    row.update(db).await.map(Some)
}

/// Deletes a product and its variants; `false` if there was none.
pub async fn delete_product(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(product::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Puts products in `status`; returns how many there were.
pub async fn set_status(
    db: &impl ConnectionTrait,
    ids: &[i64],
    status: &str,
) -> Result<u64, DbErr> {
    Ok(product::Entity::update_many()
        .col_expr(product::Column::Status, Expr::value(status))
        .col_expr(product::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(product::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Inserts a variant with no stock; stock arrives by adjustment so that it
/// is recorded.
pub async fn insert_variant(
    db: &impl ConnectionTrait,
    product_id: i64,
    currency: &str,
    fields: VariantFields,
) -> Result<variant::Model, DbErr> {
    let now = Utc::now();
    variant::ActiveModel {
        product_id: Set(product_id),
        sku: Set(fields.sku),
        options: Set(fields.options),
        price: Set(fields.price),
        currency: Set(currency.to_owned()),
        stock_on_hand: Set(0),
        stock_reserved: Set(0),
        position: Set(fields.position),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Replaces a variant's SKU, options, price and position.
pub async fn update_variant(
    db: &impl ConnectionTrait,
    id: i64,
    fields: VariantFields,
) -> Result<Option<variant::Model>, DbErr> {
    let Some(found) = find_variant(db, id).await? else {
        return Ok(None);
    };
    let mut row: variant::ActiveModel = found.into();
    row.sku = Set(fields.sku);
    row.options = Set(fields.options);
    row.price = Set(fields.price);
    row.position = Set(fields.position);
    row.updated_at = Set(Utc::now());
    row.update(db).await.map(Some)
}

/// Deletes a variant; `false` if there was none.
pub async fn delete_variant(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(variant::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Recomputes a product's price range and availability from its variants.
/// Runs in the transaction that changed them, so listings never disagree
/// with the product page.
pub async fn refresh_product_summary(
    db: &impl ConnectionTrait,
    product_id: i64,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(raw(
        backend,
        "UPDATE products SET \
           min_price = COALESCE((SELECT MIN(price) FROM variants WHERE product_id = products.id), 0), \
           max_price = COALESCE((SELECT MAX(price) FROM variants WHERE product_id = products.id), 0), \
           in_stock = EXISTS (SELECT 1 FROM variants WHERE product_id = products.id \
                              AND stock_on_hand - stock_reserved > 0) \
         WHERE id = ?",
        vec![product_id.into()],
    ))
    .await?;
    Ok(())
}

/// How many products there are (any status).
pub async fn count_products(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    product::Entity::find().count(db).await
}

/// Whether a SKU is taken by a variant other than `except`.
pub async fn sku_taken(
    db: &impl ConnectionTrait,
    sku: &str,
    except: Option<i64>,
) -> Result<bool, DbErr> {
    let mut query = variant::Entity::find().filter(variant::Column::Sku.eq(sku));
    if let Some(id) = except {
        query = query.filter(variant::Column::Id.ne(id));
    }
    Ok(query.count(db).await? > 0)
}

/// Counts units sold (negative when an order is cancelled).
pub async fn add_units_sold(
    db: &impl ConnectionTrait,
    product_id: i64,
    units: i64,
) -> Result<(), DbErr> {
    product::Entity::update_many()
        .col_expr(
            product::Column::UnitsSold,
            Expr::col(product::Column::UnitsSold).add(units),
        )
        .filter(product::Column::Id.eq(product_id))
        .exec(db)
        .await?;
    Ok(())
}
