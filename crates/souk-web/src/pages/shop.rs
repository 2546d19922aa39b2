//! The shop window: the home page, the catalogue with its facets and
//! search, category pages, sellers' shops and the about page.

use super::filters;
use super::layout::Layout;
use super::seo::PageMeta;
use super::{PageError, Visitor, forms::encode, ok};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use souk_core::catalogue::{CategoryNode, ProductCard, ProductQuery};
use souk_core::sellers::SellerShop;
use souk_domain::Money;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/products", get(products))
        .route("/categories/{slug}", get(category))
        .route("/sellers/{slug}", get(seller))
        .route("/about", get(about))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    banner: String,
    categories: Vec<CategoryNode>,
    featured: Vec<ProductCard>,
    newest: Vec<ProductCard>,
}

async fn home(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let mut layout = visitor.layout(&state, "Home").await?;
    let title = layout.shop_name.clone();
    layout.seo = Some(PageMeta::page(&state, "/", &title, &layout.description));
    let site = state.shop.site_settings().await?;
    let shelf = |sort: &str| ProductQuery {
        sort: Some(sort.into()),
        per_page: Some(8),
        in_stock: Some(true),
        ..ProductQuery::default()
    };
    let featured = state.shop.list_products(shelf("popular")).await?;
    let newest = state.shop.list_products(shelf("newest")).await?;
    ok(&HomePage {
        layout,
        banner: site.banner.clone(),
        categories: state.shop.category_tree().await?,
        featured: featured.items,
        newest: newest.items,
    })
}

/// The catalogue's query string as typed: every value is text, so that
/// a wrong one can be shown back and explained instead of refused.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct ListingParams {
    q: String,
    min_price: String,
    max_price: String,
    in_stock: String,
    sort: String,
    page: String,
    /// A seller's slug: only its products.
    seller: String,
}

/// The sort orders offered, as (value, label).
const SORTS: [(&str, &str); 6] = [
    ("newest", "Newest"),
    ("popular", "Best selling"),
    ("rating", "Top rated"),
    ("price_asc", "Price: low to high"),
    ("price_desc", "Price: high to low"),
    ("name", "Name"),
];

#[derive(Template)]
#[template(path = "products.html")]
struct ProductsPage {
    layout: Layout,
    heading: String,
    /// Where the filter form sends its query.
    action: String,
    category: Option<CategoryNode>,
    /// The seller whose shop this is, when the listing is one seller's.
    seller: Option<SellerShop>,
    categories: Vec<CategoryNode>,
    params: ListingParams,
    /// The options of the category's products, to filter by.
    facets: Vec<FacetView>,
    /// The current filters as a query string, for links that change one.
    keep: String,
    sorts: Vec<(&'static str, &'static str)>,
    products: Vec<ProductCard>,
    total: u64,
    page: u64,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
    problems: Vec<String>,
    /// The filters in force, each with a link that drops it.
    chips: Vec<Chip>,
}

/// A filter in force, shown above the products; its link drops it.
struct Chip {
    label: String,
    href: String,
}

/// The chips of a listing's filters: the search, the prices, each option
/// and "in stock"; each link keeps every other filter.
fn chips(action: &str, params: &ListingParams, options: &[(String, String)]) -> Vec<Chip> {
    let link = |params: &ListingParams, options: &[(String, String)]| {
        let keep = keep_query(params, options);
        match keep.trim_end_matches('&') {
            "" => action.to_owned(),
            query => format!("{action}?{query}"),
        }
    };
    let filled = |raw: &str| Some(raw.trim().to_owned()).filter(|text| !text.is_empty());
    let mut chips = Vec::new();
    let mut plain = |label: Option<String>, drop: fn(&mut ListingParams)| {
        if let Some(label) = label {
            let mut without = params.clone();
            drop(&mut without);
            chips.push(Chip {
                label,
                href: link(&without, options),
            });
        }
    };
    plain(
        filled(&params.q).map(|q| format!("Search: “{q}”")),
        |p| p.q.clear(),
    );
    plain(
        filled(&params.min_price).map(|v| format!("From {v}")),
        |p| p.min_price.clear(),
    );
    plain(
        filled(&params.max_price).map(|v| format!("Up to {v}")),
        |p| p.max_price.clear(),
    );
    plain(
        (params.in_stock == "1").then(|| "In stock only".to_owned()),
        |p| p.in_stock.clear(),
    );
    for (i, (name, value)) in options.iter().enumerate() {
        let others: Vec<(String, String)> = options
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, option)| option.clone())
            .collect();
        let mut label = format!("{name}: {value}");
        if let Some(first) = label.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        chips.push(Chip {
            label,
            href: link(params, &others),
        });
    }
    chips
}

