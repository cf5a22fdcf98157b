class LineItem < ApplicationRecord
  belongs_to :invoice

  # index_line_items_on_sku was created with a raw `execute "CREATE INDEX ..."`.
  validates :sku, uniqueness: { scope: :invoice_id }, allow_nil: true

  scope :from_warehouse, ->(warehouse_id) { where(warehouse_id: warehouse_id) }
  scope :for_product, ->(product_id) { where(product_id: product_id) }
end
