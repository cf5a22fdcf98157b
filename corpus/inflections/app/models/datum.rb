class Datum < ApplicationRecord
  belongs_to :person
  has_many :criteria, dependent: :destroy
end
