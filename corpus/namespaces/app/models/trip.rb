class Trip < ApplicationRecord
  belongs_to :car, foreign_key: :vehicle_id
end
