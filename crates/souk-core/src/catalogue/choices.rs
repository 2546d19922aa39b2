//! A product's variants as a shopper chooses them: one choice per option
//! (a colour, then a size) rather than one per combination.

use super::views::{ProductDetail, VariantView};
use crate::{CoreError, Shop};
use std::collections::BTreeMap;

/// One option of a product and the values its variants take, in the order
/// the variants first take them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionGroup {
    pub name: String,
    pub values: Vec<OptionValue>,
}

/// A value of an option, and whether any variant with it can be bought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionValue {
    pub value: String,
    pub in_stock: bool,
}

impl ProductDetail {
    /// The options a shopper chooses, in the order the variants name
    /// them (alphabetical, as stored); none for a product of one plain
    /// variant.
    pub fn option_groups(&self) -> Vec<OptionGroup> {
        let mut groups: Vec<OptionGroup> = Vec::new();
        for variant in &self.variants {
            for (name, value) in &variant.options {
                let index = match groups.iter().position(|g| &g.name == name) {
                    Some(index) => index,
                    None => {
                        groups.push(OptionGroup {
                            name: name.clone(),
                            values: Vec::new(),
                        });
                        groups.len() - 1
                    }
                };
                let values = &mut groups[index].values;
                let in_stock = variant.stock_available > 0;
                match values.iter_mut().find(|v| &v.value == value) {
                    Some(known) => known.in_stock |= in_stock,
                    None => values.push(OptionValue {
                        value: value.clone(),
                        in_stock,
                    }),
                }
            }
        }
        groups
    }

    /// The variant whose options are exactly `chosen`, if there is one.
    pub fn variant_with(&self, chosen: &BTreeMap<String, String>) -> Option<&VariantView> {
        self.variants.iter().find(|v| &v.options == chosen)
    }

    /// The variant a page starts with: the first that can be bought, else
    /// the first.
    pub fn first_choice(&self) -> Option<&VariantView> {
        self.variants
            .iter()
            .find(|v| v.stock_available > 0)
            .or(self.variants.first())
    }
}

impl Shop {
    /// The variant of the shop's product `slug` with exactly the options a
    /// shopper chose, if there is one.
    pub async fn chosen_variant(
        &self,
        slug: &str,
        chosen: &BTreeMap<String, String>,
    ) -> Result<Option<i64>, CoreError> {
        let product = self.get_product(slug).await?;
        Ok(product.variant_with(chosen).map(|v| v.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use souk_domain::{Currency, Money};

    fn variant(id: i64, options: &[(&str, &str)], stock: i64) -> VariantView {
        VariantView {
            id,
            sku: format!("SKU-{id}"),
            options: options
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            price: Money::new(1000, Currency::parse("USD").unwrap()),
            stock_on_hand: stock,
            stock_available: stock,
        }
    }

    fn product(variants: Vec<VariantView>) -> ProductDetail {
        let price = Money::new(1000, Currency::parse("USD").unwrap());
        ProductDetail {
            id: 1,
            slug: "tee".into(),
            name: "Tee".into(),
            description: String::new(),
            status: "active".into(),
            price,
            max_price: price,
            in_stock: true,
            category: None,
            seller: None,
            rating: Default::default(),
            variants,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn options_group_their_values_in_the_order_variants_take_them() {
        let tee = product(vec![
            variant(1, &[("colour", "White"), ("size", "S")], 0),
            variant(2, &[("colour", "White"), ("size", "M")], 3),
            variant(3, &[("colour", "Black"), ("size", "S")], 0),
            variant(4, &[("colour", "Black"), ("size", "M")], 0),
        ]);
        let groups = tee.option_groups();
        let shown: Vec<(&str, Vec<(&str, bool)>)> = groups
            .iter()
            .map(|g| {
                let values = g.values.iter().map(|v| (v.value.as_str(), v.in_stock));
                (g.name.as_str(), values.collect())
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                ("colour", vec![("White", true), ("Black", false)]),
                ("size", vec![("S", false), ("M", true)]),
            ]
        );
        assert_eq!(tee.first_choice().map(|v| v.id), Some(2));
    }

    #[test]
    fn a_choice_names_one_variant_or_none() {
        let tee = product(vec![
            variant(1, &[("colour", "White"), ("size", "S")], 1),
            variant(2, &[("colour", "Black"), ("size", "M")], 1),
        ]);
        let chosen = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let found = tee.variant_with(&chosen(&[("colour", "Black"), ("size", "M")]));
        assert_eq!(found.map(|v| v.id), Some(2));
        assert!(
            tee.variant_with(&chosen(&[("colour", "Black"), ("size", "S")]))
                .is_none()
        );
        assert!(tee.variant_with(&chosen(&[("colour", "Black")])).is_none());
    }

    #[test]
    fn a_plain_product_has_nothing_to_choose() {
        let mug = product(vec![variant(1, &[], 0)]);
        assert!(mug.option_groups().is_empty());
        assert_eq!(mug.variant_with(&BTreeMap::new()).map(|v| v.id), Some(1));
        assert_eq!(mug.first_choice().map(|v| v.id), Some(1));
    }
}
