//! Photographs of the demo shop's products, drawn when the demo is seeded:
//! a soft, lit backdrop in the product's colour, and on it a simple shaded
//! shape for its department (a garment, a mug, a tent, a device), with a
//! shadow under it. Made with `image` in a few milliseconds each and
//! uploaded through the same use case as any photo.

use super::catalogue::{self, ProductSeed};
use crate::{CoreError, Shop};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use std::io::Cursor;

const WIDTH: u32 = 960;
const HEIGHT: u32 = 720;

/// The colour a colour option's value names, roughly.
fn named_colour(name: &str) -> Option<[f32; 3]> {
    let rgb: [u8; 3] = match name.split_whitespace().last()? {
        "Aqua" => [0x5f, 0xc9, 0xc4],
        "Ash" => [0xb2, 0xae, 0xa7],
        "Black" => [0x2a, 0x2a, 0x2e],
        "Blue" => [0x4a, 0x7b, 0xc4],
        "Camel" => [0xc1, 0x9a, 0x6b],
        "Celadon" => [0xac, 0xc8, 0xa6],
        "Charcoal" => [0x44, 0x47, 0x4d],
        "Cherry" => [0xa3, 0x2a, 0x3a],
        "Clear" | "Silver" => [0xc8, 0xcc, 0xd2],
        "Coral" => [0xf0, 0x80, 0x6a],
        "Cream" | "Ivory" | "Ecru" => [0xef, 0xe6, 0xd2],
        "Forest" => [0x2f, 0x5d, 0x3e],
        "Graphite" | "Slate" => [0x5a, 0x62, 0x6c],
        "Grey" => [0x9a, 0x9d, 0xa3],
        "Ink" | "Navy" => [0x24, 0x33, 0x5c],
        "Khaki" => [0xb5, 0xa6, 0x74],
        "Moss" | "Olive" => [0x6b, 0x73, 0x3f],
        "Mustard" | "Ochre" | "Yellow" => [0xd4, 0xa1, 0x2c],
        "Natural" | "Oat" | "Oatmeal" | "Sand" | "Stone" => [0xd8, 0xca, 0xaf],
        "Red" => [0xc0, 0x39, 0x2b],
        "Rust" | "Terracotta" => [0xb5, 0x5a, 0x3c],
        "Sage" => [0x9c, 0xaf, 0x88],
        "Tan" | "Taupe" => [0xa8, 0x8f, 0x74],
        "Teal" => [0x2b, 0x7a, 0x78],
        "White" => [0xf2, 0xf2, 0xee],
        _ => return None,
    };
    Some(rgb.map(|c| f32::from(c) / 255.0))
}

/// A colour from a name, for products without a colour option.
fn colour_of_name(name: &str) -> [f32; 3] {
    let hash = name.bytes().fold(2166136261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16777619)
    });
    let hue = (hash % 360) as f32;
    hsl(hue, 0.45, 0.55)
}

fn hsl(h: f32, s: f32, l: f32) -> [f32; 3] {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    [r + m, g + m, b + m]
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t.clamp(0.0, 1.0))
}

/// What a department's products are drawn as.
#[derive(Clone, Copy)]
enum Shape {
    Garment,
    Vessel,
    Tent,
    Device,
}

fn shape_for(category: &str) -> Shape {
    let top = catalogue::CATEGORIES
        .iter()
        .find(|c| c.slug == category)
        .and_then(|c| c.parent)
        .unwrap_or(category);
    match top {
        "clothing" => Shape::Garment,
        "home-kitchen" => Shape::Vessel,
        "outdoors" => Shape::Tent,
        _ => Shape::Device,
    }
}

