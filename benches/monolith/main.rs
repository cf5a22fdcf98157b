//! The measuring stick: synthetic Rails monoliths of several sizes (generated once,
//! deterministically, into `target/bench-apps/`), and for each one fullscan's wall
//! time, CPU time, peak memory, files read and parsed and time per stage, next to the
//! floor of any tree-sitter tool on the same tree: reading every `.rb` file and
//! parsing it once with tree-sitter-ruby on all cores.
//!
//!     scripts/bench                       # 100, 1,000 and 5,000 models
//!     scripts/bench --sizes 1000 --runs 5 --real /path/to/a/rails/app
//!
//! (`scripts/bench` builds the release binary, then runs
//! `cargo bench --bench monolith -- --fullscan target/release/fullscan ...`.)
//!
//! Every measured program runs as a child process, so its peak RSS and CPU time are
//! its own (`wait4`). Both fullscan and the floor run on a warm page cache (one
//! untimed run of each first): a pre-commit hook or a CI re-run reads files the
//! system has just read. The figure per size is the median of `--runs` runs.

mod gen;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Bump when the generator's output changes, so cached apps are made again.
const GENERATOR_VERSION: u32 = 1;

struct Options {
    sizes: Vec<usize>,
    seed: u64,
    runs: usize,
    fullscan: PathBuf,
    apps: PathBuf,
    real: Vec<PathBuf>,
    json: Option<PathBuf>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Child mode: the floor, measured from outside.
    if args.first().map(String::as_str) == Some("--floor") {
        let dir = PathBuf::from(args.get(1).expect("--floor DIR"));
        floor(&dir);
        return;
    }
    // `cargo test --all-targets` runs this binary without `--bench`: check the
    // generator (deterministic, a complete app) instead of benchmarking.
    if !args.iter().any(|a| a == "--bench") {
        self_test();
        return;
    }
    let options = match parse_options(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("monolith: {e}");
            eprintln!(
                "usage: cargo bench --bench monolith -- --fullscan PATH [--sizes 100,1000,5000] [--seed N] [--runs N] [--apps DIR] [--real DIR]... [--json FILE]"
            );
            std::process::exit(2);
        }
    };
    if !options.fullscan.is_file() {
        eprintln!(
            "monolith: {} is not a file: build it first (cargo build --release)",
            options.fullscan.display()
        );
        std::process::exit(2);
    }
    let mut rows = Vec::new();
    for &size in &options.sizes {
        let dir = options
            .apps
            .join(format!("monolith-{size}-seed{}", options.seed));
        let made = ensure_generated(&dir, size, options.seed);
        eprintln!(
            "monolith: {size} models: {} files ({} Ruby, {} templates), {:.1} MB",
            made.files,
            made.ruby_files,
            made.template_files,
            made.bytes as f64 / 1e6
        );
        let precommit = first_model_file(&dir);
        rows.push(measure(
            &options,
            &format!("{size} models"),
            &dir,
            Some(made),
            precommit.as_deref(),
        ));
    }
    for dir in &options.real {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.display().to_string());
        rows.push(measure(&options, &name, dir, None, None));
    }
    print_table(&rows);
    if let Some(path) = &options.json {
        let json: Vec<serde_json::Value> = rows.iter().map(Row::json).collect();
        let text = serde_json::to_string_pretty(&json).expect("rows serialise");
        std::fs::write(path, text + "\n").expect("the JSON report is written");
        eprintln!("monolith: wrote {}", path.display());
    }
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        sizes: vec![100, 1000, 5000],
        seed: 42,
        runs: 3,
        fullscan: PathBuf::from("target/release/fullscan"),
        apps: PathBuf::from("target/bench-apps"),
        real: Vec::new(),
        json: None,
    };
    let mut i = 0;
    while i < args.len() {
        let value = |i: usize| {
            args.get(i + 1)
                .cloned()
                .ok_or_else(|| format!("{} needs a value", args[i]))
        };
        match args[i].as_str() {
            "--sizes" => {
                o.sizes = value(i)?
                    .split(',')
                    .map(|s| s.trim().parse().map_err(|_| format!("bad size {s}")))
                    .collect::<Result<_, _>>()?;
            }
            "--seed" => o.seed = value(i)?.parse().map_err(|_| "bad seed")?,
            "--runs" => o.runs = value(i)?.parse().map_err(|_| "bad run count")?,
            "--fullscan" => o.fullscan = PathBuf::from(value(i)?),
            "--apps" => o.apps = PathBuf::from(value(i)?),
            "--real" => o.real.push(PathBuf::from(value(i)?)),
            "--json" => o.json = Some(PathBuf::from(value(i)?)),
            // What `cargo bench` itself passes.
            "--bench" => {
                i += 1;
                continue;
            }
            other => return Err(format!("unknown argument {other}")),
        }
        i += 2;
    }
    if o.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(o)
}

