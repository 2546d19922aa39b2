//! The product pages of both panels: the product list with its filters
//! and bulk actions, and the product editor with variants and stock. Staff
//! see every product at `/admin/products`, a seller its own at
//! `/seller/products`; the core scopes what each may see and change.

use super::{AdminNav, optional_int, refusal};
use crate::AppState;
use crate::pages::filters;
use crate::pages::forms::{Errors, PageForm};
use crate::pages::layout::Layout;
use crate::pages::panel::PanelVisitor;
use crate::pages::{Flash, PageError, redirect_with, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use souk_core::CoreError;
use souk_core::actor::Actor;
use souk_core::catalogue::{
    BulkAction, CategoryNode, NewProduct, NewVariant, ProductCard, ProductDetail, ProductPatch,
    ProductQuery, VariantPatch, VariantView,
};
use souk_domain::numbers::{WHOLE_NUMBER_INPUT_MAX, parse_whole};
use souk_domain::{Currency, Money, Validator};
use std::collections::BTreeMap;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/products", get(list).post(create))
        .route("/products/new", get(new_product))
        .route("/products/bulk", post(bulk))
        .route("/products/{id}", get(edit).post(update))
        .route("/products/{id}/delete", post(delete))
        .merge(super::photos::routes())
        .route("/products/{id}/variants", post(add_variant))
        .route("/products/{id}/variants/{variant}", post(update_variant))
        .route(
            "/products/{id}/variants/{variant}/stock",
            post(adjust_stock),
        )
        .route(
            "/products/{id}/variants/{variant}/delete",
            post(delete_variant),
        )
}

