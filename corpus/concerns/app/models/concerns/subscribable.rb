module Subscribable
  extend ActiveSupport::Concern

  included do
    # No foreign_key: Rails derives it from the including class.
    has_many :subscriptions, dependent: :delete_all
    has_many :subscribers, through: :subscriptions, source: :user
  end
end
