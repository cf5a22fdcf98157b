class Sensor < ApplicationRecord
  belongs_to :account
  has_many :measurements
end
