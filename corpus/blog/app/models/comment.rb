class Comment < ApplicationRecord
  belongs_to :post, counter_cache: true, touch: true
  belongs_to :user, optional: true

  scope :approved, -> { where(approved: true) }
  scope :pending, -> { where(approved: false).order(:created_at) }

  validates :body, presence: true, length: { maximum: 10_000 }
end
