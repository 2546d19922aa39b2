//! The cart and the checkout: change quantities, preview a voucher, choose
//! an address, a shipping method and a way to pay, and place the order.

use super::filters;
use super::forms::{AddressFields, Errors, PageForm, encode, optional, sentence};
use super::layout::Layout;
use super::{Customer, Flash, PageError, Visitor, ok, redirect, redirect_with, render};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::cart::CartView;
use souk_core::orders::{
    AddressChoice, CheckoutInput, IdempotencyKey, Placed, Quote, ShippingChoice,
};
use souk_core::records::address;
use souk_core::vouchers::VoucherPreview;
use souk_domain::orders::parse_typed_quantity;
use std::collections::BTreeMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cart", get(show_cart))
        .route("/cart/items/{id}", post(update_item))
        .route("/cart/items/{id}/remove", post(remove_item))
        .route("/checkout", get(show_checkout).post(place_order))
        .route("/checkout/update", post(update_checkout))
}

#[derive(Template)]
#[template(path = "cart.html")]
struct CartPage {
    layout: Layout,
    cart: CartView,
    voucher_code: String,
    voucher: Option<VoucherPreview>,
    voucher_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CartParams {
    voucher: String,
}

async fn show_cart(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<CartParams>,
) -> Result<Response, PageError> {
    let cart = state.shop.get_cart(&visitor.cart_owner()).await?;
    let code = params.voucher.trim().to_owned();
    let (mut voucher, mut voucher_error) = (None, None);
    if !code.is_empty() {
        match state
            .shop
            .preview_voucher(&visitor.cart_owner(), &code)
            .await
        {
            Ok(preview) => voucher = Some(preview),
            Err(err) => voucher_error = Some(first_message(err)?),
        }
    }
    let layout = visitor.layout(&state, "Your cart").await?;
    ok(&CartPage {
        layout,
        cart,
        voucher_code: code,
        voucher,
        voucher_error,
    })
}

/// The message of a refusal about the input; anything else is an error.
fn first_message(err: CoreError) -> Result<String, PageError> {
    let errors = Errors::from_core(err)?;
    Ok(errors
        .get("voucher_code")
        .map(str::to_owned)
        .or(errors.general)
        .unwrap_or_default())
}

#[derive(Debug, Deserialize)]
struct QuantityForm {
    #[serde(default)]
    quantity: String,
}

async fn update_item(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<QuantityForm>,
) -> Result<Response, PageError> {
    let quantity = match parse_typed_quantity(&form.quantity) {
        Ok(quantity) => quantity,
        Err(invalid) => {
            let message = sentence("quantity", &invalid.0);
            return Ok(redirect_with("/cart", Flash::Refused(message), &visitor));
        }
    };
    let owner = visitor.cart_owner();
    let result = if quantity == 0 {
        state.shop.remove_cart_item(&owner, id).await
    } else {
        state.shop.update_cart_item(&owner, id, quantity).await
    };
    match result {
        Ok(_) => Ok(redirect_with("/cart", "Cart updated.", &visitor)),
        Err(CoreError::NotFound(_)) => Ok(redirect("/cart")),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let message = match errors.get("quantity") {
                Some(m) => m.to_owned(),
                None => errors.general.unwrap_or_default(),
            };
            Ok(redirect_with("/cart", Flash::Refused(message), &visitor))
        }
    }
}

async fn remove_item(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    match state.shop.remove_cart_item(&visitor.cart_owner(), id).await {
        Ok(_) | Err(CoreError::NotFound(_)) => Ok(redirect_with("/cart", "Removed.", &visitor)),
        Err(err) => Err(err.into()),
    }
}

/// The checkout form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CheckoutForm {
    /// A saved address id, or `new`.
    address: String,
    #[serde(flatten)]
    fields: AddressFields,
    save_address: String,
    shipping_method_id: String,
    payment_method: String,
    voucher_code: String,
    /// Makes a twice-sent form one order.
    idempotency_key: String,
    /// The rest: a seller's own shipping method as `ship_{seller id}`.
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

impl CheckoutForm {
    /// The shipping methods picked: the shop's, and each seller's own.
    fn shipping(&self) -> ShippingChoice {
        let sellers = self
            .rest
            .iter()
            .filter_map(|(name, value)| {
                let seller = name.strip_prefix("ship_")?.parse().ok()?;
                Some((seller, value.trim().parse().ok()?))
            })
            .collect();
        ShippingChoice {
            shop: self.shipping_method_id.trim().parse().ok(),
            sellers,
        }
    }
}

#[derive(Template)]
#[template(path = "checkout.html")]
struct CheckoutPage {
    layout: Layout,
    cart: CartView,
    addresses: Vec<address::Model>,
    payment_methods: Vec<(&'static str, &'static str, &'static str)>,
    form: CheckoutForm,
    errors: Errors,
    /// What the order costs with the choices shown.
    quote: Quote,
}

/// The ways to pay, as (value, label, explanation).
const PAYMENT_METHODS: [(&str, &str, &str); 3] = [
    ("card", "Card", "Pay now on the secure payment page."),
    (
        "bank_transfer",
        "Bank transfer",
        "Transfer the total; we ship once it arrives.",
    ),
    (
        "cash_on_delivery",
        "Cash on delivery",
        "Pay the carrier when the parcel arrives.",
    ),
];

/// `/checkout`: `voucher` comes from the cart page. The choices made so
/// far come back by POST ("Update totals"), never in the address.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CheckoutParams {
    voucher: String,
}

