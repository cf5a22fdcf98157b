# Billing has no table_name_prefix: this is the "invoices" table.
class Billing::Invoice < ApplicationRecord
  belongs_to :customer, class_name: "Person", primary_key: :person_code
  # "Line" is resolved relative to Billing::Invoice: Billing::Line.
  has_many :lines, class_name: "Line", dependent: :destroy
  has_many :payments, dependent: :restrict_with_error

  validates :number, uniqueness: { scope: :customer_id }
end
