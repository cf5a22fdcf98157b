# Kept for the code written before the rename: same table as Organization.
class Account < ApplicationRecord
  self.table_name = "organizations"

  has_many :invoices, foreign_key: :organization_id
end