/// Generates the app unless the same generator version already made it.
fn ensure_generated(dir: &Path, models: usize, seed: u64) -> gen::GenStats {
    let marker = dir.join(".monolith");
    let want = format!("generator {GENERATOR_VERSION} models {models} seed {seed}\n");
    if let Ok(text) = std::fs::read_to_string(&marker) {
        if let Some(stats) = text.strip_prefix(want.as_str()).and_then(parse_stats) {
            return stats;
        }
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("the old app is removed");
    }
    let start = Instant::now();
    let stats = gen::generate(dir, models, seed).expect("the app is generated");
    eprintln!(
        "monolith: generated {} in {:.1} s",
        dir.display(),
        start.elapsed().as_secs_f64()
    );
    std::fs::write(
        &marker,
        format!(
            "{want}{} {} {} {}\n",
            stats.files, stats.ruby_files, stats.template_files, stats.bytes
        ),
    )
    .expect("the marker is written");
    stats
}

fn parse_stats(line: &str) -> Option<gen::GenStats> {
    let n: Vec<u64> = line
        .split_whitespace()
        .map(|w| w.parse().ok())
        .collect::<Option<_>>()?;
    let [files, ruby_files, template_files, bytes] = n.as_slice() else {
        return None;
    };
    Some(gen::GenStats {
        files: *files as usize,
        ruby_files: *ruby_files as usize,
        template_files: *template_files as usize,
        bytes: *bytes,
    })
}

/// A model file to stand for the staged file of a pre-commit run.
fn first_model_file(dir: &Path) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("app/models"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rb"))
        .collect();
    files.sort();
    files
        .into_iter()
        .find(|p| !p.ends_with("application_record.rb"))
}

/// The generator's own check: the same models and seed give the same tree, byte
/// for byte; another seed gives another; the app has what fullscan reads.
fn self_test() {
    let a = tempfile::tempdir().expect("a temporary directory");
    let b = tempfile::tempdir().expect("a temporary directory");
    let c = tempfile::tempdir().expect("a temporary directory");
    let (ra, rb, rc) = (
        a.path().join("app"),
        b.path().join("app"),
        c.path().join("app"),
    );
    let sa = gen::generate(&ra, 40, 7).expect("generated");
    let sb = gen::generate(&rb, 40, 7).expect("generated");
    gen::generate(&rc, 40, 8).expect("generated");
    let (ta, tb, tc) = (tree(&ra), tree(&rb), tree(&rc));
    assert_eq!(ta.len(), sa.files, "the stats count the files written");
    assert_eq!(sa.bytes, sb.bytes);
    assert!(ta == tb, "the same seed gives the same app");
    assert!(ta != tc, "another seed gives another app");
    for must in [
        "db/schema.rb",
        "Gemfile.lock",
        "config/application.rb",
        "app/models/application_record.rb",
    ] {
        assert!(
            ta.iter().any(|(p, _)| p == Path::new(must)),
            "{must} is generated"
        );
    }
    let models = ta
        .iter()
        .filter(|(p, _)| p.starts_with("app/models"))
        .count();
    assert!(models > 40, "{models} model files");
    println!("monolith: generator self-test passed ({} files)", sa.files);
}