async fn products(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<ListingParams>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    listing(state, visitor, params, option_params(raw.as_deref()), None).await
}

async fn category(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(params): Query<ListingParams>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    listing(
        state,
        visitor,
        params,
        option_params(raw.as_deref()),
        Some(slug),
    )
    .await
}

/// A seller's shop: its description and its products, with the
/// catalogue's filters.
async fn seller(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(mut params): Query<ListingParams>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    params.seller = slug;
    listing(state, visitor, params, option_params(raw.as_deref()), None).await
}

/// The prefix of option filters in a listing's query: `opt_size=M`.
const OPTION_PREFIX: &str = "opt_";

/// The option filters of a listing's query, as (option, value).
fn option_params(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .filter_map(|(key, value)| {
            let name = key.strip_prefix(OPTION_PREFIX)?.to_owned();
            Some((name, value.into_owned())).filter(|(_, v)| !v.trim().is_empty())
        })
        .take(5)
        .collect()
}

/// One option's filter as the page shows it: its values, and the chosen one.
struct FacetView {
    name: String,
    /// The query parameter of this option.
    param: String,
    values: Vec<String>,
    chosen: String,
}

async fn listing(
    state: AppState,
    visitor: Visitor,
    params: ListingParams,
    options: Vec<(String, String)>,
    category_slug: Option<String>,
) -> Result<Response, PageError> {
    let categories = state.shop.category_tree().await?;
    let category = match &category_slug {
        Some(slug) => Some(
            find_category(&categories, slug)
                .cloned()
                .ok_or(souk_core::CoreError::NotFound("category"))?,
        ),
        None => None,
    };
    let seller = match params.seller.trim() {
        "" => None,
        slug => Some(state.shop.seller_shop(slug).await?),
    };
    let currency = state.shop.config().currency;
    let mut problems = Vec::new();
    let mut price = |raw: &str, label: &str| -> Option<i64> {
        if raw.trim().is_empty() {
            return None;
        }
        match Money::parse_major(raw, currency) {
            Ok(money) => Some(money.amount),
            Err(e) => {
                problems.push(format!("{label} {e}; it is not applied."));
                None
            }
        }
    };
    let min_price = price(&params.min_price, "The lowest price");
    let max_price = price(&params.max_price, "The highest price");
    let sort = SORTS
        .iter()
        .map(|(value, _)| *value)
        .find(|value| *value == params.sort);
    let page = params.page.trim().parse::<i64>().ok().filter(|p| *p >= 1);
    let query = ProductQuery {
        q: Some(params.q.trim().to_owned()).filter(|q| !q.is_empty()),
        category: category.as_ref().map(|c| c.id.to_string()),
        min_price,
        max_price,
        in_stock: (params.in_stock == "1").then_some(true),
        sort: sort.map(str::to_owned),
        page: Some(page.unwrap_or(1).min(10_000)),
        per_page: Some(24),
        options: options.clone(),
        seller: seller.as_ref().map(|s| s.id.to_string()),
        ..ProductQuery::default()
    };
    let facets = state
        .shop
        .option_facets(category.as_ref().map(|c| c.id))
        .await?
        .iter()
        .map(|facet| FacetView {
            param: format!("{OPTION_PREFIX}{}", facet.name),
            chosen: options
                .iter()
                .find(|(name, _)| *name == facet.name)
                .map(|(_, value)| value.clone())
                .unwrap_or_default(),
            name: facet.name.clone(),
            values: facet.values.clone(),
        })
        .collect();

    let found = state.shop.list_products(query).await?;
    let action = match (&category, &seller) {
        (Some(c), _) => format!("/categories/{}", c.slug),
        (None, Some(s)) => format!("/sellers/{}", s.slug),
        (None, None) => "/products".to_owned(),
    };
    let keep = keep_query(&params, &options);
    let pages = found.total.div_ceil(found.per_page.max(1)).max(1);
    let link = |page: u64| format!("{action}?{keep}page={page}");
    let mut heading = match (&category, &seller, params.q.trim()) {
        (Some(c), Some(s), _) => format!("{} from {}", c.name, s.name),
        (Some(c), None, _) => c.name.clone(),
        (None, Some(s), _) => s.name.clone(),
        (None, None, "") => "All products".to_owned(),
        (None, None, q) => format!("Results for “{q}”"),
    };
    if !options.is_empty() {
        let values: Vec<&str> = options.iter().map(|(_, value)| value.as_str()).collect();
        heading = format!("{heading}: {}", values.join(", "));
    }
    let mut layout = visitor.layout(&state, heading.clone()).await?;
    layout.q = params.q.clone();
    match (&category, &seller) {
        (Some(c), _) => layout.describe(&c.description),
        (None, Some(s)) => layout.describe(&s.description),
        (None, None) => {}
    }
    // One address per listing: its filters, sort and search are ways of
    // looking at it, its later pages are pages of their own.
    let canonical = match found.page {
        1 => action.clone(),
        page => format!("{action}?page={page}"),
    };
    layout.seo = Some(PageMeta::page(
        &state,
        &canonical,
        &heading,
        &layout.description,
    ));
    let chips = chips(&action, &params, &options);
    ok(&ProductsPage {
        layout,
        heading,
        prev: (found.page > 1).then(|| link(found.page - 1)),
        next: (found.page < pages).then(|| link(found.page + 1)),
        action,
        category,
        seller,
        categories,
        params,
        facets,
        keep,
        sorts: SORTS.to_vec(),
        total: found.total,
        page: found.page,
        pages,
        products: found.items,
        problems,
        chips,
    })
}

