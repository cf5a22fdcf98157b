class Dog < AnimalsRecord
  belongs_to :owner, class_name: "User", optional: true
  belongs_to :shelter
  has_many :vet_visits, dependent: :destroy
  has_many :adoptions, dependent: :restrict_with_error
  has_many :vaccinations
end
