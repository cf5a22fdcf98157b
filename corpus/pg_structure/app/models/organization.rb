class Organization < ApplicationRecord
  has_many :memberships, dependent: :delete_all
  has_many :users, through: :memberships
  has_many :accounts, dependent: :restrict_with_exception

  validates :subdomain, uniqueness: true
end
