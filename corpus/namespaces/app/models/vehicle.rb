class Vehicle < ApplicationRecord
  self.inheritance_column = "kind"

  belongs_to :owner, class_name: "Person", foreign_key: :owner_code
  has_many :maintenance_records, dependent: :destroy
end
