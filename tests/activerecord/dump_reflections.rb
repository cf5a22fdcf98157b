#!/usr/bin/env ruby
# frozen_string_literal: true

# Loads a fixture Rails app (models, concerns, inflections, schema) into the real
# ActiveRecord -- without Rails/railties -- and prints, as deterministic JSON, what
# ActiveRecord itself says about every model and every association reflection.
#
#   ruby tests/activerecord/dump_reflections.rb corpus/blog > blog.json
#
# The JSON is the oracle fullscan's resolver is compared against. See README.md.

require "json"
require "tmpdir"
require "yaml"
require "erb"
require "fileutils"
require "stringio"

ENV["RAILS_ENV"] = "development"
ENV.delete("DATABASE_URL")

require "active_record"
require "active_support/all"
require "active_support/dependencies"
require "active_record/connection_adapters/sqlite3_adapter"

if ARGV.length != 1 || !File.directory?(ARGV[0])
  warn "usage: #{$PROGRAM_NAME} APP_DIR"
  exit 2
end

APP_ROOT = File.realpath(ARGV[0]).freeze
TMP_ROOT = Dir.mktmpdir("ar-harness").freeze
at_exit { FileUtils.rm_rf(TMP_ROOT) }

ActiveRecord::Migration.verbose = false
ActiveRecord::Base.logger = nil

