//! A photo of a product: where it is shown and what it shows; the picture
//! is in the file store under `hash`.

use sea_orm::entity::prelude::*;

/// A row of `product_photos`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product_photos")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    /// The variant it shows, if one; `None`: the product as a whole.
    pub variant_id: Option<i64>,
    /// Its place among the product's photos, from 0.
    pub position: i32,
    pub alt: String,
    /// SHA-256 (hex) of the stored picture.
    pub hash: String,
    /// `jpeg`, `png` or `webp`.
    pub format: String,
    pub width: i32,
    pub height: i32,
    pub byte_size: i64,
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
