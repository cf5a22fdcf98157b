class Order < ApplicationRecord
  belongs_to :product, optional: true
  belongs_to :region, optional: true
  belongs_to :shippable, polymorphic: true, optional: true

  validates :number, uniqueness: true

  scope :for_product, ->(product_id) { where(product_id: product_id) }
  scope :in_region, ->(code) { where(region_id: code) }
end
