//! Builds killed at any point (SIGKILL, no chance to clean up) leave the
//! output entirely as the previous build left it or entirely as the new one,
//! and the next build removes what they left beside it.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::{TestSite, list_files};

const ARTICLES: usize = 60;

fn site_toml(title: &str) -> String {
    format!("title = \"{title}\"\nbase_url = \"https://example.org/\"\n")
}

fn site() -> TestSite {
    let site = TestSite::new();
    for i in 0..ARTICLES {
        let day = i % 28 + 1;
        site.file(
            &format!("content/a{i:03}.txt"),
            &format!(
                "Story number {i} from Kyiv\nDate: 2022-03-{day:02}\n\nVolodymyr Zelensky spoke in Kyiv on day {i}. \
                 Olena Kovalenko of the Kyiv City Council answered.\n"
            ),
        );
    }
    site
}

/// The site title every HTML page of the output shows, `None` for no
/// output; panics when pages show different ones (a mix of two builds).
fn title_of_output(site: &TestSite, titles: &[String]) -> Option<String> {
    let public = site.path("public");
    if !public.exists() {
        return None;
    }
    let pages: Vec<String> = list_files(&public).into_iter().filter(|f| f.ends_with(".html")).collect();
    assert!(!pages.is_empty(), "an output without pages");
    let mut seen = std::collections::BTreeMap::new();
    for page in &pages {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        let title = titles.iter().find(|t| html.contains(t.as_str())).cloned().unwrap_or_else(|| "none".into());
        seen.entry(title).or_insert_with(Vec::new).push(page.clone());
    }
    assert_eq!(
        seen.len(),
        1,
        "pages of two builds mixed: {:?}",
        seen.iter().map(|(t, p)| (t, p.len())).collect::<Vec<_>>()
    );
    seen.into_keys().next()
}

/// Starts a build and kills it after `delay`; whether it had finished.
fn build_killed_after(site: &TestSite, delay: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("build")
        .current_dir(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start gazette");
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    let _ = child.wait();
    finished
}

fn leftovers(site: &TestSite) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".public."))
        .collect()
}

#[test]
fn a_killed_rebuild_leaves_the_old_site_or_the_new_one_never_a_mix() {
    let site = site();
    let titles: Vec<String> = (0..12).map(|i| format!("Crash Archive {i:02}")).collect();
    site.file("site.toml", &site_toml(&titles[0]));
    site.build_ok();
    let mut current = titles[0].clone();
    assert_eq!(title_of_output(&site, &titles).as_deref(), Some(current.as_str()));
    // How long a rebuild that changes every page takes, to kill at points across it.
    site.file("site.toml", &site_toml(&titles[1]));
    let start = Instant::now();
    site.build_ok();
    let full = start.elapsed();
    current = titles[1].clone();
    // A fixed sequence of points from the start to past the end.
    let mut seed: u64 = 15;
    for title in &titles[2..] {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let fraction = (seed >> 33) as f64 / (1u64 << 31) as f64 * 1.2;
        site.file("site.toml", &site_toml(title));
        let finished = build_killed_after(&site, full.mul_f64(fraction));
        let now = title_of_output(&site, &titles).expect("the output vanished");
        assert!(now == current || now == *title, "output shows {now}, neither {current} nor {title}");
        if finished {
            assert_eq!(&now, title, "a finished build left the old site");
        }
        current = now;
    }
    let run = site.build_ok();
    assert_eq!(title_of_output(&site, &titles).as_deref(), Some(titles[11].as_str()), "{}", run.stderr);
    assert_eq!(leftovers(&site), Vec::<String>::new(), "killed builds' folders stay");
}

#[test]
fn a_killed_first_build_leaves_no_site_or_a_whole_one() {
    let site = site();
    site.file("site.toml", &site_toml("Crash Archive"));
    let start = Instant::now();
    site.build_ok();
    let full = start.elapsed();
    let complete = list_files(&site.path("public")).len();
    for step in 0..6 {
        let _ = std::fs::remove_dir_all(site.path("public"));
        let _ = std::fs::remove_dir_all(site.path(".gazette-cache"));
        build_killed_after(&site, full.mul_f64(step as f64 * 0.2));
        if site.path("public").exists() {
            assert_eq!(list_files(&site.path("public")).len(), complete, "a partial site after a kill at step {step}");
        }
    }
    site.build_ok();
    assert_eq!(list_files(&site.path("public")).len(), complete);
    assert_eq!(leftovers(&site), Vec::<String>::new(), "killed builds' folders stay");
}
