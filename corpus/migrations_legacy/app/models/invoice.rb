class Invoice < ApplicationRecord
  belongs_to :organization
  belongs_to :billable, polymorphic: true, optional: true
  has_many :line_items, dependent: :delete_all

  # invoices.paid_at was indexed, then renamed to settled_at: the index followed.
  scope :settled_on, ->(time) { where(settled_at: time) }
  scope :due_on, ->(date) { where(due_date: date) }
  # ReworkInvoices removed the index on customer_id.
  scope :for_customer, ->(customer_id) { where(customer_id: customer_id) }
end
