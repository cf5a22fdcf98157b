class Redemption < ApplicationRecord
  belongs_to :coupon
  belongs_to :user

  validates :user_id, uniqueness: { scope: :coupon_id }
end
