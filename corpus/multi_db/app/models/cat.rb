class Cat < AnimalsRecord
  belongs_to :owner, class_name: "User", optional: true
  belongs_to :shelter
end
