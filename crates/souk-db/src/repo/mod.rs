//! Repositories: free functions over any connection or transaction, one
//! module per aggregate. Counters change only by conditional update.

pub mod accounts;
pub mod addresses;
pub mod bulk;
pub mod cards;
pub mod carts;
pub mod catalogue;
pub mod demo;
pub mod erasure;
pub mod idempotency;
pub mod jobs;
pub mod ledger;
pub mod marketplace;
pub mod orders;
pub mod payments;
pub mod photos;
pub mod reports;
pub mod reviews;
pub mod sellers;
pub mod settings;
pub mod shipping;
pub mod sitemap;
pub mod stock;
pub mod vouchers;
pub mod wishlists;

use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait, QuerySelect, Select, Statement,
    Value,
};
use souk_domain::paging::{Page, PageRequest};

/// A raw statement written with `?` placeholders, numbered for PostgreSQL.
/// Only for SQL that SeaQuery cannot express; the text must not contain a
/// literal `?`.
pub(crate) fn raw(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut numbered = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    numbered.push('$');
                    numbered.push_str(&n.to_string());
                } else {
                    numbered.push(c);
                }
            }
            numbered
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// One page of `query` (already filtered and ordered) and the total across
/// all pages.
pub(crate) async fn paged<E: EntityTrait>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    page: PageRequest,
) -> Result<Page<E::Model>, DbErr>
where
    E::Model: Send + Sync,
{
    let total = query.clone().count(db).await?;
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
