class Car < Vehicle
  has_many :trips, foreign_key: :vehicle_id
end
