class Account < ApplicationRecord
  belongs_to :organization
  has_many :documents, dependent: :destroy
  has_many :ledger_entries, through: :documents
end
