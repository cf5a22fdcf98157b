class User < ApplicationRecord
  has_many :memberships, dependent: :destroy
  has_many :organizations, through: :memberships
  has_many :documents, foreign_key: :owner_id, dependent: :nullify
  has_many :audit_events, dependent: :delete_all

  validates :email, presence: true, uniqueness: { case_sensitive: false }
end
