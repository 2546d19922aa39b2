//! The catalogue for staff: the product list with its filters and bulk
//! actions, the product editor with variants and stock, and categories.

use super::{AdminNav, Section, optional_int, refusal};
use crate::AppState;
use crate::pages::filters;
use crate::pages::forms::{Errors, PageForm};
use crate::pages::layout::Layout;
use crate::pages::{PageError, StaffVisitor, redirect_with, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use souk_core::CoreError;
use souk_core::catalogue::{
    Audience, CategoryInput, CategoryNode, NewProduct, NewVariant, ProductCard, ProductDetail,
    ProductPatch, ProductQuery, VariantPatch,
};
use souk_domain::{Currency, Money, Validator};
use std::collections::BTreeMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/products", get(list).post(create))
        .route("/products/new", get(new_product))
        .route("/products/bulk", post(bulk))
        .route("/products/{id}", get(edit).post(update))
        .route("/products/{id}/delete", post(delete))
        .route("/products/{id}/variants", post(add_variant))
        .route("/variants/{id}", post(update_variant))
        .route("/variants/{id}/stock", post(adjust_stock))
        .route("/variants/{id}/delete", post(delete_variant))
        .route("/categories", get(categories).post(create_category))
        .route("/categories/{id}/delete", post(delete_category))
}

/// Every category, parents first and each child after its parent, with
/// the child's name indented, for a select.
fn category_choices(tree: &[CategoryNode]) -> Vec<(i64, String)> {
    let mut choices = Vec::new();
    for node in tree {
        choices.push((node.id, node.name.clone()));
        for child in &node.children {
            choices.push((child.id, format!("— {}", child.name)));
        }
    }
    choices
}

// The product list

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
struct ListParams {
    q: String,
    status: String,
    category: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin/products.html")]
struct ProductsPage {
    layout: Layout,
    admin: AdminNav,
    params: ListParams,
    categories: Vec<(i64, String)>,
    products: Vec<ProductCard>,
    errors: Errors,
    total: u64,
    page: u64,
    pages: u64,
    /// The filters, for the paging links.
    query: String,
}

impl ProductsPage {
    fn category_name(&self, id: &Option<i64>) -> &str {
        id.and_then(|id| self.categories.iter().find(|(c, _)| *c == id))
            .map_or("—", |(_, name)| name.trim_start_matches("— "))
    }
}

async fn list(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    let (layout, admin) = staff
        .admin_frame(&state, Section::Products, "Products")
        .await?;
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let query = ProductQuery {
        q: some(&params.q),
        status: some(&params.status),
        category: some(&params.category),
        sort: Some("newest".into()),
        page: params.page,
        per_page: Some(25),
        ..ProductQuery::default()
    };
    let (found, errors, status) = match state.shop.list_products(query, Audience::Staff).await {
        Ok(found) => (Some(found), Errors::default(), StatusCode::OK),
        Err(err) => (
            None,
            Errors::from_core(err)?,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let categories = category_choices(&state.shop.category_tree().await?);
    let filters = ListParams {
        page: None,
        ..params.clone()
    };
    let page = ProductsPage {
        layout,
        admin,
        query: serde_urlencoded::to_string(filters).unwrap_or_default(),
        params,
        categories,
        errors,
        total: found.as_ref().map_or(0, |f| f.total),
        page: found.as_ref().map_or(1, |f| f.page),
        pages: found.as_ref().map_or(1, |f| f.pages()),
        products: found.map(|f| f.items).unwrap_or_default(),
    };
    Ok(render(status, &page))
}

/// Applies one action to the ticked products. The form repeats `ids`, so
/// it is read as pairs rather than into a struct.
async fn bulk(
    State(state): State<AppState>,
    staff: StaffVisitor,
    body: Bytes,
) -> Result<Response, PageError> {
    let mut action = String::new();
    let mut ids = Vec::new();
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "action" => action = value.into_owned(),
            "ids" => ids.push(value.parse::<i64>().map_err(|_| PageError::BadForm)?),
            _ => {}
        }
    }
    if ids.is_empty() {
        let message = "Tick the products to change first.";
        return Ok(redirect_with("/admin/products", message, &staff.visitor));
    }
    let (mut done, mut failed) = (0, 0);
    for id in ids.iter().copied().take(100) {
        let result = match action.as_str() {
            "delete" => state.shop.delete_product(id).await,
            "activate" | "archive" => {
                let status = if action == "activate" {
                    "active"
                } else {
                    "archived"
                };
                let patch = ProductPatch {
                    status: Some(status.into()),
                    ..ProductPatch::default()
                };
                state.shop.update_product(id, patch).await.map(|_| ())
            }
            _ => return Err(PageError::BadForm),
        };
        match result {
            Ok(()) => done += 1,
            Err(CoreError::Internal(err)) => return Err(CoreError::Internal(err).into()),
            Err(_) => failed += 1,
        }
    }
    let verb = match action.as_str() {
        "delete" => "Deleted",
        "activate" => "Activated",
        _ => "Archived",
    };
    let mut message = format!("{verb} {done} product{}.", if done == 1 { "" } else { "s" });
    if failed > 0 {
        message.push_str(&format!(" {failed} could not be changed."));
    }
    Ok(redirect_with("/admin/products", &message, &staff.visitor))
}

// Creating a product

/// Rows for variants on the new-product form.
const NEW_VARIANT_ROWS: usize = 3;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct ProductForm {
    name: String,
    slug: String,
    description: String,
    category_id: String,
    status: String,
}

/// One variant row as typed: options as `size=M, colour=Black`, price in
/// major units.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct VariantForm {
    sku: String,
    options: String,
    price: String,
    stock: String,
}

