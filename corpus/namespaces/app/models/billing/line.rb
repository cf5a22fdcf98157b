module Billing
  class Line < ApplicationRecord
    belongs_to :invoice
    belongs_to :vehicle, optional: true
  end
end
