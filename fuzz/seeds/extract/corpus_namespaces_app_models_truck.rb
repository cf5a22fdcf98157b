class Truck < Vehicle
  # Declared in the STI subclass: Rails derives the foreign key from the
  # declaring class, so this is truck_id, not vehicle_id.
  has_many :cargo_loads, dependent: :destroy
  has_many :drivers, through: :cargo_loads
end
