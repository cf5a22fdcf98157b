class Vendor < ApplicationRecord
  belongs_to :parent, class_name: "Vendor", optional: true
  belongs_to :country, foreign_key: :country_code, optional: true
  belongs_to :sourceable, polymorphic: true, optional: true

  has_many :children, class_name: "Vendor", foreign_key: :parent_id, dependent: :nullify
  has_many :products, dependent: :destroy
  has_many :orders, through: :products
  has_many :showcased_products, as: :imageable, class_name: "Product"
  has_many :sourced_vendors, as: :sourceable, class_name: "Vendor"

  scope :owned_by, ->(owner_id) { where(owner_id: owner_id) }
  scope :in_country, ->(code) { where(country_code: code) }
end
