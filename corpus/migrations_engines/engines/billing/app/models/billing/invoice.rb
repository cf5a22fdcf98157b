module Billing
  class Invoice < ApplicationRecord
    belongs_to :account
    has_many :payments, dependent: :destroy

    scope :open, -> { where(state: "open") }
  end
end
