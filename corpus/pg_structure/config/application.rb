require_relative "boot"

require "rails/all"

Bundler.require(*Rails.groups)

module Ledger
  class Application < Rails::Application
    config.load_defaults 6.1

    # Partitioned tables, a second schema and expression indexes cannot be
    # expressed in schema.rb.
    config.active_record.schema_format = :sql
    config.generators do |g|
      g.orm :active_record, primary_key_type: :uuid
    end
  end
end
