class Supplier < ApplicationRecord
  has_many :products
  has_many :reviews, through: :products
  has_many :reviewers, through: :reviews
  has_one :account
  has_one :account_history, through: :account
  # Product has no :rating/:ratings association.
  has_many :ratings, through: :products
end