/// Every category, parents first and each child after its parent, with
/// the child's name indented, for a select.
pub(super) fn category_choices(tree: &[CategoryNode]) -> Vec<(i64, String)> {
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
    /// A seller's id or slug.
    seller: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin/products.html")]
struct ProductsPage {
    layout: Layout,
    admin: AdminNav,
    /// The panel the page is shown in: `/admin` or `/seller`.
    base: &'static str,
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
    panel: PanelVisitor,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    let (layout, admin) = panel.products_frame(&state, "Products").await?;
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let query = ProductQuery {
        q: some(&params.q),
        status: some(&params.status),
        category: some(&params.category),
        seller: some(&params.seller),
        sort: Some("newest".into()),
        page: params.page,
        per_page: Some(25),
        ..ProductQuery::default()
    };
    let (found, errors, status) = match state.shop.list_managed_products(&panel.actor, query).await
    {
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
        base: panel.base(),
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
    panel: PanelVisitor,
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
        let to = format!("{}/products", panel.base());
        return Ok(redirect_with(&to, message, &panel.visitor));
    }
    let action = BulkAction::parse(&action).map_err(|_| PageError::BadForm)?;
    let message = match state.shop.bulk_products(&panel.actor, &ids, action).await {
        Ok(done) => {
            let verb = match action {
                BulkAction::Delete => "Deleted",
                BulkAction::Activate => "Activated",
                BulkAction::Archive => "Archived",
            };
            format!("{verb} {done} product{}.", if done == 1 { "" } else { "s" }).into()
        }
        Err(err) => Flash::refused(format!("Nothing was changed: {}", refusal(err)?)),
    };
    let to = format!("{}/products", panel.base());
    Ok(redirect_with(&to, &message, &panel.visitor))
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
    /// Units to add (negative to remove), on the editor's stock form.
    delta: String,
    /// Why the stock changed.
    reason: String,
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

    /// The product to create, and for each of its variants the form row
    /// it came from (blank rows are left out).
    fn parse(&self, currency: Currency) -> Result<(NewProduct, Vec<usize>), CoreError> {
        let mut v = Validator::new();
        let category_id = optional_int(&mut v, "category_id", &self.product.category_id);
        let mut variants = Vec::new();
        let mut rows = Vec::new();
        for (i, row) in self.variants.iter().enumerate() {
            if !row.is_blank()
                && let Some(variant) = row.parse(&mut v, &format!("variants[{i}]."), currency)
            {
                variants.push(variant);
                rows.push(i);
            }
        }
        v.finish().map_err(CoreError::Validation)?;
        let product = NewProduct {
            name: self.product.name.clone(),
            slug: Some(self.product.slug.trim().to_owned()).filter(|s| !s.is_empty()),
            description: self.product.description.clone(),
            category_id: category_id.flatten(),
            seller_id: None,
            status: Some(self.product.status.clone()).filter(|s| !s.is_empty()),
            variants,
        };
        Ok((product, rows))
    }
}

/// The core names a variant's fields by its place among the variants it
/// was given (`variants[0].sku`); the form by its row, which differs once
/// a blank row is left out before it.
fn errors_by_row(err: CoreError, rows: &[usize]) -> CoreError {
    let (clash, mut fields) = match err {
        CoreError::Validation(fields) => (false, fields),
        CoreError::Clash(fields) => (true, fields),
        other => return other,
    };
    for field in &mut fields {
        let Some((index, rest)) = field
            .field
            .strip_prefix("variants[")
            .and_then(|tail| tail.split_once(']'))
        else {
            continue;
        };
        if let Some(row) = index.parse::<usize>().ok().and_then(|i| rows.get(i)) {
            field.field = format!("variants[{row}]{rest}");
        }
    }
    if clash {
        CoreError::Clash(fields)
    } else {
        CoreError::Validation(fields)
    }
}

#[derive(Template)]
#[template(path = "admin/product_new.html")]
struct NewProductPage {
    layout: Layout,
    admin: AdminNav,
    /// The panel the page is shown in: `/admin` or `/seller`.
    base: &'static str,
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
    panel: &PanelVisitor,
    form: NewProductForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (layout, admin) = panel.products_frame(state, "New product").await?;
    let page = NewProductPage {
        layout,
        admin,
        base: panel.base(),
        categories: category_choices(&state.shop.category_tree().await?),
        form,
        errors,
        currency: state.shop.config().currency,
    };
    Ok(render(status, &page))
}

async fn new_product(
    State(state): State<AppState>,
    panel: PanelVisitor,
) -> Result<Response, PageError> {
    new_product_page(
        &state,
        &panel,
        NewProductForm::blank(),
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    panel: PanelVisitor,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = NewProductForm::read(&body);
    let created = match form.parse(state.shop.config().currency) {
        Ok((input, rows)) => state
            .shop
            .create_product(&panel.actor, input)
            .await
            .map_err(|err| errors_by_row(err, &rows)),
        Err(err) => Err(err),
    };
    match created {
        Ok(product) => Ok(redirect_with(
            &format!("{}/products/{}", panel.base(), product.id),
            format!("{} is created.", product.name),
            &panel.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            new_product_page(&state, &panel, form, errors, status).await
        }
    }
}

// The product editor

/// One variant's forms on the editor: what the fields hold (the variant as
/// stored, or what staff typed into a form that was refused) and that
/// form's messages. The add-a-variant form is a row with id 0.
#[derive(Debug, Default)]
struct VariantRow {
    id: i64,
    stock_on_hand: i64,
    stock_available: i64,
    form: VariantForm,
    errors: Errors,
}

impl VariantRow {
    fn of(variant: VariantView) -> Self {
        Self {
            id: variant.id,
            stock_on_hand: variant.stock_on_hand,
            stock_available: variant.stock_available,
            form: VariantForm {
                sku: variant.sku,
                options: options_text(&variant.options),
                price: variant.price.major(),
                ..VariantForm::default()
            },
            errors: Errors::default(),
        }
    }

    /// The anchor the page scrolls to when this row's form comes back.
    fn anchor(&self) -> String {
        if self.id == 0 {
            "new-variant".to_owned()
        } else {
            format!("variant-{}", self.id)
        }
    }

    /// A unique element id for one of this row's fields.
    fn field_id(&self, field: &str) -> String {
        format!("{field}-{}", self.anchor())
    }
}

/// A variant form that was refused: for which variant (0: a new one),
/// what was typed, and why.
struct Refused {
    variant_id: i64,
    form: VariantForm,
    errors: Errors,
}

#[derive(Template)]
#[template(path = "admin/product_edit.html")]
struct EditProductPage {
    layout: Layout,
    admin: AdminNav,
    /// The panel the page is shown in: `/admin` or `/seller`.
    base: &'static str,
    categories: Vec<(i64, String)>,
    product: ProductDetail,
    form: ProductForm,
    errors: Errors,
    variants: Vec<VariantRow>,
    new_variant: VariantRow,
    currency: Currency,
    photos: Vec<souk_core::photos::PhotoView>,
}

impl EditProductPage {
    /// Where the forms of one variant are sent.
    fn variant_path(&self, variant_id: &i64) -> String {
        format!(
            "{}/products/{}/variants/{variant_id}",
            self.base, self.product.id
        )
    }
}

/// What the editor shows besides the product as stored: a refused
/// product form or a refused variant form, each with what was typed.
#[derive(Default)]
struct Editing {
    product: Option<(ProductForm, Errors)>,
    variant: Option<Refused>,
}

async fn edit_page(
    state: &AppState,
    panel: &PanelVisitor,
    id: i64,
    editing: Editing,
) -> Result<Response, PageError> {
    let product = state
        .shop
        .managed_product(&panel.actor, &id.to_string())
        .await?;
    let (layout, admin) = panel.products_frame(state, product.name.clone()).await?;
    let refused = editing.product.is_some() || editing.variant.is_some();
    let (form, errors) = editing.product.unwrap_or_else(|| {
        let form = ProductForm {
            name: product.name.clone(),
            slug: product.slug.clone(),
            description: product.description.clone(),
            category_id: product
                .category
                .as_ref()
                .map(|c| c.id.to_string())
                .unwrap_or_default(),
            status: product.status.clone(),
        };
        (form, Errors::default())
    });
    let mut variants: Vec<VariantRow> = product
        .variants
        .iter()
        .cloned()
        .map(VariantRow::of)
        .collect();
    let mut new_variant = VariantRow {
        form: VariantForm {
            stock: "0".into(),
            ..VariantForm::default()
        },
        ..VariantRow::default()
    };
    if let Some(refused) = editing.variant {
        let row = match variants.iter_mut().find(|r| r.id == refused.variant_id) {
            Some(row) => row,
            None => &mut new_variant,
        };
        row.form = refused.form;
        row.errors = refused.errors;
    }
    let page = EditProductPage {
        layout,
        admin,
        base: panel.base(),
        categories: category_choices(&state.shop.category_tree().await?),
        product,
        form,
        errors,
        variants,
        new_variant,
        currency: state.shop.config().currency,
        photos: state.shop.list_photos(&panel.actor, id).await?,
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

/// The editor again with a refused variant form, or, if the refusal was
/// not about the input, the error page.
async fn variant_refused(
    state: &AppState,
    panel: &PanelVisitor,
    product_id: i64,
    variant_id: i64,
    form: VariantForm,
    err: CoreError,
) -> Result<Response, PageError> {
    let refused = Refused {
        variant_id,
        form,
        errors: Errors::from_core(err)?,
    };
    let editing = Editing {
        variant: Some(refused),
        ..Editing::default()
    };
    edit_page(state, panel, product_id, editing).await
}

async fn edit(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    edit_page(&state, &panel, id, Editing::default()).await
}

async fn update(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ProductForm>,
) -> Result<Response, PageError> {
    let mut v = Validator::new();
    let category_id = optional_int(&mut v, "category_id", &form.category_id);
    let updated = match v.finish() {
        Ok(()) => {
            let patch = ProductPatch {
                name: Some(form.name.clone()),
                slug: Some(form.slug.trim().to_owned()).filter(|s| !s.is_empty()),
                description: Some(form.description.clone()),
                category_id,
                seller_id: None,
                status: Some(form.status.clone()),
            };
            state.shop.update_product(&panel.actor, id, patch).await
        }
        Err(errors) => Err(CoreError::Validation(errors)),
    };
    match updated {
        Ok(product) => Ok(redirect_with(
            &format!("{}/products/{id}", panel.base()),
            format!("{} is saved.", product.name),
            &panel.visitor,
        )),
        Err(err) => {
            let editing = Editing {
                product: Some((form, Errors::from_core(err)?)),
                ..Editing::default()
            };
            edit_page(&state, &panel, id, editing).await
        }
    }
}

async fn delete(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    match state.shop.delete_product(&panel.actor, id).await {
        Ok(()) => Ok(redirect_with(
            &format!("{}/products", panel.base()),
            "The product was deleted.",
            &panel.visitor,
        )),
        Err(err) => {
            let message = Flash::refused(refusal(err)?);
            let to = format!("{}/products/{id}", panel.base());
            Ok(redirect_with(&to, message, &panel.visitor))
        }
    }
}

/// Variant `id` as stored, if it belongs to product `product_id` (the
/// editor's forms name both); otherwise the not-found page.
async fn variant_of(
    state: &AppState,
    actor: &Actor,
    product_id: i64,
    id: i64,
) -> Result<VariantView, PageError> {
    let product = state
        .shop
        .managed_product(actor, &product_id.to_string())
        .await?;
    let variant = product.variants.into_iter().find(|v| v.id == id);
    Ok(variant.ok_or(CoreError::NotFound("variant"))?)
}

/// Back to the editor at a variant, with a message.
fn back_to_variant(product_id: i64, anchor: &str, message: &str, panel: &PanelVisitor) -> Response {
    let to = format!("{}/products/{product_id}#{anchor}", panel.base());
    redirect_with(&to, message, &panel.visitor)
}

async fn add_variant(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<VariantForm>,
) -> Result<Response, PageError> {
    let mut v = Validator::new();
    let parsed = form.parse(&mut v, "", state.shop.config().currency);
    let added = match (v.finish(), parsed) {
        (Ok(()), Some(variant)) => state.shop.add_variant(&panel.actor, id, variant).await,
        (Err(errors), _) => Err(CoreError::Validation(errors)),
        (Ok(()), None) => Err(CoreError::invalid("sku", "is required")),
    };
    match added {
        Ok(product) => {
            let message = format!("Variant {} is added.", form.sku.trim());
            let newest = product.variants.iter().map(|v| v.id).max().unwrap_or(0);
            let anchor = format!("variant-{newest}");
            Ok(back_to_variant(id, &anchor, &message, &panel))
        }
        Err(err) => variant_refused(&state, &panel, id, 0, form, err).await,
    }
}

async fn update_variant(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path((product_id, id)): Path<(i64, i64)>,
    PageForm(form): PageForm<VariantForm>,
) -> Result<Response, PageError> {
    variant_of(&state, &panel.actor, product_id, id).await?;
    let mut v = Validator::new();
    let options = v.check("options", parse_options(&form.options));
    let price = v.check(
        "price",
        Money::parse_major(&form.price, state.shop.config().currency),
    );
    let updated = match v.finish() {
        Ok(()) => {
            let patch = VariantPatch {
                sku: Some(form.sku.trim().to_owned()),
                options,
                price: price.map(|p| p.amount),
                position: None,
            };
            state.shop.update_variant(&panel.actor, id, patch).await
        }
        Err(errors) => Err(CoreError::Validation(errors)),
    };
    match updated {
        Ok(variant) => {
            let message = format!("Variant {} is saved.", variant.sku);
            let anchor = format!("variant-{id}");
            Ok(back_to_variant(product_id, &anchor, &message, &panel))
        }
        Err(err) => variant_refused(&state, &panel, product_id, id, form, err).await,
    }
}

async fn adjust_stock(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path((product_id, id)): Path<(i64, i64)>,
    PageForm(form): PageForm<VariantForm>,
) -> Result<Response, PageError> {
    let stored = variant_of(&state, &panel.actor, product_id, id).await?;
    let adjusted = match parse_whole::<i64>(&form.delta, WHOLE_NUMBER_INPUT_MAX) {
        Ok(delta) => {
            state
                .shop
                .adjust_stock(&panel.actor, id, delta, &form.reason)
                .await
        }
        Err(too_long) if form.delta.chars().count() > WHOLE_NUMBER_INPUT_MAX => {
            Err(CoreError::invalid("delta", too_long.0))
        }
        Err(_) => Err(CoreError::invalid(
            "delta",
            "must be a whole number of units, negative to remove",
        )),
    };
    match adjusted {
        Ok(variant) => {
            let message = format!("{} now has {} on hand.", variant.sku, variant.stock_on_hand);
            let anchor = format!("variant-{id}");
            Ok(back_to_variant(product_id, &anchor, &message, &panel))
        }
        Err(err) => {
            // The variant's own fields stay as stored; only the stock
            // form keeps what was typed.
            let kept = VariantForm {
                delta: form.delta,
                reason: form.reason,
                ..VariantRow::of(stored).form
            };
            variant_refused(&state, &panel, product_id, id, kept, err).await
        }
    }
}

async fn delete_variant(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path((product_id, id)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    variant_of(&state, &panel.actor, product_id, id).await?;
    let message = match state.shop.delete_variant(&panel.actor, id).await {
        Ok(()) => "The variant was deleted.".to_owned().into(),
        Err(err) => Flash::refused(format!("The variant was not deleted: {}", refusal(err)?)),
    };
    let to = format!("{}/products/{product_id}", panel.base());
    Ok(redirect_with(&to, &message, &panel.visitor))
}
