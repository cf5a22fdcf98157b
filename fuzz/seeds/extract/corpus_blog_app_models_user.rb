class User < ApplicationRecord
  has_one :profile, dependent: :destroy
  has_many :posts, foreign_key: :author_id, inverse_of: :author, dependent: :destroy
  has_many :comments, dependent: :nullify
  has_many :reactions, dependent: :delete_all

  validates :email, presence: true, uniqueness: true
  validates :username, presence: true, uniqueness: { case_sensitive: false }

  scope :admins, -> { where(admin: true) }

  def display_name
    profile&.full_name.presence || username
  end
end
