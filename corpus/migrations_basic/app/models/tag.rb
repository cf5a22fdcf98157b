class Tag < ApplicationRecord
  has_and_belongs_to_many :posts

  validates :name, uniqueness: true

  # tags.color and its index come from a guarded (idempotent) migration.
  scope :colored, ->(color) { where(color: color) }
end