/// Every file under `root`, relative, sorted, with its bytes.
fn tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .expect("under root")
                .to_path_buf();
            (rel, std::fs::read(e.path()).expect("readable"))
        })
        .collect();
    out.sort();
    out
}

/// One program run: wall and CPU time, peak resident memory, what it printed.
struct Run {
    wall: Duration,
    cpu: Duration,
    max_rss_kb: u64,
    stderr: String,
    stdout: String,
}

/// Runs a command as a child and measures it with `wait4`.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its rusage
fn run(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?} starts: {e}"));
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data that wait4 fills in; the child is ours and not
    // reaped by anything else (Child::wait is never called).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 on {cmd:?}");
    let wall = start.elapsed();
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // fullscan exits 1 when it has findings; 2 and up, or a signal, is a failure.
    assert!(
        (0..=1).contains(&code),
        "{cmd:?} failed ({code}):\n{stderr}"
    );
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss_kb: usage.ru_maxrss as u64,
        stderr,
        stdout,
    }
}

/// The median run by wall time.
fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by_key(|r| r.wall);
    let mid = runs.len() / 2;
    runs.swap_remove(mid)
}

struct Row {
    name: String,
    app: Option<gen::GenStats>,
    fullscan: Run,
    timings: serde_json::Value,
    floor: Run,
    floor_files: (u64, u64),
    precommit: Option<Run>,
}

impl Row {
    fn ratio(&self) -> f64 {
        self.fullscan.wall.as_secs_f64() / self.floor.wall.as_secs_f64()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.name,
            "files": self.app.as_ref().map(|a| a.files),
            "bytes": self.app.as_ref().map(|a| a.bytes),
            "fullscan": {
                "wall_s": self.fullscan.wall.as_secs_f64(),
                "cpu_s": self.fullscan.cpu.as_secs_f64(),
                "max_rss_mb": self.fullscan.max_rss_kb as f64 / 1024.0,
                "timings": self.timings,
            },
            "floor": {
                "wall_s": self.floor.wall.as_secs_f64(),
                "cpu_s": self.floor.cpu.as_secs_f64(),
                "max_rss_mb": self.floor.max_rss_kb as f64 / 1024.0,
                "files_read": self.floor_files.0,
                "files_parsed": self.floor_files.1,
            },
            "ratio": self.ratio(),
            "precommit_wall_s": self.precommit.as_ref().map(|r| r.wall.as_secs_f64()),
        })
    }
}

fn measure(
    o: &Options,
    name: &str,
    dir: &Path,
    app: Option<gen::GenStats>,
    precommit_file: Option<&Path>,
) -> Row {
    let me = std::env::current_exe().expect("the bench knows its path");
    let floor_cmd = || {
        let mut c = Command::new(&me);
        c.arg("--floor").arg(dir);
        c
    };
    let fullscan_cmd = || {
        let mut c = Command::new(&o.fullscan);
        c.arg("check")
            .arg(dir)
            .args(["--format", "json", "--no-baseline", "--timings"]);
        c
    };
    // Warm the page cache for both.
    run(&mut floor_cmd());
    run(&mut fullscan_cmd());
    let floor = median((0..o.runs).map(|_| run(&mut floor_cmd())).collect());
    let fullscan = median((0..o.runs).map(|_| run(&mut fullscan_cmd())).collect());
    let timings: serde_json::Value = fullscan
        .stderr
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap_or(serde_json::Value::Null);
    let floor_files = {
        let mut words = floor
            .stdout
            .split_whitespace()
            .map(|w| w.parse().unwrap_or(0));
        (words.next().unwrap_or(0), words.next().unwrap_or(0))
    };
    let precommit = precommit_file.map(|file| {
        let cmd = || {
            let mut c = Command::new(&o.fullscan);
            c.arg("check")
                .arg(dir)
                .arg(file)
                .args(["--format", "concise"]);
            c
        };
        run(&mut cmd());
        median((0..o.runs).map(|_| run(&mut cmd())).collect())
    });
    let row = Row {
        name: name.to_owned(),
        app,
        fullscan,
        timings,
        floor,
        floor_files,
        precommit,
    };
    eprintln!(
        "monolith: {name}: fullscan {:.3} s, floor {:.3} s, ratio {:.2}",
        row.fullscan.wall.as_secs_f64(),
        row.floor.wall.as_secs_f64(),
        row.ratio()
    );
    row
}

