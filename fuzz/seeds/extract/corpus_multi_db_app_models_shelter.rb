class Shelter < AnimalsRecord
  has_many :dogs, dependent: :restrict_with_exception
  has_many :cats, dependent: :restrict_with_exception

  validates :name, uniqueness: { scope: :city }
end
