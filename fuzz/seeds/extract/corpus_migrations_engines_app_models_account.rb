class Account < ApplicationRecord
  has_many :users, dependent: :destroy
  has_many :invoices, class_name: "Billing::Invoice", dependent: :restrict_with_error

  validates :subdomain, uniqueness: true, allow_nil: true
end
