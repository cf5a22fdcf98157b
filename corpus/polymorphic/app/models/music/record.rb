module Music
  class Record < ApplicationRecord
    has_and_belongs_to_many :artists
  end
end
