class VetVisit < AnimalsRecord
  belongs_to :dog
end
