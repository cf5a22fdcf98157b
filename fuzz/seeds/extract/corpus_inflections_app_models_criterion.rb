class Criterion < ApplicationRecord
  belongs_to :datum
end
