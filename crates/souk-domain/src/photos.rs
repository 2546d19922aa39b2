//! Product photos: which files are pictures (by their bytes, never their
//! name or declared type), the limits an upload must keep, and the names
//! under which a picture and its thumbnails are stored and served.

use crate::Invalid;

/// The largest upload accepted, in bytes (413 above).
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// The most pixels a picture may declare (422 above): a small file that
/// declares a huge picture is a decompression bomb.
pub const MAX_PIXELS: u64 = 40_000_000;
/// The longest side a picture may declare.
pub const MAX_SIDE: u32 = 20_000;
/// The longest alt text.
pub const ALT_MAX: usize = 300;
/// The most photos one product may have.
pub const MAX_PHOTOS: usize = 20;
/// The widths the pages show, and so the thumbnails made of each picture
/// (only those narrower than the picture: never upscaled).
pub const THUMBNAIL_WIDTHS: [u32; 3] = [160, 480, 960];

/// The picture formats the shop takes and serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhotoFormat {
    Jpeg,
    Png,
    Webp,
}

impl PhotoFormat {
    /// The format's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }

    /// A stored name back to the format.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "jpeg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::Webp),
            _ => None,
        }
    }

    /// The file extension in URLs and keys.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }

    /// An extension back to the format.
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "jpg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::Webp),
            _ => None,
        }
    }

    /// The media type it is served as.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    /// The format of `bytes` by their signature; anything else is refused
    /// with a message that says what it looks like instead.
    pub fn sniff(bytes: &[u8]) -> Result<Self, Invalid> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Ok(Self::Jpeg);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Ok(Self::Png);
        }
        if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return Ok(Self::Webp);
        }
        Err(Invalid::new(describe_other(bytes)))
    }
}

/// Why bytes that are not a JPEG, PNG or WebP picture were refused.
fn describe_other(bytes: &[u8]) -> &'static str {
    if bytes.is_empty() {
        return "is empty";
    }
    let head = &bytes[..bytes.len().min(1024)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if text.contains("<svg") {
        "is an SVG drawing; upload a JPEG, PNG or WebP photo"
    } else if start.starts_with("<!doctype html") || text.contains("<html") {
        "is an HTML page; upload a JPEG, PNG or WebP photo"
    } else if std::str::from_utf8(head).is_ok() {
        "is text, not a picture; upload a JPEG, PNG or WebP photo"
    } else {
        "is not a JPEG, PNG or WebP picture"
    }
}

/// Checks the size a picture declares before it is decoded.
pub fn check_dimensions(width: u32, height: u32) -> Result<(), Invalid> {
    if width == 0 || height == 0 {
        return Err(Invalid::new("has no pixels"));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Invalid::new(format!(
            "is too large a picture ({width} × {height} pixels); at most {} megapixels and {MAX_SIDE} pixels a side",
            MAX_PIXELS / 1_000_000
        )));
    }
    Ok(())
}

/// Checks alt text: what the photo shows, for those who cannot see it.
pub fn parse_alt(raw: &str) -> Result<String, Invalid> {
    crate::text::bounded(raw, 1, ALT_MAX)
}

/// The thumbnail widths made for a picture `width` pixels wide.
pub fn thumbnail_widths(width: u32) -> impl Iterator<Item = u32> {
    THUMBNAIL_WIDTHS.into_iter().filter(move |w| *w < width)
}

/// Which file of a picture: the re-encoded upload, or a thumbnail of a
/// width, in the picture's own format or as WebP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoFile {
    /// `None`: the picture itself.
    pub width: Option<u32>,
    pub format: PhotoFormat,
}

impl PhotoFile {
    /// The file's name in URLs and keys: `original.jpg`, `480.webp`.
    pub fn name(self) -> String {
        match self.width {
            Some(w) => format!("{w}.{}", self.format.extension()),
            None => format!("original.{}", self.format.extension()),
        }
    }

    /// Reads a file name; only the names the shop makes.
    pub fn parse(name: &str) -> Option<Self> {
        let (stem, ext) = name.split_once('.')?;
        let format = PhotoFormat::from_extension(ext)?;
        let width = match stem {
            "original" => None,
            w => {
                let w: u32 = w.parse().ok()?;
                THUMBNAIL_WIDTHS.contains(&w).then_some(w)?;
                Some(w)
            }
        };
        Some(Self { width, format })
    }

    /// The storage key of this file of the picture whose content hash is
    /// `hash`.
    pub fn key(self, hash: &str) -> String {
        format!("photos/{hash}/{}", self.name())
    }
}

/// Whether `raw` is a content hash as the shop makes them (SHA-256, hex).
pub fn is_content_hash(raw: &str) -> bool {
    raw.len() == 64 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_known_by_their_bytes_not_their_names() {
        assert_eq!(
            PhotoFormat::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(PhotoFormat::Jpeg)
        );
        assert_eq!(
            PhotoFormat::sniff(b"\x89PNG\r\n\x1a\n...."),
            Ok(PhotoFormat::Png)
        );
        assert_eq!(
            PhotoFormat::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Ok(PhotoFormat::Webp)
        );
        let svg = PhotoFormat::sniff(b"<?xml version=\"1.0\"?><svg xmlns=\"...\"/>").unwrap_err();
        assert!(svg.0.contains("SVG"), "{svg:?}");
        let html = PhotoFormat::sniff(b"\n<!DOCTYPE html><html><script>").unwrap_err();
        assert!(html.0.contains("HTML"), "{html:?}");
        let text = PhotoFormat::sniff(b"just some words").unwrap_err();
        assert!(text.0.contains("text"), "{text:?}");
        assert!(PhotoFormat::sniff(&[0, 1, 2, 0xFF, 0xFE]).is_err());
        assert!(PhotoFormat::sniff(b"").is_err());
        assert!(PhotoFormat::sniff(b"GIF89a").is_err());
    }

    #[test]
    fn a_declared_size_past_the_limits_is_refused() {
        assert!(check_dimensions(4000, 3000).is_ok());
        assert!(check_dimensions(100_000, 100_000).is_err());
        assert!(check_dimensions(8000, 6000).is_err());
        assert!(check_dimensions(30_000, 10).is_err());
        assert!(check_dimensions(0, 10).is_err());
    }

    #[test]
    fn file_names_round_trip_and_only_known_widths_exist() {
        for file in [
            PhotoFile {
                width: None,
                format: PhotoFormat::Png,
            },
            PhotoFile {
                width: Some(480),
                format: PhotoFormat::Webp,
            },
        ] {
            assert_eq!(PhotoFile::parse(&file.name()), Some(file));
        }
        assert_eq!(PhotoFile::parse("481.webp"), None);
        assert_eq!(PhotoFile::parse("original.svg"), None);
        assert_eq!(PhotoFile::parse("../x.jpg"), None);
        assert_eq!(
            thumbnail_widths(500).collect::<Vec<_>>(),
            vec![160, 480],
            "no upscaling"
        );
    }

    #[test]
    fn alt_text_is_bounded_text() {
        assert_eq!(parse_alt("  A red mug  ").unwrap(), "A red mug");
        assert!(parse_alt(" ").is_err());
        assert!(parse_alt(&"x".repeat(ALT_MAX + 1)).is_err());
        assert!(is_content_hash(&"a1".repeat(32)));
        assert!(!is_content_hash("../../etc/passwd"));
    }
}
