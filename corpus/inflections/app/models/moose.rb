class Moose < ApplicationRecord
  has_and_belongs_to_many :cacti
end
