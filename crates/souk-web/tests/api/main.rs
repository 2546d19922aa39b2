//! Integration tests through the real router, on a fresh database per
//! test: SQLite by default, PostgreSQL when `SOUK_TEST_DATABASE_URL` names
//! a server (a new database is created on it for each test).

mod account_data;
mod accounts;
mod admin_catalogue;
mod auth;
mod browser;
mod cancel_parcel;
mod catalogue;
mod checkout_choices;
mod errors;
mod harness;
mod jobs;
mod ledger_property;
mod marketplace;
mod openapi;
mod orders;
mod pages;
mod pages_a11y;
mod pages_admin;
mod pages_admin_catalogue;
mod pages_delivery;
mod pages_details;
mod pages_numbers;
mod pages_payouts;
mod pages_product;
mod pages_refusals;
mod pages_search_engines;
mod pages_sellers;
mod pages_shop_window;
mod password;
mod pay_again;
mod payments;
mod payouts;
mod photos;
mod reviews;
mod security;
mod security_content;
mod security_money;
mod security_webhooks;
mod seller_volume;
mod sellers;
mod shopping;
mod stripe;
mod vouchers;
mod wishlist;
