//! The reference index: where the project names each association and scope it
//! declares, so that the unused-* rules can tell which ones nobody uses.
//!
//! Every reference file (Ruby anywhere, templates) is read once; a multi-pattern
//! search (aho-corasick) over the names the declarations generate picks the files
//! that can hold a reference, and only those are parsed: Ruby with tree-sitter,
//! templates by taking the Ruby out of their tags. What counts as a use:
//!
//! - a method call or bare identifier with the name or a method Rails generates
//!   from it (`comment_ids`, `build_author`, `comments_attributes`...);
//! - a symbol, except as a positional argument of calls that name routes, params,
//!   callbacks or methods being defined (`resources :comments`, `require(:post)`);
//!   every hash key (`where(author: x)`, `includes(post: :comments)`);
//! - a string exactly equal to the name (`send("comments")`, `%w[comments]`).
//!
//! A call on a model constant (`Post.published`), or on a variable only ever assigned
//! from a finder on one (`post = Post.find(id); post.comments`), is a use of that
//! model's declaration (and its ancestors' and descendants'); every other use
//! matches the name on any model. A `send`/`public_send`/`try` whose name is not a
//! literal may reach any name its literal parts fit: it is recorded, and lowers the
//! confidence of an "unused" verdict rather than hiding it.

use crate::inflector::Inflector;
use crate::model::{Macro, ScopeKind};
use crate::project::{self, SourceKind, MAX_RUBY_FILE_BYTES};
use crate::resolve::Resolved;
use crate::ruby;
use crate::skim::Bodies;
use crate::words::{is_word_byte, word_hash, words, Stamp, WordFilter, WordIndex};
use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tree_sitter::Node;

/// What a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Association(Macro),
    Scope,
}

/// One declaration site: an association or a named scope. A declaration in a
/// concern is one target, shared by every model that includes it.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: TargetKind,
    pub name: String,
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// The models that have it, sorted.
    pub models: Vec<String>,
    /// The names whose use counts as a use of it.
    pub tokens: Vec<String>,
}

/// Where a target is used.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// The first use outside test directories, if any.
    pub app: Option<(PathBuf, u32)>,
    /// The first use in a test directory, if any.
    pub test: Option<(PathBuf, u32)>,
    /// The first dynamic call that may reach it, for a target the application does
    /// not use (one it uses needs none).
    pub dynamic: Option<DynamicCall>,
}

/// `send(name)`, `public_send("#{x}_ids")`, `try(attr)`: a call whose method name
/// is computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DynamicCall {
    pub path: PathBuf,
    pub line: u32,
    /// The call as written (shortened).
    pub text: String,
    /// The literal parts of the name, in order (`["_ids"]`); empty when nothing of
    /// it is literal.
    pub fragments: Vec<String>,
    /// The model the receiver is known to be, if any.
    pub model: Option<String>,
}

impl DynamicCall {
    fn may_name(&self, token: &str) -> bool {
        let mut rest = token;
        for f in &self.fragments {
            match rest.find(f.as_str()) {
                Some(i) => rest = &rest[i + f.len()..],
                None => return false,
            }
        }
        true
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReferenceStats {
    /// Reference files in the project.
    pub files: usize,
    /// Files searched, once each: read, or known from the word index (see
    /// [`crate::words`]) to name nothing looked for. The same with or without it.
    pub files_read: usize,
    /// Files the prefilter kept and that were parsed.
    pub files_parsed: usize,
    #[serde(skip)]
    pub elapsed: Duration,
}

#[derive(Debug, Clone, Default)]
pub struct ReferenceIndex {
    pub targets: Vec<Target>,
    /// One per target, same order.
    pub usages: Vec<Usage>,
    pub stats: ReferenceStats,
    /// Reference files that could not be read (an I/O error, not a regular file
    /// any more, or too large), with the reason, in file order: uses in them are
    /// not counted, and the report says so.
    pub unread: Vec<(PathBuf, String)>,
}

/// How a name is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum UseKind {
    /// A call, an identifier, a symbol or a string.
    Name,
    /// A hash key (`where(author: x)`): names an association, never a scope.
    HashKey,
}

/// One use found in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    token: usize,
    line: u32,
    /// 1-based, in characters.
    column: u32,
    model: Option<String>,
    kind: UseKind,
}

#[derive(Debug, Default)]
struct FileRefs {
    found: Vec<Found>,
    dynamic: Vec<DynamicCall>,
    /// Tokens that occur in a form only the syntax tree can judge.
    deferred: Vec<usize>,
    read: bool,
    /// Why the file could not be read, when it could not.
    unread: Option<String>,
    /// The file's size in bytes, when it was read.
    bytes: usize,
}

/// Calls whose positional symbols name routes, params, callbacks, translations or
/// methods being defined, never an association or scope.
const NON_REFERENCE_CALLS: &[&str] = &[
    "resources",
    "resource",
    "require",
    "before_action",
    "after_action",
    "around_action",
    "skip_before_action",
    "skip_after_action",
    "prepend_before_action",
    "attr_accessor",
    "attr_reader",
    "attr_writer",
    "render",
    "t",
    "translate",
    "helper_method",
    "define_method",
    "validate",
    "queue_as",
    "layout",
    "helper",
    "redirect_to",
    "rescue_from",
];

/// Calls that dispatch to a method named by their first argument.
const SEND_CALLS: &[&str] = &["send", "public_send", "__send__", "try", "try!"];

/// The words the send-like calls are found by (`try!` is found as `try`).
const SEND_WORDS: &[&str] = &["send", "public_send", "__send__", "try"];

/// Finders whose result is a record of the receiver's class.
const RECORD_FINDERS: &[&str] = &[
    "find",
    "find_by",
    "find_by!",
    "first",
    "first!",
    "last",
    "last!",
    "take",
    "take!",
    "sole",
    "find_sole_by",
    "new",
    "create",
    "create!",
    "find_or_create_by",
    "find_or_create_by!",
    "find_or_initialize_by",
    "create_or_find_by",
    "create_or_find_by!",
];

/// Relation methods a finder may be chained after.
const RELATION_CHAIN: &[&str] = &[
    "where",
    "order",
    "reorder",
    "includes",
    "preload",
    "eager_load",
    "joins",
    "left_joins",
    "left_outer_joins",
    "limit",
    "offset",
    "unscoped",
    "all",
    "rewhere",
    "readonly",
    "lock",
    "select",
    "distinct",
];

/// Builds the index for a resolved project: the uses of every association and
/// scope, or of those declared under `only`.
pub fn index(
    root: &Path,
    files: &[PathBuf],
    resolved: &Resolved,
    inflector: &Inflector,
    test_paths: &[String],
    only: Option<&[PathBuf]>,
    words: &WordIndex,
) -> ReferenceIndex {
    let start = Instant::now();
    let is_test = |rel: &Path| project::in_any_dir(rel, test_paths);
    let mut targets = targets(resolved, inflector);
    // The declarations of the files reported on, when only some are.
    if let Some(only) = only {
        targets.retain(|t| only.iter().any(|o| t.path.starts_with(o)));
    }
    let mut token_ids: HashMap<String, usize> = HashMap::new();
    let mut token_targets: Vec<Vec<usize>> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        for token in &t.tokens {
            let id = *token_ids.entry(token.clone()).or_insert_with(|| {
                token_targets.push(Vec::new());
                token_targets.len() - 1
            });
            token_targets[id].push(i);
        }
    }
    let mut stats = ReferenceStats {
        files: files.len(),
        ..Default::default()
    };
    if targets.is_empty() {
        stats.elapsed = start.elapsed();
        return ReferenceIndex {
            targets,
            usages: Vec::new(),
            stats,
            unread: Vec::new(),
        };
    }
    // Patterns in token-id order, so that a match's pattern is its token; then the
    // send-like calls.
    let mut by_id: Vec<&str> = vec![""; token_ids.len()];
    for (name, id) in &token_ids {
        by_id[*id] = name.as_str();
    }
    let send_pattern = by_id.len();
    let mut patterns = by_id.clone();
    patterns.extend(SEND_WORDS);
    let ac = Names::new(&patterns);

    // Declaration sites: the name argument of these calls is not a use.
    let mut declarations: HashMap<&Path, HashSet<(u32, u32)>> = HashMap::new();
    for a in &resolved.associations {
        declarations
            .entry(a.path.as_path())
            .or_default()
            .insert((a.line, a.column));
    }
    for m in &resolved.models {
        for s in &m.scopes {
            declarations
                .entry(s.path.as_path())
                .or_default()
                .insert((s.span.line, s.span.column));
        }
    }
    let models = ModelNames::new(resolved);
    let empty = HashSet::new();
    let mut file_models: HashMap<&Path, Vec<&str>> = HashMap::new();
    for m in &resolved.models {
        file_models
            .entry(m.path.as_path())
            .or_default()
            .push(m.name.as_str());
    }
    let shared: Vec<bool> = token_targets
        .iter()
        .map(|ts| {
            let mut owners: Vec<&String> = ts.iter().flat_map(|t| &targets[*t].models).collect();
            owners.sort();
            owners.dedup();
            owners
                .iter()
                .any(|a| owners.iter().any(|b| !models.related(a, b)))
        })
        .collect();
    let scope_token: Vec<bool> = token_targets
        .iter()
        .map(|ts| ts.iter().any(|t| targets[*t].kind == TargetKind::Scope))
        .collect();
    let lexer = Lexer {
        ac: &ac,
        send_pattern,
        tokens: &token_ids,
        models: &models,
        file_models: &file_models,
        shared: &shared,
        scope_token: &scope_token,
    };

    // Phase 1: every file read once; the multi-pattern search finds each name, and
    // the uses that are certain from the bytes around them (`x.comments`,
    // `Post.published`, `:comments`, `author:`, `"comments"`) are taken at once.
    // Templates are read whole (their Ruby is short). What needs the syntax tree (a
    // bare identifier, a symbol on a line with a route or callback) is deferred.
    // A chunk of files at a time, read in parallel, their uses recorded in file
    // order: what a file found is dropped once recorded (only the names it
    // deferred are kept), so memory does not grow with the project.
    const PHASE1_CHUNK: usize = 1024;
    // With the declarations of a few files to find uses of, a file the word index
    // knows holds none of their names (nor a dynamic call) is not read.
    let needed: Option<Vec<u64>> =
        only.map(|_| patterns.iter().map(|p| word_hash(p.as_bytes())).collect());
    let scan = |rel: &PathBuf, open: &OpenNames| {
        let Some(kind) = project::source_kind(rel) else {
            return FileRefs::default();
        };
        let full = root.join(rel);
        let stamp = if words.words_enabled() {
            Stamp::of(&full)
        } else {
            None
        };
        let known = stamp.and_then(|s| words.lookup(rel, s));
        if let (Some(needed), Some(filter)) = (&needed, known) {
            if !needed.iter().any(|&h| filter.may_contain(h)) {
                return FileRefs {
                    read: true,
                    ..FileRefs::default()
                };
            }
        }
        let src = match read_source(&full) {
            Ok(src) => src,
            Err(reason) => {
                return FileRefs {
                    unread: Some(reason),
                    ..FileRefs::default()
                }
            }
        };
        if let (Some(stamp), None) = (stamp, known) {
            words.record(rel, stamp, WordFilter::of(src.as_bytes()));
        }
        let decls = declarations.get(rel.as_path()).unwrap_or(&empty);
        let mut out = match kind {
            SourceKind::Ruby => lexer.ruby(&src, rel, decls),
            SourceKind::Erb if ac.is_match(src.as_bytes()) => {
                scan_template(&erb_code(&src), rel, &token_ids, &models)
            }
            SourceKind::Haml if ac.is_match(src.as_bytes()) => {
                scan_template(&haml_code(&src), rel, &token_ids, &models)
            }
            SourceKind::Slim if ac.is_match(src.as_bytes()) => {
                scan_template(&slim_code(&src), rel, &token_ids, &models)
            }
            _ => FileRefs::default(),
        };
        // Names every target of which is settled for this kind of file need no
        // more recording (what was open before this chunk is a superset of what
        // is open when it is recorded: names only ever close).
        let test = is_test(rel);
        out.found.retain(|f| open.is_open(f.token, test));
        out.deferred.retain(|&t| open.is_open(t, test));
        out.read = true;
        out.bytes = src.len();
        out
    };
    let mut usages = vec![Usage::default(); targets.len()];
    let target_tokens: Vec<Vec<usize>> = targets
        .iter()
        .map(|t| t.tokens.iter().map(|tok| token_ids[tok]).collect())
        .collect();
    let mut open = OpenNames::new(&token_targets, target_tokens, &targets, &models);
    let mut deferred_of: Vec<Vec<usize>> = Vec::with_capacity(files.len());
    // The names the lexer found a use of, by file.
    let mut found_of: Vec<Vec<usize>> = Vec::with_capacity(files.len());
    let mut bytes_of: Vec<usize> = Vec::with_capacity(files.len());
    let mut dynamic_calls: Vec<DynamicCall> = Vec::new();
    let mut dynamic_seen: HashSet<(Option<String>, Vec<String>)> = HashSet::new();
    let mut unread: Vec<(PathBuf, String)> = Vec::new();
    for chunk in files.chunks(PHASE1_CHUNK) {
        let found: Vec<FileRefs> = chunk.par_iter().map(|rel| scan(rel, &open)).collect();
        for (rel, refs) in chunk.iter().zip(found) {
            stats.files_read += usize::from(refs.read);
            if let Some(reason) = refs.unread {
                unread.push((rel.clone(), reason));
            }
            open.record(
                rel,
                is_test(rel),
                &refs.found,
                &targets,
                &models,
                &mut usages,
            );
            // A call with the same receiver and literal parts as an earlier one
            // can reach nothing the earlier one cannot.
            for d in refs.dynamic {
                if dynamic_seen.insert((d.model.clone(), d.fragments.clone())) {
                    dynamic_calls.push(d);
                }
            }
            let mut found_tokens: Vec<usize> = refs.found.iter().map(|f| f.token).collect();
            found_tokens.sort_unstable();
            found_tokens.dedup();
            found_of.push(found_tokens);
            deferred_of.push(refs.deferred);
            bytes_of.push(refs.bytes);
        }
    }

    // Phase 2: the names of targets no certain use has settled yet; only the Ruby
    // files where they occur in a form the bytes could not judge are parsed, the
    // application's first and the tests' after. A target needs no more once the
    // application uses it; one the application does not use needs the tests only
    // until they do. The result is that of taking the files one at a time in that
    // order, parsing a file only if a name it defers is still open, and recording
    // its uses; but files are parsed side by side, in batches: what parsing a
    // file records is a use of a name the lexer deferred or found in it (it
    // settled every other name as no use), so a file none of whose open names an
    // earlier file still waiting holds is parsed in the current batch, its turn
    // already decided. Neither the batches nor the files parsed depend on the
    // thread count.
    const BATCH: usize = 16;
    let mut pending: Vec<usize> = (0..files.len())
        .filter(|&i| !deferred_of[i].is_empty())
        .collect();
    pending.sort_by_key(|&i| (is_test(&files[i]), i));
    while open.targets_open > 0 && !pending.is_empty() {
        let mut batch: Vec<(usize, bool)> = Vec::with_capacity(BATCH);
        // The open names of the files in the batch or still waiting before the
        // current one.
        let mut claimed: HashSet<usize> = HashSet::new();
        let mut waiting = Vec::with_capacity(pending.len());
        let mut rest = pending.into_iter();
        for i in rest.by_ref() {
            let test = is_test(&files[i]);
            if !deferred_of[i].iter().any(|&t| open.is_open(t, test)) {
                // Names only ever close: this file needs no parse.
                continue;
            }
            let names = deferred_of[i]
                .iter()
                .chain(&found_of[i])
                .copied()
                .filter(|&t| open.is_open(t, test));
            let names: Vec<usize> = names.collect();
            let free = names.iter().all(|t| !claimed.contains(t));
            claimed.extend(names);
            if free {
                batch.push((i, test));
                if batch.len() == BATCH {
                    break;
                }
            } else {
                waiting.push(i);
            }
        }
        waiting.extend(rest);
        pending = waiting;
        stats.files_parsed += batch.len();
        // The largest files first, so that no thread is left with a large one at
        // the end; the uses are recorded in file order.
        batch.sort_by_key(|&(i, _)| (std::cmp::Reverse(bytes_of[i]), i));
        let mut parsed: Vec<(usize, Result<Vec<Found>, String>)> = batch
            .par_iter()
            .map(|&(i, test)| {
                let rel = &files[i];
                let src = match read_source(&root.join(rel)) {
                    Ok(src) => src,
                    Err(reason) => return (i, Err(reason)),
                };
                let decls = declarations.get(rel.as_path()).unwrap_or(&empty);
                let wanted =
                    |word: &str| token_ids.get(word).is_some_and(|&t| open.is_open(t, test));
                let mut found =
                    scan_ruby_wanted(&src, rel, decls, &token_ids, &models, wanted).found;
                found.retain(|f| open.is_open(f.token, test));
                (i, Ok(found))
            })
            .collect();
        parsed.sort_unstable_by_key(|(i, _)| *i);
        for (i, found) in parsed {
            let rel = &files[i];
            match found {
                Ok(found) => open.record(rel, is_test(rel), &found, &targets, &models, &mut usages),
                // Read a moment ago, gone now.
                Err(reason) => unread.push((rel.clone(), reason)),
            }
        }
    }
    // The first dynamic call (in file order) that may reach each target the
    // application does not use.
    for (t, target) in targets.iter().enumerate() {
        if usages[t].app.is_some() {
            continue;
        }
        usages[t].dynamic = dynamic_calls
            .iter()
            .find(|d| {
                let model_fits = d
                    .model
                    .as_deref()
                    .is_none_or(|m| target.models.iter().any(|o| models.related(m, o)));
                model_fits && target.tokens.iter().any(|tok| d.may_name(tok))
            })
            .cloned();
    }
    stats.elapsed = start.elapsed();
    unread.sort();
    ReferenceIndex {
        targets,
        usages,
        stats,
        unread,
    }
}

