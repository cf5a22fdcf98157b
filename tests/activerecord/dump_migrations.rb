#!/usr/bin/env ruby
# frozen_string_literal: true

# Runs every migration of a migrations-only app with the real ActiveRecord and dumps
# the schema that results:
#
#   ruby tests/activerecord/dump_migrations.rb APP_DIR OUTPUT_SCHEMA_RB [MIGRATIONS_DIR...]
#
# Connects to a fresh SQLite database in a temporary directory, migrates it with
# ActiveRecord::MigrationContext (APP_DIR/db/migrate, or the MIGRATIONS_DIRs given
# relative to APP_DIR, as `bin/rails db:migrate` would with those
# `migrations_paths`) and writes what ActiveRecord::SchemaDumper dumps to
# OUTPUT_SCHEMA_RB.
# Exits 1 with a message on stderr on any error, 2 on a usage error.

require "stringio"
require "tmpdir"
require "fileutils"

ENV["RAILS_ENV"] = "development"
ENV.delete("DATABASE_URL")

require "active_record"
require "active_support/all"

if ARGV.length < 2
  warn "usage: #{$PROGRAM_NAME} APP_DIR OUTPUT_SCHEMA_RB [MIGRATIONS_DIR...]"
  exit 2
end
app_dir, output, *dirs = ARGV
dirs = [File.join("db", "migrate")] if dirs.empty?
migrate_dirs = dirs.map { |d| File.join(app_dir, d) }
migrate_dirs.each do |dir|
  next if File.directory?(dir)

  warn "dump_migrations.rb: #{dir}: no such directory"
  exit 1
end

ActiveRecord::Base.logger = nil
ActiveRecord::Migration.verbose = false

tmp = Dir.mktmpdir("dump-migrations")
begin
  ActiveRecord::Base.establish_connection(adapter: "sqlite3", database: File.join(tmp, "db.sqlite3"))
  context = ActiveRecord::MigrationContext.new(migrate_dirs, ActiveRecord::SchemaMigration)
  pending = context.migrations.map(&:version)
  raise "no migrations in #{migrate_dirs.join(', ')}" if pending.empty?

  context.migrate

  applied = ActiveRecord::SchemaMigration.all_versions.map(&:to_i)
  missing = pending - applied
  raise "migrations not applied: #{missing.join(', ')}" unless missing.empty?

  stream = StringIO.new
  ActiveRecord::SchemaDumper.dump(ActiveRecord::Base.connection, stream)
  dumped = stream.string
  if dumped.include?("# Could not dump table")
    raise "the dumped schema is incomplete:\n#{dumped.lines.grep(/Could not dump|Unknown type/).join}"
  end

  FileUtils.mkdir_p(File.dirname(File.expand_path(output)))
  File.write(output, dumped)
rescue StandardError, ScriptError => e
  warn "dump_migrations.rb: #{app_dir}: #{e.class}: #{e.message}"
  cause = e.cause
  while cause
    warn "  caused by #{cause.class}: #{cause.message}"
    cause = cause.cause
  end
  warn e.backtrace.first(Integer(ENV.fetch("DUMP_MIGRATIONS_BACKTRACE", "5"), exception: false) || 5).map { |l| "  #{l}" }.join("\n") if ENV["DUMP_MIGRATIONS_BACKTRACE"]
  exit 1
ensure
  ActiveRecord::Base.remove_connection rescue nil
  FileUtils.remove_entry(tmp) if tmp && File.directory?(tmp)
end
