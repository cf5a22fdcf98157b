class LedgerEntry < ApplicationRecord
  belongs_to :document
end