/// The targets still open to a use, kept up to date as they settle. A target needs
/// no more once the application uses it; one the application does not use needs the
/// tests only until they do. For each token: the targets naming it that are open to
/// an application file's use (`app_targets`) and to a test file's (`test_targets`),
/// pruned as they are walked, and how many of each are open (`app`, `test`).
struct OpenNames {
    target_tokens: Vec<Vec<usize>>,
    /// By target: the ids of the models declaring it.
    target_models: Vec<Vec<u32>>,
    app_open: Vec<bool>,
    test_open: Vec<bool>,
    app: Vec<u32>,
    test: Vec<u32>,
    app_targets: Vec<Vec<usize>>,
    test_targets: Vec<Vec<usize>>,
    targets_open: usize,
}

impl OpenNames {
    fn new(
        token_targets: &[Vec<usize>],
        target_tokens: Vec<Vec<usize>>,
        targets: &[Target],
        models: &ModelNames,
    ) -> OpenNames {
        let target_models = targets
            .iter()
            .map(|t| t.models.iter().filter_map(|m| models.id(m)).collect())
            .collect();
        let counts: Vec<u32> = token_targets.iter().map(|ts| ts.len() as u32).collect();
        OpenNames {
            app_open: vec![true; target_tokens.len()],
            test_open: vec![true; target_tokens.len()],
            targets_open: target_tokens.len(),
            target_tokens,
            target_models,
            app: counts.clone(),
            test: counts,
            app_targets: token_targets.to_vec(),
            test_targets: token_targets.to_vec(),
        }
    }

    /// Whether a use of `token` in an application (or test) file can still settle
    /// a target.
    fn is_open(&self, token: usize, test: bool) -> bool {
        if test {
            self.test[token] > 0
        } else {
            self.app[token] > 0
        }
    }

    /// Records a file's uses on the open targets they can reach.
    fn record(
        &mut self,
        rel: &Path,
        test: bool,
        found: &[Found],
        targets: &[Target],
        models: &ModelNames,
        usages: &mut [Usage],
    ) {
        for f in found {
            if !self.is_open(f.token, test) {
                continue;
            }
            let side = if test {
                &mut self.test_targets
            } else {
                &mut self.app_targets
            };
            let used = f.model.as_deref().map(|m| (m, models.id(m)));
            let mut open = std::mem::take(&mut side[f.token]);
            open.retain(|&t| {
                let still_open = if test {
                    self.test_open[t]
                } else {
                    self.app_open[t]
                };
                if !still_open {
                    return false;
                }
                let target = &targets[t];
                if f.kind == UseKind::HashKey && target.kind == TargetKind::Scope {
                    return true;
                }
                // Its own declaration (its name, its scope lambda) is not a use.
                if (target.line, target.column) <= (f.line, f.column)
                    && (f.line, f.column) < (target.end_line, target.end_column)
                    && rel.as_os_str() == target.path.as_os_str()
                {
                    return true;
                }
                let fits = match used {
                    None => true,
                    Some((_, Some(u))) => self.target_models[t]
                        .iter()
                        .any(|&d| models.related_ids(u, d)),
                    Some((m, None)) => target.models.iter().any(|o| o == m),
                };
                if !fits {
                    return true;
                }
                let site = Some((rel.to_path_buf(), f.line));
                if test {
                    usages[t].test = site;
                } else {
                    usages[t].app = site;
                    self.close_app(t);
                }
                self.close_test(t);
                false
            });
            let side = if test {
                &mut self.test_targets
            } else {
                &mut self.app_targets
            };
            side[f.token] = open;
        }
    }

    fn close_app(&mut self, t: usize) {
        if std::mem::replace(&mut self.app_open[t], false) {
            self.targets_open -= 1;
            for &k in &self.target_tokens[t] {
                self.app[k] -= 1;
            }
        }
    }

    fn close_test(&mut self, t: usize) {
        if std::mem::replace(&mut self.test_open[t], false) {
            for &k in &self.target_tokens[t] {
                self.test[k] -= 1;
            }
        }
    }
}

/// A file's text, if it is a regular file within the size limit; otherwise why
/// it could not be read.
fn read_source(full: &Path) -> Result<String, String> {
    match project::read_within(full, MAX_RUBY_FILE_BYTES) {
        Ok(Ok(bytes)) => Ok(project::lossy_text(bytes)),
        Ok(Err(size)) => Err(project::too_large(size)),
        Err(e) => Err(project::unreadable(&e)),
    }
}

/// The declaration sites, each with the names whose use counts as its use.
fn targets(resolved: &Resolved, inflector: &Inflector) -> Vec<Target> {
    // One target per declaration site (path, line, column, name), however many
    // models receive it (a concern's, an STI parent's).
    let mut sites: HashMap<(&Path, u32, u32, &str), usize> = HashMap::new();
    let mut out: Vec<Target> = Vec::new();
    // Many models declare associations of the same name: their tokens are derived once.
    let mut tokens_of: HashMap<(&str, Macro), Vec<String>> = HashMap::new();
    for a in &resolved.associations {
        let key = (a.path.as_path(), a.line, a.column, a.name.as_str());
        let i = *sites.entry(key).or_insert_with(|| {
            let tokens = tokens_of
                .entry((a.name.as_str(), a.macro_))
                .or_insert_with(|| association_tokens(&a.name, a.macro_, inflector))
                .clone();
            out.push(Target {
                kind: TargetKind::Association(a.macro_),
                name: a.name.clone(),
                path: a.path.clone(),
                line: a.line,
                column: a.column,
                end_line: a.end_line,
                end_column: a.end_column,
                models: Vec::new(),
                tokens,
            });
            out.len() - 1
        });
        out[i].models.push(a.model.clone());
    }
    for m in &resolved.models {
        for s in &m.scopes {
            let (ScopeKind::Scope, Some(name)) = (s.kind, &s.name) else {
                continue;
            };
            let key = (s.path.as_path(), s.span.line, s.span.column, name.as_str());
            let i = *sites.entry(key).or_insert_with(|| {
                out.push(Target {
                    kind: TargetKind::Scope,
                    name: name.clone(),
                    path: s.path.clone(),
                    line: s.span.line,
                    column: s.span.column,
                    end_line: s.span.end_line,
                    end_column: s.span.end_column,
                    models: Vec::new(),
                    tokens: vec![name.clone()],
                });
                out.len() - 1
            });
            out[i].models.push(m.name.clone());
        }
    }
    // Sites are distinct, so this order is total.
    out.sort_by(|x, y| {
        (&x.path, x.line, x.column, &x.name).cmp(&(&y.path, y.line, y.column, &y.name))
    });
    for t in &mut out {
        t.models.sort();
        t.models.dedup();
    }
    out
}

