class Post < ApplicationRecord
  belongs_to :user
  has_many :remarks, dependent: :destroy
  has_many :comments, as: :commentable, class_name: "Remark", dependent: :destroy
  has_many :commenters, through: :remarks, source: :user
  has_and_belongs_to_many :tags

  validates :slug, uniqueness: { scope: :user_id }, allow_nil: true
  # The index on title was added and removed in the same migration.
  validates :title, uniqueness: true

  scope :published, -> { where(published: true) }
  # posts_by_publication was dropped by DropDrafts.
  scope :published_on, ->(time) { where(published_at: time) }
  scope :by_user, ->(user_id) { where(user_id: user_id) }
end
