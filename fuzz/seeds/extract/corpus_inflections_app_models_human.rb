class Human < ApplicationRecord
  has_many :people, dependent: :nullify
end
