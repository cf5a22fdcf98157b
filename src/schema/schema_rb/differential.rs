//! The line reader against tree-sitter: for every schema.rb of the repository, for
//! a generated monolith's, for hand-made files full of traps and for random ones,
//! the [`Database`] read statement by statement must equal the one read from the
//! whole file's syntax tree, and every call the line reader reads must equal the
//! call tree-sitter's tree gives for the same statement.

use std::collections::HashMap;
use std::path::Path;

use pretty_assertions::assert_eq;

use super::lines::{Layout, Piece};
use super::{at_statement_level, parse_lines, parse_schema_rb, parse_whole, Call, Reader};
use crate::ruby;
use crate::schema::Database;

#[allow(dead_code)]
#[path = "../../../benches/monolith/gen.rs"]
mod gen;

/// What reading a text both ways showed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Outcome {
    /// The line reader read the file (else it was parsed whole).
    by_lines: bool,
    /// Calls the line reader read from the text.
    calls: usize,
    /// Pieces it left to tree-sitter.
    pieces: usize,
}

/// Reads `src` both ways and checks that they agree.
fn compare(name: &str, src: &str) -> Outcome {
    let path = Path::new(name);
    let whole = parse_whole(path, src);
    let Some(lines) = parse_lines(path, src) else {
        // The public entry point is then the whole-file reader.
        let public = parse_schema_rb(path, src);
        match (&public, &whole) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}"),
            (Err(a), Err(b)) => assert_eq!(a.message, b.message, "{name}"),
            _ => panic!("{name}: the entry point and the whole-file reader disagree"),
        }
        return Outcome::default();
    };
    let whole = whole
        .unwrap_or_else(|e| panic!("{name}: read by lines, but the whole-file reader fails: {e}"));
    assert_eq!(lines, whole, "{name}: the Database differs");
    let (calls, pieces) = compare_calls(name, src);
    Outcome {
        by_lines: true,
        calls,
        pieces,
    }
}

/// Every call the line reader reads equals the one built from the whole file's
/// tree at the same place; how many there were, and how many pieces were left to
/// tree-sitter.
fn compare_calls(name: &str, src: &str) -> (usize, usize) {
    let path = Path::new(name);
    let tree = ruby::parse(src).expect("tree-sitter parses");
    let reader = Reader::new(path, src);
    let mut from_tree: HashMap<usize, Call<'_>> = HashMap::new();
    for node in ruby::preorder(tree.root_node()) {
        if node.kind() != "call" || !at_statement_level(node) {
            continue;
        }
        let Some(method) = node.child_by_field_name("method") else {
            continue;
        };
        let method = ruby::text(method, src);
        let receiver = match node.child_by_field_name("receiver") {
            None => None,
            Some(r) if r.kind() == "identifier" => Some(ruby::text(r, src)),
            Some(_) => continue,
        };
        let args = ruby::call_args(node, src);
        let call = reader.tree_call(node, receiver, method, &args);
        from_tree.insert(call.start, call);
    }
    let layout = Layout::of(src).expect("read by lines, so in the dumper's shape");
    let (mut calls, mut pieces) = (0, 0);
    for piece in layout.pieces() {
        match piece.expect("read by lines, so every statement end is known") {
            Piece::Calls(read) => {
                for call in read {
                    let Some(expected) = from_tree.get(&call.start) else {
                        panic!(
                            "{name}: line {}: no call at this place in the tree: {call:?}",
                            call.line
                        );
                    };
                    assert_eq!(&call, expected, "{name}: line {}", call.line);
                    calls += 1;
                }
            }
            Piece::Ruby(_) => pieces += 1,
        }
    }
    (calls, pieces)
}

fn crlf(src: &str) -> String {
    src.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// `src` with `insert` put before its last line that is exactly `end`.
fn before_last_end(src: &str, insert: &str) -> Option<String> {
    let at = src.trim_end().rfind("\nend")? + 1;
    let mut out = src.to_owned();
    out.insert_str(at, insert);
    Some(out)
}

/// Statements the line reader leaves to tree-sitter, put in files to check that a
/// mix of both still reads as the whole file.
const FOREIGN_STATEMENTS: &str = r##"  create_view "active_users", sql_definition: <<-SQL
      SELECT users.id
     FROM users
    WHERE (users.active = true);
  SQL
  execute "SELECT #{1 + 1}"
  add_index "users", ["email"], name: "index_users_on_email_fancy" if true
  something_custom "a", b: 1
  create_table "zz_block_of_braces", force: :cascade do |t|
    t.string "name", null: false
    t.integer "n", default: 1.0.round
  end
"##;

/// A tiny deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Every `db/*schema*.rb` of the corpus and every schema.rb-like `.rb` under
/// `tests/` (fixtures, ActiveRecord goldens).
fn repository_schemas() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["corpus", "tests"] {
        for entry in walkdir::WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "rb") {
                continue;
            }
            let Ok(src) = std::fs::read_to_string(path) else {
                continue;
            };
            let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let in_db = path
                .parent()
                .and_then(|p| p.file_name())
                .is_some_and(|d| d == "db");
            let schema_like = (file.contains("schema") && (in_db || dir == "tests"))
                || src.contains("ActiveRecord::Schema");
            if schema_like {
                let rel = path.strip_prefix(root).unwrap_or(path);
                out.push((rel.display().to_string(), src));
            }
        }
    }
    out
}

