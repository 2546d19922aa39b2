//! How the shop writes amounts for its shoppers: `$49.00`, `49,00 €`,
//! `1.234,56 €`, `¥4,900`. A locale is a row of a small table (decimal and
//! group separators, where the currency's symbol goes and whether a space
//! parts it from the number); symbols come from a table of currencies, the
//! ISO code standing in for one it does not name. The conventions are
//! CLDR's for each locale.

use crate::Invalid;
use crate::money::Money;
use std::fmt;

/// A locale the shop can write its prices in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// English (United States): `$1,234.56`.
    #[default]
    EnUs,
    /// English (United Kingdom): `£1,234.56`.
    EnGb,
    /// German (Germany): `1.234,56 €`.
    DeDe,
    /// French (France): `1 234,56 €`.
    FrFr,
    /// Dutch (Netherlands): `€ 1.234,56`.
    NlNl,
    /// Spanish (Spain): `1234,56 €`, `12.345,67 €`.
    EsEs,
    /// Italian (Italy): `1.234,56 €`.
    ItIt,
}

/// A non-breaking space: a symbol is never wrapped away from its number.
const NBSP: &str = "\u{a0}";
/// A narrow non-breaking space: French groups of thousands.
const NNBSP: &str = "\u{202f}";

/// How one locale writes an amount.
struct Style {
    decimal: &'static str,
    group: &'static str,
    /// Digits before the point from which groups are marked (Spanish
    /// leaves four-digit numbers whole).
    group_from: usize,
    symbol_first: bool,
    /// Whether a space parts a symbol from the number.
    spaced: bool,
    /// Whether a minus sign goes between a leading symbol and the number
    /// (`€ -5,00`) instead of before both (`-$5.00`).
    minus_after_symbol: bool,
}

impl Locale {
    /// Every locale, in the order the settings page offers them.
    pub const ALL: [Locale; 7] = [
        Locale::EnUs,
        Locale::EnGb,
        Locale::DeDe,
        Locale::FrFr,
        Locale::NlNl,
        Locale::EsEs,
        Locale::ItIt,
    ];

