class Product < ApplicationRecord
  belongs_to :category
  has_many :reviews, dependent: :destroy
  has_many :line_items, dependent: :restrict_with_exception

  validates :sku, uniqueness: true
end
