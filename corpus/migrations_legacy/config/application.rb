require_relative "boot"

require "rails/all"

Bundler.require(*Rails.groups)

# Started on Rails 4.0 in 2014, upgraded since.
module Ledger
  class Application < Rails::Application
    config.load_defaults 6.1
  end
end
