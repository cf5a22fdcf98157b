class Milestone < ApplicationRecord
  belongs_to :project
end
