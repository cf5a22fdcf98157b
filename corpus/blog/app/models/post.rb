class Post < ApplicationRecord
  belongs_to :author, class_name: "User", counter_cache: true

  has_many :comments, dependent: :destroy
  has_many :approved_comments, -> { where(approved: true) }, class_name: "Comment"
  has_many :taggings, dependent: :delete_all
  has_many :tags, through: :taggings
  has_many :commenters, -> { distinct }, through: :comments, source: :user

  validates :title, presence: true
  validates :slug, presence: true, uniqueness: true

  scope :published, -> { where.not(published_at: nil) }
  scope :recent, -> { order(published_at: :desc).limit(10) }
  scope :by, ->(user) { where(author: user) }

  def to_param
    slug
  end
end