#[test]
fn every_schema_of_the_repository_reads_the_same_both_ways() {
    let schemas = repository_schemas();
    let mut by_lines = 0;
    let mut calls = 0;
    for (name, src) in &schemas {
        let outcome = compare(name, src);
        if outcome.by_lines {
            by_lines += 1;
            calls += outcome.calls;
        }
        compare(&format!("{name} (CRLF)"), &crlf(src));
        if let Some(mixed) = before_last_end(src, FOREIGN_STATEMENTS) {
            let outcome = compare(&format!("{name} (mixed)"), &mixed);
            if outcome.by_lines {
                assert!(outcome.pieces > 0, "{name}");
            }
        }
    }
    assert!(
        schemas.len() >= 12,
        "only {} schema files found",
        schemas.len()
    );
    assert!(
        by_lines >= 12,
        "only {by_lines} of {} files read by lines",
        schemas.len()
    );
    assert!(calls >= 500, "only {calls} calls read by lines");
}

/// Every line of every schema of the repository, damaged in a few ways (a quote,
/// a bracket, a `do`, a comment sign, a line cut in two, ...): both ways still
/// agree, whichever reader ends up reading the file.
#[test]
fn damaged_lines_read_the_same_both_ways() {
    const DAMAGE: &[&str] = &[
        "\"", "'", "(", "[", "{", "}", " do", " end", "#", " #", ",", " \\", "\n", "\r", "=>",
        ": ", "#{", "<<~SQL", "é", "\t", " if x", ".", "-", "0", ";",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut read = 0;
    for (name, src) in repository_schemas() {
        let lines: Vec<&str> = src.split_inclusive('\n').collect();
        for _ in 0..12 {
            let at = rng.below(lines.len().max(1));
            let Some(line) = lines.get(at) else { continue };
            let mut cut = rng.below(line.len() + 1);
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            let damage = rng.pick(DAMAGE);
            let damaged_line = match rng.below(3) {
                0 => format!("{}{damage}{}", &line[..cut], &line[cut..]),
                1 => format!("{}{damage}", &line[..cut]),
                _ => line.replacen(|c: char| !c.is_whitespace(), damage, 1),
            };
            let mut damaged = lines.clone();
            damaged[at] = &damaged_line;
            let damaged = damaged.concat();
            if compare(&format!("{name} (line {} damaged)", at + 1), &damaged).by_lines {
                read += 1;
            }
        }
    }
    assert!(read > 100, "only {read} damaged files read by lines");
}

/// The schema.rb of a generated monolith (the benchmark's generator).
#[test]
fn a_generated_monolith_reads_the_same_both_ways() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (models, seed) in [(120, 42), (60, 7)] {
        let root = dir.path().join(format!("app-{models}-{seed}"));
        gen::generate(&root, models, seed).expect("the generator writes the app");
        let src = std::fs::read_to_string(root.join("db/schema.rb")).expect("schema.rb");
        let outcome = compare("db/schema.rb", &src);
        assert!(outcome.by_lines && outcome.pieces == 0, "{outcome:?}");
        assert!(outcome.calls > models * 5, "{outcome:?}");
        let mixed = before_last_end(&src, FOREIGN_STATEMENTS).expect("a final end");
        let outcome = compare("db/schema.rb", &mixed);
        assert!(outcome.by_lines && outcome.pieces > 0, "{outcome:?}");
        compare("db/schema.rb", &crlf(&mixed));
    }
}

