class Product < ApplicationRecord
  belongs_to :vendor, optional: true
  belongs_to :currency, foreign_key: :currency_code
  belongs_to :imageable, polymorphic: true, optional: true

  has_many :orders, dependent: :nullify
  has_many :settings, class_name: "ProductSetting", dependent: :delete_all
  has_many :shipped_orders, as: :shippable, class_name: "Order"

  scope :in_category, ->(category_id) { where(category_id: category_id) }
  scope :named, ->(name) { where(name: name) }
end
