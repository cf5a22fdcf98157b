# Primary key iso_code (a string), from `create_table :currencies, primary_key: :iso_code`.
class Currency < ApplicationRecord
  has_many :products, foreign_key: :currency_code, dependent: :restrict_with_error
end
