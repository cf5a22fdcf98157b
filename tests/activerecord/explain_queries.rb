#!/usr/bin/env ruby
# frozen_string_literal: true

# The query judge. Loads a Rails app into the real ActiveRecord on SQLite (with the
# loading code of dump_reflections.rb, reused unchanged), has ActiveRecord generate the
# SQL of the queries fullscan reasons about, and asks SQLite's planner, with
# `EXPLAIN QUERY PLAN`, whether an index serves each of them:
#
# - association: `owner.association(name).scope.to_sql` for each association a model
#   declares itself (inherited ones are judged on the declaring class; polymorphic
#   belongs_to skipped), the owner being a record as ActiveRecord reads it from the
#   database, every column set (the id and every integer 1);
# - dependent: what `dependent:` runs when the owner is destroyed (the association's
#   `handle_dependency`, or the join-row delete of a has_and_belongs_to_many), every
#   statement captured, with the owner inserted in a transaction rolled back after;
#   the owner has no children, so `destroy` and `destroy_async` show the query that
#   loads them;
# - uniqueness: the `SELECT 1 AS one ...` query each uniqueness validator runs for a
#   new record with every column set;
# - scope: every named scope (called as Rails runs it, on top of the default scope,
#   with 1 for each required argument) and the default scope, when they filter with a
#   WHERE.
#
#   ruby tests/activerecord/explain_queries.rb corpus/outage > outage.json
#
# "Served" is decided by the planner, with one correction: an index search whose only
# constrained columns are type columns (the STI inheritance column, a polymorphic
# `*_type` column) does not count, since on a real table it selects a whole class of
# rows.
# - A direct association (and a single-table dependent query) is served when the plan
#   SEARCHes its key column (the foreign key; the `*_id` column for `as:`; the target
#   key for belongs_to) through an index or the primary key.
# - A join (`:through`, habtm, any multi-table plan) is served when no table in the
#   plan is SCANned and no AUTOMATIC index is built.
# - A uniqueness check or a scope is served when a filtered column other than a type
#   column is SEARCHed (and, for a multi-table plan, no table is SCANned); for a named
#   scope, one of the columns it filters on itself, not only a default scope's.
#
# The planner sees a real table's proportions: sqlite_stat1 says that a type column
# value matches many rows and a key column value (foreign key, polymorphic id, join
# table key, association primary_key) a few, so that SQLite, which has no statistics
# otherwise, does not pick an index on a type column or on a column some scope
# filters on over the index on the key when their estimates tie.
#
# Tables are made as dump_reflections.rb makes them, plus the indexes: schema.rb
# indexes are created by ActiveRecord itself; structure.sql indexes (CREATE INDEX,
# UNIQUE constraints, MySQL KEY lines, and the index InnoDB adds by itself for a
# FOREIGN KEY no index leads with) are translated. Index methods that cannot serve an
# equality lookup (gin, gist, spgist, brin, MySQL FULLTEXT/SPATIAL) are left out and
# listed under "skipped_indexes". PostgreSQL casts (`::text`) are dropped from index
# expressions and predicates. On a MySQL app, `case_sensitive: false` compares without
# LOWER(), as the MySQL adapter does for case-insensitive collations.
#
# Output: {"activerecord_version", "sqlite_version", "queries": [{"kind", "model",
# "name", "dependent" (dependent only), "sql", "plan", "served", "why"}], "errors",
# "skipped_indexes"}, sorted. The clock is frozen at 2024-01-01 12:00 UTC so that
# scopes such as `where("created_at > ?", 1.week.ago)` give the same SQL on every run.
# Every query is generated in its own rescue: an exception lands in "errors", never a
# crash (JUDGE_DEBUG=1 prints their backtraces, and ActiveRecord's warnings, on
# stderr).

require "set"

# dump_reflections.rb ends with `Harness.run`; a prepended no-op `run` makes loading
# it define the harness without printing its report.
module Harness; end
Harness.singleton_class.prepend(Module.new { def run; end })
load File.join(__dir__, "dump_reflections.rb")

