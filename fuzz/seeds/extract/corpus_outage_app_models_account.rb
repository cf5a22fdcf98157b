class Account < ApplicationRecord
  has_many :users, dependent: :destroy
  has_many :projects, dependent: :destroy
  has_many :api_tokens, dependent: :delete_all
  # Added with the first analytics prototype and never used since: events are
  # written by IngestEventsJob (insert_all) and read by the analytics service.
  # Every Account#destroy still loads this account's events one by one.
  has_many :events, dependent: :destroy

  scope :sandbox, -> { where(plan: "sandbox") }

  validates :subdomain, presence: true, uniqueness: true
end
