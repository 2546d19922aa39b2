//! The product page: one picker per option (colour swatches, size
//! buttons), the chosen variant's price and stock, and adding it to the
//! cart. It works without JavaScript (the server finds the variant of the
//! chosen options); `static/product.js` follows the choice as it is made.

use super::filters;
use super::forms::{Errors, PageForm, local_path, sentence};
use super::layout::Layout;
use super::reviews::{self, ReviewForm, ReviewsPart, ReviewsQuery};
use super::seo::{PageMeta, json_for_html};
use super::visitor::{CART_COOKIE, set_cookie};
use super::{Flash, PageError, Visitor, redirect, redirect_with, render};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Serialize;
use souk_core::CoreError;
use souk_core::catalogue::{OptionGroup, ProductDetail, VariantView};
use souk_domain::Locale;
use souk_domain::catalogue::{OPTION_NAME_MAX, OPTION_VALUE_MAX, VariantOptions};
use souk_domain::orders::parse_typed_quantity;
use std::collections::BTreeMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/products/{slug}", get(product))
        .route("/cart/items", post(add_item))
}

/// Fewer units than this left are counted out on the page.
const FEW_LEFT: i64 = 5;

/// Options whose values are shown as colour swatches.
const COLOUR_OPTIONS: [&str; 2] = ["colour", "color"];

/// One option's picker: a radio group whose values look like buttons, or
/// like swatches for a colour.
struct Picker {
    /// The option's name (`colour`).
    name: String,
    /// The form field: `opt_` and the option's name.
    field: String,
    swatches: bool,
    chosen: String,
    values: Vec<PickerValue>,
}

struct PickerValue {
    value: String,
    checked: bool,
    /// Whether any variant with this value can be bought; the script also
    /// disables values that the other choices rule out.
    in_stock: bool,
}

impl Picker {
    fn new(group: OptionGroup, chosen: &BTreeMap<String, String>) -> Self {
        let picked = chosen.get(&group.name).cloned().unwrap_or_default();
        Self {
            field: format!("opt_{}", group.name),
            swatches: COLOUR_OPTIONS.contains(&group.name.to_ascii_lowercase().as_str()),
            values: group
                .values
                .into_iter()
                .map(|v| PickerValue {
                    checked: v.value == picked,
                    in_stock: v.in_stock,
                    value: v.value,
                })
                .collect(),
            chosen: picked,
            name: group.name,
        }
    }
}

/// What the script needs of a variant.
#[derive(Serialize)]
struct VariantChoice<'a> {
    id: i64,
    sku: &'a str,
    options: &'a BTreeMap<String, String>,
    price: String,
    stock: i64,
}

/// The variants as JSON for the page's data block, safe inside HTML, their
/// prices written in the shop's `locale`.
fn variants_json(variants: &[VariantView], locale: Locale) -> String {
    let choices: Vec<VariantChoice<'_>> = variants
        .iter()
        .map(|v| VariantChoice {
            id: v.id,
            sku: &v.sku,
            options: &v.options,
            price: locale.format(v.price),
            stock: v.stock_available,
        })
        .collect();
    json_for_html(&choices)
}

#[derive(Template)]
#[template(path = "product.html")]
struct ProductPage {
    layout: Layout,
    product: ProductDetail,
    pickers: Vec<Picker>,
    /// The variant of the chosen options, if they name one.
    current: Option<VariantView>,
    /// The variant of a product with nothing to choose.
    only_variant: Option<i64>,
    variants_json: String,
    few_left: i64,
    /// The script that follows the choice.
    product_js: &'static str,
    /// The script that switches the gallery's photos.
    gallery_js: &'static str,
    /// The quantity field as typed.
    quantity: String,
    /// Why adding to the cart was refused.
    error: Option<String>,
    reviews: ReviewsPart,
    /// The visitor's wishlist entry for the chosen variant or the product.
    wished: Option<i64>,
    /// Its photos in order; none: the drawn picture.
    photos: Vec<souk_core::photos::PhotoView>,
}

/// An add to cart that was refused: what was chosen, and why.
struct RefusedAdd {
    pub choices: BTreeMap<String, String>,
    pub variant_id: Option<i64>,
    pub quantity: String,
    pub error: String,
}

async fn product(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let query = ReviewsQuery::parse(query.as_deref());
    product_page(&state, &visitor, &slug, None, &query, None).await
}

/// The product page with a refused review form kept (422).
pub(super) async fn with_review_form(
    state: &AppState,
    visitor: &Visitor,
    slug: &str,
    form: ReviewForm,
) -> Result<Response, PageError> {
    let query = ReviewsQuery::default();
    product_page(state, visitor, slug, None, &query, Some(form)).await
}