module Judge
  FROZEN_TIME = Time.utc(2024, 1, 1, 12, 0, 0).freeze
  FROZEN_DATE = Date.new(2024, 1, 1).freeze

  QUERIES = []
  ERRORS = []
  SKIPPED_INDEXES = []

  # [declaring class, scope name, body] in declaration order; classes with a default_scope.
  SCOPES = []
  DEFAULT_SCOPES = []

  # Tables created under a name with a dot in it ("audit.events").
  DOTTED_TABLES = Set.new

  # database name => adapter named by config/database.yml
  ADAPTERS = {}

  TRANSACTION_SQL = /\A\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|END)\b/i.freeze
  NON_BTREE = %w[gin gist spgist brin rtree fulltext spatial].freeze

  module_function

  def error(kind, model, name, err)
    ERRORS << { "kind" => kind, "model" => model, "name" => name,
                "error" => err.is_a?(Exception) ? Harness.describe(err) : err.to_s }
  end

  def skipped_index(table, columns, reason)
    SKIPPED_INDEXES << { "table" => table.to_s, "columns" => Array(columns).map(&:to_s), "reason" => reason }
  end

  # PostgreSQL casts (`(email)::text`), which SQLite does not know.
  CAST = /::\s*(?:"[^"]+"|[a-z_][a-z0-9_]*)(?:\s+(?:varying|precision|without\s+time\s+zone|with\s+time\s+zone))?(?:\(\d+(?:\s*,\s*\d+)?\))?(?:\[\])?/i.freeze

  def sqlite_expression(sql)
    sql.to_s.gsub(CAST, "")
  end

  # ------------------------------------------------------------------ settings

  def read_adapters
    path = File.join(APP_ROOT, "config/database.yml")
    return unless File.file?(path)
    data = YAML.safe_load(ERB.new(File.read(path)).result, aliases: true) || {}
    env = data["development"] || data.values.find { |v| v.is_a?(Hash) } || {}
    return unless env.is_a?(Hash)
    adapter_of = lambda do |h|
      h["adapter"] || h["url"].to_s[/\A(\w+):/, 1]
    end
    if env.key?("adapter") || env.key?("url") || env.key?("database")
      ADAPTERS["primary"] = adapter_of.(env)
    else
      env.each { |name, h| ADAPTERS[name.to_s] = adapter_of.(h) if h.is_a?(Hash) }
    end
  rescue StandardError, ScriptError => e
    error("load", nil, "config/database.yml", e)
  end

  def mysql?(connection)
    name = connection.pool.db_config.name
    ADAPTERS[name].to_s.match?(/mysql|trilogy/)
  rescue StandardError
    false
  end

  # ------------------------------------------------------------------ SQL capture

  # Runs the block and returns [[connection, sql with binds inlined], ...] for every
  # statement ActiveRecord sent meanwhile.
  def capture
    statements = []
    callback = lambda do |_name, _start, _finish, _id, payload|
      next if %w[SCHEMA TRANSACTION].include?(payload[:name])
      sql = payload[:sql].to_s
      next if sql.match?(TRANSACTION_SQL) || sql.start_with?("EXPLAIN", "PRAGMA")
      connection = payload[:connection]
      binds = payload[:type_casted_binds]
      binds = binds.call if binds.respond_to?(:call)
      statements << [connection, inline(connection, sql, Array(binds))]
    end
    ActiveSupport::Notifications.subscribed(callback, "sql.active_record") { yield }
    statements
  end

  # Replaces each `?` placeholder outside string literals and quoted names.
  def inline(connection, sql, binds)
    return sql if binds.empty?
    values = binds.dup
    out = +""
    quote = nil
    sql.each_char do |ch|
      if quote
        quote = nil if ch == quote
        out << ch
      elsif ch == "'" || ch == '"'
        quote = ch
        out << ch
      elsif ch == "?" && !values.empty?
        out << connection.quote(values.shift)
      else
        out << ch
      end
    end
    out
  end

  # ------------------------------------------------------------------ plans

  Access = Struct.new(:op, :table, :automatic, :columns, :detail)

  def explain(connection, sql)
    connection.select_rows("EXPLAIN QUERY PLAN #{sql}").map { |row| row.last.to_s }
  end

  # Table aliases of a query (`INNER JOIN "orders" "orders_vip_orders"`).
  def aliases(sql)
    sql.scan(/\b(?:FROM|JOIN)\s+"((?:[^"]|"")+)"\s+(?:AS\s+)?"((?:[^"]|"")+)"/i).to_h { |t, a| [a, t] }
  end

  # The table accesses of a plan: SCAN and SEARCH lines, with the table (not its
  # alias) and the columns an index or primary-key search constrains (`rowid` stands
  # for the integer primary key).
  def accesses(plan, sql)
    names = aliases(sql)
    plan.filter_map do |detail|
      m = detail.match(/\A(SCAN|SEARCH) (\S+)(?: AS \S+)?(.*)\z/)
      next unless m
      next if m[2] == "CONSTANT" || m[2].start_with?("(")
      rest = m[3]
      columns =
        if m[1] == "SEARCH" && (c = rest[/\((.*)\)\z/, 1])
          c.split(" AND ").filter_map do |part|
            next if part.start_with?("ANY(") # a skip-scan does not constrain the column
            part.start_with?("<expr>") ? "<expr>" : part[/\A(.+?)(?:=|>|<)/, 1]
          end
        else
          []
        end
      Access.new(m[1], names.fetch(m[2], m[2]), rest.include?("AUTOMATIC"), columns, detail)
    end
  end

  # Columns a search constrains, with `rowid` resolved to the table's primary key.
  def real_columns(access, connection)
    access.columns.map do |c|
      next c unless c == "rowid"
      (connection.primary_key(access.table) rescue nil) || c
    end
  end

  def type_columns(table)
    TYPE_COLUMNS.fetch(table, Set.new)
  end

  # A SEARCH through an index or the primary key that constrains a non-type column.
  def good_search?(access, connection)
    return false unless access.op == "SEARCH" && !access.automatic
    cols = real_columns(access, connection)
    cols.any? { |c| !type_columns(access.table).include?(c) }
  end

  def why_bad(access, connection)
    if access.op == "SCAN"
      access.detail
    elsif access.automatic
      "#{access.detail}: an automatic index is built for the query"
    else
      "#{access.detail}: a type column only selects a whole class of rows"
    end
  end

  # [served, why] for a query whose key column on `table` must be SEARCHed.
  def judge_key(plan, sql, connection, table, column)
    all = accesses(plan, sql)
    found = all.find do |a|
      a.table == table && a.op == "SEARCH" && !a.automatic && real_columns(a, connection).include?(column)
    end
    return [true, "#{table}.#{column} searched: #{found.detail}"] if found
    if all.length > 1
      # A multi-table plan (an association scope with joins): the join rule also applies.
      bad = all.find { |a| !good_search?(a, connection) }
      return [false, "#{table}.#{column} not searched; #{why_bad(bad, connection)}"] if bad
    end
    first = all.find { |a| a.table == table } || all.first
    [false, "#{table}.#{column} not searched" + (first ? ": #{first.detail}" : "")]
  end

  # [served, why] for a join or a filtered query: every table access is a useful search.
  def judge_all(plan, sql, connection)
    all = accesses(plan, sql)
    return [false, "no table access in the plan"] if all.empty?
    bad = all.find { |a| !good_search?(a, connection) }
    return [false, why_bad(bad, connection)] if bad
    [true, all.length == 1 ? "searched: #{all.first.detail}" : "every table searched"]
  end

  def record(kind, klass, name, connection, sql, extra = {})
    plan = explain(connection, sql)
    served, why = yield(plan)
    QUERIES << {
      "kind" => kind, "model" => klass.name, "name" => name.to_s,
    }.merge(extra).merge("sql" => sql, "plan" => plan, "served" => served, "why" => why)
  end

  # ------------------------------------------------------------------ records

  # A value of the column's type (the id and every other integer is 1).
  def dummy(klass, column)
    if (enum = klass.defined_enums[column.name])
      return enum.keys.first
    end
    case column.type
    when :integer, :bigint, :float, :decimal then 1
    when :boolean then true
    when :datetime, :timestamp, :time then FROZEN_TIME
    when :date then FROZEN_DATE
    when :json, :jsonb then {}
    else "x"
    end
  end

  # A class name for a polymorphic belongs_to's type column: a model declaring the
  # matching `as:` association towards klass, else the first concrete model.
  def polymorphic_target(klass, reflection)
    candidates = Harness.models.reject(&:abstract_class?)
    owner = candidates.find do |m|
      m.reflect_on_all_associations.any? do |r|
        r.options[:as]&.to_s == reflection.name.to_s && (r.klass <= klass rescue false)
      end
    rescue StandardError
      false
    end
    (owner || candidates.first)&.polymorphic_name
  end

  def attributes_for(klass)
    attrs = {}
    klass.columns.each do |column|
      next if column.name == klass.inheritance_column
      attrs[column.name] = dummy(klass, column)
    end
    pk = klass.primary_key
    attrs[pk] = 1 if pk.is_a?(String) && klass.columns_hash[pk]&.type.in?([:integer, :bigint])
    klass.reflect_on_all_associations(:belongs_to).each do |r|
      next unless r.polymorphic?
      type = r.foreign_type.to_s
      attrs[type] = polymorphic_target(klass, r) if klass.columns_hash.key?(type)
    end
    attrs
  end

  # A new record with every column set.
  def build(klass)
    record = klass.new
    attributes_for(klass).each do |name, value|
      record[name] = value
    rescue StandardError
      nil
    end
    record
  end

  # A record with every column set, as ActiveRecord returns it when it reads a row
  # (persisted: its associations query the database).
  def loaded(klass)
    attrs = attributes_for(klass)
    attrs[klass.inheritance_column] = klass.sti_name if klass.columns_hash.key?(klass.inheritance_column)
    raw = attrs.to_h do |name, value|
      type = klass.type_for_attribute(name)
      [name, (type.serialize(value) rescue value)]
    end
    raw = raw.transform_values do |v|
      case v
      when true then 1
      when false then 0
      when Time then v.strftime("%Y-%m-%d %H:%M:%S")
      when Date then v.iso8601
      when Hash then "{}"
      else v
      end
    end
    klass.instantiate(raw)
  end

  # The same record really inserted (inside the caller's transaction) and read back;
  # if the row cannot be inserted, the loaded one. Its integer columns other than the
  # primary key are 2, so that a self-referential association does not find the row
  # itself (and destroy it recursively).
  def persisted(klass)
    attrs = attributes_for(klass)
    attrs.each_key do |name|
      next if name == klass.primary_key || klass.defined_enums.key?(name)
      attrs[name] = 2 if klass.columns_hash[name]&.type.in?([:integer, :bigint])
    end
    attrs[klass.inheritance_column] = klass.sti_name if klass.columns_hash.key?(klass.inheritance_column)
    begin
      klass.insert_all!([attrs])
      found = klass.unscoped.find_by(klass.primary_key => attrs[klass.primary_key])
      return found if found
    rescue StandardError
      nil
    end
    loaded(klass)
  end

  # ------------------------------------------------------------------ judging

  def join?(klass, reflection)
    reflection.macro == :has_and_belongs_to_many ||
      klass._reflect_on_association(reflection.name).through_reflection?
  end

  # [table, key column] a direct association's query looks rows up by.
  def key_of(reflection)
    if reflection.belongs_to?
      [reflection.klass.table_name, reflection.association_primary_key.to_s]
    else
      [reflection.klass.table_name, reflection.foreign_key.to_s]
    end
  end

  def judge_association(klass, reflection)
    return if reflection.belongs_to? && reflection.polymorphic?
    owner = loaded(klass)
    relation = owner.association(reflection.name).scope
    sql = relation.to_sql
    raise "ActiveRecord generated no SQL (#{relation.class})" if sql.to_s.strip.empty?
    connection = relation.klass.connection
    if join?(klass, reflection)
      record("association", klass, reflection.name, connection, sql) { |plan| judge_all(plan, sql, connection) }
    else
      table, column = key_of(reflection)
      record("association", klass, reflection.name, connection, sql) { |plan| judge_key(plan, sql, connection, table, column) }
    end
  end

  # The key column of each table a dependent query reaches from the owner.
  def dependent_keys(klass, reflection)
    if reflection.macro == :has_and_belongs_to_many
      middle = klass._reflect_on_association(reflection.name).through_reflection
      return { middle.klass.table_name => middle.foreign_key.to_s }
    end
    full = klass._reflect_on_association(reflection.name)
    if full.through_reflection?
      first = full.chain.last
      return { first.klass.table_name => first.foreign_key.to_s }
    end
    table, column = key_of(reflection)
    { table => column }
  end

  def judge_dependent(klass, reflection)
    habtm = reflection.macro == :has_and_belongs_to_many
    dependent = habtm ? "(implicit)" : reflection.options[:dependent]&.to_s
    return unless dependent
    statements = []
    klass.transaction(requires_new: true) do
      owner = persisted(klass)
      statements = capture do
        if habtm
          middle = klass._reflect_on_association(reflection.name).through_reflection
          owner.association(middle.name).delete_all(:delete_all)
        else
          catch(:abort) { owner.association(reflection.name).handle_dependency }
        end
      end
      raise ActiveRecord::Rollback
    end
    keys = dependent_keys(klass, reflection)
    if statements.empty?
      error("dependent", klass.name, reflection.name.to_s, "no query was sent")
    end
    statements.uniq.each do |connection, sql|
      record("dependent", klass, reflection.name, connection, sql, "dependent" => dependent) do |plan|
        # One table (a DELETE ... WHERE id IN (SELECT ...) reads it twice): its key
        # must be searched; a join: every table searched.
        tables = accesses(plan, sql).map(&:table).uniq
        table = tables.first
        if tables.length == 1 && keys.key?(table)
          judge_key(plan, sql, connection, table, keys[table])
        else
          judge_all(plan, sql, connection)
        end
      end
    end
  end

  # The value validate_each sees for an attribute; a belongs_to name gets a target
  # record whose key is 1.
  def validation_value(record, attribute)
    reflection = record.class._reflect_on_association(attribute)
    if reflection&.belongs_to? && !reflection.polymorphic?
      target = reflection.klass.new
      target[reflection.association_primary_key] = 1
      return target
    end
    record.read_attribute_for_validation(attribute)
  end

  def judge_uniqueness(klass, validator, attribute)
    record = build(klass)
    value = validation_value(record, attribute)
    statements = capture { validator.validate_each(record, attribute, value) }
    checks = statements.select { |_, sql| sql.match?(/\ASELECT 1 AS one FROM/) }
    if checks.empty?
      error("uniqueness", klass.name, attribute.to_s, "no uniqueness query was sent")
    end
    checks.uniq.each do |connection, sql|
      record("uniqueness", klass, attribute, connection, sql) { |plan| judge_all(plan, sql, connection) }
    end
  end

  # Arguments for a scope body: 1 for every required positional or keyword parameter.
  def scope_arguments(body)
    positional = []
    keywords = {}
    body.parameters.each do |kind, name|
      case kind
      when :req then positional << 1
      when :keyreq then keywords[name] = 1
      end
    end
    if !body.lambda? && positional.empty?
      positional = [1] * [body.arity, 0].max
    end
    [positional, keywords]
  end

  # Columns a where clause names: attributes of Arel nodes, and identifiers compared
  # in SQL strings (`state = ?`, `"t"."c" IS NULL`).
  def where_columns(where_clause)
    where_clause.send(:predicates).flat_map do |node|
      case node
      when String, Arel::Nodes::SqlLiteral
        node.to_s.scan(/"?(\w+)"?\s*(?:=|<|>|!=|<>|\bIN\b|\bIS\b|\bLIKE\b|\bBETWEEN\b)/i).flatten
      else
        attributes = []
        stack = [node]
        until stack.empty?
          n = stack.pop
          case n
          when Arel::Attributes::Attribute then attributes << n.name.to_s
          when Arel::Nodes::Binary then stack.push(n.left, n.right)
          when Arel::Nodes::Unary then stack.push(n.expr)
          when Arel::Nodes::Grouping then stack.push(n.expr)
          when Arel::Nodes::And then stack.concat(n.children)
          when Arel::Nodes::SqlLiteral then attributes.concat(where_columns(ActiveRecord::Relation::WhereClause.new([n])))
          end
        end
        attributes
      end
    end.uniq
  end

  # A scope is judged as Rails runs it: on top of the default scope (and the STI type
  # condition). It is served when a column the scope itself filters on (not one only
  # the default scope or the type condition brings) is searched, in the plan of that
  # query or, since SQLite has no statistics to choose between an index on the
  # default scope's column and one on the scope's, in the plan of the scope's own
  # conditions alone (under `unscoped`). The default scope is judged on its own.
  def judge_scope(klass, name, body)
    positional, keywords = scope_arguments(body)
    own = klass.unscoped { klass.public_send(name, *positional, **keywords) }
    relation = klass.public_send(name, *positional, **keywords)
    unless relation.is_a?(ActiveRecord::Relation) && own.is_a?(ActiveRecord::Relation)
      raise TypeError, "scope returned #{relation.class}, not a relation"
    end
    return if own.where_clause == klass.unscoped.where_clause
    own_columns = where_columns(own.where_clause) - where_columns(klass.unscoped.where_clause)
    connection = klass.connection
    sql = relation.to_sql
    own_sql = own.to_sql
    searches_own = lambda do |plan, query|
      served, why = judge_all(plan, query, connection)
      next [served, why] unless served && own_columns.any?
      searched = accesses(plan, query).flat_map { |a| real_columns(a, connection) }
      next [true, why] if searched.any? { |c| own_columns.include?(c) }
      [false, "#{why}: only columns the default scope filters on are searched, not #{own_columns.join(', ')}"]
    end
    record("scope", klass, name, connection, sql) do |plan|
      served, why = searches_own.call(plan, sql)
      if !served && own_sql != sql
        alone, alone_why = searches_own.call(explain(connection, own_sql), own_sql)
        served, why = [true, "without the default scope: #{alone_why}"] if alone
      end
      [served, why]
    end
  end

  def judge_default_scope(klass)
    relation = klass.all
    return if relation.where_clause == klass.unscoped.where_clause
    connection = klass.connection
    sql = relation.to_sql
    record("scope", klass, "default_scope", connection, sql) { |plan| judge_all(plan, sql, connection) }
  end

  def guarded(kind, model, name)
    yield
  rescue StandardError, ScriptError, SystemStackError => e
    warn e.backtrace.reject { |l| l.include?("active_support") }.first(25) if ENV["JUDGE_DEBUG"]
    error(kind, model, name.to_s, e)
  end

  def judge_model(klass)
    reflections =
      begin
        klass.reflect_on_all_associations.select { |r| r.active_record == klass }
      rescue StandardError, ScriptError => e
        error("association", klass.name, nil, e)
        []
      end
    reflections.sort_by { |r| r.name.to_s }.each do |reflection|
      guarded("association", klass.name, reflection.name) { judge_association(klass, reflection) }
      if reflection.options[:dependent] || reflection.macro == :has_and_belongs_to_many
        guarded("dependent", klass.name, reflection.name) { judge_dependent(klass, reflection) }
      end
    end
    validators =
      begin
        klass.validators.grep(ActiveRecord::Validations::UniquenessValidator)
             .select { |v| v.instance_variable_get(:@klass) == klass }
      rescue StandardError, ScriptError => e
        error("uniqueness", klass.name, nil, e)
        []
      end
    validators.each do |validator|
      validator.attributes.each do |attribute|
        guarded("uniqueness", klass.name, attribute) { judge_uniqueness(klass, validator, attribute) }
      end
    end
    enum_scopes = klass.defined_enums.flat_map { |_, values| values.keys.flat_map { |k| [k, "not_#{k}"] } }
    SCOPES.select { |c, _, _| c == klass }.uniq { |_, n, _| n }.each do |_, name, body|
      next if enum_scopes.include?(name)
      guarded("scope", klass.name, name) { judge_scope(klass, name, body) }
    end
    if DEFAULT_SCOPES.include?(klass)
      guarded("scope", klass.name, "default_scope") { judge_default_scope(klass) }
    end
  end

  # Type columns per table: inheritance columns present in the table, polymorphic
  # belongs_to type columns, and the type columns `as:` associations filter on. Key
  # columns per table: the columns associations look rows up by.
  TYPE_COLUMNS = Hash.new { |h, k| h[k] = Set.new }
  KEY_COLUMNS = Hash.new { |h, k| h[k] = Set.new }

  def collect_columns(models)
    models.each do |klass|
      next if klass.abstract_class?
      table = klass.table_name
      TYPE_COLUMNS[table] << klass.inheritance_column.to_s if klass.columns_hash.key?(klass.inheritance_column.to_s)
      klass.reflect_on_all_associations.each do |r|
        if r.macro == :has_and_belongs_to_many
          middle = klass._reflect_on_association(r.name).through_reflection
          join = middle.klass.table_name
          KEY_COLUMNS[join] << middle.foreign_key.to_s
          KEY_COLUMNS[join] << r.association_foreign_key.to_s
        elsif r.through_reflection?
          next
        elsif r.belongs_to?
          KEY_COLUMNS[table] << r.foreign_key.to_s
          if r.polymorphic?
            TYPE_COLUMNS[table] << r.foreign_type.to_s
          else
            KEY_COLUMNS[r.klass.table_name] << r.association_primary_key.to_s
          end
        else
          KEY_COLUMNS[r.klass.table_name] << r.foreign_key.to_s
          KEY_COLUMNS[table] << r.active_record_primary_key.to_s
          TYPE_COLUMNS[r.klass.table_name] << r.type.to_s if r.type
        end
      rescue StandardError, ScriptError
        nil
      end
    rescue StandardError, ScriptError
      nil
    end
  end

  # SQLite plans without statistics, as if every index were as selective as any
  # other: on a tie it may pick an index on a type column, or on a column a scope
  # also filters on, over the index on the foreign key, which no planner would do on
  # a real table. sqlite_stat1 tells the planner what a real table looks like, for
  # the indexes that lead with a type column (a type value matches a whole class of
  # rows, half the table: fewer would make SQLite prefer it over a range on an
  # indexed column; no skip-scan over it either) or with a key column (a foreign key, a
  # polymorphic id, a join table's keys, an association's primary_key: a value
  # matches a few rows). Every other index keeps SQLite's default estimates.
  def plant_statistics
    ActiveRecord::Base.configurations.configs_for(env_name: "development").each do |config|
      db = SQLite3::Database.new(config.database)
      db.execute("ANALYZE sqlite_schema")
      tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").map(&:first)
      tables.each do |table|
        types = TYPE_COLUMNS[table]
        keys = KEY_COLUMNS[table]
        next if types.empty? && keys.empty?
        db.execute("PRAGMA index_list('#{SQLite3::Database.quote(table)}')").each do |row|
          index = row[1]
          unique = row[2] == 1
          columns = db.execute("PRAGMA index_info('#{SQLite3::Database.quote(index)}')").map { |r| r[2] }
          next unless types.include?(columns.first) || keys.include?(columns.first)
          estimates = []
          columns.each_with_index do |column, i|
            previous = estimates.last
            estimates <<
              if types.include?(column) then i.zero? ? 500_000 : previous
              elsif keys.include?(column) then i.zero? ? 5 : [previous, 5].min
              else [previous - 1, 1].max
              end
          end
          estimates[-1] = 1 if unique
          db.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                     [table, index, "1000000 #{estimates.join(' ')} noskipscan"])
        end
      end
      db.close
    end
    ActiveRecord::Base.connection_handler.clear_all_connections!
  rescue StandardError => e
    error("load", nil, "sqlite_stat1", e)
  end

  def dotted_tables
    ActiveRecord::Base.configurations.configs_for(env_name: "development").each do |config|
      db = SQLite3::Database.new(config.database)
      db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").each do |(name)|
        DOTTED_TABLES << name if name.include?(".")
      end
      db.close
    end
  rescue StandardError => e
    error("load", nil, "tables", e)
  end

  def run
    read_adapters
    Harness.apply_application_config
    names = Harness.database_names
    Harness.configure_databases(names)
    Harness.load_schemas(names)
    dotted_tables
    Harness.load_inflections
    Harness.load_models
    Harness::LOAD_ERRORS.each do |e|
      ERRORS << { "kind" => "load", "model" => nil, "name" => e["path"], "error" => "#{e['stage']}: #{e['error']}" }
    end
    models = Harness.models
    # What ActiveRecord prints meanwhile (composite primary key warnings...) is noise
    # here; JUDGE_DEBUG=1 shows it, with the backtraces of rescued errors.
    judge_all_models = lambda do
      collect_columns(models)
      plant_statistics
      models.each do |klass|
        guarded("model", klass.name, nil) { judge_model(klass) }
      end
    end
    ENV["JUDGE_DEBUG"] ? judge_all_models.call : Harness.capturing_warnings(&judge_all_models)

    key = ->(q) { [q["kind"], q["model"].to_s, q["name"].to_s, q["sql"].to_s] }
    output = {
      "activerecord_version" => ActiveRecord.version.to_s,
      "sqlite_version" => SQLite3::SQLITE_VERSION,
      "queries" => QUERIES.uniq.sort_by(&key),
      "errors" => ERRORS.uniq.sort_by { |e| [e["kind"], e["model"].to_s, e["name"].to_s, e["error"]] },
      "skipped_indexes" => SKIPPED_INDEXES.uniq.sort_by { |i| [i["table"], i["columns"], i["reason"]] },
    }
    json = JSON.pretty_generate(output).gsub(/\[\n\s*\n\s*\]/, "[]")
    $stdout.puts json
  end
end

# ------------------------------------------------------------------ hooks

# The frozen clock.
Time.singleton_class.prepend(Module.new do
  def now(**) = Judge::FROZEN_TIME
end)
Date.singleton_class.prepend(Module.new do
  def today(*) = Judge::FROZEN_DATE
end)

# Named scopes and default scopes, recorded on the class whose body declares them
# (enum's generated scopes are not the app's).
module Judge
  module ScopeSites
    def scope(name, body, &block)
      site = caller_locations(1, 1).first&.path.to_s
      Judge::SCOPES << [self, name.to_s, body] unless site.end_with?("/active_record/enum.rb")
      super
    end

    def default_scope(*args, &block)
      Judge::DEFAULT_SCOPES << self unless Judge::DEFAULT_SCOPES.include?(self)
      super
    end
  end
end
ActiveRecord::Base.singleton_class.prepend(Judge::ScopeSites)

# What the ActiveJob railtie sets: `dependent: :destroy_async` is accepted. The job is
# never enqueued here (the owner has no children).
ActiveRecord::Base.destroy_association_async_job = "ActiveRecord::DestroyAssociationAsyncJob"

ActiveRecord::ConnectionAdapters::SQLite3Adapter.prepend(Module.new do
  # schema.rb indexes: only those that can serve an equality lookup, in SQLite syntax;
  # an index SQLite rejects is listed, not fatal.
  def add_index(table_name, column_name, **options)
    using = options[:using]&.to_s&.downcase
    if using && Judge::NON_BTREE.include?(using)
      Judge.skipped_index(table_name, column_name, "USING #{using}")
      return
    end
    if options[:type] && Judge::NON_BTREE.include?(options[:type].to_s.downcase)
      Judge.skipped_index(table_name, column_name, options[:type].to_s.upcase)
      return
    end
    column_name = Judge.sqlite_expression(column_name) if column_name.is_a?(String)
    options = options.merge(where: Judge.sqlite_expression(options[:where])) if options[:where]
    super(table_name, column_name, **options.except(:using, :opclass, :include, :type, :algorithm, :length))
  rescue ActiveRecord::StatementInvalid, ArgumentError => e
    Judge.skipped_index(table_name, column_name, Harness.describe(e))
  end

  # "audit.events" is one SQLite table, not table events of an attached database audit.
  def quote_table_name(name)
    return %("#{name}") if Judge::DOTTED_TABLES.include?(name.to_s)
    super
  end

  private

  # The MySQL adapter compares without LOWER() on case-insensitive collations.
  def can_perform_case_insensitive_comparison_for?(column)
    return false if Judge.mysql?(self)
    super
  end
end)

# structure.sql indexes.
module Judge
  module StructureIndexes
    def sqlite_statements
      tables = super
      created = tables.map { |sql| sql[/\ACREATE TABLE "((?:[^"]|"")+)"/, 1] }.compact.to_set
      tables + index_statements(created)
    end

    private

    IndexDef = Struct.new(:name, :table, :keys, :unique, :where, :method)

    def index_statements(created)
      mysql = @sql.match?(/\bENGINE\s*=/i) || @sql.include?("`")
      defs = []
      leading = Hash.new { |h, k| h[k] = [] } # table => first columns of its keys
      foreign_keys = Hash.new { |h, k| h[k] = [] }
      statements.each do |stmt|
        case stmt
        when /\ACREATE\s+(?:UNLOGGED\s+|TEMPORARY\s+|TEMP\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([^\s(]+)\s*\(/im
          table = unquote_name(Regexp.last_match(1))
          body = balanced(stmt, Regexp.last_match.end(0) - 1)
          next if body.nil?
          items(body).each do |item|
            case item
            when /\A(?:CONSTRAINT\s+\S+\s+)?PRIMARY\s+KEY\s*\((.*)\)/im
              leading[table] << index_keys(Regexp.last_match(1)).first
            when /\A(FULLTEXT|SPATIAL)\s+(?:KEY|INDEX)\s*(\S+)?\s*\(/i
              kind = Regexp.last_match(1).upcase
              Judge.skipped_index(table, index_keys(item[/\((.*)\)/m, 1]), kind)
            when /\A(UNIQUE\s+)?(?:KEY|INDEX)\s*(`[^`]+`|"[^"]+"|\w+)?\s*\(/i
              unique = !Regexp.last_match(1).nil?
              name = Regexp.last_match(2) && unquote(Regexp.last_match(2))
              list = balanced(item, Regexp.last_match.end(0) - 1)
              defs << IndexDef.new(name, table, index_keys(list), unique, nil, nil)
            when /\A(?:CONSTRAINT\s+(\S+)\s+)?UNIQUE\s*(?:KEY\s*)?\(/i
              name = Regexp.last_match(1) && unquote(Regexp.last_match(1))
              list = balanced(item, Regexp.last_match.end(0) - 1)
              defs << IndexDef.new(name, table, index_keys(list), true, nil, nil)
            when /\A(?:CONSTRAINT\s+\S+\s+)?FOREIGN\s+KEY\s*\(([^)]*)\)/i
              foreign_keys[table] << split_columns(Regexp.last_match(1))
            when /\A("[^"]+"|`[^`]+`|[A-Za-z_][\w$]*)\s+.*\b(UNIQUE|PRIMARY\s+KEY)\b/im
              column = unquote(Regexp.last_match(1))
              if Regexp.last_match(2).upcase == "UNIQUE"
                defs << IndexDef.new(nil, table, [column], true, nil, nil)
              else
                leading[table] << column
              end
            end
          end
        when /\ACREATE\s+(UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(\S+)\s+ON\s+(?:ONLY\s+)?([^\s(]+)\s*(?:USING\s+(\w+)\s*)?\(/im
          unique = !Regexp.last_match(1).nil?
          name = unquote_name(Regexp.last_match(2))
          table = unquote_name(Regexp.last_match(3))
          method = Regexp.last_match(4)&.downcase
          list = balanced(stmt, Regexp.last_match.end(0) - 1)
          rest = stmt[(Regexp.last_match.end(0) + list.to_s.length)..].to_s
          where = rest[/\bWHERE\s+(.*)\z/im, 1]
          defs << IndexDef.new(name, table, index_keys(list), unique, where, method)
        when /\AALTER\s+TABLE\s+(?:ONLY\s+)?(\S+)\s+ADD\s+CONSTRAINT\s+(\S+)\s+UNIQUE\s*\(([^)]*)\)/im
          defs << IndexDef.new(unquote(Regexp.last_match(2)), unquote_name(Regexp.last_match(1)),
                               index_keys(Regexp.last_match(3)), true, nil, nil)
        when /\AALTER\s+TABLE\s+(?:ONLY\s+)?(\S+)\s+ADD\s+(?:CONSTRAINT\s+\S+\s+)?PRIMARY\s+KEY\s*\(([^)]*)\)/im
          leading[unquote_name(Regexp.last_match(1))] << split_columns(Regexp.last_match(2)).first
        when /\AALTER\s+TABLE\s+(?:ONLY\s+)?(\S+)\s+ADD\s+(?:CONSTRAINT\s+\S+\s+)?FOREIGN\s+KEY\s*\(([^)]*)\)/im
          foreign_keys[unquote_name(Regexp.last_match(1))] << split_columns(Regexp.last_match(2))
        when /\AALTER\s+TABLE\s+(\S+)\s+ADD\s+(UNIQUE\s+)?(?:KEY|INDEX)\s+(\S+)\s*\(/im
          list = balanced(stmt, Regexp.last_match.end(0) - 1)
          defs << IndexDef.new(unquote(Regexp.last_match(3)), unquote_name(Regexp.last_match(1)),
                               index_keys(list), !Regexp.last_match(2).nil?, nil, nil)
        end
      end
      # InnoDB indexes a FOREIGN KEY's columns itself when no index leads with them.
      if mysql
        defs.each { |d| leading[d.table] << d.keys.first }
        foreign_keys.each do |table, fks|
          fks.each do |cols|
            next if leading[table].include?(cols.first)
            defs << IndexDef.new("implicit_fk_#{table}_#{cols.join('_')}", table, cols, false, nil, nil)
            leading[table] << cols.first
          end
        end
      end
      used = Set.new
      defs.filter_map do |d|
        next unless created.include?(d.table)
        if d.method && Judge::NON_BTREE.include?(d.method)
          Judge.skipped_index(d.table, d.keys, "USING #{d.method}")
          next
        end
        name = d.name || "#{d.table}_#{d.keys.join('_')}_key"
        name = "#{d.table}.#{name}" if used.include?(name)
        used << name
        keys = d.keys.map { |k| k.start_with?("(") ? k : %("#{k}") }.join(", ")
        sql = +"CREATE #{d.unique ? 'UNIQUE ' : ''}INDEX \"#{name}\" ON \"#{d.table}\" (#{keys})"
        sql << " WHERE #{Judge.sqlite_expression(d.where)}" if d.where
        sql
      end
    end

    # Index keys: plain column names, or expressions in parentheses. Sort order,
    # operator classes, collations and MySQL prefix lengths are dropped.
    def index_keys(list)
      items(list.to_s).map do |item|
        m = item.match(/\A("[^"]+"|`[^`]+`|[A-Za-z_][\w$]*)(?:\(\d+\))?((?:\s+(?:ASC|DESC|NULLS\s+(?:FIRST|LAST)|COLLATE\s+\S+|[a-z_]+_ops))*)\s*\z/im)
        if m
          unquote(m[1])
        else
          "(#{Judge.sqlite_expression(item.sub(/\s+(ASC|DESC)\s*\z/i, ''))})"
        end
      end
    end
  end
end
Harness::StructureSql.prepend(Judge::StructureIndexes)

Judge.run
