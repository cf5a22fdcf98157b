#!/usr/bin/env ruby
# frozen_string_literal: true

# Runs a migration against an app's schema with the real ActiveRecord and dumps the
# schema that results:
#
#   ruby tests/activerecord/apply_migration.rb [--database NAME] APP_DIR MIGRATION_FILE OUTPUT_SCHEMA_RB
#
# 1. Loads db/schema.rb (db/NAME_schema.rb with --database NAME) into a fresh SQLite
#    database with ActiveRecord::Schema, neutralising PostgreSQL-only statements the
#    way dump_reflections.rb does.
# 2. Runs the migration `up` through ActiveRecord's own migrator (MigrationContext),
#    as `bin/rails db:migrate` would: the file name must match the class, the
#    version is recorded, `disable_ddl_transaction!` is honoured.
# 3. Writes what ActiveRecord::SchemaDumper dumps to OUTPUT_SCHEMA_RB (which may be
#    the schema that was loaded).
#
# What SQLite cannot hold is carried over from the loaded schema so that the dump
# says what the original database would: PostgreSQL column types (`jsonb`...), index
# access methods and options (`using: :brin`, `opclass:`...), foreign keys, table
# comments and `enable_extension`s (column comments are lost). Exits
# 1 with a message on stderr on any error, 2 on a usage error. tests/migration.rs
# uses it to check that fullscan's generated migrations fix what they claim to.

require "fileutils"
require "stringio"
require "tmpdir"

ENV["RAILS_ENV"] = "development"
ENV.delete("DATABASE_URL")

require "active_record"
require "active_support/all"
require "active_record/connection_adapters/sqlite3_adapter"

def usage!
  warn "usage: #{$PROGRAM_NAME} [--database NAME] APP_DIR MIGRATION_FILE OUTPUT_SCHEMA_RB"
  exit 2
end

args = ARGV.dup
database = "primary"
if args.first == "--database"
  args.shift
  database = args.shift or usage!
end
usage! unless args.length == 3
app_dir, migration_file, output = args
unless File.directory?(app_dir)
  warn "apply_migration.rb: #{app_dir}: no such directory"
  exit 2
end
unless File.file?(migration_file)
  warn "apply_migration.rb: #{migration_file}: no such file"
  exit 2
end

module ApplyMigration
  # PostgreSQL-only column types a schema.rb may use (as in dump_reflections.rb).
  PG_TYPES = %i[
    jsonb uuid inet cidr macaddr citext hstore ltree tsvector interval money point line
    lseg box path polygon circle bit bit_varying xml oid daterange numrange tsrange
    tstzrange int4range int8range enum serial bigserial
  ].freeze

  # What SQLite drops, recorded as the schema is loaded and given back to the dumper.
  INDEX_OPTIONS = {}   # [table, index name] => { using:, type:, opclass:, length:, comment: }
  FOREIGN_KEYS = Hash.new { |h, k| h[k] = [] } # table => [ForeignKeyDefinition]
  EXTENSIONS = [] # enable_extension names
  TABLE_COMMENTS = {} # table => comment

  module_function

  def schema_path(app_dir, database)
    prefix = database == "primary" ? "" : "#{database}_"
    File.join(app_dir, "db", "#{prefix}schema.rb")
  end
end

# Make SQLite accept the PostgreSQL column types, and the dumper write them back.
[ActiveRecord::ConnectionAdapters::TableDefinition, ActiveRecord::ConnectionAdapters::Table].each do |td|
  ApplyMigration::PG_TYPES.each do |type|
    next if td.method_defined?(type)
    td.define_method(type) do |*names, **options|
      names.each { |n| column(n, type, **options.except(:array)) }
    end
  end
