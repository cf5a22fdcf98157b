//! A deterministic generator of synthetic Rails monoliths, for benchmarking fullscan.
//!
//! `generate(root, models, seed)` writes a Rails 7.1 application with `models`
//! ActiveRecord models (namespaced models with `table_name_prefix`, STI subclasses,
//! concerns, polymorphic and `:through` associations, scopes and uniqueness
//! validations), a `db/schema.rb` that matches them exactly (with some indexes left
//! out on purpose), and about ten other files per model that use them: controllers,
//! ERB / Haml / Slim / Jbuilder views, services, jobs, queries, serializers, rake
//! tasks, specs and factories, plus plain-Ruby filler (helpers, presenters, policies,
//! form objects, mailers).
//!
//! About 5% of the associations (named `legacy_*`, `previous_*`, `original_*`,
//! `imported_*`, `mirrored_*`) and 10% of the scopes (named from `UNUSED_SCOPES`)
//! are referenced nowhere; a few associations (`sample_*`) and scopes are used only
//! under `spec/`.
//!
//! Everything is derived from the seed through a splitmix64 generator; collections
//! are vectors and B-trees, iterated in a fixed order, so the same `(models, seed)`
//! always gives a byte-identical tree. Only `std` is used.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What `generate` wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Every file written.
    pub files: usize,
    /// `.rb` and `.rake` files.
    pub ruby_files: usize,
    /// `.erb`, `.haml`, `.slim` and `.jbuilder` files.
    pub template_files: usize,
    /// The total size of the files.
    pub bytes: u64,
}

/// Writes a synthetic Rails app with `models` models into `root` (which must not exist
/// or be empty), deterministically from `seed`: the same (models, seed) gives
/// byte-identical trees.
pub fn generate(root: &Path, models: usize, seed: u64) -> io::Result<GenStats> {
    if root.exists() && (!root.is_dir() || fs::read_dir(root)?.next().is_some()) {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not an empty directory", root.display()),
        ));
    }
    fs::create_dir_all(root)?;
    let app = App::build(models, seed);
    let mut out = Out {
        root: root.to_path_buf(),
        dirs: BTreeSet::new(),
        stats: GenStats::default(),
    };
    app.emit(&mut out)?;
    Ok(out.stats)
}

// ------------------------------------------------------------------------- output

struct Out {
    root: PathBuf,
    dirs: BTreeSet<PathBuf>,
    stats: GenStats,
}

impl Out {
    fn file(&mut self, rel: &str, content: &str) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            if !self.dirs.contains(parent) {
                fs::create_dir_all(parent)?;
                self.dirs.insert(parent.to_path_buf());
            }
        }
        let mut f = io::BufWriter::with_capacity(64 * 1024, fs::File::create(&path)?);
        f.write_all(content.as_bytes())?;
        f.flush()?;
        self.stats.files += 1;
        self.stats.bytes += content.len() as u64;
        if rel.ends_with(".rb") || rel.ends_with(".rake") {
            self.stats.ruby_files += 1;
        } else if rel.ends_with(".erb")
            || rel.ends_with(".haml")
            || rel.ends_with(".slim")
            || rel.ends_with(".jbuilder")
        {
            self.stats.template_files += 1;
        }
        Ok(())
    }
}

/// Ruby source with indentation.
struct W {
    s: String,
    ind: usize,
    /// The last line written opened a body (no blank line right after it).
    opened: bool,
}

impl W {
    fn new() -> W {
        W {
            s: String::with_capacity(4096),
            ind: 0,
            opened: false,
        }
    }
    fn l(&mut self, line: &str) {
        self.opened = false;
        if line.is_empty() {
            self.s.push('\n');
            return;
        }
        for _ in 0..self.ind {
            self.s.push_str("  ");
        }
        self.s.push_str(line);
        self.s.push('\n');
    }
    fn ls(&mut self, lines: &[String]) {
        for l in lines {
            self.l(l);
        }
    }
    fn open(&mut self, line: &str) {
        self.l(line);
        self.ind += 1;
        self.opened = true;
    }
    fn close(&mut self) {
        self.ind -= 1;
        self.l("end");
    }
    fn blank(&mut self) {
        if !self.opened && !self.s.is_empty() && !self.s.ends_with("\n\n") {
            self.s.push('\n');
        }
    }
    fn finish(self) -> String {
        self.s
    }
}

// -------------------------------------------------------------------------- PRNG

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// splitmix64, with independent streams per purpose and index so that one part of
/// the app does not shift the random choices of another.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64, idx: u64) -> Rng {
        Rng(mix(
            seed ^ mix(stream.wrapping_mul(0x0100_0000_01B3) ^ mix(idx))
        ))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn pick_str(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

// Streams.
const S_NAMES: u64 = 1;
const S_MODEL: u64 = 2;
const S_ASSOC: u64 = 3;
const S_POLY: u64 = 4;
const S_CONCERN: u64 = 5;
const S_EXTRA: u64 = 6;
const S_SCOPE: u64 = 7;
const S_INDEX: u64 = 8;
const S_PLAN: u64 = 9;
const S_FILE: u64 = 10;
const S_MISC: u64 = 11;

// --------------------------------------------------------------------- vocabulary

const ONSETS: &[&str] = &[
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "fr", "gr",
    "kr", "pr", "tr", "st", "sk", "sp", "bl", "gl", "kl", "pl",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "a", "e", "i", "o", "a"];
const INNER_CODAS: &[&str] = &["n", "r", "l", "s", "m", "k"];
const FINAL_CODAS: &[&str] = &["n", "l", "r", "d", "k", "t", "m", "p", "g"];

/// Constants a model must not be called (Ruby, Rails and gems).
const BLACKLIST: &[&str] = &[
    "Random",
    "Rational",
    "Process",
    "Signal",
    "Kernel",
    "Marshal",
    "Struct",
    "Module",
    "Symbol",
    "String",
    "Integer",
    "Float",
    "Array",
    "Binding",
    "Method",
    "Object",
    "Thread",
    "Fiber",
    "Mutex",
    "Monitor",
    "Logger",
    "Digest",
    "Timeout",
    "Benchmark",
    "Delegator",
    "Pathname",
    "Rails",
    "Bundler",
    "Minitest",
    "Nokogiri",
    "Sidekiq",
    "Zeitwerk",
    "Tempfile",
    "Ripper",
    "Coverage",
    "Resolv",
    "Socket",
    "Comparable",
    "Enumerable",
    "Enumerator",
    "Encoding",
    "Complex",
    "Numeric",
    "Range",
    "Regexp",
    "Queue",
    "Ractor",
    "Warning",
    "Record",
    "Model",
    "Application",
    "Concern",
    "Kaminari",
    "Pundit",
    "Erubi",
    "Loofah",
    "Builder",
    "Marcel",
    "Globalid",
    "Tilt",
    "Temple",
    "Psych",
    "Prime",
    "Matrix",
    "Vector",
    "Tracer",
    "Sorted",
    "Date",
    "Time",
    "Data",
    "File",
    "Hash",
    "Proc",
    "Rack",
    "Mail",
    "Haml",
    "Slim",
    "Arel",
    "Faker",
    "Debug",
    "Reline",
    "Stringio",
    "Racc",
    "Thor",
    "Puma",
    "Rake",
    "Gem",
];

/// Lowercase names no model may take: Ruby keywords, Kernel and Rails methods,
/// the acronyms of the inflections, and the generator's own local variables.
const RESERVED_WORDS: &[&str] = &[
    "api",
    "sso",
    "csv",
    "begin",
    "super",
    "defined",
    "false",
    "true",
    "until",
    "while",
    "undef",
    "rescue",
    "retry",
    "return",
    "yield",
    "break",
    "elsif",
    "ensure",
    "alias",
    "format",
    "print",
    "printf",
    "sprintf",
    "system",
    "sleep",
    "raise",
    "catch",
    "throw",
    "select",
    "trap",
    "abort",
    "spawn",
    "caller",
    "lambda",
    "binding",
    "require",
    "loop",
    "table",
    "limit",
    "valid",
    "frozen",
    "target",
    "parent",
    "delete",
    "update",
    "reload",
    "errors",
    "display",
    "public",
    "private",
    "inspect",
    "freeze",
    "touch",
    "destroy",
    "render",
    "session",
    "request",
    "response",
    "flash",
    "cookies",
    "logger",
    "helper",
    "name",
    "title",
    "status",
    "kind",
    "record",
    "item",
    "value",
    "params",
    "user",
    "scope",
    "other",
    "child",
    "label",
    "notes",
    "token",
    "slug",
    "preloaded",
    "siblings",
    "names",
    "relation",
    "payload",
    "classes",
    "parts",
    "slice",
    "index",
    "filters",
    "whole",
    "fraction",
    "options",
    "level",
    "text",
    "email",
    "query",
    "term",
    "model",
    "models",
    "order",
    "group",
    "count",
    "first",
    "second",
    "third",
    "local",
    "global",
    "default",
];

const NAMESPACES: &[&str] = &[
    "Billing",
    "Inventory",
    "Reporting",
    "Identity",
    "Logistics",
    "Support",
    "Catalog",
    "Compliance",
    "Payroll",
    "Marketing",
];

const APP_NAMES: &[&str] = &["Monolith", "Atlas", "Harbor", "Juniper", "Meridian"];

/// (role, has_many prefix, custom foreign key stem)
const ROLES: &[(&str, &str, &str)] = &[
    ("author", "authored", "written_by"),
    ("owner", "owned", "owned_by"),
    ("creator", "created", "created_by"),
    ("reviewer", "reviewed", "reviewed_by"),
    ("assignee", "assigned", "assigned_to"),
    ("approver", "approved", "approved_by"),
    ("sender", "sent", "sent_by"),
    ("recipient", "received", "received_by"),
    ("manager", "managed", "managed_by"),
    ("buyer", "bought", "bought_by"),
    ("seller", "sold", "sold_by"),
    ("sponsor", "sponsored", "sponsored_by"),
    ("editor", "edited", "edited_by"),
    ("requester", "requested", "requested_by"),
    ("supervisor", "supervised", "supervised_by"),
    ("curator", "curated", "curated_by"),
    ("inspector", "inspected", "inspected_by"),
    ("operator", "operated", "operated_by"),
];

const POLY_NAMES: &[&str] = &[
    "commentable",
    "taggable",
    "attachable",
    "notable",
    "reviewable",
    "likeable",
    "followable",
    "subscribable",
    "reportable",
    "rateable",
    "shareable",
    "bookmarkable",
    "flaggable",
    "votable",
    "watchable",
    "mentionable",
    "linkable",
    "pinnable",
    "annotatable",
    "schedulable",
    "billable",
    "assignable",
    "recordable",
    "measurable",
    "locatable",
    "favoritable",
    "embeddable",
    "redeemable",
];

/// Status values, used as scope names and in `where(status: ...)`.
const STATUSES: &[&str] = &[
    "active",
    "pending",
    "approved",
    "rejected",
    "published",
    "archived",
    "featured",
    "expired",
    "confirmed",
    "cancelled",
    "completed",
    "scheduled",
    "verified",
    "paused",
    "flagged",
    "processing",
];

/// Names of scopes that nothing uses.
const UNUSED_SCOPES: &[&str] = &[
    "dormant",
    "abandoned",
    "legacy_ordered",
    "legacy_visible",
    "untouched",
    "obsolete",
    "pre_migration",
    "superseded",
    "unreviewed_legacy",
    "v1_sorted",
];

/// Names of scopes only specs use.
const TEST_SCOPES: &[&str] = &["seeded", "sampled", "fixture_ordered"];

/// Prefixes of associations nothing uses.
const UNUSED_PREFIXES: &[&str] = &["legacy", "previous", "original", "imported", "mirrored"];
/// Prefix of associations only specs use.
const TEST_PREFIX: &str = "sample";

const SERVICE_KINDS: &[&str] = &[
    "Importer",
    "Exporter",
    "Synchronizer",
    "Archiver",
    "Notifier",
    "Reconciler",
    "Summary",
    "Cleanup",
    "Builder",
    "Calculator",
];
const JOB_KINDS: &[&str] = &["Sync", "Cleanup", "Reindex", "Digest", "Export", "Expire"];
const MAILER_ACTIONS: &[&str] = &["status_changed", "weekly_digest", "reminder", "receipt"];
const DOMAIN_WORDS: &[&str] = &[
    "Invoice", "Order", "Account", "Project", "Ticket", "Report", "Asset", "Shipment", "Contract",
    "Campaign", "Vendor", "Payment", "Member", "Product", "Course", "Event", "Listing", "Booking",
    "Claim", "Policy",
];
const UTIL_WORDS: &[&str] = &[
    "Currency",
    "Duration",
    "Phone",
    "Address",
    "Percentage",
    "Slug",
    "Timezone",
    "Csv",
    "Color",
    "Markdown",
    "Filename",
    "Checksum",
];

/// A concern's scope: name, body, and (params key, example) of its argument.
type ConcernScope = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
);

/// A candidate scope: name, body, argument, and the column it filters on.
type ScopeCandidate = (String, String, Option<(String, String)>, Option<String>);

/// Plain concerns: name, column (name, type, options), scope (name, body, arg), a
/// uniqueness validation, and instance methods.
struct PlainConcern {
    name: &'static str,
    col: Option<(&'static str, &'static str, &'static str)>,
    scope: Option<ConcernScope>,
    validation: Option<&'static str>,
    methods: &'static [&'static str],
}

const PLAIN_CONCERNS: &[PlainConcern] = &[
    PlainConcern {
        name: "Archivable",
        col: Some(("archived_at", "datetime", "")),
        scope: Some(("unarchived", "-> { where(archived_at: nil) }", None)),
        validation: None,
        methods: &[
            "def archive!",
            "  update!(archived_at: Time.current)",
            "end",
            "",
            "def archived?",
            "  archived_at.present?",
            "end",
        ],
    },
    PlainConcern {
        name: "SoftDeletable",
        col: Some(("deleted_at", "datetime", "")),
        scope: Some(("kept", "-> { where(deleted_at: nil) }", None)),
        validation: None,
        methods: &[
            "def soft_delete!",
            "  update_columns(deleted_at: Time.current, updated_at: Time.current)",
            "end",
            "",
            "def deleted?",
            "  deleted_at.present?",
            "end",
        ],
    },
    PlainConcern {
        name: "Publishable",
        col: Some(("published_at", "datetime", "")),
        scope: Some(("live", "-> { where.not(published_at: nil) }", None)),
        validation: None,
        methods: &[
            "def publish!(at: Time.current)",
            "  update!(published_at: at)",
            "end",
            "",
            "def live?",
            "  published_at.present? && published_at <= Time.current",
            "end",
        ],
    },
    PlainConcern {
        name: "Positionable",
        col: Some(("position", "integer", ", default: 0, null: false")),
        scope: Some(("by_position", "-> { order(:position) }", None)),
        validation: None,
        methods: &[
            "def move_to(new_position)",
            "  update!(position: new_position.to_i.clamp(0, 10_000))",
            "end",
        ],
    },
    PlainConcern {
        name: "Tokenable",
        col: Some(("token", "string", "")),
        scope: None,
        validation: Some("validates :token, uniqueness: true, allow_nil: true"),
        methods: &[
            "def regenerate_token!",
            "  update!(token: SecureRandom.urlsafe_base64(24))",
            "end",
        ],
    },
    PlainConcern {
        name: "Expirable",
        col: Some(("expires_at", "datetime", "")),
        scope: Some(("unexpired", "-> { where(expires_at: nil) }", None)),
        validation: None,
        methods: &[
            "def expired?",
            "  expires_at.present? && expires_at < Time.current",
            "end",
            "",
            "def expire!",
            "  update!(expires_at: Time.current)",
            "end",
        ],
    },
    PlainConcern {
        name: "Prioritizable",
        col: Some(("priority", "integer", ", default: 0, null: false")),
        scope: Some(("urgent", "-> { where(priority: 2) }", None)),
        validation: None,
        methods: &[
            "PRIORITY_LABELS = { 0 => \"low\", 1 => \"normal\", 2 => \"urgent\" }.freeze",
            "",
            "def priority_label",
            "  PRIORITY_LABELS.fetch(priority.to_i, \"normal\")",
            "end",
        ],
    },
    PlainConcern {
        name: "Localizable",
        col: Some(("locale", "string", ", default: \"en\", null: false")),
        scope: Some((
            "in_locale",
            "->(locale) { where(locale: locale) }",
            Some(("locale", "I18n.locale.to_s")),
        )),
        validation: None,
        methods: &[
            "def with_locale(&block)",
            "  I18n.with_locale(locale.presence || I18n.default_locale, &block)",
            "end",
        ],
    },
    PlainConcern {
        name: "Searchable",
        col: None,
        scope: None,
        validation: None,
        methods: &[
            "class_methods do",
            "  def search_terms(query)",
            "    query.to_s.downcase.split(/\\s+/).reject(&:blank?).first(5)",
            "  end",
            "end",
            "",
            "def search_document",
            "  attributes.slice(\"id\", \"created_at\").merge(\"kind\" => self.class.name)",
            "end",
        ],
    },
    PlainConcern {
        name: "Trackable",
        col: None,
        scope: None,
        validation: None,
        methods: &[
            "def change_summary",
            "  previous_changes.except(\"updated_at\").map do |attribute, (before, after)|",
            "    \"#{attribute}: #{before.inspect} -> #{after.inspect}\"",
            "  end.join(\", \")",
            "end",
        ],
    },
];

// ---------------------------------------------------------------------- the model

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Usage {
    App,
    Test,
    Unused,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    BelongsTo,
    Poly,
    HasMany,
    HasOne,
    Through,
    Habtm,
}

#[derive(Clone)]
struct Assoc {
    kind: Kind,
    name: String,
    target: Option<usize>,
    lambda: Option<String>,
    opts: Vec<String>,
    dependent: Option<&'static str>,
    usage: Usage,
}

impl Assoc {
    fn new(kind: Kind, name: String, target: Option<usize>) -> Assoc {
        Assoc {
            kind,
            name,
            target,
            lambda: None,
            opts: Vec::new(),
            dependent: None,
            usage: Usage::App,
        }
    }
    fn macro_name(&self) -> &'static str {
        match self.kind {
            Kind::BelongsTo | Kind::Poly => "belongs_to",
            Kind::HasMany | Kind::Through => "has_many",
            Kind::HasOne => "has_one",
            Kind::Habtm => "has_and_belongs_to_many",
        }
    }
    fn render(&self, with_dependent: bool) -> String {
        let mut s = format!("{} :{}", self.macro_name(), self.name);
        if let Some(l) = &self.lambda {
            s.push_str(", ");
            s.push_str(l);
        }
        for o in &self.opts {
            s.push_str(", ");
            s.push_str(o);
        }
        if with_dependent {
            if let Some(d) = self.dependent {
                s.push_str(", dependent: :");
                s.push_str(d);
            }
        }
        s
    }
}

#[derive(Clone)]
struct Scope {
    name: String,
    body: String,
    /// (params key, literal example) of a scope taking an argument.
    arg: Option<(String, String)>,
    usage: Usage,
}

#[derive(Clone)]
struct Column {
    name: String,
    ty: &'static str,
    opts: String,
}

#[derive(Clone)]
struct Idx {
    cols: Vec<String>,
    expr: Option<String>,
    unique: bool,
}

#[derive(Clone, Default)]
struct Table {
    name: String,
    data: Vec<Column>,
    fk_cols: Vec<Column>,
    idx: Vec<Idx>,
    /// (to_table, column)
    fks: Vec<(String, String)>,
    sti: bool,
    fks_first: bool,
    join: bool,
    status: bool,
}

impl Table {
    fn has(&self, col: &str) -> bool {
        self.data.iter().chain(&self.fk_cols).any(|c| c.name == col)
            || (self.sti && col == "type")
            || matches!(col, "id" | "created_at" | "updated_at")
    }
    fn add_data(&mut self, name: &str, ty: &'static str, opts: &str) {
        if !self.has(name) {
            self.data.push(Column {
                name: name.into(),
                ty,
                opts: opts.into(),
            });
        }
    }
    fn add_fk_col(&mut self, name: &str, ty: &'static str, opts: &str) {
        if !self.has(name) {
            self.fk_cols.push(Column {
                name: name.into(),
                ty,
                opts: opts.into(),
            });
        }
    }
    fn add_index(&mut self, cols: &[&str], unique: bool) {
        let cols: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
        if self.idx.iter().any(|i| i.cols == cols && i.expr.is_none()) {
            return;
        }
        if index_name(&self.name, &cols).len() > 63 {
            return;
        }
        self.idx.push(Idx {
            cols,
            expr: None,
            unique,
        });
    }
    /// Whether some index leads with `col`.
    fn leads(&self, col: &str) -> bool {
        self.idx
            .iter()
            .any(|i| i.cols.first().is_some_and(|c| c == col))
    }
}

fn index_name(table: &str, cols: &[String]) -> String {
    format!("index_{}_on_{}", table, cols.join("_and_"))
}

struct Model {
    name: String,
    ns: Option<usize>,
    full: String,
    under: String,
    plural: String,
    table: usize,
    sti_parent: Option<usize>,
    assocs: Vec<Assoc>,
    scopes: Vec<Scope>,
    validations: Vec<String>,
    concerns: Vec<usize>,
    display: &'static str,
    controller: bool,
    with_options: bool,
    nested: Option<String>,
}

