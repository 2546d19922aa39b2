//! Named settings of the shop, such as generated secrets.

use crate::entity::setting;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

/// The value of `key`, if set.
pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbErr> {
    Ok(setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|row| row.value))
}

/// Stores `value` under `key` unless a value is there already, and returns
/// the stored value: the first writer wins, so that every node of a cluster
/// ends up with the same generated secret.
pub async fn get_or_insert(
    db: &impl ConnectionTrait,
    key: &str,
    value: &str,
) -> Result<String, DbErr> {
    let row = setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    };
    setting::Entity::insert(row)
        .on_conflict_do_nothing_on([setting::Column::Key])
        .exec(db)
        .await?;
    Ok(get(db, key).await?.unwrap_or_else(|| value.to_owned()))
}