/// The filters of a listing as `name=value&` pairs, without the page.
fn keep_query(params: &ListingParams, options: &[(String, String)]) -> String {
    let plain = [
        ("q", &params.q),
        ("min_price", &params.min_price),
        ("max_price", &params.max_price),
        ("in_stock", &params.in_stock),
        ("sort", &params.sort),
        ("seller", &params.seller),
    ]
    .into_iter()
    .filter(|(_, value)| !value.trim().is_empty())
    .map(|(name, value)| format!("{name}={}&", encode(value.trim())));
    let chosen = options.iter().map(|(name, value)| {
        format!(
            "{}={}&",
            encode(&format!("{OPTION_PREFIX}{name}")),
            encode(value)
        )
    });
    plain.chain(chosen).collect()
}

fn find_category<'a>(tree: &'a [CategoryNode], slug: &str) -> Option<&'a CategoryNode> {
    tree.iter().find_map(|node| {
        if node.slug == slug {
            Some(node)
        } else {
            find_category(&node.children, slug)
        }
    })
}

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage {
    layout: Layout,
    paragraphs: Vec<String>,
}

async fn about(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let site = state.shop.site_settings().await?;
    let mut layout = visitor.layout(&state, "About").await?;
    let title = format!("About {}", site.shop_name);
    layout.seo = Some(PageMeta::page(
        &state,
        "/about",
        &title,
        &layout.description,
    ));
    ok(&AboutPage {
        layout,
        paragraphs: site.about_paragraphs().map(str::to_owned).collect(),
    })
}
