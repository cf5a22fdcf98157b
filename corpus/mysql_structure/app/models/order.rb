class Order < ApplicationRecord
  belongs_to :user
  has_many :line_items, dependent: :delete_all
  has_many :products, through: :line_items
  has_one :shipment, dependent: :destroy
end
