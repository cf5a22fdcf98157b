module Commentable
  extend ActiveSupport::Concern

  included do
    has_many :comments, as: :commentable, dependent: :destroy
  end

  class_methods do
    def most_commented(limit = 10)
      left_joins(:comments).group(:id).order("COUNT(comments.id) DESC").limit(limit)
    end
  end

  def comment_count
    comments.size
  end
end
