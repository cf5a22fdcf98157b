# Was Account until RenameAccountsToOrganizations (accounts -> organizations,
# invoices.account_id -> invoices.organization_id).
class Organization < ApplicationRecord
  has_many :invoices, dependent: :destroy
  has_many :line_items, through: :invoices
  has_many :sponsored_invoices, as: :billable, class_name: "Invoice"

  validates :name, uniqueness: true

  scope :active, -> { where(active: true) }
  scope :on_plan, ->(plan) { where(plan: plan) }
end
