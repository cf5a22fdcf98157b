class PublicationEvent < ApplicationRecord
  belongs_to :post
end
