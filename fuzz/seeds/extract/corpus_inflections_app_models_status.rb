class Status < ApplicationRecord
  belongs_to :subject, polymorphic: true
  has_many :buses
end
