//! The JSON API under `/api/v1`, described by one OpenAPI 3.1 document
//! that is built from the handlers themselves.

mod account;
mod account_data;
pub(crate) use account_data::AccountDataDto;
mod admin_catalogue;
mod admin_commissions;
mod admin_orders;
mod admin_vouchers;
mod auth;
mod cart;
mod catalogue;
mod doc;
mod fulfilments;
mod idempotent;
mod orders;
mod payments;
mod payouts;
mod photos;
mod reviews;
pub(crate) use photos::read_upload;
mod seller;
mod seller_catalogue;
mod sellers;
mod shipping;
mod types;
mod wishlist;

use crate::AppState;
use axum::Router;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

/// The document's fixed parts; paths and schemas come from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "souk API",
        description = "The JSON API of souk, an e-commerce and multi-vendor marketplace platform. \
                       Money is `{amount, currency}` in minor units (a bare integer of minor units in the shop's currency is read too); \
                       errors are RFC 9457 problem documents, with the fields named in `errors` on 422 (not valid) and 409 (clashes with what exists). \
                       A body is a JSON object; fields it does not describe are ignored.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Registration, sign-in and tokens"),
        (name = "account", description = "The signed-in customer's profile and addresses"),
        (name = "catalogue", description = "Products and categories as shoppers see them"),
        (name = "reviews", description = "Product reviews from verified buyers"),
        (name = "cart", description = "The shopper's cart, a guest's or a customer's"),
        (name = "orders", description = "Checkout and the customer's orders"),
        (name = "payments", description = "Webhooks from payment providers"),
        (name = "sellers", description = "Applying to sell"),
        (name = "seller", description = "A marketplace seller's own shop: profile, catalogue, stock, sales, balance and payouts"),
        (name = "admin", description = "Staff only: catalogue, stock, orders, shipping"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::register))
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::forgot_password))
        .routes(routes!(auth::reset_password))
        .routes(routes!(
            account::get_me,
            account::update_me,
            account_data::delete_me
        ))
        .routes(routes!(account_data::get_my_data))
        .routes(routes!(account::change_password))
        .routes(routes!(
            wishlist::get_my_wishlist,
            wishlist::add_to_my_wishlist
        ))
        .routes(routes!(wishlist::remove_from_my_wishlist))
        .routes(routes!(account::list_addresses, account::create_address))
        .routes(routes!(
            account::get_address,
            account::update_address,
            account::delete_address
        ))
        .routes(routes!(catalogue::list_categories))
        .routes(routes!(catalogue::list_products))
        .routes(routes!(catalogue::get_product))
        .routes(routes!(
            reviews::list_product_reviews,
            reviews::create_review
        ))
        .routes(routes!(reviews::update_review))
        .routes(routes!(reviews::list_admin_reviews))
        .routes(routes!(reviews::moderate_review))
        .routes(routes!(reviews::reply_to_review))
        .routes(routes!(
            reviews::get_review_settings,
            reviews::update_review_settings
        ))
        .routes(routes!(reviews::list_seller_reviews))
        .routes(routes!(reviews::reply_to_seller_review))
        .routes(routes!(cart::get_cart))
        .routes(routes!(cart::add_cart_item))
        .routes(routes!(cart::update_cart_item, cart::remove_cart_item))
        .routes(routes!(cart::preview_voucher))
        .routes(routes!(shipping::list_shipping_methods))
        .routes(routes!(shipping::get_checkout_shipping))
        .routes(routes!(
            shipping::list_seller_shipping_methods,
            shipping::create_seller_shipping_method
        ))
        .routes(routes!(
            shipping::update_seller_shipping_method,
            shipping::delete_seller_shipping_method
        ))
        .routes(routes!(orders::checkout))
        .routes(routes!(orders::list_my_orders))
        .routes(routes!(orders::get_my_order))
        .routes(routes!(orders::cancel_my_order))
        .routes(routes!(orders::pay_my_order_again))
        .routes(routes!(sellers::apply_to_sell, sellers::get_my_application))
        .routes(routes!(sellers::get_seller_shop))
        .routes(routes!(sellers::list_sellers))
        .routes(routes!(sellers::get_seller))
        .routes(routes!(sellers::decide_seller))
        .routes(routes!(seller::list_seller_orders))
        .routes(routes!(fulfilments::move_seller_fulfilment))
        .routes(routes!(fulfilments::move_fulfilment))
        .routes(routes!(fulfilments::cancel_seller_fulfilment))
        .routes(routes!(fulfilments::cancel_fulfilment))
        .routes(routes!(
            seller::get_seller_profile,
            seller::update_seller_profile
        ))
        .routes(routes!(
            seller_catalogue::list_seller_products,
            seller_catalogue::create_seller_product
        ))
        .routes(routes!(
            seller_catalogue::get_seller_product,
            seller_catalogue::update_seller_product,
            seller_catalogue::delete_seller_product
        ))
        .routes(routes!(
            photos::list_seller_product_photos,
            photos::upload_seller_product_photo
        ))
        .routes(routes!(
            photos::update_seller_product_photo,
            photos::delete_seller_product_photo
        ))
        .routes(routes!(seller_catalogue::create_seller_variant))
        .routes(routes!(
            seller_catalogue::update_seller_variant,
            seller_catalogue::delete_seller_variant
        ))
        .routes(routes!(
            seller_catalogue::adjust_seller_stock,
            seller_catalogue::list_seller_stock_movements
        ))
        .routes(routes!(
            admin_catalogue::list_admin_products,
            admin_catalogue::create_product
        ))
        .routes(routes!(
            admin_catalogue::get_admin_product,
            admin_catalogue::update_product,
            admin_catalogue::delete_product
        ))
        .routes(routes!(
            photos::list_product_photos,
            photos::upload_product_photo
        ))
        .routes(routes!(
            photos::update_product_photo,
            photos::delete_product_photo
        ))
        .routes(routes!(admin_catalogue::create_variant))
        .routes(routes!(
            admin_catalogue::update_variant,
            admin_catalogue::delete_variant
        ))
        .routes(routes!(
            admin_catalogue::adjust_stock,
            admin_catalogue::list_stock_movements
        ))
        .routes(routes!(
            admin_catalogue::list_admin_categories,
            admin_catalogue::create_category
        ))
        .routes(routes!(
            admin_catalogue::update_category,
            admin_catalogue::delete_category
        ))
        .routes(routes!(
            admin_commissions::list_commission_rules,
            admin_commissions::create_commission_rule
        ))
        .routes(routes!(
            admin_commissions::update_commission_rule,
            admin_commissions::delete_commission_rule
        ))
        .routes(routes!(admin_commissions::preview_commission))
        .routes(routes!(admin_commissions::list_order_commissions))
        .routes(routes!(admin_orders::list_orders))
        .routes(routes!(admin_orders::get_order))
        .routes(routes!(admin_orders::set_order_status))
        .routes(routes!(
            admin_orders::list_admin_shipping_methods,
            admin_orders::create_shipping_method
        ))
        .routes(routes!(
            admin_orders::update_shipping_method,
            admin_orders::delete_shipping_method
        ))
        .routes(routes!(
            admin_vouchers::list_vouchers,
            admin_vouchers::create_voucher
        ))
        .routes(routes!(admin_vouchers::update_voucher))
        .routes(routes!(admin_vouchers::deactivate_voucher))
        .routes(routes!(admin_vouchers::list_jobs))
        .routes(routes!(payments::receive_testpay_webhook))
        .routes(routes!(payments::receive_stripe_webhook))
        .routes(routes!(payments::create_refund))
        .routes(routes!(payouts::get_seller_balance))
        .routes(routes!(payouts::list_seller_ledger))
        .routes(routes!(payouts::get_seller_statement))
        .routes(routes!(payouts::list_seller_payouts))
        .routes(routes!(payouts::get_seller_payout))
        .routes(routes!(payouts::list_admin_payouts))
        .routes(routes!(payouts::run_payouts))
        .routes(routes!(payouts::get_admin_payout))
        .routes(routes!(payouts::decide_payout))
        .routes(routes!(payouts::get_admin_seller_balance))
        .routes(routes!(payouts::list_admin_seller_ledger))
        .routes(routes!(
            payouts::get_payout_settings,
            payouts::update_payout_settings
        ))
}

/// The OpenAPI document of the whole API, for a shop whose prices are in
/// `currency`.
pub fn openapi(currency: &str) -> OpenApiDoc {
    let (_, mut doc) = api_router().split_for_parts();
    doc::complete(&mut doc, currency);
    doc
}

pub(crate) fn router(state: AppState) -> Router {
    let (api, mut doc) = api_router().split_for_parts();
    doc::complete(&mut doc, state.shop.config().currency.as_str());
    api.with_state(state)
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", doc))
}
