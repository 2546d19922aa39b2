//! Settings: defaults for everything, then an optional TOML file, then the
//! environment and command line (`SOUK_*`). A bad value is a one-line error
//! at start.

use anyhow::{Context, bail};
use clap::Args;
use secrecy::SecretString;
use serde::Deserialize;
use souk_core::domain::Currency;
use souk_core::domain::orders::TaxRate;
use std::fmt;
use std::path::PathBuf;

/// Settings given on the command line or in the environment.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// A TOML file with any of the settings below (keys without the SOUK_ prefix, lower case).
    #[arg(long, env = "SOUK_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// sqlite://path/to/file.db, sqlite:///abs/path.db or postgres://user@host/db [default: sqlite://data/souk.db]
    #[arg(long, env = "SOUK_DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "SOUK_ADDR", global = true)]
    addr: Option<String>,
    /// Most database connections [default: 16 for PostgreSQL, 8 for SQLite]
    #[arg(long, env = "SOUK_DB_MAX_CONNECTIONS", global = true)]
    db_max_connections: Option<u32>,
    /// Secret (32 bytes or more) that signs access tokens [default: generated and kept in the database]
    #[arg(long, env = "SOUK_JWT_SECRET", global = true, hide_env_values = true)]
    jwt_secret: Option<String>,
    /// Minutes an access token is valid [default: 15]
    #[arg(long, env = "SOUK_ACCESS_TOKEN_MINUTES", global = true)]
    access_token_minutes: Option<i64>,
    /// Days a refresh token is valid [default: 30]
    #[arg(long, env = "SOUK_REFRESH_TOKEN_DAYS", global = true)]
    refresh_token_days: Option<i64>,
    /// ISO 4217 currency of prices [default: USD]
    #[arg(long, env = "SOUK_CURRENCY", global = true)]
    currency: Option<String>,
    /// Tax on goods after discount, in basis points: 2000 is 20 % [default: 0]
    #[arg(long, env = "SOUK_TAX_RATE_BPS", global = true)]
    tax_rate_bps: Option<u32>,
    /// Seconds an order may stay unpaid before it expires [default: 1800]
    #[arg(long, env = "SOUK_PAYMENT_TIMEOUT_SECS", global = true)]
    payment_timeout_secs: Option<i64>,
    /// Seconds between scheduler ticks [default: 30]
    #[arg(long, env = "SOUK_SCHEDULER_TICK_SECS", global = true)]
    scheduler_tick_secs: Option<u64>,
    /// Where e-mails are written as .eml files when no SMTP server is set [default: data/mail]
    #[arg(long, env = "SOUK_MAIL_DIR", global = true)]
    mail_dir: Option<PathBuf>,
    /// smtp://user:pass@host:587 (STARTTLS) or smtps://... (TLS) [default: none: write files]
    #[arg(long, env = "SOUK_SMTP_URL", global = true, hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of e-mails [default: Souk <shop@example.com>]
    #[arg(long, env = "SOUK_MAIL_FROM", global = true)]
    mail_from: Option<String>,
    /// The shop's address as shoppers reach it, for links in e-mails [default: http://SOUK_ADDR]
    #[arg(long, env = "SOUK_PUBLIC_URL", global = true)]
    public_url: Option<String>,
    /// Secret that signs testpay's webhooks [default: generated once, kept in the database]
    #[arg(
        long,
        env = "SOUK_TESTPAY_WEBHOOK_SECRET",
        global = true,
        hide_env_values = true
    )]
    testpay_webhook_secret: Option<String>,
    /// Stripe secret key (sk_... or rk_...); when set, card payments go through Stripe [default: none: testpay]
    #[arg(
        long,
        env = "SOUK_STRIPE_SECRET_KEY",
        global = true,
        hide_env_values = true
    )]
    stripe_secret_key: Option<String>,
    /// Signing secret (whsec_...) of the Stripe webhook endpoint /api/v1/payments/webhooks/stripe
    #[arg(
        long,
        env = "SOUK_STRIPE_WEBHOOK_SECRET",
        global = true,
        hide_env_values = true
    )]
    stripe_webhook_secret: Option<String>,
    /// Stripe publishable key (pk_...), for the payment page
    #[arg(long, env = "SOUK_STRIPE_PUBLISHABLE_KEY", global = true)]
    stripe_publishable_key: Option<String>,
    /// Stripe's API address [default: https://api.stripe.com]
    #[arg(long, env = "SOUK_STRIPE_API_BASE", global = true)]
    stripe_api_base: Option<String>,
    /// Folder that holds uploaded pictures when no S3 bucket is set [default: data/files]
    #[arg(long, env = "SOUK_STORAGE_DIR", global = true)]
    storage_dir: Option<PathBuf>,
    /// S3-compatible bucket for uploaded pictures; when set, pictures go there [default: none: the folder]
    #[arg(long, env = "SOUK_S3_BUCKET", global = true)]
    s3_bucket: Option<String>,
    /// The bucket's endpoint, for an S3-compatible service [default: Amazon S3 of the region]
    #[arg(long, env = "SOUK_S3_ENDPOINT", global = true)]
    s3_endpoint: Option<String>,
    /// The bucket's region [default: us-east-1]
    #[arg(long, env = "SOUK_S3_REGION", global = true)]
    s3_region: Option<String>,
    /// Access key id for the bucket
    #[arg(long, env = "SOUK_S3_ACCESS_KEY_ID", global = true)]
    s3_access_key_id: Option<String>,
    /// Secret access key for the bucket
    #[arg(
        long,
        env = "SOUK_S3_SECRET_ACCESS_KEY",
        global = true,
        hide_env_values = true
    )]
    s3_secret_access_key: Option<String>,
    /// Trust X-Forwarded-For for the client address (behind a reverse proxy) [default: false]
    #[arg(long, env = "SOUK_TRUST_PROXY", global = true)]
    trust_proxy: Option<bool>,
    /// Log filter, e.g. info or souk=debug [default: info]
    #[arg(long, env = "SOUK_LOG", global = true)]
    log: Option<String>,
}

