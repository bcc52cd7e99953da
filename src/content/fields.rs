//! Which column of a CSV, TSV or JSON Lines file holds which field of an
//! article: the one site.toml's `[collections]` names, else the first of
//! the field's usual names (compared without regard to case).

use crate::config::CollectionsConfig;

/// A field that collections and sidecars have a column for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The headline.
    Title,
    /// The publication date.
    Date,
    /// The body text.
    Text,
    /// The original URL.
    Url,
    /// The authors.
    Author,
    /// The section.
    Section,
    /// A stable identifier.
    Id,
    /// The summary.
    Summary,
    /// The article file a sidecar row describes.
    Path,
}

/// Every field, in the order of [`Field`].
pub const FIELDS: [Field; 9] = [
    Field::Title,
    Field::Date,
    Field::Text,
    Field::Url,
    Field::Author,
    Field::Section,
    Field::Id,
    Field::Summary,
    Field::Path,
];

impl Field {
    /// The column names it is looked for under when site.toml names none.
    pub fn usual_names(self) -> &'static [&'static str] {
        match self {
            Field::Title => &["title", "headline", "heading"],
            Field::Date => &["date", "published", "published_at", "publish_date", "pubdate", "datetime", "timestamp"],
            Field::Text => &["text", "body", "content", "article", "story"],
            Field::Url => &["url", "link", "source_url", "permalink"],
            Field::Author => &["author", "authors", "byline", "by"],
            Field::Section => &["section", "category", "desk", "topic"],
            Field::Id => &["id", "guid", "uuid", "article_id"],
            Field::Summary => &["summary", "description", "abstract", "dek"],
            Field::Path => &["path", "file", "filename", "file_name"],
        }
    }

    fn configured(self, config: &CollectionsConfig) -> Option<&str> {
        match self {
            Field::Title => config.title.as_deref(),
            Field::Date => config.date.as_deref(),
            Field::Text => config.text.as_deref(),
            Field::Url => config.url.as_deref(),
            Field::Author => config.author.as_deref(),
            Field::Section => config.section.as_deref(),
            Field::Id => config.id.as_deref(),
            Field::Summary => config.summary.as_deref(),
            Field::Path => None,
        }
    }
}

/// The column of each field in one file's header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    at: [Option<usize>; FIELDS.len()],
}

impl Columns {
    /// Finds each field's column among `header`: the column site.toml
    /// names for it, else the first of its usual names present.
    pub fn find<'h>(header: impl IntoIterator<Item = &'h str> + Clone, config: &CollectionsConfig) -> Columns {
        let mut at = [None; FIELDS.len()];
        for (slot, field) in at.iter_mut().zip(FIELDS) {
            let position = |name: &str| header.clone().into_iter().position(|h| h.trim().eq_ignore_ascii_case(name));
            *slot = match field.configured(config) {
                Some(name) => position(name),
                None => field.usual_names().iter().find_map(|name| position(name)),
            };
        }
        Columns { at }
    }

    /// The column of `field`, if the file has one.
    pub fn get(&self, field: Field) -> Option<usize> {
        self.at[field as usize]
    }

    /// The column site.toml names for `field` when the file has no such column.
    pub fn missing_configured(&self, config: &CollectionsConfig) -> Vec<String> {
        FIELDS
            .iter()
            .filter(|&&f| self.get(f).is_none())
            .filter_map(|f| f.configured(config).map(str::to_string))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_names_and_configured_columns() {
        let header = ["ID", "Headline", "published", "body", "Desk"];
        let columns = Columns::find(header, &CollectionsConfig::default());
        assert_eq!(columns.get(Field::Id), Some(0));
        assert_eq!(columns.get(Field::Title), Some(1));
        assert_eq!(columns.get(Field::Date), Some(2));
        assert_eq!(columns.get(Field::Text), Some(3));
        assert_eq!(columns.get(Field::Section), Some(4));
        assert_eq!(columns.get(Field::Url), None);
        let config = CollectionsConfig { text: Some("Desk".into()), url: Some("where".into()), ..Default::default() };
        let columns = Columns::find(header, &config);
        assert_eq!(columns.get(Field::Text), Some(4));
        assert_eq!(columns.missing_configured(&config), vec!["where".to_string()]);
    }
}
