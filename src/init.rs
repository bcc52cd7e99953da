//! `gazette init DIR`: a new site with a sample article, ready to build.

use std::fs;
use std::path::Path;

use crate::error::{Error, Result};
use crate::render::templates::THEME_README;

const SITE_TOML: &str = r#"# Settings of this gazette site. Every key is optional but the title.
title = "My News Archive"
description = "Every article, by date, person, place and organisation."
# Where the site will be served; links, feeds and sitemaps use it.
base_url = "https://example.org/"
language = "en"
# Shown at the bottom of every page (Markdown).
footer = "Articles © their authors."

[pagination]
home = 20          # articles per home page
entity = 30        # articles per entity page
entity_list = 300  # names per people/places/organisations page
period = 100       # articles per day or month page

[entities]
# An entity gets a page once this many articles mention it. Raise it on
# large archives so that one-off names do not flood the site.
min_articles = 1

[markdown]
# Raw HTML in Markdown articles is shown as text unless this is true.
allow_raw_html = false

[feeds]
# Newest articles in each Atom feed (atom.xml, people/atom.xml,
# people/name/atom.xml, ...); 0 turns feeds off.
limit = 20
entities = true
"#;

const SAMPLE_ARTICLE: &str = "+++
title = \"Welcome to your archive\"
date = 2024-01-15
authors = [\"The Editors\"]
summary = \"How gazette turns a folder of articles into a website.\"
+++

Every file in the content folder is an article. Write Markdown with a small
TOML header like this one, or plain text: a headline on the first line, a
`Date: 2024-01-15` line, a blank line, then paragraphs.

Names such as Ada Lovelace, London or the Royal Society are found in the text
and get pages of their own, linked from every article that mentions them.
";

/// Writes a new site into `dir` (created if needed). Refuses to overwrite an
/// existing site.toml.
pub fn init(dir: &Path) -> Result<()> {
    let config = dir.join("site.toml");
    if config.exists() {
        return Err(Error::Config { path: config, message: "already exists; not overwriting an existing site".into() });
    }
    let write = |rel: &str, text: &str| -> Result<()> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        }
        fs::write(&path, text).map_err(|e| Error::io("cannot write", &path, e))
    };
    write("site.toml", SITE_TOML)?;
    write("content/2024/welcome.md", SAMPLE_ARTICLE)?;
    write("templates/README.md", THEME_README)?;
    Ok(())
}
