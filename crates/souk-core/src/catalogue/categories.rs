//! Staff arrange the two-level category tree.

use super::CategoryNode;
use super::products::unique_conflict;
use crate::actor::Actor;
use crate::{CoreError, Shop};
use souk_db::repo::catalogue::{self, CategoryFields};
use souk_domain::catalogue::{CATEGORY_DESCRIPTION_MAX, CATEGORY_NAME_MAX};
use souk_domain::text::{self, Slug};
use souk_domain::{FieldError, Validator};

/// A new category.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub name: String,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub parent_id: Option<i64>,
    pub position: Option<i32>,
}

/// Changes to a category.
#[derive(Debug, Clone, Default)]
pub struct CategoryPatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub parent_id: Option<Option<i64>>,
    pub position: Option<i32>,
}

impl Shop {
    /// Creates a category, top-level or under a top-level one.
    pub async fn create_category(
        &self,
        actor: &Actor,
        input: CategoryInput,
    ) -> Result<CategoryNode, CoreError> {
        actor.require_staff()?;
        let mut v = Validator::new();
        let name = v.check("name", text::bounded(&input.name, 1, CATEGORY_NAME_MAX));
        let slug = match input.slug.as_deref() {
            Some(raw) => v.check("slug", Slug::parse(raw)),
            None => name
                .as_deref()
                .map(|name| Slug::from_name_or(name, "category")),
        };
        let description = v.check(
            "description",
            text::bounded(
                input.description.as_deref().unwrap_or(""),
                0,
                CATEGORY_DESCRIPTION_MAX,
            ),
        );
        v.finish()?;
        let mut clashes = Vec::new();
        self.check_slug(&mut clashes, slug.as_ref(), None).await?;
        self.check_parent(&mut clashes, input.parent_id, None)
            .await?;
        CoreError::unless_clashes(clashes)?;
        let slug = slug.map(Slug::into_inner);
        let (Some(name), Some(slug), Some(description)) = (name, slug, description) else {
            return Err(anyhow::anyhow!("validated category input is incomplete").into());
        };
        let txn = self.db.begin_write().await?;
        let fields = CategoryFields {
            parent_id: input.parent_id,
            name,
            slug,
            description,
            position: input.position.unwrap_or(0),
        };
        let created = catalogue::insert_category(&txn, fields)
            .await
            .map_err(|e| unique_conflict(e, "slug"))?;
        txn.commit().await?;
        self.cache.categories_changed();
        Ok(CategoryNode::leaf(created))
    }

    /// Changes a category.
    pub async fn update_category(
        &self,
        actor: &Actor,
        id: i64,
        patch: CategoryPatch,
    ) -> Result<CategoryNode, CoreError> {
        actor.require_staff()?;
        let current = catalogue::find_category(self.db.conn(), &id.to_string())
            .await?
            .filter(|c| c.id == id)
            .ok_or(CoreError::NotFound("category"))?;
        let mut v = Validator::new();
        let name = match &patch.name {
            Some(raw) => v.check("name", text::bounded(raw, 1, CATEGORY_NAME_MAX)),
            None => Some(current.name.clone()),
        };
        let slug = match &patch.slug {
            Some(raw) => v.check("slug", Slug::parse(raw)),
            None => Slug::parse(&current.slug).ok(),
        };
        let description = match &patch.description {
            Some(raw) => v.check(
                "description",
                text::bounded(raw, 0, CATEGORY_DESCRIPTION_MAX),
            ),
            None => Some(current.description.clone()),
        };
        let parent_id = patch.parent_id.unwrap_or(current.parent_id);
        v.finish()?;
        let mut clashes = Vec::new();
        self.check_slug(&mut clashes, slug.as_ref(), Some(id))
            .await?;
        if parent_id != current.parent_id {
            self.check_parent(&mut clashes, parent_id, Some(id)).await?;
        }
        CoreError::unless_clashes(clashes)?;
        let slug = slug.map(Slug::into_inner);
        let (Some(name), Some(slug), Some(description)) = (name, slug, description) else {
            return Err(anyhow::anyhow!("validated category input is incomplete").into());
        };
        let txn = self.db.begin_write().await?;
        let fields = CategoryFields {
            parent_id,
            name,
            slug,
            description,
            position: patch.position.unwrap_or(current.position),
        };
        let updated = catalogue::update_category(&txn, id, fields)
            .await
            .map_err(|e| unique_conflict(e, "slug"))?
            .ok_or(CoreError::NotFound("category"))?;
        txn.commit().await?;
        self.cache.categories_changed();
        Ok(CategoryNode::leaf(updated))
    }

    /// Deletes a category without children; its products become
    /// uncategorised.
    pub async fn delete_category(&self, actor: &Actor, id: i64) -> Result<(), CoreError> {
        actor.require_staff()?;
        let txn = self.db.begin_write().await?;
        if catalogue::category_has_children(&txn, id).await? {
            return Err(CoreError::Conflict(
                "The category has subcategories; move or delete them first.".into(),
            ));
        }
        if !catalogue::delete_category(&txn, id).await? {
            return Err(CoreError::NotFound("category"));
        }
        txn.commit().await?;
        self.cache.categories_changed();
        Ok(())
    }

    /// Categories nest two levels deep: a parent must be top-level, and a
    /// category with children cannot move under another.
    async fn check_parent(
        &self,
        clashes: &mut Vec<FieldError>,
        parent_id: Option<i64>,
        moving: Option<i64>,
    ) -> Result<(), CoreError> {
        let db = self.db.conn();
        let Some(parent_id) = parent_id else {
            return Ok(());
        };
        if Some(parent_id) == moving {
            clashes.push(FieldError::new(
                "parent_id",
                "cannot be the category itself",
            ));
            return Ok(());
        }
        match catalogue::find_category(db, &parent_id.to_string())
            .await?
            .filter(|c| c.id == parent_id)
        {
            None => clashes.push(FieldError::new("parent_id", "no such category")),
            Some(parent) if parent.parent_id.is_some() => clashes.push(FieldError::new(
                "parent_id",
                "must be a top-level category; categories nest two levels deep",
            )),
            Some(_) => {
                if let Some(id) = moving
                    && catalogue::category_has_children(db, id).await?
                {
                    clashes.push(FieldError::new(
                        "parent_id",
                        "a category with subcategories must stay top-level",
                    ));
                }
            }
        }
        Ok(())
    }

    async fn check_slug(
        &self,
        clashes: &mut Vec<FieldError>,
        slug: Option<&Slug>,
        except: Option<i64>,
    ) -> Result<(), CoreError> {
        if let Some(slug) = slug {
            let taken = catalogue::find_category(self.db.conn(), slug.as_str())
                .await?
                .is_some_and(|c| Some(c.id) != except && c.slug == slug.as_str());
            if taken {
                clashes.push(FieldError::new("slug", "is already in use"));
            }
        }
        Ok(())
    }
}