struct Concern {
    name: String,
    under: String,
    poly: Option<(String, usize)>,
    has_many: Option<Assoc>,
    plain: Option<usize>,
    scope: Option<Scope>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum IK {
    Many,
    One,
    Belongs,
    Poly,
    Through,
    Habtm,
    Scope,
}

#[derive(Clone)]
struct Item {
    kind: IK,
    name: String,
    target: Option<usize>,
    usage: Usage,
    arg: Option<(String, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Slot {
    Model,
    Controller,
    Show,
    Row,
    Jbuilder,
    Haml,
    Slim,
    Service(u8),
    Job,
    Query,
    Serializer,
    Rake,
}

/// What each model gets besides its model file.
#[derive(Clone, Default)]
struct FilePlan {
    services: Vec<&'static str>,
    job: Option<&'static str>,
    jbuilder: bool,
    haml: bool,
    slim: bool,
    helper: bool,
    presenter: bool,
    policy: bool,
    form: bool,
    mailer: bool,
    query: bool,
    serializer: bool,
}

struct App {
    seed: u64,
    app_name: String,
    namespaces: Vec<String>,
    models: Vec<Model>,
    tables: Vec<Table>,
    concerns: Vec<Concern>,
    plans: Vec<FilePlan>,
}

fn camel_to_under(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for (i, ch) in s.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

fn under_to_camel(s: &str) -> String {
    s.split('_')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn humanize(s: &str) -> String {
    capitalize(&s.replace('_', " "))
}

/// The singular of a name this generator pluralized with `+ "s"`.
fn singular(s: &str) -> &str {
    s.strip_suffix('s').unwrap_or(s)
}

/// Whether `word + "s"` is the English plural ActiveSupport computes, and
/// singularizing it gives `word` back.
fn ending_ok(w: &str) -> bool {
    let b = w.as_bytes();
    if b.len() < 5 || b.len() > 10 {
        return false;
    }
    let last = b[b.len() - 1];
    let prev = b[b.len() - 2];
    let ok = match last {
        b'a' => !matches!(prev, b't' | b'i'),
        b'e' => matches!(
            prev,
            b'l' | b'n' | b'r' | b'd' | b'k' | b'm' | b'p' | b'b' | b'g'
        ),
        b'i' => prev != b's' && !w.ends_with("viri") && !w.ends_with("testi"),
        b'o' | b'u' => false,
        c => FINAL_CODAS.iter().any(|f| f.as_bytes()[0] == c),
    };
    ok && !w.ends_with("man")
        && !w.ends_with("men")
        && !w.ends_with("um")
        && !w.ends_with("teste")
        && !w.ends_with("person")
}

fn word(rng: &mut Rng) -> String {
    loop {
        let syllables = if rng.chance(0.7) { 2 } else { 3 };
        let mut w = String::new();
        for k in 0..syllables {
            w.push_str(rng.pick_str(ONSETS));
            w.push_str(rng.pick_str(VOWELS));
            if k + 1 < syllables && rng.chance(0.25) {
                w.push_str(rng.pick_str(INNER_CODAS));
            }
        }
        if rng.chance(0.45) {
            w.push_str(rng.pick_str(FINAL_CODAS));
        }
        if ending_ok(&w) {
            return w;
        }
    }
}

// ------------------------------------------------------------------ building

impl App {
    fn build(n: usize, seed: u64) -> App {
        let mut rng = Rng::new(seed, S_NAMES, 0);
        let app_name = rng.pick(APP_NAMES).to_string();
        let ns_count = if n >= 10 { rng.range(3, 5) } else { 1 };
        let mut ns_pool: Vec<&str> = NAMESPACES.to_vec();
        rng.shuffle(&mut ns_pool);
        let namespaces: Vec<String> = ns_pool[..ns_count].iter().map(|s| s.to_string()).collect();

        // Every constant and lowercase name in use, so that none collides.
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for b in BLACKLIST {
            taken.insert(b.to_lowercase());
        }
        for s in NAMESPACES
            .iter()
            .chain(APP_NAMES)
            .chain(DOMAIN_WORDS)
            .chain(UTIL_WORDS)
        {
            taken.insert(s.to_lowercase());
        }
        for (r, p, f) in ROLES {
            taken.insert(r.to_string());
            taken.insert(p.to_string());
            taken.insert(f.to_string());
        }
        for s in POLY_NAMES
            .iter()
            .chain(STATUSES)
            .chain(UNUSED_SCOPES)
            .chain(TEST_SCOPES)
            .chain(UNUSED_PREFIXES)
        {
            taken.insert(s.to_string());
        }
        for w in RESERVED_WORDS {
            taken.insert(w.to_string());
        }

        let mut app = App {
            seed,
            app_name,
            namespaces,
            models: Vec::with_capacity(n),
            tables: Vec::with_capacity(n),
            concerns: Vec::new(),
            plans: Vec::new(),
        };

        // Names, namespaces, STI and tables.
        for i in 0..n {
            let mut r = Rng::new(seed, S_MODEL, i as u64);
            let name = loop {
                let w = word(&mut rng);
                let cand = if rng.chance(0.18) {
                    let w2 = word(&mut rng);
                    capitalize(&w) + &capitalize(&w2)
                } else {
                    capitalize(&w)
                };
                let under = camel_to_under(&cand);
                if !taken.contains(&under) && !taken.contains(&(under.clone() + "s")) {
                    break cand;
                }
                // A numeric suffix when the syllables keep colliding.
                if rng.chance(0.3) {
                    let mut k = 2;
                    loop {
                        let c = format!("{cand}{k}");
                        let u = camel_to_under(&c);
                        if !taken.contains(&u) && !taken.contains(&(u.clone() + "s")) {
                            break;
                        }
                        k += 1;
                    }
                    break format!("{cand}{k}");
                }
            };
            let under = camel_to_under(&name);
            taken.insert(under.clone());
            taken.insert(under.clone() + "s");
            let plural = format!("{under}s");
            let ns = if n >= 10 && r.chance(0.10) {
                Some(r.below(app.namespaces.len()))
            } else {
                None
            };
            let full = match ns {
                Some(k) => format!("{}::{}", app.namespaces[k], name),
                None => name.clone(),
            };
            let non_sti: Vec<usize> = (0..i)
                .filter(|&j| app.models[j].sti_parent.is_none())
                .collect();
            let sti_parent = if i >= 5 && r.chance(0.05) && !non_sti.is_empty() {
                Some(*r.pick(&non_sti))
            } else {
                None
            };
            let (table, display) = match sti_parent {
                Some(p) => {
                    let t = app.models[p].table;
                    app.tables[t].sti = true;
                    (t, app.models[p].display)
                }
                None => {
                    let prefix = ns
                        .map(|k| format!("{}_", app.namespaces[k].to_lowercase()))
                        .unwrap_or_default();
                    let display = if r.chance(0.6) { "name" } else { "title" };
                    let mut t = Table {
                        name: format!("{prefix}{plural}"),
                        fks_first: r.chance(0.5),
                        ..Table::default()
                    };
                    t.add_data(display, "string", ", null: false");
                    if r.chance(0.55) {
                        let d = *r.pick(&["pending", "active", "draft", "new"]);
                        t.add_data(
                            "status",
                            "string",
                            &format!(", default: \"{d}\", null: false"),
                        );
                        t.status = true;
                    }
                    let optional: &[(&str, &'static str, &str, f64)] = &[
                        ("kind", "string", "", 0.3),
                        ("position", "integer", ", default: 0, null: false", 0.3),
                        ("description", "text", "", 0.4),
                        ("notes", "text", "", 0.15),
                        ("amount", "decimal", ", precision: 10, scale: 2", 0.2),
                        ("quantity", "integer", ", default: 0, null: false", 0.15),
                        ("hidden", "boolean", ", default: false, null: false", 0.2),
                        ("published_at", "datetime", "", 0.2),
                        ("starts_on", "date", "", 0.1),
                        ("expires_at", "datetime", "", 0.12),
                        ("metadata", "jsonb", ", default: {}, null: false", 0.15),
                        ("score", "float", "", 0.1),
                        ("external_ref", "string", "", 0.1),
                        ("priority", "integer", ", default: 0, null: false", 0.1),
                        ("color", "string", "", 0.05),
                    ];
                    for (c, ty, o, p) in optional {
                        if r.chance(*p) {
                            t.add_data(c, ty, o);
                            if *c == "amount" && r.chance(0.6) {
                                t.add_data("currency", "string", ", default: \"USD\", null: false");
                            }
                        }
                    }
                    app.tables.push(t);
                    (app.tables.len() - 1, display)
                }
            };
            app.models.push(Model {
                name,
                ns,
                full,
                under,
                plural,
                table,
                sti_parent,
                assocs: Vec::new(),
                scopes: Vec::new(),
                validations: Vec::new(),
                concerns: Vec::new(),
                display,
                controller: r.chance(0.5),
                with_options: r.chance(0.15),
                nested: None,
            });
        }

        let mut polys: Vec<(usize, String)> = Vec::new();
        for c in 0..n {
            if app.models[c].sti_parent.is_none() {
                app.belongs_to(c, seed, &mut polys);
            }
        }
        app.polymorphic(seed, &polys, &mut taken);
        app.plain_concerns(seed, &mut taken);
        app.habtm(seed);
        for m in 0..n {
            app.extras(m, seed);
        }
        for m in 0..n {
            app.scopes_and_validations(m, seed);
        }
        for t in 0..app.tables.len() {
            app.finish_table(t, seed);
        }
        app.plans = (0..n).map(|m| app.file_plan(m, seed)).collect();
        app
    }

    fn names_of(&self, m: usize) -> BTreeSet<String> {
        let mut s: BTreeSet<String> = self.models[m]
            .assocs
            .iter()
            .map(|a| a.name.clone())
            .collect();
        for &c in &self.models[m].concerns {
            if let Some(a) = &self.concerns[c].has_many {
                s.insert(a.name.clone());
            }
        }
        s
    }

    fn same_ns(&self, a: usize, b: usize) -> bool {
        self.models[a].ns == self.models[b].ns
    }

    /// `class_name:` needed for `owner` to name `target` by `target`'s own name.
    fn needs_class_name(&self, owner: usize, target: usize) -> bool {
        self.models[target].ns.is_some() && !self.same_ns(owner, target)
    }

    fn non_sti_before(&self, i: usize) -> Vec<usize> {
        (0..i)
            .filter(|&j| self.models[j].sti_parent.is_none())
            .collect()
    }

    fn belongs_to(&mut self, c: usize, seed: u64, polys: &mut Vec<(usize, String)>) {
        let mut r = Rng::new(seed, S_ASSOC, c as u64);
        let earlier = self.non_sti_before(c);
        if earlier.is_empty() {
            return;
        }
        let count = r.range(1, 4).min(earlier.len() + 1);
        let mut used_roles: BTreeSet<&str> = BTreeSet::new();
        let mut inverses: Vec<(usize, String, String)> = Vec::new();
        for _ in 0..count {
            let p = if r.chance(0.6) && earlier.len() > 8 {
                // Prefer recent models a little, like real domains that grow in layers.
                earlier[earlier.len() - 1 - r.below(earlier.len().min(40))]
            } else {
                *r.pick(&earlier)
            };
            let roll = r.below(100);
            let optional = r.chance(0.25);
            let names = self.names_of(c);
            if roll < 5 {
                // Polymorphic.
                let pn = loop {
                    let cand = r.pick(POLY_NAMES).to_string();
                    if !names.contains(&cand) {
                        break cand;
                    }
                    if names.len() > 40 {
                        break format!("{}_subject", self.models[c].under);
                    }
                };
                if names.contains(&pn) {
                    continue;
                }
                let mut a = Assoc::new(Kind::Poly, pn.clone(), None);
                a.opts.push("polymorphic: true".into());
                if optional {
                    a.opts.push("optional: true".into());
                }
                let null = if optional { "" } else { ", null: false" };
                let t = self.models[c].table;
                self.tables[t].add_fk_col(&format!("{pn}_type"), "string", null);
                self.tables[t].add_fk_col(&format!("{pn}_id"), "bigint", null);
                self.models[c].assocs.push(a);
                polys.push((c, pn));
                continue;
            }
            let plain_name = self.models[p].under.clone();
            let role = roll < 25 || names.contains(&plain_name);
            let (name, fk, prefix) = if role {
                let free: Vec<&(&str, &str, &str)> = ROLES
                    .iter()
                    .filter(|(rl, _, _)| !used_roles.contains(rl) && !names.contains(*rl))
                    .collect();
                if free.is_empty() {
                    continue;
                }
                let (rl, pre, stem) = **r.pick(&free);
                used_roles.insert(rl);
                let fk = if r.chance(0.5) {
                    format!("{rl}_id")
                } else {
                    format!("{stem}_id")
                };
                (rl.to_string(), fk, Some(pre))
            } else {
                let fk = format!("{plain_name}_id");
                (plain_name, fk, None)
            };
            let mut a = Assoc::new(Kind::BelongsTo, name.clone(), Some(p));
            if prefix.is_some() {
                a.opts
                    .push(format!("class_name: \"{}\"", self.models[p].full));
                a.opts.push(format!("foreign_key: :{fk}"));
            } else if self.needs_class_name(c, p) {
                a.opts
                    .push(format!("class_name: \"{}\"", self.models[p].full));
            }
            if optional {
                a.opts.push("optional: true".into());
            }
            if r.chance(0.05) {
                a.opts.push("touch: true".into());
            }
            let t = self.models[c].table;
            let null = if optional { "" } else { ", null: false" };
            self.tables[t].add_fk_col(&fk, "bigint", null);
            if r.chance(0.7) {
                let to = self.tables[self.models[p].table].name.clone();
                self.tables[t].fks.push((to, fk.clone()));
            }
            self.models[c].assocs.push(a);

            // The other side.
            if !r.chance(0.82) {
                continue;
            }
            let pnames = self.names_of(p);
            let (cu, cp) = (self.models[c].under.clone(), self.models[c].plural.clone());
            let has_one = prefix.is_none() && r.chance(0.12);
            let inv_name = match (prefix, has_one) {
                (Some(pre), _) => format!("{pre}_{cp}"),
                (None, true) => cu.clone(),
                (None, false) => cp.clone(),
            };
            if pnames.contains(&inv_name) {
                continue;
            }
            let kind = if has_one { Kind::HasOne } else { Kind::HasMany };
            let mut inv = Assoc::new(kind, inv_name.clone(), Some(c));
            let ct = &self.tables[self.models[c].table];
            if !has_one && r.chance(0.12) {
                inv.lambda = Some(if ct.has("position") {
                    "-> { order(:position) }".to_string()
                } else {
                    "-> { order(created_at: :desc) }".to_string()
                });
            }
            if prefix.is_some() || self.needs_class_name(p, c) {
                inv.opts
                    .push(format!("class_name: \"{}\"", self.models[c].full));
            }
            if prefix.is_some() {
                inv.opts.push(format!("foreign_key: :{fk}"));
                if r.chance(0.4) {
                    inv.opts.push(format!("inverse_of: :{name}"));
                }
            }
            let d = r.below(100);
            inv.dependent = if d < 30 {
                Some("destroy")
            } else if d < 38 && !has_one {
                Some("delete_all")
            } else if d < 43 && optional {
                Some("nullify")
            } else {
                None
            };
            self.models[p].assocs.push(inv);
            if !has_one {
                inverses.push((p, inv_name, name.clone()));
            }
        }

        // :through, from the owner of a has_many across this model's other belongs_to.
        let bts: Vec<(String, usize)> = self.models[c]
            .assocs
            .iter()
            .filter(|a| a.kind == Kind::BelongsTo)
            .map(|a| (a.name.clone(), a.target.unwrap()))
            .collect();
        for (p, via, back) in inverses {
            for (bt, q) in &bts {
                // Not through the belongs_to that leads back to the owner itself.
                if *bt == back || !r.chance(0.16) {
                    continue;
                }
                let pnames = self.names_of(p);
                let mut name = format!("{bt}s");
                let mut source = None;
                if pnames.contains(&name) {
                    name = format!("{}_{bt}s", singular(&via));
                    source = Some(bt.clone());
                    if pnames.contains(&name) {
                        continue;
                    }
                }
                let mut a = Assoc::new(Kind::Through, name, Some(*q));
                a.opts.push(format!("through: :{via}"));
                if let Some(s) = source {
                    a.opts.push(format!("source: :{s}"));
                }
                self.models[p].assocs.push(a);
            }
        }
    }

    fn polymorphic(&mut self, seed: u64, polys: &[(usize, String)], taken: &mut BTreeSet<String>) {
        let n = self.models.len();
        let non_sti: Vec<usize> = (0..n)
            .filter(|&j| self.models[j].sti_parent.is_none())
            .collect();
        let concern_quota = (n / 20).max(1) * 2 / 5 + 1;
        let mut poly_concerns = 0;
        for (k, (c, pn)) in polys.iter().enumerate() {
            let mut r = Rng::new(seed, S_POLY, k as u64);
            let child = *c;
            let cu = self.models[child].plural.clone();
            let via_concern = poly_concerns < concern_quota && r.chance(0.45);
            if via_concern {
                // A concern named after the polymorphic interface.
                let mut pname = pn.clone();
                let mut cname = under_to_camel(&pname);
                if taken.contains(&cname.to_lowercase()) && !POLY_NAMES.contains(&pname.as_str()) {
                    continue;
                }
                if self.concerns.iter().any(|x| x.name == cname) {
                    // The English name is taken by another concern: one of the child's own.
                    pname = format!("{}able", self.models[child].under);
                    cname = under_to_camel(&pname);
                    if self.concerns.iter().any(|x| x.name == cname)
                        || self.models[child].assocs.iter().any(|a| a.name == pname)
                    {
                        continue;
                    }
                    // Rename the child's belongs_to and its columns.
                    let t = self.models[child].table;
                    for col in self.tables[t].fk_cols.iter_mut() {
                        if col.name == format!("{pn}_type") {
                            col.name = format!("{pname}_type");
                        } else if col.name == format!("{pn}_id") {
                            col.name = format!("{pname}_id");
                        }
                    }
                    for a in self.models[child].assocs.iter_mut() {
                        if a.kind == Kind::Poly && &a.name == pn {
                            a.name = pname.clone();
                        }
                    }
                }
                let mut hm = Assoc::new(Kind::HasMany, cu.clone(), Some(child));
                hm.opts.push(format!("as: :{pname}"));
                if self.models[child].ns.is_some() {
                    hm.opts
                        .push(format!("class_name: \"{}\"", self.models[child].full));
                }
                if r.chance(0.5) {
                    hm.dependent = Some("destroy");
                }
                let idx = self.concerns.len();
                let want = r.range(2, 5);
                let mut includers = Vec::new();
                for _ in 0..want * 3 {
                    if includers.len() >= want {
                        break;
                    }
                    let m = *r.pick(&non_sti);
                    if m == child || includers.contains(&m) || self.names_of(m).contains(&cu) {
                        continue;
                    }
                    includers.push(m);
                }
                if includers.is_empty() {
                    continue;
                }
                includers.sort();
                for &m in &includers {
                    self.models[m].concerns.push(idx);
                }
                let scope = Scope {
                    name: format!("{pname}_since"),
                    body: "->(time) { where(updated_at: time..) }".into(),
                    arg: Some(("since".into(), "1.week.ago".into())),
                    usage: Usage::App,
                };
                taken.insert(cname.to_lowercase());
                self.concerns.push(Concern {
                    under: pname.clone(),
                    name: cname,
                    poly: Some((pname, child)),
                    has_many: Some(hm),
                    plain: None,
                    scope: Some(scope),
                });
                poly_concerns += 1;
            } else {
                let owners = r.range(1, 3);
                for _ in 0..owners {
                    let m = *r.pick(&non_sti);
                    if m == child {
                        continue;
                    }
                    let names = self.names_of(m);
                    let (kind, mut name) = if r.chance(0.15) {
                        (Kind::HasOne, self.models[child].under.clone())
                    } else {
                        (Kind::HasMany, cu.clone())
                    };
                    let mut class_name = self.needs_class_name(m, child);
                    if names.contains(&name) {
                        name = format!("{pn}_{name}");
                        class_name = true;
                        if names.contains(&name) {
                            continue;
                        }
                    }
                    let mut a = Assoc::new(kind, name, Some(child));
                    a.opts.push(format!("as: :{pn}"));
                    if class_name {
                        a.opts
                            .push(format!("class_name: \"{}\"", self.models[child].full));
                    }
                    if r.chance(0.35) {
                        a.dependent = Some("destroy");
                    }
                    self.models[m].assocs.push(a);
                }
            }
        }
    }

    fn plain_concerns(&mut self, seed: u64, taken: &mut BTreeSet<String>) {
        let n = self.models.len();
        let total = (n / 20).max(1);
        let want = total.saturating_sub(self.concerns.len()).max(1);
        let non_sti: Vec<usize> = (0..n)
            .filter(|&j| self.models[j].sti_parent.is_none())
            .collect();
        if non_sti.is_empty() {
            return;
        }
        for k in 0..want {
            let mut r = Rng::new(seed, S_CONCERN, k as u64);
            let t = k % PLAIN_CONCERNS.len();
            let tpl = &PLAIN_CONCERNS[t];
            let round = k / PLAIN_CONCERNS.len();
            let name = if round == 0 {
                tpl.name.to_string()
            } else {
                let w = DOMAIN_WORDS[(round - 1) % DOMAIN_WORDS.len()];
                let extra = (round - 1) / DOMAIN_WORDS.len();
                if extra == 0 {
                    format!("{w}{}", tpl.name)
                } else {
                    format!("{w}{}{}", tpl.name, extra + 1)
                }
            };
            if taken.contains(&name.to_lowercase()) {
                continue;
            }
            taken.insert(name.to_lowercase());
            let under = camel_to_under(&name);
            let want = r.range(2, 8);
            let mut includers = Vec::new();
            for _ in 0..want * 3 {
                if includers.len() >= want {
                    break;
                }
                let m = *r.pick(&non_sti);
                if includers.contains(&m) {
                    continue;
                }
                // One concern of each kind per model (their scopes share names).
                if self.models[m]
                    .concerns
                    .iter()
                    .any(|&c| self.concerns[c].plain == Some(t))
                {
                    continue;
                }
                includers.push(m);
            }
            if includers.is_empty() {
                continue;
            }
            includers.sort();
            let idx = self.concerns.len();
            for &m in &includers {
                self.models[m].concerns.push(idx);
                if let Some((col, ty, opts)) = tpl.col {
                    let ti = self.models[m].table;
                    self.tables[ti].add_data(col, ty, opts);
                }
            }
            let scope = tpl.scope.map(|(sn, body, arg)| Scope {
                name: sn.to_string(),
                body: body.to_string(),
                arg: arg.map(|(a, b)| (a.to_string(), b.to_string())),
                usage: Usage::App,
            });
            self.concerns.push(Concern {
                name,
                under,
                poly: None,
                has_many: None,
                plain: Some(t),
                scope,
            });
        }
    }

    /// A few has_and_belongs_to_many pairs between single-word top-level models.
    fn habtm(&mut self, seed: u64) {
        let n = self.models.len();
        let mut r = Rng::new(seed, S_MISC, 1);
        let eligible: Vec<usize> = (0..n)
            .filter(|&m| {
                let x = &self.models[m];
                x.sti_parent.is_none() && x.ns.is_none() && !x.under.contains('_')
            })
            .collect();
        if eligible.len() < 4 {
            return;
        }
        let pairs = (n / 100).max(1);
        for _ in 0..pairs {
            let a = *r.pick(&eligible);
            let b = *r.pick(&eligible);
            if a == b {
                continue;
            }
            let (na, nb) = (self.models[a].plural.clone(), self.models[b].plural.clone());
            if self.names_of(a).contains(&nb) || self.names_of(b).contains(&na) {
                continue;
            }
            let (ta, tb) = (
                self.tables[self.models[a].table].name.clone(),
                self.tables[self.models[b].table].name.clone(),
            );
            let join = if ta < tb {
                format!("{ta}_{tb}")
            } else {
                format!("{tb}_{ta}")
            };
            if self.tables.iter().any(|t| t.name == join) {
                continue;
            }
            self.models[a]
                .assocs
                .push(Assoc::new(Kind::Habtm, nb, Some(b)));
            self.models[b]
                .assocs
                .push(Assoc::new(Kind::Habtm, na, Some(a)));
            let fa = format!("{}_id", self.models[a].under);
            let fb = format!("{}_id", self.models[b].under);
            let mut t = Table {
                name: join,
                join: true,
                ..Table::default()
            };
            t.add_fk_col(&fa, "bigint", ", null: false");
            t.add_fk_col(&fb, "bigint", ", null: false");
            match r.below(4) {
                0 => {}
                1 => t.add_index(&[&fa, &fb], true),
                2 => {
                    t.add_index(&[&fa, &fb], true);
                    t.add_index(&[&fb], false);
                }
                _ => {
                    t.add_index(&[&fa], false);
                    t.add_index(&[&fb], false);
                }
            }
            self.tables.push(t);
        }
    }

    /// Associations nothing uses (about 5% of all) and a few only specs use.
    fn extras(&mut self, p: usize, seed: u64) {
        let mut r = Rng::new(seed, S_EXTRA, p as u64);
        if self.models[p].sti_parent.is_some() {
            return;
        }
        let children: Vec<usize> = self.models[p]
            .assocs
            .iter()
            .filter(|a| {
                a.kind == Kind::HasMany
                    && !a
                        .opts
                        .iter()
                        .any(|o| o.starts_with("as:") || o.starts_with("foreign_key"))
            })
            .filter_map(|a| a.target)
            .collect();
        if children.is_empty() {
            return;
        }
        let usage = if r.chance(0.42) {
            Usage::Unused
        } else if r.chance(0.06) {
            Usage::Test
        } else {
            return;
        };
        let c = *r.pick(&children);
        let prefix = match usage {
            Usage::Test => TEST_PREFIX,
            _ => *r.pick(UNUSED_PREFIXES),
        };
        let cfull = self.models[c].full.clone();
        let (cu, cp) = (self.models[c].under.clone(), self.models[c].plural.clone());
        match r.below(3) {
            0 => {
                let mut a = Assoc::new(Kind::HasMany, format!("{prefix}_{cp}"), Some(c));
                a.opts.push(format!("class_name: \"{cfull}\""));
                if r.chance(0.3) {
                    a.dependent = Some("destroy");
                }
                a.usage = usage;
                if !self.names_of(p).contains(&a.name) {
                    self.models[p].assocs.push(a);
                }
            }
            1 => {
                let mut a = Assoc::new(Kind::HasOne, format!("{prefix}_{cu}"), Some(c));
                a.lambda = Some("-> { order(created_at: :desc) }".into());
                a.opts.push(format!("class_name: \"{cfull}\""));
                a.usage = usage;
                if !self.names_of(p).contains(&a.name) {
                    self.models[p].assocs.push(a);
                }
            }
            _ => {
                let pu = self.models[p].under.clone();
                let mut a = Assoc::new(Kind::BelongsTo, format!("{prefix}_{pu}"), Some(p));
                a.opts
                    .push(format!("class_name: \"{}\"", self.models[p].full));
                a.opts.push("optional: true".into());
                a.usage = usage;
                if !self.names_of(c).contains(&a.name) {
                    let t = self.models[c].table;
                    let col = format!("{}_id", a.name);
                    self.tables[t].add_fk_col(&col, "bigint", "");
                    if r.chance(0.5) {
                        self.tables[t].add_index(&[&col], false);
                    }
                    self.models[c].assocs.push(a);
                }
            }
        }
    }

    fn scopes_and_validations(&mut self, m: usize, seed: u64) {
        let mut r = Rng::new(seed, S_SCOPE, m as u64);
        let ti = self.models[m].table;
        let display = self.models[m].display;
        let mut taken: BTreeSet<String> = BTreeSet::new();
        if let Some(p) = self.models[m].sti_parent {
            for s in &self.models[p].scopes {
                taken.insert(s.name.clone());
            }
        }
        for &c in &self.models[m].concerns {
            if let Some(s) = &self.concerns[c].scope {
                taken.insert(s.name.clone());
            }
        }
        for a in &self.models[m].assocs {
            taken.insert(a.name.clone());
        }
        let t = &self.tables[ti];
        let mut cands: Vec<ScopeCandidate> = Vec::new();
        // (name, body, arg, column to maybe index)
        if t.status {
            let mut vals: Vec<&str> = STATUSES.to_vec();
            r.shuffle(&mut vals);
            for v in vals.iter().take(2) {
                cands.push((
                    v.to_string(),
                    format!("-> {{ where(status: \"{v}\") }}"),
                    None,
                    Some("status".into()),
                ));
            }
            cands.push((
                "by_status".into(),
                "->(status) { where(status: status) }".into(),
                Some(("status".into(), format!("\"{}\"", vals[0]))),
                Some("status".into()),
            ));
        }
        if t.has("kind") {
            cands.push((
                "by_kind".into(),
                "->(kind) { where(kind: kind) }".into(),
                Some(("kind".into(), "\"standard\"".into())),
                Some("kind".into()),
            ));
        }
        if t.has("position") {
            cands.push((
                "ordered".into(),
                "-> { order(:position) }".into(),
                None,
                None,
            ));
        }
        cands.push((
            "newest_first".into(),
            "-> { order(created_at: :desc) }".into(),
            None,
            None,
        ));
        cands.push((
            "alphabetical".into(),
            format!("-> {{ order(:{display}) }}"),
            None,
            None,
        ));
        if t.has("hidden") {
            cands.push((
                "visible".into(),
                "-> { where(hidden: false) }".into(),
                None,
                Some("hidden".into()),
            ));
        }
        if t.has("published_at") && !t.status {
            cands.push((
                "published".into(),
                "-> { where.not(published_at: nil) }".into(),
                None,
                Some("published_at".into()),
            ));
        }
        if t.has("expires_at") {
            cands.push((
                "expiring_soon".into(),
                "-> { where(expires_at: ..1.week.from_now) }".into(),
                None,
                Some("expires_at".into()),
            ));
        }
        if t.has("priority") {
            cands.push((
                "high_priority".into(),
                "-> { where(priority: 2) }".into(),
                None,
                Some("priority".into()),
            ));
        }
        if t.has("currency") {
            cands.push((
                "in_currency".into(),
                "->(currency) { where(currency: currency) }".into(),
                Some(("currency".into(), "\"EUR\"".into())),
                Some("currency".into()),
            ));
        }
        cands.push((
            "recent".into(),
            "-> { where(created_at: 30.days.ago..) }".into(),
            None,
            Some("created_at".into()),
        ));
        for a in &self.models[m].assocs {
            if a.kind == Kind::BelongsTo
                && a.usage == Usage::App
                && self.models[m].sti_parent.is_none()
            {
                let fk = a
                    .opts
                    .iter()
                    .find_map(|o| o.strip_prefix("foreign_key: :"))
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{}_id", a.name));
                cands.push((
                    format!("for_{}", a.name),
                    format!("->({}) {{ where({fk}: {}) }}", a.name, a.name),
                    Some((fk.clone(), "42".into())),
                    None,
                ));
            }
        }
        cands.retain(|c| !taken.contains(&c.0));
        r.shuffle(&mut cands);
        let count = r.range(0, 3).min(cands.len());
        let mut unused_names: Vec<&str> = UNUSED_SCOPES.to_vec();
        r.shuffle(&mut unused_names);
        let mut scopes = Vec::new();
        let mut index_cols = Vec::new();
        for (k, (name, body, arg, col)) in cands.into_iter().take(count).enumerate() {
            let roll = r.below(100);
            let (name, usage) = if roll < 10 {
                (unused_names[k].to_string(), Usage::Unused)
            } else if roll < 12 {
                (TEST_SCOPES[k % TEST_SCOPES.len()].to_string(), Usage::Test)
            } else {
                (name, Usage::App)
            };
            if taken.contains(&name) {
                continue;
            }
            taken.insert(name.clone());
            if let Some(c) = col {
                index_cols.push(c);
            }
            scopes.push(Scope {
                name,
                body,
                arg,
                usage,
            });
        }
        self.models[m].scopes = scopes;
        for c in index_cols {
            if r.chance(0.4) && c != "created_at" {
                self.tables[ti].add_index(&[&c], false);
            } else if c == "created_at" && r.chance(0.2) {
                self.tables[ti].add_index(&["created_at"], false);
            }
        }

        // Validations.
        let mut v = Vec::new();
        if r.chance(0.55) {
            v.push(format!(
                "validates :{display}, presence: true, length: {{ maximum: 255 }}"
            ));
        }
        if self.models[m].sti_parent.is_none() {
            let fks: Vec<String> = self.models[m]
                .assocs
                .iter()
                .filter(|a| a.kind == Kind::BelongsTo && a.usage == Usage::App)
                .map(|a| {
                    a.opts
                        .iter()
                        .find_map(|o| o.strip_prefix("foreign_key: :"))
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("{}_id", a.name))
                })
                .collect();
            let roll = r.below(100);
            let t = &mut self.tables[ti];
            if roll < 18 {
                t.add_data("code", "string", "");
                v.push("validates :code, uniqueness: true, allow_nil: true".into());
                match r.below(10) {
                    0..=4 => t.add_index(&["code"], true),
                    5..=6 => t.add_index(&["code"], false),
                    _ => {}
                }
            } else if roll < 32 && !fks.is_empty() {
                let fk = r.pick(&fks).clone();
                t.add_data("slug", "string", "");
                v.push(format!(
                    "validates :slug, presence: true, uniqueness: {{ scope: :{fk} }}"
                ));
                match r.below(10) {
                    0..=4 => t.add_index(&[&fk, "slug"], true),
                    5..=6 => t.add_index(&["slug", &fk], true),
                    _ => {}
                }
            } else if roll < 38 {
                t.add_data("email", "string", "");
                v.push(
                    "validates :email, presence: true, uniqueness: { case_sensitive: false }"
                        .into(),
                );
                match r.below(10) {
                    0..=4 => t.idx.push(Idx {
                        cols: vec!["email".into()],
                        expr: Some("lower((email)::text)".into()),
                        unique: true,
                    }),
                    5..=6 => t.add_index(&["email"], true),
                    _ => {}
                }
            }
        }
        if r.chance(0.1) && self.tables[ti].has("quantity") {
            v.push("validates :quantity, numericality: { greater_than_or_equal_to: 0 }".into());
        }
        self.models[m].validations = v;
        if r.chance(0.05) {
            let many: Vec<String> = self.models[m]
                .assocs
                .iter()
                .filter(|a| a.kind == Kind::HasMany && a.usage == Usage::App)
                .map(|a| a.name.clone())
                .collect();
            if !many.is_empty() {
                self.models[m].nested = Some(r.pick(&many).clone());
            }
        }
    }

    /// Indexes of foreign keys and polymorphic pairs: most served, some not.
    fn finish_table(&mut self, ti: usize, seed: u64) {
        let mut r = Rng::new(seed, S_INDEX, ti as u64);
        let t = &mut self.tables[ti];
        if t.join {
            return;
        }
        let fk_cols: Vec<String> = t.fk_cols.iter().map(|c| c.name.clone()).collect();
        let others: Vec<String> = ["created_at", "status", "position", "kind"]
            .iter()
            .filter(|c| t.has(c))
            .map(|c| c.to_string())
            .collect();
        for col in &fk_cols {
            if col.ends_with("_type") {
                continue;
            }
            if let Some(stem) = col.strip_suffix("_id") {
                let ty = format!("{stem}_type");
                if fk_cols.contains(&ty) {
                    // Polymorphic pair.
                    match r.below(100) {
                        0..=69 => t.add_index(&[&ty, col], false),
                        70..=79 => t.add_index(&[col, &ty], false),
                        80..=89 => t.add_index(&[&ty], false),
                        _ => {}
                    }
                    continue;
                }
            }
            if t.leads(col) {
                continue;
            }
            match r.below(100) {
                0..=61 => t.add_index(&[col], false),
                62..=84 => {
                    let o = r.pick(&others).clone();
                    t.add_index(&[col, &o], false);
                    if !t.leads(col) {
                        t.add_index(&[col], false);
                    }
                }
                85..=91 => {
                    let o = r.pick(&others).clone();
                    t.add_index(&[&o, col], false);
                }
                _ => {}
            }
        }
        if t.sti && r.chance(0.3) {
            t.add_index(&["type"], false);
        }
    }

    fn file_plan(&self, m: usize, seed: u64) -> FilePlan {
        let mut r = Rng::new(seed, S_PLAN, m as u64);
        let mut services: Vec<&'static str> = SERVICE_KINDS.to_vec();
        r.shuffle(&mut services);
        let ns = if r.chance(0.6) { 1 } else { 2 };
        services.truncate(ns);
        let ctl = self.models[m].controller;
        FilePlan {
            services,
            job: if r.chance(0.5) {
                Some(*r.pick(JOB_KINDS))
            } else {
                None
            },
            jbuilder: ctl && r.chance(0.25),
            haml: ctl && r.chance(0.10),
            slim: ctl && r.chance(0.06),
            helper: ctl && r.chance(0.8),
            presenter: r.chance(0.45),
            policy: r.chance(0.55),
            form: r.chance(0.3),
            mailer: r.chance(0.1),
            query: r.chance(0.15),
            serializer: r.chance(0.2),
        }
    }

    // ------------------------------------------------------------- naming helpers

    fn tbl(&self, m: usize) -> &Table {
        &self.tables[self.models[m].table]
    }
    fn disp(&self, m: usize) -> &'static str {
        self.models[m].display
    }
    fn ns_under(&self, m: usize) -> Option<String> {
        self.models[m].ns.map(|k| self.namespaces[k].to_lowercase())
    }
    /// `billing_kesti` / `kesti`
    fn route(&self, m: usize) -> String {
        match self.ns_under(m) {
            Some(ns) => format!("{ns}_{}", self.models[m].under),
            None => self.models[m].under.clone(),
        }
    }
    fn route_plural(&self, m: usize) -> String {
        format!("{}s", self.route(m))
    }
    /// `app/views/billing/kestis`
    fn view_dir(&self, m: usize) -> String {
        match self.ns_under(m) {
            Some(ns) => format!("app/views/{ns}/{}", self.models[m].plural),
            None => format!("app/views/{}", self.models[m].plural),
        }
    }
    /// `billing/` or ``
    fn ns_dir(&self, m: usize) -> String {
        self.ns_under(m).map(|s| s + "/").unwrap_or_default()
    }
    /// `[:billing, x]` or `x`
    fn polymorphic_path(&self, m: usize, var: &str) -> String {
        match self.ns_under(m) {
            Some(ns) => format!("[:{ns}, {var}]"),
            None => var.to_string(),
        }
    }
    fn block_var(&self, t: usize, avoid: &str) -> String {
        let v = &self.models[t].under;
        if v == avoid.trim_start_matches('@') {
            "other".into()
        } else {
            v.clone()
        }
    }

    /// The associations and scopes a model's code can use.
    fn items(&self, m: usize) -> Vec<Item> {
        let mut out = Vec::new();
        let model = &self.models[m];
        for a in &model.assocs {
            let kind = match a.kind {
                Kind::BelongsTo => IK::Belongs,
                Kind::Poly => IK::Poly,
                Kind::HasMany => IK::Many,
                Kind::HasOne => IK::One,
                Kind::Through => IK::Through,
                Kind::Habtm => IK::Habtm,
            };
            out.push(Item {
                kind,
                name: a.name.clone(),
                target: a.target,
                usage: a.usage,
                arg: None,
            });
        }
        for &c in &model.concerns {
            let con = &self.concerns[c];
            if let Some(a) = &con.has_many {
                out.push(Item {
                    kind: IK::Many,
                    name: a.name.clone(),
                    target: a.target,
                    usage: Usage::App,
                    arg: None,
                });
            }
            if let Some(s) = &con.scope {
                out.push(Item {
                    kind: IK::Scope,
                    name: s.name.clone(),
                    target: None,
                    usage: Usage::App,
                    arg: s.arg.clone(),
                });
            }
        }
        for s in &model.scopes {
            out.push(Item {
                kind: IK::Scope,
                name: s.name.clone(),
                target: None,
                usage: s.usage,
                arg: s.arg.clone(),
            });
        }
        out
    }

    /// Which file of a model first uses each of its items.
    fn plan_uses(&self, m: usize, items: &[Item]) -> BTreeMap<Slot, Vec<usize>> {
        let mut r = Rng::new(self.seed, S_PLAN, 1_000_000 + m as u64);
        let plan = &self.plans[m];
        let ctl = self.models[m].controller;
        let mut assoc_slots = vec![Slot::Model];
        let mut scope_slots = vec![Slot::Model, Slot::Rake];
        for k in 0..plan.services.len() {
            assoc_slots.push(Slot::Service(k as u8));
            scope_slots.push(Slot::Service(k as u8));
        }
        if plan.job.is_some() {
            assoc_slots.push(Slot::Job);
            scope_slots.push(Slot::Job);
        }
        if ctl {
            assoc_slots.extend([Slot::Controller, Slot::Show, Slot::Show, Slot::Row]);
            scope_slots.extend([Slot::Controller, Slot::Controller]);
        }
        if plan.jbuilder {
            assoc_slots.push(Slot::Jbuilder);
        }
        if plan.haml {
            assoc_slots.push(Slot::Haml);
        }
        if plan.slim {
            assoc_slots.push(Slot::Slim);
        }
        if plan.query {
            scope_slots.push(Slot::Query);
        }
        if plan.serializer {
            assoc_slots.push(Slot::Serializer);
        }
        let mut out: BTreeMap<Slot, Vec<usize>> = BTreeMap::new();
        for (i, it) in items.iter().enumerate() {
            if it.usage != Usage::App {
                continue;
            }
            let slot = if it.kind == IK::Scope {
                *r.pick(&scope_slots)
            } else {
                *r.pick(&assoc_slots)
            };
            out.entry(slot).or_default().push(i);
        }
        out
    }

    /// Items for a file: the ones assigned to it, plus a few more used ones.
    fn pick_items(
        &self,
        items: &[Item],
        assigned: &[usize],
        extra: usize,
        assoc_only: bool,
        scopes_only: bool,
        r: &mut Rng,
    ) -> Vec<usize> {
        let mut v: Vec<usize> = assigned.to_vec();
        let pool: Vec<usize> = (0..items.len())
            .filter(|&i| {
                items[i].usage == Usage::App
                    && !(assoc_only && items[i].kind == IK::Scope)
                    && !(scopes_only && items[i].kind != IK::Scope)
            })
            .collect();
        if !pool.is_empty() {
            for _ in 0..extra {
                let i = *r.pick(&pool);
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        v
    }
}

// ------------------------------------------------------------------ code snippets

impl App {
    /// Ruby statements using an item. `r` is an expression for a record of `m` (empty:
    /// `self`), `mc` the model constant (empty: implicit self, in a class method).
    fn use_ruby(&self, _m: usize, it: &Item, r: &str, mc: &str, rng: &mut Rng) -> Vec<String> {
        let d = if r.is_empty() {
            String::new()
        } else {
            format!("{r}.")
        };
        let c = if mc.is_empty() {
            String::new()
        } else {
            format!("{mc}.")
        };
        let n = &it.name;
        let id = if r.is_empty() {
            "id".to_string()
        } else {
            format!("{r}.id")
        };
        match it.kind {
            IK::Many | IK::Through | IK::Habtm => {
                let t = it.target.unwrap();
                let tv = self.block_var(t, r);
                let td = self.disp(t);
                let status = self.tbl(t).status;
                match rng.below(7) {
                    0 => vec![
                        format!("{d}{n}.each do |{tv}|"),
                        format!("  next if {tv}.{td}.blank?"),
                        String::new(),
                        format!("  Rails.logger.debug(\"{n}: #{{{tv}.id}} #{{{tv}.{td}}}\")"),
                        "end".into(),
                    ],
                    1 => vec![format!("{n}_count = {d}{n}.count")],
                    2 => vec![format!(
                        "latest_{} = {d}{n}.order(created_at: :desc).first",
                        singular(n)
                    )],
                    3 if it.kind != IK::Through => {
                        vec![format!("{s}_ids = {d}{s}_ids", s = singular(n))]
                    }
                    4 if status => vec![format!(
                        "open_{n} = {d}{n}.where(status: \"{}\").to_a",
                        rng.pick(STATUSES)
                    )],
                    5 if !mc.is_empty() => {
                        vec![format!("preloaded = {c}includes(:{n}).find({id})")]
                    }
                    _ => vec![
                        format!("if {d}{n}.any?"),
                        format!("  names = {d}{n}.limit(10).map(&:{td})"),
                        "  Rails.logger.info(\"related: #{names.join(', ')}\")".into(),
                        "end".into(),
                    ],
                }
            }
            IK::One | IK::Belongs => {
                let t = it.target.unwrap();
                let td = self.disp(t);
                match rng.below(4) {
                    0 => vec![format!("{n}_label = {d}{n}&.{td} || \"none\"")],
                    1 => vec![
                        format!("if {d}{n}.present?"),
                        format!("  Rails.logger.info(\"#{{{id}}} -> {n} #{{{d}{n}.id}}\")"),
                        "end".into(),
                    ],
                    2 if it.kind == IK::Belongs && !mc.is_empty() => {
                        vec![format!(
                            "siblings = {c}where({n}: {d}{n}).where.not(id: {id}).limit(5)"
                        )]
                    }
                    2 => vec![format!("{n}_record = {d}{n} || {d}build_{n}")],
                    _ if !mc.is_empty() => {
                        vec![format!("with_{n} = {c}includes(:{n}).limit(10).to_a")]
                    }
                    _ => vec![format!("{n}_id_value = {d}{n}&.id")],
                }
            }
            IK::Poly => match rng.below(3) {
                0 => vec![format!("{n}_record = {d}{n}")],
                1 => vec![format!("{d}{n}&.touch")],
                _ if !mc.is_empty() => vec![format!("with_{n} = {c}includes(:{n}).limit(5).to_a")],
                _ => vec![format!("{n}_kind = {d}{n}&.class&.name")],
            },
            IK::Scope => {
                let call = match &it.arg {
                    Some((_, lit)) => format!("{c}{n}({lit})"),
                    None => format!("{c}{n}"),
                };
                match rng.below(4) {
                    0 => vec![format!(
                        "{}_rows = {call}.limit({}).to_a",
                        n,
                        10 * rng.range(1, 10)
                    )],
                    1 => vec![format!("{}_total = {call}.count", n)],
                    2 => vec![
                        format!("{call}.find_each(batch_size: 200) do |row|"),
                        "  row.touch(:updated_at)".into(),
                        "end".into(),
                    ],
                    _ => vec![format!("{}_ids = {call}.pluck(:id)", n)],
                }
            }
        }
    }
}

// -------------------------------------------------------------------- emission

impl App {
    fn emit(&self, out: &mut Out) -> io::Result<()> {
        self.emit_config(out)?;
        self.emit_schema(out)?;
        out.file(
            "app/models/application_record.rb",
            "class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n",
        )?;
        for (k, ns) in self.namespaces.iter().enumerate() {
            if self.models.iter().any(|m| m.ns == Some(k)) {
                out.file(
                    &format!("app/models/{}.rb", ns.to_lowercase()),
                    &format!(
                        "module {ns}\n  def self.table_name_prefix\n    \"{}_\"\n  end\nend\n",
                        ns.to_lowercase()
                    ),
                )?;
            }
        }
        for c in 0..self.concerns.len() {
            out.file(
                &format!("app/models/concerns/{}.rb", self.concerns[c].under),
                &self.concern_file(c),
            )?;
        }
        for m in 0..self.models.len() {
            self.emit_model(m, out)?;
        }
        self.emit_rake(out)?;
        self.emit_lib(out)?;
        Ok(())
    }

    fn emit_model(&self, m: usize, out: &mut Out) -> io::Result<()> {
        let model = &self.models[m];
        let items = self.items(m);
        let uses = self.plan_uses(m, &items);
        let empty: Vec<usize> = Vec::new();
        let get = |s: Slot| uses.get(&s).unwrap_or(&empty);
        let plan = &self.plans[m];
        let mut r = Rng::new(self.seed, S_FILE, m as u64);
        let nsd = self.ns_dir(m);

        out.file(
            &format!("app/models/{nsd}{}.rb", model.under),
            &self.model_file(m, &items, get(Slot::Model), &mut r),
        )?;
        if model.controller {
            let ctl = self.controller_file(m, &items, get(Slot::Controller), &mut r);
            out.file(
                &format!("app/controllers/{nsd}{}_controller.rb", model.plural),
                &ctl,
            )?;
            let vd = self.view_dir(m);
            let row_items = self.pick_items(&items, get(Slot::Row), 1, true, false, &mut r);
            out.file(
                &format!("{vd}/index.html.erb"),
                &self.index_view(m, &items, &row_items),
            )?;
            out.file(
                &format!("{vd}/_row.html.erb"),
                &self.row_view(m, &items, &row_items),
            )?;
            out.file(
                &format!("{vd}/show.html.erb"),
                &self.show_view(m, &items, get(Slot::Show), &mut r),
            )?;
            out.file(&format!("{vd}/_form.html.erb"), &self.form_view(m))?;
            out.file(&format!("{vd}/new.html.erb"), &self.new_edit_view(m, true))?;
            out.file(
                &format!("{vd}/edit.html.erb"),
                &self.new_edit_view(m, false),
            )?;
            if plan.jbuilder {
                out.file(
                    &format!("{vd}/show.json.jbuilder"),
                    &self.jbuilder_show(m, &items, get(Slot::Jbuilder), &mut r),
                )?;
                out.file(
                    &format!("{vd}/index.json.jbuilder"),
                    &self.jbuilder_index(m),
                )?;
            }
            if plan.haml {
                out.file(
                    &format!("{vd}/_summary.html.haml"),
                    &self.haml_partial(m, &items, get(Slot::Haml), &mut r),
                )?;
            }
            if plan.slim {
                out.file(
                    &format!("{vd}/_card.html.slim"),
                    &self.slim_partial(m, &items, get(Slot::Slim), &mut r),
                )?;
            }
            out.file(
                &format!("spec/requests/{nsd}{}_spec.rb", model.plural),
                &self.request_spec(m),
            )?;
            if plan.helper {
                out.file(
                    &format!("app/helpers/{nsd}{}_helper.rb", model.plural),
                    &self.helper_file(m),
                )?;
            }
        }
        for (k, kind) in plan.services.iter().enumerate() {
            let src = self.service_file(m, kind, &items, get(Slot::Service(k as u8)), &mut r);
            out.file(
                &format!(
                    "app/services/{nsd}{}_{}.rb",
                    model.under,
                    camel_to_under(kind)
                ),
                &src,
            )?;
        }
        if let Some(kind) = plan.job {
            out.file(
                &format!(
                    "app/jobs/{nsd}{}_{}_job.rb",
                    model.under,
                    kind.to_lowercase()
                ),
                &self.job_file(m, kind, &items, get(Slot::Job), &mut r),
            )?;
        }
        if plan.query {
            out.file(
                &format!("app/queries/{nsd}{}_query.rb", model.under),
                &self.query_file(m, &items, get(Slot::Query), &mut r),
            )?;
        }
        if plan.serializer {
            out.file(
                &format!("app/serializers/{nsd}{}_serializer.rb", model.under),
                &self.serializer_file(m, &items, get(Slot::Serializer), &mut r),
            )?;
        }
        if plan.presenter {
            out.file(
                &format!("app/presenters/{nsd}{}_presenter.rb", model.under),
                &self.presenter_file(m),
            )?;
        }
        if plan.policy {
            out.file(
                &format!("app/policies/{nsd}{}_policy.rb", model.under),
                &self.policy_file(m),
            )?;
        }
        if plan.form {
            out.file(
                &format!("app/forms/{nsd}{}_form.rb", model.under),
                &self.form_object_file(m),
            )?;
        }
        if plan.mailer {
            let action = MAILER_ACTIONS[m % MAILER_ACTIONS.len()];
            out.file(
                &format!("app/mailers/{nsd}{}_mailer.rb", model.under),
                &self.mailer_file(m, action),
            )?;
            let dir = format!("app/views/{nsd}{}_mailer", model.under);
            out.file(
                &format!("{dir}/{action}.html.erb"),
                &self.mailer_view(m, action, true),
            )?;
            out.file(
                &format!("{dir}/{action}.text.erb"),
                &self.mailer_view(m, action, false),
            )?;
        }
        out.file(
            &format!("spec/models/{nsd}{}_spec.rb", model.under),
            &self.model_spec(m, &items),
        )?;
        out.file(
            &format!(
                "spec/factories/{}{}.rb",
                self.ns_under(m).map(|s| s + "_").unwrap_or_default(),
                model.plural
            ),
            &self.factory_file(m),
        )?;
        Ok(())
    }

    /// Opens the namespace module of `m`, if any.
    fn open_ns(&self, w: &mut W, m: usize) -> bool {
        match self.models[m].ns {
            Some(k) => {
                w.open(&format!("module {}", self.namespaces[k]));
                true
            }
            None => false,
        }
    }

    fn annotate(&self, w: &mut W, m: usize) {
        let t = self.tbl(m);
        w.l("# == Schema Information");
        w.l("#");
        w.l(&format!("# Table name: {}", t.name));
        w.l("#");
        let mut cols: Vec<(String, String)> =
            vec![("id".into(), "bigint           not null, primary key".into())];
        for c in self.ordered_columns(t) {
            let null = if c.opts.contains("null: false") {
                "not null"
            } else {
                ""
            };
            let mut desc = format!("{:<16} {}", format!(":{}", c.ty), null);
            if let Some(d) = c.opts.split("default: ").nth(1) {
                let d = d.split(',').next().unwrap_or("");
                desc = format!(
                    "{:<16} default({}), {}",
                    format!(":{}", c.ty),
                    d.trim_matches('"'),
                    null
                );
            }
            cols.push((
                c.name.clone(),
                desc.trim_end().trim_end_matches(',').to_string(),
            ));
        }
        let width = cols.iter().map(|c| c.0.len()).max().unwrap_or(2) + 1;
        for (n, d) in &cols {
            w.l(&format!(
                "#  {:<width$}:{}",
                n,
                d.trim_start_matches(':'),
                width = width
            ));
        }
        if !t.idx.is_empty() {
            w.l("#");
            w.l("# Indexes");
            w.l("#");
            for i in &t.idx {
                let name = index_name(&t.name, &i.cols);
                let u = if i.unique { " UNIQUE" } else { "" };
                w.l(&format!("#  {name}  ({}){u}", i.cols.join(",")));
            }
        }
        if !t.fks.is_empty() {
            w.l("#");
            w.l("# Foreign Keys");
            w.l("#");
            for (to, col) in &t.fks {
                w.l(&format!("#  fk_rails_...  ({col} => {to}.id)"));
            }
        }
        w.l("#");
    }

    fn model_file(&self, m: usize, items: &[Item], assigned: &[usize], r: &mut Rng) -> String {
        let model = &self.models[m];
        let mut w = W::new();
        self.annotate(&mut w, m);
        let in_ns = self.open_ns(&mut w, m);
        let sup = match model.sti_parent {
            Some(p) => self.models[p].full.clone(),
            None => "ApplicationRecord".into(),
        };
        w.open(&format!("class {} < {sup}", model.name));
        for &c in &model.concerns {
            w.l(&format!("include {}", self.concerns[c].name));
        }
        if !model.concerns.is_empty() {
            w.blank();
        }
        let bts: Vec<&Assoc> = model
            .assocs
            .iter()
            .filter(|a| matches!(a.kind, Kind::BelongsTo | Kind::Poly))
            .collect();
        for a in &bts {
            w.l(&a.render(true));
        }
        if !bts.is_empty() {
            w.blank();
        }
        let rest: Vec<&Assoc> = model
            .assocs
            .iter()
            .filter(|a| !matches!(a.kind, Kind::BelongsTo | Kind::Poly))
            .collect();
        let destroy: Vec<&&Assoc> = rest
            .iter()
            .filter(|a| a.dependent == Some("destroy") && a.kind == Kind::HasMany)
            .collect();
        let grouped = model.with_options && destroy.len() >= 2;
        for a in &rest {
            if grouped && a.dependent == Some("destroy") && a.kind == Kind::HasMany {
                continue;
            }
            w.l(&a.render(true));
        }
        if grouped {
            w.open("with_options dependent: :destroy do");
            for a in &destroy {
                w.l(&a.render(false));
            }
            w.close();
        }
        if let Some(n) = &model.nested {
            w.l(&format!(
                "accepts_nested_attributes_for :{n}, allow_destroy: true"
            ));
        }
        w.blank();
        for s in &model.scopes {
            w.l(&format!("scope :{}, {}", s.name, s.body));
        }
        w.blank();
        for v in &model.validations {
            w.l(v);
        }
        let disp = self.disp(m);
        let callbacks = r.chance(0.5);
        if callbacks {
            w.l(&format!("before_validation :normalize_{disp}"));
        }
        let job = self.plans[m].job;
        if job.is_some() {
            w.l("after_commit :enqueue_follow_up, on: %i[create update]");
        }
        w.blank();

        // Methods: the assigned uses first, then ordinary code up to a line budget.
        let budget = r.range(50, 180);
        let start = w.s.lines().count();
        let t = self.tbl(m);
        let label = humanize(&model.under);
        let mut class_scopes = Vec::new();
        for &i in assigned {
            let it = &items[i];
            if it.kind == IK::Scope {
                class_scopes.push(i);
                continue;
            }
            let name = match it.kind {
                IK::Many | IK::Through | IK::Habtm => format!("summarize_{}", it.name),
                _ => format!("check_{}", it.name),
            };
            w.open(&format!("def {name}"));
            let lines = self.use_ruby(m, it, "", "self.class", r);
            w.ls(&lines);
            w.l("true");
            w.close();
            w.blank();
        }
        let mut templates: Vec<usize> = (1..27).filter(|&x| x != 2).collect();
        r.shuffle(&mut templates);
        templates.insert(0, 2);
        templates.insert(0, 0);
        for tpl in templates {
            if w.s.lines().count() - start >= budget {
                break;
            }
            match tpl {
                0 => {
                    w.open("def display_label");
                    w.open(&format!("if {disp}.present?"));
                    w.l(&format!("\"#{{{disp}}} (##{{id}})\""));
                    w.ind -= 1;
                    w.open("else");
                    w.l(&format!("\"{label} ##{{id}}\""));
                    w.close();
                    w.close();
                    w.blank();
                }
                1 => {
                    w.open("def summary");
                    w.l("<<~TEXT");
                    w.l(&format!("  {label} ##{{id}}"));
                    w.l(&format!("  {}: #{{{disp}}}", capitalize(disp)));
                    if t.status {
                        w.l("  Status: #{status}");
                    }
                    w.l("  Created: #{created_at&.to_date}");
                    w.l("TEXT");
                    w.close();
                    w.blank();
                }
                2 => {
                    w.open("def to_param");
                    w.l(&format!(
                        "[id, {disp}.to_s.parameterize].compact_blank.join(\"-\")"
                    ));
                    w.close();
                    w.blank();
                }
                3 => {
                    w.open("def self.search(term)");
                    w.l("return all if term.blank?");
                    w.l("");
                    w.l(&format!(
                        "where(\"{disp} ILIKE ?\", \"%#{{sanitize_sql_like(term.to_s.strip)}}%\")"
                    ));
                    w.close();
                    w.blank();
                }
                4 => {
                    w.open("def as_summary_json");
                    w.open("{");
                    w.l("id: id,");
                    w.l(&format!("{disp}: {disp},"));
                    if t.status {
                        w.l("status: status,");
                    }
                    w.l("updated_at: updated_at&.iso8601,");
                    w.ind -= 1;
                    w.l("}");
                    w.close();
                    w.blank();
                }
                5 if t.status => {
                    let v = *r.pick(STATUSES);
                    w.open(&format!("def mark_as_{v}!"));
                    w.l(&format!("update!(status: \"{v}\")"));
                    w.close();
                    w.blank();
                    w.open("def status_color");
                    w.l("case status");
                    w.l("when \"active\", \"approved\", \"completed\" then \"green\"");
                    w.l("when \"pending\", \"scheduled\" then \"yellow\"");
                    w.l("when \"rejected\", \"cancelled\", \"expired\" then \"red\"");
                    w.l("else \"grey\"");
                    w.l("end");
                    w.close();
                    w.blank();
                }
                6 if t.has("amount") => {
                    w.open("def formatted_amount");
                    let cur = if t.has("currency") {
                        "currency"
                    } else {
                        "\"USD\""
                    };
                    w.l(&format!("format(\"%.2f %s\", amount.to_f, {cur})"));
                    w.close();
                    w.blank();
                }
                7 => {
                    w.open("def checksum");
                    w.l(&format!(
                        "Digest::SHA256.hexdigest([id, {disp}, updated_at.to_i].join(\":\"))"
                    ));
                    w.close();
                    w.blank();
                }
                8 if t.has("expires_at") => {
                    w.open("def expiring?(within: 7.days)");
                    w.l("expires_at.present? && expires_at < within.from_now");
                    w.close();
                    w.blank();
                }
                9 => {
                    w.open("def stale_for?(period = 90.days)");
                    w.l("updated_at.nil? || updated_at < period.ago");
                    w.close();
                    w.blank();
                }
                10 if t.has("metadata") => {
                    w.open("def metadata_value(key, default = nil)");
                    w.l("value = (metadata || {})[key.to_s]");
                    w.l("value.nil? ? default : value");
                    w.close();
                    w.blank();
                }
                11 => {
                    w.open("def audit_line(action)");
                    w.l("parts = [self.class.name, id, action]");
                    w.l("parts << Time.current.utc.iso8601");
                    w.l("parts.join(\" \")");
                    w.close();
                    w.blank();
                }
                12 => {
                    w.open("def self.import_rows(rows)");
                    w.open("transaction do");
                    w.open("rows.each_with_index do |row, index|");
                    w.l("entry = find_or_initialize_by(id: row[:id])");
                    w.l(&format!("entry.assign_attributes(row.slice(:{disp}))"));
                    w.l("next if entry.save");
                    w.blank();
                    w.l("Rails.logger.warn(\"row #{index}: #{entry.errors.full_messages.to_sentence}\")");
                    w.close();
                    w.close();
                    w.close();
                    w.blank();
                }
                13 => {
                    w.open("def duplicate!(overrides = {})");
                    w.l("copy = dup");
                    w.l("copy.assign_attributes(overrides)");
                    w.l(&format!(
                        "copy.{disp} = \"#{{{disp}}} (copy)\" if copy.{disp} == {disp}"
                    ));
                    w.l("copy.save!");
                    w.l("copy");
                    w.close();
                    w.blank();
                }
                14 => {
                    w.open("def self.csv_header");
                    w.l(&format!("%w[id {disp} created_at updated_at].join(\",\")"));
                    w.close();
                    w.blank();
                    w.open("def to_csv_row");
                    w.l(&format!(
                        "[id, {disp}, created_at&.to_date, updated_at&.to_date]"
                    ));
                    w.l("  .map { |cell| cell.to_s.tr(\",\", \" \") }");
                    w.l("  .join(\",\")");
                    w.close();
                    w.blank();
                }
                15 => {
                    w.open("def age_in_days");
                    w.l("return 0 if created_at.nil?");
                    w.blank();
                    w.l("((Time.current - created_at) / 1.day).floor");
                    w.close();
                    w.blank();
                }
                16 => {
                    w.open("def notification_payload(reason)");
                    w.open("{");
                    w.l("type: self.class.name.underscore,");
                    w.l("id: id,");
                    w.l("reason: reason.to_s,");
                    w.l(&format!("subject: {disp}.to_s.truncate(60),"));
                    w.l("at: Time.current.iso8601,");
                    w.ind -= 1;
                    w.l("}");
                    w.close();
                    w.blank();
                }
                17 => {
                    w.open("def self.monthly_counts");
                    w.l("sql = <<~SQL");
                    w.l("  SELECT date_trunc('month', created_at) AS month, count(*) AS total");
                    w.l("  FROM #{table_name}");
                    w.l("  GROUP BY 1");
                    w.l("  ORDER BY 1 DESC");
                    w.l("  LIMIT 12");
                    w.l("SQL");
                    w.l("connection.select_rows(sql).to_h");
                    w.close();
                    w.blank();
                }
                18 => {
                    w.open(&format!("def {disp}_too_long?(limit = 200)"));
                    w.l(&format!("return false if {disp}.blank?"));
                    w.blank();
                    w.l(&format!("{disp}.length > limit"));
                    w.close();
                    w.blank();
                }
                19 => {
                    w.open("def cache_version_key");
                    w.l("\"#{self.class.name.underscore}/#{id}-#{updated_at&.to_i}\"");
                    w.close();
                    w.blank();
                    w.open("def comparable_attributes");
                    w.l("attributes.except(\"id\", \"created_at\", \"updated_at\")");
                    w.close();
                    w.blank();
                }
                20 => {
                    w.open("def changed_since?(time)");
                    w.l("updated_at.present? && updated_at > time");
                    w.close();
                    w.blank();
                }
                21 if t.status => {
                    w.open("def human_status");
                    w.l("status.to_s.humanize.presence || \"Unknown\"");
                    w.close();
                    w.blank();
                    w.open("def transition_to(next_status, actor: nil)");
                    w.l("previous = status");
                    w.l("return false if previous == next_status.to_s");
                    w.blank();
                    w.l("self.status = next_status.to_s");
                    w.open("if save");
                    w.l("Rails.logger.info(\"#{self.class.name} #{id}: #{previous} -> #{status} by #{actor || 'system'}\")");
                    w.l("true");
                    w.ind -= 1;
                    w.open("else");
                    w.l("self.status = previous");
                    w.l("false");
                    w.close();
                    w.close();
                    w.blank();
                }
                22 if t.has("amount") => {
                    w.open("def amount_with_tax(rate = BigDecimal(\"0.2\"))");
                    w.l("return BigDecimal(\"0\") if amount.nil?");
                    w.blank();
                    w.l("(amount * (1 + rate)).round(2)");
                    w.close();
                    w.blank();
                }
                23 if t.has("position") => {
                    w.open("def position_label");
                    w.l("\"##{position.to_i + 1}\"");
                    w.close();
                    w.blank();
                    w.open("def move_up!");
                    w.l("return if position.to_i.zero?");
                    w.blank();
                    w.l("update!(position: position - 1)");
                    w.close();
                    w.blank();
                }
                24 => {
                    w.open("def self.bulk_touch(ids)");
                    w.l("return 0 if ids.blank?");
                    w.blank();
                    w.l("where(id: ids).in_batches(of: 500).sum do |batch|");
                    w.l("  batch.update_all(updated_at: Time.current)");
                    w.l("end");
                    w.close();
                    w.blank();
                }
                25 => {
                    w.open("def inspect_summary");
                    w.l("details = []");
                    w.l(&format!("details << \"{disp}=#{{{disp}.inspect}}\""));
                    w.l("details << \"new\" if new_record?");
                    w.l("details << \"changed=#{changed.join('/')}\" if changed?");
                    w.l("\"#<#{self.class.name} #{details.join(' ')}>\"");
                    w.close();
                    w.blank();
                }
                26 if t.has("starts_on") => {
                    w.open("def started?");
                    w.l("starts_on.present? && starts_on <= Date.current");
                    w.close();
                    w.blank();
                    w.open("def days_until_start");
                    w.l("return nil if starts_on.nil?");
                    w.blank();
                    w.l("(starts_on - Date.current).to_i");
                    w.close();
                    w.blank();
                }
                _ => {}
            }
        }
        if !class_scopes.is_empty() {
            w.open("def self.dashboard_rows");
            for &i in &class_scopes {
                let lines = self.use_ruby(m, &items[i], "", "", r);
                w.ls(&lines);
            }
            w.l("all.limit(50)");
            w.close();
            w.blank();
        }
        if callbacks || job.is_some() {
            w.l("private");
            w.blank();
            if callbacks {
                w.open(&format!("def normalize_{disp}"));
                w.l(&format!(
                    "self.{disp} = {disp}.to_s.strip.squeeze(\" \") if {disp}"
                ));
                w.close();
                w.blank();
            }
            if let Some(kind) = job {
                w.open("def enqueue_follow_up");
                w.l(&format!(
                    "{}{}{}Job.perform_later(id)",
                    self.models[m]
                        .ns
                        .map(|k| format!("{}::", self.namespaces[k]))
                        .unwrap_or_default(),
                    model.name,
                    kind
                ));
                w.close();
            }
        }
        trim_blank_before_end(&mut w);
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn concern_file(&self, c: usize) -> String {
        let con = &self.concerns[c];
        let mut w = W::new();
        w.open(&format!("module {}", con.name));
        w.l("extend ActiveSupport::Concern");
        w.blank();
        let has_included = con.has_many.is_some()
            || con.scope.is_some()
            || con
                .plain
                .is_some_and(|p| PLAIN_CONCERNS[p].validation.is_some());
        if has_included {
            w.open("included do");
            if let Some(a) = &con.has_many {
                w.l(&a.render(true));
            }
            if let Some(s) = &con.scope {
                w.l(&format!("scope :{}, {}", s.name, s.body));
            }
            if let Some(p) = con.plain {
                if let Some(v) = PLAIN_CONCERNS[p].validation {
                    w.l(v);
                }
            }
            w.close();
            w.blank();
        }
        if let Some((pn, _child)) = &con.poly {
            let a = con.has_many.as_ref().unwrap();
            w.open(&format!("def {pn}_count"));
            w.l(&format!("{}.size", a.name));
            w.close();
            w.blank();
            w.open(&format!("def latest_{pn}_entries(limit = 5)"));
            w.l(&format!("{}.order(created_at: :desc).limit(limit)", a.name));
            w.close();
        }
        if let Some(p) = con.plain {
            for l in PLAIN_CONCERNS[p].methods {
                w.l(l);
            }
        }
        trim_blank_before_end(&mut w);
        w.close();
        w.finish()
    }

    fn permitted(&self, m: usize) -> Vec<String> {
        let t = self.tbl(m);
        let mut v = vec![format!(":{}", self.disp(m))];
        for c in [
            "status",
            "kind",
            "description",
            "position",
            "amount",
            "currency",
            "starts_on",
        ] {
            if t.has(c) {
                v.push(format!(":{c}"));
            }
        }
        let model_idx = self.models[m].sti_parent.unwrap_or(m);
        for a in &self.models[model_idx].assocs {
            if a.kind == Kind::BelongsTo && a.usage == Usage::App {
                let fk = a
                    .opts
                    .iter()
                    .find_map(|o| o.strip_prefix("foreign_key: :"))
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{}_id", a.name));
                v.push(format!(":{fk}"));
            }
        }
        v
    }

    fn controller_file(&self, m: usize, items: &[Item], assigned: &[usize], r: &mut Rng) -> String {
        let model = &self.models[m];
        let (v, pl, mc) = (&model.under, &model.plural, &model.full);
        let iv = format!("@{v}");
        let route = self.route(m);
        let rp = self.route_plural(m);
        let label = humanize(v);
        let mut w = W::new();
        let in_ns = self.open_ns(&mut w, m);
        w.open(&format!(
            "class {}Controller < ApplicationController",
            under_to_camel(pl)
        ));
        w.l(&format!(
            "before_action :set_{v}, only: %i[show edit update destroy]"
        ));
        w.blank();
        let scopes: Vec<usize> = assigned
            .iter()
            .copied()
            .filter(|&i| items[i].kind == IK::Scope)
            .collect();
        let assocs: Vec<usize> = assigned
            .iter()
            .copied()
            .filter(|&i| items[i].kind != IK::Scope)
            .collect();
        w.l(&format!("# GET /{pl}"));
        w.open("def index");
        let first_noarg = scopes.iter().copied().find(|&i| items[i].arg.is_none());
        match first_noarg {
            Some(i) => w.l(&format!(
                "@{pl} = {mc}.{}.order(created_at: :desc).limit(50)",
                items[i].name
            )),
            None => w.l(&format!("@{pl} = {mc}.order(created_at: :desc).limit(50)")),
        }
        for &i in &scopes {
            if Some(i) == first_noarg {
                continue;
            }
            let it = &items[i];
            match &it.arg {
                Some((key, _)) => {
                    w.l(&format!(
                        "@{pl} = @{pl}.{}(params[:{key}]) if params[:{key}].present?",
                        it.name
                    ));
                }
                None => w.l(&format!("@{}_count = {mc}.{}.count", it.name, it.name)),
            }
        }
        w.close();
        w.blank();
        w.l(&format!("# GET /{rp}/1"));
        w.open("def show");
        for &i in &assocs {
            let it = &items[i];
            match it.kind {
                IK::Many | IK::Through | IK::Habtm => {
                    w.l(&format!("@{} = {iv}.{}.limit(20)", it.name, it.name));
                }
                _ => {
                    let lines = self.use_ruby(m, it, &iv, mc, r);
                    w.ls(&lines);
                }
            }
        }
        if assocs.is_empty() {
            w.l(&format!("fresh_when({iv})"));
        }
        w.close();
        w.blank();
        w.l(&format!("# GET /{rp}/new"));
        w.open("def new");
        w.l(&format!("{iv} = {mc}.new"));
        w.close();
        w.blank();
        w.l(&format!("# GET /{rp}/1/edit"));
        w.open("def edit");
        w.close();
        w.blank();
        w.l(&format!("# POST /{rp} or /{rp}.json"));
        w.open("def create");
        w.l(&format!("{iv} = {mc}.new({v}_params)"));
        w.blank();
        w.open("respond_to do |format|");
        w.open(&format!("if {iv}.save"));
        w.l(&format!(
            "format.html {{ redirect_to {route}_url({iv}), notice: \"{label} was successfully created.\" }}"
        ));
        w.l(&format!(
            "format.json {{ render :show, status: :created, location: {iv} }}"
        ));
        w.ind -= 1;
        w.open("else");
        w.l("format.html { render :new, status: :unprocessable_entity }");
        w.l(&format!(
            "format.json {{ render json: {iv}.errors, status: :unprocessable_entity }}"
        ));
        w.close();
        w.close();
        w.close();
        w.blank();
        w.l(&format!("# PATCH/PUT /{rp}/1 or /{rp}/1.json"));
        w.open("def update");
        w.open("respond_to do |format|");
        w.open(&format!("if {iv}.update({v}_params)"));
        w.l(&format!(
            "format.html {{ redirect_to {route}_url({iv}), notice: \"{label} was successfully updated.\" }}"
        ));
        w.l(&format!(
            "format.json {{ render :show, status: :ok, location: {iv} }}"
        ));
        w.ind -= 1;
        w.open("else");
        w.l("format.html { render :edit, status: :unprocessable_entity }");
        w.l(&format!(
            "format.json {{ render json: {iv}.errors, status: :unprocessable_entity }}"
        ));
        w.close();
        w.close();
        w.close();
        w.blank();
        w.l(&format!("# DELETE /{rp}/1 or /{rp}/1.json"));
        w.open("def destroy");
        w.l(&format!("{iv}.destroy!"));
        w.blank();
        w.open("respond_to do |format|");
        w.l(&format!(
            "format.html {{ redirect_to {rp}_url, notice: \"{label} was successfully destroyed.\" }}"
        ));
        w.l("format.json { head :no_content }");
        w.close();
        w.close();
        w.blank();
        w.l("private");
        w.blank();
        w.l("# Use callbacks to share common setup or constraints between actions.");
        w.open(&format!("def set_{v}"));
        w.l(&format!("{iv} = {mc}.find(params[:id])"));
        w.close();
        w.blank();
        w.l("# Only allow a list of trusted parameters through.");
        w.open(&format!("def {v}_params"));
        w.l(&format!(
            "params.require(:{route}).permit({})",
            self.permitted(m).join(", ")
        ));
        w.close();
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn row_cells(&self, m: usize, items: &[Item], row_items: &[usize]) -> Vec<(String, String)> {
        let v = &self.models[m].under;
        let mut out = Vec::new();
        for &i in row_items {
            let it = &items[i];
            let cell = match it.kind {
                IK::Many | IK::Through | IK::Habtm => format!("<%= {v}.{}.size %>", it.name),
                IK::One | IK::Belongs => {
                    format!("<%= {v}.{}&.{} %>", it.name, self.disp(it.target.unwrap()))
                }
                IK::Poly => format!("<%= {v}.{}&.id %>", it.name),
                IK::Scope => continue,
            };
            out.push((humanize(&it.name), cell));
        }
        out
    }

    fn index_view(&self, m: usize, items: &[Item], row_items: &[usize]) -> String {
        let model = &self.models[m];
        let (v, pl) = (&model.under, &model.plural);
        let title = humanize(pl);
        let rp = self.route_plural(m);
        let route = self.route(m);
        let t = self.tbl(m);
        let mut s = String::with_capacity(2048);
        s.push_str(&format!("<% content_for :title, \"{title}\" %>\n\n"));
        s.push_str("<div class=\"page-header d-flex justify-content-between\">\n");
        s.push_str(&format!("  <h1>{title}</h1>\n"));
        s.push_str(&format!(
            "  <%= link_to \"New {}\", new_{route}_path, class: \"btn btn-primary\" %>\n",
            humanize(v).to_lowercase()
        ));
        s.push_str("</div>\n\n");
        s.push_str(&format!(
            "<%= form_with url: {rp}_path, method: :get, class: \"filters\" do |f| %>\n"
        ));
        s.push_str("  <div class=\"filter-group\">\n    <%= f.label :q, \"Search\", class: \"visually-hidden\" %>\n    <%= f.search_field :q, value: params[:q], placeholder: \"Search\", class: \"form-control\" %>\n  </div>\n");
        if t.status {
            s.push_str("  <div class=\"filter-group\">\n    <%= f.label :status, class: \"visually-hidden\" %>\n    <%= f.select :status, options_for_select(%w[pending active archived], params[:status]), { include_blank: \"Any status\" }, class: \"form-select\" %>\n  </div>\n");
        }
        s.push_str("  <%= f.submit \"Filter\", class: \"btn btn-secondary\" %>\n");
        s.push_str("<% end %>\n\n");
        s.push_str(&format!("<% if @{pl}.empty? %>\n"));
        s.push_str(&format!(
            "  <p class=\"empty\">No {} yet.</p>\n",
            title.to_lowercase()
        ));
        s.push_str("<% else %>\n");
        s.push_str("  <table class=\"table table-striped\">\n    <thead>\n      <tr>\n");
        s.push_str(&format!("        <th>{}</th>\n", capitalize(self.disp(m))));
        if t.status {
            s.push_str("        <th>Status</th>\n");
        }
        for (h, _) in self.row_cells(m, items, row_items) {
            s.push_str(&format!("        <th>{h}</th>\n"));
        }
        s.push_str(
            "        <th>Updated</th>\n        <th></th>\n      </tr>\n    </thead>\n    <tbody>\n",
        );
        s.push_str(&format!("      <% @{pl}.each do |{v}| %>\n"));
        s.push_str(&format!("        <%= render \"row\", {v}: {v} %>\n"));
        s.push_str("      <% end %>\n    </tbody>\n  </table>\n\n");
        s.push_str("  <nav class=\"pagination\" aria-label=\"Pagination\">\n");
        s.push_str("    <% page = params.fetch(:page, 1).to_i %>\n");
        s.push_str(&format!(
            "    <%= link_to \"Previous\", {rp}_path(page: page - 1, q: params[:q]), class: \"page-link\" if page > 1 %>\n"
        ));
        s.push_str("    <span class=\"page-current\">Page <%= page %></span>\n");
        s.push_str(&format!(
            "    <%= link_to \"Next\", {rp}_path(page: page + 1, q: params[:q]), class: \"page-link\" if @{pl}.size >= 50 %>\n"
        ));
        s.push_str("  </nav>\n<% end %>\n\n");
        s.push_str(&format!(
            "<p class=\"summary text-muted\">\n  Showing <%= @{pl}.size %> {}, last updated\n  <%= @{pl}.map(&:updated_at).compact.max&.then {{ |time| time_ago_in_words(time) + \" ago\" }} || \"never\" %>.\n</p>\n",
            title.to_lowercase()
        ));
        s
    }

    fn row_view(&self, m: usize, items: &[Item], row_items: &[usize]) -> String {
        let v = &self.models[m].under;
        let t = self.tbl(m);
        let mut s = String::with_capacity(1024);
        s.push_str(&format!("<tr id=\"<%= dom_id({v}) %>\">\n"));
        s.push_str(&format!(
            "  <td><%= link_to {v}.{}, {} %></td>\n",
            self.disp(m),
            self.polymorphic_path(m, v)
        ));
        if t.status {
            s.push_str(&format!(
                "  <td><span class=\"badge badge-<%= {v}.status %>\"><%= {v}.status.to_s.humanize %></span></td>\n"
            ));
        }
        for (_, cell) in self.row_cells(m, items, row_items) {
            s.push_str(&format!("  <td>{cell}</td>\n"));
        }
        s.push_str(&format!(
            "  <td><%= time_ago_in_words({v}.updated_at) %> ago</td>\n"
        ));
        s.push_str("  <td class=\"actions\">\n");
        s.push_str(&format!(
            "    <%= link_to \"Edit\", edit_{}_path({v}), class: \"btn btn-sm\" %>\n",
            self.route(m)
        ));
        s.push_str(&format!(
            "    <%= button_to \"Delete\", {}, method: :delete, form: {{ data: {{ turbo_confirm: \"Are you sure?\" }} }}, class: \"btn btn-sm btn-danger\" %>\n",
            self.polymorphic_path(m, v)
        ));
        s.push_str("  </td>\n</tr>\n");
        s
    }

    fn show_view(&self, m: usize, items: &[Item], assigned: &[usize], r: &mut Rng) -> String {
        let model = &self.models[m];
        let v = &model.under;
        let iv = format!("@{v}");
        let route = self.route(m);
        let t = self.tbl(m);
        let disp = self.disp(m);
        let show_items = self.pick_items(items, assigned, r.range(0, 2), true, false, r);
        let mut s = String::with_capacity(3000);
        s.push_str(&format!("<% content_for :title, {iv}.{disp} %>\n\n"));
        s.push_str(&format!(
            "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">\n  <ol>\n    <li><%= link_to \"Home\", \"/\" %></li>\n    <li><%= link_to \"{}\", {}_path %></li>\n    <li aria-current=\"page\"><%= truncate({iv}.{disp}, length: 40) %></li>\n  </ol>\n</nav>\n\n",
            humanize(&model.plural),
            self.route_plural(m)
        ));
        s.push_str(&format!(
            "<article class=\"{}\" id=\"<%= dom_id({iv}) %>\">\n",
            v.replace('_', "-")
        ));
        s.push_str(&format!(
            "  <h1><%= {iv}.{disp} %></h1>\n\n  <dl class=\"details\">\n"
        ));
        for c in [
            "status",
            "kind",
            "description",
            "amount",
            "starts_on",
            "expires_at",
        ] {
            if t.has(c) {
                s.push_str(&format!("    <dt>{}</dt>\n", humanize(c)));
                let val = match c {
                    "amount" => format!("<%= number_to_currency({iv}.amount) %>"),
                    "description" => format!("<%= simple_format({iv}.description) %>"),
                    "expires_at" => {
                        format!("<%= l({iv}.expires_at, format: :long) if {iv}.expires_at %>")
                    }
                    _ => format!("<%= {iv}.{c} %>"),
                };
                s.push_str(&format!("    <dd>{val}</dd>\n"));
            }
        }
        s.push_str(&format!(
            "    <dt>Created</dt>\n    <dd><%= l({iv}.created_at, format: :short) %></dd>\n  </dl>\n"
        ));
        for &i in &show_items {
            let it = &items[i];
            let title = humanize(&it.name);
            match it.kind {
                IK::Many | IK::Through | IK::Habtm => {
                    let t = it.target.unwrap();
                    let tv = self.block_var(t, v);
                    let td = self.disp(t);
                    s.push_str(&format!("\n  <section class=\"{}\">\n", it.name));
                    s.push_str(&format!(
                        "    <h2>{title} (<%= {iv}.{}.size %>)</h2>\n",
                        it.name
                    ));
                    s.push_str(&format!("    <% if {iv}.{}.any? %>\n      <ul>\n", it.name));
                    s.push_str(&format!(
                        "        <% {iv}.{}.limit(25).each do |{tv}| %>\n",
                        it.name
                    ));
                    s.push_str(&format!("          <li><%= {tv}.{td} %></li>\n"));
                    s.push_str("        <% end %>\n      </ul>\n    <% else %>\n");
                    s.push_str(&format!(
                        "      <p class=\"muted\">No {} yet.</p>\n",
                        title.to_lowercase()
                    ));
                    s.push_str("    <% end %>\n  </section>\n");
                }
                IK::One | IK::Belongs => {
                    let td = self.disp(it.target.unwrap());
                    s.push_str(&format!(
                        "\n  <p><strong>{title}:</strong> <%= {iv}.{}&.{td} || \"—\" %></p>\n",
                        it.name
                    ));
                }
                IK::Poly => {
                    s.push_str(&format!(
                        "\n  <p><strong>{title}:</strong> <%= {iv}.{n}.class.name if {iv}.{n} %></p>\n",
                        n = it.name
                    ));
                }
                IK::Scope => {}
            }
        }
        if self.plans[m].haml {
            s.push_str(&format!("\n  <%= render \"summary\", {v}: {iv} %>\n"));
        }
        if self.plans[m].slim {
            s.push_str(&format!("\n  <%= render \"card\", {v}: {iv} %>\n"));
        }
        s.push_str("\n  <aside class=\"metadata\">\n    <h3>Record</h3>\n    <table class=\"table table-sm\">\n");
        s.push_str(&format!(
            "      <tr><th>ID</th><td><code><%= {iv}.id %></code></td></tr>\n"
        ));
        s.push_str(&format!(
            "      <tr><th>Updated</th><td><%= time_ago_in_words({iv}.updated_at) %> ago</td></tr>\n"
        ));
        s.push_str(&format!(
            "      <tr><th>Cache key</th><td><small><%= {iv}.cache_key_with_version %></small></td></tr>\n"
        ));
        s.push_str("    </table>\n  </aside>\n");
        s.push_str("\n  <div class=\"actions\">\n");
        s.push_str(&format!(
            "    <%= link_to \"Edit\", edit_{route}_path({iv}), class: \"btn\" %>\n"
        ));
        s.push_str(&format!(
            "    <%= link_to \"Back\", {}_path, class: \"btn btn-link\" %>\n",
            self.route_plural(m)
        ));
        s.push_str("  </div>\n</article>\n");
        s
    }

    fn form_view(&self, m: usize) -> String {
        let v = &self.models[m].under;
        let iv = format!("@{v}");
        let t = self.tbl(m);
        let model_arg = match self.ns_under(m) {
            Some(ns) => format!("[:{ns}, {iv}]"),
            None => iv.clone(),
        };
        let mut s = String::with_capacity(2048);
        s.push_str(&format!("<%= form_with model: {model_arg} do |form| %>\n"));
        s.push_str(&format!("  <% if {iv}.errors.any? %>\n"));
        s.push_str("    <div class=\"alert alert-danger\">\n");
        s.push_str(&format!(
            "      <h2><%= pluralize({iv}.errors.count, \"error\") %> prohibited this {} from being saved:</h2>\n",
            humanize(v).to_lowercase()
        ));
        s.push_str(&format!(
            "      <ul>\n        <% {iv}.errors.full_messages.each do |message| %>\n          <li><%= message %></li>\n        <% end %>\n      </ul>\n    </div>\n  <% end %>\n"
        ));
        let field = |s: &mut String, name: &str, input: String| {
            s.push_str(&format!(
                "\n  <div class=\"field mb-3\">\n    <%= form.label :{name}, class: \"form-label\" %>\n    {input}\n    <% if {iv}.errors[:{name}].any? %>\n      <div class=\"invalid-feedback d-block\"><%= {iv}.errors[:{name}].to_sentence %></div>\n    <% end %>\n  </div>\n"
            ));
        };
        let disp = self.disp(m);
        field(&mut s, disp, format!("<%= form.text_field :{disp} %>"));
        if t.status {
            field(
                &mut s,
                "status",
                "<%= form.select :status, %w[pending active archived], include_blank: false %>"
                    .into(),
            );
        }
        if t.has("description") {
            field(
                &mut s,
                "description",
                "<%= form.text_area :description, rows: 4 %>".into(),
            );
        }
        if t.has("amount") {
            field(
                &mut s,
                "amount",
                "<%= form.number_field :amount, step: 0.01 %>".into(),
            );
        }
        if t.has("starts_on") {
            field(
                &mut s,
                "starts_on",
                "<%= form.date_field :starts_on %>".into(),
            );
        }
        let owner = self.models[m].sti_parent.unwrap_or(m);
        for a in &self.models[owner].assocs {
            if a.kind != Kind::BelongsTo || a.usage != Usage::App {
                continue;
            }
            let p = a.target.unwrap();
            let fk = a
                .opts
                .iter()
                .find_map(|o| o.strip_prefix("foreign_key: :"))
                .map(str::to_string)
                .unwrap_or_else(|| format!("{}_id", a.name));
            field(
                &mut s,
                &fk,
                format!(
                    "<%= form.collection_select :{fk}, {}.order(:{d}), :id, :{d}, include_blank: true %>",
                    self.models[p].full,
                    d = self.disp(p)
                ),
            );
        }
        s.push_str("\n  <div class=\"actions\">\n    <%= form.submit class: \"btn btn-primary\" %>\n  </div>\n<% end %>\n");
        s
    }

    fn new_edit_view(&self, m: usize, new: bool) -> String {
        let v = &self.models[m].under;
        let label = humanize(v).to_lowercase();
        let route = self.route(m);
        if new {
            format!(
                "<% content_for :title, \"New {label}\" %>\n\n<h1>New {label}</h1>\n\n<%= render \"form\", {v}: @{v} %>\n\n<div>\n  <%= link_to \"Back to {label}s\", {}_path %>\n</div>\n",
                self.route_plural(m)
            )
        } else {
            format!(
                "<% content_for :title, \"Editing {label}\" %>\n\n<h1>Editing {label}</h1>\n\n<%= render \"form\", {v}: @{v} %>\n\n<div>\n  <%= link_to \"Show this {label}\", {route}_path(@{v}) %> |\n  <%= link_to \"Back to {label}s\", {}_path %>\n</div>\n",
                self.route_plural(m)
            )
        }
    }

    fn jbuilder_show(&self, m: usize, items: &[Item], assigned: &[usize], r: &mut Rng) -> String {
        let v = &self.models[m].under;
        let iv = format!("@{v}");
        let t = self.tbl(m);
        let mut w = W::new();
        let mut attrs = vec![":id".to_string(), format!(":{}", self.disp(m))];
        for c in ["status", "kind", "amount", "position"] {
            if t.has(c) {
                attrs.push(format!(":{c}"));
            }
        }
        attrs.push(":created_at".into());
        attrs.push(":updated_at".into());
        w.l(&format!("json.extract! {iv}, {}", attrs.join(", ")));
        let its = self.pick_items(items, assigned, r.range(0, 1), true, false, r);
        for &i in &its {
            let it = &items[i];
            match it.kind {
                IK::Many | IK::Through | IK::Habtm => {
                    let t = it.target.unwrap();
                    let tv = self.block_var(t, v);
                    w.open(&format!(
                        "json.{} {iv}.{}.limit(50) do |{tv}|",
                        it.name, it.name
                    ));
                    w.l(&format!("json.extract! {tv}, :id, :{}", self.disp(t)));
                    w.close();
                }
                IK::One | IK::Belongs | IK::Poly => {
                    w.l(&format!("json.{}_id {iv}.{}&.id", it.name, it.name));
                }
                IK::Scope => {}
            }
        }
        w.l(&format!(
            "json.url {}_url({iv}, format: :json)",
            self.route(m)
        ));
        w.finish()
    }

    fn jbuilder_index(&self, m: usize) -> String {
        let model = &self.models[m];
        let v = &model.under;
        format!(
            "json.array! @{} do |{v}|\n  json.extract! {v}, :id, :{}, :created_at, :updated_at\n  json.url {}_url({v}, format: :json)\nend\n",
            model.plural,
            self.disp(m),
            self.route(m)
        )
    }

    fn haml_partial(&self, m: usize, items: &[Item], assigned: &[usize], r: &mut Rng) -> String {
        let v = &self.models[m].under;
        let its = self.pick_items(items, assigned, 1, true, false, r);
        let mut s = String::new();
        s.push_str(&format!(
            ".{}-summary{{ id: dom_id({v}, :summary) }}\n",
            v.replace('_', "-")
        ));
        s.push_str(&format!("  %h3= {v}.{}\n", self.disp(m)));
        if self.tbl(m).status {
            s.push_str(&format!("  %p.status= {v}.status.to_s.humanize\n"));
        }
        for &i in &its {
            let it = &items[i];
            match it.kind {
                IK::Many | IK::Through | IK::Habtm => {
                    let t = it.target.unwrap();
                    let tv = self.block_var(t, v);
                    s.push_str(&format!("  %ul.{}\n", it.name.replace('_', "-")));
                    s.push_str(&format!("    - {v}.{}.limit(5).each do |{tv}|\n", it.name));
                    s.push_str(&format!("      %li= {tv}.{}\n", self.disp(t)));
                }
                IK::One | IK::Belongs => {
                    s.push_str(&format!(
                        "  %p= {v}.{}&.{}\n",
                        it.name,
                        self.disp(it.target.unwrap())
                    ));
                }
                IK::Poly => s.push_str(&format!("  %p= {v}.{}&.id\n", it.name)),
                IK::Scope => {}
            }
        }
        s.push_str(&format!(
            "  %small Updated #{{time_ago_in_words({v}.updated_at)}} ago\n"
        ));
        s
    }

    fn slim_partial(&self, m: usize, items: &[Item], assigned: &[usize], r: &mut Rng) -> String {
        let v = &self.models[m].under;
        let its = self.pick_items(items, assigned, 1, true, false, r);
        let mut s = String::new();
        s.push_str(&format!(".card id=dom_id({v})\n  .card-body\n"));
        s.push_str(&format!("    h5.card-title = {v}.{}\n", self.disp(m)));
        for &i in &its {
            let it = &items[i];
            match it.kind {
                IK::Many | IK::Through | IK::Habtm => {
                    let t = it.target.unwrap();
                    let tv = self.block_var(t, v);
                    s.push_str(&format!("    - {v}.{}.limit(3).each do |{tv}|\n", it.name));
                    s.push_str(&format!("      span.badge = {tv}.{}\n", self.disp(t)));
                }
                IK::One | IK::Belongs => {
                    s.push_str(&format!(
                        "    p.card-text = {v}.{}&.{}\n",
                        it.name,
                        self.disp(it.target.unwrap())
                    ));
                }
                IK::Poly => s.push_str(&format!("    p.card-text = {v}.{}&.id\n", it.name)),
                IK::Scope => {}
            }
        }
        s.push_str(&format!(
            "    small.text-muted = l({v}.updated_at, format: :short)\n"
        ));
        s
    }

    fn service_file(
        &self,
        m: usize,
        kind: &str,
        items: &[Item],
        assigned: &[usize],
        r: &mut Rng,
    ) -> String {
        let model = &self.models[m];
        let v = &model.under;
        let mc = &model.full;
        let mut w = W::new();
        let in_ns = self.open_ns(&mut w, m);
        let class = format!("{}{}", model.name, kind);
        w.open(&format!("class {class}"));
        w.l(&format!("BATCH_SIZE = {}", 100 * r.range(1, 10)));
        w.blank();
        w.l(&format!("attr_reader :{v}, :logger"));
        w.blank();
        w.open(&format!("def initialize({v}, logger: Rails.logger)"));
        w.l(&format!("@{v} = {v}"));
        w.l("@logger = logger");
        w.close();
        w.blank();
        w.open("def self.call(*args, **kwargs)");
        w.l("new(*args, **kwargs).call");
        w.close();
        w.blank();
        w.open("def call");
        w.l(&format!("return false if {v}.nil?"));
        w.blank();
        let its = self.pick_items(items, assigned, r.range(1, 3), false, false, r);
        let (scopes, assocs): (Vec<usize>, Vec<usize>) =
            its.iter().partition(|&&i| items[i].kind == IK::Scope);
        for &i in &assocs {
            let lines = self.use_ruby(m, &items[i], v, mc, r);
            w.ls(&lines);
        }
        w.l(&format!("logger.info(\"[{class}] finished #{{{v}.id}}\")"));
        w.l("true");
        w.ind -= 1;
        w.open("rescue ActiveRecord::RecordInvalid => e");
        w.l(&format!("logger.warn(\"[{class}] #{{e.message}}\")"));
        w.l("false");
        w.close();
        w.blank();
        if !scopes.is_empty() {
            w.open("def self.batch_candidates");
            for &i in &scopes {
                let lines = self.use_ruby(m, &items[i], "", mc, r);
                w.ls(&lines);
            }
            w.l(&format!(
                "{mc}.where(updated_at: ..1.day.ago).limit(BATCH_SIZE)"
            ));
            w.close();
            w.blank();
        }
        w.l("private");
        w.blank();
        w.open("def payload");
        w.open("{");
        w.l(&format!("id: {v}.id,"));
        w.l(&format!("label: {v}.{},", self.disp(m)));
        w.l("generated_at: Time.current.iso8601,");
        w.l(&format!("source: \"{}\",", camel_to_under(kind)));
        w.ind -= 1;
        w.l("}");
        w.close();
        w.blank();
        w.open("def chunked(records)");
        w.open("records.each_slice(BATCH_SIZE).with_index do |slice, index|");
        w.l("logger.debug(\"chunk #{index}: #{slice.size} records\")");
        w.l("yield slice");
        w.close();
        w.close();
        let mut helpers: Vec<usize> = (0..12).collect();
        r.shuffle(&mut helpers);
        for h in helpers.into_iter().take(r.range(4, 8)) {
            w.blank();
            service_helper(&mut w, h, &class);
        }
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn job_file(
        &self,
        m: usize,
        kind: &str,
        items: &[Item],
        assigned: &[usize],
        r: &mut Rng,
    ) -> String {
        let model = &self.models[m];
        let v = &model.under;
        let mc = &model.full;
        let mut w = W::new();
        let in_ns = self.open_ns(&mut w, m);
        w.open(&format!("class {}{}Job < ApplicationJob", model.name, kind));
        w.l(&format!(
            "queue_as :{}",
            r.pick(&["default", "low", "mailers", "critical"])
        ));
        w.l("retry_on ActiveRecord::Deadlocked, wait: 5.seconds, attempts: 3");
        w.l("discard_on ActiveJob::DeserializationError");
        w.blank();
        w.open("around_perform do |job, block|");
        w.l("started = Time.current");
        w.l("block.call");
        w.l("Rails.logger.info(\"#{job.class.name} took #{(Time.current - started).round(2)}s\")");
        w.close();
        w.blank();
        w.open(&format!("def perform({v}_id)"));
        w.l(&format!("{v} = {mc}.find_by(id: {v}_id)"));
        w.l(&format!("return if {v}.nil?"));
        w.blank();
        let its = self.pick_items(items, assigned, r.range(0, 2), false, false, r);
        for &i in &its {
            let it = &items[i];
            let lines = if it.kind == IK::Scope {
                self.use_ruby(m, it, "", mc, r)
            } else {
                self.use_ruby(m, it, v, mc, r)
            };
            w.ls(&lines);
        }
        w.l(&format!("{v}.touch(:updated_at)"));
        w.l(&format!("log(\"done\", {v}.id)"));
        w.close();
        w.blank();
        w.l("private");
        w.blank();
        w.open("def log(message, id)");
        w.l("Rails.logger.info(\"[#{self.class.name}] #{message} id=#{id} job=#{job_id}\")");
        w.close();
        w.blank();
        w.open("def lock_key(id)");
        w.l("\"#{self.class.name.underscore}:#{id}\"");
        w.close();
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn query_file(&self, m: usize, items: &[Item], assigned: &[usize], r: &mut Rng) -> String {
        let model = &self.models[m];
        let mc = &model.full;
        let mut w = W::new();
        let in_ns = self.open_ns(&mut w, m);
        w.open(&format!("class {}Query", model.name));
        w.open(&format!("def initialize(relation = {mc}.all)"));
        w.l("@relation = relation");
        w.close();
        w.blank();
        w.open("def call(filters = {})");
        w.l("relation = @relation");
        let its = self.pick_items(items, assigned, r.range(0, 2), false, true, r);
        for &i in &its {
            let it = &items[i];
            match &it.arg {
                Some((key, _)) => w.l(&format!(
                    "relation = relation.{}(filters[:{key}]) if filters[:{key}].present?",
                    it.name
                )),
                None => w.l(&format!(
                    "relation = relation.{} if filters[:only_{}]",
                    it.name, it.name
                )),
            }
        }
        w.l("relation = relation.where(\"created_at >= ?\", filters[:since]) if filters[:since]");
        w.l("relation.order(created_at: :desc)");
        w.close();
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn serializer_file(&self, m: usize, items: &[Item], assigned: &[usize], r: &mut Rng) -> String {
        let model = &self.models[m];
        let mut w = W::new();
        let in_ns = self.open_ns(&mut w, m);
        w.open(&format!(
            "class {}Serializer < ActiveModel::Serializer",
            model.name
        ));
        let t = self.tbl(m);
        let mut attrs = vec![":id".to_string(), format!(":{}", self.disp(m))];
        for c in ["status", "kind", "position"] {
            if t.has(c) {
                attrs.push(format!(":{c}"));
            }
        }
        attrs.push(":created_at".into());
        w.l(&format!("attributes {}", attrs.join(", ")));
        w.blank();
        let its = self.pick_items(items, assigned, r.range(0, 2), true, false, r);
        for &i in &its {
            let it = &items[i];
            let mac = match it.kind {
                IK::Many | IK::Through | IK::Habtm => "has_many",
                IK::One => "has_one",
                _ => "belongs_to",
            };
            w.l(&format!("{mac} :{}", it.name));
        }
        w.blank();
        w.open("def cache_key");
        w.l("\"#{object.class.name.underscore}/#{object.id}-#{object.updated_at.to_i}\"");
        w.close();
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn request_spec(&self, m: usize) -> String {
        let model = &self.models[m];
        let v = &model.under;
        let route = self.route(m);
        let rp = self.route_plural(m);
        let disp = self.disp(m);
        let mut w = W::new();
        w.l("require \"rails_helper\"");
        w.blank();
        w.open(&format!(
            "RSpec.describe \"{}\", type: :request do",
            under_to_camel(&model.plural)
        ));
        w.l(&format!("let!(:record) {{ create(:{v}) }}"));
        w.blank();
        w.open(&format!("describe \"GET /{}\" do", model.plural));
        w.open("it \"renders the index\" do");
        w.l(&format!("get {rp}_path"));
        w.l("expect(response).to have_http_status(:ok)");
        w.close();
        w.close();
        w.blank();
        w.open(&format!("describe \"GET /{}/:id\" do", model.plural));
        w.open("it \"renders the record\" do");
        w.l(&format!("get {route}_path(record)"));
        w.l("expect(response).to have_http_status(:ok)");
        w.l(&format!(
            "expect(response.body).to include(CGI.escapeHTML(record.{disp}))"
        ));
        w.close();
        w.close();
        w.blank();
        w.open(&format!("describe \"GET /{}/new\" do", model.plural));
        w.open("it \"renders the form\" do");
        w.l(&format!("get new_{route}_path"));
        w.l("expect(response).to have_http_status(:ok)");
        w.l("expect(response.body).to include(\"<form\")");
        w.close();
        w.close();
        w.blank();
        w.open(&format!("describe \"GET /{}/:id/edit\" do", model.plural));
        w.open("it \"renders the form with the current values\" do");
        w.l(&format!("get edit_{route}_path(record)"));
        w.l("expect(response).to have_http_status(:ok)");
        w.close();
        w.close();
        w.blank();
        w.open(&format!("describe \"PATCH /{}/:id\" do", model.plural));
        w.open("it \"updates the record and redirects\" do");
        w.l(&format!(
            "patch {route}_path(record), params: {{ {route}: {{ {disp}: \"Renamed\" }} }}"
        ));
        w.l(&format!(
            "expect(response).to redirect_to({route}_url(record))"
        ));
        w.l(&format!("expect(record.reload.{disp}).to eq(\"Renamed\")"));
        w.close();
        w.blank();
        w.open("it \"re-renders the form when invalid\" do");
        w.l(&format!(
            "patch {route}_path(record), params: {{ {route}: {{ {disp}: \"\" }} }}"
        ));
        w.l("expect(response.status).to be_in([302, 422])");
        w.close();
        w.close();
        w.blank();
        w.open(&format!("describe \"POST /{}\" do", model.plural));
        w.open("it \"rejects invalid params\" do");
        w.l(&format!(
            "post {rp}_path, params: {{ {route}: {{ {disp}: \"\" }} }}"
        ));
        w.l("expect(response.status).to be_in([302, 422])");
        w.close();
        w.close();
        w.blank();
        w.open(&format!("describe \"DELETE /{}/:id\" do", model.plural));
        w.open("it \"destroys the record\" do");
        w.l(&format!(
            "expect {{ delete {route}_path(record) }}.to change({}, :count).by(-1)",
            model.full
        ));
        w.close();
        w.close();
        w.close();
        w.finish()
    }

    fn model_spec(&self, m: usize, items: &[Item]) -> String {
        let model = &self.models[m];
        let v = &model.under;
        let disp = self.disp(m);
        let mut w = W::new();
        w.l("require \"rails_helper\"");
        w.blank();
        w.open(&format!("RSpec.describe {}, type: :model do", model.full));
        w.l(&format!("subject(:record) {{ build(:{v}) }}"));
        w.blank();
        let app_assocs: Vec<&Assoc> = model
            .assocs
            .iter()
            .filter(|a| a.usage == Usage::App)
            .collect();
        if !app_assocs.is_empty() {
            w.open("describe \"associations\" do");
            for a in app_assocs.iter().take(4) {
                let matcher = match a.kind {
                    Kind::BelongsTo | Kind::Poly => "belong_to",
                    Kind::HasMany | Kind::Through => "have_many",
                    Kind::HasOne => "have_one",
                    Kind::Habtm => "have_and_belong_to_many",
                };
                w.l(&format!("it {{ is_expected.to {matcher}(:{}) }}", a.name));
            }
            w.close();
            w.blank();
        }
        w.open("describe \"validations\" do");
        w.open("it \"is valid with the factory attributes\" do");
        w.l("expect(record).to be_valid");
        w.close();
        if model
            .validations
            .iter()
            .any(|v| v.starts_with(&format!("validates :{disp}, presence")))
        {
            w.blank();
            w.open(&format!("it \"requires a {disp}\" do"));
            w.l(&format!("record.{disp} = nil"));
            w.l("expect(record).not_to be_valid");
            w.close();
        }
        w.close();
        for it in items.iter().filter(|i| i.usage == Usage::Test) {
            w.blank();
            w.open(&format!("describe \"#{}\" do", it.name));
            match it.kind {
                IK::Scope => {
                    w.open("it \"returns a relation\" do");
                    let call = match &it.arg {
                        Some((_, lit)) => format!("{}.{}({lit})", model.full, it.name),
                        None => format!("{}.{}", model.full, it.name),
                    };
                    w.l(&format!("expect({call}).to be_a(ActiveRecord::Relation)"));
                    w.close();
                }
                IK::Many | IK::Through | IK::Habtm => {
                    w.open("it \"is empty for a new record\" do");
                    w.l(&format!("expect(record.{}).to be_empty", it.name));
                    w.close();
                }
                _ => {
                    w.open("it \"is nil for a new record\" do");
                    w.l(&format!("expect(record.{}).to be_nil", it.name));
                    w.close();
                }
            }
            w.close();
        }
        let app_scopes: Vec<&Item> = items
            .iter()
            .filter(|i| i.kind == IK::Scope && i.usage == Usage::App)
            .take(2)
            .collect();
        if !app_scopes.is_empty() {
            w.blank();
            w.open("describe \"scopes\" do");
            for (k, it) in app_scopes.iter().enumerate() {
                if k > 0 {
                    w.blank();
                }
                let call = match &it.arg {
                    Some((_, lit)) => format!("{}.{}({lit})", model.full, it.name),
                    None => format!("{}.{}", model.full, it.name),
                };
                w.open(&format!("it \".{} builds a valid query\" do", it.name));
                w.l(&format!("expect {{ {call}.to_a }}.not_to raise_error"));
                w.l(&format!(
                    "expect({call}.to_sql).to include({}.table_name)",
                    model.full
                ));
                w.close();
            }
            w.close();
        }
        w.blank();
        w.open("describe \"#display_label\" do");
        w.open(&format!("it \"uses the {disp} when present\" do"));
        w.l(&format!("record.{disp} = \"Example\""));
        w.l("expect(record.display_label).to include(\"Example\")");
        w.close();
        w.blank();
        w.open(&format!(
            "it \"falls back to the class name without a {disp}\" do"
        ));
        w.l(&format!("record.{disp} = nil"));
        w.l(&format!(
            "expect(record.display_label).to start_with(\"{}\")",
            humanize(v)
        ));
        w.close();
        w.close();
        w.blank();
        w.open("describe \"persistence\" do");
        w.open("it \"can be created, updated and destroyed\" do");
        w.l("record.save!");
        w.l("expect(record).to be_persisted");
        w.l(&format!("record.update!({disp}: \"Changed\")"));
        w.l(&format!("expect(record.reload.{disp}).to eq(\"Changed\")"));
        w.l("record.destroy!");
        w.l(&format!(
            "expect({}.exists?(record.id)).to be(false)",
            model.full
        ));
        w.close();
        w.blank();
        w.open("it \"sets timestamps\" do");
        w.l("record.save!");
        w.l("expect(record.created_at).to be_within(5.seconds).of(Time.current)");
        w.l("expect(record.updated_at).to be >= record.created_at");
        w.close();
        w.close();
        w.blank();
        w.open("describe \"#to_param\" do");
        w.open("it \"starts with the id once saved\" do");
        w.l("record.save!");
        w.l("expect(record.to_param).to start_with(record.id.to_s)");
        w.close();
        w.close();
        w.close();
        w.finish()
    }

    fn factory_file(&self, m: usize) -> String {
        let model = &self.models[m];
        let v = &model.under;
        let disp = self.disp(m);
        let t = self.tbl(m);
        let mut w = W::new();
        w.open("FactoryBot.define do");
        let parent = model
            .sti_parent
            .map(|p| format!(", parent: :{}", self.models[p].under))
            .unwrap_or_default();
        w.open(&format!(
            "factory :{v}, class: \"{}\"{parent} do",
            model.full
        ));
        w.l(&format!(
            "sequence(:{disp}) {{ |n| \"{} #{{n}}\" }}",
            humanize(v)
        ));
        if t.status && model.sti_parent.is_none() {
            w.l("status { \"pending\" }");
        }
        if t.has("code") && model.sti_parent.is_none() {
            w.l("sequence(:code) { |n| \"CODE-#{n.to_s.rjust(5, \"0\")}\" }");
        }
        if t.has("email") && model.sti_parent.is_none() {
            w.l(&format!(
                "sequence(:email) {{ |n| \"{v}#{{n}}@example.com\" }}"
            ));
        }
        if t.has("description") && model.sti_parent.is_none() {
            w.l("description { \"Generated for tests\" }");
        }
        if model.sti_parent.is_none() {
            for a in &model.assocs {
                if a.kind != Kind::BelongsTo || a.usage != Usage::App {
                    continue;
                }
                if a.opts.iter().any(|o| o == "optional: true") {
                    continue;
                }
                let target = &self.models[a.target.unwrap()];
                if a.opts.iter().any(|o| o.starts_with("class_name")) {
                    w.l(&format!(
                        "association :{}, factory: :{}",
                        a.name, target.under
                    ));
                } else {
                    w.l(&a.name);
                }
            }
        }
        w.blank();
        w.open("trait :recent do");
        w.l("created_at { 2.days.ago }");
        w.l("updated_at { 1.day.ago }");
        w.close();
        w.blank();
        w.open("trait :old do");
        w.l("created_at { 2.years.ago }");
        w.l("updated_at { 1.year.ago }");
        w.close();
        if t.status && model.sti_parent.is_none() {
            w.blank();
            w.open("trait :active do");
            w.l("status { \"active\" }");
            w.close();
            w.blank();
            w.open("trait :archived do");
            w.l("status { \"archived\" }");
            w.l("updated_at { 6.months.ago }");
            w.close();
        }
        w.blank();
        w.open("transient do");
        w.l("touch_after_create { false }");
        w.close();
        w.blank();
        w.open("after(:create) do |instance, evaluator|");
        w.l("instance.touch if evaluator.touch_after_create");
        w.close();
        w.close();
        w.close();
        w.finish()
    }

    // ----------------------------------------------------------------- filler

    fn helper_file(&self, m: usize) -> String {
        let model = &self.models[m];
        let v = &model.under;
        let mut w = W::new();
        let in_ns = self.open_ns(&mut w, m);
        w.open(&format!("module {}Helper", under_to_camel(&model.plural)));
        w.open("BADGE_CLASSES = {");
        w.l("\"ok\" => \"badge-success\",");
        w.l("\"warn\" => \"badge-warning\",");
        w.l("\"error\" => \"badge-danger\",");
        w.ind -= 1;
        w.l("}.freeze");
        w.blank();
        w.open(&format!("def {v}_badge(level, text)"));
        w.l("css = BADGE_CLASSES.fetch(level.to_s, \"badge-secondary\")");
        w.l("content_tag(:span, text.to_s.humanize, class: \"badge #{css}\")");
        w.close();
        w.blank();
        w.open(&format!("def {v}_timestamp(record)"));
        w.l("return \"—\" if record.nil? || record.created_at.nil?");
        w.blank();
        w.l("l(record.created_at, format: :short)");
        w.close();
        w.blank();
        w.open(&format!("def {v}_page_title(suffix = nil)"));
        w.l(&format!(
            "[\"{}\", suffix].compact.join(\" · \")",
            humanize(&model.plural)
        ));
        w.close();
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn presenter_file(&self, m: usize) -> String {
        let model = &self.models[m];
        let disp = self.disp(m);
        let mut w = W::new();
        let in_ns = self.open_ns(&mut w, m);
        w.open(&format!("class {}Presenter", model.name));
        w.l("attr_reader :record, :view");
        w.blank();
        w.open("def initialize(record, view)");
        w.l("@record = record");
        w.l("@view = view");
        w.close();
        w.blank();
        w.open("def heading");
        w.l(&format!("\"#{{record.{disp}}} ##{{record.id}}\""));
        w.close();
        w.blank();
        w.open("def created_label");
        w.l("record.created_at&.strftime(\"%b %-d, %Y\") || \"unknown\"");
        w.close();
        w.blank();
        w.open("def css_classes");
        w.l(&format!(
            "classes = [\"{}-card\"]",
            model.under.replace('_', "-")
        ));
        w.l("classes << \"is-new\" if record.created_at && record.created_at > 1.day.ago");
        w.l("classes << \"is-persisted\" if record.persisted?");
        w.l("classes.join(\" \")");
        w.close();
        w.blank();
        w.open("def excerpt(length = 80)");
        w.l(&format!(
            "view.truncate(record.{disp}.to_s, length: length)"
        ));
        w.close();
        w.blank();
        w.open("def updated_label");
        w.l("return \"never updated\" if record.updated_at.nil?");
        w.blank();
        w.l("\"updated #{view.time_ago_in_words(record.updated_at)} ago\"");
        w.close();
        w.blank();
        w.open("def data_attributes");
        w.open("{");
        w.l("id: record.id,");
        w.l("type: record.class.model_name.param_key,");
        w.l("updated: record.updated_at&.to_i,");
        w.ind -= 1;
        w.l("}");
        w.close();
        w.blank();
        w.open("def to_partial_path");
        w.l("record.to_partial_path");
        w.close();
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn policy_file(&self, m: usize) -> String {
        let model = &self.models[m];
        let mut w = W::new();
        let in_ns = self.open_ns(&mut w, m);
        w.open(&format!("class {}Policy < ApplicationPolicy", model.name));
        w.open("def index?");
        w.l("true");
        w.close();
        w.blank();
        w.open("def show?");
        w.l("user.present?");
        w.close();
        w.blank();
        w.open("def create?");
        w.l("user.present? && !user.respond_to?(:suspended?) || !user.suspended?");
        w.close();
        w.blank();
        w.open("def update?");
        w.l("create? && (admin? || record.created_at.nil? || record.created_at > 30.days.ago)");
        w.close();
        w.blank();
        w.open("def destroy?");
        w.l("admin?");
        w.close();
        w.blank();
        w.open("def permitted_attributes");
        w.open("if admin?");
        w.l("%i[label comment confirmed effective_on]");
        w.ind -= 1;
        w.open("else");
        w.l("%i[label comment]");
        w.close();
        w.close();
        w.blank();
        w.open("def export?");
        w.l("admin? || (user.respond_to?(:roles) && Array(user.roles).include?(\"exporter\"))");
        w.close();
        w.blank();
        w.open("class Scope < ApplicationPolicy::Scope");
        w.open("def resolve");
        w.l("admin? ? relation.all : relation.where(\"created_at > ?\", 1.year.ago)");
        w.close();
        w.close();
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn form_object_file(&self, m: usize) -> String {
        let model = &self.models[m];
        let mut w = W::new();
        let in_ns = self.open_ns(&mut w, m);
        w.open(&format!("class {}Form", model.name));
        w.l("include ActiveModel::Model");
        w.l("include ActiveModel::Attributes");
        w.blank();
        w.l("attribute :label, :string");
        w.l("attribute :comment, :string");
        w.l("attribute :confirmed, :boolean, default: false");
        w.l("attribute :effective_on, :date");
        w.blank();
        w.l("validates :label, presence: true, length: { maximum: 120 }");
        w.l("validates :confirmed, acceptance: true");
        w.blank();
        w.open("def submit");
        w.l("return false unless valid?");
        w.blank();
        w.l("self.label = label.strip");
        w.l("self.effective_on ||= Date.current");
        w.l("true");
        w.close();
        w.blank();
        w.open("def to_h");
        w.l("attributes.symbolize_keys.compact");
        w.close();
        w.blank();
        w.open("def persisted?");
        w.l("false");
        w.close();
        w.blank();
        w.open("def effective_label");
        w.l("return label if effective_on.nil?");
        w.blank();
        w.l("\"#{label} (from #{I18n.l(effective_on, format: :long)})\"");
        w.close();
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn mailer_file(&self, m: usize, action: &str) -> String {
        let model = &self.models[m];
        let mut w = W::new();
        let in_ns = self.open_ns(&mut w, m);
        w.open(&format!("class {}Mailer < ApplicationMailer", model.name));
        w.l("default from: \"notifications@example.com\"");
        w.blank();
        w.open(&format!("def {action}(record, email)"));
        w.l("@record = record");
        w.l("@sent_at = Time.current");
        w.l(&format!(
            "mail(to: email, subject: \"{} ##{{record.id}}: {}\")",
            humanize(&model.under),
            humanize(action).to_lowercase()
        ));
        w.close();
        w.close();
        if in_ns {
            w.close();
        }
        w.finish()
    }

    fn mailer_view(&self, m: usize, action: &str, html: bool) -> String {
        let disp = self.disp(m);
        let label = humanize(&self.models[m].under);
        if html {
            format!(
                "<h1>{}</h1>\n\n<p>Hello,</p>\n\n<p>\n  {label} <strong><%= @record.{disp} %></strong> was updated\n  <%= time_ago_in_words(@sent_at) %> ago.\n</p>\n\n<p>Thanks,<br>The team</p>\n",
                humanize(action)
            )
        } else {
            format!(
                "{}\n\nHello,\n\n{label} <%= @record.{disp} %> was updated <%= time_ago_in_words(@sent_at) %> ago.\n\nThanks,\nThe team\n",
                humanize(action)
            )
        }
    }

    fn emit_rake(&self, out: &mut Out) -> io::Result<()> {
        let n = self.models.len();
        let groups = n.div_ceil(10);
        let ns_names = ["maintenance", "backfill", "reports", "cleanup", "data"];
        for g in 0..groups {
            let mut r = Rng::new(self.seed, S_FILE, 10_000_000 + g as u64);
            let mut w = W::new();
            let name = format!(
                "{}_{}",
                ns_names[g % ns_names.len()],
                g / ns_names.len() + 1
            );
            w.open(&format!("namespace :{name} do"));
            let mut first = true;
            for m in g * 10..((g + 1) * 10).min(n) {
                let items = self.items(m);
                let uses = self.plan_uses(m, &items);
                let Some(assigned) = uses.get(&Slot::Rake) else {
                    continue;
                };
                if !first {
                    w.blank();
                }
                first = false;
                let model = &self.models[m];
                w.l(&format!(
                    "desc \"Refresh {}\"",
                    humanize(&model.plural).to_lowercase()
                ));
                w.open(&format!("task refresh_{}: :environment do", model.under));
                for &i in assigned {
                    let lines = self.use_ruby(m, &items[i], "", &model.full, &mut r);
                    w.ls(&lines);
                }
                w.l(&format!("puts \"{} refreshed\"", model.full));
                w.close();
            }
            if first {
                w.l("desc \"Print the environment\"");
                w.open("task env: :environment do");
                w.l("puts Rails.env");
                w.close();
            }
            w.close();
            out.file(&format!("lib/tasks/{name}.rake"), &w.finish())?;
        }
        Ok(())
    }

    fn emit_lib(&self, out: &mut Out) -> io::Result<()> {
        let n = self.models.len();
        let app_under = self.app_name.to_lowercase();
        let count = n.div_ceil(10);
        for k in 0..count {
            let word = UTIL_WORDS[k % UTIL_WORDS.len()];
            let round = k / UTIL_WORDS.len();
            let class = if round == 0 {
                format!("{word}Formatter")
            } else {
                format!("{word}Formatter{}", round + 1)
            };
            let mut w = W::new();
            w.open(&format!("module {}", self.app_name));
            w.open(&format!("class {class}"));
            w.l("DEFAULT_OPTIONS = { precision: 2, separator: \".\", delimiter: \",\" }.freeze");
            w.blank();
            w.open("def initialize(options = {})");
            w.l("@options = DEFAULT_OPTIONS.merge(options)");
            w.close();
            w.blank();
            w.open("def format(value)");
            w.l("return \"\" if value.nil?");
            w.blank();
            w.l("case value");
            w.open("when Numeric");
            w.l("whole, fraction = Kernel.format(\"%.#{@options[:precision]}f\", value).split(\".\")");
            w.l("whole = whole.reverse.scan(/\\d{1,3}/).join(@options[:delimiter]).reverse");
            w.l("[whole, fraction].compact.join(@options[:separator])");
            w.ind -= 1;
            w.open("when Time, Date");
            w.l("value.iso8601");
            w.ind -= 1;
            w.open("else");
            w.l("value.to_s.strip");
            w.close();
            w.close();
            w.blank();
            w.open("def self.call(value, **options)");
            w.l("new(options).format(value)");
            w.close();
            w.close();
            w.close();
            out.file(
                &format!("lib/{app_under}/{}.rb", camel_to_under(&class)),
                &w.finish(),
            )?;
        }
        Ok(())
    }

    // -------------------------------------------------------------- config files

    fn emit_config(&self, out: &mut Out) -> io::Result<()> {
        let app = &self.app_name;
        let app_under = app.to_lowercase();
        out.file("Gemfile", GEMFILE)?;
        out.file("Gemfile.lock", GEMFILE_LOCK)?;
        out.file(
            "Rakefile",
            "require_relative \"config/application\"\n\nRails.application.load_tasks\n",
        )?;
        out.file("config.ru", "require_relative \"config/environment\"\n\nrun Rails.application\nRails.application.load_server\n")?;
        out.file(
            "README.md",
            &format!("# {app}\n\nA synthetic Rails monolith ({} models) generated for benchmarking fullscan.\n", self.models.len()),
        )?;
        out.file(
            ".gitignore",
            "/.bundle\n/log/*\n/tmp/*\n/storage/*\n/node_modules\n/public/assets\n",
        )?;
        out.file(
            "config/boot.rb",
            "ENV[\"BUNDLE_GEMFILE\"] ||= File.expand_path(\"../Gemfile\", __dir__)\n\nrequire \"bundler/setup\"\nrequire \"bootsnap/setup\"\n",
        )?;
        out.file(
            "config/environment.rb",
            "require_relative \"application\"\n\nRails.application.initialize!\n",
        )?;
        out.file(
            "config/application.rb",
            &format!(
                "require_relative \"boot\"\n\nrequire \"rails/all\"\n\n# Require the gems listed in Gemfile, including any gems\n# you've limited to :test, :development, or :production.\nBundler.require(*Rails.groups)\n\nmodule {app}\n  class Application < Rails::Application\n    # Initialize configuration defaults for originally generated Rails version.\n    config.load_defaults 7.1\n\n    # Please, add to the `ignore` list any other `lib` subdirectories that do\n    # not contain `.rb` files, or that should not be reloaded or eager loaded.\n    config.autoload_lib(ignore: %w[assets tasks])\n\n    config.time_zone = \"UTC\"\n    config.active_job.queue_adapter = :sidekiq\n    config.generators do |g|\n      g.test_framework :rspec\n      g.fixture_replacement :factory_bot, dir: \"spec/factories\"\n    end\n  end\nend\n"
            ),
        )?;
        out.file(
            "config/database.yml",
            &format!(
                "default: &default\n  adapter: postgresql\n  encoding: unicode\n  pool: <%= ENV.fetch(\"RAILS_MAX_THREADS\") {{ 5 }} %>\n\ndevelopment:\n  <<: *default\n  database: {app_under}_development\n\ntest:\n  <<: *default\n  database: {app_under}_test\n\nproduction:\n  <<: *default\n  database: {app_under}_production\n  username: {app_under}\n  password: <%= ENV[\"{}_DATABASE_PASSWORD\"] %>\n",
                app.to_uppercase()
            ),
        )?;
        out.file(
            "config/initializers/inflections.rb",
            "# Be sure to restart your server when you modify this file.\n\n# Add new inflection rules using the following format. Inflections\n# are locale specific, and you may define rules for as many different\n# locales as you wish. All of these examples are active by default:\n# ActiveSupport::Inflector.inflections(:en) do |inflect|\n#   inflect.plural /^(ox)$/i, \"\\\\1en\"\n#   inflect.singular /^(ox)en/i, \"\\\\1\"\n#   inflect.irregular \"person\", \"people\"\n#   inflect.uncountable %w( fish sheep )\n# end\n\nActiveSupport::Inflector.inflections(:en) do |inflect|\n  inflect.irregular \"cactus\", \"cacti\"\n  inflect.irregular \"syllabus\", \"syllabi\"\n  inflect.acronym \"API\"\n  inflect.acronym \"SSO\"\n  inflect.acronym \"CSV\"\nend\n",
        )?;
        let mut routes = String::from("Rails.application.routes.draw do\n");
        for m in 0..self.models.len() {
            if self.models[m].controller && self.models[m].ns.is_none() {
                routes.push_str(&format!("  resources :{}\n", self.models[m].plural));
            }
        }
        for (k, ns) in self.namespaces.iter().enumerate() {
            let ms: Vec<usize> = (0..self.models.len())
                .filter(|&m| self.models[m].controller && self.models[m].ns == Some(k))
                .collect();
            if ms.is_empty() {
                continue;
            }
            routes.push_str(&format!("\n  namespace :{} do\n", ns.to_lowercase()));
            for m in ms {
                routes.push_str(&format!("    resources :{}\n", self.models[m].plural));
            }
            routes.push_str("  end\n");
        }
        routes.push_str("\n  get \"up\" => \"rails/health#show\", as: :rails_health_check\nend\n");
        out.file("config/routes.rb", &routes)?;
        out.file(
            "app/controllers/application_controller.rb",
            "class ApplicationController < ActionController::Base\n  include Pundit::Authorization\n\n  protect_from_forgery with: :exception\n  before_action :set_locale\n\n  rescue_from ActiveRecord::RecordNotFound, with: :not_found\n\n  private\n\n  def set_locale\n    I18n.locale = params[:locale].presence || I18n.default_locale\n  end\n\n  def not_found\n    render file: Rails.public_path.join(\"404.html\"), status: :not_found, layout: false\n  end\nend\n",
        )?;
        out.file(
            "app/jobs/application_job.rb",
            "class ApplicationJob < ActiveJob::Base\n  # Automatically retry jobs that encountered a deadlock\n  retry_on ActiveRecord::Deadlocked\n\n  # Most jobs are safe to ignore if the underlying records are no longer available\n  discard_on ActiveJob::DeserializationError\nend\n",
        )?;
        out.file(
            "app/mailers/application_mailer.rb",
            "class ApplicationMailer < ActionMailer::Base\n  default from: \"from@example.com\"\n  layout \"mailer\"\nend\n",
        )?;
        out.file("app/helpers/application_helper.rb", "module ApplicationHelper\n  def page_title(title = nil)\n    [title, \"App\"].compact.join(\" | \")\n  end\nend\n")?;
        out.file(
            "app/policies/application_policy.rb",
            "class ApplicationPolicy\n  attr_reader :user, :record\n\n  def initialize(user, record)\n    @user = user\n    @record = record\n  end\n\n  def admin?\n    user.respond_to?(:admin?) && user.admin?\n  end\n\n  class Scope\n    attr_reader :user, :relation\n\n    def initialize(user, relation)\n      @user = user\n      @relation = relation\n    end\n\n    def admin?\n      user.respond_to?(:admin?) && user.admin?\n    end\n  end\nend\n",
        )?;
        out.file(
            "app/views/layouts/application.html.erb",
            "<!DOCTYPE html>\n<html>\n  <head>\n    <title><%= content_for?(:title) ? yield(:title) : \"App\" %></title>\n    <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n    <%= csrf_meta_tags %>\n    <%= csp_meta_tag %>\n    <%= stylesheet_link_tag \"application\", \"data-turbo-track\": \"reload\" %>\n    <%= javascript_importmap_tags %>\n  </head>\n\n  <body>\n    <% flash.each do |type, message| %>\n      <div class=\"flash flash-<%= type %>\"><%= message %></div>\n    <% end %>\n    <main class=\"container\">\n      <%= yield %>\n    </main>\n  </body>\n</html>\n",
        )?;
        out.file(
            "app/views/layouts/mailer.html.erb",
            "<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n  </head>\n\n  <body>\n    <%= yield %>\n  </body>\n</html>\n",
        )?;
        out.file(
            "spec/spec_helper.rb",
            "RSpec.configure do |config|\n  config.expect_with :rspec do |expectations|\n    expectations.include_chain_clauses_in_custom_matcher_descriptions = true\n  end\n\n  config.mock_with :rspec do |mocks|\n    mocks.verify_partial_doubles = true\n  end\n\n  config.shared_context_metadata_behavior = :apply_to_host_groups\nend\n",
        )?;
        out.file(
            "spec/rails_helper.rb",
            "require \"spec_helper\"\nENV[\"RAILS_ENV\"] ||= \"test\"\nrequire_relative \"../config/environment\"\nabort(\"The Rails environment is running in production mode!\") if Rails.env.production?\nrequire \"rspec/rails\"\n\nRSpec.configure do |config|\n  config.include FactoryBot::Syntax::Methods\n  config.use_transactional_fixtures = true\n  config.infer_spec_type_from_file_location!\n  config.filter_rails_from_backtrace!\nend\n\nShoulda::Matchers.configure do |config|\n  config.integrate do |with|\n    with.test_framework :rspec\n    with.library :rails\n  end\nend\n",
        )?;
        out.file(
            "db/seeds.rb",
            "# This file should ensure the existence of records required to run the application in every environment.\n# The code here should be idempotent so that it can be executed at any point in every environment.\n\nputs \"Seeding #{Rails.env}\"\n",
        )?;
        Ok(())
    }

    fn ordered_columns<'a>(&self, t: &'a Table) -> Vec<&'a Column> {
        let mut v: Vec<&Column> = Vec::new();
        if t.fks_first {
            v.extend(&t.fk_cols);
            v.extend(&t.data);
        } else {
            v.extend(&t.data);
            v.extend(&t.fk_cols);
        }
        v
    }

    fn emit_schema(&self, out: &mut Out) -> io::Result<()> {
        let mut s = String::with_capacity(self.tables.len() * 800 + 2048);
        s.push_str("# This file is auto-generated from the current state of the database. Instead\n# of editing this file, please use the migrations feature of Active Record to\n# incrementally modify your database, and then regenerate this schema definition.\n#\n# This file is the source Rails uses to define your schema when running `bin/rails\n# db:schema:load`. When creating a new database, `bin/rails db:schema:load` tends to\n# be faster and is potentially less error prone than running all of your\n# migrations from scratch. Old migrations may fail to apply correctly if those\n# migrations use external dependencies or application code.\n#\n# It's strongly recommended that you check this file into your version control system.\n\nActiveRecord::Schema[7.1].define(version: 2024_05_01_120000) do\n  # These are extensions that must be enabled in order to support this database\n  enable_extension \"plpgsql\"\n");
        let mut order: Vec<usize> = (0..self.tables.len()).collect();
        order.sort_by(|&a, &b| self.tables[a].name.cmp(&self.tables[b].name));
        for &ti in &order {
            let t = &self.tables[ti];
            s.push('\n');
            if t.join {
                s.push_str(&format!(
                    "  create_table \"{}\", id: false, force: :cascade do |t|\n",
                    t.name
                ));
            } else {
                s.push_str(&format!(
                    "  create_table \"{}\", force: :cascade do |t|\n",
                    t.name
                ));
            }
            if t.sti {
                s.push_str("    t.string \"type\"\n");
            }
            for c in self.ordered_columns(t) {
                s.push_str(&format!("    t.{} \"{}\"{}\n", c.ty, c.name, c.opts));
            }
            if !t.join {
                s.push_str("    t.datetime \"created_at\", null: false\n");
                s.push_str("    t.datetime \"updated_at\", null: false\n");
            }
            let mut idx: Vec<String> = t
                .idx
                .iter()
                .map(|i| {
                    let u = if i.unique { ", unique: true" } else { "" };
                    match &i.expr {
                        Some(e) => format!(
                            "    t.index \"{e}\", name: \"index_{}_on_lower_{}\"{u}",
                            t.name,
                            i.cols.join("_and_")
                        ),
                        None => {
                            let cols: Vec<String> =
                                i.cols.iter().map(|c| format!("\"{c}\"")).collect();
                            format!(
                                "    t.index [{}], name: \"{}\"{u}",
                                cols.join(", "),
                                index_name(&t.name, &i.cols)
                            )
                        }
                    }
                })
                .collect();
            idx.sort();
            for l in idx {
                s.push_str(&l);
                s.push('\n');
            }
            s.push_str("  end\n");
        }
        let mut first = true;
        for &ti in &order {
            let t = &self.tables[ti];
            let mut fks: Vec<String> = t
                .fks
                .iter()
                .map(|(to, col)| {
                    let default = format!("{}_id", singular(to));
                    if *col == default {
                        format!("  add_foreign_key \"{}\", \"{to}\"", t.name)
                    } else {
                        format!(
                            "  add_foreign_key \"{}\", \"{to}\", column: \"{col}\"",
                            t.name
                        )
                    }
                })
                .collect();
            fks.sort();
            fks.dedup();
            for l in fks {
                if first {
                    s.push('\n');
                    first = false;
                }
                s.push_str(&l);
                s.push('\n');
            }
        }
        s.push_str("end\n");
        out.file("db/schema.rb", &s)
    }
}

/// Private helper methods of a service object.
fn service_helper(w: &mut W, h: usize, class: &str) {
    match h {
        0 => {
            w.open("def with_retries(attempts: 3)");
            w.l("tries = 0");
            w.open("begin");
            w.l("tries += 1");
            w.l("yield");
            w.ind -= 1;
            w.open("rescue ActiveRecord::Deadlocked, ActiveRecord::LockWaitTimeout => e");
            w.l("raise if tries >= attempts");
            w.blank();
            w.l("logger.warn(\"retrying after #{e.class}: attempt #{tries}\")");
            w.l("sleep(0.05 * tries)");
            w.l("retry");
            w.close();
            w.close();
        }
        1 => {
            w.open("def audit(message, level: Logger::INFO)");
            w.l(&format!("logger.add(level, \"[{class}] #{{message}}\")"));
            w.l("message");
            w.close();
        }
        2 => {
            w.open("def normalize(value)");
            w.open("case value");
            w.l("when String then value.strip.presence");
            w.l("when Array then value.map { |element| normalize(element) }.compact");
            w.l("when Hash then value.transform_values { |element| normalize(element) }.compact");
            w.l("else value");
            w.ind -= 1;
            w.l("end");
            w.close();
        }
        3 => {
            w.open("def measure(label)");
            w.l("started = Process.clock_gettime(Process::CLOCK_MONOTONIC)");
            w.l("result = yield");
            w.l("elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started");
            w.l("logger.info(format(\"%s took %.1fms\", label, elapsed * 1000))");
            w.l("result");
            w.close();
        }
        4 => {
            w.open("def cache_key_for(*parts)");
            w.l(&format!("[\"{}\", *parts].map {{ |part| part.respond_to?(:cache_key) ? part.cache_key : part.to_s }}.join(\"/\")", camel_to_under(class)));
            w.close();
            w.blank();
            w.open("def cached(*parts, expires_in: 10.minutes, &block)");
            w.l("Rails.cache.fetch(cache_key_for(*parts), expires_in: expires_in, &block)");
            w.close();
        }
        5 => {
            w.open("def report_error(error, context = {})");
            w.l("logger.error(\"#{error.class}: #{error.message}\")");
            w.l("logger.error(error.backtrace.first(5).join(\"\\n\")) if error.backtrace");
            w.l("Rails.error.report(error, handled: true, context: context)");
            w.close();
        }
        7 => {
            w.open("def partition_by_age(records, cutoff: 30.days.ago)");
            w.l("fresh, stale = records.partition { |entry| entry.updated_at && entry.updated_at >= cutoff }");
            w.l("logger.debug(\"partitioned #{records.size}: #{fresh.size} fresh, #{stale.size} stale\")");
            w.l("[fresh, stale]");
            w.close();
        }
        8 => {
            w.open("def notify_subscribers(event, payload = {})");
            w.l(&format!(
                "ActiveSupport::Notifications.instrument(\"{}.#{{event}}\", payload) do",
                camel_to_under(class)
            ));
            w.l("  yield if block_given?");
            w.l("end");
            w.close();
        }
        9 => {
            w.open("def parse_time(value, default: nil)");
            w.l("return default if value.blank?");
            w.l("return value if value.is_a?(Time) || value.is_a?(ActiveSupport::TimeWithZone)");
            w.blank();
            w.l("Time.zone.parse(value.to_s) || default");
            w.ind -= 1;
            w.open("rescue ArgumentError");
            w.l("default");
            w.close();
        }
        10 => {
            w.open("def with_advisory_lock(key)");
            w.l("lock_id = Zlib.crc32(key.to_s)");
            w.l("ActiveRecord::Base.connection.execute(\"SELECT pg_advisory_lock(#{lock_id})\")");
            w.open("begin");
            w.l("yield");
            w.ind -= 1;
            w.open("ensure");
            w.l("ActiveRecord::Base.connection.execute(\"SELECT pg_advisory_unlock(#{lock_id})\")");
            w.close();
            w.close();
        }
        11 => {
            w.open("def diff(before, after)");
            w.l("keys = (before.keys + after.keys).uniq");
            w.open("keys.each_with_object({}) do |key, changes|");
            w.l("next if before[key] == after[key]");
            w.blank();
            w.l("changes[key] = [before[key], after[key]]");
            w.close();
            w.close();
        }
        _ => {
            w.open("def summarize(counts)");
            w.l("total = counts.values.sum");
            w.l("return \"nothing to do\" if total.zero?");
            w.blank();
            w.l("counts.sort_by { |_key, count| -count }.map { |key, count| \"#{key}=#{count}\" }.join(\", \")");
            w.close();
        }
    }
}

fn trim_blank_before_end(w: &mut W) {
    while w.s.ends_with("\n\n") {
        w.s.pop();
    }
}

const GEMFILE: &str = r#"source "https://rubygems.org"

ruby "3.2.2"

# Bundle edge Rails instead: gem "rails", github: "rails/rails", branch: "main"
gem "rails", "~> 7.1.3"

# Use postgresql as the database for Active Record
gem "pg", "~> 1.1"

# Use the Puma web server [https://github.com/puma/puma]
gem "puma", ">= 5.0"

# Build JSON APIs with ease [https://github.com/rails/jbuilder]
gem "jbuilder"
gem "haml-rails", "~> 2.1"
gem "slim-rails"
gem "active_model_serializers", "~> 0.10.14"
gem "pundit", "~> 2.3"
gem "sidekiq", "~> 7.2"

# Reduces boot times through caching; required in config/boot.rb
gem "bootsnap", require: false

group :development, :test do
  gem "debug", platforms: %i[ mri windows ]
  gem "rspec-rails", "~> 6.1"
  gem "factory_bot_rails"
end

group :test do
  gem "shoulda-matchers", "~> 6.1"
end
"#;

const GEMFILE_LOCK: &str = r#"GEM
  remote: https://rubygems.org/
  specs:
    actioncable (7.1.3)
      actionpack (= 7.1.3)
      activesupport (= 7.1.3)
      nio4r (~> 2.0)
      websocket-driver (>= 0.6.1)
      zeitwerk (~> 2.6)
    actionmailbox (7.1.3)
      actionpack (= 7.1.3)
      activejob (= 7.1.3)
      activerecord (= 7.1.3)
      activestorage (= 7.1.3)
      activesupport (= 7.1.3)
      mail (>= 2.7.1)
      net-imap
      net-pop
      net-smtp
    actionmailer (7.1.3)
      actionpack (= 7.1.3)
      actionview (= 7.1.3)
      activejob (= 7.1.3)
      activesupport (= 7.1.3)
      mail (~> 2.5, >= 2.5.4)
      net-imap
      net-pop
      net-smtp
      rails-dom-testing (~> 2.2)
    actionpack (7.1.3)
      actionview (= 7.1.3)
      activesupport (= 7.1.3)
      nokogiri (>= 1.8.5)
      racc
      rack (>= 2.2.4)
      rack-session (>= 1.0.1)
      rack-test (>= 0.6.3)
      rails-dom-testing (~> 2.2)
      rails-html-sanitizer (~> 1.6)
    actiontext (7.1.3)
      actionpack (= 7.1.3)
      activerecord (= 7.1.3)
      activestorage (= 7.1.3)
      activesupport (= 7.1.3)
      globalid (>= 0.6.0)
      nokogiri (>= 1.8.5)
    actionview (7.1.3)
      activesupport (= 7.1.3)
      builder (~> 3.1)
      erubi (~> 1.11)
      rails-dom-testing (~> 2.2)
      rails-html-sanitizer (~> 1.6)
    active_model_serializers (0.10.14)
      actionpack (>= 4.1)
      activemodel (>= 4.1)
      case_transform (>= 0.2)
      jsonapi-renderer (>= 0.1.1.beta1, < 0.3)
    activejob (7.1.3)
      activesupport (= 7.1.3)
      globalid (>= 0.3.6)
    activemodel (7.1.3)
      activesupport (= 7.1.3)
    activerecord (7.1.3)
      activemodel (= 7.1.3)
      activesupport (= 7.1.3)
      timeout (>= 0.4.0)
    activestorage (7.1.3)
      actionpack (= 7.1.3)
      activejob (= 7.1.3)
      activerecord (= 7.1.3)
      activesupport (= 7.1.3)
      marcel (~> 1.0)
    activesupport (7.1.3)
      base64
      bigdecimal
      concurrent-ruby (~> 1.0, >= 1.0.2)
      connection_pool (>= 2.2.5)
      drb
      i18n (>= 1.6, < 2)
      minitest (>= 5.1)
      mutex_m
      tzinfo (~> 2.0)
    base64 (0.2.0)
    bigdecimal (3.1.6)
    bootsnap (1.18.3)
      msgpack (~> 1.2)
    builder (3.2.4)
    case_transform (0.2)
      activesupport
    concurrent-ruby (1.2.3)
    connection_pool (2.4.1)
    crass (1.0.6)
    date (3.3.4)
    debug (1.9.1)
      irb (~> 1.10)
      reline (>= 0.3.8)
    diff-lcs (1.5.1)
    drb (2.2.0)
      ruby2_keywords
    erubi (1.12.0)
    factory_bot (6.4.6)
      activesupport (>= 5.0.0)
    factory_bot_rails (6.4.3)
      factory_bot (~> 6.4)
      railties (>= 5.0.0)
    globalid (1.2.1)
      activesupport (>= 6.1)
    haml (6.3.0)
      temple (>= 0.8.2)
      thor
      tilt
    haml-rails (2.1.0)
      actionpack (>= 5.1)
      activesupport (>= 5.1)
      haml (>= 4.0.6)
      railties (>= 5.1)
    i18n (1.14.1)
      concurrent-ruby (~> 1.0)
    io-console (0.7.2)
    irb (1.11.2)
      rdoc
      reline (>= 0.4.2)
    jbuilder (2.11.5)
      actionview (>= 5.0.0)
      activesupport (>= 5.0.0)
    jsonapi-renderer (0.2.2)
    loofah (2.22.0)
      crass (~> 1.0.2)
      nokogiri (>= 1.12.0)
    mail (2.8.1)
      mini_mime (>= 0.1.1)
      net-imap
      net-pop
      net-smtp
    marcel (1.0.2)
    mini_mime (1.1.5)
    minitest (5.22.2)
    msgpack (1.7.2)
    mutex_m (0.2.0)
    net-imap (0.4.10)
      date
      net-protocol
    net-pop (0.1.2)
      net-protocol
    net-protocol (0.2.2)
      timeout
    net-smtp (0.4.0.1)
      net-protocol
    nio4r (2.7.0)
    nokogiri (1.16.2-x86_64-linux)
      racc (~> 1.4)
    pg (1.5.5)
    psych (5.1.2)
      stringio
    puma (6.4.2)
      nio4r (~> 2.0)
    pundit (2.3.1)
      activesupport (>= 3.0.0)
    racc (1.7.3)
    rack (3.0.9.1)
    rack-session (2.0.0)
      rack (>= 3.0.0)
    rack-test (2.1.0)
      rack (>= 1.3)
    rackup (2.1.0)
      rack (>= 3)
      webrick (~> 1.8)
    rails (7.1.3)
      actioncable (= 7.1.3)
      actionmailbox (= 7.1.3)
      actionmailer (= 7.1.3)
      actionpack (= 7.1.3)
      actiontext (= 7.1.3)
      actionview (= 7.1.3)
      activejob (= 7.1.3)
      activemodel (= 7.1.3)
      activerecord (= 7.1.3)
      activestorage (= 7.1.3)
      activesupport (= 7.1.3)
      bundler (>= 1.15.0)
      railties (= 7.1.3)
    rails-dom-testing (2.2.0)
      activesupport (>= 5.0.0)
      minitest
      nokogiri (>= 1.6)
    rails-html-sanitizer (1.6.0)
      loofah (~> 2.21)
      nokogiri (~> 1.14)
    railties (7.1.3)
      actionpack (= 7.1.3)
      activesupport (= 7.1.3)
      irb
      rackup (>= 1.0.0)
      rake (>= 12.2)
      thor (~> 1.0, >= 1.2.2)
      zeitwerk (~> 2.6)
    rake (13.1.0)
    rdoc (6.6.2)
      psych (>= 4.0.0)
    redis-client (0.20.0)
      connection_pool
    reline (0.4.2)
      io-console (~> 0.5)
    rspec-core (3.13.0)
      rspec-support (~> 3.13.0)
    rspec-expectations (3.13.0)
      diff-lcs (>= 1.2.0, < 2.0)
      rspec-support (~> 3.13.0)
    rspec-mocks (3.13.0)
      diff-lcs (>= 1.2.0, < 2.0)
      rspec-support (~> 3.13.0)
    rspec-rails (6.1.1)
      actionpack (>= 6.1)
      activesupport (>= 6.1)
      railties (>= 6.1)
      rspec-core (~> 3.12)
      rspec-expectations (~> 3.12)
      rspec-mocks (~> 3.12)
      rspec-support (~> 3.12)
    rspec-support (3.13.1)
    ruby2_keywords (0.0.5)
    shoulda-matchers (6.1.0)
      activesupport (>= 5.2.0)
    sidekiq (7.2.2)
      concurrent-ruby (< 2)
      connection_pool (>= 2.3.0)
      rack (>= 2.2.4)
      redis-client (>= 0.19.0)
    slim (5.2.1)
      temple (~> 0.10.0)
      tilt (>= 2.1.0)
    slim-rails (3.6.3)
      actionpack (>= 3.1)
      railties (>= 3.1)
      slim (>= 3.0, < 6.0, != 5.0.0)
    stringio (3.1.0)
    temple (0.10.3)
    thor (1.3.0)
    tilt (2.3.0)
    timeout (0.4.1)
    tzinfo (2.0.6)
      concurrent-ruby (~> 1.0)
    webrick (1.8.1)
    websocket-driver (0.7.6)
      websocket-extensions (>= 0.1.0)
    websocket-extensions (0.1.5)
    zeitwerk (2.6.13)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  active_model_serializers (~> 0.10.14)
  bootsnap
  debug
  factory_bot_rails
  haml-rails (~> 2.1)
  jbuilder
  pg (~> 1.1)
  puma (>= 5.0)
  pundit (~> 2.3)
  rails (~> 7.1.3)
  rspec-rails (~> 6.1)
  shoulda-matchers (~> 6.1)
  sidekiq (~> 7.2)
  slim-rails

RUBY VERSION
   ruby 3.2.2p53

BUNDLED WITH
   2.4.19
"#;
