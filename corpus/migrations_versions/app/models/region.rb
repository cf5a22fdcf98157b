# Primary key code (a string); orders.region_id refers to it.
class Region < ApplicationRecord
  has_many :orders
end
