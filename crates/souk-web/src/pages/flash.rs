//! The one-time message a page shows after a redirect: what was done
//! (green, announced politely), or why it was not (red, announced at once,
//! with the focus moved to it). It travels in a cookie, marked with its
//! kind.

/// A message for the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Flash {
    /// What was done.
    Done(String),
    /// Why nothing was done.
    Refused(String),
}

impl Flash {
    pub fn refused(message: impl Into<String>) -> Self {
        Self::Refused(message.into())
    }

    pub fn message(&self) -> &str {
        match self {
            Self::Done(m) | Self::Refused(m) => m,
        }
    }

    pub fn is_refusal(&self) -> bool {
        matches!(self, Self::Refused(_))
    }

    /// The cookie's value before encoding: the kind's mark, then the text.
    pub(super) fn to_cookie(&self) -> String {
        match self {
            Self::Done(m) => format!("+{m}"),
            Self::Refused(m) => format!("!{m}"),
        }
    }

    /// Reads [`Flash::to_cookie`]; an unmarked text reads as done.
    pub(super) fn from_cookie(raw: &str) -> Self {
        if let Some(m) = raw.strip_prefix('!') {
            Self::Refused(m.to_owned())
        } else {
            Self::Done(raw.strip_prefix('+').unwrap_or(raw).to_owned())
        }
    }
}

impl From<&str> for Flash {
    fn from(message: &str) -> Self {
        Self::Done(message.to_owned())
    }
}

impl From<String> for Flash {
    fn from(message: String) -> Self {
        Self::Done(message)
    }
}

impl From<&Flash> for Flash {
    fn from(flash: &Flash) -> Self {
        flash.clone()
    }
}

impl From<&String> for Flash {
    fn from(message: &String) -> Self {
        Self::Done(message.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_survives_the_cookie() {
        for flash in [
            Flash::Done("Saved.".into()),
            Flash::refused("!Not saved."),
            Flash::Done("+plus".into()),
        ] {
            assert_eq!(Flash::from_cookie(&flash.to_cookie()), flash);
        }
        assert_eq!(Flash::from_cookie("old"), Flash::Done("old".into()));
    }
}
