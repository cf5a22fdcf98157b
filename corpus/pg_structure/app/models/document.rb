class Document < ApplicationRecord
  belongs_to :account
  belongs_to :owner, class_name: "User", optional: true
  has_many :ledger_entries, dependent: :delete_all

  scope :kept, -> { where(deleted_at: nil) }
end
