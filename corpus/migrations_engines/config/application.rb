require_relative "boot"

require "rails/all"

Bundler.require(*Rails.groups)

module Storefront
  class Application < Rails::Application
    config.load_defaults 6.1

    # Migrations from before 2017 were moved out of db/migrate.
    config.paths["db/migrate"] << "db/migrate_archive"
  end
end