async fn show_checkout(
    State(state): State<AppState>,
    Customer { visitor, .. }: Customer,
    Query(params): Query<CheckoutParams>,
) -> Result<Response, PageError> {
    let mut form = CheckoutForm {
        voucher_code: params.voucher,
        ..CheckoutForm::default()
    };
    if form.payment_method.is_empty() {
        form.payment_method = "card".into();
    }
    if form.idempotency_key.is_empty() {
        form.idempotency_key = uuid::Uuid::new_v4().to_string();
    }
    checkout_page(&state, &visitor, form, Errors::default(), StatusCode::OK).await
}

/// "Update totals": the checkout again with the choices sent, priced.
async fn update_checkout(
    State(state): State<AppState>,
    Customer { visitor, .. }: Customer,
    PageForm(mut form): PageForm<CheckoutForm>,
) -> Result<Response, PageError> {
    if form.idempotency_key.is_empty() {
        form.idempotency_key = uuid::Uuid::new_v4().to_string();
    }
    checkout_page(&state, &visitor, form, Errors::default(), StatusCode::OK).await
}

async fn checkout_page(
    state: &AppState,
    visitor: &Visitor,
    mut form: CheckoutForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let Some(user) = &visitor.user else {
        return Err(PageError::SignIn("/checkout".into()));
    };
    let cart = state.shop.get_cart(&visitor.cart_owner()).await?;
    if cart.items.is_empty() {
        return Ok(redirect_with("/cart", "Your cart is empty.", visitor));
    }
    let addresses = state.shop.list_addresses(user.caller).await?;
    if form.address.is_empty() {
        form.address = addresses
            .first()
            .map(|a| a.id.to_string())
            .unwrap_or_else(|| "new".into());
    }
    if form.fields.full_name.is_empty() && addresses.is_empty() {
        form.fields.full_name = user.name.clone();
    }
    let quote = state
        .shop
        .quote_checkout(user.caller, &form.shipping(), Some(&form.voucher_code))
        .await?;
    let layout = visitor.layout(state, "Checkout").await?;
    Ok(render(
        status,
        &CheckoutPage {
            layout,
            cart,
            addresses,
            payment_methods: PAYMENT_METHODS.to_vec(),
            form,
            errors,
            quote,
        },
    ))
}

async fn place_order(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    PageForm(form): PageForm<CheckoutForm>,
) -> Result<Response, PageError> {
    let shipping_address = match form.address.parse::<i64>() {
        Ok(id) => AddressChoice::Saved(id),
        Err(_) => AddressChoice::New(Box::new(form.fields.input())),
    };
    let input = CheckoutInput {
        shipping_address,
        shipping: form.shipping(),
        save_address: form.save_address == "1",
        voucher_code: optional(&form.voucher_code),
        payment_method: form.payment_method.clone(),
    };
    let key_text = if form.idempotency_key.trim().is_empty() {
        uuid::Uuid::new_v4().to_string()
    } else {
        form.idempotency_key.trim().to_owned()
    };
    let body = format!("page checkout {}", key_text);
    let key = IdempotencyKey {
        scope: format!("user:{}", caller.user_id),
        key: &key_text,
        body: body.as_bytes(),
    };
    let render_id = |order: &souk_core::orders::OrderView| Ok(order.id.clone());
    let placed = state
        .shop
        .place_order(caller, input, &key, &render_id)
        .await;
    let order_id = match placed {
        Ok(Placed::Created { order, .. }) => {
            if let Some(payment) = order.payments.iter().find(|p| p.status.is_open()) {
                return Ok(redirect(&format!("/pay/{}", payment.id)));
            }
            order.id
        }
        Ok(Placed::Replay { body, .. }) => body,
        Err(err) => {
            let mut errors = Errors::from_core(prefix_address_fields(err))?;
            if errors.general.is_none() {
                errors.general = Some("The order could not be placed.".into());
            }
            let mut form = form;
            // A new attempt is a new order.
            form.idempotency_key = uuid::Uuid::new_v4().to_string();
            return checkout_page(
                &state,
                &visitor,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    Ok(redirect_with(
        &format!("/account/orders/{}", encode(&order_id)),
        "Thank you! Your order is placed.",
        &visitor,
    ))
}

/// The checkout names address fields `shipping_address.<field>`; the form
/// names them plainly.
fn prefix_address_fields(err: CoreError) -> CoreError {
    match err {
        CoreError::Validation(errors) => CoreError::Validation(
            errors
                .into_iter()
                .map(|mut e| {
                    if let Some(field) = e.field.strip_prefix("shipping_address.") {
                        e.field = field.to_owned();
                    }
                    e
                })
                .collect(),
        ),
        other => other,
    }
}
