require_relative "boot"

require "rails/all"

Bundler.require(*Rails.groups)

module Fleet
  class Application < Rails::Application
    config.load_defaults 6.1

    config.time_zone = "Europe/Berlin"
    config.i18n.default_locale = :de
  end
end