/// The product page; after a refused add to cart, with the reason, the
/// choice and the quantity kept (422); after a refused review, with the
/// form kept (422).
async fn product_page(
    state: &AppState,
    visitor: &Visitor,
    slug: &str,
    refused: Option<RefusedAdd>,
    reviews_query: &ReviewsQuery,
    review_form: Option<ReviewForm>,
) -> Result<Response, PageError> {
    let product = state.shop.get_product(slug).await?;
    let refused_review = review_form.is_some();
    let reviews = reviews::part(state, visitor, &product, reviews_query, review_form).await?;
    let photos = state.shop.product_photos(product.id).await?;
    let mut layout = visitor.layout(state, product.name.clone()).await?;
    layout.describe(&product.description);
    layout.seo = Some(PageMeta::product(
        state,
        &product,
        photos.first(),
        &layout.description,
    ));
    let locale = layout.locale;
    // After a refusal, what was tried: the variant posted, else the options.
    let tried = refused.as_ref().map(|r| {
        match r
            .variant_id
            .and_then(|id| product.variants.iter().find(|v| v.id == id))
        {
            Some(variant) => variant.options.clone(),
            None => r.choices.clone(),
        }
    });
    let chosen = tried
        .filter(|choices| !choices.is_empty())
        .or_else(|| product.first_choice().map(|v| v.options.clone()))
        .unwrap_or_default();
    let current = product.variant_with(&chosen).cloned();
    let wished = state
        .shop
        .wishlist_entries_of(&visitor.actor(), product.id)
        .await?
        .into_iter()
        .find(|(_, variant)| variant.is_none() || *variant == current.as_ref().map(|v| v.id))
        .map(|(id, _)| id);
    let pickers: Vec<Picker> = product
        .option_groups()
        .into_iter()
        .map(|group| Picker::new(group, &chosen))
        .collect();
    let only_variant = match product.variants.as_slice() {
        [only] if pickers.is_empty() => Some(only.id),
        _ => None,
    };
    let status = if refused.is_some() || refused_review {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (quantity, error) = match refused {
        Some(r) => (r.quantity, Some(r.error)),
        None => ("1".to_owned(), None),
    };
    Ok(render(
        status,
        &ProductPage {
            layout,
            variants_json: variants_json(&product.variants, locale),
            product,
            pickers,
            current,
            only_variant,
            few_left: FEW_LEFT,
            product_js: super::assets::href("product.js"),
            gallery_js: super::assets::href("gallery.js"),
            quantity,
            error,
            reviews,
            wished,
            photos,
        },
    ))
}

/// An add to cart as posted: a variant by id, or the options chosen on
/// the product page (`opt_colour=Black&opt_size=L`).
#[derive(Debug, Default)]
pub(super) struct AddForm {
    pub variant_id: Option<String>,
    pub choices: BTreeMap<String, String>,
    pub quantity: String,
    /// The product page it was sent from (its slug), to go back to when
    /// refused.
    pub product: String,
    /// The listing it was sent from (a card's add to cart), to go back to.
    pub back: String,
}

impl AddForm {
    pub(super) fn from_fields(fields: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (name, value) in fields {
            match name.as_str() {
                "variant_id" => form.variant_id = Some(value),
                "quantity" => form.quantity = value,
                "product" => form.product = value,
                "back" => form.back = value,
                _ => {
                    // No variant has more options, or longer ones.
                    if let Some(option) = name.strip_prefix("opt_")
                        && form.choices.len() < VariantOptions::MAX_OPTIONS
                        && option.chars().count() <= OPTION_NAME_MAX
                        && value.chars().count() <= OPTION_VALUE_MAX
                    {
                        form.choices.insert(option.to_owned(), value);
                    }
                }
            }
        }
        form
    }
}

async fn add_item(
    State(state): State<AppState>,
    visitor: Visitor,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = AddForm::from_fields(fields);
    // A card's add goes back to its listing; the product page's to the cart.
    let back = local_path(form.back.trim()).unwrap_or("/cart").to_owned();
    let variant_id = match form.variant_id.as_deref().map(str::trim) {
        Some(id) => id.parse::<i64>().ok(),
        None if !form.choices.is_empty() => {
            let slug = form.product.trim();
            match state.shop.chosen_variant(slug, &form.choices).await {
                Ok(found) => found,
                Err(CoreError::NotFound(_)) => return Ok(redirect("/cart")),
                Err(err) => return Err(err.into()),
            }
        }
        None => None,
    };
    let Some(variant_id) = variant_id else {
        let message = if form.choices.is_empty() {
            "Choose an option first."
        } else {
            "That combination is not available. Choose another."
        };
        return refused_add(&state, &visitor, form, message.into()).await;
    };
    let quantity = match parse_typed_quantity(&form.quantity) {
        Ok(quantity) => quantity,
        Err(invalid) => {
            let message = sentence("quantity", &invalid.0);
            return refused_add(&state, &visitor, form, message).await;
        }
    };
    match state
        .shop
        .add_to_cart(&visitor.cart_owner(), variant_id, quantity)
        .await
    {
        Ok(cart) => {
            let mut response = redirect_with(&back, "Added to your cart.", &visitor);
            if let Some(token) = cart.new_token {
                response.headers_mut().append(
                    header::SET_COOKIE,
                    set_cookie(CART_COOKIE, &token, Some(60 * 60 * 24 * 30), visitor.secure),
                );
            }
            Ok(response)
        }
        Err(err) => {
            let message = match Errors::from_core(err)? {
                errors if errors.get("quantity").is_some() => {
                    errors.get("quantity").unwrap_or_default().to_owned()
                }
                errors if errors.get("variant_id").is_some() => {
                    "That product can no longer be bought.".to_owned()
                }
                errors => errors.general.unwrap_or_default(),
            };
            refused_add(&state, &visitor, form, message).await
        }
    }
}

/// Back on the product page the add was sent from, with the reason and
/// what was chosen and typed; the cart when the page is unknown.
async fn refused_add(
    state: &AppState,
    visitor: &Visitor,
    form: AddForm,
    error: String,
) -> Result<Response, PageError> {
    let slug = form.product.trim();
    if slug.is_empty() {
        let back = local_path(form.back.trim()).unwrap_or("/cart");
        return Ok(redirect_with(back, Flash::Refused(error), visitor));
    }
    let refused = RefusedAdd {
        variant_id: form.variant_id.and_then(|id| id.trim().parse().ok()),
        choices: form.choices,
        quantity: form.quantity.chars().take(20).collect(),
        error,
    };
    let query = ReviewsQuery::default();
    match product_page(state, visitor, slug, Some(refused), &query, None).await {
        Err(PageError::Core(CoreError::NotFound(_))) => Ok(redirect("/cart")),
        other => other,
    }
}
