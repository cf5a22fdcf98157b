class LineItem < ApplicationRecord
  belongs_to :order, touch: true
  belongs_to :product
end
