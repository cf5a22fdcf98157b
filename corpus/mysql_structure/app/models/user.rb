class User < ApplicationRecord
  has_many :orders, dependent: :restrict_with_error
  has_many :reviews, foreign_key: :author_id, dependent: :destroy
  has_many :redemptions

  validates :email, uniqueness: true
end
