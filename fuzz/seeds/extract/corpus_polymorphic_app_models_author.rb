class Author < ApplicationRecord
  has_many :posts
  has_many :comments, through: :posts
  # Through a through: authors -> posts -> comments -> users.
  has_many :commenters, -> { distinct }, through: :comments, source: :user
  has_many :pictures, as: :imageable
end
