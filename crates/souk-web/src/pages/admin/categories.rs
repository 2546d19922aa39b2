//! Categories for staff: the two-level tree, and each category's editor.

use super::{AdminNav, Section, optional_int, refusal};
use crate::AppState;
use crate::pages::forms::{Errors, PageForm};
use crate::pages::layout::Layout;
use crate::pages::{Flash, PageError, StaffVisitor, redirect_with, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::catalogue::{CategoryInput, CategoryNode, CategoryPatch};
use souk_domain::Validator;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/categories", get(categories).post(create_category))
        .route("/categories/{id}", get(edit_category).post(update_category))
        .route("/categories/{id}/delete", post(delete_category))
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct CategoryForm {
    name: String,
    slug: String,
    parent_id: String,
    description: String,
    /// Where it comes among its siblings, lowest first.
    position: String,
}

impl CategoryForm {
    fn of(category: &CategoryNode) -> Self {
        Self {
            name: category.name.clone(),
            slug: category.slug.clone(),
            parent_id: category
                .parent_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            description: category.description.clone(),
            position: category.position.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/categories.html")]
struct CategoriesPage {
    layout: Layout,
    admin: AdminNav,
    tree: Vec<CategoryNode>,
    /// The categories a new one can go into: the top-level ones.
    parents: Vec<(i64, String)>,
    form: CategoryForm,
    errors: Errors,
}

/// The top-level categories other than `except`: a category goes at most
/// one level down.
fn parent_choices(tree: &[CategoryNode], except: Option<i64>) -> Vec<(i64, String)> {
    tree.iter()
        .filter(|c| Some(c.id) != except)
        .map(|c| (c.id, c.name.clone()))
        .collect()
}

async fn categories_page(
    state: &AppState,
    staff: &StaffVisitor,
    form: CategoryForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (layout, admin) = staff
        .admin_frame(state, Section::Categories, "Categories")
        .await?;
    let tree = state.shop.category_tree().await?;
    let page = CategoriesPage {
        layout,
        admin,
        parents: parent_choices(&tree, None),
        tree,
        form,
        errors,
    };
    Ok(render(status, &page))
}

async fn categories(
    State(state): State<AppState>,
    staff: StaffVisitor,
) -> Result<Response, PageError> {
    let form = CategoryForm {
        position: "0".into(),
        ..CategoryForm::default()
    };
    categories_page(&state, &staff, form, Errors::default(), StatusCode::OK).await
}

/// The parent and position typed into a category form.
fn category_placing(
    v: &mut Validator,
    form: &CategoryForm,
) -> (Option<Option<i64>>, Option<Option<i32>>) {
    let parent_id = optional_int(v, "parent_id", &form.parent_id);
    let position = optional_int(v, "position", &form.position);
    (parent_id, position)
}

async fn create_category(
    State(state): State<AppState>,
    staff: StaffVisitor,
    PageForm(form): PageForm<CategoryForm>,
) -> Result<Response, PageError> {
    let mut v = Validator::new();
    let (parent_id, position) = category_placing(&mut v, &form);
    let created = match v.finish() {
        Ok(()) => {
            let input = CategoryInput {
                name: form.name.clone(),
                slug: Some(form.slug.trim().to_owned()).filter(|s| !s.is_empty()),
                description: Some(form.description.clone()),
                parent_id: parent_id.flatten(),
                position: position.flatten(),
            };
            state.shop.create_category(&staff.actor, input).await
        }
        Err(errors) => Err(CoreError::Validation(errors)),
    };
    match created {
        Ok(category) => Ok(redirect_with(
            "/admin/categories",
            format!("{} is created.", category.name),
            &staff.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            categories_page(&state, &staff, form, errors, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/category_edit.html")]
struct CategoryPage {
    layout: Layout,
    admin: AdminNav,
    category: CategoryNode,
    parents: Vec<(i64, String)>,
    form: CategoryForm,
    errors: Errors,
}

async fn category_page(
    state: &AppState,
    staff: &StaffVisitor,
    id: i64,
    form: Option<CategoryForm>,
    errors: Errors,
) -> Result<Response, PageError> {
    let tree = state.shop.category_tree().await?;
    let category = tree
        .iter()
        .flat_map(|top| std::iter::once(top).chain(&top.children))
        .find(|c| c.id == id)
        .cloned()
        .ok_or(CoreError::NotFound("category"))?;
    let (layout, admin) = staff
        .admin_frame(state, Section::Categories, category.name.clone())
        .await?;
    let status = if form.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    // A category with subcategories stays at the top level.
    let parents = if category.children.is_empty() {
        parent_choices(&tree, Some(id))
    } else {
        Vec::new()
    };
    let page = CategoryPage {
        layout,
        admin,
        form: form.unwrap_or_else(|| CategoryForm::of(&category)),
        parents,
        category,
        errors,
    };
    Ok(render(status, &page))
}

async fn edit_category(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    category_page(&state, &staff, id, None, Errors::default()).await
}

async fn update_category(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CategoryForm>,
) -> Result<Response, PageError> {
    let mut v = Validator::new();
    let (parent_id, position) = category_placing(&mut v, &form);
    let updated = match v.finish() {
        Ok(()) => {
            let patch = CategoryPatch {
                name: Some(form.name.clone()),
                slug: Some(form.slug.trim().to_owned()).filter(|s| !s.is_empty()),
                description: Some(form.description.clone()),
                parent_id,
                position: position.flatten(),
            };
            state.shop.update_category(&staff.actor, id, patch).await
        }
        Err(errors) => Err(CoreError::Validation(errors)),
    };
    match updated {
        Ok(category) => Ok(redirect_with(
            "/admin/categories",
            format!("{} is saved.", category.name),
            &staff.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            category_page(&state, &staff, id, Some(form), errors).await
        }
    }
}

async fn delete_category(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let message = match state.shop.delete_category(&staff.actor, id).await {
        Ok(()) => "The category was deleted.".to_owned().into(),
        Err(err) => Flash::refused(refusal(err)?),
    };
    Ok(redirect_with("/admin/categories", &message, &staff.visitor))
}
