//! The admin panel under `/admin`, for staff only: anyone else is sent to
//! sign in.

use crate::AppState;
use axum::Router;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
