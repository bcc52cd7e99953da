//! The kinds of named entity (person, place, organisation, other): what
//! front matter declares, what the tagger finds, what the archive files
//! pages under. Every stage sees it; it depends on nothing.

/// The kind of entity a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A place: country, region, city.
    Place,
    /// An organisation: company, party, ministry, club.
    Organisation,
    /// Anything else with a name (nationalities, events); no page by default.
    Misc,
}

impl EntityKind {
    /// Kinds that get pages, in the order the site shows them.
    pub const WITH_PAGES: [EntityKind; 3] = [EntityKind::Person, EntityKind::Place, EntityKind::Organisation];

    /// Folder of this kind's pages (`people`), if it has pages.
    pub fn section(self) -> Option<&'static str> {
        match self {
            EntityKind::Person => Some("people"),
            EntityKind::Place => Some("places"),
            EntityKind::Organisation => Some("organisations"),
            EntityKind::Misc => None,
        }
    }

    /// Title of the list page (`People`).
    pub fn plural_label(self) -> &'static str {
        match self {
            EntityKind::Person => "People",
            EntityKind::Place => "Places",
            EntityKind::Organisation => "Organisations",
            EntityKind::Misc => "Other names",
        }
    }

    /// Lowercase singular name (`person`).
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Organisation => "organisation",
            EntityKind::Misc => "misc",
        }
    }
}