/// The association's name and the methods Rails generates from it.
pub fn association_tokens(name: &str, macro_: Macro, inflector: &Inflector) -> Vec<String> {
    let mut out = vec![name.to_owned(), format!("{name}_attributes")];
    match macro_ {
        Macro::HasMany | Macro::HasAndBelongsToMany => {
            out.push(format!("{}_ids", inflector.singularize(name)));
        }
        Macro::HasOne | Macro::BelongsTo => {
            for prefix in ["build_", "create_", "reload_", "reset_"] {
                out.push(format!("{prefix}{name}"));
            }
            out.push(format!("{name}_changed"));
            out.push(format!("{name}_previously_changed"));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Model names, for constants written in the code, and their ancestry.
struct ModelNames {
    names: Vec<String>,
    /// A number for every class name in the hierarchy (models and the superclasses
    /// they name).
    ids: HashMap<String, u32>,
    /// By id: its superclasses, nearest first.
    ancestors: Vec<Vec<u32>>,
    /// Model names by their last segment (`Bar` for `Foo::Bar`).
    by_last: HashMap<String, Vec<usize>>,
}

impl ModelNames {
    fn new(resolved: &Resolved) -> Self {
        let names: Vec<String> = resolved.models.iter().map(|m| m.name.clone()).collect();
        let superclass = resolved
            .models
            .iter()
            .filter_map(|m| Some((m.name.clone(), m.superclass.clone()?)))
            .collect();
        Self::from_parts(names, superclass)
    }

    fn from_parts(mut names: Vec<String>, superclass: HashMap<String, String>) -> Self {
        names.sort();
        let mut by_last: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            let last = n.rsplit("::").next().unwrap_or(n);
            by_last.entry(last.to_owned()).or_default().push(i);
        }
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut all: Vec<&String> = names
            .iter()
            .chain(superclass.keys())
            .chain(superclass.values())
            .collect();
        all.sort();
        all.dedup();
        for n in &all {
            let id = ids.len() as u32;
            ids.insert((*n).clone(), id);
        }
        let ancestors = all
            .iter()
            .map(|n| {
                let mut chain = Vec::new();
                let mut current = n.as_str();
                // A cycle (`A < B`, `B < A`) stops at the depth Ruby never reaches.
                for _ in 0..64 {
                    let Some(sup) = superclass.get(current) else {
                        break;
                    };
                    chain.push(ids[sup]);
                    current = sup;
                }
                chain
            })
            .collect();
        ModelNames {
            names,
            ids,
            ancestors,
            by_last,
        }
    }

    fn id(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    /// [`related`](Self::related) by id.
    fn related_ids(&self, used: u32, declared: u32) -> bool {
        used == declared
            || self.ancestors[used as usize].contains(&declared)
            || self.ancestors[declared as usize].contains(&used)
    }

    /// The model a constant written in the code names, when only one can be meant:
    /// the model of that name, or the one model whose name ends with `::<written>`.
    fn lookup(&self, written: &str) -> Option<String> {
        let written = written.trim_start_matches("::");
        let last = written.rsplit("::").next().unwrap_or(written);
        let mut found = self
            .by_last
            .get(last)?
            .iter()
            .map(|&i| &self.names[i])
            .filter(|n| {
                *n == written
                    || n.strip_suffix(written)
                        .is_some_and(|head| head.ends_with("::"))
            });
        let first = found.next()?;
        found.next().is_none().then(|| first.clone())
    }

    /// Whether a use on `used` can reach a declaration of `declared`: the same
    /// class, or one inheriting from the other.
    fn related(&self, used: &str, declared: &str) -> bool {
        match (self.id(used), self.id(declared)) {
            (Some(u), Some(d)) => self.related_ids(u, d),
            // A name outside the hierarchy is related to itself only.
            _ => used == declared,
        }
    }
}

fn found_at(
    node: Node<'_>,
    src: &str,
    token: usize,
    model: Option<String>,
    kind: UseKind,
) -> Found {
    let span = ruby::Span::of(node, src);
    Found {
        token,
        line: span.line,
        column: span.column,
        model,
        kind,
    }
}

/// The token id of a name, after dropping a trailing `=`, `!` or `?`.
fn token_of(name: &str, tokens: &HashMap<String, usize>) -> Option<usize> {
    tokens.get(name).copied().or_else(|| {
        let trimmed = name.trim_end_matches(['=', '!', '?']);
        tokens.get(trimmed).copied()
    })
}

fn shorten(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        let cut: String = one_line.chars().take(57).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

// ------------------------------------------------------------------ the names

/// The names searched for in every file. When each is an identifier, optionally
/// ending in `?`, `!` or `=` (as association, scope and method names do), one pass
/// over the bytes looks every whole identifier up in a hash table, and the
/// identifier with the byte after it when that byte is such a suffix: no automaton
/// to build or to keep (one over the tens of thousands of names of a large app
/// takes over 100 MB as a DFA). Any other name set is searched with Aho-Corasick,
/// and the callers keep only whole-identifier matches, which the table gives by
/// construction.
enum Names {
    Idents {
        table: HashMap<Box<[u8]>, Vec<usize>, foldhash::fast::FixedState>,
        max_len: usize,
    },
    Automaton(AhoCorasick),
}

impl Names {
    fn new(patterns: &[&str]) -> Names {
        let identifiers = patterns.iter().all(|p| is_method_name(p.as_bytes()));
        if !identifiers {
            return Names::Automaton(
                AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                    .build(patterns)
                    .expect("literal patterns build an automaton"),
            );
        }
        let mut table: HashMap<Box<[u8]>, Vec<usize>, foldhash::fast::FixedState> =
            HashMap::with_hasher(foldhash::fast::FixedState::default());
        for (id, p) in patterns.iter().enumerate() {
            table.entry(p.as_bytes().into()).or_default().push(id);
        }
        let max_len = patterns.iter().map(|p| p.len()).max().unwrap_or(0);
        Names::Idents { table, max_len }
    }

    /// Every match as (start, end, pattern), in order of position.
    fn matches(&self, bytes: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        match self {
            Names::Automaton(ac) => {
                for m in ac.find_overlapping_iter(bytes) {
                    out.push((m.start(), m.end(), m.pattern().as_usize()));
                }
            }
            Names::Idents { .. } => self.each_ident_match(bytes, |start, end, ids| {
                out.extend(ids.iter().map(|&p| (start, end, p)));
                true
            }),
        }
        out
    }

    /// Whether any name occurs, as a whole identifier (the table) or anywhere (the
    /// automaton).
    fn is_match(&self, bytes: &[u8]) -> bool {
        match self {
            Names::Automaton(ac) => ac.is_match(bytes),
            Names::Idents { .. } => {
                let mut found = false;
                self.each_ident_match(bytes, |_, _, _| {
                    found = true;
                    false
                });
                found
            }
        }
    }

    /// Calls `f(start, end, patterns)` for each whole identifier that is a name,
    /// in order, while it returns true (the table only).
    fn each_ident_match(&self, bytes: &[u8], mut f: impl FnMut(usize, usize, &[usize]) -> bool) {
        let Names::Idents { table, max_len } = self else {
            return;
        };
        for word in words(bytes) {
            if word.len() <= *max_len {
                if let Some(ids) = table.get(&bytes[word.clone()]) {
                    if !f(word.start, word.end, ids) {
                        return;
                    }
                }
            }
            // `name?`, `name!` or `name=`, where the suffix is not the start of a
            // longer operator word (`name?x` is not the name `name?`).
            let end = word.end + 1;
            if word.len() < *max_len
                && matches!(bytes.get(word.end), Some(b'?' | b'!' | b'='))
                && !bytes.get(end).is_some_and(|&b| is_word_byte(b))
            {
                if let Some(ids) = table.get(&bytes[word.start..end]) {
                    if !f(word.start, end, ids) {
                        return;
                    }
                }
            }
        }
    }
}

/// Whether `name` is an identifier, optionally followed by one `?`, `!` or `=`.
fn is_method_name(name: &[u8]) -> bool {
    let stem = match name {
        [stem @ .., b'?' | b'!' | b'='] => stem,
        _ => name,
    };
    !stem.is_empty() && stem.iter().copied().all(is_word_byte)
}

// ------------------------------------------------------------------ Ruby, lexed

/// The first pass over a Ruby file: the names found by the multi-pattern search,
/// judged from the bytes around them.
struct Lexer<'a> {
    ac: &'a Names,
    /// Patterns from this index on are the send-like calls.
    send_pattern: usize,
    tokens: &'a HashMap<String, usize>,
    models: &'a ModelNames,
    /// The models each model file defines.
    file_models: &'a HashMap<&'a Path, Vec<&'a str>>,
    /// Per token: whether models outside one hierarchy declare it.
    shared: &'a [bool],
    /// Per token: whether it names a scope.
    scope_token: &'a [bool],
}

/// What a `send` on `self` (written or implied) in a file can reach.
enum SelfReach {
    /// One model's methods (a file that defines just that model).
    Model(String),
    /// Any model's (a concern, or a file defining several classes).
    Any,
    /// No model's: a controller, helper, job or view calls its own methods.
    None,
}

/// Whether the text after a name assigns to it: `= x` (not `==`, `=~`, `=>`), or an
/// operator assignment (`||=`, `+=`, ...).
fn assigns(after: &[u8]) -> bool {
    let after = after.trim_ascii_start();
    match after {
        [b'=', b'=' | b'~' | b'>', ..] => false,
        [b'=', ..] => true,
        [b'|', b'|', b'=', ..] | [b'&', b'&', b'=', ..] => true,
        [b'+' | b'-' | b'*' | b'/', b'=', ..] => true,
        _ => false,
    }
}

/// Which lines of a Ruby text can be read alone: those where every string, symbol
/// and regex literal closes on the line itself, so that none reaches into the next
/// one. A heredoc's lines (from the line that opens it to its terminator) cannot be
/// read alone, and the lines after its terminator can again; after a line that may
/// open a percent literal or `__END__` data, or that ends inside a quote, no line
/// can. Conservative: `x <<CONST` or `a %w b` count as literals, and an opener in a
/// comment or a string as well. Lines are examined in order, only as far as a
/// question needs.
struct ReadAlone<'a> {
    bytes: &'a [u8],
    /// The start of the first line not examined yet.
    examined: usize,
    /// The heredocs found so far, in order: each from the start of the line that
    /// opens it to the end of its terminator's line.
    heredocs: Vec<std::ops::Range<usize>>,
    /// The start of the first line from which no line can be read alone, once found.
    limit: Option<usize>,
}

impl<'a> ReadAlone<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        ReadAlone {
            bytes,
            examined: 0,
            heredocs: Vec::new(),
            limit: None,
        }
    }

    /// Whether the line that starts at `line_start` can be read alone.
    fn line(&mut self, line_start: usize) -> bool {
        while self.limit.is_none()
            && self.examined <= line_start
            && self.examined < self.bytes.len()
        {
            let start = self.examined;
            let end = line_end(self.bytes, start);
            self.examined = end + 1;
            match literals_past_end(&self.bytes[start..end]) {
                LineEnd::Closed => {}
                LineEnd::Open => self.limit = Some(start),
                LineEnd::Heredocs(openers) => match heredoc_end(self.bytes, end + 1, &openers) {
                    Some(after) => {
                        self.heredocs.push(start..after);
                        self.examined = after;
                    }
                    None => self.limit = Some(start),
                },
            }
        }
        if self.limit.is_some_and(|limit| line_start >= limit) {
            return false;
        }
        let i = self.heredocs.partition_point(|h| h.end <= line_start);
        self.heredocs.get(i).is_none_or(|h| line_start < h.start)
    }
}

/// The end of the line that starts at `start` (its `\n`, or the end of the text).
pub(crate) fn line_end(bytes: &[u8], start: usize) -> usize {
    memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i)
}

/// How a line's literals end.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LineEnd<'a> {
    /// All on the line.
    Closed,
    /// All on the line but these heredocs, whose bodies follow it in this order.
    Heredocs(Vec<Heredoc<'a>>),
    /// One may go on past the line for a reason only a parser can follow.
    Open,
}

/// A heredoc opener: `<<~ID`, `<<-ID`, `<<ID`, with the identifier maybe quoted.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Heredoc<'a> {
    id: &'a [u8],
    /// `~` or `-`: the terminator may be indented.
    indented: bool,
}

/// Whether a literal may go on after the end of this line: it starts `__END__`
/// data, may open a heredoc or a percent literal, or ends inside a quote.
pub(crate) fn literals_past_end(line: &[u8]) -> LineEnd<'_> {
    if line.starts_with(b"__END__") {
        return LineEnd::Open;
    }
    let mut heredocs = Vec::new();
    for at in memchr::memchr2_iter(b'<', b'%', line) {
        let next = line.get(at + 1).copied();
        if line[at] == b'%' {
            if next.is_some_and(|b| b"wWiIqQrsx([{<|!/".contains(&b)) {
                return LineEnd::Open;
            }
            continue;
        }
        let Some(&after) = line.get(at + 2).filter(|_| next == Some(b'<')) else {
            continue;
        };
        if !(matches!(after, b'~' | b'-' | b'"' | b'\'' | b'`' | b'_')
            || after.is_ascii_uppercase())
        {
            continue;
        }
        match heredoc_at(line, at + 2) {
            Some(h) => heredocs.push(h),
            None => return LineEnd::Open,
        }
    }
    if line_state(line).1 {
        return LineEnd::Open;
    }
    if heredocs.is_empty() {
        LineEnd::Closed
    } else {
        LineEnd::Heredocs(heredocs)
    }
}

/// The heredoc whose opener's text after `<<` starts at `at`, if it is one of the
/// plain forms (an identifier, or a quoted one without escapes).
fn heredoc_at(line: &[u8], mut at: usize) -> Option<Heredoc<'_>> {
    let indented = matches!(line.get(at), Some(b'~' | b'-'));
    if indented {
        at += 1;
    }
    let id = match *line.get(at)? {
        q @ (b'"' | b'\'' | b'`') => {
            let len = line[at + 1..].iter().position(|&b| b == q)?;
            let id = &line[at + 1..at + 1 + len];
            if id.is_empty() || id.iter().any(|&b| b == b'\\' || b >= 0x80) {
                return None;
            }
            id
        }
        b if b.is_ascii_alphabetic() || b == b'_' => {
            let len = line[at..]
                .iter()
                .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
                .count();
            if line.get(at + len).is_some_and(|&b| b >= 0x80) {
                return None;
            }
            &line[at..at + len]
        }
        _ => return None,
    };
    Some(Heredoc { id, indented })
}

/// The start of the line after the last terminator of `heredocs`, whose bodies
/// start at `from` one after the other; `None` when one is never closed.
pub(crate) fn heredoc_end(
    bytes: &[u8],
    mut from: usize,
    heredocs: &[Heredoc<'_>],
) -> Option<usize> {
    for h in heredocs {
        loop {
            if from >= bytes.len() {
                return None;
            }
            let end = line_end(bytes, from);
            let line = &bytes[from..end];
            from = end + 1;
            if terminates(line, h) {
                break;
            }
        }
    }
    Some(from.min(bytes.len()))
}

/// Whether `line` is `h`'s terminator, as Ruby reads one: the identifier at the end
/// of the line (before a `\r`), after nothing, or only white space if indented.
fn terminates(line: &[u8], h: &Heredoc<'_>) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = if h.indented {
        let blank = line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\r'))
            .count();
        &line[blank..]
    } else {
        line
    };
    line == h.id
}

