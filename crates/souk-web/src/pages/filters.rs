//! Template filters of the pages.

use souk_domain::{Locale, Money};

/// A stored name (`pending_payment`) as words (`pending payment`).
#[askama::filter_fn]
pub fn humanize(value: impl std::fmt::Display, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(value.to_string().replace('_', " "))
}

/// An amount as the shop's shoppers read it (`$49.00`, `49,00 €`): the
/// one way a page writes money. `locale` is the page's, `layout.locale`.
#[askama::filter_fn]
pub fn money(
    value: impl Amount,
    _: &dyn askama::Values,
    locale: &Locale,
) -> askama::Result<String> {
    Ok(locale.format(value.amount()))
}

/// Money, however many references deep a template holds it.
pub trait Amount {
    fn amount(&self) -> Money;
}

impl Amount for Money {
    fn amount(&self) -> Money {
        *self
    }
}

impl<T: Amount + ?Sized> Amount for &T {
    fn amount(&self) -> Money {
        (**self).amount()
    }
}
