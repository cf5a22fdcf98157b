class EquipmentLog < ApplicationRecord
  belongs_to :person
end