/// Whether the end of a line's prefix is inside a comment, and inside a quote.
fn line_state(prefix: &[u8]) -> (bool, bool) {
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < prefix.len() {
        let b = prefix[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                // `?"` is a character literal, not a quote.
                b'"' | b'\'' | b'`' if !(i > 0 && prefix[i - 1] == b'?') => {
                    quote = Some(b);
                }
                b'#' if prefix.get(i + 1) != Some(&b'{') => return (true, false),
                _ => {}
            },
        }
        i += 1;
    }
    (false, quote.is_some())
}

/// The receiver before a `.` that ends at `dot`: a constant (`Post`, `Admin::Post`)
/// or anything else.
fn receiver_constant(bytes: &[u8], dot: usize) -> Option<&str> {
    let end = if dot > 0 && bytes[dot - 1] == b'&' {
        dot - 1
    } else {
        dot
    };
    let mut start = end;
    while start > 0 && (is_word_byte(bytes[start - 1]) || bytes[start - 1] == b':') {
        start -= 1;
    }
    let word = std::str::from_utf8(&bytes[start..end]).ok()?;
    let word = word.trim_start_matches(':');
    let last = word.rsplit("::").next()?;
    last.chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        .then_some(word)
}

/// Constants of Ruby and the frameworks whose methods never return a record:
/// `Rails.logger.public_send(level, msg)` cannot reach an association.
const NON_RECORD_ROOTS: &[&str] = &[
    "Rails",
    "I18n",
    "Time",
    "Date",
    "DateTime",
    "ActiveSupport",
    "JSON",
    "YAML",
    "ENV",
    "File",
    "Dir",
    "IO",
    "Kernel",
    "Math",
    "Logger",
    "URI",
    "Digest",
    "Base64",
    "SecureRandom",
    "Integer",
    "Float",
    "String",
    "Symbol",
    "Array",
    "Hash",
    "Set",
    "BigDecimal",
    "Rack",
    "Pathname",
    "Process",
    "Thread",
    "Benchmark",
];

/// Whether the receiver chain ending at the `.` before a call starts at a constant
/// that cannot yield a record (`Rails.logger`, `Time.zone`), or is `logger`.
fn non_record_receiver(bytes: &[u8], dot: usize) -> bool {
    let mut start = dot;
    while start > 0 && (is_word_byte(bytes[start - 1]) || matches!(bytes[start - 1], b':' | b'.')) {
        start -= 1;
    }
    let Ok(chain) = std::str::from_utf8(&bytes[start..dot]) else {
        return false;
    };
    let chain = chain.trim_start_matches(':');
    let root = chain.split(['.', ':']).next().unwrap_or("");
    NON_RECORD_ROOTS.contains(&root) || chain == "logger"
}

const DECLARATION_CALLS: &[&str] = &[
    "has_many",
    "has_one",
    "belongs_to",
    "has_and_belongs_to_many",
    "scope",
];

impl Lexer<'_> {
    fn self_reach(&self, rel: &Path) -> SelfReach {
        if let Some(models) = self.file_models.get(rel) {
            return match models.as_slice() {
                [one] => SelfReach::Model((*one).to_owned()),
                _ => SelfReach::Any,
            };
        }
        // Controllers, helpers, views, jobs, mailers and tests call their own
        // methods; anything else (concerns, lib modules, services) may be mixed into
        // a model.
        let own_methods = rel.components().any(|c| {
            matches!(
                c.as_os_str().to_str(),
                Some(
                    "controllers"
                        | "helpers"
                        | "views"
                        | "jobs"
                        | "mailers"
                        | "channels"
                        | "spec"
                        | "test"
                )
            )
        }) && !rel.components().any(|c| c.as_os_str() == "concerns");
        if own_methods {
            SelfReach::None
        } else {
            SelfReach::Any
        }
    }

    fn ruby(&self, src: &str, rel: &Path, decls: &HashSet<(u32, u32)>) -> FileRefs {
        let bytes = src.as_bytes();
        let mut out = FileRefs::default();
        let mut line_starts = vec![0usize];
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        // `=begin` ... `=end` blocks.
        let mut block_comments: Vec<(usize, usize)> = Vec::new();
        let mut open: Option<usize> = None;
        for &ls in &line_starts {
            let rest = &bytes[ls..];
            if open.is_none() && rest.starts_with(b"=begin") {
                open = Some(ls);
            } else if rest.starts_with(b"=end") {
                if let Some(o) = open.take() {
                    block_comments.push((o, ls));
                }
            }
        }
        if let Some(o) = open {
            block_comments.push((o, bytes.len()));
        }
        let decl_lines: HashSet<u32> = decls.iter().map(|(l, _)| *l).collect();
        let mut deferred: HashSet<usize> = HashSet::new();
        let mut read_alone = ReadAlone::new(bytes);
        for (start, end, pattern) in self.ac.matches(bytes) {
            if start > 0 && is_word_byte(bytes[start - 1]) {
                continue;
            }
            if end < bytes.len() && is_word_byte(bytes[end]) {
                continue;
            }
            if block_comments
                .iter()
                .any(|(a, b)| (*a..*b).contains(&start))
            {
                continue;
            }
            let line_index = line_starts.partition_point(|&ls| ls <= start) - 1;
            let line_start = line_starts[line_index];
            let line = line_index as u32 + 1;
            let (in_comment, in_quote) = line_state(&bytes[line_start..start]);
            if in_comment {
                // A `#` after a `/` or a `%` may sit in a regex or a percent literal
                // (`/\A#\h+/`, `%w[#fff]`), and one after an interpolation in a
                // string that nests quotes (`"#{f("#x")}"`), where what follows is
                // code.
                let before_hash = &bytes[line_start..start];
                let hash = before_hash.iter().rposition(|&b| b == b'#').unwrap_or(0);
                let before = &before_hash[..hash];
                if before.iter().any(|&b| matches!(b, b'/' | b'%'))
                    || memchr::memmem::find(before, b"#{").is_some()
                {
                    deferred.insert(pattern);
                }
                continue;
            }
            if pattern >= self.send_pattern {
                if !in_quote {
                    self.send(src, rel, start, end, line, line_start, &mut out);
                }
                continue;
            }
            let column = src
                .get(line_start..start)
                .map_or(1, |p| p.chars().count() as u32 + 1);
            let prev = start.checked_sub(1).map(|i| bytes[i]);
            let before_prev = start.checked_sub(2).map(|i| bytes[i]);
            let next = bytes.get(end).copied();
            let after_next = bytes.get(end + 1).copied();
            let found = |model: Option<String>, kind: UseKind| Found {
                token: pattern,
                line,
                column,
                model,
                kind,
            };
            if in_quote {
                let prefix = &bytes[line_start..start];
                // Whether the quote parity of this line can be trusted: it is read
                // alone, and nothing before the name (a regex, a percent literal, a
                // character literal, `$"`) can confuse it.
                let clean = read_alone.line(line_start)
                    && !prefix
                        .iter()
                        .any(|b| matches!(b, b'/' | b'%' | b'?' | b'<' | b'$'));
                // An exact string is a use: `"name"`, and on a clean line
                // `"name="`, `"name!"`, `"name?!"`... (the parser reads a string's
                // name without its trailing `=`, `!` and `?`). The quote before
                // the name must open the string, not sit in one written with the
                // other quote.
                let suffix = bytes[end..]
                    .iter()
                    .take_while(|b| matches!(b, b'=' | b'!' | b'?'))
                    .count();
                let exact = matches!(prev, Some(b'"' | b'\''))
                    && (suffix == 0 || clean)
                    && bytes.get(end + suffix).copied() == prev
                    && !line_state(&bytes[line_start..start - 1]).1;
                if exact {
                    out.found.push(found(None, UseKind::Name));
                } else if !(clean && memchr::memmem::find(prefix, b"#{").is_none()) {
                    // In an interpolation, or where the parity may be wrong: left
                    // to the parser. (Otherwise: text of a string, no use.)
                    deferred.insert(pattern);
                }
                continue;
            }
            match (prev, next) {
                // `@comment`, `@@comment`, `$comment`: a variable, never a use.
                (Some(b'@' | b'$'), _) => {}
                // `comment = ...` at the start of a statement: the variable's
                // definition, never a use.
                (_, Some(b' ' | b'\t' | b'=' | b'|' | b'&' | b'+' | b'-'))
                    if assigns(&bytes[end..])
                        && matches!(
                            bytes[line_start..start].trim_ascii_start(),
                            [] | [.., b'(']
                        ) => {}
                (Some(b'.'), _) if before_prev != Some(b'.') => {
                    match receiver_constant(bytes, start - 1) {
                        Some(c) => out.found.push(found(self.models.lookup(c), UseKind::Name)),
                        // `post.comments` where unrelated models share the name: the
                        // parser may know which model `post` holds.
                        None if self.shared[pattern] => {
                            deferred.insert(pattern);
                        }
                        None => out.found.push(found(None, UseKind::Name)),
                    }
                }
                (Some(b':'), _) if before_prev != Some(b':') => {
                    let line_text = &src[line_start..start - 1];
                    let declaring = decl_lines.contains(&line) && {
                        let before = line_text.trim_end().trim_end_matches('(').trim_end();
                        DECLARATION_CALLS.iter().any(|c| before.ends_with(c))
                    };
                    // `send(:name)`: recorded with its receiver by `send`.
                    let sent = {
                        let before = line_text.trim_end().trim_end_matches('(').trim_end();
                        ["send", "public_send", "__send__", "try", "try!"]
                            .iter()
                            .any(|c| before.ends_with(c))
                    };
                    if declaring || sent {
                        continue;
                    }
                    if mentions_non_reference_call(line_text) {
                        deferred.insert(pattern);
                    } else {
                        out.found.push(found(None, UseKind::Name));
                    }
                }
                (_, Some(b':')) if after_next != Some(b':') && prev != Some(b':') => {
                    out.found.push(found(None, UseKind::HashKey));
                    // Whether the key may name a scope needs the enclosing call.
                    if self.scope_token[pattern] {
                        deferred.insert(pattern);
                    }
                }
                // `comments.where(...)`: a bare name (a method of self, or a
                // variable, which the parser counts as a use too) receiving a call,
                // on a line whose text the line-level reading can be trusted for.
                (
                    Some(b' ' | b'\t' | b'(' | b'[' | b'{' | b'!' | b',' | b'=') | None,
                    Some(b'.'),
                ) if after_next.is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
                    && !bytes[line_start..start]
                        .iter()
                        .any(|b| matches!(b, b'/' | b'%' | b'?' | b'<'))
                    && read_alone.line(line_start) =>
                {
                    out.found.push(found(None, UseKind::Name));
                }
                _ => {
                    deferred.insert(pattern);
                }
            }
        }
        let mut deferred: Vec<usize> = deferred.into_iter().collect();
        deferred.sort_unstable();
        out.deferred = deferred;
        out
    }

    /// A send-like call found at `start..end`: a literal first argument is a use
    /// (of the receiver's model when it is a constant), anything else a dynamic call.
    #[allow(clippy::too_many_arguments)]
    fn send(
        &self,
        src: &str,
        rel: &Path,
        start: usize,
        end: usize,
        line: u32,
        line_start: usize,
        out: &mut FileRefs,
    ) {
        let bytes = src.as_bytes();
        let prev = start.checked_sub(1).map(|i| bytes[i]);
        // A method call: after a `.`, or at the start of an expression.
        let is_call = match prev {
            Some(b'.') => true,
            None => true,
            Some(b) => b.is_ascii_whitespace() || matches!(b, b'(' | b'=' | b'{' | b'|' | b';'),
        };
        if !is_call || src[line_start..start].trim_end().ends_with("def") {
            return;
        }
        let explicit_self = prev == Some(b'.')
            && src[line_start..start - 1].trim_end().ends_with("self")
            && !src[line_start..start - 1].trim_end().ends_with("_self");
        let model = if prev == Some(b'.') && non_record_receiver(bytes, start - 1) {
            Some(String::new())
        } else if prev == Some(b'.') && !explicit_self {
            receiver_constant(bytes, start - 1).and_then(|c| self.models.lookup(c))
        } else {
            match self.self_reach(rel) {
                SelfReach::Model(m) => Some(m),
                SelfReach::Any => None,
                // A dynamic call on a controller's or a view's self cannot reach a
                // model's association or scope (a literal one names it all the same).
                SelfReach::None => Some(String::new()),
            }
        };
        let mut i = end;
        if bytes.get(i) == Some(&b'!') {
            i += 1;
        }
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if bytes.get(i) == Some(&b'(') {
            i += 1;
            while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
        }
        let line_end = src[i.min(src.len())..]
            .find('\n')
            .map_or(src.len(), |n| i + n);
        let arg = &src[i.min(line_end)..line_end];
        let Some(first) = arg.bytes().next() else {
            return;
        };
        if matches!(first, b')' | b'.' | b',' | b'#' | b'}' | b']') {
            return;
        }
        let literal: Result<String, Vec<String>> = if let Some(rest) = arg.strip_prefix(':') {
            if let Some(quoted) = rest.strip_prefix('"') {
                quoted_name(quoted, '"')
            } else if rest.starts_with(|c: char| "[]+-*/%<>=!~^&|".contains(c)) {
                // An operator (`try(:[], id)`): a literal name, never an association's.
                Ok(rest
                    .chars()
                    .take_while(|c| "[]+-*/%<>=!~^&|@".contains(*c))
                    .collect())
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '?' | '!' | '='))
                    .collect();
                if name.is_empty() {
                    Err(Vec::new())
                } else {
                    Ok(name)
                }
            }
        } else if let Some(quoted) = arg.strip_prefix('"') {
            quoted_name(quoted, '"')
        } else if let Some(quoted) = arg.strip_prefix('\'') {
            quoted_name(quoted, '\'')
        } else {
            Err(Vec::new())
        };
        // A literal name on a non-model self is matched by name, as any call is.
        let model = model.filter(|m| !m.is_empty() || literal.is_err());
        match literal {
            Ok(name) => {
                if let Some(token) = token_of(&name, self.tokens) {
                    let column = src[line_start..i].chars().count() as u32 + 1;
                    out.found.push(Found {
                        token,
                        line,
                        column,
                        model,
                        kind: UseKind::Name,
                    });
                }
            }
            Err(_) if model.as_deref() == Some("") => {}
            Err(fragments) => {
                let call_start = if prev == Some(b'.') {
                    let mut s = start - 1;
                    while s > line_start && !bytes[s - 1].is_ascii_whitespace() {
                        s -= 1;
                    }
                    s
                } else {
                    start
                };
                let close = arg.find(')').map_or(line_end, |c| i + c + 1);
                out.dynamic.push(DynamicCall {
                    path: rel.to_path_buf(),
                    line,
                    text: shorten(&src[call_start..close.max(call_start)]),
                    fragments,
                    model,
                });
            }
        }
    }
}

