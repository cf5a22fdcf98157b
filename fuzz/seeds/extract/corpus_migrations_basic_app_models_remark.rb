# The comments table was renamed to remarks (ReshapeComments); its indexes kept
# their names (index_comments_on_commentable, comments_user_recent...).
class Remark < ApplicationRecord
  belongs_to :post, optional: true
  belongs_to :user, optional: true
  belongs_to :editor, class_name: "User", optional: true
  belongs_to :commentable, polymorphic: true, optional: true

  scope :created_on, ->(time) { where(created_at: time) }
  scope :by_user, ->(user_id) { where(user_id: user_id).order(created_at: :desc) }
  scope :in_locale, ->(locale) { where(locale: locale) }
end
