class Account < ApplicationRecord
  has_many :invoices, foreign_key: :billing_account_id
  has_many :orders, foreign_key: :billing_account_id
end
