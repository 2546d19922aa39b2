//! What every page shows around its content: the shop's name, the
//! visitor's account and cart, a one-time message, the form token.

use super::Flash;
use super::PageError;
use super::assets::{self, AssetLinks};
use super::theme::Theme;
use super::visitor::Visitor;
use crate::AppState;
use souk_core::catalogue::SEARCH_MAX;
use souk_domain::Locale;
use souk_domain::identity::Role;

/// The frame of a page.
pub(crate) struct Layout {
    pub title: String,
    pub shop_name: String,
    /// The signed-in visitor's name.
    pub user_name: Option<String>,
    pub is_staff: bool,
    /// Whether the account runs a seller (the panel itself asks the core).
    pub is_seller: bool,
    /// The form token of this browser and session.
    pub csrf: String,
    pub cart_count: i64,
    pub flash: Option<Flash>,
    /// The search box's text.
    pub q: String,
    /// The longest search text the catalogue reads.
    pub search_max: usize,
    /// The frame's stylesheet, script and icon, at their hashed addresses.
    pub assets: AssetLinks,
    /// The page's summary for search engines and link previews.
    pub description: String,
    /// The shop's banner line, repeated in the footer.
    pub tagline: String,
    /// Where shoppers write to (the footer); may be empty.
    pub contact_email: String,
    /// The theme the visitor chose, written on `<html>`.
    pub theme: Theme,
    /// The switch's choices.
    pub themes: [Theme; 3],
    /// This page's path and query, for the forms that come back to it.
    pub here: String,
    /// How prices are written (the `money` filter's argument).
    pub locale: Locale,
    /// What search engines and link previews are told of the page
    /// (canonical address, Open Graph, structured data); none for pages
    /// that are nobody's to find (the cart, accounts, the panels).
    pub seo: Option<super::seo::PageMeta>,
}

/// The longest meta description kept; search engines cut longer ones.
const DESCRIPTION_MAX: usize = 160;

/// `text` as a meta description: one line, cut at a word before
/// [`DESCRIPTION_MAX`] characters with an ellipsis.
pub(crate) fn summary(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= DESCRIPTION_MAX {
        return line;
    }
    let cut: String = line.chars().take(DESCRIPTION_MAX - 1).collect();
    let at_word = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", at_word.trim_end_matches([',', '.', ';', ':']))
}

impl Layout {
    pub(super) async fn new(
        visitor: &Visitor,
        state: &AppState,
        title: String,
    ) -> Result<Self, PageError> {
        let site = state.shop.site_settings().await?;
        let cart_count = match (&visitor.user, &visitor.guest_cart) {
            (Some(user), _) => user.cart_units,
            (None, None) => 0,
            (None, Some(_)) => state.shop.cart_item_count(&visitor.cart_owner()).await?,
        };
        let about = site.about_paragraphs().next().unwrap_or_default();
        let description = [site.banner.as_str(), about]
            .into_iter()
            .find(|text| !text.trim().is_empty())
            .map_or_else(|| format!("{}: shop online.", site.shop_name), summary);
        Ok(Self {
            description,
            tagline: site.banner.clone(),
            contact_email: site.contact_email.clone(),
            title,
            shop_name: site.shop_name.clone(),
            user_name: visitor.user.as_ref().map(|u| u.name.clone()),
            is_staff: visitor.user.as_ref().is_some_and(|u| u.is_staff()),
            is_seller: visitor
                .user
                .as_ref()
                .is_some_and(|u| u.caller.role == Role::Seller),
            csrf: visitor.csrf(state),
            cart_count,
            flash: visitor.flash.clone(),
            q: String::new(),
            search_max: SEARCH_MAX,
            assets: assets::links(),
            theme: visitor.theme,
            themes: Theme::ALL,
            here: visitor.here.clone(),
            locale: site.locale,
            seo: None,
        })
    }

    /// The page's own summary for search engines, if it has one.
    pub fn describe(&mut self, text: &str) {
        if !text.trim().is_empty() {
            self.description = summary(text);
        }
    }

    /// A frame without a visitor, for error pages.
    pub(super) fn bare(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            shop_name: "souk".into(),
            user_name: None,
            is_staff: false,
            is_seller: false,
            csrf: String::new(),
            cart_count: 0,
            flash: None,
            q: String::new(),
            search_max: SEARCH_MAX,
            assets: assets::links(),
            description: String::new(),
            tagline: String::new(),
            contact_email: String::new(),
            theme: Theme::System,
            themes: Theme::ALL,
            here: "/".into(),
            locale: Locale::default(),
            seo: None,
        }
    }
}
