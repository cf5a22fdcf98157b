module Billing
  class Payment < ApplicationRecord
    belongs_to :invoice

    scope :pending, -> { where(state: "pending") }
  end
end
