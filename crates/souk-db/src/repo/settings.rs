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

/// Stores `value` under `key`, replacing what was there.
pub async fn set(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<(), DbErr> {
    let row = setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    };
    setting::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(setting::Column::Key)
                .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Every setting whose key starts with `prefix`, as (key, value).
pub async fn with_prefix(
    db: &impl ConnectionTrait,
    prefix: &str,
) -> Result<Vec<(String, String)>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(setting::Entity::find()
        .filter(setting::Column::Key.starts_with(prefix))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.key, row.value))
        .collect())
}
