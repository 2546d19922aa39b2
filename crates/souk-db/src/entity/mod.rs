//! SeaORM entities, one per table. These never leave the persistence and
//! use-case layers: the API and the pages have types of their own.

pub mod address;
pub mod category;
pub mod login_throttle;
pub mod product;
pub mod refresh_token;
pub mod seller;
pub mod setting;
pub mod stock_movement;
pub mod user;
pub mod variant;
