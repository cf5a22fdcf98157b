class CargoLoad < ApplicationRecord
  belongs_to :truck
  belongs_to :driver, class_name: "Person", foreign_key: :driver_code
end
