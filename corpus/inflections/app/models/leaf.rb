class Leaf < ApplicationRecord
  belongs_to :cactus
end
