class ContentFlag < ApplicationRecord
  # content_id holds an articles.id or a videos.id; nothing records which one.
  validates :reason, presence: true
end