/// How far inside the shape a point is (> 0 inside), in pixels, and a
/// shading factor for its surface.
fn inside(shape: Shape, x: f32, y: f32) -> (f32, f32) {
    let (cx, cy) = (WIDTH as f32 / 2.0, HEIGHT as f32 / 2.0);
    let (dx, dy) = (x - cx, y - cy);
    let rect =
        |hw: f32, hh: f32, ox: f32, oy: f32| (hw - (dx - ox).abs()).min(hh - (dy - oy).abs());
    match shape {
        Shape::Garment => {
            let body = rect(150.0, 200.0, 0.0, 30.0);
            let sleeves = rect(250.0, 70.0, 0.0, -100.0);
            let neck = 55.0 - (dx * dx + (dy + 170.0) * (dy + 170.0)).sqrt();
            (body.max(sleeves).min(-neck), 1.0 - dx.abs() / 400.0)
        }
        Shape::Vessel => {
            let cup = rect(140.0, 150.0, -30.0, 20.0);
            let ring = 70.0 - ((dx - 150.0).powi(2) + (dy - 10.0).powi(2)).sqrt();
            let hole = 40.0 - ((dx - 150.0).powi(2) + (dy - 10.0).powi(2)).sqrt();
            (cup.max(ring.min(-hole)), 1.0 - (dx + 30.0).abs() / 260.0)
        }
        Shape::Tent => {
            // A triangle: below both slopes and above the ground line.
            let slope = 0.75;
            let left = (dy + 200.0) - (-dx) * slope;
            let right = (dy + 200.0) - dx * slope;
            let ground = 170.0 - dy;
            let shade = if dx < 0.0 { 0.85 } else { 1.05 };
            (left.min(right).min(ground) * 0.6, shade)
        }
        Shape::Device => {
            let r = 40.0;
            let (hw, hh) = (130.0, 220.0);
            let qx = (dx.abs() - (hw - r)).max(0.0);
            let qy = (dy.abs() - (hh - r)).max(0.0);
            let outer = r - (qx * qx + qy * qy).sqrt();
            let edge = (hw - dx.abs()).min(hh - dy.abs());
            (outer.min(edge.max(outer)), 1.0 - dy / 600.0)
        }
    }
}

/// A photograph of a product, as a JPEG.
pub(crate) fn draw(seed: &ProductSeed) -> Vec<u8> {
    let colour = seed
        .options
        .iter()
        .find(|(name, _)| *name == "colour")
        .and_then(|(_, values)| values.first())
        .and_then(|v| named_colour(v))
        .unwrap_or_else(|| colour_of_name(seed.name));
    let shape = shape_for(seed.category);
    let light = [0.97, 0.96, 0.94];
    let backdrop_top = mix(colour, light, 0.78);
    let backdrop_bottom = mix(colour, light, 0.55);
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let image = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        // A backdrop lit from the upper left.
        let light_fall = ((fx - w * 0.3).powi(2) + (fy - h * 0.2).powi(2)).sqrt() / w;
        let mut px = mix(backdrop_top, backdrop_bottom, fy / h);
        px = mix(px, [0.0; 3], light_fall * 0.18);
        // A soft shadow under the object.
        let sx = (fx - w / 2.0) / 280.0;
        let sy = (fy - (h / 2.0 + 215.0)) / 34.0;
        let shadow = (-(sx * sx + sy * sy)).exp();
        px = mix(px, [0.0; 3], shadow * 0.35);
        let (depth, shade) = inside(shape, fx, fy);
        if depth > -1.0 {
            let cover = (depth + 1.0).clamp(0.0, 1.0);
            let lit = mix(colour, [1.0; 3], 0.12 * shade.clamp(0.0, 1.5));
            let body = mix(lit, [0.0; 3], (1.0 - shade.clamp(0.0, 1.0)) * 0.35);
            // A rim darkens towards the edge, as a rounded thing does.
            let rim = (1.0 - (depth / 18.0).clamp(0.0, 1.0)) * 0.25;
            px = mix(px, mix(body, [0.0; 3], rim), cover);
        }
        Rgb(px.map(|c| (c.clamp(0.0, 1.0) * 255.0).round() as u8))
    });
    let mut out = Cursor::new(Vec::new());
    // Writing into memory fails only for an unsupported format.
    let _ = DynamicImage::ImageRgb8(image).write_to(&mut out, ImageFormat::Jpeg);
    out.into_inner()
}

impl Shop {
    /// Gives every demo product without a photo its drawn photograph (the
    /// thumbnails follow from the job queue). Returns how many were added.
    pub async fn seed_demo_photos(&self) -> Result<usize, CoreError> {
        let mut added = 0;
        for seed in catalogue::PRODUCTS {
            let Some(slug) = souk_domain::text::Slug::from_name(seed.name) else {
                continue;
            };
            let Some(product) =
                souk_db::repo::catalogue::find_product(self.db.conn(), slug.as_str()).await?
            else {
                continue;
            };
            if !self.product_photos(product.id).await?.is_empty() {
                continue;
            }
            let bytes = tokio::task::spawn_blocking(move || draw(seed))
                .await
                .map_err(|e| anyhow::anyhow!("drawing a demo photo stopped: {e}"))?;
            self.add_demo_photo(product.id, bytes, seed.name).await?;
            added += 1;
        }
        Ok(added)
    }
}
