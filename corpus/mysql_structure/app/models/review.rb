class Review < ApplicationRecord
  belongs_to :product
  belongs_to :author, class_name: "User"
end
