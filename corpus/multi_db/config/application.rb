require_relative "boot"

require "rails/all"

Bundler.require(*Rails.groups)

module Petstore
  class Application < Rails::Application
    config.load_defaults 6.1

    config.active_record.database_selector = { delay: 2.seconds }
    config.active_record.database_resolver = ActiveRecord::Middleware::DatabaseSelector::Resolver
    config.active_record.database_resolver_context = ActiveRecord::Middleware::DatabaseSelector::Resolver::Session
  end
end