/// The name in a quoted argument: `Ok(name)` when literal, `Err(fragments)` (its
/// literal parts) when it interpolates.
fn quoted_name(rest: &str, quote: char) -> Result<String, Vec<String>> {
    let close = rest.find(quote).unwrap_or(rest.len());
    let body = &rest[..close];
    if quote == '"' && body.contains("#{") {
        let mut fragments = Vec::new();
        let mut text = body;
        while let Some(open) = text.find("#{") {
            if open > 0 {
                fragments.push(text[..open].to_owned());
            }
            match text[open..].find('}') {
                Some(c) => text = &text[open + c + 1..],
                None => {
                    text = "";
                    break;
                }
            }
        }
        if !text.is_empty() {
            fragments.push(text.to_owned());
        }
        Err(fragments)
    } else {
        Ok(body.to_owned())
    }
}

/// Whether a line calls one of the methods whose symbols are not uses: one of
/// them as a word followed by a space or `(`.
fn mentions_non_reference_call(line: &str) -> bool {
    let bytes = line.as_bytes();
    words(bytes).any(|word| {
        matches!(bytes.get(word.end), Some(b' ' | b'('))
            && line
                .get(word)
                .is_some_and(|w| NON_REFERENCE_CALLS.contains(&w))
    })
}

// ------------------------------------------------------------------------- Ruby

fn scan_ruby(
    src: &str,
    rel: &Path,
    decls: &HashSet<(u32, u32)>,
    tokens: &HashMap<String, usize>,
    models: &ModelNames,
) -> FileRefs {
    match ruby::parse(src) {
        Some(tree) => scan_tree(&tree, src, rel, decls, tokens, models, &|_| true).0,
        None => FileRefs::default(),
    }
}

/// [`scan_ruby`] for the names `wanted` accepts: the uses of other names may be
/// missing. The method bodies (of the shape [`skim`](crate::skim) finds) that hold
/// no wanted name as a word are left out of the parse; the whole file is parsed
/// when the skimmed parse has an error, or when a variable whose model a use's
/// receiver takes may be assigned or bound in a skipped body (a variable's model is
/// decided by every assignment in the file).
fn scan_ruby_wanted(
    src: &str,
    rel: &Path,
    decls: &HashSet<(u32, u32)>,
    tokens: &HashMap<String, usize>,
    models: &ModelNames,
    wanted: impl Fn(&str) -> bool,
) -> FileRefs {
    let receivers = likely_receivers(src, &wanted);
    let bodies = crate::skim::bodies_where(src, Bodies::MethodsAndBlocks, |_, body| {
        !words(body.as_bytes()).any(|w| wanted(&body[w]))
            && !receivers.iter().any(|v| may_bind(body, v))
    });
    if !bodies.is_empty() {
        let ranges = crate::skim::included_ranges(src, &bodies);
        if let Some(tree) = ruby::parse_ranges(src, &ranges) {
            if !tree.root_node().has_error() {
                let (refs, receivers) = scan_tree(&tree, src, rel, decls, tokens, models, &wanted);
                let bound_in_skipped = receivers
                    .iter()
                    .any(|v| bodies.iter().any(|b| may_bind(&src[b.clone()], v)));
                if !bound_in_skipped {
                    return refs;
                }
            }
        }
    }
    scan_ruby(src, rel, decls, tokens, models)
}

/// The variables written before `.` or `&.` and a wanted name or a send-like call
/// (`@post.comments`, `post&.send`): the receivers a use most likely has, whose
/// assignments must be parsed wherever they are.
fn likely_receivers<'s>(src: &'s str, wanted: &impl Fn(&str) -> bool) -> Vec<&'s str> {
    let bytes = src.as_bytes();
    let mut out: Vec<&str> = Vec::new();
    for w in words(bytes) {
        let word = &src[w.clone()];
        if !(wanted(word) || SEND_CALLS.contains(&word)) {
            continue;
        }
        let before = &bytes[..w.start];
        let Some(dot) = before
            .strip_suffix(b"&.")
            .or_else(|| before.strip_suffix(b"."))
        else {
            continue;
        };
        let start = dot.len() - dot.iter().rev().take_while(|&&b| is_word_byte(b)).count();
        let start = start - usize::from(start > 0 && dot[start - 1] == b'@');
        if start < dot.len() {
            let var = &src[start..dot.len()];
            if !out.contains(&var) {
                out.push(var);
            }
        }
    }
    out
}

/// Compares [`scan_ruby_wanted`] with the whole parse on one file, for several sets
/// of wanted names drawn from the file's own words (every word is a name looked for;
/// every capitalised one a model). Returns the bytes of the bodies without a wanted
/// name, summed over the sets, or the first difference. For the differential tests and the `skim_check` example.
#[doc(hidden)]
pub fn skimmed_scan_differences(src: &str) -> Result<usize, String> {
    let bytes = src.as_bytes();
    let mut tokens: HashMap<String, usize> = HashMap::new();
    let mut constants: Vec<String> = Vec::new();
    for w in words(bytes) {
        let word = &src[w];
        if word.starts_with(|c: char| c.is_ascii_uppercase()) {
            constants.push(word.to_owned());
        } else if word.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
            let next = tokens.len();
            tokens.entry(word.to_owned()).or_insert(next);
        }
    }
    constants.sort();
    constants.dedup();
    let models = ModelNames::from_parts(constants, HashMap::new());
    let path = Path::new("x.rb");
    let decls = HashSet::new();
    let whole = scan_ruby(src, path, &decls, &tokens, &models).found;
    let mut skipped = 0;
    for (modulus, seed) in [(3, 1), (11, 2), (31, 5), (97, 11)] {
        let pick = |word: &str| {
            tokens
                .get(word)
                .is_some_and(|_| word_hash(word.as_bytes()) % modulus == seed)
        };
        let bodies = crate::skim::bodies_where(src, Bodies::MethodsAndBlocks, |_, body| {
            !words(body.as_bytes()).any(|w| pick(&body[w]))
        });
        skipped += bodies.iter().map(|b| b.len()).sum::<usize>();
        let names: HashMap<usize, &str> = tokens.iter().map(|(k, v)| (*v, k.as_str())).collect();
        let keep = |found: &[Found]| -> Vec<String> {
            found
                .iter()
                .filter(|f| pick(names[&f.token]))
                .map(|f| {
                    format!(
                        "{}:{}:{} {} {:?} {:?}",
                        f.line, f.column, names[&f.token], f.token, f.model, f.kind
                    )
                })
                .collect()
        };
        let a = keep(&scan_ruby_wanted(src, path, &decls, &tokens, &models, pick).found);
        let b = keep(&whole);
        if a != b {
            let first = a.iter().zip(&b).find(|(x, y)| x != y).map_or_else(
                || format!("{} uses skimmed, {} whole", a.len(), b.len()),
                |(x, y)| format!("skimmed {x}, whole {y}"),
            );
            return Err(format!("names with hash % {modulus} == {seed}: {first}"));
        }
    }
    Ok(skipped)
}

/// Compares the lexer's reading of one file (phase 1) with the parser's: every use
/// the parser finds must be found by the lexer or have its name deferred to the
/// parser, or the name would look unused where it is not. (The other way the lexer
/// over-approximates by design: `x.name` in a heredoc, a keyword parameter, are
/// uses to it.) Every word of the file but keywords is a name looked for. For the differential
/// tests and the `skim_check` example; `path` decides how far `send` on self reaches.
#[doc(hidden)]
pub fn lexer_differences(src: &str, path: &Path) -> Result<(), String> {
    let bytes = src.as_bytes();
    let mut names: Vec<&str> = words(bytes)
        .map(|w| &src[w])
        .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase() || c == '_'))
        // Keywords (`self.x`, `super.x`) name no association or scope.
        .filter(|w| !ruby::KEYWORDS.contains(w))
        .collect();
    names.sort_unstable();
    names.dedup();
    let tokens: HashMap<String, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_string(), i))
        .collect();
    let mut patterns = names.clone();
    let send_pattern = patterns.len();
    patterns.extend(SEND_WORDS);
    let ac = Names::new(&patterns);
    let models = ModelNames::from_parts(Vec::new(), HashMap::new());
    let file_models = HashMap::new();
    let shared = vec![false; names.len()];
    let scope_token = vec![false; names.len()];
    let lexer = Lexer {
        ac: &ac,
        send_pattern,
        tokens: &tokens,
        models: &models,
        file_models: &file_models,
        shared: &shared,
        scope_token: &scope_token,
    };
    let decls = HashSet::new();
    let lexed = lexer.ruby(src, path, &decls);
    let parsed = scan_ruby(src, path, &decls, &tokens, &models);
    let at = |f: &Found| (f.token, f.line, f.column);
    let lexed_at: HashSet<(usize, u32, u32)> = lexed.found.iter().map(at).collect();
    let deferred: HashSet<usize> = lexed.deferred.iter().copied().collect();
    for f in &parsed.found {
        if !lexed_at.contains(&at(f)) && !deferred.contains(&f.token) {
            // The lexer may have found the same name elsewhere on the line.
            if !lexed
                .found
                .iter()
                .any(|l| l.token == f.token && l.line == f.line)
            {
                return Err(format!(
                    "line {} column {}: the parser finds `{}`, the lexer neither finds nor defers it",
                    f.line, f.column, names[f.token]
                ));
            }
        }
    }
    Ok(())
}

/// Whether `body` may assign or bind the variable `var` (`post`, `@post`): an
/// occurrence of it as a name, not after `.`, followed by what can follow a
/// variable being bound (`=`, `op=`, `,`, `|`, `)`, `:`). Over-approximate.
fn may_bind(body: &str, var: &str) -> bool {
    let bytes = body.as_bytes();
    let (ivar, name) = match var.strip_prefix('@') {
        Some(n) => (true, n),
        None => (false, var),
    };
    for range in words(bytes) {
        if &body[range.clone()] != name {
            continue;
        }
        let before = bytes[..range.start].last().copied();
        let is_ivar = before == Some(b'@');
        if is_ivar != ivar || matches!(before, Some(b'.')) {
            continue;
        }
        if !ivar && matches!(before, Some(b':')) {
            continue;
        }
        let after = body[range.end..].trim_start_matches([' ', '\t']).as_bytes();
        let assigns = match after {
            [b'=', b'=' | b'~' | b'>', ..] => false,
            [b'=' | b',' | b'|' | b')' | b':', ..] => true,
            [a, b'=', ..] if b"+-*/%|&^<>".contains(a) => true,
            [a, b, b'=', ..] if b"*|&<>".contains(a) && a == b => true,
            _ => false,
        };
        if assigns {
            return true;
        }
    }
    false
}

