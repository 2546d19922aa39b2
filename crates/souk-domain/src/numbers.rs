//! Numbers as a person types them into a form: a stock level, a position,
//! a limit, a count of units. The range of each is its own rule's; here is
//! how long the typed text may be (the field's `maxlength`) and how it
//! reads.

use crate::Invalid;
use std::str::FromStr;

/// The most characters of a whole number typed in a form: a sign and ten
/// digits, which hold every count the shop keeps (a stock of up to
/// [`crate::catalogue::MAX_STOCK`] either way, an `i32` position or limit).
pub const WHOLE_NUMBER_INPUT_MAX: usize = 1 + digits(i32::MAX as u64);

/// How many decimal digits `n` has: the `maxlength` of a field whose rule
/// stops at `n`.
pub const fn digits(mut n: u64) -> usize {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

/// The refusal of text longer than its field's `maxlength`, in the words
/// of a text field's ([`crate::text::bounded`]).
pub fn too_long(max: usize) -> Invalid {
    Invalid::new(format!("must be at most {max} characters"))
}

/// A whole number typed in a form: at most `max` characters as sent, then
/// a whole number once trimmed.
pub fn parse_whole<T: FromStr>(raw: &str, max: usize) -> Result<T, Invalid> {
    if raw.chars().count() > max {
        return Err(too_long(max));
    }
    raw.trim()
        .parse()
        .map_err(|_| Invalid::new("must be a whole number"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::MAX_STOCK;

    #[test]
    fn every_count_the_shop_keeps_fits_a_whole_number_field() {
        assert_eq!(digits(0), 1);
        assert_eq!(digits(9), 1);
        assert_eq!(digits(10), 2);
        assert_eq!(digits(999), 3);
        assert_eq!(WHOLE_NUMBER_INPUT_MAX, 11);
        for fits in [
            (-MAX_STOCK).to_string(),
            MAX_STOCK.to_string(),
            i32::MIN.to_string(),
        ] {
            assert!(fits.len() <= WHOLE_NUMBER_INPUT_MAX, "{fits}");
            assert!(parse_whole::<i64>(&fits, WHOLE_NUMBER_INPUT_MAX).is_ok());
        }
    }

    #[test]
    fn a_typed_whole_number_is_refused_past_its_length_or_when_it_is_not_one() {
        assert_eq!(parse_whole::<i64>(" 42 ", 4), Ok(42));
        assert_eq!(parse_whole::<i64>("-7", 2), Ok(-7));
        assert_eq!(
            parse_whole::<i64>("12345", 4),
            Err(Invalid::new("must be at most 4 characters"))
        );
        for bad in ["", "1.5", "abc", "1e3"] {
            assert_eq!(
                parse_whole::<i64>(bad, 11),
                Err(Invalid::new("must be a whole number")),
                "{bad}"
            );
        }
    }
}
