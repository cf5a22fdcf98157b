module Music
  class Artist < ApplicationRecord
    has_and_belongs_to_many :records
    has_many :pictures, as: :imageable
  end
end