/// The uses in a parsed file, and the variables (local or instance) whose model the
/// receiver of a use of a `wanted` name, or of a send-like call, took.
fn scan_tree<'s>(
    tree: &tree_sitter::Tree,
    src: &'s str,
    rel: &Path,
    decls: &HashSet<(u32, u32)>,
    tokens: &HashMap<String, usize>,
    models: &ModelNames,
    wanted: &dyn Fn(&str) -> bool,
) -> (FileRefs, Vec<&'s str>) {
    let mut out = FileRefs::default();
    let mut receivers: Vec<&'s str> = Vec::new();
    let root = tree.root_node();
    let vars = typed_variables(root, src, models);
    let receiver_model = |receiver: Option<Node<'_>>, receivers: &mut Vec<&'s str>| {
        let r = receiver?;
        match r.kind() {
            "constant" | "scope_resolution" => models.lookup(ruby::text(r, src)),
            "identifier" | "instance_variable" => {
                let name = ruby::text(r, src);
                receivers.push(name);
                vars.get(name).cloned().flatten()
            }
            _ => None,
        }
    };
    let mut skip: HashSet<usize> = HashSet::new();
    for node in ruby::preorder(root) {
        match node.kind() {
            "call" => {
                let Some(method) = node.child_by_field_name("method") else {
                    continue;
                };
                let name = ruby::text(method, src);
                let receiver = node.child_by_field_name("receiver");
                let token = token_of(name, tokens);
                let send = SEND_CALLS.contains(&name);
                let model = if send
                    || token.is_some_and(|_| wanted(name.trim_end_matches(['=', '!', '?'])))
                {
                    receiver_model(receiver, &mut receivers)
                } else {
                    // Not looked for: the use is dropped whatever its model.
                    token.and_then(|_| receiver_model(receiver, &mut Vec::new()))
                };
                if let Some(token) = token {
                    out.found
                        .push(found_at(method, src, token, model.clone(), UseKind::Name));
                }
                let at = (
                    node.start_position().row as u32 + 1,
                    ruby::char_column(src, node.start_byte()),
                );
                let declaration = decls.contains(&at);
                if !(declaration || send) {
                    continue;
                }
                let first_arg = node.child_by_field_name("arguments").and_then(|args| {
                    let mut c = args.walk();
                    let first = args.named_children(&mut c).next();
                    first
                });
                if declaration {
                    if let Some(arg) = first_arg {
                        skip.insert(arg.id());
                    }
                }
                if send {
                    if let Some(arg) = first_arg {
                        send_target(arg, node, src, rel, model, tokens, &mut out);
                        // Recorded there, with the receiver's model.
                        skip.insert(arg.id());
                    }
                }
            }
            "identifier" => {
                let Some(token) = token_of(ruby::text(node, src), tokens) else {
                    continue;
                };
                let parent = node.parent();
                let is_method = parent.is_some_and(|p| {
                    p.kind() == "call"
                        && p.child_by_field_name("method")
                            .is_some_and(|m| m.id() == node.id())
                });
                let is_definition = parent.is_some_and(|p| {
                    p.kind().ends_with("parameters")
                        || p.kind().ends_with("_parameter")
                        || (matches!(p.kind(), "assignment" | "operator_assignment")
                            && p.child_by_field_name("left")
                                .is_some_and(|l| l.id() == node.id()))
                        || (p.kind() == "method"
                            && p.child_by_field_name("name")
                                .is_some_and(|n| n.id() == node.id()))
                });
                if is_method || is_definition {
                    continue;
                }
                out.found
                    .push(found_at(node, src, token, None, UseKind::Name));
            }
            "simple_symbol" | "hash_key_symbol" | "bare_symbol" | "delimited_symbol" => {
                let text = ruby::text(node, src);
                let name = text
                    .trim_start_matches(':')
                    .trim_end_matches(':')
                    .trim_matches('"')
                    .trim_matches('\'');
                let Some(token) = token_of(name, tokens) else {
                    continue;
                };
                if skip.contains(&node.id()) || in_non_reference_call(node, src) {
                    continue;
                }
                if node.kind() == "delimited_symbol" && has_interpolation(node) {
                    continue;
                }
                // A key of a hash given to a call that takes columns (`where`,
                // `create`, `order`...) names a column or an association, not a
                // scope; any other hash key (`filter ..., arguments: { recent: true }`)
                // may name a scope too.
                let kind = if node.kind() == "hash_key_symbol" && in_column_call(node, src) {
                    UseKind::HashKey
                } else {
                    UseKind::Name
                };
                out.found.push(found_at(node, src, token, None, kind));
            }
            "string" | "bare_string" => {
                if skip.contains(&node.id()) || has_interpolation(node) {
                    continue;
                }
                let text = ruby::text(node, src);
                let content = text
                    .strip_prefix('"')
                    .and_then(|t| t.strip_suffix('"'))
                    .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
                    .unwrap_or(text);
                if let Some(token) = token_of(content, tokens) {
                    out.found
                        .push(found_at(node, src, token, None, UseKind::Name));
                }
            }
            _ => {}
        }
    }
    (out, receivers)
}

/// Calls whose hash arguments are keyed by columns or associations.
const COLUMN_CALLS: &[&str] = &[
    "where",
    "rewhere",
    "not",
    "find_by",
    "find_by!",
    "find_or_create_by",
    "find_or_create_by!",
    "find_or_initialize_by",
    "create_or_find_by",
    "create",
    "create!",
    "new",
    "build",
    "update",
    "update!",
    "update_columns",
    "update_column",
    "assign_attributes",
    "attributes=",
    "order",
    "reorder",
    "exists?",
    "create_with",
    "insert",
    "insert_all",
    "upsert",
    "upsert_all",
    "in_order_of",
    "validates",
    "default_scope",
    "scope",
    "increment!",
    "decrement!",
    "touch",
    "enum",
];

/// Whether a hash key sits in the arguments of a column-taking call.
fn in_column_call(node: Node<'_>, src: &str) -> bool {
    let mut current = node.parent();
    for _ in 0..8 {
        let Some(n) = current else { return false };
        if n.kind() == "call" {
            return n
                .child_by_field_name("method")
                .is_some_and(|m| COLUMN_CALLS.contains(&ruby::text(m, src)));
        }
        current = n.parent();
    }
    false
}

fn has_interpolation(node: Node<'_>) -> bool {
    let mut c = node.walk();
    let found = node.children(&mut c).any(|ch| ch.kind() == "interpolation");
    found
}

/// Whether a symbol is a positional argument of a call that names no association
/// (`resources :comments`, `params.require(:post)`).
fn in_non_reference_call(node: Node<'_>, src: &str) -> bool {
    let Some(args) = node.parent().filter(|p| p.kind() == "argument_list") else {
        return false;
    };
    args.parent().is_some_and(|call| {
        call.kind() == "call"
            && call
                .child_by_field_name("method")
                .is_some_and(|m| NON_REFERENCE_CALLS.contains(&ruby::text(m, src)))
    })
}

/// The first argument of a `send`-like call: a literal name is a use (typed by the
/// receiver), anything else a dynamic call.
fn send_target(
    arg: Node<'_>,
    call: Node<'_>,
    src: &str,
    rel: &Path,
    model: Option<String>,
    tokens: &HashMap<String, usize>,
    out: &mut FileRefs,
) {
    let literal = match arg.kind() {
        "simple_symbol" => Some(ruby::text(arg, src).trim_start_matches(':').to_owned()),
        "string" | "delimited_symbol" if !has_interpolation(arg) => {
            let mut c = arg.walk();
            let content: String = arg
                .children(&mut c)
                .filter(|ch| ch.kind() == "string_content")
                .map(|ch| ruby::text(ch, src))
                .collect();
            Some(content)
        }
        _ => None,
    };
    match literal {
        Some(name) => {
            if let Some(token) = token_of(&name, tokens) {
                out.found
                    .push(found_at(arg, src, token, model, UseKind::Name));
            }
        }
        None => {
            let fragments = if matches!(arg.kind(), "string" | "delimited_symbol") {
                let mut c = arg.walk();
                let parts: Vec<String> = arg
                    .children(&mut c)
                    .filter(|ch| ch.kind() == "string_content")
                    .map(|ch| ruby::text(ch, src).to_owned())
                    .filter(|s| !s.is_empty())
                    .collect();
                parts
            } else {
                Vec::new()
            };
            out.dynamic.push(DynamicCall {
                path: rel.to_path_buf(),
                line: ruby::line(call),
                text: shorten(ruby::text(call, src)),
                fragments,
                model,
            });
        }
    }
}

/// Variables (local and instance) whose every assignment in the file is a finder on
/// one model (`post = Post.find(params[:id])`): `Some(model)`; `None` for those
/// assigned anything else, or bound as a parameter.
fn typed_variables(
    root: Node<'_>,
    src: &str,
    models: &ModelNames,
) -> HashMap<String, Option<String>> {
    let mut vars: HashMap<String, Option<String>> = HashMap::new();
    let mut bind = |name: &str, model: Option<String>| {
        vars.entry(name.to_owned())
            .and_modify(|m| {
                if *m != model {
                    *m = None;
                }
            })
            .or_insert(model);
    };
    for node in ruby::preorder(root) {
        match node.kind() {
            "assignment" | "operator_assignment" => {
                let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) else {
                    continue;
                };
                if matches!(left.kind(), "identifier" | "instance_variable") {
                    bind(ruby::text(left, src), finder_model(right, src, models));
                }
            }
            // Parameters: their identifiers, directly or in a default/keyword/splat.
            k if k.ends_with("parameters") => {
                let mut c = node.walk();
                for child in node.named_children(&mut c) {
                    let name = if child.kind() == "identifier" {
                        Some(child)
                    } else if child.kind().ends_with("_parameter") {
                        child.child_by_field_name("name")
                    } else {
                        None
                    };
                    if let Some(n) = name {
                        bind(ruby::text(n, src), None);
                    }
                }
            }
            _ => {}
        }
    }
    vars
}

/// `Post.find(...)`, `Post.where(...).first`, `Post.new`: the model of the record.
fn finder_model(node: Node<'_>, src: &str, models: &ModelNames) -> Option<String> {
    if node.kind() != "call" {
        return None;
    }
    let outer = ruby::text(node.child_by_field_name("method")?, src);
    if !RECORD_FINDERS.contains(&outer) {
        return None;
    }
    let mut receiver = node.child_by_field_name("receiver")?;
    while receiver.kind() == "call" {
        let m = ruby::text(receiver.child_by_field_name("method")?, src);
        if !RELATION_CHAIN.contains(&m) {
            return None;
        }
        receiver = receiver.child_by_field_name("receiver")?;
    }
    match receiver.kind() {
        "constant" | "scope_resolution" => models.lookup(ruby::text(receiver, src)),
        _ => None,
    }
}

// -------------------------------------------------------------------- templates

/// A piece of Ruby taken out of a template, with the line it starts on.
struct Code {
    line: u32,
    text: String,
}

/// The Ruby of `<% %>` and `<%= %>` tags (not `<%# %>` comments).
fn erb_code(src: &str) -> Vec<Code> {
    let mut out = Vec::new();
    let mut rest = 0;
    // The line of `counted`, counted from the previous tag's, not from the top.
    let (mut counted, mut line) = (0, 1u32);
    while let Some(open) = src[rest..].find("<%") {
        let start = rest + open + 2;
        let Some(close) = src[start..].find("%>") else {
            break;
        };
        let end = start + close;
        let inner = &src[start..end];
        rest = end + 2;
        if inner.starts_with('%') {
            // `<%%` is a literal `<%`.
            continue;
        }
        if inner.starts_with('#') {
            continue;
        }
        let code = inner
            .trim_start_matches(['=', '-'])
            .trim_end_matches('-')
            .to_owned();
        line += memchr::memchr_iter(b'\n', &src.as_bytes()[counted..start]).count() as u32;
        counted = start;
        out.push(Code { line, text: code });
    }
    out
}

/// `#{...}` interpolations of a text line.
fn interpolations(text: &str, line: u32, out: &mut Vec<Code>) {
    let mut rest = text;
    while let Some(i) = rest.find("#{") {
        let after = &rest[i + 2..];
        let mut depth = 1;
        let mut end = after.len();
        for (j, ch) in after.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(Code {
            line,
            text: after[..end].to_owned(),
        });
        rest = &after[end.min(after.len())..];
    }
}

/// A line inside an indented block (a Haml filter, a Slim `ruby:` block or comment)
/// that started at indentation `base`: its Ruby (`ruby: true`) or its text's
/// interpolations go to `out`. Returns false, and ends the block, on the first line
/// back at the block's indentation.
fn continues_block(
    block: &mut Option<(usize, bool)>,
    t: &str,
    indent: usize,
    line: u32,
    out: &mut Vec<Code>,
) -> bool {
    let Some((base, ruby)) = *block else {
        return false;
    };
    if !t.is_empty() && indent <= base {
        *block = None;
        return false;
    }
    if ruby {
        out.push(Code {
            line,
            text: t.to_owned(),
        });
    } else {
        interpolations(t, line, out);
    }
    true
}

/// The Ruby of a Haml template: `=`/`-`/`~` lines, tag attributes and the code
/// after a tag's `=`, interpolations and `:ruby` filters.
fn haml_code(src: &str) -> Vec<Code> {
    let mut out = Vec::new();
    let mut filter_indent: Option<(usize, bool)> = None;
    for (i, raw) in src.lines().enumerate() {
        let line = i as u32 + 1;
        let t = raw.trim_start();
        let indent = raw.len() - t.len();
        if continues_block(&mut filter_indent, t, indent, line, &mut out) {
            continue;
        }
        if t.starts_with("-#") || t.starts_with("/") {
            continue;
        }
        if let Some(filter) = t.strip_prefix(':') {
            filter_indent = Some((indent, filter.trim() == "ruby"));
            continue;
        }
        if let Some(code) = ["!=", "&=", "=", "-", "~"]
            .iter()
            .find_map(|p| t.strip_prefix(p))
        {
            out.push(Code {
                line,
                text: code.to_owned(),
            });
            continue;
        }
        if t.starts_with('%') || t.starts_with('.') || (t.starts_with('#') && !t.starts_with("#{"))
        {
            let tag_end = t
                .find(|c: char| !(c.is_alphanumeric() || "%.#-_:".contains(c)))
                .unwrap_or(t.len());
            let mut rest = &t[tag_end..];
            while let Some(open) = rest.chars().next().filter(|c| "{([".contains(*c)) {
                let close = match open {
                    '{' => '}',
                    '(' => ')',
                    _ => ']',
                };
                let mut depth = 0;
                let mut end = rest.len();
                for (j, ch) in rest.char_indices() {
                    if ch == open {
                        depth += 1;
                    } else if ch == close {
                        depth -= 1;
                        if depth == 0 {
                            end = j + 1;
                            break;
                        }
                    }
                }
                out.push(Code {
                    line,
                    text: rest[1..end.saturating_sub(1).max(1)].to_owned(),
                });
                rest = &rest[end..];
            }
            let rest = rest.trim_start_matches(['<', '>', '/']);
            let trimmed = rest.trim_start();
            if let Some(code) = ["!=", "&=", "=", "~"]
                .iter()
                .find_map(|p| trimmed.strip_prefix(p))
            {
                out.push(Code {
                    line,
                    text: code.to_owned(),
                });
            } else {
                interpolations(rest, line, &mut out);
            }
            continue;
        }
        interpolations(t, line, &mut out);
    }
    out
}

