//! Users, refresh-token families and sign-in throttling.

use super::raw;
use crate::entity::{login_throttle, password_reset, refresh_token, seller, user, web_session};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationDef,
};
use souk_domain::paging::{Page, PageRequest};

/// What is needed to create an account.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub name: &'a str,
    pub role: &'a str,
}

/// Inserts a user; a taken email fails with a unique violation.
pub async fn insert_user(
    db: &impl ConnectionTrait,
    new: NewUser<'_>,
) -> Result<user::Model, DbErr> {
    let now = Utc::now();
    user::ActiveModel {
        email: Set(new.email.to_owned()),
        password_hash: Set(new.password_hash.to_owned()),
        name: Set(new.name.to_owned()),
        phone: Set(None),
        role: Set(new.role.to_owned()),
        email_verified_at: Set(None),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The user with this (normalised) email.
pub async fn find_user_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await
}

/// The user with this id.
pub async fn find_user(db: &impl ConnectionTrait, id: i64) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

/// Changes name and phone; `None` leaves a field as it is, `Some(None)`
/// clears the phone.
pub async fn update_profile(
    db: &impl ConnectionTrait,
    id: i64,
    name: Option<&str>,
    phone: Option<Option<&str>>,
) -> Result<Option<user::Model>, DbErr> {
    let Some(found) = find_user(db, id).await? else {
        return Ok(None);
    };
    let mut row: user::ActiveModel = found.into();
    if let Some(name) = name {
        row.name = Set(name.to_owned());
    }
    if let Some(phone) = phone {
        row.phone = Set(phone.map(str::to_owned));
    }
    row.updated_at = Set(Utc::now());
    row.update(db).await.map(Some)
}

/// Sets a user's role and password hash (used by the CLI to promote or
/// reset an existing account).
pub async fn set_role_and_password(
    db: &impl ConnectionTrait,
    id: i64,
    role: &str,
    password_hash: &str,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::Role, Expr::value(role))
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives an account another role (a seller approved, or refused).
pub async fn set_role(db: &impl ConnectionTrait, id: i64, role: &str) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::Role, Expr::value(role))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Stores a new refresh token of `family`.
pub async fn insert_refresh_token(
    db: &impl ConnectionTrait,
    user_id: i64,
    family: &str,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    refresh_token::ActiveModel {
        user_id: Set(user_id),
        family: Set(family.to_owned()),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Marks a live refresh token used, exactly once: of two concurrent
/// rotations of one token only one sees `Some`.
pub async fn use_refresh_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<refresh_token::Model>, DbErr> {
    let result = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .filter(refresh_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    find_refresh_token(db, token_hash).await
}

/// The refresh token with this hash, live or not.
pub async fn find_refresh_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<refresh_token::Model>, DbErr> {
    refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}

/// Revokes every token of a family.
pub async fn revoke_family(
    db: &impl ConnectionTrait,
    family: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::Family.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The moment until which sign-ins under `key` are refused, if they are.
pub async fn throttled_until(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let row = login_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?;
    Ok(row
        .and_then(|r| r.blocked_until)
        .filter(|until| *until > now))
}

/// How failed sign-ins are counted under one key.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Failures allowed within one window before blocking.
    pub max_failures: i32,
    /// Length of the counting window.
    pub window: chrono::Duration,
    /// How long a block lasts.
    pub block_for: chrono::Duration,
}

/// Counts one failed sign-in under `key` and blocks the key once the policy
/// says so. The count is one upsert, so concurrent failures all count.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
    policy: ThrottlePolicy,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let window_start = now - policy.window;
    // A window that ended starts again at one failure.
    db.execute_raw(raw(
        backend,
        "INSERT INTO login_throttles (key, failures, window_started_at, blocked_until) \
         VALUES (?, 1, ?, NULL) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_throttles.window_started_at < ? THEN 1 ELSE login_throttles.failures + 1 END, \
           window_started_at = CASE WHEN login_throttles.window_started_at < ? THEN excluded.window_started_at ELSE login_throttles.window_started_at END",
        vec![key.into(), now.into(), window_start.into(), window_start.into()],
    ))
    .await?;
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::BlockedUntil,
            Expr::value(now + policy.block_for),
        )
        .filter(login_throttle::Column::Key.eq(key))
        .filter(login_throttle::Column::Failures.gte(policy.max_failures))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets the failures under `key` (after a successful sign-in).
pub async fn clear_failures(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Stores a password reset token (its hash) for a user.
pub async fn insert_password_reset(
    db: &impl ConnectionTrait,
    user_id: i64,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    password_reset::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash.to_owned()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Uses a password reset token, once, if it has not expired; the user it
/// belongs to.
pub async fn use_password_reset(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    let result = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::TokenHash.eq(token_hash))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    Ok(password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .map(|r| r.user_id))
}

/// Sets a user's password hash.
pub async fn set_password(
    db: &impl ConnectionTrait,
    user_id: i64,
    password_hash: &str,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every refresh token and ends every browser session of a user:
/// every device signs in again.
pub async fn revoke_all_for_user(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    web_session::Entity::delete_many()
        .filter(web_session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Starts a browser session for a user, known by its token's hash.
pub async fn insert_web_session(
    db: &impl ConnectionTrait,
    user_id: i64,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    web_session::ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The enabled account a live browser session belongs to, with what every
/// signed-in page needs besides: the seller it runs (if any) and the units
/// in its cart.
#[derive(Debug, Clone, FromQueryResult)]
pub struct SessionAccount {
    pub user_id: i64,
    pub role: String,
    pub name: String,
    pub email: String,
    pub seller_id: Option<i64>,
    pub seller_status: Option<String>,
    pub cart_units: i64,
}

/// The account of a live browser session, in one read (every signed-in
/// page asks, and a seller's panel pages need its seller).
pub async fn web_session_account(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionAccount>, DbErr> {
    let session: RelationDef = user::Entity::belongs_to(web_session::Entity)
        .from(user::Column::Id)
        .to(web_session::Column::UserId)
        .into();
    let seller: RelationDef = user::Entity::belongs_to(seller::Entity)
        .from(user::Column::Id)
        .to(seller::Column::UserId)
        .into();
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast it back.
    let cart_units = Expr::cust(
        "CAST(COALESCE((SELECT SUM(\"ci\".\"quantity\") FROM \"carts\" \"c\" \
         JOIN \"cart_items\" \"ci\" ON \"ci\".\"cart_id\" = \"c\".\"id\" \
         WHERE \"c\".\"user_id\" = \"users\".\"id\"), 0) AS BIGINT)",
    );
    user::Entity::find()
        .select_only()
        .column_as(user::Column::Id, "user_id")
        .column(user::Column::Role)
        .column(user::Column::Name)
        .column(user::Column::Email)
        .column_as(seller::Column::Id, "seller_id")
        .column_as(seller::Column::Status, "seller_status")
        .expr_as(cart_units, "cart_units")
        .join(JoinType::InnerJoin, session)
        .join(JoinType::LeftJoin, seller)
        .filter(web_session::Column::TokenHash.eq(token_hash))
        .filter(web_session::Column::ExpiresAt.gt(now))
        .filter(user::Column::DisabledAt.is_null())
        .into_model::<SessionAccount>()
        .one(db)
        .await
}

/// Ends a browser session, and any that expired meanwhile.
pub async fn delete_web_session(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    web_session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(web_session::Column::TokenHash.eq(token_hash))
                .add(web_session::Column::ExpiresAt.lte(now)),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// One page of accounts, newest first; `search` matches part of the
/// e-mail or the name, whatever the case, and `role` keeps one role.
pub async fn list_users(
    db: &impl ConnectionTrait,
    search: Option<&str>,
    role: Option<&str>,
    page: PageRequest,
) -> Result<Page<user::Model>, DbErr> {
    let mut condition = Condition::all();
    if let Some(search) = search {
        let pattern = format!("%{}%", like_escape(&search.to_lowercase()));
        condition = condition.add(
            Condition::any()
                .add(Expr::col(user::Column::Email).like(LikeExpr::new(&pattern).escape('\\')))
                .add(
                    Expr::expr(Func::lower(Expr::col(user::Column::Name)))
                        .like(LikeExpr::new(&pattern).escape('\\')),
                ),
        );
    }
    if let Some(role) = role {
        condition = condition.add(user::Column::Role.eq(role));
    }
    let query = user::Entity::find()
        .filter(condition)
        .order_by_desc(user::Column::Id);
    super::paged(db, query, page).await
}

/// `text` with the LIKE wildcards escaped by a backslash.
fn like_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
