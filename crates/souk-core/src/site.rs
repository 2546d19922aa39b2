//! What staff say about the shop: its name, the home page's banner, the
//! about page, the address shoppers write to and the locale its prices
//! are written in. Kept as settings, read through a short-lived copy.

use crate::actor::Actor;
use crate::{CoreError, Shop};
use souk_db::ConnectionTrait;
use souk_db::repo::settings;
use souk_domain::text::Email;
use souk_domain::text::bounded;
use souk_domain::{Locale, Validator};
use std::sync::Arc;

/// The shop's words, as shown on every page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSettings {
    pub shop_name: String,
    /// Shown at the top of the home page; may be empty.
    pub banner: String,
    /// The about page, as plain text in paragraphs.
    pub about: String,
    /// Where shoppers write with questions (every page's footer); may be
    /// empty.
    pub contact_email: String,
    /// How prices are written for shoppers (`$49.00`, `49,00 €`).
    pub locale: Locale,
}

impl SiteSettings {
    /// The about page's paragraphs (a blank line starts one), trimmed,
    /// none empty.
    pub fn about_paragraphs(&self) -> impl Iterator<Item = &str> {
        self.about
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            shop_name: "souk".into(),
            banner: String::new(),
            about: String::new(),
            contact_email: String::new(),
            locale: Locale::default(),
        }
    }
}

const PREFIX: &str = "site.";
const SHOP_NAME: &str = "site.shop_name";
const BANNER: &str = "site.banner";
pub(crate) const ABOUT: &str = "site.about";
/// The longest shop name, banner and about page.
pub const SHOP_NAME_MAX: usize = 80;
pub const BANNER_MAX: usize = 300;
pub const ABOUT_MAX: usize = 10_000;
pub(crate) const CONTACT_EMAIL: &str = "site.contact_email";
const LOCALE: &str = "site.locale";

/// The locale the shop writes prices in, read within `db` (a transaction
/// that writes an e-mail about money); the default if unset or unknown.
pub(crate) async fn shop_locale(db: &impl ConnectionTrait) -> Result<Locale, CoreError> {
    Ok(settings::get(db, LOCALE)
        .await?
        .and_then(|tag| Locale::parse(&tag).ok())
        .unwrap_or_default())
}

impl Shop {
    /// The shop's words (defaults until staff set them).
    pub async fn site_settings(&self) -> Result<Arc<SiteSettings>, CoreError> {
        if let Some(site) = self.cache.site() {
            return Ok(site);
        }
        let mut site = SiteSettings::default();
        for (key, value) in settings::with_prefix(self.db.conn(), PREFIX).await? {
            match key.as_str() {
                SHOP_NAME => site.shop_name = value,
                BANNER => site.banner = value,
                ABOUT => site.about = value,
                CONTACT_EMAIL => site.contact_email = value,
                LOCALE => site.locale = Locale::parse(&value).unwrap_or_default(),
                _ => {}
            }
        }
        let site = Arc::new(site);
        self.cache.put_site(site.clone());
        Ok(site)
    }

    /// Staff change the shop's words; each field is checked.
    pub async fn update_site_settings(
        &self,
        actor: &Actor,
        input: SiteSettings,
    ) -> Result<SiteSettings, CoreError> {
        actor.require_staff()?;
        let mut v = Validator::new();
        let shop_name = v.check("shop_name", bounded(&input.shop_name, 1, SHOP_NAME_MAX));
        let banner = v.check("banner", bounded(&input.banner, 0, BANNER_MAX));
        let about = v.check("about", bounded(&input.about, 0, ABOUT_MAX));
        let contact_email = match input.contact_email.trim() {
            "" => Some(String::new()),
            raw => v
                .check("contact_email", Email::parse(raw))
                .map(|email| email.as_str().to_owned()),
        };
        v.finish()?;
        let (Some(shop_name), Some(banner), Some(about), Some(contact_email)) =
            (shop_name, banner, about, contact_email)
        else {
            return Err(anyhow::anyhow!("validated input is incomplete").into());
        };
        let txn = self.db.begin_write().await?;
        settings::set(&txn, SHOP_NAME, &shop_name).await?;
        settings::set(&txn, BANNER, &banner).await?;
        settings::set(&txn, ABOUT, &about).await?;
        settings::set(&txn, CONTACT_EMAIL, &contact_email).await?;
        settings::set(&txn, LOCALE, input.locale.tag()).await?;
        txn.commit().await?;
        self.cache.site_changed();
        Ok(SiteSettings {
            shop_name,
            banner,
            about,
            contact_email,
            locale: input.locale,
        })
    }
}
