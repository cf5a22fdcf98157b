class Salesperson < ApplicationRecord
  has_many :bonuses
  has_many :paid_bonuses, -> { where(paid: true) }, class_name: "Bonus"
  has_many :buses, foreign_key: :driver_id
end
