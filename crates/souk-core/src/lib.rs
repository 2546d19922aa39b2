//! The use cases of souk. Each public method of [`Shop`] is one thing a
//! shopper, seller or staff member does, done in one database transaction
//! over the repositories of `souk-db`. Handlers of every kind (JSON API,
//! HTML pages, CLI) call these and nothing below them.

pub mod account_data;
pub mod accounts;
pub mod actor;
pub mod auth;
pub mod cart;
pub mod catalogue;
pub mod demo;
mod error;
pub mod jobs;
pub mod mail;
pub mod marketplace;
pub mod orders;
pub mod payments;
pub mod photos;
pub mod reports;
pub mod reviews;
pub mod sellers;
pub mod shipping;
pub mod site;
pub mod testpay;
pub mod vouchers;
pub mod wishlist;

pub use error::CoreError;
/// Stored records that some use cases return as they are (users,
/// addresses, stock movements). Handlers map them to their own types.
pub use souk_db::entity as records;
pub use souk_db::{Db, DbConfig};
pub use souk_domain as domain;

use secrecy::SecretString;
use souk_domain::Currency;
use souk_domain::orders::TaxRate;

/// Applies every pending database migration.
pub async fn migrate(db: &Db) -> Result<(), CoreError> {
    Ok(souk_db::migration::migrate(db).await?)
}

/// Settings the use cases need.
#[derive(Clone, Debug)]
pub struct ShopConfig {
    /// The currency prices are set in.
    pub currency: Currency,
    /// Secret that signs access tokens; when `None`, one is generated and
    /// kept in the database so that every node shares it.
    pub jwt_secret: Option<SecretString>,
    /// How long an access token is valid.
    pub access_token_ttl: chrono::Duration,
    /// How long a refresh token is valid.
    pub refresh_token_ttl: chrono::Duration,
    /// Tax charged on goods after discount.
    pub tax_rate: TaxRate,
    /// How long an order may wait for its payment before it expires.
    pub payment_timeout: chrono::Duration,
    /// How e-mail leaves the shop.
    pub mail: mail::MailConfig,
    /// The shop's address as shoppers reach it, for links in e-mails.
    pub public_url: String,
    /// The secret that signs testpay's webhooks; when `None`, one is
    /// generated and kept in the database.
    pub testpay_webhook_secret: Option<SecretString>,
    /// Stripe's keys: when set, card payments go through Stripe instead of
    /// testpay.
    pub stripe: Option<payments::stripe::StripeConfig>,
    /// Where uploaded pictures are kept.
    pub storage: photos::store::StorageConfig,
}

impl Default for ShopConfig {
    fn default() -> Self {
        Self {
            currency: Currency::USD,
            jwt_secret: None,
            access_token_ttl: chrono::Duration::minutes(15),
            refresh_token_ttl: chrono::Duration::days(30),
            tax_rate: TaxRate::default(),
            payment_timeout: chrono::Duration::seconds(1800),
            mail: mail::MailConfig::default(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            testpay_webhook_secret: None,
            stripe: None,
            storage: photos::store::StorageConfig::default(),
        }
    }
}

/// The shop: its database and settings. Cheap to clone.
#[derive(Clone)]
pub struct Shop {
    db: Db,
    config: ShopConfig,
    tokens: auth::TokenKeys,
    /// Signs the anti-forgery tokens of the browser pages' forms.
    form_secret: SecretString,
    cache: std::sync::Arc<catalogue::CatalogueCache>,
    /// The totals of sellers' long lists.
    list_totals: std::sync::Arc<marketplace::ListTotals>,
    /// Stripe's API, when Stripe is configured.
    stripe: Option<std::sync::Arc<payments::stripe::StripeApi>>,
    /// Uploaded pictures and their thumbnails.
    files: photos::store::FileStore,
}

impl Shop {
    /// Opens the shop on a migrated database, loading or generating the
    /// token signing secret.
    pub async fn open(db: Db, mut config: ShopConfig) -> Result<Self, CoreError> {
        let tokens = auth::TokenKeys::load(&db, config.jwt_secret.as_ref()).await?;
        if config.testpay_webhook_secret.is_none() {
            // The test gateway works without configuration: it signs with a
            // secret that every node reads from the database.
            let fresh = auth::random_secret();
            let secret =
                souk_db::repo::settings::get_or_insert(db.conn(), "testpay.webhook_secret", &fresh)
                    .await?;
            config.testpay_webhook_secret = Some(SecretString::from(secret));
        }
        let form_secret = SecretString::from(
            souk_db::repo::settings::get_or_insert(
                db.conn(),
                "forms.secret",
                &auth::random_secret(),
            )
            .await?,
        );
        let stripe = config
            .stripe
            .as_ref()
            .map(payments::stripe::StripeApi::new)
            .transpose()?
            .map(std::sync::Arc::new);
        let files = photos::store::FileStore::open(&config.storage)?;
        Ok(Self {
            files,
            stripe,
            db,
            config,
            tokens,
            form_secret,
            cache: Default::default(),
            list_totals: Default::default(),
        })
    }

    /// The database, for health checks.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The settings.
    pub fn config(&self) -> &ShopConfig {
        &self.config
    }
}
