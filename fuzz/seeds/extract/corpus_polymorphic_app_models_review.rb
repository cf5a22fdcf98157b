class Review < ApplicationRecord
  belongs_to :product
  belongs_to :reviewer, class_name: "User"
end