module Harness
  LOAD_ERRORS = []

  # [declaring class, association name] => Thread::Backtrace::Location in the app
  DECLARATIONS = {}

  module_function

  def rel(path)
    return nil if path.nil?
    path = path.to_s
    path.start_with?(APP_ROOT + "/") ? path.delete_prefix(APP_ROOT + "/") : path
  end

  # Exception text without did_you_mean suggestions, absolute paths or object ids,
  # so that goldens are stable across machines and runs.
  def describe(error)
    message = error.respond_to?(:original_message) ? error.original_message : error.message
    message = message.to_s.lines.first.to_s.chomp
      .gsub(APP_ROOT + "/", "")
      .gsub(TMP_ROOT, "<tmp>")
      .gsub(/0x\h{6,}/, "0x...")
    message = "#{message[0, 240]}..." if message.length > 240
    "#{error.class}: #{message}"
  end

  def load_error(stage, path, error)
    LOAD_ERRORS << { "stage" => stage, "path" => rel(path), "error" => describe(error) }
  end

  # Computes record[key] with the block; on any exception stores nil and the
  # exception under errors[key].
  def field(record, errors, key)
    record[key] = yield
  rescue StandardError, ScriptError, SystemStackError => e
    record[key] = nil
    errors[key] = describe(e)
  end

  def plain(value)
    case value
    when nil, true, false, Integer, Float, String then value
    when Symbol then value.to_s
    when Array then value.map { |v| plain(v) }
    when Hash then value.map { |k, v| [k.to_s, plain(v)] }.sort_by(&:first).to_h
    when Proc then "<proc>"
    when Module then value.name || "<anonymous>"
    else value.inspect.gsub(/0x\h{6,}/, "0x...")
    end
  end

  # Runs the block with $stderr captured; returns [result, warning lines].
  def capturing_warnings
    original = $stderr
    $stderr = StringIO.new
    result = yield
    [result, $stderr.string.lines.map(&:strip).reject(&:empty?)]
  ensure
    $stderr = original
  end

  def sort_keys(value)
    case value
    when Hash then value.keys.sort.to_h { |k| [k, sort_keys(value[k])] }
    when Array then value.map { |v| sort_keys(v) }
    else value
    end
  end

  # ------------------------------------------------------------------ databases

  # database.yml names for the development environment, primary first.
  def database_names
    path = File.join(APP_ROOT, "config/database.yml")
    return ["primary"] unless File.file?(path)

    yaml = ERB.new(File.read(path)).result
    data = YAML.safe_load(yaml, aliases: true) || {}
    env = data["development"] || data.values.find { |v| v.is_a?(Hash) } || {}
    if env.is_a?(Hash) && env.values.all? { |v| v.is_a?(Hash) } && !env.empty? &&
       !env.key?("adapter") && !env.key?("database") && !env.key?("url")
      names = env.keys.map(&:to_s)
      names.include?("primary") ? ["primary"] + (names - ["primary"]) : names
    else
      ["primary"]
    end
  rescue StandardError, ScriptError => e
    load_error("database.yml", path, e)
    ["primary"]
  end

  # What `config.load_defaults X.Y` (railties/lib/rails/application/configuration.rb)
  # and literal `config.active_record.<naming setting> = ...` lines in
  # config/application.rb would set on ActiveRecord::Base.
  NAMING_SETTINGS = %w[
    table_name_prefix table_name_suffix pluralize_table_names primary_key_prefix_type
    store_full_sti_class store_full_class_name
  ].freeze

  def apply_application_config
    path = File.join(APP_ROOT, "config/application.rb")
    source = File.file?(path) ? File.read(path) : ""
    settings = {}
    if (m = source.match(/^\s*config\.load_defaults\s*\(?\s*["']?(\d+\.\d+)/))
      version = Gem::Version.new(m[1])
      settings["belongs_to_required_by_default"] = true if version >= Gem::Version.new("5.0")
      if version >= Gem::Version.new("6.1")
        settings["has_many_inversing"] = true
        settings["legacy_connection_handling"] = false
      end
    end
    source.scan(/^\s*config\.active_record\.(\w+)\s*=\s*(.+?)\s*$/) do |key, literal|
      next unless NAMING_SETTINGS.include?(key)
      value =
        case literal
        when /\A"([^"]*)"\z/, /\A'([^']*)'\z/ then Regexp.last_match(1)
        when /\A:(\w+)\z/ then Regexp.last_match(1).to_sym
        when "true" then true
        when "false" then false
        when "nil" then nil
        else next
        end
      settings[key] = value
    end
    settings.each do |key, value|
      next unless ActiveRecord::Base.respond_to?("#{key}=")
      ActiveRecord::Base.public_send("#{key}=", value)
    end
    # railties' "active_record.initialize_database" initializer.
    if ActiveRecord::Base.legacy_connection_handling
      ActiveRecord::Base.connection_handlers = {
        ActiveRecord::Base.writing_role => ActiveRecord::Base.default_connection_handler,
      }
    end
    settings.transform_values { |v| plain(v) }
  rescue StandardError, ScriptError => e
    load_error("application.rb", path, e)
    {}
  end

  def configure_databases(names)
    configs = names.to_h do |name|
      [name, { "adapter" => "sqlite3", "database" => File.join(TMP_ROOT, "#{name}.sqlite3"), "pool" => 5 }]
    end
    ActiveRecord::Base.configurations =
      if names == ["primary"]
        { "development" => configs["primary"] }
      else
        { "development" => configs }
      end
  end

  # The one schema file Rails would load for a database: structure.sql when
  # config/application.rb sets `schema_format = :sql`, else schema.rb; either
  # one if only one exists.
  def schema_files(name)
    db = File.join(APP_ROOT, "db")
    prefix = name == "primary" ? "" : "#{name}_"
    ruby = File.join(db, "#{prefix}schema.rb")
    sql = File.join(db, "#{prefix}structure.sql")
    application = File.join(APP_ROOT, "config/application.rb")
    sql_format = File.file?(application) &&
                 File.read(application).match?(/^\s*config\.active_record\.schema_format\s*=\s*:sql\b/)
    preferred = sql_format ? [sql, ruby] : [ruby, sql]
    preferred.select { |f| File.file?(f) }.first(1)
  end

  # The migration folders of a database, for an app that commits no schema file:
  # the `<database> <folder>...` line of tests/activerecord/migrations/<app>/paths
  # (what Rails' migrations paths hold for it), else db/migrate for the primary
  # database and db/<name>_migrate for another.
  def migrations_paths(name)
    declared = File.join(__dir__, "migrations", File.basename(APP_ROOT), "paths")
    if File.file?(declared)
      line = File.readlines(declared).map(&:split).find { |db, *| db == name }
      return line.drop(1).map { |d| File.join(APP_ROOT, d) } if line
    end
    folder = name == "primary" ? "migrate" : "#{name}_migrate"
    [File.join(APP_ROOT, "db", folder)].select { |d| File.directory?(d) }
  end

  def load_schemas(names)
    names.each do |name|
      files = schema_files(name)
      if names == ["primary"]
        ActiveRecord::Base.establish_connection
      else
        ActiveRecord::Base.establish_connection(name.to_sym)
      end
      if files.empty?
        paths = migrations_paths(name)
        if paths.empty?
          load_error("schema", "db/", RuntimeError.new("no schema file or migrations for database #{name}"))
        else
          begin
            ActiveRecord::MigrationContext.new(paths, ActiveRecord::SchemaMigration).migrate
          rescue StandardError, ScriptError => e
            load_error("migrations", rel(paths.first), e)
          end
        end
      end
      files.each do |file|
        if file.end_with?(".rb")
          load file
        else
          StructureSql.new(File.read(file)).sqlite_statements.each do |sql|
            ActiveRecord::Base.connection.execute(sql)
          rescue StandardError => e
            load_error("structure.sql", file, e)
          end
        end
      rescue StandardError, ScriptError => e
        load_error("schema", file, e)
      end
      ActiveRecord::Base.connection_pool.disconnect!
    end
    ActiveRecord::Base.establish_connection
  end

  # ------------------------------------------------------------------ models

  def model_roots
    patterns = %w[
      app/models app/models/concerns
      engines/*/app/models engines/*/app/models/concerns
      packs/*/app/models packs/*/app/models/concerns
      components/*/app/models components/*/app/models/concerns
    ]
    patterns.flat_map { |p| Dir.glob(File.join(APP_ROOT, p)).sort }.select { |d| File.directory?(d) }
  end

  def load_inflections
    path = File.join(APP_ROOT, "config/initializers/inflections.rb")
    load path if File.file?(path)
  rescue StandardError, ScriptError => e
    load_error("inflections", path, e)
  end

  def load_models
    roots = model_roots
    ActiveSupport::Dependencies.autoload_paths = roots
    files = roots.flat_map { |r| Dir.glob(File.join(r, "**/*.rb")) }.uniq.sort
    files.each do |file|
      require_dependency file
    rescue StandardError, ScriptError => e
      load_error("model", file, e)
    end
  end

  def habtm_join_model?(klass)
    klass.singleton_class.method_defined?(:left_model)
  end

  def models
    ActiveRecord::Base.descendants.select do |klass|
      name = Module.instance_method(:name).bind_call(klass)
      name && !name.start_with?("ActiveRecord::") && !habtm_join_model?(klass)
    end.sort_by(&:name)
  end

  # ------------------------------------------------------------------ facts

  def model_record(klass)
    record = { "name" => klass.name }
    errors = {}
    field(record, errors, "path") { rel(Object.const_source_location(klass.name)&.first) }
    field(record, errors, "line") { Object.const_source_location(klass.name)&.last }
    field(record, errors, "superclass") { klass.superclass.name }
    field(record, errors, "abstract_class") { klass.abstract_class? ? true : false }
    field(record, errors, "table_name") { klass.table_name }
    field(record, errors, "table_exists") { klass.table_exists? }
    field(record, errors, "base_class") { klass.base_class.name }
    field(record, errors, "primary_key") { klass.primary_key }
    field(record, errors, "inheritance_column") { klass.inheritance_column }
    field(record, errors, "sti_name") { klass.sti_name }
    field(record, errors, "polymorphic_name") { klass.abstract_class? ? nil : klass.polymorphic_name }
    field(record, errors, "database") { klass.connection_db_config.name }
    field(record, errors, "uniqueness_validations") do
      klass.validators.grep(ActiveRecord::Validations::UniquenessValidator).map do |v|
        {
          "attributes" => v.attributes.map(&:to_s),
          "scope" => Array(v.options[:scope]).map(&:to_s),
          "conditions" => v.options.key?(:conditions),
          "case_sensitive" => v.options.key?(:case_sensitive) ? v.options[:case_sensitive] : nil,
        }
      end.sort_by { |h| [h["attributes"], h["scope"]] }
    end
    record["errors"] = errors
    sort_keys(record)
  end

  def declaration_site(reflection)
    DECLARATIONS[[reflection.active_record, reflection.name.to_sym]]
  end

  def association_record(klass, reflection)
    record = { "model" => klass.name, "name" => reflection.name.to_s }
    errors = {}
    habtm = reflection.macro == :has_and_belongs_to_many
    poly_belongs_to = reflection.belongs_to? && reflection.polymorphic?

    field(record, errors, "macro") { reflection.macro.to_s }
    field(record, errors, "declared_in") { reflection.active_record.name }
    field(record, errors, "path") { rel(declaration_site(reflection)&.absolute_path) }
    field(record, errors, "line") { declaration_site(reflection)&.lineno }
    field(record, errors, "table") { klass.table_name }
    field(record, errors, "class_name") { reflection.class_name }
    # Rails cannot compute the class of a polymorphic belongs_to (it is read from the
    # *_type column at runtime): those fields stay null without an error.
    field(record, errors, "target_class") { poly_belongs_to ? nil : reflection.klass.name }
    field(record, errors, "target_table") { poly_belongs_to ? nil : reflection.klass.table_name }
    field(record, errors, "foreign_key") { reflection.foreign_key&.to_s }
    field(record, errors, "foreign_type") { reflection.foreign_type&.to_s }
    field(record, errors, "type") { reflection.type&.to_s }
    field(record, errors, "polymorphic") { reflection.polymorphic? ? true : false }
    field(record, errors, "as") { reflection.options[:as]&.to_s }
    field(record, errors, "through") { reflection.through_reflection? ? reflection.through_reflection.name.to_s : nil }
    field(record, errors, "source") { reflection.through_reflection? ? reflection.source_reflection.name.to_s : nil }
    field(record, errors, "join_table") { habtm ? reflection.join_table : nil }
    field(record, errors, "join_model_table") do
      habtm ? klass._reflect_on_association(reflection.name).through_reflection.klass.table_name : nil
    end
    field(record, errors, "association_foreign_key") { habtm ? reflection.association_foreign_key : nil }
    field(record, errors, "association_primary_key") do
      poly_belongs_to ? nil : reflection.association_primary_key&.to_s
    end
    field(record, errors, "active_record_primary_key") { reflection.active_record_primary_key&.to_s }
    field(record, errors, "inverse_of") { reflection.inverse_of&.name&.to_s }
    field(record, errors, "scope") { !reflection.scope.nil? }
    # What Rails raises when the association is first used (bad :through/:source,
    # bad inverse_of...): true when valid, else null plus the error.
    field(record, errors, "check_validity") do
      reflection.check_validity!
      true
    end
    field(record, errors, "options") { plain(reflection.options.except(:anonymous_class)) }
    # The JOIN chain Rails builds for a :through association, target first: each hop
    # joins `table.key = foreign_table.foreign_key` (plus `table.type` for `as:`).
    field(record, errors, "chain") do
      next nil unless reflection.through_reflection?
      chain = reflection.chain
      chain.each_with_index.map do |r, i|
        foreign_table = i + 1 < chain.length ? chain[i + 1].klass.table_name : klass.table_name
        {
          "name" => r.name.to_s,
          "table" => r.klass.table_name,
          "key" => r.join_primary_key.to_s,
          "foreign_table" => foreign_table,
          "foreign_key" => r.join_foreign_key.to_s,
          "type" => r.type&.to_s,
        }
      end
    end
    record["errors"] = errors
    sort_keys(record)
  end

  def run
    settings = apply_application_config
    names = database_names
    configure_databases(names)
    load_schemas(names)
    load_inflections
    load_models

    # All models first, so that warnings ActiveRecord prints while computing a
    # model's primary key land on that model's record.
    model_records = models.map do |klass|
      record, warnings = capturing_warnings { model_record(klass) }
      record.merge("warnings" => warnings)
    end
    association_records = []
    models.each do |klass|
      reflections =
        begin
          klass.reflect_on_all_associations
        rescue StandardError, ScriptError => e
          load_error("reflections", nil, e)
          []
        end
      reflections.sort_by { |r| r.name.to_s }.each do |reflection|
        record, warnings = capturing_warnings { association_record(klass, reflection) }
        association_records << record.merge("warnings" => warnings)
      end
    end

    output = {
      "activerecord_version" => ActiveRecord.version.to_s,
      "activerecord_settings" => settings.sort.to_h,
      "databases" => names,
      "load_errors" => LOAD_ERRORS.sort_by { |e| [e["stage"], e["path"].to_s, e["error"]] },
      "models" => model_records,
      "associations" => association_records.sort_by { |r| [r["model"], r["name"]] },
    }
    json = JSON.pretty_generate(output)
      .gsub(/\[\n\s*\n\s*\]/, "[]")
      .gsub(/\{\n\s*\}/, "{}")
    $stdout.puts json
  end
end

# Records where each association is declared: the innermost caller frame inside
# the app (works through concerns' `included do` and `with_options`).
module Harness
  module DeclarationSites
    %i[belongs_to has_one has_many has_and_belongs_to_many].each do |macro|
      define_method(macro) do |name, *args, **options, &block|
        site = caller_locations(1, 40).find { |l| l.absolute_path.to_s.start_with?(APP_ROOT + "/") }
        Harness::DECLARATIONS[[self, name.to_sym]] ||= site if site
        super(name, *args, **options, &block)
      end
    end
  end
end
ActiveRecord::Base.singleton_class.prepend(Harness::DeclarationSites)

# PostgreSQL-only column types that a schema.rb may use: make SQLite accept them.
module Harness
  PG_TYPES = %i[
    jsonb uuid inet cidr macaddr citext hstore ltree tsvector interval money point line
    lseg box path polygon circle bit bit_varying xml oid daterange numrange tsrange
    tstzrange int4range int8range enum serial bigserial
  ].freeze
end
[ActiveRecord::ConnectionAdapters::TableDefinition, ActiveRecord::ConnectionAdapters::Table].each do |td|
  Harness::PG_TYPES.each do |type|
    next if td.method_defined?(type)
    td.define_method(type) do |*names, **options|
      names.each { |n| column(n, type, **options.except(:array)) }
    end
  end
end

# Schema.rb statements that only matter on PostgreSQL/MySQL.
module Harness
  module SchemaShims
    def enable_extension(*) = nil
    def create_schema(*) = nil
    def execute(sql, *rest)
      return nil if sql.to_s =~ /\A\s*(CREATE\s+(EXTENSION|SCHEMA|TYPE)|COMMENT\s+ON)\b/i
      super
    end
  end
end
ActiveRecord::Schema.prepend(Harness::SchemaShims)

# Foreign keys do not change reflections; SQLite would rebuild the table for each one.
ActiveRecord::ConnectionAdapters::SQLite3Adapter.prepend(Module.new do
  def add_foreign_key(*, **) = nil
end)

# PostgreSQL schema-qualified tables ("audit.events") are created in SQLite under that
# literal name; make SQLite introspection find them instead of looking for an attached
# database called "audit".
ActiveRecord::ConnectionAdapters::SQLite3Adapter.prepend(Module.new do
  private

  def table_structure(table_name)
    return super unless table_name.to_s.include?(".")
    structure = exec_query("PRAGMA table_info(#{quote(table_name.to_s)})", "SCHEMA")
    raise(ActiveRecord::StatementInvalid, "Could not find table '#{table_name}'") if structure.empty?
    structure.to_a
  end
end)

# Crude structure.sql (pg_dump / mysqldump) -> SQLite translation: tables, columns and
# primary keys only, which is all reflection/primary-key introspection needs.
module Harness
  class StructureSql
    Table = Struct.new(:name, :columns, :primary_key)

    def initialize(sql)
      @sql = sql.gsub(%r{/\*.*?\*/;?}m, "").lines.reject { |l| l.lstrip.start_with?("--") }.join
    end

    def sqlite_statements
      tables = {}
      statements.each do |stmt|
        case stmt
        when /\ACREATE\s+(?:UNLOGGED\s+|TEMPORARY\s+|TEMP\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([^\s(]+)\s*\(/im
          name = unquote_name(Regexp.last_match(1))
          body = balanced(stmt, Regexp.last_match.end(0) - 1)
          next if body.nil? || stmt =~ /\bPARTITION\s+OF\b/i
          tables[name] = parse_table(name, body)
        when /\AALTER\s+TABLE\s+(?:ONLY\s+)?([^\s]+)\s+ADD\s+CONSTRAINT\s+\S+\s+PRIMARY\s+KEY\s*\(([^)]*)\)/im
          table = tables[unquote_name(Regexp.last_match(1))]
          table.primary_key = split_columns(Regexp.last_match(2)) if table
        end
      end
      tables.values.map { |t| to_sqlite(t) }
    end

    private

    def statements
      @sql.split(/;\s*$/).map(&:strip).reject(&:empty?)
    end

    # The text inside the parentheses opening at index `open`.
    def balanced(text, open)
      depth = 0
      quote = nil
      (open...text.length).each do |i|
        ch = text[i]
        if quote
          quote = nil if ch == quote
        elsif ch == "'" || ch == '"' || ch == "`"
          quote = ch
        elsif ch == "("
          depth += 1
        elsif ch == ")"
          depth -= 1
          return text[(open + 1)...i] if depth.zero?
        end
      end
      nil
    end

    def unquote(identifier)
      identifier.strip.delete_prefix('"').delete_suffix('"').delete_prefix("`").delete_suffix("`")
    end

    def unquote_name(name)
      parts = name.split(".").map { |p| unquote(p) }
      parts.shift if parts.length > 1 && parts.first == "public"
      parts.join(".")
    end

    def split_columns(list)
      list.split(",").map { |c| unquote(c.strip.split(/\s+/).first) }
    end

    # Splits a table body on top-level commas (outside parentheses and quotes).
    def items(body)
      depth = 0
      quote = nil
      current = +""
      out = []
      body.each_char do |ch|
        if quote
          quote = nil if ch == quote
        elsif ch == "'" || ch == '"' || ch == "`"
          quote = ch
        elsif ch == "("
          depth += 1
        elsif ch == ")"
          depth -= 1
        elsif ch == "," && depth.zero?
          out << current.strip
          current = +""
          next
        end
        current << ch
      end
      out << current.strip unless current.strip.empty?
      out
    end

    def parse_table(name, body)
      table = Table.new(name, [], nil)
      items(body).each do |item|
        case item
        when /\A(?:CONSTRAINT\s+\S+\s+)?PRIMARY\s+KEY\s*\(([^)]*)\)/i
          table.primary_key = split_columns(Regexp.last_match(1))
        when /\A(?:(?:UNIQUE|FULLTEXT|SPATIAL)\s+)?(?:KEY|INDEX)\s*(?:`[^`]+`|"[^"]+"|\w+)?\s*\(/i,
             /\A(?:CONSTRAINT|UNIQUE|FOREIGN|CHECK|EXCLUDE|LIKE)\b/i
          next # index/constraint lines (a column may be called "key")
        when /\A("[^"]+"|`[^`]+`|[A-Za-z_][\w$]*)\s+([A-Za-z_][\w ]*?)(?:\(|\[|\s|\z)/
          column = unquote(Regexp.last_match(1))
          type = Regexp.last_match(2).strip.split(/\s+/).first.downcase
          table.columns << [column, type]
          table.primary_key = [column] if item =~ /\bPRIMARY\s+KEY\b/i && table.primary_key.nil?
        end
      end
      table
    end

    def to_sqlite(table)
      q = ->(s) { %("#{s}") }
      defs = table.columns.map { |c, type| "#{q.(c)} #{type}" }
      defs << "PRIMARY KEY (#{table.primary_key.map(&q).join(', ')})" if table.primary_key
      "CREATE TABLE #{q.(table.name)} (#{defs.join(', ')})"
    end
  end
end

Harness.run
