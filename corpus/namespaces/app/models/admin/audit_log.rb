module Admin
  class AuditLog < ApplicationRecord
    belongs_to :user
    belongs_to :vehicle, optional: true

    scope :recent, -> { where("created_at > ?", 1.week.ago) }
  end
end