end
ActiveRecord::ConnectionAdapters::SQLite3Adapter.prepend(Module.new do
  def valid_type?(type)
    super || ApplyMigration::PG_TYPES.include?(type&.to_sym)
  end
end)
ActiveRecord::ConnectionAdapters::SQLite3::SchemaDumper.prepend(Module.new do
  private

  def schema_type(column)
    pg = column.sql_type.to_s.downcase.to_sym
    ApplyMigration::PG_TYPES.include?(pg) ? pg : super
  end

  # What PostgreSQL's dumper writes for the extensions the schema enabled.
  def extensions(stream)
    return if ApplyMigration::EXTENSIONS.empty?
    stream.puts "  # These are extensions that must be enabled in order to support this database"
    ApplyMigration::EXTENSIONS.sort.each { |e| stream.puts "  enable_extension #{e.inspect}" }
    stream.puts
  end
end)

# Schema.rb statements that only matter on PostgreSQL/MySQL (as in dump_reflections.rb).
ActiveRecord::Schema.prepend(Module.new do
  def enable_extension(name, **)
    ApplyMigration::EXTENSIONS << name.to_s unless ApplyMigration::EXTENSIONS.include?(name.to_s)
    nil
  end

  def create_schema(*) = nil
  def execute(sql, *rest)
    return nil if sql.to_s =~ /\A\s*(CREATE\s+(EXTENSION|SCHEMA|TYPE)|COMMENT\s+ON)\b/i
    super
  end
end)

ActiveRecord::ConnectionAdapters::SQLite3Adapter.prepend(Module.new do
  # SQLite builds no index concurrently: ActiveRecord 6.1 raises "Algorithm must be
  # one of: " for `algorithm: :concurrently`. The PostgreSQL migrations fullscan
  # writes carry it, so the test drops it here; everything else about the statement
  # (name, columns, unique, where) is what SQLite runs.
  def add_index(table_name, column_name, **options)
    options = options.except(:algorithm)
    name = (options[:name] || index_name(table_name, column_name)).to_s
    kept = options.slice(:using, :type, :opclass, :length, :comment).compact
    ApplyMigration::INDEX_OPTIONS[[table_name.to_s, name]] = kept unless kept.empty?
    super(table_name, column_name, **options.except(:using, :type, :opclass, :length, :comment))
  end

  # The access method and options SQLite ignored, given back to the dumper.
  def indexes(table_name)
    super.map do |i|
      kept = ApplyMigration::INDEX_OPTIONS[[table_name.to_s, i.name]]
      next i unless kept
      ActiveRecord::ConnectionAdapters::IndexDefinition.new(
        i.table, i.name, i.unique, i.columns,
        lengths: kept[:length] || i.lengths, orders: i.orders,
        opclasses: kept[:opclass] || i.opclasses, where: i.where,
        type: kept[:type] || i.type, using: kept[:using] || i.using,
        comment: kept[:comment] || i.comment
      )
    end
  end

  # Foreign keys are recorded, not built: SQLite would rebuild the table for each one
  # and forget their names; the dumper gets them back as written.
  def add_foreign_key(from_table, to_table, **options)
    options = foreign_key_options(from_table, to_table, options)
    options[:primary_key] ||= "id"
    ApplyMigration::FOREIGN_KEYS[from_table.to_s] <<
      ActiveRecord::ConnectionAdapters::ForeignKeyDefinition.new(from_table.to_s, to_table.to_s, options)
    nil
  end

  def foreign_keys(table_name)
    ApplyMigration::FOREIGN_KEYS[table_name.to_s]
  end

  # Table comments, which SQLite cannot store.
  def create_table(table_name, **options, &block)
    ApplyMigration::TABLE_COMMENTS[table_name.to_s] = options[:comment] if options[:comment]
    super
  end

  def table_comment(table_name)
    ApplyMigration::TABLE_COMMENTS[table_name.to_s]
  end

  def table_options(table_name)
    comment = table_comment(table_name)
    options = super || {}
    comment ? options.merge(comment: comment) : options.presence
  end

  # PostgreSQL schema-qualified tables ("audit.events") are created in SQLite under
  # that literal name (as in dump_reflections.rb).
  private

  def table_structure(table_name)
    return super unless table_name.to_s.include?(".")
    structure = exec_query("PRAGMA table_info(#{quote(table_name.to_s)})", "SCHEMA")
    raise(ActiveRecord::StatementInvalid, "Could not find table '#{table_name}'") if structure.empty?
    structure.to_a
  end
end)