/// Hand-made files full of what a naive reader would get wrong.
#[test]
fn tricky_schemas_read_the_same_both_ways() {
    let header = "# This file is auto-generated. Don't \"edit\" it: it's \"#{generated}\"\n\nActiveRecord::Schema[7.1].define(version: 2024_03_01_120000) do\n";
    let bodies: &[&str] = &[
        // Strings holding `do`, `end`, `#`, escaped quotes, commas and brackets.
        r##"  create_table "do_end", comment: "do |t| end # not a comment, \"quoted\" [a, b] {c}", force: :cascade do |t|
    t.string "end", default: "end"
    t.string "do", default: 'it\'s', comment: 'a \'single\' \\ quote'
    t.string "hash", default: "# {not interpolated} \#{x} \\#", null: false # a "comment" with 'quotes'
    t.text "escapes", default: "\n\t\r\s\e\a\b\f\v\0\101\x41\x4g\u00e9\u{1F600}\u{41 42}\é\q\""
    t.index ["end", "do"], name: "index, with [brackets]", where: "(\"end\" <> 'do')"
  end
"##,
        // Multi-line calls.
        r##"  create_table "multi", force: :cascade do |t|
    t.bigint "a"
    t.bigint "b"
    t.index [
      "a",
      "b"
    ], name: "index_multi_on_a_and_b",
      unique: true
    t.index ["b"],
            name: "index_multi_on_b"
  end
  add_index "multi", ["a", "b"],
    name: "index_multi_late"
"##,
        // Keys and table options.
        r##"  create_table "legacy", id: false, force: :cascade do |t|
    t.integer "a"
  end
  create_table "composite", primary_key: ["a", "b"], force: :cascade do |t|
    t.integer "a", null: false
    t.integer "b", null: false
  end
  create_table "myisam", options: "ENGINE=MyISAM DEFAULT CHARSET=utf8", force: :cascade do |t|
    t.string "name", limit: 191
  end
  create_table "uuids", id: :uuid, default: -> { "gen_random_uuid()" }, force: :cascade do |t|
    t.datetime "at", default: -> { "CURRENT_TIMESTAMP" }, null: false
    t.virtual "full", type: :string, as: "((first || ' '::text) || last)", stored: true
    t.decimal "amount", precision: 10, scale: 2, default: "0.0"
    t.integer "n", default: -1, limit: 2
    t.float "f", default: -0.5
    t.float "big", default: 1.0e+20
    t.bigint "huge", default: 99999999999999999999
    t.integer "sep", default: 1_000_000
    t.jsonb "data", default: {}, null: false
    t.jsonb "nested", default: { "a" => [1, 2.5, nil, true, false], b: { c: :d } }
    t.string "tags", default: [], array: true
    t.column "status", :enum, enum_type: "status"
    t.references "owner", polymorphic: true, index: { unique: true, name: "by_owner" }
    t.belongs_to :group, type: :uuid, index: false
    t.timestamps null: true
    t.index "lower((name)::text)", name: "index_uuids_on_lower_name", opclass: :gin_trgm_ops, using: :gin
    t.index ["at"], name: "index_uuids_on_at", order: { at: :desc }
    t.unique_constraint ["n", "f"], deferrable: :immediate
    t.check_constraint "n > 0", name: "n_positive"
    t.exclusion_constraint "tsrange(a, b) WITH &&", using: :gist, name: "no_overlap"
  end
"##,
        // Old Rails: hash rockets, symbols, no version.
        r##"  create_table "posts", :force => true do |t|
    t.string   "title",   :limit => 255, :null => false
    t.integer  "user_id"
  end
  add_index "posts", ["user_id"], :name => "index_posts_on_user_id", :using => :btree
  add_index :posts, :title, "unique" => true
"##,
        // Unicode everywhere.
        "  create_table \"ünïcödé\", comment: \"日本語 — ☃\", force: :cascade do |t|\n    t.string \"名前\", default: \"é\\u00e9\"\n    t.index [\"名前\"], name: \"索引\"\n  end\n",
        // Comments in odd places, blank lines, tabs.
        "  # comment\n\n\tcreate_table \"tabs\",\tforce: :cascade do |t| # trailing\n\t\tt.string \"a\" # \"quoted\" comment\n\n    # inside\n\tend # after end\n",
        // Statements the line reader leaves to tree-sitter, between ones it reads.
        r##"  enable_extension "plpgsql"
  create_enum "mood", ["happy", "sad"]
  create_schema "audit"
  create_table "a", force: :cascade do |t|
    t.string "x"
  end
  create_function :touch, sql_definition: <<-'SQL'
      CREATE OR REPLACE FUNCTION public.touch()
  SQL
  create_table "b", force: :cascade do |t|
    t.string "y", default: "#{x}"
    t.string "z"
  end
  t.string "stray"
  something_custom "a"
  add_index "a", "x" if ENV["X"]
  add_index "a", ["x"], name: Foo::BAR
  create_table "c" do |t|
    t.string "q"; t.string "r"
  end
  create_trigger :t, sql_definition: <<~SQL, on: "a"
    CREATE TRIGGER t
  SQL
  add_foreign_key "b", "a", column: "x_id", on_delete: :cascade
  add_check_constraint "a", "x IS NOT NULL", name: "x_present"
  execute "SELECT 1"
  create_view "v", sql_definition: "SELECT 1"
"##,
        // A table without its block, then `t.` lines at the top.
        "  create_table \"open\", force: :cascade\n  t.string \"stray\"\n  create_table \"next\" do |t|\n    t.string \"a\"\n  end\n  t.string \"after\"\n",
        // Negative and odd numbers in odd places.
        "  add_index \"a\", [\"x\"], name: \"n\", length: -1\n  create_table \"a\", force: :cascade do |t|\n    t.string \"x\", default: [-1, -2.5, 0.0, 10_0]\n    t.integer \"o\", default: 0o17\n    t.integer \"h\", default: 0x1F\n    t.integer \"z\", default: 017\n  end\n",
        // Warnings the reader gives, from lines it reads.
        "  add_index \"missing\", [\"x\"]\n  add_foreign_key \"missing\", \"other\"\n  add_index nil, [\"x\"]\n  create_table \"w\" do |t|\n    t.string 1\n    t.column \"x\"\n    t.index 1\n    t.unique_constraint 1\n    t.remove \"x\"\n    u.string \"other\"\n    t.primary_key \"pk\", :uuid\n  end\n  create_table \"w\", force: :cascade do |t|\n    t.string \"again\"\n  end\n  create_table 1 do |t|\n    t.string \"x\"\n  end\n",
        // A block whose parameter is not `t`, and a block without one.
        "  create_table \"p\" do |tbl|\n    tbl.string \"a\"\n    t.string \"b\"\n  end\n  create_table \"q\" do\n    t.string \"c\"\n  end\n",
        // A lambda just before `do`, spaces in the block's bars, symbols and
        // rockets without spaces as older Rubies dumped them.
        "  create_table \"lam\", id: :uuid, default: -> { \"gen_random_uuid()\" } do | t |\n    t.string \"a\", limit: {:a=>1, \"b\"=>2}\n    t.index [:a], name: :by_a, length: {\"a\"=>10}\n  end\n",
        // Deep nesting: beyond what the line reader reads.
        "  create_table \"deep\", force: :cascade do |t|\n    t.string \"a\", default: [[[[[[[[[[[[1]]]]]]]]]]]]\n  end\n",
    ];
    let mut by_lines = 0;
    for (i, body) in bodies.iter().enumerate() {
        let src = format!("{header}{body}end\n");
        for (variant, text) in [
            ("LF", src.clone()),
            ("CRLF", crlf(&src)),
            ("no final newline", src.trim_end().to_owned()),
        ] {
            let outcome = compare(&format!("tricky #{i} ({variant})"), &text);
            by_lines += usize::from(outcome.by_lines);
        }
    }
    assert_eq!(
        by_lines,
        bodies.len() * 3,
        "every tricky file is read by lines"
    );
    // The files whose statements the line reader reads wholly.
    for i in [0, 1, 2, 3, 4, 5, 9, 10, 11] {
        let src = format!("{header}{}end\n", bodies[i]);
        let outcome = compare("tricky", &src);
        assert_eq!(outcome.pieces, 0, "tricky #{i}");
    }
}

