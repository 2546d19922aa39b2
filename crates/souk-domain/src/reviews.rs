//! Reviews: what a verified buyer may write, the states staff move a review
//! between, and the summary a product page shows (average, count and how
//! the ratings spread).

use crate::{Invalid, text};
use serde::{Deserialize, Serialize};

/// The lowest and highest rating.
pub const RATING_MIN: i64 = 1;
pub const RATING_MAX: i64 = 5;
/// The longest title, text and reply, in characters.
pub const TITLE_MAX: usize = 120;
pub const BODY_MAX: usize = 5000;
pub const REPLY_MAX: usize = 2000;

/// Whether shoppers see a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Shown on the product page and counted in its rating.
    Published,
    /// Waiting for staff to publish it (when the shop requires approval).
    Pending,
    /// Taken down by staff.
    Hidden,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 3] = [Self::Published, Self::Pending, Self::Hidden];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Pending => "pending",
            Self::Hidden => "hidden",
        }
    }

    /// Parses a stored or user-given status.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be one of published, pending, hidden"))
    }

    /// The status a review takes when its author writes or edits it: a
    /// hidden review stays hidden (staff took it down, staff bring it
    /// back); otherwise it waits for approval when the shop requires it.
    pub fn after_writing(current: Option<Self>, approval_required: bool) -> Self {
        match current {
            Some(Self::Hidden) => Self::Hidden,
            _ if approval_required => Self::Pending,
            _ => Self::Published,
        }
    }

    /// What staff see written for it.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Published => "Published",
            Self::Pending => "Awaiting approval",
            Self::Hidden => "Hidden",
        }
    }
}

/// A rating from 1 to 5 stars.
pub fn parse_rating(raw: i64) -> Result<u8, Invalid> {
    if (RATING_MIN..=RATING_MAX).contains(&raw) {
        Ok(raw as u8)
    } else {
        Err(Invalid::new(format!(
            "must be a whole number from {RATING_MIN} to {RATING_MAX}"
        )))
    }
}

/// A review's title: 1 to 120 characters.
pub fn parse_title(raw: &str) -> Result<String, Invalid> {
    text::bounded(raw, 1, TITLE_MAX)
}

/// A review's text: up to 5,000 characters; may be empty.
pub fn parse_body(raw: &str) -> Result<String, Invalid> {
    text::bounded(raw, 0, BODY_MAX)
}

/// A reply to a review: 1 to 2,000 characters.
pub fn parse_reply(raw: &str) -> Result<String, Invalid> {
    text::bounded(raw, 1, REPLY_MAX)
}

/// How a review's author is named to shoppers: the first word of the
/// account's name and the initial of the last ("Ada L."), or "A shopper".
pub fn author_name(full_name: &str) -> String {
    let mut words = full_name.split_whitespace();
    let Some(first) = words.next() else {
        return "A shopper".to_owned();
    };
    let first: String = first.chars().take(40).collect();
    match words.last().and_then(|last| last.chars().next()) {
        Some(initial) => format!("{first} {}.", initial.to_uppercase()),
        None => first,
    }
}

/// The order of a product's reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewSort {
    #[default]
    Newest,
    Oldest,
    Highest,
    Lowest,
}

impl ReviewSort {
    pub const ALL: [ReviewSort; 4] = [Self::Newest, Self::Oldest, Self::Highest, Self::Lowest];

    /// The query name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::Highest => "highest",
            Self::Lowest => "lowest",
        }
    }

    /// What shoppers read for it.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Newest => "Newest",
            Self::Oldest => "Oldest",
            Self::Highest => "Highest rated",
            Self::Lowest => "Lowest rated",
        }
    }

    /// Parses a `sort` query value.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be one of newest, oldest, highest, lowest"))
    }
}

/// A product's published ratings: how many of each star.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RatingSummary {
    /// `counts[0]` is one star, `counts[4]` five.
    pub counts: [u64; 5],
}

impl RatingSummary {
    /// Counts the ratings given as (stars, how many); stars outside 1 to 5
    /// are not counted.
    pub fn from_counts(rows: impl IntoIterator<Item = (i64, u64)>) -> Self {
        let mut counts = [0; 5];
        for (stars, n) in rows {
            if let Ok(stars) = parse_rating(stars) {
                counts[usize::from(stars) - 1] += n;
            }
        }
        Self { counts }
    }