fn print_table(rows: &[Row]) {
    let secs = |d: Duration| format!("{:.3}", d.as_secs_f64());
    let mb = |kb: u64| format!("{:.0}", kb as f64 / 1024.0);
    let stage = |r: &Row, s: &str| {
        r.timings["stages"][s]
            .as_f64()
            .map(|v| format!("{v:.3}"))
            .unwrap_or_else(|| "-".into())
    };
    let count = |r: &Row, k: &str| {
        r.timings[k]
            .as_u64()
            .map(|v| v.to_string())
            .unwrap_or_else(|| "-".into())
    };
    println!(
        "| app | files | MB | wall s | CPU s | RSS MB | files read | files parsed | walk | parse | schema | resolve | references | rules | report | floor wall s | floor CPU s | floor RSS MB | floor files | ratio | pre-commit s |"
    );
    println!("|{}", "---|".repeat(21));
    for r in rows {
        let parsed = match (
            r.timings["model_files_parsed"].as_u64(),
            r.timings["reference_files_parsed"].as_u64(),
        ) {
            (Some(m), Some(f)) => (m + f).to_string(),
            _ => "-".into(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {} |",
            r.name,
            r.app
                .as_ref()
                .map(|a| a.files.to_string())
                .unwrap_or_else(|| count(r, "reference_files")),
            r.app
                .as_ref()
                .map(|a| format!("{:.0}", a.bytes as f64 / 1e6))
                .unwrap_or_else(|| "-".into()),
            secs(r.fullscan.wall),
            secs(r.fullscan.cpu),
            mb(r.fullscan.max_rss_kb),
            count(r, "reference_files_read"),
            parsed,
            stage(r, "walk"),
            stage(r, "parse"),
            stage(r, "schema"),
            stage(r, "resolve"),
            stage(r, "references"),
            stage(r, "rules"),
            stage(r, "report"),
            secs(r.floor.wall),
            secs(r.floor.cpu),
            mb(r.floor.max_rss_kb),
            r.floor_files.1,
            r.ratio(),
            r.precommit
                .as_ref()
                .map(|p| secs(p.wall))
                .unwrap_or_else(|| "-".into()),
        );
    }
}

/// The floor: every `.rb` file under `dir` (what `.gitignore` keeps, hidden and
/// skipped folders aside, as fullscan walks) read and parsed once with
/// tree-sitter-ruby, on every core. Prints `files_read files_parsed`.
fn floor(dir: &Path) {
    use rayon::prelude::*;
    let mut paths = Vec::new();
    for entry in ignore::WalkBuilder::new(dir)
        .hidden(true)
        .follow_links(false)
        .build()
        .flatten()
    {
        let is_rb = entry.path().extension().is_some_and(|e| e == "rb");
        if is_rb && entry.file_type().is_some_and(|t| t.is_file()) {
            paths.push(entry.into_path());
        }
    }
    let parsed: usize = paths
        .par_iter()
        .map(|p| {
            thread_local! {
                static PARSER: std::cell::RefCell<tree_sitter::Parser> = std::cell::RefCell::new({
                    let mut p = tree_sitter::Parser::new();
                    p.set_language(&tree_sitter_ruby::LANGUAGE.into())
                        .expect("the grammar loads");
                    p
                });
            }
            let Ok(bytes) = std::fs::read(p) else {
                return 0;
            };
            let tree = PARSER.with(|parser| parser.borrow_mut().parse(&bytes, None));
            usize::from(tree.is_some_and(|t| t.root_node().child_count() > 0 || bytes.is_empty()))
        })
        .sum();
    println!("{} {parsed}", paths.len());
}
