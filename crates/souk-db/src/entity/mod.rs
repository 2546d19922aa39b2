//! SeaORM entities, one per table. These never leave the persistence and
//! use-case layers: the API and the pages have types of their own.

pub mod address;
pub mod cart;
pub mod cart_item;
pub mod category;
pub mod commission_line;
pub mod commission_rule;
pub mod fulfilment;
pub mod idempotency_key;
pub mod job;
pub mod ledger_entry;
pub mod login_throttle;
pub mod order;
pub mod order_event;
pub mod order_item;
pub mod password_reset;
pub mod payment;
pub mod payment_event;
pub mod payout;
pub mod product;
pub mod product_photo;
pub mod refresh_token;
pub mod refund;
pub mod review;
pub mod seller;
pub mod setting;
pub mod shipping_method;
pub mod stock_movement;
pub mod user;
pub mod variant;
pub mod voucher;
pub mod voucher_redemption;
pub mod web_session;
pub mod wishlist_item;
