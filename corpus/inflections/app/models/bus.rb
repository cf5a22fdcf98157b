class Bus < ApplicationRecord
  belongs_to :status, optional: true
  belongs_to :driver, class_name: "Salesperson", optional: true
  has_many :people, foreign_key: :bus_id
end
