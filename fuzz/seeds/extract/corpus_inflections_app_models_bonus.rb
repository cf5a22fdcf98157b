class Bonus < ApplicationRecord
  belongs_to :salesperson
end