/// The same settings in a file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    addr: Option<String>,
    db_max_connections: Option<u32>,
    jwt_secret: Option<String>,
    access_token_minutes: Option<i64>,
    refresh_token_days: Option<i64>,
    currency: Option<String>,
    tax_rate_bps: Option<u32>,
    payment_timeout_secs: Option<i64>,
    scheduler_tick_secs: Option<u64>,
    mail_dir: Option<PathBuf>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    public_url: Option<String>,
    testpay_webhook_secret: Option<String>,
    stripe_secret_key: Option<String>,
    stripe_webhook_secret: Option<String>,
    stripe_publishable_key: Option<String>,
    stripe_api_base: Option<String>,
    storage_dir: Option<PathBuf>,
    s3_bucket: Option<String>,
    s3_endpoint: Option<String>,
    s3_region: Option<String>,
    s3_access_key_id: Option<String>,
    s3_secret_access_key: Option<String>,
    trust_proxy: Option<bool>,
    log: Option<String>,
}

/// The settings in force.
pub struct Settings {
    pub database_url: SecretString,
    pub addr: String,
    pub db_max_connections: u32,
    pub jwt_secret: Option<SecretString>,
    pub access_token_minutes: i64,
    pub refresh_token_days: i64,
    pub currency: Currency,
    pub tax_rate: TaxRate,
    pub payment_timeout_secs: i64,
    pub scheduler_tick_secs: u64,
    pub mail: souk_core::mail::MailConfig,
    pub public_url: String,
    pub testpay_webhook_secret: Option<SecretString>,
    pub stripe: Option<souk_core::payments::stripe::StripeConfig>,
    pub storage: souk_core::photos::store::StorageConfig,
    pub trust_proxy: bool,
    pub log: String,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &"[redacted]")
            .field("addr", &self.addr)
            .field("db_max_connections", &self.db_max_connections)
            .field(
                "jwt_secret",
                &self.jwt_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("currency", &self.currency)
            .field("stripe", &self.stripe.is_some())
            .field(
                "storage",
                &match &self.storage {
                    souk_core::photos::store::StorageConfig::Local { root } => {
                        format!("folder {}", root.display())
                    }
                    souk_core::photos::store::StorageConfig::S3(s3) => {
                        format!("bucket {}", s3.bucket)
                    }
                },
            )
            .field("trust_proxy", &self.trust_proxy)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Defaults, overridden by the file, overridden by environment and flags.
    pub fn load(args: &SettingsArgs) -> anyhow::Result<Self> {
        let file = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read the config file {}", path.display()))?;
                toml::from_str::<FileSettings>(&text)
                    .with_context(|| format!("the config file {} is not valid", path.display()))?
            }
            None => FileSettings::default(),
        };
        let database_url = args
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| "sqlite://data/souk.db".to_owned());
        let is_sqlite = database_url.starts_with("sqlite:");
        if !is_sqlite
            && !database_url.starts_with("postgres://")
            && !database_url.starts_with("postgresql://")
        {
            bail!("SOUK_DATABASE_URL must start with sqlite:// or postgres://");
        }
        let addr = args
            .addr
            .clone()
            .or(file.addr)
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        if addr.parse::<std::net::SocketAddr>().is_err() && !addr.contains(':') {
            bail!("SOUK_ADDR must be host:port, such as 127.0.0.1:8080 (got {addr:?})");
        }
        let db_max_connections = args
            .db_max_connections
            .or(file.db_max_connections)
            .unwrap_or(if is_sqlite { 8 } else { 16 });
        if db_max_connections == 0 {
            bail!("SOUK_DB_MAX_CONNECTIONS must be at least 1");
        }
        let jwt_secret = args.jwt_secret.clone().or(file.jwt_secret);
        if jwt_secret.as_ref().is_some_and(|s| s.len() < 32) {
            bail!("SOUK_JWT_SECRET must be at least 32 bytes");
        }
        let access_token_minutes = args
            .access_token_minutes
            .or(file.access_token_minutes)
            .unwrap_or(15);
        if !(1..=24 * 60).contains(&access_token_minutes) {
            bail!("SOUK_ACCESS_TOKEN_MINUTES must be from 1 to 1440");
        }
        let refresh_token_days = args
            .refresh_token_days
            .or(file.refresh_token_days)
            .unwrap_or(30);
        if !(1..=365).contains(&refresh_token_days) {
            bail!("SOUK_REFRESH_TOKEN_DAYS must be from 1 to 365");
        }
        let currency_text = args
            .currency
            .clone()
            .or(file.currency)
            .unwrap_or_else(|| "USD".to_owned());
        let currency = Currency::parse(&currency_text)
            .map_err(|e| anyhow::anyhow!("SOUK_CURRENCY {e} (got {currency_text:?})"))?;
        let tax_rate =
            TaxRate::from_basis_points(args.tax_rate_bps.or(file.tax_rate_bps).unwrap_or(0))
                .map_err(|e| anyhow::anyhow!("SOUK_TAX_RATE_BPS {e}"))?;
        let payment_timeout_secs = args
            .payment_timeout_secs
            .or(file.payment_timeout_secs)
            .unwrap_or(1800);
        if !(1..=30 * 24 * 3600).contains(&payment_timeout_secs) {
            bail!("SOUK_PAYMENT_TIMEOUT_SECS must be from 1 to 2592000");
        }
        let scheduler_tick_secs = args
            .scheduler_tick_secs
            .or(file.scheduler_tick_secs)
            .unwrap_or(30);
        if !(1..=3600).contains(&scheduler_tick_secs) {
            bail!("SOUK_SCHEDULER_TICK_SECS must be from 1 to 3600");
        }
        let mail_from = args
            .mail_from
            .clone()
            .or(file.mail_from)
            .unwrap_or_else(|| "Souk <shop@example.com>".to_owned());
        if !mail_from.contains('@') {
            bail!("SOUK_MAIL_FROM must be an address such as 'Souk <shop@example.com>'");
        }
        let smtp_url = args.smtp_url.clone().or(file.smtp_url);
        if smtp_url
            .as_ref()
            .is_some_and(|u| !u.starts_with("smtp://") && !u.starts_with("smtps://"))
        {
            bail!("SOUK_SMTP_URL must start with smtp:// or smtps://");
        }
        let mail = souk_core::mail::MailConfig {
            from: mail_from,
            smtp_url: smtp_url.map(SecretString::from),
            dir: args
                .mail_dir
                .clone()
                .or(file.mail_dir)
                .unwrap_or_else(|| PathBuf::from("data/mail")),
        };
        let public_url = args
            .public_url
            .clone()
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{addr}"));
        if !public_url.starts_with("http://") && !public_url.starts_with("https://") {
            bail!("SOUK_PUBLIC_URL must start with http:// or https://");
        }
        let testpay_webhook_secret = args
            .testpay_webhook_secret
            .clone()
            .or(file.testpay_webhook_secret)
            .map(SecretString::from);
        let stripe = stripe_settings(
            args.stripe_secret_key.clone().or(file.stripe_secret_key),
            args.stripe_webhook_secret
                .clone()
                .or(file.stripe_webhook_secret),
            args.stripe_publishable_key
                .clone()
                .or(file.stripe_publishable_key),
            args.stripe_api_base.clone().or(file.stripe_api_base),
        )?;
        let storage = match args
            .s3_bucket
            .clone()
            .or(file.s3_bucket)
            .filter(|b| !b.is_empty())
        {
            Some(bucket) => {
                let endpoint = args.s3_endpoint.clone().or(file.s3_endpoint);
                if endpoint
                    .as_ref()
                    .is_some_and(|e| !e.starts_with("http://") && !e.starts_with("https://"))
                {
                    bail!("SOUK_S3_ENDPOINT must start with http:// or https://");
                }
                souk_core::photos::store::StorageConfig::S3(souk_core::photos::store::S3Config {
                    bucket,
                    endpoint,
                    region: args
                        .s3_region
                        .clone()
                        .or(file.s3_region)
                        .unwrap_or_else(|| "us-east-1".to_owned()),
                    access_key_id: args.s3_access_key_id.clone().or(file.s3_access_key_id),
                    secret_access_key: args
                        .s3_secret_access_key
                        .clone()
                        .or(file.s3_secret_access_key)
                        .map(SecretString::from),
                })
            }
            None => souk_core::photos::store::StorageConfig::Local {
                root: args
                    .storage_dir
                    .clone()
                    .or(file.storage_dir)
                    .unwrap_or_else(|| PathBuf::from("data/files")),
            },
        };
        Ok(Self {
            storage,
            testpay_webhook_secret,
            stripe,
            mail,
            public_url,
            payment_timeout_secs,
            scheduler_tick_secs,
            tax_rate,
            database_url: SecretString::from(database_url),
            addr,
            db_max_connections,
            jwt_secret: jwt_secret.map(SecretString::from),
            access_token_minutes,
            refresh_token_days,
            currency,
            trust_proxy: args.trust_proxy.or(file.trust_proxy).unwrap_or(false),
            log: args
                .log
                .clone()
                .or(file.log)
                .unwrap_or_else(|| "info".to_owned()),
        })
    }

    pub fn db_config(&self) -> souk_core::DbConfig {
        use secrecy::ExposeSecret;
        souk_core::DbConfig {
            url: self.database_url.expose_secret().to_owned(),
            max_connections: self.db_max_connections,
        }
    }

    pub fn shop_config(&self) -> souk_core::ShopConfig {
        souk_core::ShopConfig {
            currency: self.currency,
            jwt_secret: self.jwt_secret.clone(),
            access_token_ttl: chrono::Duration::minutes(self.access_token_minutes),
            refresh_token_ttl: chrono::Duration::days(self.refresh_token_days),
            tax_rate: self.tax_rate,
            payment_timeout: chrono::Duration::seconds(self.payment_timeout_secs),
            mail: self.mail.clone(),
            public_url: self.public_url.clone(),
            testpay_webhook_secret: self.testpay_webhook_secret.clone(),
            stripe: self.stripe.clone(),
            storage: self.storage.clone(),
        }
    }

    pub fn schedule(&self) -> souk_core::jobs::Schedule {
        souk_core::jobs::Schedule {
            tick: std::time::Duration::from_secs(self.scheduler_tick_secs),
        }
    }

    pub fn web_config(&self) -> souk_web::WebConfig {
        souk_web::WebConfig {
            trust_proxy: self.trust_proxy,
            ..Default::default()
        }
    }
}

