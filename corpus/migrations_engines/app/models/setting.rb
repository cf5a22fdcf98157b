class Setting < ApplicationRecord
  validates :key, uniqueness: true
end
