class APIKey < ApplicationRecord
  belongs_to :person
  has_many :api_requests, dependent: :delete_all

  validates :token, uniqueness: true
end
