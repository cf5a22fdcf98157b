class Tag < ApplicationRecord
  has_many :taggings, dependent: :delete_all
  has_many :tagged_products, through: :taggings, source: :taggable, source_type: "Product"
  has_many :tagged_employees, through: :taggings, source: :taggable, source_type: "Employee"

  validates :name, uniqueness: true
end