/// Stripe's settings: none, or all three keys (a half-configured Stripe
/// would take orders that can never be paid) and an API address that is
/// HTTPS unless it is a mock on this machine.
fn stripe_settings(
    secret_key: Option<String>,
    webhook_secret: Option<String>,
    publishable_key: Option<String>,
    api_base: Option<String>,
) -> anyhow::Result<Option<souk_core::payments::stripe::StripeConfig>> {
    let Some(secret_key) = secret_key.filter(|k| !k.is_empty()) else {
        if webhook_secret.is_some() || publishable_key.is_some() {
            bail!(
                "SOUK_STRIPE_WEBHOOK_SECRET and SOUK_STRIPE_PUBLISHABLE_KEY need SOUK_STRIPE_SECRET_KEY"
            );
        }
        return Ok(None);
    };
    if !secret_key.starts_with("sk_") && !secret_key.starts_with("rk_") {
        bail!("SOUK_STRIPE_SECRET_KEY must be a secret key (sk_...) or a restricted key (rk_...)");
    }
    let Some(webhook_secret) = webhook_secret.filter(|s| !s.is_empty()) else {
        bail!("SOUK_STRIPE_WEBHOOK_SECRET (whsec_...) is required with SOUK_STRIPE_SECRET_KEY");
    };
    let Some(publishable_key) = publishable_key.filter(|k| k.starts_with("pk_")) else {
        bail!("SOUK_STRIPE_PUBLISHABLE_KEY (pk_...) is required with SOUK_STRIPE_SECRET_KEY");
    };
    let api_base =
        api_base.unwrap_or_else(|| souk_core::payments::stripe::DEFAULT_API_BASE.to_owned());
    let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| {
            api_base
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        });
    if !api_base.starts_with("https://") && !local {
        bail!("SOUK_STRIPE_API_BASE must be https:// (or http:// on this machine, for a mock)");
    }
    Ok(Some(souk_core::payments::stripe::StripeConfig {
        secret_key: SecretString::from(secret_key),
        webhook_secret: Some(SecretString::from(webhook_secret)),
        publishable_key: Some(publishable_key),
        api_base,
    }))
}
