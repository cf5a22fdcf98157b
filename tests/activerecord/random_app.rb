#!/usr/bin/env ruby
# frozen_string_literal: true

# Writes a small random Rails app, the same for the same seed:
#
#   ruby tests/activerecord/random_app.rb SEED OUT_DIR
#
# 3 to 8 models named from a list rich in irregular plurals (person, child, octopus,
# datum, status, bus, leaf, man, cactus, analysis...), some in a namespace with a
# `table_name_prefix` module, some in a plain namespace, some with STI subclasses; a
# concern whose `included do` declares a polymorphic `has_many ... as:`; every
# association kind (belongs_to, has_one, has_many, has_and_belongs_to_many, :through
# with source / source_type, polymorphic) with class_name, foreign_key, primary_key,
# as, foreign_type, inverse_of, every `dependent:` value, association scopes,
# with_options; scopes with hash and string conditions; uniqueness validations with
# scope / case_sensitive; and, at random, each index a query could use or miss (none,
# single column, composite with the key first or second, type column only, unique,
# LOWER() expression). Every column an association needs exists, so the app loads.
#
# The app: Gemfile and Gemfile.lock (activerecord 6.1.7.10), config/application.rb
# (load_defaults 6.1), config/database.yml (sqlite3), sometimes
# config/initializers/inflections.rb, app/models, app/models/concerns, db/schema.rb.

require "fileutils"
require "active_support/all"

