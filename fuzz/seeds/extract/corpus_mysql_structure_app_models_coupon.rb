class Coupon < ApplicationRecord
  has_many :redemptions, dependent: :delete_all

  validates :code, uniqueness: { case_sensitive: false }
end
