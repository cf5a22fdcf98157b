class User < ApplicationRecord
  belongs_to :account
  has_many :posts, class_name: "Blog::Post", foreign_key: :author_id, inverse_of: :author
  has_many :blog_comments, class_name: "Blog::Comment"

  validates :email, uniqueness: true

  scope :admins, -> { where(role: "admin") }
end
