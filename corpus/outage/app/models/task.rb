class Task < ApplicationRecord
  include Commentable

  belongs_to :project, touch: true
  belongs_to :assignee, class_name: "User", optional: true

  scope :open, -> { where(completed_at: nil) }

  validates :title, presence: true
end
