class MaintenanceRecord < ApplicationRecord
  belongs_to :vehicle
end
