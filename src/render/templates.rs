//! The theme: built-in templates and static files embedded in the binary,
//! overridden by name from the site's `templates/` folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use super::native::NativePages;
use crate::error::{Error, Result};

/// The built-in templates, by name.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("day.html", include_str!("../../templates/day.html")),
    ("month.html", include_str!("../../templates/month.html")),
    ("year.html", include_str!("../../templates/year.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("listing.html", include_str!("../../templates/listing.html")),
    ("on_this_day.html", include_str!("../../templates/on_this_day.html")),
    ("days_of_year.html", include_str!("../../templates/days_of_year.html")),
    ("thread.html", include_str!("../../templates/thread.html")),
    ("threads.html", include_str!("../../templates/threads.html")),
    ("entity_list.html", include_str!("../../templates/entity_list.html")),
    ("entity.html", include_str!("../../templates/entity.html")),
    ("entity_year.html", include_str!("../../templates/entity_year.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("data.html", include_str!("../../templates/data.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("partials/article_list.html", include_str!("../../templates/partials/article_list.html")),
    ("partials/article_groups.html", include_str!("../../templates/partials/article_groups.html")),
    ("partials/pagination.html", include_str!("../../templates/partials/pagination.html")),
    ("partials/period_nav.html", include_str!("../../templates/partials/period_nav.html")),
    ("partials/on_this_day_script.html", include_str!("../../templates/partials/on_this_day_script.html")),
];

/// The theme's README, written by `gazette init` into `templates/`.
pub const THEME_README: &str = include_str!("../../templates/README.md");

/// The built-in static files, by path in the output folder.
pub const BUILTIN_STATIC: &[(&str, &[u8])] =
    &[("style.css", include_bytes!("../../static/style.css")), ("search.js", include_bytes!("../../static/search.js"))];

/// A site's theme, loaded once: the templates (built-in ones overridden by
/// name from the site's `templates/` folder) and which pages may be
/// written natively because the site keeps their templates as built in.
pub struct Theme {
    /// Every template, ready to render.
    pub tera: Tera,
    /// Pages written without Tera (see [`NativePages`]).
    pub native: NativePages,
    /// The site's templates folder, for error messages.
    pub dir: PathBuf,
}

impl Theme {
    /// Loads the built-in templates, then every `*.html` and `*.xml` under
    /// `templates_dir` (when it exists) in place of the built-in one of the
    /// same name. A file there with the built-in text changes nothing.
    pub fn load(templates_dir: &Path) -> Result<Theme> {
        let builtin: BTreeMap<&str, &str> = BUILTIN_TEMPLATES.iter().copied().collect();
        let mut sources: BTreeMap<String, String> =
            builtin.iter().map(|(name, text)| (name.to_string(), text.to_string())).collect();
        if templates_dir.is_dir() {
            for entry in WalkDir::new(templates_dir).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::Template {
                    name: templates_dir.display().to_string(),
                    message: e.to_string(),
                })?;
                let path = entry.path();
                let extension = path.extension().and_then(|e| e.to_str());
                if !entry.file_type().is_file() || !matches!(extension, Some("html" | "xml")) {
                    continue;
                }
                let name = template_name(templates_dir, path);
                let text = std::fs::read_to_string(path).map_err(|e| Error::io("cannot read template", path, e))?;
                sources.insert(name, text);
            }
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(templates_dir, &e))?;
        let native = NativePages::keeping(|name| builtin.get(name) == sources.get(name).map(String::as_str).as_ref());
        Ok(Theme { tera, native, dir: templates_dir.to_path_buf() })
    }

    /// A Tera error met while rendering with this theme, naming the template file.
    pub fn error(&self, error: &tera::Error) -> Error {
        template_error(&self.dir, error)
    }
}

/// `templates/partials/x.html` → `partials/x.html`.
fn template_name(dir: &Path, path: &Path) -> String {
    crate::text::web_path(path.strip_prefix(dir).unwrap_or(path))
}

/// A Tera error as a site-wide error, naming the template file.
pub fn template_error(templates_dir: &Path, error: &tera::Error) -> Error {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        message.push_str(&format!("\n  caused by: {e}"));
        source = e.source();
    }
    let name = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let file = templates_dir.join(report.filename());
            if file.is_file() { file.display().to_string() } else { format!("{} (built-in)", report.filename()) }
        }
        _ => templates_dir.display().to_string(),
    };
    Error::Template { name, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_theme_parses() {
        let theme = Theme::load(Path::new("/nonexistent")).unwrap();
        for (name, _) in BUILTIN_TEMPLATES {
            assert!(theme.tera.get_template_names().any(|n| n == *name), "{name}");
        }
    }
}
