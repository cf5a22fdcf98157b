class Cactus < ApplicationRecord
  has_many :leafs, dependent: :destroy
  has_and_belongs_to_many :moose
end