    /// The BCP 47 tag, as stored and sent: `en-US`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::EnUs => "en-US",
            Locale::EnGb => "en-GB",
            Locale::DeDe => "de-DE",
            Locale::FrFr => "fr-FR",
            Locale::NlNl => "nl-NL",
            Locale::EsEs => "es-ES",
            Locale::ItIt => "it-IT",
        }
    }

    /// What staff see when they choose it.
    pub fn label(self) -> &'static str {
        match self {
            Locale::EnUs => "English (United States)",
            Locale::EnGb => "English (United Kingdom)",
            Locale::DeDe => "German (Germany)",
            Locale::FrFr => "French (France)",
            Locale::NlNl => "Dutch (Netherlands)",
            Locale::EsEs => "Spanish (Spain)",
            Locale::ItIt => "Italian (Italy)",
        }
    }

    /// The locale of a tag such as `de-DE` (case and `_` for `-` do not
    /// matter).
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let wanted = raw.trim().replace('_', "-");
        Self::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(&wanted))
            .ok_or_else(|| {
                let tags: Vec<&str> = Self::ALL.iter().map(|l| l.tag()).collect();
                Invalid::new(format!("must be one of {}", tags.join(", ")))
            })
    }

    fn style(self) -> Style {
        let continental = |group, symbol_first, minus_after_symbol, group_from| Style {
            decimal: ",",
            group,
            group_from,
            symbol_first,
            spaced: true,
            minus_after_symbol,
        };
        match self {
            Locale::EnUs | Locale::EnGb => Style {
                decimal: ".",
                group: ",",
                group_from: 4,
                symbol_first: true,
                spaced: false,
                minus_after_symbol: false,
            },
            Locale::DeDe | Locale::ItIt => continental(".", false, false, 4),
            Locale::FrFr => continental(NNBSP, false, false, 4),
            Locale::NlNl => continental(".", true, true, 4),
            Locale::EsEs => continental(".", false, false, 5),
        }
    }

    /// `money` as shoppers of this locale read it: `$49.00`, `49,00 €`.
    pub fn format(self, money: Money) -> String {
        let style = self.style();
        let symbol = symbol(self, money.currency.as_str());
        let number = self.number(money);
        // A code such as `CHF` always stands apart from the digits.
        let space = if style.spaced || symbol.chars().all(|c| c.is_ascii_alphabetic()) {
            NBSP
        } else {
            ""
        };
        let minus = if money.amount < 0 { "-" } else { "" };
        match (style.symbol_first, style.minus_after_symbol) {
            (true, false) => format!("{minus}{symbol}{space}{number}"),
            (true, true) => format!("{symbol}{space}{minus}{number}"),
            (false, _) => format!("{minus}{number}{space}{symbol}"),
        }
    }

    /// The amount's digits with this locale's separators, without sign or
    /// symbol: `1.234,56`.
    pub fn number(self, money: Money) -> String {
        let style = self.style();
        let decimals = money.currency.minor_units();
        let abs = money.amount.unsigned_abs();
        let scale = 10u64.pow(decimals);
        let whole = (abs / scale).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3 * 3);
        let mark_groups = whole.len() >= style.group_from;
        for (i, digit) in whole.chars().enumerate() {
            let left = whole.len() - i;
            if mark_groups && i > 0 && left.is_multiple_of(3) {
                grouped.push_str(style.group);
            }
            grouped.push(digit);
        }
        if decimals == 0 {
            return grouped;
        }
        format!(
            "{grouped}{}{:0width$}",
            style.decimal,
            abs % scale,
            width = decimals as usize
        )
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// The symbol of `currency` as `locale` writes it; its ISO code when the
/// table has none.
fn symbol(locale: Locale, currency: &str) -> &str {
    let english = matches!(locale, Locale::EnUs | Locale::EnGb);
    match currency {
        // Outside the United States a bare `$` could be any dollar.
        "USD" if locale == Locale::EnUs => "$",
        "USD" if english => "US$",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "KRW" => "₩",
        "ILS" => "₪",
        "VND" => "₫",
        "CAD" => "CA$",
        "AUD" => "A$",
        "NZD" => "NZ$",
        "CNY" => "CN¥",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use proptest::prelude::*;

    fn money(amount: i64, code: &str) -> Money {
        Money::new(amount, Currency::parse(code).unwrap())
    }

    #[test]
    fn each_locale_writes_amounts_as_its_shoppers_read_them() {
        let cases = [
            (Locale::EnUs, 4900, "USD", "$49.00"),
            (Locale::EnUs, 123_456, "USD", "$1,234.56"),
            (Locale::EnUs, 490_000, "JPY", "¥490,000"),
            (Locale::EnUs, 4900, "JPY", "¥4,900"),
            (Locale::EnUs, 1250, "CHF", "CHF\u{a0}12.50"),
            (Locale::EnUs, 7, "USD", "$0.07"),
            (Locale::EnGb, 4900, "GBP", "£49.00"),
            (Locale::EnGb, 4900, "USD", "US$49.00"),
            (Locale::DeDe, 4900, "EUR", "49,00\u{a0}€"),
            (Locale::DeDe, 123_456, "EUR", "1.234,56\u{a0}€"),
            (Locale::DeDe, 4900, "JPY", "4.900\u{a0}¥"),
            (Locale::FrFr, 123_456, "EUR", "1\u{202f}234,56\u{a0}€"),
            (Locale::NlNl, 123_456, "EUR", "€\u{a0}1.234,56"),
            (Locale::EsEs, 123_456, "EUR", "1234,56\u{a0}€"),
            (Locale::EsEs, 1_234_567, "EUR", "12.345,67\u{a0}€"),
            (Locale::ItIt, 123_456_789, "EUR", "1.234.567,89\u{a0}€"),
            (Locale::EnUs, 1_234_567, "KWD", "KWD\u{a0}1,234.567"),
        ];
        for (locale, amount, code, expected) in cases {
            assert_eq!(locale.format(money(amount, code)), expected, "{locale}");
        }
    }

    #[test]
    fn negative_amounts_put_the_minus_where_the_locale_does() {
        assert_eq!(Locale::EnUs.format(money(-500, "USD")), "-$5.00");
        assert_eq!(
            Locale::DeDe.format(money(-123_456, "EUR")),
            "-1.234,56\u{a0}€"
        );
        assert_eq!(Locale::NlNl.format(money(-500, "EUR")), "€\u{a0}-5,00");
        assert_eq!(
            Locale::EnUs.format(money(i64::MIN, "USD")),
            "-$92,233,720,368,547,758.08"
        );
    }

    #[test]
    fn tags_are_read_loosely_and_written_exactly() {
        assert_eq!(Locale::parse("de-DE"), Ok(Locale::DeDe));
        assert_eq!(Locale::parse(" fr_fr "), Ok(Locale::FrFr));
        assert!(Locale::parse("xx-YY").is_err());
        assert!(Locale::parse("").is_err());
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.tag()), Ok(locale));
        }
        assert_eq!(Locale::default(), Locale::EnUs);
    }

    proptest! {
        /// Whatever the locale and currency, the digits shown are the
        /// amount's, and the sign is there exactly when it is negative.
        #[test]
        fn formatting_never_loses_a_digit(
            amount in any::<i64>(),
            locale in prop::sample::select(Locale::ALL.to_vec()),
            code in prop::sample::select(vec!["USD", "EUR", "GBP", "JPY", "KWD", "CHF"]),
        ) {
            let m = money(amount, code);
            let shown = locale.format(m);
            let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
            prop_assert_eq!(digits.parse::<u64>().unwrap(), amount.unsigned_abs());
            let decimals = m.currency.minor_units() as usize;
            prop_assert!(digits.len() > decimals, "{shown}");
            prop_assert_eq!(shown.contains('-'), amount < 0);
        }
    }
}