    pub fn count(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn sum(&self) -> u64 {
        self.counts
            .iter()
            .zip(1u64..)
            .map(|(n, stars)| n * stars)
            .sum()
    }

    /// The average in hundredths of a star, rounded half up; 0 without
    /// ratings. A listing sorts by it.
    pub fn score(&self) -> i32 {
        score(self.count(), self.sum())
    }

    /// The average to one decimal, as shoppers read it ("4.3").
    pub fn average_text(&self) -> String {
        average_text(self.score())
    }

    /// The share of ratings with `stars` stars, in whole percent.
    pub fn percent(&self, stars: u8) -> u64 {
        let count = self.count();
        match (stars, count) {
            (1..=5, 1..) => (self.counts[usize::from(stars) - 1] * 100 + count / 2) / count,
            _ => 0,
        }
    }
}

/// What a card or a product page shows of a product's rating: how many
/// published reviews and their average in hundredths of a star.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ProductRating {
    pub count: u32,
    pub score: i32,
}

impl ProductRating {
    pub fn new(count: i64, score: i32) -> Self {
        Self {
            count: u32::try_from(count).unwrap_or(0),
            score: score.clamp(0, 500),
        }
    }

    /// Whether anyone has rated it.
    pub fn is_rated(&self) -> bool {
        self.count > 0
    }

    /// The average to one decimal ("4.3").
    pub fn average_text(&self) -> String {
        average_text(self.score)
    }

    /// Whole stars to draw (of five).
    pub fn stars(&self) -> u8 {
        stars(self.score)
    }

    /// The five stars as text, full then empty ("★★★★☆").
    pub fn star_text(&self) -> String {
        let full = usize::from(self.stars());
        "★".repeat(full) + &"☆".repeat(5 - full)
    }
}

/// The average of `count` ratings adding up to `sum`, in hundredths of a
/// star, rounded half up; 0 without ratings.
pub fn score(count: u64, sum: u64) -> i32 {
    if count == 0 {
        return 0;
    }
    let hundredths = (sum * 100 + count / 2) / count;
    i32::try_from(hundredths.min(500)).unwrap_or(500)
}

/// A score in hundredths as an average to one decimal ("4.3").
pub fn average_text(score: i32) -> String {
    let tenths = (score + 5) / 10;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Full stars to draw for a score: the average rounded to the nearest whole
/// star.
pub fn stars(score: i32) -> u8 {
    u8::try_from(((score + 50) / 100).clamp(0, 5)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ratings_are_one_to_five() {
        assert_eq!(parse_rating(1), Ok(1));
        assert_eq!(parse_rating(5), Ok(5));
        assert!(parse_rating(0).is_err());
        assert!(parse_rating(6).is_err());
        assert!(parse_rating(-3).is_err());
    }

    #[test]
    fn authors_are_named_by_first_name_and_initial() {
        assert_eq!(author_name("Ada Lovelace"), "Ada L.");
        assert_eq!(author_name("  grace  brewster murray hopper "), "grace H.");
        assert_eq!(author_name("Cher"), "Cher");
        assert_eq!(author_name("   "), "A shopper");
        assert_eq!(author_name("Émile zola"), "Émile Z.");
    }

    #[test]
    fn a_summary_reads_its_average() {
        let summary = RatingSummary::from_counts([(5, 2), (4, 1), (9, 7)]);
        assert_eq!(summary.count(), 3);
        assert_eq!(summary.sum(), 14);
        assert_eq!(summary.score(), 467);
        assert_eq!(summary.average_text(), "4.7");
        assert_eq!(summary.percent(5), 67);
        assert_eq!(summary.percent(4), 33);
        assert_eq!(summary.percent(1), 0);
        assert_eq!(stars(summary.score()), 5);
        assert_eq!(RatingSummary::default().score(), 0);
        assert_eq!(RatingSummary::default().percent(5), 0);
        assert_eq!(average_text(0), "0.0");
        assert_eq!(average_text(500), "5.0");
    }

    #[test]
    fn writing_keeps_a_hidden_review_hidden() {
        use ReviewStatus::*;
        assert_eq!(ReviewStatus::after_writing(None, false), Published);
        assert_eq!(ReviewStatus::after_writing(None, true), Pending);
        assert_eq!(ReviewStatus::after_writing(Some(Published), true), Pending);
        assert_eq!(ReviewStatus::after_writing(Some(Hidden), false), Hidden);
        assert_eq!(ReviewStatus::after_writing(Some(Pending), false), Published);
    }

    proptest! {
        #[test]
        fn the_score_lies_between_the_lowest_and_highest_rating(
            ratings in proptest::collection::vec(1i64..=5, 1..200)
        ) {
            let summary = RatingSummary::from_counts(ratings.iter().map(|r| (*r, 1)));
            let low = *ratings.iter().min().unwrap() as i32 * 100;
            let high = *ratings.iter().max().unwrap() as i32 * 100;
            prop_assert!(summary.score() >= low && summary.score() <= high);
            prop_assert_eq!(summary.count(), ratings.len() as u64);
            prop_assert_eq!(summary.sum(), ratings.iter().sum::<i64>() as u64);
            // The shares add up to about the whole.
            let shares: u64 = (1..=5).map(|s| summary.percent(s)).sum();
            prop_assert!((97..=103).contains(&shares));
        }
    }
}
