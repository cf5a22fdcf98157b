# Wrong base class: the vaccinations table was migrated into the primary
# database, but this model connects to the animals database.
class Vaccination < AnimalsRecord
  belongs_to :dog
end