# The migration names the app's Rails version (`ActiveRecord::Migration[7.1]`); the
# ActiveRecord here is 6.1, which knows no later version: run those with 6.1's
# semantics rather than fail on the superclass.
ActiveRecord::Migration.singleton_class.prepend(Module.new do
  def [](version)
    super
  rescue ArgumentError
    raise unless Gem::Version.new(version.to_s) > Gem::Version.new(ActiveRecord::Migration::Current.current_version.to_s)
    ActiveRecord::Migration::Current
  end
end)

ActiveRecord::Migration.verbose = false
ActiveRecord::Base.logger = nil

tmp = Dir.mktmpdir("apply-migration")
begin
  schema = ApplyMigration.schema_path(app_dir, database)
  raise "#{schema}: no such file (structure.sql apps are not supported)" unless File.file?(schema)

  ActiveRecord::Base.establish_connection(adapter: "sqlite3", database: File.join(tmp, "db.sqlite3"))
  # Loading the schema marks every migration in `migrations_paths` older than its
  # version as run: point it at an empty directory so the one under test is not.
  ActiveRecord::Migrator.migrations_paths = [File.join(tmp, "no_migrations")]
  begin
    load File.expand_path(schema)
  rescue StandardError, ScriptError => e
    raise e.class, "loading #{schema}: #{e.message}", e.backtrace
  end

  # The migrator wants the file in a directory of its own: other migrations of the
  # app's db/migrate are not the test's business, but their names are checked too.
  migration_dir = File.dirname(File.expand_path(migration_file))
  basename = File.basename(migration_file)
  version = basename[/\A(\d+)_/, 1] or raise "#{basename}: a migration file name starts with its version (YYYYMMDDHHMMSS_...)"
  context = ActiveRecord::MigrationContext.new([migration_dir], ActiveRecord::SchemaMigration)
  unless context.migrations.any? { |m| m.version == version.to_i && m.filename == File.join(migration_dir, basename) }
    raise "#{basename}: ActiveRecord does not take it for a migration (the name must be VERSION_snake_case_name.rb)"
  end
  if ActiveRecord::SchemaMigration.where(version: version).exists?
    raise "#{basename}: version #{version} is the schema's own version, so ActiveRecord takes the migration as already run"
  end
  begin
    context.run(:up, version.to_i)
  rescue StandardError, ScriptError => e
    cause = e.cause ? " (#{e.cause.class}: #{e.cause.message.lines.first&.chomp})" : ""
    raise e.class, "running #{basename}: #{e.message.lines.first&.chomp}#{cause}", e.backtrace
  end
  unless ActiveRecord::SchemaMigration.where(version: version).exists?
    raise "#{basename}: the migration did not run (is its version older than an already-run one?)"
  end

  stream = StringIO.new
  ActiveRecord::SchemaDumper.dump(ActiveRecord::Base.connection, stream)
  dumped = stream.string
  if dumped.include?("# Could not dump table")
    raise "the dumped schema is incomplete:\n#{dumped.lines.grep(/Could not dump|Unknown type/).join}"
  end
  partial = "#{output}.tmp#{Process.pid}"
  File.write(partial, dumped)
  File.rename(partial, output)
rescue StandardError, ScriptError => e
  warn "apply_migration.rb: #{e.class}: #{e.message}"
  e.backtrace&.first(8)&.each { |l| warn "  #{l}" }
  exit 1
ensure
  ActiveRecord::Base.connection_pool.disconnect! if ActiveRecord::Base.connected?
  FileUtils.rm_rf(tmp)
end