class RandomApp
  VERSION = "6.1.7.10"

  BASES = %w[
    person child octopus datum status bus leaf man cactus analysis mouse quiz vertex
    medium account invoice project comment ticket widget order shipment
  ].freeze
  PREFIXED_NAMESPACES = [%w[Admin admin_], %w[Legacy old_]].freeze
  PLAIN_NAMESPACES = %w[Shop Billing].freeze
  OPTIONAL_COLUMNS = {
    "code" => :string, "email" => :string, "state" => :string, "slug" => :string,
    "active" => :boolean, "position" => :integer, "published_at" => :datetime,
  }.freeze
  ROLES = %w[owner author creator holder reviewer sponsor].freeze
  POLY_NAMES = %w[commentable attachable taggable trackable notable imageable].freeze
  DEPENDENT = {
    has_many: [nil, nil, nil, :destroy, :delete_all, :nullify, :restrict_with_exception,
               :restrict_with_error, :destroy_async],
    has_one: [nil, nil, :destroy, :delete, :nullify, :restrict_with_exception,
              :restrict_with_error, :destroy_async],
    belongs_to: [nil] * 12 + %i[destroy delete destroy_async],
  }.freeze

  Table = Struct.new(:name, :columns, :indexes, :id, keyword_init: true)
  Model = Struct.new(:base, :namespace, :prefixed, :class_name, :table, :parent,
                     :compact, :items, :includes, keyword_init: true) do
    def demodulized = class_name.split("::").last
    def sti_child? = !parent.nil?
  end
  # One declaration in a model or concern body: an association, or a line of Ruby.
  Assoc = Struct.new(:macro, :name, :scope, :options, keyword_init: true)

  def initialize(seed, out)
    @seed = seed
    @out = out
    @rng = Random.new(seed)
    @tables = {}
    @models = []
    @concerns = {} # module name => [Assoc]
    @links = [] # [owner model, association name, macro, target model, extra]
    @throughs = [] # [Assoc, through model, source name]
    @index_count = 0
  end

  def pick(list) = list[@rng.rand(list.length)]
  def chance(probability) = @rng.rand < probability

  # ------------------------------------------------------------------ inflections

  def inflections
    @inflections = []
    if chance(0.3)
      @inflections << %w[cactus cacti] if chance(0.7)
      @inflections << %w[leaf leaves] if chance(0.7)
      @inflections << %w[analysis analyses] if chance(0.2)
    end
    @inflections.each do |singular, plural|
      ActiveSupport::Inflector.inflections(:en) { |i| i.irregular(singular, plural) }
    end
  end

  # ------------------------------------------------------------------ models

  def table(name)
    @tables[name] ||= Table.new(name: name, columns: {}, indexes: [], id: true)
  end

  def column(table, name, type)
    table.columns[name] ||= type
    name
  end

  def class_names = @models.map(&:class_name)

  def make_models
    top = 3 + @rng.rand(5)
    bases = BASES.shuffle(random: @rng).first(top)
    bases.each do |base|
      namespace = nil
      prefix = nil
      r = @rng.rand
      if r < 0.25
        namespace, prefix = pick(PREFIXED_NAMESPACES)
      elsif r < 0.45
        namespace = pick(PLAIN_NAMESPACES)
      end
      class_name = [namespace, base.camelize].compact.join("::")
      t = table("#{prefix}#{base.pluralize}")
      column(t, "name", :string)
      OPTIONAL_COLUMNS.each { |c, type| column(t, c, type) if chance(0.45) }
      @models << Model.new(base: base, namespace: namespace, prefixed: !prefix.nil?,
                           class_name: class_name, table: t, parent: nil,
                           compact: !prefix.nil? && chance(0.5), items: [], includes: [])
    end
    sti = [@rng.rand(3), 8 - top].min
    @models.select { |m| !m.sti_child? }.shuffle(random: @rng).first(sti).each do |parent|
      column(parent.table, "type", :string)
      base = "vip_#{parent.base}"
      @models << Model.new(base: base, namespace: parent.namespace, prefixed: parent.prefixed,
                           class_name: [parent.namespace, base.camelize].compact.join("::"),
                           table: parent.table, parent: parent, compact: parent.compact,
                           items: [], includes: [])
    end
  end

  # ActiveRecord's compute_type over the generated classes: the innermost namespace
  # of `from` outwards, then the top level.
  def resolve(from, written)
    return written.delete_prefix("::") if written.start_with?("::")
    parts = from.split("::")
    candidates = parts.length.downto(1).map { |n| (parts.first(n) + [written]).join("::") }
    candidates << written
    candidates.find { |c| class_names.include?(c) }
  end

  def names_of(model)
    own = model.items.grep(Assoc).map(&:name)
    from_concerns = model.includes.flat_map { |c| @concerns[c].map(&:name) }
    inherited = model.parent ? names_of(model.parent) : []
    own + from_concerns + inherited
  end

  def free_name?(model, name)
    !names_of(model).include?(name) && !@models.any? { |m| m.parent == model && names_of(m).include?(name) }
  end

  def declare(model, macro, name, options = {}, scope: nil)
    a = Assoc.new(macro: macro, name: name, scope: scope, options: options.compact)
    model.items << a
    a
  end

  # class_name: when the association name alone would not find the target (or at
  # random when it would).
  def class_name_option(owner_class, name, macro, target, force: false)
    base = %i[has_many has_and_belongs_to_many].include?(macro) ? name.singularize : name
    written = base.camelize
    return nil if !force && resolve(owner_class, written) == target.class_name && !chance(0.15)
    target.namespace && chance(0.3) ? "::#{target.class_name}" : target.class_name
  end

  # ------------------------------------------------------------------ indexes

  def index(table, columns, unique: false, expression: nil)
    key = expression || columns
    return if table.indexes.any? { |i| (i[:expression] || i[:columns]) == key }
    name = "index_#{table.name}_on_#{expression ? "lower_#{columns.first}" : columns.join('_and_')}"
    name = "ix_#{table.name[0, 24]}_#{@index_count += 1}" if name.length > 60
    table.indexes << { columns: columns, unique: unique, expression: expression, name: name }
  end

  def other_column(table, except)
    (table.columns.keys - Array(except) - %w[type]).reject { |c| c.end_with?("_type") }.then { |cs| cs.empty? ? nil : pick(cs) }
  end

  # Each way an index can serve or miss a lookup by `key` (a column list).
  def key_index(table, key)
    other = other_column(table, key)
    case pick(%i[none none single single first first second unique])
    when :single then index(table, key)
    when :first then index(table, key + [other].compact)
    when :second then other ? index(table, [other] + key) : nil
    when :unique then index(table, key, unique: true)
    end
  end

  # ------------------------------------------------------------------ associations

  def dependent(macro) = pick(DEPENDENT.fetch(macro))

  def association_scope(target)
    cols = target.table.columns
    options = []
    options << "-> { where(active: true) }" if cols["active"] == :boolean
    options << "-> { order(:position) }" if cols["position"]
    options << %(-> { where(state: "open") }) if cols["state"]
    options << "-> { order(created_at: :desc) }"
    chance(0.2) ? pick(options) : nil
  end

  # belongs_to on `child` towards `owner`, usually with has_many / has_one back.
  def belongs_and_has(owner, child, reverse: true, has_one: chance(0.25))
    role = chance(0.3) ? (ROLES - names_of(child)).then { |r| r.empty? ? nil : pick(r) } : nil
    name = role || owner.demodulized.underscore
    return nil unless free_name?(child, name)
    custom_pk = chance(0.1) && !owner.sti_child?
    fk = chance(0.15) ? "#{name}_ref" : "#{name}_id"
    if custom_pk
      column(owner.table, "code", :string)
      column(child.table, fk, :string)
    else
      column(child.table, fk, :bigint)
    end
    bt = {
      class_name: class_name_option(child.class_name, name, :belongs_to, owner, force: !role.nil?),
      foreign_key: fk == "#{name}_id" ? nil : fk.to_sym,
      primary_key: custom_pk ? :code : nil,
      optional: chance(0.6) ? true : nil,
      dependent: dependent(:belongs_to),
    }
    declare(child, :belongs_to, name, bt)
    @links << [child, name, :belongs_to, owner, { fk: fk, written: bt[:class_name] || name.camelize }]
    key_index(child.table, [fk])
    return name unless reverse

    macro = has_one ? :has_one : :has_many
    default = has_one ? child.demodulized.underscore : child.demodulized.underscore.pluralize
    back = free_name?(owner, default) && chance(0.8) ? default : "#{pick(%w[other extra own])}_#{default}"
    return name unless free_name?(owner, back)
    derived_fk = owner.demodulized.foreign_key
    options = {
      class_name: class_name_option(owner.class_name, back, macro, child),
      foreign_key: fk == derived_fk ? nil : fk.to_sym,
      primary_key: custom_pk ? :code : nil,
      inverse_of: chance(0.1) && !custom_pk ? name.to_sym : nil,
      dependent: dependent(macro),
    }
    declare(owner, macro, back, options, scope: association_scope(child))
    written = options[:class_name] || (has_one ? back : back.singularize).camelize
    @links << [owner, back, macro, child, { fk: fk, via: name, written: written }]
    name
  end

  def polymorphic
    targets = @models.reject(&:sti_child?)
    p_model = pick(targets)
    poly = (POLY_NAMES - names_of(p_model)).then { |n| n.empty? ? nil : pick(n) }
    return unless poly
    custom = chance(0.1)
    id_col = custom ? "#{poly}_ref" : "#{poly}_id"
    type_col = custom ? "#{poly}_kind" : "#{poly}_type"
    column(p_model.table, id_col, :bigint)
    column(p_model.table, type_col, :string)
    declare(p_model, :belongs_to, poly, {
      polymorphic: true, optional: chance(0.7) ? true : nil,
      foreign_key: custom ? id_col.to_sym : nil, foreign_type: custom ? type_col.to_sym : nil,
    })
    case pick(%i[none type type_id type_id id_type id id_unique])
    when :type then index(p_model.table, [type_col])
    when :type_id then index(p_model.table, [type_col, id_col])
    when :id_type then index(p_model.table, [id_col, type_col])
    when :id then index(p_model.table, [id_col])
    when :id_unique then index(p_model.table, [id_col, type_col], unique: true)
    end
    owners = (@models - [p_model]).shuffle(random: @rng).first(1 + @rng.rand(3))
    name = p_model.demodulized.underscore.pluralize
    extra = { as: poly.to_sym, foreign_key: custom ? id_col.to_sym : nil,
              foreign_type: custom ? type_col.to_sym : nil }
    if chance(0.5) && !@concerns.key?(poly.camelize)
      owners = owners.select { |o| free_name?(o, name) }
      return if owners.empty?
      concern = poly.camelize
      options = { class_name: owners.all? { |o| resolve(o.class_name, name.singularize.camelize) == p_model.class_name } ? nil : p_model.class_name }
      @concerns[concern] = [Assoc.new(macro: :has_many, name: name, scope: association_scope(p_model),
                                      options: options.merge(extra).merge(dependent: dependent(:has_many)).compact)]
      owners.each do |o|
        o.includes << concern
        @links << [o, name, :has_many, p_model, { poly: poly, written: options[:class_name] || name.singularize.camelize }]
      end
    else
      owners.each do |o|
        macro = chance(0.2) ? :has_one : :has_many
        n = macro == :has_one ? p_model.demodulized.underscore : name
        next unless free_name?(o, n)
        options = { class_name: class_name_option(o.class_name, n, macro, p_model) }.merge(extra)
        declare(o, macro, n, options.merge(dependent: dependent(macro)), scope: association_scope(p_model))
        written = options[:class_name] || (macro == :has_one ? n : n.singularize).camelize
        @links << [o, n, macro, p_model, { poly: poly, written: written }]
      end
    end
    # A join model: the polymorphic model also belongs to a tag-like owner, which
    # reaches the polymorphic side through it with source_type.
    return unless chance(0.4)
    tagger = pick(@models - [p_model])
    via = belongs_and_has(tagger, p_model, has_one: false) or return
    through = @links.reverse.find { |o, _, m, t, e| o == tagger && t == p_model && m == :has_many && e[:via] == via }
    return unless through
    owners.first(2).each do |x|
      n = "tagged_#{x.demodulized.underscore.pluralize}"
      next unless free_name?(tagger, n)
      declare(tagger, :has_many, n, { through: through[1].to_sym, source: poly.to_sym,
                                     source_type: x.class_name })
    end
  end

  # ActiveRecord's HABTM join table name.
  def join_table_name(a, b)
    [a, b].sort.join("\0").gsub(/^(.*[._])(.+)\0\1(.+)/, '\1\2_\3').tr("\0", "_")
  end

  def habtm
    candidates = @models.reject(&:sti_child?)
    return if candidates.length < 2
    a, c = candidates.shuffle(random: @rng).first(2)
    name = c.demodulized.underscore.pluralize
    return unless free_name?(a, name)
    explicit = chance(0.25)
    join = explicit ? "#{a.base}_#{c.base}_links" : join_table_name(a.table.name, c.table.name)
    return if @tables.key?(join)
    custom_keys = chance(0.15)
    fk_a = custom_keys ? "member_id" : a.demodulized.foreign_key
    fk_c = custom_keys ? "group_id" : c.demodulized.foreign_key
    jt = table(join)
    jt.id = false
    column(jt, fk_a, :bigint)
    column(jt, fk_c, :bigint)
    case pick(%i[none a c ac_unique ca_unique both ac])
    when :a then index(jt, [fk_a])
    when :c then index(jt, [fk_c])
    when :ac_unique then index(jt, [fk_a, fk_c], unique: true)
    when :ca_unique then index(jt, [fk_c, fk_a], unique: true)
    when :ac then index(jt, [fk_a, fk_c])
    when :both
      index(jt, [fk_a])
      index(jt, [fk_c])
    end
    declare(a, :has_and_belongs_to_many, name, {
      class_name: class_name_option(a.class_name, name, :has_and_belongs_to_many, c),
      join_table: explicit ? join : nil,
      foreign_key: custom_keys ? fk_a.to_sym : nil,
      association_foreign_key: custom_keys ? fk_c.to_sym : nil,
    })
    @links << [a, name, :habtm, c, {}]
    back = a.demodulized.underscore.pluralize
    return unless chance(0.5) && free_name?(c, back)
    declare(c, :has_and_belongs_to_many, back, {
      class_name: class_name_option(c.class_name, back, :has_and_belongs_to_many, a),
      join_table: explicit || join_table_name(a.table.name, c.table.name) != join ? join : nil,
      foreign_key: custom_keys ? fk_c.to_sym : nil,
      association_foreign_key: custom_keys ? fk_a.to_sym : nil,
    })
  end

  # has_many / has_one :through over links already made.
  def through
    chains = []
    @links.each do |owner, first, macro, middle, extra|
      next unless %i[has_many has_one].include?(macro)
      @links.each do |m2, second, macro2, target, extra2|
        next unless m2 == middle && %i[belongs_to has_many has_one].include?(macro2)
        chains << [owner, first, macro, middle, second, macro2, target, extra, extra2]
      end
    end
    return false if chains.empty?
    owner, first, macro, middle, second, macro2, target, extra, extra2 = pick(chains)
    plural = macro == :has_many || macro2 == :has_many
    name = plural ? second.pluralize : second.singularize
    options = { through: first.to_sym }
    on_middle = names_of(middle) + (middle == owner || middle.parent == owner ? [name] : [])
    ambiguous = on_middle.include?(name.singularize) && on_middle.include?(name)
    unless free_name?(owner, name) && [name, name.singularize].include?(second) && !ambiguous
      name = "#{second}_via_#{first}"
      name = plural ? name : name.singularize
      options[:source] = second.to_sym
    end
    return false unless free_name?(owner, name)
    options[:source] = second.to_sym if chance(0.2)
    # A ThroughReflection's class is its source's class name, looked up from the owner.
    written = extra2[:written]
    if written.nil? || resolve(owner.class_name, written) != target.class_name || chance(0.1)
      options[:class_name] = target.class_name
      written = target.class_name
    end
    if macro == :has_many && macro2 == :belongs_to && !extra[:through] && !extra2[:through] && chance(0.1)
      options[:dependent] = pick(%i[destroy delete_all])
    end
    assoc = declare(owner, plural ? :has_many : :has_one, name, options)
    @throughs << [assoc, middle, second]
    @links << [owner, name, plural ? :has_many : :has_one, target, { through: true, written: written }]
    true
  end

  def self_reference
    model = pick(@models.reject(&:sti_child?))
    return unless free_name?(model, "parent")
    column(model.table, "parent_id", :bigint)
    declare(model, :belongs_to, "parent", { class_name: model.class_name, optional: true })
    name = "sub_#{model.demodulized.underscore.pluralize}"
    return unless free_name?(model, name)
    declare(model, :has_many, name, { class_name: model.class_name, foreign_key: :parent_id,
                                      dependent: dependent(:has_many) })
    key_index(model.table, ["parent_id"])
  end

  # Associations declared after a :through may give its through model both the
  # singular and the plural of its name: then it needs `source:`.
  def disambiguate_sources
    @throughs.each do |assoc, middle, second|
      next if assoc.options.key?(:source)
      names = names_of(middle) + @models.select { |m| m.parent == middle }.flat_map { |m| names_of(m) }
      next unless names.include?(assoc.name.singularize) && names.include?(assoc.name)
      assoc.options = assoc.options.merge(source: second.to_sym)
    end
  end

  def make_associations
    relations = @models.length + @rng.rand(@models.length + 2)
    relations.times do
      r = @rng.rand
      if r < 0.42
        owner, child = @models.shuffle(random: @rng).first(2)
        next if owner.table == child.table
        belongs_and_has(owner, child, reverse: chance(0.85))
      elsif r < 0.6
        polymorphic
      elsif r < 0.72
        habtm
      elsif r < 0.92
        through || belongs_and_has(*@models.shuffle(random: @rng).first(2))
      else
        self_reference
      end
    end
  end

  # ------------------------------------------------------------------ scopes, validations

  def scope_templates(model)
    cols = model.table.columns
    fks = cols.keys.select { |c| c.end_with?("_id") && !c.start_with?("parent") }
    t = []
    t << ["only_active", "-> { where(active: true) }"] if cols["active"]
    t << ["inactive", %(-> { where("active = ?", false) })] if cols["active"]
    if cols["state"]
      t << ["open", %(-> { where(state: "open") })]
      t << ["in_state", "->(state) { where(state: state) }"]
      t << ["closed", %(-> { where("state = 'closed'") })]
      t << ["settled", "-> { where(state: %w[paid shipped]) }"]
      t << ["open_recent", %(-> { where(state: "open").order(:created_at) })]
    end
    if cols["position"]
      t << ["top", %(-> { where("position <= ?", 3) })]
      t << ["ranked", "-> { where(position: 1..5) }"]
      t << ["by_position", "-> { order(:position) }"]
    end
    if cols["published_at"]
      t << ["drafts", "-> { where(published_at: nil) }"]
      t << ["published", "-> { where.not(published_at: nil) }"]
      t << ["published_before", %(->(time) { where("published_at < ?", time) })]
    end
    t << ["by_code", "->(code) { where(code: code) }"] if cols["code"]
    t << ["with_email", %(-> { where("email IS NOT NULL AND email <> ''") })] if cols["email"]
    t << ["named", "->(name) { where(name: name) }"]
    t << ["alphabetical", "-> { order(:name) }"]
    t << ["open_active", %(-> { where(state: "open", active: true) })] if cols["state"] && cols["active"]
    fks.each { |fk| t << ["for_#{fk.delete_suffix('_id')}", "->(id) { where(#{fk}: id) }"] }
    t
  end

  def scope_column_indexes(model, body)
    body.scan(/where\((\w+):|where\("(\w+)/).flatten.compact.uniq.each do |c|
      next unless model.table.columns[c]
      other = other_column(model.table, c)
      case pick(%i[none none single composite second])
      when :single then index(model.table, [c])
      when :composite then index(model.table, [c, other].compact)
      when :second then other ? index(model.table, [other, c]) : nil
      end
    end
  end

  def make_scopes
    @models.each do |model|
      templates = scope_templates(model).shuffle(random: @rng).first(@rng.rand(4))
      templates.each do |name, body|
        model.items << "scope :#{name}, #{body}"
        scope_column_indexes(model, body)
      end
      next if model.sti_child? || !chance(0.1)
      cols = model.table.columns
      body =
        if cols["active"] then "{ where(active: true) }"
        elsif cols["state"] then %({ where(state: "open") })
        else "{ order(:created_at) }"
        end
      model.items << "default_scope #{body}"
      scope_column_indexes(model, body)
    end
    if @models.any?(&:sti_child?) && chance(0.5)
      sti = @models.select(&:sti_child?).first
      index(sti.table, chance(0.5) ? ["type"] : ["type", other_column(sti.table, "type")].compact)
    end
  end

  def make_validations
    @models.each do |model|
      next unless chance(0.45)
      cols = model.table.columns
      attrs = %w[email code slug name].select { |c| cols[c] == :string }
      attribute = pick(attrs)
      belongs = model.items.grep(Assoc).select { |a| a.macro == :belongs_to && !a.options[:polymorphic] }
      if !belongs.empty? && chance(0.15)
        attribute = pick(belongs).name
        attribute_columns = [@links.find { |o, n, m, _, _| o == model && n == attribute && m == :belongs_to }&.last&.dig(:fk) || "#{attribute}_id"]
      else
        attribute_columns = [attribute]
      end
      scope_candidates = cols.keys.select { |c| c.end_with?("_id") || c == "state" || c.end_with?("_type") }
      scope = chance(0.4) && !scope_candidates.empty? ? scope_candidates.shuffle(random: @rng).first(1 + @rng.rand(2)) : []
      insensitive = attribute_columns == [attribute] && chance(0.2)
      options = []
      options << "scope: #{scope.length == 1 ? ":#{scope.first}" : "[#{scope.map { |s| ":#{s}" }.join(', ')}]"}" unless scope.empty?
      options << "case_sensitive: false" if insensitive
      options << "conditions: -> { where(active: true) }" if cols["active"] && chance(0.05)
      model.items <<
        if chance(0.3)
          "validates_uniqueness_of :#{attribute}#{options.empty? ? '' : ", #{options.join(', ')}"}"
        else
          "validates :#{attribute}, uniqueness: #{options.empty? ? 'true' : "{ #{options.join(', ')} }"}"
        end
      case pick(%i[none none attr_unique scope_attr attr_scope scope_only lower])
      when :attr_unique then index(model.table, attribute_columns, unique: true)
      when :scope_attr then index(model.table, scope + attribute_columns, unique: true)
      when :attr_scope then index(model.table, attribute_columns + scope)
      when :scope_only then scope.empty? ? nil : index(model.table, scope)
      when :lower
        index(model.table, attribute_columns, unique: true, expression: "lower(#{attribute_columns.first})") if insensitive
      end
    end
  end

  # ------------------------------------------------------------------ rendering

  def literal(value)
    case value
    when Symbol then ":#{value}"
    when String then value.inspect
    else value.inspect
    end
  end

  def render_assoc(a, receiver = nil)
    parts = [":#{a.name}"]
    parts << a.scope if a.scope
    a.options.each { |k, v| parts << "#{k}: #{literal(v)}" }
    "#{receiver ? "#{receiver}." : ''}#{a.macro} #{parts.join(', ')}"
  end

  def render_body(model)
    lines = []
    model.includes.uniq.each { |c| lines << "include #{c}" }
    lines << "" unless lines.empty?
    assocs = model.items.grep(Assoc)
    grouped = assocs.group_by { |a| a.options[:dependent] }
    with_group = grouped.find { |dep, list| dep && list.length >= 2 && chance(0.6) }
    explicit = chance(0.5)
    assocs.each do |a|
      unless with_group && with_group[1].include?(a)
        lines << render_assoc(a)
        next
      end
      next unless with_group[1].first.equal?(a)
      # The block sits where its first member was declared: a :through declared
      # later still finds every association it goes through.
      dep, list = with_group
      lines << "with_options dependent: :#{dep} do#{explicit ? ' |assoc|' : ''}"
      list.each do |member|
        stripped = Assoc.new(macro: member.macro, name: member.name, scope: member.scope,
                             options: member.options.except(:dependent))
        lines << "  #{render_assoc(stripped, explicit ? 'assoc' : nil)}"
      end
      lines << "end"
    end
    others = model.items.grep(String)
    lines << "" unless others.empty? || lines.empty?
    lines.concat(others)
    lines
  end

  def write(path, text)
    full = File.join(@out, path)
    FileUtils.mkdir_p(File.dirname(full))
    File.write(full, text)
  end

  def indent(lines, depth)
    lines.map { |l| l.empty? ? "" : ("  " * depth) + l }
  end

  def model_file(model)
    superclass = model.parent ? model.parent.class_name : "ApplicationRecord"
    body = render_body(model)
    path = "app/models/#{model.class_name.underscore}.rb"
    text =
      if model.namespace.nil?
        ["class #{model.class_name} < #{superclass}", *indent(body, 1), "end"]
      elsif model.compact
        ["class #{model.class_name} < #{model.parent ? "::#{superclass}" : superclass}", *indent(body, 1), "end"]
      else
        sup = model.parent ? model.parent.demodulized : superclass
        ["module #{model.namespace}", "  class #{model.demodulized} < #{sup}", *indent(body, 2), "  end", "end"]
      end
    write(path, text.join("\n") + "\n")
  end

  def write_app
    FileUtils.mkdir_p(@out)
    write("Gemfile", <<~RUBY)
      source "https://rubygems.org"

      gem "rails", "#{VERSION}"
      gem "sqlite3", "~> 1.4"
    RUBY
    write("Gemfile.lock", gemfile_lock)
    write("config/application.rb", <<~RUBY)
      require_relative "boot"

      require "rails/all"

      Bundler.require(*Rails.groups)

      module RandomApp#{@seed}
        class Application < Rails::Application
          config.load_defaults 6.1
        end
      end
    RUBY
    write("config/boot.rb", %(ENV["BUNDLE_GEMFILE"] ||= File.expand_path("../Gemfile", __dir__)\n\nrequire "bundler/setup"\n))
    write("config/database.yml", <<~YAML)
      default: &default
        adapter: sqlite3
        pool: 5
        timeout: 5000

      development:
        <<: *default
        database: db/development.sqlite3

      test:
        <<: *default
        database: db/test.sqlite3
    YAML
    unless @inflections.empty?
      lines = @inflections.map { |s, p| "  inflect.irregular #{s.inspect}, #{p.inspect}" }
      write("config/initializers/inflections.rb",
            "ActiveSupport::Inflector.inflections(:en) do |inflect|\n#{lines.join("\n")}\nend\n")
    end
    write("app/models/application_record.rb",
          "class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n")
    @models.map(&:namespace).compact.uniq.each do |ns|
      prefix = PREFIXED_NAMESPACES.to_h[ns]
      next unless prefix
      write("app/models/#{ns.underscore}.rb",
            "module #{ns}\n  def self.table_name_prefix\n    #{prefix.inspect}\n  end\nend\n")
    end
    @concerns.each do |name, assocs|
      lines = ["module #{name}", "  extend ActiveSupport::Concern", "", "  included do",
               *assocs.map { |a| "    #{render_assoc(a)}" }, "  end", "end"]
      write("app/models/concerns/#{name.underscore}.rb", lines.join("\n") + "\n")
    end
    @models.each { |m| model_file(m) }
    write("db/schema.rb", schema_rb)
  end

  def schema_rb
    out = +<<~RUBY
      # Generated by tests/activerecord/random_app.rb #{@seed}.

      ActiveRecord::Schema.define(version: 2024_01_01_000000) do
    RUBY
    @tables.values.sort_by(&:name).each_with_index do |t, i|
      out << "\n" unless i.zero?
      out << %(  create_table "#{t.name}", #{t.id ? '' : 'id: false, '}force: :cascade do |t|\n)
      t.columns.each { |name, type| out << %(    t.#{type} "#{name}"\n) }
      if t.id
        out << %(    t.datetime "created_at", precision: 6, null: false\n)
        out << %(    t.datetime "updated_at", precision: 6, null: false\n)
      end
      t.indexes.sort_by { |ix| ix[:name] }.each do |ix|
        cols = ix[:expression] ? ix[:expression].inspect : "[#{ix[:columns].map(&:inspect).join(', ')}]"
        out << %(    t.index #{cols}, name: "#{ix[:name]}"#{ix[:unique] ? ', unique: true' : ''}\n)
      end
      out << "  end\n"
    end
    out << "end\n"
  end

  def gemfile_lock
    <<~LOCK
      GEM
        remote: https://rubygems.org/
        specs:
          activemodel (#{VERSION})
            activesupport (= #{VERSION})
          activerecord (#{VERSION})
            activemodel (= #{VERSION})
            activesupport (= #{VERSION})
          activesupport (#{VERSION})
            concurrent-ruby (~> 1.0, >= 1.0.2)
            i18n (>= 1.6, < 2)
            minitest (>= 5.1)
            tzinfo (~> 2.0)
            zeitwerk (~> 2.3)
          concurrent-ruby (1.3.4)
          i18n (1.14.6)
            concurrent-ruby (~> 1.0)
          minitest (5.25.1)
          rails (#{VERSION})
            activerecord (= #{VERSION})
            activesupport (= #{VERSION})
          sqlite3 (1.4.4)
          tzinfo (2.0.6)
            concurrent-ruby (~> 1.0)
          zeitwerk (2.6.18)

      PLATFORMS
        x86_64-linux

      DEPENDENCIES
        rails (= #{VERSION})
        sqlite3 (~> 1.4)

      BUNDLED WITH
         2.3.7
    LOCK
  end

  def run
    inflections
    make_models
    make_associations
    disambiguate_sources
    make_scopes
    make_validations
    write_app
  end
end

if $PROGRAM_NAME == __FILE__
  if ARGV.length != 2 || ARGV[0] !~ /\A\d+\z/
    warn "usage: #{$PROGRAM_NAME} SEED OUT_DIR"
    exit 2
  end
  RandomApp.new(Integer(ARGV[0]), ARGV[1]).run
end