/// The Ruby of a Slim template: `-`/`=` lines, attribute values, the code after a
/// tag's `=`, interpolations and `ruby:` blocks.
fn slim_code(src: &str) -> Vec<Code> {
    let mut out = Vec::new();
    let mut block: Option<(usize, bool)> = None;
    for (i, raw) in src.lines().enumerate() {
        let line = i as u32 + 1;
        let t = raw.trim_start();
        let indent = raw.len() - t.len();
        if continues_block(&mut block, t, indent, line, &mut out) {
            continue;
        }
        if t.starts_with('/') {
            block = Some((indent, false));
            continue;
        }
        if t == "ruby:" {
            block = Some((indent, true));
            continue;
        }
        if t.ends_with(':') && !t.contains(' ') {
            // javascript:, css:, markdown: filters.
            block = Some((indent, false));
            continue;
        }
        if let Some(code) = ["==", "=", "-"].iter().find_map(|p| t.strip_prefix(p)) {
            out.push(Code {
                line,
                text: code.to_owned(),
            });
            continue;
        }
        if t.starts_with('|') || t.starts_with('\'') || t.starts_with('<') {
            interpolations(t, line, &mut out);
            continue;
        }
        // A tag: `a href=post_path(post) title="x" = post.title` or `p text`.
        let tag_end = t
            .find(|c: char| !(c.is_alphanumeric() || ".#-_:".contains(c)))
            .unwrap_or(t.len());
        let mut rest = t[tag_end..].trim_start();
        loop {
            if let Some(code) = ["==", "="].iter().find_map(|p| rest.strip_prefix(p)) {
                out.push(Code {
                    line,
                    text: code.to_owned(),
                });
                break;
            }
            let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = &rest[..word_end];
            match word.split_once('=') {
                Some((name, value))
                    if !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_alphanumeric() || "-_:".contains(c)) =>
                {
                    out.push(Code {
                        line,
                        text: value.to_owned(),
                    });
                    rest = rest[word_end..].trim_start();
                    if rest.is_empty() {
                        break;
                    }
                }
                _ => {
                    interpolations(rest, line, &mut out);
                    break;
                }
            }
        }
    }
    out
}

