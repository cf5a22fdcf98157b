class Octopus < ApplicationRecord
  belongs_to :keeper, class_name: "Person"
  has_many :statuses, as: :subject
end
