//! What a listing's product cards need beyond the product row: whether a
//! product is sold as a single variant, so that its card can add it to the
//! cart.

use crate::entity::variant;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};

/// How many variants a product has, and its first by id.
#[derive(Debug, Clone, FromQueryResult)]
pub struct VariantTally {
    pub product_id: i64,
    pub variants: i64,
    pub first_variant_id: i64,
}

/// The variant tally of each of `product_ids` that has variants: one
/// grouped read over the variants' product index.
pub async fn variant_tallies(
    db: &impl ConnectionTrait,
    product_ids: &[i64],
) -> Result<Vec<VariantTally>, DbErr> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    variant::Entity::find()
        .select_only()
        .column(variant::Column::ProductId)
        .column_as(variant::Column::Id.count(), "variants")
        .column_as(variant::Column::Id.min(), "first_variant_id")
        .filter(variant::Column::ProductId.is_in(product_ids.iter().copied()))
        .group_by(variant::Column::ProductId)
        .into_model::<VariantTally>()
        .all(db)
        .await
}
