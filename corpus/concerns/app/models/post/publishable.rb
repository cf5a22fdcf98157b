module Post::Publishable
  extend ActiveSupport::Concern

  included do
    belongs_to :publisher, class_name: "User", optional: true
    has_many :publication_events, dependent: :delete_all

    scope :published, -> { where.not(published_at: nil) }
  end

  def publish!(by:)
    update!(publisher: by, published_at: Time.current)
  end
end
