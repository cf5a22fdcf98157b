module Trackable
  extend ActiveSupport::Concern
  include Auditable

  included do
    has_many :activities, as: :trackable, dependent: :delete_all
    after_create :track_creation
  end

  private

  def track_creation
    activities.create!(action: "created")
  end
end