impl VariantForm {
    fn is_blank(&self) -> bool {
        [&self.sku, &self.options, &self.price, &self.stock]
            .iter()
            .all(|f| f.trim().is_empty())
    }

    /// The variant, or what is wrong with it under field names starting
    /// with `prefix` (`variants[0].` on the new-product form).
    fn parse(&self, v: &mut Validator, prefix: &str, currency: Currency) -> Option<NewVariant> {
        let options = v.check(&format!("{prefix}options"), parse_options(&self.options));
        let price = v.check(
            &format!("{prefix}price"),
            Money::parse_major(&self.price, currency),
        );
        let stock = optional_int(v, &format!("{prefix}stock"), &self.stock);
        Some(NewVariant {
            sku: self.sku.trim().to_owned(),
            options: options?,
            price: price?.amount,
            stock: stock?.unwrap_or(0),
        })
    }
}

/// Options typed as `size=M, colour=Black`.
fn parse_options(raw: &str) -> Result<BTreeMap<String, String>, souk_domain::Invalid> {
    let mut options = BTreeMap::new();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(souk_domain::Invalid::new(
                "must be name=value pairs separated by commas, e.g. size=M, colour=Black",
            ));
        };
        options.insert(name.trim().to_owned(), value.trim().to_owned());
    }
    Ok(options)
}

