class Caption < ApplicationRecord
  belongs_to :video
end