/// Random values (mostly literals, some near misses) in every argument position:
/// each call the line reader reads equals tree-sitter's.
#[test]
fn random_literals_read_the_same_both_ways() {
    const ROUNDS: usize = 4000;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut calls = 0;
    for round in 0..ROUNDS {
        let mut src =
            String::from("ActiveRecord::Schema[7.1].define(version: 2024_01_01_000000) do\n");
        let (a, b) = (random_value(&mut rng, 0), random_value(&mut rng, 0));
        if round % 2 == 0 {
            src.push_str("  create_table \"t\", force: :cascade do |t|\n");
            src.push_str(&format!("    t.column \"c\", {a}, default: {b}\n"));
            src.push_str("  end\n");
        } else {
            let key = rng.pick(&["name:", "where:", ":using =>", "\"unique\" =>", "order:"]);
            src.push_str(&format!("  add_index \"t\", {a}, {key} {b}\n"));
        }
        src.push_str("end\n");
        calls += compare(&format!("random #{round}"), &src).calls;
    }
    assert!(calls > ROUNDS / 3, "only {calls} calls read by lines");
}

fn random_value(rng: &mut Rng, depth: usize) -> String {
    const CHARS: &[&str] = &[
        "a",
        "Z",
        "0",
        "7",
        "9",
        " ",
        ",",
        "[",
        "]",
        "{",
        "}",
        "(",
        ")",
        "é",
        "日",
        "#",
        "#{",
        "#@",
        "#$",
        "'",
        "\\\"",
        "\\\\",
        "\\n",
        "\\t",
        "\\s",
        "\\0",
        "\\12",
        "\\101",
        "\\8",
        "\\x",
        "\\x4",
        "\\x4f",
        "\\xZ",
        "\\u",
        "\\u00e9",
        "\\u00",
        "\\u{1F600}",
        "\\u{41 42}",
        "\\u{}",
        "\\é",
        "\\'",
        "\\q",
        "\\#",
        "\t",
        "do",
        "end",
        "=>",
        ":",
    ];
    let leaf = depth >= 4 || rng.below(3) > 0;
    if leaf {
        let mut s = String::new();
        for _ in 0..rng.below(6) {
            s.push_str(rng.pick(CHARS));
        }
        return match rng.below(16) {
            0..=2 => format!("\"{s}\""),
            3 => format!("'{}'", s.replace('\'', "\\'")),
            4 => format!(":\"{s}\""),
            5 => rng
                .pick(&[
                    ":a",
                    ":snake_case",
                    ":end",
                    ":a?",
                    ":A",
                    ":_x1",
                    "::a",
                    ":\"\"",
                ])
                .to_owned(),
            6 => rng
                .pick(&[
                    "0", "1", "-1", "1_000", "1__0", "1_", "007", "0.5", "-0.5", "1.0e+20", "1e5",
                    "1.5e-3", "12.0_1", "0x1F", "0b1", "1r", "2i", "- 1", "+1", "1.foo",
                ])
                .to_owned(),
            7 => rng
                .pick(&[
                    "true", "false", "nil", "truex", "nil?", "foo", "Foo", "Foo::Bar", "self",
                ])
                .to_owned(),
            8 => rng
                .pick(&[
                    "-> { \"now()\" }",
                    "->{ 'x' }",
                    "-> { now }",
                    "lambda { \"x\" }",
                    "-> { \"a\" } ",
                    "-> () { \"x\" }",
                ])
                .to_owned(),
            9 => rng
                .pick(&[
                    "%w[a b]",
                    "%i[a b]",
                    "\"a\" \"b\"",
                    "\"a\"[0]",
                    "'a'.b",
                    "[1,]",
                    "{a: 1,}",
                ])
                .to_owned(),
            10 => format!("'{s}'"),
            _ => format!("\"{}\"", s.replace('"', "")),
        };
    }
    let n = rng.below(4);
    let items: Vec<String> = (0..n).map(|_| random_value(rng, depth + 1)).collect();
    let sep = rng.pick(&[", ", ",\n      ", " , ", ","]);
    if rng.below(2) == 0 {
        format!("[{}]", items.join(sep))
    } else {
        let pairs: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, v)| match rng.below(7) {
                0 => format!("k{i}: {v}"),
                1 => format!("\"k{i}\" => {v}"),
                2 => format!(":k{i} => {v}"),
                3 => format!("\"k{i}\"=>{v}"),
                4 => format!(":k{i}=>{v}"),
                5 => format!("{v} => {v}"),
                _ => format!("k{i}:{v}"),
            })
            .collect();
        match rng.below(3) {
            0 => format!("{{ {} }}", pairs.join(sep)),
            1 => format!("{{{}}}", pairs.join(sep)),
            _ => format!("{{\n      {}\n    }}", pairs.join(sep)),
        }
    }
}

/// The line reader reads the dumper's own output without any help from tree-sitter
/// and gives the same result as before.
#[test]
fn the_fixtures_are_read_by_lines_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema");
    for file in ["rails71_postgresql_schema.rb", "rails42_mysql_schema.rb"] {
        let src = std::fs::read_to_string(root.join(file)).expect("fixture");
        let outcome = compare(file, &src);
        assert!(
            outcome.by_lines && outcome.pieces == 0,
            "{file}: {outcome:?}"
        );
    }
}

/// The public entry point gives the line reader's result when it reads the file.
#[test]
fn the_entry_point_uses_the_line_reader() {
    let src = "ActiveRecord::Schema.define(version: 1) do\n  create_table \"a\" do |t|\n    t.string \"x\"\n  end\nend\n";
    let path = Path::new("db/schema.rb");
    let db: Database = parse_schema_rb(path, src).expect("reads");
    assert_eq!(Some(db), parse_lines(path, src));
}
