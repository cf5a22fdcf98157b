class User < ApplicationRecord
  has_many :dogs, foreign_key: :owner_id, dependent: :nullify
  has_many :cats, foreign_key: :owner_id, dependent: :nullify
  has_many :adoptions, dependent: :destroy

  validates :email, uniqueness: true
end
