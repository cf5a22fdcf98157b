# countries has no primary key column (id: false): rows are keyed by their ISO code,
# which a unique index covers.
class Country < ApplicationRecord
  self.primary_key = "code"

  has_many :vendors, foreign_key: :country_code

  validates :code, uniqueness: true
  validates :name, uniqueness: true
end