/// The options as staff type them.
fn options_text(options: &BTreeMap<String, String>) -> String {
    options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The new-product form as sent: the product's fields and numbered
/// variant rows (`variants[0].sku`, ...).
#[derive(Debug, Default, Clone)]
struct NewProductForm {
    product: ProductForm,
    variants: Vec<VariantForm>,
}

impl NewProductForm {
    fn blank() -> Self {
        Self {
            product: ProductForm {
                status: "draft".into(),
                ..ProductForm::default()
            },
            variants: vec![VariantForm::default(); NEW_VARIANT_ROWS],
        }
    }

    fn read(body: &[u8]) -> Self {
        let mut form = Self {
            variants: vec![VariantForm::default(); NEW_VARIANT_ROWS],
            ..Self::default()
        };
        for (key, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match key.as_ref() {
                "name" => form.product.name = value,
                "slug" => form.product.slug = value,
                "description" => form.product.description = value,
                "category_id" => form.product.category_id = value,
                "status" => form.product.status = value,
                other => {
                    let Some((row, field)) = other
                        .strip_prefix("variants[")
                        .and_then(|rest| rest.split_once("]."))
                    else {
                        continue;
                    };
                    let Some(row) = row.parse::<usize>().ok().filter(|r| *r < NEW_VARIANT_ROWS)
                    else {
                        continue;
                    };
                    let target = &mut form.variants[row];
                    match field {
                        "sku" => target.sku = value,
                        "options" => target.options = value,
                        "price" => target.price = value,
                        "stock" => target.stock = value,
                        _ => {}
                    }
                }
            }
        }
        form
    }

    /// The product to create. Blank variant rows are skipped; the core
    /// numbers the variants it is given, so the rows keep their numbers
    /// only while none is skipped before them.
    fn parse(&self, currency: Currency) -> Result<NewProduct, CoreError> {
        let mut v = Validator::new();
        let category_id = optional_int(&mut v, "category_id", &self.product.category_id);
        let mut variants = Vec::new();
        for (i, row) in self.variants.iter().enumerate() {
            if !row.is_blank()
                && let Some(variant) = row.parse(&mut v, &format!("variants[{i}]."), currency)
            {
                variants.push(variant);
            }
        }
        v.finish().map_err(CoreError::Validation)?;
        Ok(NewProduct {
            name: self.product.name.clone(),
            slug: Some(self.product.slug.trim().to_owned()).filter(|s| !s.is_empty()),
            description: self.product.description.clone(),
            category_id: category_id.flatten(),
            seller_id: None,
            status: Some(self.product.status.clone()).filter(|s| !s.is_empty()),
            variants,
        })
    }
}

#[derive(Template)]
#[template(path = "admin/product_new.html")]
struct NewProductPage {
    layout: Layout,
    admin: AdminNav,
    categories: Vec<(i64, String)>,
    form: NewProductForm,
    errors: Errors,
    currency: Currency,
}

impl NewProductPage {
    /// The name of a field of variant row `row`, as the form sends it.
    fn row_field(&self, row: &usize, field: &str) -> String {
        format!("variants[{row}].{field}")
    }
}

async fn new_product_page(
    state: &AppState,
    staff: &StaffVisitor,
    form: NewProductForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (layout, admin) = staff
        .admin_frame(state, Section::Products, "New product")
        .await?;
    let page = NewProductPage {
        layout,
        admin,
        categories: category_choices(&state.shop.category_tree().await?),
        form,
        errors,
        currency: state.shop.config().currency,
    };
    Ok(render(status, &page))
}

async fn new_product(
    State(state): State<AppState>,
    staff: StaffVisitor,
) -> Result<Response, PageError> {
    new_product_page(
        &state,
        &staff,
        NewProductForm::blank(),
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    staff: StaffVisitor,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = NewProductForm::read(&body);
    let created = match form.parse(state.shop.config().currency) {
        Ok(input) => state.shop.create_product(staff.caller, input).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(product) => Ok(redirect_with(
            &format!("/admin/products/{}", product.id),
            &format!("{} is created.", product.name),
            &staff.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            new_product_page(&state, &staff, form, errors, status).await
        }
    }
}

// The product editor

#[derive(Template)]
#[template(path = "admin/product_edit.html")]
struct EditProductPage {
    layout: Layout,
    admin: AdminNav,
    categories: Vec<(i64, String)>,
    product: ProductDetail,
    form: ProductForm,
    errors: Errors,
    currency: Currency,
}

impl EditProductPage {
    fn options_of(&self, options: &BTreeMap<String, String>) -> String {
        options_text(options)
    }
}

async fn edit_page(
    state: &AppState,
    staff: &StaffVisitor,
    id: i64,
    form: Option<ProductForm>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let product = state
        .shop
        .get_product(&id.to_string(), Audience::Staff)
        .await?;
    let (layout, admin) = staff
        .admin_frame(state, Section::Products, product.name.clone())
        .await?;
    let form = form.unwrap_or_else(|| ProductForm {
        name: product.name.clone(),
        slug: product.slug.clone(),
        description: product.description.clone(),
        category_id: product
            .category
            .as_ref()
            .map(|c| c.id.to_string())
            .unwrap_or_default(),
        status: product.status.clone(),
    });
    let page = EditProductPage {
        layout,
        admin,
        categories: category_choices(&state.shop.category_tree().await?),
        product,
        form,
        errors,
        currency: state.shop.config().currency,
    };
    Ok(render(status, &page))
}

async fn edit(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    edit_page(&state, &staff, id, None, Errors::default(), StatusCode::OK).await
}

async fn update(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ProductForm>,
) -> Result<Response, PageError> {
    let mut v = Validator::new();
    let category_id = optional_int(&mut v, "category_id", &form.category_id);
    let updated = match v.finish() {
        Ok(()) => {
            let patch = ProductPatch {
                name: Some(form.name.clone()),
                slug: Some(form.slug.clone()),
                description: Some(form.description.clone()),
                category_id,
                seller_id: None,
                status: Some(form.status.clone()),
            };
            state.shop.update_product(id, patch).await
        }
        Err(errors) => Err(CoreError::Validation(errors)),
    };
    match updated {
        Ok(product) => Ok(redirect_with(
            &format!("/admin/products/{id}"),
            &format!("{} is saved.", product.name),
            &staff.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            edit_page(&state, &staff, id, Some(form), errors, status).await
        }
    }
}

async fn delete(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    match state.shop.delete_product(id).await {
        Ok(()) => Ok(redirect_with(
            "/admin/products",
            "The product was deleted.",
            &staff.visitor,
        )),
        Err(err) => {
            let message = refusal(err)?;
            let to = format!("/admin/products/{id}");
            Ok(redirect_with(&to, &message, &staff.visitor))
        }
    }
}

async fn add_variant(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<VariantForm>,
) -> Result<Response, PageError> {
    let mut v = Validator::new();
    let parsed = form.parse(&mut v, "", state.shop.config().currency);
    let added = match (v.finish(), parsed) {
        (Ok(()), Some(variant)) => state
            .shop
            .add_variant(staff.caller, id, variant)
            .await
            .map(|_| ()),
        (Err(errors), _) => Err(CoreError::Validation(errors)),
        (Ok(()), None) => Err(CoreError::invalid("sku", "is required")),
    };
    let message = match added {
        Ok(()) => format!("Variant {} is added.", form.sku.trim()),
        Err(err) => format!("The variant was not added: {}", refusal(err)?),
    };
    let to = format!("/admin/products/{id}");
    Ok(redirect_with(&to, &message, &staff.visitor))
}

/// Where a variant's forms go back to.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VariantEdit {
    product_id: i64,
    sku: String,
    options: String,
    price: String,
    delta: String,
    reason: String,
}

async fn update_variant(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<VariantEdit>,
) -> Result<Response, PageError> {
    let mut v = Validator::new();
    let options = v.check("options", parse_options(&form.options));
    let price = v.check(
        "price",
        Money::parse_major(&form.price, state.shop.config().currency),
    );
    let updated = match v.finish() {
        Ok(()) => {
            let patch = VariantPatch {
                sku: Some(form.sku.clone()),
                options,
                price: price.map(|p| p.amount),
                position: None,
            };
            state.shop.update_variant(id, patch).await.map(|_| ())
        }
        Err(errors) => Err(CoreError::Validation(errors)),
    };
    let message = match updated {
        Ok(()) => format!("Variant {} is saved.", form.sku.trim()),
        Err(err) => format!("The variant was not saved: {}", refusal(err)?),
    };
    let to = format!("/admin/products/{}", form.product_id);
    Ok(redirect_with(&to, &message, &staff.visitor))
}

async fn adjust_stock(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<VariantEdit>,
) -> Result<Response, PageError> {
    let adjusted = match form.delta.trim().parse::<i64>() {
        Ok(delta) => state
            .shop
            .adjust_stock(staff.caller, id, delta, &form.reason)
            .await
            .map(|v| format!("{} now has {} on hand.", v.sku, v.stock_on_hand)),
        Err(_) => Err(CoreError::invalid(
            "delta",
            "must be a whole number of units, negative to remove",
        )),
    };
    let message = match adjusted {
        Ok(message) => message,
        Err(err) => format!("The stock was not changed: {}", refusal(err)?),
    };
    let to = format!("/admin/products/{}", form.product_id);
    Ok(redirect_with(&to, &message, &staff.visitor))
}

async fn delete_variant(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<VariantEdit>,
) -> Result<Response, PageError> {
    let message = match state.shop.delete_variant(id).await {
        Ok(()) => "The variant was deleted.".to_owned(),
        Err(err) => format!("The variant was not deleted: {}", refusal(err)?),
    };
    let to = format!("/admin/products/{}", form.product_id);
    Ok(redirect_with(&to, &message, &staff.visitor))
}

// Categories

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct CategoryForm {
    name: String,
    slug: String,
    parent_id: String,
    description: String,
}

#[derive(Template)]
#[template(path = "admin/categories.html")]
struct CategoriesPage {
    layout: Layout,
    admin: AdminNav,
    tree: Vec<CategoryNode>,
    form: CategoryForm,
    errors: Errors,
}

async fn categories_page(
    state: &AppState,
    staff: &StaffVisitor,
    form: CategoryForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (layout, admin) = staff
        .admin_frame(state, Section::Categories, "Categories")
        .await?;
    let page = CategoriesPage {
        layout,
        admin,
        tree: state.shop.category_tree().await?,
        form,
        errors,
    };
    Ok(render(status, &page))
}

async fn categories(
    State(state): State<AppState>,
    staff: StaffVisitor,
) -> Result<Response, PageError> {
    categories_page(
        &state,
        &staff,
        CategoryForm::default(),
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

async fn create_category(
    State(state): State<AppState>,
    staff: StaffVisitor,
    PageForm(form): PageForm<CategoryForm>,
) -> Result<Response, PageError> {
    let mut v = Validator::new();
    let parent_id = optional_int(&mut v, "parent_id", &form.parent_id);
    let created = match v.finish() {
        Ok(()) => {
            let input = CategoryInput {
                name: form.name.clone(),
                slug: Some(form.slug.trim().to_owned()).filter(|s| !s.is_empty()),
                description: Some(form.description.clone()),
                parent_id: parent_id.flatten(),
                position: None,
            };
            state.shop.create_category(input).await
        }
        Err(errors) => Err(CoreError::Validation(errors)),
    };
    match created {
        Ok(category) => Ok(redirect_with(
            "/admin/categories",
            &format!("{} is created.", category.name),
            &staff.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            categories_page(&state, &staff, form, errors, status).await
        }
    }
}

async fn delete_category(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let message = match state.shop.delete_category(id).await {
        Ok(()) => "The category was deleted.".to_owned(),
        Err(err) => refusal(err)?,
    };
    Ok(redirect_with("/admin/categories", &message, &staff.visitor))
}
