//! Full-text search over products: FTS5 on SQLite, a weighted `tsvector`
//! on PostgreSQL. Both see the same sanitised words and match them as
//! prefixes, all of them required.

use sea_orm::DbBackend;
use sea_orm::sea_query::{Expr, JoinType, Order, SelectStatement};

/// The most words of a query that are searched for.
const MAX_WORDS: usize = 8;

/// The words of a shopper's query: letters and digits only, so that no
/// query syntax of either engine can be injected.
pub(crate) fn words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(40).collect::<String>().to_lowercase())
        .take(MAX_WORDS)
        .collect()
}

/// Restricts `select` (over `products`) to the products matching every
/// word; with `by_relevance`, orders best match first.
pub(crate) fn restrict(
    backend: DbBackend,
    select: &mut SelectStatement,
    words: &[String],
    by_relevance: bool,
) {
    match backend {
        DbBackend::Sqlite => {
            let query = words
                .iter()
                .map(|w| format!("\"{w}\"*"))
                .collect::<Vec<_>>()
                .join(" ");
            if by_relevance {
                // Ordering by rank drives the join from the full-text index.
                select
                    .join(
                        JoinType::InnerJoin,
                        "products_fts",
                        Expr::cust("products_fts.rowid = products.id"),
                    )
                    .and_where(Expr::cust_with_values("products_fts MATCH ?", [query]))
                    .order_by_expr(Expr::cust("products_fts.rank"), Order::Asc);
            } else {
                // A subquery, not a join: without the rank to order by, the
                // planner may otherwise probe the index once per product.
                select.and_where(Expr::cust_with_values(
                    "products.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?)",
                    [query],
                ));
            }
        }
        _ => {
            // SeaQuery numbers PostgreSQL placeholders itself: `$1` is this
            // expression's own first value.
            let query = words
                .iter()
                .map(|w| format!("{w}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            select.and_where(Expr::cust_with_values(
                "products.search @@ to_tsquery('english', $1)",
                [query.clone()],
            ));
            if by_relevance {
                select.order_by_expr(
                    Expr::cust_with_values(
                        "ts_rank(products.search, to_tsquery('english', $1))",
                        [query],
                    ),
                    Order::Desc,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn query_syntax_is_stripped() {
        assert_eq!(
            words("merino \"sweater\" OR* NEAR(x)"),
            ["merino", "sweater", "or", "near", "x"]
        );
        assert!(words("\"*'():").is_empty());
        assert_eq!(words(&"a ".repeat(50)).len(), 8);
    }
}
