# product_settings has no primary key (id: false); [product_id, key] is unique.
class ProductSetting < ApplicationRecord
  belongs_to :product

  validates :key, uniqueness: { scope: :product_id }

  scope :with_key, ->(key) { where(key: key) }
end