/// Reads identifiers, symbols and name-like strings out of template Ruby.
fn scan_template(
    code: &[Code],
    _rel: &Path,
    tokens: &HashMap<String, usize>,
    models: &ModelNames,
) -> FileRefs {
    let mut out = FileRefs::default();
    for piece in code {
        let mut line = piece.line;
        let chars: Vec<char> = piece.text.chars().collect();
        let mut i = 0;
        // The last two significant tokens, for `Constant.method`.
        let mut prev_const: Option<String> = None;
        let mut prev_dot = false;
        let mut callee: Option<String> = None;
        while i < chars.len() {
            let c = chars[i];
            if c == '\n' {
                line += 1;
                i += 1;
                continue;
            }
            if c == '#' && chars.get(i + 1) != Some(&'{') {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            if c == '"' || c == '\'' {
                let quote = c;
                let mut j = i + 1;
                let mut content = String::new();
                while j < chars.len() && chars[j] != quote {
                    if chars[j] == '\\' {
                        j += 1;
                    }
                    if let Some(ch) = chars.get(j) {
                        content.push(*ch);
                    }
                    j += 1;
                }
                if let Some(token) = token_of(&content, tokens) {
                    out.found.push(Found {
                        token,
                        line,
                        column: 0,
                        model: None,
                        kind: UseKind::Name,
                    });
                }
                if quote == '"' && content.contains("#{") {
                    let mut inner = Vec::new();
                    interpolations(&content, line, &mut inner);
                    let nested = scan_template(&inner, _rel, tokens, models);
                    out.found.extend(nested.found);
                }
                line += content.matches('\n').count() as u32;
                i = j + 1;
                prev_const = None;
                prev_dot = false;
                continue;
            }
            if c.is_alphabetic() || c == '_' {
                let mut j = i;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                let mut word: String = chars[i..j].iter().collect();
                // `A::B`
                while chars.get(j) == Some(&':') && chars.get(j + 1) == Some(&':') {
                    let mut k = j + 2;
                    while k < chars.len() && (chars[k].is_alphanumeric() || chars[k] == '_') {
                        k += 1;
                    }
                    if k == j + 2 {
                        break;
                    }
                    word.push_str("::");
                    word.extend(&chars[j + 2..k]);
                    j = k;
                }
                let symbol = i > 0 && chars[i - 1] == ':' && (i < 2 || chars[i - 2] != ':');
                let hash_key = chars.get(j) == Some(&':') && chars.get(j + 1) != Some(&':');
                // `t(:title)`, `render :form`: a symbol that names no association.
                let excluded = symbol
                    && callee
                        .as_deref()
                        .is_some_and(|c| NON_REFERENCE_CALLS.contains(&c));
                if c.is_uppercase() {
                    prev_const = Some(word);
                    prev_dot = false;
                    callee = None;
                } else {
                    let model = if prev_dot {
                        prev_const.as_deref().and_then(|c| models.lookup(c))
                    } else {
                        None
                    };
                    if let (Some(token), false) = (token_of(&word, tokens), excluded) {
                        out.found.push(Found {
                            token,
                            line,
                            column: 0,
                            model,
                            kind: if hash_key {
                                UseKind::HashKey
                            } else {
                                UseKind::Name
                            },
                        });
                    }
                    prev_const = None;
                    prev_dot = false;
                    // A word followed by `(` or a space may be a call taking what
                    // comes next as its arguments.
                    callee = match chars.get(j) {
                        Some('(') | Some(' ') if !symbol => Some(word),
                        _ => None,
                    };
                }
                i = j;
                if chars.get(i) == Some(&'(') {
                    i += 1;
                }
                continue;
            }
            if c == '.' {
                prev_dot = true;
                callee = None;
            } else if c == ':' {
                // The start of a symbol: keep the callee for it.
            } else if !c.is_whitespace() {
                prev_const = None;
                prev_dot = false;
                callee = None;
            }
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(names: &[&str]) -> HashMap<String, usize> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), i))
            .collect()
    }

    /// The numbers (from 1) of the lines that can be read alone.
    fn lines_read_alone(text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        let mut read_alone = ReadAlone::new(bytes);
        let mut out = Vec::new();
        let mut start = 0;
        let mut n = 1;
        while start < bytes.len() {
            if read_alone.line(start) {
                out.push(n);
            }
            start += memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| i + 1);
            n += 1;
        }
        out
    }

    #[test]
    fn lines_after_a_heredoc_terminator_are_read_alone() {
        // Squiggly, dash and plain heredocs; quoted identifiers; the terminator's
        // indentation only where allowed.
        assert_eq!(lines_read_alone("a\nx = <<~SQL\n  b\n  SQL\nc\n"), [1, 5]);
        assert_eq!(
            lines_read_alone("x = <<-'EOS'.strip\n b\n\tEOS\r\nc\n"),
            [4]
        );
        assert_eq!(lines_read_alone("x = <<EOS\n  EOS\nEOS\nc\n"), [4]);
        assert_eq!(lines_read_alone("f(<<~\"A B\", 1)\nx\nA B\ny\n"), [4]);
        // Two bodies after one line, one after the other.
        assert_eq!(lines_read_alone("f(<<~A, <<~B)\nB\nA\nx\nB\nz\n"), [6]);
        // A line equal to the identifier only counts when nothing trails it.
        assert_eq!(lines_read_alone("x = <<~A\n  A \n  A\nok\n"), [4]);
        // Never terminated, or an opener in a comment with no terminator after it:
        // nothing more is read alone.
        assert_eq!(lines_read_alone("a\nx = <<~A\nb\n"), [1]);
        assert_eq!(lines_read_alone("a # <<~TODO\nb\nc\n"), Vec::<usize>::new());
        // Forms a parser is needed for: an escaped or unusual identifier, a percent
        // literal, an open quote, `__END__`.
        assert_eq!(
            lines_read_alone("x = <<~\"A\\\"\"\nA\nb\n"),
            Vec::<usize>::new()
        );
        assert_eq!(lines_read_alone("x = <<-1\n1\nb\n"), Vec::<usize>::new());
        assert_eq!(lines_read_alone("a\nx = <<~A %w[y\nA\nz]\nb\n"), [1]);
        // `class << self` and a shift by a variable open nothing.
        assert_eq!(lines_read_alone("class << self\nx << y\n"), [1, 2]);
    }

    /// The start of the first line that cannot be read alone (the length if none).
    fn lines_read_alone_until(bytes: &[u8]) -> usize {
        let mut read_alone = ReadAlone::new(bytes);
        let mut start = 0;
        while start < bytes.len() {
            if !read_alone.line(start) {
                return start;
            }
            start += memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| i + 1);
        }
        bytes.len()
    }

    #[test]
    fn lines_before_a_multi_line_literal_are_read_alone() {
        let text = b"a = 1\nb = \"x\"\nsql = <<~SQL\n  x.y\nSQL\n";
        assert_eq!(lines_read_alone_until(text), 14, "the heredoc's line on");
        assert_eq!(lines_read_alone_until(b"a\nb = %w[x\ny]\n"), 2);
        assert_eq!(lines_read_alone_until(b"a\nb = 'x\ny'\n"), 2);
        assert_eq!(lines_read_alone_until(b"a\n__END__\nz.y\n"), 2);
        assert_eq!(lines_read_alone_until(b"__END__\n"), 0);
        let plain = b"a = 1\nb.c # <<~ not in a comment\n";
        // Conservative: an opener in a comment still ends the lines read alone.
        assert_eq!(lines_read_alone_until(plain), 6);
        assert_eq!(lines_read_alone_until(b"a = b.c\n"), 8);
    }

    #[test]
    fn a_bare_call_outside_heredocs_is_a_use() {
        let inputs = LexerInputs::new(&["front_page", "hidden"]);
        let (lexer, toks) = (inputs.lexer(), inputs.toks.clone());
        let src = "class Story < ApplicationRecord\n  scope :x, -> { where.not(id: front_page.ids) }\n  def text\n    <<~SQL\n      hidden.ids\n    SQL\n  end\n  def y\n    (hidden.ids)\n  end\nend\n";
        let refs = lexer.ruby(src, Path::new("app/models/story.rb"), &HashSet::new());
        // Before the heredoc and after its terminator: settled from the bytes.
        // Inside it: only the parser can tell code from text.
        assert_eq!(
            found(&refs, &toks),
            [("front_page".into(), 2, None), ("hidden".into(), 9, None)]
        );
        assert_eq!(refs.deferred, [toks["hidden"]]);
        lexer_differences(src, Path::new("app/models/story.rb")).unwrap();
    }

    #[test]
    fn string_text_is_no_use_where_quotes_can_be_trusted() {
        let inputs = LexerInputs::new(&["used", "hidden", "title", "pinned", "voted"]);
        let (lexer, toks) = (inputs.lexer(), inputs.toks.clone());
        let lex = |src: &str| {
            lexer_differences(src, Path::new("app/models/hat.rb")).unwrap();
            lexer.ruby(src, Path::new("app/models/hat.rb"), &HashSet::new())
        };
        // Text before any interpolation: settled as no use, nothing deferred.
        let refs = lex("m.action = \"used #{hat.name} hat\"\n");
        assert!(
            refs.found.is_empty() && refs.deferred.is_empty(),
            "{:?}",
            refs.deferred
        );
        // In an interpolation, or after one: the parser decides.
        let refs = lex("m.action = \"#{hat.name} #{hidden}\"\n");
        assert_eq!(refs.deferred, [toks["hidden"]]);
        // An exact string, with a writer's `=`: a use.
        let refs = lex("describe \"title=\" do\nend\nsort = 'pinned'\n");
        assert_eq!(
            found(&refs, &toks),
            [("pinned".into(), 3, None), ("title".into(), 1, None)]
        );
        // A double quote inside a single-quoted string opens nothing.
        let refs = lex("html = '<a \"voted\">'\n");
        assert!(refs.found.is_empty());
        assert_eq!(refs.deferred, [toks["voted"]]);
        // Inside a heredoc, quotes cannot be trusted line by line; after its
        // terminator they can again.
        let refs = lex("x = <<~TXT\n  \"used by #{z}\"\nTXT\n");
        assert_eq!(refs.deferred, [toks["used"]]);
        let refs = lex("x = <<~TXT\n  a\nTXT\ny = \"used by #{z}\"\n");
        assert!(refs.deferred.is_empty(), "{:?}", refs.deferred);
    }

    #[test]
    fn name_table_finds_what_the_automaton_finds_as_whole_names() {
        // Names ending in `?`, `!` or `=` are looked up in the table too; its
        // matches are the automaton's whole-identifier matches.
        let patterns = [
            "mod_preload?",
            "mod_preload",
            "save!",
            "title=",
            "posts",
            "send",
        ];
        let table = Names::new(&patterns);
        assert!(matches!(table, Names::Idents { .. }));
        let automaton = Names::Automaton(
            AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .build(patterns)
                .unwrap(),
        );
        let text = b"Post.mod_preload?.posts\nx.mod_preload?x\namod_preload? save!! \
                     y.title = 1; y.title==2; title=; posts?; send(:posts) save!=";
        let whole = |m: &[(usize, usize, usize)]| -> Vec<(usize, usize, usize)> {
            m.iter()
                .copied()
                .filter(|&(s, e, _)| {
                    (s == 0 || !is_word_byte(text[s - 1]))
                        && (e == text.len() || !is_word_byte(text[e]))
                })
                .collect()
        };
        let found = table.matches(text);
        assert_eq!(found, whole(&automaton.matches(text)));
        let names: Vec<&str> = found.iter().map(|m| patterns[m.2]).collect();
        assert_eq!(
            names,
            [
                "mod_preload",
                "mod_preload?",
                "posts",
                "mod_preload",
                "save!",
                "title=",
                "title=",
                "posts",
                "send",
                "posts",
                "save!"
            ]
        );
        // A name that is not an identifier at all still takes the automaton.
        assert!(matches!(Names::new(&["a-b"]), Names::Automaton(_)));
    }

    fn no_models() -> ModelNames {
        ModelNames::from_parts(vec!["Article".into(), "Post".into()], HashMap::new())
    }

    /// What a lexer for `names` needs (no name shared by unrelated models, none a
    /// scope), the send-like calls searched for after them.
    struct LexerInputs {
        ac: Names,
        toks: HashMap<String, usize>,
        models: ModelNames,
        file_models: HashMap<&'static Path, Vec<&'static str>>,
        flags: Vec<bool>,
    }

    impl LexerInputs {
        fn new(names: &[&str]) -> LexerInputs {
            let mut patterns = names.to_vec();
            patterns.extend(SEND_WORDS);
            LexerInputs {
                ac: Names::new(&patterns),
                toks: tokens(names),
                models: no_models(),
                file_models: HashMap::new(),
                flags: vec![false; names.len()],
            }
        }

        fn lexer(&self) -> Lexer<'_> {
            Lexer {
                ac: &self.ac,
                send_pattern: self.flags.len(),
                tokens: &self.toks,
                models: &self.models,
                file_models: &self.file_models,
                shared: &self.flags,
                scope_token: &self.flags,
            }
        }
    }

    fn found(refs: &FileRefs, toks: &HashMap<String, usize>) -> Vec<(String, u32, Option<String>)> {
        let names: HashMap<usize, &String> = toks.iter().map(|(k, v)| (*v, k)).collect();
        let mut v: Vec<_> = refs
            .found
            .iter()
            .map(|f| (names[&f.token].clone(), f.line, f.model.clone()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn skimmed_search_keeps_the_bodies_that_type_a_receiver() {
        let toks = tokens(&["comments", "tags"]);
        let src = r#"class PostsController
  def set_post
    # the finder that decides the model of @post
    @post = Post.find(params[:id])
  end

  def index
    @posts = Post.all.to_a
    render json: @posts.map(&:title).join(", ")
  end

  def show
    @post.comments
  end
end
"#;
        let whole = scan_ruby(src, Path::new("x.rb"), &HashSet::new(), &toks, &no_models());
        let wanted = |w: &str| w == "comments";
        let skimmed = scan_ruby_wanted(
            src,
            Path::new("x.rb"),
            &HashSet::new(),
            &toks,
            &no_models(),
            wanted,
        );
        let expected = vec![("comments".to_string(), 13, Some("Post".to_string()))];
        assert_eq!(found(&whole, &toks), expected);
        assert_eq!(found(&skimmed, &toks), expected);
        // `index` holds neither the name nor an assignment of `@post`: it is skipped;
        // `set_post` assigns `@post`: it is parsed.
        let receivers = likely_receivers(src, &wanted);
        assert_eq!(receivers, vec!["@post"]);
        let bodies = crate::skim::bodies_where(src, Bodies::MethodsAndBlocks, |_, body| {
            !body.contains("comments") && !receivers.iter().any(|v| may_bind(body, v))
        });
        assert_eq!(bodies.len(), 1);
        assert!(src[bodies[0].clone()].contains("@posts = "));
    }

    #[test]
    fn what_may_bind_a_variable() {
        for (body, var) in [
            ("  post = x", "post"),
            ("  post ||= x", "post"),
            ("  post += 1", "post"),
            ("  a, post = x", "post"),
            ("  items.each { |post| post }", "post"),
            ("  items.each_with_index { |post, i| }", "post"),
            ("  @post = x", "@post"),
            ("  @post ||= x", "@post"),
            ("  @post <<= x", "@post"),
        ] {
            assert!(may_bind(body, var), "{body} binds {var}");
        }
        for (body, var) in [
            ("  x.post = 1", "post"),
            ("  post == x", "post"),
            ("  post.save", "post"),
            ("  @post = x", "post"),
            ("  post = x", "@post"),
            ("  :post => 1", "post"),
            ("  posts = x", "post"),
            ("  @post.title = 1", "@post"),
        ] {
            assert!(!may_bind(body, var), "{body} does not bind {var}");
        }
    }

    #[test]
    fn ruby_uses_and_non_uses() {
        let toks = tokens(&["comments", "tags", "author", "published", "notes", "drafts"]);
        let src = r#"class PostsController
  before_action :tags
  def show
    # comments are shown below
    @post = Post.find(params[:id])
    @post.comments
    params.require(:notes)
    Article.published
    Post.includes(author: :drafts)
  end
end
"#;
        let refs = scan_ruby(src, Path::new("x.rb"), &HashSet::new(), &toks, &no_models());
        assert_eq!(
            found(&refs, &toks),
            [
                ("author".into(), 9, None),
                ("comments".into(), 6, Some("Post".into())),
                ("drafts".into(), 9, None),
                ("published".into(), 8, Some("Article".into())),
            ]
        );
    }

    #[test]
    fn declarations_name_argument_is_skipped() {
        let toks = tokens(&["comments", "posts"]);
        let src = "class Post\n  has_many :comments, through: :posts\nend\n";
        let decls: HashSet<(u32, u32)> = [(2, 3)].into_iter().collect();
        let refs = scan_ruby(src, Path::new("x.rb"), &decls, &toks, &no_models());
        assert_eq!(found(&refs, &toks), [("posts".into(), 2, None)]);
    }

    #[test]
    fn dynamic_sends_keep_their_literal_parts() {
        let toks = tokens(&["comments"]);
        let src = "x.public_send(attr)\ny.send(\"#{name}_ids\")\nz.send(:comments)\n";
        let refs = scan_ruby(src, Path::new("x.rb"), &HashSet::new(), &toks, &no_models());
        assert_eq!(refs.dynamic.len(), 2);
        assert!(refs.dynamic[0].fragments.is_empty());
        assert_eq!(refs.dynamic[1].fragments, ["_ids"]);
        assert!(refs.dynamic[1].may_name("comment_ids"));
        assert!(!refs.dynamic[1].may_name("comments"));
        assert_eq!(found(&refs, &toks), [("comments".into(), 3, None)]);
    }

    #[test]
    fn lexed_sends_literal_operator_and_computed() {
        let inputs = LexerInputs::new(&["comments"]);
        let (lexer, toks) = (inputs.lexer(), inputs.toks.clone());
        let src = "votes.try(:[], id)\nPost.public_send(:comments)\nrecord.send(\"#{k}_ids\")\n# x.send(y)\n";
        let refs = lexer.ruby(src, Path::new("lib/x.rb"), &HashSet::new());
        assert_eq!(refs.dynamic.len(), 1, "{:?}", refs.dynamic);
        assert_eq!(refs.dynamic[0].fragments, ["_ids"]);
        assert_eq!(
            found(&refs, &toks),
            [("comments".into(), 2, Some("Post".into()))]
        );
        // In a controller, a computed send on self reaches no model.
        let refs = lexer.ruby(
            "send(step)\n",
            Path::new("app/controllers/a.rb"),
            &HashSet::new(),
        );
        assert!(refs.dynamic.is_empty());
    }

    #[test]
    fn the_lexer_finds_or_defers_what_the_parser_finds() {
        let src = r##"class Color
  validates :code, format: { with: /\A#[0-9a-f]{6}\z/, message: 'bad' }
  %w[red #fff].each { |c| paint(c) }
  def label
    "#{t("x", link: "#note-#{indice}")}"
  end
  def recent
    @comment = comments.where(x: 1)
    comment = @comment.first
    $comment = comment
    comments.first
  end
end
"##;
        lexer_differences(src, Path::new("app/models/color.rb")).unwrap();
        // Without the checks for a `#` in a regex, a percent literal or a nested
        // interpolation, `message`, `paint` and `indice` would be read as comments.
        let inputs = LexerInputs::new(&["message", "paint", "indice", "comment", "comments"]);
        let (lexer, toks) = (inputs.lexer(), inputs.toks.clone());
        let refs = lexer.ruby(src, Path::new("app/models/color.rb"), &HashSet::new());
        let deferred: Vec<usize> = refs.deferred.clone();
        for name in ["message", "paint", "indice"] {
            assert!(
                deferred.contains(&toks[name]),
                "{name} deferred: {deferred:?}"
            );
        }
        // A percent literal in the file: its lines cannot be read alone.
        assert!(deferred.contains(&toks["comments"]));
        // Without one, `@comment`, `$comment` and `comment = ...` are variables; the
        // bare `comments.where` and `comments.first` are certain uses; `comment` is
        // deferred only for its read in `$comment = comment`.
        let plain = src.replace("%w[red #fff]", "COLORS");
        lexer_differences(&plain, Path::new("app/models/color.rb")).unwrap();
        let refs = lexer.ruby(&plain, Path::new("app/models/color.rb"), &HashSet::new());
        let expected = ["message", "paint", "indice", "comment"].map(|n| toks[n]);
        assert_eq!(refs.deferred, expected);
        let lines: Vec<u32> = refs
            .found
            .iter()
            .filter(|f| f.token == toks["comments"])
            .map(|f| f.line)
            .collect();
        assert_eq!(lines, [8, 11]);
    }

    #[test]
    fn parameters_make_a_variable_untyped() {
        let toks = tokens(&["comments"]);
        let src = "def a(post)\n  post.comments\nend\ndef b\n  post = Post.find(1)\nend\n";
        let refs = scan_ruby(src, Path::new("x.rb"), &HashSet::new(), &toks, &no_models());
        assert_eq!(found(&refs, &toks), [("comments".into(), 2, None)]);
    }

    #[test]
    fn erb_takes_tags_not_html_or_comments() {
        let toks = tokens(&["comments", "tags", "notes"]);
        let src = "<p>comments</p>\n<%# tags %>\n<%= post.notes.size %>\n";
        let refs = scan_template(&erb_code(src), Path::new("x.erb"), &toks, &no_models());
        assert_eq!(found(&refs, &toks), [("notes".into(), 3, None)]);
    }

    #[test]
    fn haml_and_slim_code() {
        let toks = tokens(&["comments", "tags", "notes", "title", "popular"]);
        let haml =
            "%p comments\n= post.tags.size\n%a{href: post.notes}= Post.popular.count\n-# title\n";
        let refs = scan_template(&haml_code(haml), Path::new("x.haml"), &toks, &no_models());
        assert_eq!(
            found(&refs, &toks),
            [
                ("notes".into(), 3, None),
                ("popular".into(), 3, Some("Post".into())),
                ("tags".into(), 2, None),
            ]
        );
        let slim = "p comments\n= post.tags.size\na href=post.notes = post.title\n/ popular\n";
        let refs = scan_template(&slim_code(slim), Path::new("x.slim"), &toks, &no_models());
        assert_eq!(
            found(&refs, &toks),
            [
                ("notes".into(), 3, None),
                ("tags".into(), 2, None),
                ("title".into(), 3, None),
            ]
        );
    }
}

#[cfg(test)]
mod erb_regression {
    use super::*;

    #[test]
    fn block_opened_in_one_tag() {
        let toks: HashMap<String, usize> = [("not_permitted".to_string(), 0)].into_iter().collect();
        let models = ModelNames::from_parts(vec!["Tag".into()], HashMap::new());
        let src = "(<% Tag.not_permitted.pluck(:tag).map { |t| %><%= link_to t, tag_path(t) %> <%- } %>).\n";
        let code = erb_code(src);
        let refs = scan_template(&code, Path::new("x.erb"), &toks, &models);
        assert_eq!(
            refs.found.len(),
            1,
            "{:?}",
            code.iter().map(|c| &c.text).collect::<Vec<_>>()
        );
        assert_eq!(refs.found[0].model.as_deref(), Some("Tag"));
    }

    #[test]
    fn tags_keep_their_lines() {
        let src =
            "<h1><%= a %></h1>\n\n<% b.each do |x| %>\n  <%# c %><%= d\n  %> <%= e %>\n<% end %>\n";
        let code = erb_code(src);
        let lines: Vec<(u32, &str)> = code.iter().map(|c| (c.line, c.text.trim())).collect();
        assert_eq!(
            lines,
            [
                (1, "a"),
                (3, "b.each do |x|"),
                (4, "d"),
                (5, "e"),
                (6, "end")
            ]
        );
    }
}
