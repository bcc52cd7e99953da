//! The site owner's entities file: canonical names, types and aliases,
//! names to ignore, and names that must never be merged. Its path is set in
//! site.toml (`[entities] file = "entities.toml"`):
//!
//! ```toml
//! [[entity]]
//! name = "Volodymyr Zelensky"          # the canonical name
//! type = "person"                      # person, place, organisation or misc
//! aliases = ["Zelenskyy", "Zelenskiy"] # other spellings that mean it
//! description = "President of Ukraine since 2019" # a line for its page
//!
//! ignore = ["Reuters", "AP"]           # never an entity
//! never_merge = [["Georgia", "Georgia (US state)"]]
//! ```

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::entity_kind::EntityKind;
use crate::error::{Error, Result};
use crate::text::normalize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverridesFile {
    #[serde(default)]
    entity: Vec<OverrideEntry>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    never_merge: Vec<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideEntry {
    name: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    description: Option<String>,
}

/// A canonical name (and type) set by the site owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical {
    /// The name to show.
    pub name: String,
    /// The type, when the owner set one.
    pub kind: Option<EntityKind>,
}

/// The overrides of a site; empty when it has no entities file.
#[derive(Debug, Clone, Default)]
pub struct EntityOverrides {
    by_form: HashMap<String, Canonical>,
    ignore: HashSet<String>,
    never_merge: HashSet<(String, String)>,
    descriptions: HashMap<String, String>,
}

impl EntityOverrides {
    /// Reads an entities file. Problems in it are site-wide: they fail the build.
    pub fn load(path: &Path) -> Result<EntityOverrides> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io("cannot read entities file", path, e))?;
        Self::parse(&text).map_err(|message| Error::Config { path: path.to_path_buf(), message })
    }

    /// Parses the text of an entities file.
    pub fn parse(text: &str) -> std::result::Result<EntityOverrides, String> {
        let file: OverridesFile = toml::from_str(text).map_err(|e| crate::config::toml_message(text, &e))?;
        let mut overrides = EntityOverrides::default();
        for entry in file.entity {
            let kind = match entry.kind.as_deref() {
                None => None,
                Some(k) => Some(parse_kind(k).ok_or_else(|| {
                    format!("entity {:?}: unknown type {k:?} (person, place, organisation, misc)", entry.name)
                })?),
            };
            if let Some(description) = entry.description.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()) {
                overrides.descriptions.insert(normalize(&entry.name), description);
            }
            let canonical = Canonical { name: entry.name.clone(), kind };
            for form in std::iter::once(&entry.name).chain(&entry.aliases) {
                overrides.by_form.insert(normalize(form), canonical.clone());
            }
        }
        overrides.ignore = file.ignore.iter().map(|n| normalize(n)).collect();
        for pair in file.never_merge {
            if pair.len() != 2 {
                return Err(format!("never_merge entries are pairs of names, got {pair:?}"));
            }
            overrides.never_merge.insert(ordered(normalize(&pair[0]), normalize(&pair[1])));
        }
        Ok(overrides)
    }

    /// The owner's canonical name for a written form, if any.
    pub fn canonical(&self, name: &str) -> Option<&Canonical> {
        if self.by_form.is_empty() {
            return None;
        }
        self.by_form.get(&normalize(name))
    }

    /// The owner's description of the entity of this canonical name, if any.
    pub fn description(&self, name: &str) -> Option<&str> {
        if self.descriptions.is_empty() {
            return None;
        }
        self.descriptions.get(&normalize(name)).map(String::as_str)
    }

    /// Whether the owner said this name is never an entity.
    pub fn is_ignored(&self, name: &str) -> bool {
        !self.ignore.is_empty() && self.ignore.contains(&normalize(name))
    }

    /// Whether the owner said these two names must stay apart.
    pub fn never_merge(&self, a: &str, b: &str) -> bool {
        !self.never_merge.is_empty() && self.never_merge.contains(&ordered(normalize(a), normalize(b)))
    }
}

fn ordered(a: String, b: String) -> (String, String) {
    if a <= b { (a, b) } else { (b, a) }
}

fn parse_kind(kind: &str) -> Option<EntityKind> {
    match kind.to_ascii_lowercase().as_str() {
        "person" | "people" | "per" => Some(EntityKind::Person),
        "place" | "places" | "loc" | "location" => Some(EntityKind::Place),
        "organisation" | "organization" | "organisations" | "organizations" | "org" => Some(EntityKind::Organisation),
        "misc" | "other" => Some(EntityKind::Misc),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_override() {
        let o = EntityOverrides::parse(
            "ignore = [\"Reuters\"]\nnever_merge = [[\"Iran\", \"Iraq\"]]\n[[entity]]\nname = \"Volodymyr Zelensky\"\ntype = \"person\"\naliases = [\"Zelenskyy\"]\ndescription = \" President of Ukraine \"\n",
        )
        .unwrap();
        assert_eq!(o.description("volodymyr zelensky"), Some("President of Ukraine"));
        assert_eq!(o.description("Zelenskyy"), None, "described by its canonical name only");
        assert_eq!(o.canonical("zelenskyy").unwrap().name, "Volodymyr Zelensky");
        assert_eq!(o.canonical("Volodymyr Zelensky").unwrap().kind, Some(EntityKind::Person));
        assert!(o.is_ignored("REUTERS"));
        assert!(o.never_merge("Iraq", "Iran"));
        assert!(!o.never_merge("Iraq", "Syria"));
    }

    #[test]
    fn errors_are_clear() {
        assert!(
            EntityOverrides::parse("[[entity]]\nname = \"X\"\ntype = \"planet\"\n")
                .unwrap_err()
                .contains("unknown type")
        );
        assert!(EntityOverrides::parse("never_merge = [[\"a\"]]\n").unwrap_err().contains("pairs"));
        assert!(EntityOverrides::parse("bogus = 1\n").unwrap_err().contains("line 1"));
    }
}
