module Blog
  class Post < ApplicationRecord
    belongs_to :author, class_name: "User", inverse_of: :posts
    has_many :comments, dependent: :delete_all

    scope :published, -> { where.not(published_at: nil) }
  end
end
